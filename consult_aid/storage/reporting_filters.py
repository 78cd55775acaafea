"""The records filter and sort keys, as SQL: WHERE clauses on consultations, and orders.

A filter becomes conditions on the consultations table only, so a count, a
page, a coverage sum and an export all narrow the same way. Every condition
but the patient search tests a column the browser's indexes hold (the decision
and the status are kept on the consultation for that: models.ConsultationRow),
so a filter is answered from an index alone. The patient search is a set
membership test (reporting_patients): the ids found once for all of a page's
queries (``resolved_conditions``), or a subquery the database builds once per
query, rather than a look-up per consultation scanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from consult_aid.domain.consultation import Decision
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.models import ConsultationRow
from consult_aid.storage.reporting_patients import (
    MAX_LISTED,
    FoundPatients,
    found_patients,
    patient_condition,
)


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


def resolved_conditions(
    session: Session, record_filter: RecordFilter, most: int = MAX_LISTED
) -> list[ColumnElement[bool]]:
    """``filter_conditions``, the patient search run once here for the queries to share."""
    return filter_conditions(record_filter, found_for(session, record_filter, most))


def found_for(
    session: Session, record_filter: RecordFilter, most: int = MAX_LISTED
) -> FoundPatients | None:
    """The patients the filter's patient search finds, if there is one and ``most`` at most.

    See reporting_patients.found_patients (None: the queries search for themselves).
    """
    text = record_filter.patient_text
    return found_patients(session, text, most) if text.strip() else None


def filter_conditions(
    record_filter: RecordFilter, patients: FoundPatients | None = None, *, seeks: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE clauses on consultations that a filter asks for.

    ``patients``: the patients the filter's patient search found, if it was run
    already (``found_for``); otherwise each query searches. ``seeks=False``
    (SQLite only): no condition but the patient search may lead SQLite to an
    index, so that the query reads the index the caller means it to (see
    reporting_pages).
    """
    f = record_filter
    c: Any = ConsultationRow if seeks else _Unindexed
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
        # Kept on the consultation ("undecided" while none is recorded).
        where.append(c.decision == f.decision.value)
    if f.status is not None:
        where.append(c.status == f.status.value)
    if f.patient_text.strip():
        where.append(patient_condition(f.patient_text, patients))
    return where


def unindexed(column: Any) -> Any:
    """``+column``: the same value, which SQLite then never looks up in an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


class _Unindexed:
    """The consultation columns a filter compares, each as ``unindexed``."""

    started_at = unindexed(ConsultationRow.started_at)
    clinician_id = unindexed(ConsultationRow.clinician_id)
    pack_id = unindexed(ConsultationRow.pack_id)
    variant_id = unindexed(ConsultationRow.variant_id)
    decision = unindexed(ConsultationRow.decision)
    status = unindexed(ConsultationRow.status)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


# The orders of the decisions and the statuses when records are sorted by them.
DECISIONS = [d.value for d in Decision]
STATUSES = [s.value for s in RecordStatus]
