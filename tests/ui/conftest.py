"""Fixtures for the window's tests: a fresh database and settings file per test.

Every window a test opens is closed at the end, its runner drained and
stopped, and its services closed; a test that leaves a visible top-level
window behind fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from consult_aid import paths
from consult_aid.domain import nhs_number
from consult_aid.domain.access import Role
from consult_aid.domain.people import Clinician, ClinicianDraft, ClinicianRole
from consult_aid.services.bundle import Services, open_services
from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.settings import WindowSettings
from tests.signing_in import FAST_HASHING, PASSWORD, add_person, first_person, sign_in
from tests.ui.cups import PrivateCups, missing

WAIT_MS = 10_000
SEED_USER = "ada"
SEED_PROFILE = ClinicianDraft(
    "Ada Surgeon", ClinicianRole.CONSULTANT_SURGEON, "1234567", "St Elsewhere"
)
_HERE = Path(__file__).resolve().parent
# Qt's offscreen platform warns for every top-level window with a layout; the
# warning is about the test platform, not the app, so only it is let through.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
# Showing a window again after a lock raises it, which the offscreen platform cannot do.
OFFSCREEN_RAISE = "This plugin does not support raise"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Let the offscreen platform's size-hint warning through in the window's tests."""
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, OFFSCREEN_RAISE))


@dataclass
class Harness:
    """Opens windows and services over one database and one settings file.

    Attributes:
        folder: the test's temporary folder.
        qtbot: pytest-qt's robot.
    """

    folder: Path
    qtbot: Any
    wait_ms: int = WAIT_MS
    _services: list[Services] = field(default_factory=list)
    _windows: list[tuple[MainWindow, ServiceRunner]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The test's SQLite database."""
        return f"sqlite:///{(self.folder / 'db.sqlite3').as_posix()}"

    @property
    def settings_path(self) -> Path:
        """The test's settings file."""
        return self.folder / "settings.ini"

    @staticmethod
    def nhs_number(serial: int) -> str:
        """A valid NHS number in the synthetic 999 range (never a real patient's)."""
        for n in range(serial, serial + 100):
            candidate = f"999{n:06d}"
            for check in range(10):
                if nhs_number.is_valid(candidate + str(check)):
                    return candidate + str(check)
        raise AssertionError("no valid synthetic number near this serial")

    def modal(self, kind: type[QWidget]) -> Any:
        """Wait for a modal dialog of a kind to be open, and return it."""
        self.qtbot.waitUntil(
            lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=WAIT_MS
        )
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        self.activate(dialog)
        return dialog

    def activate(self, window: QWidget) -> None:
        """Make a window the active one (as a click on it would), for its shortcuts."""
        window.activateWindow()
        self.qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)

    def modal_closed(self, window: QWidget) -> None:
        """Wait for the modal dialog to go, and the window to be active again."""
        self.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
        self.activate(window)

    @property
    def services(self) -> Services:
        """The services opened last."""
        return self._services[-1]

    def open_services(self) -> Services:
        """Real services over the test's database (cheap password hashing)."""
        services = open_services(self.url, paths.procedures_dir(), password_hashing=FAST_HASHING)
        self._services.append(services)
        return services

    def seed_clinician(self) -> Clinician:
        """Store the first account, "ada": a surgeon holding every role (signed in here)."""
        services = self.open_services()
        return first_person(services, SEED_PROFILE, username=SEED_USER)

    def add_person(self, profile: ClinicianDraft, roles: set[Role], username: str) -> Clinician:
        """Give another person an account (after ``seed_clinician``); password ``PASSWORD``."""
        services = self._services[0]
        sign_in(services, SEED_USER)
        return add_person(services, profile, roles, username)

    def sign_in(self, window: MainWindow, username: str, password: str = PASSWORD) -> None:
        """Type a user name and password into the window's sign-in screen and press Enter."""
        page = window.sign_in_page
        self.qtbot.waitUntil(
            lambda: window.pages.currentWidget() is page and page.sign_in.isEnabled(),
            timeout=WAIT_MS,
        )
        page.username.clear()
        self.qtbot.keyClicks(page.username, username)
        page.password.clear()
        self.qtbot.keyClicks(page.password, password)
        self.qtbot.keyClick(page.password, Qt.Key.Key_Return)

    def window(
        self, *, demo: bool = False, wait_ready: bool = True, user: str = SEED_USER
    ) -> MainWindow:
        """Show a new main window over freshly opened services, signed in as ``user``."""
        runner = ServiceRunner()
        window = MainWindow(WindowSettings(self.settings_path), runner, demo=demo)
        self._windows.append((window, runner))
        window.show()
        self.qtbot.waitExposed(window)
        self.activate(window)
        window.open_store(self.open_services)
        if wait_ready:
            with self.qtbot.waitSignal(window.ready, timeout=WAIT_MS):
                self.sign_in(window, user)
        return window

    def close(self, window: MainWindow) -> None:
        """Close a window as a person would, then stop its runner."""
        for shown, runner in list(self._windows):
            if shown is window:
                window.close()
                runner.drain(WAIT_MS)
                runner.stop()
                self._windows.remove((shown, runner))
                window.deleteLater()

    def finish(self) -> None:
        """Close whatever the test left open."""
        for window, _runner in list(self._windows):
            self.close(window)
        for services in self._services:
            services.close()
        self._services.clear()


@pytest.fixture
def harness(qtbot: Any, tmp_path: Path) -> Iterator[Harness]:
    """A harness whose windows and services are closed after the test."""
    made = Harness(tmp_path, qtbot)
    yield made
    made.finish()
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in left:
        widget.close()
    assert not left, f"windows left open: {left}"


@pytest.fixture(scope="session")
def cups_queue() -> Iterator[tuple[str, Path]]:
    """A private CUPS scheduler with a cups-pdf queue: (queue name, folder its PDFs land in).

    Skipped, with the reason in the summary, where CUPS and cups-pdf are not
    installed; .ci/run installs both, so CI always prints for real.
    """
    reason = missing()
    if reason is not None:
        pytest.skip(f"REAL PRINTING NOT TESTED: {reason}")
    cups = PrivateCups()
    try:
        cups.start()
        yield cups.queue, cups.output
    finally:
        cups.stop()
