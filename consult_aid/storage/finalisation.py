"""Finalised records (the PDF as finalised, with its proofs) and the addenda that amend them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult_aid.domain.finalisation import Addendum, RecordStatus
from consult_aid.storage.models import AddendumRow, ConsultationRow, FinalisedRecordRow
from consult_aid.storage.reporting_counts import CoverageCounts


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A finalised record as stored.

    Attributes:
        basis: the patient and clinicians as printed (plain JSON).
    """

    consultation_id: int
    pdf: bytes
    pdf_sha256: str
    fingerprint: str
    record_version: int
    made_at: datetime
    basis: dict[str, Any]


class FinalisationRepository:
    """Reads and writes finalisation and addenda inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def finalised(self, consultation_id: int) -> tuple[datetime, int] | None:
        """When and by whom the consultation was finalised, or None while it is a draft."""
        row = self._session.get_one(ConsultationRow, consultation_id)
        if row.finalised_at is None:
            return None
        return row.finalised_at, row.finalised_by or 0

    def finalise(self, record: StoredRecord, by: int) -> None:
        """Keep the record as finalised and mark its consultation finalised."""
        self._session.add(
            FinalisedRecordRow(
                consultation_id=record.consultation_id,
                pdf=record.pdf,
                pdf_sha256=record.pdf_sha256,
                fingerprint=record.fingerprint,
                record_version=record.record_version,
                made_at=record.made_at,
                basis=record.basis,
            )
        )
        row = self._session.get_one(ConsultationRow, record.consultation_id)
        row.finalised_at = record.made_at
        row.finalised_by = by
        row.status = RecordStatus.FINALISED.value  # the records browser's copy
        self._session.flush()
        # In this same transaction: a finalised record is counted for coverage exactly once.
        CoverageCounts(self._session).add_record(record.consultation_id)

    def record(self, consultation_id: int) -> StoredRecord | None:
        """The record as finalised, or None when it never was."""
        row = self._session.get(FinalisedRecordRow, consultation_id)
        if row is None:
            return None
        return StoredRecord(
            consultation_id=row.consultation_id,
            pdf=row.pdf,
            pdf_sha256=row.pdf_sha256,
            fingerprint=row.fingerprint,
            record_version=row.record_version,
            made_at=row.made_at,
            basis=dict(row.basis),
        )

    def add_addendum(
        self, consultation_id: int, at: datetime, by: int, reason: str, text: str
    ) -> Addendum:
        """Append an addendum and return it with its id."""
        row = AddendumRow(consultation_id=consultation_id, at=at, by=by, reason=reason, text=text)
        self._session.add(row)
        # The records browser's copy of the status: a finalised record with an addendum.
        self._session.get_one(ConsultationRow, consultation_id).status = RecordStatus.AMENDED.value
        self._session.flush()
        return _addendum(row)

    def addenda(self, consultation_id: int) -> list[Addendum]:
        """A record's addenda, oldest first."""
        query = (
            select(AddendumRow)
            .where(AddendumRow.consultation_id == consultation_id)
            .order_by(AddendumRow.id)
        )
        return [_addendum(row) for row in self._session.scalars(query)]

    def addendum_counts(self, consultation_ids: list[int]) -> dict[int, int]:
        """How many addenda each of these consultations has (absent: none)."""
        if not consultation_ids:
            return {}
        query = (
            select(AddendumRow.consultation_id, func.count())
            .where(AddendumRow.consultation_id.in_(consultation_ids))
            .group_by(AddendumRow.consultation_id)
        )
        return dict(self._session.execute(query).tuples())


def _addendum(row: AddendumRow) -> Addendum:
    return Addendum(
        id=row.id,
        consultation_id=row.consultation_id,
        at=row.at,
        by=row.by,
        reason=row.reason,
        text=row.text,
    )
