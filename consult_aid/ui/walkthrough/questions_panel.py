"""The patient's questions, in their words, with the answers given."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.consultation import Question


class QuestionsPanel(QWidget):
    """A list of questions; the fields below add a new one or edit the selected one.

    Signals:
        save_requested(object, str, str): question id (None for a new one), question, answer.
        remove_requested(str): question id.

    Attributes:
        list: the questions asked so far.
        question: the question being written.
        answer: the answer given.
    """

    save_requested = Signal(object, str, str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("questions")
        self.list.setAccessibleName("Patient's questions")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(self._on_selected)
        layout.addWidget(self.list, 1)
        form = QFormLayout()
        self.question = QLineEdit()
        self.question.setObjectName("question_text")
        self.question.setAccessibleName("Question, in the patient's words")
        self.answer = QLineEdit()
        self.answer.setObjectName("answer_text")
        self.answer.setAccessibleName("Answer given")
        form.addRow("&Question:", self.question)
        form.addRow("&Answer:", self.answer)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add question")
        self.add_button.setAccessibleName("Add question")
        self.update_button = QPushButton("Save changes")
        self.update_button.setAccessibleName("Save changes to the selected question")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected question")
        for button in (self.add_button, self.update_button, self.remove_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self._on_save(None))
        self.update_button.clicked.connect(lambda: self._on_save(self._selected_id()))
        self.remove_button.clicked.connect(self._on_remove)
        self.question.returnPressed.connect(self.answer.setFocus)
        self.answer.returnPressed.connect(lambda: self._on_save(self._selected_id()))
        self._update_buttons()

    def show_questions(self, questions: tuple[Question, ...]) -> None:
        """Show the stored questions, keeping the selection where it can."""
        keep = self._selected_id()
        self.list.blockSignals(True)
        self.list.clear()
        for question in questions:
            text = f"Q: {question.question}\nA: {question.answer or '(no answer yet)'}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, question.id)
            self.list.addItem(item)
            if question.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._questions = {q.id: q for q in questions}
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        """An ended consultation shows its questions but takes no more."""
        for widget in (self.question, self.answer):
            widget.setReadOnly(read_only)
        for button in (self.add_button, self.update_button, self.remove_button):
            button.setVisible(not read_only)

    def _selected_id(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, str) else None

    def _on_selected(self) -> None:
        question = getattr(self, "_questions", {}).get(self._selected_id())
        if question is not None:
            self.question.setText(question.question)
            self.answer.setText(question.answer)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self._selected_id() is not None
        self.update_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _on_save(self, question_id: str | None) -> None:
        if not self.question.text().strip():
            self.question.setFocus()
            return
        self.save_requested.emit(question_id, self.question.text(), self.answer.text())
        if question_id is None:
            self.question.clear()
            self.answer.clear()
            self.question.setFocus()

    def _on_remove(self) -> None:
        question_id = self._selected_id()
        if question_id is not None:
            self.remove_requested.emit(question_id)
            self.list.setCurrentRow(-1)
            self.question.clear()
            self.answer.clear()
