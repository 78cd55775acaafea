"""Which pre-clinic leaflet each imported patient gets: their procedure and clinic date.

A clinic list may name the procedure ("SpineJack", "balloon"); a row that
names none, or names one no pack offers, gets the variant chosen in the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician, Patient
from consult_aid.services.clinic_list_preview import ClinicListPreview

Variant = tuple[str, str]  # (pack id, variant id)


@dataclass(frozen=True)
class BatchItem:
    """One leaflet of a batch.

    Attributes:
        patient: whose leaflet.
        pack_id, variant_id: its content.
        clinic_date: the appointment printed on it, when the list gives one.
        surgeon: the surgeon as the list names them ("" when not given).
        line: the clinic list's line, for messages.
    """

    patient: Patient
    pack_id: str
    variant_id: str
    clinic_date: date | None
    surgeon: str = ""
    line: int = 0


def variant_choices(packs: list[ContentPack]) -> list[tuple[str, Variant]]:
    """Every variant of every pack, labelled for a combo box (with the pack, if several)."""
    return [
        (f"{pack.title}: {variant.name}" if len(packs) > 1 else variant.name, (pack.id, variant.id))
        for pack in packs
        for variant in pack.variants
    ]


def variant_named(text: str, packs: list[ContentPack]) -> Variant | None:
    """The variant a clinic list's procedure cell names ("SpineJack", "Balloon kyphoplasty")."""
    wanted = " ".join(text.casefold().split())
    if not wanted:
        return None
    for pack in packs:
        for variant in pack.variants:
            names = (variant.id.casefold(), variant.name.casefold())
            if wanted in names or any(name in wanted or wanted in name for name in names):
                return pack.id, variant.id
    return None


def batch_items(
    preview: ClinicListPreview,
    patients: list[Patient],
    packs: list[ContentPack],
    default: Variant | None,
) -> list[BatchItem]:
    """One item per imported patient, in list order.

    ``patients`` is what the import returned: the patient of each importable
    row, in the same order as the preview's importable rows.
    """
    rows = preview.importable
    if len(rows) != len(patients):
        raise ValueError("the imported patients do not match the list's rows")
    items = []
    for row, patient in zip(rows, patients, strict=True):
        draft = row.row.draft
        if draft is None or draft.nhs_number != patient.nhs_number:
            # Pairing a row with the wrong patient would print one patient's leaflet
            # under another's name: refuse rather than guess.
            raise ValueError(f"line {row.row.line} does not match the patient imported for it")
        chosen = variant_named(row.row.procedure, packs) or default
        if chosen is None:
            raise ValueError("no procedure to make a leaflet for")
        items.append(
            BatchItem(
                patient, chosen[0], chosen[1], row.row.clinic_date, row.row.surgeon, row.row.line
            )
        )
    return items


def surgeon_id(name: str, clinicians: list[Clinician]) -> int | None:
    """The stored clinician the list names, matched on words in any order; None when unsure."""
    wanted = sorted(_words(name))
    if not wanted:
        return None
    found = [c.id for c in clinicians if sorted(_words(c.name)) == wanted]
    return found[0] if len(found) == 1 else None


def _words(name: str) -> list[str]:
    titles = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor"}
    cleaned = name.casefold().replace(",", " ").replace(".", " ")
    return [word for word in cleaned.split() if word not in titles]
