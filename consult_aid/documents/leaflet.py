"""The personalised leaflet: the surgeon's leaflet, made this patient's.

Personal in content, not only in the name: the variant discussed (its topics
only), the vertebral levels, the getting-ready advice for this patient's own
risk factors and medicines first, the risks that matter to this patient marked,
and the surgeon's notes beside their topics. Before clinic (no state) the
leaflet is the same text without notes or ticks.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from consult_aid.documents.blocks import fact_table, text, user
from consult_aid.documents.figures import section_denominator
from consult_aid.documents.leaflet_topics import (
    RECOVERY_APP_TOPIC,
    TopicContext,
    recovery_app_link,
    topic_flowables,
)
from consult_aid.documents.page_frame import (
    PageMarks,
    dmy,
    identity_markup,
    pack_version_text,
    render,
)
from consult_aid.documents.requests import LeafletRequest
from consult_aid.documents.styles import Styles, styles_for
from consult_aid.domain.consultation import ConsultationState, Detail
from consult_aid.domain.content import Checklist, ContentPack, Section, SectionKind
from consult_aid.domain.documents import DocumentKind
from consult_aid.domain.frequency import DENOMINATORS


def build_leaflet(request: LeafletRequest) -> bytes:
    """The leaflet as PDF bytes."""
    styles = styles_for(request.leaflet_format.body_points)
    pack = request.pack
    footer = (
        f"{escape(pack.title)} · {escape(pack_version_text(pack.info))} · "
        f"{escape(request.leaflet_format.label)}"
    )
    marks = PageMarks(
        title=DocumentKind.LEAFLET.heading,
        identity=identity_markup(request.patient),
        footer=footer,
        styles=styles,
    )
    return render(marks, leaflet_story(request, styles))


def leaflet_story(request: LeafletRequest, styles: Styles) -> list[Flowable]:
    """Every flowable of the leaflet, front to back."""
    pack, state = request.pack, request.state
    sections = pack.sections_for(request.variant_id)
    story = _front(request, styles)
    app_shown = False
    for section in sections:
        story.append(text(section.title, styles.heading))
        if section.intro:
            story.append(text(section.intro, styles.body))
        if section.kind is SectionKind.GETTING_READY and state is not None:
            story.extend(_for_you(pack, state, styles))
        denominator = section_denominator(section.topics)
        if any(topic.figures for topic in section.topics):
            story.append(_denominator_line(section, denominator, styles))
        for topic in section.topics:
            context = TopicContext(
                pack=pack,
                styles=styles,
                denominator=denominator,
                pictures=section.kind is SectionKind.RISKS,
                record=state.topic(topic.id) if state is not None else None,
                app_url=request.recovery_app_url,
            )
            app_shown = app_shown or topic.id == RECOVERY_APP_TOPIC
            story.extend(topic_flowables(topic, context))
    if request.recovery_app_url and not app_shown:
        story.append(text("The recovery app", styles.heading))
        story.extend(recovery_app_link(request.recovery_app_url, styles))
    if state is not None and state.questions:
        story.extend(_questions(state, styles))
    story.extend(_sources(pack, sections, styles))
    return story


def _front(request: LeafletRequest, styles: Styles) -> list[Flowable]:
    pack, state = request.pack, request.state
    variant = pack.variant(request.variant_id)
    rows: list[tuple[str, Paragraph]] = [("For", user(request.patient.name, styles.cell))]
    if request.surgeon is not None:
        surgeon = f"{request.surgeon.name}, {request.surgeon.role.value}"
        rows.append(("Your surgeon", user(surgeon, styles.cell)))
    elif request.surgeon_name.strip():
        # A name from a clinic list: its role is not known, so none is printed.
        rows.append(("Your surgeon", user(request.surgeon_name, styles.cell)))
    rows.append(("Hospital", user(request.hospital, styles.cell)))
    treatment = "The treatment we talked about" if state else "The treatment to talk about"
    rows.append((treatment, text(variant.name, styles.cell)))
    levels = state.detail(Detail.LEVELS) if state is not None else ""
    if levels:
        rows.append(("The bone(s) to treat", user(levels, styles.cell)))
    if request.clinic_date is not None:
        rows.append(("Clinic date", text(dmy(request.clinic_date), styles.cell)))
    story: list[Flowable] = [
        text(f"{variant.name}: your personal leaflet", styles.title),
        fact_table(rows, styles),
        text(variant.description, styles.body),
    ]
    if state is None:
        story.append(
            text(
                "Please read this leaflet before your clinic appointment, and bring any "
                "questions with you.",
                styles.strong,
            )
        )
    else:
        story.append(
            text(
                "This leaflet is yours to keep. It goes with what we talked about at your "
                "appointment, and shows the notes I made for you.",
                styles.body,
            )
        )
    return story


def _for_you(pack: ContentPack, state: ConsultationState, styles: Styles) -> list[Flowable]:
    """This patient's medicines and risk factors, each with its advice, before the general text."""
    ticked: list[Checklist] = [m for m in pack.medicines if m.id in state.medicines]
    ticked += [r for r in pack.risk_factors if r.id in state.risk_factors]
    if not ticked:
        return []
    story: list[Flowable] = [
        text("What applies to you", styles.subheading),
        text("At your appointment we noted these. Please read them first.", styles.body),
    ]
    for item in ticked:
        story.append(text(f"• {item.label}", styles.label))
        story.append(text(item.advice, styles.body))
    return story


def _denominator_line(section: Section, denominator: int, styles: Styles) -> Paragraph:
    if section.kind is SectionKind.RISKS and denominator <= DENOMINATORS[1]:
        words = (
            f"To make them easy to compare, every figure in this section is out of "
            f"{denominator:,} people, and each is shown as a picture of {denominator:,} "
            "people: black figures are the people it happens to, grey figures the people "
            "it does not."
        )
    else:
        words = (
            f"To make them easy to compare, every figure in this section is out of "
            f"{denominator:,} people."
        )
    return text(words, styles.body)


def _questions(state: ConsultationState, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [text("Your questions", styles.heading)]
    for question in state.questions:
        story.append(text("You asked:", styles.label))
        story.append(user(question.question, styles.note))
        story.append(text("The answer:", styles.label))
        story.append(user(question.answer, styles.note, empty="Not answered yet."))
    return story


def _sources(pack: ContentPack, sections: tuple[Section, ...], styles: Styles) -> list[Flowable]:
    """The sources behind the topics and figures shown, in order of first use."""
    used: list[str] = []
    for section in sections:
        for topic in section.topics:
            ids = [*topic.source_ids, *(f.source_id for f in topic.figures if f.source_id)]
            for source_id in ids:
                if source_id not in used:
                    used.append(source_id)
    if not used:
        return []
    story: list[Flowable] = [text("Where the figures come from", styles.heading)]
    for number, source_id in enumerate(used, start=1):
        try:
            source = pack.source(source_id)
        except KeyError:
            continue  # the pack checker reports unknown ids; print what is known
        line = f"{number}. {source.citation}" + (f". {source.url}" if source.url else "")
        story.append(text(line, styles.body))
    return story
