"""Exports for the audit workspace: the filtered records, and a coverage report, as CSV files.

Both are written whole or not at all (csv_files.atomic_csv), with every cell
made safe for a spreadsheet. The records export streams: the records and their
topic states come from two queries in record order, read side by side a chunk
at a time (ReportingQueries.export_rows, in one read transaction, so the file
is one consistent snapshot), and never more than a chunk is held in memory.
Rows are built from the plain values the driver returns (no record objects)
and written a chunk at a time. Each export written is audited when an audit
trail is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from consult_aid.documents.coverage_report import build_coverage_pdf
from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.services.atomic_files import write_atomically
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.authorship import utc_now
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.reporting.coverage import CoverageReport
from consult_aid.services.reporting.csv_files import atomic_csv, neutralise
from consult_aid.services.reporting.packs import PackTopics
from consult_aid.storage.database import Database
from consult_aid.storage.reporting_queries import (
    SEP,
    RecordFilter,
    ReportingQueries,
)

CHUNK = 2_000
# Progress is (records written, records in all); returning False cancels the export.
Progress = Callable[[int, int], bool]
RECORD_COLUMNS = (
    "record",
    "started_at_utc",
    "ended_at_utc",
    "patient_name",
    "nhs_number",
    "hospital_number",
    "clinician",
    "pack_id",
    "pack_version",
    "variant_id",
    "decision",
    "status",
)
# A topic the record's variant does not need has no state at all: its cell says so.
NOT_FOR_VARIANT = ""
_OPEN = TopicState.NOT_ADDRESSED.value
_KNOWN = frozenset(state.value for state in TopicState)
_DECISIONS = frozenset(decision.value for decision in Decision)
_NO_TOPIC = "\x00"


class ExportCancelled(Exception):
    """The export was cancelled through its progress callback; no file was left behind."""


def export_records_csv(
    db: Database,
    record_filter: RecordFilter,
    path: Path,
    progress: Progress | None = None,
    *,
    library: ContentLibrary | None = None,
    audit: AuditTrail | None = None,
    by: int | None = None,
) -> int:
    """Write one row per matching record, one column per topic id (its state); return the count.

    A topic the record's pack and variant do not need is left empty; a needed
    topic never settled reads ``not_addressed``.

    Raises:
        ExportCancelled: ``progress`` returned False; ``path`` is as it was before.
        OSError: the file could not be written; ``path`` is as it was before.
    """
    _check_audit(audit, by)
    packs = PackTopics(db, library)
    written = 0
    with db.session() as session, session.begin(), atomic_csv(path) as out:
        queries = ReportingQueries(session)
        total = queries.count(record_filter)
        combos = queries.pack_variants(record_filter)
        topic_ids = _topic_columns(packs, combos)
        out.write([*RECORD_COLUMNS, *topic_ids])
        if progress is not None and not progress(0, total):
            raise ExportCancelled("The export was cancelled.")
        templates: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
        # Cells that repeat across records (pack, version, variant, clinician) are
        # neutralised once each, not once a record.
        safe: dict[str, str] = {}
        iso = queries.iso_times()
        for chunk in queries.export_rows(record_filter, CHUNK):
            rows = []
            for row, topics in chunk:
                (cid, started, ended, patient, nhs, hospital, clinician, pack_id, version,
                 pack_hash, variant, decision, status) = row  # fmt: skip
                key = (pack_hash, variant)
                template = templates.get(key)
                if template is None:
                    template = templates[key] = _template(packs, key, topic_ids)
                states = _states(topics)
                # One C-level pass fills every topic cell: a needed topic without a
                # row reads not addressed; a topic the variant does not need is looked
                # up under a key no topic has, and stays empty.
                cells = list(map(states.get, *template))
                if not _KNOWN.issuperset(states.values()):
                    cells = [neutralise(cell) for cell in cells]  # not a state this app writes
                if decision not in _DECISIONS:
                    Decision(decision)  # refused, as reading it as a decision always was
                rows.append(
                    [
                        cid,
                        iso(started),
                        iso(ended),
                        neutralise(patient),
                        neutralise(nhs),
                        neutralise(hospital),
                        safe.get(clinician) or _safe(safe, clinician),
                        safe.get(pack_id) or _safe(safe, pack_id),
                        safe.get(version) or _safe(safe, version),
                        safe.get(variant) or _safe(safe, variant),
                        decision,
                        status,
                        *cells,
                    ]
                )
            # Every text cell is neutralised above; the rest are numbers, times and fixed words.
            out.write_raw(rows)
            written += len(rows)
            if progress is not None and not progress(written, total):
                raise ExportCancelled("The export was cancelled.")
    if audit is not None and by is not None:
        audit.record_export(by, f"records CSV: {describe(record_filter)}", written)
    return written


def write_coverage_csv(
    report: CoverageReport,
    path: Path,
    *,
    audit: AuditTrail | None = None,
    by: int | None = None,
) -> None:
    """Write the report's figures (one row per topic and breakdown) and its unaddressed list."""
    _check_audit(audit, by)
    states = list(TopicState)
    with atomic_csv(path) as out:
        out.write(
            ["topic_id", "topic", "breakdown", "group", "records"]
            + [f"{s.value}_count" for s in states]
            + [f"{s.value}_share" for s in states]
        )
        for topic in report.topics:
            groups = [("overall", "all", topic.overall)]
            groups += [("clinician", name, c) for name, c in topic.by_clinician]
            groups += [("month", month, c) for month, c in topic.by_month]
            for breakdown, group, counts in groups:
                out.write(
                    [topic.topic_id, topic.title, breakdown, group, counts.total]
                    + [counts.count(s) for s in states]
                    + [f"{counts.share(s):.4f}" for s in states]
                )
        out.write([])
        out.write(["unaddressed: record", "started_at_utc", "patient_name", "nhs_number",
                   "clinician", "topic_id", "topic", "why"])  # fmt: skip
        for item in report.unaddressed:
            out.write(
                [
                    item.consultation_id,
                    item.started_at.isoformat(),
                    item.patient_name,
                    item.nhs_number,
                    item.clinician_name,
                    item.topic_id,
                    item.topic_title,
                    item.why,
                ]
            )
    if audit is not None and by is not None:
        what = f"coverage CSV: {describe(report.record_filter)}"
        audit.record_export(by, what, report.records)


