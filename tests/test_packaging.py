"""An installed wheel finds its resources the same way a source tree does."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_the_resources_and_finds_them(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("consult_aid-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "installed")
    bundled = sorted(p.name for p in (ROOT / "resources" / "procedures").glob("*.yaml"))
    assert bundled
    for name in bundled:
        assert f"consult_aid/resources/procedures/{name}" in names
    # Run from a folder with no source tree nearby, importing the unpacked wheel.
    probe = subprocess.run(
        [sys.executable, "-c", "from consult_aid import paths; print(paths.procedures_dir())"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "installed"), "PATH": ""},
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    found = Path(probe.stdout.strip())
    assert found == tmp_path / "installed" / "consult_aid" / "resources" / "procedures"
