"""The projection tables always equal the replayed change log, whatever edits are made."""

from __future__ import annotations

import random

import pytest

from consult_aid.domain.consultation import Detail, TopicState, replay
from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.people import Clinician, Patient
from consult_aid.services.bundle import Services

PACK_ID = "balloon-kyphoplasty"
DETAILS = {
    Detail.LEVELS: ["T12", "l1 t12", ""],
    Detail.PLACE: ["Clinic 4", ""],
    Detail.DECISION: ["proceed", "decline", "undecided"],
    Detail.CAPACITY_NOTE: ["Understood and weighed the options", ""],
}


def _random_edits(
    services: Services, cid: int, by: int, rng: random.Random, count: int
) -> tuple[int, int]:
    """Make ``count`` random edits; return how many were logged and how many were no-ops."""
    consultations = services.consultations
    view = consultations.load(cid)
    pack = view.pack
    topics = [t.id for t in pack.topics_for(view.header.variant_id)]
    logged = unchanged = 0
    for _ in range(count):
        questions = [q.id for q in consultations.load(cid).state.questions]
        roll = rng.randrange(9)
        topic = rng.choice(topics)
        if roll == 0:
            state = rng.choice(list(TopicState))
            reason = rng.choice(["", "Had it before"])
            try:
                change = consultations.set_topic_state(cid, topic, state, reason, by)
            except InvalidInput:
                continue  # "not applicable" without a reason: refused, nothing logged
        elif roll == 1:
            change = consultations.set_note(cid, topic, rng.choice(["", "asked twice", "ok"]), by)
        elif roll == 2:
            change = consultations.set_material(cid, topic, rng.random() < 0.5, by)
        elif roll == 3:
            item = rng.choice(pack.risk_factors).id
            change = consultations.set_risk_factor(cid, item, rng.random() < 0.5, by)
        elif roll == 4:
            item = rng.choice(pack.medicines).id
            change = consultations.set_medicine(cid, item, rng.random() < 0.5, by)
        elif roll == 5 or (roll == 6 and not questions):
            target = rng.choice([*questions, None])
            change = consultations.save_question(cid, target, "Why me?", str(rng.random()), by)
        elif roll == 6:
            change = consultations.remove_question(cid, rng.choice(questions), by)
        elif roll == 7:
            which = rng.choice(list(DETAILS))
            change = consultations.set_detail(cid, which, rng.choice(DETAILS[which]), by)
        else:
            consultations.resume(cid, by)
            logged += 1
            continue
        if change is None:
            unchanged += 1
        else:
            logged += 1
    return logged, unchanged


@pytest.mark.parametrize("seed", [7, 1234, 99_991])
def test_the_projection_equals_the_replayed_log(
    services: Services, patient: Patient, clinician: Clinician, seed: int
) -> None:
    rng = random.Random(seed)
    cids = [
        services.consultations.start(patient.id, clinician.id, PACK_ID, variant).header.id
        for variant in ("balloon", "spinejack")
    ]
    logged = unchanged = 0
    for _ in range(6):
        cid = rng.choice(cids)
        more, same = _random_edits(services, cid, clinician.id, rng, 25)
        logged, unchanged = logged + more, unchanged + same
        for each in cids:
            history = services.consultations.history(each)
            assert [c.seq for c in history] == list(range(1, len(history) + 1))
            assert services.consultations.load(each).state == replay(history)
    total = sum(len(services.consultations.history(cid)) for cid in cids)
    assert total == logged + len(cids)  # every logged edit, plus each CREATED
    assert unchanged > 0, "no edit was a no-op, so that path was not exercised"
