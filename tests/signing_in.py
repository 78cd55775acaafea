"""Accounts for the tests: fast argon2 parameters and a signed-in person with chosen roles.

The parameters are the cheapest argon2id allows, so that hundreds of tests
can each make an account; the production parameters are tested on their own
(tests/services/test_accounts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from consult_aid.domain.access import Account, Role
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.services.access import AccessControl, SignedIn
from consult_aid.services.bundle import Services
from consult_aid.services.password_rules import HashParameters

FAST_HASHING = HashParameters(time_cost=1, memory_cost_kib=8, parallelism=1)
PASSWORD = "plateau vertebra lantern 42"  # noqa: S105 - the tests' own, not a secret
EVERY_ROLE = frozenset(Role)
SURGEON_PROFILE = ClinicianDraft(
    "Anna Rahman", ClinicianRole.CONSULTANT_SURGEON, "1234567", "City Hospital"
)


def first_person(
    services: Services,
    profile: ClinicianDraft = SURGEON_PROFILE,
    roles: Iterable[Role] = EVERY_ROLE,
    username: str = "anna",
) -> Clinician:
    """Set up the first account (it holds the administrator role too) and sign it in."""
    return services.accounts.create_first_administrator(profile, username, PASSWORD, roles).person


def add_person(
    services: Services,
    profile: ClinicianDraft,
    roles: Iterable[Role],
    username: str,
) -> Clinician:
    """Give a new person an account (the signed-in person must be an administrator)."""
    by = services.access.current
    assert by is not None, "sign an administrator in first"
    return services.accounts.create_account(profile, username, roles, PASSWORD, by.person_id).person


def sign_in(services: Services, username: str) -> Clinician:
    """Sign ``username`` in with the test password."""
    return services.accounts.sign_in(username, PASSWORD).person


def verifier_access(access: AccessControl | None = None, person_id: int = 0) -> AccessControl:
    """Access for an AuditTrail built by hand on a copied database (only verify is called).

    The copy's own accounts are not signed in to: what is tested is the check of
    the trail, and the role check in front of it is tested in test_access_matrix.
    ``person_id`` names a profile of a database from before accounts.
    """
    access = AccessControl() if access is None else access
    person = Clinician(person_id, "Audit check", ClinicianRole.CLINICAL_AUDITOR, "", "City")
    account = Account(person_id=person_id, username="audit-check", roles=frozenset({Role.AUDITOR}))
    access.sign_in(SignedIn(account, person, datetime.now(UTC)))
    return access


def act_as(services: Services, person_id: int) -> None:
    """Sign ``person_id`` in (with the test password) unless they are the one signed in."""
    current = services.access.current
    if current is not None and current.person_id == person_id:
        return
    from consult_aid.storage.accounts import AccountRepository

    with services.db.session() as session, session.begin():
        account = AccountRepository(session).get(person_id)
    assert account is not None, f"person {person_id} has no account"
    services.accounts.sign_in(account.username, PASSWORD)
