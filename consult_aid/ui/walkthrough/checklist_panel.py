"""The patient's risk factors and medicines, ticked as the clinician learns of them."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from consult_aid.domain.content import Checklist


class ChecklistPanel(QWidget):
    """Two groups of check boxes; a click asks for the change, the state comes back.

    Signals:
        risk_factor_clicked(str, bool): item id, ticked.
        medicine_clicked(str, bool): item id, ticked.

    Attributes:
        risk_factors: item id -> its check box.
        medicines: item id -> its check box.
    """

    risk_factor_clicked = Signal(str, bool)
    medicine_clicked = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self.risk_factors: dict[str, QCheckBox] = {}
        self.medicines: dict[str, QCheckBox] = {}
        self._groups: list[QGroupBox] = []

    def set_items(
        self, risk_factors: tuple[Checklist, ...], medicines: tuple[Checklist, ...]
    ) -> None:
        """Build the boxes for a pack's checklists."""
        for group in self._groups:
            group.deleteLater()
        self._groups = []
        self.risk_factors = self._group("Risk factors", risk_factors, self.risk_factor_clicked)
        self.medicines = self._group("Medicines", medicines, self.medicine_clicked)
        self._layout.addStretch(1)

    def _group(
        self, title: str, items: tuple[Checklist, ...], signal: SignalInstance
    ) -> dict[str, QCheckBox]:
        group = QGroupBox(title)
        group.setAccessibleName(title)
        layout = QVBoxLayout(group)
        boxes = {}
        for item in items:
            box = QCheckBox(item.label)
            box.setAccessibleName(f"{title}: {item.label}")
            box.setToolTip(item.advice)
            box.clicked.connect(lambda checked, key=item.id: signal.emit(key, checked))
            layout.addWidget(box)
            boxes[item.id] = box
        self._layout.addWidget(group)
        self._groups.append(group)
        return boxes

    def show_ticks(self, risk_factors: frozenset[str], medicines: frozenset[str]) -> None:
        """Show which items are ticked."""
        for key, box in self.risk_factors.items():
            box.setChecked(key in risk_factors)
        for key, box in self.medicines.items():
            box.setChecked(key in medicines)

    def set_read_only(self, read_only: bool) -> None:
        """An ended consultation shows its ticks but takes no more."""
        for box in (*self.risk_factors.values(), *self.medicines.values()):
            box.setEnabled(not read_only)
