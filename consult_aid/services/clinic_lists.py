"""Clinic lists: preview a CSV against the patients already known, then import the good rows.

A row whose NHS number is already stored is matched to that patient, never
added again. If the list's name or date of birth disagrees with the stored
patient, the row is a conflict and is not imported: either the NHS number or
the name is wrong, and guessing which would attribute a leaflet to the wrong
patient. Reading writes nothing; ``import_rows`` writes after the caller has
shown the preview and the user has confirmed it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

from consult_aid.clinic_list.columns import Column
from consult_aid.clinic_list.reader import (
    CellProblem,
    ClinicList,
    ClinicListRow,
    read_clinic_list_file,
)
from consult_aid.domain import nhs_number
from consult_aid.domain.access import Action
from consult_aid.domain.errors import Conflict
from consult_aid.domain.people import Patient, PatientDraft
from consult_aid.services.access import AccessControl
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.services.clinic_list_preview import ClinicListPreview, PreviewRow, RowMatch
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.database import Database
from consult_aid.storage.patients import PatientRepository
from consult_aid.storage.search_key import fold


class ClinicListService:
    """Previews clinic lists and imports their good rows."""

    def __init__(self, db: Database, access: AccessControl) -> None:
        self._db = db
        self._access = access

    def read_clinic_list(self, path: Path) -> ClinicListPreview:
        """Read, check and match the list in ``path``; writes nothing.

        Raises:
            ClinicListError: the file cannot be read as a clinic list at all.
        """
        self._access.require(Action.IMPORT_CLINIC_LIST)
        return self.preview(read_clinic_list_file(path, date.today()))

    def preview(self, clinic_list: ClinicList) -> ClinicListPreview:
        """Match an already read list against the stored patients; writes nothing."""
        self._access.require(Action.IMPORT_CLINIC_LIST)
        with self._db.session() as session, session.begin():
            repository = PatientRepository(session)
            rows = tuple(_preview_row(row, repository, clinic_list) for row in clinic_list.rows)
        return ClinicListPreview(clinic_list, rows)

    def import_rows(self, preview: ClinicListPreview, by: int) -> list[Patient]:
        """Add the new patients and match the known ones, in one transaction; audited.

        Only importable rows are touched. Each is checked again inside the
        transaction, since another workstation may have added a patient after
        the preview.

        Returns:
            The patient of each importable row, in file order.

        Raises:
            Conflict: a row no longer agrees with the stored patient (nothing is written).
        """
        self._access.require_as(Action.IMPORT_CLINIC_LIST, by)
        now = utc_now()
        patients: list[Patient] = []
        added = 0
        with self._db.write_session() as session, session.begin():
            require_clinician(session, by)
            repository = PatientRepository(session)
            audit = AuditLog(session)
            for item in preview.importable:
                draft = item.row.draft
                assert draft is not None  # an importable row has a validated draft
                stored = repository.by_nhs_number(draft.nhs_number)
                if stored is None:
                    stored = repository.add(draft, now, by)
                    added += 1
                    audit.record(
                        at=now,
                        clinician_id=by,
                        action="patient.add",
                        entity="patient",
                        entity_id=stored.id,
                        detail={"fields": sorted(asdict(draft)), "source": "clinic_list"},
                    )
                else:
                    differing = _differences(stored, draft)
                    if differing:
                        raise Conflict(
                            f"Line {item.row.line}: {_conflict_message(stored, differing)}"
                        )
                patients.append(stored)
            audit.record(
                at=now,
                clinician_id=by,
                action="clinic_list.import",
                entity="clinic_list",
                entity_id=len(patients),
                detail={
                    "rows": len(preview.rows),
                    "added": added,
                    "matched": len(patients) - added,
                },
            )
        return patients


def _preview_row(
    row: ClinicListRow, repository: PatientRepository, clinic_list: ClinicList
) -> PreviewRow:
    if not row.ok or row.draft is None:
        return PreviewRow(row, RowMatch.INVALID, None, row.problems)
    stored = repository.by_nhs_number(row.draft.nhs_number)
    if stored is None:
        return PreviewRow(row, RowMatch.NEW, None, ())
    differing = _differences(stored, row.draft)
    if not differing:
        return PreviewRow(row, RowMatch.KNOWN, stored, ())
    message = _conflict_message(stored, differing)
    problems = tuple(
        CellProblem(row.line, clinic_list.headers[column], message) for column in differing
    )
    return PreviewRow(row, RowMatch.CONFLICT, stored, problems)


def _differences(stored: Patient, draft: PatientDraft) -> list[Column]:
    """The identifying columns on which the list and the stored patient disagree.

    Names are compared as folded words in any order, so "LUKASIEWICZ, Zoe"
    matches "Zoë Łukasiewicz"; the date of birth must be equal; a hospital
    number counts only when both sides have one.
    """
    differing = []
    if sorted(fold(stored.name.replace(",", " ")).split()) != sorted(
        fold(draft.name.replace(",", " ")).split()
    ):
        differing.append(Column.NAME)
    if stored.date_of_birth != draft.date_of_birth:
        differing.append(Column.DATE_OF_BIRTH)
    if stored.hospital_number and draft.hospital_number not in ("", stored.hospital_number):
        differing.append(Column.HOSPITAL_NUMBER)
    return differing


def _conflict_message(stored: Patient, differing: list[Column]) -> str:
    fields = " and ".join(column.value.replace("_", " ") for column in differing)
    return (
        f"NHS number {nhs_number.display(stored.nhs_number)} is already recorded for "
        f"{stored.name} (born {stored.date_of_birth:%d/%m/%Y}, hospital number "
        f"{stored.hospital_number or 'none'}); the {fields} on this row differ. "
        "Check the row against the patient's notes: it was not imported."
    )
