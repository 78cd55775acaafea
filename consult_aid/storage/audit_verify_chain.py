"""The exact check of the audit chain, in Python, over any database driver.

Every event's mac is recomputed in id order from its stored fields, encoded
exactly as the application encoded them when signing (audit_chain), with the
stored mac of the event before; the first event that does not match is named.
This is the reference every faster path must agree with. It can start part
way along the chain (at an event a faster pass found bad): the events before
were proven already, so the start needs only their count and the stored mac
of the event just before.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from consult_aid.storage.audit_chain import SELECT_EVENTS, encode_json, head_mac
from consult_aid.storage.audit_verify_report import (
    BATCH,
    FINALISE,
    NOTED_FIELDS,
    Signed,
    VerifyReport,
)

Keyed = tuple[Callable[[], Any], Callable[[], Any]]


def keyed(key: bytes) -> Keyed:
    """HMAC-SHA256 by hand: copiers of the hash states primed with the key's pads.

    Copying a primed hash object is far cheaper per event than keying a new
    HMAC (which hashes both pads again each time); the result is the same
    HMAC-SHA256 (RFC 2104).
    """
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner.copy, outer.copy


def check_chain(cursor: Any, key: bytes, signed: Signed, start: int | None = None) -> VerifyReport:
    """Recompute every mac from event ``start`` on (None: the first); note what events vouch for.

    Returns a report naming the first event that does not match, or the
    head's problem; ``ok`` when the whole chain and its head agree.
    """
    count, last_id, previous = 0, 0, ""
    where = ""
    if start is not None:
        # No bound parameters: their style differs between drivers; ``start`` is an int.
        first = int(start)
        cursor.execute(f"SELECT count(*) FROM audit_log WHERE id < {first}")  # noqa: S608
        count = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT id, mac FROM audit_log WHERE id < {first} ORDER BY id DESC LIMIT 1"  # noqa: S608
        )
        before = cursor.fetchone()
        if before is not None:
            last_id, previous = before
        where = f" WHERE id >= {first}"
    inner, outer = keyed(key)
    encode, note = encode_json, signed.note
    cursor.execute(f"{SELECT_EVENTS}{where} ORDER BY id")
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            event_id, mac = row[0], row[-1]
            digest = inner()
            digest.update(encode(row[:-1]).encode("utf-8"))
            digest.update(previous.encode())
            sealed = outer()
            sealed.update(digest.digest())
            if sealed.hexdigest() != mac:
                return _broken(count, last_id, event_id)
            previous, last_id = mac, event_id
            count += 1
            # Most events are plain changes (a digest, no finalising): one test each.
            if row[11] is not None or row[4] == FINALISE:
                note((row[5], row[6], row[7], row[11], row[4], row[1], row[2], row[10], row[8]))
    at_head = check_head(cursor, key, count, last_id, previous)
    if at_head:
        bad_id, text = at_head
        return VerifyReport(False, count, 0, bad_id, None, text)
    return VerifyReport(True, count, 0)


def _broken(count: int, last_id: int, event_id: int) -> VerifyReport:
    if event_id > last_id + 1:
        problem = (
            f"Audit event {last_id + 1} is missing: the trail jumps from event "
            f"{last_id} to event {event_id}."
        )
        return VerifyReport(False, count, 0, last_id + 1, None, problem)
    problem = (
        f"Audit event {event_id} does not match its signature: it was altered, "
        "inserted or moved, or signed with another key."
    )
    return VerifyReport(False, count, 0, event_id, None, problem)


def check_head(
    cursor: Any, key: bytes, count: int, last_id: int, last_mac: str
) -> tuple[int | None, str] | None:
    """The head's problem (the event to name, and why), or None when it seals this chain."""
    cursor.execute(
        "SELECT event_count, last_event_id, last_mac, head_mac, seal_count FROM audit_chain"
    )
    heads = cursor.fetchall()
    if not heads:
        if count == 0:
            return None
        return last_id, "The audit trail's head record is missing."
    head_count, head_last, head_last_mac, sealed, seals = heads[0]
    if len(heads) != 1 or not hmac.compare_digest(
        str(sealed), head_mac(key, head_count, head_last, head_last_mac, seals)
    ):
        return head_last, "The audit trail's head record was altered."
    if head_last > last_id or head_count > count:
        return last_id + 1, (
            f"The newest audit events are missing: the trail ends at event {last_id} "
            f"but had reached event {head_last} ({head_count:,} events)."
        )
    if (head_count, head_last, head_last_mac) != (count, last_id, last_mac):
        return head_last + 1, (
            f"Audit events after event {head_last} were added outside the application."
        )
    return None


def collect_signed(cursor: Any) -> Signed:
    """What the events vouch for, read without their macs (call only once the chain is proven)."""
    signed = Signed()
    cursor.execute(
        f"SELECT {', '.join(NOTED_FIELDS)} FROM audit_log "  # noqa: S608 - fixed names
        f"WHERE row_digest IS NOT NULL OR action = '{FINALISE}' ORDER BY id"
    )
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            signed.note(row)
    return signed
