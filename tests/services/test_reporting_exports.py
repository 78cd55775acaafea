"""Coverage figures, the unaddressed list and the CSV exports, over services-written records.

Expected coverage is worked out here independently: each record's change log
is replayed with the domain's own ``replay`` and counted against its pack's
topics for its variant, in Python, then compared with the SQL sums.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import update

from consult_aid.domain.consultation import TopicState, replay
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.domain.people import PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.services.reporting import (
    ExportCancelled,
    RecordFilter,
    build_coverage_report,
    export_records_csv,
    neutralise,
    write_coverage_csv,
)
from consult_aid.services.reporting.csv_files import quoted
from consult_aid.storage.models import TopicStateRow
from consult_aid.storage.patients import PatientRepository
from tests.signing_in import FAST_HASHING, first_person


def _load_world() -> ModuleType:
    # The browser tests build the same small world; load that module by path.
    path = Path(__file__).with_name("test_reporting_browser.py")
    spec = importlib.util.spec_from_file_location("reporting_world_for_exports", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


WORLD = _load_world()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    built = WORLD.build_world(tmp_path_factory.mktemp("reporting-exports"))
    try:
        yield built
    finally:
        built.services.close()


def expected_counts(world: object, cids: list[int]) -> dict[str, Counter[str]]:
    """Per topic, how many of these records ended in each state, from the replayed logs."""
    services = world.services  # type: ignore[attr-defined]
    counts: dict[str, Counter[str]] = {}
    for cid in cids:
        view = services.consultations.load(cid)
        state = replay(services.consultations.history(cid))
        for topic in view.pack.topics_for(view.header.variant_id):
            counts.setdefault(topic.id, Counter())[state.topic(topic.id).state.value] += 1
    return counts


def test_coverage_over_finalised_records_matches_the_replayed_logs(world: object) -> None:
    ids = world.ids  # type: ignore[attr-defined]
    report = build_coverage_report(world.services.db, RecordFilter())  # type: ignore[attr-defined]
    finalised = [ids["zoe_final"], ids["meg_amended"], ids["pete_final"]]
    assert report.records == 3
    expected = expected_counts(world, finalised)
    assert {t.topic_id for t in report.topics} == set(expected)
    for topic in report.topics:
        got = {s.value: topic.overall.count(s) for s in TopicState if topic.overall.count(s)}
        assert got == dict(expected[topic.topic_id]), topic.topic_id
    infection = next(t for t in report.topics if t.topic_id == "infection")
    assert infection.overall.share(TopicState.DECLINED) == pytest.approx(1 / 3)
    # A balloon-only topic counts only for the one balloon record.
    balloon_only = next(t for t in report.topics if t.topic_id == "spinejack-instead")
    assert balloon_only.overall.total == 1


def test_coverage_breaks_down_by_clinician_and_month(world: object) -> None:
    report = build_coverage_report(world.services.db, RecordFilter())  # type: ignore[attr-defined]
    infection = next(t for t in report.topics if t.topic_id == "infection")
    assert {name: c.total for name, c in infection.by_clinician} == {
        "Anna Rahman": 2,
        "Zed Owusu": 1,
    }
    assert {month: c.total for month, c in infection.by_month} == {
        "2025-01": 1,
        "2025-02": 1,
        "2025-03": 1,
    }
    anna = dict(infection.by_clinician)["Anna Rahman"]
    assert (anna.declined, anna.discussed) == (1, 1)


def test_coverage_with_drafts_and_the_unaddressed_list(world: object) -> None:
    ids = world.ids  # type: ignore[attr-defined]
    report = build_coverage_report(
        world.services.db,  # type: ignore[attr-defined]
        RecordFilter(),
        include_drafts=True,
    )
    assert report.records == 5
    expected = expected_counts(world, list(ids.values()))
    for topic in report.topics:
        assert (
            topic.overall.count(TopicState.NOT_ADDRESSED)
            == expected[topic.topic_id]["not_addressed"]
        )
    gaps = {(item.consultation_id, item.topic_id): item for item in report.unaddressed}
    # The draft left a material risk (infection) and an alternative (doing nothing) open;
    # dvt was marked material but declined, which is addressed. The untouched draft left
    # every alternative open.
    meg = ids["meg_draft"]
    assert gaps[(meg, "infection")].material
    assert not gaps[(meg, "infection")].alternative
    assert gaps[(meg, "doing-nothing")].alternative
    assert (meg, "dvt") not in gaps
    view = world.services.consultations.load(ids["zoe_draft"])  # type: ignore[attr-defined]
    alternatives = {
        t.id
        for t in view.pack.topics_for("balloon")
        if view.pack.section_of(t.id).kind == "alternatives"
    }
    assert {topic for cid, topic in gaps if cid == ids["zoe_draft"]} == alternatives
    assert gaps[(meg, "infection")].patient_name == "Margaret Hughes"
    finalised_only = build_coverage_report(world.services.db, RecordFilter())  # type: ignore[attr-defined]
    assert finalised_only.unaddressed == ()


def test_coverage_of_drafts_only_is_empty(world: object) -> None:
    report = build_coverage_report(
        world.services.db,  # type: ignore[attr-defined]
        RecordFilter(status=RecordStatus.DRAFT),
    )
    assert (report.records, report.topics) == (0, ())


def test_records_csv_has_a_row_per_record_and_a_column_per_topic(
    world: object, tmp_path: Path
) -> None:
    ids = world.ids  # type: ignore[attr-defined]
    target = tmp_path / "records.csv"
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    written = export_records_csv(world.services.db, RecordFilter(), target, progress)  # type: ignore[attr-defined]
    assert written == 5
    assert seen[0] == (0, 5)
    assert seen[-1] == (5, 5)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {int(row["record"]): row for row in rows}
    zoe = by_id[ids["zoe_final"]]
    assert (zoe["patient_name"], zoe["nhs_number"], zoe["status"]) == (
        "Zoë Łukasiewicz",
        "9990000018",
        "finalised",
    )
    assert (zoe["infection"], zoe["bleeding"], zoe["dvt"]) == (
        "declined",
        "not_applicable",
        "discussed",
    )
    assert zoe["balloon-instead"] == ""  # a SpineJack-only topic: no state for a balloon record
    meg = by_id[ids["meg_draft"]]
    assert (meg["infection"], meg["doing-nothing"], meg["decision"]) == (
        "not_addressed",
        "not_addressed",
        "time_to_reflect",
    )
    assert by_id[ids["meg_amended"]]["status"] == "amended"
    assert by_id[ids["zoe_draft"]]["decision"] == "undecided"


def test_records_csv_follows_the_filter(world: object, tmp_path: Path) -> None:
    target = tmp_path / "spinejack.csv"
    db = world.services.db  # type: ignore[attr-defined]
    assert export_records_csv(db, RecordFilter(variant_id="spinejack"), target) == 2


def test_cancelled_export_leaves_nothing_behind(world: object, tmp_path: Path) -> None:
    db = world.services.db  # type: ignore[attr-defined]
    target = tmp_path / "records.csv"
    with pytest.raises(ExportCancelled):
        export_records_csv(db, RecordFilter(), target, lambda done, total: False)
    assert list(tmp_path.iterdir()) == []
    target.write_text("the earlier export\n", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        export_records_csv(db, RecordFilter(), target, lambda done, total: done == 0)
    assert target.read_text(encoding="utf-8") == "the earlier export\n"
    assert list(tmp_path.iterdir()) == [target]


def test_failed_export_leaves_nothing_behind(world: object, tmp_path: Path) -> None:
    db = world.services.db  # type: ignore[attr-defined]

    def broken(done: int, total: int) -> bool:
        raise RuntimeError("the window went away")

    with pytest.raises(RuntimeError):
        export_records_csv(db, RecordFilter(), tmp_path / "records.csv", broken)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Anna = Bob", "Anna = Bob"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(typed: str, written: str) -> None:
    assert neutralise(typed) == written


def test_a_formula_in_a_name_reaches_the_csv_as_text(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'formula.sqlite3').as_posix()}"
    services = open_services(url, procedures_dir(), WORLD.KEY, password_hashing=FAST_HASHING)
    try:
        anna = first_person(services).id
        with services.db.write_session() as session, session.begin():
            # Stored through storage: the patient form would not take such a name.
            draft = PatientDraft("=cmd|'/C calc'!A0", date(1950, 1, 1), "9990000042", "@X1")
            patient = PatientRepository(session).add(draft, datetime.now(UTC), anna)
        services.consultations.start(patient.id, anna, "balloon-kyphoplasty", "balloon")
        target = tmp_path / "records.csv"
        assert export_records_csv(services.db, RecordFilter(), target) == 1
    finally:
        services.close()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["patient_name"] == "'=cmd|'/C calc'!A0"
    assert row["hospital_number"] == "'@X1"


@pytest.mark.parametrize(
    "text",
    ["plain", "", "a,b", 'say "no"', '"', "two\nlines", "cr\r", "\r\n", " padded ", "é, ü", "'x"],
)
def test_cells_are_quoted_as_the_csv_module_quotes_them(text: str) -> None:
    written = io.StringIO()
    csv.writer(written).writerow([text, "next"])
    assert written.getvalue() == f"{quoted(text)},next\r\n"
    assert next(csv.reader(io.StringIO(written.getvalue()))) == [text, "next"]


def test_records_csv_is_what_the_csv_module_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'quoting.sqlite3').as_posix()}"
    services = open_services(url, procedures_dir(), WORLD.KEY, password_hashing=FAST_HASHING)
    names = ['Smith, "Ann"', "Ann\nSmith", "=1+1", "Zoë Łukasiewicz"]
    try:
        anna = first_person(services).id
        started = []
        for i, name in enumerate(names):
            with services.db.write_session() as session, session.begin():
                # Stored through storage: the patient form would not take such names.
                draft = PatientDraft(name, date(1950, 1, 1), f"99900000{i + 1}{'8642'[i]}", "R,1")
                patient = PatientRepository(session).add(draft, datetime.now(UTC), anna)
            view = services.consultations.start(patient.id, anna, "balloon-kyphoplasty", "balloon")
            started.append(view.header.id)
        services.consultations.set_topic_state(
            started[0], "infection", TopicState.DISCUSSED, "", anna
        )
        with services.db.write_session() as session, session.begin():
            # A state no version of the app writes, as a formula: made safe like any text.
            session.execute(
                update(TopicStateRow)
                .where(TopicStateRow.consultation_id == started[0])
                .values(state='=HYPERLINK("http://x")')
            )
        target = tmp_path / "records.csv"
        assert export_records_csv(services.db, RecordFilter(), target) == len(names)
    finally:
        services.close()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rewritten = io.StringIO()
    csv.writer(rewritten).writerows(rows)
    assert text == rewritten.getvalue()  # byte for byte what the csv module makes of them
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    first = by_id[str(started[0])]
    assert first["patient_name"] == 'Smith, "Ann"'
    assert first["hospital_number"] == "R,1"
    assert first["infection"] == '\'=HYPERLINK("http://x")'
    assert first["bleeding"] == "not_addressed"
    assert by_id[str(started[1])]["patient_name"] == "Ann\nSmith"
    assert by_id[str(started[2])]["patient_name"] == "'=1+1"


def test_coverage_csv(world: object, tmp_path: Path) -> None:
    report = build_coverage_report(world.services.db, RecordFilter(), include_drafts=True)  # type: ignore[attr-defined]
    target = tmp_path / "coverage.csv"
    write_coverage_csv(report, target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    overall = {
        r[0]: dict(zip(header, r, strict=True))
        for r in rows[1:]
        if len(r) == len(header) and r[2] == "overall"
    }
    assert set(overall) == {t.topic_id for t in report.topics}
    assert overall["infection"]["records"] == "5"
    assert overall["infection"]["declined_count"] == "1"
    assert any(r and r[0] == str(world.ids["meg_draft"]) and r[5] == "infection" for r in rows)  # type: ignore[attr-defined]
    assert [p.name for p in tmp_path.iterdir()] == ["coverage.csv"]
