"""Undoable changes: each redo or undo is a new change sent through the service.

The change log keeps both the change and its undoing; nothing is erased.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from consult_aid.domain.consultation import TopicState

# Sends one change; the page supplies it (optimistic display + service call).
StateSender = Callable[[str, TopicState, str], None]
FlagSender = Callable[[str, bool], None]


class SetStateCommand(QUndoCommand):
    """Move a topic from one state (and reason) to another."""

    def __init__(
        self,
        send: StateSender,
        topic_id: str,
        title: str,
        old: tuple[TopicState, str],
        new: tuple[TopicState, str],
    ) -> None:
        super().__init__(f"{title}: {new[0].label}")
        self._send, self._topic_id, self._old, self._new = send, topic_id, old, new

    def redo(self) -> None:  # noqa: D102
        self._send(self._topic_id, *self._new)

    def undo(self) -> None:  # noqa: D102
        self._send(self._topic_id, *self._old)


class SetFlagCommand(QUndoCommand):
    """Tick or untick something: a material risk, a risk factor or a medicine."""

    def __init__(self, send: FlagSender, key: str, text: str, value: bool) -> None:
        super().__init__(text)
        self._send, self._key, self._value = send, key, value

    def redo(self) -> None:  # noqa: D102
        self._send(self._key, self._value)

    def undo(self) -> None:  # noqa: D102
        self._send(self._key, not self._value)
