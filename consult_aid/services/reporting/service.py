"""The audit workspace's entry point: every reporting call, checked against the signed-in role.

The functions in ``browser``, ``coverage`` and ``exports`` do the work on a
database; the window reaches them only through this service, which checks the
role first. They are imported inside the calls: they pull in ReportLab and
the reporting queries, which opening the services must not wait for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from consult_aid.domain.access import Action
from consult_aid.services.access import AccessControl
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.content_library import ContentLibrary
from consult_aid.storage.database import Database

if TYPE_CHECKING:
    from consult_aid.services.reporting.browser import RecordRow, RecordsBrowser
    from consult_aid.services.reporting.coverage import CoverageReport
    from consult_aid.services.reporting.exports import Progress
    from consult_aid.storage.reporting_queries import RecordFilter, SortKey


class ReportingService:
    """Browse records (auditors), coverage reports, and exports, each audited where it writes."""

    def __init__(
        self, db: Database, library: ContentLibrary, access: AccessControl, audit: AuditTrail
    ) -> None:
        self._db = db
        self._library = library
        self._access = access
        self._audit = audit
        self._browser: RecordsBrowser | None = None

    def count(self, record_filter: RecordFilter) -> int:
        """How many records the filter matches."""
        self._access.require(Action.VIEW_RECORDS)
        return self._records().count(record_filter)

    def page(
        self,
        record_filter: RecordFilter,
        sort: SortKey | str,
        descending: bool,
        offset: int,
        limit: int,
        after: RecordRow | None = None,
    ) -> list[RecordRow]:
        """One page of the records browser (see ``RecordsBrowser.page``)."""
        self._access.require(Action.VIEW_RECORDS)
        return self._records().page(record_filter, sort, descending, offset, limit, after)

    def coverage(
        self, record_filter: RecordFilter, *, include_drafts: bool = False
    ) -> CoverageReport:
        """The coverage report over the finalised records (or all, with drafts) a filter matches."""
        self._access.require(Action.REPORTS)
        from consult_aid.services.reporting.coverage import build_coverage_report

        return build_coverage_report(
            self._db, record_filter, self._library, include_drafts=include_drafts
        )

    def export_records_csv(
        self, record_filter: RecordFilter, path: Path, progress: Progress | None, by: int
    ) -> int:
        """Write the filtered records as CSV (one row per record), audited; the count written."""
        self._access.require_as(Action.EXPORT, by)
        from consult_aid.services.reporting.exports import export_records_csv

        return export_records_csv(
            self._db,
            record_filter,
            path,
            progress,
            library=self._library,
            audit=self._audit,
            by=by,
        )

    def write_coverage_csv(self, report: CoverageReport, path: Path, by: int) -> None:
        """Write a coverage report as CSV, audited."""
        self._access.require_as(Action.EXPORT, by)
        from consult_aid.services.reporting.exports import write_coverage_csv

        write_coverage_csv(report, path, audit=self._audit, by=by)

    def save_coverage_pdf(self, report: CoverageReport, path: Path, title: str, by: int) -> None:
        """Write a coverage report as a PDF, audited."""
        self._access.require_as(Action.EXPORT, by)
        from consult_aid.services.reporting.exports import save_coverage_pdf

        save_coverage_pdf(report, path, title, audit=self._audit, by=by)

    def _records(self) -> RecordsBrowser:
        if self._browser is None:
            from consult_aid.services.reporting.browser import RecordsBrowser

            self._browser = RecordsBrowser(self._db, self._library)
        return self._browser
