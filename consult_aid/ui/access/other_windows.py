"""The window's other open windows (dialogs, previews), hidden while it is locked.

A dialog may show a patient's name or record, so locking hides every other
visible top-level window; the same person unlocking gets them back as they
were, and anyone else ends them (their ``reject`` or ``close`` runs, as if
cancelled: what was saved stays saved, what was half-typed there is dropped).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def hide_others(main: QWidget) -> list[QWidget]:
    """Hide every visible top-level window but ``main``; return them, to show or end later."""
    hidden: list[QWidget] = []
    for widget in QApplication.topLevelWidgets():
        if widget is main or not widget.isVisible():
            continue
        widget.hide()
        hidden.append(widget)
    return hidden


def show_again(hidden: list[QWidget]) -> None:
    """Show the hidden windows again, in the order they were hidden."""
    for widget in hidden:
        if shiboken6.isValid(widget):  # a window deleted meanwhile is skipped
            widget.show()
            widget.raise_()


def end(hidden: list[QWidget]) -> None:
    """End the hidden windows as cancelled (a new person has signed in)."""
    for widget in hidden:
        if not shiboken6.isValid(widget):
            continue
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
