"""Locking the window: by hand and when idle; the same person resumes, another takes over.

Over the real services: the note being typed when the window locks is
stored before the lock screen shows; the same person signing in gets the
very page, topic, text and open dialogs back; anyone else ends that session
(the audit trail says so) and starts on their own first page, with nothing
the first person saved lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from consult_aid.domain.access import Role
from consult_aid.domain.people import ClinicianDraft, ClinicianRole
from consult_aid.storage.models import AuditRow
from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.resume_dialog import ResumeDialog
from consult_aid.ui.shortcuts_help import ShortcutsHelp
from tests.ui.records_seed import consultation, patient

NOTE = "Daughter asked about the cement; explained the 1 in 100 figure."


def _window_in_a_consultation(harness: Any, qtbot: Any) -> tuple[MainWindow, int]:
    ada = harness.seed_clinician()
    harness.add_person(
        ClinicianDraft("Sue Secretary", ClinicianRole.MEDICAL_SECRETARY, "", "City"),
        {Role.SECRETARY},
        "sue",
    )
    services = harness.services
    cid = consultation(services, patient(services, ada.id, 60, "Ann Smith"), ada.id, leave_open=3)
    window = harness.window()
    harness.modal(ResumeDialog).reject()
    harness.modal_closed(window)
    window.patients.open_by_id(cid, resume=True)
    page = window.walkthrough
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=10_000)
    return window, cid


def _stored_notes(harness: Any, cid: int) -> list[str]:
    state = harness.services.consultations.load(cid).state
    return [record.note for record in state.topics.values() if record.note]


def _events(harness: Any) -> list[str]:
    from sqlalchemy import select

    with harness.services.db.session() as session, session.begin():
        return list(session.scalars(select(AuditRow.action).order_by(AuditRow.id)))


def test_the_same_person_unlocking_finds_everything_as_it_was(harness: Any, qtbot: Any) -> None:
    window, cid = _window_in_a_consultation(harness, qtbot)
    page = window.walkthrough
    topic = page.topic
    topic.note.setFocus()
    qtbot.keyClicks(topic.note, NOTE)
    current_topic = page.view and page.navigator.currentIndex().data()
    help_dialog = ShortcutsHelp(window)
    help_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    help_dialog.show()
    qtbot.waitExposed(help_dialog)

    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert window.is_locked
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.sign_in_page.title.text() == "Locked"
    assert not help_dialog.isVisible()
    assert not window.audit_action.isEnabled()
    qtbot.waitUntil(lambda: not page.changes.busy, timeout=10_000)
    # What was being typed was stored before the lock screen came up.
    qtbot.waitUntil(lambda: _stored_notes(harness, cid) == [NOTE], timeout=10_000)
    assert window.sign_in_page.username.text() == "ada"

    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        harness.sign_in(window, "ada")
    assert not window.is_locked
    assert window.pages.currentWidget() is page
    assert page.navigator.currentIndex().data() == current_topic
    assert topic.note.toPlainText() == NOTE
    assert help_dialog.isVisible()
    assert "session.lock" in _events(harness)
    assert "session.taken_over" not in _events(harness)
    help_dialog.close()


def test_another_person_unlocking_ends_the_first_session_and_keeps_what_it_saved(
    harness: Any, qtbot: Any
) -> None:
    window, cid = _window_in_a_consultation(harness, qtbot)
    page = window.walkthrough
    page.topic.note.setFocus()
    qtbot.keyClicks(page.topic.note, NOTE)
    help_dialog = ShortcutsHelp(window)
    help_dialog.show()
    qtbot.waitExposed(help_dialog)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        window.lock()

    with qtbot.waitSignal(window.ready, timeout=10_000):
        harness.sign_in(window, "sue")
    assert window.signed_in is not None
    assert window.signed_in.account.username == "sue"
    assert window.pages.currentWidget() is window.patients
    assert not help_dialog.isVisible()
    assert _stored_notes(harness, cid) == [NOTE]
    events = _events(harness)
    assert events.index("session.lock") < events.index("session.taken_over")
    # Sue's roles apply now: no consultation is started from her screen.
    assert window.patients.start_button.isHidden()


def test_a_wrong_password_keeps_the_window_locked(harness: Any, qtbot: Any) -> None:
    window, _cid = _window_in_a_consultation(harness, qtbot)
    window.lock()
    harness.sign_in(window, "ada", "not the right password")
    message = window.sign_in_page.message
    qtbot.waitUntil(message.isVisible, timeout=10_000)
    assert "not right" in message.text()
    assert window.is_locked
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.sign_in_page.password.text() == ""


def test_the_window_locks_itself_when_idle(harness: Any, qtbot: Any) -> None:
    harness.seed_clinician()
    window = harness.window()
    window._idle.set_minutes(0.01)  # 0.6 s instead of the minutes a clinic uses
    window._idle.start()
    with qtbot.waitSignal(window.locked, timeout=10_000):
        pass
    assert window.pages.currentWidget() is window.sign_in_page


def test_input_puts_the_auto_lock_off(harness: Any, qtbot: Any) -> None:
    harness.seed_clinician()
    window = harness.window()
    window._idle.set_minutes(0.02)  # 1.2 s
    window._idle.start()
    for _ in range(8):  # 2.4 s of someone typing
        qtbot.wait(300)
        qtbot.keyClick(window.patients.search, Qt.Key.Key_A)
    assert not window.is_locked


def test_signing_out_returns_to_the_sign_in_screen(harness: Any, qtbot: Any) -> None:
    harness.seed_clinician()
    window = harness.window()
    window.sign_out()
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.signed_in is None
    assert not window.audit_action.isEnabled()
    qtbot.waitUntil(lambda: "sign_out" in _events(harness), timeout=10_000)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        harness.sign_in(window, "ada")


def test_no_other_window_is_left_showing_a_record_while_locked(harness: Any, qtbot: Any) -> None:
    window, _cid = _window_in_a_consultation(harness, qtbot)
    window.walkthrough.open_record()
    qtbot.waitUntil(
        lambda: any(w.isVisible() and w is not window for w in QApplication.topLevelWidgets()),
        timeout=10_000,
    )
    window.lock()
    shown: list[QWidget] = [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window
    ]
    assert shown == []
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        harness.sign_in(window, "ada")
    qtbot.waitUntil(
        lambda: any(w.isVisible() and w is not window for w in QApplication.topLevelWidgets()),
        timeout=10_000,
    )
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible():
            widget.close()


def test_the_lock_screen_shows_every_line_and_field_whole(harness: Any, qtbot: Any) -> None:
    window, _cid = _window_in_a_consultation(harness, qtbot)
    window.resize(1200, 800)
    window.lock()
    page = window.sign_in_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=10_000)
    assert page.detail.isVisible()
    # The wrapped note of who was signed in is not cut, nor are the fields squeezed.
    qtbot.waitUntil(
        lambda: page.detail.height() >= page.detail.heightForWidth(page.detail.width()),
        timeout=10_000,
    )
    for field in (page.username, page.password, page.sign_in):
        assert field.height() >= field.sizeHint().height()
