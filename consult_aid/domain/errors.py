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
