"""The "Add patient" dialog: refusals named field by field, nothing saved, nothing typed lost."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.patient_dialog import PatientDialog


def _open_dialog(harness: Any, qtbot: Any) -> tuple[MainWindow, PatientDialog]:
    harness.seed_clinician()
    window = harness.window()
    qtbot.keyClick(window.patients.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    return window, harness.modal(PatientDialog)


def _fill(dialog: PatientDialog, name: str, born: str, nhs: str, hospital: str = "") -> None:
    dialog.name.setText(name)
    dialog.date_of_birth.setText(born)
    dialog.nhs_number.setText(nhs)
    dialog.hospital_number.setText(hospital)


@pytest.mark.parametrize(
    ("name", "born", "nhs", "field", "words"),
    [
        ("", "02/03/1941", None, "name", "Enter the patient's name"),
        ("Zoë Łukasiewicz", "02/03/2999", None, "date_of_birth", "future"),
        ("Zoë Łukasiewicz", "31/02/1941", None, "date_of_birth", "dd/mm/yyyy"),
        ("Zoë Łukasiewicz", "02/03/1941", "9990000019", "nhs_number", "check digit"),
    ],
)
def test_a_refused_field_is_named_and_nothing_is_lost(
    harness: Any, qtbot: Any, name: str, born: str, nhs: str | None, field: str, words: str
) -> None:
    window, dialog = _open_dialog(harness, qtbot)
    typed_nhs = nhs or harness.nhs_number(10)
    _fill(dialog, name, born, typed_nhs, "RX9")
    qtbot.keyClick(dialog.hospital_number, Qt.Key.Key_Return)
    label = dialog.findChild(QLabel, f"error_{field}")
    assert label is not None
    qtbot.waitUntil(lambda: label.isVisible(), timeout=harness.wait_ms)
    assert words in label.text()
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.date_of_birth.text(), dialog.nhs_number.text()) == (
        name,
        born,
        typed_nhs,
    )
    assert dialog.hospital_number.text() == "RX9"
    others = [n for n in ("name", "date_of_birth", "nhs_number", "hospital_number") if n != field]
    for other in others:
        other_label = dialog.findChild(QLabel, f"error_{other}")
        assert other_label is not None
        assert not other_label.isVisible()
    assert harness.services.patients.search("") == []
    dialog.reject()
    harness.modal_closed(window)


def test_a_duplicate_nhs_number_is_refused_on_that_field(harness: Any, qtbot: Any) -> None:
    window, dialog = _open_dialog(harness, qtbot)
    nhs = harness.nhs_number(20)
    _fill(dialog, "Ann Smith", "09/01/1950", nhs)
    qtbot.keyClick(dialog.hospital_number, Qt.Key.Key_Return)
    harness.modal_closed(window)
    qtbot.keyClick(window.patients.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    second = harness.modal(PatientDialog)
    _fill(second, "Someone Else", "01/01/1960", nhs[:3] + " " + nhs[3:6] + " " + nhs[6:])
    qtbot.keyClick(second.hospital_number, Qt.Key.Key_Return)
    label = second.findChild(QLabel, "error_nhs_number")
    assert label is not None
    qtbot.waitUntil(lambda: label.isVisible(), timeout=harness.wait_ms)
    assert second.name.text() == "Someone Else"
    assert [p.name for p in harness.services.patients.search("")] == ["Ann Smith"]
    second.reject()
    harness.modal_closed(window)
