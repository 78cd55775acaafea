"""The engine's per-connection settings, sessions, and UTC datetimes on the way in and out."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import StatementError

from consult_aid.storage.database import BUSY_TIMEOUT_MS, Database
from consult_aid.storage.models import ClinicianRow


def _pragma(connection: Connection, name: str) -> object:
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_connection_is_durable_and_checks_foreign_keys(database: Database) -> None:
    # Several connections held at once, so each is a separate one from the pool.
    with ExitStack() as stack:
        connections = [stack.enter_context(database.engine.connect()) for _ in range(3)]
        for connection in connections:
            assert _pragma(connection, "journal_mode") == "wal"
            assert _pragma(connection, "synchronous") == 2  # FULL
            assert _pragma(connection, "foreign_keys") == 1
            assert _pragma(connection, "busy_timeout") == BUSY_TIMEOUT_MS


def _clinician(at: datetime) -> ClinicianRow:
    return ClinicianRow(
        name="Anna Rahman",
        role="Spinal fellow",
        gmc_number="1234567",
        hospital="City Hospital",
        created_at=at,
        updated_at=at,
    )


def test_datetimes_are_stored_and_read_back_as_aware_utc(database: Database) -> None:
    summer_in_london = datetime(2025, 7, 1, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    with database.session() as session, session.begin():
        session.add(_clinician(summer_in_london))
    with database.session() as session, session.begin():
        row = session.scalars(select(ClinicianRow)).one()
    assert row.created_at.tzinfo is UTC
    assert row.created_at == summer_in_london
    assert row.created_at.hour == 13


def test_a_naive_datetime_is_refused(database: Database) -> None:
    with database.session() as session, session.begin():
        session.add(_clinician(datetime(2025, 7, 1, 14, 30)))
        with pytest.raises(StatementError, match="naive datetime"):
            session.flush()
        session.rollback()


def _fail_after_adding_a_clinician(database: Database) -> None:
    with database.session() as session, session.begin():
        session.add(_clinician(datetime.now(UTC)))
        session.flush()
        raise RuntimeError("the power went")


def test_a_failed_transaction_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError, match="the power went"):
        _fail_after_adding_a_clinician(database)
    with database.session() as session, session.begin():
        assert session.scalars(select(ClinicianRow)).all() == []


def _other_writer_can_start(database: Database) -> bool:
    """Whether a second, independent connection can take the write lock right now."""
    path = database.engine.url.database
    assert path is not None
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as other:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        other.execute("ROLLBACK")
        return True


def test_a_write_session_takes_the_write_lock_and_a_read_session_does_not(
    database: Database,
) -> None:
    with database.session() as session, session.begin():
        session.scalars(select(ClinicianRow)).all()
        assert _other_writer_can_start(database)
    with database.write_session() as session, session.begin():
        session.scalars(select(ClinicianRow)).all()
        assert not _other_writer_can_start(database)
    assert _other_writer_can_start(database)
