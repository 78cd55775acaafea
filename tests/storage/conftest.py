"""Fixtures for the storage tests: a fresh SQLite file per test, always closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from consult_aid.storage.database import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database file goes (not created yet)."""
    return tmp_path / "consult-aid.sqlite3"


@pytest.fixture
def db_url(db_path: Path) -> str:
    """The SQLite URL of this test's database file."""
    return f"sqlite:///{db_path.as_posix()}"


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An open, migrated database, closed after the test."""
    db = Database.open(db_url)
    try:
        yield db
    finally:
        db.close()
