"""Leaflets and records as PDFs, and the record of every print and save of them.

A document is built from what is stored, and says exactly what it was built
from (patient, consultation, the record's version, content pack version and
hash, the PDF's own SHA-256), so that every print or save can be recorded and
the paper traced back years later. ReportLab is imported on first use: most
sessions print nothing, and it is slow to load.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from consult_aid.domain.access import Action
from consult_aid.domain.consultation import replay
from consult_aid.domain.documents import DocumentEvent, DocumentKind, LeafletFormat, Output
from consult_aid.domain.errors import Conflict, InvalidInput
from consult_aid.domain.people import Patient
from consult_aid.services.access import AccessControl
from consult_aid.services.atomic_files import write_atomically
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.services.clinicians import ClinicianService
from consult_aid.services.consultations import ConsultationService
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.document_names import recovery_app_url as recovery_app_url_setting
from consult_aid.services.document_names import suggested_filename
from consult_aid.services.patients import PatientService
from consult_aid.services.record_requests import record_request
from consult_aid.services.views import ConsultationView
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.database import Database
from consult_aid.storage.document_events import DocumentEventRepository
from consult_aid.storage.finalisation import FinalisationRepository


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    """A built PDF and everything needed to record where it went.

    Attributes:
        kind: leaflet or record.
        pdf: the PDF bytes.
        sha256: SHA-256 of ``pdf``, hex.
        fingerprint: a record's content fingerprint ("" for a leaflet).
        patient_id: whose document.
        consultation_id: the consultation it was built from (None: pre-clinic leaflet).
        record_version: the consultation's last change number (0 before clinic).
        leaflet_format: the print size.
        pack_version, pack_hash: the content it was built with.
        suggested_filename: a file name unique to the patient (NHS number, name, date).
    """

    kind: DocumentKind
    pdf: bytes
    sha256: str
    fingerprint: str
    patient_id: int
    consultation_id: int | None
    record_version: int
    leaflet_format: LeafletFormat
    pack_version: str
    pack_hash: str
    suggested_filename: str


class DocumentService:
    """Builds leaflets and records, saves them atomically, and records prints and saves."""

    def __init__(
        self,
        db: Database,
        library: ContentLibrary,
        consultations: ConsultationService,
        patients: PatientService,
        clinicians: ClinicianService,
        access: AccessControl,
        recovery_app_url: str = "",
    ) -> None:
        self._db = db
        self._access = access
        self._library = library
        self._consultations = consultations
        self._patients = patients
        self._clinicians = clinicians
        self.recovery_app_url = recovery_app_url_setting(os.environ, recovery_app_url)

    def leaflet_for_consultation(
        self, cid: int, fmt: LeafletFormat | None = None
    ) -> GeneratedDocument:
        """The patient's leaflet with what was discussed; ``fmt`` None: their remembered format."""
        self._access.require(Action.PRINT_LEAFLETS)
        from consult_aid.documents.leaflet import build_leaflet
        from consult_aid.documents.requests import LeafletRequest

        view = self._consultations.load(cid)
        history = self._consultations.history(cid)
        chosen = view.patient.leaflet_format if fmt is None else fmt
        request = LeafletRequest(
            pack=view.pack,
            variant_id=view.header.variant_id,
            patient=view.patient,
            leaflet_format=chosen,
            hospital=view.clinician.hospital,
            surgeon=view.clinician,
            header=view.header,
            # Replayed from the same log as the version below, so the two agree.
            state=replay(history),
            recovery_app_url=self.recovery_app_url,
        )
        return _generated(
            DocumentKind.LEAFLET,
            build_leaflet(request),
            "",
            view.patient,
            cid,
            history[-1].seq if history else 0,
            chosen,
            view.pack.info.version,
            view.pack.info.content_hash,
            view.header.started_at.astimezone().date(),
        )

    def leaflet_for_patient(
        self,
        patient_id: int,
        pack_id: str,
        variant_id: str,
        surgeon_id: int | None,
        fmt: LeafletFormat | None = None,
        clinic_date: date | None = None,
    ) -> GeneratedDocument:
        """A pre-clinic leaflet from the current pack; ``fmt`` None: the remembered format."""
        self._access.require(Action.PRINT_LEAFLETS)
        from consult_aid.documents.leaflet import build_leaflet
        from consult_aid.documents.requests import LeafletRequest

        pack = self._library.current(pack_id)
        if variant_id not in {variant.id for variant in pack.variants}:
            raise InvalidInput({"variant_id": f"{pack.title} has no variant {variant_id!r}."})
        patient = self._patients.get(patient_id)
        surgeon = None if surgeon_id is None else self._clinicians.get(surgeon_id)
        chosen = patient.leaflet_format if fmt is None else fmt
        request = LeafletRequest(
            pack=pack,
            variant_id=variant_id,
            patient=patient,
            leaflet_format=chosen,
            hospital="" if surgeon is None else surgeon.hospital,
            surgeon=surgeon,
            recovery_app_url=self.recovery_app_url,
            clinic_date=clinic_date,
        )
        return _generated(
            DocumentKind.LEAFLET,
            build_leaflet(request),
            "",
            patient,
            None,
            0,
            chosen,
            pack.info.version,
            pack.info.content_hash,
            clinic_date or date.today(),
        )

    def record_for_consultation(self, cid: int) -> GeneratedDocument:
        """The record of discussion as it stands now, any addenda after it, with its fingerprint."""
        self._access.require(Action.PRINT_RECORDS)
        from consult_aid.documents.record import build_record

        view = self._consultations.load(cid)
        history = self._consultations.history(cid)
        clinicians = {clinician.id: clinician for clinician in self._clinicians.all()}
        request = record_request(
            view.pack, view.header, history, view.patient, clinicians, utc_now(), view.addenda
        )
        built = build_record(request)
        version = history[-1].seq if history else 0
        return self._record_document(view, built.pdf, built.fingerprint, version)

    def finalised_record(self, cid: int) -> GeneratedDocument:
        """The record's PDF exactly as finalised (never rebuilt); Conflict on a draft."""
        self._access.require_any(Action.PRINT_RECORDS, Action.VIEW_RECORDS)
        view = self._consultations.load(cid)
        with self._db.session() as session, session.begin():
            stored = FinalisationRepository(session).record(cid)
        if stored is None:
            raise Conflict("This record is not finalised yet.")
        return self._record_document(view, stored.pdf, stored.fingerprint, stored.record_version)

    def _check_output(self, kind: DocumentKind, by: int) -> None:
        """Leaflets go out with the leaflet permission; records with the record or export one."""
        if kind is DocumentKind.LEAFLET:
            self._access.require_as(Action.PRINT_LEAFLETS, by)
        else:
            self._access.require_any(Action.PRINT_RECORDS, Action.EXPORT)
            self._access.require_as(Action.VIEW_STAFF, by)  # names the signed-in person

    def _record_document(
        self, view: ConsultationView, pdf: bytes, fingerprint: str, version: int
    ) -> GeneratedDocument:
        return _generated(
            DocumentKind.RECORD,
            pdf,
            fingerprint,
            view.patient,
            view.header.id,
            version,
            view.patient.leaflet_format,
            view.pack.info.version,
            view.pack.info.content_hash,
            view.header.started_at.astimezone().date(),
        )

    def save_pdf(
        self, doc: GeneratedDocument, path: Path, by: int, *, overwrite: bool = False
    ) -> DocumentEvent:
        """Write the PDF atomically to ``path`` and record the save.

        Raises:
            FileExistsError: the file exists and ``overwrite`` is False (nothing is written).
            OSError: the file cannot be written (nothing is written or recorded).
            NotFound: ``by`` is no clinician (the file is removed again).
            Forbidden: the signed-in person may not save this kind of document.
        """
        self._check_output(doc.kind, by)
        write_atomically(path, doc.pdf, overwrite=overwrite)
        try:
            return self.record_events([document_event(doc, Output.PDF_FILE, path.name, by)])[0]
        except BaseException:
            # A save that cannot be recorded must not stay on disk unrecorded.
            path.unlink(missing_ok=True)
            raise

    def record_printed(self, doc: GeneratedDocument, printer_name: str, by: int) -> DocumentEvent:
        """Record that the window printed ``doc`` on ``printer_name``."""
        self._check_output(doc.kind, by)
        return self.record_events([document_event(doc, Output.PRINTER, printer_name, by)])[0]

    def record_events(self, events: Sequence[DocumentEvent]) -> list[DocumentEvent]:
        """Record prints and saves done elsewhere (a batch), in one transaction; audited."""
        # Checked even for an empty batch, so the call is never open to someone signed out.
        self._access.require_any(Action.PRINT_LEAFLETS, Action.PRINT_RECORDS, Action.EXPORT)
        for event in events:
            self._check_output(event.kind, event.by)
        with self._db.write_session() as session, session.begin():
            for by in sorted({event.by for event in events}):
                require_clinician(session, by)
            ids = DocumentEventRepository(session).add_all(events)
            audit = AuditLog(session)
            for event_id, event in zip(ids, events, strict=True):
                # The destination is left out: a file name holds the patient's name.
                audit.record(
                    at=event.at,
                    clinician_id=event.by,
                    action=f"document.{event.output.value}",
                    entity="document_event",
                    entity_id=event_id,
                    record_version=event.record_version if event.consultation_id else None,
                    detail={
                        "kind": event.kind.value,
                        "patient_id": event.patient_id,
                        "consultation_id": event.consultation_id,
                        "record_version": event.record_version,
                        "sha256": event.sha256,
                    },
                )
        return list(events)

    def events_for_patient(self, patient_id: int) -> list[DocumentEvent]:
        """Every print and save of a patient's documents, oldest first."""
        self._access.require(Action.VIEW_PATIENTS)
        with self._db.session() as session, session.begin():
            return DocumentEventRepository(session).for_patient(patient_id)


