"""Per-field error messages shown right under the field they are about."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from consult_aid.ui.plain_label import plain_label

ERROR_STYLE = "color: #a4001d; font-weight: bold;"


class FieldErrors:
    """Keeps one hidden error label per field and shows the service's messages in them.

    Attributes:
        labels: field name -> its error label.
    """

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}

    def label_for(self, name: str, field: QWidget, title: str) -> QLabel:
        """Make the (hidden) error label of a field; put it in the layout under the field."""
        label = plain_label()
        label.setObjectName(f"error_{name}")
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.setAccessibleName(f"Problem with {title}")
        label.hide()
        self.labels[name] = label
        self._fields[name] = field
        return label

    def add_rows(self, form: QFormLayout, rows: Iterable[tuple[str, str, QWidget]]) -> None:
        """Add each (field name, title, widget) to a form: label, field, hidden error line."""
        for key, title, field in rows:
            field.setObjectName(key)
            field.setAccessibleName(title)
            label = QLabel(f"&{title}:")
            label.setBuddy(field)
            form.addRow(label, field)
            form.addRow("", self.label_for(key, field, title))

    def show(self, problems: dict[str, str], general: QLabel | None = None) -> None:
        """Show each message beside its field and put the cursor in the first bad field."""
        self.clear()
        first: QWidget | None = None
        leftovers = []
        for name, text in problems.items():
            label = self.labels.get(name)
            if label is None:
                leftovers.append(text)
                continue
            label.setText(f"⚠ {text}")
            label.show()
            self._fields[name].setAccessibleDescription(text)
            if first is None:
                first = self._fields[name]
        if general is not None and leftovers:
            general.setText("⚠ " + " ".join(leftovers))
            general.show()
        if first is not None:
            first.setFocus()
            # A dialog does not grow by itself for a wrapped message (Qt does not pass a
            # label's height-for-width up to the window), so the message would be cut.
            top = first.window()
            if isinstance(top, QDialog):
                top.adjustSize()

    def clear(self) -> None:
        """Hide every message."""
        for name, label in self.labels.items():
            label.clear()
            label.hide()
            self._fields[name].setAccessibleDescription("")
