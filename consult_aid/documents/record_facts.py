"""Every fact a record of discussion prints, gathered before anything is drawn.

The record is rendered from these facts and nothing else, and its fingerprint
is the SHA-256 of their canonical JSON: so the fingerprint covers exactly what
is printed, the same content always gives the same fingerprint, and any change
(one word of one note) gives another. The time of printing is not a fact of the
record and is left out.
"""

from __future__ import annotations

from consult_aid.documents.facts_topics import topic_groups
from consult_aid.documents.facts_wording import (
    NOT_RECORDED,
    clinician_text,
    history_rows,
    or_not_recorded,
)
from consult_aid.documents.local_time import date_text, date_time_text, time_text
from consult_aid.documents.page_frame import dmy
from consult_aid.documents.record_model import Group, RecordFacts, Row
from consult_aid.documents.requests import RecordRequest
from consult_aid.domain.consultation import Decision, Detail, TopicState
from consult_aid.domain.documents import DocumentKind

PLANS = {
    Decision.PROCEED: (
        "The patient wishes to proceed. Consent will be confirmed with the patient on the "
        "day of the procedure, before it starts."
    ),
    Decision.TIME_TO_REFLECT: (
        "The patient wants time to reflect. Nothing is booked until they say so; consent "
        "will be confirmed on the day of any procedure, before it starts."
    ),
    Decision.DECLINE: (
        "The patient declines the procedure. They may come back to discuss it again at any time."
    ),
    Decision.UNDECIDED: (
        "No decision yet. Consent will be confirmed on the day of any procedure, before it starts."
    ),
}


def record_facts(request: RecordRequest) -> RecordFacts:
    """Gather every fact the record prints, in order."""
    return RecordFacts(
        title=DocumentKind.RECORD.heading,
        groups=(
            _patient(request),
            _clinician(request),
            _consultation(request),
            _procedure(request),
            *topic_groups(request),
            _summary(request),
            _checklists(request),
            _questions(request),
            _leaflet_and_decision(request),
            _content(request),
            Group("Change history", "Every change of state, oldest first.", history_rows(request)),
            # After the original content: an addendum amends the record, never rewrites it.
            *_addenda(request),
        ),
    )


def _addenda(request: RecordRequest) -> tuple[Group, ...]:
    if not request.addenda:
        return ()
    rows: list[Row] = []
    for number, addendum in enumerate(request.addenda, start=1):
        rows.extend(
            (
                Row(f"Addendum {number}: when", date_time_text(addendum.at)),
                Row(f"Addendum {number}: by", clinician_text(request.clinicians, addendum.by)),
                Row(f"Addendum {number}: why", addendum.reason),
                Row(f"Addendum {number}: what", addendum.text),
            )
        )
    note = (
        "Added after the record was finalised. The record above is as finalised; "
        "these entries amend it and are printed with it."
    )
    return (Group("Addenda", note, tuple(rows)),)


def _patient(request: RecordRequest) -> Group:
    patient = request.patient
    return Group(
        "Patient",
        "",
        (
            Row("Name", or_not_recorded(patient.name)),
            Row("Date of birth", dmy(patient.date_of_birth)),
            Row("NHS number", or_not_recorded(patient.nhs_number_display)),
            Row("Hospital number", or_not_recorded(patient.hospital_number)),
        ),
    )


def _clinician(request: RecordRequest) -> Group:
    clinician = request.clinicians.get(request.header.clinician_id)
    if clinician is None:
        return Group("Clinician", "", (Row("Name", NOT_RECORDED, alert=True),))
    return Group(
        "Clinician",
        "",
        (
            Row("Name", or_not_recorded(clinician.name)),
            Row("Role", clinician.role.value),
            Row("GMC number", or_not_recorded(clinician.gmc_number)),
            Row("Hospital", or_not_recorded(clinician.hospital)),
        ),
    )


