"""The audit trail as a service: events for actions that change no record, and the full check.

``verify`` checks the signed chain of events, then everything the events vouch
for (consultation changes, addenda, finalised records: the signed finalise
event carries each record's PDF hash and fingerprint). ``verify(deep=True)``
also recomputes each finalised record's content fingerprint from its log, the
exact content pack it was held with and the patient and clinicians it printed.
"""

from __future__ import annotations

from pathlib import Path

from consult_aid.domain.access import Action
from consult_aid.domain.errors import NotFound
from consult_aid.services.access import AccessControl
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.record_requests import from_basis, record_request
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.audit_verify import FinalisedToRecompute, VerifyReport, check_store
from consult_aid.storage.consultations import ConsultationRepository
from consult_aid.storage.database import Database

__all__ = ["AuditTrail", "VerifyReport"]


class AuditTrail:
    """Appends events for exports, and checks the whole trail against its key."""

    def __init__(
        self,
        db: Database,
        key: bytes,
        library: ContentLibrary | None,
        access: AccessControl,
    ) -> None:
        self._db = db
        self._key = key
        self._access = access
        # Only stored pack snapshots are read here (by hash), never a bundled folder.
        self._library = library or ContentLibrary(db, Path())

    def record_export(self, by: int, what: str, count: int) -> None:
        """Audit an export of ``count`` records described by ``what`` (no patient data in it)."""
        self._access.require_as(Action.EXPORT, by)
        with self._db.write_session() as session, session.begin():
            require_clinician(session, by)
            AuditLog(session).record(
                at=utc_now(),
                clinician_id=by,
                action="records.export",
                entity="export",
                entity_id=what[:100],
                new_value={"what": what, "count": count},
            )

    def verify(self, deep: bool = False, parallel: bool | None = None) -> VerifyReport:
        """Check every event, change, addendum and finalised record; name the first mismatch.

        Each finalised record's PDF hash, fingerprint, version and time are
        always checked against its signed finalise event. ``deep`` also
        rebuilds every record's fingerprint from its change log and content
        pack (milliseconds per record: minutes for a large store).
        ``parallel`` is passed to ``check_store`` (None: chosen by size).
        """
        self._access.require(Action.VERIFY)
        report, records = check_store(self._db, self._key, parallel)
        if not report.ok or not deep:
            return report
        for record in records:
            problem = self._fingerprint_problem(record)
            if problem:
                return VerifyReport(
                    False,
                    report.events_checked,
                    report.records_checked,
                    None,
                    record.consultation_id,
                    f"Finalised record {record.consultation_id}: {problem}.",
                )
        return report

    def _fingerprint_problem(self, record: FinalisedToRecompute) -> str:
        from consult_aid.documents.record import record_fingerprint

        cid = record.consultation_id
        with self._db.session() as session, session.begin():
            repository = ConsultationRepository(session)
            header = repository.header(cid)
            history = [c for c in repository.changes(cid) if c.seq <= record.record_version]
        if header is None:
            return "its consultation is missing"
        try:
            pack = self._library.by_hash(header.pack_hash)
            patient, clinicians = from_basis(record.basis)
        except (NotFound, KeyError, TypeError, ValueError) as error:
            return f"it cannot be rebuilt from what is stored ({error})"
        if patient.id != header.patient_id:
            return "it names another patient than its consultation"
        request = record_request(pack, header, history, patient, clinicians, utc_now())
        if record_fingerprint(request) != record.fingerprint:
            return "its content fingerprint no longer matches its change log"
        return ""
