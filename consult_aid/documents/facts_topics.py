"""The record's topics: every topic of the variant, in order, each with its state and who set it.

A topic not yet addressed prints "NOT YET ADDRESSED" in bold capitals: the
one place capitals are used, because it must not be missed by a reader
checking the record.
"""

from __future__ import annotations

from consult_aid.documents.facts_wording import clinician_text, or_not_recorded
from consult_aid.documents.figures import figure_sentence, section_denominator
from consult_aid.documents.local_time import date_time_text
from consult_aid.documents.record_model import Group, Row, TopicFacts
from consult_aid.documents.requests import RecordRequest
from consult_aid.documents.user_text import NOT_RECORDED
from consult_aid.domain.consultation import TopicState
from consult_aid.domain.content import SectionKind, Topic

NOT_YET_ADDRESSED = "NOT YET ADDRESSED"


def topic_groups(request: RecordRequest) -> tuple[Group, ...]:
    """One group per section of the variant, with every topic's facts."""
    groups = []
    for section in request.pack.sections_for(request.header.variant_id):
        denominator = section_denominator(section.topics)
        has_figures = any(topic.figures for topic in section.topics)
        note = f"Figures in this section are out of {denominator:,}." if has_figures else ""
        is_risk = section.kind is SectionKind.RISKS
        topics = tuple(_topic(request, topic, denominator, is_risk) for topic in section.topics)
        groups.append(Group(section.title, note, (), topics))
    return tuple(groups)


def _topic(request: RecordRequest, topic: Topic, denominator: int, is_risk: bool) -> TopicFacts:
    record = request.state.topic(topic.id)
    rows: list[Row] = []
    if record.state is TopicState.NOT_ADDRESSED:
        rows.append(Row("State", NOT_YET_ADDRESSED, alert=True))
    else:
        rows.append(Row("State", record.state.label))
        if record.state is TopicState.NOT_APPLICABLE:
            rows.append(Row("Reason", or_not_recorded(record.reason)))
        rows.append(Row("Set by", clinician_text(request.clinicians, record.changed_by)))
        when = date_time_text(record.changed_at) if record.changed_at else NOT_RECORDED
        rows.append(Row("When", when))
    for figure in topic.figures:
        rows.append(Row("Figure quoted", figure_sentence(figure, denominator, request.pack)))
    if topic.frequency_note and not topic.figures:
        rows.append(Row("Figure quoted", f"No figure: {topic.frequency_note}"))
    if is_risk or record.material:
        rows.append(Row("Material to this patient", "Yes" if record.material else "No"))
    rows.append(Row("Note", or_not_recorded(record.note)))
    return TopicFacts(topic.title, record.material, tuple(rows))
