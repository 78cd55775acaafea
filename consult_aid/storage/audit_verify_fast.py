"""A fast pass over one stretch of the audit log in SQLite: every mac, and the change rows.

SQLite builds each row's canonical JSON (``json_array``) and hands it over as
bytes, which saves the Python object per column and the encoding that
dominate the exact check's cost. Its text is only trusted where it cannot
differ from Python's for a different value: a REAL is printed by SQLite with
fewer digits (so two reals could share one text), so a row holding a REAL, or
a mac that is not text, gets an empty body here, which cannot match. A BLOB
makes ``json_array`` fail, and the whole pass with it. Any row whose SQLite
text does not give the stored mac or digest is signed again with the
application's own encoding before it counts as a mismatch; a mismatch found
that way is exact.

Change rows are paired with change events by position: the application
writes a change row and its event in one transaction, so in id order they line
up one for one. A pair is good when the row's digest equals the event's; the
application takes the event's (consultation, seq) from that very row when it
signs it, so an equal digest also proves the row sits under the event's key.
The pass only claims a stretch's changes are paired when every pair is good.

A sealed block (audit_seals) is hashed whole instead: SQLite hands over all its
events' lines as one text and its change rows' as another, and two SHA-256s
against the seal replace a mac per event. No REAL guard is needed there: the
application never stores a REAL, and SQLite never prints one the way it
prints an integer or a string, so a REAL put in by hand cannot hash to a seal.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from consult_aid.storage.audit_chain import (
    CHANGE_FIELDS,
    EVENT_FIELDS,
    SELECT_CHANGES,
    SELECT_EVENTS,
    encode_json,
    row_digest,
)
from consult_aid.storage.audit_seals import CHANGE_EVENT, Seal
from consult_aid.storage.audit_verify_chain import keyed
from consult_aid.storage.audit_verify_report import BATCH, FINALISE, NOTED_FIELDS, Signed
from consult_aid.storage.audit_verify_store import loads

_IN_CHUNK = 500  # ids per IN (...) look-up of the few events that are not plain changes

# The events a finalised record or an addendum is checked against (Signed.note keeps them).
_RARE = (
    f"(row_digest IS NULL AND action = '{FINALISE}') "
    "OR (row_digest IS NOT NULL AND entity <> 'consultation')"
)
# A sealed block as SQLite sees it: its events' lines (json_array gives the text
# lines_digest hashes), the ids of its rare events, and its change rows' lines in
# event order (CROSS JOIN keeps the events as the outer loop, read in id order).
SEALED_EVENTS = (
    "SELECT count(*), CAST(group_concat(json_array("
    + ", ".join(f'"{name}"' for name in (*EVENT_FIELDS, "mac"))
    + f"), char(10)) AS BLOB), group_concat(CASE WHEN {_RARE} THEN id END) "
    "FROM audit_log WHERE id BETWEEN ? AND ?"
)
SEALED_CHANGES = (
    "SELECT count(*), CAST(group_concat(json_array("
    + ", ".join(f'c."{name}"' for name in CHANGE_FIELDS)
    + "), char(10)) AS BLOB), min(c.id), max(c.id) "
    "FROM audit_log a CROSS JOIN consultation_changes c "
    "ON c.consultation_id = CAST(a.entity_id AS INTEGER) AND c.seq = a.record_version "
    f"WHERE a.id BETWEEN ? AND ? AND {CHANGE_EVENT}"
)
# The same, for a block whose change rows are a run of ids: read by id, no look-ups.
SEALED_CHANGE_RUN = (
    "SELECT count(*), CAST(group_concat(json_array("  # noqa: S608 - fixed names
    + ", ".join(f'"{name}"' for name in CHANGE_FIELDS)
    + "), char(10)) AS BLOB), min(id), max(id) FROM consultation_changes WHERE id BETWEEN ? AND ?"
)


@dataclass(frozen=True, slots=True)
class RangeResult:
    """One stretch of the audit log, checked.

    Attributes:
        lo, hi: the id range asked for.
        count: events whose mac matched (before ``broken_at``, if any).
        last_id, last_mac: the last event that matched (or the one before the range).
        broken_at: the first event whose mac does not match (exact), or None.
        paired: every change event of the range has its change row, digest equal.
        first_change_id, last_change_id, changes: the change rows paired.
        signed: what the range's addendum and finalise events vouch for.
    """

    lo: int
    hi: int
    count: int
    last_id: int
    last_mac: str
    broken_at: int | None = None
    paired: bool = False
    first_change_id: int | None = None
    last_change_id: int | None = None
    changes: int = 0
    signed: Signed = field(default_factory=Signed)


@dataclass(frozen=True, slots=True)
class Queries:
    """The pass's SQL for one database (its guards follow the columns' declared types).

    Attributes:
        sealed_events, sealed_changes: a sealed block's rows hashed as one text each.
    """

    events: str
    changes: str
    sealed_events: str = SEALED_EVENTS
    sealed_changes: str = SEALED_CHANGES
    sealed_change_run: str = SEALED_CHANGE_RUN


def queries(db: Any) -> Queries:
    """Build the pass's SQL for the tables as they are declared in ``db``."""
    columns = ", ".join(f'"{name}"' for name in EVENT_FIELDS)
    guard = [*_reals(db, "audit_log", EVENT_FIELDS), "typeof(mac) <> 'text'"]
    # A plain change event gives its digest; the rarer events the signed facts
    # depend on (addenda, finalising, any other digest) give their id, read in full later.
    tag = (
        f"CASE WHEN row_digest IS NULL THEN (CASE WHEN action = '{FINALISE}' THEN id END) "
        "WHEN entity = 'consultation' THEN row_digest ELSE id END"
    )
    events = (
        f"SELECT id, CASE WHEN {' OR '.join(guard)} THEN X'' "  # noqa: S608 - fixed names
        f"ELSE CAST(json_array({columns}) AS BLOB) END, CAST(mac AS BLOB), {tag} "
        "FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id"
    )
    change_columns = ", ".join(f'"{name}"' for name in CHANGE_FIELDS)
    change_guard = _reals(db, "consultation_changes", CHANGE_FIELDS) or ["0"]
    changes = (
        f"SELECT id, CASE WHEN {' OR '.join(change_guard)} THEN X'' "  # noqa: S608
        f"ELSE CAST(json_array({change_columns}) AS BLOB) END "
        "FROM consultation_changes WHERE id >= ? ORDER BY id LIMIT ?"
    )
    return Queries(events, changes)


