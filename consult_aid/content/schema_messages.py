"""Say each schema error in plain English, for a clinician editing a pack by hand.

pydantic's own messages ("Input should be a valid integer") name types, not
intentions; these say what the field is for and how to put it right.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from consult_aid.content.schema import ID_PATTERN, VERSION_PATTERN, PackSchema

# Fields people may add from habit, with why they do not belong in a pack.
_FORBIDDEN_HINTS = {
    "band": "bands are derived from the number, remove it",
    "probability": "give numerator and denominator instead, the probability is worked out",
    "percent": "give numerator and denominator instead (18 in 100, not 18%)",
}


def describe_input(value: object) -> str:
    """How a YAML value looks to the person who typed it."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a block of fields"
    return f"{value!r}"


def explain(error: ErrorDetails) -> str:
    """One plain-English sentence for one pydantic error."""
    loc = error["loc"]
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _missing(name)
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        hint = _FORBIDDEN_HINTS.get(name)
        if hint:
            return f"unknown field {name!r}: {hint}"
        allowed = ", ".join(_allowed_fields(loc[:-1]))
        return f"unknown field {name!r}: check its spelling or remove it (allowed here: {allowed})"
    if kind == "string_type":
        if name == "version":
            return f'the version must be text in quotes, like "1.0.0", not {describe_input(value)}'
        return f"expected text here, got {describe_input(value)}; put it in quotes if needed"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"{name or 'this'} must be a whole number, got {describe_input(value)}"
    if kind == "list_type":
        return f"expected a list (each entry on a line starting '- '), got {describe_input(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a block of fields (name: value), got {describe_input(value)}"
    if kind == "enum":
        return f"{describe_input(value)} is not allowed here; use one of {ctx.get('expected')}"
    if kind == "invalid_key":
        return f"a field name must be text, not {describe_input(value)}"
    if kind == "too_short":
        return f"{name or 'this list'} needs at least one entry"
    if kind.startswith("date"):
        return f"not a real date: {describe_input(value)}; write dates as YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        return _pattern(str(ctx.get("pattern", "")), value)
    return str(error["msg"])


def _missing(name: str) -> str:
    if name == "denominator":
        return "a frequency needs a denominator (the 100 in '2 in 100')"
    if name == "numerator":
        return "a frequency needs a numerator (the 2 in '2 in 100')"
    if name == "comparator":
        return "say how the figure is meant: exactly, about, less_than or up_to"
    if name == "kind":
        return "say whose figure this is: surgeon (your own audit) or published"
    return f"{name!r} is missing: it is required here"


def _pattern(pattern: str, value: object) -> str:
    if pattern == ID_PATTERN:
        return (
            f"{describe_input(value)} is not a valid id: use lowercase words joined by "
            "hyphens, like 'cement-leakage'"
        )
    if pattern == VERSION_PATTERN:
        return f'{describe_input(value)} is not a version: write it as "1.0.0"'
    return "this cannot be blank"


def _allowed_fields(loc: Sequence[str | int]) -> list[str]:
    """The field names of the model that sits at ``loc`` in a pack."""
    model: type[BaseModel] | None = PackSchema
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_inside(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, looking through list[...], ``| None`` and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_inside(arg)
            if found:
                return found
    return None
