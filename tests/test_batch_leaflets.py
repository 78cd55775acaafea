"""``consult-aid leaflets``: one PDF per patient, or nothing at all with a clear message."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from consult_aid import paths
from consult_aid.demo import SAMPLE_CLINICIAN
from consult_aid.domain.access import Role
from consult_aid.domain.documents import LeafletFormat, Output
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.services.bundle import Services, open_services
from tests.signing_in import FAST_HASHING, PASSWORD, add_person, first_person, sign_in

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Name,Date of birth,NHS number,Hospital number,Clinic date,Surgeon\n"
ROWS = (
    "Zoë Łukasiewicz,14/03/1941,999 000 0018,RX1,02/12/2026,Mr Sam Demo\n"
    "Zoë Łukasiewicz,01/06/1950,9990000026,RX2,02/12/2026,Mr Sam Demo\n"
    "Nguyễn Thị Minh Khai,02/11/1948,9990000034,,02/12/2026,Mr Sam Demo\n"
)


def _run(*args: str, user: str = "sam") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consult_aid", "leaflets", "--user", user, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CONSULT_AID_PASSWORD": PASSWORD},
        timeout=120,
        check=False,
    )


def _open() -> Services:
    """The services on this test's database, with the surgeon (every role) signed in."""
    services = open_services(
        paths.database_url(), paths.procedures_dir(), password_hashing=FAST_HASHING
    )
    sign_in(services, "sam")
    return services


@pytest.fixture
def profile_id() -> int:
    """The surgeon of the sample list, with every role: the saves are recorded in their name."""
    services = open_services(
        paths.database_url(), paths.procedures_dir(), password_hashing=FAST_HASHING
    )
    try:
        return first_person(services, SAMPLE_CLINICIAN, username="sam").id
    finally:
        services.close()


