"""The patient search results as a table: name, date of birth, NHS number, hospital number."""

from __future__ import annotations

from consult_aid.domain.people import Patient
from consult_aid.ui.models.list_table import ListTableModel


class PatientTableModel(ListTableModel):
    """Adapts a list of patients for a QTableView (UserRole: the patient's id).

    Attributes:
        items: the patients, in the order the search returned them.
    """

    HEADERS = ("Name", "Date of birth", "NHS number", "Hospital number")

    def set_patients(self, patients: list[Patient]) -> None:
        """Show a new set of results."""
        self.set_items(patients)

    def patient_at(self, row: int) -> Patient | None:
        """The patient on a row, or None outside the table."""
        patient: Patient | None = self.item_at(row)
        return patient

    def row_of(self, patient_id: int) -> int:
        """The row showing a patient, or -1."""
        return next((i for i, p in enumerate(self.items) if p.id == patient_id), -1)

    def cells(self, item: Patient) -> tuple[object, ...]:
        """Name, date of birth (dd/mm/yyyy), NHS number (3 3 4), hospital number."""
        return (
            item.name,
            item.date_of_birth.strftime("%d/%m/%Y"),
            item.nhs_number_display,
            item.hospital_number,
        )

    def key(self, item: Patient) -> object:
        """The patient's id."""
        return item.id