def save_coverage_pdf(
    report: CoverageReport,
    path: Path,
    title: str,
    *,
    audit: AuditTrail | None = None,
    by: int | None = None,
) -> None:
    """Write the report as a PDF, whole or not at all (an existing file is replaced)."""
    _check_audit(audit, by)
    write_atomically(path, build_coverage_pdf(report, title, utc_now()), overwrite=True)
    if audit is not None and by is not None:
        audit.record_export(by, f"coverage PDF: {describe(report.record_filter)}", report.records)


def describe(record_filter: RecordFilter) -> str:
    """The filter in words for the audit trail; typed patient text is not repeated there."""
    f = record_filter
    parts = [
        f"{label} {value}"
        for label, value in (
            ("from", f.date_from),
            ("to", f.date_to),
            ("clinician", f.clinician_id),
            ("pack", f.pack_id),
            ("variant", f.variant_id),
            ("decision", f.decision and f.decision.value),
            ("status", f.status and f.status.value),
        )
        if value is not None
    ]
    if f.patient_text.strip():
        parts.append("one patient search")
    return ", ".join(parts) or "all records"


def _states(topics: str) -> dict[str, str]:
    """A record's topic states from its aggregated text (as RecordHead.topic_states)."""
    if not topics:
        return {}
    parts = topics.split(SEP)
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _safe(cache: dict[str, str], text: str) -> str:
    cache[text] = neutralise(text)
    return cache[text]


def _topic_columns(packs: PackTopics, combos: list[tuple[str, str]]) -> list[str]:
    columns: dict[str, None] = {}
    for pack_hash, variant in combos:
        pack = packs.pack(pack_hash)
        for section in pack.sections:
            for topic in section.topics:
                if topic.applies_to(variant):
                    columns.setdefault(topic.id)
    return list(columns)


def _template(
    packs: PackTopics, key: tuple[str, str], topic_ids: list[str]
) -> tuple[list[str], list[str]]:
    """For a pack and variant: the key to look each topic column up by, and its default."""
    needed = {topic.id for topic in packs.topics(*key)}
    keys = [t if t in needed else _NO_TOPIC for t in topic_ids]
    return keys, [_OPEN if t in needed else NOT_FOR_VARIANT for t in topic_ids]


def _check_audit(audit: AuditTrail | None, by: int | None) -> None:
    if audit is not None and by is None:
        raise ValueError("an audited export needs the clinician who makes it (by)")
