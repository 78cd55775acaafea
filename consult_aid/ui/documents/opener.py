"""Opens document previews for the walkthrough and the patients page.

Both pages ask for documents the same way: this turns "the leaflet of this
consultation" or "a pre-clinic leaflet for this patient" into a request the
preview makes on the runner.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from consult_aid.domain.documents import DocumentKind, LeafletFormat
from consult_aid.domain.people import Patient
from consult_aid.ui.documents.preview_dialog import DocumentPreview
from consult_aid.ui.documents.request import DocumentRequest
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.documents import GeneratedDocument


class DocumentOpener(QObject):
    """Makes document requests and opens their previews.

    Signals:
        opened(object): the DocumentPreview just opened.
    """

    opened = Signal(object)

    def __init__(self, runner: ServiceRunner, status: SaveStatus, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._services: Services | None = None
        self._clinician_id = 0

    def attach(self, services: Services, clinician_id: int) -> None:
        """Work with these services, as this clinician."""
        self._services = services
        self._clinician_id = clinician_id

    def consultation_document(
        self,
        parent: QWidget,
        patient: Patient,
        consultation_id: int,
        kind: DocumentKind,
        source: str,
    ) -> DocumentPreview | None:
        """Preview the leaflet or the record of a consultation."""
        if self._services is None:
            return None
        documents = self._services.documents

        def make(fmt: LeafletFormat | None) -> GeneratedDocument:
            if kind is DocumentKind.RECORD:
                return documents.record_for_consultation(consultation_id)
            return documents.leaflet_for_consultation(consultation_id, fmt)

        return self.open(DocumentRequest(patient, kind, make, source=source), parent)

    def pre_clinic_leaflet(
        self,
        parent: QWidget,
        patient: Patient,
        pack_id: str,
        variant_id: str,
        source: str,
        clinic_date: date | None = None,
    ) -> DocumentPreview | None:
        """Preview a leaflet for a patient not yet seen (from the pack alone)."""
        if self._services is None:
            return None
        documents, patient_id = self._services.documents, patient.id

        def make(fmt: LeafletFormat | None) -> GeneratedDocument:
            return documents.leaflet_for_patient(
                patient_id, pack_id, variant_id, None, fmt=fmt, clinic_date=clinic_date
            )

        request = DocumentRequest(patient, DocumentKind.LEAFLET, make, source=source)
        return self.open(request, parent)

    def open(self, request: DocumentRequest, parent: QWidget) -> DocumentPreview | None:
        """Open a preview for a request (window-modal over ``parent``)."""
        if self._services is None:
            return None
        preview = DocumentPreview(
            request, self._services, self._runner, self._clinician_id, self._status, parent
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        self.opened.emit(preview)
        return preview
