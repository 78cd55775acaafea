"""The fast verify passes (in this process, and in worker processes) agree with the exact check.

Stores are written straight into SQLite and signed as the application signs
(event_mac over the fields as the driver reads them back), so that values the
application would rarely write can be placed exactly: a REAL that SQLite
prints like another, text that SQLite's JSON spells differently from
Python's, a BLOB. Every report must be the exact check's: the same event or
record named, the same counts.
"""

# The tamperings build SQL from fixed column names.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from consult_aid.storage.audit_chain import SELECT_EVENTS, event_mac, head_mac, row_digest
from consult_aid.storage.audit_verify import VerifyReport, check_store
from consult_aid.storage.audit_verify_parallel import fast_check, prove_file
from consult_aid.storage.database import Database

KEY = bytes(range(32))
STAMP = "2025-01-01 00:00:00.000000"
CONSULTATIONS = 40
CHANGES = 6


def _build(path: Path, odd: dict[int, dict[str, Any]] | None = None) -> None:
    """A migrated store of consultations, their change logs and one signed event per change.

    ``odd``: for some change numbers (1-based, in id order), event fields to store instead.
    """
    Database.open(f"sqlite:///{path.as_posix()}").close()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO clinicians (id, name, role, gmc_number, hospital, created_at, "
            f"updated_at) VALUES (1, 'A', 'Spinal fellow', '1234567', 'H', '{STAMP}', '{STAMP}')"
        )
        db.execute(
            "INSERT INTO patients (id, nhs_number, name, search_key, date_of_birth, "
            "hospital_number, leaflet_format, created_at, created_by, updated_at, updated_by) "
            f"VALUES (1, '9990000018', 'P', 'p', '1941-03-14', '', 'standard', '{STAMP}', 1, "
            f"'{STAMP}', 1)"
        )
        db.execute("INSERT INTO pack_snapshots VALUES ('h', 'p', '1', '', ?)", (STAMP,))
        number = 0
        for cid in range(1, CONSULTATIONS + 1):
            db.execute(
                "INSERT INTO consultations (id, patient_id, clinician_id, pack_id, pack_version, "
                "pack_hash, variant_id, started_at) VALUES (?, 1, 1, 'p', '1', 'h', 'v', ?)",
                (cid, STAMP),
            )
            for seq in range(1, CHANGES + 1):
                number += 1
                value = '{"state": "discussed", "reason": ""}'
                change = (number, cid, seq, "topic_state", f"t-{seq}", value, STAMP, 1)
                db.execute(
                    "INSERT INTO consultation_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", change
                )
                fields = {
                    "id": number,
                    "at": STAMP,
                    "clinician_id": 1,
                    "workstation": "w",
                    "action": "consultation.topic_state",
                    "entity": "consultation",
                    "entity_id": str(cid),
                    "record_version": seq,
                    "detail": f'{{"seq": {seq}}}',
                    "old_value": "null",
                    "new_value": value,
                    "row_digest": row_digest(change),
                    **(odd or {}).get(number, {}),
                }
                names = ", ".join(fields)
                marks = ", ".join("?" * len(fields))
                db.execute(
                    f"INSERT INTO audit_log ({names}) VALUES ({marks})", list(fields.values())
                )
        _sign(db)
        db.execute("COMMIT")


