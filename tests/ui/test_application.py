"""Starting the app: a record store that cannot be opened is explained, and the app exits 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from consult_aid.app import services_factory
from consult_aid.ui.application import run_gui


def test_a_store_that_cannot_open_is_explained_and_the_app_exits_1(
    qtbot: Any, tmp_path: Path
) -> None:
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    before = not_a_database.read_bytes()
    shown: list[str] = []

    def answer_the_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, answer_the_box)

    QTimer.singleShot(50, answer_the_box)
    opener = services_factory(f"sqlite:///{not_a_database.as_posix()}")
    code = run_gui(opener, tmp_path / "settings.ini")
    assert code == 1
    assert len(shown) == 1
    assert "could not start" in shown[0]
    assert "Cannot open the database" in shown[0]
    assert "notes.sqlite3" in shown[0]
    assert not_a_database.read_bytes() == before
    for window in QApplication.topLevelWidgets():
        window.close()


def test_the_window_module_imports_nothing_slow() -> None:
    # The window is shown before the store opens; these arrive later, on the
    # service runner's thread. Importing one of them here would slow every start.
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "import consult_aid.ui.application\n"
        "slow = ('sqlalchemy', 'alembic', 'reportlab', 'pydantic', 'yaml')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(slow)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
