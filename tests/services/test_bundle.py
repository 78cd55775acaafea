"""open_services: one database under every service, or a clear DatabaseError."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.storage.database import DatabaseError


def test_the_services_share_one_database_and_close_it(db_url: str) -> None:
    bundle = open_services(db_url, procedures_dir())
    try:
        assert bundle.db.url == db_url
        assert [p.id for p in bundle.library.available()] == ["balloon-kyphoplasty"]
    finally:
        bundle.close()


def test_a_database_that_cannot_be_opened_raises_database_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("Clinic list for Tuesday\n" * 50, encoding="utf-8")
    with pytest.raises(DatabaseError, match="not a database"):
        open_services(f"sqlite:///{not_a_db.as_posix()}", procedures_dir())
