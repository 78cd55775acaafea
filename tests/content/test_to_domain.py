"""Tests for consult_aid.content.to_domain: the schema becomes the domain's frozen objects."""

from __future__ import annotations

from pathlib import Path

import yaml

from consult_aid.content.loader import load_pack_file
from consult_aid.domain.content import SectionKind, Severity
from consult_aid.domain.frequency import Comparator, FigureKind
from consult_aid.paths import procedures_dir

BUNDLED = procedures_dir() / "balloon-kyphoplasty.yaml"


def test_every_field_of_the_file_reaches_the_domain() -> None:
    raw = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    pack = load_pack_file(BUNDLED)
    assert (pack.id, pack.title, pack.procedure) == (raw["id"], raw["title"], raw["procedure"])
    assert (pack.info.author, pack.info.approver) == (raw["author"], raw["approver"])
    assert [s.id for s in pack.sources] == [s["id"] for s in raw["sources"]]
    assert [s.url for s in pack.sources] == [s.get("url") for s in raw["sources"]]
    assert [c.advice for c in pack.medicines] == [c["advice"] for c in raw["medicines"]]
    for raw_section, section in zip(raw["sections"], pack.sections, strict=True):
        assert section.kind is SectionKind(raw_section["kind"])
        assert section.intro == raw_section.get("intro", "")
        for raw_topic, topic in zip(raw_section["topics"], section.topics, strict=True):
            assert topic.id == raw_topic["id"]
            assert list(topic.paragraphs) == raw_topic["paragraphs"]
            assert list(topic.variants) == raw_topic.get("variants", [])
            assert list(topic.source_ids) == raw_topic.get("sources", [])
            assert topic.frequency_note == raw_topic.get("frequency_note", "")
            if "severity" in raw_topic:
                assert topic.severity is Severity(raw_topic["severity"])
            for raw_figure, figure in zip(raw_topic.get("figures", []), topic.figures, strict=True):
                assert figure.source_id == raw_figure.get("source")
                assert figure.comparator is Comparator(raw_figure["comparator"])
                assert figure.kind is FigureKind(raw_figure["kind"])
                assert figure.numerator_high == raw_figure.get("numerator_high")


def test_loading_twice_gives_equal_packs(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(BUNDLED.read_bytes())
    assert load_pack_file(copy) == load_pack_file(BUNDLED)
