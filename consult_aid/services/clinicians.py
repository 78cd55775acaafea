"""Clinician profiles: the first-run profile and later edits, each recorded in the audit log."""

from __future__ import annotations

from dataclasses import asdict

from consult_aid.domain.access import Action, Role
from consult_aid.domain.errors import InvalidInput, NotFound
from consult_aid.domain.people import Clinician, ClinicianDraft
from consult_aid.services.access import AccessControl
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.storage.accounts import AccountRepository
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.clinicians import ClinicianRepository
from consult_aid.storage.database import Database


class ClinicianService:
    """Creates, edits and lists clinician profiles."""

    def __init__(self, db: Database, access: AccessControl) -> None:
        self._db = db
        self._access = access

    def create(self, draft: ClinicianDraft) -> Clinician:
        """Add a staff profile (administrators; accounts are made by AccountService)."""
        by = self._access.require(Action.MANAGE_PROFILES).person_id
        clean = draft.validated()
        now = utc_now()
        with self._db.write_session() as session, session.begin():
            clinician = ClinicianRepository(session).add(clean, now)
            AuditLog(session).record(
                at=now,
                clinician_id=by,
                action="clinician.create",
                entity="clinician",
                entity_id=clinician.id,
                detail={"fields": sorted(asdict(clean))},
            )
        return clinician

    def update(self, clinician_id: int, draft: ClinicianDraft, by: int) -> Clinician:
        """Change a profile; ``by`` is the person making the change.

        Administrators change any profile; everyone may correct their own.
        """
        if clinician_id == by:
            self._access.require_as(Action.VIEW_STAFF, by)
        else:
            self._access.require_as(Action.MANAGE_PROFILES, by)
        clean = draft.validated()
        now = utc_now()
        with self._db.write_session() as session, session.begin():
            require_clinician(session, by)
            repository = ClinicianRepository(session)
            before = repository.get(clinician_id)
            if before is None:
                raise NotFound(f"There is no clinician profile with id {clinician_id}.")
            account = AccountRepository(session).get(clinician_id)
            if account is not None and Role.SURGEON in account.roles and not clean.role.consults:
                raise InvalidInput(
                    {"role": "This person holds the surgeon role: keep a clinical job title, "
                     "or have an administrator take the role away first."}
                )  # fmt: skip
            clinician = repository.update(clinician_id, clean, now)
            assert clinician is not None  # it was there a moment ago, in this transaction
            AuditLog(session).record(
                at=now,
                clinician_id=by,
                action="clinician.update",
                entity="clinician",
                entity_id=clinician_id,
                detail={"fields": _changed_fields(before, clinician)},
            )
        return clinician

    def get(self, clinician_id: int) -> Clinician:
        """The profile; NotFound when there is none with this id."""
        self._access.require(Action.VIEW_STAFF)
        with self._db.session() as session, session.begin():
            clinician = ClinicianRepository(session).get(clinician_id)
        if clinician is None:
            raise NotFound(f"There is no clinician profile with id {clinician_id}.")
        return clinician

    def all(self) -> list[Clinician]:
        """Every profile, in the order they were created."""
        self._access.require(Action.VIEW_STAFF)
        with self._db.session() as session, session.begin():
            return ClinicianRepository(session).all()


def _changed_fields(before: Clinician, after: Clinician) -> list[str]:
    old, new = asdict(before), asdict(after)
    return sorted(name for name in new if old[name] != new[name])
