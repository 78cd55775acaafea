"""Fill a database with many realistic consultations, for the audit-scale benchmark.

Each consultation gets a change log and the projection rows that replaying it
gives (topic states, notes, material flags, details), so the database reads as
if the real services had written it; some records are finalised (kept, signed and
counted for coverage, as finalising does) and a few of those amended; every
change, finalisation and addendum has its signed audit event (generate_audit),
so ``consult-aid verify`` finds the chain intact. Rows go in with
SQLAlchemy Core ``executemany`` in large transactions: the services'
one-transaction-per-edit would take hours here.

Usage: python benchmarks/generate_records.py PATH [--count N] [--patients N] [--seed N]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert

from consult_aid.content.loader import load_pack_text
from consult_aid.domain.consultation import ChangeKind, Decision, Detail, TopicState
from consult_aid.domain.content import ContentPack, SectionKind
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.domain.people import Clinician, ClinicianRole, Patient
from consult_aid.paths import procedures_dir
from consult_aid.services.record_requests import basis
from consult_aid.storage.database import Database
from consult_aid.storage.models import (
    AddendumRow,
    ChangeRow,
    ClinicianRow,
    ConsultationRow,
    DetailRow,
    PackSnapshotRow,
    PatientRow,
    TopicStateRow,
)
from consult_aid.storage.reporting_counts import CoverageCounts
from consult_aid.storage.search_key import fold

# Run as a script, the repository root is not on the path; the audit writer lives beside this.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate_audit import Chain, Finalised, sign_consultations

PACK_FILE = "balloon-kyphoplasty.yaml"
FIRST_DAY = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 731  # two years
CHUNK = 5_000  # consultations per transaction

_FIRST = [
    "Margaret",
    "Zoë",
    "Agnieszka",
    "Siobhán",
    "José",
    "Dorothy",
    "Brian",
    "Łukasz",
    "Renée",
    "Ahmed",
    "Priya",
    "Håkon",
    "Gwen",
    "Oluwaseun",
    "Ines",
    "Søren",
    "Mary",
    "John",
    "Patricia",
    "Peter",
    "Aoife",
    "Chloé",
    "Björn",
    "Fatima",
]
_LAST = [
    "Hughes",
    "Łukasiewicz",
    "O'Brien",
    "Núñez",
    "Patel",
    "Smith",
    "Jones",
    "Williams",
    "Müller",
    "Brontë",
    "Kowalski",
    "Nguyen",
    "Ó",
    "Súilleabháin",
    "Evans",
    "Davies",
    "Okafor",
    "Ferreira",
    "Dubois",
    "Andersen",
    "Khan",
    "Taylor",
]
_CLINICIANS = (
    ("Anna Rahman", "Consultant spinal surgeon"),
    ("David Okoye", "Consultant spinal surgeon"),
    ("Élodie Martin", "Consultant spinal surgeon"),
    ("Sam Whitfield", "Specialist registrar"),
    ("Kirsty Bell", "Specialist registrar"),
    ("Jonas Berg", "Spinal fellow"),
    ("Ruth Adeyemi", "Advanced nurse practitioner"),
    ("Tomás Reyes", "Specialty doctor (spinal surgery)"),
)
_NA_REASONS = (
    "Covered at the previous visit",
    "Not relevant: no anticoagulants",
    "Patient is on dialysis",
)
_NOTES = (
    "Patient asked about driving afterwards; advised six weeks.",
    "Daughter present, asked about recovery at home.",
    "=SUM(A1:A9) typed by mistake",  # a note a spreadsheet would read as a formula
    "Understood the figures; wants to think it over with family.",
)


def nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers (modulus 11) from the synthetic range 999 000 0000 upwards."""
    for stem in itertools.count(999_000_000):
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            yield digits + str(check)


