"""A record's change history as a table: number, when, who, what, and the value set."""

from __future__ import annotations

import json

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from consult_aid.domain.consultation import Change, ChangeKind, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.ui.models.list_table import column_title
from consult_aid.ui.text import local_time

_HEADERS = ("No.", "When", "Who", "What", "Value")
_Index = QModelIndex | QPersistentModelIndex

_KIND_WORDS = {
    ChangeKind.CREATED: "Started",
    ChangeKind.RESUMED: "Resumed",
    ChangeKind.TOPIC_STATE: "Topic state",
    ChangeKind.TOPIC_NOTE: "Topic note",
    ChangeKind.TOPIC_MATERIAL: "Material to patient",
    ChangeKind.RISK_FACTOR: "Risk factor",
    ChangeKind.MEDICINE: "Medicine",
    ChangeKind.QUESTION: "Question",
    ChangeKind.DETAIL: "Detail",
    ChangeKind.ENDED: "Ended",
}


def what_text(change: Change, pack: ContentPack | None) -> str:
    """The kind of change and what it was about, by its title where the pack knows it."""
    word = _KIND_WORDS.get(change.kind, str(change.kind))
    key = change.key
    if pack is not None and key and pack.has_topic(key):
        key = pack.topic(key).title
    return f"{word}: {key}" if key and change.kind is not ChangeKind.CREATED else word


def value_text(change: Change) -> str:
    """The value set, in words where it is a topic state; otherwise as stored."""
    value = change.value
    if change.kind is ChangeKind.CREATED:
        return (
            f"content version {value.get('pack_version', '?')}, "
            f"variant {value.get('variant_id', '?')}"
        )
    if change.kind is ChangeKind.TOPIC_STATE and "state" in value:
        text = TopicState(value["state"]).label
        return f"{text} — {value['reason']}" if value.get("reason") else text
    if set(value) == {"text"}:
        return str(value["text"])
    if set(value) == {"value"}:
        return str(value["value"])
    return json.dumps(value, ensure_ascii=False) if value else ""


class HistoryModel(QAbstractTableModel):
    """Adapts a change log (oldest first) for a QTableView.

    Attributes:
        changes: the rows.
        names: clinician id -> name.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.changes: list[Change] = []
        self.names: dict[int, str] = {}
        self._pack: ContentPack | None = None

    def set_history(
        self, changes: list[Change], names: dict[int, str], pack: ContentPack | None
    ) -> None:
        """Show a new change log."""
        self.beginResetModel()
        self.changes, self.names, self._pack = list(changes), dict(names), pack
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or not 0 <= index.row() < len(self.changes):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        change = self.changes[index.row()]
        column = index.column()
        if column == 0:
            return str(change.seq)
        if column == 1:
            return local_time(change.at)
        if column == 2:
            return self.names.get(change.clinician_id, f"clinician no. {change.clinician_id}")
        if column == 3:
            return what_text(change, self._pack)
        if column == 4:
            return value_text(change)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        title = column_title(_HEADERS, section, orientation, role)
        return title if title is not None else super().headerData(section, orientation, role)
