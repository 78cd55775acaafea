"""A writer to be killed: random edits through the services, each acknowledged once it returns.

Run by ``test_crash_durability`` (and ``benchmarks/crash_kill.py``) as
``python crash_writer.py DATABASE_URL SEED``. It opens the database the way
the app does (``open_services``), prints ``ready`` with the time, then edits
consultations for ever. After
each service call returns it prints one line, ``ack {json}``, and flushes: a
line on stdout is a promise that the change is durable. The parent kills it
with SIGKILL and checks that every promise was kept.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date

from consult_aid.domain.consultation import Change, Detail, TopicState
from consult_aid.domain.errors import Conflict
from consult_aid.domain.people import PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import Services, open_services
from tests.signing_in import FAST_HASHING, first_person, sign_in

PACK_ID = "balloon-kyphoplasty"
DETAIL_VALUES = {
    Detail.LEVELS: ["T12", "L1", "T11, T12", "L2 L3"],
    Detail.PLACE: ["Clinic 4", "Spinal outpatients", ""],
    Detail.DECISION: ["proceed", "time_to_reflect", "undecided"],
    Detail.CAPACITY: ["presumed", "assessed_has_capacity"],
    Detail.OTHERS_PRESENT: ["Daughter (Sarah)", ""],
}


def _say(record: dict[str, object]) -> None:
    sys.stdout.write("ack " + json.dumps(record, sort_keys=True) + "\n")
    sys.stdout.flush()


def _ack_change(consultation_id: int, change: Change | None) -> None:
    if change is not None:
        _say(
            {
                "type": "change",
                "consultation": consultation_id,
                "seq": change.seq,
                "kind": change.kind.value,
                "key": change.key,
                "value": change.value,
            }
        )


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = str(rng.randrange(999_000_000, 999_999_999))
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return digits + str(check)


def _add_patient(services: Services, rng: random.Random, by: int) -> int | None:
    draft = PatientDraft("Zoë Łukasiewicz", date(1944, 5, 17), _nhs_number(rng), "RX1234")
    try:
        patient = services.patients.add(draft, by)
    except Conflict:
        return None
    _say({"type": "patient", "id": patient.id, "nhs_number": patient.nhs_number})
    return patient.id


def _start(services: Services, rng: random.Random, by: int) -> int:
    patients = services.patients.search("", limit=5)
    patient_id = patients[0].id if patients else _add_patient(services, rng, by)
    while patient_id is None:
        patient_id = _add_patient(services, rng, by)
    variant = rng.choice(["balloon", "spinejack"])
    view = services.consultations.start(patient_id, by, PACK_ID, variant)
    _say({"type": "consultation", "id": view.header.id})
    return view.header.id


def run(url: str, seed: int) -> None:
    """Edit at random until killed."""
    rng = random.Random(seed)
    services = open_services(url, procedures_dir(), password_hashing=FAST_HASHING)
    if services.accounts.needs_first_administrator():
        by = first_person(services).id
    else:
        by = sign_in(services, "anna").id
    open_ones = services.consultations.unfinished()
    cid = open_ones[0].id if open_ones else _start(services, rng, by)
    consultations = services.consultations
    pack = consultations.load(cid).pack
    # The system-wide monotonic clock lets the parent time the writing alone.
    sys.stdout.write(f"ready {time.monotonic()}\n")
    sys.stdout.flush()
    while True:
        view = consultations.load(cid)
        topics = [t.id for t in view.pack.topics_for(view.header.variant_id)]
        roll = rng.random()
        if roll < 0.30:
            state = rng.choice(list(TopicState))
            reason = "Not relevant here" if state is TopicState.NOT_APPLICABLE else ""
            _ack_change(
                cid, consultations.set_topic_state(cid, rng.choice(topics), state, reason, by)
            )
        elif roll < 0.50:
            text = f"Note {rng.randrange(10**6)} — Zoë asked about this."
            _ack_change(cid, consultations.set_note(cid, rng.choice(topics), text, by))
        elif roll < 0.58:
            material = rng.random() < 0.5
            _ack_change(cid, consultations.set_material(cid, rng.choice(topics), material, by))
        elif roll < 0.66:
            item = rng.choice(pack.risk_factors).id
            _ack_change(cid, consultations.set_risk_factor(cid, item, rng.random() < 0.5, by))
        elif roll < 0.72:
            item = rng.choice(pack.medicines).id
            _ack_change(cid, consultations.set_medicine(cid, item, rng.random() < 0.5, by))
        elif roll < 0.82:
            asked = [q.id for q in view.state.questions]
            if asked and rng.random() < 0.3:
                _ack_change(cid, consultations.remove_question(cid, rng.choice(asked), by))
            else:
                qid = rng.choice(asked) if asked and rng.random() < 0.5 else None
                answer = f"Answer {rng.randrange(1000)}"
                change = consultations.save_question(cid, qid, "Will it hurt?", answer, by)
                _ack_change(cid, change)
        elif roll < 0.95:
            which = rng.choice(list(DETAIL_VALUES))
            value = rng.choice(DETAIL_VALUES[which])
            _ack_change(cid, consultations.set_detail(cid, which, value, by))
        elif roll < 0.98:
            _add_patient(services, rng, by)
        else:
            _ack_change(cid, consultations.end(cid, by))
            cid = _start(services, rng, by)


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]))
