"""The audit queries on rows written straight into a fresh database: filter edges and paging.

These rows are written through the storage models (no services), so the
edges can be placed exactly: start times on either side of midnight UTC, a
decision stored as "undecided" and one never stored, a name with LIKE's
wildcards in it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, update

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
from consult_aid.storage.reporting_queries import RecordFilter, ReportingQueries, SortKey
from consult_aid.storage.search_key import fold

T0 = datetime(2025, 6, 1, tzinfo=UTC)


def _fill(db: Database) -> None:
    names = ["Ann 50% Off", "Ann_Smith", "Bea Jones", "Ann Smith"]
    starts = [
        T0 - timedelta(seconds=1),
        T0,
        T0 + timedelta(hours=23, minutes=59),
        T0 + timedelta(days=1),
    ]
    with db.engine.begin() as c:
        c.execute(
            insert(PackSnapshotRow),
            [{"content_hash": "h", "pack_id": "p", "version": "1", "text": "", "stored_at": T0}],
        )
        c.execute(
            insert(ClinicianRow),
            [
                {
                    "id": 1,
                    "name": "A",
                    "role": "r",
                    "gmc_number": "1234567",
                    "hospital": "h",
                    "created_at": T0,
                    "updated_at": T0,
                }
            ],
        )
        c.execute(
            insert(PatientRow),
            [
                {
                    "id": i + 1,
                    "nhs_number": f"99900000{i}0",
                    "name": n,
                    "search_key": fold(n),
                    "date_of_birth": date(1950, 1, 1),
                    "hospital_number": f"H{i}",
                    "created_at": T0,
                    "created_by": 1,
                    "updated_at": T0,
                    "updated_by": 1,
                }
                for i, n in enumerate(names)
            ],
        )
        c.execute(
            insert(ConsultationRow),
            [
                {
                    "id": i + 1,
                    "patient_id": i + 1,
                    "clinician_id": 1,
                    "pack_id": "p",
                    "pack_version": "1",
                    "pack_hash": "h",
                    "variant_id": "v",
                    "started_at": s,
                    "ended_at": None,
                    "finalised_at": T0 if i < 2 else None,
                    "finalised_by": None,
                    # As the services keep them: the patient, the decisions and the addendum below.
                    "patient_key": fold(names[i]),
                    "decision": "proceed" if i == 1 else "undecided",
                    "status": ("finalised", "amended", "draft", "draft")[i],
                }
                for i, s in enumerate(starts)
            ],
        )
        c.execute(
            insert(DetailRow),
            [
                {"consultation_id": 1, "detail": "decision", "value": "undecided"},
                {"consultation_id": 2, "detail": "decision", "value": "proceed"},
                {"consultation_id": 3, "detail": "levels", "value": "L1"},
            ],
        )
        c.execute(
            insert(AddendumRow),
            [{"consultation_id": 2, "at": T0, "by": 1, "reason": "r", "text": "t"}],
        )
        c.execute(
            insert(TopicStateRow),
            [
                {
                    "consultation_id": 1,
                    "topic_id": "a",
                    "state": "discussed",
                    "reason": "",
                    "note": "",
                    "material": False,
                    "changed_at": T0,
                    "changed_by": 1,
                },
                {
                    "consultation_id": 1,
                    "topic_id": "b",
                    "state": "not_addressed",
                    "reason": "",
                    "note": "n",
                    "material": True,
                    "changed_at": None,
                    "changed_by": None,
                },
            ],
        )


@pytest.fixture
def queries(database: Database) -> ReportingQueries:
    _fill(database)
    return ReportingQueries(database.session())


def ids(queries: ReportingQueries, **given: object) -> list[int]:
    heads = queries.page(RecordFilter(**given), SortKey.STARTED_AT, False, 0, 50)  # type: ignore[arg-type]
    return [h.consultation_id for h in heads]


def test_dates_are_whole_utc_days_inclusive(queries: ReportingQueries) -> None:
    assert ids(queries, date_from=date(2025, 6, 1), date_to=date(2025, 6, 1)) == [2, 3]
    assert ids(queries, date_to=date(2025, 5, 31)) == [1]
    assert ids(queries, date_from=date(2025, 6, 2)) == [4]


def test_undecided_covers_a_decision_never_stored(queries: ReportingQueries) -> None:
    assert ids(queries, decision=Decision.UNDECIDED) == [1, 3, 4]
    assert ids(queries, decision=Decision.PROCEED) == [2]


def test_status(queries: ReportingQueries) -> None:
    assert ids(queries, status=RecordStatus.FINALISED) == [1]
    assert ids(queries, status=RecordStatus.AMENDED) == [2]
    assert ids(queries, status=RecordStatus.DRAFT) == [3, 4]


def test_like_wildcards_typed_match_only_themselves(queries: ReportingQueries) -> None:
    assert ids(queries, patient_text="ann_") == [2]
    assert ids(queries, patient_text="50%") == [1]
    assert ids(queries, patient_text="ann") == [1, 2, 4]


def test_a_hospital_number_is_found_in_either_case_and_a_name_only_by_its_words(
    database: Database, queries: ReportingQueries
) -> None:
    with database.engine.begin() as c:
        # Written around the services, which store hospital numbers in capitals.
        c.execute(update(PatientRow).where(PatientRow.id == 3).values(hospital_number="h2x"))
    assert ids(queries, patient_text="H2") == [3]
    assert ids(queries, patient_text="h2x") == [3]
    assert ids(queries, patient_text="9990000") == [1, 2, 3, 4]  # the NHS numbers' start
    assert ids(queries, patient_text="99900000 1") == [2]
    assert ids(queries, patient_text="mith") == []  # inside a word, not at its start
    assert ids(queries, patient_text="smi ann") == [4]  # each word starts a word ("ann_smith": one)


def test_heads_carry_the_topic_rows(queries: ReportingQueries) -> None:
    (head,) = queries.page(RecordFilter(date_to=date(2025, 5, 31)), SortKey.STARTED_AT, False, 0, 5)
    assert head.topic_states == {"a": "discussed", "b": "not_addressed"}
    assert head.status is RecordStatus.FINALISED
    assert queries.open_material(RecordFilter(), finalised_only=True) == [(1, "b")]


def test_chunks_cover_every_record_once(queries: ReportingQueries) -> None:
    got = [h.consultation_id for chunk in queries.chunks(RecordFilter(), 3) for h in chunk]
    assert got == [1, 2, 3, 4]
    assert queries.count(RecordFilter()) == 4


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_follow_the_offset_order(
    database: Database, sort: SortKey, descending: bool
) -> None:
    _fill(database)
    queries = ReportingQueries(database.session())
    whole = [h.consultation_id for h in queries.page(RecordFilter(), sort, descending, 0, 50)]
    assert len(whole) == 4
    for size in (1, 2, 3):
        paged: list[int] = []
        after = None
        while page := queries.page(RecordFilter(), sort, descending, 0, size, after=after):
            paged += [h.consultation_id for h in page]
            after = page[-1].consultation_id
        assert paged == whole, (size, paged)
