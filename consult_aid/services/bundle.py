"""Every service over one open database: what the window and the command line are given."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from consult_aid.services.clinic_lists import ClinicListService
from consult_aid.services.clinicians import ClinicianService
from consult_aid.services.consultations import ConsultationService
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.documents import DocumentService
from consult_aid.services.patients import PatientService
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
    """

    patients: PatientService
    clinicians: ClinicianService
    library: ContentLibrary
    consultations: ConsultationService
    documents: DocumentService
    clinic_lists: ClinicListService
    db: Database

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def open_services(url: str, procedures_dir: Path) -> Services:
    """Open (and migrate) the database at ``url`` and build the services on it.

    Raises:
        DatabaseError: the database cannot be opened or brought up to date.
    """
    db = Database.open(url)
    library = ContentLibrary(db, procedures_dir)
    patients = PatientService(db)
    clinicians = ClinicianService(db)
    consultations = ConsultationService(db, library)
    return Services(
        patients=patients,
        clinicians=clinicians,
        library=library,
        consultations=consultations,
        documents=DocumentService(db, library, consultations, patients, clinicians),
        clinic_lists=ClinicListService(db),
        db=db,
    )
