"""The walkthrough's navigator: sections, each holding its topics and their states.

Two columns: the title, and the state as words with a mark and a colour, so
that the state never rests on colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from consult_aid.domain.consultation import ConsultationState, TopicState
from consult_aid.domain.content import Section
from consult_aid.ui.text import STATE_COLOURS, short_state_text

_Index = QModelIndex | QPersistentModelIndex
# internalId of a section row; a topic row carries its section's position + 1.
_SECTION_ID = 0
TOPIC_ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1


class NavigatorModel(QAbstractItemModel):
    """Adapts a pack's sections and a consultation's state for a QTreeView.

    Attributes:
        sections: the sections of this consultation's variant.
        state: the consultation's current state.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.sections: tuple[Section, ...] = ()
        self.state = ConsultationState()

    def set_content(self, sections: tuple[Section, ...], state: ConsultationState) -> None:
        """Show another consultation."""
        self.beginResetModel()
        self.sections = sections
        self.state = state
        self.endResetModel()

    def set_state(self, state: ConsultationState) -> None:
        """Show new topic states without disturbing selection or expansion."""
        self.state = state
        for row, section in enumerate(self.sections):
            parent = self.index(row, 0)
            self.dataChanged.emit(parent, self.index(row, 1))
            if section.topics:
                self.dataChanged.emit(
                    self.index(0, 0, parent), self.index(len(section.topics) - 1, 1, parent)
                )

    def index_of(self, topic_id: str) -> QModelIndex:
        """The title cell of a topic, or an invalid index."""
        for row, section in enumerate(self.sections):
            for topic_row, topic in enumerate(section.topics):
                if topic.id == topic_id:
                    return self.index(topic_row, 0, self.index(row, 0))
        return QModelIndex()

    def topic_id(self, index: _Index) -> str | None:
        """The topic on a row, or None for a section or nothing."""
        value = index.data(TOPIC_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, str) else None

    def index(  # noqa: D102
        self,
        row: int,
        column: int,
        parent: _Index = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _SECTION_ID)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008, D102
        if not index.isValid():
            return QModelIndex()
        section_id = int(index.internalId())
        if section_id == _SECTION_ID:
            return QModelIndex()
        return self.createIndex(section_id - 1, 0, _SECTION_ID)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        if not parent.isValid():
            return len(self.sections)
        if parent.column() != 0 or int(parent.internalId()) != _SECTION_ID:
            return 0
        return len(self.sections[parent.row()].topics)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 2

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ("Topic", "State")[section] if section in (0, 1) else None
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid():
            return None
        section_id = int(index.internalId())
        if section_id == _SECTION_ID:
            return self._section_data(index.row(), index.column(), role)
        return self._topic_data(section_id - 1, index.row(), index.column(), role)

    def _section_data(self, row: int, column: int, role: int) -> object:
        section = self.sections[row]
        settled = sum(
            1
            for t in section.topics
            if self.state.topic(t.id).state is not TopicState.NOT_ADDRESSED
        )
        summary = f"{settled} of {len(section.topics)} settled"
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title if column == 0 else f"{settled}/{len(section.topics)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section.title}: {summary}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Section {section.title}: {summary}"
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _topic_data(self, section_row: int, row: int, column: int, role: int) -> object:
        section = self.sections[section_row]
        topic = section.topics[row]
        record = self.state.topic(topic.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return topic.title if column == 0 else short_state_text(record.state)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{topic.title}: {record.state.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            reason = f" ({record.reason})" if record.reason else ""
            return f"{topic.title}: {record.state.label}{reason}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(STATE_COLOURS[record.state]))
        if role == TOPIC_ID_ROLE:
            return topic.id
        if role == STATE_ROLE:
            return record.state.value
        return None
