"""Finalising a record, amending it with addenda, and auditing who viewed it.

Finalising builds the record's PDF from the log as it stands, keeps the PDF,
its SHA-256, the content fingerprint, the record version and the patient and
clinicians printed, marks the consultation finalised and audits it, all in
one write transaction: either the record is finalised with all its proofs or
nothing changed. ReportLab is imported only when a record is finalised.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from consult_aid.domain.consultation import ConsultationHeader
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import Conflict, Finalised, InvalidInput
from consult_aid.domain.finalisation import Addendum, check_addendum, missing_for_finalise
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.services.record_requests import basis, record_request
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.audit_chain import stored_addendum_digest
from consult_aid.storage.clinicians import ClinicianRepository
from consult_aid.storage.consultations import ConsultationRepository
from consult_aid.storage.database import Database
from consult_aid.storage.finalisation import FinalisationRepository, StoredRecord
from consult_aid.storage.patients import PatientRepository
from consult_aid.storage.projection import Projection


def refuse_if_finalised(session: Session, consultation_id: int) -> None:
    """Raise Finalised when the consultation's record is finalised."""
    if FinalisationRepository(session).finalised(consultation_id) is not None:
        raise Finalised(
            "This record is finalised and cannot be changed. Add an addendum to correct it."
        )


def finalise(db: Database, pack: ContentPack, header: ConsultationHeader, by: int) -> None:
    """Finalise the record of ``header``'s consultation (see ConsultationService.finalise)."""
    from consult_aid.documents.record import build_record

    cid = header.id
    with db.write_session() as session, session.begin():
        require_clinician(session, by)
        now = utc_now()
        refuse_if_finalised(session, cid)
        missing = missing_for_finalise(pack, header.variant_id, Projection(session).state(cid))
        if missing:
            raise InvalidInput({"finalise": "\n".join(missing)})
        history = ConsultationRepository(session).changes(cid)
        patient = PatientRepository(session).get(header.patient_id)
        assert patient is not None  # a foreign key guarantees it
        involved = {header.clinician_id, *(change.clinician_id for change in history)}
        clinicians = {c.id: c for c in ClinicianRepository(session).all() if c.id in involved}
        built = build_record(record_request(pack, header, history, patient, clinicians, now))
        record = StoredRecord(
            consultation_id=cid,
            pdf=built.pdf,
            pdf_sha256=hashlib.sha256(built.pdf).hexdigest(),
            fingerprint=built.fingerprint,
            record_version=history[-1].seq,
            made_at=now,
            basis=basis(patient, clinicians),
        )
        FinalisationRepository(session).finalise(record, by)
        AuditLog(session).record(
            at=now,
            clinician_id=by,
            action="consultation.finalise",
            entity="consultation",
            entity_id=cid,
            record_version=record.record_version,
            new_value={
                "pdf_sha256": record.pdf_sha256,
                "fingerprint": record.fingerprint,
                "record_version": record.record_version,
                "basis": record.basis,
            },
        )


def add_addendum(db: Database, cid: int, reason: str, text: str, by: int) -> Addendum:
    """Append an addendum to a finalised record, audited with what it says."""
    reason, text = check_addendum(reason, text)
    with db.write_session() as session, session.begin():
        require_clinician(session, by)
        now = utc_now()
        store = FinalisationRepository(session)
        if store.finalised(cid) is None:
            raise Conflict(
                "This record is not finalised: correct the draft itself, not by an addendum."
            )
        addendum = store.add_addendum(cid, now, by, reason, text)
        AuditLog(session).record(
            at=now,
            clinician_id=by,
            action="consultation.addendum",
            entity="addendum",
            entity_id=addendum.id,
            detail={"consultation_id": cid},
            record_version=ConsultationRepository(session).last_seq(cid),
            new_value={"reason": reason, "text": text},
            row_digest=stored_addendum_digest(session, addendum.id),
        )
    return addendum


def record_view(db: Database, cid: int, by: int) -> None:
    """Audit that ``by`` opened or previewed the record, at its current version."""
    with db.write_session() as session, session.begin():
        require_clinician(session, by)
        now = utc_now()
        AuditLog(session).record(
            at=now,
            clinician_id=by,
            action="consultation.view",
            entity="consultation",
            entity_id=cid,
            record_version=ConsultationRepository(session).last_seq(cid),
        )
