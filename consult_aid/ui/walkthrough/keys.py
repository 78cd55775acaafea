"""The walkthrough's keyboard: single keys on the navigator, shortcuts everywhere else.

Single letters settle a topic only while the navigator or the content has
focus, so they never take a key from a text field; the Ctrl and Alt
shortcuts work anywhere in the walkthrough.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from consult_aid.domain.consultation import TopicState

if TYPE_CHECKING:
    from consult_aid.ui.walkthrough.page import ConsultationPage

SINGLE_KEYS = {
    Qt.Key.Key_D: TopicState.DISCUSSED,
    Qt.Key.Key_X: TopicState.DECLINED,
    Qt.Key.Key_N: TopicState.NOT_APPLICABLE,
    Qt.Key.Key_U: TopicState.NOT_ADDRESSED,
}

Binding = tuple[str, Callable[[], None]]


def walkthrough_keys(page: ConsultationPage) -> list[Binding]:
    """Every shortcut of the consultation page and what it does."""
    return [
        ("Alt+Down", page.next_topic),
        ("Ctrl+PgDown", page.next_topic),
        ("Alt+Up", page.previous_topic),
        ("Ctrl+PgUp", page.previous_topic),
        ("Ctrl+1", lambda: page.request_state(TopicState.DISCUSSED)),
        ("Ctrl+2", lambda: page.request_state(TopicState.DECLINED)),
        ("Ctrl+3", lambda: page.request_state(TopicState.NOT_APPLICABLE)),
        ("Ctrl+4", lambda: page.request_state(TopicState.NOT_ADDRESSED)),
        ("Ctrl+M", page.toggle_material),
        ("F6", page.focus_note),
        ("Ctrl+Return", page.focus_note),
        ("Ctrl+Enter", page.focus_note),
        ("Escape", page.focus_navigator),
        ("Ctrl+E", page.confirm_end),
        ("Ctrl+L", page.open_leaflet),
        ("Ctrl+R", page.open_record),
        ("Ctrl+Shift+P", page.leave_to_patients),
        ("Ctrl+Shift+F", page.finalising.request),
        ("Ctrl+Shift+D", page.finalising.add_addendum),
        ("Ctrl+Z", page.undo_stack.undo),
        ("Ctrl+Shift+Z", page.undo_stack.redo),
        ("Ctrl+Y", page.undo_stack.redo),
    ]


def install_shortcuts(owner: QWidget, bindings: list[Binding]) -> None:
    """Make each binding a shortcut active anywhere inside ``owner``."""
    for key, slot in bindings:
        shortcut = QShortcut(QKeySequence(key), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
