"""Patients: adding, correcting, finding; every write names its clinician in the audit log.

The audit rows list which fields changed, never their values: the audit trail
is read by audit staff and must not become a second copy of patient details.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consult_aid.domain import nhs_number
from consult_aid.domain.access import Action
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.errors import Conflict, NotFound
from consult_aid.domain.people import Patient, PatientDraft
from consult_aid.services.access import AccessControl
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.database import Database
from consult_aid.storage.patients import PatientRepository


class PatientService:
    """Adds, corrects, fetches and searches patients."""

    def __init__(self, db: Database, access: AccessControl) -> None:
        self._db = db
        self._access = access

    def add(self, draft: PatientDraft, by: int) -> Patient:
        """Store a new patient; Conflict when another patient holds the NHS number."""
        self._access.require_as(Action.EDIT_PATIENTS, by)
        clean = draft.validated(date.today())
        now = utc_now()
        try:
            with self._db.write_session() as session, session.begin():
                require_clinician(session, by)
                _refuse_duplicate(session, clean.nhs_number, patient_id=None)
                patient = PatientRepository(session).add(clean, now, by)
                AuditLog(session).record(
                    at=now,
                    clinician_id=by,
                    action="patient.add",
                    entity="patient",
                    entity_id=patient.id,
                    detail={"fields": sorted(asdict(clean))},
                )
        except IntegrityError:
            # Another workstation added the same NHS number between the check and the insert.
            raise Conflict(_duplicate_message(self, clean.nhs_number)) from None
        return patient

    def update(self, patient_id: int, draft: PatientDraft, by: int) -> Patient:
        """Correct a patient's details; NotFound or Conflict as for ``add``."""
        self._access.require_as(Action.EDIT_PATIENTS, by)
        clean = draft.validated(date.today())
        now = utc_now()
        try:
            with self._db.write_session() as session, session.begin():
                repository = PatientRepository(session)
                before = _existing(session, repository, patient_id, by)
                _refuse_duplicate(session, clean.nhs_number, patient_id=patient_id)
                patient = repository.update(patient_id, clean, now, by)
                old, new = asdict(before), asdict(patient)
                AuditLog(session).record(
                    at=now,
                    clinician_id=by,
                    action="patient.update",
                    entity="patient",
                    entity_id=patient_id,
                    detail={"fields": sorted(name for name in new if old[name] != new[name])},
                )
        except IntegrityError:
            raise Conflict(_duplicate_message(self, clean.nhs_number)) from None
        return patient

    def set_leaflet_format(self, patient_id: int, fmt: LeafletFormat, by: int) -> Patient:
        """Remember the leaflet print size chosen for a patient; NotFound when there is none."""
        self._access.require_as(Action.PRINT_LEAFLETS, by)
        now = utc_now()
        with self._db.write_session() as session, session.begin():
            repository = PatientRepository(session)
            before = _existing(session, repository, patient_id, by)
            patient = repository.set_leaflet_format(patient_id, fmt, now, by)
            AuditLog(session).record(
                at=now,
                clinician_id=by,
                action="patient.leaflet_format",
                entity="patient",
                entity_id=patient_id,
                detail={"from": before.leaflet_format.value, "to": fmt.value},
            )
        return patient

    def get(self, patient_id: int) -> Patient:
        """The patient; NotFound when there is none with this id."""
        self._access.require(Action.VIEW_PATIENTS)
        with self._db.session() as session, session.begin():
            patient = PatientRepository(session).get(patient_id)
        if patient is None:
            raise NotFound(f"There is no patient with id {patient_id}.")
        return patient

    def find_by_nhs_number(self, nhs: str) -> Patient | None:
        """The patient with this NHS number (spaces allowed), or None."""
        self._access.require(Action.VIEW_PATIENTS)
        with self._db.session() as session, session.begin():
            return PatientRepository(session).by_nhs_number(nhs_number.normalise(nhs))

    def search(self, text: str, limit: int = 50) -> list[Patient]:
        """Patients matching name words (any case or accents), NHS number or hospital number.

        Empty text gives the patients added most recently.
        """
        self._access.require(Action.VIEW_PATIENTS)
        with self._db.session() as session, session.begin():
            return PatientRepository(session).search(text, limit)


def _refuse_duplicate(session: Session, digits: str, patient_id: int | None) -> None:
    holder = PatientRepository(session).by_nhs_number(digits)
    if holder is not None and holder.id != patient_id:
        raise Conflict(_held_by(holder))


def _held_by(holder: Patient) -> str:
    return (
        f"NHS number {holder.nhs_number_display} is already recorded for {holder.name} "
        f"(born {holder.date_of_birth:%d %b %Y}). Check the number, or open that patient."
    )


def _duplicate_message(service: PatientService, digits: str) -> str:
    holder = service.find_by_nhs_number(digits)
    if holder is None:
        return f"NHS number {nhs_number.display(digits)} is already recorded for another patient."
    return _held_by(holder)


def _existing(session: Session, repository: PatientRepository, patient_id: int, by: int) -> Patient:
    """The stored patient about to be changed by a known clinician; NotFound otherwise."""
    require_clinician(session, by)
    patient = repository.get(patient_id)
    if patient is None:
        raise NotFound(f"There is no patient with id {patient_id}.")
    return patient
