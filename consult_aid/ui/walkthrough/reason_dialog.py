"""Ask why a topic does not apply to this patient (a reason is required)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.plain_label import plain_label


class ReasonDialog(QDialog):
    """One line for the reason; OK stays refused until something is written.

    Attributes:
        reason: the line the reason is typed into.
    """

    def __init__(self, topic_title: str, reason: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Not applicable")
        self.setAccessibleName("Not applicable: reason")
        self.setModal(True)
        self.resize(520, self.sizeHint().height())
        layout = QVBoxLayout(self)
        prompt = plain_label(f"Why does “{topic_title}” not apply to this patient?")
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.reason = QLineEdit(reason)
        self.reason.setAccessibleName("Reason")
        prompt.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.problem = QLabel("⚠ Say why the topic does not apply.")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def _on_ok(self) -> None:
        if self.reason.text().strip():
            self.accept()
        else:
            self.problem.show()
            self.reason.setFocus()