def _reals(db: Any, table: str, fields: tuple[str, ...]) -> list[str]:
    """Tests for a REAL in each column that can hold one.

    Not a column of TEXT affinity (a REAL given to one is stored as its text),
    nor the rowid (always an integer); the declared types are read from the
    database itself, so a changed schema changes the tests.
    """
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    (schema,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    keys = [row[1] for row in info if row[5]]
    declared = {row[1]: str(row[2]).upper() for row in info}
    rowid = keys[0] if len(keys) == 1 and "WITHOUT ROWID" not in str(schema).upper() else None
    tests = []
    for name in fields:
        kind = declared.get(name, "")
        if name == rowid and kind == "INTEGER":
            continue
        if "INT" in kind or not any(t in kind for t in ("CHAR", "CLOB", "TEXT")):
            tests.append(f"typeof(\"{name}\") = 'real'")
    return tests


def check_range(db: Any, key: bytes, lo: int, hi: int, sql: Queries) -> RangeResult:
    """Check the macs of events ``lo``..``hi`` and pair their change events with change rows.

    ``db`` is a DB-API connection to SQLite (in a read transaction). Raises the
    driver's error when SQLite cannot build a row's JSON (a BLOB in a column).
    """
    before = db.execute(
        "SELECT id, mac FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (lo,)
    ).fetchone()
    last_id, last_mac = (before[0], before[1]) if before else (0, "")
    # A mac that is not text would have failed its own event, further back.
    previous = last_mac.encode() if isinstance(last_mac, str) else b""
    inner, outer = keyed(key)
    tags: list[Any] = []
    append = tags.append
    count = 0
    cursor = db.execute(sql.events, (lo, hi))
    while batch := cursor.fetchmany(BATCH):
        for event_id, body, mac, tag in batch:
            digest = inner()
            digest.update(body)
            digest.update(previous)
            sealed = outer()
            sealed.update(digest.digest())
            if sealed.hexdigest().encode() != mac and not _signs(db, key, event_id, previous):
                at = [row[0] for row in batch].index(event_id)
                if at:
                    last_id = batch[at - 1][0]
                return RangeResult(lo, hi, count + at, last_id, previous.decode(), event_id)
            previous = mac
            if tag is not None:
                append(tag)
        count += len(batch)
        last_id = batch[-1][0]
    mac_text = previous.decode()
    rare = [tag for tag in tags if tag.__class__ is int]
    digests = [tag for tag in tags if tag.__class__ is not int] if rare else tags
    signed = _rare_events(db, rare)
    # The finalise events' JSON is read here, where the work is shared between processes.
    signed.finalised = {
        cid: (at, by, _parsed(said)) for cid, (at, by, said) in signed.finalised.items()
    }
    paired, first, last = _pair(db, sql, digests, lo, hi)
    return RangeResult(
        lo, hi, count, last_id, mac_text, None, paired, first, last, len(digests), signed
    )


def check_sealed(
    db: Any, key: bytes, seal: Seal, sql: Queries, previous: str | None = None
) -> tuple[RangeResult, bool]:
    """A sealed block, hashed whole against its seal (whose mac the caller has checked).

    ``previous``: the stored mac of the event just before the block, when the
    caller has it (None: read here). Returns the block's result and whether it
    hashed to its seal. A block that does not is checked event by event
    instead (check_range), which names the first bad event; the exact seal
    check then hashes it the application's way.
    """
    first, last = seal.first_event_id, seal.last_event_id
    count, lines, rare = db.execute(sql.sealed_events, (first, last)).fetchone()
    if seal.first_change_id is None or seal.last_change_id is None:
        changes_sql, bounds = sql.sealed_changes, (first, last)
    else:
        changes_sql, bounds = sql.sealed_change_run, (seal.first_change_id, seal.last_change_id)
    changes, change_lines, first_change, last_change = db.execute(changes_sql, bounds).fetchone()
    sha256 = hashlib.sha256
    found = (
        count,
        sha256(lines or b"").hexdigest(),
        changes,
        sha256(change_lines or b"").hexdigest(),
    )
    if found != (seal.event_count, seal.events_sha256, seal.change_count, seal.changes_sha256):
        return check_range(db, key, first, last, sql), False
    # The seal proves the block as written, not that the event before it is still the
    # one its first event was chained to (one removed just before would not show).
    if not _chained(db, key, first, sql, previous):
        return check_range(db, key, first, last, sql), False
    (mac,) = db.execute("SELECT mac FROM audit_log WHERE id = ?", (last,)).fetchone()
    signed = _rare_events(db, [int(i) for i in rare.split(",")] if rare else [])
    signed.finalised = {
        cid: (at, by, _parsed(said)) for cid, (at, by, said) in signed.finalised.items()
    }
    result = RangeResult(
        first, last, count, last, mac, None, True, first_change, last_change, changes, signed
    )
    return result, True


def _chained(db: Any, key: bytes, first: int, sql: Queries, previous: str | None) -> bool:
    """Whether event ``first`` carries the mac chained to the stored mac before it."""
    if previous is None:
        before = db.execute(
            "SELECT mac FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (first,)
        ).fetchone()
        previous = before[0] if before else ""
    chained = previous.encode() if isinstance(previous, str) else b""
    row = db.execute(sql.events, (first, first)).fetchone()
    if row is None:
        return False
    _id, body, mac, _tag = row
    inner, outer = keyed(key)
    digest = inner()
    digest.update(body)
    digest.update(chained)
    sealed = outer()
    sealed.update(digest.digest())
    return sealed.hexdigest().encode() == mac or _signs(db, key, first, chained)


def _signs(db: Any, key: bytes, event_id: int, previous: bytes) -> bool:
    """Whether the stored event's mac is right when encoded as the application encodes it.

    SQLite spells a few things differently from Python (reals, some escapes):
    before an event counts as bad, it is signed exactly as the application did.
    """
    row = db.execute(f"{SELECT_EVENTS} WHERE id = ?", (event_id,)).fetchone()
    message = encode_json(tuple(row[:-1])).encode("utf-8") + previous
    return isinstance(row[-1], str) and hmac.digest(key, message, "sha256").hex() == row[-1]


def _parsed(new_value: Any) -> Any:
    """A finalise event's new_value as the records check reads it; as stored unless an object."""
    if isinstance(new_value, str):
        try:
            value = loads(new_value)
        except ValueError:
            return new_value  # the records check meets it as stored, as the exact check does
        if isinstance(value, dict):
            return value
    return new_value


def _rare_events(db: Any, ids: list[int]) -> Signed:
    """Read the addendum and finalise events in full and note them, in id order."""
    signed = Signed()
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {', '.join(NOTED_FIELDS)} FROM audit_log "  # noqa: S608 - fixed names
            f"WHERE id IN ({marks}) ORDER BY id",
            chunk,
        )
        for row in rows:
            signed.note(row)
    return signed


