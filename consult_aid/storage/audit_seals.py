"""Audit seals: a block of consecutive signed events, and the change rows they vouch for, sealed.

Checking a large trail one mac at a time costs a round of hashing per event in
Python, millions of times over. A seal lets the check hash a whole block at
once: it holds the SHA-256 of the block's events (one line of canonical JSON
each, every stored field with the mac last) and of the change rows of the
block's change events (in event order), under an HMAC of its own made with the
audit key. A store whose blocks hash to their seals holds exactly the events
and change rows that were sealed; the per-event chain inside them was checked
before they were sealed.

The writer seals the next ``SEAL_EVENTS`` events once that many follow the last
seal, in the transaction of the event that completes the block (so an upgraded
store is sealed block by block as events are appended). It first checks the
block event by event (each mac, and each change row against the digest its
event holds): a block altered before it was sealed is left unsealed, for the
check to find event by event. Seals are numbered from 1 with no gaps, and the
chain's head signs how many there are, so a removed seal shows too.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, text
from sqlalchemy.orm import Session

from consult_aid.storage.audit_chain import (
    CHANGE_FIELDS,
    EVENT_FIELDS,
    SELECT_EVENTS,
    canonical,
    encode_json,
    event_mac,
    row_digest,
)
from consult_aid.storage.models import AuditSealRow

_log = logging.getLogger(__name__)
_DIGEST, _ENTITY = EVENT_FIELDS.index("row_digest"), EVENT_FIELDS.index("entity")

# Events per sealed block: big enough that the few look-ups made per block vanish
# beside hashing its rows (a quarter of this size cost a tenth more in checking),
# small enough that sealing one (read back and checked, some 0.1 s) is a rare
# pause of one save on the runner thread, never of the window. Tests make it smaller.
SEAL_EVENTS = 4_096

# A seal's signed fields, in the order its mac covers them; ``mac`` follows them.
SEAL_FIELDS = (
    "id",
    "first_event_id",
    "last_event_id",
    "event_count",
    "events_sha256",
    "change_count",
    "first_change_id",
    "last_change_id",
    "changes_sha256",
)
SELECT_SEALS = f"SELECT {', '.join(SEAL_FIELDS)}, mac FROM audit_seals"  # noqa: S608 - fixed
# The events a change row belongs to (its digest), as the verify passes pick them out.
CHANGE_EVENT = "a.row_digest IS NOT NULL AND a.entity = 'consultation'"
# The change row of each change event of a block, in event order; the event's id and
# digest come first. A change event names its row by (consultation, change number).
# The ids are formatted in as integers (``int()``, never outside text): bound parameters
# are spelt differently by each driver, and the checks run on raw driver cursors.
SELECT_BLOCK_CHANGES = (
    "SELECT a.id, a.row_digest, "  # noqa: S608 - fixed names
    + ", ".join(f"c.{name}" for name in CHANGE_FIELDS)
    + " FROM audit_log a JOIN consultation_changes c"
    " ON c.consultation_id = CAST(a.entity_id AS INTEGER) AND c.seq = a.record_version"
    f" WHERE a.id BETWEEN {{first}} AND {{last}} AND {CHANGE_EVENT} ORDER BY a.id"
)
SELECT_BLOCK_EVENTS = SELECT_EVENTS + " WHERE id BETWEEN {first} AND {last} ORDER BY id"
# A block's change rows when they are exactly a run of ids (as the writer found them):
# read by id, with no look-up per event. The two leading columns keep the join's shape.
SELECT_CHANGE_RUN = (
    "SELECT NULL, NULL, "  # noqa: S608 - fixed names
    + ", ".join(CHANGE_FIELDS)
    + " FROM consultation_changes WHERE id BETWEEN {first} AND {last} ORDER BY id"
)


@dataclass(frozen=True, slots=True)
class Seal:
    """One seal as stored (SEAL_FIELDS, then the mac)."""

    id: int
    first_event_id: int
    last_event_id: int
    event_count: int
    events_sha256: str
    change_count: int
    first_change_id: int | None
    last_change_id: int | None
    changes_sha256: str
    mac: str

    def fields(self) -> tuple[Any, ...]:
        """The signed fields, in SEAL_FIELDS order."""
        return (
            self.id,
            self.first_event_id,
            self.last_event_id,
            self.event_count,
            self.events_sha256,
            self.change_count,
            self.first_change_id,
            self.last_change_id,
            self.changes_sha256,
        )


def seal_mac(key: bytes, fields: Sequence[Any]) -> str:
    """The mac of a seal whose signed fields are ``fields`` (SEAL_FIELDS order)."""
    return hmac.digest(key, canonical(["audit_seal", *fields]), "sha256").hex()


def signed_seal(key: bytes, seal: Seal) -> bool:
    """Whether a stored seal carries the mac of its own fields."""
    return isinstance(seal.mac, str) and hmac.compare_digest(seal.mac, seal_mac(key, seal.fields()))


def lines_digest(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """How many rows, and the SHA-256 of their canonical JSON lines joined by newlines.

    JSON never holds a raw newline (it is escaped inside strings), so the lines
    cannot run into each other; SQLite's ``json_array`` gives the same text.
    """
    lines = [encode_json(row) for row in rows]
    return len(lines), hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _fetch(cursor: Any, sql: str, first: int, last: int) -> list[Any]:
    """Rows of a block query, through a DB-API cursor."""
    cursor.execute(sql.format(first=int(first), last=int(last)))
    return list(cursor.fetchall())


def block_changes(session: Session | Connection, first: int, last: int) -> list[Any]:
    """The change rows of a block's change events: (event id, its digest, *CHANGE_FIELDS)."""
    sql = SELECT_BLOCK_CHANGES.format(first=int(first), last=int(last))
    return list(session.execute(text(sql)))


