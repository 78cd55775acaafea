"""Who is signed in to this set of services, and the check every service call makes.

One ``AccessControl`` is shared by all the services of a bundle. Every public
service method starts with ``require`` (reads) or ``require_as`` (writes,
which also name the person acting: that must be the signed-in person). The
window hides what a role cannot do, but these checks are what enforce it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from consult_aid.domain.access import Account, Action, allowed_actions
from consult_aid.domain.errors import Forbidden, NotSignedIn
from consult_aid.domain.people import Clinician


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The person using the services now.

    Attributes:
        account: their account (user name and roles, as at sign-in).
        person: their staff profile.
        since: when they signed in (UTC).
    """

    account: Account
    person: Clinician
    since: datetime

    @property
    def person_id(self) -> int:
        """The staff profile id every write names as ``by``."""
        return self.person.id

    def may(self, action: Action) -> bool:
        """Whether this person's roles allow ``action``."""
        return action in allowed_actions(self.account.roles)


class AccessControl:
    """Holds the signed-in person and refuses what their roles do not allow."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: SignedIn | None = None

    @property
    def current(self) -> SignedIn | None:
        """The signed-in person, or None."""
        with self._lock:
            return self._current

    def require(self, action: Action) -> SignedIn:
        """The signed-in person, if their roles allow ``action``.

        Raises:
            NotSignedIn: nobody is signed in.
            Forbidden: their roles do not allow it.
        """
        current = self.current
        if current is None:
            raise NotSignedIn("Sign in first.")
        if not current.may(action):
            roles = ", ".join(sorted(role.label for role in current.account.roles)) or "no role"
            raise Forbidden(f"Your role ({roles}) does not allow you to {action.value}.")
        return current

    def require_any(self, *actions: Action) -> SignedIn:
        """As ``require``, for an operation that any one of ``actions`` allows."""
        current = self.current
        if current is not None and any(current.may(action) for action in actions):
            return current
        return self.require(actions[0])  # raises, naming the first action

    def require_as(self, action: Action, by: int) -> SignedIn:
        """As ``require``, and ``by`` (the person named as acting) must be the signed-in one."""
        current = self.require(action)
        if by != current.person_id:
            raise Forbidden("A change can only be made in the name of the person signed in.")
        return current

    def sign_in(self, signed_in: SignedIn) -> None:
        """Make ``signed_in`` the current person (AccountService calls this after a check)."""
        with self._lock:
            self._current = signed_in

    def sign_out(self) -> SignedIn | None:
        """Forget the current person; return who it was."""
        with self._lock:
            previous, self._current = self._current, None
            return previous
