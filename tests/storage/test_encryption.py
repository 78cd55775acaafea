"""Encryption at rest: an SQLCipher file opens with its key, refuses any other, hides its data."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from contextlib import ExitStack, closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from consult_aid.storage.database import BUSY_TIMEOUT_MS, Database, DatabaseError
from consult_aid.storage.encryption import keyed_url
from consult_aid.storage.models import ClinicianRow, PatientRow

KEY = "correct horse battery staple"
PATIENT = "Margaret Hughes"
CLINICIAN = "Anna Rahman"


def encrypted_url(path: Path, key: str = KEY) -> str:
    """The SQLCipher URL of ``path`` with ``key``, as text (the form the app passes on)."""
    return keyed_url(f"sqlite:///{path.as_posix()}", key).render_as_string(hide_password=False)


def add_patient(db: Database, name: str = PATIENT) -> None:
    """Store a clinician and a patient the way the storage layer does, in one transaction."""
    now = datetime.now(UTC)
    with db.write_session() as session, session.begin():
        clinician = ClinicianRow(
            name=CLINICIAN,
            role="Consultant spinal surgeon",
            gmc_number="1234567",
            hospital="City Hospital",
            created_at=now,
            updated_at=now,
        )
        session.add(clinician)
        session.flush()
        session.add(
            PatientRow(
                nhs_number="9990000018",
                name=name,
                search_key=name.lower(),
                date_of_birth=date(1941, 3, 14),
                hospital_number="H123",
                created_at=now,
                created_by=clinician.id,
                updated_at=now,
                updated_by=clinician.id,
            )
        )


def patient_names(db: Database) -> list[str]:
    with db.session() as session, session.begin():
        return list(session.scalars(select(PatientRow.name)))


def snapshot(path: Path) -> tuple[str, int, list[str]]:
    """The file's digest and modification time, and what else is in its folder."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def encrypted_store(db_path: Path) -> Path:
    """An encrypted database file holding one patient, closed."""
    db = Database.open(encrypted_url(db_path), b"k" * 32)
    try:
        add_patient(db)
    finally:
        db.close()
    return db_path


def test_a_new_encrypted_database_opens_again_with_its_key(encrypted_store: Path) -> None:
    db = Database.open(encrypted_url(encrypted_store))
    try:
        assert patient_names(db) == [PATIENT]
        with db.engine.connect() as connection:
            version = connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        assert version  # SQLCipher, not plain SQLite, is underneath
    finally:
        db.close()


def _pragma(connection: Connection, name: str) -> object:
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_encrypted_connection_is_durable_and_separate(db_path: Path) -> None:
    db = Database.open(encrypted_url(db_path))
    try:
        with ExitStack() as stack:
            connections = [stack.enter_context(db.engine.connect()) for _ in range(3)]
            for connection in connections:
                assert _pragma(connection, "journal_mode") == "wal"
                assert _pragma(connection, "synchronous") == 2  # FULL
                assert _pragma(connection, "foreign_keys") == 1
                assert _pragma(connection, "busy_timeout") == BUSY_TIMEOUT_MS
            # Each session gets a connection of its own, as with a plain file.
            raw = {id(connection.connection.dbapi_connection) for connection in connections}
            assert len(raw) == 3
    finally:
        db.close()


def test_the_file_shows_neither_the_sqlite_header_nor_any_name(encrypted_store: Path) -> None:
    files = [p for p in encrypted_store.parent.iterdir() if p.name.startswith(encrypted_store.name)]
    assert encrypted_store in files
    for file in files:
        data = file.read_bytes()
        assert b"SQLite format 3" not in data
        assert PATIENT.encode() not in data
        assert CLINICIAN.encode() not in data
    assert encrypted_store.stat().st_mode & 0o077 == 0  # still private to its owner


def test_plain_sqlite_cannot_read_it(encrypted_store: Path) -> None:
    before = snapshot(encrypted_store)
    with (
        closing(sqlite3.connect(encrypted_store)) as plain,
        pytest.raises(sqlite3.DatabaseError, match="not a database"),
    ):
        plain.execute("SELECT name FROM patients").fetchall()
    assert snapshot(encrypted_store)[0] == before[0]


def test_a_wrong_key_is_refused_clearly_and_changes_nothing(
    encrypted_store: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    wrong = "Tr0ub4dor&3-wrong-key"
    before = snapshot(encrypted_store)
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(DatabaseError, match="could not be opened with this key") as raised,
    ):
        Database.open(encrypted_url(encrypted_store, wrong))
    message = str(raised.value)
    assert str(encrypted_store) in message
    assert "Nothing was changed" in message
    assert wrong not in message
    assert KEY not in message
    assert wrong not in caplog.text
    # SQLCipher's own "hmac check failed" lines are kept off the terminal.
    assert "hmac" not in capfd.readouterr().err
    assert snapshot(encrypted_store) == before
    db = Database.open(encrypted_url(encrypted_store))
    try:
        assert patient_names(db) == [PATIENT]
    finally:
        db.close()


def test_no_key_is_refused_and_creates_nothing(db_path: Path, encrypted_store: Path) -> None:
    before = snapshot(encrypted_store)
    with pytest.raises(DatabaseError, match="no key was given"):
        Database.open(f"sqlite+pysqlcipher:///{encrypted_store.as_posix()}")
    assert snapshot(encrypted_store) == before
    new = db_path.parent / "new.sqlite3"
    with pytest.raises(DatabaseError, match="no key was given"):
        Database.open(f"sqlite+pysqlcipher:///{new.as_posix()}")
    assert not new.exists()


def test_a_plain_database_is_not_opened_as_an_encrypted_one(db_path: Path) -> None:
    plain = Database.open(f"sqlite:///{db_path.as_posix()}")
    try:
        add_patient(plain)
    finally:
        plain.close()
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="not encrypted"):
        Database.open(encrypted_url(db_path))
    assert snapshot(db_path) == before


def test_an_encrypted_database_is_not_opened_as_a_plain_one(encrypted_store: Path) -> None:
    before = snapshot(encrypted_store)
    with pytest.raises(DatabaseError, match="file is not a database"):
        Database.open(f"sqlite:///{encrypted_store.as_posix()}")
    assert snapshot(encrypted_store)[0] == before[0]


def test_a_key_with_url_characters_survives_the_url(db_path: Path) -> None:
    key = "p@ss:/?#%20 \"word' &x=1"
    url = encrypted_url(db_path, key)
    db = Database.open(url)
    try:
        add_patient(db)
        assert key not in db.url
        assert key not in repr(db.engine)
    finally:
        db.close()
    db = Database.open(url)
    try:
        assert patient_names(db) == [PATIENT]
    finally:
        db.close()
    with pytest.raises(DatabaseError, match="with this key"):
        Database.open(encrypted_url(db_path, key[:-1]))


def test_only_a_sqlite_file_with_a_key_can_be_encrypted() -> None:
    with pytest.raises(DatabaseError, match="SQLite database file only"):
        keyed_url("postgresql+psycopg://clinic/consult", KEY)
    with pytest.raises(DatabaseError, match="SQLite database file only"):
        keyed_url("sqlite://", KEY)
    with pytest.raises(DatabaseError, match="empty"):
        keyed_url("sqlite:///x.sqlite3", "")
