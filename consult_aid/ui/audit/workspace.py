"""The audit workspace: filters over a lazily loaded records table, and the coverage report.

The filters sit above both tabs: the records tab lists every record they
match (a page at a time, sorted by the header clicked); the coverage tab
reports on the finalised records among them. Opening a record shows it
read-only with its history, addenda and PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Action
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician
from consult_aid.ui.access.may import may
from consult_aid.ui.audit.coverage_view import CoverageView
from consult_aid.ui.audit.exports import Exporter
from consult_aid.ui.audit.filters import FilterBar, FilterValues
from consult_aid.ui.audit.queries import Reporting, record_columns
from consult_aid.ui.audit.record_viewer import RecordViewer
from consult_aid.ui.audit.records_model import RecordsModel
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services


class RecordsTable(QTableView):
    """The records table; Enter opens the current record.

    Signals:
        open_requested(int): the row to open.
    """

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter or Return opens the current record (Qt API)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class AuditWorkspace(QWidget):
    """Records browser and coverage report over one filter.

    Signals:
        leave(): back to the patients page.

    Attributes:
        filters: the filter bar.
        tabs: Records and Coverage.
        model, table: the records and their view; count_label: the total.
        coverage: the coverage report view.
        exporter: the CSV and PDF exports; outcome: what the last one did.
        viewer: the record viewer last opened (None before).
    """

    leave = Signal()

    def __init__(self, runner: ServiceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._reporting: Reporting | None = None
        self._by = 0
        self.viewer: RecordViewer | None = None
        self.values = FilterValues()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel("Audit: records and coverage")
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        top.addWidget(title, 1)
        self.back_button = QPushButton("Back to patients")
        self.back_button.setAccessibleName("Back to patients")
        self.back_button.clicked.connect(self.leave.emit)
        top.addWidget(self.back_button)
        layout.addLayout(top)
        self.filters = FilterBar()
        layout.addWidget(self.filters)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("audit_tabs")
        self.tabs.setAccessibleName("Audit views")
        self.tabs.addTab(self._records_tab(), "&Records")
        self.coverage = CoverageView(runner)
        self.tabs.addTab(self.coverage, "Co&verage")
        layout.addWidget(self.tabs, 1)
        self.outcome = plain_label()
        self.outcome.setObjectName("audit_outcome")
        self.outcome.setAccessibleName("Export outcome")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.exporter = Exporter(runner, self)
        self.exporter.finished.connect(self.outcome.setText)
        self.filters.changed.connect(self._on_filter)
        self.coverage.open_requested.connect(self.open_record)
        self.coverage.export_requested.connect(self._on_export_coverage)

    def _records_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.model = RecordsModel(self._runner, record_columns({}))
        self.table = RecordsTable()
        self.table.setObjectName("audit_records")
        self.table.setAccessibleName("Records")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Widths from the font, not from the rows: measuring contents would read every
        # row loaded, and the table may hold a great many. A digit is the widest usual
        # character of dates and numbers; one line a row, cut with "…" when too long.
        digit = self.table.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate(self.model.widths_in_chars()):
            self.table.setColumnWidth(column, chars * digit + 12)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.open_requested.connect(self.open_row)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.count_label = plain_label("")
        self.count_label.setObjectName("audit_count")
        self.count_label.setAccessibleName("Records found")
        row.addWidget(self.count_label, 1)
        self.open_button = QPushButton("&Open record…")
        self.open_button.setAccessibleName("Open the selected record, read only")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.export_button = QPushButton("E&xport records as CSV…")
        self.export_button.setAccessibleName("Export the filtered records as CSV")
        self.export_button.clicked.connect(self._on_export_records)
        row.addWidget(self.open_button)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.problem = plain_label()
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.model.total_changed.connect(self._on_total)
        self.model.failed.connect(self._on_failed)
        return tab

    # ------------------------------------------------------------------ showing
    def attach(self, services: Services, clinician_id: int, packs: list[ContentPack]) -> None:
        """Work with these services, as this clinician; fill the choices, list everything."""
        self._reporting = Reporting(services)
        self._by = clinician_id
        self.coverage.attach(self._reporting)
        self.exporter.attach(self._reporting, clinician_id)
        exports = may(services, Action.EXPORT)
        for button in (self.export_button, self.coverage.csv_button, self.coverage.pdf_button):
            button.setVisible(exports)
        self.tabs.setTabVisible(self.tabs.indexOf(self.coverage), may(services, Action.REPORTS))
        # The variant first: in a narrow column the pack's title is what gets cut.
        names = {(p.id, v.id): f"{v.name} — {p.title}" for p in packs for v in p.variants}
        self.model.set_columns(record_columns(names))
        clinicians = services.clinicians
        self._runner.submit(
            clinicians.all,
            on_done=lambda found: self._on_clinicians(found, packs),
            on_error=self._on_failed_error,
        )

    def _on_clinicians(self, clinicians: list[Clinician], packs: list[ContentPack]) -> None:
        self.filters.set_choices(clinicians, packs)
        self.refresh()

    def refresh(self) -> None:
        """Query again with the filters as they are."""
        self._on_filter(self.filters.values())

    def _on_filter(self, values: FilterValues) -> None:
        if self._reporting is None:
            return
        self.values = values
        self.problem.hide()
        pages, count = self._reporting.records(values)
        self.model.set_query(pages, count)
        self.coverage.set_filter(values)

    def _on_total(self, total: int) -> None:
        if total < 0:
            self.count_label.setText("Counting…")
        else:
            self.count_label.setText(f"{total:,} record{'' if total == 1 else 's'} found")

    def _on_failed(self, message: str) -> None:
        self.problem.setText(f"⚠ {message}")
        self.problem.show()

    def _on_failed_error(self, error: BaseException) -> None:
        self._on_failed(error_text(error))

    # ---------------------------------------------------------------- records
    def open_row(self, row: int) -> None:
        """Open the record on a row of the table."""
        record = self.model.row_at(row)
        if record is not None:
            self.open_record(record.consultation_id)

    def open_record(self, consultation_id: int) -> RecordViewer | None:
        """Show one record read-only (reported to the services as viewed)."""
        if self._reporting is None:
            return None
        viewer = RecordViewer(
            self._reporting.services, self._runner, self._by, consultation_id, self
        )
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()
        self.viewer = viewer
        return viewer

    def current_index(self) -> QModelIndex:
        """The table's current index."""
        return self.table.currentIndex()

    # ---------------------------------------------------------------- exports
    def _on_export_records(self) -> None:
        self.exporter.ask_records(self.values)

    def _on_export_coverage(self, kind: str) -> None:
        self.exporter.ask_coverage(self.values, kind, self.coverage.drafts.isChecked())
