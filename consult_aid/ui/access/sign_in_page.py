"""The sign-in screen, at start and when the window is locked.

It shows nothing about any patient: when locked, only who was signed in (so
they know to sign in again) and that someone else signing in ends that
session. Wrong passwords are answered with the service's own words, which
never say whether the user name exists.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label


class SignInPage(QWidget):
    """User name, password, Sign in.

    Signals:
        submitted(str, str): the user name and password typed.

    Attributes:
        title: "Sign in" or "Locked".
        detail: who was signed in, when locked.
        username, password, sign_in: the fields and the button.
        message: why the last try was refused.
        hint: the demo's accounts (demo mode only).
    """

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_page")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        panel = QWidget()
        panel.setFixedWidth(520)  # wide enough for the wrapped lines, whatever the window
        layout = QVBoxLayout(panel)
        self.title = QLabel("Sign in")
        self.title.setObjectName("sign_in_title")
        self.title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.detail = plain_label()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Who was signed in")
        layout.addWidget(self.detail)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for title, field in (("&User name:", self.username), ("&Password:", self.password)):
            label = QLabel(title)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.sign_in = QPushButton("Sign in")
        self.sign_in.setObjectName("sign_in")
        self.sign_in.setAccessibleName("Sign in")
        self.sign_in.setDefault(True)
        layout.addWidget(self.sign_in)
        self.message = plain_label()
        self.message.setObjectName("sign_in_message")
        self.message.setAccessibleName("Sign-in problem")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.hint = plain_label()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Demo accounts")
        self.hint.hide()
        layout.addWidget(self.hint)
        # Centred by stretches, not by an alignment: an aligned item is given its size
        # hint's height, which does not grow with wrapped lines, and the form is squeezed.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.sign_in.clicked.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)

    def ask(self, *, locked_by: str = "", username: str = "") -> None:
        """Get ready for a sign-in: fresh, or for a locked session of ``locked_by``."""
        if locked_by:
            self.title.setText("Locked")
            self.detail.setText(
                f"{locked_by} was signed in. Sign in again to carry on where you were. "
                "If someone else signs in, that session ends; everything it saved is kept."
            )
            self.detail.show()
        else:
            self.title.setText("Sign in")
            self.detail.clear()
            self.detail.hide()
        self.username.setText(username)
        self.password.clear()
        self.message.hide()
        self.set_busy(False)
        (self.password if username else self.username).setFocus()

    def refused(self, text: str) -> None:
        """Show why the sign-in was refused; the password is cleared for the next try."""
        self.message.setText(f"⚠ {text}")
        self.message.show()
        self.password.clear()
        self.set_busy(False)
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        """Grey the page out while the password is being checked."""
        for widget in (self.username, self.password, self.sign_in):
            widget.setEnabled(not busy)

    def show_hint(self, text: str) -> None:
        """Show a line under the form (the demo's accounts)."""
        self.hint.setText(text)
        self.hint.show()

    def _submit(self) -> None:
        if not self.sign_in.isEnabled():
            return
        self.set_busy(True)
        self.submitted.emit(self.username.text(), self.password.text())
