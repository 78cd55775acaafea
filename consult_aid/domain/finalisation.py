"""Finalising a record of discussion, and the addenda that amend it afterwards.

A finalised record is never changed in place (hazard 6): a correction is an
addendum, kept beside the original with who wrote it, when, why and what.
Finalising needs every topic settled and the facts a record cannot do without
(the levels, capacity and an explicit decision); the rest of the record's
fields stay optional, since "not recorded" is itself printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from consult_aid.domain.consultation import (
    MAX_DETAIL,
    MAX_NOTE,
    Capacity,
    ConsultationState,
    Detail,
    TopicState,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import InvalidInput


class RecordStatus(StrEnum):
    """Where a record stands: still being written, finalised, or finalised then amended."""

    DRAFT = "draft"
    FINALISED = "finalised"
    AMENDED = "amended"

    @property
    def label(self) -> str:
        """The words a person reads."""
        return {
            RecordStatus.DRAFT: "Draft",
            RecordStatus.FINALISED: "Finalised",
            RecordStatus.AMENDED: "Finalised, with addenda",
        }[self]


def record_status(finalised_at: datetime | None, addenda: int) -> RecordStatus:
    """The status of a record finalised at ``finalised_at`` (None: never) with ``addenda``."""
    if finalised_at is None:
        return RecordStatus.DRAFT
    return RecordStatus.AMENDED if addenda else RecordStatus.FINALISED


@dataclass(frozen=True, slots=True)
class Addendum:
    """A correction to a finalised record, linked to it and printed after it.

    Attributes:
        id: its number in the store.
        consultation_id: the record it amends.
        at: when it was written, UTC.
        by: the clinician who wrote it.
        reason: why the record needed it.
        text: what it says.
    """

    id: int
    consultation_id: int
    at: datetime
    by: int
    reason: str
    text: str


MAX_REASON = MAX_DETAIL


def check_addendum(reason: str, text: str) -> tuple[str, str]:
    """Both a reason and a text are required; return them trimmed, or raise InvalidInput."""
    reason, text = reason.strip(), text.strip()
    problems: dict[str, str] = {}
    if not reason:
        problems["reason"] = "Say why the record needs an addendum."
    elif len(reason) > MAX_REASON:
        problems["reason"] = f"At most {MAX_REASON:,} characters."
    if not text:
        problems["text"] = "Write the addendum."
    elif len(text) > MAX_NOTE:
        problems["text"] = f"An addendum can be at most {MAX_NOTE:,} characters."
    if problems:
        raise InvalidInput(problems)
    return reason, text


def missing_for_finalise(pack: ContentPack, variant_id: str, state: ConsultationState) -> list[str]:
    """What stops the record being finalised, one plain sentence per item (empty: nothing)."""
    missing = [
        f"Topic '{topic.title}' is not yet addressed"
        for topic in pack.topics_for(variant_id)
        if state.topic(topic.id).state is TopicState.NOT_ADDRESSED
    ]
    if not state.detail(Detail.LEVELS):
        missing.append("Vertebral level(s) not recorded")
    if state.capacity is Capacity.NOT_RECORDED:
        missing.append("Capacity not recorded")
    # "Undecided" is a decision a patient may make, but only when it was chosen: a
    # decision never set is a blank on the record, not a choice.
    if Detail.DECISION not in state.details:
        missing.append("Decision not recorded")
    return missing
