"""Every page plan of the records browser gives the rows the documented order puts there.

Rows are written straight into a fresh database with ties placed on purpose
(one start time shared by several records, two clinicians of one name, two
patients of one name), and the expected order is worked out here in Python
from the rows themselves, for every order and filter, at offsets from the
first row to past the last, and continued from a row: the one-query orders
(start time, patient), the per-value queries with their grouped counts
(clinician, decision, status), and a patient search both handed over as the
ids found and searched by each query (the most listed lowered to none). The
records export's streamed rows are checked against the record heads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from consult_aid.domain.consultation import Decision
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.database import Database
from consult_aid.storage.models import (
    AddendumRow,
    ClinicianRow,
    ConsultationRow,
    DetailRow,
    PackSnapshotRow,
    PatientRow,
    TopicStateRow,
)
from consult_aid.storage.reporting_export import RecordStream
from consult_aid.storage.reporting_patients import MAX_LISTED, found_patients, patient_condition
from consult_aid.storage.reporting_queries import (
    SEP,
    RecordFilter,
    ReportingQueries,
    SortKey,
)
from consult_aid.storage.search_key import fold

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
RECORDS = 240
NAMES = ["Zoë Hughes", "ann able", "Ann Able", "Bea Okafor", "Łukasz Nowak", "Ann Able"]
CLINICIANS = [(1, "Rahman"), (2, "Bell"), (3, "Rahman"), (4, "Adeyemi")]
FILTERS = {
    "none": RecordFilter(),
    "drafts": RecordFilter(status=RecordStatus.DRAFT),
    "proceed": RecordFilter(decision=Decision.PROCEED),
    "variant": RecordFilter(variant_id="b"),
    "clinician": RecordFilter(clinician_id=3),
    "patient name": RecordFilter(patient_text="ann"),
    "NHS number": RecordFilter(patient_text="999 000 002"),
    "several": RecordFilter(
        date_from=date(2025, 3, 1),
        date_to=date(2025, 3, 1),
        pack_id="p",
        variant_id="a",
        status=RecordStatus.FINALISED,
    ),
}
# The patients (by id) each patient search above finds: worked out by hand from NAMES,
# the NHS numbers ("99900000{i}0") and hospital numbers ("H{i}") the fixture gives them.
FOUND = {"ann": {2, 3, 6}, "999 000 002": {3}}


def _record(rng: random.Random, cid: int) -> dict[str, Any]:
    # Start times repeat (every fifth record shares one), so ties fall back on the id.
    started = T0 + timedelta(minutes=rng.randrange(60) * 7 if cid % 5 else 0)
    started += timedelta(microseconds=rng.choice([0, 0, 250_000]))
    finalised = rng.random() < 0.6
    return {
        "id": cid,
        "patient_id": rng.randrange(len(NAMES)) + 1,
        "clinician_id": rng.choice(CLINICIANS)[0],
        "pack_id": "p",
        "pack_version": "1",
        "pack_hash": "h",
        "variant_id": rng.choice("ab"),
        "started_at": started,
        "ended_at": started + timedelta(minutes=30) if rng.random() < 0.8 else None,
        "finalised_at": started + timedelta(hours=1) if finalised else None,
        "finalised_by": 1 if finalised else None,
    }


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, list[dict[str, Any]]]]:
    path: Path = tmp_path_factory.mktemp("paging") / "paging.sqlite3"
    db = Database.open(f"sqlite:///{path.as_posix()}")
    rng = random.Random(11)
    records = [_record(rng, cid) for cid in range(1, RECORDS + 1)]
    decisions = {r["id"]: rng.choice([None, *[d.value for d in Decision]]) for r in records}
    amended = {r["id"] for r in records if r["finalised_at"] is not None and rng.random() < 0.2}
    # The copies the services keep on each consultation, written here with the rows.
    for r in records:
        r["patient_key"] = fold(NAMES[r["patient_id"] - 1])
        r["decision"] = decisions[r["id"]] or Decision.UNDECIDED.value
        r["status"] = (
            RecordStatus.DRAFT.value
            if r["finalised_at"] is None
            else RecordStatus.AMENDED.value
            if r["id"] in amended
            else RecordStatus.FINALISED.value
        )
    with db.engine.begin() as c:
        c.execute(
            insert(PackSnapshotRow),
            [{"content_hash": "h", "pack_id": "p", "version": "1", "text": "", "stored_at": T0}],
        )
        c.execute(
            insert(ClinicianRow),
            [
                {"id": i, "name": n, "role": "r", "gmc_number": f"710000{i}", "hospital": "h",
                 "created_at": T0, "updated_at": T0}
                for i, n in CLINICIANS
            ],
        )  # fmt: skip
        c.execute(
            insert(PatientRow),
            [
                {"id": i + 1, "nhs_number": f"99900000{i}0", "name": n, "search_key": fold(n),
                 "date_of_birth": date(1950, 1, 1), "hospital_number": f"H{i}",
                 "created_at": T0, "created_by": 1, "updated_at": T0, "updated_by": 1}
                for i, n in enumerate(NAMES)
            ],
        )  # fmt: skip
        c.execute(insert(ConsultationRow), records)
        stored = [(cid, value) for cid, value in decisions.items() if value is not None]
        c.execute(
            insert(DetailRow),
            [{"consultation_id": cid, "detail": "decision", "value": v} for cid, v in stored],
        )
        c.execute(
            insert(AddendumRow),
            [{"consultation_id": cid, "at": T0, "by": 1, "reason": "r", "text": "t"}
             for cid in sorted(amended)],
        )  # fmt: skip
        c.execute(
            insert(TopicStateRow),
            [
                {"consultation_id": r["id"], "topic_id": f"t{n}", "state": "discussed",
                 "reason": "", "note": "", "material": False, "changed_at": None,
                 "changed_by": None}
                for r in records if r["id"] % 7
                for n in range(r["id"] % 4 + 1)
            ],
        )  # fmt: skip
    try:
        yield db, records
    finally:
        db.close()


def _expected(
    records: list[dict[str, Any]], sort: SortKey, descending: bool, name: str
) -> list[int]:
    """The documented order, worked out here: the key, then start time, then record number."""
    f = FILTERS[name]
    chosen = [
        r
        for r in records
        if (f.status is None or r["status"] == f.status.value)
        and (f.decision is None or r["decision"] == f.decision.value)
        and (f.variant_id is None or r["variant_id"] == f.variant_id)
        and (f.clinician_id is None or r["clinician_id"] == f.clinician_id)
        and (f.pack_id is None or r["pack_id"] == f.pack_id)
        and (f.date_from is None or r["started_at"].date() >= f.date_from)
        and (f.date_to is None or r["started_at"].date() <= f.date_to)
        and (not f.patient_text or r["patient_id"] in FOUND[f.patient_text])
    ]
    clinician_names = dict(CLINICIANS)
    decisions = [d.value for d in Decision]
    statuses = [s.value for s in RecordStatus]

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        tail = (r["started_at"], r["id"])
        if sort is SortKey.PATIENT:
            return (fold(NAMES[r["patient_id"] - 1]), r["patient_id"], *tail)
        if sort is SortKey.CLINICIAN:
            return (clinician_names[r["clinician_id"]], r["clinician_id"], *tail)
        if sort is SortKey.DECISION:
            return (decisions.index(r["decision"]), *tail)
        if sort is SortKey.STATUS:
            return (statuses.index(r["status"]), *tail)
        return tail

    return [r["id"] for r in sorted(chosen, key=key, reverse=descending)]


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_by_offset_follow_the_order(
    world: tuple[Database, list[dict[str, Any]]],
    name: str,
    sort: SortKey,
    descending: bool,
) -> None:
    db, records = world
    record_filter = FILTERS[name]
    expected = _expected(records, sort, descending, name)
    n = len(expected)
    assert n > 10
    # The patients a search finds go into the queries as a list, or (past the most
    # listed) each query searches for itself: both ways for a filter with a search.
    for listed in (MAX_LISTED, 0) if record_filter.patient_text else (MAX_LISTED,):
        with db.session() as session, session.begin():
            queries = ReportingQueries(session, listed=listed)
            assert queries.count(record_filter) == n
            for offset in sorted({0, 1, 4, n // 3, n // 2, n - 7, n - 1, n, n + 5}):
                heads = queries.page(record_filter, sort, descending, max(offset, 0), 10)
                got = [h.consultation_id for h in heads]
                assert got == expected[max(offset, 0) : max(offset, 0) + 10], offset
            # Continuing from a row, then skipping some, lands where the order says.
            for at in (0, n // 2, n - 2):
                heads = queries.page(record_filter, sort, descending, 3, 10, after=expected[at])
                assert [h.consultation_id for h in heads] == expected[at + 4 : at + 14]


@pytest.mark.parametrize("text", sorted(FOUND))
def test_the_patients_found_narrow_alike_however_handed_over(
    world: tuple[Database, list[dict[str, Any]]], text: str
) -> None:
    db, records = world
    expected = sorted(r["id"] for r in records if r["patient_id"] in FOUND[text])
    with db.session() as session, session.begin():
        found = found_patients(session, text)
        assert found is not None
        assert set(found.ids) == FOUND[text]
        # As one JSON text, as numbers in the SQL, or searched for by the query itself.
        for given in (found, replace(found, as_json=not found.as_json), None):
            where = patient_condition(text, given)
            query = select(ConsultationRow.id).where(where).order_by(ConsultationRow.id)
            assert list(session.scalars(query)) == expected


def test_the_export_streams_the_record_heads_with_their_topics(
    world: tuple[Database, list[dict[str, Any]]],
) -> None:
    db, _records = world
    for record_filter in FILTERS.values():
        with db.session() as session, session.begin():
            stream = RecordStream(session)
            iso = stream.iso_times()
            heads = ReportingQueries(session).heads(*_where(record_filter))
            streamed = [item for chunk in stream.rows(record_filter, 7) for item in chunk]
        assert len(streamed) == len(heads) > 0
        for (row, topic_ids, states), head in zip(streamed, heads, strict=True):
            (cid, started, ended, patient, nhs, hospital, clinician, pack_id, version,
             pack_hash, variant, decision, status) = row  # fmt: skip
            assert cid == head.consultation_id
            assert iso(started) == head.started_at.isoformat()
            assert iso(ended) == (head.ended_at.isoformat() if head.ended_at else "")
            assert (patient, nhs, hospital, clinician) == (
                head.patient_name, head.nhs_number, head.hospital_number, head.clinician_name
            )  # fmt: skip
            assert (pack_id, version, pack_hash, variant) == (
                head.pack_id, head.pack_version, head.pack_hash, head.variant_id
            )  # fmt: skip
            assert (decision, status) == (head.decision.value, head.status.value)
            topics = topic_ids.split(SEP) if topic_ids else []
            assert dict(zip(topics, states.split(SEP) if states else [], strict=True)) == (
                head.topic_states
            )


def test_times_in_other_spellings_go_through_the_column_type(
    world: tuple[Database, list[dict[str, Any]]],
) -> None:
    db, _records = world
    with db.session() as session, session.begin():
        iso = RecordStream(session).iso_times()
        assert iso("2025-03-01 09:30:00.000000") == "2025-03-01T09:30:00+00:00"
        assert iso("2025-03-01 09:30:00.250000") == "2025-03-01T09:30:00.250000+00:00"
        assert iso("2025-03-01 09:30:00") == "2025-03-01T09:30:00+00:00"
        assert iso(None) == ""
        with pytest.raises(ValueError, match="month"):
            iso("2025-13-01 09:30:00.000000")  # refused, as reading it as a time always was


def _where(record_filter: RecordFilter) -> list[Any]:
    from consult_aid.storage.reporting_filters import filter_conditions

    return filter_conditions(record_filter)
