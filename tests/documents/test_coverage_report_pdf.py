"""The coverage report PDF: built from plain figures, read back with pypdf."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pypdf

from consult_aid.documents.coverage_report import MAX_UNADDRESSED_LISTED, build_coverage_pdf
from consult_aid.domain.consultation import TopicState


@dataclass
class Counts:
    """How many records ended in each state."""

    discussed: int
    declined: int
    not_applicable: int
    not_addressed: int

    @property
    def total(self) -> int:
        return self.discussed + self.declined + self.not_applicable + self.not_addressed

    def count(self, state: TopicState) -> int:
        return int(getattr(self, state.value))

    def share(self, state: TopicState) -> float:
        return self.count(state) / self.total if self.total else 0.0


@dataclass
class Topic:
    """One topic's figures."""

    title: str
    overall: Counts
    by_clinician: tuple[tuple[str, Counts], ...]
    by_month: tuple[tuple[str, Counts], ...]


@dataclass
class Gap:
    """One unaddressed item."""

    consultation_id: int
    started_at: datetime
    patient_name: str
    clinician_name: str
    topic_title: str
    why: str


@dataclass
class Report:
    """A report, shaped as the PDF builder reads it."""

    records: int
    include_drafts: bool
    topics: tuple[Topic, ...]
    unaddressed: tuple[Gap, ...]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _report(gaps: int) -> Report:
    counts = Counts(7, 1, 1, 1)
    topics = tuple(
        Topic(
            f"Topic number {i} <b>not bold</b>",
            counts,
            (("Anna Rahman", counts),),
            (("2025-03", counts),),
        )
        for i in range(30)
    )
    gap = Gap(
        12,
        datetime(2025, 3, 1, 10, tzinfo=UTC),
        "Zoë Łukasiewicz",
        "Anna Rahman",
        "Infection",
        "material risk",
    )
    return Report(10, False, topics, (gap,) * gaps)


def test_every_topic_title_and_share_is_in_the_pdf() -> None:
    pdf = build_coverage_pdf(
        _report(1), "All records, March 2025", datetime(2025, 4, 1, tzinfo=UTC)
    )
    text = _text(pdf)
    for i in range(30):
        assert f"Topic number {i} <b>not bold</b>" in text  # markup typed is printed, not obeyed
    assert "70.0% (7)" in text
    assert "Zoë Łukasiewicz" in text
    assert "All records, March 2025" in text
    assert "Page 1 of" in text


def test_fonts_are_embedded() -> None:
    reader = pypdf.PdfReader(io.BytesIO(build_coverage_pdf(_report(0), "t", datetime.now(UTC))))
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, pypdf.generic.DictionaryObject)
        listed = resources["/Font"].get_object()
        assert isinstance(listed, pypdf.generic.DictionaryObject)
        fonts |= {str(font.get_object()["/BaseFont"]) for font in listed.values()}
    assert fonts
    assert all("Helvetica" not in name for name in fonts)


def test_no_gaps_says_so_and_a_long_list_is_cut_with_a_count() -> None:
    assert "None: every material risk" in _text(
        build_coverage_pdf(_report(0), "t", datetime.now(UTC))
    )
    text = _text(build_coverage_pdf(_report(MAX_UNADDRESSED_LISTED + 3), "t", datetime.now(UTC)))
    assert "And 3 more" in text