def _clinic_list(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clinic.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_a_good_list_gives_one_pdf_per_patient_each_naming_its_patient(
    tmp_path: Path, profile_id: int
) -> None:
    out = tmp_path / "leaflets"
    result = _run("--clinic-list", str(_clinic_list(tmp_path, HEADER + ROWS)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(path.name for path in out.iterdir())
    assert files == [
        "leaflet_9990000018_zoe-lukasiewicz_2026-12-02.pdf",
        "leaflet_9990000026_zoe-lukasiewicz_2026-12-02.pdf",
        "leaflet_9990000034_nguyen-thi-minh-khai_2026-12-02.pdf",
    ]
    for name, expected in zip(
        files, ("Zoë Łukasiewicz", "Zoë Łukasiewicz", "Nguyễn Thị Minh Khai"), strict=True
    ):
        first_page = PdfReader(out / name).pages[0].extract_text()
        assert expected in first_page
        assert name.split("_")[1][:3] in first_page.replace(" ", "")
        # The list gives the surgeon's name only: no role is made up for it.
        assert "Mr Sam Demo" in first_page
        assert "Consultant" not in first_page
    services = _open()
    try:
        patient = services.patients.find_by_nhs_number("9990000026")
        assert patient is not None
        (event,) = services.documents.events_for_patient(patient.id)
    finally:
        services.close()
    assert event.output is Output.PDF_FILE
    assert event.destination == files[1]
    assert event.by == profile_id
    assert event.leaflet_format is LeafletFormat.STANDARD


def test_a_bad_row_names_line_and_column_and_nothing_is_written(
    tmp_path: Path, profile_id: int
) -> None:
    out = tmp_path / "leaflets"
    out.mkdir()
    bad = HEADER + ROWS + "Ann Smith,31/02/1950,9990000042,,02/12/2026,Mr Sam Demo\n"
    result = _run("--clinic-list", str(_clinic_list(tmp_path, bad)), "--out", str(out))
    assert result.returncode == 1
    assert "line 5, column 'Date of birth'" in result.stderr
    assert "nothing was written" in result.stderr
    assert list(out.iterdir()) == []


def test_a_file_in_another_encoding_is_refused_and_nothing_is_written(
    tmp_path: Path, profile_id: int
) -> None:
    out = tmp_path / "leaflets"
    path = tmp_path / "clinic.csv"
    path.write_bytes(
        (HEADER + "Zoë Smith,14/03/1941,9990000018,,02/12/2026,Mr Demo\n").encode("cp1252")
    )
    result = _run("--clinic-list", str(path), "--out", str(out))
    assert result.returncode == 1
    assert "not UTF-8" in result.stderr
    assert "line 2" in result.stderr
    assert not out.exists()


def test_a_conflict_with_a_stored_patient_leaves_no_leaflet_behind(
    tmp_path: Path, profile_id: int
) -> None:
    services = _open()
    try:
        services.patients.add(
            PatientDraft("Carol King", date(1950, 1, 1), "9990000034"), profile_id
        )
    finally:
        services.close()
    out = tmp_path / "leaflets"
    result = _run("--clinic-list", str(_clinic_list(tmp_path, HEADER + ROWS)), "--out", str(out))
    assert result.returncode == 1
    assert "line 4, column 'Name'" in result.stderr
    assert "Carol King" in result.stderr
    assert not out.exists()  # the run made the folder, and took it away again


def test_known_patients_print_as_stored_in_their_remembered_format(
    tmp_path: Path, profile_id: int
) -> None:
    services = _open()
    try:
        known = services.patients.add(
            PatientDraft("Nguyễn Thị Minh Khai", date(1948, 11, 2), "9990000034"), profile_id
        )
        services.patients.add(
            PatientDraft("Zoë Łukasiewicz", date(1941, 3, 14), "9990000018"), profile_id
        )
        services.patients.set_leaflet_format(known.id, LeafletFormat.LARGE_PRINT, profile_id)
    finally:
        services.close()
    out = tmp_path / "leaflets"
    rows = ROWS.replace("Zoë Łukasiewicz,14/03/1941", '"LUKASIEWICZ, Zoe",14/03/1941')
    result = _run("--clinic-list", str(_clinic_list(tmp_path, HEADER + rows)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    large = PdfReader(out / "leaflet_9990000034_nguyen-thi-minh-khai_2026-12-02.pdf")
    # A known patient's leaflet prints the name as stored, not as the list spells it.
    standard = PdfReader(out / "leaflet_9990000018_lukasiewicz-zoe_2026-12-02.pdf")
    assert "Zoë Łukasiewicz" in standard.pages[0].extract_text()
    assert LeafletFormat.LARGE_PRINT.label in large.pages[0].extract_text()
    assert LeafletFormat.STANDARD.label in standard.pages[0].extract_text()
    services = _open()
    try:
        (event,) = services.documents.events_for_patient(known.id)
    finally:
        services.close()
    assert event.leaflet_format is LeafletFormat.LARGE_PRINT
    pdf = (out / "leaflet_9990000034_nguyen-thi-minh-khai_2026-12-02.pdf").read_bytes()
    assert event.sha256 == hashlib.sha256(pdf).hexdigest()
    assert len(list(out.iterdir())) == 3


def test_a_bad_recovery_link_setting_is_named_and_nothing_is_written(
    tmp_path: Path, profile_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_AID_RECOVERY_APP_URL", "recovery.example.org")
    out = tmp_path / "leaflets"
    result = _run("--clinic-list", str(_clinic_list(tmp_path, HEADER + ROWS)), "--out", str(out))
    assert result.returncode == 1
    assert "CONSULT_AID_RECOVERY_APP_URL" in result.stderr
    assert not out.exists()


def test_a_user_whose_role_may_not_import_lists_is_refused_and_nothing_is_kept(
    tmp_path: Path, profile_id: int
) -> None:
    services = _open()
    try:
        add_person(
            services,
            ClinicianDraft("Ann Auditor", ClinicianRole.CLINICAL_AUDITOR, "", "City"),
            {Role.AUDITOR},
            "ann",
        )
    finally:
        services.close()
    out = tmp_path / "leaflets"
    clinic_list = _clinic_list(tmp_path, HEADER + ROWS)
    result = _run("--clinic-list", str(clinic_list), "--out", str(out), user="ann")
    assert result.returncode == 1
    assert "does not allow you to import clinic lists" in result.stderr
    assert not out.exists()
    wrong = subprocess.run(
        [sys.executable, "-m", "consult_aid", "leaflets", "--user", "sam",
         "--clinic-list", str(clinic_list), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, "CONSULT_AID_PASSWORD": "a wrong password entirely"},
    )  # fmt: skip
    assert wrong.returncode == 1
    assert "user name or password is not right" in wrong.stderr
    assert not out.exists()