def _consultation(request: RecordRequest) -> Group:
    header, state = request.header, request.state
    ended = state.ended_at
    capacity = state.capacity
    return Group(
        "The consultation",
        "",
        (
            Row("Date", date_text(header.started_at)),
            Row("Started", time_text(header.started_at)),
            Row("Ended", time_text(ended) if ended else "Not ended", alert=ended is None),
            Row("Place", or_not_recorded(state.detail(Detail.PLACE))),
            Row("Others present", or_not_recorded(state.detail(Detail.OTHERS_PRESENT))),
            Row("Interpreter", or_not_recorded(state.detail(Detail.INTERPRETER))),
            Row("Communication needs", or_not_recorded(state.detail(Detail.COMMUNICATION_NEEDS))),
            Row("Capacity", capacity.label, alert=capacity.value == "not_recorded"),
            Row("Capacity note", or_not_recorded(state.detail(Detail.CAPACITY_NOTE))),
        ),
    )


def _procedure(request: RecordRequest) -> Group:
    pack, header, state = request.pack, request.header, request.state
    try:
        variant = pack.variant(header.variant_id).name
    except KeyError:
        variant = header.variant_id
    mdt = state.detail(Detail.MDT_DATE)
    mdt_text = mdt[8:10] + "/" + mdt[5:7] + "/" + mdt[:4] if len(mdt) == 10 else mdt
    return Group(
        "The procedure",
        "",
        (
            Row("Procedure", pack.procedure),
            Row("Variant", variant),
            Row("Vertebral level(s)", or_not_recorded(state.detail(Detail.LEVELS))),
            Row("MDT discussion date", or_not_recorded(mdt_text)),
        ),
    )


def _summary(request: RecordRequest) -> Group:
    state = request.state
    topics = request.pack.topics_for(request.header.variant_id)

    def titles(match: TopicState | None) -> str:
        chosen = [
            t.title
            for t in topics
            if (state.topic(t.id).material if match is None else state.topic(t.id).state is match)
        ]
        return "; ".join(chosen) if chosen else "None"

    open_titles = titles(TopicState.NOT_ADDRESSED)
    return Group(
        "Summary",
        "",
        (
            Row("Material to this patient", titles(None)),
            Row("Information the patient chose not to hear", titles(TopicState.DECLINED)),
            Row("Not yet addressed", open_titles, alert=open_titles != "None"),
        ),
    )


def _checklists(request: RecordRequest) -> Group:
    pack, state = request.pack, request.state
    factors = [item.label for item in pack.risk_factors if item.id in state.risk_factors]
    medicines = [item.label for item in pack.medicines if item.id in state.medicines]
    return Group(
        "Risk factors and medicines noted",
        "",
        (
            Row("Risk factors", "; ".join(factors) or "None noted"),
            Row("Medicines", "; ".join(medicines) or "None noted"),
        ),
    )


def _questions(request: RecordRequest) -> Group:
    rows: list[Row] = []
    for number, question in enumerate(request.state.questions, start=1):
        rows.append(Row(f"Question {number}", or_not_recorded(question.question)))
        rows.append(Row(f"Answer {number}", or_not_recorded(question.answer)))
    if not rows:
        rows.append(Row("Questions", "None recorded"))
    return Group("The patient's questions, in their words, and the answers", "", tuple(rows))


def _leaflet_and_decision(request: RecordRequest) -> Group:
    pack, state = request.pack, request.state
    decision = state.decision
    return Group(
        "Leaflet and decision",
        "",
        (
            Row("Leaflet given", f"{DocumentKind.LEAFLET.heading}: {pack.title}"),
            Row("Leaflet version", f"Content version {pack.info.version}"),
            Row("Leaflet format", request.leaflet_format.label),
            Row("Decision", decision.label, alert=decision is Decision.UNDECIDED),
            Row("Plan", PLANS[decision]),
        ),
    )


def _content(request: RecordRequest) -> Group:
    header, info = request.header, request.pack.info
    rows = [
        Row("Content pack", header.pack_id),
        Row("Version", header.pack_version),
        Row("Content hash (SHA-256)", header.pack_hash),
        Row("Approved by", f"{info.approver}, {dmy(info.approved_on)}"),
    ]
    if (header.pack_version, header.pack_hash) != (info.version, info.content_hash):
        rows.append(
            Row(
                "Warning",
                f"The wording printed here is from content version {info.version} "
                f"({info.content_hash}), not the version this discussion was held with.",
                alert=True,
            )
        )
    return Group("Content the discussion was held with", "", tuple(rows))
