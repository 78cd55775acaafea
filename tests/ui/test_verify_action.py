"""Verify records… from the window.

All clear on a clean store; the first bad event named after a row of the audit trail is changed
behind the services' back.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from consult_aid.storage.audit_verify import VerifyReport
from consult_aid.ui.audit.verify_action import report_text
from consult_aid.ui.main_window import MainWindow
from tests.ui.records_seed import consultation, patient


def _verify(harness: Any, qtbot: Any, window: MainWindow) -> str:
    qtbot.keyClick(
        window,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    box: QMessageBox = harness.modal(QMessageBox)
    assert box.objectName() == "verify_result"
    assert window.verifier.busy is None
    text = box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()
    harness.modal_closed(window)
    return text


def test_verify_reports_clean_then_names_the_first_tampered_event(harness: Any, qtbot: Any) -> None:
    clinician = harness.seed_clinician()
    services = harness.services
    pid = patient(services, clinician.id, 7, "Ann Smith")
    cid = consultation(services, pid, clinician.id)
    services.consultations.end(cid, clinician.id)
    services.consultations.finalise(cid, clinician.id)
    expected = services.audit.verify()
    assert expected.ok
    window = harness.window()
    assert window.verify_action.isEnabled()

    text = _verify(harness, qtbot, window)
    events = services.audit.verify().events_checked
    assert text == f"All {events:,} events and 1 record check out."

    with sqlite3.connect(harness.folder / "db.sqlite3") as db:
        (bad,) = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3").fetchone()
        db.execute("UPDATE audit_log SET action = 'consultation.resumed' WHERE id = ?", (bad,))
    db.close()
    text = _verify(harness, qtbot, window)
    assert text.startswith(f"Audit event no. {bad} does not match.")


def test_a_bad_seal_is_named_in_the_window_s_words() -> None:
    report = VerifyReport(False, 2_048, 3, None, None, "Audit seal 2 is missing.", 2)
    assert report_text(report).splitlines() == [
        "Audit seal no. 2 does not match.",
        "Audit seal 2 is missing.",
        "(2,048 events and 3 records checked.)",
    ]
