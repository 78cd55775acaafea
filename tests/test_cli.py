"""The command line: arguments, the content check, and clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from consult_aid import cli, paths


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consult_aid", *args], capture_output=True, text=True, check=False
    )


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("consult-aid ")


def test_content_check_passes_on_the_bundled_pack(capsys: pytest.CaptureFixture[str]) -> None:
    packs = sorted(paths.procedures_dir().glob("*.yaml"))
    assert cli.main(["content", "check", *map(str, packs)]) == 0
    assert "OK" in capsys.readouterr().out


def test_content_check_fails_on_a_bad_pack(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nnot_a_field: [\n", encoding="utf-8")
    result = _run("content", "check", str(bad))
    assert result.returncode != 0
    assert "bad.yaml" in result.stdout + result.stderr


def test_content_check_names_a_missing_file(tmp_path: Path) -> None:
    result = _run("content", "check", str(tmp_path / "missing.yaml"))
    assert result.returncode != 0
    assert "missing.yaml" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args", [["--no-such-option"], ["content"], ["content", "check"], ["frobnicate"]]
)
def test_bad_arguments_exit_non_zero_with_a_message(args: list[str]) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert "usage: consult-aid" in result.stderr
    assert "error:" in result.stderr
