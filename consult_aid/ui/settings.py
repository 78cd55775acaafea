"""The window's remembered settings: who is using it, and how the window was laid out.

One INI file (Qt's QSettings) at a path the composition root gives, so that a
test or a second installation never reads another's settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_ZOOM = 100
MIN_ZOOM = 70
MAX_ZOOM = 250


class WindowSettings:
    """Typed access to the settings file.

    Attributes:
        path: the INI file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def clinician_id(self) -> int | None:
        """The clinician this installation is used by, if chosen."""
        value = self._qs.value("clinician/id")
        try:
            return int(str(value)) if value not in (None, "") else None
        except ValueError:
            return None

    @clinician_id.setter
    def clinician_id(self, value: int | None) -> None:
        if value is None:
            self._qs.remove("clinician/id")
        else:
            self._qs.setValue("clinician/id", value)
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
