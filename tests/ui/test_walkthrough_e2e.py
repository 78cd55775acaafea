"""The surgeon's whole flow, from the keyboard, over the real services and a real SQLite file.

First run (profile), add a patient, start a consultation, settle every topic,
write notes, tick checklists, record details and a question, undo a change;
then close, open a new window over the same database, resume, and find
everything as it was left.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from consult_aid.domain.access import Role
from consult_aid.domain.consultation import ChangeKind, Detail, TopicState
from consult_aid.domain.content import SectionKind
from consult_aid.ui.access.first_admin_dialog import FirstAdministratorDialog
from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.patient_dialog import PatientDialog
from consult_aid.ui.resume_dialog import ResumeDialog
from consult_aid.ui.start_dialog import StartDialog
from consult_aid.ui.walkthrough.reason_dialog import ReasonDialog
from tests.signing_in import PASSWORD
from tests.ui.conftest import SEED_USER

NAME = "Zoë Łukasiewicz"


def _settle(window: MainWindow, qtbot: Any) -> None:
    """Wait until every change sent has been stored and shown as saved."""
    qtbot.waitUntil(lambda: window.status.text().startswith("Saved"), timeout=10_000)
    qtbot.waitUntil(lambda: not window.walkthrough.changes.busy, timeout=10_000)


def _first_run(harness: Any, qtbot: Any) -> MainWindow:
    window: MainWindow = harness.window(wait_ready=False)
    dialog = harness.modal(FirstAdministratorDialog)
    form = dialog.form
    form.name.setText("Dr Amélie Brown")
    qtbot.keyClicks(form.gmc_number, "7654321")
    qtbot.keyClicks(form.hospital, "Royal Infirmary")
    qtbot.keyClicks(form.username, SEED_USER)
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClicks(form.confirm, PASSWORD)
    # The surgeon on a one-person workstation administers it too.
    form.roles[Role.SURGEON].setChecked(True)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        qtbot.keyClick(form.confirm, Qt.Key.Key_Return)
    harness.activate(window)
    return window


def _add_patient(harness: Any, window: MainWindow, qtbot: Any, nhs: str) -> None:
    qtbot.keyClick(window.patients.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = harness.modal(PatientDialog)
    dialog.name.setText(NAME)
    qtbot.keyClicks(dialog.date_of_birth, "02/03/1941")
    qtbot.keyClicks(dialog.nhs_number, nhs)
    qtbot.keyClicks(dialog.hospital_number, "rx123")
    qtbot.keyClick(dialog.hospital_number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.patients.model.rowCount() == 1, timeout=10_000)
    harness.modal_closed(window)


def _start_spinejack(harness: Any, window: MainWindow, qtbot: Any) -> None:
    results = window.patients.results
    qtbot.waitUntil(lambda: results.hasFocus(), timeout=10_000)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    dialog = harness.modal(StartDialog)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.choice() == ("balloon-kyphoplasty", "spinejack")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    harness.modal_closed(window)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.walkthrough, timeout=10_000)


def test_whole_consultation_by_keyboard_survives_reopening(harness: Any, qtbot: Any) -> None:
    nhs = harness.nhs_number(1)
    window = _first_run(harness, qtbot)
    _add_patient(harness, window, qtbot, nhs)
    _start_spinejack(harness, window, qtbot)
    page = window.walkthrough
    assert page.view is not None
    assert NAME in page.banner.patient_line.text()
    assert nhs[:3] + " " + nhs[3:6] + " " + nhs[6:] in page.banner.patient_line.text()
    assert "SpineJack" in page.banner.content_line.text()
    pack = page.view.pack
    topics = pack.topics_for("spinejack")
    sections_seen: set[SectionKind] = set()
    expected: dict[str, TopicState] = {}
    notes: dict[str, str] = {}
    nav = page.navigator
    for number, topic in enumerate(topics):
        qtbot.waitUntil(lambda t=topic: page._current_topic == t, timeout=10_000)
        sections_seen.add(pack.section_of(topic.id).kind)
        if number == 2:
            qtbot.keyClick(nav, Qt.Key.Key_N)
            dialog = harness.modal(ReasonDialog)
            qtbot.keyClicks(dialog.reason, "Already had this procedure explained")
            qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
            harness.modal_closed(window)
            expected[topic.id] = TopicState.NOT_APPLICABLE
        elif number == 5:
            qtbot.keyClick(nav, Qt.Key.Key_X)
            expected[topic.id] = TopicState.DECLINED
        else:
            qtbot.keyClick(nav, Qt.Key.Key_D)
            expected[topic.id] = TopicState.DISCUSSED
        if number % 9 == 0:
            qtbot.keyClick(nav, Qt.Key.Key_F6)
            assert page.topic.note.hasFocus()
            note = f"Patient asked about topic {number}; explained."
            qtbot.keyClicks(page.topic.note, note)
            notes[topic.id] = note
            qtbot.keyClick(page.topic.note, Qt.Key.Key_Escape)
            assert nav.hasFocus()
        if pack.section_of(topic.id).kind is SectionKind.RISKS and "material" not in notes:
            qtbot.keyClick(nav, Qt.Key.Key_M)
            notes["material"] = topic.id
        qtbot.keyClick(nav, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    _settle(window, qtbot)
    assert sections_seen == set(SectionKind)
    assert page.progress.bar.text() == f"{len(topics)} of {len(topics)} topics settled"

    # Undo the last state change: a new change through the service, both kept in the log.
    last = topics[-1]
    qtbot.keyClick(nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(window, qtbot)
    assert page.state.topic(last.id).state is TopicState.NOT_ADDRESSED
    assert page.progress.bar.text() == f"{len(topics) - 1} of {len(topics)} topics settled"
    qtbot.keyClick(
        nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    _settle(window, qtbot)
    assert page.state.topic(last.id).state is TopicState.DISCUSSED
    services = harness.services
    history = services.consultations.history(page.view.header.id)
    last_states = [
        c.value["state"] for c in history if c.kind is ChangeKind.TOPIC_STATE and c.key == last.id
    ]
    assert last_states == ["discussed", "not_addressed", "discussed"]

    # Checklists, details and a question, through their panels.
    page.side.setCurrentIndex(1)  # the "Patient" tab
    factor_id, factor_box = next(iter(page.checklists.risk_factors.items()))
    medicine_id, medicine_box = next(iter(page.checklists.medicines.items()))
    factor_box.setFocus()
    qtbot.keyClick(factor_box, Qt.Key.Key_Space)
    medicine_box.setFocus()
    qtbot.keyClick(medicine_box, Qt.Key.Key_Space)
    levels = page.details.lines[Detail.LEVELS]
    levels.setFocus()
    qtbot.keyClicks(levels, "t12 l1")
    qtbot.keyClick(levels, Qt.Key.Key_Tab)
    page.questions.question.setFocus()
    qtbot.keyClicks(page.questions.question, "Will I be able to garden again?")
    qtbot.keyClick(page.questions.question, Qt.Key.Key_Return)
    qtbot.keyClicks(page.questions.answer, "Most people return to light gardening in weeks.")
    qtbot.keyClick(page.questions.answer, Qt.Key.Key_Return)
    _settle(window, qtbot)
    qtbot.waitUntil(lambda: page.questions.list.count() == 1, timeout=10_000)
    assert levels.text() == "T12, L1"
    consultation_id = page.view.header.id
    material_topic = notes.pop("material")
    harness.close(window)

    # A new window over freshly opened services: resume, and find everything as left.
    second = harness.window()
    resume = harness.modal(ResumeDialog)
    assert NAME in resume.model.index(0, 0).data()
    qtbot.keyClick(resume.view, Qt.Key.Key_Return)
    harness.modal_closed(second)
    qtbot.waitUntil(lambda: second.pages.currentWidget() is second.walkthrough, timeout=10_000)
    page = second.walkthrough
    assert page.view is not None
    assert page.view.header.id == consultation_id
    state = page.view.state
    assert {t: state.topic(t).state for t in expected} == expected
    assert {t: state.topic(t).note for t in notes} == notes
    assert state.topic(topics[2].id).reason == "Already had this procedure explained"
    assert state.topic(material_topic).material
    assert state.risk_factors == {factor_id}
    assert state.medicines == {medicine_id}
    assert state.detail(Detail.LEVELS) == "T12, L1"
    assert [(q.question, q.answer) for q in state.questions] == [
        ("Will I be able to garden again?", "Most people return to light gardening in weeks.")
    ]
    assert page.progress.bar.text() == f"{len(topics)} of {len(topics)} topics settled"
    assert page.checklists.risk_factors[factor_id].isChecked()
    assert page.details.lines[Detail.LEVELS].text() == "T12, L1"
    assert NAME in page.banner.patient_line.text()
