"""Each role through the real window: what it is offered, and what is refused when forced.

For every role the test signs in through the sign-in screen and compares
every role-bound menu action and button with the access matrix: shown and
enabled exactly when the role allows it. Then, for what the role may not do,
it calls the window's own slot behind the hidden control, as a bug or a
stale button would: the services refuse, the window says so, and the
database is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from consult_aid.domain.access import Action, Role, allowed_actions
from consult_aid.domain.people import ClinicianDraft, ClinicianRole
from consult_aid.storage.models import Base
from consult_aid.ui.main_window import MainWindow
from tests.ui.records_seed import PACK, VARIANT, consultation, patient

PEOPLE = {
    Role.SURGEON: ("sid", ClinicianDraft("Sid Surgeon", ClinicianRole.FELLOW, "7654321", "City")),
    Role.SECRETARY: (
        "sue",
        ClinicianDraft("Sue Secretary", ClinicianRole.MEDICAL_SECRETARY, "", "City"),
    ),
    Role.AUDITOR: (
        "aud",
        ClinicianDraft("Aud Auditor", ClinicianRole.CLINICAL_AUDITOR, "", "City"),
    ),
    Role.ADMINISTRATOR: (
        "adm",
        ClinicianDraft("Adm Admin", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "City"),
    ),
}

# Every control that a role decides, and the action it needs.
CONTROLS: dict[str, tuple[Callable[[MainWindow], Any], Action]] = {
    "Records > Audit workspace": (lambda w: w.audit_action, Action.VIEW_RECORDS),
    "Records > Verify records": (lambda w: w.verify_action, Action.VERIFY),
    "Administration > Users": (lambda w: w.users_action, Action.MANAGE_USERS),
    "Administration > Settings": (lambda w: w.settings_action, Action.MANAGE_USERS),
    "Patients: Add patient": (lambda w: w.patients.add_button, Action.EDIT_PATIENTS),
    "Patients: Import clinic list": (lambda w: w.patients.import_button, Action.IMPORT_CLINIC_LIST),
    "Patients: Start consultation": (lambda w: w.patients.start_button, Action.CONSULT),
    "Patients: Print leaflet": (lambda w: w.patients.print_button, Action.PRINT_LEAFLETS),
}


def _world(harness: Any) -> dict[str, int]:
    ada = harness.seed_clinician()
    for role, (username, profile) in PEOPLE.items():
        harness.add_person(profile, {role}, username)
    services = harness.services
    pid = patient(services, ada.id, 40, "Margaret Hughes")
    cid = consultation(services, pid, ada.id, leave_open=2)
    return {"patient": pid, "consultation": cid}


def _snapshot(harness: Any) -> dict[str, int]:
    """Rows per table, and the last audit event: any write changes one of them."""
    from sqlalchemy import func, select, text

    with harness.services.db.session() as session, session.begin():
        counts = {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }
        counts["last audit id"] = int(session.scalar(text("SELECT max(id) FROM audit_log")) or 0)
    return counts


def _shown(item: Any) -> bool:
    if isinstance(item, QWidget):
        return not item.isHidden() and item.isEnabled()
    return bool(item.isVisible() and item.isEnabled())


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_is_offered_exactly_what_it_may_do(harness: Any, qtbot: Any, role: Role) -> None:
    _world(harness)
    username, _profile = PEOPLE[role]
    window = harness.window(user=username)
    allowed = allowed_actions({role})
    if Action.VIEW_PATIENTS in allowed:
        # The patient buttons wait for a selected patient: let the search find one.
        qtbot.waitUntil(lambda: window.patients.selected_patient() is not None, timeout=10_000)
    offered = {name: _shown(get(window)) for name, (get, _action) in CONTROLS.items()}
    expected = {name: action in allowed for name, (_get, action) in CONTROLS.items()}
    assert offered == expected
    home = {
        Role.SURGEON: window.patients,
        Role.SECRETARY: window.patients,
        Role.AUDITOR: window.audit,
        Role.ADMINISTRATOR: window.users,
    }[role]
    assert window.pages.currentWidget() is home
    # The session menu is there for everyone signed in; a menu with nothing allowed is not.
    assert window.lock_action.isEnabled()
    assert window.sign_out_action.isEnabled()
    for menu in window.role_menus:
        usable = [item for item in menu.actions() if item in window.role_actions]
        assert menu.menuAction().isVisible() == any(
            window.role_actions[item] in allowed for item in usable
        )
    window.sign_out()
    assert not any(menu.menuAction().isVisible() for menu in window.role_menus)


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.AUDITOR, Role.ADMINISTRATOR])
def test_a_forced_consultation_start_is_refused_and_nothing_is_written(
    harness: Any, qtbot: Any, role: Role
) -> None:
    ids = _world(harness)
    username, _profile = PEOPLE[role]
    window = harness.window(user=username)
    from consult_aid.storage.patients import PatientRepository

    with harness.services.db.session() as session, session.begin():
        stored = PatientRepository(session).get(ids["patient"])
    assert stored is not None
    before = _snapshot(harness)
    # The slot behind "Start consultation…", called although the button is hidden.
    window.patients._on_start_chosen(stored, (PACK, VARIANT))
    if role is Role.SECRETARY:
        # Her patients page has the services: the call reaches them and is refused.
        qtbot.waitUntil(lambda: window.status.text().startswith("Not saved"), timeout=10_000)
        assert "does not allow you to hold consultations" in window.status.text()
    else:
        # A role that may not see patients never gets the patients page the services.
        qtbot.wait(300)
        window._runner.drain(10_000)
    assert window.pages.currentWidget() is not window.walkthrough
    assert _snapshot(harness) == before


@pytest.mark.parametrize("role", [Role.SURGEON, Role.SECRETARY, Role.AUDITOR])
def test_the_users_page_forced_open_shows_the_refusal(harness: Any, qtbot: Any, role: Role) -> None:
    _world(harness)
    username, _profile = PEOPLE[role]
    window = harness.window(user=username)
    before = _snapshot(harness)
    window.users.attach(harness.services, harness.services.access.current.person_id)
    window.users.refresh()
    message = window.users.findChild(QWidget, "users_message")
    qtbot.waitUntil(
        lambda: "does not allow you to manage user accounts" in message.text(), timeout=10_000
    )
    assert window.users.model.rowCount() == 0
    assert _snapshot(harness) == before


def test_a_secretary_reads_the_surgeons_consultation_but_cannot_change_it(
    harness: Any, qtbot: Any
) -> None:
    ids = _world(harness)
    window = harness.window(user="sue")
    before = _snapshot(harness)
    window.patients.open_by_id(ids["consultation"], resume=False)
    page = window.walkthrough
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=10_000)
    assert all(not button.isEnabled() for button in page.topic.buttons.values())
    assert page.finalising.button.isHidden()
    assert not page.end_button.isEnabled()
    assert not page.leaflet_button.isHidden()  # a secretary prints and reprints
    assert not page.record_button.isHidden()
    # A key press for "discussed" is ignored, and nothing reaches the store.
    page.request_state(next(iter(page.topic.buttons)))
    qtbot.wait(200)
    after = _snapshot(harness)
    assert after["consultation_changes"] == before["consultation_changes"]
    assert after["topic_states"] == before["topic_states"]
