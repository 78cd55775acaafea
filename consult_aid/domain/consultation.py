"""A consultation: the states of its topics, its details, and the rules on them.

The store keeps an append-only log of changes (``Change``); the current state
of a consultation is what ``replay`` makes of that log. Nothing is pre-ticked:
a topic starts "not yet addressed" and only a change by a clinician moves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import InvalidInput


class TopicState(StrEnum):
    """Where a topic stands; a settled topic is any state but NOT_ADDRESSED."""

    NOT_ADDRESSED = "not_addressed"
    DISCUSSED = "discussed"
    DECLINED = "declined"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The words a person reads."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    TopicState.NOT_ADDRESSED: "Not yet addressed",
    TopicState.DISCUSSED: "Discussed",
    TopicState.DECLINED: "Declined by the patient",
    TopicState.NOT_APPLICABLE: "Not applicable",
}


class Decision(StrEnum):
    """What the patient decided at the end of the discussion."""

    UNDECIDED = "undecided"
    PROCEED = "proceed"
    TIME_TO_REFLECT = "time_to_reflect"
    DECLINE = "decline"

    @property
    def label(self) -> str:
        """The words a person reads."""
        return {
            Decision.UNDECIDED: "Undecided",
            Decision.PROCEED: "Wishes to proceed",
            Decision.TIME_TO_REFLECT: "Wants time to reflect",
            Decision.DECLINE: "Declines the procedure",
        }[self]


class Capacity(StrEnum):
    """The clinician's view of the patient's capacity for this decision."""

    NOT_RECORDED = "not_recorded"
    PRESUMED = "presumed"
    ASSESSED_HAS = "assessed_has_capacity"
    ASSESSED_LACKS = "assessed_lacks_capacity"

    @property
    def label(self) -> str:
        """The words a person reads."""
        return {
            Capacity.NOT_RECORDED: "Not recorded",
            Capacity.PRESUMED: "Capacity presumed",
            Capacity.ASSESSED_HAS: "Concerns assessed: has capacity",
            Capacity.ASSESSED_LACKS: "Concerns assessed: lacks capacity",
        }[self]


class ChangeKind(StrEnum):
    """Kinds of entry in a consultation's change log."""

    CREATED = "created"
    RESUMED = "resumed"
    TOPIC_STATE = "topic_state"
    TOPIC_NOTE = "topic_note"
    TOPIC_MATERIAL = "topic_material"
    RISK_FACTOR = "risk_factor"
    MEDICINE = "medicine"
    QUESTION = "question"
    DETAIL = "detail"
    ENDED = "ended"


class Detail(StrEnum):
    """Free-standing fields of a consultation, each changed on its own."""

    LEVELS = "levels"
    OTHERS_PRESENT = "others_present"
    INTERPRETER = "interpreter"
    COMMUNICATION_NEEDS = "communication_needs"
    CAPACITY = "capacity"
    CAPACITY_NOTE = "capacity_note"
    MDT_DATE = "mdt_date"
    DECISION = "decision"
    PLACE = "place"


MAX_NOTE = 20_000
MAX_DETAIL = 2_000
_LEVEL = re.compile(r"^(C[1-7]|T(?:[1-9]|1[0-2])|L[1-5]|S1)$")
_LEVEL_ORDER = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + ["S1"]
)


def parse_levels(text: str) -> tuple[str, ...]:
    """Read vertebral levels as typed ("T12, L1" or "t12 l1"), spine order, no repeats."""
    parts = [p for p in re.split(r"[\s,;/]+", text.strip().upper()) if p]
    bad = [p for p in parts if not _LEVEL.match(p)]
    if bad:
        raise InvalidInput(
            {
                Detail.LEVELS.value: f"Not a vertebral level: {', '.join(bad)} "
                "(use C1-C7, T1-T12, L1-L5 or S1)."
            }
        )
    return tuple(sorted(set(parts), key=_LEVEL_ORDER.index))


def check_detail(detail: Detail, value: str) -> str:
    """Validate and normalise one detail's value; raise InvalidInput if bad."""
    value = value.strip()
    if len(value) > MAX_DETAIL:
        raise InvalidInput({detail.value: f"At most {MAX_DETAIL} characters."})
    if detail is Detail.LEVELS:
        return ", ".join(parse_levels(value))
    if detail is Detail.CAPACITY:
        _enum_value(Capacity, detail, value)
    elif detail is Detail.DECISION:
        _enum_value(Decision, detail, value)
    elif detail is Detail.MDT_DATE and value:
        try:
            # fromisoformat also takes "20240305" and "2024-W10-2"; keep only YYYY-MM-DD.
            if date.fromisoformat(value).isoformat() != value:
                raise ValueError(value)
        except ValueError:
            raise InvalidInput({detail.value: "Give the MDT date as YYYY-MM-DD."}) from None
    return value


def _enum_value(enum: type[StrEnum], detail: Detail, value: str) -> None:
    if value not in {member.value for member in enum}:
        raise InvalidInput({detail.value: f"Unknown value {value!r}."})


def check_state(state: TopicState, reason: str) -> str:
    """A "not applicable" needs its reason; return the cleaned reason."""
    reason = reason.strip()
    if state is TopicState.NOT_APPLICABLE and not reason:
        raise InvalidInput({"reason": "Say why this topic does not apply to this patient."})
    if len(reason) > MAX_DETAIL:
        raise InvalidInput({"reason": f"At most {MAX_DETAIL} characters."})
    return reason if state is TopicState.NOT_APPLICABLE else ""


