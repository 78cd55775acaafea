"""The page every document shares: identifiers and "Page X of Y" on top, content version below.

Every page names its patient (hazard 1: a page separated from its fellows must
still say whose it is). The header and footer are Paragraphs measured once per
document, so a long name or hospital wraps and the body frame shrinks to fit
instead of anything running off the page. The page total is only known at the
end, so a numbered canvas holds each page back and writes "Page X of Y" when
the document is saved (the pattern of pretix's invoice renderer).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from consult_aid.documents.fonts import BOLD, REGULAR
from consult_aid.documents.styles import RULE, Styles
from consult_aid.documents.user_text import user_markup
from consult_aid.domain.content import PackInfo
from consult_aid.domain.people import Patient

PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = 18 * mm
EDGE = 10 * mm  # from the paper's edge to the header and footer text
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN


def dmy(day: date) -> str:
    """A date as people in the UK write it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def identity_markup(patient: Patient) -> str:
    """The patient's identifiers as header markup: name, date of birth, NHS number."""
    return (
        f"<b>{user_markup(patient.name)}</b>&nbsp;&nbsp; Born {dmy(patient.date_of_birth)}"
        f"&nbsp;&nbsp; NHS number {user_markup(patient.nhs_number_display)}"
    )


def pack_version_text(info: PackInfo, full_hash: bool = False) -> str:
    """The content version as printed: version and (the start of) its hash."""
    shown = info.content_hash if full_hash else info.content_hash[:12]
    return f"Content version {info.version} ({shown})"


@dataclass(frozen=True, slots=True)
class PageMarks:
    """What is printed around the body of every page.

    Attributes:
        title: the document's title, top left.
        identity: markup naming the patient (already escaped).
        footer: markup for the foot of the page (already escaped).
        styles: the document's styles.
    """

    title: str
    identity: str
    footer: str
    styles: Styles


class _Band:
    """A header or footer paragraph, wrapped once and drawn on every page."""

    def __init__(self, markup: str, styles: Styles, width: float) -> None:
        self.paragraph = Paragraph(markup, styles.header)
        _, self.height = self.paragraph.wrap(width, PAGE_HEIGHT)


class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """A canvas that writes "Page X of Y" on every page once the total is known."""

    def __init__(self, *args: Any, marks: PageMarks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._marks = marks
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        """Hold the finished page back until the total is known."""
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Write every held page with its number, then the file."""
        total = len(self._held)
        size = self._marks.styles.header.fontSize
        for number, page in enumerate(self._held, start=1):
            self.__dict__.update(page)
            self.setFont(BOLD, size)
            self.setFillColor(RULE)
            self.drawRightString(
                PAGE_WIDTH - SIDE_MARGIN, PAGE_HEIGHT - EDGE - size, f"Page {number} of {total}"
            )
            super().showPage()
        super().save()


class FramedDocument(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    """A document whose every page carries the marks; build with ``render``."""

    def __init__(self, buffer: io.BytesIO, marks: PageMarks) -> None:
        self.marks = marks
        size = marks.styles.header.fontSize
        # The title line, then the identity paragraph below it, then a rule.
        self._identity = _Band(marks.identity, marks.styles, CONTENT_WIDTH)
        self._footer = _Band(marks.footer, marks.styles, CONTENT_WIDTH)
        self._title_base = PAGE_HEIGHT - EDGE - size
        self._rule_y = self._title_base - size * 0.6 - self._identity.height - 4
        top = PAGE_HEIGHT - self._rule_y + 6
        bottom = EDGE + self._footer.height + 8
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=SIDE_MARGIN,
            rightMargin=SIDE_MARGIN,
            topMargin=top,
            bottomMargin=bottom,
            title=marks.title,
            author="Consult Aid",
            invariant=1,  # the same input gives the same bytes: no timestamp or random id
            initialFontName=REGULAR,  # else every page names Helvetica, unembedded
        )
        frame = Frame(
            SIDE_MARGIN,
            bottom,
            CONTENT_WIDTH,
            PAGE_HEIGHT - top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_marks)])

    def _draw_marks(self, canvas: Canvas, _doc: object) -> None:
        styles = self.marks.styles
        size = styles.header.fontSize
        canvas.saveState()
        canvas.setFont(BOLD, size)
        canvas.setFillColor(RULE)
        canvas.drawString(SIDE_MARGIN, self._title_base, self.marks.title)
        identity = self._identity
        identity.paragraph.drawOn(
            canvas, SIDE_MARGIN, self._title_base - size * 0.6 - identity.height
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(SIDE_MARGIN, self._rule_y, PAGE_WIDTH - SIDE_MARGIN, self._rule_y)
        footer_top = EDGE + self._footer.height + 4
        canvas.line(SIDE_MARGIN, footer_top, PAGE_WIDTH - SIDE_MARGIN, footer_top)
        self._footer.paragraph.drawOn(canvas, SIDE_MARGIN, EDGE)
        canvas.restoreState()

    def render(self, story: list[Flowable]) -> bytes:
        """Lay the story out and return the PDF."""
        self.build(story, canvasmaker=partial(NumberedCanvas, marks=self.marks))
        buffer: io.BytesIO = self.filename
        return buffer.getvalue()


def render(marks: PageMarks, story: list[Flowable]) -> bytes:
    """Build a framed document from a story and return its bytes."""
    buffer = io.BytesIO()
    return FramedDocument(buffer, marks).render(story)
