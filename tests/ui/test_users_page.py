"""The administrator's users page and the account dialogs, driven as a person would.

Each test opens real services over its own database, signs in the first
administrator (who holds every role), and shows the page in a plain host
widget; what the page did is checked in the services, not only on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult_aid import paths
from consult_aid.domain.access import Role
from consult_aid.domain.errors import SignInRefused
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.views import AccountView
from consult_aid.ui.access.user_dialogs import (
    NEW_PERSON,
    AddUserDialog,
    ChangePasswordDialog,
    ResetPasswordDialog,
    RolesDialog,
)
from consult_aid.ui.access.users_page import UsersPage
from consult_aid.ui.service_runner import ServiceRunner
from tests.signing_in import FAST_HASHING, PASSWORD, add_person, first_person, sign_in

WAIT_MS = 10_000
NEW_PASSWORD = "harbour thistle compass 97"  # noqa: S105 - a test's own, not a secret
SECRETARY = ClinicianDraft("Beth Jones", ClinicianRole.MEDICAL_SECRETARY, "", "City Hospital")
SECOND_ADMIN = ClinicianDraft("Carl Evans", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "City Hospital")
D = TypeVar("D", bound=QDialog)


@dataclass
class Desk:
    """The page on screen over real services, signed in as the first administrator.

    Attributes:
        qtbot: pytest-qt's robot.
        services: the services the page works with.
        runner: the page's service runner.
        admin: the first administrator's profile.
        host: the top-level widget the page is shown in.
        page: the users page.
    """

    qtbot: Any
    services: Services
    runner: ServiceRunner
    admin: Clinician
    host: QWidget
    page: UsersPage

    def attach(self, by: int | None = None) -> None:
        """List the accounts as ``by`` (the administrator by default) and wait for them."""
        self.page.attach(self.services, self.admin.id if by is None else by)
        self.idle()

    def idle(self) -> None:
        """Wait until every call the page or a dialog sent has come back."""
        self.qtbot.waitUntil(lambda: self.runner.pending == 0, timeout=WAIT_MS)

    def click(self, button: QAbstractButton) -> None:
        """Click a button with the mouse."""
        assert button.isEnabled(), f"{button.text()!r} is greyed out"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def click_row(self, username: str) -> None:
        """Click the table row of an account."""
        row = next(
            (i for i in range(self.page.model.rowCount()) if self.cell(i, 0) == username), -1
        )
        assert row >= 0, f"{username} is not listed"
        table = self.page.table
        rect = table.visualRect(self.page.model.index(row, 1))
        self.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert self.page.selected() is not None
        assert self.page.selected().account.username == username  # type: ignore[union-attr]

    def cell(self, row: int, column: int) -> object:
        """The text shown in a cell."""
        return self.page.model.index(row, column).data()

    def rows(self) -> list[tuple[object, ...]]:
        """Every row of the table as shown."""
        model = self.page.model
        return [
            tuple(self.cell(row, col) for col in range(model.columnCount()))
            for row in range(model.rowCount())
        ]

    def dialog(self, kind: type[D]) -> D:
        """The dialog the page opened last, once it is on screen and ready."""
        self.qtbot.waitUntil(
            lambda: isinstance(self.page.dialog, kind) and self.page.dialog.isVisible(),
            timeout=WAIT_MS,
        )
        dialog = self.page.dialog
        assert isinstance(dialog, kind)
        self.ready(dialog)
        return dialog

    def ready(self, dialog: QDialog) -> None:
        """Wait for a dialog's own loading to finish (its buttons come back)."""
        self.idle()
        boxes = dialog.findChildren(QDialogButtonBox)
        assert boxes
        self.qtbot.waitUntil(lambda: all(box.isEnabled() for box in boxes), timeout=WAIT_MS)

    def closed(self, dialog: QDialog) -> None:
        """Wait for a dialog to close."""
        self.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    def account(self, username: str) -> AccountView:
        """An account as stored."""
        found = [v for v in self.services.accounts.accounts() if v.account.username == username]
        assert found, f"no account {username}"
        return found[0]


@pytest.fixture
def desk(qtbot: Any, tmp_path: Path) -> Iterator[Desk]:
    """The users page shown over fresh services; everything is closed afterwards."""
    url = f"sqlite:///{(tmp_path / 'db.sqlite3').as_posix()}"
    services = open_services(url, paths.procedures_dir(), password_hashing=FAST_HASHING)
    admin = first_person(services)
    runner = ServiceRunner()
    host = QWidget()
    host.setWindowTitle("Users (test host)")
    page = UsersPage(runner)
    QVBoxLayout(host).addWidget(page)
    host.resize(900, 500)
    host.show()
    qtbot.waitExposed(host)
    try:
        yield Desk(qtbot, services, runner, admin, host, page)
    finally:
        runner.drain(5000)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        runner.stop()
        services.close()
        host.deleteLater()
        QApplication.processEvents()
        left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert not left, f"windows left open: {left}"


