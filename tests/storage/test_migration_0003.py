"""Migration 0003: audit rows from a database at 0002 are kept, and signed on first use."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.storage.database import alembic_config
from tests.signing_in import verifier_access

KEY = b"k" * 32


def test_events_from_before_the_chain_are_signed_and_verify(db_url: str, db_path: Path) -> None:
    engine = create_engine(db_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    engine.dispose()
    with closing(sqlite3.connect(db_path)) as db, db:
        db.execute(
            "INSERT INTO clinicians (id, name, role, gmc_number, hospital, created_at, "
            "updated_at) VALUES (1, 'A', 'Spinal fellow', '1234567', 'H', "
            "'2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
        )
        db.execute(
            "INSERT INTO audit_log (at, clinician_id, action, entity, entity_id, detail) "
            "VALUES ('2025-01-01 00:00:00.000000', NULL, 'clinician.create', 'clinician', '1', "
            "'{}')"
        )
    services = open_services(db_url, procedures_dir(), audit_key=KEY)
    try:
        # The profile from before accounts acts with a role given here by hand:
        # what is tested is the chain over the old events, not the sign-in.
        verifier_access(services.access, person_id=1)
        services.audit.record_export(1, "records CSV", 0)
        report = services.audit.verify()
    finally:
        services.close()
    assert report.ok, report.problem
    assert report.events_checked == 2
    with closing(sqlite3.connect(db_path)) as db:
        macs = db.execute("SELECT mac FROM audit_log ORDER BY id").fetchall()
    assert all(mac is not None for (mac,) in macs)
