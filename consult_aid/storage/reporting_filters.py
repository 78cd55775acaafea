"""The records filter and sort keys, as SQL: WHERE clauses on consultations, and orders.

A filter becomes conditions on the consultations table only, so a count, a
page, a coverage sum and an export all narrow the same way. Where a condition
needs another table (the decision, addenda, the patient search), it is a set
membership test (``IN (SELECT ...)``), which the database builds once, rather
than a look-up per consultation scanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, or_, select

from consult_aid.domain import nhs_number
from consult_aid.domain.consultation import Decision, Detail
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.models import (
    AddendumRow,
    ClinicianRow,
    ConsultationRow,
    DetailRow,
    PatientRow,
)
from consult_aid.storage.search_key import fold

_LIKE_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Which records to show; None (or empty text) means any.

    Attributes:
        date_from, date_to: first and last day (inclusive) the consultation started, in UTC.
        decision: the recorded decision (a decision never set counts as undecided).
        status: draft, finalised, or amended (finalised with at least one addendum).
        patient_text: words beginning the patient's name (any case or accents), or the
            start of an NHS number (spaces allowed) or of a hospital number.
    """

    date_from: date | None = None
    date_to: date | None = None
    clinician_id: int | None = None
    pack_id: str | None = None
    variant_id: str | None = None
    decision: Decision | None = None
    status: RecordStatus | None = None
    patient_text: str = ""


class SortKey(StrEnum):
    """What the records can be ordered by."""

    STARTED_AT = "started_at"
    PATIENT = "patient"
    CLINICIAN = "clinician"
    DECISION = "decision"
    STATUS = "status"


# The decision as recorded; no row means it was never set, which reads as undecided.
decision_value = (
    select(DetailRow.value)
    .where(
        DetailRow.consultation_id == ConsultationRow.id, DetailRow.detail == Detail.DECISION.value
    )
    .correlate(ConsultationRow)
    .scalar_subquery()
)
decision_column = func.coalesce(decision_value, Decision.UNDECIDED.value)
has_addenda = exists().where(AddendumRow.consultation_id == ConsultationRow.id)
# As filters, set membership: the database builds the set once, rather than
# looking a row up for every consultation it scans.
amended = ConsultationRow.id.in_(select(AddendumRow.consultation_id))
status_column = case(
    (ConsultationRow.finalised_at.is_(None), RecordStatus.DRAFT.value),
    (has_addenda, RecordStatus.AMENDED.value),
    else_=RecordStatus.FINALISED.value,
)


def filter_conditions(record_filter: RecordFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses on consultations that a filter asks for."""
    f, c = record_filter, ConsultationRow
    where: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        where.append(c.started_at >= _midnight(f.date_from))
    if f.date_to is not None:
        where.append(c.started_at < _midnight(f.date_to + timedelta(days=1)))
    if f.clinician_id is not None:
        where.append(c.clinician_id == f.clinician_id)
    if f.pack_id is not None:
        where.append(c.pack_id == f.pack_id)
    if f.variant_id is not None:
        where.append(c.variant_id == f.variant_id)
    if f.decision is not None:
        where.append(decision_is(f.decision))
    if f.status is not None:
        where.append(status_is(f.status))
    if f.patient_text.strip():
        matching = select(PatientRow.id).where(_patient_matches(f.patient_text))
        where.append(c.patient_id.in_(matching))
    return where


def needs_rows(record_filter: RecordFilter) -> bool:
    """Whether the filter tests more than the start time and the clinician.

    Those two are held by the start-time indexes, so a filter on them alone is
    answered from an index; anything else reads each candidate record.
    """
    f = record_filter
    tested = (f.pack_id, f.variant_id, f.decision, f.status)
    return any(value is not None for value in tested) or bool(f.patient_text.strip())


def decision_is(decision: Decision) -> ColumnElement[bool]:
    """The records whose recorded decision is this one (never set counts as undecided)."""
    chosen = select(DetailRow.consultation_id).where(DetailRow.detail == Detail.DECISION.value)
    if decision is Decision.UNDECIDED:
        return ConsultationRow.id.not_in(chosen.where(DetailRow.value != decision.value))
    return ConsultationRow.id.in_(chosen.where(DetailRow.value == decision.value))


def status_is(status: RecordStatus) -> ColumnElement[bool]:
    """The records with this status."""
    if status is RecordStatus.DRAFT:
        return ConsultationRow.finalised_at.is_(None)
    finalised = ConsultationRow.finalised_at.is_not(None)
    return and_(finalised, amended if status is RecordStatus.AMENDED else ~amended)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _patient_matches(text: str) -> ColumnElement[bool]:
    # The same rules as the patient search: every word begins a word of the folded name.
    words = fold(text).split()
    name = and_(
        *[
            (" " + PatientRow.search_key).like(f"% {_escape(w)}%", escape=_LIKE_ESCAPE)
            for w in words
        ]
    )
    typed = text.strip().upper()
    matches = [
        name if words else false(),
        and_(
            PatientRow.hospital_number.like(_escape(typed) + "%", escape=_LIKE_ESCAPE),
            PatientRow.hospital_number != "",
        ),
    ]
    digits = nhs_number.normalise(text)
    if digits.isascii() and digits.isdigit():
        matches.append(PatientRow.nhs_number.like(_escape(digits) + "%", escape=_LIKE_ESCAPE))
    return or_(*matches)


def _escape(text: str) -> str:
    """Make LIKE's wildcards in typed text match themselves."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def order_for(sort: SortKey) -> tuple[list[Any], list[Any]]:
    """The joins and the order for a sort key; every order ends with the id, so it is total."""
    c = ConsultationRow
    if sort is SortKey.PATIENT:
        return [PatientRow], [PatientRow.search_key, PatientRow.id, c.started_at, c.id]
    if sort is SortKey.CLINICIAN:
        return [ClinicianRow], [ClinicianRow.name, ClinicianRow.id, c.started_at, c.id]
    if sort is SortKey.DECISION:
        rank = case({d.value: i for i, d in enumerate(Decision)}, value=decision_column)
        return [], [rank, c.started_at, c.id]
    if sort is SortKey.STATUS:
        rank = case({st.value: i for i, st in enumerate(RecordStatus)}, value=status_column)
        return [], [rank, c.started_at, c.id]
    return [], [c.started_at, c.id]


def partitions_for(sort: SortKey) -> list[ColumnElement[bool]] | None:
    """For a sort on a key with few values, one condition per value, in the key's order."""
    if sort is SortKey.DECISION:
        return [decision_is(decision) for decision in Decision]
    if sort is SortKey.STATUS:
        return [status_is(status) for status in RecordStatus]
    return None
