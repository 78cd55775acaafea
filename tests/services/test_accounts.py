"""AccountService and the password rules: first run, signing in, slowing guessing down, admin.

Every test goes through the real services on a fresh SQLite file. Time comes
from a clock the test moves by hand (AccountService takes ``clock``), so the
waits after wrong passwords are tested without sleeping. Audit events are read
straight from the ``audit_log`` table, as an auditor would read them.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import argon2
import pytest
from sqlalchemy import func, select

from consult_aid.domain.access import Role
from consult_aid.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    SignInRefused,
)
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.paths import procedures_dir
from consult_aid.services.accounts import FREE_TRIES, MAX_WAIT, AccountService, wait_after
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.password_rules import (
    MAX_LENGTH,
    MIN_LENGTH,
    HashParameters,
    Passwords,
    check_password,
)
from consult_aid.storage.accounts import AccountRepository
from consult_aid.storage.models import AccountRow, AuditRow, Base
from tests.signing_in import (
    FAST_HASHING,
    PASSWORD,
    SURGEON_PROFILE,
    add_person,
    sign_in,
)

SECRETARY_PROFILE = ClinicianDraft(
    "Sam Patel", ClinicianRole.MEDICAL_SECRETARY, "", "City Hospital"
)
REGISTRAR_PROFILE = ClinicianDraft("Zed Owusu", ClinicianRole.REGISTRAR, "7654321", "City Hospital")
ADMIN_PROFILE = ClinicianDraft("Ben Cole", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "City Hospital")
OTHER_ADMIN_PROFILE = ClinicianDraft(
    "Cal Reyes", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "City Hospital"
)
NEW_PASSWORD = "blue kettle sings at dawn"  # noqa: S105 - the tests' own, not a secret
WRONG = "not the password at all"


class Clock:
    """A clock the test moves by hand (aware UTC, as ``utc_now`` gives)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class CountingPasswords(Passwords):
    """Passwords that count every check, to show that a running wait checks none."""

    def __init__(self, parameters: HashParameters | None = None) -> None:
        super().__init__(parameters)
        self.checks = 0

    def matches(self, stored_hash: str, password: str) -> bool:
        self.checks += 1
        return super().matches(stored_hash, password)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def counting() -> CountingPasswords:
    return CountingPasswords(FAST_HASHING)


@pytest.fixture
def timed(services: Services, clock: Clock, counting: CountingPasswords) -> AccountService:
    """An AccountService over the test's database that reads the hand-moved clock."""
    return AccountService(services.db, services.access, counting, clock=clock)


@pytest.fixture
def sam(services: Services, clinician: Clinician) -> Clinician:
    """A secretary's account, made by the first administrator (who stays signed in)."""
    return add_person(services, SECRETARY_PROFILE, {Role.SECRETARY}, "sam")


def _rows(services: Services, after: int = 0) -> list[AuditRow]:
    with services.db.session() as session, session.begin():
        query = select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id)
        return list(session.scalars(query))


def _last_id(services: Services) -> int:
    with services.db.session() as session, session.begin():
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)


def _actions(services: Services, after: int = 0) -> list[str]:
    return [row.action for row in _rows(services, after)]


def _account_row(services: Services, person_id: int) -> AccountRow:
    with services.db.session() as session, session.begin():
        row = session.get(AccountRow, person_id)
        assert row is not None
        return row


def _counts(services: Services) -> dict[str, int]:
    """Rows in every table: a refused call must leave all of them as they were."""
    with services.db.session() as session, session.begin():
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def _seed_failures(services: Services, person_id: int, count: int, at: datetime) -> None:
    """Store ``count`` wrong passwords at ``at``, as a working sign_in would have."""
    with services.db.write_session() as session, session.begin():
        accounts = AccountRepository(session)
        for _ in range(count):
            accounts.record_failure(person_id, at)


def _failures(services: Services, person_id: int) -> tuple[int, datetime | None]:
    row = _account_row(services, person_id)
    return row.failed_attempts, row.last_failed_at


def _refused(service: AccountService, username: str, password: str) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        service.sign_in(username, password)
    return caught.value


# -- first run -------------------------------------------------------------------


def _fellow(name: str, gmc_number: str, hospital: str) -> ClinicianDraft:
    return ClinicianDraft(name, ClinicianRole.FELLOW, gmc_number, hospital)


