"""Tests for consult_aid.content.bundled: finding the pack files that ship with the app."""

from __future__ import annotations

from pathlib import Path

from consult_aid.content.bundled import bundled_pack_files
from consult_aid.content.loader import load_pack_file
from consult_aid.paths import procedures_dir


def test_lists_yaml_files_sorted_and_nothing_else(tmp_path: Path) -> None:
    for name in ("zeta.yaml", "alpha.yaml", "notes.txt", "beta.yml"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    assert bundled_pack_files(tmp_path) == [tmp_path / "alpha.yaml", tmp_path / "zeta.yaml"]


def test_missing_folder_gives_no_files(tmp_path: Path) -> None:
    assert bundled_pack_files(tmp_path / "absent") == []


def test_every_bundled_pack_loads() -> None:
    files = bundled_pack_files(procedures_dir())
    assert procedures_dir() / "balloon-kyphoplasty.yaml" in files
    ids = [load_pack_file(path).id for path in files]
    assert len(ids) == len(set(ids))
