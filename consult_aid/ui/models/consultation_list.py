"""A patient's consultations (or the ones left unfinished) as a list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from consult_aid.services.views import ConsultationSummary
from consult_aid.ui.text import local_time

_Index = QModelIndex | QPersistentModelIndex


def describe(summary: ConsultationSummary) -> str:
    """One line a person reads: when, what, how far, and whether it ended."""
    status = "ended" if summary.ended_at else "not finished"
    return (
        f"{local_time(summary.started_at)} · {summary.pack_title} ({summary.variant_name}) · "
        f"{summary.settled} of {summary.total} topics settled · {status}"
    )


class ConsultationListModel(QAbstractListModel):
    """Adapts a list of consultation summaries for a QListView.

    Attributes:
        summaries: the rows, newest first as the services return them.
    """

    def __init__(self, line: Callable[[ConsultationSummary], str] = describe) -> None:
        super().__init__(None)
        self._line = line
        self.summaries: list[ConsultationSummary] = []

    def set_summaries(self, summaries: list[ConsultationSummary]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self.summaries = list(summaries)
        self.endResetModel()

    def summary_at(self, row: int) -> ConsultationSummary | None:
        """The consultation on a row, or None outside the list."""
        return self.summaries[row] if 0 <= row < len(self.summaries) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.summaries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or index.row() >= len(self.summaries):
            return None
        summary = self.summaries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._line(summary)
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None
