"""The coverage report as a PDF: a chart of every topic, then a table per topic, then the gaps.

The report's figures come in as plain objects (the shapes below); this module
only lays them out. The chart is a 100% stacked bar per topic drawn with
reportlab.graphics, each share also printed in the tables, so nothing rests
on colour alone. Names typed by people (patients, clinicians) are escaped as
user text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from consult_aid.documents.fonts import BOLD, REGULAR
from consult_aid.documents.local_time import date_text, date_time_text
from consult_aid.documents.page_frame import CONTENT_WIDTH, PageMarks, render
from consult_aid.documents.styles import RULE, styles_for
from consult_aid.documents.user_text import user_markup
from consult_aid.domain.consultation import TopicState

BODY_POINTS = 10
# Listed in the PDF; the CSV export holds every one.
MAX_UNADDRESSED_LISTED = 500
_STATES = (
    TopicState.DISCUSSED,
    TopicState.DECLINED,
    TopicState.NOT_APPLICABLE,
    TopicState.NOT_ADDRESSED,
)
_FILLS = ("#1b5e20", "#f9a825", "#90a4ae", "#b71c1c")  # dark, light, grey, dark red
_BAR_HEIGHT = 11


class Counts(Protocol):
    """How many records left a topic in each state."""

    @property
    def total(self) -> int:
        """Records counted."""
        ...

    def count(self, state: TopicState) -> int:
        """Records in one state."""
        ...

    def share(self, state: TopicState) -> float:
        """Fraction of records in one state."""
        ...


class TopicFigures(Protocol):
    """One topic's figures."""

    @property
    def title(self) -> str: ...  # noqa: D102
    @property
    def overall(self) -> Counts: ...  # noqa: D102
    @property
    def by_clinician(self) -> Sequence[tuple[str, Counts]]: ...  # noqa: D102
    @property
    def by_month(self) -> Sequence[tuple[str, Counts]]: ...  # noqa: D102


class Gap(Protocol):
    """A material risk or an alternative left not addressed."""

    @property
    def consultation_id(self) -> int: ...  # noqa: D102
    @property
    def started_at(self) -> datetime: ...  # noqa: D102
    @property
    def patient_name(self) -> str: ...  # noqa: D102
    @property
    def clinician_name(self) -> str: ...  # noqa: D102
    @property
    def topic_title(self) -> str: ...  # noqa: D102
    @property
    def why(self) -> str: ...  # noqa: D102


class Coverage(Protocol):
    """A coverage report."""

    @property
    def records(self) -> int: ...  # noqa: D102
    @property
    def include_drafts(self) -> bool: ...  # noqa: D102
    @property
    def topics(self) -> Sequence[TopicFigures]: ...  # noqa: D102
    @property
    def unaddressed(self) -> Sequence[Gap]: ...  # noqa: D102


def build_coverage_pdf(report: Coverage, title: str, generated_at: datetime) -> bytes:
    """The report as PDF bytes; ``title`` names what was filtered, as the reader should see it."""
    styles = styles_for(BODY_POINTS)
    scope = "finalised records and drafts" if report.include_drafts else "finalised records"
    marks = PageMarks(
        title="Coverage report",
        identity=user_markup(title),
        footer=f"Made {date_time_text(generated_at)} by Consult Aid. "
        f"{report.records:,} {scope}. Shares are of the records each topic applies to.",
        styles=styles,
    )
    story: list[Flowable] = [
        Paragraph("Coverage of the discussion topics", styles.title),
        Paragraph(user_markup(title), styles.body),
        Paragraph(f"{report.records:,} {scope} in this report.", styles.body),
    ]
    if report.topics:
        story += [_chart(report.topics), Spacer(1, styles.gap)]
    for topic in report.topics:
        story.append(Paragraph(user_markup(topic.title), styles.subheading))
        rows = [("All records", topic.overall)]
        rows += [(name, counts) for name, counts in topic.by_clinician]
        rows += [(month, counts) for month, counts in topic.by_month]
        story.append(_table(rows))
    story.append(Paragraph("Material risks and alternatives not addressed", styles.heading))
    story += _gaps(report.unaddressed)
    return render(marks, story)


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _table(rows: list[tuple[str, Counts]]) -> Table:
    styles = styles_for(BODY_POINTS)
    header = ["", "Records", *[state.label for state in _STATES]]
    body = [
        [
            Paragraph(user_markup(label), styles.cell),
            f"{counts.total:,}",
            *[f"{_percent(counts.share(s))} ({counts.count(s):,})" for s in _STATES],
        ]
        for label, counts in rows
    ]
    head = [Paragraph(text, styles.cell_bold) for text in header]
    widths = [CONTENT_WIDTH * 0.22, CONTENT_WIDTH * 0.12] + [CONTENT_WIDTH * 0.165] * 4
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Every cell, the header too: a cell without a font is set in Helvetica.
                ("FONT", (0, 0), (-1, -1), REGULAR, BODY_POINTS - 1),
                ("FONT", (0, 1), (0, 1), BOLD, BODY_POINTS - 1),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                ("LINEBELOW", (0, 1), (-1, 1), 0.4, RULE),
            ]
        )
    )
    return table


