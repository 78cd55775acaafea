"""ClinicianService: the first-run profile, later edits, and its refusals."""

from __future__ import annotations

import pytest

from consult_aid.domain.errors import Forbidden, InvalidInput, NotFound
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.services.bundle import Services


def test_create_stores_a_cleaned_profile(services: Services, clinician: Clinician) -> None:
    made = services.clinicians.create(
        ClinicianDraft("  Anna  Rahman ", ClinicianRole.REGISTRAR, "123 4567", " City Hospital")
    )
    assert made.name == "Anna Rahman"
    assert made.gmc_number == "1234567"
    assert services.clinicians.get(made.id) == made
    assert services.clinicians.all() == [clinician, made]


def test_bad_fields_are_refused(services: Services, clinician: Clinician) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.clinicians.create(ClinicianDraft("", ClinicianRole.FELLOW, "12", ""))
    assert set(caught.value.problems) == {"name", "gmc_number", "hospital"}
    assert services.clinicians.all() == [clinician]


def test_update_changes_the_profile(services: Services, clinician: Clinician) -> None:
    updated = services.clinicians.update(
        clinician.id,
        ClinicianDraft(clinician.name, ClinicianRole.FELLOW, clinician.gmc_number, "Other"),
        clinician.id,
    )
    assert updated.role is ClinicianRole.FELLOW
    assert updated.hospital == "Other"
    assert services.clinicians.get(clinician.id) == updated


def test_unknown_clinicians_are_not_found(services: Services, clinician: Clinician) -> None:
    draft = ClinicianDraft("A B", ClinicianRole.FELLOW, "1234567", "H")
    with pytest.raises(NotFound):
        services.clinicians.get(clinician.id + 1)
    with pytest.raises(NotFound):
        services.clinicians.update(clinician.id + 1, draft, clinician.id)
    with pytest.raises(Forbidden):
        services.clinicians.update(clinician.id, draft, clinician.id + 1)
    assert services.clinicians.get(clinician.id) == clinician
