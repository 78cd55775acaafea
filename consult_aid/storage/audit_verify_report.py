"""What a check of the audit trail reports, and what the signed events vouch for.

Shared by the exact check (audit_verify_chain, audit_verify_store), the fast
SQLite pass (audit_verify_fast, audit_verify_parallel) and the orchestration
(audit_verify), so each of them names a mismatch in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Rows read per round trip: enough that the driver's per-call cost vanishes, few
# enough that a batch's rows are still in the processor's cache when checked
# (measured: 1,000 is some 7% quicker than 50,000).
BATCH = 1_000
FINALISE = "consultation.finalise"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What a check of the audit trail and the finalised records found.

    Attributes:
        ok: nothing failed.
        events_checked: audit events whose mac was recomputed.
        records_checked: finalised records checked.
        first_bad_event_id: the first event that does not match (None: none, or a record).
        first_bad_record_id: the consultation whose stored record or log does not match.
        problem: what is wrong, in plain English ("" when ok).
        first_bad_seal_id: the audit seal that does not match (None: none, or another item).
    """

    ok: bool
    events_checked: int
    records_checked: int
    first_bad_event_id: int | None = None
    first_bad_record_id: int | None = None
    problem: str = ""
    first_bad_seal_id: int | None = None

    def text(self) -> str:
        """A few lines for a person to read."""
        counts = (
            f"{self.events_checked:,} audit events and "
            f"{self.records_checked:,} finalised records checked."
        )
        if self.ok:
            return f"The audit trail is intact. {counts}"
        return f"The audit trail does NOT match. {counts}\n{self.problem}"


@dataclass(frozen=True, slots=True)
class FinalisedToRecompute:
    """A finalised record whose stored proofs agree with its event; its fingerprint is next."""

    consultation_id: int
    record_version: int
    fingerprint: str
    basis: dict[str, Any]


@dataclass
class Signed:
    """What the signed events say about the rest of the store.

    Attributes:
        changes: (consultation id, seq) -> the digest its change event recorded.
        addenda: addendum id -> (digest, the event's detail text).
        finalised: consultation id -> (time, clinician, new_value) of its finalise event.
    """

    changes: dict[tuple[int, int], str] = field(default_factory=dict)
    addenda: dict[int, tuple[str, str]] = field(default_factory=dict)
    finalised: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)

    def note(self, event: tuple[Any, ...]) -> None:
        """Keep what one event vouches for (its NOTED_FIELDS, in that order).

        The one rule for every path: a later event for the same key replaces an earlier one.
        """
        entity, entity_id, version, digest, action, at, by, new_value, detail = event
        if digest is not None:
            if entity == "consultation":
                self.changes[(int(entity_id), version)] = digest
            elif entity == "addendum":
                self.addenda[int(entity_id)] = (digest, detail)
        elif action == FINALISE:
            self.finalised[int(entity_id)] = (at, by, new_value)


# The stored fields Signed.note reads, in its order.
NOTED_FIELDS = (
    "entity",
    "entity_id",
    "record_version",
    "row_digest",
    "action",
    "at",
    "clinician_id",
    "new_value",
    "detail",
)


def bad_record(events: int, records: int, cid: int, problem: str) -> VerifyReport:
    """A report naming a consultation whose stored rows do not match the trail."""
    return VerifyReport(False, events, records, None, cid, problem)


def bad_seal(events: int, seal_id: int, problem: str) -> VerifyReport:
    """A report naming an audit seal that does not match."""
    return VerifyReport(False, events, 0, None, None, problem, seal_id)
