"""Tests of the content-pack objects: topic lookup, variant filtering, review dates.

The packs are built here from the dataclasses, small enough to see whole.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult_aid.domain.content import (
    REQUIRED_SECTIONS,
    ContentPack,
    PackInfo,
    Section,
    SectionKind,
    Source,
    Topic,
    Variant,
)

REVIEW_DUE = date(2025, 1, 31)


def topic(topic_id: str, *variants: str) -> Topic:
    return Topic(topic_id, topic_id.replace("_", " ").title(), ("Text.",), variants=variants)


def make_pack() -> ContentPack:
    return ContentPack(
        id="bkp",
        title="Balloon kyphoplasty",
        procedure="Balloon kyphoplasty",
        info=PackInfo("1.2", "abc123", "Author", "Approver", date(2024, 1, 31), REVIEW_DUE),
        variants=(Variant("balloon", "Balloon"), Variant("spinejack", "SpineJack")),
        sections=(
            Section(
                "overview",
                SectionKind.OVERVIEW,
                "What it is",
                (topic("what_it_is"), topic("balloon_steps", "balloon")),
                intro="Intro text",
            ),
            Section(
                "implant",
                SectionKind.OVERVIEW,
                "The implant",
                (topic("jack_implant", "spinejack"),),
            ),
            Section(
                "risks",
                SectionKind.RISKS,
                "Risks",
                (
                    topic("infection"),
                    topic("balloon_burst", "balloon"),
                    topic("jack_migration", "spinejack"),
                    topic("cement_leak", "balloon", "spinejack"),
                ),
            ),
        ),
        sources=(Source("zhan2017", "Zhan et al. 2017"), Source("free2009", "FREE trial")),
    )


def ids(topics: tuple[Topic, ...]) -> list[str]:
    return [t.id for t in topics]


def test_topics_are_found_by_id() -> None:
    pack = make_pack()
    for section in pack.sections:
        for t in section.topics:
            assert pack.topic(t.id) is t
            assert pack.has_topic(t.id)
            assert pack.section_of(t.id) is section


def test_an_unknown_topic_is_a_key_error() -> None:
    pack = make_pack()
    assert not pack.has_topic("nope")
    with pytest.raises(KeyError):
        pack.topic("nope")
    with pytest.raises(KeyError):
        pack.section_of("nope")


def test_variants_and_sources_are_found_by_id() -> None:
    pack = make_pack()
    assert pack.variant("spinejack").name == "SpineJack"
    assert pack.source("free2009").citation == "FREE trial"
    with pytest.raises(KeyError):
        pack.variant("vertebroplasty")
    with pytest.raises(KeyError):
        pack.source("nope")


def test_a_topic_with_no_variants_applies_to_every_variant() -> None:
    general = topic("infection")
    assert general.applies_to("balloon")
    assert general.applies_to("spinejack")
    assert general.applies_to("anything")
    only = topic("balloon_burst", "balloon")
    assert only.applies_to("balloon")
    assert not only.applies_to("spinejack")


@pytest.mark.parametrize("variant", ["balloon", "spinejack"])
def test_topics_for_keeps_pack_order_and_only_matching_topics(variant: str) -> None:
    pack = make_pack()
    every = [t for s in pack.sections for t in s.topics]
    expected = [t.id for t in every if not t.variants or variant in t.variants]
    assert ids(pack.topics_for(variant)) == expected


def test_topics_for_each_variant() -> None:
    pack = make_pack()
    assert ids(pack.topics_for("balloon")) == [
        "what_it_is",
        "balloon_steps",
        "infection",
        "balloon_burst",
        "cement_leak",
    ]
    assert ids(pack.topics_for("spinejack")) == [
        "what_it_is",
        "jack_implant",
        "infection",
        "jack_migration",
        "cement_leak",
    ]


def test_sections_for_drops_empty_sections_and_keeps_section_fields() -> None:
    pack = make_pack()
    balloon = pack.sections_for("balloon")
    assert [s.id for s in balloon] == ["overview", "risks"]
    assert [ids(s.topics) for s in balloon] == [
        ["what_it_is", "balloon_steps"],
        ["infection", "balloon_burst", "cement_leak"],
    ]
    overview = balloon[0]
    assert (overview.kind, overview.title, overview.intro) == (
        SectionKind.OVERVIEW,
        "What it is",
        "Intro text",
    )
    jack = pack.sections_for("spinejack")
    assert [s.id for s in jack] == ["overview", "implant", "risks"]


def test_sections_for_leaves_the_pack_unchanged() -> None:
    pack = make_pack()
    before = [ids(s.topics) for s in pack.sections]
    pack.sections_for("balloon")
    assert [ids(s.topics) for s in pack.sections] == before


def test_sections_for_and_topics_for_agree() -> None:
    pack = make_pack()
    for variant in ("balloon", "spinejack", "other"):
        flat = [t.id for s in pack.sections_for(variant) for t in s.topics]
        assert flat == ids(pack.topics_for(variant))


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (REVIEW_DUE - timedelta(days=365), False),
        (REVIEW_DUE - timedelta(days=1), False),
        (REVIEW_DUE, False),
        (REVIEW_DUE + timedelta(days=1), True),
        (REVIEW_DUE + timedelta(days=400), True),
    ],
)
def test_a_pack_is_overdue_only_after_its_review_date(today: date, overdue: bool) -> None:
    assert make_pack().info.overdue(today) is overdue


def test_every_section_kind_is_required_in_discussion_order() -> None:
    assert REQUIRED_SECTIONS[0] is SectionKind.OVERVIEW
    assert set(REQUIRED_SECTIONS) == set(SectionKind)
    assert REQUIRED_SECTIONS.index(SectionKind.BENEFITS) < REQUIRED_SECTIONS.index(
        SectionKind.RISKS
    )
    assert REQUIRED_SECTIONS.index(SectionKind.RISKS) < REQUIRED_SECTIONS.index(
        SectionKind.ALTERNATIVES
    )
