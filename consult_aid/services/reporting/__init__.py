"""The audit workspace's services: the records browser, the coverage report, and exports.

Every function here reads in its own short transaction and is safe to call
from a worker thread; none of them changes a record.
"""

from consult_aid.services.reporting.browser import MAX_PAGE, RecordRow, RecordsBrowser
from consult_aid.services.reporting.coverage import (
    CoverageReport,
    StateCounts,
    TopicCoverage,
    UnaddressedItem,
    build_coverage_report,
)
from consult_aid.services.reporting.csv_files import neutralise
from consult_aid.services.reporting.exports import (
    ExportCancelled,
    Progress,
    export_records_csv,
    save_coverage_pdf,
    write_coverage_csv,
)
from consult_aid.storage.reporting_queries import RecordFilter, SortKey

__all__ = [
    "MAX_PAGE",
    "CoverageReport",
    "ExportCancelled",
    "Progress",
    "RecordFilter",
    "RecordRow",
    "RecordsBrowser",
    "SortKey",
    "StateCounts",
    "TopicCoverage",
    "UnaddressedItem",
    "build_coverage_report",
    "export_records_csv",
    "neutralise",
    "save_coverage_pdf",
    "write_coverage_csv",
]
