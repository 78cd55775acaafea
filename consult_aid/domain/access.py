"""Who may do what: the roles a person can hold and the actions each role allows.

This table is the whole access policy. The services check it on every call
(``AccessControl.require``); the window only uses it to hide what a role can't
do, so hiding a button is never the only guard. A person may hold several
roles; what they may do is the union of those roles' actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A job on the clinic workstation."""

    SURGEON = "surgeon"
    SECRETARY = "secretary"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The role as a person reads it."""
        return _LABELS[self]


_LABELS = {
    Role.SURGEON: "Surgeon",
    Role.SECRETARY: "Secretary",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
}


class Action(StrEnum):
    """Everything the services can be asked to do, at the grain the roles differ."""

    VIEW_PATIENTS = "view patients"
    EDIT_PATIENTS = "add and correct patients"
    IMPORT_CLINIC_LIST = "import clinic lists"
    VIEW_CONSULTATIONS = "read consultations"
    CONSULT = "hold consultations"
    FINALISE = "finalise records"
    AMEND = "amend finalised records"
    PRINT_LEAFLETS = "print and save leaflets"
    PRINT_RECORDS = "print and save records of discussion"
    VIEW_RECORDS = "browse records and view the audit trail"
    REPORTS = "coverage reports"
    EXPORT = "export records and reports"
    VERIFY = "verify the audit trail"
    VIEW_STAFF = "see staff profiles"
    MANAGE_PROFILES = "edit staff profiles"
    MANAGE_USERS = "manage user accounts"


ALLOWED: Mapping[Role, frozenset[Action]] = {
    # Consult, finalise and amend their own records; read and print what they need in clinic.
    Role.SURGEON: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.EDIT_PATIENTS,
            Action.VIEW_CONSULTATIONS,
            Action.CONSULT,
            Action.FINALISE,
            Action.AMEND,
            Action.PRINT_LEAFLETS,
            Action.PRINT_RECORDS,
            Action.VIEW_STAFF,
        }
    ),
    # Patients and clinic lists, print and reprint; never a clinical change.
    Role.SECRETARY: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.EDIT_PATIENTS,
            Action.IMPORT_CLINIC_LIST,
            Action.VIEW_CONSULTATIONS,
            Action.PRINT_LEAFLETS,
            Action.PRINT_RECORDS,
            Action.VIEW_STAFF,
        }
    ),
    # Read-only records, the audit trail, reports and exports.
    Role.AUDITOR: frozenset(
        {
            Action.VIEW_CONSULTATIONS,
            Action.VIEW_RECORDS,
            Action.REPORTS,
            Action.EXPORT,
            Action.VERIFY,
            Action.VIEW_STAFF,
        }
    ),
    # Users and settings, no clinical content. Checking the chain reads no clinical text.
    Role.ADMINISTRATOR: frozenset(
        {Action.MANAGE_USERS, Action.MANAGE_PROFILES, Action.VIEW_STAFF, Action.VERIFY}
    ),
}

# Actions that touch one consultation and are allowed only on the person's own records.
OWN_RECORDS_ONLY = frozenset({Action.CONSULT, Action.FINALISE, Action.AMEND})


def allowed_actions(roles: Iterable[Role]) -> frozenset[Action]:
    """Everything a person holding ``roles`` may do."""
    actions: set[Action] = set()
    for role in roles:
        actions |= ALLOWED[role]
    return frozenset(actions)


def parse_roles(text: str) -> frozenset[Role]:
    """Roles from their stored form ("auditor,surgeon"); unknown names are an error."""
    return frozenset(Role(part) for part in text.split(",") if part)


def format_roles(roles: Iterable[Role]) -> str:
    """The stored form of a set of roles: sorted, comma-separated."""
    return ",".join(sorted(role.value for role in roles))


@dataclass(frozen=True, slots=True)
class Account:
    """A person's sign-in account (never holds the password hash).

    Attributes:
        person_id: the staff profile this account signs in as (one account, one person).
        username: the name typed at sign-in, stored in lower case.
        roles: the jobs this person does here.
        active: False once an administrator has disabled the account.
    """

    person_id: int
    username: str
    roles: frozenset[Role]
    active: bool = True

    def may(self, action: Action) -> bool:
        """Whether this account's roles allow ``action``."""
        return action in allowed_actions(self.roles)
