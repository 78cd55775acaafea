"""The keyed hash chain over the audit log: how an event's mac is made, and the chain's head.

Each event's mac is HMAC-SHA256(key, canonical JSON of the event's stored
fields + the previous event's mac). The fields are taken as the database
driver hands them back (the stored text of times and JSON), so the mac covers
exactly what is on disk and a checker needs no parsing to recompute it. The
key never enters the database: without it, an edited, inserted, removed or
reordered event cannot be given a mac that fits. The head row holds the last
event's id and mac and the number of events, under its own mac, so that
removing the newest events shows too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from consult_aid.storage.models import AuditChainRow

# The signed fields of an event, in the order they are serialised; ``mac`` follows them.
EVENT_FIELDS = (
    "id",
    "at",
    "clinician_id",
    "workstation",
    "action",
    "entity",
    "entity_id",
    "record_version",
    "detail",
    "old_value",
    "new_value",
    "row_digest",
)
SELECT_EVENTS = f"SELECT {', '.join(EVENT_FIELDS)}, mac FROM audit_log"  # noqa: S608 - fixed names
# A consultation change as stored; an audit event holds the digest of these fields.
CHANGE_FIELDS = ("id", "consultation_id", "seq", "kind", "key", "value", "at", "clinician_id")
SELECT_CHANGES = f"SELECT {', '.join(CHANGE_FIELDS)} FROM consultation_changes"  # noqa: S608
ADDENDUM_FIELDS = ("id", "consultation_id", "at", "by", "reason", "text")
SELECT_ADDENDA = f"SELECT {', '.join(ADDENDUM_FIELDS)} FROM addenda"  # noqa: S608
HEAD_ID = 1


def _encoder() -> Callable[[Sequence[Any]], str]:
    """Compact JSON of a list, Unicode kept: the standard library's C encoder when present.

    Calling the C encoder directly halves the cost per event against
    ``json.dumps`` (which wraps it in Python), and checking millions of
    events is dominated by this; the output is the same text either way.
    """
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return standard
    fast = make(None, str, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def encode(values: Sequence[Any]) -> str:
        return "".join(fast(values, 0))

    return encode


encode_json = _encoder()


def canonical(values: Sequence[Any]) -> bytes:
    """Stored values as canonical JSON (a list in field order), UTF-8."""
    return encode_json(values).encode("utf-8")


def event_mac(key: bytes, fields: Sequence[Any], previous_mac: str) -> str:
    """The mac of an event whose stored fields are ``fields`` (EVENT_FIELDS order)."""
    return hmac.digest(key, canonical(fields) + previous_mac.encode("ascii"), "sha256").hex()


def row_digest(fields: Sequence[Any]) -> str:
    """SHA-256 hex of a stored row's fields (a change, an addendum)."""
    return hashlib.sha256(canonical(fields)).hexdigest()


def head_mac(
    key: bytes, event_count: int, last_event_id: int, last_mac: str, seal_count: int = 0
) -> str:
    """The mac that seals the chain's head.

    The number of audit seals is signed with it once there is one; a head with
    none is signed as it was before seals existed, so an upgraded store's head
    still fits (and a head whose seals were all removed does not).
    """
    fields: list[Any] = ["audit_chain", event_count, last_event_id, last_mac]
    if seal_count:
        fields.append(seal_count)
    return hmac.digest(key, canonical(fields), "sha256").hex()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The newest event the chain knows of, and how many events it holds."""

    event_count: int
    last_event_id: int
    last_mac: str
    head_mac: str
    seal_count: int = 0


def read_head(session: Session) -> ChainHead | None:
    """The head, or None before the first signed event."""
    row = session.get(AuditChainRow, HEAD_ID)
    if row is None:
        return None
    return ChainHead(
        row.event_count, row.last_event_id, row.last_mac, row.head_mac, row.seal_count or 0
    )


def write_head(
    session: Session, key: bytes, count: int, last_id: int, last_mac: str, seal_count: int
) -> None:
    """Move the head to a newly appended event (and seal), in the appender's transaction."""
    session.merge(
        AuditChainRow(
            id=HEAD_ID,
            event_count=count,
            last_event_id=last_id,
            last_mac=last_mac,
            head_mac=head_mac(key, count, last_id, last_mac, seal_count),
            seal_count=seal_count,
        )
    )


def stored_event(session: Session, event_id: int) -> tuple[Any, ...]:
    """An event's signed fields exactly as the driver returns them."""
    row = session.execute(text(f"{SELECT_EVENTS} WHERE id = :id"), {"id": event_id}).one()
    return tuple(row[:-1])


def stored_change_digest(session: Session, consultation_id: int, seq: int) -> str | None:
    """The digest of a stored change row, or None when there is none."""
    row = session.execute(
        text(f"{SELECT_CHANGES} WHERE consultation_id = :cid AND seq = :seq"),
        {"cid": consultation_id, "seq": seq},
    ).one_or_none()
    return None if row is None else row_digest(tuple(row))


def stored_addendum_digest(session: Session, addendum_id: int) -> str:
    """The digest of a stored addendum."""
    row = session.execute(text(f"{SELECT_ADDENDA} WHERE id = :id"), {"id": addendum_id}).one()
    return row_digest(tuple(row))
