"""consult-aid backup, and the configured database opened encrypted by the app and the CLI."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import select

from consult_aid import cli, paths
from consult_aid.app import services_factory
from consult_aid.services.database_key import DATABASE_KEY_ENV, DatabaseKeyError, keyed_database_url
from consult_aid.storage.database import Database
from consult_aid.storage.models import ClinicianRow

KEY = "a long passphrase for the clinic workstation"
NAME = "Anna Rahman"


@pytest.fixture(autouse=True)
def headless() -> Iterator[None]:
    """No OS keyring: the key comes from the environment or not at all."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # unannotated backend
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def encrypted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Encryption at rest on, with the key in the environment."""
    monkeypatch.setenv(paths.ENCRYPT_DATABASE_ENV, "1")
    monkeypatch.setenv(DATABASE_KEY_ENV, KEY)


def make_store() -> Path:
    """The configured database with one clinician in it; returns its file."""
    db = Database.open(keyed_database_url(paths.database_url(), os.environ))
    try:
        now = datetime.now(UTC)
        with db.write_session() as session, session.begin():
            session.add(
                ClinicianRow(
                    name=NAME,
                    role="Consultant spinal surgeon",
                    gmc_number="1234567",
                    hospital="City Hospital",
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        db.close()
    return paths.data_dir() / "consult-aid.sqlite3"


def names_in(url: str) -> list[str]:
    db = Database.open(url)
    try:
        with db.session() as session, session.begin():
            return list(session.scalars(select(ClinicianRow.name)))
    finally:
        db.close()


def test_a_plain_database_is_backed_up_and_the_place_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store()
    destination = tmp_path / "backup.sqlite3"
    assert cli.main(["backup", str(destination)]) == 0
    assert str(destination) in capsys.readouterr().out
    assert destination.read_bytes().startswith(b"SQLite format 3\x00")
    assert names_in(f"sqlite:///{destination.as_posix()}") == [NAME]


@pytest.mark.usefixtures("encrypted")
def test_an_encrypted_database_gives_an_encrypted_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_store()
    assert NAME.encode() not in source.read_bytes()
    destination = tmp_path / "backup.sqlite3"
    assert cli.main(["backup", str(destination)]) == 0
    assert str(destination) in capsys.readouterr().out
    data = destination.read_bytes()
    assert b"SQLite format 3" not in data
    assert NAME.encode() not in data
    with closing(sqlite3.connect(destination)) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT name FROM clinicians").fetchall()
    url = f"sqlite+pysqlcipher://:{KEY.replace(' ', '%20')}@/{destination.as_posix()}"
    assert names_in(url) == [NAME]


def test_an_existing_destination_exits_2_and_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store()
    destination = tmp_path / "backup.sqlite3"
    destination.write_bytes(b"last week's backup")
    assert cli.main(["backup", str(destination)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert destination.read_bytes() == b"last week's backup"


def test_a_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_store()
    assert cli.main(["backup", str(tmp_path / "no-such-folder" / "backup.sqlite3")]) == 2
    assert "no-such-folder" in capsys.readouterr().err


def test_no_database_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["backup", str(tmp_path / "backup.sqlite3")]) == 1
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "backup.sqlite3").exists()


def test_backup_needs_a_destination() -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["backup"])
    assert raised.value.code == 2


@pytest.mark.usefixtures("encrypted")
def test_a_missing_key_stops_backup_and_verify_with_where_to_put_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store()
    monkeypatch.delenv(DATABASE_KEY_ENV)
    assert cli.main(["backup", str(tmp_path / "backup.sqlite3")]) == 1
    assert DATABASE_KEY_ENV in capsys.readouterr().err
    assert not (tmp_path / "backup.sqlite3").exists()
    paths.audit_key_file().write_text("00" * 32 + "\n", encoding="ascii")
    monkeypatch.setenv("CONSULT_AID_PASSWORD", "any: the database is not opened")
    assert cli.main(["verify", "--user", "anna"]) == 1
    assert DATABASE_KEY_ENV in capsys.readouterr().err


@pytest.mark.usefixtures("encrypted")
def test_a_wrong_key_stops_backup_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_store()
    before = source.read_bytes()
    monkeypatch.setenv(DATABASE_KEY_ENV, "not the key")
    assert cli.main(["backup", str(tmp_path / "backup.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "could not be opened with this key" in err
    assert "not the key" not in err
    assert source.read_bytes() == before
    assert not (tmp_path / "backup.sqlite3").exists()


@pytest.mark.usefixtures("encrypted")
def test_the_window_reports_a_missing_key_and_creates_no_plain_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DATABASE_KEY_ENV)
    with pytest.raises(DatabaseKeyError, match=DATABASE_KEY_ENV):
        services_factory(None)()
    assert not (paths.data_dir() / "consult-aid.sqlite3").exists()
