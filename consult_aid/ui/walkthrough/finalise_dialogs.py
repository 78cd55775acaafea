"""The dialogs of finalising: what is still missing, the confirmation, and an addendum.

Every piece of user or pack text here is shown literally (plain labels,
buttons with their ampersands doubled), never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.consultation import Detail
from consult_aid.domain.content import ContentPack
from consult_aid.ui.form_errors import ERROR_STYLE, FieldErrors
from consult_aid.ui.plain_label import plain_label, plain_message_box


@dataclass(frozen=True)
class Target:
    """Where a missing item can be put right: a topic (by id) or a detail field."""

    topic_id: str | None = None
    detail: Detail | None = None


_DETAIL_WORDS = (
    ("level", Detail.LEVELS),
    ("capacity", Detail.CAPACITY),
    ("decision", Detail.DECISION),
)


def target_of(line: str, pack: ContentPack, variant_id: str) -> Target | None:
    """Where the item a line names can be put right (None: nowhere on this page)."""
    lowered = line.lower()
    # Longest titles first, so "Infection" never claims "Infection at the wound".
    topics = sorted(pack.topics_for(variant_id), key=lambda t: len(t.title), reverse=True)
    for topic in topics:
        if topic.title.lower() in lowered:
            return Target(topic_id=topic.id)
    for word, detail in _DETAIL_WORDS:
        if word in lowered:
            return Target(detail=detail)
    return None


def button_text(text: str) -> str:
    """Text for a button, shown literally (an ampersand is not a mnemonic)."""
    return text.replace("&", "&&")


class MissingDialog(QDialog):
    """Lists what stops a record being finalised; each item jumps to where it is put right.

    Signals:
        jump(object): the Target of the item chosen (the dialog closes).

    Attributes:
        items: one button (an item with a place to go) or label per missing item, in order.
    """

    jump = Signal(object)

    def __init__(
        self, lines: list[str], find: Callable[[str], Target | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not ready to finalise")
        self.setAccessibleName("Not ready to finalise")
        self.setModal(True)
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        intro = plain_label(
            f"The record cannot be finalised yet: {len(lines)} "
            f"item{'s are' if len(lines) != 1 else ' is'} missing. "
            "Choose one to go to it."
        )
        intro.setObjectName("missing_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        holder = QWidget()
        column = QVBoxLayout(holder)
        self.items: list[QWidget] = []
        for line in lines:
            target = find(line)
            if target is None:
                item: QWidget = plain_label(f"•  {line}")
                item.setAccessibleName(line)
            else:
                button = QPushButton(button_text(f"→  {line}"))
                button.setAccessibleName(f"Go to: {line}")
                button.setStyleSheet("text-align: left; padding: 4px 8px;")
                button.clicked.connect(lambda _c=False, t=target: self._on_chosen(t))
                item = button
            item.setObjectName("missing_item")
            column.addWidget(item)
            self.items.append(item)
        column.addStretch(1)
        area = QScrollArea()
        area.setAccessibleName("Missing items")
        area.setWidgetResizable(True)
        area.setWidget(holder)
        layout.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.items:
            self.items[0].setFocus()

    def _on_chosen(self, target: Target) -> None:
        self.accept()
        self.jump.emit(target)


def finalise_confirmation(parent: QWidget) -> tuple[QMessageBox, QPushButton]:
    """Ask before finalising; return the box and its "Finalise" button."""
    box = plain_message_box(
        QMessageBox(
            QMessageBox.Icon.Question,
            "Finalise record",
            "Every topic is settled. Finalise this record of discussion?\n\n"
            "A finalised record is never changed: a correction is added as an addendum.",
            parent=parent,
        )
    )
    box.setObjectName("finalise_confirmation")
    box.setAccessibleName("Finalise record")
    finalise = box.addButton("Finalise", QMessageBox.ButtonRole.AcceptRole)
    finalise.setAccessibleName("Finalise")
    keep = box.addButton("Not yet", QMessageBox.ButtonRole.RejectRole)
    keep.setAccessibleName("Not yet")
    box.setDefaultButton(finalise)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box, finalise


class AddendumDialog(QDialog):
    """Reason and text of an addendum; both are required. Saving is the caller's.

    Signals:
        save_requested(str, str): the reason and the text, both non-empty.

    Attributes:
        reason: why the record needs the addendum.
        text: what the addendum says.
        errors: the service's messages under each field.
        problem: any other refusal, in words.
        save_button: asks for the addendum to be saved.
    """

    save_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add addendum")
        self.setAccessibleName("Add addendum")
        self.setModal(True)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = plain_label(
            "The finalised record stays as it is; the addendum is kept beside it "
            "with your name and the time, and printed with it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.errors = FieldErrors()
        self.reason = QLineEdit()
        self.reason.setObjectName("addendum_reason")
        self.reason.setAccessibleName("Reason for the addendum")
        self.text = QPlainTextEdit()
        self.text.setObjectName("addendum_text")
        self.text.setAccessibleName("Addendum text")
        self.text.setTabChangesFocus(True)
        for key, title, field in (
            ("reason", "&Reason", self.reason),
            ("text", "&Addendum", self.text),
        ):
            label = QLabel(f"{title}:")
            label.setBuddy(field)
            form.addRow(label, field)
            form.addRow("", self.errors.label_for(key, field, title.replace("&", "")))
        layout.addLayout(form, 1)
        self.problem = plain_label()
        self.problem.setObjectName("addendum_problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            "&Save addendum", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName("Save addendum")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def _on_save(self) -> None:
        reason, text = self.reason.text().strip(), self.text.toPlainText().strip()
        problems = {}
        if not reason:
            problems["reason"] = "Say why the record needs an addendum."
        if not text:
            problems["text"] = "Write the addendum."
        if problems:
            self.errors.show(problems)
            return
        self.errors.clear()
        self.problem.hide()
        self.save_button.setEnabled(False)
        self.save_requested.emit(reason, text)

    def refused(self, problems: dict[str, str]) -> None:
        """The service refused: show why, and let the person try again."""
        self.save_button.setEnabled(True)
        self.errors.show(problems, self.problem)
