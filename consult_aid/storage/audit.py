"""The audit trail: one appended, signed event for every action, in the writer's transaction.

Each event names when (UTC), who, on which workstation, the record and its
version, and what changed (old and new value where there was an old one). It
is signed into the keyed hash chain (audit_chain) as it is appended, and every
block of events is sealed once complete (audit_seals); the key
comes with the session (``Database(audit_key=...)``), never from the database.
Appends happen in write sessions, which hold SQLite's write lock from their
first statement, so two writers never read the same previous mac.
"""

from __future__ import annotations

import socket
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from consult_aid.storage.audit_chain import (
    SELECT_EVENTS,
    event_mac,
    read_head,
    stored_change_digest,
    stored_event,
    write_head,
)
from consult_aid.storage.audit_seals import seal_due
from consult_aid.storage.database import AUDIT_KEY_INFO
from consult_aid.storage.models import AuditRow


class AuditChainError(RuntimeError):
    """No event can be signed: the key is missing, or the chain's head is gone."""


class MissingAuditKey(AuditChainError):
    """The database was opened without the audit key, so no event can be signed."""


@cache
def workstation() -> str:
    """This machine's name, as the audit trail records it."""
    return socket.gethostname()


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
        record_version: int | None = None,
        old_value: Any = None,
        new_value: Any = None,
        row_digest: str | None = None,
    ) -> AuditRow:
        """Append one signed event; ``clinician_id`` is None only for first-run setup.

        Raises:
            MissingAuditKey: the session's database was opened without a key.
            AuditChainError: the chain's head is missing while signed events exist.
        """
        key = self._session.info.get(AUDIT_KEY_INFO)
        if not isinstance(key, bytes) or not key:
            raise MissingAuditKey("The audit key is missing: events cannot be signed.")
        row = AuditRow(
            at=at,
            clinician_id=clinician_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=detail or {},
            workstation=workstation(),
            record_version=record_version,
            old_value=old_value,
            new_value=new_value,
            row_digest=row_digest,
            mac=None,
        )
        self._session.add(row)
        self._session.flush()
        head = read_head(self._session)
        count, previous = (0, "") if head is None else (head.event_count, head.last_mac)
        if head is None:
            count, previous = _sign_earlier_events(self._session, key, row.id)
        row.mac = event_mac(key, stored_event(self._session, row.id), previous)
        self._session.flush()
        seals = seal_due(self._session, key)
        write_head(self._session, key, count + 1, row.id, row.mac, seals)
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


def _sign_earlier_events(session: Session, key: bytes, before_id: int) -> tuple[int, str]:
    """Sign the events written before the chain existed (an upgraded database), oldest first.

    Their consultation-change events gain the change's number and digest, which
    the checker compares with the change log. Returns the count and last mac.
    """
    legacy = session.scalars(
        select(AuditRow).where(AuditRow.id < before_id).order_by(AuditRow.id)
    ).all()
    if any(row.mac is not None for row in legacy):
        # Signed events without a head: the head was removed, perhaps to hide removed
        # events. Re-signing would bless that, so every audited write stops instead.
        raise AuditChainError(
            "The audit trail's head record is missing. Run 'consult-aid verify' and "
            "restore the database from a backup."
        )
    previous, count = "", 0
    for row in legacy:
        seq = row.detail.get("seq") if row.entity == "consultation" else None
        if isinstance(seq, int) and row.record_version is None:
            row.record_version = seq
            row.row_digest = stored_change_digest(session, int(row.entity_id), seq)
            session.flush()
        fields = session.execute(text(f"{SELECT_EVENTS} WHERE id = :id"), {"id": row.id}).one()
        row.mac = previous = event_mac(key, tuple(fields[:-1]), previous)
        count += 1
    session.flush()
    return count, previous
