"""Finalising: what is missing is listed, the PDF and its proofs kept, and nothing changes after."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from consult_aid.domain.consultation import ChangeKind, ConsultationHeader, Detail, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import Conflict, Finalised, InvalidInput
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.domain.people import Clinician
from consult_aid.services.bundle import Services
from consult_aid.services.consultations import ConsultationService
from consult_aid.storage.projection import Projection


def _complete(services: Services, cid: int, pack: ContentPack, by: int) -> None:
    edits = services.consultations
    for topic in pack.topics_for("balloon"):
        edits.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", by)
    edits.set_detail(cid, Detail.LEVELS, "L1", by)
    edits.set_detail(cid, Detail.CAPACITY, "presumed", by)
    edits.set_detail(cid, Detail.DECISION, "undecided", by)


def test_an_incomplete_record_lists_exactly_what_is_missing(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    topics = pack.topics_for("balloon")
    for topic in topics[1:]:
        services.consultations.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", by)
    with pytest.raises(InvalidInput) as caught:
        services.consultations.finalise(cid, by)
    assert caught.value.problems["finalise"].splitlines() == [
        f"Topic '{topics[0].title}' is not yet addressed",
        "Vertebral level(s) not recorded",
        "Capacity not recorded",
        "Decision not recorded",
    ]
    assert services.consultations.load(cid).status is RecordStatus.DRAFT


def test_finalising_keeps_the_pdf_and_its_proofs(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    _complete(services, cid, pack, by)
    view = services.consultations.finalise(cid, by)
    assert view.status is RecordStatus.FINALISED
    assert view.finalised_by == by
    assert view.finalised_at is not None
    assert view.finalised_at.utcoffset() is not None
    kept = services.documents.finalised_record(cid)
    again = services.documents.finalised_record(cid)
    assert kept.pdf == again.pdf  # the stored bytes, never rebuilt
    assert kept.sha256 == hashlib.sha256(kept.pdf).hexdigest()
    assert kept.record_version == services.consultations.history(cid)[-1].seq
    assert kept.fingerprint == services.documents.record_for_consultation(cid).fingerprint
    assert services.audit.verify().ok


def test_a_finalised_record_is_not_offered_for_resuming(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    assert [s.id for s in services.consultations.unfinished(by)] == [cid]
    _complete(services, cid, pack, by)
    services.consultations.finalise(cid, by)
    assert services.consultations.unfinished(by) == []
    assert [s.id for s in services.consultations.for_patient(consultation.patient_id)] == [cid]


def test_addenda_amend_only_a_finalised_record(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    with pytest.raises(Conflict):
        services.consultations.add_addendum(cid, "why", "what", by)
    _complete(services, cid, pack, by)
    services.consultations.finalise(cid, by)
    with pytest.raises(InvalidInput) as caught:
        services.consultations.add_addendum(cid, " ", "", by)
    assert set(caught.value.problems) == {"reason", "text"}
    added = services.consultations.add_addendum(cid, "Wrong level", "The level was L2.", by)
    view = services.consultations.load(cid)
    assert view.status is RecordStatus.AMENDED
    assert view.addenda == (added,)
    assert services.consultations.addenda(cid) == [added]
    assert (added.by, added.reason, added.text) == (by, "Wrong level", "The level was L2.")
    assert added.at.utcoffset() is not None


# Public methods that do not change a consultation's record, or that may be used on a finalised
# one. Any other public method is a mutator and must be listed in _calls below.
READERS = {"load", "unfinished", "for_patient", "history", "addenda", "record_view", "start"}
AMENDS = {"add_addendum"}


def _calls(
    cid: int, by: int, pack: ContentPack, question: str
) -> dict[str, Callable[[ConsultationService], Any]]:
    topic = pack.topics_for("balloon")[0].id
    return {
        "set_topic_state": lambda s: s.set_topic_state(cid, topic, TopicState.DECLINED, "", by),
        "set_note": lambda s: s.set_note(cid, topic, "changed after finalising", by),
        "set_material": lambda s: s.set_material(cid, topic, True, by),
        "set_risk_factor": lambda s: s.set_risk_factor(cid, pack.risk_factors[0].id, True, by),
        "set_medicine": lambda s: s.set_medicine(cid, pack.medicines[0].id, True, by),
        "save_question": lambda s: s.save_question(cid, None, "New?", "Yes", by),
        "remove_question": lambda s: s.remove_question(cid, question, by),
        "set_detail": lambda s: s.set_detail(cid, Detail.LEVELS, "T4", by),
        "end": lambda s: s.end(cid, by),
        "resume": lambda s: s.resume(cid, by),
        "finalise": lambda s: s.finalise(cid, by),
    }


def test_every_mutator_refuses_a_finalised_record_and_changes_nothing(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    question = services.consultations.save_question(cid, None, "Will it hurt?", "A bit", by).key
    _complete(services, cid, pack, by)
    services.consultations.finalise(cid, by)
    public = {
        name
        for name, _ in inspect.getmembers(ConsultationService, inspect.isfunction)
        if not name.startswith("_")
    }
    calls = _calls(cid, by, pack, question)
    assert public - READERS - AMENDS == set(calls), "a new mutator must be tried here"
    before_log = services.consultations.history(cid)
    with services.db.session() as session, session.begin():
        before_state = Projection(session).state(cid)
    for name, call in calls.items():
        with pytest.raises(Finalised):
            call(services.consultations)
        assert services.consultations.history(cid) == before_log, name
        with services.db.session() as session, session.begin():
            assert Projection(session).state(cid) == before_state, name
    assert services.audit.verify().ok


def test_finalising_ends_a_consultation_not_yet_ended_and_keeps_its_end_time(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    # An incomplete record is refused and left running.
    with pytest.raises(InvalidInput):
        services.consultations.finalise(cid, by)
    assert services.consultations.load(cid).state.ended_at is None
    _complete(services, cid, pack, by)
    view = services.consultations.finalise(cid, by)
    ended = view.state.ended_at
    assert ended is not None
    assert view.finalised_at is not None
    assert ended <= view.finalised_at
    history = services.consultations.history(cid)
    assert history[-1].kind is ChangeKind.ENDED
    # The kept record is the ended one: its version is the end's, and it prints the end time.
    kept = services.documents.finalised_record(cid)
    assert kept.record_version == history[-1].seq
    assert services.audit.verify().ok


def test_finalising_an_ended_consultation_does_not_end_it_again(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by = consultation.id, clinician.id
    _complete(services, cid, pack, by)
    services.consultations.end(cid, by)
    ended = services.consultations.load(cid).state.ended_at
    before = len(services.consultations.history(cid))
    view = services.consultations.finalise(cid, by)
    assert view.state.ended_at == ended
    assert len(services.consultations.history(cid)) == before
