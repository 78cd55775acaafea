"""The administrator's account dialogs, and the dialog for changing your own password.

Each dialog sends one service call to the runner and waits for its answer
without blocking the window: the buttons are greyed out meanwhile and closing
is refused until the answer is back, so that no answer arrives at a dialog
already deleted. The services check every rule and name the bad fields; a
dialog only checks that a password was typed the same twice, which the
services cannot know. Passwords are cleared from their fields as soon as they
are submitted, whatever the answer, so none stays in a widget longer than it
has to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Role
from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.people import Clinician
from consult_aid.ui.access.account_form import STRENGTH_ADVICE, AccountForm
from consult_aid.ui.form_errors import ERROR_STYLE, FieldErrors
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.views import AccountView

NEW_PERSON = "A new person"
MISMATCH = "The two passwords are not the same."


def password_field() -> QLineEdit:
    """A line edit that never shows what is typed in it."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _who(view: AccountView) -> str:
    return f"{view.person.name} ({view.account.username})"


class _ServiceDialog(QDialog):
    """A modal dialog whose OK button sends one call to the runner.

    Subclasses build their fields between ``__init__`` and ``_finish_layout``,
    set ``errors`` to the FieldErrors of those fields, and implement ``_submit``.

    Attributes:
        body: the dialog's layout, top to bottom.
        general: problems that belong to no field (a refusal, say).
        buttons: OK (renamed for what it does) and Cancel.
        ok_button: the OK button.
        errors: the per-field problem lines.
    """

    def __init__(
        self, runner: ServiceRunner, title: str, ok_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._busy = False
        self.errors = FieldErrors()
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.body = QVBoxLayout(self)
        self.general = plain_label()
        self.general.setObjectName("general_problem")
        self.general.setAccessibleName("Problem")
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        """Put the problem line and the buttons under the fields."""
        # Spare height (left when problem lines hide again) gathers here, not between fields.
        self.body.addStretch(1)
        self.body.addWidget(self.general)
        self.body.addWidget(self.buttons)

    def _on_ok(self) -> None:
        if self._busy:
            return  # Enter pressed again while the first answer is awaited
        self.errors.clear()
        self.general.hide()
        self._submit()

    def _submit(self) -> None:
        raise NotImplementedError

    def _run(self, call: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Send ``call`` to the runner; ``on_done`` gets its result, problems are shown."""
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        self._runner.submit(call, on_done=done, on_error=self._on_error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)

    def _on_error(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, InvalidInput):
            self.errors.show(error.problems, self.general)
        else:
            self.show_general(error_text(error))

    def show_general(self, text: str) -> None:
        """Show a problem that belongs to no field."""
        self.general.setText(f"⚠ {text}")
        self.general.show()

    def reject(self) -> None:
        """Close, unless a call is still out (its answer must find the dialog alive)."""
        if self._busy:
            return
        super().reject()


class AddUserDialog(_ServiceDialog):
    """Give a new person, or a staff profile from before accounts, an account.

    Signals:
        added(object): the AccountView of the new account.

    Attributes:
        existing: "A new person", then each staff profile without an account.
        form: profile, user name, password twice, roles.
    """

    added = Signal(object)

    def __init__(
        self, services: Services, runner: ServiceRunner, by: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, "Add a user", "&Add user", parent)
        self._services = services
        self._by = by
        # What was typed for a new person, kept while an existing profile is shown instead.
        self._typed: tuple[str, int, str, str] | None = None
        self.setMinimumWidth(560)
        intro = QLabel(
            "Each person who uses Consult Aid signs in with an account of their own. "
            "Give them the password in person; they can change it once signed in."
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        self.existing = QComboBox()
        self.existing.setObjectName("existing_profile")
        self.existing.setAccessibleName("Existing staff profile")
        self.existing.addItem(NEW_PERSON)
        self.existing.setEnabled(False)  # until the profiles have been loaded
        # Above its combo, not in a form row: a row here would not line up with the
        # form's own columns below, and this choice comes before the rest anyway.
        label = QLabel("&Existing staff profile:")
        label.setBuddy(self.existing)
        self.body.addWidget(label)
        self.body.addWidget(self.existing)
        self.form = AccountForm()
        self.errors = self.form.errors
        self.body.addWidget(self.form)
        self._finish_layout()
        self.existing.currentIndexChanged.connect(self._on_profile_chosen)
        self.form.name.setFocus()
        self._run(services.accounts.people_without_account, self._on_people)

    def _on_people(self, people: list[Clinician]) -> None:
        for person in people:
            self.existing.addItem(f"{person.name} ({person.role.value}, {person.hospital})", person)
        # Only a choice when there is one: a lone "A new person" is just shown.
        self.existing.setEnabled(bool(people))

    def chosen_person(self) -> Clinician | None:
        """The existing profile chosen, or None for a new person."""
        person = self.existing.currentData()
        return person if isinstance(person, Clinician) else None

    def _profile_fields(self) -> tuple[QWidget, ...]:
        form = self.form
        return (form.name, form.job_title, form.gmc_number, form.hospital)

    def _on_profile_chosen(self) -> None:
        form = self.form
        # Problems found in the other profile's fields no longer apply.
        self.errors.clear()
        self.general.hide()
        person = self.chosen_person()
        if person is None:
            if self._typed is not None:
                name, title, gmc, hospital = self._typed
                form.name.setText(name)
                form.job_title.setCurrentIndex(title)
                form.gmc_number.setText(gmc)
                form.hospital.setText(hospital)
                self._typed = None
        else:
            if self._typed is None:
                self._typed = (
                    form.name.text(),
                    form.job_title.currentIndex(),
                    form.gmc_number.text(),
                    form.hospital.text(),
                )
            form.name.setText(person.name)
            form.job_title.setCurrentIndex(form.job_title.findData(person.role))
            form.gmc_number.setText(person.gmc_number)
            form.hospital.setText(person.hospital)
        # The profile is the stored one: it is corrected on the staff profile, not here.
        for field in self._profile_fields():
            field.setEnabled(person is None)

    def _submit(self) -> None:
        form = self.form
        password = form.typed_password()
        form.password.clear()
        form.confirm.clear()
        if password is None:
            form.password.setFocus()
            return
        person = self.chosen_person()
        profile = None if person is not None else form.draft()
        person_id = None if person is None else person.id
        username = form.username.text()
        roles = form.chosen_roles()
        accounts, by = self._services.accounts, self._by
        self._run(
            lambda: accounts.create_account(
                profile, username, roles, password, by, person_id=person_id
            ),
            self._on_added,
        )

    def _on_added(self, view: AccountView) -> None:
        self.added.emit(view)
        self.accept()


class RolesDialog(_ServiceDialog):
    """Change the roles of one account.

    Signals:
        changed(object): the Account with its new roles.

    Attributes:
        roles: one check box per role, ticked as the account holds them.
    """

    changed = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: ServiceRunner,
        by: int,
        view: AccountView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, f"Roles of {view.account.username}", "&Save roles", parent)
        self._services = services
        self._by = by
        self._person_id = view.account.person_id
        self.setMinimumWidth(480)
        heading = plain_label(f"What may {_who(view)} do?")
        heading.setObjectName("roles_heading")
        heading.setWordWrap(True)
        self.body.addWidget(heading)
        box = QGroupBox("Roles")
        box.setAccessibleName("Roles")
        row = QHBoxLayout(box)
        self.roles: dict[Role, QCheckBox] = {}
        for role in Role:
            check = QCheckBox(role.label)
            check.setObjectName(f"role_{role.value}")
            check.setAccessibleName(f"Role: {role.label}")
            check.setChecked(role in view.account.roles)
            self.roles[role] = check
            row.addWidget(check)
        # A problem with the roles puts the cursor on the first box, not on the frame.
        box.setFocusProxy(self.roles[Role.SURGEON])
        self.body.addWidget(box)
        self.body.addWidget(self.errors.label_for("roles", box, "Roles"))
        note = QLabel(
            "A change applies from the person's next sign-in. Only a clinical job title "
            "can hold the surgeon role."
        )
        note.setWordWrap(True)
        self.body.addWidget(note)
        self._finish_layout()
        self.roles[Role.SURGEON].setFocus()

    def chosen_roles(self) -> frozenset[Role]:
        """The roles ticked."""
        return frozenset(role for role, check in self.roles.items() if check.isChecked())

    def _submit(self) -> None:
        roles = self.chosen_roles()
        accounts, by, person_id = self._services.accounts, self._by, self._person_id
        self._run(lambda: accounts.set_roles(person_id, roles, by), self._on_changed)

    def _on_changed(self, account: object) -> None:
        self.changed.emit(account)
        self.accept()


class _PasswordDialog(_ServiceDialog):
    """A form of password fields (each hidden as typed), with the strength advice under it."""

    def _password_rows(self, rows: tuple[tuple[str, str], ...]) -> dict[str, QLineEdit]:
        form = QFormLayout()
        fields = {key: password_field() for key, _title in rows}
        self.errors.add_rows(form, ((key, title, fields[key]) for key, title in rows))
        self.body.addLayout(form)
        hint = QLabel(STRENGTH_ADVICE)
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        return fields

    def _typed(self, password: QLineEdit, confirm: QLineEdit) -> str | None:
        """The new password, or None (the problem shown) when typed differently twice.

        Every password field is cleared either way.
        """
        typed, again = password.text(), confirm.text()
        for field in self.findChildren(QLineEdit):
            if field.echoMode() == QLineEdit.EchoMode.Password:
                field.clear()
        if typed != again:
            self.errors.show({"confirm": MISMATCH})
            password.setFocus()  # both were cleared: start again from the first
            return None
        return typed


class ResetPasswordDialog(_PasswordDialog):
    """Give someone who has forgotten their password a new one.

    Signals:
        done(): the password has been reset.

    Attributes:
        password, confirm: the new password, twice.
    """

    # The name shadows QDialog.done(int) for Python callers only: accept() and reject()
    # reach the C++ done() directly, and nothing here calls done() from Python.
    done = Signal()  # type: ignore[assignment]

    def __init__(
        self,
        services: Services,
        runner: ServiceRunner,
        by: int,
        view: AccountView,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Reset the password of {view.account.username}"
        super().__init__(runner, title, "&Reset password", parent)
        self._services = services
        self._by = by
        self._person_id = view.account.person_id
        self.setMinimumWidth(480)
        intro = plain_label(
            f"Set a new password for {_who(view)}. Give it to them in person; they can "
            "change it once signed in. Their wrong-password count starts again."
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        fields = self._password_rows((("password", "New password"), ("confirm", "Password again")))
        self.password, self.confirm = fields["password"], fields["confirm"]
        self._finish_layout()
        self.password.setFocus()

    def _submit(self) -> None:
        password = self._typed(self.password, self.confirm)
        if password is None:
            return
        accounts, by, person_id = self._services.accounts, self._by, self._person_id
        self._run(lambda: accounts.reset_password(person_id, password, by), self._on_reset)

    def _on_reset(self, _result: object) -> None:
        self.done.emit()
        self.accept()


class ChangePasswordDialog(_PasswordDialog):
    """The signed-in person changes their own password (the current one is asked for).

    Signals:
        done(): the password has been changed.

    Attributes:
        old_password: the current password.
        password, confirm: the new password, twice.
    """

    # The name shadows QDialog.done(int) for Python callers only: accept() and reject()
    # reach the C++ done() directly, and nothing here calls done() from Python.
    done = Signal()  # type: ignore[assignment]

    def __init__(
        self, services: Services, runner: ServiceRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, "Change your password", "&Change password", parent)
        self._services = services
        self.setMinimumWidth(480)
        fields = self._password_rows(
            (
                ("old_password", "Current password"),
                ("password", "New password"),
                ("confirm", "Password again"),
            )
        )
        self.old_password = fields["old_password"]
        self.password, self.confirm = fields["password"], fields["confirm"]
        self._finish_layout()
        self.old_password.setFocus()

    def _submit(self) -> None:
        old = self.old_password.text()
        new = self._typed(self.password, self.confirm)
        if new is None:
            self.old_password.setFocus()
            return
        accounts = self._services.accounts
        self._run(lambda: accounts.change_own_password(old, new), self._on_changed)

    def _on_changed(self, _result: object) -> None:
        self.done.emit()
        self.accept()
