"""The coverage report's tables: topic × state shares, and the records left unaddressed.

Each share cell reads "80% (8)": the percentage and the count behind it.
A breakdown picks the figures overall, for one clinician or for one month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from consult_aid.domain import nhs_number
from consult_aid.domain.consultation import TopicState
from consult_aid.ui.text import STATE_MARKS, local_time

if TYPE_CHECKING:
    from consult_aid.services.reporting.coverage import TopicCoverage

_Index = QModelIndex | QPersistentModelIndex

# The order of the shares, in the table, the chart and the CSV.
SHARE_STATES = (
    TopicState.DISCUSSED,
    TopicState.DECLINED,
    TopicState.NOT_APPLICABLE,
    TopicState.NOT_ADDRESSED,
)
SHARE_TITLES = ("Discussed", "Declined", "Not applicable", "Not addressed")

# A breakdown: None (overall), ("clinician", name) or ("month", "2025-03").
Breakdown = tuple[str, str] | None


def counts_for(topic: TopicCoverage, breakdown: Breakdown) -> Any:
    """A topic's StateCounts for the breakdown chosen (None where it has no records there)."""
    if breakdown is None:
        return topic.overall
    kind, key = breakdown
    pairs = topic.by_clinician if kind == "clinician" else topic.by_month
    return dict(pairs).get(key)


def share_text(counts: Any, state: TopicState) -> str:
    """The share as "80% (8)", or a dash where the topic counted for no record."""
    if counts is None or counts.total == 0:
        return "–"
    return f"{round(counts.share(state) * 100)}% ({counts.count(state)})"


class CoverageModel(QAbstractTableModel):
    """One row per topic: its title, the records it counted for, and a share per state.

    Attributes:
        topics: the report's topics, in pack order.
        breakdown: whose figures are shown.
    """

    HEADERS = (
        "Topic",
        "Records",
        *(f"{STATE_MARKS[s]} {t}" for s, t in zip(SHARE_STATES, SHARE_TITLES, strict=True)),
    )

    def __init__(self) -> None:
        super().__init__(None)
        self.topics: list[TopicCoverage] = []
        self.breakdown: Breakdown = None

    def set_report(self, topics: list[TopicCoverage], breakdown: Breakdown) -> None:
        """Show a report's topics for a breakdown."""
        self.beginResetModel()
        self.topics, self.breakdown = list(topics), breakdown
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.topics)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or not 0 <= index.row() < len(self.topics):
            return None
        topic = self.topics[index.row()]
        counts = counts_for(topic, self.breakdown)
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return topic.title
            if column == 1:
                return str(counts.total if counts is not None else 0)
            if 2 <= column < len(self.HEADERS):
                return share_text(counts, SHARE_STATES[column - 2])
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)


class UnaddressedModel(QAbstractTableModel):
    """Records in which a material risk or an alternative was left not addressed.

    Attributes:
        items: the report's UnaddressedItems, oldest first.
    """

    HEADERS = ("Started", "Patient", "NHS number", "Clinician", "Topic", "Left unaddressed")

    def __init__(self) -> None:
        super().__init__(None)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                local_time(item.started_at),
                item.patient_name,
                nhs_number.display(item.nhs_number),
                item.clinician_name,
                item.topic_title,
                item.why,
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return item.consultation_id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)
