"""Words for the record's facts: who did something, empty values, the change history."""

from __future__ import annotations

from collections.abc import Mapping

from consult_aid.documents.local_time import date_time_text
from consult_aid.documents.record_model import Row
from consult_aid.documents.requests import RecordRequest
from consult_aid.documents.user_text import NOT_RECORDED
from consult_aid.domain.consultation import Change, ChangeKind, Detail, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician

__all__ = ["NOT_RECORDED", "clinician_text", "history_rows", "or_not_recorded"]

_DETAIL_NAMES = {
    Detail.LEVELS: "Vertebral level(s)",
    Detail.OTHERS_PRESENT: "Others present",
    Detail.INTERPRETER: "Interpreter",
    Detail.COMMUNICATION_NEEDS: "Communication needs",
    Detail.CAPACITY: "Capacity",
    Detail.CAPACITY_NOTE: "Capacity note",
    Detail.MDT_DATE: "MDT discussion date",
    Detail.DECISION: "Decision",
    Detail.PLACE: "Place",
}


def or_not_recorded(value: str) -> str:
    """The value, or "Not recorded" when it is empty: nothing prints silently blank."""
    return value if value.strip() else NOT_RECORDED


def clinician_text(clinicians: Mapping[int, Clinician], clinician_id: int | None) -> str:
    """A clinician as "Name, role, GMC 1234567"; says so when unknown."""
    if clinician_id is None:
        return NOT_RECORDED
    clinician = clinicians.get(clinician_id)
    if clinician is None:
        return f"Unknown user (id {clinician_id})"
    gmc = f", GMC {clinician.gmc_number}" if clinician.gmc_number else ""
    return f"{clinician.name}, {clinician.role.value}{gmc}"


def _topic_title(pack: ContentPack, topic_id: str) -> str:
    return pack.topic(topic_id).title if pack.has_topic(topic_id) else f"Topic {topic_id}"


def _checklist_label(pack: ContentPack, kind: ChangeKind, key: str) -> str:
    items = pack.risk_factors if kind is ChangeKind.RISK_FACTOR else pack.medicines
    return next((item.label for item in items if item.id == key), key)


def describe(change: Change, pack: ContentPack) -> str:
    """One change in words; note texts are printed with their topics, not repeated here."""
    kind, key, value = change.kind, change.key, change.value
    if kind is ChangeKind.TOPIC_STATE:
        state = TopicState(value["state"])
        reason = str(value.get("reason", "")).strip()
        return f"{_topic_title(pack, key)}: {state.label}" + (f" ({reason})" if reason else "")
    if kind is ChangeKind.TOPIC_MATERIAL:
        marked = "marked" if value.get("material") else "no longer marked"
        return f"{_topic_title(pack, key)}: {marked} as material to this patient"
    if kind is ChangeKind.TOPIC_NOTE:
        return f"{_topic_title(pack, key)}: note edited"
    if kind in (ChangeKind.RISK_FACTOR, ChangeKind.MEDICINE):
        noted = "noted" if value.get("present") else "removed"
        return f"{_checklist_label(pack, kind, key)}: {noted}"
    if kind is ChangeKind.QUESTION:
        return "A question removed" if value.get("removed") else "A question added or edited"
    if kind is ChangeKind.DETAIL:
        try:
            name = _DETAIL_NAMES[Detail(key)]
        except ValueError:
            name = key
        shown = str(value.get("value", ""))
        return f"{name}: set to {shown}" if shown.strip() else f"{name}: cleared"
    return {
        ChangeKind.CREATED: "Consultation started",
        ChangeKind.RESUMED: "Consultation resumed",
        ChangeKind.ENDED: "Consultation ended",
    }.get(kind, kind.value)


def history_rows(request: RecordRequest) -> tuple[Row, ...]:
    """The change log, oldest first: when and who, then what."""
    rows = tuple(
        Row(
            f"{date_time_text(change.at)}\n"
            f"{clinician_text(request.clinicians, change.clinician_id)}",
            describe(change, request.pack),
        )
        for change in request.history
    )
    return rows or (Row("Changes", NOT_RECORDED),)