def document_event(
    doc: GeneratedDocument,
    output: Output,
    destination: str,
    by: int,
    at: datetime | None = None,
) -> DocumentEvent:
    """The event for sending ``doc`` to ``destination`` (a printer or a file name, no folder)."""
    if output is Output.PDF_FILE and Path(destination).name != destination:
        raise ValueError("record a file by its name only: its folder may name the patient")
    return DocumentEvent(
        kind=doc.kind,
        output=output,
        destination=destination,
        patient_id=doc.patient_id,
        consultation_id=doc.consultation_id,
        record_version=doc.record_version,
        leaflet_format=doc.leaflet_format,
        pack_version=doc.pack_version,
        pack_hash=doc.pack_hash,
        sha256=doc.sha256,
        at=at or utc_now(),
        by=by,
    )


def _generated(
    kind: DocumentKind,
    pdf: bytes,
    fingerprint: str,
    patient: Patient,
    consultation_id: int | None,
    record_version: int,
    fmt: LeafletFormat,
    pack_version: str,
    pack_hash: str,
    on: date,
) -> GeneratedDocument:
    return GeneratedDocument(
        kind=kind,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        fingerprint=fingerprint,
        patient_id=patient.id,
        consultation_id=consultation_id,
        record_version=record_version,
        leaflet_format=fmt,
        pack_version=pack_version,
        pack_hash=pack_hash,
        suggested_filename=suggested_filename(kind, patient, on),
    )
