"""The audit filters: dates, clinician, procedure and variant, decision, status, patient.

Every change restarts a short timer; the filter is applied once typing or
clicking pauses (debounced), so a fast typist never queues a query per key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from consult_aid.domain.consultation import Decision
from consult_aid.domain.content import ContentPack
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.domain.people import Clinician

DEBOUNCE_MS = 300
_ANY_DAY = QDate(2000, 1, 1)  # the minimum date reads "Any": no bound


@dataclass(frozen=True)
class FilterValues:
    """What the filters ask for; None (or empty text) means "any"."""

    date_from: date | None = None
    date_to: date | None = None
    clinician_id: int | None = None
    pack_id: str | None = None
    variant_id: str | None = None
    decision: Decision | None = None
    status: RecordStatus | None = None
    patient_text: str = ""


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMinimumDate(_ANY_DAY)
    edit.setSpecialValueText("Any")
    edit.setDate(_ANY_DAY)
    return edit


class FilterBar(QWidget):
    """The filter controls; says when the filter changed (after a pause).

    Signals:
        changed(object): the FilterValues now asked for.

    Attributes:
        date_from, date_to: the date range (minimum date = no bound).
        clinician, procedure, decision, status: the choices ("All" first).
        patient: name, NHS number or hospital number text.
        clear_button: back to no filter.
        timer: the debounce timer.
    """

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.date_from = _date_edit("filter_date_from")
        self.date_from.setAccessibleName("Started on or after")
        self.date_to = _date_edit("filter_date_to")
        self.date_to.setAccessibleName("Started on or before")
        self.clinician = self._combo("filter_clinician", "Clinician")
        self.procedure = self._combo("filter_procedure", "Procedure and variant")
        self.decision = self._combo("filter_decision", "Decision")
        for decision in Decision:
            self.decision.addItem(decision.label, decision.value)
        self.status = self._combo("filter_status", "Record status")
        for status in RecordStatus:
            self.status.addItem(status.label, status.value)
        self.patient = QLineEdit()
        self.patient.setObjectName("filter_patient")
        self.patient.setAccessibleName("Patient")
        self.patient.setPlaceholderText("name, NHS number or hospital number")
        self.patient.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear filters")
        rows = (
            ("&From:", self.date_from, "&To:", self.date_to, "C&linician:", self.clinician),
            ("Pro&cedure:", self.procedure, "D&ecision:", self.decision, "Stat&us:", self.status),
        )
        for r, row in enumerate(rows):
            for c in range(0, 6, 2):
                label = QLabel(str(row[c]))
                field = row[c + 1]
                assert isinstance(field, QWidget)
                label.setBuddy(field)
                grid.addWidget(label, r, c)
                grid.addWidget(field, r, c + 1)
        patient_label = QLabel("&Patient:")
        patient_label.setBuddy(self.patient)
        grid.addWidget(patient_label, 2, 0)
        grid.addWidget(self.patient, 2, 1, 1, 4)
        grid.addWidget(self.clear_button, 2, 5)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_timeout)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._on_edited)
        for combo in (self.clinician, self.procedure, self.decision, self.status):
            combo.currentIndexChanged.connect(self._on_edited)
        self.patient.textChanged.connect(self._on_edited)
        self.clear_button.clicked.connect(self.clear)

    def _combo(self, name: str, title: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(title)
        combo.addItem("All", None)
        return combo

    def set_choices(self, clinicians: list[Clinician], packs: list[ContentPack]) -> None:
        """Fill the clinician and procedure choices (keeping "All")."""
        for combo in (self.clinician, self.procedure):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
        for clinician in clinicians:
            self.clinician.addItem(clinician.name, clinician.id)
        for pack in packs:
            self.procedure.addItem(f"{pack.title} — any variant", (pack.id, None))
            for variant in pack.variants:
                self.procedure.addItem(f"{pack.title} — {variant.name}", (pack.id, variant.id))
        for combo in (self.clinician, self.procedure):
            combo.blockSignals(False)

    def values(self) -> FilterValues:
        """What the filters ask for now."""
        procedure = self.procedure.currentData()
        pack_id, variant_id = procedure if isinstance(procedure, tuple) else (None, None)
        decision = self.decision.currentData()
        status = self.status.currentData()
        clinician = self.clinician.currentData()
        return FilterValues(
            date_from=_day(self.date_from),
            date_to=_day(self.date_to),
            clinician_id=int(clinician) if clinician is not None else None,
            pack_id=pack_id,
            variant_id=variant_id,
            decision=Decision(str(decision)) if decision is not None else None,
            status=RecordStatus(str(status)) if status is not None else None,
            patient_text=self.patient.text().strip(),
        )

    def clear(self) -> None:
        """No filter at all."""
        for edit in (self.date_from, self.date_to):
            edit.setDate(_ANY_DAY)
        for combo in (self.clinician, self.procedure, self.decision, self.status):
            combo.setCurrentIndex(0)
        self.patient.clear()

    def _on_edited(self, *_args: object) -> None:
        self.timer.start()

    def _on_timeout(self) -> None:
        self.changed.emit(self.values())


def _day(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    if chosen == edit.minimumDate():
        return None
    return date(chosen.year(), chosen.month(), chosen.day())
