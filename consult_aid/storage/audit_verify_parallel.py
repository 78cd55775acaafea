"""A fast, parallel proof that the audit chain and the change log are intact, for SQLite files.

The audit_log id range is cut into one contiguous range per core. Each worker
process opens the file read-only and recomputes the macs of its range,
starting from the stored mac of the event just before it, so the ranges
together check every link exactly as one pass in id order would. The same
worker pairs its range's change events with the change rows: the application
writes a change row and its event in one transaction, so in id order they
line up one for one, and each row's digest is compared with its event's.

SQLite builds each row's canonical JSON (``json_array``), which saves the
Python objects per column that dominate the cost. Its text is only trusted
when it can equal Python's for the same values (no REAL or BLOB column: SQLite
prints reals with fewer digits, so two reals could share one text); any row
whose SQLite text does not give the stored mac or digest is rechecked with the
Python encoding before it counts as a mismatch.

This path only ever answers "all intact" or "not proven": on anything
unexpected (a bad mac, an unpaired change, a seam that does not join) the
caller runs the exact sequential check, which names the first bad event or
record. So a tampered store is reported exactly as before, and a clean one
is never flagged by this path.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import multiprocessing
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consult_aid.storage.audit_chain import (
    CHANGE_FIELDS,
    EVENT_FIELDS,
    SELECT_CHANGES,
    SELECT_EVENTS,
    encode_json,
)

BATCH = 20_000
# Below this many events, starting processes costs more than it saves.
MIN_EVENTS = 200_000


def _json_sql(fields: tuple[str, ...]) -> str:
    quoted = [f'"{name}"' for name in fields]
    unsafe = " OR ".join(f"typeof({name}) IN ('real', 'blob')" for name in quoted)
    return f"CASE WHEN {unsafe} THEN NULL ELSE json_array({', '.join(quoted)}) END"


# id, json, mac, entity, entity_id, record_version, row_digest, action, detail, at, by, new_value
_EVENTS = (
    f"SELECT id, {_json_sql(EVENT_FIELDS)}, mac, entity, entity_id, record_version, "  # noqa: S608
    "row_digest, action, detail, at, clinician_id, new_value "
    "FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id"
)
_CHANGES = (
    f"SELECT id, {_json_sql(CHANGE_FIELDS)}, consultation_id, seq "  # noqa: S608
    "FROM consultation_changes WHERE id >= ? ORDER BY id"
)


@dataclass(frozen=True, slots=True)
class RangeResult:
    """One worker's findings over one id range of the audit log."""

    intact: bool
    count: int
    last_id: int
    last_mac: str
    first_change_id: int | None
    last_change_id: int | None
    changes: int
    addenda: dict[int, tuple[str, str]]
    finalised: dict[int, tuple[Any, Any, Any]]


@dataclass(frozen=True, slots=True)
class FastResult:
    """The parallel pass's proof: the chain and change log are intact, and what events said."""

    count: int
    last_id: int
    last_mac: str
    addenda: dict[int, tuple[str, str]]
    finalised: dict[int, tuple[Any, Any, Any]]


def _keyed(key: bytes) -> tuple[Any, Any]:
    # HMAC-SHA256 by hand from precomputed inner and outer states: copying a
    # primed hash object is far cheaper per event than keying a new HMAC.
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner.copy, outer.copy


