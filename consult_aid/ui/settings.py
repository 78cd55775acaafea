"""The window's remembered settings: sign-in and auto-lock, and how the window was laid out.

One INI file (Qt's QSettings) at a path the composition root gives, so that a
test or a second installation never reads another's settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_ZOOM = 100
MIN_ZOOM = 70
MAX_ZOOM = 250
DEFAULT_AUTO_LOCK = 10
MIN_AUTO_LOCK = 1
MAX_AUTO_LOCK = 120


class WindowSettings:
    """Typed access to the settings file.

    Attributes:
        path: the INI file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def last_username(self) -> str:
        """The user name last signed in with on this workstation (offered at the next sign-in)."""
        return str(self._qs.value("session/username", "") or "")

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._qs.setValue("session/username", value)
        self._qs.sync()

    @property
    def auto_lock_minutes(self) -> int:
        """Minutes without input before the window locks itself (1 to 120; 10 by default).

        An unreadable or out-of-range value gives the default or the nearest
        bound, never "never": a workstation always locks.
        """
        try:
            value = int(str(self._qs.value("session/auto_lock_minutes", DEFAULT_AUTO_LOCK)))
        except ValueError:
            return DEFAULT_AUTO_LOCK
        return max(MIN_AUTO_LOCK, min(MAX_AUTO_LOCK, value))

    @auto_lock_minutes.setter
    def auto_lock_minutes(self, value: int) -> None:
        self._qs.setValue(
            "session/auto_lock_minutes", max(MIN_AUTO_LOCK, min(MAX_AUTO_LOCK, value))
        )
        self._qs.sync()

    @property
    def zoom(self) -> int:
        """Text size of the topic content, in percent."""
        try:
            value = int(str(self._qs.value("window/zoom", DEFAULT_ZOOM)))
        except ValueError:
            return DEFAULT_ZOOM
        return max(MIN_ZOOM, min(MAX_ZOOM, value))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._qs.setValue("window/zoom", value)

    def blob(self, key: str) -> QByteArray | None:
        """A saved geometry or state (saveGeometry / saveState), if any."""
        value = self._qs.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        """Remember a geometry or state."""
        self._qs.setValue(f"window/{key}", value)

    def sync(self) -> None:
        """Write to disk now."""
        self._qs.sync()
