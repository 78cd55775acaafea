"""The document preview: a leaflet or record as it will print, then Print… or Save as PDF….

The document is made on the service runner (a busy bar shows meanwhile);
the dialog only shows it, paints it onto a printer, and asks the services to
save it and to record every print and save.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.documents import DocumentEvent, DocumentKind, LeafletFormat
from consult_aid.ui.documents.printing import PrintFailed, print_pdf
from consult_aid.ui.documents.request import (
    KIND_NAMES,
    DocumentRequest,
    done_note,
    patient_line,
    window_title,
)
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.documents import GeneratedDocument


class DocumentPreview(QDialog):
    """Shows one patient's document, pages scrolling, with Print…, Save as PDF… and Close.

    Signals:
        shown(): a document arrived and is on screen.
        printed(object): the DocumentEvent recorded for a print.
        saved(object): the DocumentEvent recorded for a save.

    Attributes:
        request: what was asked for, and for whom.
        document: the document shown (None while it is being made).
        pdf: the QPdfDocument the view shows.
        header, details, message: the patient line, what and how long, the last outcome.
        format_box: Standard / Large print (leaflets only).
        view: the pages.
        busy: the bar shown while the document is made or saved.
        print_button, save_button, close_button: the actions.
    """

    shown = Signal()
    printed = Signal(object)
    saved = Signal(object)

    last_folder: Path | None = None  # where the last PDF was saved, offered next time

    def __init__(
        self,
        request: DocumentRequest,
        services: Services,
        runner: ServiceRunner,
        clinician_id: int,
        status: SaveStatus | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.request = request
        self._services = services
        self._runner = runner
        self._by = clinician_id
        self._status = status
        self._serial = 0
        self._closed = False
        self.document: GeneratedDocument | None = None
        self._buffer: QBuffer | None = None
        self._printer: QPrinter | None = None
        self.setWindowTitle(window_title(request.kind, request.patient))
        self.setAccessibleName(f"{KIND_NAMES[request.kind]} preview")
        self.resize(900, 1000)
        self._build()
        self.generate(request.fmt)

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = plain_label(patient_line(self.request.patient))
        self.header.setObjectName("document_patient")
        self.header.setAccessibleName("Patient")
        self.header.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        row = QHBoxLayout()
        self.details = plain_label()
        self.details.setAccessibleName("Document")
        self.details.setStyleSheet("font-size: 12pt;")
        row.addWidget(self.details, 1)
        self.format_box = QComboBox()
        self.format_box.setAccessibleName("Leaflet print size")
        for fmt in LeafletFormat:
            self.format_box.addItem(fmt.label, fmt)
        format_label = QLabel("Print &size:")
        format_label.setBuddy(self.format_box)
        is_leaflet = self.request.kind is DocumentKind.LEAFLET
        if is_leaflet:
            # A first guess; the size the leaflet was made in replaces it when it comes.
            start = self.request.fmt or self.request.patient.leaflet_format
            self.format_box.setCurrentIndex(self.format_box.findData(start))
        format_label.setVisible(is_leaflet)
        self.format_box.setVisible(is_leaflet)
        row.addWidget(format_label)
        row.addWidget(self.format_box)
        layout.addLayout(row)
        self.busy = QProgressBar()
        self.busy.setAccessibleName("Making the document")
        self.busy.setRange(0, 0)  # no steps to count: it moves to say "working"
        self.busy.setFormat("")
        self.busy.setMaximumHeight(10)
        layout.addWidget(self.busy)

        self.pdf = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("document_pages")
        self.view.setAccessibleName("Pages")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setStyleSheet("background: #8a8a8a;")
        layout.addWidget(self.view, 1)
        self.message = plain_label()
        self.message.setObjectName("document_message")
        self.message.setAccessibleName("Outcome")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print")
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.setShortcut("Ctrl+P")
        self.save_button = QPushButton("Save as P&DF…")
        self.save_button.setAccessibleName("Save as PDF")
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.setShortcut("Ctrl+S")
        self.close_button = QPushButton("&Close")
        self.close_button.setAccessibleName("Close")
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        self.format_box.activated.connect(self._on_format_chosen)
        self.close_button.setFocus()

    # --------------------------------------------------------------- generating
    def chosen_format(self) -> LeafletFormat | None:
        """The print size chosen (None for a record)."""
        if self.request.kind is not DocumentKind.LEAFLET:
            return None
        # Qt hands the item's data back as a plain string: make it a format again.
        return LeafletFormat(str(self.format_box.currentData()))

    def generate(self, fmt: LeafletFormat | None) -> None:
        """Make the document (again) on the runner; answers to older requests are dropped.

        ``fmt`` None makes a leaflet in the size remembered for the patient.
        """
        self._serial += 1
        serial, make = self._serial, self.request.make
        self.document = None
        self._set_busy(True, "Making the document…")
        self._runner.submit(
            lambda: make(fmt),
            on_done=lambda made: self._on_made(serial, made),
            on_error=lambda error: self._on_failed(serial, error),
        )

    def _on_made(self, serial: int, made: GeneratedDocument) -> None:
        if self._closed or serial != self._serial:
            return
        if made.patient_id != self.request.patient.id or made.kind is not self.request.kind:
            # Never show (and so never print) a document under another patient's name.
            self._set_busy(False, "")
            self._show_problem("The document made was not this patient's; it is not shown.")
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(made.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.close()
        self.pdf.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.document = made
        pages = self.pdf.pageCount()
        what = [KIND_NAMES[self.request.kind]]
        if self.request.kind is DocumentKind.LEAFLET and made.leaflet_format is not None:
            # The size it was made in (the patient's remembered one, unless chosen here).
            self.format_box.setCurrentIndex(self.format_box.findData(made.leaflet_format))
            what.append(made.leaflet_format.label)
        what.append(f"{pages} page{'s' if pages != 1 else ''}")
        if self.request.source:
            what.append(self.request.source)
        self.details.setText("  ·  ".join(what))
        self._set_busy(False, "")
        self.message.setText("")
        self.shown.emit()

    def _on_failed(self, serial: int, error: BaseException) -> None:
        if self._closed or serial != self._serial:
            return
        self._set_busy(False, "")
        self._show_problem(f"The document could not be made: {error_text(error)}")

    def _on_format_chosen(self, _index: int) -> None:
        fmt = self.chosen_format()
        if fmt is None:
            return
        patients, patient_id, by = self._services.patients, self.request.patient.id, self._by
        # Remembered for the patient, so the next leaflet (and a batch) comes in this size.
        self._runner.submit(
            lambda: patients.set_leaflet_format(patient_id, fmt, by),
            on_error=lambda error: self._show_problem(
                f"The print size was not remembered: {error_text(error)}"
            ),
        )
        self.generate(fmt)

    def _set_busy(self, busy: bool, text: str) -> None:
        self.busy.setVisible(busy)
        ready = not busy and self.document is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.format_box.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("")
            self.message.setText(text)
        elif text:
            self.message.setText(text)

    def _show_problem(self, text: str) -> None:
        if self._closed:
            return
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(f"⚠ {text}")

    def _show_outcome(self, text: str, verb: str) -> None:
        if not self._closed:
            self.message.setStyleSheet("")
            self.message.setText(text)
        if self._status is not None:
            # The status bar outlives the dialog: it says what happened once it is closed.
            self._status.setStyleSheet("")
            self._status.setText(done_note(verb, self.request.kind, self.request.patient))

    # ----------------------------------------------------------------- printing
    def print_document(self) -> None:
        """Ask where to print (Qt's print dialog), then print."""
        if self.document is None:
            return
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printer.setDocName(self.document.suggested_filename)
        dialog = QPrintDialog(self._printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setMinMax(1, max(1, self.pdf.pageCount()))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        printer = self._printer
        dialog.accepted.connect(lambda: self.print_to(printer))
        QDialog.open(dialog)  # QPrintDialog's own open() wants a receiver

    def print_to(self, printer: QPrinter) -> None:
        """Print the document shown on ``printer`` and record that it was printed."""
        made = self.document
        if made is None:
            return
        # Painting must happen on the GUI thread; the document was made on the runner.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = print_pdf(made.pdf, printer)
        except PrintFailed as error:
            self._show_problem(f"Not printed: {error}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        name = printer.printerName() or printer.outputFileName() or "the printer"
        documents, by = self._services.documents, self._by
        self._runner.submit(
            lambda: documents.record_printed(made, name, by),
            on_done=lambda event: self._on_printed(event, pages, name),
            on_error=lambda error: self._show_problem(
                f"Printed, but the print was not recorded: {error_text(error)}"
            ),
        )

    def _on_printed(self, event: DocumentEvent, pages: int, name: str) -> None:
        self._show_outcome(f"Printed {pages} page(s) on {name}.", "Printed")
        if not self._closed:
            self.printed.emit(event)

    # ------------------------------------------------------------------- saving
    def save_as(self) -> None:
        """Ask for a file name (the suggested one offered), then save."""
        if self.document is None:
            return
        folder = DocumentPreview.last_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        dialog = QFileDialog(self, "Save as PDF", str(folder / self.document.suggested_filename))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAccessibleName("Save as PDF")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("PDF documents (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        # Qt's own dialog: the same on every desktop, and one a test can drive.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        # The file dialog itself asks before replacing a file, so the save may replace it.
        dialog.fileSelected.connect(lambda chosen: self.save_to(Path(chosen), overwrite=True))
        dialog.open()

    def save_to(self, path: Path, *, overwrite: bool = False) -> None:
        """Save the document shown to ``path`` (atomically, by the services) and record it."""
        made = self.document
        if made is None:
            return
        DocumentPreview.last_folder = path.parent
        documents, by = self._services.documents, self._by
        self._set_busy(True, f"Saving to {path}…")
        self._runner.submit(
            lambda: documents.save_pdf(made, path, by, overwrite=overwrite),
            on_done=lambda event: self._on_saved(event, path),
            on_error=self._on_save_failed,
        )

    def _on_saved(self, event: DocumentEvent, path: Path) -> None:
        self._show_outcome(f"Saved to {path}", "Saved")
        if not self._closed:
            self._set_busy(False, "")
            self.saved.emit(event)

    def _on_save_failed(self, error: BaseException) -> None:
        if self._status is not None:
            self._status.failed(f"PDF not saved: {error_text(error)}")
        if not self._closed:
            self._set_busy(False, "")
            self._show_problem(f"Not saved: {error_text(error)}")

    def done(self, result: int) -> None:
        """Closing: answers still on their way are dropped."""
        self._closed = True
        super().done(result)
