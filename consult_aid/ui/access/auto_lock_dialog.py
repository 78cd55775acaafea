"""Settings… (administrators): how long the window waits without input before it locks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from consult_aid.ui.settings import MAX_AUTO_LOCK, MIN_AUTO_LOCK


class AutoLockDialog(QDialog):
    """One setting: minutes without input before the window locks.

    Attributes:
        minutes: the spin box.
    """

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The window locks itself when nobody has used it for this long. The lock "
            "screen shows no patient's details; the same person signs in again to carry on."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.minutes = QSpinBox()
        self.minutes.setObjectName("auto_lock_minutes")
        self.minutes.setAccessibleName("Lock after this many idle minutes")
        self.minutes.setRange(MIN_AUTO_LOCK, MAX_AUTO_LOCK)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(minutes)
        label = QLabel("&Lock after:")
        label.setBuddy(self.minutes)
        form.addRow(label, self.minutes)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
