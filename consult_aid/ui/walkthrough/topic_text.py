"""A topic's content as escaped HTML: every piece of content or user text is escaped.

Risk figures are numbers first, with the verbal band beside them, and share
one denominator across their section so that they can be compared.
"""

from __future__ import annotations

from html import escape

from consult_aid.domain.content import ContentPack, Section, Topic
from consult_aid.domain.frequency import (
    Comparator,
    Figure,
    FigureKind,
    common_denominator,
    express,
    express_both_ways,
)


def section_denominator(section: Section) -> int:
    """The one denominator every figure in a section is said with."""
    return common_denominator([f for t in section.topics for f in t.figures])


def _said(figure: Figure, denominator: int) -> str:
    return f"{express(figure, denominator)} ({figure.band_text()})"


def summary_line(topic: Topic, denominator: int) -> str:
    """One line per risk: published figures, then the surgeon's own, each with its band.

    For example: Infection — about 5 in 1,000 (uncommon) · surgeon's own: less
    than 10 in 1,000 (uncommon or rarer).
    """
    published = [f for f in topic.figures if f.kind is FigureKind.PUBLISHED]
    own = [f for f in topic.figures if f.kind is FigureKind.SURGEON]
    parts = []
    if published:
        parts.append("; ".join(_said(f, denominator) for f in published))
    if own:
        parts.append("surgeon's own: " + "; ".join(_said(f, denominator) for f in own))
    return f"{topic.title} — {' · '.join(parts)}" if parts else topic.title


def _figure_detail(pack: ContentPack, figure: Figure, denominator: int) -> str:
    who = "Surgeon's own figure" if figure.kind is FigureKind.SURGEON else "Published figure"
    lines = [f"<b>{escape(who)}:</b> {escape(figure.label)} — {escape(_said(figure, denominator))}"]
    simple = figure.numerator_high is None and figure.numerator > 0
    if simple and figure.comparator is not Comparator.UP_TO:
        lines.append(escape(express_both_ways(figure, denominator, "have this")))
    context = ", ".join(p for p in (figure.population, figure.period) if p)
    if context:
        lines.append(escape(f"Counted in: {context}"))
    if figure.source_id:
        try:
            citation = pack.source(figure.source_id).citation
        except KeyError:
            citation = figure.source_id
        lines.append(escape(f"Source: {citation}"))
    return "<br/>".join(lines)


def topic_html(pack: ContentPack, section: Section, topic: Topic) -> str:
    """The topic as HTML built only from escaped text."""
    parts = [f"<h1>{escape(topic.title)}</h1>"]
    parts.append(f"<p style='color:#444'>{escape(section.title)}</p>")
    if topic.severity is not None:
        parts.append(f"<p><b>How serious:</b> {escape(topic.severity.value)}</p>")
    if topic.figures:
        denominator = section_denominator(section)
        parts.append(f"<p><b>{escape(summary_line(topic, denominator))}</b></p>")
    parts.extend(f"<p>{escape(paragraph)}</p>" for paragraph in topic.paragraphs)
    if topic.figures:
        parts.append("<h2>How often</h2>")
        parts.extend(
            f"<p>{_figure_detail(pack, figure, section_denominator(section))}</p>"
            for figure in topic.figures
        )
    if topic.frequency_note:
        parts.append(f"<p>{escape(topic.frequency_note)}</p>")
    return "\n".join(parts)


def section_html(section: Section) -> str:
    """A section's heading, introduction and the topics it holds."""
    parts = [f"<h1>{escape(section.title)}</h1>"]
    if section.intro:
        parts.append(f"<p>{escape(section.intro)}</p>")
    parts.append("<ul>")
    parts.extend(f"<li>{escape(topic.title)}</li>" for topic in section.topics)
    parts.append("</ul>")
    return "\n".join(parts)