@pytest.mark.parametrize(
    ("asked", "held"),
    [
        ((), {Role.ADMINISTRATOR}),
        ((Role.SURGEON,), {Role.SURGEON, Role.ADMINISTRATOR}),
        (tuple(Role), set(Role)),
    ],
    ids=["no-role-asked", "surgeon-asked", "every-role"],
)
def test_the_first_administrator_is_made_once_signed_in_and_always_an_administrator(
    services: Services, asked: tuple[Role, ...], held: set[Role]
) -> None:
    assert services.accounts.needs_first_administrator()
    signed_in = services.accounts.create_first_administrator(
        SURGEON_PROFILE, " Anna ", PASSWORD, asked
    )
    assert not services.accounts.needs_first_administrator()
    assert services.access.current == signed_in
    assert signed_in.account.roles == held
    assert signed_in.account.username == "anna"
    assert signed_in.person.name == "Anna Rahman"
    setup, signed = _rows(services)
    assert (setup.action, setup.clinician_id) == (
        "account.first_administrator",
        signed_in.person_id,
    )
    assert (signed.action, signed.clinician_id) == ("sign_in", signed_in.person_id)


def test_a_second_first_administrator_is_refused_and_writes_nothing(
    services: Services, clinician: Clinician
) -> None:
    before = _counts(services)
    with pytest.raises(Conflict):
        services.accounts.create_first_administrator(ADMIN_PROFILE, "ben", NEW_PASSWORD)
    assert _counts(services) == before
    current = services.access.current
    assert current is not None
    assert current.person_id == clinician.id


@pytest.mark.parametrize(
    ("field", "profile", "username", "password", "roles"),
    [
        ("name", _fellow("  ", "1234567", "City"), "ok", PASSWORD, ()),
        ("gmc_number", _fellow("Al Ng", "12", "City"), "ok", PASSWORD, ()),
        ("hospital", _fellow("Al Ng", "1234567", " "), "ok", PASSWORD, ()),
        ("username", SURGEON_PROFILE, "a b", PASSWORD, ()),
        ("username", SURGEON_PROFILE, "-dash-first", PASSWORD, ()),
        ("username", SURGEON_PROFILE, "x", PASSWORD, ()),
        ("password", SURGEON_PROFILE, "anna", "short", ()),
        ("password", SURGEON_PROFILE, "anna", "password1234", ()),
        ("roles", SECRETARY_PROFILE, "sam", PASSWORD, (Role.SURGEON,)),
    ],
)  # fmt: skip
def test_first_run_names_the_bad_field_and_writes_nothing(
    services: Services,
    field: str,
    profile: ClinicianDraft,
    username: str,
    password: str,
    roles: tuple[Role, ...],
) -> None:
    before = _counts(services)
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_first_administrator(profile, username, password, roles)
    assert set(caught.value.problems) == {field}
    assert _counts(services) == before
    assert services.accounts.needs_first_administrator()
    assert services.access.current is None


def test_first_run_names_every_bad_field_at_once(services: Services) -> None:
    profile = ClinicianDraft("", ClinicianRole.CONSULTANT_SURGEON, "12345", "")
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_first_administrator(profile, "A B", "short")
    assert set(caught.value.problems) == {"name", "gmc_number", "hospital", "username", "password"}
    assert services.accounts.needs_first_administrator()


# -- signing in ------------------------------------------------------------------


def test_the_right_password_signs_in_and_is_audited(
    services: Services, clinician: Clinician
) -> None:
    services.accounts.sign_out()
    mark = _last_id(services)
    signed_in = services.accounts.sign_in("anna", PASSWORD)
    assert services.access.current == signed_in
    assert signed_in.person == clinician
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity, row.entity_id) == (
        "sign_in",
        clinician.id,
        "account",
        str(clinician.id),
    )
    assert row.detail["username"] == "anna"


@pytest.mark.parametrize("typed", ["ANNA", "  anna  ", "\tAnNa\n"])
def test_the_user_name_is_trimmed_and_case_insensitive(
    services: Services, clinician: Clinician, typed: str
) -> None:
    services.accounts.sign_out()
    assert services.accounts.sign_in(typed, PASSWORD).person_id == clinician.id


