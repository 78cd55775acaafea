"""Finalising from the walkthrough: refused with the missing list, then finalised, then amended.

Over the real services and a real SQLite file: the missing items come from the
service, each jumps to its topic or field; once settled the record finalises,
shows read-only under its banner, takes an addendum, and any change that still
reaches the service is refused and said plainly.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.resume_dialog import ResumeDialog
from consult_aid.ui.walkthrough.finalise_dialogs import AddendumDialog, MissingDialog
from tests.ui.records_seed import consultation, patient
from tests.ui.test_accessible_names import _unnamed


def _open(harness: Any, qtbot: Any, window: MainWindow, cid: int) -> None:
    """Set the offer to resume aside, then open the consultation as a person would."""
    harness.modal(ResumeDialog).reject()
    harness.modal_closed(window)
    window.patients.open_by_id(cid, resume=False)
    page = window.walkthrough
    qtbot.waitUntil(
        lambda: (
            window.pages.currentWidget() is page
            and page.view is not None
            and page.view.header.id == cid
        ),
        timeout=harness.wait_ms,
    )


def _settle(window: MainWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: window.status.text().startswith("Saved"), timeout=10_000)
    qtbot.waitUntil(lambda: not window.walkthrough.changes.busy, timeout=10_000)


def test_finalise_lists_what_is_missing_then_finalises_and_takes_an_addendum(
    harness: Any, qtbot: Any
) -> None:
    clinician = harness.seed_clinician()
    services = harness.services
    pid = patient(services, clinician.id, 1, "Ann <b>Smith</b> & Co")
    cid = consultation(services, pid, clinician.id, leave_open=1, decision=None)
    with pytest.raises(InvalidInput) as refused:
        services.consultations.finalise(cid, clinician.id)
    expected = refused.value.problems["finalise"].splitlines()
    assert len(expected) == 2  # the last topic and the decision

    window = harness.window()
    _open(harness, qtbot, window, cid)
    page = window.walkthrough
    assert page.finalising.button.isEnabled()
    assert not page.finalising.panel.isVisible()

    # Refused: the dialog lists exactly what the service says is missing.
    qtbot.mouseClick(page.finalising.button, Qt.MouseButton.LeftButton)
    missing = harness.modal(MissingDialog)
    assert _unnamed(missing) == []
    shown = [w.accessibleName().removeprefix("Go to: ") for w in missing.items]
    assert shown == expected
    assert all(isinstance(w, QPushButton) for w in missing.items)
    last_topic = page.view.pack.topics_for("balloon")[-1]

    # The topic item jumps to the topic; settle it from the keyboard.
    qtbot.mouseClick(missing.items[0], Qt.MouseButton.LeftButton)
    harness.modal_closed(window)
    assert page._current_topic == last_topic
    qtbot.keyClick(page.navigator, Qt.Key.Key_D)
    _settle(window, qtbot)

    # Ctrl+Shift+F again: only the decision is left; its item jumps to the decision field.
    qtbot.keyClick(
        page.navigator,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    missing = harness.modal(MissingDialog)
    assert [w.accessibleName() for w in missing.items] == [f"Go to: {expected[1]}"]
    qtbot.mouseClick(missing.items[0], Qt.MouseButton.LeftButton)
    harness.modal_closed(window)
    decision = page.details.decision
    assert page.side.currentIndex() == 2
    qtbot.waitUntil(decision.hasFocus, timeout=harness.wait_ms)
    qtbot.keyClick(decision, Qt.Key.Key_Down)
    assert decision.currentData() == Decision.PROCEED.value
    _settle(window, qtbot)

    # Nothing missing: a confirmation, then the record is finalised and read-only.
    qtbot.mouseClick(page.finalising.button, Qt.MouseButton.LeftButton)
    box = harness.modal(QMessageBox)
    finalise = next(b for b in box.buttons() if b.text() == "Finalise")
    qtbot.mouseClick(finalise, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)
    banner = page.finalising.panel.banner
    qtbot.waitUntil(lambda: banner.text().startswith("FINALISED on "), timeout=harness.wait_ms)
    assert banner.text().endswith("by Ada Surgeon")
    assert page.finalising.panel.isVisible()
    assert page.view is not None
    assert page.view.status is RecordStatus.FINALISED
    assert not page.finalising.button.isEnabled()
    assert not page.end_button.isEnabled()
    assert page.finalising.panel.addendum_button.isEnabled()
    assert all(not b.isEnabled() for b in page.topic.buttons.values())
    assert page.details.lines[next(iter(page.details.lines))].isReadOnly()
    before = services.consultations.load(cid).state
    qtbot.keyClick(page.navigator, Qt.Key.Key_X)  # a single key takes no change now
    assert page.state == before

    # An addendum: both fields required, then saved and listed under the banner.
    qtbot.mouseClick(page.finalising.panel.addendum_button, Qt.MouseButton.LeftButton)
    dialog = harness.modal(AddendumDialog)
    assert _unnamed(dialog) == []
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.labels["reason"].isVisible()
    assert dialog.errors.labels["text"].isVisible()
    dialog.reason.setText("Level <i>corrected</i>")
    dialog.text.setPlainText("The fracture was at L1, not T12.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.modal_closed(window)
    panel = page.finalising.panel
    qtbot.waitUntil(lambda: len(panel.addenda) == 1, timeout=harness.wait_ms)
    text = panel.addenda[0].text()
    assert "Addendum by Ada Surgeon" in text
    assert "Why: Level <i>corrected</i>" in text
    assert "The fracture was at L1, not T12." in text
    stored = services.consultations.addenda(cid)
    assert [(a.reason, a.text) for a in stored] == [
        ("Level <i>corrected</i>", "The fracture was at L1, not T12.")
    ]
    assert services.consultations.load(cid).status is RecordStatus.AMENDED

    # A change that reaches the service anyway is refused, and the page says so plainly.
    topic = page.view.pack.topics_for("balloon")[0].id
    page.changes.send(
        lambda c: c.set_topic_state(cid, topic, TopicState.DECLINED, "", clinician.id)
    )
    qtbot.waitUntil(page.error.isVisible, timeout=harness.wait_ms)
    assert "finalised and cannot be changed" in page.error.text()
    assert page.error.textFormat() == Qt.TextFormat.PlainText
    assert services.consultations.load(cid).state.topic(topic).state is TopicState.DISCUSSED
    QApplication.processEvents()
