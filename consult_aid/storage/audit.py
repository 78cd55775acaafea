"""The audit trail: one appended row for every write, in the writer's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult_aid.storage.models import AuditRow


class AuditLog:
    """Appends to and reads the audit trail; rows are never changed or removed."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        *,
        at: datetime,
        clinician_id: int | None,
        action: str,
        entity: str,
        entity_id: int | str,
        detail: dict[str, Any] | None = None,
    ) -> AuditRow:
        """Append one row; ``clinician_id`` is None only for first-run setup."""
        row = AuditRow(
            at=at,
            clinician_id=clinician_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=detail or {},
        )
        self._session.add(row)
        self._session.flush()
        return row

    def rows(self, entity: str | None = None, entity_id: int | str | None = None) -> list[AuditRow]:
        """Rows oldest first, optionally those about one entity."""
        query = select(AuditRow).order_by(AuditRow.id)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditRow.entity_id == str(entity_id))
        return list(self._session.scalars(query))