def test_a_wrong_password_and_an_unknown_user_are_refused_alike(
    services: Services, clinician: Clinician
) -> None:
    services.accounts.sign_out()
    wrong = _refused(services.accounts, "anna", WRONG)
    unknown = _refused(services.accounts, "nobody", PASSWORD)
    shouted = _refused(services.accounts, "anna", PASSWORD.upper())
    # Telling them apart would tell a guesser which user names exist.
    assert str(wrong) == str(unknown) == str(shouted)
    assert wrong.retry_after == unknown.retry_after == 0
    assert services.access.current is None


def test_the_stored_hash_is_argon2id_and_never_the_password(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    anna_hash = _account_row(services, clinician.id).password_hash
    sam_hash = _account_row(services, sam.id).password_hash
    for stored in (anna_hash, sam_hash):
        assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")  # FAST_HASHING's costs
        assert PASSWORD not in stored
    assert anna_hash != sam_hash  # the same password, salted differently


def test_wrong_passwords_are_counted_and_audited(services: Services, clinician: Clinician) -> None:
    services.accounts.sign_out()
    mark = _last_id(services)
    for _ in range(2):
        _refused(services.accounts, "anna", WRONG)
    assert _failures(services, clinician.id)[0] == 2
    rows = _rows(services, mark)
    assert [row.action for row in rows] == ["sign_in.failed", "sign_in.failed"]
    assert [row.detail["failures"] for row in rows] == [1, 2]
    assert all(row.clinician_id is None for row in rows)  # nobody is signed in
    assert all(row.entity_id == str(clinician.id) for row in rows)


def test_an_unknown_user_name_is_audited(services: Services, clinician: Clinician) -> None:
    services.accounts.sign_out()
    mark = _last_id(services)
    _refused(services.accounts, " Nobody ", WRONG)
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id) == ("sign_in.failed", None)
    assert row.detail["username"] == "nobody"


def test_after_the_free_tries_even_the_right_password_waits(
    services: Services, clinician: Clinician, timed: AccountService, clock: Clock
) -> None:
    timed.sign_out()
    for _ in range(FREE_TRIES):
        _refused(timed, "anna", WRONG)
        clock.advance(0.1)
    refusal = _refused(timed, "anna", PASSWORD)
    assert refusal.retry_after > 0
    assert services.access.current is None


def test_wrong_passwords_still_count_after_the_database_is_reopened(
    services: Services, clinician: Clinician, db_url: str, timed: AccountService, clock: Clock
) -> None:
    timed.sign_out()
    for _ in range(FREE_TRIES):
        _refused(timed, "anna", WRONG)
    reopened = open_services(db_url, procedures_dir(), password_hashing=FAST_HASHING)
    try:
        again = AccountService(reopened.db, reopened.access, Passwords(FAST_HASHING), clock=clock)
        assert _refused(again, "anna", PASSWORD).retry_after > 0
    finally:
        reopened.close()


# The waits themselves are tested from a stored count (as a working sign_in would leave
# it), so that they are covered while the bug above keeps sign_in from storing one.


def test_a_running_wait_refuses_any_password_without_checking_it(
    services: Services,
    clinician: Clinician,
    timed: AccountService,
    clock: Clock,
    counting: CountingPasswords,
) -> None:
    timed.sign_out()
    _seed_failures(services, clinician.id, FREE_TRIES, clock.now)
    wait = wait_after(FREE_TRIES)
    assert wait > 0
    clock.advance(wait / 2)
    counting.checks = 0
    for password in (PASSWORD, WRONG):
        refusal = _refused(timed, "anna", password)
        assert refusal.retry_after == pytest.approx(wait / 2)
        assert "try again in" in str(refusal)
    assert counting.checks == 0  # a guess during the wait costs the guesser a try and tells nothing
    assert services.access.current is None
    assert _failures(services, clinician.id)[0] == FREE_TRIES


def test_the_wait_doubles_with_each_further_wrong_password() -> None:
    waits = [wait_after(count) for count in range(FREE_TRIES + 3)]
    assert waits[:FREE_TRIES] == [0.0] * FREE_TRIES
    free = waits[FREE_TRIES:]
    assert free[1] == 2 * free[0]
    assert free[2] == 2 * free[1]
    assert wait_after(FREE_TRIES + 30) == MAX_WAIT


