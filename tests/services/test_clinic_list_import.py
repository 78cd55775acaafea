"""ClinicListService: previews match known patients, conflicts are never merged, imports audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult_aid.domain.errors import Conflict
from consult_aid.domain.people import Clinician, Patient, PatientDraft
from consult_aid.services.bundle import Services
from consult_aid.services.clinic_list_preview import RowMatch
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.models import PatientRow

HEADER = "Name,DOB,NHS number,Hospital number,Clinic date,Surgeon\n"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "clinic.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def _patient_count(services: Services) -> int:
    with services.db.session() as session, session.begin():
        return session.scalar(select(func.count()).select_from(PatientRow)) or 0


def test_reading_matches_known_patients_and_writes_nothing(
    services: Services, make_patient: Callable[..., Patient], tmp_path: Path
) -> None:
    known = make_patient("Zoë Łukasiewicz", "RX1")
    path = _csv(
        tmp_path,
        f"LUKASIEWICZ Zoe,14/03/1941,{known.nhs_number},RX1,02/12/2026,Mr Demo",
        "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo",
        "Bad Row,03/04/1941,123,,02/12/2026,Mr Demo",
    )
    preview = services.clinic_lists.read_clinic_list(path)
    assert [row.match for row in preview.rows] == [RowMatch.KNOWN, RowMatch.NEW, RowMatch.INVALID]
    assert preview.rows[0].patient == known
    assert [row.row.line for row in preview.importable] == [2, 3]
    assert [problem.line for problem in preview.problems] == [4]
    assert _patient_count(services) == 1


def test_importing_adds_the_new_matches_the_known_and_is_audited(
    services: Services,
    clinician: Clinician,
    make_patient: Callable[..., Patient],
    tmp_path: Path,
) -> None:
    known = make_patient("Margaret Hughes")
    path = _csv(
        tmp_path,
        f"Margaret Hughes,14/03/1941,{known.nhs_number},,02/12/2026,Mr Demo",
        "Ann Smith,03/04/1941,9990000026,rx9,02/12/2026,Mr Demo",
        "Bad Row,03/04/1941,123,,02/12/2026,Mr Demo",
    )
    preview = services.clinic_lists.read_clinic_list(path)
    imported = services.clinic_lists.import_rows(preview, clinician.id)
    assert imported[0] == known
    assert imported[1].name == "Ann Smith"
    assert imported[1].hospital_number == "RX9"
    assert _patient_count(services) == 2
    # Importing the same list again matches everyone and adds no one.
    again = services.clinic_lists.import_rows(
        services.clinic_lists.read_clinic_list(path), clinician.id
    )
    assert [patient.id for patient in again] == [patient.id for patient in imported]
    assert _patient_count(services) == 2
    with services.db.session() as session, session.begin():
        actions = [(row.action, row.clinician_id) for row in AuditLog(session).rows()]
    assert actions.count(("clinic_list.import", clinician.id)) == 2
    assert ("patient.add", clinician.id) in actions


@pytest.mark.parametrize(
    ("name", "born", "column"),
    [("Someone Else", "14/03/1941", "Name"), ("Margaret Hughes", "15/03/1941", "DOB")],
)
def test_a_known_number_with_another_name_or_birth_is_a_conflict_not_a_merge(
    services: Services,
    clinician: Clinician,
    make_patient: Callable[..., Patient],
    tmp_path: Path,
    name: str,
    born: str,
    column: str,
) -> None:
    known = make_patient("Margaret Hughes")
    path = _csv(tmp_path, f"{name},{born},{known.nhs_number},,02/12/2026,Mr Demo")
    preview = services.clinic_lists.read_clinic_list(path)
    assert preview.rows[0].match is RowMatch.CONFLICT
    assert preview.importable == []
    (problem,) = preview.problems
    assert (problem.line, problem.column) == (2, column)
    assert "Margaret Hughes" in problem.message
    assert services.clinic_lists.import_rows(preview, clinician.id) == []
    assert services.patients.get(known.id) == known


def test_a_conflict_arising_after_the_preview_stops_the_whole_import(
    services: Services, clinician: Clinician, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo",
        "Bob Jones,03/04/1945,9990000018,,02/12/2026,Mr Demo",
    )
    preview = services.clinic_lists.read_clinic_list(path)
    # Another workstation stores a different patient under the second number meanwhile.
    services.patients.add(PatientDraft("Carol King", date(1950, 1, 1), "9990000018"), clinician.id)
    with pytest.raises(Conflict, match="Line 3"):
        services.clinic_lists.import_rows(preview, clinician.id)
    assert services.patients.find_by_nhs_number("9990000026") is None
