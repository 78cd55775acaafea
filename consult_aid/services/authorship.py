"""Who makes a change and when: every write names an existing clinician and a UTC time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from consult_aid.domain.errors import NotFound
from consult_aid.domain.people import Clinician
from consult_aid.storage.clinicians import ClinicianRepository


def utc_now() -> datetime:
    """The time a change is recorded with: aware UTC, never local time."""
    return datetime.now(UTC)


def require_clinician(session: Session, clinician_id: int) -> Clinician:
    """The clinician making a change; NotFound when there is no such profile."""
    clinician = ClinicianRepository(session).get(clinician_id)
    if clinician is None:
        raise NotFound(f"There is no clinician profile with id {clinician_id}.")
    return clinician
