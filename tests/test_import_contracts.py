"""The import direction is a checked contract, and the core runs without Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_core_imports_and_works_without_qt(tmp_path: Path) -> None:
    # As if PySide6 were not installed: a headless machine must still run the
    # services, the content checks and the command line.
    script = f"""
import sys
sys.modules["PySide6"] = None
sys.modules["shiboken6"] = None
from consult_aid.services.bundle import open_services
from consult_aid.content.check_command import run_check
from consult_aid import paths, cli
services = open_services("sqlite:///{(tmp_path / "h.sqlite3").as_posix()}", paths.procedures_dir())
pack = services.library.current("balloon-kyphoplasty")
services.close()
packs = sorted(paths.procedures_dir().glob("*.yaml"))
assert run_check(packs, sys.stdout) == 0
print("topics", len(pack.topics_for("balloon")))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "topics" in result.stdout
