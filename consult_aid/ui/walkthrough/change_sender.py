"""Sends a consultation's changes to the store, in order, off the GUI thread.

The page shows a change at once; this sends it on the runner and says when
the store has caught up (``settled``), so that the page then shows exactly
what is stored. If the store refuses a change, the page is told and given the
stored consultation again (``reloaded``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from consult_aid.services.views import ConsultationView
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.consultations import ConsultationService


class ChangeSender(QObject):
    """Sends changes for the consultation it follows and reports the stored result.

    Signals:
        settled(object): the ConsultationView as stored, once no change is left on its way.
        refused(object): the exception with which the store refused a change.
        reloaded(object): the ConsultationView read again after a refusal.
    """

    settled = Signal(object)
    refused = Signal(object)
    reloaded = Signal(object)

    def __init__(
        self, runner: ServiceRunner, status: SaveStatus, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._services: Services | None = None
        self._consultation_id: int | None = None
        # Answers for a consultation no longer followed are dropped: the
        # generation tells them apart even when the same one is reopened.
        self._generation = 0
        self._in_flight = 0

    def attach(self, services: Services) -> None:
        """Send through these services."""
        self._services = services

    def follow(self, consultation_id: int) -> None:
        """Send changes for this consultation from now on."""
        self._consultation_id = consultation_id
        self._generation += 1
        self._in_flight = 0

    @property
    def busy(self) -> bool:
        """True while a change is on its way to the store."""
        return self._in_flight > 0

    def send(self, change: Callable[[ConsultationService], object]) -> None:
        """Store one change; the answer is the consultation as now stored."""
        assert self._services is not None
        assert self._consultation_id is not None
        consultations = self._services.consultations
        cid, generation = self._consultation_id, self._generation

        def call() -> ConsultationView:
            change(consultations)
            return consultations.load(cid)

        self._in_flight += 1
        self._status.begin()
        self._runner.submit(
            call,
            on_done=lambda view: self._on_stored(generation, view),
            on_error=lambda error: self._on_refused(generation, error),
        )

    def _on_stored(self, generation: int, view: ConsultationView) -> None:
        self._status.saved()
        if generation != self._generation:
            return
        self._in_flight -= 1
        if self._in_flight == 0:
            self.settled.emit(view)

    def _on_refused(self, generation: int, error: BaseException) -> None:
        self._status.failed(error_text(error))
        if generation != self._generation:
            return
        self._in_flight -= 1
        self.refused.emit(error)
        assert self._services is not None
        assert self._consultation_id is not None
        consultations, cid = self._services.consultations, self._consultation_id
        self._runner.submit(
            lambda: consultations.load(cid),
            on_done=lambda view: self._on_reloaded(generation, view),
        )

    def _on_reloaded(self, generation: int, view: ConsultationView) -> None:
        if generation == self._generation and not self.busy:
            self.reloaded.emit(view)
