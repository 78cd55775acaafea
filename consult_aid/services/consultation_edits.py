"""What one edit to a consultation would log, after checking it against the pack and the rules.

Each function returns the ``Edit`` to append, or None when the value would not
change (nothing is logged then), or raises InvalidInput / NotFound. They hold
no session: the service calls them inside its transaction, with the current
state read there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consult_aid.domain.consultation import (
    ChangeKind,
    ConsultationState,
    Detail,
    TopicState,
    check_detail,
    check_note,
    check_state,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class Edit:
    """A change to append: its kind, key and JSON value."""

    kind: ChangeKind
    key: str
    value: dict[str, Any]


def topic_state(
    pack: ContentPack,
    variant_id: str,
    state: ConsultationState,
    topic_id: str,
    new_state: TopicState,
    reason: str,
) -> Edit | None:
    """Settle (or unsettle) a topic; "not applicable" needs a reason."""
    _require_topic(pack, variant_id, topic_id)
    new_state = TopicState(new_state)
    reason = check_state(new_state, reason)
    current = state.topic(topic_id)
    if current.state is new_state and current.reason == reason:
        return None
    return Edit(ChangeKind.TOPIC_STATE, topic_id, {"state": new_state.value, "reason": reason})


def topic_note(
    pack: ContentPack, variant_id: str, state: ConsultationState, topic_id: str, text: str
) -> Edit | None:
    """Replace a topic's note, kept exactly as typed."""
    _require_topic(pack, variant_id, topic_id)
    text = check_note(text)
    if state.topic(topic_id).note == text:
        return None
    return Edit(ChangeKind.TOPIC_NOTE, topic_id, {"text": text})


def topic_material(
    pack: ContentPack, variant_id: str, state: ConsultationState, topic_id: str, material: bool
) -> Edit | None:
    """Mark a topic as material (or not) to this patient."""
    _require_topic(pack, variant_id, topic_id)
    if state.topic(topic_id).material == material:
        return None
    return Edit(ChangeKind.TOPIC_MATERIAL, topic_id, {"material": bool(material)})


def checklist_tick(
    pack: ContentPack, state: ConsultationState, kind: ChangeKind, item_id: str, present: bool
) -> Edit | None:
    """Tick or untick a risk factor or a medicine of the pack's checklists."""
    if kind is ChangeKind.RISK_FACTOR:
        known, ticked, name = pack.risk_factors, state.risk_factors, "risk factor"
    elif kind is ChangeKind.MEDICINE:
        known, ticked, name = pack.medicines, state.medicines, "medicine"
    else:
        raise ValueError(f"{kind} is not a checklist")
    if item_id not in {item.id for item in known}:
        raise InvalidInput({"item_id": f"{item_id!r} is not a {name} of the {pack.title} pack."})
    if (item_id in ticked) == present:
        return None
    return Edit(kind, item_id, {"present": bool(present)})


def question(
    state: ConsultationState, question_id: str, text: str, answer: str, *, new: bool
) -> Edit:
    """Add (``new``) or edit a question and its answer; the question's words are required."""
    if not new and not any(q.id == question_id for q in state.questions):
        raise NotFound(f"This consultation has no question with id {question_id!r}.")
    problems = {}
    if not text.strip():
        problems["question"] = "Write the patient's question."
    for field, value in (("question", text), ("answer", answer)):
        try:
            check_note(value)
        except InvalidInput as error:
            problems.setdefault(field, error.problems["note"])
    if problems:
        raise InvalidInput(problems)
    return Edit(ChangeKind.QUESTION, question_id, {"question": text, "answer": answer})


def question_removal(state: ConsultationState, question_id: str) -> Edit:
    """Remove a question; NotFound when the consultation has no such question."""
    if not any(q.id == question_id for q in state.questions):
        raise NotFound(f"This consultation has no question with id {question_id!r}.")
    return Edit(ChangeKind.QUESTION, question_id, {"removed": True})


def detail(state: ConsultationState, which: Detail, value: str) -> Edit | None:
    """Set one free-standing detail, normalised by the domain's rules."""
    which = Detail(which)
    value = check_detail(which, value)
    if state.detail(which) == value:
        return None
    return Edit(ChangeKind.DETAIL, which.value, {"value": value})


def old_value(state: ConsultationState, edit: Edit) -> dict[str, Any] | None:
    """What ``edit`` replaces, for the audit trail (None where nothing was there before)."""
    kind, key = edit.kind, edit.key
    if kind in (ChangeKind.TOPIC_STATE, ChangeKind.TOPIC_NOTE, ChangeKind.TOPIC_MATERIAL):
        topic = state.topic(key)
        if kind is ChangeKind.TOPIC_STATE:
            return {"state": topic.state.value, "reason": topic.reason}
        if kind is ChangeKind.TOPIC_NOTE:
            return {"text": topic.note}
        return {"material": topic.material}
    if kind is ChangeKind.RISK_FACTOR:
        return {"present": key in state.risk_factors}
    if kind is ChangeKind.MEDICINE:
        return {"present": key in state.medicines}
    if kind is ChangeKind.QUESTION:
        asked = next((q for q in state.questions if q.id == key), None)
        return None if asked is None else {"question": asked.question, "answer": asked.answer}
    if kind is ChangeKind.DETAIL and Detail(key) in state.details:
        return {"value": state.details[Detail(key)]}
    return None


def _require_topic(pack: ContentPack, variant_id: str, topic_id: str) -> None:
    if not pack.has_topic(topic_id):
        raise InvalidInput({"topic_id": f"{topic_id!r} is not a topic of the {pack.title} pack."})
    if not pack.topic(topic_id).applies_to(variant_id):
        raise InvalidInput(
            {
                "topic_id": f"{topic_id!r} is not discussed for "
                f"{pack.variant(variant_id).name} in the {pack.title} pack."
            }
        )
