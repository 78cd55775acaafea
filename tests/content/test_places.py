"""Tests for consult_aid.content.places: readable places for problems."""

from __future__ import annotations

from consult_aid.content.places import describe_place
from consult_aid.content.yaml_reading import parse_yaml

TEXT = """\
sections:
  - id: overview
    topics: []
  - id: risks
    topics:
      - id: infection
        figures:
          - label: x
"""


def test_path_names_ids_and_the_nearest_line() -> None:
    parsed = parse_yaml(TEXT)
    loc = ("sections", 1, "topics", 0, "figures", 0, "denominator")
    assert describe_place(loc, parsed.data, parsed.lines) == (
        "sections[1] (risks).topics[0] (infection).figures[0].denominator (line 8)"
    )


def test_existing_field_gives_its_own_line() -> None:
    parsed = parse_yaml(TEXT)
    loc = ("sections", 1, "topics", 0, "figures", 0, "label")
    assert describe_place(loc, parsed.data, parsed.lines).endswith(".label (line 8)")
    assert describe_place(("sections", 1), parsed.data, parsed.lines) == (
        "sections[1] (risks) (line 4)"
    )


def test_without_lines_or_data() -> None:
    assert describe_place(("sections", 3, "title"), None) == "sections[3].title"
    assert describe_place((), {}) == "top level"


def test_items_without_a_text_id_are_shown_by_index_only() -> None:
    data = {"sections": [{"id": 7}, "oops"]}
    assert describe_place(("sections", 0, "id"), data) == "sections[0].id"
    assert describe_place(("sections", 1, "id"), data) == "sections[1].id"
