"""Backups: a consistent, whole copy, as protected as its source, that never replaces a file."""

from __future__ import annotations

import importlib.util
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from consult_aid.storage.backup import BackupError, backup_database
from consult_aid.storage.database import Database, DatabaseError
from consult_aid.storage.models import PatientRow


def _load_helpers() -> ModuleType:
    # Test folders are not packages: load the encryption tests' helpers by path.
    path = Path(__file__).with_name("test_encryption.py")
    spec = importlib.util.spec_from_file_location("encryption_test_helpers", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


helpers = _load_helpers()
PATIENT: str = helpers.PATIENT


def plain_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def leftovers(folder: Path) -> list[str]:
    """Temporary files a backup may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".consult-aid-backup-"))


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_a_plain_database_gives_a_plain_single_file_backup(db_path: Path, backups: Path) -> None:
    db = Database.open(plain_url(db_path))
    try:
        helpers.add_patient(db)
        written = backup_database(db, backups / "copy.sqlite3")
    finally:
        db.close()
    assert written == backups / "copy.sqlite3"
    data = written.read_bytes()
    assert data.startswith(b"SQLite format 3\x00")
    assert data[18:20] == b"\x01\x01"  # rollback journal: the backup is this one file
    assert sorted(p.name for p in backups.iterdir()) == ["copy.sqlite3"]
    assert written.stat().st_mode & 0o077 == 0
    copy = Database.open(plain_url(written))
    try:
        assert helpers.patient_names(copy) == [PATIENT]
    finally:
        copy.close()


def test_an_encrypted_database_gives_a_backup_with_the_same_key(
    db_path: Path, backups: Path
) -> None:
    db = Database.open(helpers.encrypted_url(db_path))
    try:
        helpers.add_patient(db)
        written = backup_database(db, backups / "copy.sqlite3")
    finally:
        db.close()
    data = written.read_bytes()
    assert b"SQLite format 3" not in data
    assert PATIENT.encode() not in data
    with pytest.raises(DatabaseError, match="could not be opened with this key"):
        Database.open(helpers.encrypted_url(written, "not the key"))
    with (
        closing(sqlite3.connect(written)) as plain,
        pytest.raises(sqlite3.DatabaseError, match="not a database"),
    ):
        plain.execute("SELECT name FROM patients").fetchall()
    copy = Database.open(helpers.encrypted_url(written))
    try:
        assert helpers.patient_names(copy) == [PATIENT]
    finally:
        copy.close()


def test_a_closed_encrypted_database_is_backed_up_from_its_url(
    db_path: Path, backups: Path
) -> None:
    db = Database.open(helpers.encrypted_url(db_path))
    try:
        helpers.add_patient(db)
    finally:
        db.close()
    before = helpers.snapshot(db_path)[0]
    written = backup_database(helpers.encrypted_url(db_path), backups / "copy.sqlite3")
    assert helpers.snapshot(db_path)[0] == before
    copy = Database.open(helpers.encrypted_url(written))
    try:
        assert helpers.patient_names(copy) == [PATIENT]
    finally:
        copy.close()


def test_a_wrong_key_writes_no_backup(db_path: Path, backups: Path) -> None:
    db = Database.open(helpers.encrypted_url(db_path))
    db.close()
    with pytest.raises(DatabaseError, match="could not be opened with this key"):
        backup_database(helpers.encrypted_url(db_path, "wrong"), backups / "copy.sqlite3")
    assert list(backups.iterdir()) == []


def test_the_backup_is_one_moment_committed_work_only(db_path: Path, backups: Path) -> None:
    db = Database.open(helpers.encrypted_url(db_path))
    try:
        helpers.add_patient(db)
        with db.write_session() as session, session.begin():
            session.add(_second_patient())
            session.flush()  # written but not committed while the backup runs
            written = backup_database(db, backups / "copy.sqlite3")
        assert sorted(helpers.patient_names(db)) == ["Ann Other", PATIENT]
    finally:
        db.close()
    copy = Database.open(helpers.encrypted_url(written))
    try:
        assert helpers.patient_names(copy) == [PATIENT]
    finally:
        copy.close()


def _second_patient() -> PatientRow:
    now = datetime.now(UTC)
    return PatientRow(
        nhs_number="9990000026",
        name="Ann Other",
        search_key="ann other",
        date_of_birth=date(1950, 1, 2),
        hospital_number="H124",
        created_at=now,
        created_by=1,
        updated_at=now,
        updated_by=1,
    )


def test_an_existing_file_is_never_replaced(database: Database, backups: Path) -> None:
    existing = backups / "copy.sqlite3"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(database, existing)
    assert existing.read_bytes() == b"yesterday's backup"
    assert leftovers(backups) == []


def test_a_missing_folder_is_named(database: Database, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist") as raised:
        backup_database(database, tmp_path / "nowhere" / "copy.sqlite3")
    assert "nowhere" in str(raised.value)


def test_a_missing_database_is_not_created(db_path: Path, backups: Path) -> None:
    with pytest.raises(DatabaseError, match="no database"):
        backup_database(plain_url(db_path), backups / "copy.sqlite3")
    assert not db_path.exists()
    assert list(backups.iterdir()) == []


def test_only_a_sqlite_file_is_backed_up(backups: Path) -> None:
    with pytest.raises(DatabaseError, match="SQLite database file"):
        backup_database("postgresql+psycopg://clinic/consult", backups / "copy.sqlite3")
