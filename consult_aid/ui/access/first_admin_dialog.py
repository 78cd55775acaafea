"""First run: make the administrator's account (nothing can be recorded before someone is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from consult_aid.domain.access import Role
from consult_aid.domain.errors import InvalidInput
from consult_aid.ui.access.account_form import AccountForm
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.access import SignedIn
    from consult_aid.services.bundle import Services


class FirstAdministratorDialog(QDialog):
    """Create the first account (an administrator, maybe holding other roles too) and sign in.

    Signals:
        signed_in(object): the SignedIn of the new administrator.
    """

    signed_in = Signal(object)

    def __init__(
        self, services: Services, runner: ServiceRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.setWindowTitle("Set up Consult Aid")
        self.setAccessibleName("Set up Consult Aid")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Nobody has an account here yet. Create the administrator's account: the "
            "administrator then adds an account for each person who uses Consult Aid. "
            "If you are also the surgeon or the secretary on this workstation, tick that "
            "role too."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = AccountForm(fixed_roles=(Role.ADMINISTRATOR,))
        layout.addWidget(self.form)
        self.general = plain_label()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()
        layout.addWidget(self.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create account and sign in")
        ok.setAccessibleName("Create account and sign in")
        self.buttons.accepted.connect(self._on_create)
        layout.addWidget(self.buttons)

    def _on_create(self) -> None:
        self.form.clear_problems()
        self.general.hide()
        password = self.form.typed_password()
        if password is None:
            return
        draft = self.form.draft()
        username = self.form.username.text()
        roles = self.form.chosen_roles()
        accounts = self._services.accounts
        self.buttons.setEnabled(False)
        self._runner.submit(
            lambda: accounts.create_first_administrator(draft, username, password, roles),
            on_done=self._finish,
            on_error=self._on_error,
        )

    def _on_error(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, InvalidInput):
            self.form.show_problems(error.problems, self.general)
        else:
            self.general.setText(f"⚠ {error_text(error)}")
            self.general.show()

    def _finish(self, signed_in: SignedIn) -> None:
        self.form.password.clear()
        self.form.confirm.clear()
        self.signed_in.emit(signed_in)
        self.accept()

    def reject(self) -> None:
        """Nothing can be recorded without an account: closing is refused."""
        self.general.setText("⚠ An administrator's account is needed before anything else.")
        self.general.show()
