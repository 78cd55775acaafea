"""Patients in the store, handed out as domain objects, and the patient search."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlalchemy.orm import Session

from consult_aid.domain import nhs_number
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.people import Patient, PatientDraft
from consult_aid.storage.models import ConsultationRow, PatientRow
from consult_aid.storage.search_key import fold

_LIKE_ESCAPE = "\\"


class PatientRepository:
    """Reads and writes patient rows inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, draft: PatientDraft, at: datetime, by: int) -> Patient:
        """Store a validated draft and return it with its new id."""
        row = PatientRow(created_at=at, created_by=by, updated_at=at, updated_by=by)
        _fill(row, draft)
        self._session.add(row)
        self._session.flush()
        return to_patient(row)

    def update(self, patient_id: int, draft: PatientDraft, at: datetime, by: int) -> Patient:
        """Overwrite a stored patient with a validated draft (the row must exist)."""
        row = self._session.get_one(PatientRow, patient_id)
        _fill(row, draft)
        row.updated_at = at
        row.updated_by = by
        self._session.flush()
        # The records browser's copy of the key on each of the patient's consultations.
        self._session.execute(
            update(ConsultationRow)
            .where(
                ConsultationRow.patient_id == patient_id,
                ConsultationRow.patient_key != row.search_key,
            )
            .values(patient_key=row.search_key)
            .execution_options(synchronize_session=False)
        )
        return to_patient(row)

    def set_leaflet_format(
        self, patient_id: int, fmt: LeafletFormat, at: datetime, by: int
    ) -> Patient:
        """Remember the print size chosen for a patient (the row must exist)."""
        row = self._session.get_one(PatientRow, patient_id)
        row.leaflet_format = fmt.value
        row.updated_at = at
        row.updated_by = by
        self._session.flush()
        return to_patient(row)

    def get(self, patient_id: int) -> Patient | None:
        """The patient, or None."""
        row = self._session.get(PatientRow, patient_id)
        return None if row is None else to_patient(row)

    def by_nhs_number(self, digits: str) -> Patient | None:
        """The patient holding this NHS number (ten digits, no spaces), or None."""
        row = self._session.scalars(
            select(PatientRow).where(PatientRow.nhs_number == digits)
        ).one_or_none()
        return None if row is None else to_patient(row)

    def search(self, text: str, limit: int) -> list[Patient]:
        """Patients whose name words, NHS number or hospital number begin as typed.

        Every typed word must begin a word of the name ("zoe lukas" finds "Zoë
        Łukasiewicz"); a run of digits, with or without spaces, is an NHS number
        prefix; the whole text may also begin a hospital number. No text gives
        the patients added most recently.
        """
        if not text.strip():
            newest = select(PatientRow).order_by(PatientRow.created_at.desc(), PatientRow.id.desc())
            return [to_patient(row) for row in self._session.scalars(newest.limit(limit))]
        matches = [_name_matches(text), _hospital_number_matches(text)]
        digits = nhs_number.normalise(text)
        if digits.isascii() and digits.isdigit():
            matches.append(PatientRow.nhs_number.like(_escape(digits) + "%", escape=_LIKE_ESCAPE))
        query = (
            select(PatientRow)
            .where(or_(*matches))
            .order_by(PatientRow.search_key, PatientRow.id)
            .limit(limit)
        )
        return [to_patient(row) for row in self._session.scalars(query)]


def _name_matches(text: str) -> ColumnElement[bool]:
    words = fold(text).split()
    # A space in front of the key makes "begins a word" one LIKE pattern per word.
    conditions = [
        (" " + PatientRow.search_key).like(f"% {_escape(word)}%", escape=_LIKE_ESCAPE)
        for word in words
    ]
    return and_(*conditions) if conditions else false()


def _hospital_number_matches(text: str) -> ColumnElement[bool]:
    typed = text.strip().upper()
    return PatientRow.hospital_number.like(_escape(typed) + "%", escape=_LIKE_ESCAPE) & (
        PatientRow.hospital_number != ""
    )


def _escape(text: str) -> str:
    """Make LIKE's wildcards in typed text match themselves."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def _fill(row: PatientRow, draft: PatientDraft) -> None:
    if draft.date_of_birth is None:
        raise ValueError("store only a validated draft (it has a date of birth)")
    row.name = draft.name
    row.search_key = fold(draft.name)
    row.date_of_birth = draft.date_of_birth
    row.nhs_number = draft.nhs_number
    row.hospital_number = draft.hospital_number


def to_patient(row: PatientRow) -> Patient:
    """The domain view of a stored row."""
    return Patient(
        id=row.id,
        name=row.name,
        date_of_birth=row.date_of_birth,
        nhs_number=row.nhs_number,
        hospital_number=row.hospital_number,
        leaflet_format=LeafletFormat(row.leaflet_format),
    )
