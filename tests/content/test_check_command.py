"""Tests for consult_aid.content.check_command: exit codes and what it prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from consult_aid.content.check_command import main, run_check
from consult_aid.content.loader import load_pack_file
from consult_aid.paths import procedures_dir

BUNDLED = procedures_dir() / "balloon-kyphoplasty.yaml"


def test_good_pack_exits_0_and_says_ok() -> None:
    out = io.StringIO()
    assert run_check([BUNDLED], out) == 0
    pack = load_pack_file(BUNDLED)
    topics = sum(len(s.topics) for s in pack.sections)
    assert out.getvalue() == (
        f"{BUNDLED}: OK, pack balloon-kyphoplasty version {pack.info.version}, {topics} topics\n"
    )


def test_bad_pack_exits_1_and_prints_every_problem(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace('version: "1.0.0"', 'version: "one"').replace(
            "review_due: 2027-11-20", "review_due: 2020-01-01"
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_check([bad], out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}: version (line ")
    assert "is not a version" in lines[0]
    assert lines[1].startswith(f"{bad}: review_due (line ")
    assert "before the approval date" in lines[1]


def test_one_bad_file_among_good_ones_fails_the_run(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    out = io.StringIO()
    assert run_check([BUNDLED, missing, BUNDLED], out) == 1
    lines = out.getvalue().splitlines()
    assert [line.split(": ")[0] for line in lines] == [str(BUNDLED), str(missing), str(BUNDLED)]
    assert "OK" in lines[0]
    assert "cannot be read" in lines[1]


def test_no_files_is_a_failure() -> None:
    out = io.StringIO()
    assert run_check([], out) == 1
    assert out.getvalue() == "no pack files given\n"


def test_main_checks_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(BUNDLED)]) == 0
    assert capsys.readouterr().out.startswith(f"{BUNDLED}: OK")
    assert main([]) == 1
    assert capsys.readouterr().out == "no pack files given\n"
