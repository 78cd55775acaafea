"""Run service calls off the GUI thread, one at a time, in the order they were asked.

The services touch the database and may block (a busy disk, a slow network
database). Running them here keeps the window responsive; running them on a
single worker keeps every change in the order the clinician made it, which the
consultation log depends on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

_JOB_DONE = QEvent.Type(QEvent.registerEventType())

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class _Job:
    """One call waiting for, or back from, the worker."""

    call: Callable[[], Any]
    on_done: ResultCallback | None
    on_error: ErrorCallback | None
    result: Any = None
    error: BaseException | None = None


class ServiceRunner(QObject):
    """Runs callables on one worker thread and reports back on the GUI thread.

    Signals:
        busy_changed(bool): True when the first call is queued, False when the
            last one has been delivered.
        failed(object): an exception no caller handled (given no ``on_error``).

    Attributes:
        pending: calls submitted and not yet delivered back.
    """

    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        # Finished jobs wait here; the worker only posts a bare event to say so, which
        # keeps Python objects out of Qt's cross-thread signal queue.
        self._done: queue.Queue[_Job] = queue.Queue()
        self._lock = threading.Condition()
        self._running = 0  # submitted, not yet finished on the worker
        self.pending = 0
        self._thread = threading.Thread(target=self._work, name="service-runner", daemon=True)
        self._thread.start()

    def submit(
        self,
        call: Callable[[], Any],
        on_done: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Queue ``call``; its result or error comes back to the callbacks on the GUI thread."""
        if not self._thread.is_alive():
            raise RuntimeError("the service runner has been stopped")
        with self._lock:
            self._running += 1
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        self._jobs.put(_Job(call, on_done, on_error))

    def drain(self, timeout_ms: int) -> bool:
        """Wait (bounded) until every queued call has run and been delivered.

        Returns True when nothing is left pending.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            with self._lock:
                while self._running and time.monotonic() < deadline:
                    self._lock.wait(deadline - time.monotonic())
            # The results wait as posted events for this object: hand them over now.
            QCoreApplication.sendPostedEvents(self, 0)
            if self.pending == 0:
                return True
            if time.monotonic() >= deadline:
                return False

    def stop(self, timeout_ms: int = 5000) -> None:
        """Finish queued calls and end the worker thread."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout_ms / 1000)
        QCoreApplication.sendPostedEvents(self)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job.result = job.call()
            except Exception as error:  # every failure goes back to the GUI to be shown
                job.error = error
            self._done.put(job)
            QCoreApplication.postEvent(self, QEvent(_JOB_DONE))
            with self._lock:
                self._running -= 1
                self._lock.notify_all()

    def event(self, event: QEvent) -> bool:
        """Hand finished jobs to their callbacks (on the GUI thread)."""
        if event.type() != _JOB_DONE:
            return super().event(event)
        while True:
            try:
                job = self._done.get_nowait()
            except queue.Empty:
                return True
            self._deliver(job)

    def _deliver(self, job: _Job) -> None:
        self.pending -= 1
        try:
            if job.error is None:
                if job.on_done is not None:
                    job.on_done(job.result)
            elif job.on_error is not None:
                job.on_error(job.error)
            else:
                self.failed.emit(job.error)
        finally:
            if self.pending == 0:
                self.busy_changed.emit(False)
