"""The exact check of the audit seals, over any database driver.

Once the chain and its head are proven, every seal must carry its own mac,
the seals must be numbered 1, 2, 3… with none missing (the head signs how
many there are), cover increasing runs of events, and each block must hash to
its seal. A block the fast pass already hashed to its seal (``proven``) is not
hashed again; any other is hashed here with the application's own encoding.
The first seal that fails is named.
"""

from __future__ import annotations

from typing import Any

from consult_aid.storage.audit_seals import Seal, python_digests, seals_from_cursor, signed_seal


def check_seals(cursor: Any, key: bytes, proven: frozenset[int]) -> tuple[int, str] | None:
    """The first seal that does not match (its number, and why), or None when all do."""
    cursor.execute("SELECT seal_count FROM audit_chain")
    head = cursor.fetchone()
    signed_count = int(head[0]) if head is not None and head[0] is not None else 0
    seals = seals_from_cursor(cursor)
    after = 0
    for number, seal in enumerate(seals, start=1):
        problem = _problem(cursor, key, seal, number, after, proven)
        if problem:
            return number, problem
        after = seal.last_event_id
    if len(seals) < signed_count:
        return len(seals) + 1, (
            f"Audit seal {len(seals) + 1} is missing: the trail's head counts {signed_count} "
            f"seals, and {len(seals)} are stored."
        )
    if len(seals) > signed_count:
        return signed_count + 1, (
            f"Audit seal {signed_count + 1} was added outside the application: the trail's "
            f"head counts {signed_count} seals."
        )
    return None


def _problem(
    cursor: Any, key: bytes, seal: Seal, number: int, after: int, proven: frozenset[int]
) -> str:
    if seal.id != number:
        return f"Audit seal {number} is missing (the seals jump to number {seal.id})."
    if not signed_seal(key, seal):
        return (
            f"Audit seal {number} does not match its signature: it was altered, "
            "or added outside the application."
        )
    if not after < seal.first_event_id <= seal.last_event_id:
        return f"Audit seal {number} does not follow the seal before it."
    if number in proven:
        return ""
    counts = python_digests(cursor, seal)
    sealed = (seal.event_count, seal.events_sha256, seal.change_count, seal.changes_sha256)
    if counts != sealed:
        return (
            f"Audit seal {number} does not match audit events {seal.first_event_id} to "
            f"{seal.last_event_id} and their change rows."
        )
    return ""
