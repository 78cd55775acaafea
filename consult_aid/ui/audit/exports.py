"""Exports from the audit workspace: the filtered records as CSV, the coverage as CSV or PDF.

The file is chosen in Qt's own file dialog; the export runs on the runner with
a progress dialog whose Cancel stops it (the services write atomically, so a
cancelled export leaves no file). The outcome is said in the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from consult_aid.ui.audit.filters import FilterValues
from consult_aid.ui.audit.progress_relay import ProgressRelay, ProgressWatcher
from consult_aid.ui.audit.queries import export_records, write_coverage
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.ui.audit.queries import Reporting

_FILTERS = {"csv": "CSV files (*.csv)", "pdf": "PDF documents (*.pdf)"}


class Exporter(QObject):
    """Asks where, then exports on the runner with a cancellable progress dialog.

    Signals:
        finished(str): what happened, in words ("Exported 12 records to …", "Cancelled…").

    Attributes:
        progress: the progress dialog while an export runs (None otherwise).
        watcher: polls the export's progress into it.
        last_message: the last outcome.
    """

    finished = Signal(str)

    def __init__(self, runner: ServiceRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner = runner
        self._parent = parent
        self._reporting: Reporting | None = None
        self._by = 0
        self.progress: QProgressDialog | None = None
        self.watcher: ProgressWatcher | None = None
        self.last_message = ""
        self.folder: Path | None = None

    def attach(self, reporting: Reporting, clinician_id: int) -> None:
        """Export through these services, as this clinician."""
        self._reporting = reporting
        self._by = clinician_id

    # ------------------------------------------------------------- choosing
    def ask_records(self, values: FilterValues) -> None:
        """Export the filtered records as CSV: ask where first."""
        self._ask("records.csv", "csv", lambda path: self.export_records(values, path))

    def ask_coverage(self, values: FilterValues, kind: str, drafts: bool) -> None:
        """Export the coverage report as CSV or PDF: ask where first."""
        self._ask(
            f"coverage.{kind}", kind, lambda path: self.export_coverage(values, drafts, kind, path)
        )

    def _ask(self, name: str, kind: str, then: Callable[[Path], None]) -> None:
        folder = self.folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        dialog = QFileDialog(self._parent, f"Export as {kind.upper()}", str(folder / name))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAccessibleName(f"Export as {kind.upper()}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(_FILTERS[kind])
        dialog.setDefaultSuffix(kind)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(lambda chosen: then(Path(chosen)))
        dialog.open()

    # ------------------------------------------------------------- exporting
    def export_records(self, values: FilterValues, path: Path) -> None:
        """Write the filtered records to ``path`` as CSV, with progress and Cancel."""
        reporting = self._reporting
        if reporting is None or self.progress is not None:
            return
        by = self._by

        def work(relay: ProgressRelay) -> Any:
            return export_records(reporting, values, path, relay, by)

        self._run("Exporting records…", path, work)

    def export_coverage(self, values: FilterValues, drafts: bool, kind: str, path: Path) -> None:
        """Write the coverage report of the filtered records to ``path`` (CSV or PDF)."""
        reporting = self._reporting
        if reporting is None or self.progress is not None:
            return
        by = self._by

        def work(relay: ProgressRelay) -> Any:
            return write_coverage(reporting, values, drafts, kind, path, relay, by)

        self._run("Writing the coverage report…", path, work)

    def _run(self, label: str, path: Path, work: Callable[[ProgressRelay], Any]) -> None:
        self.folder = path.parent
        progress = QProgressDialog(label, "Cancel", 0, 0, self._parent)
        progress.setWindowTitle("Export")
        progress.setAccessibleName("Export progress")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        relay = ProgressRelay()
        self.progress = progress
        self.watcher = ProgressWatcher(progress, relay)
        progress.show()
        self._runner.submit(
            lambda: work(relay),
            on_done=lambda count: self._finish(f"Exported {_count(count)}to {path}"),
            on_error=lambda error: self._finish(
                "Export cancelled; no file was written."
                if relay.cancelled
                else f"Not exported: {error_text(error)}"
            ),
        )

    def _finish(self, message: str) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        self.last_message = message
        self.finished.emit(message)


def _count(count: object) -> str:
    if isinstance(count, int):
        return f"{count:,} record{'' if count == 1 else 's'} "
    return ""
