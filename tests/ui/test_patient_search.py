"""Finding a patient from the keyboard: type, Down into the results, Enter to start."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from consult_aid.domain.people import PatientDraft
from consult_aid.ui.start_dialog import StartDialog


def test_type_down_enter_reaches_the_start_dialog_for_that_patient(
    harness: Any, qtbot: Any
) -> None:
    clinician = harness.seed_clinician()
    for serial, name in ((100, "Margaret Ellis"), (200, "Dvořák Jiří"), (300, "Zoë Łukasiewicz")):
        harness.services.patients.add(
            PatientDraft(name, date(1945, 1, 1), harness.nhs_number(serial)), by=clinician.id
        )
    window = harness.window()
    search = window.patients.search
    qtbot.waitUntil(search.hasFocus, timeout=harness.wait_ms)
    qtbot.keyClicks(search, "dvorak")  # accents need not be typed
    qtbot.waitUntil(lambda: window.patients.model.rowCount() == 1, timeout=harness.wait_ms)
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert window.patients.results.hasFocus()
    assert window.patients.selected_patient() is not None
    assert window.patients.selected_patient().name == "Dvořák Jiří"
    qtbot.keyClick(window.patients.results, Qt.Key.Key_Return)
    dialog = harness.modal(StartDialog)
    dialog.reject()
    harness.modal_closed(window)