def _pair(
    db: Any, sql: Queries, digests: list[str], lo: int, hi: int
) -> tuple[bool, int | None, int | None]:
    """Pair the range's change events (their digests, in id order) with the change rows."""
    if not digests:
        return True, None, None
    first = db.execute(
        "SELECT entity_id, record_version FROM audit_log WHERE id BETWEEN ? AND ? "
        "AND row_digest IS NOT NULL AND entity = 'consultation' ORDER BY id LIMIT 1",
        (lo, hi),
    ).fetchone()
    try:
        cid = int(first[0])
    except (TypeError, ValueError):
        return False, None, None
    start = db.execute(
        "SELECT id FROM consultation_changes WHERE consultation_id = ? AND seq = ?",
        (cid, first[1]),
    ).fetchone()
    if start is None:
        return False, None, None
    sha256 = hashlib.sha256
    done, last = 0, None
    cursor = db.execute(sql.changes, (start[0], len(digests)))
    while batch := cursor.fetchmany(BATCH):
        found = [sha256(body).hexdigest() for _id, body in batch]
        wanted = digests[done : done + len(batch)]
        if found != wanted and not _digests_match(db, batch, wanted):
            return False, None, None
        done += len(batch)
        last = batch[-1][0]
    return done == len(digests), start[0], last


def _digests_match(db: Any, batch: list[Any], wanted: list[str]) -> bool:
    """Recheck a batch row by row with the application's own encoding of each change row."""
    if len(batch) != len(wanted):
        return False
    sha256 = hashlib.sha256
    for (change_id, body), digest in zip(batch, wanted, strict=True):
        if sha256(body).hexdigest() == digest:
            continue
        row = db.execute(f"{SELECT_CHANGES} WHERE id = ?", (change_id,)).fetchone()
        if row_digest(tuple(row)) != digest:
            return False
    return True