def test_the_wait_stays_capped_however_many_wrong_passwords(
    services: Services, clinician: Clinician, timed: AccountService, clock: Clock
) -> None:
    # One wrong password per MAX_WAIT is allowed, so about three and a half days of
    # guessing reach this count.
    many = FREE_TRIES + 1100
    assert wait_after(many) == MAX_WAIT
    timed.sign_out()
    _seed_failures(services, clinician.id, 1, clock.now)
    with services.db.write_session() as session, session.begin():
        row = session.get(AccountRow, clinician.id)
        assert row is not None
        row.failed_attempts = many
    assert _refused(timed, "anna", PASSWORD).retry_after == pytest.approx(MAX_WAIT)


def test_after_the_wait_the_right_password_works_and_clears_the_count(
    services: Services, clinician: Clinician, timed: AccountService, clock: Clock
) -> None:
    timed.sign_out()
    _seed_failures(services, clinician.id, FREE_TRIES + 1, clock.now)
    clock.advance(wait_after(FREE_TRIES + 1) + 0.5)
    assert timed.sign_in("anna", PASSWORD).person_id == clinician.id
    assert _failures(services, clinician.id) == (0, None)


def test_a_stored_wait_holds_after_the_database_is_reopened(
    services: Services, clinician: Clinician, db_url: str, clock: Clock
) -> None:
    services.accounts.sign_out()
    _seed_failures(services, clinician.id, FREE_TRIES, clock.now)
    services.close()
    reopened = open_services(db_url, procedures_dir(), password_hashing=FAST_HASHING)
    try:
        again = AccountService(reopened.db, reopened.access, Passwords(FAST_HASHING), clock=clock)
        assert _refused(again, "anna", PASSWORD).retry_after > 0
        assert reopened.access.current is None
    finally:
        reopened.close()


def test_a_refusal_during_the_wait_is_audited(
    services: Services, clinician: Clinician, timed: AccountService, clock: Clock
) -> None:
    timed.sign_out()
    _seed_failures(services, clinician.id, FREE_TRIES, clock.now)
    mark = _last_id(services)
    _refused(timed, "anna", PASSWORD)
    (row,) = _rows(services, mark)
    assert (row.action, row.entity_id) == ("sign_in.throttled", str(clinician.id))
    assert row.detail["failures"] == FREE_TRIES


