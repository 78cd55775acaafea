"""The status-bar note that says whether the last change is safely stored."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from consult_aid.ui.form_errors import ERROR_STYLE


class SaveStatus(QLabel):
    """Shows "Saving…" while changes are in flight and "Saved HH:MM:SS" once stored.

    "Saved" only ever appears after the service call returned, so the clinician
    can trust it.

    Attributes:
        in_flight: changes sent and not yet answered.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("save_status")
        self.setAccessibleName("Save status")
        self.in_flight = 0
        self.setText("")

    def begin(self) -> None:
        """A change has been sent to be stored."""
        self.in_flight += 1
        self.setStyleSheet("")
        self.setText("Saving…")

    def saved(self) -> None:
        """A change came back stored."""
        self.in_flight = max(0, self.in_flight - 1)
        if self.in_flight == 0:
            self.setStyleSheet("")
            self.setText(f"Saved {datetime.now().strftime('%H:%M:%S')}")

    def failed(self, message: str) -> None:
        """A change was refused or could not be stored."""
        self.in_flight = max(0, self.in_flight - 1)
        self.setStyleSheet(ERROR_STYLE)
        self.setText(f"Not saved: {message}")
