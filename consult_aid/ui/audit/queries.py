"""What the audit workspace asks of the reporting services, as calls for the runner.

The reporting services use SQLAlchemy, which the window must not import at
start-up: they are imported here only inside the calls, which run on the
service runner's thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consult_aid.domain import nhs_number
from consult_aid.domain.consultation import Decision
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.ui.audit.filters import FilterValues
from consult_aid.ui.audit.progress_relay import ProgressRelay
from consult_aid.ui.audit.records_model import Column, CountSource, PageSource
from consult_aid.ui.text import local_time

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.reporting.coverage import CoverageReport
    from consult_aid.storage.reporting_queries import RecordFilter


def record_filter(values: FilterValues) -> RecordFilter:
    """The services' filter for what the filter bar asks (call on the runner)."""
    from consult_aid.storage.reporting_queries import RecordFilter

    return RecordFilter(**asdict(values))


class Reporting:
    """The reporting calls the workspace makes, through the role-checked reporting service."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        """The services reported on."""
        return self._services

    def records(self, values: FilterValues) -> tuple[PageSource, CountSource]:
        """The page and count calls for a filter, to give the records model."""

        def pages(sort: str, descending: bool, offset: int, limit: int) -> Sequence[Any]:
            return self._services.reporting.page(
                record_filter(values), sort, descending, offset, limit
            )

        def count() -> int:
            return self._services.reporting.count(record_filter(values))

        return pages, count

    def coverage(self, values: FilterValues, *, include_drafts: bool = False) -> CoverageReport:
        """The coverage report over the finalised records a filter matches (on the runner)."""
        return self._services.reporting.coverage(
            record_filter(values), include_drafts=include_drafts
        )


def _variant(row: Any, names: dict[tuple[str, str], str]) -> str:
    return names.get((row.pack_id, row.variant_id), f"{row.pack_id} / {row.variant_id}")


def record_columns(variant_names: dict[tuple[str, str], str]) -> list[Column]:
    """The records table's columns; those with a sort key re-query when their header is clicked."""
    return [
        Column("No.", "", lambda r: str(r.consultation_id), 6),
        Column("Started", "started_at", lambda r: local_time(r.started_at), 16),
        Column("Patient", "patient", lambda r: r.patient_name, 22),
        Column("NHS number", "", lambda r: nhs_number.display(r.nhs_number), 13),
        Column("Clinician", "clinician", lambda r: r.clinician_name, 16),
        Column("Procedure", "", lambda r: _variant(r, variant_names), 24),
        Column("Decision", "decision", lambda r: Decision(r.decision).label, 19),
        Column("Status", "status", lambda r: RecordStatus(r.status).label, 15),
        Column("Topics settled", "", lambda r: f"{r.settled} of {r.total}", 11),
    ]


def export_records(
    reporting: Reporting, values: FilterValues, path: Path, progress: ProgressRelay, by: int
) -> int:
    """Write the filtered records to a CSV file, audited (on the runner); the count written."""
    return reporting.services.reporting.export_records_csv(
        record_filter(values), path, progress, by
    )


def write_coverage(
    reporting: Reporting,
    values: FilterValues,
    drafts: bool,
    kind: str,
    path: Path,
    progress: ProgressRelay,
    by: int,
) -> int:
    """Write the coverage report as CSV or PDF, audited (on the runner); the records covered."""
    progress(0, 1)
    report = reporting.coverage(values, include_drafts=drafts)
    service = reporting.services.reporting
    if kind == "pdf":
        title = "Coverage of records of discussion" + (" (drafts included)" if drafts else "")
        service.save_coverage_pdf(report, path, title, by)
    else:
        service.write_coverage_csv(report, path, by)
    progress(1, 1)
    return int(report.records)