def test_a_disabled_account_is_refused_even_with_the_right_password(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    services.accounts.set_active(sam.id, False, clinician.id)
    refusal = _refused(services.accounts, "sam", PASSWORD)
    assert "disabled" in str(refusal)
    current = services.access.current
    assert current is not None
    assert current.person_id == clinician.id  # a refused sign-in leaves the session alone
    services.accounts.set_active(sam.id, True, clinician.id)
    assert sign_in(services, "sam") == sam


def test_a_disabled_accounts_sign_in_is_audited(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    services.accounts.set_active(sam.id, False, clinician.id)
    mark = _last_id(services)
    _refused(services.accounts, "sam", PASSWORD)
    (row,) = _rows(services, mark)
    assert (row.action, row.entity_id) == ("sign_in.disabled", str(sam.id))


# -- rehashing -------------------------------------------------------------------


def test_a_hash_made_with_other_costs_is_replaced_at_the_next_sign_in(
    services: Services, clinician: Clinician
) -> None:
    old_hash = _account_row(services, clinician.id).password_hash
    assert old_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    newer = HashParameters(time_cost=2, memory_cost_kib=16, parallelism=1)
    upgraded = AccountService(services.db, services.access, Passwords(newer))
    upgraded.sign_out()
    mark = _last_id(services)

    _refused(upgraded, "anna", WRONG)
    assert _account_row(services, clinician.id).password_hash == old_hash  # only a success

    upgraded.sign_in("anna", PASSWORD)
    new_hash = _account_row(services, clinician.id).password_hash
    assert new_hash.startswith("$argon2id$v=19$m=16,t=2,p=1$")
    assert PASSWORD not in new_hash
    rehash = [row for row in _rows(services, mark) if row.action == "account.rehash"]
    assert [(row.clinician_id, row.entity_id) for row in rehash] == [
        (clinician.id, str(clinician.id))
    ]

    mark = _last_id(services)
    upgraded.sign_in("anna", PASSWORD)  # the password still works, and is not rehashed again
    assert _account_row(services, clinician.id).password_hash == new_hash
    assert "account.rehash" not in _actions(services, mark)


# -- password rules --------------------------------------------------------------

LONG_ENOUGH = "x7Kq!m2Pz9Lr"  # exactly MIN_LENGTH characters, and strong
LONGEST = "plateau vertebra lantern 42 hollow quince " * 3 + "zq"  # exactly MAX_LENGTH


def test_the_length_limits_are_exact() -> None:
    assert len(LONG_ENOUGH) == MIN_LENGTH
    assert len(LONGEST) == MAX_LENGTH
    check_password(LONG_ENOUGH)
    for password in (LONG_ENOUGH[:-1], LONGEST + "q"):
        with pytest.raises(InvalidInput) as caught:
            check_password(password)
        assert set(caught.value.problems) == {"password"}


@pytest.mark.parametrize("length", [73, MAX_LENGTH])
def test_a_long_passphrase_up_to_the_maximum_passes(length: int) -> None:
    check_password(LONGEST[:length])


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "plateau vertebra lantern 42 " * 6,
        " plateau vertebra lantern 42",
        "plateau vertebra lantern 42 ",
        "password1234",
        "qwertyuiop12",
        "zxcvbnmasdfg",
        "aaaaaaaaaaaaaaaa",
    ],
    ids=[
        "too-short",
        "too-long",
        "leading-space",
        "trailing-space",
        "common",
        "keyboard-row",
        "keyboard-rows",
        "repeated",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password(password)
    assert set(caught.value.problems) == {"password"}
    assert caught.value.problems["password"]


@pytest.mark.parametrize(
    ("password", "personal"),
    [
        ("Quillfeather2024", ("Thaddeus Quillfeather", "tq")),
        ("zorbaxlyn2024!", ("Thaddeus Quillfeather", "zorbaxlyn")),
    ],
    ids=["own-name", "own-user-name"],
)
def test_a_password_built_on_the_persons_own_words_is_refused(
    password: str, personal: tuple[str, str]
) -> None:
    check_password(password)  # strong for anyone else: it is the person's words that weaken it
    with pytest.raises(InvalidInput) as caught:
        check_password(password, personal=personal)
    assert set(caught.value.problems) == {"password"}


@pytest.mark.parametrize(
    ("profile", "username", "password"),
    [
        (
            ClinicianDraft("Thaddeus Quillfeather", ClinicianRole.FELLOW, "2345678", "City"),
            "tq",
            "Quillfeather2024",
        ),
        (SECRETARY_PROFILE, "zorbaxlyn", "zorbaxlyn2024!"),
    ],
    ids=["own-name", "own-user-name"],
)
def test_a_new_account_may_not_use_its_own_words(
    services: Services,
    clinician: Clinician,
    profile: ClinicianDraft,
    username: str,
    password: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_account(
            profile, username, {Role.SECRETARY}, password, clinician.id
        )
    assert set(caught.value.problems) == {"password"}


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "correct horse battery staple"])
def test_a_long_passphrase_passes(password: str) -> None:
    check_password(password, personal=("Anna Rahman", "anna"))


def test_production_hashing_is_argon2_cffis_rfc_9106_low_memory_profile() -> None:
    profile = argon2.profiles.RFC_9106_LOW_MEMORY
    defaults = HashParameters()
    assert (defaults.time_cost, defaults.memory_cost_kib, defaults.parallelism) == (
        profile.time_cost,
        profile.memory_cost,
        profile.parallelism,
    )
    hasher = defaults.hasher()
    assert (hasher.type, hasher.hash_len, hasher.salt_len) == (
        profile.type,
        profile.hash_len,
        profile.salt_len,
    )
    # What open_services uses when it is given no parameters.
    stored = Passwords().hash(PASSWORD)
    assert stored.startswith(
        f"$argon2id$v={profile.version}$m={profile.memory_cost},"
        f"t={profile.time_cost},p={profile.parallelism}$"
    )


# -- administration --------------------------------------------------------------


def test_an_administrator_gives_a_new_person_an_account(
    services: Services, clinician: Clinician
) -> None:
    mark = _last_id(services)
    view = services.accounts.create_account(
        SECRETARY_PROFILE, " Sam.Patel ", {Role.SECRETARY}, PASSWORD, clinician.id
    )
    assert view.account.username == "sam.patel"
    assert view.account.roles == {Role.SECRETARY}
    assert view.account.active
    assert (view.person.name, view.person.role) == ("Sam Patel", ClinicianRole.MEDICAL_SECRETARY)
    assert view in services.accounts.accounts()
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity_id) == (
        "account.create",
        clinician.id,
        str(view.person.id),
    )
    assert sign_in(services, "SAM.PATEL") == view.person


