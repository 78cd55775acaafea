"""A secretary's clinic list, from the file to a folder of leaflets, over real services.

Bad rows are listed by line and column and left out; nothing is written until
the import is confirmed; a known patient is matched, not added again; the
batch writes one leaflet per patient and can be cancelled part-way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QTableWidget

from consult_aid.domain.people import PatientDraft
from consult_aid.ui.clinic_list.batch import LeafletBatch
from consult_aid.ui.clinic_list.import_dialog import ClinicListDialog
from consult_aid.ui.main_window import MainWindow

HEADER = "Name,Date of birth,NHS number,Hospital number,Clinic date,Surgeon,Procedure\n"


def _csv(harness: Any, folder: Path, good: int) -> Path:
    """``good`` good rows (the first one a known patient), then two bad ones."""
    lines = [HEADER]
    names = ["Zoë Łukasiewicz", "Dvořák Jiří", "Nguyễn Thị Minh Khai", "Ann Smith", "Bo Li"]
    for n in range(good):
        procedure = "SpineJack" if n % 2 else ""
        lines.append(
            f"{names[n]},0{n + 1}/02/1940,{harness.nhs_number(100 + n * 10)},H{n},"
            f"25/11/2026,Ada Surgeon,{procedure}\n"
        )
    lines.append("Bad Number,01/01/1950,1234567890,H9,25/11/2026,Ada Surgeon,\n")
    lines.append("Bad Date,31/02/1950,,H8,25/11/2026,Ada Surgeon,\n")
    path = folder / "clinic.csv"
    path.write_text("".join(lines), encoding="utf-8-sig")
    return path


def _choose(harness: Any, qtbot: Any, path: Path) -> None:
    """Answer the open file dialog by typing a path and pressing Enter."""
    chooser = harness.modal(QFileDialog)
    field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert field is not None, "Qt's file dialog has changed: no file name field"
    field.setText(str(path))
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _open_list(harness: Any, qtbot: Any, good: int) -> tuple[MainWindow, ClinicListDialog]:
    clinician = harness.seed_clinician()
    harness.services.patients.add(
        PatientDraft("Zoë Łukasiewicz", date(1940, 2, 1), harness.nhs_number(100)),
        by=clinician.id,
    )
    path = _csv(harness, harness.folder, good)
    window: MainWindow = harness.window()
    qtbot.mouseClick(window.patients.import_button, Qt.MouseButton.LeftButton)
    _choose(harness, qtbot, path)
    return window, harness.modal(ClinicListDialog)


def _import(harness: Any, qtbot: Any, dialog: ClinicListDialog) -> None:
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    box = harness.modal(QMessageBox)
    yes = next(b for b in box.buttons() if b.text().startswith("Import"))
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.patients), timeout=harness.wait_ms)
    harness.activate(dialog)


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no cell at {row}, {column}"
    return item.text()


def _stored(harness: Any) -> int:
    return len(harness.services.patients.search(""))


def test_bad_rows_are_listed_and_nothing_is_imported_before_confirmation(
    harness: Any, qtbot: Any
) -> None:
    window, dialog = _open_list(harness, qtbot, good=3)
    assert dialog.rows.rowCount() == 3
    assert _cell(dialog.rows, 0, 6).startswith("Known")
    assert _cell(dialog.rows, 1, 6) == "New"
    problems = {
        (_cell(dialog.problems, r, 0), _cell(dialog.problems, r, 1))
        for r in range(dialog.problems.rowCount())
    }
    assert ("5", "NHS number") in problems
    assert ("6", "Date of birth") in problems
    assert dialog.import_button.text() == "&Import 3 patients"
    assert "2 row(s) have problems" in dialog.summary.text()
    # Asked, and declined: nothing is written.
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    box = harness.modal(QMessageBox)
    assert "2 row(s) with problems will be left out" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    harness.activate(dialog)
    assert _stored(harness) == 1
    assert not dialog.print_button.isVisible()
    # Asked again, and confirmed: two new patients, the known one matched.
    _import(harness, qtbot, dialog)
    assert _stored(harness) == 3
    assert dialog.print_button.isVisible()
    assert dialog.save_button.isVisible()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)


def test_leaflets_for_all_are_saved_one_file_per_patient(harness: Any, qtbot: Any) -> None:
    window, dialog = _open_list(harness, qtbot, good=3)
    _import(harness, qtbot, dialog)
    out = harness.folder / "leaflets"
    out.mkdir()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _choose(harness, qtbot, out)
    box = harness.modal(QMessageBox)
    assert box.text().startswith("Saved 3 of 3 leaflet(s).")
    files = sorted(out.iterdir())
    assert len(files) == 3
    for patient in dialog.patients:
        (mine,) = [f for f in files if patient.nhs_number in f.name]
        text = PdfReader(mine).pages[0].extract_text()
        assert patient.name in text
        events = harness.services.documents.events_for_patient(patient.id)
        assert [e.destination for e in events] == [mine.name]
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    harness.activate(dialog)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)


def test_a_batch_cancelled_part_way_says_how_many_were_done(harness: Any, qtbot: Any) -> None:
    window, dialog = _open_list(harness, qtbot, good=5)
    _import(harness, qtbot, dialog)
    out = harness.folder / "leaflets"
    out.mkdir()
    started: list[LeafletBatch] = []
    window.patients.clinic_lists.batch_started.connect(started.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _choose(harness, qtbot, out)
    qtbot.waitUntil(lambda: bool(started) and started[0].outcome.done >= 1, timeout=10_000)
    batch = started[0]
    cancel = next(b for b in batch.progress.findChildren(type(dialog.close_button)))
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = harness.modal(QMessageBox)
    done = batch.outcome.done
    assert batch.outcome.cancelled
    assert 1 <= done < 5
    assert box.text().startswith(f"Cancelled. Saved {done} of 5 leaflet(s).")
    assert len(list(out.iterdir())) == done
    box.accept()
    QApplication.processEvents()
    harness.activate(dialog)
    dialog.reject()
    harness.modal_closed(window)
