"""The banner over the walkthrough: whose consultation this is, and with which content.

Always visible, so that a discussion is never held on the wrong patient's record.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from consult_aid.services.views import ConsultationView
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.text import uk_date


class PatientBanner(QFrame):
    """Patient identity, procedure and variant, content version and review warning.

    Attributes:
        patient_line: name, date of birth, NHS number and hospital number.
        content_line: procedure, variant and content version.
        review_warning: shown when the content is past its review date.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patient_banner")
        self.setStyleSheet(
            "#patient_banner { background: #e8f0fb; border: 2px solid #1d4f91;"
            " border-radius: 4px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.patient_line = plain_label()
        self.patient_line.setObjectName("banner_patient")
        self.patient_line.setStyleSheet("font-size: 16pt; font-weight: bold; color: #0b2545;")
        self.patient_line.setAccessibleName("Patient")
        self.patient_line.setWordWrap(True)
        self.content_line = plain_label()
        self.content_line.setAccessibleName("Procedure and content version")
        self.content_line.setWordWrap(True)
        self.review_warning = plain_label()
        self.review_warning.setAccessibleName("Content review warning")
        self.review_warning.setStyleSheet(
            "background: #fff4ce; color: #5c3b00; font-weight: bold; padding: 4px;"
        )
        self.review_warning.setWordWrap(True)
        self.review_warning.hide()
        for label in (self.patient_line, self.content_line, self.review_warning):
            layout.addWidget(label)

    def show_view(self, view: ConsultationView, today: date) -> None:
        """Show who and what this consultation is about."""
        patient = view.patient
        hospital = patient.hospital_number or "none recorded"
        self.patient_line.setText(
            f"{patient.name}   ·   born {uk_date(patient.date_of_birth)}   ·   "
            f"NHS {patient.nhs_number_display}   ·   hospital no. {hospital}"
        )
        info = view.pack.info
        variant = view.pack.variant(view.header.variant_id).name
        ended = ""
        if view.state.ended_at is not None:
            ended = "   ·   ENDED (read only)"
        self.content_line.setText(
            f"{view.pack.procedure} — {variant}   ·   content version {info.version} "
            f"(review due {uk_date(info.review_due)})   ·   clinician {view.clinician.name}{ended}"
        )
        if info.overdue(today):
            self.review_warning.setText(
                f"⚠ This content was due for review on {uk_date(info.review_due)}: "
                "check the figures are still current before relying on them."
            )
            self.review_warning.show()
        else:
            self.review_warning.hide()
