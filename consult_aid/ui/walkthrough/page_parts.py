"""The consultation page's larger parts, built here so the page itself reads as behaviour."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeView,
    QWidget,
)


def navigator_view(model: QAbstractItemModel) -> QTreeView:
    """The tree of sections and topics, topic titles stretching, states sized to fit."""
    navigator = QTreeView()
    navigator.setObjectName("navigator")
    navigator.setAccessibleName("Topics")
    navigator.setModel(model)
    navigator.setUniformRowHeights(True)
    navigator.setAllColumnsShowFocus(True)
    header = navigator.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    navigator.setStyleSheet("QTreeView { font-size: 12pt; }")
    return navigator


def side_tabs(
    progress: QWidget, checklists: QWidget, details: QWidget, questions: QWidget
) -> QTabWidget:
    """Progress, the patient's ticks, the details form and the questions, as tabs."""
    tabs = QTabWidget()
    tabs.setObjectName("side_tabs")
    tabs.setAccessibleName("Consultation details")
    tabs.addTab(progress, "&Progress")
    tabs.addTab(_scrolling(checklists, "Risk factors and medicines"), "Patient")
    tabs.addTab(_scrolling(details, "Details"), "Details")
    tabs.addTab(questions, "Questions")
    return tabs


def document_buttons() -> tuple[QPushButton, QPushButton]:
    """The "Leaflet…" and "Record…" buttons, which preview this consultation's documents."""
    leaflet = QPushButton("&Leaflet…")
    leaflet.setObjectName("leaflet_button")
    leaflet.setAccessibleName("Preview and print the leaflet")
    leaflet.setToolTip("Ctrl+L: this patient's leaflet, to print or save")
    record = QPushButton("&Record…")
    record.setObjectName("record_button")
    record.setAccessibleName("Preview and print the record of discussion")
    record.setToolTip("Ctrl+R: the record of discussion, to print or save")
    return leaflet, record


def bottom_buttons(layout: QBoxLayout, *middle: QWidget) -> tuple[QPushButton, QPushButton]:
    """Add the "Back to patients" … "End consultation" row; return those two buttons.

    ``middle`` widgets sit after the stretch, before "End consultation".
    """
    row = QHBoxLayout()
    back = QPushButton("Back to patients")
    back.setAccessibleName("Back to patients")
    back.setToolTip("Ctrl+Shift+P; the consultation stays open to resume")
    end = QPushButton("&End consultation…")
    end.setAccessibleName("End consultation")
    end.setToolTip("Ctrl+E")
    row.addWidget(back)
    row.addStretch(1)
    for widget in middle:
        row.addWidget(widget)
    row.addWidget(end)
    layout.addLayout(row)
    return back, end


def _scrolling(widget: QWidget, name: str) -> QScrollArea:
    # Long forms scroll down, never sideways: a narrow screen still shows them whole.
    area = QScrollArea()
    area.setAccessibleName(name)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area
