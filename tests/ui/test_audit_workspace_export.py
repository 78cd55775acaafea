"""Exporting the filtered records as CSV from the audit workspace.

The file is written with one row per record, and a Cancel in the progress dialog stops the
export with no file left.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QProgressDialog, QPushButton

from consult_aid.ui.main_window import MainWindow
from tests.ui.test_audit_workspace import _seed, _workspace


def _choose(harness: Any, qtbot: Any, window: MainWindow, target: Path) -> None:
    qtbot.mouseClick(window.audit.export_button, Qt.MouseButton.LeftButton)
    chooser: QFileDialog = harness.modal(QFileDialog)
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert name_field is not None, "Qt's file dialog has changed: no file name field"
    name_field.setText(str(target))
    qtbot.keyClick(name_field, Qt.Key.Key_Return)


def test_records_export_writes_a_csv_and_can_be_cancelled(
    harness: Any, qtbot: Any, tmp_path: Path
) -> None:
    _seed(harness)
    window = _workspace(harness, qtbot)
    audit = window.audit

    target = tmp_path / "records.csv"
    _choose(harness, qtbot, window, target)
    qtbot.waitUntil(lambda: audit.outcome.text() != "", timeout=harness.wait_ms)
    assert audit.outcome.text() == f"Exported 4 records to {target}"
    harness.modal_closed(window)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 5
    assert {r[3] for r in rows[1:]} == {"Ann Smith", "Zoë Łukasiewicz"}

    # Hold the runner so that the export waits, cancel it in the progress dialog, then let go.
    gate = threading.Event()
    window._runner.submit(lambda: gate.wait(10))
    cancelled = tmp_path / "cancelled.csv"
    _choose(harness, qtbot, window, cancelled)
    progress: QProgressDialog = harness.modal(QProgressDialog)
    assert audit.exporter.progress is progress
    cancel = progress.findChild(QPushButton)
    assert cancel is not None
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(
        lambda: audit.outcome.text() == "Export cancelled; no file was written.",
        timeout=harness.wait_ms,
    )
    harness.modal_closed(window)
    assert not cancelled.exists()
    assert not list(tmp_path.glob(".consult-aid-*"))