def test_a_profile_from_before_accounts_gets_an_account_once(
    services: Services, clinician: Clinician
) -> None:
    profile = services.clinicians.create(SECRETARY_PROFILE)
    assert services.accounts.people_without_account() == [profile]
    view = services.accounts.create_account(
        None, "sam", {Role.SECRETARY}, PASSWORD, clinician.id, person_id=profile.id
    )
    assert view.person == profile
    assert services.accounts.people_without_account() == []
    before = _counts(services)
    with pytest.raises(Conflict):
        services.accounts.create_account(
            None, "sam2", {Role.SECRETARY}, PASSWORD, clinician.id, person_id=profile.id
        )
    with pytest.raises(NotFound):
        services.accounts.create_account(
            None, "sam3", {Role.SECRETARY}, PASSWORD, clinician.id, person_id=profile.id + 100
        )
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_account(None, "sam4", {Role.SECRETARY}, PASSWORD, clinician.id)
    assert set(caught.value.problems) == {"profile"}
    assert _counts(services) == before


def test_a_taken_user_name_is_refused(services: Services, clinician: Clinician) -> None:
    before = _counts(services)
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_account(
            SECRETARY_PROFILE, " ANNA ", {Role.SECRETARY}, PASSWORD, clinician.id
        )
    assert set(caught.value.problems) == {"username"}
    assert _counts(services) == before


