"""Paragraph styles for one body size, built once and shared by every document.

RNIB Clear Print: body text at least 12 pt (16 pt large print), left-aligned,
upright, dark on white. Headings are bold and larger, never in capitals.
Every style breaks over-long words at the column's edge (``splitLongWords``)
so that a 500-character "word" wraps instead of running off the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from consult_aid.documents.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#000000")
HEADING_INK = colors.HexColor("#102040")  # a very dark blue: contrast above 15:1 on white
RULE = colors.HexColor("#404040")
NOTE_BACK = colors.HexColor("#f2f2f2")
MATERIAL_BACK = colors.HexColor("#fff3c4")


@dataclass(frozen=True, slots=True)
class Styles:
    """The styles of one document size.

    Attributes:
        body_points: the body text size.
        title, heading, subheading: headings, largest first.
        body: running text.
        strong: running text in bold.
        label: the bold lead-in of a labelled block ("Your surgeon's note").
        note: user text in a shaded, ruled block.
        material: the marker of a risk that matters to this patient.
        caption: the words under a picture, at body size.
        cell, cell_bold: text in table cells.
        header: the identifier line at the top of each page.
        footer: the small print at the foot of each page.
    """

    body_points: int
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    strong: ParagraphStyle
    label: ParagraphStyle
    note: ParagraphStyle
    material: ParagraphStyle
    caption: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle

    @property
    def gap(self) -> float:
        """Space between blocks, in points."""
        return self.body_points * 0.6


def _style(name: str, size: float, font: str = REGULAR, **extra: object) -> ParagraphStyle:
    options: dict[str, object] = {
        "fontName": font,
        "fontSize": size,
        "leading": round(size * 1.35, 1),
        "alignment": TA_LEFT,
        "textColor": INK,
        "splitLongWords": 1,
        "spaceAfter": size * 0.5,
    }
    options.update(extra)
    return ParagraphStyle(name, **options)


@lru_cache(maxsize=4)
def styles_for(body_points: int) -> Styles:
    """The styles for a body size (12 standard, 16 large print); cached per size."""
    register_fonts()
    size = float(body_points)
    small = max(10.0, size - 2)
    return Styles(
        body_points=body_points,
        title=_style("title", size * 1.75, BOLD, textColor=HEADING_INK, spaceAfter=size * 0.6),
        heading=_style(
            "heading", size * 1.4, BOLD, textColor=HEADING_INK, spaceBefore=size, keepWithNext=1
        ),
        subheading=_style(
            "subheading",
            size * 1.15,
            BOLD,
            textColor=HEADING_INK,
            spaceBefore=size * 0.6,
            keepWithNext=1,
        ),
        body=_style("body", size),
        strong=_style("strong", size, BOLD),
        label=_style("label", size, BOLD, spaceAfter=size * 0.2, keepWithNext=1),
        note=_style(
            "note",
            size,
            backColor=NOTE_BACK,
            borderColor=RULE,
            borderWidth=1,
            borderPadding=(size * 0.4, size * 0.5),
            leftIndent=size * 0.5,
            rightIndent=size * 0.5,
            spaceBefore=size * 0.3,
            spaceAfter=size * 0.9,
        ),
        material=_style(
            "material",
            size,
            BOLD,
            backColor=MATERIAL_BACK,
            borderColor=INK,
            borderWidth=2,
            borderPadding=(size * 0.4, size * 0.5),
            leftIndent=size * 0.5,
            rightIndent=size * 0.5,
            spaceBefore=size * 0.4,
            spaceAfter=size * 0.9,
            keepWithNext=1,
        ),
        caption=_style("caption", size, spaceBefore=size * 0.3),
        cell=_style("cell", size, spaceAfter=0),
        cell_bold=_style("cell_bold", size, BOLD, spaceAfter=0),
        header=_style("header", small, spaceAfter=0),
        footer=_style("footer", small, spaceAfter=0),
    )
