"""The "Add patient" dialog: per-field messages, and nothing typed is lost on error."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.errors import Conflict, InvalidInput
from consult_aid.domain.people import Patient, PatientDraft
from consult_aid.ui.form_errors import ERROR_STYLE, FieldErrors
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y")


def parse_uk_date(text: str) -> date | None:
    """Read a date typed as dd/mm/yyyy (or with '-', '.' or spaces); None if it is not one."""
    text = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class PatientDialog(QDialog):
    """Add a patient; the service's refusals are shown beside the field they are about.

    Signals:
        added(object): the stored Patient.

    Attributes:
        patient: the stored patient once accepted.
    """

    added = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: ServiceRunner,
        clinician_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._clinician_id = clinician_id
        self.patient: Patient | None = None
        self.setWindowTitle("Add patient")
        self.setAccessibleName("Add patient")
        self.setModal(True)
        self.resize(560, self.sizeHint().height())
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._errors = FieldErrors()
        self.name = QLineEdit()
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.nhs_number = QLineEdit()
        self.nhs_number.setPlaceholderText("10 digits, for example 943 476 5919")
        self.hospital_number = QLineEdit()
        self._errors.add_rows(
            form,
            (
                ("name", "Name", self.name),
                ("date_of_birth", "Date of birth", self.date_of_birth),
                ("nhs_number", "NHS number", self.nhs_number),
                ("hospital_number", "Hospital number", self.hospital_number),
            ),
        )
        layout.addLayout(form)
        self.general = plain_label()
        self.general.setObjectName("general_error")
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()
        layout.addWidget(self.general)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Add patient")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Add patient")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_save(self) -> None:
        self._errors.clear()
        self.general.hide()
        typed_date = self.date_of_birth.text().strip()
        born = parse_uk_date(typed_date)
        if typed_date and born is None:
            self._errors.show({"date_of_birth": "Give the date of birth as dd/mm/yyyy."})
            return
        draft = PatientDraft(
            name=self.name.text(),
            date_of_birth=born,
            nhs_number=self.nhs_number.text(),
            hospital_number=self.hospital_number.text(),
        )
        patients, by = self._services.patients, self._clinician_id
        self.buttons.setEnabled(False)
        self._runner.submit(
            lambda: patients.add(draft, by), on_done=self._on_added, on_error=self._on_error
        )

    def _on_added(self, patient: Patient) -> None:
        self.patient = patient
        self.added.emit(patient)
        self.accept()

    def _on_error(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, InvalidInput):
            self._errors.show(error.problems, self.general)
        elif isinstance(error, Conflict):
            self._errors.show({"nhs_number": error_text(error)})
        else:
            self.general.setText(f"⚠ Could not add the patient: {error_text(error)}")
            self.general.show()
