"""One record, read-only, for audit: its facts, its change history, its addenda, its PDF.

Everything is read on the runner. Opening the record and previewing its PDF
are each reported to the services as a viewing (the audit trail keeps who
looked at which record). A finalised record previews the PDF kept at
finalisation, never a rebuilt one; a draft previews the record as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.consultation import Change
from consult_aid.domain.documents import DocumentKind, LeafletFormat
from consult_aid.services.views import ConsultationView
from consult_aid.ui.audit.history_model import HistoryModel
from consult_aid.ui.documents.preview_dialog import DocumentPreview
from consult_aid.ui.documents.request import DocumentRequest, patient_line
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text, local_time
from consult_aid.ui.walkthrough.finalising import addendum_text, finalised_line, is_finalised

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.documents import GeneratedDocument


@dataclass(frozen=True)
class RecordDetails:
    """What the viewer shows, read in one go on the runner."""

    view: ConsultationView
    history: list[Change]
    names: dict[int, str]


def facts_text(view: ConsultationView, names: dict[int, str]) -> str:
    """The record's header facts, one per line."""
    state = view.state
    variant = view.pack.variant(view.header.variant_id).name
    lines = [
        f"{view.pack.procedure} — {variant}",
        f"Content version {view.pack.info.version}",
        f"Clinician: {view.clinician.name}",
        f"Started: {local_time(view.header.started_at)}",
        f"Ended: {local_time(state.ended_at) if state.ended_at else 'not ended'}",
        f"Decision: {state.decision.label}",
        f"Topics settled: {view.progress.settled} of {view.progress.total}",
        f"Status: {view.status.label}",
    ]
    if is_finalised(view):
        lines.append(finalised_line(view, names))
    return "\n".join(lines)


class RecordViewer(QDialog):
    """A record for audit, read-only.

    Signals:
        loaded(): the record arrived and is shown.

    Attributes:
        consultation_id: the record shown.
        details: what was read (None until it arrives).
        patient, facts: the patient line and the header facts (plain text).
        history, history_model: the change log as a table.
        addenda: one plain label per addendum.
        message: progress or a problem.
        preview_button, close_button: the actions.
        preview: the PDF preview last opened (None before).
    """

    loaded = Signal()

    def __init__(
        self,
        services: Services,
        runner: ServiceRunner,
        clinician_id: int,
        consultation_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._by = clinician_id
        self._closed = False
        self.consultation_id = consultation_id
        self.details: RecordDetails | None = None
        self.preview: DocumentPreview | None = None
        self.setWindowTitle(f"Record no. {consultation_id} (read only)")
        self.setAccessibleName("Record, read only")
        self.resize(1000, 800)
        self._build()
        self._load()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.patient = plain_label("Loading the record…")
        self.patient.setObjectName("viewer_patient")
        self.patient.setAccessibleName("Patient")
        self.patient.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.patient.setWordWrap(True)
        layout.addWidget(self.patient)
        self.facts = plain_label()
        self.facts.setObjectName("viewer_facts")
        self.facts.setAccessibleName("Record facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        title = QLabel("Change &history:")
        layout.addWidget(title)
        self.history_model = HistoryModel()
        self.history = QTableView()
        self.history.setObjectName("viewer_history")
        self.history.setAccessibleName("Change history")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        self.history.verticalHeader().hide()
        header = self.history.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        title.setBuddy(self.history)
        layout.addWidget(self.history, 1)
        self._addenda_box = QVBoxLayout()
        layout.addLayout(self._addenda_box)
        self.addenda: list[QLabel] = []
        self.message = plain_label()
        self.message.setObjectName("viewer_message")
        self.message.setAccessibleName("Outcome")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.preview_button = QPushButton("&Preview record…")
        self.preview_button.setAccessibleName("Preview the record as a PDF")
        self.preview_button.setEnabled(False)
        self.close_button = QPushButton("&Close")
        self.close_button.setAccessibleName("Close")
        row.addWidget(self.preview_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.preview_button.clicked.connect(self.open_preview)
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        consultations, clinicians = self._services.consultations, self._services.clinicians
        cid, by = self.consultation_id, self._by

        def read() -> RecordDetails:
            consultations.record_view(cid, by)
            names = {c.id: c.name for c in clinicians.all()}
            return RecordDetails(consultations.load(cid), consultations.history(cid), names)

        self._runner.submit(read, on_done=self._on_loaded, on_error=self._on_failed)

    def _on_loaded(self, details: RecordDetails) -> None:
        if self._closed:
            return
        self.details = details
        view = details.view
        self.patient.setText(patient_line(view.patient))
        self.facts.setText(facts_text(view, details.names))
        self.history_model.set_history(details.history, details.names, view.pack)
        self.history.resizeRowsToContents()
        for addendum in view.addenda:
            label = plain_label(addendum_text(addendum, details.names))
            label.setObjectName("viewer_addendum")
            label.setAccessibleName("Addendum")
            label.setWordWrap(True)
            label.setStyleSheet("background: #eef6ee; padding: 4px;")
            self._addenda_box.addWidget(label)
            self.addenda.append(label)
        self.preview_button.setEnabled(True)
        self.message.setText("")
        self.loaded.emit()

    def _on_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(f"⚠ The record could not be read: {error_text(error)}")

    # ------------------------------------------------------------------ preview
    def open_preview(self) -> None:
        """The record's PDF: as finalised, or (a draft) as it stands now."""
        if self.details is None:
            return
        view = self.details.view
        documents, consultations = self._services.documents, self._services.consultations
        cid, by, kept = view.header.id, self._by, is_finalised(view)

        def make(_fmt: LeafletFormat | None) -> GeneratedDocument:
            consultations.record_view(cid, by)
            return (
                documents.finalised_record(cid) if kept else documents.record_for_consultation(cid)
            )

        source = "as finalised" if kept else "draft, as it stands now"
        request = DocumentRequest(view.patient, DocumentKind.RECORD, make, source=source)
        preview = DocumentPreview(request, self._services, self._runner, self._by, None, self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        self.preview = preview

    def done(self, result: int) -> None:
        """Closing: answers still on their way are dropped."""
        self._closed = True
        super().done(result)
