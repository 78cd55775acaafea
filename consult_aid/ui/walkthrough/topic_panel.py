"""The centre of the walkthrough: the topic read large, its state buttons, and its note."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.consultation import TopicRecord, TopicState
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.text import STATE_COLOURS, state_text

BODY_POINTS = 16
NOTE_DELAY_MS = 700

_BUTTONS = (
    (TopicState.DISCUSSED, "&Discussed", "Ctrl+1 or D"),
    (TopicState.DECLINED, "Declined by patient", "Ctrl+2 or X"),
    (TopicState.NOT_APPLICABLE, "&Not applicable…", "Ctrl+3 or N"),
    (TopicState.NOT_ADDRESSED, "Not yet addressed", "Ctrl+4 or U"),
)


class TopicPanel(QWidget):
    """Shows one topic and takes the clinician's decision on it.

    Signals:
        state_requested(object): a TopicState button was pressed.
        material_clicked(bool): the "Material to this patient" box was ticked or unticked.
        note_idle(): the note has not been typed in for a moment (time to save it).

    Attributes:
        content: the topic's text, read only.
        state_label: the topic's current state in words.
        buttons: TopicState -> its button.
        material: the "Material to this patient" box (risks only).
        note: the clinician's note on this topic.
        splitter: between the content and the note.
    """

    state_requested = Signal(object)
    material_clicked = Signal(bool)
    note_idle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.content = QTextBrowser()
        self.content.setObjectName("topic_content")
        self.content.setAccessibleName("Topic content")
        self.content.setOpenLinks(False)
        self.content.setOpenExternalLinks(False)
        self.content.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 4, 0, 0)
        self.state_label = plain_label()
        self.state_label.setObjectName("topic_state")
        self.state_label.setAccessibleName("Topic state")
        self.state_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        controls_layout.addWidget(self.state_label)
        # Two by two, so that the window still fits a small clinic screen.
        row = QGridLayout()
        self.buttons: dict[TopicState, QPushButton] = {}
        for position, (state, text, keys) in enumerate(_BUTTONS):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAccessibleName(state.label)
            button.setToolTip(f"{state.label} ({keys})")
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _checked=False, s=state: self._on_button(s))
            self.buttons[state] = button
            row.addWidget(button, position // 2, position % 2)
        controls_layout.addLayout(row)
        self.material = QCheckBox("&Material to this patient")
        self.material.setAccessibleName("Material to this patient")
        self.material.setToolTip("A reasonable person in this patient's position would care (M)")
        self.material.clicked.connect(self.material_clicked.emit)
        controls_layout.addWidget(self.material)
        note_label = QLabel("Note on this topic (F6; saved as you type):")
        controls_layout.addWidget(note_label)
        self.note = QPlainTextEdit()
        self.note.setObjectName("topic_note")
        self.note.setAccessibleName("Note on this topic")
        self.note.setTabChangesFocus(True)
        note_label.setBuddy(self.note)
        controls_layout.addWidget(self.note, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("topic_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.content)
        self.splitter.addWidget(controls)
        # The content is what the patient reads across the desk: it gets most
        # of the height, the controls and note what they need.
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 240])
        layout.addWidget(self.splitter)

        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.note_idle.emit)
        self._loading_note = False
        self.note_dirty = False
        self.note.textChanged.connect(self._on_note_typed)
        self.set_zoom(100)

    def set_zoom(self, percent: int) -> None:
        """Scale the content and note text; the body never drops below 16 pt at 100%."""
        font = QFont(self.content.font())
        font.setPointSizeF(BODY_POINTS * percent / 100)
        self.content.document().setDefaultFont(font)
        note_font = QFont(self.note.font())
        note_font.setPointSizeF(max(11.0, 13 * percent / 100))
        self.note.setFont(note_font)

    def show_html(self, html: str) -> None:
        """Show content (built from escaped text only)."""
        self.content.setHtml(html)
        self.content.verticalScrollBar().setValue(0)

    def show_record(self, record: TopicRecord | None, *, risk: bool) -> None:
        """Show a topic's state on the buttons; None means a section heading is selected."""
        for state, button in self.buttons.items():
            button.setEnabled(record is not None)
            button.setChecked(record is not None and record.state is state)
        self.material.setVisible(risk)
        self.material.setEnabled(record is not None)
        self.material.setChecked(bool(record and record.material))
        if record is None:
            self.state_label.setText("Choose a topic in the list on the left.")
            self.state_label.setStyleSheet("font-size: 13pt;")
            return
        reason = f": {record.reason}" if record.reason else ""
        self.state_label.setText(f"{state_text(record.state)}{reason}")
        self.state_label.setStyleSheet(
            f"font-size: 13pt; font-weight: bold; color: {STATE_COLOURS[record.state]};"
        )

    def load_note(self, text: str, *, enabled: bool) -> None:
        """Put a stored note in the editor without counting it as typing."""
        self._note_timer.stop()
        self._loading_note = True
        self.note.setPlainText(text)
        self._loading_note = False
        self.note_dirty = False
        self.note.setReadOnly(not enabled)

    def take_note(self) -> str | None:
        """The note text if it was typed in since it was loaded or last taken."""
        self._note_timer.stop()
        if not self.note_dirty:
            return None
        self.note_dirty = False
        return self.note.toPlainText()

    def _on_note_typed(self) -> None:
        if self._loading_note:
            return
        self.note_dirty = True
        self._note_timer.start()

    def _on_button(self, state: TopicState) -> None:
        # The button shows the stored state, not the click, until the change is made.
        self.buttons[state].setChecked(not self.buttons[state].isChecked())
        self.state_requested.emit(state)
