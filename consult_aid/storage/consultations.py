"""Consultation headers and their append-only change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult_aid.domain.consultation import Change, ChangeKind, ConsultationHeader
from consult_aid.storage.models import ChangeRow, ConsultationRow, PatientRow


class ConsultationRepository:
    """Creates consultations and appends to their change logs, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        patient_id: int,
        clinician_id: int,
        pack_id: str,
        pack_version: str,
        pack_hash: str,
        variant_id: str,
        started_at: datetime,
    ) -> ConsultationHeader:
        """Store a new consultation's header and return it with its id."""
        row = ConsultationRow(
            patient_id=patient_id,
            # The records browser's copy of the patient's key (kept by PatientRepository).
            patient_key=self._session.get_one(PatientRow, patient_id).search_key,
            clinician_id=clinician_id,
            pack_id=pack_id,
            pack_version=pack_version,
            pack_hash=pack_hash,
            variant_id=variant_id,
            started_at=started_at,
            ended_at=None,
        )
        self._session.add(row)
        self._session.flush()
        return to_header(row)

    def header(self, consultation_id: int) -> ConsultationHeader | None:
        """The consultation's header, or None when there is no such consultation."""
        row = self._session.get(ConsultationRow, consultation_id)
        return None if row is None else to_header(row)

    def listed(
        self,
        *,
        unfinished_only: bool = False,
        clinician_id: int | None = None,
        patient_id: int | None = None,
    ) -> list[tuple[ConsultationHeader, datetime | None]]:
        """Headers with their end times, newest first."""
        query = select(ConsultationRow).order_by(
            ConsultationRow.started_at.desc(), ConsultationRow.id.desc()
        )
        if unfinished_only:
            # A finalised record cannot be changed, so it is never offered for resuming.
            query = query.where(
                ConsultationRow.ended_at.is_(None), ConsultationRow.finalised_at.is_(None)
            )
        if clinician_id is not None:
            query = query.where(ConsultationRow.clinician_id == clinician_id)
        if patient_id is not None:
            query = query.where(ConsultationRow.patient_id == patient_id)
        return [(to_header(row), row.ended_at) for row in self._session.scalars(query)]

    def append(
        self,
        consultation_id: int,
        kind: ChangeKind,
        key: str,
        value: dict[str, Any],
        at: datetime,
        by: int,
    ) -> Change:
        """Add the next entry to the log; the caller's transaction makes it durable."""
        last = self._session.scalar(
            select(func.max(ChangeRow.seq)).where(ChangeRow.consultation_id == consultation_id)
        )
        row = ChangeRow(
            consultation_id=consultation_id,
            seq=(last or 0) + 1,
            kind=kind.value,
            key=key,
            value=value,
            at=at,
            clinician_id=by,
        )
        self._session.add(row)
        self._session.flush()
        return to_change(row)

    def last_seq(self, consultation_id: int) -> int:
        """The number of the last change (0: none): the version of the record."""
        query = select(func.max(ChangeRow.seq)).where(ChangeRow.consultation_id == consultation_id)
        return self._session.scalar(query) or 0

    def changes(self, consultation_id: int) -> list[Change]:
        """The whole log, oldest first."""
        rows = self._session.scalars(
            select(ChangeRow)
            .where(ChangeRow.consultation_id == consultation_id)
            .order_by(ChangeRow.seq)
        )
        return [to_change(row) for row in rows]


def to_header(row: ConsultationRow) -> ConsultationHeader:
    """The domain view of a stored header."""
    return ConsultationHeader(
        id=row.id,
        patient_id=row.patient_id,
        clinician_id=row.clinician_id,
        pack_id=row.pack_id,
        pack_version=row.pack_version,
        pack_hash=row.pack_hash,
        variant_id=row.variant_id,
        started_at=row.started_at,
    )


def to_change(row: ChangeRow) -> Change:
    """The domain view of a stored log entry."""
    return Change(
        seq=row.seq,
        kind=ChangeKind(row.kind),
        key=row.key,
        value=dict(row.value),
        at=row.at,
        clinician_id=row.clinician_id,
    )
