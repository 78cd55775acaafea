"""Turn a validated pack schema into the frozen domain objects the app uses."""

from __future__ import annotations

from consult_aid.content.schema import (
    ChecklistSchema,
    FigureSchema,
    PackSchema,
    SectionSchema,
    TopicSchema,
)
from consult_aid.domain.content import (
    Checklist,
    ContentPack,
    PackInfo,
    Section,
    Source,
    Topic,
    Variant,
)
from consult_aid.domain.frequency import Figure


def to_pack(schema: PackSchema, content_hash: str) -> ContentPack:
    """The domain pack for a schema that has passed every rule."""
    return ContentPack(
        id=schema.id,
        title=schema.title,
        procedure=schema.procedure,
        info=PackInfo(
            version=schema.version,
            content_hash=content_hash,
            author=schema.author,
            approver=schema.approver,
            approved_on=schema.approved_on,
            review_due=schema.review_due,
        ),
        variants=tuple(Variant(v.id, v.name, v.description) for v in schema.variants),
        sections=tuple(_section(s) for s in schema.sections),
        risk_factors=tuple(_checklist(c) for c in schema.risk_factors),
        medicines=tuple(_checklist(c) for c in schema.medicines),
        sources=tuple(Source(s.id, s.citation, s.url) for s in schema.sources),
    )


def _section(section: SectionSchema) -> Section:
    return Section(
        id=section.id,
        kind=section.kind,
        title=section.title,
        topics=tuple(_topic(t) for t in section.topics),
        intro=section.intro,
    )


def _topic(topic: TopicSchema) -> Topic:
    return Topic(
        id=topic.id,
        title=topic.title,
        paragraphs=tuple(topic.paragraphs),
        variants=tuple(topic.variants),
        severity=topic.severity,
        figures=tuple(_figure(f) for f in topic.figures),
        frequency_note=topic.frequency_note,
        source_ids=tuple(topic.sources),
    )


def _figure(figure: FigureSchema) -> Figure:
    return Figure(
        label=figure.label,
        numerator=figure.numerator,
        denominator=figure.denominator,
        numerator_high=figure.numerator_high,
        comparator=figure.comparator,
        kind=figure.kind,
        population=figure.population,
        period=figure.period,
        source_id=figure.source,
    )


def _checklist(item: ChecklistSchema) -> Checklist:
    return Checklist(item.id, item.label, item.advice)
