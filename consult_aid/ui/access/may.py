"""What the signed-in person's roles allow, for the window to show only what they can use.

The services refuse anything outside a role whatever the window shows; these
checks only keep the window from offering it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consult_aid.domain.access import Action

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.views import ConsultationView


def may(services: Services | None, action: Action) -> bool:
    """Whether the person signed in to ``services`` may do ``action`` (False when nobody is)."""
    if services is None:
        return False
    current = services.access.current
    return current is not None and current.may(action)


def may_on_own(services: Services | None, action: Action, view: ConsultationView | None) -> bool:
    """``may``, for an action allowed only on the person's own consultations."""
    if services is None or view is None or not may(services, action):
        return False
    current = services.access.current
    return current is not None and current.person_id == view.header.clinician_id
