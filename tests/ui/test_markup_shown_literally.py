"""User text is never read as markup on screen: a name that looks like HTML shows as typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from consult_aid.domain.people import PatientDraft
from consult_aid.ui.resume_dialog import ResumeDialog

MARKUP_NAME = '<b>Bold</b> <font color="white">Hidden</font> Smith'


def test_a_markup_name_is_shown_literally_in_every_label(harness: Any, qtbot: Any) -> None:
    clinician = harness.seed_clinician()
    patient = harness.services.patients.add(
        PatientDraft(MARKUP_NAME, date(1944, 2, 3), harness.nhs_number(4242)), by=clinician.id
    )
    view = harness.services.consultations.start(
        patient.id, clinician.id, "balloon-kyphoplasty", "balloon"
    )
    window = harness.window()
    # The consultation is unfinished, so the window offers to resume it: not now.
    harness.modal(ResumeDialog).reject()
    window.show_consultation(view)
    qtbot.waitUntil(
        lambda: any(MARKUP_NAME in label.text() for label in window.findChildren(QLabel)),
        timeout=harness.wait_ms,
    )
    holding = [label for label in window.findChildren(QLabel) if "<b>Bold</b>" in label.text()]
    assert holding, "the patient's name should be on screen"
    for label in holding:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName() or label.text()
