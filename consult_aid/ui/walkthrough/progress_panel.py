"""How far the discussion has come, and the topics still open (to jump to)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QListView, QProgressBar, QVBoxLayout, QWidget

from consult_aid.domain.consultation import Progress
from consult_aid.ui.models.open_topics import OpenTopic, OpenTopicsModel


class ProgressPanel(QWidget):
    """A progress bar with "N of M topics settled" and the open topics.

    Signals:
        topic_chosen(str): an open topic was clicked or Entered.

    Attributes:
        bar: the progress bar.
        model: the open topics.
        view: the list of open topics.
    """

    topic_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress")
        self.bar.setAccessibleName("Topics settled")
        self.bar.setTextVisible(True)
        self.bar.setMinimumHeight(28)
        layout.addWidget(self.bar)
        label = QLabel("Still open:")
        layout.addWidget(label)
        self.model = OpenTopicsModel()
        self.view = QListView()
        self.view.setObjectName("open_topics")
        self.view.setAccessibleName("Topics still open")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        label.setBuddy(self.view)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_activated)
        layout.addWidget(self.view, 1)

    def show_progress(self, progress: Progress, open_topics: list[OpenTopic]) -> None:
        """Show the count and the open topics."""
        self.bar.setRange(0, max(1, progress.total))
        self.bar.setValue(progress.settled)
        text = f"{progress.settled} of {progress.total} topics settled"
        self.bar.setFormat(text)
        self.bar.setAccessibleDescription(text)
        self.model.set_topics(open_topics)

    def _on_activated(self, index: QModelIndex) -> None:
        topic_id = self.model.topic_id_at(index.row())
        if topic_id is not None:
            self.topic_chosen.emit(topic_id)
