"""The document preview, opened from the walkthrough and the patients page over real services.

The right patient is in the title bar and the header, every page of the real
PDF is in the view, "Save as PDF…" writes the file through the services and
records the save, a print is recorded, and the print size is remembered.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QLineEdit

from consult_aid.domain.documents import DocumentKind, LeafletFormat, Output
from consult_aid.domain.people import Patient, PatientDraft
from consult_aid.services.views import ConsultationView
from consult_aid.ui.documents.leaflet_choice import LeafletChoiceDialog
from consult_aid.ui.documents.preview_dialog import DocumentPreview
from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.resume_dialog import ResumeDialog

NAME = "Zoë Łukasiewicz"


def _patient(harness: Any, serial: int = 7) -> tuple[int, Patient]:
    clinician = harness.seed_clinician()
    patient = harness.services.patients.add(
        PatientDraft(NAME, date(1941, 3, 2), harness.nhs_number(serial), "RX123"),
        by=clinician.id,
    )
    return clinician.id, patient


def _walkthrough(harness: Any, qtbot: Any) -> tuple[MainWindow, ConsultationView]:
    by, patient = _patient(harness)
    view = harness.services.consultations.start(patient.id, by, "balloon-kyphoplasty", "balloon")
    window: MainWindow = harness.window()
    harness.modal(ResumeDialog).reject()  # not now: the test opens it itself
    harness.modal_closed(window)
    window.show_consultation(view)
    return window, view


def _shown(harness: Any, qtbot: Any) -> DocumentPreview:
    preview: DocumentPreview = harness.modal(DocumentPreview)
    qtbot.waitUntil(lambda: preview.document is not None, timeout=harness.wait_ms)
    return preview


def _close(harness: Any, qtbot: Any, preview: DocumentPreview, window: MainWindow) -> None:
    qtbot.mouseClick(preview.close_button, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)


def test_the_leaflet_preview_shows_this_patient_and_every_page(harness: Any, qtbot: Any) -> None:
    window, view = _walkthrough(harness, qtbot)
    page = window.walkthrough
    qtbot.keyClick(page.navigator, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    preview = _shown(harness, qtbot)
    made = preview.document
    assert made is not None
    assert made.kind is DocumentKind.LEAFLET
    assert made.consultation_id == view.header.id
    title = preview.windowTitle()
    assert NAME in title
    assert "02/03/1941" in title
    assert view.patient.nhs_number_display in title
    assert NAME in preview.header.text()
    assert view.patient.nhs_number_display in preview.header.text()
    pages = len(PdfReader(io.BytesIO(made.pdf)).pages)
    assert pages >= 2
    assert preview.pdf.pageCount() == pages
    assert f"{pages} pages" in preview.details.text()
    assert preview.format_box.isVisible()
    assert preview.print_button.isEnabled()
    assert preview.save_button.isEnabled()
    _close(harness, qtbot, preview, window)


def test_save_as_pdf_writes_the_file_and_records_the_save(
    harness: Any, qtbot: Any, tmp_path: Path
) -> None:
    window, view = _walkthrough(harness, qtbot)
    qtbot.mouseClick(window.walkthrough.leaflet_button, Qt.MouseButton.LeftButton)
    preview = _shown(harness, qtbot)
    assert preview.document is not None
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    chooser: QFileDialog = harness.modal(QFileDialog)
    assert chooser.selectedFiles()[0].endswith(preview.document.suggested_filename)
    target = tmp_path / "saved leaflet.pdf"
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert name_field is not None, "Qt's file dialog has changed: no file name field"
    name_field.setText(str(target))  # typed as a person would: a full path
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: preview.message.text().startswith("Saved"), timeout=harness.wait_ms)
    text = PdfReader(target).pages[0].extract_text()
    assert NAME in text
    events = harness.services.documents.events_for_patient(view.patient.id)
    assert [(e.output, e.destination, e.kind) for e in events] == [
        (Output.PDF_FILE, target.name, DocumentKind.LEAFLET)
    ]
    assert events[0].sha256 == preview.document.sha256
    assert window.status.text().startswith(f"Saved leaflet for {NAME}")
    _close(harness, qtbot, preview, window)


def test_the_record_is_printed_and_the_print_recorded(
    harness: Any, qtbot: Any, tmp_path: Path
) -> None:
    window, view = _walkthrough(harness, qtbot)
    qtbot.keyClick(window.walkthrough.navigator, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    preview = _shown(harness, qtbot)
    assert preview.document is not None
    assert preview.document.kind is DocumentKind.RECORD
    assert preview.windowTitle().startswith("Record of discussion — " + NAME)
    assert not preview.format_box.isVisible()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.printed, timeout=harness.wait_ms) as printed:
        preview.print_to(printer)
    assert printed.args[0].output is Output.PRINTER
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == preview.pdf.pageCount()
    events = harness.services.documents.events_for_patient(view.patient.id)
    assert [(e.output, e.kind, e.consultation_id) for e in events] == [
        (Output.PRINTER, DocumentKind.RECORD, view.header.id)
    ]
    assert window.status.text().startswith(f"Printed record of discussion for {NAME}")
    _close(harness, qtbot, preview, window)


def test_large_print_is_chosen_in_the_preview_and_remembered(harness: Any, qtbot: Any) -> None:
    window, view = _walkthrough(harness, qtbot)
    qtbot.keyClick(window.walkthrough.navigator, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    preview = _shown(harness, qtbot)
    standard_pages = preview.pdf.pageCount()
    assert preview.format_box.currentText() == "Standard print"
    preview.format_box.setFocus()
    qtbot.keyClick(preview.format_box, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: (
            preview.document is not None
            and preview.document.leaflet_format is LeafletFormat.LARGE_PRINT
        ),
        timeout=harness.wait_ms,
    )
    assert "Large print" in preview.details.text()
    assert preview.pdf.pageCount() > standard_pages
    qtbot.waitUntil(
        lambda: (
            harness.services.patients.get(view.patient.id).leaflet_format
            is LeafletFormat.LARGE_PRINT
        ),
        timeout=harness.wait_ms,
    )
    _close(harness, qtbot, preview, window)


def test_a_patient_not_yet_seen_gets_a_pre_clinic_leaflet(harness: Any, qtbot: Any) -> None:
    _by, patient = _patient(harness, serial=8)
    window: MainWindow = harness.window()
    panel = window.patients
    qtbot.waitUntil(lambda: panel.print_button.isEnabled(), timeout=harness.wait_ms)
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    choice: LeafletChoiceDialog = harness.modal(LeafletChoiceDialog)
    assert [c.consultation_id for c in choice.choices] == [None, None]  # no consultation yet
    assert "SpineJack" in choice.choices[1].label
    choice.accept()
    preview = _shown(harness, qtbot)
    assert preview.document is not None
    assert preview.document.patient_id == patient.id
    assert preview.document.consultation_id is None
    assert NAME in preview.windowTitle()
    assert "before clinic" in preview.details.text()
    _close(harness, qtbot, preview, window)
