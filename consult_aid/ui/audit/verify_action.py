"""Verify records…: check the audit trail and every finalised record, on the runner.

A busy dialog shows while the check runs (it may take seconds over a large
store); then a message says plainly that everything checks out, or names the
first event or record that does not match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from consult_aid.ui.plain_label import plain_message_box
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def report_text(report: Any) -> str:
    """The outcome in words: all clear, or the first event or record that does not match."""
    events = _plural(report.events_checked, "event")
    records = _plural(report.records_checked, "record")
    if report.ok:
        return f"All {events} and {records} check out."
    parts = []
    if report.first_bad_event_id is not None:
        parts.append(f"Audit event no. {report.first_bad_event_id} does not match.")
    if report.first_bad_record_id is not None:
        parts.append(f"Record no. {report.first_bad_record_id} does not match.")
    if report.first_bad_seal_id is not None:
        parts.append(f"Audit seal no. {report.first_bad_seal_id} does not match.")
    if not parts:
        parts.append("The audit trail does not match.")
    if report.problem:
        parts.append(report.problem)
    parts.append(f"({events} and {records} checked.)")
    return "\n".join(parts)


class RecordVerifier(QObject):
    """Runs the check with a busy dialog, then shows what it found.

    Signals:
        finished(object): the report, once shown.

    Attributes:
        busy: the busy dialog while the check runs (None otherwise).
        result: the message box showing the outcome (None before the first).
    """

    finished = Signal(object)

    def __init__(self, runner: ServiceRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.busy: QProgressDialog | None = None
        self.result: QMessageBox | None = None

    def run(self, services: Services, parent: QWidget) -> None:
        """Check the whole store; the window stays usable meanwhile."""
        if self.busy is not None:
            return
        check = verify_call(services)
        busy = QProgressDialog("Checking the audit trail and every finalised record…", "", 0, 0)
        busy.setParent(parent, busy.windowFlags())
        busy.setWindowTitle("Verify records")
        busy.setAccessibleName("Verifying records")
        busy.setCancelButton(None)
        busy.setMinimumDuration(0)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.show()
        self.busy = busy
        self._runner.submit(
            check,
            on_done=lambda report: self._show(parent, report, report_text(report), report.ok),
            on_error=lambda error: self._show(
                parent, None, f"The check could not run: {error_text(error)}", False
            ),
        )

    def _show(self, parent: QWidget, report: Any, text: str, ok: bool) -> None:
        if self.busy is not None:
            self.busy.close()
            self.busy.deleteLater()
            self.busy = None
        icon = QMessageBox.Icon.Information if ok else QMessageBox.Icon.Critical
        box = plain_message_box(QMessageBox(icon, "Verify records", text, parent=parent))
        box.setObjectName("verify_result")
        box.setAccessibleName("Verify records: result")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.button(QMessageBox.StandardButton.Close).setAccessibleName("Close")
        box.destroyed.connect(self._on_result_closed)
        self.result = box
        box.open()
        self.finished.emit(report)

    def _on_result_closed(self) -> None:
        self.result = None


def verify_call(services: Services) -> Callable[[], Any]:
    """The check to run on the runner."""
    return services.audit.verify