def check_range(path: str, key: bytes, lo: int, hi: int) -> RangeResult:
    """Check events ``lo``..``hi`` and pair their change events with the change rows."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        db.execute("BEGIN")
        return _check(db, key, lo, hi)
    finally:
        db.close()


def _check(db: sqlite3.Connection, key: bytes, lo: int, hi: int) -> RangeResult:
    before = db.execute(
        "SELECT id, mac FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (lo,)
    ).fetchone()
    last_id, previous = (before[0], before[1]) if before else (0, "")
    inner, outer = _keyed(key)
    sha256 = hashlib.sha256
    addenda: dict[int, tuple[str, str]] = {}
    finalised: dict[int, tuple[Any, Any, Any]] = {}
    changes: Any = None
    first_change = last_change = None
    paired = count = 0

    def failed() -> RangeResult:
        return RangeResult(False, count, last_id, previous, None, None, 0, {}, {})

    events = db.execute(_EVENTS, (lo, hi))
    while batch := events.fetchmany(BATCH):
        for row in batch:
            event_id, body, mac = row[0], row[1], row[2]
            if body is None:
                body = encode_json(_stored(db, SELECT_EVENTS, event_id)[:-1])
            i = inner()
            i.update(body.encode("utf-8"))
            i.update(previous.encode("ascii"))
            o = outer()
            o.update(i.digest())
            if o.hexdigest() != mac and _python_mac(db, key, event_id, previous) != mac:
                return failed()
            previous, last_id = mac, event_id
            count += 1
            digest = row[6]
            if digest is None:
                if row[7] == "consultation.finalise":
                    finalised[int(row[4])] = (row[9], row[10], row[11])
                continue
            if row[3] == "addendum":
                addenda[int(row[4])] = (digest, row[8])
                continue
            if row[3] != "consultation":
                continue
            if changes is None:
                start = db.execute(
                    "SELECT id FROM consultation_changes WHERE consultation_id = ? AND seq = ?",
                    (int(row[4]), row[5]),
                ).fetchone()
                if start is None:
                    return failed()
                changes = db.cursor().execute(_CHANGES, (start[0],))
                first_change = start[0]
            change = changes.fetchone()
            if change is None or (change[2], change[3]) != (int(row[4]), row[5]):
                return failed()
            text = change[1]
            if text is None or sha256(text.encode("utf-8")).hexdigest() != digest:
                fields = _stored(db, SELECT_CHANGES, change[0])
                if sha256(encode_json(fields).encode("utf-8")).hexdigest() != digest:
                    return failed()
            last_change = change[0]
            paired += 1
    return RangeResult(
        True, count, last_id, previous, first_change, last_change, paired, addenda, finalised
    )


def _python_mac(db: sqlite3.Connection, key: bytes, event_id: int, previous: str) -> str:
    # SQLite's JSON differs from Python's in a few spellings (reals, some escapes):
    # before calling a row bad, sign it exactly as the application did.
    fields = _stored(db, SELECT_EVENTS, event_id)[:-1]
    body = encode_json(fields).encode("utf-8") + previous.encode("ascii")
    return hmac.digest(key, body, "sha256").hex()


def _stored(db: sqlite3.Connection, select: str, row_id: int) -> tuple[Any, ...]:
    return tuple(db.execute(f"{select} WHERE id = ?", (row_id,)).fetchone())


def fast_check(path: str, key: bytes, workers: int | None = None) -> FastResult | None:
    """Prove the chain and change log intact in parallel, or None when not proven."""
    with sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True) as db:
        lo, hi = db.execute("SELECT min(id), max(id) FROM audit_log").fetchone()
        total_changes = db.execute("SELECT count(*) FROM consultation_changes").fetchone()[0]
    if lo is None:
        return None
    n = max(1, min(workers or os.cpu_count() or 1, hi - lo + 1))
    step = -(-(hi - lo + 1) // n)
    ranges = [(path, key, start, min(start + step - 1, hi)) for start in range(lo, hi + 1, step)]
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with multiprocessing.get_context(method).Pool(len(ranges)) as pool:
        results = pool.starmap(check_range, ranges)
    return _combine(results, total_changes)


def _combine(results: list[RangeResult], total_changes: int) -> FastResult | None:
    if not all(result.intact for result in results):
        return None
    spans = [
        (r.first_change_id, r.last_change_id or 0) for r in results if r.first_change_id is not None
    ]
    # The ranges' change rows must follow on without overlap and cover the table.
    for before, after in itertools.pairwise(spans):
        if after[0] <= before[1]:
            return None
    if sum(r.changes for r in results) != total_changes:
        return None
    addenda: dict[int, tuple[str, str]] = {}
    finalised: dict[int, tuple[Any, Any, Any]] = {}
    for result in results:
        addenda.update(result.addenda)
        finalised.update(result.finalised)
    last = results[-1]
    return FastResult(
        sum(r.count for r in results), last.last_id, last.last_mac, addenda, finalised
    )
