"""Tests of the bundled Balloon Kyphoplasty pack's content: what a consent discussion needs."""

from __future__ import annotations

import re

import pytest

from consult_aid.content.loader import load_pack_file
from consult_aid.domain.content import REQUIRED_SECTIONS, ContentPack, SectionKind, Severity
from consult_aid.domain.frequency import Band, FigureKind, band_for
from consult_aid.paths import procedures_dir

REQUIRED_TOPICS = {
    SectionKind.OVERVIEW: {"what-is-the-procedure", "the-team-and-mdt"},
    SectionKind.INDICATIONS: {"nice-criteria", "mdt-discussion"},
    SectionKind.BENEFITS: {"pain-relief", "height-restoration"},
    SectionKind.RISKS: {
        "overall-complications",
        "anaesthetic-and-general",
        "infection",
        "bleeding",
        "dvt",
        "nerve-injury",
        "cement-leakage",
        "other-back-pain",
        "adjacent-level-fracture",
    },
    SectionKind.ALTERNATIVES: {
        "conservative-care",
        "vertebroplasty",
        "spinejack-instead",
        "balloon-instead",
        "doing-nothing",
    },
    SectionKind.GETTING_READY: {"anaesthetic-risk-factors", "medicines", "allergies", "lifestyle"},
    SectionKind.RECOVERY: {"hospital-stay", "after-the-procedure", "at-home", "recovery-app"},
}

# Citations as the project's clinical brief gives them, so a reader can find each source.
EXPECTED_CITATIONS = {
    "NICE TA279",
    "NICE IPG166",
    "FREE trial, Lancet 2009;373:1016",
    "SAKOS trial",
    "Cochrane CD006349 (2018)",
    "Zhan et al., World Neurosurg 2017;101:633",
    "KAVIAR, AJNR 2014;35:2227",
    "systematic review, Eur Spine J 2023",
    "Spine J 2013;13:1809",
    "VERTOS II, AJNR 2010",
    "AoMRC evidence-based interventions",
}


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack_file(procedures_dir() / "balloon-kyphoplasty.yaml")


def all_text(pack: ContentPack) -> list[str]:
    """Every piece of text a patient may see."""
    texts = [pack.title, pack.procedure]
    for section in pack.sections:
        texts += [section.title, section.intro]
        for topic in section.topics:
            texts += [topic.title, topic.frequency_note, *topic.paragraphs]
            texts += [f.label for f in topic.figures]
    texts += [c.advice for c in (*pack.risk_factors, *pack.medicines)]
    return texts


def test_header(pack: ContentPack) -> None:
    assert pack.id == "balloon-kyphoplasty"
    assert pack.info.version == "1.0.0"
    assert pack.info.approved_on.isoformat() == "2026-11-20"
    assert pack.info.review_due.isoformat() == "2027-11-20"
    assert pack.info.author
    assert pack.info.approver


def test_sections_run_in_discussion_order(pack: ContentPack) -> None:
    assert tuple(s.kind for s in pack.sections) == REQUIRED_SECTIONS


@pytest.mark.parametrize("kind", list(REQUIRED_TOPICS))
def test_required_topics_sit_in_their_section(pack: ContentPack, kind: SectionKind) -> None:
    for topic_id in REQUIRED_TOPICS[kind]:
        assert pack.section_of(topic_id).kind is kind, topic_id


def test_variants(pack: ContentPack) -> None:
    assert [(v.id, v.name) for v in pack.variants] == [
        ("balloon", "Balloon kyphoplasty"),
        ("spinejack", "SpineJack implant"),
    ]


def test_each_variant_is_offered_the_other_device(pack: ContentPack) -> None:
    balloon = {t.id for t in pack.topics_for("balloon")}
    spinejack = {t.id for t in pack.topics_for("spinejack")}
    assert "spinejack-instead" in balloon
    assert "spinejack-instead" not in spinejack
    assert "balloon-instead" in spinejack
    assert "balloon-instead" not in balloon
    assert balloon - {"spinejack-instead"} == spinejack - {"balloon-instead"}


def test_sources_are_cited_as_given(pack: ContentPack) -> None:
    assert {s.citation for s in pack.sources} == EXPECTED_CITATIONS


def test_every_risk_has_a_severity_and_a_figure_or_a_note(pack: ContentPack) -> None:
    risks = next(s for s in pack.sections if s.kind is SectionKind.RISKS)
    for topic in risks.topics:
        assert isinstance(topic.severity, Severity), topic.id
        assert topic.figures or topic.frequency_note.strip(), topic.id


def test_overall_rate_is_the_surgeons_and_says_what_it_counts(pack: ContentPack) -> None:
    (figure,) = pack.topic("overall-complications").figures
    assert figure.kind is FigureKind.SURGEON
    assert figure.source_id is None
    assert "any complication" in figure.label
    assert (figure.numerator, figure.denominator) == (2, 100)
    # The leaflet called 2 in 100 "uncommon"; the band derived from the number says otherwise.
    assert figure.band_text().startswith("common")


def test_cement_leakage_keeps_scan_findings_apart_from_harm(pack: ContentPack) -> None:
    figures = pack.topic("cement-leakage").figures
    harm = [f for f in figures if "harm" in f.label]
    seen = [f for f in figures if "scan" in f.label]
    assert len(harm) == 1
    assert len(seen) == 2
    assert harm[0].numerator == 0
    assert all(f.numerator > 0 for f in seen)
    assert {f.source_id for f in seen} == {"zhan-2017", "kaviar"}
    assert all(band_for(f.probability) is Band.VERY_COMMON for f in seen)
    assert band_for(harm[0].upper_bound) not in (Band.VERY_COMMON, Band.COMMON)


def test_infection_has_both_own_and_published_figures(pack: ContentPack) -> None:
    kinds = {f.kind: f for f in pack.topic("infection").figures}
    assert set(kinds) == {FigureKind.SURGEON, FigureKind.PUBLISHED}
    published = kinds[FigureKind.PUBLISHED]
    assert (published.numerator, published.denominator) == (6, 1307)
    assert published.source_id == "spine-j-2013"


def test_adjacent_fracture_range_says_when(pack: ContentPack) -> None:
    (figure,) = pack.topic("adjacent-level-fracture").figures
    assert (figure.numerator, figure.numerator_high, figure.denominator) == (10, 35, 100)
    assert figure.period


def test_checklists(pack: ContentPack) -> None:
    assert {c.id for c in pack.risk_factors} == {
        "older-age",
        "excess-weight",
        "type-2-diabetes",
        "heart-disease",
        "smoking",
        "multiple-medical-problems",
    }
    assert {c.id for c in pack.medicines} == {
        "aspirin",
        "clopidogrel",
        "other-blood-thinners",
        "insulin",
    }
    smoking = next(c for c in pack.risk_factors if c.id == "smoking")
    assert "stop smoking" in smoking.advice


def test_no_verbal_band_is_typed_by_hand(pack: ContentPack) -> None:
    pattern = re.compile(r"\b(very common|uncommon|rare|rarely|very rare)\b", re.IGNORECASE)
    for text in all_text(pack):
        assert not pattern.search(text), text


def test_leaflet_typos_are_gone_and_no_links_in_text(pack: ContentPack) -> None:
    for text in all_text(pack):
        for bad in ("persistant", "..", " to in to ", "http", "(hyperlink)"):
            assert bad not in text, (bad, text)


def test_every_paragraph_is_one_line_of_prose(pack: ContentPack) -> None:
    for text in all_text(pack):
        assert "\n" not in text
        assert text == text.strip()
