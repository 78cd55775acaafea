"""Progress from a service call on the runner's thread to a dialog on the GUI thread.

The service calls the relay from its own thread with how far it has got; the
relay only stores the latest figures under a lock. A QTimer on the GUI thread
polls them into a QProgressDialog. Cancelling sets a flag the next report
sees: the relay then answers False, the services' signal to stop; their
atomic write leaves no half-written file behind.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

POLL_MS = 50


class ProgressRelay:
    """Thread-safe: the worker reports, the GUI reads; cancelling stops the worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int) -> bool:
        """Called by the service with its progress; False (stop) once cancelled."""
        with self._lock:
            self._done, self._total = done, total
        return not self._cancel.is_set()

    def latest(self) -> tuple[int, int]:
        """The last (done, total) reported."""
        with self._lock:
            return self._done, self._total

    def cancel(self) -> None:
        """Ask the work to stop at its next report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel was asked."""
        return self._cancel.is_set()


class ProgressWatcher(QObject):
    """Polls a relay into a progress dialog; its Cancel cancels the relay.

    Signals:
        cancel_requested(): the person pressed Cancel.

    Attributes:
        relay: what the worker reports to.
        dialog: the progress dialog shown.
    """

    cancel_requested = Signal()

    def __init__(self, dialog: QProgressDialog, relay: ProgressRelay) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.relay = relay
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_tick)
        dialog.canceled.connect(self._on_cancel)
        self._timer.start()

    def _on_tick(self) -> None:
        done, total = self.relay.latest()
        if total > 0:
            if self.dialog.maximum() != total:
                self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total - 1) if done < total else total - 1)
            self.dialog.setLabelText(f"{done:,} of {total:,} records…")

    def _on_cancel(self) -> None:
        self.relay.cancel()
        self.dialog.setLabelText("Cancelling…")
        self.cancel_requested.emit()

    def stop(self) -> None:
        """Stop polling (the work is over)."""
        self._timer.stop()
