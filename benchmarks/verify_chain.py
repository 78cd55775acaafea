"""Time ``consult-aid verify`` over a large store: many consultations, millions of audit events.

The store is filled by bulk inserts, signing each event as the application
does (the same mac function over the same stored text), and sealing every
full block as the application seals it, so that the timing is of the real
check: every sealed block hashed against its seal (the unsealed tail event by
event), once in one process and once on every core.
Finalised records are left out of the bulk store (their PDFs would take hours
to build); the cost of ``--deep`` (recomputing one record's fingerprint) is
timed separately on a real finalised record.

Usage: python benchmarks/verify_chain.py [CONSULTATIONS] [FOLDER]
"""

# The bulk inserts interpolate one fixed timestamp constant, never outside input.
# ruff: noqa: S608

from __future__ import annotations

import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.storage.audit_chain import event_mac, head_mac, row_digest
from consult_aid.storage.audit_seals import seal_due
from consult_aid.storage.audit_verify import check_store
from consult_aid.storage.database import Database

KEY = bytes(range(32))
BENCH_PASSWORD = "benchmark plateau vertebra lantern 42"  # noqa: S105 - a throwaway store's
CHANGES_PER_CONSULTATION = 30  # created, ~22 topics, notes, details, ended
_json = json.JSONEncoder(separators=(", ", ": ")).encode


def build(path: Path, consultations: int) -> int:
    """Fill a migrated store at ``path``; returns the number of audit events."""
    services = open_services(f"sqlite:///{path.as_posix()}", procedures_dir(), audit_key=KEY)
    services.close()
    rng = random.Random(1)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    stamp = "2025-01-01 00:00:00.000000"
    db.execute(
        "INSERT INTO clinicians (id, name, role, gmc_number, hospital, created_at, updated_at) "
        f"VALUES (1, 'A', 'Spinal fellow', '1234567', 'H', '{stamp}', '{stamp}')"
    )
    db.execute(
        "INSERT INTO patients (id, nhs_number, name, search_key, date_of_birth, hospital_number, "
        f"leaflet_format, created_at, created_by, updated_at, updated_by) VALUES (1, '9990000018', "
        f"'P', 'p', '1941-03-14', '', 'standard', '{stamp}', 1, '{stamp}', 1)"
    )
    db.execute(
        "INSERT INTO pack_snapshots VALUES ('h', 'balloon-kyphoplasty', '1', '', ?)", (stamp,)
    )
    previous, event_id, change_id = "", 0, 0
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for cid in range(1, consultations + 1):
        db.execute(
            "INSERT INTO consultations (id, patient_id, clinician_id, pack_id, pack_version, "
            "pack_hash, variant_id, started_at) VALUES (?, 1, 1, 'balloon-kyphoplasty', '1', "
            "'h', 'balloon', ?)",
            (cid, stamp),
        )
        changes, events = [], []
        for seq in range(1, CHANGES_PER_CONSULTATION + 1):
            change_id += 1
            event_id += 1
            at = (start + timedelta(seconds=cid * 100 + seq)).strftime("%Y-%m-%d %H:%M:%S.%f")
            value = _json({"state": rng.choice(["discussed", "declined"]), "reason": ""})
            change = (change_id, cid, seq, "topic_state", f"topic-{seq}", value, at, 1)
            changes.append(change)
            event = (
                event_id,
                at,
                1,
                "workstation-1",
                "consultation.topic_state",
                "consultation",
                str(cid),
                seq,
                _json({"seq": seq, "key": f"topic-{seq}"}),
                _json({"state": "not_addressed", "reason": ""}),
                value,
                row_digest(change),
            )
            previous = event_mac(KEY, event, previous)
            events.append((*event, previous))
        db.executemany("INSERT INTO consultation_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", changes)
        db.executemany(
            "INSERT INTO audit_log (id, at, clinician_id, workstation, action, entity, entity_id, "
            "record_version, detail, old_value, new_value, row_digest, mac) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
    db.execute("COMMIT")
    db.close()
    # Sealed as the application seals (every full block, checked first), then the head.
    store = Database.open(f"sqlite:///{path.as_posix()}")
    try:
        with store.engine.begin() as connection:
            seals = 0
            while (sealed := seal_due(connection, KEY)) > seals:
                seals = sealed
            connection.execute(
                text(
                    "INSERT INTO audit_chain (id, event_count, last_event_id, last_mac, "
                    "head_mac, seal_count) VALUES (1, :n, :n, :mac, :head, :seals)"
                ),
                {
                    "n": event_id,
                    "mac": previous,
                    "head": head_mac(KEY, event_id, event_id, previous, seals),
                    "seals": seals,
                },
            )
    finally:
        store.close()
    return event_id


def time_fingerprint(folder: Path) -> float:
    """Seconds to recompute one finalised record's fingerprint (a real record, in full)."""
    from consult_aid.domain.access import Role
    from consult_aid.domain.consultation import Detail, TopicState
    from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft

    path = folder / "one-record.sqlite3"
    path.unlink(missing_ok=True)
    services = open_services(f"sqlite:///{path.as_posix()}", procedures_dir(), audit_key=KEY)
    try:
        # The first account signs in; it holds every role, so it may record and verify.
        profile = ClinicianDraft("A", ClinicianRole.CONSULTANT_SURGEON, "1234567", "H")
        by = services.accounts.create_first_administrator(
            profile, "bench", BENCH_PASSWORD, frozenset(Role)
        ).person.id
        who = services.patients.add(PatientDraft("P", date(1941, 3, 14), "9990000018"), by)
        view = services.consultations.start(who.id, by, "balloon-kyphoplasty", "balloon")
        for topic in view.pack.topics_for("balloon"):
            services.consultations.set_topic_state(
                view.header.id, topic.id, TopicState.DISCUSSED, "", by
            )
        for detail, value in ((Detail.LEVELS, "L1"), (Detail.CAPACITY, "presumed")):
            services.consultations.set_detail(view.header.id, detail, value, by)
        services.consultations.set_detail(view.header.id, Detail.DECISION, "proceed", by)
        services.consultations.finalise(view.header.id, by)
        services.audit.verify(deep=True)  # warm: the pack is parsed and cached once
        began = time.perf_counter()
        report = services.audit.verify(deep=True)
        assert report.ok, report.problem
        return time.perf_counter() - began
    finally:
        services.close()


def main() -> None:
    """Build the store, then time the full check."""
    consultations = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    path = folder / "verify-bench.sqlite3"
    path.unlink(missing_ok=True)
    began = time.perf_counter()
    events = build(path, consultations)
    built = time.perf_counter() - began
    print(
        f"built {consultations:,} consultations, {events:,} audit events and change rows "
        f"in {built:.1f} s ({path.stat().st_size / 1e9:.2f} GB)"
    )
    db = Database.open(f"sqlite:///{path.as_posix()}")
    try:
        for label, parallel in (("one process", False), ("parallel", True)):
            began = time.perf_counter()
            report, _records = check_store(db, KEY, parallel)
            took = time.perf_counter() - began
            assert report.ok, report.problem
            print(
                f"verify ({label}): {report.events_checked:,} events checked in {took:.2f} s "
                f"({report.events_checked / took:,.0f} events/s)"
            )
    finally:
        db.close()
    print(
        f"one finalised record's fingerprint recomputed (with the chain) in "
        f"{time_fingerprint(folder) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