def check_note(text: str) -> str:
    """Notes are kept exactly as typed, within a size limit."""
    if len(text) > MAX_NOTE:
        raise InvalidInput({"note": f"A note can be at most {MAX_NOTE:,} characters."})
    return text


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the append-only change log.

    Attributes:
        seq: position in this consultation's log, from 1.
        kind: what changed.
        key: the topic id, checklist id, question id or detail name.
        value: the new value (JSON-compatible).
        at: when, in UTC.
        clinician_id: who.
    """

    seq: int
    kind: ChangeKind
    key: str
    value: dict[str, Any]
    at: datetime
    clinician_id: int


@dataclass(frozen=True, slots=True)
class TopicRecord:
    """Where one topic stands, and who put it there."""

    state: TopicState = TopicState.NOT_ADDRESSED
    reason: str = ""
    note: str = ""
    material: bool = False
    changed_at: datetime | None = None
    changed_by: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A question the patient asked, in their words, and the answer given."""

    id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class ConsultationState:
    """The current state of a consultation, as replayed from its change log."""

    topics: dict[str, TopicRecord] = field(default_factory=dict)
    risk_factors: frozenset[str] = frozenset()
    medicines: frozenset[str] = frozenset()
    questions: tuple[Question, ...] = ()
    details: dict[Detail, str] = field(default_factory=dict)
    ended_at: datetime | None = None

    def topic(self, topic_id: str) -> TopicRecord:
        """The record of a topic; an untouched topic is not yet addressed."""
        return self.topics.get(topic_id, TopicRecord())

    def detail(self, detail: Detail) -> str:
        """A detail's value, empty when never set."""
        return self.details.get(detail, "")

    @property
    def decision(self) -> Decision:
        """The recorded decision (undecided until set)."""
        return Decision(self.details.get(Detail.DECISION) or Decision.UNDECIDED)

    @property
    def capacity(self) -> Capacity:
        """The recorded capacity view."""
        return Capacity(self.details.get(Detail.CAPACITY) or Capacity.NOT_RECORDED)


def apply(state: ConsultationState, change: Change) -> ConsultationState:
    """Return the state after one change; the log is replayed with this."""
    kind, key, value = change.kind, change.key, change.value
    if kind in (ChangeKind.TOPIC_STATE, ChangeKind.TOPIC_NOTE, ChangeKind.TOPIC_MATERIAL):
        old = state.topic(key)
        if kind is ChangeKind.TOPIC_STATE:
            new = replace(
                old,
                state=TopicState(value["state"]),
                reason=str(value.get("reason", "")),
                changed_at=change.at,
                changed_by=change.clinician_id,
            )
        elif kind is ChangeKind.TOPIC_NOTE:
            new = replace(old, note=str(value["text"]))
        else:
            new = replace(old, material=bool(value["material"]))
        return replace(state, topics={**state.topics, key: new})
    if kind in (ChangeKind.RISK_FACTOR, ChangeKind.MEDICINE):
        present = bool(value["present"])
        if kind is ChangeKind.RISK_FACTOR:
            return replace(state, risk_factors=_toggled(state.risk_factors, key, present))
        return replace(state, medicines=_toggled(state.medicines, key, present))
    if kind is ChangeKind.QUESTION:
        kept = [q for q in state.questions if q.id != key]
        if not value.get("removed"):
            question = Question(key, str(value["question"]), str(value.get("answer", "")))
            position = next((i for i, q in enumerate(state.questions) if q.id == key), None)
            if position is None:
                kept.append(question)
            else:
                kept.insert(position, question)
        return replace(state, questions=tuple(kept))
    if kind is ChangeKind.DETAIL:
        return replace(state, details={**state.details, Detail(key): str(value["value"])})
    if kind is ChangeKind.ENDED:
        return replace(state, ended_at=change.at)
    return state  # CREATED and RESUMED change no state; they are kept for the audit.


def _toggled(items: frozenset[str], key: str, present: bool) -> frozenset[str]:
    return items | {key} if present else items - {key}


def replay(changes: Iterable[Change]) -> ConsultationState:
    """Fold a change log, oldest first, into the current state."""
    state = ConsultationState()
    for change in changes:
        state = apply(state, change)
    return state


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the discussion has come."""

    settled: int
    total: int
    open_topic_ids: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every topic is settled."""
        return self.settled == self.total


def progress(pack: ContentPack, variant_id: str, state: ConsultationState) -> Progress:
    """Count the topics settled of those this variant needs, and list the open ones."""
    topics = pack.topics_for(variant_id)
    open_ids = tuple(t.id for t in topics if state.topic(t.id).state is TopicState.NOT_ADDRESSED)
    return Progress(len(topics) - len(open_ids), len(topics), open_ids)


@dataclass(frozen=True, slots=True)
class ConsultationHeader:
    """What a consultation is about, fixed when it starts.

    Attributes:
        pack_id, pack_version, pack_hash: the exact content it was held with.
    """

    id: int
    patient_id: int
    clinician_id: int
    pack_id: str
    pack_version: str
    pack_hash: str
    variant_id: str
    started_at: datetime
