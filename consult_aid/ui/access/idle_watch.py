"""Notices when nobody has touched the keyboard or mouse for a while (for the auto-lock).

An event filter on the application sees every input event of every window
(dialogs included) and restarts one timer. It is installed only while the
countdown runs (someone is signed in): every event crosses into Python through
it, which would slow the window's start-up for nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
MS_PER_MINUTE = 60_000


class IdleWatch(QObject):
    """Emits ``idle`` after ``minutes`` without input while running.

    Signals:
        idle(): the time ran out.
    """

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)
        self._watching = False

    @property
    def running(self) -> bool:
        """Whether the countdown is on."""
        return self._timer.isActive()

    def set_minutes(self, minutes: float) -> None:
        """Change the idle time (the countdown restarts if it was running)."""
        self._timer.setInterval(max(1, round(minutes * MS_PER_MINUTE)))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        """Start (or restart) the countdown."""
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (while locked or signed out)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Any input restarts a running countdown; the event goes on as usual."""
        if event.type() in _INPUT and self._timer.isActive():
            self._timer.start()
        return False
