"""Tampering made directly in the database is always found, and a clean store never flagged.

One realistic database is prepared (many random actions by two clinicians,
records finalised and amended, views, prints, an export, a patient corrected
after finalising). Each tampering is made with the standard library's sqlite3
on a fresh copy (backup API): random edits of any column, deletions,
insertions, swaps and renumberings of audit events, and edits of finalised
records, consultations, change-log rows and addenda. Every one must be found,
and the report must name the first event or record that was touched.
"""

# The tamperings build SQL from column names taken from fixed lists and the schema itself.
# ruff: noqa: S608

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from consult_aid.domain.access import Role
from consult_aid.domain.consultation import Capacity, Decision, Detail, TopicState
from consult_aid.domain.documents import Output
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.documents import document_event
from consult_aid.storage import audit_seals
from consult_aid.storage.audit_verify import VerifyReport
from consult_aid.storage.audit_verify_parallel import fast_check
from consult_aid.storage.database import Database
from tests.signing_in import FAST_HASHING, add_person, first_person, sign_in, verifier_access

PACK_ID = "balloon-kyphoplasty"
KEY = bytes(range(32))
NHS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]
TAMPERINGS = 1_100


def realistic_session(services: Services, rng: random.Random, consultations: int) -> None:
    """Many random actions, as clinic would make them, through the services only."""
    first = first_person(services)
    tom = add_person(
        services,
        ClinicianDraft("Tom Okafor", ClinicianRole.CONSULTANT_SURGEON, "7654321", "City Hospital"),
        {Role.SURGEON, Role.SECRETARY, Role.AUDITOR},
        "tom",
    )
    people = [first.id, tom.id]
    names = {first.id: "anna", tom.id: "tom"}

    def act(person: int) -> None:
        # Each person signs in to do their part; a sign-in is an audit event too.
        if services.access.current is None or services.access.current.person_id != person:
            sign_in(services, names[person])

    patients = [
        services.patients.add(PatientDraft(f"Patient {n}", date(1940, 1, 1 + n), nhs), people[0])
        for n, nhs in enumerate(NHS)
    ]
    pack = services.library.current(PACK_ID)
    edits = services.consultations
    for _ in range(consultations):
        by = rng.choice(people)
        act(by)
        variant = rng.choice([variant.id for variant in pack.variants])
        cid = edits.start(rng.choice(patients).id, by, PACK_ID, variant).header.id
        for topic in pack.topics_for(variant):
            state = rng.choice(
                [TopicState.DISCUSSED, TopicState.DECLINED, TopicState.NOT_APPLICABLE]
            )
            edits.set_topic_state(cid, topic.id, state, "Not relevant to this patient", by)
            if rng.random() < 0.3:
                edits.set_note(
                    cid, topic.id, rng.choice(["Asked about pain", "Zoë's daughter"]), by
                )
                rng.choice(people)  # (kept: the rest of the session stays as it was)
                edits.set_note(cid, topic.id, "Revised note", by)
            if rng.random() < 0.2:
                edits.set_material(cid, topic.id, True, by)
        edits.set_risk_factor(cid, rng.choice(pack.risk_factors).id, True, by)
        edits.set_medicine(cid, rng.choice(pack.medicines).id, True, by)
        asked = edits.save_question(cid, None, "Will it hurt?", "A little, for a day", by)
        if rng.random() < 0.5:
            edits.remove_question(cid, asked.key, by)
        edits.set_detail(cid, Detail.LEVELS, rng.choice(["T12", "L1, L2"]), by)
        edits.set_detail(cid, Detail.CAPACITY, Capacity.PRESUMED.value, by)
        edits.set_detail(cid, Detail.DECISION, rng.choice(list(Decision)).value, by)
        if rng.random() < 0.3:
            rng.choice(people)
            edits.resume(cid, by)
        edits.end(cid, by)
        if rng.random() < 0.7:
            edits.finalise(cid, by)
            for _ in range(rng.randrange(3)):
                rng.choice(people)
                edits.add_addendum(cid, "Correction", "The level was L1 only.", by)
            viewer = rng.choice(people)
            act(viewer)
            edits.record_view(cid, viewer)
            doc = services.documents.finalised_record(cid)
            services.documents.record_events([document_event(doc, Output.PRINTER, "Ward", viewer)])
    act(people[0])
    services.patients.update(
        patients[0].id, PatientDraft("Renamed", date(1940, 1, 1), NHS[0]), people[0]
    )
    act(people[1])
    services.audit.record_export(people[1], "records CSV", consultations)


