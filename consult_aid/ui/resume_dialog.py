"""Offer to resume the consultations this clinician left unfinished."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from consult_aid.services.views import ConsultationSummary
from consult_aid.ui.models.consultation_list import ConsultationListModel
from consult_aid.ui.text import local_time


class ResumeDialog(QDialog):
    """List unfinished consultations: Resume the selected one, or Not now.

    Attributes:
        model: the unfinished consultations.
        view: the list the clinician picks from.
    """

    def __init__(self, unfinished: list[ConsultationSummary], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unfinished consultations")
        self.setAccessibleName("Unfinished consultations")
        self.setModal(True)
        self.resize(680, 360)
        layout = QVBoxLayout(self)
        label = QLabel("These consultations were not finished. Resume one now?")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.model = ConsultationListModel(
            lambda s: (
                f"{s.patient.name} · started {local_time(s.started_at)} · "
                f"{s.settled} of {s.total} topics settled"
            )
        )
        self.model.set_summaries(unfinished)
        self.view = QListView()
        self.view.setAccessibleName("Unfinished consultations")
        self.view.setModel(self.model)
        self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.activated.connect(lambda _index: self.accept())
        layout.addWidget(self.view)
        buttons = QDialogButtonBox()
        resume = buttons.addButton("Resume", QDialogButtonBox.ButtonRole.AcceptRole)
        resume.setAccessibleName("Resume")
        later = buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        later.setAccessibleName("Not now")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.setFocus()

    def chosen_id(self) -> int | None:
        """The consultation to resume."""
        summary = self.model.summary_at(self.view.currentIndex().row())
        return summary.id if summary else None
