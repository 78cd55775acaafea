"""Real prints: leaflets go through Qt's printer to a CUPS queue and come out as PDFs.

The queue is a private scheduler's cups-pdf printer (see cups.py); the test
checks that a PDF with the right number of pages arrives. cups-pdf renders
the job again through ghostscript, so its text is not compared.
"""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QComboBox

from consult_aid.domain.documents import Output
from consult_aid.domain.people import PatientDraft
from consult_aid.ui.documents.leaflet_choice import LeafletChoiceDialog
from consult_aid.ui.documents.preview_dialog import DocumentPreview
from consult_aid.ui.documents.printing import print_pdf

ARRIVAL_TIMEOUT_S = 30.0


def _arrival(folder: Path, before: set[Path], pages: int) -> list[Path]:
    """Wait for a new PDF of ``pages`` pages; return every new PDF."""
    deadline = time.monotonic() + ARRIVAL_TIMEOUT_S
    while True:
        new = sorted(set(folder.rglob("*.pdf")) - before)
        try:
            if new and len(PdfReader(new[0]).pages) == pages:
                return new
        except Exception:  # still being written: look again
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return new
        time.sleep(0.2)


def test_a_leaflet_printed_to_a_cups_queue_comes_out_whole(
    cups_queue: tuple[str, Path], harness: Any, qtbot: Any
) -> None:
    queue, output = cups_queue
    before = set(output.rglob("*.pdf"))
    clinician = harness.seed_clinician()
    patient = harness.services.patients.add(
        PatientDraft("Zoë Łukasiewicz", date(1941, 3, 2), harness.nhs_number(54)), by=clinician.id
    )
    leaflet = harness.services.documents.leaflet_for_patient(
        patient.id, "balloon-kyphoplasty", "spinejack", clinician.id
    )
    pages = len(PdfReader(io.BytesIO(leaflet.pdf)).pages)
    assert pages >= 2
    info = QPrinterInfo.printerInfo(queue)
    seen = QPrinterInfo.availablePrinterNames()
    assert not info.isNull(), f"Qt does not see the queue {queue}, only {seen}"
    printer = QPrinter(info)
    assert printer.printerName() == queue
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    assert print_pdf(leaflet.pdf, printer) == pages
    new = _arrival(output, before, pages)
    assert len(new) == 1, f"expected one new PDF, found {new}"
    assert len(PdfReader(new[0]).pages) == pages


def test_print_from_the_preview_goes_through_the_print_dialog_to_the_queue(
    cups_queue: tuple[str, Path], harness: Any, qtbot: Any
) -> None:
    queue, output = cups_queue
    before = set(output.rglob("*.pdf"))
    clinician = harness.seed_clinician()
    patient = harness.services.patients.add(
        PatientDraft("Nguyễn Thị Minh Khai", date(1939, 7, 1), harness.nhs_number(55)),
        by=clinician.id,
    )
    window = harness.window()
    panel = window.patients
    qtbot.waitUntil(lambda: panel.print_button.isEnabled(), timeout=harness.wait_ms)
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    harness.modal(LeafletChoiceDialog).accept()
    preview: DocumentPreview = harness.modal(DocumentPreview)
    qtbot.waitUntil(lambda: preview.print_button.isEnabled(), timeout=harness.wait_ms)
    pages = preview.pdf.pageCount()
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    dialog: QPrintDialog = harness.modal(QPrintDialog)
    printers = dialog.findChild(QComboBox, "printers")
    assert printers is not None, "Qt's print dialog has changed: no printer list"
    printers.setCurrentIndex(printers.findText(queue))
    with qtbot.waitSignal(preview.printed, timeout=harness.wait_ms) as printed:
        dialog.accept()
    assert printed.args[0].destination == queue
    new = _arrival(output, before, pages)
    assert len(new) == 1, f"expected one new PDF, found {new}"
    assert len(PdfReader(new[0]).pages) == pages
    events = harness.services.documents.events_for_patient(patient.id)
    assert [(e.output, e.destination) for e in events] == [(Output.PRINTER, queue)]
    qtbot.mouseClick(preview.close_button, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)
