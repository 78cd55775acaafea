"""The clinic list, checked: good rows and problems, then "Import N patients" once confirmed.

Nothing is written until the secretary has seen every row and every problem
and said yes; then the good rows are imported on the runner, and the dialog
offers the pre-clinic leaflets for all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain import nhs_number
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Patient
from consult_aid.services.clinic_list_preview import ClinicListPreview, PreviewRow, RowMatch
from consult_aid.ui.clinic_list.batch_items import BatchItem, batch_items, variant_choices
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label, plain_message_box
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text, uk_date

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

ROW_HEADINGS = (
    "Line",
    "Name",
    "Date of birth",
    "NHS number",
    "Clinic date",
    "Surgeon",
    "New or known",
)
PROBLEM_HEADINGS = ("Line", "Column", "Problem")
MATCH_WORDS = {RowMatch.NEW: "New", RowMatch.KNOWN: "Known (matched)"}


class ClinicListDialog(QDialog):
    """Shows a clinic list's preview, imports its good rows, then offers leaflets for them.

    Signals:
        imported(object): the list of Patients imported or matched.
        batch_requested(str, object): "print" or "save", and the BatchItems to make.

    Attributes:
        preview: the checked list.
        patients: the patients imported (empty until the import is done).
        summary, message: what the list holds; the outcome of the import.
        rows, problems: the good rows; the bad cells by line and column.
        variant_box: which leaflet, for rows that do not name a procedure.
        import_button, print_button, save_button, close_button: the actions.
    """

    imported = Signal(object)
    batch_requested = Signal(str, object)

    def __init__(
        self,
        preview: ClinicListPreview,
        packs: list[ContentPack],
        services: Services,
        runner: ServiceRunner,
        clinician_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.patients: list[Patient] = []
        self._packs = packs
        self._services = services
        self._runner = runner
        self._by = clinician_id
        self._closed = False
        source = preview.clinic_list.source
        self.setWindowTitle(f"Import clinic list — {source}")
        self.setAccessibleName("Import clinic list")
        self.resize(1100, 720)
        self._build()
        self._fill()

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.summary = plain_label()
        self.summary.setObjectName("clinic_list_summary")
        self.summary.setAccessibleName("Clinic list summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt;")
        layout.addWidget(self.summary)
        layout.addWidget(plain_label("Patients to import:"))
        self.rows = _table(ROW_HEADINGS, "Patients to import")
        layout.addWidget(self.rows, 3)
        self.problems_label = plain_label("Rows with problems (not imported):")
        self.problems_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problems_label)
        self.problems = _table(PROBLEM_HEADINGS, "Rows with problems")
        layout.addWidget(self.problems, 2)
        self.message = plain_label()
        self.message.setObjectName("clinic_list_message")
        self.message.setAccessibleName("Import outcome")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.variant_box = QComboBox()
        self.variant_box.setAccessibleName("Leaflet for rows that name no procedure")
        self._variants = variant_choices(self._packs)
        for label, _variant in self._variants:
            self.variant_box.addItem(label)
        self.variant_label = plain_label("Leaflet where the list names no procedure:")
        self.variant_label.setBuddy(self.variant_box)
        self.import_button = QPushButton()
        self.import_button.setAccessibleName("Import the patients")
        self.print_button = QPushButton("&Print leaflets for all…")
        self.print_button.setAccessibleName("Print leaflets for all")
        self.save_button = QPushButton("&Save leaflets to a folder…")
        self.save_button.setAccessibleName("Save leaflets to a folder")
        self.close_button = QPushButton("Cancel")
        self.close_button.setAccessibleName("Close")
        buttons.addWidget(self.variant_label)
        buttons.addWidget(self.variant_box)
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.import_button):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(self.confirm_import)
        self.print_button.clicked.connect(lambda: self._request_batch("print"))
        self.save_button.clicked.connect(lambda: self._request_batch("save"))
        self.close_button.clicked.connect(self.reject)
        self._show_imported(False)

    def _fill(self) -> None:
        good = self.preview.importable
        bad = self.preview.problems
        for row in good:
            self._add_row(row)
        for problem in bad:
            _append(self.problems, (str(problem.line), problem.column, problem.message))
        new = sum(1 for row in good if row.match is RowMatch.NEW)
        lines = len(self.preview.rows)
        left_out = lines - len(good)
        self.summary.setText(
            f"{self.preview.clinic_list.source}: {lines} patient row(s). "
            f"{len(good)} can be imported ({new} new, {len(good) - new} already known); "
            f"{left_out} row(s) have problems and will be left out."
        )
        self.problems_label.setVisible(bool(bad))
        self.problems.setVisible(bool(bad))
        self.import_button.setText(f"&Import {len(good)} patient{'s' if len(good) != 1 else ''}")
        self.import_button.setEnabled(bool(good))
        self.import_button.setDefault(True)
        for table in (self.rows, self.problems):
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)

    def _add_row(self, row: PreviewRow) -> None:
        draft = row.row.draft
        assert draft is not None  # an importable row has a validated patient
        clinic = row.row.clinic_date
        _append(
            self.rows,
            (
                str(row.row.line),
                draft.name,
                uk_date(draft.date_of_birth) if draft.date_of_birth is not None else "",
                nhs_number.display(draft.nhs_number),
                uk_date(clinic) if clinic is not None else "",
                row.row.surgeon,
                MATCH_WORDS.get(row.match, row.match.value),
            ),
        )

    def _show_imported(self, done: bool) -> None:
        self.import_button.setVisible(not done)
        for widget in (self.print_button, self.save_button, self.variant_box, self.variant_label):
            widget.setVisible(done)
        self.close_button.setText("&Close" if done else "Cancel")

    # ---------------------------------------------------------------- importing
    def confirm_import(self) -> None:
        """Ask once more, saying what will happen, before anything is written."""
        good = self.preview.importable
        if not good:
            return
        new = sum(1 for row in good if row.match is RowMatch.NEW)
        left_out = len(self.preview.rows) - len(good)
        text = (
            f"Import {len(good)} patient(s) from {self.preview.clinic_list.source}?\n\n"
            f"{new} new patient(s) will be added; {len(good) - new} already known will be "
            "matched, not added again."
        )
        if left_out:
            text += f"\n{left_out} row(s) with problems will be left out."
        box = plain_message_box(
            QMessageBox(QMessageBox.Icon.Question, "Import clinic list", text, parent=self)
        )
        box.setAccessibleName("Confirm the import")
        yes = box.addButton(f"Import {len(good)}", QMessageBox.ButtonRole.AcceptRole)
        yes.setAccessibleName("Import")
        no = box.addButton(QMessageBox.StandardButton.Cancel)
        no.setAccessibleName("Cancel")
        box.setDefaultButton(no)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._import() if button is yes else None)
        box.open()

    def _import(self) -> None:
        clinic_lists, preview, by = self._services.clinic_lists, self.preview, self._by
        self.import_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText("Importing…")
        self._runner.submit(
            lambda: clinic_lists.import_rows(preview, by),
            on_done=self._on_imported,
            on_error=self._on_import_failed,
        )

    def _on_imported(self, patients: list[Patient]) -> None:
        self.patients = patients
        if self._closed:
            return
        self.message.setStyleSheet("")
        self.message.setText(
            f"Imported {len(patients)} patient(s). Their pre-clinic leaflets can now be "
            "printed, or saved to a folder, one patient at a time."
        )
        self._show_imported(True)
        self.print_button.setFocus()
        self.imported.emit(patients)

    def _on_import_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self.import_button.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(f"⚠ Nothing was imported: {error_text(error)}")

    # ------------------------------------------------------------------ leaflets
    def items(self) -> list[BatchItem]:
        """One leaflet per imported patient, in list order."""
        row = self.variant_box.currentIndex()
        default = self._variants[row][1] if 0 <= row < len(self._variants) else None
        return batch_items(self.preview, self.patients, self._packs, default)

    def _request_batch(self, mode: str) -> None:
        if self.patients:
            self.batch_requested.emit(mode, self.items())

    def done(self, result: int) -> None:
        """Closing: answers still on their way are dropped."""
        self._closed = True
        super().done(result)


def _table(headings: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headings))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _append(table: QTableWidget, cells: tuple[str, ...]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(cells):
        # QTableWidgetItem shows text literally: a name is never read as markup.
        table.setItem(row, column, QTableWidgetItem(text))
