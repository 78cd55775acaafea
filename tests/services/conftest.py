"""Fixtures for the service tests: the real services on a fresh SQLite file per test."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from consult_aid.domain.consultation import ConsultationHeader
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import (
    Clinician,
    Patient,
    PatientDraft,
)
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import Services, open_services
from tests.signing_in import FAST_HASHING, first_person

PACK_ID = "balloon-kyphoplasty"


def valid_nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers from the synthetic test range 999 000 0000 upwards."""
    for stem in itertools.count(999_000_000):
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            yield digits + str(check)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The SQLite URL of this test's database file."""
    return f"sqlite:///{(tmp_path / 'consult-aid.sqlite3').as_posix()}"


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    """Every service over a fresh database and the bundled packs, closed after the test."""
    bundle = open_services(db_url, procedures_dir(), password_hashing=FAST_HASHING)
    try:
        yield bundle
    finally:
        bundle.close()


@pytest.fixture
def clinician(services: Services) -> Clinician:
    """The first account, a surgeon holding every role, signed in."""
    return first_person(services)


@pytest.fixture
def nhs_numbers() -> Iterator[str]:
    """A fresh supply of valid, distinct NHS numbers."""
    return valid_nhs_numbers()


@pytest.fixture
def make_patient(
    services: Services, clinician: Clinician, nhs_numbers: Iterator[str]
) -> Callable[..., Patient]:
    """Add a patient with a valid NHS number; the name and hospital number may be given."""

    def make(name: str = "Margaret Hughes", hospital_number: str = "") -> Patient:
        draft = PatientDraft(name, date(1941, 3, 14), next(nhs_numbers), hospital_number)
        return services.patients.add(draft, clinician.id)

    return make


@pytest.fixture
def patient(make_patient: Callable[..., Patient]) -> Patient:
    """One stored patient."""
    return make_patient()


@pytest.fixture
def pack(services: Services) -> ContentPack:
    """The bundled kyphoplasty pack, as the library hands it out."""
    return services.library.current(PACK_ID)


@pytest.fixture
def consultation(services: Services, patient: Patient, clinician: Clinician) -> ConsultationHeader:
    """A consultation started on the balloon variant of the bundled pack."""
    return services.consultations.start(patient.id, clinician.id, PACK_ID, "balloon").header