def test_only_a_clinical_job_title_may_hold_the_surgeon_role(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    before = _counts(services)
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create_account(
            OTHER_ADMIN_PROFILE, "cal", {Role.SURGEON}, PASSWORD, clinician.id
        )
    assert set(caught.value.problems) == {"roles"}
    with pytest.raises(InvalidInput) as caught:
        services.accounts.set_roles(sam.id, {Role.SECRETARY, Role.SURGEON}, clinician.id)
    assert set(caught.value.problems) == {"roles"}
    assert _counts(services) == before
    nurse = ClinicianDraft("Nia Obi", ClinicianRole.NURSE_PRACTITIONER, "", "City Hospital")
    made = services.accounts.create_account(nurse, "nia", {Role.SURGEON}, PASSWORD, clinician.id)
    assert made.account.roles == {Role.SURGEON}


def _surgeons_without_a_clinical_title(services: Services) -> list[str]:
    return [
        view.account.username
        for view in services.accounts.accounts()
        if Role.SURGEON in view.account.roles and not view.person.role.consults
    ]


def test_a_profile_edit_cannot_leave_the_surgeon_role_on_a_non_clinical_title(
    services: Services, clinician: Clinician
) -> None:
    zed = add_person(services, REGISTRAR_PROFILE, {Role.SURGEON}, "zed")
    secretary_title = ClinicianDraft("Zed Owusu", ClinicianRole.MEDICAL_SECRETARY, "", "City")
    # Either refusing the edit or dropping the role would keep the rule; both are accepted.
    with contextlib.suppress(InvalidInput):
        services.clinicians.update(zed.id, secretary_title, clinician.id)
    assert _surgeons_without_a_clinical_title(services) == []


def test_role_changes_are_audited_with_the_old_and_new_roles(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    mark = _last_id(services)
    account = services.accounts.set_roles(sam.id, {Role.AUDITOR, Role.SECRETARY}, clinician.id)
    assert account.roles == {Role.AUDITOR, Role.SECRETARY}
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity_id) == (
        "account.roles",
        clinician.id,
        str(sam.id),
    )
    assert (row.old_value, row.new_value) == (["secretary"], ["auditor", "secretary"])
    with pytest.raises(InvalidInput) as caught:
        services.accounts.set_roles(sam.id, set(), clinician.id)
    assert set(caught.value.problems) == {"roles"}
    assert _last_id(services) == row.id
    assert sign_in(services, "sam") == sam
    current = services.access.current
    assert current is not None
    assert current.account.roles == {Role.AUDITOR, Role.SECRETARY}


def test_disabling_and_enabling_are_audited_with_the_old_and_new_state(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    mark = _last_id(services)
    assert not services.accounts.set_active(sam.id, False, clinician.id).active
    assert services.accounts.set_active(sam.id, True, clinician.id).active
    off, on = _rows(services, mark)
    assert (off.action, off.clinician_id, off.entity_id) == (
        "account.active",
        clinician.id,
        str(sam.id),
    )
    assert (off.old_value, off.new_value) == (True, False)
    assert (on.action, on.old_value, on.new_value) == ("account.active", False, True)


def test_a_password_reset_replaces_the_password_and_is_audited(
    services: Services, clinician: Clinician, sam: Clinician, clock: Clock
) -> None:
    _seed_failures(services, sam.id, FREE_TRIES + 2, clock.now)
    with pytest.raises(InvalidInput) as caught:
        services.accounts.reset_password(sam.id, "password1234", clinician.id)
    assert set(caught.value.problems) == {"password"}
    mark = _last_id(services)
    services.accounts.reset_password(sam.id, NEW_PASSWORD, clinician.id)
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity_id) == (
        "account.password_reset",
        clinician.id,
        str(sam.id),
    )
    assert NEW_PASSWORD not in repr((row.detail, row.old_value, row.new_value))
    assert _failures(services, sam.id) == (0, None)  # the person is not kept waiting
    _refused(services.accounts, "sam", PASSWORD)
    assert services.accounts.sign_in("sam", NEW_PASSWORD).person == sam


def test_the_only_administrator_keeps_the_role_and_stays_active(
    services: Services, clinician: Clinician
) -> None:
    before, mark = _counts(services), _last_id(services)
    with pytest.raises(Forbidden):
        services.accounts.set_roles(clinician.id, {Role.SURGEON}, clinician.id)
    with pytest.raises(Forbidden):
        services.accounts.set_active(clinician.id, False, clinician.id)
    assert (_counts(services), _last_id(services)) == (before, mark)
    assert Role.ADMINISTRATOR in _account_row(services, clinician.id).roles


def test_a_disabled_administrator_does_not_count_as_another_one(
    services: Services, clinician: Clinician
) -> None:
    ben = add_person(services, ADMIN_PROFILE, {Role.ADMINISTRATOR}, "ben")
    cal = add_person(services, OTHER_ADMIN_PROFILE, {Role.ADMINISTRATOR}, "cal")
    services.accounts.set_active(ben.id, False, clinician.id)
    sign_in(services, "cal")
    services.accounts.set_roles(clinician.id, {Role.SURGEON}, cal.id)  # cal remains
    mark = _last_id(services)
    with pytest.raises(Forbidden):
        services.accounts.set_roles(cal.id, {Role.AUDITOR}, cal.id)
    assert _last_id(services) == mark
    services.accounts.set_active(ben.id, True, cal.id)
    assert services.accounts.set_roles(cal.id, {Role.AUDITOR}, cal.id).roles == {Role.AUDITOR}


def test_the_last_active_administrator_cannot_be_disabled_or_demoted_by_another(
    services: Services, clinician: Clinician
) -> None:
    ben = add_person(services, ADMIN_PROFILE, {Role.ADMINISTRATOR}, "ben")
    sign_in(services, "ben")
    # Ben gives up the role while another administrator remains; his session keeps the
    # roles he signed in with, so he can still try to remove the last one.
    services.accounts.set_roles(ben.id, {Role.AUDITOR}, ben.id)
    before, mark = _counts(services), _last_id(services)
    with pytest.raises(Forbidden):
        services.accounts.set_active(clinician.id, False, ben.id)
    with pytest.raises(Forbidden):
        services.accounts.set_roles(clinician.id, {Role.SURGEON}, ben.id)
    assert (_counts(services), _last_id(services)) == (before, mark)
    assert _account_row(services, clinician.id).active


def test_nobody_can_disable_their_own_account(services: Services, clinician: Clinician) -> None:
    ben = add_person(services, ADMIN_PROFILE, {Role.ADMINISTRATOR}, "ben")
    sign_in(services, "ben")
    mark = _last_id(services)
    with pytest.raises(Forbidden):
        services.accounts.set_active(ben.id, False, ben.id)  # not the last administrator
    assert _last_id(services) == mark
    assert _account_row(services, ben.id).active


@pytest.mark.parametrize("role", [Role.SURGEON, Role.SECRETARY, Role.AUDITOR])
def test_only_an_administrator_manages_accounts(
    services: Services, clinician: Clinician, sam: Clinician, role: Role
) -> None:
    profile = REGISTRAR_PROFILE if role is Role.SURGEON else ADMIN_PROFILE
    someone = add_person(services, profile, {role}, "someone")
    sign_in(services, "someone")
    before, mark = _counts(services), _last_id(services)
    accounts = services.accounts
    by = someone.id
    attempts: list[Any] = [
        lambda: accounts.accounts(),
        lambda: accounts.people_without_account(),
        lambda: accounts.create_account(OTHER_ADMIN_PROFILE, "cal", {Role.AUDITOR}, PASSWORD, by),
        lambda: accounts.set_roles(sam.id, {Role.AUDITOR}, by),
        lambda: accounts.set_roles(by, set(Role), by),
        lambda: accounts.set_active(sam.id, False, by),
        lambda: accounts.reset_password(sam.id, NEW_PASSWORD, by),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    assert (_counts(services), _last_id(services)) == (before, mark)


def test_changing_your_own_password_needs_the_old_one(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    sign_in(services, "sam")
    mark = _last_id(services)
    with pytest.raises(InvalidInput) as caught:
        services.accounts.change_own_password(WRONG, NEW_PASSWORD)
    assert set(caught.value.problems) == {"old_password"}
    with pytest.raises(InvalidInput) as caught:
        services.accounts.change_own_password(PASSWORD, "password1234")
    assert set(caught.value.problems) == {"password"}
    assert _last_id(services) == mark
    services.accounts.change_own_password(PASSWORD, NEW_PASSWORD)
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity_id) == (
        "account.password",
        sam.id,
        str(sam.id),
    )
    services.accounts.sign_out()
    _refused(services.accounts, "sam", PASSWORD)
    assert services.accounts.sign_in("sam", NEW_PASSWORD).person == sam


def test_changing_a_password_needs_someone_signed_in(
    services: Services, clinician: Clinician
) -> None:
    services.accounts.sign_out()
    with pytest.raises(Forbidden):
        services.accounts.change_own_password(PASSWORD, NEW_PASSWORD)


# -- locking, signing out, taking over ------------------------------------------


def test_signing_out_forgets_the_person_and_is_audited(
    services: Services, clinician: Clinician
) -> None:
    mark = _last_id(services)
    services.accounts.sign_out()
    assert services.access.current is None
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id, row.entity_id) == (
        "sign_out",
        clinician.id,
        str(clinician.id),
    )
    services.accounts.sign_out()  # nobody to sign out: nothing to record
    services.accounts.lock()
    assert _last_id(services) == row.id


def test_locking_keeps_the_session_and_is_audited(services: Services, clinician: Clinician) -> None:
    mark = _last_id(services)
    services.accounts.lock()
    current = services.access.current
    assert current is not None
    assert current.person_id == clinician.id
    (row,) = _rows(services, mark)
    assert (row.action, row.clinician_id) == ("session.lock", clinician.id)


def test_signing_in_over_a_locked_session_records_the_takeover(
    services: Services, clinician: Clinician, sam: Clinician
) -> None:
    services.accounts.lock()
    mark = _last_id(services)
    _refused(services.accounts, "sam", WRONG)
    current = services.access.current
    assert current is not None
    assert current.person_id == clinician.id  # a failed try takes nothing over
    sign_in(services, "sam")
    current = services.access.current
    assert current is not None
    assert current.person_id == sam.id
    taken, signed = (row for row in _rows(services, mark) if row.action != "sign_in.failed")
    assert (taken.action, taken.clinician_id, taken.entity_id) == (
        "session.taken_over",
        clinician.id,
        str(clinician.id),
    )
    assert taken.detail == {"username": "anna", "by": "sam"}
    assert (signed.action, signed.clinician_id) == ("sign_in", sam.id)


def test_the_same_person_signing_in_again_takes_nothing_over(
    services: Services, clinician: Clinician
) -> None:
    services.accounts.lock()
    mark = _last_id(services)
    sign_in(services, "anna")
    assert _actions(services, mark) == ["sign_in"]
