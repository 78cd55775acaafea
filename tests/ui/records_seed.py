"""Small databases of consultations for the finalising and audit tests, made by the services."""

from __future__ import annotations

from datetime import date

from consult_aid.domain.consultation import Capacity, Decision, Detail, TopicState
from consult_aid.domain.people import PatientDraft
from consult_aid.services.bundle import Services
from tests.signing_in import act_as

PACK = "balloon-kyphoplasty"
VARIANT = "balloon"


def patient(services: Services, by: int, serial: int, name: str) -> int:
    """Store a patient with a synthetic NHS number; return its id."""
    from tests.ui.conftest import Harness

    draft = PatientDraft(name, date(1941, 3, 2), Harness.nhs_number(serial), f"RX{serial}")
    act_as(services, by)
    return services.patients.add(draft, by).id


def consultation(
    services: Services,
    patient_id: int,
    by: int,
    *,
    states: dict[int, TopicState] | None = None,
    leave_open: int = 0,
    decision: Decision | None = Decision.PROCEED,
    variant: str = VARIANT,
) -> int:
    """Start a consultation and settle it; return its id.

    Every topic is discussed unless ``states`` says otherwise (by topic position), the
    last ``leave_open`` topics are left open; levels, capacity and (unless None) the
    decision are recorded.
    """
    consultations = services.consultations
    act_as(services, by)  # a consultation is held by its own surgeon, signed in
    view = consultations.start(patient_id, by, PACK, variant)
    cid = view.header.id
    topics = view.pack.topics_for(variant)
    chosen = states or {}
    for number, topic in enumerate(topics[: len(topics) - leave_open]):
        state = chosen.get(number, TopicState.DISCUSSED)
        reason = "Not relevant to this patient" if state is TopicState.NOT_APPLICABLE else ""
        if state is not TopicState.NOT_ADDRESSED:
            consultations.set_topic_state(cid, topic.id, state, reason, by)
    consultations.set_detail(cid, Detail.LEVELS, "T12", by)
    consultations.set_detail(cid, Detail.CAPACITY, Capacity.PRESUMED.value, by)
    if decision is not None:
        consultations.set_detail(cid, Detail.DECISION, decision.value, by)
    return cid