def python_digests(cursor: Any, seal: Seal) -> tuple[int, str, int, str]:
    """A sealed block's counts and digests as the application works them out (DB-API cursor)."""
    first, last = seal.first_event_id, seal.last_event_id
    events, events_sha256 = lines_digest(
        tuple(row) for row in _fetch(cursor, SELECT_BLOCK_EVENTS, first, last)
    )
    if seal.first_change_id is None or seal.last_change_id is None:
        rows = _fetch(cursor, SELECT_BLOCK_CHANGES, first, last)
    else:
        rows = _fetch(cursor, SELECT_CHANGE_RUN, seal.first_change_id, seal.last_change_id)
    changes, changes_sha256 = lines_digest(tuple(row[2:]) for row in rows)
    return events, events_sha256, changes, changes_sha256


def seals_from_cursor(cursor: Any) -> list[Seal]:
    """Every seal, in number order, read through a DB-API cursor."""
    cursor.execute(f"{SELECT_SEALS} ORDER BY id")
    return [Seal(*row) for row in cursor.fetchall()]


def seal_due(session: Session | Connection, key: bytes) -> int:
    """Seal the next block if it is complete and checks out; return how many seals there are.

    Called by the writer after it has appended and signed an event, in that
    transaction (a Session; the benchmark generator hands a Connection).
    """
    last = session.execute(
        text("SELECT id, last_event_id FROM audit_seals ORDER BY id DESC LIMIT 1")
    ).one_or_none()
    number, after = (0, 0) if last is None else (int(last[0]), int(last[1]))
    # Most appends find the block still open: one step along the id index tells.
    full = session.execute(
        text("SELECT id FROM audit_log WHERE id > :after ORDER BY id LIMIT 1 OFFSET :skip"),
        {"after": after, "skip": SEAL_EVENTS - 1},
    ).one_or_none()
    if full is None:
        return number
    rows = list(
        session.execute(
            text(f"{SELECT_EVENTS} WHERE id > :after ORDER BY id LIMIT :size"),
            {"after": after, "size": SEAL_EVENTS},
        )
    )
    if len(rows) < SEAL_EVENTS:
        return number
    first, final = int(rows[0][0]), int(rows[-1][0])
    changes = block_changes(session, first, final)
    problem = _block_problem(session, key, after, rows, changes)
    if problem:
        # Ids only: the log never holds patient data. The check names the event.
        _log.warning("Audit events %s to %s left unsealed: %s", first, final, problem)
        return number
    event_count, events_sha256 = lines_digest(tuple(row) for row in rows)
    change_count, changes_sha256 = lines_digest(tuple(row[2:]) for row in changes)
    first_change, last_change = _run(changes)
    fields = (
        number + 1,
        first,
        final,
        event_count,
        events_sha256,
        change_count,
        first_change,
        last_change,
        changes_sha256,
    )
    seal = dict(zip(SEAL_FIELDS, fields, strict=True))
    session.execute(insert(AuditSealRow).values(**seal, mac=seal_mac(key, fields)))
    return number + 1


def _run(changes: list[Any]) -> tuple[int | None, int | None]:
    """The change rows' first and last id when they are a run of ids; else (None, None).

    A run: in event order, each id is one more than the one before, so the rows
    with ids in the range are exactly these (as the application writes them on
    SQLite, a change row and its event in one transaction).
    """
    ids = [int(row[2]) for row in changes]
    if not ids or ids != list(range(ids[0], ids[0] + len(ids))):
        return None, None
    return ids[0], ids[-1]


def _block_problem(
    session: Session | Connection, key: bytes, after: int, rows: list[Any], changes: list[Any]
) -> str:
    """Why a block must not be sealed ("" when every event and change row checks out)."""
    before = session.execute(
        text("SELECT mac FROM audit_log WHERE id <= :after ORDER BY id DESC LIMIT 1"),
        {"after": after},
    ).one_or_none()
    previous = "" if before is None else str(before[0])
    for row in rows:
        if event_mac(key, tuple(row[:-1]), previous) != row[-1]:
            return f"event {row[0]} does not match its mac"
        previous = row[-1]
    wanted = sum(1 for row in rows if row[_DIGEST] is not None and row[_ENTITY] == "consultation")
    if len(changes) != wanted:
        return "a change event has no change row"
    for change in changes:
        if row_digest(tuple(change[2:])) != change[1]:
            return f"the change row of event {change[0]} does not match its digest"
    return ""
