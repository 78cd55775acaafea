"""A procedure's content pack, as the rest of the app sees it once loaded.

The pack is data a clinician edits (resources/procedures/*.yaml); the loader in
consult_aid.content turns a file into these frozen objects. Every topic has a
stable id so that a record made today still reads the same after the pack
changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from consult_aid.domain.frequency import Figure


class SectionKind(StrEnum):
    """What a section of the walkthrough is for (the navigator groups by this)."""

    OVERVIEW = "overview"
    INDICATIONS = "indications"
    BENEFITS = "benefits"
    RISKS = "risks"
    ALTERNATIVES = "alternatives"
    GETTING_READY = "getting_ready"
    RECOVERY = "recovery"


# The sections every pack must hold, in the order a discussion runs.
REQUIRED_SECTIONS: tuple[SectionKind, ...] = tuple(SectionKind)


class Severity(StrEnum):
    """How bad a risk is when it happens."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"


@dataclass(frozen=True, slots=True)
class Source:
    """A published source a figure or statement rests on."""

    id: str
    citation: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """A variant of the procedure (balloon or SpineJack)."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Topic:
    """One thing to be discussed and settled in the consultation.

    Attributes:
        id: stable identifier, never reused for another meaning.
        title: short heading.
        paragraphs: plain-language body, in the surgeon's voice.
        variants: ids of the variants it applies to; empty means all.
        severity: for risks, how bad it is.
        figures: quoted frequencies (risks) or likelihoods (benefits).
        frequency_note: what to say where no reliable figure is known.
        source_ids: sources behind the text.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    variants: tuple[str, ...] = ()
    severity: Severity | None = None
    figures: tuple[Figure, ...] = ()
    frequency_note: str = ""
    source_ids: tuple[str, ...] = ()

    def applies_to(self, variant_id: str) -> bool:
        """True when the topic belongs in a discussion of this variant."""
        return not self.variants or variant_id in self.variants


@dataclass(frozen=True, slots=True)
class Section:
    """A group of topics shown together in the navigator."""

    id: str
    kind: SectionKind
    title: str
    topics: tuple[Topic, ...]
    intro: str = ""


@dataclass(frozen=True, slots=True)
class Checklist:
    """A risk factor or medicine the surgeon can tick for this patient."""

    id: str
    label: str
    advice: str


@dataclass(frozen=True, slots=True)
class PackInfo:
    """Who wrote and approved a pack, and which exact text it is."""

    version: str
    content_hash: str
    author: str
    approver: str
    approved_on: date
    review_due: date

    def overdue(self, today: date) -> bool:
        """True when the pack is past its review date."""
        return today > self.review_due


@dataclass(frozen=True, slots=True)
class ContentPack:
    """Everything the app shows about one procedure."""

    id: str
    title: str
    procedure: str
    info: PackInfo
    variants: tuple[Variant, ...]
    sections: tuple[Section, ...]
    risk_factors: tuple[Checklist, ...] = ()
    medicines: tuple[Checklist, ...] = ()
    sources: tuple[Source, ...] = ()
    _topic_index: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for topic in section.topics:
                self._topic_index[topic.id] = topic

    def topic(self, topic_id: str) -> Topic:
        """Look a topic up by its stable id."""
        return self._topic_index[topic_id]

    def has_topic(self, topic_id: str) -> bool:
        """True when the pack holds a topic with this id."""
        return topic_id in self._topic_index

    def section_of(self, topic_id: str) -> Section:
        """The section that holds a topic."""
        for section in self.sections:
            if any(t.id == topic_id for t in section.topics):
                return section
        raise KeyError(topic_id)

    def variant(self, variant_id: str) -> Variant:
        """Look a variant up by id."""
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise KeyError(variant_id)

    def source(self, source_id: str) -> Source:
        """Look a source up by id."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def topics_for(self, variant_id: str) -> tuple[Topic, ...]:
        """Every topic to settle in a discussion of this variant, in order."""
        return tuple(
            topic
            for section in self.sections
            for topic in section.topics
            if topic.applies_to(variant_id)
        )

    def sections_for(self, variant_id: str) -> tuple[Section, ...]:
        """The sections, each holding only the topics of this variant."""
        result = []
        for section in self.sections:
            topics = tuple(t for t in section.topics if t.applies_to(variant_id))
            if topics:
                result.append(
                    Section(section.id, section.kind, section.title, topics, section.intro)
                )
        return tuple(result)
