"""What a preview is asked to show, and how a document's patient is named on screen.

A request carries the patient the window believes it is showing; the preview
checks the document that comes back against it, so a leaflet or record can
never be shown, saved or printed under another patient's name (hazard 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from consult_aid.domain.documents import DocumentKind, LeafletFormat
from consult_aid.domain.people import Patient
from consult_aid.ui.text import uk_date

if TYPE_CHECKING:
    from consult_aid.services.documents import GeneratedDocument

# What the window calls each document; the printed titles are the documents' own.
KIND_NAMES = {DocumentKind.LEAFLET: "Leaflet", DocumentKind.RECORD: "Record of discussion"}

Make = Callable[["LeafletFormat | None"], "GeneratedDocument"]


@dataclass(frozen=True)
class DocumentRequest:
    """One document to make, for one patient.

    Attributes:
        patient: whose document it must be.
        kind: leaflet or record.
        make: makes it with a print size (None: the patient's remembered one);
            runs on the service runner, never on the GUI thread.
        fmt: the print size to start with; None for a record, which has no choice.
        source: a few words on what it is made from ("consultation of 02/05/2025").
    """

    patient: Patient
    kind: DocumentKind
    make: Make
    fmt: LeafletFormat | None = None
    source: str = ""


def patient_line(patient: Patient) -> str:
    """Name, date of birth and NHS number, as on the patient's wristband."""
    return (
        f"{patient.name}  ·  born {uk_date(patient.date_of_birth)}  ·  "
        f"NHS {patient.nhs_number_display}"
    )


def window_title(kind: DocumentKind, patient: Patient) -> str:
    """The title bar: the document and whose it is, readable in a task bar."""
    return (
        f"{KIND_NAMES[kind]} — {patient.name}, born {uk_date(patient.date_of_birth)}, "
        f"NHS {patient.nhs_number_display}"
    )


def done_note(verb: str, kind: DocumentKind, patient: Patient) -> str:
    """The status-bar note after a save or a print: what, whose and when."""
    return f"{verb} {KIND_NAMES[kind].lower()} for {patient.name} {datetime.now():%H:%M:%S}"
