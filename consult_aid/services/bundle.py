"""Every service over one open database: what the window and the command line are given."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from consult_aid.services.access import AccessControl
from consult_aid.services.accounts import AccountService
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.clinic_lists import ClinicListService
from consult_aid.services.clinicians import ClinicianService
from consult_aid.services.consultations import ConsultationService
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.documents import DocumentService
from consult_aid.services.password_rules import HashParameters, Passwords
from consult_aid.services.patients import PatientService
from consult_aid.services.reporting.service import ReportingService
from consult_aid.storage.database import Database


@dataclass(frozen=True)
class Services:
    """The services sharing one database.

    Attributes:
        patients: adding, correcting and finding patients.
        clinicians: clinician profiles.
        library: the content packs, bundled and stored.
        consultations: consultations and every edit to them.
        documents: leaflets and records as PDFs, and every print and save of them.
        clinic_lists: clinic-list CSVs, previewed and imported.
        db: the open database (closed by ``close``).
        audit: export events and the check of the whole audit trail.
        access: who is signed in; every service above checks it on every call.
        accounts: the first administrator, signing in and out, user accounts.
        reporting: the records browser, coverage reports and exports (audit staff).
    """

    patients: PatientService
    clinicians: ClinicianService
    library: ContentLibrary
    consultations: ConsultationService
    documents: DocumentService
    clinic_lists: ClinicListService
    db: Database
    audit: AuditTrail
    access: AccessControl
    accounts: AccountService
    reporting: ReportingService

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def open_services(
    url: str,
    procedures_dir: Path,
    audit_key: bytes | None = None,
    password_hashing: HashParameters | None = None,
) -> Services:
    """Open (and migrate) the database at ``url`` and build the services on it.

    ``audit_key`` signs the audit trail; None takes it from the environment or
    the key file in the data folder (created on first use). ``password_hashing``
    sets the argon2id costs (None: the library's recommended ones). Nobody is
    signed in: every service refuses until ``accounts`` signs someone in.

    Raises:
        DatabaseError: the database cannot be opened or brought up to date.
        AuditKeyError: the audit key is unusable.
    """
    if audit_key is None:
        from consult_aid import paths
        from consult_aid.services.audit_key import load_audit_key

        audit_key = load_audit_key(os.environ, paths.audit_key_file())
    db = Database.open(url, audit_key)
    access = AccessControl()
    library = ContentLibrary(db, procedures_dir)
    patients = PatientService(db, access)
    clinicians = ClinicianService(db, access)
    consultations = ConsultationService(db, library, access)
    audit = AuditTrail(db, audit_key, library, access)
    return Services(
        patients=patients,
        clinicians=clinicians,
        library=library,
        consultations=consultations,
        documents=DocumentService(db, library, consultations, patients, clinicians, access),
        clinic_lists=ClinicListService(db, access),
        db=db,
        audit=audit,
        access=access,
        accounts=AccountService(db, access, Passwords(password_hashing)),
        reporting=ReportingService(db, library, access, audit),
    )
