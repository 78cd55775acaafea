"""Migration 0002: from an empty database, and from one at 0001 holding data, to head."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from consult_aid.domain.documents import LeafletFormat
from consult_aid.storage.database import HEAD_REVISION, Database, alembic_config
from consult_aid.storage.models import Base
from consult_aid.storage.patients import PatientRepository


def _sqlite(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection, connection:
        return connection.execute(sql).fetchall()


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def _matches_models(db: Database) -> None:
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION


def test_an_empty_database_reaches_0002_matching_the_models(db_url: str) -> None:
    db = Database.open(db_url)
    try:
        _matches_models(db)
    finally:
        db.close()


def test_a_database_at_0001_keeps_its_patients_who_get_standard_print(
    db_url: str, db_path: Path
) -> None:
    _upgrade_to(db_url, "0001")
    _sqlite(
        db_path,
        "INSERT INTO clinicians (id, name, role, gmc_number, hospital, created_at, updated_at) "
        "VALUES (1, 'A', 'Spinal fellow', '1234567', 'H', '2025-01-01 00:00:00', "
        "'2025-01-01 00:00:00')",
    )
    _sqlite(
        db_path,
        "INSERT INTO patients (id, nhs_number, name, search_key, date_of_birth, hospital_number, "
        "created_at, created_by, updated_at, updated_by) VALUES (7, '9990000018', 'Zoë Ł', "
        "'zoe l', '1941-03-14', 'RX1', '2025-01-01 00:00:00', 1, '2025-01-01 00:00:00', 1)",
    )
    db = Database.open(db_url)
    try:
        _matches_models(db)
        with db.session() as session, session.begin():
            patient = PatientRepository(session).get(7)
    finally:
        db.close()
    assert patient is not None
    assert patient.name == "Zoë Ł"
    assert patient.hospital_number == "RX1"
    assert patient.leaflet_format is LeafletFormat.STANDARD
    assert _sqlite(db_path, "SELECT count(*) FROM document_events") == [(0,)]


def test_0002_goes_down_again_to_0001(db_url: str, db_path: Path) -> None:
    Database.open(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
    finally:
        engine.dispose()
    tables = {row[0] for row in _sqlite(db_path, "SELECT name FROM sqlite_master")}
    columns = {row[1] for row in _sqlite(db_path, "PRAGMA table_info(patients)")}
    assert "document_events" not in tables
    assert "leaflet_format" not in columns
