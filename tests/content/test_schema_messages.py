"""Tests for consult_aid.content.schema_messages: schema errors in plain English."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from consult_aid.content.schema import FigureSchema, PackSchema
from consult_aid.content.schema_messages import describe_input, explain


def errors_of(model: type[PackSchema] | type[FigureSchema], data: Any) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value.errors()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "nothing (the value is empty)"),
        (True, "a yes/no value (true)"),
        (3, "the number 3"),
        ("x", "the text 'x'"),
        ([], "a list"),
        ({}, "a block of fields"),
    ],
)
def test_describe_input(value: object, said: str) -> None:
    assert describe_input(value) == said


def test_unknown_field_deep_in_a_pack_lists_topic_fields() -> None:
    data = {"sections": [{"topics": [{"colour": "red"}]}]}
    messages = [explain(e) for e in errors_of(PackSchema, data)]
    (message,) = [m for m in messages if "colour" in m]
    allowed = message.split("allowed here: ")[1]
    assert "frequency_note" in allowed
    assert "severity" in allowed


def test_missing_figure_parts_say_what_they_are() -> None:
    messages = {explain(e) for e in errors_of(FigureSchema, {"label": "x"})}
    assert any(m.startswith("a frequency needs a denominator") for m in messages)
    assert any(m.startswith("a frequency needs a numerator") for m in messages)
    assert any("exactly, about, less_than or up_to" in m for m in messages)
    assert any("surgeon (your own audit) or published" in m for m in messages)


def test_empty_value_where_text_is_needed() -> None:
    errors = errors_of(PackSchema, {"title": None})
    (error,) = [e for e in errors if e["loc"] == ("title",)]
    assert explain(error) == (
        "expected text here, got nothing (the value is empty); put it in quotes if needed"
    )


def test_blank_text_and_empty_lists() -> None:
    errors = errors_of(PackSchema, {"title": "   ", "sections": []})
    by_field = {e["loc"][0]: explain(e) for e in errors}
    assert by_field["title"] == "this cannot be blank"
    assert by_field["sections"] == "sections needs at least one entry"
