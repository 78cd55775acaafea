"""Where the app reads resources and writes data."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from consult_aid import paths


def test_data_dir_follows_the_environment(private_data_dir: Path) -> None:
    assert paths.data_dir() == private_data_dir
    assert private_data_dir.is_dir()
    assert stat.S_IMODE(private_data_dir.stat().st_mode) == 0o700


def test_everything_written_lives_under_the_data_dir(private_data_dir: Path) -> None:
    assert paths.logs_dir().parent == private_data_dir
    assert paths.settings_file().parent == private_data_dir
    assert paths.database_url() == f"sqlite:///{(private_data_dir / 'consult-aid.sqlite3')}"


def test_database_url_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATABASE_URL_ENV, "postgresql+psycopg://clinic/consult")
    assert paths.database_url() == "postgresql+psycopg://clinic/consult"


def test_default_data_dir_is_the_platform_user_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    asked: list[str] = []

    def user_data_dir(appname: str, appauthor: bool) -> str:
        asked.append(appname)
        return str(tmp_path / "platform" / appname)

    monkeypatch.delenv(paths.DATA_DIR_ENV)
    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    assert paths.data_dir() == tmp_path / "platform" / paths.APP_NAME
    assert asked == [paths.APP_NAME]


def test_bundled_packs_are_found() -> None:
    assert any(paths.procedures_dir().glob("*.yaml"))
