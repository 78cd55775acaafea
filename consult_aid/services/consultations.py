"""Consultations: starting, reading and resuming them, and every edit made during one.

Each edit is checked, appended to the consultation's change log, applied to
the projection tables and written to the audit log in one transaction; when a
method returns, the change is on disk. An edit that would not change anything
logs nothing and returns None. Once a consultation is finalised every edit is
refused with ``Finalised`` (checked inside the write transaction, so a window
that missed the finalising cannot slip one in); only addenda amend it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from consult_aid.domain.access import Action
from consult_aid.domain.consultation import (
    Change,
    ChangeKind,
    ConsultationHeader,
    ConsultationState,
    Detail,
    TopicState,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from consult_aid.domain.finalisation import Addendum, missing_for_finalise, record_status
from consult_aid.domain.people import Patient
from consult_aid.services import consultation_edits as edits
from consult_aid.services import finalisation
from consult_aid.services.access import AccessControl
from consult_aid.services.authorship import require_clinician, utc_now
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.views import ConsultationSummary, ConsultationView
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.audit_chain import stored_change_digest
from consult_aid.storage.clinicians import ClinicianRepository
from consult_aid.storage.consultations import ConsultationRepository
from consult_aid.storage.database import Database
from consult_aid.storage.finalisation import FinalisationRepository
from consult_aid.storage.patients import PatientRepository
from consult_aid.storage.projection import Projection

# Given the pack, the variant and the current state, say what to log (None: nothing changes).
Proposal = Callable[[ContentPack, str, ConsultationState], edits.Edit | None]


class ConsultationService:
    """Every use of a consultation, from start to end."""

    def __init__(self, db: Database, library: ContentLibrary, access: AccessControl) -> None:
        self._db = db
        self._library = library
        self._access = access

    def start(
        self, patient_id: int, clinician_id: int, pack_id: str, variant_id: str
    ) -> ConsultationView:
        """Begin a consultation with the current pack, recording its exact version and hash.

        The clinician is the person signed in: nobody starts one in another's name.
        """
        self._access.require_as(Action.CONSULT, clinician_id)
        pack = self._library.current(pack_id)
        if variant_id not in {variant.id for variant in pack.variants}:
            raise InvalidInput({"variant_id": f"{pack.title} has no variant {variant_id!r}."})
        with self._db.write_session() as session, session.begin():
            require_clinician(session, clinician_id)
            now = utc_now()
            if PatientRepository(session).get(patient_id) is None:
                raise NotFound(f"There is no patient with id {patient_id}.")
            header = ConsultationRepository(session).add(
                patient_id=patient_id,
                clinician_id=clinician_id,
                pack_id=pack.id,
                pack_version=pack.info.version,
                pack_hash=pack.info.content_hash,
                variant_id=variant_id,
                started_at=now,
            )
            created = edits.Edit(
                ChangeKind.CREATED,
                pack.id,
                {
                    "pack_id": pack.id,
                    "pack_version": pack.info.version,
                    "pack_hash": pack.info.content_hash,
                    "variant_id": variant_id,
                    "patient_id": patient_id,
                },
            )
            _record(session, header.id, created, now, clinician_id)
        return self.load(header.id)

    def load(self, consultation_id: int) -> ConsultationView:
        """The consultation as held, with the exact pack it was started on."""
        self._access.require(Action.VIEW_CONSULTATIONS)
        header = self._header(consultation_id)
        pack = self._library.by_hash(header.pack_hash)
        with self._db.session() as session, session.begin():
            state = Projection(session).state(consultation_id)
            patient = PatientRepository(session).get(header.patient_id)
            clinician = ClinicianRepository(session).get(header.clinician_id)
            store = FinalisationRepository(session)
            finalised = store.finalised(consultation_id)
            addenda = tuple(store.addenda(consultation_id))
        assert patient is not None
        assert clinician is not None
        return ConsultationView(
            header,
            pack,
            state,
            patient,
            clinician,
            status=record_status(None if finalised is None else finalised[0], len(addenda)),
            finalised_at=None if finalised is None else finalised[0],
            finalised_by=None if finalised is None else finalised[1],
            addenda=addenda,
        )

    def resume(self, consultation_id: int, by: int) -> ConsultationView:
        """Open a consultation again, logging who resumed it and when."""
        self._change(consultation_id, by, lambda _p, _v, _s: edits.Edit(ChangeKind.RESUMED, "", {}))
        return self.load(consultation_id)

    def unfinished(self, clinician_id: int | None = None) -> list[ConsultationSummary]:
        """Consultations neither ended nor finalised, newest first (optionally one clinician's)."""
        self._access.require(Action.VIEW_CONSULTATIONS)
        return self._summaries(unfinished_only=True, clinician_id=clinician_id)

    def for_patient(self, patient_id: int) -> list[ConsultationSummary]:
        """A patient's consultations, newest first."""
        self._access.require(Action.VIEW_CONSULTATIONS)
        with self._db.session() as session, session.begin():
            if PatientRepository(session).get(patient_id) is None:
                raise NotFound(f"There is no patient with id {patient_id}.")
        return self._summaries(patient_id=patient_id)

    def history(self, consultation_id: int) -> list[Change]:
        """The whole change log, oldest first."""
        self._access.require(Action.VIEW_CONSULTATIONS)
        self._header(consultation_id)
        with self._db.session() as session, session.begin():
            return ConsultationRepository(session).changes(consultation_id)

    def set_topic_state(
        self, cid: int, topic_id: str, state: TopicState, reason: str, by: int
    ) -> Change | None:
        """Settle a topic as discussed, declined or not applicable (with a reason), or reopen it."""
        return self._change(
            cid, by, lambda p, v, s: edits.topic_state(p, v, s, topic_id, state, reason)
        )

    def set_note(self, cid: int, topic_id: str, text: str, by: int) -> Change | None:
        """Replace a topic's note."""
        return self._change(cid, by, lambda p, v, s: edits.topic_note(p, v, s, topic_id, text))

    def set_material(self, cid: int, topic_id: str, material: bool, by: int) -> Change | None:
        """Mark whether a topic is material to this patient."""
        return self._change(
            cid, by, lambda p, v, s: edits.topic_material(p, v, s, topic_id, material)
        )

    def set_risk_factor(self, cid: int, item_id: str, present: bool, by: int) -> Change | None:
        """Tick or untick a risk factor of the pack."""
        return self._change(
            cid,
            by,
            lambda p, _v, s: edits.checklist_tick(p, s, ChangeKind.RISK_FACTOR, item_id, present),
        )

    def set_medicine(self, cid: int, item_id: str, present: bool, by: int) -> Change | None:
        """Tick or untick a medicine of the pack."""
        return self._change(
            cid,
            by,
            lambda p, _v, s: edits.checklist_tick(p, s, ChangeKind.MEDICINE, item_id, present),
        )

    def save_question(
        self, cid: int, question_id: str | None, question: str, answer: str, by: int
    ) -> Change:
        """Add a question (``question_id`` None) or edit one; always logged."""
        new = question_id is None
        key = uuid.uuid4().hex if question_id is None else question_id
        change = self._change(
            cid, by, lambda _p, _v, s: edits.question(s, key, question, answer, new=new)
        )
        assert change is not None  # a question edit is always logged
        return change

    def remove_question(self, cid: int, question_id: str, by: int) -> Change:
        """Remove a question; NotFound when there is no such question."""
        change = self._change(cid, by, lambda _p, _v, s: edits.question_removal(s, question_id))
        assert change is not None
        return change

    def set_detail(self, cid: int, detail: Detail, value: str, by: int) -> Change | None:
        """Set a free-standing detail (levels, capacity, decision...)."""
        return self._change(cid, by, lambda _p, _v, s: edits.detail(s, detail, value))

    def end(self, cid: int, by: int) -> Change:
        """Mark the consultation over; Conflict when it has already ended."""
        change = self._change(cid, by, _end)
        assert change is not None
        return change

    def finalise(self, cid: int, by: int) -> ConsultationView:
        """Finalise the record: keep its PDF and proofs; nothing changes it in place again.

        Raises:
            InvalidInput: ``{"finalise": ...}``, one line per missing item, when incomplete.
            Finalised: it was finalised already.
            Forbidden: it is not the signed-in surgeon's record.
        """
        self._access.require_as(Action.FINALISE, by)
        header = self._own(cid, by)
        # A record is finalised with its end time: a complete consultation not yet
        # ended ends now, as a change of its own, so that the record kept says when.
        self._change(cid, by, _end_when_complete)
        finalisation.finalise(self._db, self._library.by_hash(header.pack_hash), header, by)
        return self.load(cid)

    def add_addendum(self, cid: int, reason: str, text: str, by: int) -> Addendum:
        """Amend a finalised record; InvalidInput without a reason or text, Conflict on a draft."""
        self._access.require_as(Action.AMEND, by)
        self._own(cid, by)
        return finalisation.add_addendum(self._db, cid, reason, text, by)

    def addenda(self, cid: int) -> list[Addendum]:
        """A record's addenda, oldest first."""
        self._access.require(Action.VIEW_CONSULTATIONS)
        self._header(cid)
        with self._db.session() as session, session.begin():
            return FinalisationRepository(session).addenda(cid)

    def record_view(self, cid: int, by: int) -> None:
        """Audit that ``by`` opened or previewed the record (allowed on a finalised one)."""
        self._access.require_as(Action.VIEW_CONSULTATIONS, by)
        self._header(cid)
        finalisation.record_view(self._db, cid, by)

    def _header(self, consultation_id: int) -> ConsultationHeader:
        with self._db.session() as session, session.begin():
            header = ConsultationRepository(session).header(consultation_id)
        if header is None:
            raise NotFound(f"There is no consultation with id {consultation_id}.")
        return header

    def _own(self, consultation_id: int, by: int) -> ConsultationHeader:
        """The header, if the consultation is ``by``'s own; Forbidden otherwise."""
        header = self._header(consultation_id)
        if header.clinician_id != by:
            raise Forbidden(
                "Only the clinician who held this consultation can change, finalise or amend it."
            )
        return header

    def _change(self, consultation_id: int, by: int, propose: Proposal) -> Change | None:
        self._access.require_as(Action.CONSULT, by)
        # The pack is fetched before the write transaction opens, so that parsing
        # a stored pack on a cache miss never holds the write lock.
        header = self._own(consultation_id, by)
        pack = self._library.by_hash(header.pack_hash)
        with self._db.write_session() as session, session.begin():
            require_clinician(session, by)
            # Timed after the first statement has taken the write lock, so that
            # times follow the order of the log even with several writers.
            now = utc_now()
            finalisation.refuse_if_finalised(session, consultation_id)
            state = Projection(session).state(consultation_id)
            edit = propose(pack, header.variant_id, state)
            if edit is None:
                return None
            return _record(session, consultation_id, edit, now, by, edits.old_value(state, edit))

    def _summaries(
        self,
        *,
        unfinished_only: bool = False,
        clinician_id: int | None = None,
        patient_id: int | None = None,
    ) -> list[ConsultationSummary]:
        with self._db.session() as session, session.begin():
            listed = ConsultationRepository(session).listed(
                unfinished_only=unfinished_only, clinician_id=clinician_id, patient_id=patient_id
            )
            settled = Projection(session).settled_topics(header.id for header, _ in listed)
            patients = PatientRepository(session)
            people = {header.patient_id: patients.get(header.patient_id) for header, _ in listed}
            names = {c.id: c.name for c in ClinicianRepository(session).all()}
        return [
            _summary(
                header, ended_at, self._library.by_hash(header.pack_hash), people, names, settled
            )
            for header, ended_at in listed
        ]


def _end_when_complete(
    pack: ContentPack, variant: str, state: ConsultationState
) -> edits.Edit | None:
    """End a consultation about to be finalised (nothing when ended, or when incomplete)."""
    if state.ended_at is not None or missing_for_finalise(pack, variant, state):
        return None  # an incomplete record is left as it was; finalise lists what is missing
    return edits.Edit(ChangeKind.ENDED, "", {})


def _end(_pack: ContentPack, _variant: str, state: ConsultationState) -> edits.Edit:
    if state.ended_at is not None:
        raise Conflict("This consultation has already ended.")
    return edits.Edit(ChangeKind.ENDED, "", {})


def _record(
    session: Session,
    consultation_id: int,
    edit: edits.Edit,
    at: datetime,
    by: int,
    old_value: object = None,
) -> Change:
    """Append to the log, bring the projection up to date and audit it, all in one transaction."""
    change = ConsultationRepository(session).append(
        consultation_id, edit.kind, edit.key, edit.value, at, by
    )
    Projection(session).apply(consultation_id, change)
    AuditLog(session).record(
        at=at,
        clinician_id=by,
        action=f"consultation.{edit.kind.value}",
        entity="consultation",
        entity_id=consultation_id,
        detail={"seq": change.seq, "key": edit.key},
        record_version=change.seq,
        old_value=old_value,
        new_value=edit.value,
        # The signed event vouches for the change row itself: editing it later shows.
        row_digest=stored_change_digest(session, consultation_id, change.seq),
    )
    return change


def _summary(
    header: ConsultationHeader,
    ended_at: datetime | None,
    pack: ContentPack,
    patients: dict[int, Patient | None],
    clinician_names: dict[int, str],
    settled: dict[int, set[str]],
) -> ConsultationSummary:
    patient = patients[header.patient_id]
    assert patient is not None  # a foreign key guarantees it
    topic_ids = {topic.id for topic in pack.topics_for(header.variant_id)}
    return ConsultationSummary(
        id=header.id,
        patient=patient,
        clinician_name=clinician_names.get(header.clinician_id, ""),
        pack_title=pack.title,
        variant_name=pack.variant(header.variant_id).name,
        started_at=header.started_at,
        ended_at=ended_at,
        settled=len(settled[header.id] & topic_ids),
        total=len(topic_ids),
    )
