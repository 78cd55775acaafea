"""Errors the domain raises when input breaks one of its rules."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base for every rule the domain refuses to break."""


class InvalidInput(DomainError):
    """One or more fields hold a value the domain refuses.

    Attributes:
        problems: field name -> a sentence a user can act on.
    """

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems: dict[str, str] = dict(problems)
        super().__init__("; ".join(f"{field}: {text}" for field, text in self.problems.items()))


class NotFound(DomainError):
    """A record the caller named does not exist."""


class Conflict(DomainError):
    """A change would break a uniqueness rule (a duplicate NHS number, say)."""


class Finalised(DomainError):
    """The record is finalised: it is never changed in place, only amended by an addendum."""


class Forbidden(DomainError):
    """The signed-in person's roles do not allow this action (or it is not their record)."""


class NotSignedIn(Forbidden):
    """Nobody is signed in (or the session was locked and handed over)."""


class SignInRefused(DomainError):
    """A sign-in failed: wrong name or password, a disabled account, or too many tries.

    Attributes:
        retry_after: seconds to wait before the next try is even checked (0: none).
    """

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        self.retry_after = retry_after
        super().__init__(message)
