"""The topics still open in a consultation, as a list to jump from."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class OpenTopic:
    """One open topic: its id, title and the section it sits in."""

    topic_id: str
    title: str
    section: str


class OpenTopicsModel(QAbstractListModel):
    """Adapts the open topics for a QListView.

    Attributes:
        topics: the rows, in walkthrough order.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.topics: list[OpenTopic] = []

    def set_topics(self, topics: list[OpenTopic]) -> None:
        """Show a new list of open topics."""
        self.beginResetModel()
        self.topics = list(topics)
        self.endResetModel()

    def topic_id_at(self, row: int) -> str | None:
        """The topic id on a row, or None outside the list."""
        return self.topics[row].topic_id if 0 <= row < len(self.topics) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.topics)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or index.row() >= len(self.topics):
            return None
        topic = self.topics[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{topic.title} ({topic.section})"
        if role == Qt.ItemDataRole.UserRole:
            return topic.topic_id
        return None