def _error(dialog: QWidget, field: str) -> QLabel:
    label = dialog.findChild(QLabel, f"error_{field}")
    assert label is not None
    return label


def _message(desk: Desk) -> QLabel:
    label = desk.page.findChild(QLabel, "users_message")
    assert label is not None
    return label


def _fill_new_secretary(desk: Desk, dialog: AddUserDialog, password: str, again: str) -> None:
    form = dialog.form
    desk.qtbot.keyClicks(form.name, "Beth Jones")
    form.job_title.setCurrentIndex(form.job_title.findData(ClinicianRole.MEDICAL_SECRETARY))
    desk.qtbot.keyClicks(form.hospital, "City Hospital")
    desk.qtbot.keyClicks(form.username, "beth")
    desk.qtbot.keyClicks(form.password, password)
    desk.qtbot.keyClicks(form.confirm, again)
    if not form.roles[Role.SECRETARY].isChecked():
        desk.click(form.roles[Role.SECRETARY])


# ---------------------------------------------------------------------- listing
def test_the_table_lists_every_account_with_its_roles_and_status(desk: Desk) -> None:
    beth = add_person(desk.services, SECRETARY, {Role.SECRETARY}, "beth")
    desk.services.accounts.set_active(beth.id, False, desk.admin.id)
    desk.attach()
    assert desk.rows() == [
        (
            "anna",
            "Anna Rahman",
            "Consultant spinal surgeon",
            "Surgeon, Secretary, Auditor, Administrator",
            "Active",
        ),
        ("beth", "Beth Jones", "Medical secretary", "Secretary", "Disabled"),
    ]
    headers = [desk.page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(5)]
    assert headers == ["User name", "Name", "Job title", "Roles", "Status"]
    desk.click_row("beth")
    assert desk.page.active_button.text() == "&Enable"
    desk.click_row("anna")
    assert desk.page.active_button.text() == "&Disable"


def test_back_asks_to_leave(desk: Desk) -> None:
    desk.attach()
    with desk.qtbot.waitSignal(desk.page.leave, timeout=WAIT_MS):
        desk.click(desk.page.back_button)


