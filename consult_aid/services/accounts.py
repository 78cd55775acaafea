"""Accounts: the first administrator, signing in and out, and managing who may do what.

Every sign-in, failed attempt, refusal for too many tries, sign-out and
account change is an audit event. After ``FREE_TRIES`` wrong passwords in a
row an account waits before the next password is even checked, doubling each
time up to ``MAX_WAIT`` seconds; the count is stored, so a restart does not
reset it, and a success clears it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from consult_aid.domain.access import Account, Action, Role
from consult_aid.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    NotSignedIn,
    SignInRefused,
)
from consult_aid.domain.people import Clinician, ClinicianDraft
from consult_aid.services.access import AccessControl, SignedIn
from consult_aid.services.authorship import utc_now
from consult_aid.services.password_rules import Passwords, check_password
from consult_aid.services.views import AccountView
from consult_aid.storage.accounts import AccountRepository
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.clinicians import ClinicianRepository
from consult_aid.storage.database import Database

FREE_TRIES = 3
MAX_WAIT = 300.0
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_REFUSED = "The user name or password is not right."


def wait_after(failures: int) -> float:
    """Seconds an account waits after ``failures`` wrong passwords in a row."""
    if failures < FREE_TRIES:
        return 0.0
    # The exponent is capped first: 2.0 ** 1024 overflows, long after the wait has.
    return min(2.0 ** min(failures - FREE_TRIES + 1, 16), MAX_WAIT)


def clean_username(text: str) -> str:
    """The stored form of a user name (trimmed, lower case)."""
    return text.strip().lower()


class AccountService:
    """Signs people in and out and lets an administrator manage accounts."""

    def __init__(
        self,
        db: Database,
        access: AccessControl,
        passwords: Passwords,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._access = access
        self._passwords = passwords
        self._clock = clock

    # -- first run ---------------------------------------------------------------

    def needs_first_administrator(self) -> bool:
        """Whether no account exists yet (a new database, or one from before accounts)."""
        with self._db.session() as session, session.begin():
            return AccountRepository(session).count() == 0

    def create_first_administrator(
        self,
        profile: ClinicianDraft,
        username: str,
        password: str,
        roles: Iterable[Role] = (Role.ADMINISTRATOR,),
    ) -> SignedIn:
        """Make the first account (it must hold the administrator role) and sign it in.

        Raises:
            Conflict: an account exists already.
            InvalidInput: a field breaks a rule (named per field).
        """
        wanted = frozenset(roles) | {Role.ADMINISTRATOR}
        clean, name = self._checked_new(profile, username, password, wanted)
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            accounts = AccountRepository(session)
            if accounts.count():
                raise Conflict("The first administrator has already been set up: sign in.")
            person = ClinicianRepository(session).add(clean, now)
            account = accounts.add(person.id, name, wanted, self._passwords.hash(password), now)
            _audit(session, now, person.id, "account.first_administrator", account)
            _audit(session, now, person.id, "sign_in", account)
        signed_in = SignedIn(account, person, now)
        self._access.sign_in(signed_in)
        return signed_in

    # -- signing in and out ----------------------------------------------------

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Check the password and make this person the signed-in one.

        If someone else was signed in (a locked session taken over), their
        session ends here and the event says so.

        Raises:
            SignInRefused: wrong name or password, a disabled account, or a wait
                still running after too many wrong passwords (``retry_after``).
        """
        name = clean_username(username)[:64]
        now = self._clock()
        # A refusal is committed (its count and its audit event) before it is raised:
        # raising inside the transaction would roll both back.
        refusal: SignInRefused | None = None
        with self._db.write_session() as session, session.begin():
            refusal, account, stored = self._check(session, name, password, now)
            if refusal is None:
                assert account is not None
                assert stored is not None
                person = self._admit(session, account, stored, password, now)
        if refusal is not None:
            raise refusal
        assert account is not None
        signed_in = SignedIn(account, person, now)
        self._access.sign_in(signed_in)
        return signed_in

    def _check(
        self, session: Session, name: str, password: str, now: datetime
    ) -> tuple[SignInRefused | None, Account | None, str | None]:
        """Refusal (recorded in ``session``), or the account and its stored hash."""
        accounts = AccountRepository(session)
        account = accounts.by_username(name)
        if account is None:
            self._passwords.spend_decoy(password)
            AuditLog(session).record(
                at=now,
                clinician_id=None,
                action="sign_in.failed",
                entity="account",
                entity_id="",
                detail={"username": name, "why": "unknown user name"},
            )
            return SignInRefused(_REFUSED), None, None
        failures, last = accounts.failures(account.person_id)
        wait = wait_after(failures)
        if wait and last is not None and (now - last).total_seconds() < wait:
            remaining = wait - (now - last).total_seconds()
            _audit(session, now, None, "sign_in.throttled", account, {"failures": failures})
            message = f"Too many wrong passwords: try again in {remaining:.0f} seconds."
            return SignInRefused(message, retry_after=remaining), account, None
        stored = accounts.password_hash(account.person_id)
        if not self._passwords.matches(stored, password):
            count = accounts.record_failure(account.person_id, now)
            _audit(session, now, None, "sign_in.failed", account, {"failures": count})
            return SignInRefused(_REFUSED, retry_after=wait_after(count)), account, None
        if not account.active:
            _audit(session, now, None, "sign_in.disabled", account)
            message = "This account has been disabled: ask an administrator."
            return SignInRefused(message), account, None
        return None, account, stored

    def _admit(
        self, session: Session, account: Account, stored: str, password: str, now: datetime
    ) -> Clinician:
        """Record a successful sign-in (rehashing if needed); the person signed in."""
        accounts = AccountRepository(session)
        accounts.clear_failures(account.person_id)
        if self._passwords.needs_rehash(stored):
            accounts.set_password_hash(account.person_id, self._passwords.hash(password), now)
            _audit(session, now, account.person_id, "account.rehash", account)
        person = ClinicianRepository(session).get(account.person_id)
        assert person is not None  # accounts.person_id is a foreign key
        previous = self._access.current
        if previous is not None and previous.person_id != account.person_id:
            _audit(
                session,
                now,
                previous.person_id,
                "session.taken_over",
                previous.account,
                {"by": account.username},
            )
        _audit(session, now, account.person_id, "sign_in", account)
        return person

    def lock(self) -> None:
        """Record that the window locked (the session stays until someone signs in)."""
        current = self._access.current
        if current is None:
            return
        with self._db.write_session() as session, session.begin():
            _audit(session, self._clock(), current.person_id, "session.lock", current.account)

    def sign_out(self) -> None:
        """End the current session (nothing to do when nobody is signed in)."""
        current = self._access.current
        if current is None:
            return
        with self._db.write_session() as session, session.begin():
            _audit(session, self._clock(), current.person_id, "sign_out", current.account)
        self._access.sign_out()

    def change_own_password(self, old: str, new: str) -> None:
        """The signed-in person changes their password (the old one is checked)."""
        current = self._access.current
        if current is None:
            raise NotSignedIn("Sign in first.")
        check_password(new, personal=(current.person.name, current.account.username))
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            accounts = AccountRepository(session)
            if not self._passwords.matches(accounts.password_hash(current.person_id), old):
                raise InvalidInput({"old_password": "That is not your current password."})
            accounts.set_password_hash(current.person_id, self._passwords.hash(new), now)
            _audit(session, now, current.person_id, "account.password", current.account)

    # -- administration -----------------------------------------------------

    def accounts(self) -> list[AccountView]:
        """Every account with its person (administrators only)."""
        self._access.require(Action.MANAGE_USERS)
        with self._db.session() as session, session.begin():
            people = {person.id: person for person in ClinicianRepository(session).all()}
            return [
                AccountView(account, people[account.person_id])
                for account in AccountRepository(session).all()
            ]

    def people_without_account(self) -> list[Clinician]:
        """Staff profiles no account signs in as (from before accounts existed)."""
        self._access.require(Action.MANAGE_USERS)
        with self._db.session() as session, session.begin():
            held = {account.person_id for account in AccountRepository(session).all()}
            return [p for p in ClinicianRepository(session).all() if p.id not in held]

    def create_account(
        self,
        profile: ClinicianDraft | None,
        username: str,
        roles: Iterable[Role],
        password: str,
        by: int,
        person_id: int | None = None,
    ) -> AccountView:
        """Give a new person (``profile``) or an existing profile (``person_id``) an account."""
        self._access.require_as(Action.MANAGE_USERS, by)
        wanted = frozenset(roles)
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            people = ClinicianRepository(session)
            accounts = AccountRepository(session)
            existing: Clinician | None = None
            if person_id is not None:
                existing = people.get(person_id)
                if existing is None:
                    raise NotFound(f"There is no staff profile with id {person_id}.")
                if accounts.get(person_id) is not None:
                    raise Conflict(f"{existing.name} has an account already.")
                draft = ClinicianDraft(
                    existing.name, existing.role, existing.gmc_number, existing.hospital
                )
            elif profile is None:
                raise InvalidInput({"profile": "Give the person's details."})
            else:
                draft = profile
            clean, name = self._checked_new(draft, username, password, wanted)
            if accounts.by_username(name) is not None:
                raise InvalidInput({"username": f"The user name {name!r} is taken."})
            person = existing if existing is not None else people.add(clean, now)
            account = accounts.add(person.id, name, wanted, self._passwords.hash(password), now)
            _audit(session, now, by, "account.create", account)
        return AccountView(account, person)

    def set_roles(self, person_id: int, roles: Iterable[Role], by: int) -> Account:
        """Replace a person's roles; the last active administrator keeps theirs."""
        self._access.require_as(Action.MANAGE_USERS, by)
        wanted = frozenset(roles)
        if not wanted:
            raise InvalidInput({"roles": "Give at least one role (or disable the account)."})
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            accounts = AccountRepository(session)
            before = _existing(accounts, person_id)
            person = ClinicianRepository(session).get(person_id)
            assert person is not None
            _check_surgeon(person.role.consults, wanted)
            if Role.ADMINISTRATOR in before.roles and Role.ADMINISTRATOR not in wanted:
                _keep_an_administrator(accounts, person_id)
            accounts.set_roles(person_id, wanted)
            after = _existing(accounts, person_id)
            _audit(
                session,
                now,
                by,
                "account.roles",
                after,
                old=sorted(before.roles),
                new=sorted(after.roles),
            )
        return after

    def set_active(self, person_id: int, active: bool, by: int) -> Account:
        """Enable or disable an account (never your own, never the last administrator)."""
        self._access.require_as(Action.MANAGE_USERS, by)
        if person_id == by and not active:
            raise Forbidden("You cannot disable your own account.")
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            accounts = AccountRepository(session)
            before = _existing(accounts, person_id)
            if not active and Role.ADMINISTRATOR in before.roles:
                _keep_an_administrator(accounts, person_id)
            accounts.set_active(person_id, active)
            if active:
                accounts.clear_failures(person_id)
            after = _existing(accounts, person_id)
            _audit(session, now, by, "account.active", after, old=before.active, new=after.active)
        return after

    def reset_password(self, person_id: int, password: str, by: int) -> None:
        """Set a new password for someone who has forgotten theirs (administrators only)."""
        self._access.require_as(Action.MANAGE_USERS, by)
        now = self._clock()
        with self._db.write_session() as session, session.begin():
            accounts = AccountRepository(session)
            account = _existing(accounts, person_id)
            person = ClinicianRepository(session).get(person_id)
            assert person is not None
            check_password(password, personal=(person.name, account.username))
            accounts.set_password_hash(person_id, self._passwords.hash(password), now)
            accounts.clear_failures(person_id)
            _audit(session, now, by, "account.password_reset", account)

    def _checked_new(
        self, profile: ClinicianDraft, username: str, password: str, roles: frozenset[Role]
    ) -> tuple[ClinicianDraft, str]:
        """The cleaned profile and user name, or InvalidInput naming every bad field."""
        problems: dict[str, str] = {}
        clean: ClinicianDraft | None = None
        try:
            clean = profile.validated()
        except InvalidInput as error:
            problems.update(error.problems)
        name = clean_username(username)
        if not _USERNAME.match(name):
            problems["username"] = (
                "A user name is 2 to 64 letters a-z, digits, '.', '_' or '-', "
                "starting with a letter or digit."
            )
        if not roles:
            problems["roles"] = "Give at least one role."
        elif Role.SURGEON in roles and not profile.role.consults:
            problems["roles"] = f"A {profile.role.value} cannot hold the surgeon role."
        try:
            check_password(password, personal=(profile.name, name))
        except InvalidInput as error:
            problems.update(error.problems)
        if problems or clean is None:
            raise InvalidInput(problems)
        return clean, name


def _existing(accounts: AccountRepository, person_id: int) -> Account:
    account = accounts.get(person_id)
    if account is None:
        raise NotFound(f"There is no account for staff profile {person_id}.")
    return account


def _check_surgeon(consults: bool, roles: frozenset[Role]) -> None:
    if Role.SURGEON in roles and not consults:
        raise InvalidInput({"roles": "Only a clinical job title can hold the surgeon role."})


def _keep_an_administrator(accounts: AccountRepository, leaving: int) -> None:
    others = [
        a
        for a in accounts.all()
        if a.person_id != leaving and a.active and Role.ADMINISTRATOR in a.roles
    ]
    if not others:
        raise Forbidden("This is the last active administrator: make another one first.")


def _audit(
    session: Session,
    at: datetime,
    by: int | None,
    action: str,
    account: Account,
    detail: dict[str, object] | None = None,
    *,
    old: object = None,
    new: object = None,
) -> None:
    AuditLog(session).record(
        at=at,
        clinician_id=by,
        action=action,
        entity="account",
        entity_id=account.person_id,
        detail={"username": account.username, **(detail or {})},
        old_value=old,
        new_value=new,
    )
