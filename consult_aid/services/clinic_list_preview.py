"""What a clinic-list preview holds: plain data the window can show without the store.

Kept apart from the service so that the window imports these types without
pulling in SQLAlchemy, which would slow its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from consult_aid.clinic_list.reader import CellProblem, ClinicList, ClinicListRow
from consult_aid.domain.people import Patient


class RowMatch(StrEnum):
    """How a row of the list stands against the stored patients."""

    NEW = "new"
    KNOWN = "known"
    CONFLICT = "conflict"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of the list as the user confirms it.

    Attributes:
        row: the row as read, with its line number.
        match: new patient, known patient, conflict with a known one, or invalid.
        patient: the stored patient with this NHS number, when there is one.
        problems: every bad cell, conflicts included; empty for a row to import.
    """

    row: ClinicListRow
    match: RowMatch
    patient: Patient | None
    problems: tuple[CellProblem, ...]

    @property
    def importable(self) -> bool:
        """True for a new or matched patient with nothing wrong."""
        return self.match in (RowMatch.NEW, RowMatch.KNOWN)


@dataclass(frozen=True, slots=True)
class ClinicListPreview:
    """A clinic list checked against the store; nothing has been written.

    Attributes:
        clinic_list: the list as read.
        rows: each row with its match, in file order.
    """

    clinic_list: ClinicList
    rows: tuple[PreviewRow, ...]

    @property
    def problems(self) -> list[CellProblem]:
        """Every bad cell and conflict, in file order."""
        return [problem for row in self.rows for problem in row.problems]

    @property
    def importable(self) -> list[PreviewRow]:
        """The rows that ``import_rows`` will import or match."""
        return [row for row in self.rows if row.importable]
