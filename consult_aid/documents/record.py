"""The record of discussion: what was discussed, by whom and when, with a content fingerprint.

Titled "Record of discussion": it records a dialogue and is no consent form.
The facts are gathered first (record_facts), fingerprinted, then drawn; the
record prints in the patient's leaflet format, since the patient gets a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from consult_aid.documents.blocks import fact_table, text, user
from consult_aid.documents.local_time import date_time_text
from consult_aid.documents.page_frame import (
    CONTENT_WIDTH,
    PageMarks,
    identity_markup,
    pack_version_text,
    render,
)
from consult_aid.documents.record_facts import record_facts
from consult_aid.documents.record_model import Group, RecordFacts, Row
from consult_aid.documents.requests import RecordRequest
from consult_aid.documents.styles import Styles, styles_for


@dataclass(frozen=True, slots=True)
class RecordDocument:
    """A rendered record.

    Attributes:
        pdf: the PDF bytes.
        fingerprint: SHA-256 hex of the record's content (not of the PDF), printed on it.
    """

    pdf: bytes
    fingerprint: str


def record_fingerprint(request: RecordRequest) -> str:
    """The fingerprint of a record's content; the same content always gives the same value."""
    return record_facts(request).fingerprint()


def build_record(request: RecordRequest) -> RecordDocument:
    """The record as PDF bytes, with its fingerprint."""
    facts = record_facts(request)
    fingerprint = facts.fingerprint()
    styles = styles_for(request.leaflet_format.body_points)
    footer = (
        f"{escape(pack_version_text(request.pack.info))} · Record fingerprint {fingerprint[:16]}"
    )
    marks = PageMarks(
        title=facts.title,
        identity=identity_markup(request.patient),
        footer=footer,
        styles=styles,
    )
    story = _story(request, facts, fingerprint, styles)
    return RecordDocument(render(marks, story), fingerprint)


def _story(
    request: RecordRequest, facts: RecordFacts, fingerprint: str, styles: Styles
) -> list[Flowable]:
    story: list[Flowable] = [
        text(facts.title, styles.title),
        text(
            "This records the discussion of the procedure with the patient. Consent is "
            "confirmed separately, on the day of the procedure.",
            styles.body,
        ),
        text(f"Printed {date_time_text(request.printed_at)}", styles.body),
    ]
    for group in facts.groups:
        story.extend(_group(group, styles))
    story.extend(_signatures(styles))
    story.append(text("Record fingerprint", styles.heading))
    story.append(
        text(
            "SHA-256 of everything this record prints except the time of printing. "
            "The same record always gives the same fingerprint; any change gives another.",
            styles.body,
        )
    )
    story.append(Paragraph(f"<b>{fingerprint}</b>", styles.body))
    return story


def _rows(rows: tuple[Row, ...], styles: Styles) -> Table:
    cells = [
        (row.label, user(row.value, styles.cell_bold if row.alert else styles.cell)) for row in rows
    ]
    return fact_table(cells, styles)


def _group(group: Group, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [text(group.heading, styles.heading)]
    if group.note:
        story.append(text(group.note, styles.body))
    if group.rows:
        story.append(_rows(group.rows, styles))
    for topic in group.topics:
        title = f"★ {topic.title} (material to this patient)" if topic.material else topic.title
        story.append(text(title, styles.subheading))
        story.append(_rows(topic.rows, styles))
    return story


def _signatures(styles: Styles) -> list[Flowable]:
    line = "_" * 24
    cell, bold = styles.cell, styles.cell_bold
    data = [
        [text("Clinician", bold), text(f"Signature {line}", cell), text(f"Date {line}", cell)],
        [
            text(
                "Patient: I have discussed the above and had the chance to ask questions. "
                "This is not consent to the procedure.",
                bold,
            ),
            text(f"Signature {line}", cell),
            text(f"Date {line}", cell),
        ],
    ]
    widths = [CONTENT_WIDTH * 0.44, CONTENT_WIDTH * 0.32, CONTENT_WIDTH * 0.24]
    table = Table(data, colWidths=widths, hAlign="LEFT", splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), styles.body_points * 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [
        text("Signatures", styles.heading),
        table,
        Spacer(1, styles.gap),
        text("Copy given to the patient ☐      Copy sent to the GP ☐", styles.body),
    ]
