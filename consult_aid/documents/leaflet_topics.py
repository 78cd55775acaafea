"""One topic of the leaflet: its text, its figures and pictures, and what the surgeon added.

A risk the surgeon marked as material to this patient opens with a ruled,
shaded banner in words and a star, so it stands out without relying on
colour. The surgeon's note sits right under the topic it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from consult_aid.documents.blocks import labelled_note, text, user
from consult_aid.documents.figures import figure_sentence, icon_counts
from consult_aid.documents.icon_array import IconArray
from consult_aid.documents.local_time import date_text
from consult_aid.documents.page_frame import CONTENT_WIDTH
from consult_aid.documents.qr_code import QrCode
from consult_aid.documents.styles import Styles
from consult_aid.domain.consultation import TopicRecord, TopicState
from consult_aid.domain.content import ContentPack, Topic
from consult_aid.domain.frequency import Comparator, Figure, express_both_ways

RECOVERY_APP_TOPIC = "recovery-app"
MATERIAL_BANNER = "★ You told me this matters to you. Please read it carefully."
ARRAY_WIDTH = min(CONTENT_WIDTH, 420.0)


@dataclass(frozen=True, slots=True)
class TopicContext:
    """What a topic is printed with.

    Attributes:
        pack: for sources.
        styles: the document's styles.
        denominator: the section's one denominator.
        pictures: True to draw icon arrays (the risks section).
        record: what the surgeon recorded, or None before clinic.
        app_url: the recovery app's link, or "".
    """

    pack: ContentPack
    styles: Styles
    denominator: int
    pictures: bool
    record: TopicRecord | None
    app_url: str


def topic_flowables(topic: Topic, context: TopicContext) -> list[Flowable]:
    """Everything printed for one topic, in reading order."""
    styles, record = context.styles, context.record
    material = record is not None and record.material
    title = f"★ {topic.title}" if material else topic.title
    story: list[Flowable] = []
    if material:
        story.append(text(MATERIAL_BANNER, styles.material))
    story.append(text(title, styles.subheading))
    story.extend(text(paragraph, styles.body) for paragraph in topic.paragraphs)
    if record is not None:
        story.extend(_state_line(record, styles))
    story.extend(_figures(topic, context))
    if topic.frequency_note and not topic.figures:
        story.append(text(f"How often: {topic.frequency_note}", styles.body))
    if record is not None and record.note.strip():
        story.extend(labelled_note("Your surgeon's note:", record.note, styles))
    if topic.id == RECOVERY_APP_TOPIC and context.app_url:
        story.extend(recovery_app_link(context.app_url, styles))
    return story


def _state_line(record: TopicRecord, styles: Styles) -> list[Flowable]:
    when = f" on {date_text(record.changed_at)}" if record.changed_at else ""
    if record.state is TopicState.DISCUSSED:
        return [text(f"✓ We talked about this at your appointment{when}.", styles.strong)]
    if record.state is TopicState.DECLINED:
        return [
            text(
                "You chose not to go through this at your appointment. "
                "It is here if you want to read it.",
                styles.strong,
            )
        ]
    if record.state is TopicState.NOT_APPLICABLE:
        return [
            text("Your surgeon noted that this does not apply to you:", styles.label),
            user(record.reason, styles.note),
        ]
    return []


def _figures(topic: Topic, context: TopicContext) -> list[Flowable]:
    styles, denominator = context.styles, context.denominator
    story: list[Flowable] = []
    for figure in topic.figures:
        sentence = figure_sentence(figure, denominator, context.pack)
        if not context.pictures:
            story.append(text(sentence, styles.body))
            continue
        story.append(
            KeepTogether([text(sentence, styles.strong), *_picture(figure, denominator, styles)])
        )
    return story


def _picture(figure: Figure, denominator: int, styles: Styles) -> list[Flowable]:
    """An icon array with both framings, or words where a picture would mislead."""
    framing = express_both_ways(figure, denominator, "have this")
    size = denominator if denominator in (100, 1_000) else None
    counts = icon_counts(figure, size) if size else None
    if size is None or counts is None:
        return [
            text(
                f"{framing[:1].upper()}{framing[1:]}. This is too few to show well in a "
                "picture of people.",
                styles.caption,
            ),
            Spacer(1, styles.gap),
        ]
    certain, upto = counts
    words = [f"In this picture of {size:,} people, {framing}."]
    if upto > certain:
        words.append(
            f"Solid figures: {certain:,} people. Outlined figures: up to {upto:,} people "
            "(the figure is a range)."
        )
    elif figure.comparator is Comparator.LESS_THAN:
        words.append(f"The {certain:,} solid figures are the most it could be.")
    elif figure.comparator is Comparator.UP_TO:
        words.append(f"The {certain:,} solid figures are the highest count seen.")
    else:
        words.append(f"Solid figures: {certain:,} people.")
    return [
        Spacer(1, styles.gap * 0.5),
        IconArray(size, certain, upto, ARRAY_WIDTH),
        Paragraph(escape(" ".join(words)), styles.caption),
        Spacer(1, styles.gap),
    ]


def recovery_app_link(url: str, styles: Styles) -> list[Flowable]:
    """The QR code and the printed link for the recovery app."""
    side = styles.body_points * 8.0
    return [
        text("Scan this code with your phone's camera, or type the link below:", styles.body),
        QrCode(url, side),
        Spacer(1, styles.gap * 0.5),
        user(url, styles.strong),
    ]
