"""The consultation's details: levels, who was present, interpreter, capacity, decision."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from consult_aid.domain.consultation import Capacity, ConsultationState, Decision, Detail
from consult_aid.ui.form_errors import FieldErrors
from consult_aid.ui.patient_dialog import parse_uk_date

_LINES = (
    (Detail.LEVELS, "Vertebral level(s)", "for example T12, L1"),
    (
        Detail.OTHERS_PRESENT,
        "Others present",
        "name and relationship, for example Ann Smith (daughter)",
    ),
    (Detail.INTERPRETER, "Interpreter", "name and language, or “not needed”"),
    (Detail.COMMUNICATION_NEEDS, "Communication needs", "large print, easy read, BSL…"),
    (Detail.CAPACITY_NOTE, "Capacity note", ""),
    (Detail.MDT_DATE, "MDT discussion date", "dd/mm/yyyy"),
    (Detail.PLACE, "Place", "for example Spinal clinic, room 4"),
)


def _shown(detail: Detail, stored: str) -> str:
    """Stored values as a person reads them (the MDT date as dd/mm/yyyy)."""
    if detail is Detail.MDT_DATE and stored:
        try:
            return date.fromisoformat(stored).strftime("%d/%m/%Y")
        except ValueError:
            return stored
    return stored


class DetailsForm(QWidget):
    """One field per detail; each is sent when editing finishes (or a choice changes).

    Signals:
        detail_edited(object, str): the Detail and its new value (as stored).

    Attributes:
        lines: Detail -> its line edit.
        capacity: the capacity choice.
        decision: the decision choice.
        errors: per-field messages for refused values.
    """

    detail_edited = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        # Labels above their fields: the side panel is narrow and nothing may be clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.errors = FieldErrors()
        self.lines: dict[Detail, QLineEdit] = {}
        self._shown: dict[Detail, str] = {}
        for detail, title, hint in _LINES:
            line = QLineEdit()
            line.setObjectName(f"detail_{detail.value}")
            line.setAccessibleName(title)
            line.setPlaceholderText(hint)
            line.editingFinished.connect(lambda d=detail: self._on_line_done(d))
            label = QLabel(f"{title}:")
            label.setBuddy(line)
            form.addRow(label, line)
            form.addRow("", self.errors.label_for(detail.value, line, title))
            self.lines[detail] = line
            if detail is Detail.CAPACITY_NOTE:
                self.capacity = self._combo(form, Detail.CAPACITY, "Capacity", Capacity)
        self.decision = self._combo(form, Detail.DECISION, "Decision", Decision)

    def _combo(
        self, form: QFormLayout, detail: Detail, title: str, choices: type[Capacity | Decision]
    ) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"detail_{detail.value}")
        combo.setAccessibleName(title)
        for choice in choices:
            combo.addItem(choice.label, choice.value)
        combo.activated.connect(
            lambda _row, c=combo, d=detail: self.detail_edited.emit(d, str(c.currentData()))
        )
        label = QLabel(f"{title}:")
        label.setBuddy(combo)
        form.addRow(label, combo)
        form.addRow("", self.errors.label_for(detail.value, combo, title))
        return combo

    def show_state(self, state: ConsultationState, *, all_fields: bool) -> None:
        """Show stored values; fields being typed in are left alone unless all_fields."""
        for detail, line in self.lines.items():
            if all_fields or not line.hasFocus():
                value = _shown(detail, state.detail(detail))
                line.setText(value)
                self._shown[detail] = value
        for combo, value in ((self.capacity, state.capacity), (self.decision, state.decision)):
            combo.setCurrentIndex(max(0, combo.findData(value.value)))

    def set_read_only(self, read_only: bool) -> None:
        """An ended consultation shows its details but takes no more."""
        for line in self.lines.values():
            line.setReadOnly(read_only)
        self.capacity.setEnabled(not read_only)
        self.decision.setEnabled(not read_only)

    def _on_line_done(self, detail: Detail) -> None:
        line = self.lines[detail]
        if line.isReadOnly():
            return
        text = line.text().strip()
        if text == self._shown.get(detail, ""):
            return
        value = text
        if detail is Detail.MDT_DATE and text:
            day = parse_uk_date(text)
            if day is None:
                self.errors.show({detail.value: "Give the MDT date as dd/mm/yyyy."})
                return
            value = day.isoformat()
        self.errors.clear()
        self._shown[detail] = text
        self.detail_edited.emit(detail, value)
