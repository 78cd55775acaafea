"""Every control a person can reach, on both pages, carries an accessible name."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from consult_aid.ui.patient_dialog import PatientDialog
from consult_aid.ui.resume_dialog import ResumeDialog
from consult_aid.ui.start_dialog import StartDialog
from tests.ui.records_seed import consultation, patient

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


def _access_key_clashes(window: Any) -> dict[str, list[str]]:
    """Letters that more than one visible control of the page (or menu) answers to, Alt+letter."""
    keys: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        found = re.search(r"&([^&])", text.replace("&&", ""))
        if found:
            keys.setdefault(found.group(1).lower(), []).append(f"{where} {text!r}")

    for action in window.menuBar().actions():
        if action.isVisible():
            add(action.text(), "menu")
    for widget in window.pages.currentWidget().findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "label")
        elif isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    add(widget.tabText(index), "tab")
    return {key: places for key, places in keys.items() if len(places) > 1}


def test_no_two_controls_of_a_page_share_an_access_key(harness: Any, qtbot: Any) -> None:
    clinician = harness.seed_clinician()
    services = harness.services
    cid = consultation(services, patient(services, clinician.id, 9, "Ann Smith"), clinician.id)
    window = harness.window()
    harness.modal(ResumeDialog).reject()
    harness.modal_closed(window)
    assert _access_key_clashes(window) == {}  # the patients page
    window.patients.open_by_id(cid, resume=True)
    qtbot.waitUntil(
        lambda: window.pages.currentWidget() is window.walkthrough, timeout=harness.wait_ms
    )
    for tab in range(window.walkthrough.side.count()):
        window.walkthrough.side.setCurrentIndex(tab)
        assert _access_key_clashes(window) == {}, window.walkthrough.side.tabText(tab)
    window.show_audit()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.audit, timeout=harness.wait_ms)
    for tab in range(window.audit.tabs.count()):
        window.audit.tabs.setCurrentIndex(tab)
        assert _access_key_clashes(window) == {}, window.audit.tabs.tabText(tab)
    window.show_users()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.users, timeout=harness.wait_ms)
    assert _access_key_clashes(window) == {}
