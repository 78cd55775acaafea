"""Choose what to discuss: the procedure and its variant (balloon or SpineJack)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.content import ContentPack


class StartDialog(QDialog):
    """Offer each variant of each pack as a radio button; arrows and Enter choose.

    Attributes:
        choices: (pack id, variant id) per radio button, in order.
    """

    def __init__(self, packs: list[ContentPack], patient_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Start consultation")
        self.setAccessibleName("Start consultation")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Start a consultation with {patient_name} about:")
        intro.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self._group = QButtonGroup(self)
        self.choices: list[tuple[str, str]] = []
        for pack in packs:
            # The procedure once as a heading, then one choice per variant with
            # its one-line description, so the two read apart at a glance.
            heading = QLabel(f"<b>{html.escape(pack.procedure)}</b>")
            heading.setTextFormat(Qt.TextFormat.RichText)
            heading.setWordWrap(True)
            layout.addWidget(heading)
            for variant in pack.variants:
                button = QRadioButton(variant.name)
                button.setAccessibleName(f"{pack.procedure}, {variant.name}")
                button.setAccessibleDescription(variant.description)
                self._group.addButton(button, len(self.choices))
                self.choices.append((pack.id, variant.id))
                layout.addWidget(button)
                if variant.description:
                    layout.addWidget(_description(variant.description))
        if self.choices:
            self._group.button(0).setChecked(True)
            self._group.button(0).setFocus()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Start")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, str] | None:
        """The (pack id, variant id) chosen."""
        row = self._group.checkedId()
        return self.choices[row] if 0 <= row < len(self.choices) else None

    def choose(self, variant_id: str) -> None:
        """Select a variant by id (the keyboard does this with the arrows)."""
        for row, (_pack, variant) in enumerate(self.choices):
            if variant == variant_id:
                self._group.button(row).setChecked(True)


def _description(text: str) -> QLabel:
    """A wrapped, indented description under a radio button (whose own text cannot wrap)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setContentsMargins(24, 0, 0, 8)
    return label
