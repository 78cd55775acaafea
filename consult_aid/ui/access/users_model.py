"""The administrator's table of user accounts: user name, name, job title, roles, status."""

from __future__ import annotations

from collections.abc import Iterable

from consult_aid.domain.access import Role
from consult_aid.services.views import AccountView
from consult_aid.ui.models.list_table import ListTableModel

ACTIVE = "Active"
DISABLED = "Disabled"


def role_labels(roles: Iterable[Role]) -> str:
    """The roles as a person reads them, in the order the roles are listed everywhere else."""
    held = frozenset(roles)
    # Role order (not alphabetical) so that the column reads the same as the check boxes.
    return ", ".join(role.label for role in Role if role in held)


class UsersModel(ListTableModel):
    """Adapts a list of accounts for a QTableView (UserRole: the person's id).

    Attributes:
        items: the AccountViews, in the order the service returned them.
    """

    HEADERS = ("User name", "Name", "Job title", "Roles", "Status")

    def view_at(self, row: int) -> AccountView | None:
        """The account on a row, or None outside the table."""
        view: AccountView | None = self.item_at(row)
        return view

    def row_of(self, person_id: int) -> int:
        """The row showing a person's account, or -1."""
        return next(
            (i for i, view in enumerate(self.items) if view.account.person_id == person_id), -1
        )

    def cells(self, item: AccountView) -> tuple[object, ...]:
        """User name, name, job title, roles (labels joined), Active or Disabled."""
        return (
            item.account.username,
            item.person.name,
            item.person.role.value,
            role_labels(item.account.roles),
            ACTIVE if item.account.active else DISABLED,
        )

    def key(self, item: AccountView) -> object:
        """The person's id (the account's key in every service call)."""
        return item.account.person_id
