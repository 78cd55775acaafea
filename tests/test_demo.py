"""Demo mode's sample data: valid, never a real patient's NHS number, seeded once."""

from __future__ import annotations

from pathlib import Path

from consult_aid import paths
from consult_aid.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    SAMPLE_PATIENTS,
    seed,
    synthetic_nhs_numbers,
)
from consult_aid.domain import nhs_number
from consult_aid.services.bundle import open_services
from tests.signing_in import FAST_HASHING


def test_synthetic_nhs_numbers_are_valid_and_in_the_test_range() -> None:
    numbers = synthetic_nhs_numbers(25)
    assert len(set(numbers)) == 25
    for number in numbers:
        assert nhs_number.is_valid(number)
        assert number.startswith("999")


def test_seed_fills_an_empty_database_once(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'demo.sqlite3').as_posix()}"
    services = open_services(url, paths.procedures_dir(), password_hashing=FAST_HASHING)
    try:
        seed(services)
        assert services.access.current is None  # the demo starts at its sign-in screen
        seed(services)
        admin = services.accounts.sign_in("admin", DEMO_PASSWORD)
        accounts = {
            view.account.username: view.account.roles for view in services.accounts.accounts()
        }
        assert accounts == {name: {role} for name, role, _ in DEMO_ACCOUNTS}
        assert len(services.clinicians.all()) == len(DEMO_ACCOUNTS)
        assert admin.account.username == "admin"
        services.accounts.sign_in("secretary", DEMO_PASSWORD)
        found = services.patients.search("", limit=100)
        assert sorted(p.name for p in found) == sorted(name for name, _, _ in SAMPLE_PATIENTS)
        assert services.patients.search("zoe lukasiewicz")[0].name == "Zoë Łukasiewicz"
    finally:
        services.close()
