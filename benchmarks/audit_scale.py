"""The audit workspace at scale: coverage, browser pages, CSV export and the chain check.

On a database of generated consultations (made by generate_records.py when
missing, and kept for the next run): the coverage report over every finalised
record, the worst first page and the worst mid-list page of the records
browser over several filters and every sort (a mid-list page both reached by
offset and continued from the row before, as a scroll fetches it), the rate of the records CSV
export, and, when the database holds a signed audit trail, the full check.

A database made by an older version (an older schema revision) is refused
rather than migrated: its indexes would be built in one go rather than grown
record by record as in use, and the file may be another run's to keep.

Usage: python benchmarks/audit_scale.py [--db PATH] [--count N] [--runs N]
Targets: coverage <= 1 s; a page <= 100 ms; export >= 20,000 records/s; verify <= 10 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from consult_aid.domain.consultation import Decision
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.services.reporting import (
    RecordFilter,
    RecordsBrowser,
    SortKey,
    build_coverage_report,
    export_records_csv,
)
from consult_aid.storage.audit_verify import check_store
from consult_aid.storage.database import HEAD_REVISION, Database

# Run as a script, the repository root is not on the path; the generator lives beside this.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate_audit import KEY
from benchmarks.generate_records import generate

FILTERS = {
    "none": RecordFilter(),
    "one clinician": RecordFilter(clinician_id=3),
    "one month": RecordFilter(date_from=date(2024, 6, 1), date_to=date(2024, 6, 30)),
    "decision decline": RecordFilter(decision=Decision.DECLINE),
    "amended": RecordFilter(status=RecordStatus.AMENDED),
    "drafts": RecordFilter(status=RecordStatus.DRAFT),
    "patient name": RecordFilter(patient_text="zoe"),
    "NHS number": RecordFilter(patient_text="999 001"),
    "SpineJack, finalised": RecordFilter(variant_id="spinejack", status=RecordStatus.FINALISED),
}


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds an action took, and what it returned."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    """Run every measure (``--runs`` times) and print the figures, then their medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(tempfile.gettempdir()) / "consult-aid-audit-scale" / "records-100k.sqlite3"
    parser.add_argument("--db", type=Path, default=default)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1, help="repeat every measure this often")
    args = parser.parse_args(argv)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        seconds = generate(args.db, args.count, max(1, args.count * 3 // 5), seed=5)
        print(f"generated {args.count:,} consultations in {seconds:.1f} s")
    revision = _revision(args.db)
    if revision != HEAD_REVISION:
        print(
            f"{args.db} is at schema revision {revision}, not {HEAD_REVISION}: "
            "give --db a new path to generate one with this version."
        )
        return 2
    db = Database.open(f"sqlite:///{args.db.as_posix()}")
    figures: dict[str, list[float]] = {}
    try:
        for run in range(1, args.runs + 1):
            if args.runs > 1:
                print(f"-- run {run} of {args.runs}")
            for name, value in measure(db, args.db.parent).items():
                figures.setdefault(name, []).append(value)
    finally:
        db.close()
    if args.runs > 1:
        print(f"-- median [lowest, highest] of {args.runs} runs")
        for name, values in figures.items():
            print(
                f"{name}: {statistics.median(values):,.0f} [{min(values):,.0f}, {max(values):,.0f}]"
            )
    return 0


def _revision(path: Path) -> str | None:
    """The file's schema revision, read without opening (and so migrating) it."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None  # not a database this app made
    return None if row is None else str(row[0])


def measure(db: Database, folder: Path) -> dict[str, float]:
    """Print each figure against its target; return them (ms, or records a second)."""
    figures: dict[str, float] = {}
    coverage, report = timed(lambda: build_coverage_report(db, RecordFilter()))
    figures["coverage ms (target 1000)"] = coverage * 1000
    print(
        f"coverage over {report.records:,} finalised records: "
        f"{coverage * 1000:.0f} ms (target 1000)"
    )
    drafts, report = timed(lambda: build_coverage_report(db, RecordFilter(), include_drafts=True))
    figures["coverage with drafts ms"] = drafts * 1000
    print(
        f"coverage over all {report.records:,} records, {len(report.unaddressed):,} gaps listed: "
        f"{drafts * 1000:.0f} ms"
    )
    browser = RecordsBrowser(db)
    browser.page(RecordFilter(), SortKey.STARTED_AT, True, 0, 100)  # parse the pack once
    first: list[tuple[float, str]] = []
    middle: list[tuple[float, str]] = []
    continued: list[tuple[float, str]] = []
    for name, record_filter in FILTERS.items():
        counted, total = timed(partial(browser.count, record_filter))
        first.append((counted, f"count, {name}"))
        for sort in SortKey:
            for descending in (False, True):
                label = f"{name}, {sort.value}{' desc' if descending else ''}"
                for offset, bucket in ((0, first), (total // 2, middle)):
                    took, _ = timed(
                        partial(browser.page, record_filter, sort, descending, offset, 100)
                    )
                    bucket.append((took, label))
                # Scrolling: the next page continues from the last row shown (keyset).
                shown = browser.page(record_filter, sort, descending, max(total // 2 - 1, 0), 1)
                if shown:
                    took, _ = timed(
                        partial(browser.page, record_filter, sort, descending, 0, 100, shown[-1])
                    )
                    continued.append((took, label))
    buckets = (
        ("first page", first),
        ("mid-list page by offset", middle),
        ("mid-list page continued from the last row", continued),
    )
    for title, bucket in buckets:
        worst, label = max(bucket)
        figures[f"worst {title} ms (target 100)"] = worst * 1000
        print(f"worst {title} of 100 rows: {worst * 1000:.0f} ms ({label}) (target 100)")
    target = folder / "export.csv"
    took, written = timed(lambda: export_records_csv(db, RecordFilter(), target))
    target.unlink()
    figures["CSV export records/s (target 20,000)"] = written / took
    print(
        f"CSV export: {written:,} records in {took:.2f} s = "
        f"{written / took:,.0f} a second (target 20,000)"
    )
    # The check behind ``consult-aid verify`` (AuditTrail.verify without --deep).
    took, (result, _records) = timed(lambda: check_store(db, KEY))
    figures["audit verify ms (target 10000)"] = took * 1000
    print(f"audit verify: {took:.2f} s (target 10): {result.text()}")
    if not result.ok:
        print("  (a database generated before generate_records.py signed its events fails early.)")
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
