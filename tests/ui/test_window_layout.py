"""The window remembers its size, position, splitters and zoom; demo mode says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from consult_aid.ui.walkthrough.topic_panel import BODY_POINTS


def test_geometry_splitters_and_zoom_come_back(harness: Any, qtbot: Any) -> None:
    harness.seed_clinician()
    window = harness.window()
    window.resize(700, 560)
    window.move(37, 41)
    qtbot.waitUntil(lambda: window.size().width() == 700, timeout=harness.wait_ms)
    place = window.geometry()
    window.walkthrough.splitter.setSizes([200, 700, 334])
    qtbot.keyClick(window.patients.search, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.patients.search, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 120
    sizes = window.walkthrough.splitter.sizes()
    harness.close(window)

    again = harness.window()
    assert again.geometry() == place
    assert again.walkthrough.splitter.sizes() == sizes
    assert again.zoom == 120
    font = again.walkthrough.topic.content.document().defaultFont()
    assert font.pointSizeF() == BODY_POINTS * 1.2


def test_demo_mode_shows_a_banner(harness: Any) -> None:
    harness.seed_clinician()
    window = harness.window(demo=True)
    assert window.demo_banner.isVisible()
    assert "not for patient use" in window.demo_banner.text()
    plain = harness.window()
    assert not plain.demo_banner.isVisible()
