"""Start the desktop app: show the window at once, open the record store behind it.

Nothing slow is imported here: SQLAlchemy and the services arrive through
``open_services``, which runs on the service runner's worker thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from consult_aid.ui.main_window import MainWindow
from consult_aid.ui.plain_label import plain_message_box
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.settings import WindowSettings

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

CLOSE_WAIT_MS = 5000


def run_gui(
    open_services: Callable[[], Services],
    settings_path: Path,
    *,
    demo: bool = False,
    sign_in_hint: str = "",
    argv: list[str] | None = None,
) -> int:
    """Show the main window and run until it is closed; return the exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Consult Aid")
    app.setApplicationDisplayName("Consult Aid")
    runner = ServiceRunner()
    window = MainWindow(WindowSettings(settings_path), runner, demo=demo, sign_in_hint=sign_in_hint)
    window.show()
    opened: list[Services] = []

    def on_failed(message: str) -> None:
        box = plain_message_box(
            QMessageBox(
                QMessageBox.Icon.Critical,
                "Consult Aid cannot start",
                f"Consult Aid could not start.\n\n{message}",
                parent=window,
            )
        )
        box.exec()
        app.exit(1)

    window.store_failed.connect(on_failed)
    window.open_store(lambda: _remember(opened, open_services()))
    code = app.exec()
    window.close()
    if opened:
        runner.submit(opened[0].close)
    runner.drain(CLOSE_WAIT_MS)
    runner.stop()
    return code


def _remember(opened: list[Services], services: Services) -> Services:
    """Keep hold of the services so that they are closed when the window goes."""
    opened.append(services)
    return services
