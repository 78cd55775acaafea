"""Migrations: head matches the models, reopening is harmless, bad files are refused untouched."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from consult_aid.storage.database import Database, DatabaseError, alembic_config
from consult_aid.storage.models import Base


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run SQL through the standard library, independently of the app's engine."""
    with closing(sqlite3.connect(path)) as connection, connection:
        return connection.execute(sql).fetchall()


def test_an_empty_database_migrated_to_head_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        revision = MigrationContext.configure(connection).get_current_revision()
    assert differences == []
    assert revision == _head()


def test_opening_twice_keeps_the_schema_and_the_data(db_url: str, db_path: Path) -> None:
    Database.open(db_url).close()
    _sqlite(
        db_path,
        "INSERT INTO clinicians (name, role, gmc_number, hospital, created_at, updated_at) "
        "VALUES ('A', 'Spinal fellow', '1234567', 'H', '2025-01-01 00:00:00', "
        "'2025-01-01 00:00:00')",
    )
    tables_before = sorted(r[0] for r in _sqlite(db_path, "SELECT name FROM sqlite_master"))
    again = Database.open(db_url)
    try:
        tables_after = sorted(inspect(again.engine).get_table_names())
    finally:
        again.close()
    assert _sqlite(db_path, "SELECT version_num FROM alembic_version") == [(_head(),)]
    assert _sqlite(db_path, "SELECT name FROM clinicians") == [("A",)]
    assert set(tables_after) <= set(tables_before)
    assert "patients" in tables_after


def test_a_file_that_is_not_a_database_is_refused_and_left_unchanged(db_path: Path) -> None:
    original = b"Dear Dr Rahman,\nthis is a letter, not a database.\n" * 40
    db_path.write_bytes(original)
    with pytest.raises(DatabaseError) as caught:
        Database.open(f"sqlite:///{db_path.as_posix()}")
    assert "not a database" in str(caught.value)
    assert db_path.name in str(caught.value)
    assert db_path.read_bytes() == original


def test_a_database_from_a_newer_version_is_refused_clearly(db_url: str, db_path: Path) -> None:
    Database.open(db_url).close()
    _sqlite(db_path, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        Database.open(db_url)
    message = str(caught.value)
    assert "newer version" in message
    assert "9999_from_the_future" in message
    assert db_path.read_bytes() == before
    assert _sqlite(db_path, "SELECT version_num FROM alembic_version") == [
        ("9999_from_the_future",)
    ]


def test_a_migration_that_fails_half_way_changes_nothing(db_path: Path) -> None:
    # Another program's database that happens to hold a "patients" table: the
    # first tables of the migration are created before the clash is found.
    _sqlite(db_path, "CREATE TABLE patients (id INTEGER PRIMARY KEY, who TEXT)")
    with pytest.raises(DatabaseError):
        Database.open(f"sqlite:///{db_path.as_posix()}")
    tables = sorted(r[0] for r in _sqlite(db_path, "SELECT name FROM sqlite_master"))
    assert tables == ["patients"]


def test_an_unusable_url_is_refused_with_the_password_hidden(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as missing_folder:
        Database.open(f"sqlite:///{(tmp_path / 'no-such-folder' / 'x.sqlite3').as_posix()}")
    assert "no-such-folder" in str(missing_folder.value)
    with pytest.raises(DatabaseError, match="not a valid database URL"):
        Database.open("this is not a url")
    with pytest.raises(DatabaseError) as unknown_driver:
        Database.open("nosuchdb://clinic:s3cret-pass@db.example/consult")
    assert "s3cret-pass" not in str(unknown_driver.value)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_new_database_file_is_readable_by_its_owner_only(
    database: Database, db_path: Path
) -> None:
    assert db_path.stat().st_mode & 0o077 == 0


def test_the_head_constant_is_alembics_head() -> None:
    from consult_aid.storage.database import HEAD_REVISION

    assert _head() == HEAD_REVISION


def test_a_database_at_head_opens_without_importing_alembic(db_url: str, tmp_path: Path) -> None:
    Database.open(db_url).close()  # creates and migrates it
    probe = (
        "import sys\n"
        "from consult_aid.storage.database import Database\n"
        f"Database.open({db_url!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
