"""Stored content-pack texts, keyed by content hash: what an old consultation was held with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from consult_aid.storage.models import PackSnapshotRow


class PackSnapshotRepository:
    """Keeps each distinct pack text once; a stored text is never changed."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def has(self, content_hash: str) -> bool:
        """True when this exact text is stored."""
        return self._session.get(PackSnapshotRow, content_hash) is not None

    def add(
        self, *, content_hash: str, pack_id: str, version: str, text: str, at: datetime
    ) -> bool:
        """Store a text unless it is already there; True when it was new."""
        if self.has(content_hash):
            return False
        self._session.add(
            PackSnapshotRow(
                content_hash=content_hash, pack_id=pack_id, version=version, text=text, stored_at=at
            )
        )
        self._session.flush()
        return True

    def text(self, content_hash: str) -> str | None:
        """The stored text, or None when no pack with this hash was ever stored."""
        row = self._session.get(PackSnapshotRow, content_hash)
        return None if row is None else row.text
