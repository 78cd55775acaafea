"""The question asked before a consultation is ended, naming the topics still open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from consult_aid.domain.consultation import ConsultationState, progress
from consult_aid.services.views import ConsultationView
from consult_aid.ui.plain_label import plain_message_box

_LISTED = 8


def end_confirmation(
    parent: QWidget, view: ConsultationView, state: ConsultationState
) -> tuple[QMessageBox, QPushButton]:
    """Build the confirmation box; return it and its "End consultation" button."""
    done = progress(view.pack, view.header.variant_id, state)
    text = "End this consultation? The record cannot be changed afterwards."
    if done.open_topic_ids:
        titles = ", ".join(view.pack.topic(t).title for t in done.open_topic_ids[:_LISTED])
        more = "…" if len(done.open_topic_ids) > _LISTED else ""
        text = (
            f"{len(done.open_topic_ids)} topics are still open: {titles}{more}.\n\n"
            "End the consultation anyway? The record cannot be changed afterwards."
        )
    box = plain_message_box(
        QMessageBox(QMessageBox.Icon.Question, "End consultation", text, parent=parent)
    )
    box.setObjectName("end_confirmation")
    box.setAccessibleName("End consultation")
    end = box.addButton("End consultation", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(end)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box, end
