"""The administrator's page of user accounts: add, change roles, disable or enable, reset.

Every change goes through the services, which check the administrator's role
and refuse what would leave nobody able to administer; the page shows those
refusals in words on the page, and lists the accounts again after each change
so that the table is what is stored, never what the page guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Account
from consult_aid.services.views import AccountView
from consult_aid.ui.access.user_dialogs import AddUserDialog, ResetPasswordDialog, RolesDialog
from consult_aid.ui.access.users_model import UsersModel
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

DISABLE = "&Disable"
ENABLE = "&Enable"


class UsersTable(QTableView):
    """The accounts table; Enter or Return opens the roles of the current account.

    Signals:
        open_requested(int): the row whose roles to open.
    """

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter or Return opens the current row (Qt API)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class UsersPage(QWidget):
    """User accounts, for administrators.

    Signals:
        leave(): back to where the administrator came from.

    Attributes:
        model, table: the accounts and their view.
        add_button, roles_button, active_button, reset_button, back_button: the actions.
        message: what the last action did, or why it was refused.
        dialog: the dialog opened last (None before; deleted once closed).
    """

    leave = Signal()

    def __init__(self, runner: ServiceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._services: Services | None = None
        self._by = 0
        self._busy = False
        self.dialog: QDialog | None = None
        self.setObjectName("users_page")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel("Users and roles")
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        top.addWidget(title, 1)
        self.back_button = QPushButton("Back")
        self.back_button.setObjectName("users_back")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.leave.emit)
        top.addWidget(self.back_button)
        layout.addLayout(top)
        intro = QLabel(
            "Everyone who uses Consult Aid signs in with an account of their own; their "
            "roles decide what they may do. A disabled account cannot sign in, and "
            "everything it recorded is kept."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = UsersModel()
        self.table = UsersTable()
        self.table.setObjectName("users_table")
        self.table.setAccessibleName("User accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The roles grow with the account; the status is one word.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._open_roles(index.row()))
        self.table.open_requested.connect(self._open_roles)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.add_button = self._button("&Add user…", "Add a user", "add_user")
        self.roles_button = self._button(
            "&Roles…", "Change the roles of the selected user", "user_roles"
        )
        self.active_button = self._button(DISABLE, "Disable the selected account", "user_active")
        self.reset_button = self._button(
            "Reset &password…", "Reset the password of the selected user", "user_reset"
        )
        for button in (self.add_button, self.roles_button, self.active_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_button.clicked.connect(self._open_add)
        self.roles_button.clicked.connect(lambda: self._open_roles(self.table.currentIndex().row()))
        self.active_button.clicked.connect(self._toggle_active)
        self.reset_button.clicked.connect(self._open_reset)

        self.message = plain_label()
        self.message.setObjectName("users_message")
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self._update_buttons()

    def _button(self, text: str, name: str, object_name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(object_name)
        button.setAccessibleName(name)
        return button

    # ------------------------------------------------------------------ loading
    def attach(self, services: Services, by: int) -> None:
        """Work with these services, as this administrator; list the accounts."""
        self._services = services
        self._by = by
        self.model.set_items([])
        self.message.hide()
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """List the accounts again, keeping the selected one (or selecting ``select``)."""
        if self._services is None:
            return
        current = self.selected()
        keep = select if select is not None else (current.account.person_id if current else None)
        self._set_busy(True)
        self._runner.submit(
            self._services.accounts.accounts,
            on_done=lambda views: self._on_loaded(views, keep),
            on_error=self._on_load_failed,
        )

    def _on_loaded(self, views: list[AccountView], keep: int | None) -> None:
        self.model.set_items(views)
        row = self.model.row_of(keep) if keep is not None else -1
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        self._set_busy(False)

    def _on_load_failed(self, error: BaseException) -> None:
        # A list that cannot be read now is not shown stale (someone else may be signed in).
        self.model.set_items([])
        self._set_busy(False)
        self.show_problem(error_text(error))

    # ------------------------------------------------------------------ state
    def selected(self) -> AccountView | None:
        """The account on the current row, or None."""
        index = self.table.currentIndex()
        return self.model.view_at(index.row()) if index.isValid() else None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        view = self.selected()
        ready = self._services is not None and not self._busy
        self.add_button.setEnabled(ready)
        for button in (self.roles_button, self.active_button, self.reset_button):
            button.setEnabled(ready and view is not None)
        # The button says what it will do to the account chosen.
        enable = view is not None and not view.account.active
        self.active_button.setText(ENABLE if enable else DISABLE)
        self.active_button.setAccessibleName(
            f"{'Enable' if enable else 'Disable'} the selected account"
        )

    def show_problem(self, text: str) -> None:
        """Say on the page why something was refused."""
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(f"⚠ {text}")
        self.message.show()

    def show_done(self, text: str) -> None:
        """Say on the page what the last change did."""
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------------ actions
    def _open(self, dialog: QDialog) -> None:
        self.message.hide()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # modal, without a nested event loop

    def _open_add(self) -> None:
        if self._services is None or self._busy:
            return
        dialog = AddUserDialog(self._services, self._runner, self._by, self)
        dialog.added.connect(self._on_added)
        self._open(dialog)

    def _on_added(self, view: AccountView) -> None:
        self.show_done(f"Added {view.person.name} as {view.account.username}.")
        self.refresh(select=view.account.person_id)

    def _open_roles(self, row: int) -> None:
        view = self.model.view_at(row)
        if self._services is None or self._busy or view is None:
            return
        dialog = RolesDialog(self._services, self._runner, self._by, view, self)
        dialog.changed.connect(lambda _account: self._on_changed(view, "Changed the roles of"))
        self._open(dialog)

    def _open_reset(self) -> None:
        view = self.selected()
        if self._services is None or self._busy or view is None:
            return
        dialog = ResetPasswordDialog(self._services, self._runner, self._by, view, self)
        dialog.done.connect(lambda: self._on_changed(view, "Reset the password of"))
        self._open(dialog)

    def _on_changed(self, view: AccountView, what: str) -> None:
        self.show_done(f"{what} {view.account.username}.")
        self.refresh(select=view.account.person_id)

    def _toggle_active(self) -> None:
        view = self.selected()
        if self._services is None or self._busy or view is None:
            return
        accounts, by = self._services.accounts, self._by
        person_id, active = view.account.person_id, not view.account.active
        self.message.hide()
        self._set_busy(True)
        self._runner.submit(
            lambda: accounts.set_active(person_id, active, by),
            on_done=self._on_active_set,
            on_error=self._on_action_failed,
        )

    def _on_active_set(self, account: Account) -> None:
        self._set_busy(False)
        done = "Enabled" if account.active else "Disabled"
        self.show_done(f"{done} the account {account.username}.")
        self.refresh(select=account.person_id)

    def _on_action_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_problem(error_text(error))
        self.table.setFocus()
