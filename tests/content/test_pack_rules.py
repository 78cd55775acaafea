"""Tests for consult_aid.content.pack_rules: rules across a pack, on raw (even malformed) data."""

from __future__ import annotations

from typing import Any

import pytest

from consult_aid.content.loader import PackError, load_pack_text
from consult_aid.content.pack_rules import check_rules
from consult_aid.domain.content import REQUIRED_SECTIONS


def all_sections(**risk_topic: Any) -> list[dict[str, Any]]:
    """One section of every required kind; the risks one holds the given topic."""
    sections: list[dict[str, Any]] = []
    for kind in REQUIRED_SECTIONS:
        topic = {"id": f"{kind.value.replace('_', '-')}-topic"}
        if kind.value == "risks":
            topic = {"id": "a-risk", **risk_topic}
        sections.append({"id": kind.value.replace("_", "-"), "kind": kind.value, "topics": [topic]})
    return sections


def test_a_complete_minimal_pack_breaks_no_rule() -> None:
    data = {"sections": all_sections(severity="minor", frequency_note="no figure is known")}
    assert check_rules(data) == []


def test_a_risk_with_an_empty_note_still_needs_a_figure() -> None:
    data = {"sections": all_sections(severity="minor", frequency_note="   ")}
    (finding,) = check_rules(data)
    assert finding[0] == ("sections", 3, "topics", 0)
    assert "frequency_note" in finding[1]


def test_surgeon_figure_with_an_unknown_source_is_still_checked() -> None:
    figure = {"kind": "surgeon", "numerator": 1, "denominator": 100, "source": "nope"}
    data = {"sections": all_sections(severity="minor", figures=[figure])}
    (finding,) = check_rules(data)
    assert finding[0] == ("sections", 3, "topics", 0, "figures", 0, "source")


def test_negative_count_without_a_usable_denominator() -> None:
    figure = {"kind": "surgeon", "numerator": -2, "denominator": "many"}
    data = {"sections": all_sections(severity="minor", figures=[figure])}
    (finding,) = check_rules(data)
    assert finding[1].startswith("probability below 0: -2;")


def test_duplicate_ids_in_every_list() -> None:
    twice = [{"id": "same"}, {"id": "same"}]
    data = {
        "sections": all_sections(severity="minor", frequency_note="n"),
        "variants": twice,
        "sources": twice,
        "risk_factors": twice,
        "medicines": twice,
    }
    places = {finding[0] for finding in check_rules(data)}
    assert places == {
        ("variants", 1, "id"),
        ("sources", 1, "id"),
        ("risk_factors", 1, "id"),
        ("medicines", 1, "id"),
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"sections": "none"},
        {"sections": [None, 3, "x", []]},
        {"sections": [{"kind": 5, "topics": "none"}]},
        {"sections": [{"kind": "risks", "topics": [None, {"id": 3, "figures": "x"}]}]},
        {"sections": [{"kind": "risks", "topics": [{"figures": [None, {"numerator": "a"}]}]}]},
        {"variants": {"id": "x"}, "sources": 3, "approved_on": [], "review_due": {}},
    ],
)
def test_malformed_data_gives_findings_not_crashes(data: dict[str, Any]) -> None:
    findings = check_rules(data)
    assert all(isinstance(message, str) and message for _, message in findings)


@pytest.mark.parametrize(
    "text",
    [
        "id: x\nsections: 3\n",
        "id: x\nsections:\n  - 3\n  - {kind: risks, topics: [7, {figures: [1, {}]}]}\n",
        "id: [1, 2]\nversion: {a: 1}\nvariants: {}\nsources: [[]]\n",
        "? !!binary aGVsbG8=\n: 1\n",
        "approved_on: 2026-11-20 10:00:00\nreview_due: 2026-13-01\n",
    ],
)
def test_loader_turns_nonsense_into_pack_errors(text: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, "nonsense.yaml")
    assert caught.value.problems
