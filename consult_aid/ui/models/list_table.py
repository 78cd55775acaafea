"""A table model over a plain list: one item per row, one tuple of cells per item.

The flat tables of the window (patients found, coverage, unaddressed topics)
differ only in their columns and cells; the Qt plumbing lives here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


def column_title(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """The title of a column for headerData, or None where Qt's default applies."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


class ListTableModel(QAbstractTableModel):
    """Adapts a list for a QTableView; subclasses name the columns and the cells.

    Subclasses set ``HEADERS`` and override ``cells`` (the text of each column),
    and may override ``key`` (the UserRole value, such as a record id) and
    ``alignment``.

    Attributes:
        items: the rows, in order.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(None)
        self.items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> Any:
        """The item on a row, or None outside the table."""
        return self.items[row] if 0 <= row < len(self.items) else None

    def cells(self, item: Any) -> tuple[object, ...]:
        """The displayed value of each column for an item (no columns by default)."""
        return ()

    def key(self, item: Any) -> object:
        """The UserRole value of an item's row (none by default)."""
        return None

    def alignment(self, column: int) -> object:
        """The TextAlignmentRole of a column (Qt's default by default)."""
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in _TEXT_ROLES:
            values = self.cells(item)
            return values[index.column()] if 0 <= index.column() < len(values) else None
        if role == Qt.ItemDataRole.UserRole:
            return self.key(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(index.column())
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        title = column_title(self.HEADERS, section, orientation, role)
        return title if title is not None else super().headerData(section, orientation, role)
