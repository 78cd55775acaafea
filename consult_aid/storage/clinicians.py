"""Clinician profiles in the store, handed out as domain objects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.storage.models import ClinicianRow


class ClinicianRepository:
    """Reads and writes clinician rows inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, draft: ClinicianDraft, at: datetime) -> Clinician:
        """Store a validated draft and return it with its new id."""
        row = ClinicianRow(created_at=at, updated_at=at)
        _fill(row, draft)
        self._session.add(row)
        self._session.flush()
        return to_clinician(row)

    def update(self, clinician_id: int, draft: ClinicianDraft, at: datetime) -> Clinician | None:
        """Overwrite a profile with a validated draft; None when there is no such clinician."""
        row = self._session.get(ClinicianRow, clinician_id)
        if row is None:
            return None
        _fill(row, draft)
        row.updated_at = at
        self._session.flush()
        return to_clinician(row)

    def get(self, clinician_id: int) -> Clinician | None:
        """The clinician, or None."""
        row = self._session.get(ClinicianRow, clinician_id)
        return None if row is None else to_clinician(row)

    def all(self) -> list[Clinician]:
        """Every clinician, in the order they were added."""
        rows = self._session.scalars(select(ClinicianRow).order_by(ClinicianRow.id))
        return [to_clinician(row) for row in rows]


def _fill(row: ClinicianRow, draft: ClinicianDraft) -> None:
    row.name = draft.name
    row.role = draft.role.value
    row.gmc_number = draft.gmc_number
    row.hospital = draft.hospital


def to_clinician(row: ClinicianRow) -> Clinician:
    """The domain view of a stored row."""
    return Clinician(
        id=row.id,
        name=row.name,
        role=ClinicianRole(row.role),
        gmc_number=row.gmc_number,
        hospital=row.hospital,
    )
