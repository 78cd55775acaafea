"""The "Your profile" dialog: who is using this installation (first run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.ui.form_errors import ERROR_STYLE, FieldErrors
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services


class ClinicianDialog(QDialog):
    """Create a profile, or pick one already in the record store.

    Signals:
        chosen(object): the Clinician to work as, once stored.

    Attributes:
        clinician: the chosen clinician after the dialog is accepted.
    """

    chosen = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: ServiceRunner,
        existing: list[Clinician],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.clinician: Clinician | None = None
        self.setWindowTitle("Your profile")
        self.setAccessibleName("Your profile")
        self.setModal(True)
        self.resize(560, self.sizeHint().height())
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Records of discussion carry the name, role and GMC number of the clinician "
            "who held them. Tell Consult Aid who you are."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.existing = QComboBox()
        self.existing.setAccessibleName("Existing profiles")
        self.use_existing = QPushButton("Use this profile")
        self.use_existing.setAccessibleName("Use the selected existing profile")
        if existing:
            layout.addWidget(QLabel("Pick a profile already in the record store:"))
            for clinician in existing:
                self.existing.addItem(f"{clinician.name} ({clinician.role.value})", clinician)
            layout.addWidget(self.existing)
            layout.addWidget(self.use_existing)
            layout.addWidget(QLabel("Or create a new profile:"))
        else:
            self.existing.hide()
            self.use_existing.hide()
        self.use_existing.clicked.connect(self._on_use_existing)

        form = QFormLayout()
        self._errors = FieldErrors()
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ClinicianRole:
            self.role.addItem(role.value, role)
        self.gmc_number = QLineEdit()
        self.gmc_number.setPlaceholderText("7 digits")
        self.hospital = QLineEdit()
        self._errors.add_rows(
            form,
            (
                ("name", "Name", self.name),
                ("role", "Role", self.role),
                ("gmc_number", "GMC number", self.gmc_number),
                ("hospital", "Hospital", self.hospital),
            ),
        )
        layout.addLayout(form)
        self.general = plain_label()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()
        layout.addWidget(self.general)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save profile")
        ok.setAccessibleName("Save profile")
        self.buttons.accepted.connect(self._on_save)
        layout.addWidget(self.buttons)

    def _on_use_existing(self) -> None:
        clinician = self.existing.currentData()
        if isinstance(clinician, Clinician):
            self._finish(clinician)

    def _on_save(self) -> None:
        self._errors.clear()
        self.general.hide()
        draft = ClinicianDraft(
            name=self.name.text(),
            role=ClinicianRole(self.role.currentData()),
            gmc_number=self.gmc_number.text(),
            hospital=self.hospital.text(),
        )
        self.buttons.setEnabled(False)
        clinicians = self._services.clinicians
        self._runner.submit(
            lambda: clinicians.create(draft), on_done=self._finish, on_error=self._on_error
        )

    def _on_error(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, InvalidInput):
            self._errors.show(error.problems, self.general)
        else:
            self.general.setText(f"⚠ {error_text(error)}")
            self.general.show()

    def _finish(self, clinician: Clinician) -> None:
        self.clinician = clinician
        self.chosen.emit(clinician)
        self.accept()

    def reject(self) -> None:
        """The app cannot record anything without a clinician: closing is refused."""
        self.general.setText("⚠ A profile is needed before any discussion can be recorded.")
        self.general.show()
