"""The audit records table: a thin model that loads pages of rows as the view needs them.

Never all rows at once: the first page comes when a query is set, the next
when the view scrolls near the end (``canFetchMore``/``fetchMore``), each
fetched on the service runner. A source that takes ``after`` is asked for the
next page as the rows after the last one shown (keyset paging), so a page
deep in the list costs what the first does; any other is asked by offset.
The total comes from a separate count. A new filter or sort starts again;
answers to an older query are dropped.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from consult_aid.ui.models.list_table import column_title
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

PAGE_SIZE = 200
_Index = QModelIndex | QPersistentModelIndex

# (sort key, descending, offset, limit) -> rows, and optionally ``after=`` (the last
# row already shown: the rows then continue from it, offset counting from there);
# runs on the runner.
PageSource = Callable[..., Sequence[Any]]
# () -> how many rows the query holds; runs on the runner.
CountSource = Callable[[], int]


@dataclass(frozen=True)
class Column:
    """One column: its title, the service's sort key, its text for a row, its width.

    Attributes:
        chars: the starting width, in average characters (the person may drag it).
    """

    title: str
    sort_key: str
    text: Callable[[Any], str]
    chars: int = 16


class RecordsModel(QAbstractTableModel):
    """Pages of records from a query, with its total.

    Signals:
        total_changed(int): the query's row count arrived (-1 while unknown).
        loading_changed(bool): a page or count is being fetched, or no longer.
        failed(str): a page or count could not be read (the message says why).

    Attributes:
        rows: the rows fetched so far, in order.
        total: the count of the current query (None until it arrives).
        page_size: rows per fetch.
        sort_key, descending: the current order.
    """

    total_changed = Signal(int)
    loading_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        runner: ServiceRunner,
        columns: Sequence[Column],
        *,
        page_size: int = PAGE_SIZE,
        default_sort: tuple[str, bool] = ("started_at", True),
    ) -> None:
        super().__init__(None)
        self._runner = runner
        self._columns = tuple(columns)
        self.page_size = page_size
        self.rows: list[Any] = []
        self.total: int | None = None
        self.sort_key, self.descending = default_sort
        self._pages: PageSource | None = None
        self._count: CountSource | None = None
        self._generation = 0
        self._fetching = False
        self._exhausted = True
        self._keyset = False

    # ----------------------------------------------------------------- queries
    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show these columns instead (the same query)."""
        self.beginResetModel()
        self._columns = tuple(columns)
        self.endResetModel()

    def widths_in_chars(self) -> tuple[int, ...]:
        """Each column's starting width, in average characters."""
        return tuple(column.chars for column in self._columns)

    def set_query(self, pages: PageSource, count: CountSource) -> None:
        """Show a new query: clear, count it and fetch its first page."""
        self._pages, self._count = pages, count
        self._keyset = _takes_after(pages)
        self.restart()

    def restart(self) -> None:
        """Fetch the current query again from its first row (after a sort, say)."""
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self.total = None
        self._fetching = False
        self._exhausted = self._pages is None
        self.endResetModel()
        self.total_changed.emit(-1)
        if self._count is None:
            return
        count, generation = self._count, self._generation
        self.loading_changed.emit(True)
        self._runner.submit(
            count,
            on_done=lambda total: self._on_count(generation, total),
            on_error=lambda error: self._on_failed(generation, error),
        )
        self.fetchMore(QModelIndex())

    def _on_count(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.total = total
        self.total_changed.emit(total)
        if not self._fetching:
            self.loading_changed.emit(False)

    # ----------------------------------------------------------- lazy fetching
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        """True while the query holds rows not yet fetched (Qt API)."""
        if parent.isValid() or self._exhausted:
            return False
        return self.total is None or len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        """Ask for the next page on the runner; it is added when it comes (Qt API)."""
        if parent.isValid() or self._fetching or not self.canFetchMore(parent):
            return
        assert self._pages is not None
        pages, generation = self._pages, self._generation
        key, descending, offset, limit = (
            self.sort_key,
            self.descending,
            len(self.rows),
            self.page_size,
        )
        after = self.rows[-1] if self._keyset and self.rows else None
        self._fetching = True
        self.loading_changed.emit(True)

        def fetch() -> list[Any]:
            if after is not None:
                return list(pages(key, descending, 0, limit, after=after))
            return list(pages(key, descending, offset, limit))

        self._runner.submit(
            fetch,
            on_done=lambda rows: self._on_page(generation, offset, rows),
            on_error=lambda error: self._on_failed(generation, error),
        )

    def _on_page(self, generation: int, offset: int, rows: list[Any]) -> None:
        if generation != self._generation or offset != len(self.rows):
            return
        self._fetching = False
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loading_changed.emit(False)

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._exhausted = True
        self.loading_changed.emit(False)
        self.failed.emit(error_text(error))

    @property
    def busy(self) -> bool:
        """True while a page is on its way."""
        return self._fetching

    # ------------------------------------------------------------------ Qt API
    def row_at(self, row: int) -> Any:
        """The record on a row, or None outside the rows fetched."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows fetched so far (Qt API)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns (Qt API)."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._columns[index.column()].text(row)
        if role == Qt.ItemDataRole.UserRole:
            return getattr(row, "consultation_id", getattr(row, "id", None))
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        title = column_title([column.title for column in self._columns], section, orientation, role)
        return title if title is not None else super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a column: the services query again in that order (Qt API)."""
        if not 0 <= column < len(self._columns):
            return
        key = self._columns[column].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, descending
        self.restart()


def _takes_after(pages: PageSource) -> bool:
    """Whether a page source can continue from a row (an ``after`` parameter)."""
    try:
        parameters = inspect.signature(pages).parameters.values()
    except (TypeError, ValueError):
        return False  # no signature to read: ask by offset, which every source takes
    return any(p.name == "after" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