def _sign(db: sqlite3.Connection) -> None:
    # Signed as read back, so the macs cover the fields exactly as stored.
    previous, count, last = "", 0, 0
    for row in db.execute(f"{SELECT_EVENTS} ORDER BY id").fetchall():
        previous = event_mac(KEY, tuple(row[:-1]), previous)
        last, count = row[0], count + 1
        db.execute("UPDATE audit_log SET mac = ? WHERE id = ?", (previous, last))
    db.execute("DELETE FROM audit_chain")
    db.execute(
        "INSERT INTO audit_chain (id, event_count, last_event_id, last_mac, head_mac) "
        "VALUES (1, ?, ?, ?, ?)",
        (count, last, previous, head_mac(KEY, count, last, previous)),
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    _build(path)
    return path


def _reports(path: Path) -> Iterator[VerifyReport]:
    """The report of every way of checking: exact-backed in process, and in workers."""
    db = Database.open(f"sqlite:///{path.as_posix()}")
    try:
        for parallel in (False, True, None):
            yield check_store(db, KEY, parallel)[0]
    finally:
        db.close()


def _edit(path: Path, sql: str, *args: Any) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(sql, args)


def test_a_clean_store_is_proven_by_the_fast_pass_every_way(store: Path) -> None:
    events = CONSULTATIONS * CHANGES
    assert set(_reports(store)) == {VerifyReport(True, events, 0)}
    # Proven by the workers themselves (stretches pair their change rows across seams).
    proof = fast_check(str(store), KEY, workers=2)
    assert proof is not None
    assert (proof.count, proof.last_id) == (events, events)


def test_an_edited_event_late_in_the_chain_is_named_as_the_exact_check_names_it(
    store: Path,
) -> None:
    _edit(store, "UPDATE audit_log SET workstation = 'x' WHERE id = 200")
    reports = set(_reports(store))
    assert len(reports) == 1
    (report,) = reports
    assert (report.ok, report.first_bad_event_id, report.events_checked) == (False, 200, 199)
    proof = prove_file(str(store), KEY, workers=2)
    assert proof is not None
    assert proof.broken_at == 200


def test_a_removed_event_is_named_as_missing(store: Path) -> None:
    _edit(store, "DELETE FROM audit_log WHERE id = 150")
    (report,) = set(_reports(store))
    assert report.first_bad_event_id == 150
    assert "missing" in report.problem


def test_an_edited_change_row_names_its_consultation(store: Path) -> None:
    _edit(store, "UPDATE consultation_changes SET key = 'changed' WHERE id = 130")
    (report,) = set(_reports(store))
    assert (report.ok, report.first_bad_record_id) == (False, (130 - 1) // CHANGES + 1)
    assert report.events_checked == CONSULTATIONS * CHANGES


def test_a_real_sqlite_prints_like_the_signed_one_is_still_caught(tmp_path: Path) -> None:
    # JSON columns have NUMERIC affinity: a number stored there is a REAL. SQLite's
    # JSON prints reals with 15 digits, so these two share one text there.
    path = tmp_path / "reals.sqlite3"
    _build(path, odd={100: {"new_value": 0.5}})
    (report,) = set(_reports(path))
    assert report.ok
    # The row holding a REAL is signed again as the application encodes it, and passes.
    assert fast_check(str(path), KEY, workers=2) is not None
    _edit(path, "UPDATE audit_log SET new_value = ? WHERE id = 100", 0.5000000000000001)
    with closing(sqlite3.connect(path)) as db:
        (printed,) = db.execute("SELECT json_array(new_value) FROM audit_log WHERE id = 100")
    assert printed[0] in ("[0.5]", "[0.5000000000000001]")
    (report,) = set(_reports(path))
    assert (report.ok, report.first_bad_event_id) == (False, 100)


def test_text_sqlite_spells_otherwise_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "text.sqlite3"
    odd: dict[int, dict[str, Any]] = {
        7: {"workstation": "tab\there \x7f \u2028 line\nbreak \x1f"},
        90: {"detail": '{"note": "Zoë \\u00e9 \U0001f600 \\" end"}'},
        91: {"old_value": 5},  # NUMERIC affinity: stored as an INTEGER
    }
    _build(path, odd=odd)
    assert {r.ok for r in _reports(path)} == {True}
    assert fast_check(str(path), KEY, workers=2) is not None


def test_a_blob_is_left_to_the_exact_check(tmp_path: Path) -> None:
    path = tmp_path / "blob.sqlite3"
    _build(path)
    _edit(path, "UPDATE audit_log SET workstation = ? WHERE id = 60", b"w")
    (report,) = set(_reports(path))
    assert (report.ok, report.first_bad_event_id) == (False, 60)
    assert prove_file(str(path), KEY, workers=2) is None  # SQLite cannot make its JSON


def test_a_wrong_key_flags_the_first_event(store: Path) -> None:
    db = Database.open(f"sqlite:///{store.as_posix()}")
    try:
        for parallel in (False, True):
            report = check_store(db, b"another key entirely, not ours!", parallel)[0]
            assert (report.ok, report.first_bad_event_id) == (False, 1)
    finally:
        db.close()