def generate(path: Path, count: int, patients: int, seed: int) -> float:
    """Create ``path`` holding ``count`` consultations; return the seconds it took."""
    if path.exists():
        raise FileExistsError(f"{path} already exists; give a new path.")
    started = time.perf_counter()
    rng = random.Random(seed)
    db = Database.open(f"sqlite:///{path.as_posix()}")
    text = (procedures_dir() / PACK_FILE).read_text(encoding="utf-8")
    pack = load_pack_text(text, PACK_FILE)
    now = FIRST_DAY
    try:
        with db.engine.begin() as connection:
            connection.execute(
                insert(PackSnapshotRow),
                [
                    {
                        "content_hash": pack.info.content_hash,
                        "pack_id": pack.id,
                        "version": pack.info.version,
                        "text": text,
                        "stored_at": now,
                    }
                ],
            )
            connection.execute(
                insert(ClinicianRow),
                [
                    {
                        "id": i + 1,
                        "name": name,
                        "role": role,
                        "gmc_number": f"{7_100_000 + i}",
                        "hospital": "City Hospital",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, (name, role) in enumerate(_CLINICIANS)
                ],
            )
            people = _insert_patients(connection, rng, patients)
        clinicians = {
            i + 1: Clinician(i + 1, name, ClinicianRole(role), f"{7_100_000 + i}", "City Hospital")
            for i, (name, role) in enumerate(_CLINICIANS)
        }
        chain = Chain()
        next_id = 1
        while next_id <= count:
            last = min(count, next_id + CHUNK - 1)
            ids = range(next_id, last + 1)
            with db.engine.begin() as connection:
                finals = _insert_consultations(connection, rng, pack, ids, people)
                kept = {
                    cid: Finalised(at, by, basis(people[patient], {by: clinicians[by]}))
                    for cid, (at, by, patient) in finals.items()
                }
                sign_consultations(connection, chain, ids, kept)
            next_id = last + 1
        # Finalising through the services counts each record for coverage; rows put
        # in around the services are counted here, all at once.
        with db.write_session() as session, session.begin():
            CoverageCounts(session).rebuild()
    finally:
        db.close()
    return time.perf_counter() - started


def _insert_patients(connection: Connection, rng: random.Random, count: int) -> list[Patient]:
    """Insert the patients; return them by id (index 0 unused), as finalising keeps them."""
    numbers = nhs_numbers()
    rows: list[dict[str, Any]] = []
    for i in range(count):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        rows.append(
            {
                "id": i + 1,
                "nhs_number": next(numbers),
                "name": name,
                "search_key": fold(name),
                "date_of_birth": date(
                    1925 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
                "hospital_number": f"RX{100_000 + i}",
                "leaflet_format": "standard",
                "created_at": FIRST_DAY,
                "created_by": 1,
                "updated_at": FIRST_DAY,
                "updated_by": 1,
            }
        )
    connection.execute(insert(PatientRow), rows)
    people = [Patient(0, "", FIRST_DAY.date(), "", "")]
    people += [
        Patient(r["id"], r["name"], r["date_of_birth"], r["nhs_number"], r["hospital_number"])
        for r in rows
    ]
    return people


def _insert_consultations(
    connection: Connection, rng: random.Random, pack: ContentPack, ids: range, people: list[Patient]
) -> dict[int, tuple[datetime, int, int]]:
    """Insert the consultations of ``people`` (by id; index 0 unused).

    Returns the finalised ones' (time, clinician, patient).
    """
    patients = len(people) - 1
    finals: dict[int, tuple[datetime, int, int]] = {}
    heads: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    addenda: list[dict[str, Any]] = []
    for cid in ids:
        variant = "balloon" if rng.random() < 0.7 else "spinejack"
        clinician = 1 + min(int(rng.expovariate(0.45)), len(_CLINICIANS) - 1)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        start = day.replace(hour=8 + rng.randrange(9), minute=rng.randrange(60))
        at = start
        finalised = rng.random() < 0.6
        mine: list[dict[str, Any]] = []
        log: list[tuple[ChangeKind, str, dict[str, Any]]] = [
            (ChangeKind.CREATED, pack.id, {"pack_id": pack.id, "variant_id": variant})
        ]
        for topic in pack.topics_for(variant):
            material = topic.severity is not None and rng.random() < 0.08
            if material:
                log.append((ChangeKind.TOPIC_MATERIAL, topic.id, {"material": True}))
            roll = rng.random()
            if not finalised and roll < 0.08:
                state = TopicState.NOT_ADDRESSED  # drafts still have open topics
            elif roll < 0.86:
                state = TopicState.DISCUSSED
            elif roll < 0.93 or pack.section_of(topic.id).kind is SectionKind.ALTERNATIVES:
                state = TopicState.DECLINED
            else:
                state = TopicState.NOT_APPLICABLE
            reason = rng.choice(_NA_REASONS) if state is TopicState.NOT_APPLICABLE else ""
            note = rng.choice(_NOTES) if rng.random() < 0.12 else ""
            if state is not TopicState.NOT_ADDRESSED:
                log.append(
                    (ChangeKind.TOPIC_STATE, topic.id, {"state": state.value, "reason": reason})
                )
            if note:
                log.append((ChangeKind.TOPIC_NOTE, topic.id, {"text": note}))
            if material or note or state is not TopicState.NOT_ADDRESSED:
                mine.append(
                    {
                        "consultation_id": cid,
                        "topic_id": topic.id,
                        "state": state.value,
                        "reason": reason,
                        "note": note,
                        "material": material,
                        "changed_at": None,  # filled in below, from the log
                        "changed_by": None,
                    }
                )
        decision = rng.choices(list(Decision), weights=(1, 6, 3, 1))[0]
        values = {
            Detail.LEVELS: rng.choice(("T12", "L1", "T12, L1", "L2")),
            Detail.CAPACITY: "presumed",
        }
        if finalised or rng.random() < 0.7:
            values[Detail.DECISION] = decision.value
        for detail, value in values.items():
            log.append((ChangeKind.DETAIL, detail.value, {"value": value}))
            details.append({"consultation_id": cid, "detail": detail.value, "value": value})
        ended = finalised or rng.random() < 0.8
        if ended:
            log.append((ChangeKind.ENDED, "", {}))
        stamp: dict[str, datetime] = {}
        for seq, (kind, key, change) in enumerate(log, start=1):
            at += timedelta(seconds=5 + rng.randrange(40))
            if kind is ChangeKind.TOPIC_STATE:
                stamp[key] = at
            changes.append(
                {
                    "consultation_id": cid,
                    "seq": seq,
                    "kind": kind.value,
                    "key": key,
                    "value": change,
                    "at": at,
                    "clinician_id": clinician,
                }
            )
        for row in mine:
            if row["topic_id"] in stamp:
                row["changed_at"], row["changed_by"] = stamp[row["topic_id"]], clinician
        states.extend(mine)
        final_at = at + timedelta(minutes=2) if finalised else None
        patient = 1 + rng.randrange(patients)
        if final_at is not None:
            finals[cid] = (final_at, clinician, patient)
        amended = final_at is not None and rng.random() < 0.05
        heads.append(
            {
                "id": cid,
                "patient_id": patient,
                "patient_key": fold(people[patient].name),
                "clinician_id": clinician,
                "pack_id": pack.id,
                "pack_version": pack.info.version,
                "pack_hash": pack.info.content_hash,
                "variant_id": variant,
                "started_at": start,
                "ended_at": at if ended else None,
                "finalised_at": final_at,
                "finalised_by": clinician if finalised else None,
                # With patient_key, the copies the services keep for the records browser.
                "decision": values.get(Detail.DECISION, Decision.UNDECIDED.value),
                "status": (
                    RecordStatus.DRAFT
                    if final_at is None
                    else RecordStatus.AMENDED
                    if amended
                    else RecordStatus.FINALISED
                ).value,
            }
        )
        if final_at is not None and amended:
            addenda.append(
                {
                    "consultation_id": cid,
                    "at": final_at + timedelta(days=1 + rng.randrange(20)),
                    "by": clinician,
                    "reason": "Level corrected after imaging review",
                    "text": "The fracture is at L1, not T12.",
                }
            )
    connection.execute(insert(ConsultationRow), heads)
    connection.execute(insert(ChangeRow), changes)
    connection.execute(insert(TopicStateRow), states)
    connection.execute(insert(DetailRow), details)
    if addenda:
        connection.execute(insert(AddendumRow), addenda)
    return finals


def main(argv: list[str] | None = None) -> int:
    """Generate the database named on the command line and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--patients", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    seconds = generate(args.path, args.count, args.patients, args.seed)
    print(f"{args.count:,} consultations in {seconds:.1f} s ({args.count / seconds:,.0f} a second)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
