"""The coverage report on screen: a table, a stacked bar chart, and the records to look at.

The report covers the finalised records the workspace's filters match; it is
built on the runner whenever the filters change. The breakdown choosers show
the same figures overall, for one clinician, or for one month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.consultation import TopicState
from consult_aid.ui.audit.coverage_model import (
    SHARE_STATES,
    SHARE_TITLES,
    Breakdown,
    CoverageModel,
    UnaddressedModel,
    counts_for,
)
from consult_aid.ui.audit.filters import FilterValues
from consult_aid.ui.audit.stacked_bars import Bar, Segment, StackedBarChart
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import STATE_COLOURS, STATE_MARKS, error_text

if TYPE_CHECKING:
    from consult_aid.ui.audit.queries import Reporting

_PATTERNS = {
    TopicState.DISCUSSED: Qt.BrushStyle.SolidPattern,
    TopicState.DECLINED: Qt.BrushStyle.BDiagPattern,
    TopicState.NOT_APPLICABLE: Qt.BrushStyle.Dense6Pattern,
    TopicState.NOT_ADDRESSED: Qt.BrushStyle.DiagCrossPattern,
}
SEGMENTS = tuple(
    Segment(title, STATE_MARKS[state], STATE_COLOURS[state], _PATTERNS[state])
    for state, title in zip(SHARE_STATES, SHARE_TITLES, strict=True)
)
_KINDS = (("Overall", None), ("Per clinician", "clinician"), ("Per month", "month"))


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CoverageView(QWidget):
    """Coverage of the filtered finalised records, with its breakdowns and exports.

    Signals:
        open_requested(int): open this record (from the unaddressed list).
        export_requested(str): export the coverage as "csv" or "pdf".
        shown(): a report arrived and is on screen.

    Attributes:
        report: the CoverageReport shown (None before the first).
        summary: how many records it covers.
        kind, which: the breakdown choosers.
        drafts: whether drafts count too (finalised records only, unless ticked).
        model, table: topic × state shares; chart: the same as bars.
        unaddressed_model, unaddressed: the records to look at.
        csv_button, pdf_button: the exports.
    """

    open_requested = Signal(int)
    export_requested = Signal(str)
    shown = Signal()

    def __init__(self, runner: ServiceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._reporting: Reporting | None = None
        self._generation = 0
        self.report: Any = None
        self._values: FilterValues | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.summary = plain_label("")
        self.summary.setObjectName("coverage_summary")
        self.summary.setAccessibleName("Coverage summary")
        self.summary.setStyleSheet("font-weight: bold;")
        row.addWidget(self.summary, 1)
        kind_label = QLabel("&Breakdown:")
        self.kind = QComboBox()
        self.kind.setObjectName("coverage_breakdown")
        self.kind.setAccessibleName("Breakdown")
        for title, key in _KINDS:
            self.kind.addItem(title, key)
        kind_label.setBuddy(self.kind)
        self.which = QComboBox()
        self.which.setObjectName("coverage_which")
        self.which.setAccessibleName("Clinician or month")
        self.which.setMinimumContentsLength(12)
        self.which.setEnabled(False)
        self.drafts = QCheckBox("Include &drafts")
        self.drafts.setAccessibleName("Include draft records")
        self.drafts.setToolTip("Count records not yet finalised too (to find gaps early)")
        self.csv_button = QPushButton("E&xport coverage as CSV…")
        self.csv_button.setAccessibleName("Export the coverage report as CSV")
        self.pdf_button = QPushButton("Export c&overage as PDF…")
        self.pdf_button.setAccessibleName("Export the coverage report as PDF")
        layout.addLayout(row)
        # Choosers and exports on a row of their own: the workspace fits a narrow window.
        choosers = QHBoxLayout()
        for widget in (kind_label, self.kind, self.which, self.drafts):
            choosers.addWidget(widget)
        choosers.addStretch(1)
        layout.addLayout(choosers)
        self.problem = plain_label()
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        layout.addWidget(self.problem)

        self.model = CoverageModel()
        self.table = _table("Coverage by topic")
        self.table.setObjectName("coverage_table")
        self.table.setModel(self.model)
        self.chart = StackedBarChart(SEGMENTS)
        chart_area = QScrollArea()
        chart_area.setAccessibleName("Coverage chart")
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.chart)
        self.unaddressed_model = UnaddressedModel()
        self.unaddressed = _table("Records with a material risk or an alternative unaddressed")
        self.unaddressed.setObjectName("coverage_unaddressed")
        self.unaddressed.setModel(self.unaddressed_model)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.unaddressed_title = plain_label()
        self.unaddressed_title.setAccessibleName("Records to look at")
        lower_layout.addWidget(self.unaddressed_title)
        lower_layout.addWidget(self.unaddressed, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for part in (self.table, chart_area, lower):
            splitter.addWidget(part)
        for position, stretch in enumerate((2, 3, 1)):
            splitter.setStretchFactor(position, stretch)
        splitter.setSizes([220, 330, 140])
        layout.addWidget(splitter, 1)
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.pdf_button)
        layout.addLayout(exports)

        self.kind.currentIndexChanged.connect(self._on_kind)
        self.drafts.toggled.connect(lambda _on: self._rebuild())
        self.which.currentIndexChanged.connect(lambda _i: self._show())
        # "activated" is a double-click or Enter, as the platform has it.
        self.unaddressed.activated.connect(
            lambda index: self.open_requested.emit(int(index.data(Qt.ItemDataRole.UserRole)))
        )
        self.csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))

    def attach(self, reporting: Reporting) -> None:
        """Report through these services."""
        self._reporting = reporting

    def set_filter(self, values: FilterValues) -> None:
        """Build the report for these filters, on the runner."""
        self._values = values
        self._rebuild()

    def _rebuild(self) -> None:
        if self._reporting is None or self._values is None:
            return
        self._generation += 1
        generation, reporting, values = self._generation, self._reporting, self._values
        drafts = self.drafts.isChecked()
        self.summary.setText("Counting…")
        self._runner.submit(
            lambda: reporting.coverage(values, include_drafts=drafts),
            on_done=lambda report: self._on_report(generation, report),
            on_error=lambda error: self._on_failed(generation, error),
        )

    def _on_report(self, generation: int, report: Any) -> None:
        if generation != self._generation:
            return
        self.report = report
        self.problem.hide()
        records = report.records
        kind = "record" if report.include_drafts else "finalised record"
        self.summary.setText(f"Coverage over {records:,} {kind}{'' if records == 1 else 's'}")
        self._fill_which()
        self.unaddressed_model.set_items(list(report.unaddressed))
        count = len(report.unaddressed)
        self.unaddressed_title.setText(
            f"{count:,} topic{'' if count == 1 else 's'} left unaddressed that should not be "
            "(a material risk or an alternative); double-click or press Enter to open the record:"
        )
        self._show()
        self.shown.emit()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.summary.setText("")
        self.problem.setText(f"⚠ The coverage report could not be made: {error_text(error)}")
        self.problem.show()

    def _on_kind(self, _index: int) -> None:
        self._fill_which()
        self._show()

    def _fill_which(self) -> None:
        kind = self.kind.currentData()
        current = self.which.currentText()
        self.which.blockSignals(True)
        self.which.clear()
        keys: list[str] = []
        if self.report is not None and kind is not None:
            seen: set[str] = set()
            for topic in self.report.topics:
                pairs = topic.by_clinician if kind == "clinician" else topic.by_month
                for key, _counts in pairs:
                    if key not in seen:
                        seen.add(key)
                        keys.append(key)
            keys.sort(key=str.casefold) if kind == "clinician" else keys.sort()
        for key in keys:
            self.which.addItem(key, key)
        self.which.setCurrentIndex(max(0, self.which.findText(current)))
        self.which.setEnabled(bool(keys))
        self.which.blockSignals(False)

    def breakdown(self) -> Breakdown:
        """The breakdown chosen."""
        kind = self.kind.currentData()
        if kind is None or self.which.currentIndex() < 0:
            return None
        return (str(kind), self.which.currentText())

    def _show(self) -> None:
        if self.report is None:
            return
        breakdown = self.breakdown()
        topics = list(self.report.topics)
        self.model.set_report(topics, breakdown)
        bars = []
        for topic in topics:
            counts = counts_for(topic, breakdown)
            shares = tuple(counts.share(s) if counts is not None else 0.0 for s in SHARE_STATES)
            bars.append(Bar(topic.title, shares))
        self.chart.set_bars(bars)
