"""The record of every print and save of a document, handed out as domain events."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult_aid.domain.documents import DocumentEvent, DocumentKind, LeafletFormat, Output
from consult_aid.storage.models import ChangeRow, DocumentEventRow


class DocumentEventRepository:
    """Appends and reads document events inside the caller's session; rows never change."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_all(self, events: Iterable[DocumentEvent]) -> list[int]:
        """Append the events in order; return their new ids."""
        rows = [_to_row(event) for event in events]
        self._session.add_all(rows)
        self._session.flush()
        return [row.id for row in rows]

    def for_patient(self, patient_id: int) -> list[DocumentEvent]:
        """A patient's events, oldest first."""
        query = (
            select(DocumentEventRow)
            .where(DocumentEventRow.patient_id == patient_id)
            .order_by(DocumentEventRow.id)
        )
        return [_to_event(row) for row in self._session.scalars(query)]

    def last_change_seq(self, consultation_id: int) -> int:
        """The consultation's last change number: the version of the record printed from it."""
        query = select(func.max(ChangeRow.seq)).where(ChangeRow.consultation_id == consultation_id)
        return self._session.scalar(query) or 0


def _to_row(event: DocumentEvent) -> DocumentEventRow:
    return DocumentEventRow(
        kind=event.kind.value,
        output=event.output.value,
        destination=event.destination,
        patient_id=event.patient_id,
        consultation_id=event.consultation_id,
        record_version=event.record_version,
        leaflet_format=event.leaflet_format.value,
        pack_version=event.pack_version,
        pack_hash=event.pack_hash,
        sha256=event.sha256,
        at=event.at,
        by=event.by,
    )


def _to_event(row: DocumentEventRow) -> DocumentEvent:
    return DocumentEvent(
        kind=DocumentKind(row.kind),
        output=Output(row.output),
        destination=row.destination,
        patient_id=row.patient_id,
        consultation_id=row.consultation_id,
        record_version=row.record_version,
        leaflet_format=LeafletFormat(row.leaflet_format),
        pack_version=row.pack_version,
        pack_hash=row.pack_hash,
        sha256=row.sha256,
        at=row.at,
        by=row.by,
    )