# ---------------------------------------------------------------------- add user
def test_add_user_refuses_a_weak_password_then_creates_the_secretary(desk: Desk) -> None:
    desk.attach()
    desk.click(desk.page.add_button)
    dialog = desk.dialog(AddUserDialog)
    _fill_new_secretary(desk, dialog, "password1234", "password1234")
    desk.click(dialog.ok_button)
    problem = _error(dialog, "password")
    desk.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
    assert problem.text().startswith("⚠ ")
    # Under the password field, not somewhere else on the dialog.
    field_top = dialog.form.password.mapTo(dialog, QPoint(0, 0)).y()
    assert problem.mapTo(dialog, QPoint(0, 0)).y() > field_top
    # Every wrapped line of it shows: the dialog grew to fit rather than cut it.
    desk.qtbot.waitUntil(
        lambda: problem.height() >= problem.heightForWidth(problem.width()), timeout=WAIT_MS
    )
    assert dialog.isVisible()
    assert (dialog.form.password.text(), dialog.form.confirm.text()) == ("", "")
    assert dialog.form.password.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.form.confirm.echoMode() == QLineEdit.EchoMode.Password
    assert [v.account.username for v in desk.services.accounts.accounts()] == ["anna"]
    assert dialog.form.username.text() == "beth"  # nothing else typed is lost

    desk.qtbot.keyClicks(dialog.form.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(dialog.form.confirm, NEW_PASSWORD)
    with desk.qtbot.waitSignal(dialog.added, timeout=WAIT_MS):
        desk.click(dialog.ok_button)
    desk.closed(dialog)
    desk.idle()
    beth = desk.account("beth")
    assert beth.account.roles == frozenset({Role.SECRETARY})
    assert beth.person.name == "Beth Jones"
    assert beth.person.role is ClinicianRole.MEDICAL_SECRETARY
    assert ("beth", "Beth Jones", "Medical secretary", "Secretary", "Active") in desk.rows()
    assert desk.page.selected() is not None
    assert desk.page.selected().account.username == "beth"  # type: ignore[union-attr]
    assert _message(desk).isVisible()
    assert "beth" in _message(desk).text()
    assert desk.services.accounts.sign_in("beth", NEW_PASSWORD).person_id == beth.person.id


def test_add_user_refuses_passwords_typed_differently_without_asking_the_services(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.attach()
    calls: list[object] = []
    real = desk.services.accounts.create_account

    def spy(*args: Any, **kwargs: Any) -> AccountView:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(desk.services.accounts, "create_account", spy)
    desk.click(desk.page.add_button)
    dialog = desk.dialog(AddUserDialog)
    _fill_new_secretary(desk, dialog, NEW_PASSWORD, NEW_PASSWORD + "x")
    desk.click(dialog.ok_button)
    problem = _error(dialog, "confirm")
    assert problem.isVisible()  # at once: nothing was sent to be checked
    assert "not the same" in problem.text()
    assert desk.runner.pending == 0
    desk.idle()
    assert calls == []
    assert (dialog.form.password.text(), dialog.form.confirm.text()) == ("", "")
    assert [v.account.username for v in desk.services.accounts.accounts()] == ["anna"]
    assert dialog.isVisible()
    dialog.reject()
    desk.closed(dialog)


def test_an_existing_staff_profile_is_given_an_account(desk: Desk) -> None:
    draft = ClinicianDraft("Dev Patel", ClinicianRole.REGISTRAR, "7654321", "City Hospital")
    dev = desk.services.clinicians.create(draft)
    people_before = len(desk.services.clinicians.all())
    desk.attach()
    desk.click(desk.page.add_button)
    dialog = desk.dialog(AddUserDialog)
    form = dialog.form
    desk.qtbot.keyClicks(form.name, "Someone typed first")
    assert dialog.existing.isEnabled()
    assert dialog.existing.itemText(0) == NEW_PERSON
    index = next(
        i for i in range(dialog.existing.count()) if "Dev Patel" in dialog.existing.itemText(i)
    )
    dialog.existing.setCurrentIndex(index)
    assert (form.name.text(), form.gmc_number.text()) == ("Dev Patel", "7654321")
    assert ClinicianRole(form.job_title.currentData()) is ClinicianRole.REGISTRAR
    assert not form.name.isEnabled()
    assert not form.job_title.isEnabled()
    assert not form.hospital.isEnabled()
    # Back to a new person and what was typed is there again; then the profile once more.
    dialog.existing.setCurrentIndex(0)
    assert form.name.text() == "Someone typed first"
    assert form.name.isEnabled()
    dialog.existing.setCurrentIndex(index)
    desk.qtbot.keyClicks(form.username, "dev")
    desk.qtbot.keyClicks(form.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(form.confirm, NEW_PASSWORD)
    desk.click(form.roles[Role.SURGEON])
    with desk.qtbot.waitSignal(dialog.added, timeout=WAIT_MS) as added:
        desk.click(dialog.ok_button)
    desk.closed(dialog)
    desk.idle()
    view = added.args[0]
    assert isinstance(view, AccountView)
    assert view.account.person_id == dev.id
    assert desk.account("dev").account.roles == frozenset({Role.SURGEON})
    assert len(desk.services.clinicians.all()) == people_before  # no second Dev Patel
    assert desk.services.accounts.people_without_account() == []


# ---------------------------------------------------------------------- roles
def test_enter_in_the_table_opens_roles_and_the_roles_change(desk: Desk) -> None:
    add_person(desk.services, SECRETARY, {Role.SECRETARY}, "beth")
    desk.attach()
    desk.click_row("beth")
    desk.qtbot.keyClick(desk.page.table, Qt.Key.Key_Return)
    dialog = desk.dialog(RolesDialog)
    assert dialog.roles[Role.SECRETARY].isChecked()
    assert not dialog.roles[Role.AUDITOR].isChecked()
    desk.click(dialog.roles[Role.AUDITOR])
    desk.click(dialog.roles[Role.SECRETARY])
    with desk.qtbot.waitSignal(dialog.changed, timeout=WAIT_MS):
        desk.click(dialog.ok_button)
    desk.closed(dialog)
    desk.idle()
    assert desk.account("beth").account.roles == frozenset({Role.AUDITOR})
    assert ("beth", "Beth Jones", "Medical secretary", "Auditor", "Active") in desk.rows()


def test_the_roles_button_opens_roles_and_refuses_to_drop_the_last_administrator(
    desk: Desk,
) -> None:
    desk.attach()
    desk.click_row("anna")
    desk.click(desk.page.roles_button)
    dialog = desk.dialog(RolesDialog)
    desk.click(dialog.roles[Role.ADMINISTRATOR])
    desk.click(dialog.ok_button)
    desk.qtbot.waitUntil(dialog.general.isVisible, timeout=WAIT_MS)
    assert "last active administrator" in dialog.general.text()
    assert dialog.general.textFormat() == Qt.TextFormat.PlainText
    assert dialog.isVisible()
    assert Role.ADMINISTRATOR in desk.account("anna").account.roles
    dialog.reject()
    desk.closed(dialog)


# ---------------------------------------------------------------------- disable / enable
def test_disable_then_enable_an_account(desk: Desk) -> None:
    add_person(desk.services, SECRETARY, {Role.SECRETARY}, "beth")
    desk.attach()
    desk.click_row("beth")
    desk.click(desk.page.active_button)
    desk.idle()
    assert not desk.account("beth").account.active
    assert ("beth", "Beth Jones", "Medical secretary", "Secretary", "Disabled") in desk.rows()
    assert desk.page.active_button.text() == "&Enable"
    assert desk.page.active_button.accessibleName() == "Enable the selected account"
    with pytest.raises(SignInRefused, match="disabled"):
        desk.services.accounts.sign_in("beth", PASSWORD)
    desk.click(desk.page.active_button)
    desk.idle()
    assert desk.account("beth").account.active
    assert desk.page.active_button.text() == "&Disable"


def test_the_last_administrators_disable_is_refused_and_nothing_changes(desk: Desk) -> None:
    carl = add_person(desk.services, SECOND_ADMIN, {Role.ADMINISTRATOR}, "carl")
    # Anna gives up administering while signed in (her session keeps its roles until she
    # signs out), which leaves Carl as the last active administrator.
    others = frozenset(Role) - {Role.ADMINISTRATOR}
    desk.services.accounts.set_roles(desk.admin.id, others, desk.admin.id)
    desk.attach()
    before = desk.rows()
    desk.click_row("carl")
    assert desk.page.active_button.text() == "&Disable"
    desk.click(desk.page.active_button)
    message = _message(desk)
    desk.qtbot.waitUntil(message.isVisible, timeout=WAIT_MS)
    assert "last active administrator" in message.text()
    assert message.textFormat() == Qt.TextFormat.PlainText
    desk.idle()
    assert desk.account("carl").account.active
    assert desk.account("carl").account.person_id == carl.id
    assert desk.rows() == before
    assert desk.page.active_button.isEnabled()  # the page is usable again


def test_disabling_your_own_account_is_refused(desk: Desk) -> None:
    desk.attach()
    desk.click_row("anna")
    desk.click(desk.page.active_button)
    message = _message(desk)
    desk.qtbot.waitUntil(message.isVisible, timeout=WAIT_MS)
    assert "your own account" in message.text()
    assert desk.account("anna").account.active


# ---------------------------------------------------------------------- passwords
def test_reset_password_lets_the_person_sign_in_with_the_new_one(desk: Desk) -> None:
    add_person(desk.services, SECRETARY, {Role.SECRETARY}, "beth")
    desk.attach()
    desk.click_row("beth")
    desk.click(desk.page.reset_button)
    dialog = desk.dialog(ResetPasswordDialog)
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.confirm.echoMode() == QLineEdit.EchoMode.Password
    desk.qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(dialog.confirm, NEW_PASSWORD)
    with desk.qtbot.waitSignal(dialog.done, timeout=WAIT_MS):
        desk.click(dialog.ok_button)
    assert (dialog.password.text(), dialog.confirm.text()) == ("", "")
    desk.closed(dialog)
    desk.idle()
    assert "beth" in _message(desk).text()
    with pytest.raises(SignInRefused):
        desk.services.accounts.sign_in("beth", PASSWORD)
    assert desk.services.accounts.sign_in("beth", NEW_PASSWORD).account.username == "beth"


def test_reset_password_typed_differently_is_refused_on_the_second_field(desk: Desk) -> None:
    desk.attach()
    desk.click_row("anna")
    desk.click(desk.page.reset_button)
    dialog = desk.dialog(ResetPasswordDialog)
    desk.qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(dialog.confirm, "something else entirely")
    desk.click(dialog.ok_button)
    assert _error(dialog, "confirm").isVisible()
    assert desk.runner.pending == 0
    assert (dialog.password.text(), dialog.confirm.text()) == ("", "")
    dialog.reject()
    desk.closed(dialog)
    assert desk.services.accounts.sign_in("anna", PASSWORD).account.username == "anna"


def _change_password_dialog(desk: Desk) -> ChangePasswordDialog:
    dialog = ChangePasswordDialog(desk.services, desk.runner, desk.host)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    desk.qtbot.waitExposed(dialog)
    return dialog


def test_change_password_needs_the_current_one(desk: Desk) -> None:
    dialog = _change_password_dialog(desk)
    for field in (dialog.old_password, dialog.password, dialog.confirm):
        assert field.echoMode() == QLineEdit.EchoMode.Password
    desk.qtbot.keyClicks(dialog.old_password, "not my password at all")
    desk.qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(dialog.confirm, NEW_PASSWORD)
    desk.click(dialog.ok_button)
    problem = _error(dialog, "old_password")
    desk.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
    assert "not your current password" in problem.text()
    assert (dialog.old_password.text(), dialog.password.text(), dialog.confirm.text()) == (
        "",
        "",
        "",
    )
    assert dialog.isVisible()
    assert desk.services.accounts.sign_in("anna", PASSWORD).account.username == "anna"

    desk.qtbot.keyClicks(dialog.old_password, PASSWORD)
    desk.qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    desk.qtbot.keyClicks(dialog.confirm, NEW_PASSWORD)
    with desk.qtbot.waitSignal(dialog.done, timeout=WAIT_MS):
        desk.click(dialog.ok_button)
    desk.closed(dialog)
    with pytest.raises(SignInRefused):
        desk.services.accounts.sign_in("anna", PASSWORD)
    assert desk.services.accounts.sign_in("anna", NEW_PASSWORD).account.username == "anna"


def test_change_password_refuses_a_weak_new_one(desk: Desk) -> None:
    dialog = _change_password_dialog(desk)
    desk.qtbot.keyClicks(dialog.old_password, PASSWORD)
    desk.qtbot.keyClicks(dialog.password, "anna anna anna")
    desk.qtbot.keyClicks(dialog.confirm, "anna anna anna")
    desk.click(dialog.ok_button)
    problem = _error(dialog, "password")
    desk.qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
    assert not _error(dialog, "old_password").isVisible()
    dialog.reject()
    desk.closed(dialog)
    assert desk.services.accounts.sign_in("anna", PASSWORD).account.username == "anna"


# ---------------------------------------------------------------------- refusals
def test_a_secretary_is_refused_the_list_and_told_why(desk: Desk) -> None:
    add_person(desk.services, SECRETARY, {Role.SECRETARY}, "beth")
    beth = sign_in(desk.services, "beth")
    desk.attach(by=beth.id)
    message = _message(desk)
    assert message.isVisible()
    assert "does not allow you to manage user accounts" in message.text()
    assert message.textFormat() == Qt.TextFormat.PlainText
    assert desk.page.model.rowCount() == 0
    assert not desk.page.roles_button.isEnabled()


def test_a_name_that_looks_like_markup_is_shown_literally(desk: Desk) -> None:
    markup = ClinicianDraft("<b>Bold</b> Smith", ClinicianRole.MEDICAL_SECRETARY, "", "City")
    add_person(desk.services, markup, {Role.SECRETARY}, "bold")
    desk.attach()
    assert ("bold", "<b>Bold</b> Smith", "Medical secretary", "Secretary", "Active") in desk.rows()
    desk.click_row("bold")
    desk.click(desk.page.roles_button)
    dialog = desk.dialog(RolesDialog)
    holding = [label for label in dialog.findChildren(QLabel) if "<b>Bold</b>" in label.text()]
    assert holding, "the name should be on the dialog"
    for label in holding:
        assert label.textFormat() == Qt.TextFormat.PlainText
    dialog.reject()
    desk.closed(dialog)
    desk.page.show_problem("<b>not bold</b>")
    assert _message(desk).text() == "⚠ <b>not bold</b>"
    assert _message(desk).textFormat() == Qt.TextFormat.PlainText


# ---------------------------------------------------------------------- accessibility
_INTERACTIVE = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit)


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, _INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        if widget.objectName().startswith("qt_") or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget.window() is not root.window():
            continue
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def _check_named(desk: Desk, opener: Callable[[], None], kind: type[QDialog]) -> None:
    opener()
    dialog = desk.dialog(kind)
    assert _unnamed(dialog) == []
    assert dialog.isModal()
    dialog.reject()
    desk.closed(dialog)


def test_every_control_has_an_accessible_name(desk: Desk) -> None:
    desk.attach()
    assert _unnamed(desk.page) == []
    desk.click_row("anna")
    _check_named(desk, lambda: desk.click(desk.page.add_button), AddUserDialog)
    _check_named(desk, lambda: desk.click(desk.page.roles_button), RolesDialog)
    _check_named(desk, lambda: desk.click(desk.page.reset_button), ResetPasswordDialog)
    dialog = _change_password_dialog(desk)
    assert _unnamed(dialog) == []
    dialog.reject()
    desk.closed(dialog)
