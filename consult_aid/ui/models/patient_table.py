"""The patient search results as a table: name, date of birth, NHS number, hospital number."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from consult_aid.domain.people import Patient

_HEADERS = ("Name", "Date of birth", "NHS number", "Hospital number")
_Index = QModelIndex | QPersistentModelIndex


class PatientTableModel(QAbstractTableModel):
    """Adapts a list of patients for a QTableView.

    Attributes:
        patients: the rows, in the order the search returned them.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.patients: list[Patient] = []

    def set_patients(self, patients: list[Patient]) -> None:
        """Show a new set of results."""
        self.beginResetModel()
        self.patients = list(patients)
        self.endResetModel()

    def patient_at(self, row: int) -> Patient | None:
        """The patient on a row, or None outside the table."""
        return self.patients[row] if 0 <= row < len(self.patients) else None

    def row_of(self, patient_id: int) -> int:
        """The row showing a patient, or -1."""
        return next((i for i, p in enumerate(self.patients) if p.id == patient_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows under a parent (Qt API)."""
        return 0 if parent.isValid() else len(self.patients)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns under a parent (Qt API)."""
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value of a cell for a role (Qt API)."""
        if not index.isValid() or index.row() >= len(self.patients):
            return None
        patient = self.patients[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                patient.name,
                patient.date_of_birth.strftime("%d/%m/%Y"),
                patient.nhs_number_display,
                patient.hospital_number,
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return patient.id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (Qt API)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return super().headerData(section, orientation, role)
