"""PatientService: adding, correcting, finding and searching patients, and its refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from consult_aid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, NotSignedIn
from consult_aid.domain.people import Clinician, Patient, PatientDraft
from consult_aid.services.bundle import Services
from tests.signing_in import sign_in


def test_a_patient_is_stored_cleaned(
    services: Services, clinician: Clinician, nhs_numbers: Iterator[str]
) -> None:
    digits = next(nhs_numbers)
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    added = services.patients.add(
        PatientDraft("  Zoë   Łukasiewicz ", date(1944, 5, 17), spaced, "rx-1234"), clinician.id
    )
    assert added == services.patients.get(added.id)
    assert added.name == "Zoë Łukasiewicz"
    assert added.nhs_number == digits
    assert added.hospital_number == "RX-1234"
    assert services.patients.find_by_nhs_number(spaced) == added


def test_a_duplicate_nhs_number_names_the_patient_who_holds_it(
    services: Services, clinician: Clinician, make_patient: Callable[..., Patient]
) -> None:
    holder = make_patient("Margaret Hughes")
    with pytest.raises(Conflict, match="Margaret Hughes"):
        services.patients.add(
            PatientDraft("Someone Else", date(1950, 1, 1), holder.nhs_number), clinician.id
        )
    assert [p.id for p in services.patients.search("")] == [holder.id]


def test_bad_fields_are_all_named(services: Services, clinician: Clinician) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.patients.add(PatientDraft("", None, "123", "no spaces!"), clinician.id)
    assert set(caught.value.problems) == {"name", "date_of_birth", "nhs_number", "hospital_number"}
    assert services.patients.search("") == []


def test_a_patient_is_added_only_in_the_name_of_the_person_signed_in(
    services: Services, clinician: Clinician, nhs_numbers: Iterator[str]
) -> None:
    with pytest.raises(Forbidden, match="person signed in"):
        services.patients.add(PatientDraft("A B", date(1950, 1, 1), next(nhs_numbers)), 999)
    services.accounts.sign_out()
    with pytest.raises(NotSignedIn):
        services.patients.add(
            PatientDraft("A B", date(1950, 1, 1), next(nhs_numbers)), clinician.id
        )
    sign_in(services, "anna")
    assert services.patients.search("") == []


def test_update_corrects_details_and_keeps_nhs_numbers_unique(
    services: Services, clinician: Clinician, make_patient: Callable[..., Patient]
) -> None:
    first = make_patient("Margaret Hughes")
    second = make_patient("Peter Hughes")
    corrected = services.patients.update(
        first.id,
        PatientDraft("Margaret Hughes-Jones", first.date_of_birth, first.nhs_number, "H9"),
        clinician.id,
    )
    assert services.patients.get(first.id) == corrected
    assert corrected.name == "Margaret Hughes-Jones"
    with pytest.raises(Conflict, match="Peter Hughes"):
        services.patients.update(
            first.id,
            PatientDraft("Margaret Hughes-Jones", first.date_of_birth, second.nhs_number),
            clinician.id,
        )
    assert services.patients.get(first.id) == corrected


def test_unknown_patients_are_not_found(services: Services, clinician: Clinician) -> None:
    with pytest.raises(NotFound):
        services.patients.get(42)
    with pytest.raises(NotFound):
        services.patients.update(
            42, PatientDraft("A B", date(1950, 1, 1), "943 476 5919"), clinician.id
        )
    assert services.patients.find_by_nhs_number("943 476 5919") is None


def test_search_ignores_case_and_accents_and_matches_word_starts(
    make_patient: Callable[..., Patient], services: Services
) -> None:
    zoe = make_patient("Zoë Łukasiewicz")
    make_patient("Lukas Bauer")
    make_patient("Joe Bloggs")
    assert services.patients.search("zoe lukas") == [zoe]
    assert services.patients.search("ŁUKASIEWICZ") == [zoe]
    assert {p.name for p in services.patients.search("luk")} == {
        "Zoë Łukasiewicz",
        "Lukas Bauer",
    }
    assert services.patients.search("ukasiewicz") == []


def test_search_finds_nhs_numbers_with_or_without_spaces(
    make_patient: Callable[..., Patient], services: Services
) -> None:
    patient = make_patient()
    other = make_patient("Someone Else")
    digits = patient.nhs_number
    assert services.patients.search(digits) == [patient]
    assert services.patients.search(f"{digits[:3]} {digits[3:6]} {digits[6:]}") == [patient]
    prefix = f"{digits[:3]} {digits[3:6]}"
    assert set(services.patients.search(prefix)) >= {patient}
    assert other not in services.patients.search(digits)


def test_search_finds_hospital_numbers_by_prefix_in_any_case(
    make_patient: Callable[..., Patient], services: Services
) -> None:
    patient = make_patient("Ann Lee", hospital_number="RX7781")
    make_patient("Bob Lee", hospital_number="QA1000")
    assert services.patients.search("rx77") == [patient]
    assert services.patients.search("RX7781") == [patient]


def test_search_treats_like_wildcards_as_plain_text(
    make_patient: Callable[..., Patient], services: Services
) -> None:
    make_patient("Ann Lee")
    assert services.patients.search("%") == []
    assert services.patients.search("_nn") == []


def test_empty_search_lists_the_newest_first_up_to_the_limit(
    make_patient: Callable[..., Patient], services: Services
) -> None:
    made = [make_patient(f"Patient Number{i}") for i in range(5)]
    assert services.patients.search("") == list(reversed(made))
    assert services.patients.search("  ", limit=2) == list(reversed(made))[:2]
