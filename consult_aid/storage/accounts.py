"""Sign-in accounts in the store: read and written inside the caller's session.

The password hash leaves this module only through ``password_hash``, for the
service that checks a password; every other reader gets a domain ``Account``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult_aid.domain.access import Account, Role, format_roles, parse_roles
from consult_aid.storage.models import AccountRow


class AccountRepository:
    """Reads and writes account rows inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self) -> int:
        """How many accounts exist (none before the first administrator is made)."""
        return int(self._session.scalar(select(func.count()).select_from(AccountRow)) or 0)

    def add(
        self, person_id: int, username: str, roles: Iterable[Role], password_hash: str, at: datetime
    ) -> Account:
        """Store a new active account."""
        row = AccountRow(
            person_id=person_id,
            username=username,
            roles=format_roles(roles),
            password_hash=password_hash,
            active=True,
            failed_attempts=0,
            last_failed_at=None,
            created_at=at,
            password_changed_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return _account(row)

    def get(self, person_id: int) -> Account | None:
        """The account of this person, or None."""
        row = self._session.get(AccountRow, person_id)
        return None if row is None else _account(row)

    def by_username(self, username: str) -> Account | None:
        """The account with this (lower-case) user name, or None."""
        row = self._row_by_username(username)
        return None if row is None else _account(row)

    def all(self) -> list[Account]:
        """Every account, by user name."""
        rows = self._session.scalars(select(AccountRow).order_by(AccountRow.username))
        return [_account(row) for row in rows]

    def password_hash(self, person_id: int) -> str:
        """The stored argon2id hash (for checking a password only)."""
        return self._row(person_id).password_hash

    def failures(self, person_id: int) -> tuple[int, datetime | None]:
        """Failed attempts since the last success, and when the last one was."""
        row = self._row(person_id)
        return row.failed_attempts, row.last_failed_at

    def record_failure(self, person_id: int, at: datetime) -> int:
        """Count one more failed attempt; return the new count."""
        row = self._row(person_id)
        row.failed_attempts += 1
        row.last_failed_at = at
        self._session.flush()
        return row.failed_attempts

    def clear_failures(self, person_id: int) -> None:
        """Forget failed attempts after a success."""
        row = self._row(person_id)
        row.failed_attempts = 0
        row.last_failed_at = None
        self._session.flush()

    def set_password_hash(self, person_id: int, password_hash: str, at: datetime) -> None:
        """Store a new hash (a new password, or the same one rehashed with new parameters)."""
        row = self._row(person_id)
        row.password_hash = password_hash
        row.password_changed_at = at
        self._session.flush()

    def set_roles(self, person_id: int, roles: Iterable[Role]) -> None:
        """Replace the account's roles."""
        self._row(person_id).roles = format_roles(roles)
        self._session.flush()

    def set_active(self, person_id: int, active: bool) -> None:
        """Enable or disable the account."""
        self._row(person_id).active = active
        self._session.flush()

    def _row(self, person_id: int) -> AccountRow:
        row = self._session.get(AccountRow, person_id)
        if row is None:
            raise LookupError(f"no account for person {person_id}")
        return row

    def _row_by_username(self, username: str) -> AccountRow | None:
        return self._session.scalars(
            select(AccountRow).where(AccountRow.username == username)
        ).one_or_none()


def _account(row: AccountRow) -> Account:
    return Account(
        person_id=row.person_id,
        username=row.username,
        roles=parse_roles(row.roles),
        active=row.active,
    )
