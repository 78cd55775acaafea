"""Small building blocks shared by the leaflet and the record.

Two kinds of text reach a Paragraph: the pack's text (written by a clinician,
checked, but still escaped so an "&" or "<" cannot break the layout) and user
text (notes, names, answers), which also has its control characters
neutralised. Tables hold Paragraphs, never plain strings, so every cell wraps.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from consult_aid.documents.page_frame import CONTENT_WIDTH
from consult_aid.documents.styles import RULE, Styles
from consult_aid.documents.user_text import NOT_RECORDED, user_markup


def text(words: str, style: object) -> Paragraph:
    """A Paragraph of the pack's or the app's own words, escaped."""
    # The same pack text is laid out for every patient; parsing its markup was
    # a third of a leaflet's build. A parsed paragraph is kept and each use
    # gets its own shallow copy (layout sets attributes on the copy only).
    return copy.copy(_parsed(words, style))


@functools.lru_cache(maxsize=4096)
def _parsed(words: str, style: object) -> Paragraph:
    return Paragraph(escape(words), style)


def user(words: str, style: object, empty: str = NOT_RECORDED) -> Paragraph:
    """A Paragraph of user text, printed literally; ``empty`` when blank."""
    return Paragraph(user_markup(words, empty), style)


def labelled_note(label: str, note: str, styles: Styles) -> list[Flowable]:
    """A bold label over a shaded, ruled block of user text."""
    return [text(label, styles.label), user(note, styles.note)]


def fact_table(rows: Sequence[tuple[str, Paragraph]], styles: Styles) -> Table:
    """Label and value, one row each; rows split across pages, cells wrap."""
    label_width = max(styles.body_points * 10.0, CONTENT_WIDTH * 0.3)
    data = [[text(label, styles.cell_bold), value] for label, value in rows]
    table = Table(
        data,
        colWidths=[label_width, CONTENT_WIDTH - label_width],
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,  # a 10,000-character value continues on the next page
        repeatRows=0,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table
