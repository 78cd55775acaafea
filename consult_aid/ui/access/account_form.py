"""The fields of a new account: the person's profile, user name, roles and password.

Used by the first-run dialog (the administrator) and by the administrator's
"Add user" dialog. The service checks every rule and names the bad fields; the
form only checks that the password was typed the same twice, which the
service cannot know.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Role
from consult_aid.domain.people import ClinicianDraft, ClinicianRole
from consult_aid.ui.form_errors import FieldErrors

STRENGTH_ADVICE = (
    "At least 12 characters. A few unrelated words together make a strong password "
    "that is easy to remember; your name or user name make a weak one."
)


class AccountForm(QWidget):
    """Profile, user name, roles and a password typed twice.

    Attributes:
        name, job_title, gmc_number, hospital, username, password, confirm: the fields.
        roles: one check box per role.
        errors: the per-field error lines.
    """

    def __init__(self, *, fixed_roles: Iterable[Role] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.name = QLineEdit()
        self.job_title = QComboBox()
        for title in ClinicianRole:
            self.job_title.addItem(title.value, title)
        self.gmc_number = QLineEdit()
        self.gmc_number.setPlaceholderText("7 digits (doctors only)")
        self.hospital = QLineEdit()
        self.username = QLineEdit()
        self.username.setPlaceholderText("for example a.rahman")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_rows(
            form,
            (
                ("name", "Name", self.name),
                ("role", "Job title", self.job_title),
                ("gmc_number", "GMC number", self.gmc_number),
                ("hospital", "Hospital", self.hospital),
                ("username", "User name", self.username),
                ("password", "Password", self.password),
                ("confirm", "Password again", self.confirm),
            ),
        )
        layout.addLayout(form)
        hint = QLabel(STRENGTH_ADVICE)
        hint.setWordWrap(True)
        layout.addWidget(hint)

        box = QGroupBox("Roles")
        box.setAccessibleName("Roles")
        row = QHBoxLayout(box)
        fixed = frozenset(fixed_roles)
        self.roles: dict[Role, QCheckBox] = {}
        for role in Role:
            check = QCheckBox(role.label)
            check.setObjectName(f"role_{role.value}")
            check.setAccessibleName(f"Role: {role.label}")
            if role in fixed:
                check.setChecked(True)
                check.setEnabled(False)  # the first account must administer
            self.roles[role] = check
            row.addWidget(check)
        layout.addWidget(box)
        roles_error = self.errors.label_for("roles", box, "Roles")
        layout.addWidget(roles_error)

    def draft(self) -> ClinicianDraft:
        """The profile as typed."""
        return ClinicianDraft(
            name=self.name.text(),
            role=ClinicianRole(self.job_title.currentData()),
            gmc_number=self.gmc_number.text(),
            hospital=self.hospital.text(),
        )

    def chosen_roles(self) -> frozenset[Role]:
        """The roles ticked."""
        return frozenset(role for role, check in self.roles.items() if check.isChecked())

    def typed_password(self) -> str | None:
        """The password, or None (and the problem shown) when the two entries differ."""
        if self.password.text() != self.confirm.text():
            self.errors.show({"confirm": "The two passwords are not the same."}, None)
            return None
        return self.password.text()

    def show_problems(self, problems: Mapping[str, str], general: QLabel) -> None:
        """Show the service's per-field problems (others in ``general``)."""
        self.errors.show(dict(problems), general)

    def clear_problems(self) -> None:
        """Hide every problem line."""
        self.errors.clear()
