"""Every control a person can reach, on both pages, carries an accessible name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from consult_aid.ui.patient_dialog import PatientDialog
from consult_aid.ui.start_dialog import StartDialog

_INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, _INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        if widget.objectName().startswith("qt_") or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue  # Qt's own parts (a combo's line, a scroll button) take no focus
        if widget.window() is not root:
            continue  # a combo box's pop-up list is a window of its own, named by the combo
        if not widget.accessibleName().strip():
            parent = type(widget.parentWidget()).__name__
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {parent}")
    return missing


def test_every_control_on_both_pages_has_an_accessible_name(harness: Any, qtbot: Any) -> None:
    harness.seed_clinician()
    window = harness.window()
    assert _unnamed(window) == []
    qtbot.keyClick(window.patients.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = harness.modal(PatientDialog)
    assert _unnamed(dialog) == []
    dialog.name.setText("Ann Smith")
    dialog.date_of_birth.setText("09/01/1950")
    dialog.nhs_number.setText(harness.nhs_number(30))
    qtbot.keyClick(dialog.nhs_number, Qt.Key.Key_Return)
    harness.modal_closed(window)
    qtbot.waitUntil(lambda: window.patients.start_button.isEnabled(), timeout=harness.wait_ms)
    qtbot.keyClick(window.patients.results, Qt.Key.Key_Return)
    start = harness.modal(StartDialog)
    assert _unnamed(start) == []
    start.accept()
    harness.modal_closed(window)
    qtbot.waitUntil(
        lambda: window.pages.currentWidget() is window.walkthrough, timeout=harness.wait_ms
    )
    assert window.walkthrough.checklists.risk_factors
    assert _unnamed(window) == []
