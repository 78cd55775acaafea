"""Tests of the patient and clinician field rules (PatientDraft, ClinicianDraft)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.people import (
    EARLIEST_BIRTH,
    ClinicianDraft,
    ClinicianRole,
    Patient,
    PatientDraft,
)

TODAY = date(2024, 6, 15)
VALID_NHS = "943 476 5919"


def patient(**changes: object) -> PatientDraft:
    fields: dict[str, object] = {
        "name": "Margaret Evans",
        "date_of_birth": date(1941, 3, 2),
        "nhs_number": VALID_NHS,
        "hospital_number": "rx123456",
    }
    fields.update(changes)
    return PatientDraft(**fields)  # type: ignore[arg-type]


def problems_of(draft: PatientDraft) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        draft.validated(TODAY)
    return caught.value.problems


# --- patients ---------------------------------------------------------------


def test_a_valid_patient_is_cleaned() -> None:
    cleaned = patient(
        name="  Margaret \t Ann\n Evans ",
        nhs_number=" 943-476 5919 ",
        hospital_number=" rx12/34-a ",
    ).validated(TODAY)
    assert cleaned.name == "Margaret Ann Evans"
    assert cleaned.nhs_number == "9434765919"
    assert cleaned.hospital_number == "RX12/34-A"
    assert cleaned.date_of_birth == date(1941, 3, 2)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_an_empty_name_is_refused(name: str) -> None:
    assert set(problems_of(patient(name=name))) == {"name"}


def test_a_name_of_200_characters_is_the_longest_allowed() -> None:
    longest = "A" * 200
    assert patient(name=longest).validated(TODAY).name == longest
    assert "name" in problems_of(patient(name="A" * 201))


def test_the_length_limit_counts_the_collapsed_name() -> None:
    # 100 + 1 + 99 = 200 characters once the run of spaces is one space.
    spaced = "A" * 100 + " " * 50 + "B" * 99
    assert len(patient(name=spaced).validated(TODAY).name) == 200


def test_date_of_birth_today_is_allowed_but_tomorrow_is_not() -> None:
    assert patient(date_of_birth=TODAY).validated(TODAY).date_of_birth == TODAY
    problem = problems_of(patient(date_of_birth=TODAY + timedelta(days=1)))
    assert "future" in problem["date_of_birth"]


def test_date_of_birth_before_1900_is_refused() -> None:
    assert patient(date_of_birth=EARLIEST_BIRTH).validated(TODAY).date_of_birth == EARLIEST_BIRTH
    problem = problems_of(patient(date_of_birth=EARLIEST_BIRTH - timedelta(days=1)))
    assert "1900" in problem["date_of_birth"]


def test_a_missing_date_of_birth_is_refused() -> None:
    assert set(problems_of(patient(date_of_birth=None))) == {"date_of_birth"}


@pytest.mark.parametrize("bad", ["943 476 5918", "12345", "", "0000000000", "٩٤٣٤٧٦٥٩١٩"])
def test_a_bad_nhs_number_is_refused(bad: str) -> None:
    assert set(problems_of(patient(nhs_number=bad))) == {"nhs_number"}


@pytest.mark.parametrize("bad", ["RX 123", "RX_123", "A" * 21, "RX#1", "RXé1"])
def test_a_bad_hospital_number_is_refused(bad: str) -> None:
    assert set(problems_of(patient(hospital_number=bad))) == {"hospital_number"}


@pytest.mark.parametrize("empty", ["", "   "])
def test_the_hospital_number_may_be_left_empty(empty: str) -> None:
    assert patient(hospital_number=empty).validated(TODAY).hospital_number == ""


def test_a_hospital_number_of_20_characters_is_allowed() -> None:
    assert patient(hospital_number="a" * 20).validated(TODAY).hospital_number == "A" * 20


def test_every_problem_is_named_at_once() -> None:
    problems = problems_of(
        PatientDraft(
            name=" ",
            date_of_birth=TODAY + timedelta(days=30),
            nhs_number="123",
            hospital_number="no spaces allowed",
        )
    )
    assert set(problems) == {"name", "date_of_birth", "nhs_number", "hospital_number"}
    assert all(text.strip() for text in problems.values())


def test_the_error_message_names_each_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        patient(name="", nhs_number="1").validated(TODAY)
    assert "name" in str(caught.value)
    assert "nhs_number" in str(caught.value)


def test_a_stored_patient_shows_its_nhs_number_as_three_three_four() -> None:
    stored = Patient(1, "Margaret Evans", date(1941, 3, 2), "9434765919", "RX1")
    assert stored.nhs_number_display == "943 476 5919"


# --- clinicians -------------------------------------------------------------

DOCTORS = [r for r in ClinicianRole if r.is_doctor]


def clinician(**changes: object) -> ClinicianDraft:
    fields: dict[str, object] = {
        "name": "Priya Shah",
        "role": ClinicianRole.CONSULTANT_SURGEON,
        "gmc_number": "1234567",
        "hospital": "St Elsewhere",
    }
    fields.update(changes)
    return ClinicianDraft(**fields)  # type: ignore[arg-type]


def clinician_problems(draft: ClinicianDraft) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        draft.validated()
    return caught.value.problems


@pytest.mark.parametrize("role", DOCTORS)
def test_a_doctor_needs_a_seven_digit_gmc_number(role: ClinicianRole) -> None:
    assert clinician(role=role, gmc_number=" 123 4567 ").validated().gmc_number == "1234567"
    for bad in ["", "123456", "12345678", "12345A7"]:
        assert set(clinician_problems(clinician(role=role, gmc_number=bad))) == {"gmc_number"}


@pytest.mark.parametrize("digits", ["١٢٣٤٥٦٧", "１２３４５６７"])
def test_a_gmc_number_is_ascii_digits_only(digits: str) -> None:
    assert len(digits) == 7
    assert digits.isdigit()  # Python calls these digits; a GMC number does not
    assert "gmc_number" in clinician_problems(clinician(gmc_number=digits))


def test_a_nurse_practitioner_may_leave_the_gmc_number_empty() -> None:
    nurse = clinician(role=ClinicianRole.NURSE_PRACTITIONER, gmc_number="  ")
    assert nurse.validated().gmc_number == ""


def test_a_nurse_practitioner_who_gives_a_gmc_number_must_give_a_valid_one() -> None:
    nurse = clinician(role=ClinicianRole.NURSE_PRACTITIONER, gmc_number="12345")
    problem = clinician_problems(nurse)["gmc_number"]
    assert "empty" in problem
    good = clinician(role=ClinicianRole.NURSE_PRACTITIONER, gmc_number="7654321")
    assert good.validated().gmc_number == "7654321"


@pytest.mark.parametrize("hospital", ["", "  "])
def test_the_hospital_is_required(hospital: str) -> None:
    assert set(clinician_problems(clinician(hospital=hospital))) == {"hospital"}


def test_clinician_fields_are_cleaned() -> None:
    cleaned = clinician(name="  Priya   Shah ", hospital=" St   Elsewhere\n").validated()
    assert cleaned.name == "Priya Shah"
    assert cleaned.hospital == "St Elsewhere"
    assert cleaned.role is ClinicianRole.CONSULTANT_SURGEON


def test_clinician_problems_are_named_at_once() -> None:
    problems = clinician_problems(clinician(name="", gmc_number="1", hospital=""))
    assert set(problems) == {"name", "gmc_number", "hospital"}
    assert "name" in clinician_problems(clinician(name="x" * 201))


@pytest.mark.parametrize("role", [r for r in ClinicianRole if not r.is_doctor])
def test_staff_who_are_not_doctors_may_leave_the_gmc_number_empty(role: ClinicianRole) -> None:
    assert clinician(role=role, gmc_number="").validated().gmc_number == ""
    assert set(clinician_problems(clinician(role=role, gmc_number="12"))) == {"gmc_number"}


def test_only_clinical_titles_consult() -> None:
    assert {r for r in ClinicianRole if r.consults} == {
        ClinicianRole.CONSULTANT_SURGEON,
        ClinicianRole.SPECIALTY_SURGEON,
        ClinicianRole.REGISTRAR,
        ClinicianRole.FELLOW,
        ClinicianRole.NURSE_PRACTITIONER,
    }
