"""ConsultationService: starting, editing, ending and listing consultations, and every refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from consult_aid.domain.access import Role
from consult_aid.domain.consultation import (
    ChangeKind,
    ConsultationHeader,
    Detail,
    TopicState,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole, Patient
from consult_aid.services.bundle import Services
from tests.signing_in import add_person, sign_in

PACK_ID = "balloon-kyphoplasty"
SPINEJACK_ONLY = "balloon-instead"


def _first_topic(pack: ContentPack) -> str:
    return pack.topics_for("balloon")[0].id


def test_start_records_the_exact_pack_and_a_created_change(
    services: Services, patient: Patient, clinician: Clinician, pack: ContentPack
) -> None:
    view = services.consultations.start(patient.id, clinician.id, PACK_ID, "spinejack")
    assert view.header.pack_hash == pack.info.content_hash
    assert view.header.pack_version == pack.info.version
    assert view.header.variant_id == "spinejack"
    assert view.patient == patient
    assert view.clinician == clinician
    assert view.progress.settled == 0
    assert view.progress.total == len(pack.topics_for("spinejack"))
    [created] = services.consultations.history(view.header.id)
    assert created.kind is ChangeKind.CREATED
    assert created.value["pack_hash"] == pack.info.content_hash
    assert created.clinician_id == clinician.id


def test_start_refuses_unknown_people_packs_and_variants(
    services: Services, patient: Patient, clinician: Clinician
) -> None:
    with pytest.raises(NotFound):
        services.consultations.start(patient.id + 1, clinician.id, PACK_ID, "balloon")
    with pytest.raises(Forbidden):  # nobody starts a consultation in another's name
        services.consultations.start(patient.id, clinician.id + 1, PACK_ID, "balloon")
    with pytest.raises(NotFound):
        services.consultations.start(patient.id, clinician.id, "hip-replacement", "balloon")
    with pytest.raises(InvalidInput):
        services.consultations.start(patient.id, clinician.id, PACK_ID, "laser")
    assert services.consultations.unfinished() == []


def test_settling_a_topic_is_logged_once_and_projected(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, topic = consultation.id, _first_topic(pack)
    change = services.consultations.set_topic_state(
        cid, topic, TopicState.DISCUSSED, "", clinician.id
    )
    assert change is not None
    assert change.seq == 2
    assert (change.kind, change.key) == (ChangeKind.TOPIC_STATE, topic)
    again = services.consultations.set_topic_state(
        cid, topic, TopicState.DISCUSSED, "", clinician.id
    )
    assert again is None
    assert len(services.consultations.history(cid)) == 2
    record = services.consultations.load(cid).state.topic(topic)
    assert record.state is TopicState.DISCUSSED
    assert record.changed_at == change.at
    assert record.changed_by == clinician.id


def test_not_applicable_needs_a_reason(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, topic = consultation.id, _first_topic(pack)
    with pytest.raises(InvalidInput, match="reason"):
        services.consultations.set_topic_state(
            cid, topic, TopicState.NOT_APPLICABLE, "  ", clinician.id
        )
    assert len(services.consultations.history(cid)) == 1
    services.consultations.set_topic_state(
        cid, topic, TopicState.NOT_APPLICABLE, " Had this last year ", clinician.id
    )
    record = services.consultations.load(cid).state.topic(topic)
    assert record.reason == "Had this last year"


def test_topics_must_belong_to_the_pack_and_the_variant(
    services: Services, consultation: ConsultationHeader, clinician: Clinician
) -> None:
    cid = consultation.id
    with pytest.raises(InvalidInput, match="not a topic"):
        services.consultations.set_note(cid, "no-such-topic", "text", clinician.id)
    with pytest.raises(InvalidInput, match="not discussed"):
        services.consultations.set_topic_state(
            cid, SPINEJACK_ONLY, TopicState.DISCUSSED, "", clinician.id
        )
    with pytest.raises(InvalidInput):
        services.consultations.set_material(cid, "no-such-topic", True, clinician.id)
    assert len(services.consultations.history(cid)) == 1


def test_edits_by_an_unknown_clinician_are_refused(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    with pytest.raises(Forbidden, match="person signed in"):
        services.consultations.set_note(consultation.id, _first_topic(pack), "x", clinician.id + 9)
    with pytest.raises(NotFound):
        services.consultations.set_note(999, _first_topic(pack), "x", clinician.id)
    assert len(services.consultations.history(consultation.id)) == 1


def test_notes_and_material_flags_are_kept_exactly(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, topic = consultation.id, _first_topic(pack)
    note = "  Worried about <b>cement</b>\nleaking; daughter present.  "
    assert services.consultations.set_note(cid, topic, note, clinician.id) is not None
    assert services.consultations.set_note(cid, topic, note, clinician.id) is None
    assert services.consultations.set_material(cid, topic, False, clinician.id) is None
    assert services.consultations.set_material(cid, topic, True, clinician.id) is not None
    with pytest.raises(InvalidInput, match="note"):
        services.consultations.set_note(cid, topic, "x" * 20_001, clinician.id)
    record = services.consultations.load(cid).state.topic(topic)
    assert (record.note, record.material, record.state) == (note, True, TopicState.NOT_ADDRESSED)


def test_checklists_take_only_the_packs_items(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid = consultation.id
    factor, medicine = pack.risk_factors[0].id, pack.medicines[0].id
    assert services.consultations.set_risk_factor(cid, factor, False, clinician.id) is None
    assert services.consultations.set_risk_factor(cid, factor, True, clinician.id) is not None
    assert services.consultations.set_medicine(cid, medicine, True, clinician.id) is not None
    with pytest.raises(InvalidInput, match="risk factor"):
        services.consultations.set_risk_factor(cid, medicine, True, clinician.id)
    with pytest.raises(InvalidInput, match="medicine"):
        services.consultations.set_medicine(cid, "warfarin-typo", True, clinician.id)
    state = services.consultations.load(cid).state
    assert state.risk_factors == {factor}
    assert state.medicines == {medicine}
    services.consultations.set_risk_factor(cid, factor, False, clinician.id)
    assert services.consultations.load(cid).state.risk_factors == frozenset()


def test_questions_are_added_edited_in_place_and_removed(
    services: Services, consultation: ConsultationHeader, clinician: Clinician
) -> None:
    cid, by = consultation.id, clinician.id
    first = services.consultations.save_question(cid, None, "Will it hurt?", "", by)
    second = services.consultations.save_question(cid, None, "When can I drive?", "6 weeks", by)
    assert first.key != second.key
    services.consultations.save_question(cid, first.key, "Will it hurt?", "A little", by)
    questions = services.consultations.load(cid).state.questions
    assert [(q.id, q.answer) for q in questions] == [
        (first.key, "A little"),
        (second.key, "6 weeks"),
    ]
    with pytest.raises(InvalidInput, match="question"):
        services.consultations.save_question(cid, None, "   ", "an answer", by)
    with pytest.raises(NotFound):
        services.consultations.save_question(cid, "not-a-question", "Why?", "", by)
    services.consultations.remove_question(cid, first.key, by)
    with pytest.raises(NotFound):
        services.consultations.remove_question(cid, first.key, by)
    assert [q.id for q in services.consultations.load(cid).state.questions] == [second.key]


def test_details_are_normalised_and_checked(
    services: Services, consultation: ConsultationHeader, clinician: Clinician
) -> None:
    cid, by = consultation.id, clinician.id
    change = services.consultations.set_detail(cid, Detail.LEVELS, "l1 t12", by)
    assert change is not None
    assert change.value == {"value": "T12, L1"}
    assert services.consultations.set_detail(cid, Detail.LEVELS, "T12,L1", by) is None
    assert services.consultations.set_detail(cid, Detail.PLACE, "", by) is None
    with pytest.raises(InvalidInput):
        services.consultations.set_detail(cid, Detail.LEVELS, "L9", by)
    with pytest.raises(InvalidInput):
        services.consultations.set_detail(cid, Detail.DECISION, "maybe", by)
    services.consultations.set_detail(cid, Detail.DECISION, "proceed", by)
    state = services.consultations.load(cid).state
    assert state.detail(Detail.LEVELS) == "T12, L1"
    assert state.decision.value == "proceed"


def test_ending_removes_it_from_the_unfinished_list_once(
    services: Services, consultation: ConsultationHeader, clinician: Clinician
) -> None:
    assert [s.id for s in services.consultations.unfinished()] == [consultation.id]
    ended = services.consultations.end(consultation.id, clinician.id)
    assert ended.kind is ChangeKind.ENDED
    assert services.consultations.unfinished() == []
    assert services.consultations.load(consultation.id).state.ended_at == ended.at
    with pytest.raises(Conflict):
        services.consultations.end(consultation.id, clinician.id)
    [summary] = services.consultations.for_patient(consultation.patient_id)
    assert summary.ended_at == ended.at


def test_resume_appends_a_change(
    services: Services, consultation: ConsultationHeader, clinician: Clinician
) -> None:
    view = services.consultations.resume(consultation.id, clinician.id)
    history = services.consultations.history(consultation.id)
    assert [c.kind for c in history] == [ChangeKind.CREATED, ChangeKind.RESUMED]
    assert view.header == consultation
    with pytest.raises(NotFound):
        services.consultations.resume(consultation.id + 1, clinician.id)


def test_lists_are_newest_first_and_filtered(
    services: Services,
    clinician: Clinician,
    make_patient: Callable[..., Patient],
    pack: ContentPack,
) -> None:
    other = add_person(
        services,
        ClinicianDraft("Ben Okafor", ClinicianRole.FELLOW, "7654321", "City Hospital"),
        {Role.SURGEON},
        "ben",
    )
    alice, bob = make_patient("Alice Ames"), make_patient("Bob Brown")
    start = services.consultations.start
    first = start(alice.id, clinician.id, PACK_ID, "balloon").header.id
    sign_in(services, "ben")
    second = start(bob.id, other.id, PACK_ID, "spinejack").header.id
    sign_in(services, "anna")
    third = start(alice.id, clinician.id, PACK_ID, "balloon").header.id
    services.consultations.end(third, clinician.id)
    services.consultations.set_topic_state(
        first, _first_topic(pack), TopicState.DECLINED, "", clinician.id
    )
    assert [s.id for s in services.consultations.unfinished()] == [second, first]
    mine = services.consultations.unfinished(clinician.id)
    assert [s.id for s in mine] == [first]
    assert (mine[0].settled, mine[0].total) == (1, len(pack.topics_for("balloon")))
    assert mine[0].patient == alice
    assert mine[0].clinician_name == clinician.name
    assert mine[0].variant_name == pack.variant("balloon").name
    assert [s.id for s in services.consultations.for_patient(alice.id)] == [third, first]
    with pytest.raises(NotFound):
        services.consultations.for_patient(bob.id + 100)


def test_unknown_consultations_are_not_found(services: Services, clinician: Clinician) -> None:
    with pytest.raises(NotFound):
        services.consultations.load(1)
    with pytest.raises(NotFound):
        services.consultations.history(1)
