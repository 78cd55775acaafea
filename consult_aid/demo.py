"""Demo mode: a throwaway database with sample patients and one account per role.

For a newcomer to try everything in seconds. The names carry diacritics on
purpose; the NHS numbers come from the 999 range, which is never issued to a
real patient. Every demo account has the same password, shown on the demo's
sign-in screen: the database is thrown away when the window closes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from consult_aid.domain import nhs_number
from consult_aid.domain.access import Role
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

SAMPLE_PATIENTS: tuple[tuple[str, date, str], ...] = (
    ("Zoë Łukasiewicz", date(1941, 3, 14), "RX10001"),
    ("Nguyễn Thị Minh Khai", date(1948, 11, 2), "RX10002"),
    ("Siobhán O'Connor", date(1937, 6, 30), "RX10003"),
    ("Dvořák Jiří", date(1952, 1, 9), "RX10004"),
    ("Margaret Ellis", date(1945, 8, 21), "RX10005"),
    ("Αλεξάνδρα Παπαδοπούλου", date(1950, 4, 5), "RX10006"),
)

SAMPLE_CLINICIAN = ClinicianDraft(
    name="Mr Sam Demo",
    role=ClinicianRole.CONSULTANT_SURGEON,
    gmc_number="7654321",
    hospital="Demo General Hospital",
)


DEMO_PASSWORD = "try consult aid today"  # noqa: S105 - printed on the demo's sign-in screen
# User name, role, profile: the first is the administrator who sets the others up.
DEMO_ACCOUNTS: tuple[tuple[str, Role, ClinicianDraft], ...] = (
    (
        "admin",
        Role.ADMINISTRATOR,
        ClinicianDraft(
            "Ada Admin", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "Demo General Hospital"
        ),
    ),
    ("surgeon", Role.SURGEON, SAMPLE_CLINICIAN),
    (
        "secretary",
        Role.SECRETARY,
        ClinicianDraft("Sue Demo", ClinicianRole.MEDICAL_SECRETARY, "", "Demo General Hospital"),
    ),
    (
        "auditor",
        Role.AUDITOR,
        ClinicianDraft("Audrey Demo", ClinicianRole.CLINICAL_AUDITOR, "", "Demo General Hospital"),
    ),
)


def synthetic_nhs_numbers(count: int, start: int = 999_000_000) -> list[str]:
    """NHS numbers in the never-issued 999 range whose check digit is valid."""
    found: list[str] = []
    stem = start
    while len(found) < count:
        for check in range(10):
            candidate = f"{stem:09d}{check}"
            if nhs_number.is_valid(candidate):
                found.append(candidate)
                break
        stem += 1
    return found


def seed(services: Services) -> None:
    """Fill a new database with the demo accounts and sample patients; then sign out.

    A database that has accounts already is left as it is.
    """
    if not services.accounts.needs_first_administrator():
        return
    (admin_name, admin_role, admin), *others = DEMO_ACCOUNTS
    by = services.accounts.create_first_administrator(
        admin, admin_name, DEMO_PASSWORD, {admin_role}
    ).person_id
    for username, role, profile in others:
        services.accounts.create_account(profile, username, {role}, DEMO_PASSWORD, by)
    secretary = services.accounts.sign_in("secretary", DEMO_PASSWORD).person_id
    numbers = synthetic_nhs_numbers(len(SAMPLE_PATIENTS))
    for (name, born, hospital_number), nhs in zip(SAMPLE_PATIENTS, numbers, strict=True):
        services.patients.add(PatientDraft(name, born, nhs, hospital_number), by=secretary)
    services.accounts.sign_out()
