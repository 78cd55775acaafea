"""The "Keyboard shortcuts" help (F1): every key the window answers to."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("F1", "Show this list"),
    ("Ctrl+F", "Patients: search"),
    ("Ctrl+N", "Patients: add a patient"),
    ("Enter", "Patients: start or resume a consultation with the selected patient"),
    ("Alt+Down / Ctrl+Page Down", "Walkthrough: next topic"),
    ("Alt+Up / Ctrl+Page Up", "Walkthrough: previous topic"),
    ("D or Ctrl+1", "Mark the topic discussed"),
    ("X or Ctrl+2", "Mark the topic declined by the patient"),
    ("N or Ctrl+3", "Mark the topic not applicable (asks why)"),
    ("U or Ctrl+4", "Set the topic back to not yet addressed"),
    ("M or Ctrl+M", "Tick or untick a risk as material to this patient"),
    ("F6 / Ctrl+Enter", "Write a note on the topic"),
    ("Escape", "Back to the topic list"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a state, material or checklist change"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Larger / smaller / normal text"),
    ("Ctrl+L", "Walkthrough: preview the patient's leaflet, to print or save"),
    ("Ctrl+R", "Walkthrough: preview the record of discussion, to print or save"),
    ("Ctrl+P / Ctrl+S", "In a preview: print / save as PDF"),
    ("Ctrl+E", "End the consultation"),
    ("Ctrl+Shift+F", "Walkthrough: finalise the record (or list what is missing)"),
    ("Ctrl+Shift+D", "Walkthrough: add an addendum to a finalised record"),
    ("Ctrl+Shift+A", "Open the audit workspace (records, coverage, exports)"),
    ("Ctrl+Shift+V", "Verify records: check the audit trail and every record"),
    ("Enter", "Audit workspace: open the selected record, read-only"),
    ("Ctrl+Shift+P", "Back to the patients page"),
)


class ShortcutsHelp(QDialog):
    """A two-column table of keys and what they do.

    Attributes:
        table: the list of shortcuts.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, meaning) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(meaning))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
