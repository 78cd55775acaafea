"""Tests for consult_aid.content.yaml_reading: strict YAML with lines kept."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from consult_aid.content.yaml_reading import describe_yaml_error, parse_yaml


def test_every_duplicate_key_is_recorded_with_both_lines() -> None:
    parsed = parse_yaml("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\na: 4\n")
    found = [(d.key, d.line, d.column, d.first_line) for d in parsed.duplicates]
    assert found == [("x", 5, 3, 3), ("a", 6, 1, 1)]


def test_no_duplicates_in_clean_yaml() -> None:
    assert parse_yaml("a: 1\nb: [1, 2]\n").duplicates == []


def test_lines_of_keys_and_items() -> None:
    parsed = parse_yaml("top: 1\nitems:\n  - one\n\n  - two: 2\n    three: 3\n")
    data = parsed.data
    assert parsed.lines.line_of(data, "top") == 1
    assert parsed.lines.line_of(data, "items") == 2
    assert parsed.lines.line_of(data["items"], 0) == 3
    assert parsed.lines.line_of(data["items"], 1) == 5
    assert parsed.lines.line_of(data["items"][1], "three") == 6
    assert parsed.lines.line_of(data["items"], 2) is None
    assert parsed.lines.line_of(data, "absent") is None
    assert parsed.lines.line_of({}, "top") is None


def test_impossible_date_stays_text_and_real_date_is_a_date() -> None:
    data = parse_yaml("bad: 2026-02-30\ngood: 2026-02-28\n").data
    assert data == {"bad": "2026-02-30", "good": date(2026, 2, 28)}


def test_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n")
    place, problem = describe_yaml_error(caught.value)
    assert place.startswith("line 3, column ")
    assert problem.startswith("not valid YAML: ")


def test_a_list_as_a_key_is_an_error() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_yaml("? [a, b]\n: 1\n")


def test_only_safe_tags() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_yaml("a: !!python/object/apply:os.system ['true']\n")
