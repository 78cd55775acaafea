"""Coverage from the counts kept at finalising agrees with the exact query over topic states.

The small world of the browser tests (written by the real services, finalise
and an addendum included) is summed both ways for every filter the counts can
answer; other filters must take the exact path.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.services.reporting import RecordFilter, build_coverage_report
from consult_aid.storage.reporting_counts import CoverageCounts, answers
from consult_aid.storage.reporting_queries import ReportingQueries


def _load_world() -> ModuleType:
    # The browser tests build the small world; load that module by path.
    path = Path(__file__).with_name("test_reporting_browser.py")
    spec = importlib.util.spec_from_file_location("reporting_world_for_counts", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


WORLD = _load_world()

ANSWERABLE = [
    RecordFilter(),
    RecordFilter(pack_id="balloon-kyphoplasty"),
    RecordFilter(pack_id="no-such-pack"),
    RecordFilter(variant_id="spinejack"),
    RecordFilter(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)),
    RecordFilter(date_from=date(2025, 2, 1), date_to=date(2025, 3, 31)),
    RecordFilter(date_from=date(2025, 2, 1)),
    RecordFilter(date_to=date(2025, 2, 28)),
    RecordFilter(date_from=date(2024, 12, 1), date_to=date(2024, 12, 31)),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    built = WORLD.build_world(tmp_path_factory.mktemp("reporting-counts"))
    try:
        yield built
    finally:
        built.services.close()


def _both(world: object, record_filter: RecordFilter) -> tuple[Any, Any]:
    db = world.services.db  # type: ignore[attr-defined]
    with db.session() as session, session.begin():
        records, states = CoverageCounts(session).groups(record_filter)
        queries = ReportingQueries(session)
        exact = (
            sorted(queries.record_groups(record_filter, True)),
            sorted(queries.state_groups(record_filter, True)),
        )
    return (sorted(records), sorted(states)), exact


@pytest.mark.parametrize("record_filter", ANSWERABLE)
def test_counts_match_the_exact_query(world: object, record_filter: RecordFilter) -> None:
    fast, exact = _both(world, record_filter)
    assert fast == exact


def test_counts_include_every_finalised_record_once(world: object) -> None:
    (records, states), _ = _both(world, RecordFilter())
    assert sum(group[-1] for group in records) == 3  # the amended record counts once
    assert states  # and their settled topics are there


def test_with_anna_only(world: object) -> None:
    anna = world.anna  # type: ignore[attr-defined]
    fast, exact = _both(world, RecordFilter(clinician_id=anna))
    assert fast == exact
    assert sum(group[-1] for group in fast[0]) == 2


@pytest.mark.parametrize(
    "record_filter",
    [
        RecordFilter(date_from=date(2025, 1, 2)),
        RecordFilter(date_to=date(2025, 2, 27)),
        RecordFilter(decision=Decision.PROCEED),
        RecordFilter(status=RecordStatus.AMENDED),
        RecordFilter(status=RecordStatus.DRAFT),
        RecordFilter(patient_text="zoe"),
    ],
)
def test_other_filters_take_the_exact_path(world: object, record_filter: RecordFilter) -> None:
    assert not answers(record_filter)
    with pytest.raises(ValueError, match="cannot answer"):
        _both(world, record_filter)


def test_the_report_is_the_same_by_either_path(world: object) -> None:
    db = world.services.db  # type: ignore[attr-defined]
    library = world.services.library  # type: ignore[attr-defined]
    # A range that starts on the first of a month but ends mid-month goes the exact way;
    # extended to the month's end it goes by the counts, and no record starts in between.
    exact = build_coverage_report(db, RecordFilter(date_to=date(2025, 3, 20)), library)
    fast = build_coverage_report(db, RecordFilter(date_to=date(2025, 3, 31)), library)
    assert exact.records == fast.records == 3
    assert exact.topics == fast.topics
    assert exact.unaddressed == fast.unaddressed


@pytest.mark.parametrize("record_filter", ANSWERABLE)
def test_with_drafts_the_counts_and_the_drafts_sum_to_the_exact_query(
    world: object, record_filter: RecordFilter
) -> None:
    db = world.services.db  # type: ignore[attr-defined]
    library = world.services.library  # type: ignore[attr-defined]
    # The finalised records from the counts, the drafts from their topic states.
    report = build_coverage_report(db, record_filter, library, include_drafts=True)
    with db.session() as session, session.begin():
        queries = ReportingQueries(session)
        exact = (
            sorted(queries.record_groups(record_filter, False)),
            sorted(queries.state_groups(record_filter, False)),
        )
    assert report.records == sum(group[-1] for group in exact[0])
    assert bool(report.topics) == (report.records > 0)
    for topic in report.topics:
        settled = dict.fromkeys(TopicState, 0)
        for _h, _v, _c, _y, _m, topic_id, state, n in exact[1]:
            if topic_id == topic.topic_id:
                settled[TopicState(state)] += n
        del settled[TopicState.NOT_ADDRESSED]  # never counted as a state: what is left over
        assert {state: topic.overall.count(state) for state in settled} == settled


def test_with_drafts_the_report_is_the_same_by_either_path(world: object) -> None:
    db = world.services.db  # type: ignore[attr-defined]
    library = world.services.library  # type: ignore[attr-defined]
    # As above, with the drafts: counts and drafts summed, or every record counted.
    exact = build_coverage_report(
        db, RecordFilter(date_to=date(2025, 3, 20)), library, include_drafts=True
    )
    fast = build_coverage_report(
        db, RecordFilter(date_to=date(2025, 3, 31)), library, include_drafts=True
    )
    assert answers(RecordFilter(date_to=date(2025, 3, 31)))
    assert exact.records == fast.records == 5
    assert exact.topics == fast.topics
    assert exact.unaddressed == fast.unaddressed
    assert fast.unaddressed  # the drafts leave topics open


def test_a_rebuild_gives_the_counts_kept_at_finalising(world: object) -> None:
    db = world.services.db  # type: ignore[attr-defined]
    with db.write_session() as session, session.begin():
        kept = CoverageCounts(session).groups(RecordFilter())
        CoverageCounts(session).rebuild()
        rebuilt = CoverageCounts(session).groups(RecordFilter())
        session.rollback()  # leave the shared world as the services wrote it
    assert sorted(kept[0]) == sorted(rebuilt[0])
    assert sorted(kept[1]) == sorted(rebuilt[1])
