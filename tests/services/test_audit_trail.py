"""Every service write appends exactly one audit row naming who made it; no-ops append none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from consult_aid.domain.consultation import ConsultationHeader, Detail, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.services.bundle import Services
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.models import AuditRow
from tests.signing_in import first_person


def _rows(services: Services) -> list[AuditRow]:
    with services.db.session() as session, session.begin():
        return AuditLog(session).rows()


def test_first_run_setup_is_audited_in_the_administrators_name(services: Services) -> None:
    made = first_person(services)
    setup, signed_in = _rows(services)
    assert (setup.action, setup.entity, setup.entity_id) == (
        "account.first_administrator",
        "account",
        str(made.id),
    )
    assert setup.clinician_id == made.id
    assert setup.at.tzinfo is not None
    assert (signed_in.action, signed_in.clinician_id) == ("sign_in", made.id)


def test_every_write_is_audited_once_with_its_author(
    services: Services, clinician: Clinician, consultation: ConsultationHeader, pack: ContentPack
) -> None:
    before = _rows(services)
    cid, by, topic = consultation.id, clinician.id, pack.topics_for("balloon")[0].id
    writes: list[Callable[[], object]] = [
        lambda: services.patients.add(
            PatientDraft("Zoë Łukasiewicz", date(1944, 5, 17), "943 476 5919"), by
        ),
        lambda: services.clinicians.update(
            by, ClinicianDraft("Anna Rahman", ClinicianRole.FELLOW, "1234567", "City"), by
        ),
        lambda: services.consultations.set_topic_state(cid, topic, TopicState.DISCUSSED, "", by),
        lambda: services.consultations.set_note(cid, topic, "note", by),
        lambda: services.consultations.set_material(cid, topic, True, by),
        lambda: services.consultations.set_risk_factor(cid, pack.risk_factors[0].id, True, by),
        lambda: services.consultations.set_medicine(cid, pack.medicines[0].id, True, by),
        lambda: services.consultations.save_question(cid, None, "Why?", "Because", by),
        lambda: services.consultations.set_detail(cid, Detail.PLACE, "Clinic 4", by),
        lambda: services.consultations.resume(cid, by),
        lambda: services.consultations.end(cid, by),
    ]
    for write in writes:
        write()
    added = _rows(services)[len(before) :]
    assert len(added) == len(writes)
    assert all(row.clinician_id == by for row in added)
    assert [row.id for row in added] == sorted({row.id for row in added})
    assert added[0].action == "patient.add"
    assert "Zoë" not in str(added[0].detail)  # the audit names fields, never patient details
    assert [row.action for row in added[2:]] == [
        "consultation.topic_state",
        "consultation.topic_note",
        "consultation.topic_material",
        "consultation.risk_factor",
        "consultation.medicine",
        "consultation.question",
        "consultation.detail",
        "consultation.resumed",
        "consultation.ended",
    ]
    seqs = [row.detail["seq"] for row in added[2:]]
    assert seqs == [c.seq for c in services.consultations.history(cid)[1:]]


def test_no_op_edits_add_no_audit_rows(
    services: Services, clinician: Clinician, consultation: ConsultationHeader, pack: ContentPack
) -> None:
    before = len(_rows(services))
    topic = pack.topics_for("balloon")[0].id
    assert services.consultations.set_material(consultation.id, topic, False, clinician.id) is None
    assert (
        services.consultations.set_detail(consultation.id, Detail.PLACE, "", clinician.id) is None
    )
    assert len(_rows(services)) == before
