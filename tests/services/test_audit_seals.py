"""Audit seals: written as blocks fill, caught up after an upgrade, never over an altered block.

Over the real services with a small block size, so that a few dozen actions
fill several blocks. The seals must cover the events in order, block after
block, hash to what SQLite's own text gives (the fast pass proves them), be
counted by the chain's head, and be written only over a block that checks
out event by event.
"""

# The tamperings build SQL from fixed column names.

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import itertools
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from consult_aid.domain.consultation import ConsultationHeader, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician
from consult_aid.services.bundle import Services
from consult_aid.storage import audit_seals
from consult_aid.storage.audit_chain import canonical, head_mac
from consult_aid.storage.audit_seals import python_digests, seals_from_cursor, signed_seal
from consult_aid.storage.audit_verify_parallel import prove_file
from consult_aid.storage.audit_verify_seals import check_seals

BLOCK = 8


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(audit_seals, "SEAL_EVENTS", BLOCK)
    return BLOCK


def _path(services: Services) -> Path:
    return Path(str(services.db.engine.url.database))


_NOTES = itertools.count()


def _act(services: Services, cid: int, by: int, pack: ContentPack, times: int) -> None:
    """``times`` note edits, each a change (a new text) and so an event."""
    topics = pack.topics_for("balloon")
    for _ in range(times):
        n = next(_NOTES)
        services.consultations.set_note(cid, topics[n % len(topics)].id, f"note {n}", by)


def _events(db: sqlite3.Connection) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM audit_log ORDER BY id")]


def test_every_full_block_is_sealed_in_order_and_counted_by_the_head(
    services: Services,
    consultation: ConsultationHeader,
    clinician: Clinician,
    pack: ContentPack,
    small_blocks: int,
) -> None:
    _act(services, consultation.id, clinician.id, pack, 45)
    with closing(sqlite3.connect(_path(services))) as db:
        events = _events(db)
        seals = seals_from_cursor(db.cursor())
        (signed_count,) = db.execute("SELECT seal_count FROM audit_chain").fetchone()
        assert len(seals) == len(events) // small_blocks >= 5
        assert signed_count == len(seals)
        for number, seal in enumerate(seals, start=1):
            block = events[(number - 1) * small_blocks : number * small_blocks]
            assert (seal.id, seal.first_event_id, seal.last_event_id) == (
                number,
                block[0],
                block[-1],
            )
            assert seal.event_count == small_blocks
            assert signed_seal(services.db.audit_key or b"", seal)
            # The seal holds the application's own digests of its block.
            sealed = (seal.event_count, seal.events_sha256, seal.change_count, seal.changes_sha256)
            assert python_digests(db.cursor(), seal) == sealed
        # Note edits are consultation changes: most blocks seal some change rows.
        assert sum(seal.change_count for seal in seals) >= 30
    # SQLite's own text of each block hashes to its seal: the fast pass proves every one.
    proof = prove_file(str(_path(services)), services.db.audit_key or b"", workers=1)
    assert proof is not None
    assert proof.changes_proven
    assert proof.proven_seals == frozenset(range(1, len(seals) + 1))
    assert services.audit.verify().ok


