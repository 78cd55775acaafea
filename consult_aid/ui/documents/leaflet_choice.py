"""Which document to print for a patient from the patients page.

After clinic a secretary reprints the leaflet or the record of the latest
consultation (with what the surgeon added); before clinic there is only the
pre-clinic leaflet, for a procedure and variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import DocumentKind
from consult_aid.domain.people import Patient
from consult_aid.services.views import ConsultationSummary
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.text import local_time


@dataclass(frozen=True)
class LeafletChoice:
    """One document on offer.

    Attributes:
        label: what the radio button says.
        kind: leaflet or record.
        consultation_id: made from this consultation; None for a pre-clinic leaflet.
        pack_id, variant_id: the content of a pre-clinic leaflet.
    """

    label: str
    kind: DocumentKind
    consultation_id: int | None = None
    pack_id: str = ""
    variant_id: str = ""


def choices_for(
    packs: list[ContentPack], consultations: list[ConsultationSummary]
) -> list[LeafletChoice]:
    """The latest consultation's leaflet and record first, then each pre-clinic leaflet."""
    offered: list[LeafletChoice] = []
    if consultations:
        latest = max(consultations, key=lambda summary: summary.started_at)
        when = f"{latest.variant_name}, {local_time(latest.started_at)}"
        leaflet = f"Leaflet from the consultation ({when})"
        offered.append(LeafletChoice(leaflet, DocumentKind.LEAFLET, latest.id))
        offered.append(
            LeafletChoice(
                f"Record of discussion of the consultation ({when})", DocumentKind.RECORD, latest.id
            )
        )
    for pack in packs:
        for variant in pack.variants:
            offered.append(
                LeafletChoice(
                    f"Pre-clinic leaflet: {pack.procedure}, {variant.name}",
                    DocumentKind.LEAFLET,
                    pack_id=pack.id,
                    variant_id=variant.id,
                )
            )
    return offered


class LeafletChoiceDialog(QDialog):
    """A radio button per document on offer; arrows and Enter choose.

    Attributes:
        choices: the documents on offer, in the order of the buttons.
    """

    def __init__(
        self, patient: Patient, choices: list[LeafletChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Print for {patient.name}")
        self.setAccessibleName("Choose the document to print")
        self.choices = choices
        layout = QVBoxLayout(self)
        intro = plain_label(f"Which document for {patient.name}?")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self._group = QButtonGroup(self)
        for row, choice in enumerate(choices):
            button = QRadioButton(choice.label)
            button.setAccessibleName(choice.label)
            self._group.addButton(button, row)
            layout.addWidget(button)
        if choices:
            self._group.button(0).setChecked(True)
            self._group.button(0).setFocus()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Preview…")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Preview")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> LeafletChoice | None:
        """The document chosen."""
        row = self._group.checkedId()
        return self.choices[row] if 0 <= row < len(self.choices) else None
