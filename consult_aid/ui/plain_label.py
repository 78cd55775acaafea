"""Labels that never read their text as markup.

A QLabel guesses ("AutoText") whether its text is rich text, so a patient
called "<b>Smith</b>" or a note quoted in an error would be rendered, not
shown. Every label that can hold a name, a note, a message or pack text is
made here, as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain_label(text: str = "") -> QLabel:
    """A QLabel that shows its text literally."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_message_box(box: QMessageBox) -> QMessageBox:
    """Make a message box show its text literally; return it for chaining."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
