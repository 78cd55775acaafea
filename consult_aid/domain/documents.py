"""The documents the app prints: what they are, their formats, and the record of printing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LeafletFormat(StrEnum):
    """Print size of a leaflet; chosen per patient and remembered."""

    STANDARD = "standard"
    LARGE_PRINT = "large_print"

    @property
    def label(self) -> str:
        """The words a person reads."""
        return "Large print" if self is LeafletFormat.LARGE_PRINT else "Standard print"

    @property
    def body_points(self) -> int:
        """Body text size: at least 12 pt standard, 16 pt large print (RNIB Clear Print)."""
        return 16 if self is LeafletFormat.LARGE_PRINT else 12


class DocumentKind(StrEnum):
    """Which document."""

    LEAFLET = "leaflet"
    RECORD = "record"

    @property
    def heading(self) -> str:
        """The document's printed title."""
        return "Record of discussion" if self is DocumentKind.RECORD else "Your personal leaflet"


class Output(StrEnum):
    """Where a document went."""

    PRINTER = "printer"
    PDF_FILE = "pdf_file"


@dataclass(frozen=True, slots=True)
class DocumentEvent:
    """One print or save of a document: who, when, which document, which version.

    Attributes:
        kind: leaflet or record.
        output: a printer or a PDF file.
        destination: the printer's name or the file's name (not its folder).
        patient_id: whose document.
        consultation_id: the consultation it was made from (None: a pre-clinic leaflet).
        record_version: the consultation's last change number when it was made.
        leaflet_format: the print size.
        pack_version, pack_hash: the content it was made with.
        sha256: fingerprint of the PDF bytes.
        at: when, UTC.
        by: the user.
    """

    kind: DocumentKind
    output: Output
    destination: str
    patient_id: int
    consultation_id: int | None
    record_version: int
    leaflet_format: LeafletFormat
    pack_version: str
    pack_hash: str
    sha256: str
    at: datetime
    by: int