def test_a_store_written_before_seals_is_sealed_block_by_block_as_events_come(
    services: Services,
    consultation: ConsultationHeader,
    clinician: Clinician,
    pack: ContentPack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Written with blocks too big to fill: as a store from before seals existed.
    monkeypatch.setattr(audit_seals, "SEAL_EVENTS", 10_000)
    _act(services, consultation.id, clinician.id, pack, 30)
    with closing(sqlite3.connect(_path(services))) as db:
        assert db.execute("SELECT count(*) FROM audit_seals").fetchone() == (0,)
        before = len(_events(db))
    assert services.audit.verify().ok
    monkeypatch.setattr(audit_seals, "SEAL_EVENTS", BLOCK)
    # Each new event seals one more block of the backlog, oldest first.
    _act(services, consultation.id, clinician.id, pack, 3)
    with closing(sqlite3.connect(_path(services))) as db:
        seals = seals_from_cursor(db.cursor())
        assert [seal.id for seal in seals] == [1, 2, 3]
        assert seals[0].first_event_id == _events(db)[0]
        assert before > 3 * BLOCK
    assert services.audit.verify().ok


def test_a_block_altered_before_it_was_sealed_is_left_unsealed_and_named(
    services: Services,
    consultation: ConsultationHeader,
    clinician: Clinician,
    pack: ContentPack,
    small_blocks: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _act(services, consultation.id, clinician.id, pack, 2 * small_blocks)
    path = _path(services)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        sealed = len(seals_from_cursor(db.cursor()))
        last_sealed = db.execute("SELECT max(last_event_id) FROM audit_seals").fetchone()[0]
        # An event of the open block is changed by hand.
        victim = last_sealed + 1
        db.execute("UPDATE audit_log SET workstation = 'elsewhere' WHERE id = ?", (victim,))
    with caplog.at_level(logging.WARNING, logger="consult_aid.storage.audit_seals"):
        _act(services, consultation.id, clinician.id, pack, small_blocks + 2)
    with closing(sqlite3.connect(path)) as db:
        assert len(seals_from_cursor(db.cursor())) == sealed  # nothing sealed over it
    assert any(f"event {victim} does not match" in r.getMessage() for r in caplog.records)
    report = services.audit.verify()
    assert not report.ok
    assert report.first_bad_event_id == victim


def test_a_change_row_altered_before_its_block_was_sealed_is_not_sealed_over(
    services: Services,
    consultation: ConsultationHeader,
    clinician: Clinician,
    pack: ContentPack,
    small_blocks: int,
) -> None:
    topic = pack.topics_for("balloon")[0].id
    services.consultations.set_topic_state(
        consultation.id, topic, TopicState.DISCUSSED, "", clinician.id
    )
    path = _path(services)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        assert db.execute("SELECT count(*) FROM audit_seals").fetchone() == (0,)
        db.execute(
            "UPDATE consultation_changes SET value = replace(value, 'discussed', 'declined') "
            "WHERE consultation_id = ? AND kind = 'topic_state'",
            (consultation.id,),
        )
    _act(services, consultation.id, clinician.id, pack, small_blocks + 1)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM audit_seals").fetchone() == (0,)
    report = services.audit.verify()
    assert not report.ok
    assert report.first_bad_record_id == consultation.id


def test_a_head_without_seals_is_signed_as_before_seals_existed() -> None:
    key = bytes(range(32))
    before = hmac.digest(key, canonical(["audit_chain", 5, 9, "ab"]), "sha256").hex()
    assert head_mac(key, 5, 9, "ab") == before
    assert head_mac(key, 5, 9, "ab", 0) == before
    # Once there are seals, their number is signed: removing them all shows.
    assert head_mac(key, 5, 9, "ab", 1) != before


def test_lines_digest_is_the_sha256_of_the_joined_json_lines() -> None:
    rows = [(1, "a\nb", None), (2, 'q"uote', 3)]
    count, digest = audit_seals.lines_digest(rows)
    text = '[1,"a\\nb",null]\n[2,"q\\"uote",3]'
    assert (count, digest) == (2, hashlib.sha256(text.encode()).hexdigest())
    with closing(sqlite3.connect(":memory:")) as db:
        (sqlite_text,) = db.execute(
            "SELECT group_concat(j, char(10)) FROM (SELECT json_array(1, 'a' || char(10) || 'b', "
            "NULL) AS j UNION ALL SELECT json_array(2, 'q\"uote', 3))"
        ).fetchone()
    assert sqlite_text == text  # the fast pass's text is the application's


def test_a_seal_over_change_rows_that_are_not_a_run_of_ids_is_checked_through_its_events(
    services: Services,
    consultation: ConsultationHeader,
    clinician: Clinician,
    pack: ContentPack,
    small_blocks: int,
) -> None:
    """A seal naming no id range is checked through its events, and proven.

    Such a seal is written over a block whose change rows are not a run of ids
    (say, written by several clinic workstations at once).
    """
    _act(services, consultation.id, clinician.id, pack, 3 * small_blocks)
    key = services.db.audit_key or b""
    path = _path(services)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        seal = seals_from_cursor(db.cursor())[1]
        assert seal.first_change_id is not None  # as the writer found them here: a run
        unranged = dataclasses.replace(seal, first_change_id=None, last_change_id=None)
        assert python_digests(db.cursor(), unranged) == python_digests(db.cursor(), seal)
        db.execute(
            "UPDATE audit_seals SET first_change_id = NULL, last_change_id = NULL, mac = ? "
            "WHERE id = ?",
            (audit_seals.seal_mac(key, unranged.fields()), seal.id),
        )
    proof = prove_file(str(path), key, workers=1)
    assert proof is not None
    assert seal.id in proof.proven_seals
    assert services.audit.verify(parallel=False).ok
    # The exact check hashes it too (on a store without the fast pass, as PostgreSQL).
    with closing(sqlite3.connect(path)) as db:
        assert check_seals(db.cursor(), key, frozenset()) is None