def _chart(topics: Sequence[TopicFigures]) -> Drawing:
    """One 100% stacked bar per topic (top to bottom in report order), with a legend."""
    label_width, legend_height = CONTENT_WIDTH * 0.38, 36
    height = len(topics) * (_BAR_HEIGHT + 4) + legend_height + 10
    drawing = Drawing(CONTENT_WIDTH, height)
    # The renderer starts every drawing in Helvetica, which would be named unembedded.
    drawing.initialFontName = REGULAR
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, legend_height
    chart.width, chart.height = CONTENT_WIDTH - label_width - 10, height - legend_height - 10
    # The chart draws its first category at the bottom; reverse so the first topic is on top.
    ordered = list(reversed(topics))
    chart.data = [[t.overall.share(s) * 100 for t in ordered] for s in _STATES]
    chart.categoryAxis.categoryNames = [_short(t.title) for t in ordered]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barSpacing = 0
    for index, fill in enumerate(_FILLS):
        chart.bars[index].fillColor = colors.HexColor(fill)
        chart.bars[index].strokeColor = colors.white
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 0, legend_height - 12
    legend.fontName, legend.fontSize = REGULAR, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = CONTENT_WIDTH / 4
    legend.colorNamePairs = [
        (colors.HexColor(fill), state.label) for fill, state in zip(_FILLS, _STATES, strict=True)
    ]
    drawing.add(legend)
    return drawing


def _short(title: str, most: int = 45) -> str:
    return title if len(title) <= most else title[: most - 1] + "…"


def _gaps(gaps: Sequence[Gap]) -> list[Flowable]:
    styles = styles_for(BODY_POINTS)
    if not gaps:
        return [Paragraph("None: every material risk and alternative was addressed.", styles.body)]
    shown = gaps[:MAX_UNADDRESSED_LISTED]
    head = [
        Paragraph(t, styles.cell_bold)
        for t in ("Record", "Date", "Patient", "Clinician", "Topic", "Kind")
    ]
    body = [
        [
            str(gap.consultation_id),
            date_text(gap.started_at),
            Paragraph(user_markup(gap.patient_name), styles.cell),
            Paragraph(user_markup(gap.clinician_name), styles.cell),
            Paragraph(user_markup(gap.topic_title), styles.cell),
            Paragraph(user_markup(gap.why), styles.cell),
        ]
        for gap in shown
    ]
    widths = [w * CONTENT_WIDTH for w in (0.09, 0.13, 0.2, 0.18, 0.25, 0.15)]
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Every cell, the header too: a cell without a font is set in Helvetica.
                ("FONT", (0, 0), (-1, -1), REGULAR, BODY_POINTS - 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ]
        )
    )
    flowables: list[Flowable] = [table]
    if len(gaps) > len(shown):
        more = len(gaps) - len(shown)
        flowables.append(
            Paragraph(f"And {more:,} more, listed in the CSV export of this report.", styles.body)
        )
    return flowables
