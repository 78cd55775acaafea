"""The coverage report in the audit workspace over a small database.

The right shares in the table and the chart, per clinician, the records with gaps (opened by
double-click), and the coverage exported as CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from consult_aid.ui.audit.coverage_model import SHARE_TITLES
from consult_aid.ui.audit.record_viewer import RecordViewer
from tests.ui.test_audit_workspace import _seed, _workspace


def _row(model: Any, title: str) -> list[str]:
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == title:
            return [model.index(row, c).data() for c in range(model.columnCount())]
    raise AssertionError(f"no row for {title}")


def test_coverage_shows_the_shares_and_the_gaps(
    harness: Any, qtbot: Any, qtmodeltester: Any, tmp_path: Path
) -> None:
    made = _seed(harness)
    window = _workspace(harness, qtbot)
    audit = window.audit
    coverage = audit.coverage
    audit.tabs.setCurrentWidget(coverage)
    qtbot.waitUntil(
        lambda: coverage.summary.text() == "Coverage over 3 finalised records",
        timeout=harness.wait_ms,
    )
    pack = harness.services.consultations.load(made["declined"]).pack
    topics = pack.topics_for("balloon")
    first, second = topics[0].title, topics[1].title
    assert _row(coverage.model, first) == [
        "" + first,
        "3",
        "33% (1)",
        "33% (1)",
        "33% (1)",
        "0% (0)",
    ]
    assert _row(coverage.model, second) == [second, "3", "100% (3)", "0% (0)", "0% (0)", "0% (0)"]
    qtmodeltester.check(coverage.model, force_py=True)
    words = coverage.chart.describe().splitlines()
    assert words[0] == (
        f"{first}: {SHARE_TITLES[0]} 33%, {SHARE_TITLES[1]} 33%, "
        f"{SHARE_TITLES[2]} 33%, {SHARE_TITLES[3]} 0%"
    )
    assert coverage.unaddressed_model.rowCount() == 0  # finalised records leave no gaps

    # Per clinician: Bob's one record marked the first topic not applicable.
    coverage.kind.setCurrentIndex(coverage.kind.findText("Per clinician"))
    coverage.which.setCurrentIndex(coverage.which.findText("Bob Other"))
    assert _row(coverage.model, first)[1:] == ["1", "0% (0)", "0% (0)", "100% (1)", "0% (0)"]
    coverage.kind.setCurrentIndex(coverage.kind.findText("Per month"))
    assert coverage.which.count() == 1
    assert _row(coverage.model, first)[1] == "3"

    # With drafts: the draft's open material risk and alternatives are listed; a double-click
    # opens that record.
    qtbot.mouseClick(coverage.drafts, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: coverage.unaddressed_model.rowCount() > 0, timeout=harness.wait_ms)
    qtmodeltester.check(coverage.unaddressed_model, force_py=True)
    whys = {
        coverage.unaddressed_model.index(r, 5).data()
        for r in range(coverage.unaddressed_model.rowCount())
    }
    assert whys == {"material risk", "alternative"}
    index = coverage.unaddressed_model.index(0, 1)
    rect = coverage.unaddressed.visualRect(index)
    # A real double-click starts with a press (Qt emits doubleClicked for the pressed row).
    qtbot.mouseClick(coverage.unaddressed.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(coverage.unaddressed.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = harness.modal(RecordViewer)
    assert viewer.consultation_id == made["draft"]
    qtbot.waitUntil(lambda: viewer.details is not None, timeout=harness.wait_ms)
    assert "Status: Draft" in viewer.facts.text()
    viewer.close()
    harness.modal_closed(window)

    # Export the coverage as CSV, through Qt's own file dialog.
    qtbot.mouseClick(coverage.drafts, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(coverage.csv_button, Qt.MouseButton.LeftButton)
    chooser: QFileDialog = harness.modal(QFileDialog)
    target = tmp_path / "coverage.csv"
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert name_field is not None
    name_field.setText(str(target))
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: audit.outcome.text().startswith("Exported"), timeout=harness.wait_ms)
    harness.modal_closed(window)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    overall = next(r for r in rows if r[1:4] == [first, "overall", "all"])
    assert overall[4] == "3"

    qtbot.mouseClick(coverage.pdf_button, Qt.MouseButton.LeftButton)
    chooser = harness.modal(QFileDialog)
    report = tmp_path / "coverage.pdf"
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert name_field is not None
    name_field.setText(str(report))
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: str(report) in audit.outcome.text(), timeout=harness.wait_ms)
    harness.modal_closed(window)
    assert report.read_bytes().startswith(b"%PDF")