# Events per sealed block while the prepared database is written: small, so that it
# holds many seals (and an unsealed tail) for the tamperings to meet.
SMALL_BLOCKS = 16


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prepared") / "clinic.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_seals, "SEAL_EVENTS", SMALL_BLOCKS)
        services = open_services(
            f"sqlite:///{path.as_posix()}",
            procedures_dir(),
            audit_key=KEY,
            password_hashing=FAST_HASHING,
        )
        try:
            realistic_session(services, random.Random(5), consultations=8)
        finally:
            services.close()
    with closing(sqlite3.connect(path)) as db:
        (events,) = db.execute("SELECT count(*) FROM audit_log").fetchone()
        (seals,) = db.execute("SELECT count(*) FROM audit_seals").fetchone()
    assert seals == events // SMALL_BLOCKS > 10  # sealed as written, with a tail after
    return path


@dataclass
class Checker:
    """Verifies copies of the prepared database with one content library (packs cached)."""

    url: str
    library: ContentLibrary

    def verify(
        self, key: bytes = KEY, deep: bool = False, parallel: bool | None = None
    ) -> VerifyReport:
        db = Database.open(self.url)
        try:
            return AuditTrail(db, key, self.library, verifier_access()).verify(
                deep=deep, parallel=parallel
            )
        finally:
            db.close()


@pytest.fixture(scope="module")
def checker(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checker]:
    db = Database.open(f"sqlite:///{prepared.as_posix()}")
    library = ContentLibrary(db, procedures_dir())
    library.current(PACK_ID)  # parses and caches the pack the records were held with
    copy = tmp_path_factory.mktemp("copies") / "copy.sqlite3"
    yield Checker(f"sqlite:///{copy.as_posix()}", library)
    db.close()


def _copy(source: Path, target: Path) -> sqlite3.Connection:
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as original:
        copy = sqlite3.connect(target, isolation_level=None)
        original.backup(copy)
    return copy


def _rows(db: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return db.execute(sql).fetchall()


def _different(value: Any, rng: random.Random) -> Any:
    if value is None:
        return rng.choice([1, "x"])
    if isinstance(value, int):
        return value + rng.choice([1, -1, 7])
    if isinstance(value, bytes):
        at = rng.randrange(len(value))
        return value[:at] + bytes([value[at] ^ 0x01]) + value[at + 1 :]
    text = str(value)
    if text and rng.random() < 0.5:
        at = rng.randrange(len(text))
        return text[:at] + ("y" if text[at] != "y" else "z") + text[at + 1 :]
    return text + " "


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


# A tampering changes the copy and returns (event id, record id) the report must name,
# or (event id, record id, seal number); None for one of them means "any value".
Named = tuple[int | None, int | None] | tuple[int | None, int | None, int | None]
Tamper = Callable[[sqlite3.Connection, random.Random], Named]


def edit_event(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    ids = [row[0] for row in _rows(db, "SELECT id FROM audit_log")]
    event_id = rng.choice(ids)
    column = rng.choice([c for c in _columns(db, "audit_log") if c != "id"])
    (value,) = db.execute(f"SELECT {column} FROM audit_log WHERE id = ?", (event_id,)).fetchone()
    db.execute(
        f"UPDATE audit_log SET {column} = ? WHERE id = ?", (_different(value, rng), event_id)
    )
    return event_id, None


def delete_event(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    event_id = rng.choice([row[0] for row in _rows(db, "SELECT id FROM audit_log")])
    db.execute("DELETE FROM audit_log WHERE id = ?", (event_id,))
    return event_id, None


def insert_event(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    columns = [c for c in _columns(db, "audit_log") if c != "id"]
    (last,) = db.execute("SELECT max(id) FROM audit_log").fetchone()
    source = rng.randrange(1, last + 1)
    new_id = rng.choice([last + 1, 0])
    names = ", ".join(columns)
    db.execute(
        f"INSERT INTO audit_log (id, {names}) SELECT ?, {names} FROM audit_log WHERE id = ?",
        (new_id, source),
    )
    return new_id, None


def swap_events(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    ids = [row[0] for row in _rows(db, "SELECT id FROM audit_log")]
    first, second = sorted(rng.sample(ids, 2))
    if rng.random() < 0.5:
        # Renumber: the two events trade places in id order.
        db.execute("UPDATE audit_log SET id = -1 WHERE id = ?", (first,))
        db.execute("UPDATE audit_log SET id = ? WHERE id = ?", (first, second))
        db.execute("UPDATE audit_log SET id = ? WHERE id = -1", (second,))
    else:
        _swap_contents(db, "audit_log", first, second)
    return first, None


def _swap_contents(db: sqlite3.Connection, table: str, first: int, second: int) -> None:
    """Two rows of ``table`` trade every column but their ids."""
    columns = [c for c in _columns(db, table) if c != "id"]
    one = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (first,))
    values_one = one.fetchone()
    two = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (second,))
    values_two = two.fetchone()
    sets = ", ".join(f"{c} = ?" for c in columns)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values_two, first))
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values_one, second))


