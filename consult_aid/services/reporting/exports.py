"""Exports for the audit workspace: the filtered records, and a coverage report, as CSV files.

Both are written whole or not at all (csv_files.atomic_csv), with every cell
made safe for a spreadsheet. The records export streams: the records and their
topic states come from two queries in record order, read side by side a chunk
at a time (storage.reporting_export, in one read transaction, so the file is
one consistent snapshot), and never more than a chunk is held in memory. Each
chunk's lines are joined as text (record_lines) from the plain values the
driver returns, and written at once. Each export written is audited when an
audit trail is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from consult_aid.documents.coverage_report import build_coverage_pdf
from consult_aid.domain.consultation import TopicState
from consult_aid.services.atomic_files import write_atomically
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.authorship import utc_now
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.reporting.coverage import CoverageReport
from consult_aid.services.reporting.csv_files import atomic_csv
from consult_aid.services.reporting.packs import PackTopics
from consult_aid.services.reporting.record_lines import RecordLines
from consult_aid.storage.database import Database
from consult_aid.storage.reporting_export import RecordStream
from consult_aid.storage.reporting_queries import RecordFilter, ReportingQueries

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
        stream = RecordStream(session)
        lines = RecordLines(packs, topic_ids, stream.iso_times())
        for chunk in stream.rows(record_filter, CHUNK):
            out.write_text(lines.text(chunk))
            written += len(chunk)
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


def _topic_columns(packs: PackTopics, combos: list[tuple[str, str]]) -> list[str]:
    columns: dict[str, None] = {}
    for pack_hash, variant in combos:
        pack = packs.pack(pack_hash)
        for section in pack.sections:
            for topic in section.topics:
                if topic.applies_to(variant):
                    columns.setdefault(topic.id)
    return list(columns)


def _check_audit(audit: AuditTrail | None, by: int | None) -> None:
    if audit is not None and by is None:
        raise ValueError("an audited export needs the clinician who makes it (by)")