def edit_head(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    if rng.random() < 0.2:
        db.execute("DELETE FROM audit_chain")
    else:
        column = rng.choice(["event_count", "last_event_id", "last_mac", "head_mac", "seal_count"])
        (value,) = db.execute(f"SELECT {column} FROM audit_chain").fetchone()
        db.execute(f"UPDATE audit_chain SET {column} = ?", (_different(value, rng),))
    return None, None


def edit_record(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    cid = rng.choice([row[0] for row in _rows(db, "SELECT consultation_id FROM finalised_records")])
    action = rng.random()
    if action < 0.1:
        db.execute("DELETE FROM finalised_records WHERE consultation_id = ?", (cid,))
        return None, cid
    if action < 0.25:
        column = rng.choice(["finalised_at", "finalised_by"])
        (old,) = db.execute(f"SELECT {column} FROM consultations WHERE id = ?", (cid,)).fetchone()
        value = rng.choice([None, _different(old, rng)])
        db.execute(f"UPDATE consultations SET {column} = ? WHERE id = ?", (value, cid))
        return None, cid
    column = rng.choice(["pdf", "pdf", "pdf_sha256", "fingerprint", "record_version", "made_at"])
    if action > 0.9:
        column = "basis"
        db.execute(
            "UPDATE finalised_records SET basis = replace(basis, 'Patient', 'Pateint') "
            "WHERE consultation_id = ?",
            (cid,),
        )
        return None, cid
    (value,) = db.execute(
        f"SELECT {column} FROM finalised_records WHERE consultation_id = ?", (cid,)
    ).fetchone()
    db.execute(
        f"UPDATE finalised_records SET {column} = ? WHERE consultation_id = ?",
        (_different(value, rng), cid),
    )
    return None, cid


def edit_change(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    change_id, cid, _seq = rng.choice(
        _rows(db, "SELECT id, consultation_id, seq FROM consultation_changes")
    )
    action = rng.random()
    if action < 0.15:
        db.execute("DELETE FROM consultation_changes WHERE id = ?", (change_id,))
        return None, cid
    if action < 0.3:
        (last,) = db.execute(
            "SELECT max(seq) FROM consultation_changes WHERE consultation_id = ?", (cid,)
        ).fetchone()
        db.execute(
            "INSERT INTO consultation_changes (consultation_id, seq, kind, key, value, at, "
            "clinician_id) SELECT consultation_id, ?, kind, key, value, at, clinician_id "
            "FROM consultation_changes WHERE id = ?",
            (last + 1, change_id),
        )
        return None, cid
    column = rng.choice(["kind", "key", "value", "at", "clinician_id", "seq", "consultation_id"])
    (value,) = db.execute(
        f"SELECT {column} FROM consultation_changes WHERE id = ?", (change_id,)
    ).fetchone()
    new = value + 1000 if column in ("seq",) else _different(value, rng)
    if column == "consultation_id":
        others = [r[0] for r in _rows(db, "SELECT id FROM consultations") if r[0] != cid]
        new = rng.choice(others)
        db.execute(
            "UPDATE consultation_changes SET consultation_id = ?, seq = seq + 1000 WHERE id = ?",
            (new, change_id),
        )
        return None, min(cid, new)
    db.execute(f"UPDATE consultation_changes SET {column} = ? WHERE id = ?", (new, change_id))
    return None, cid


def edit_addendum(db: sqlite3.Connection, rng: random.Random) -> tuple[int | None, int | None]:
    addendum_id, cid = rng.choice(_rows(db, "SELECT id, consultation_id FROM addenda"))
    if rng.random() < 0.2:
        db.execute("DELETE FROM addenda WHERE id = ?", (addendum_id,))
        return None, cid
    column = rng.choice(["at", "by", "reason", "text"])
    (value,) = db.execute(f"SELECT {column} FROM addenda WHERE id = ?", (addendum_id,)).fetchone()
    new = 2 if column == "by" and value == 1 else 1 if column == "by" else _different(value, rng)
    db.execute(f"UPDATE addenda SET {column} = ? WHERE id = ?", (new, addendum_id))
    return None, cid


def tamper_seal(db: sqlite3.Connection, rng: random.Random) -> Named:
    """Edit, remove, add or swap audit seals: the report names the first seal touched."""
    numbers = [row[0] for row in _rows(db, "SELECT id FROM audit_seals ORDER BY id")]
    number = rng.choice(numbers)
    action = rng.random()
    if action < 0.5:
        column = rng.choice([c for c in _columns(db, "audit_seals") if c != "id"])
        (value,) = db.execute(
            f"SELECT {column} FROM audit_seals WHERE id = ?", (number,)
        ).fetchone()
        db.execute(
            f"UPDATE audit_seals SET {column} = ? WHERE id = ?", (_different(value, rng), number)
        )
        return None, None, number
    if action < 0.7:
        db.execute("DELETE FROM audit_seals WHERE id = ?", (number,))
        return None, None, number
    if action < 0.85:
        # A copy of a seal added as the newest: its mac does not cover its new number.
        names = ", ".join(c for c in _columns(db, "audit_seals") if c != "id")
        db.execute(
            f"INSERT INTO audit_seals (id, {names}) SELECT ?, {names} FROM audit_seals "
            "WHERE id = ?",
            (max(numbers) + 1, number),
        )
        return None, None, max(numbers) + 1
    first, second = sorted(rng.sample(numbers, 2))
    _swap_contents(db, "audit_seals", first, second)
    return None, None, first


TAMPERS: list[tuple[Tamper, int]] = [
    (edit_event, 30),
    (delete_event, 10),
    (insert_event, 8),
    (swap_events, 10),
    (edit_head, 4),
    (edit_record, 12),
    (edit_change, 16),
    (edit_addendum, 6),
    (tamper_seal, 8),
]


@pytest.mark.parametrize(("deep", "parallel"), [(False, False), (True, False), (False, True)])
def test_the_prepared_database_is_clean(
    checker: Checker, prepared: Path, deep: bool, parallel: bool
) -> None:
    _copy(prepared, Path(checker.url.removeprefix("sqlite:///"))).close()
    report = checker.verify(deep=deep, parallel=parallel)
    assert report.ok, report.problem
    if parallel:  # proven by the parallel pass itself, not by falling back to the exact one
        proof = fast_check(checker.url.removeprefix("sqlite:///"), KEY, workers=3)
        assert proof is not None
        # Every sealed block was hashed whole against its seal, not checked event by event.
        with closing(sqlite3.connect(prepared)) as db:
            (seals,) = db.execute("SELECT count(*) FROM audit_seals").fetchone()
        assert proof.proven_seals == frozenset(range(1, seals + 1))
    assert report.events_checked > 300
    assert report.records_checked >= 3


def test_every_tampering_is_found_and_named(checker: Checker, prepared: Path) -> None:
    # The cheap check (no --deep): fingerprints are caught through the signed finalise event.
    assert _missed(checker, prepared, TAMPERINGS, random.Random(20261202), None) == []


def test_tampering_is_found_and_named_when_checked_in_parallel(
    checker: Checker, prepared: Path
) -> None:
    # The parallel pass may only prove a store intact; every tampering must still be named.
    assert _missed(checker, prepared, 150, random.Random(7), True) == []


def _missed(
    checker: Checker, prepared: Path, attempts: int, rng: random.Random, parallel: bool | None
) -> list[str]:
    target = Path(checker.url.removeprefix("sqlite:///"))
    tampers, weights = zip(*TAMPERS, strict=True)
    missed: list[str] = []
    for attempt in range(attempts):
        tamper = rng.choices(tampers, weights)[0]
        with closing(_copy(prepared, target)) as copy:
            # Foreign keys stay off, as they are for anyone editing the file by hand.
            expected_event, expected_record, *seal = tamper(copy, rng)
        expected_seal = seal[0] if seal else None
        report = checker.verify(parallel=parallel)
        named = (
            (expected_event is None or report.first_bad_event_id == expected_event)
            and (expected_record is None or report.first_bad_record_id == expected_record)
            and (expected_seal is None or report.first_bad_seal_id == expected_seal)
        )
        if report.ok or not named:
            missed.append(
                f"#{attempt} {tamper.__name__}: expected event {expected_event} record "
                f"{expected_record} seal {expected_seal}, got {report}"
            )
    return missed


def test_a_wrong_key_flags_the_first_event(checker: Checker, prepared: Path) -> None:
    _copy(prepared, Path(checker.url.removeprefix("sqlite:///"))).close()
    report = checker.verify(key=b"another key, not the one used!!")
    assert not report.ok
    assert report.first_bad_event_id == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_clean_random_session_is_never_flagged(tmp_path: Path, seed: int) -> None:
    url = f"sqlite:///{(tmp_path / 'clean.sqlite3').as_posix()}"
    services = open_services(url, procedures_dir(), audit_key=KEY, password_hashing=FAST_HASHING)
    try:
        realistic_session(services, random.Random(seed), consultations=3)
        report = services.audit.verify()
    finally:
        services.close()
    assert report.ok, report.problem
