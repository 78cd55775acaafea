"""Load a content pack file into domain objects, or say everything wrong with it.

The pack's hash is taken over the exact text, so a record can name the very
words a patient was shown; any edit, even one character, gives a new hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from consult_aid.content.pack_rules import check_rules
from consult_aid.content.places import describe_place
from consult_aid.content.problems import PackError, PackProblem
from consult_aid.content.schema import PackSchema
from consult_aid.content.schema_messages import describe_input, explain
from consult_aid.content.to_domain import to_pack
from consult_aid.content.yaml_reading import describe_yaml_error, parse_yaml
from consult_aid.domain.content import ContentPack

__all__ = ["PackError", "PackProblem", "load_pack_file", "load_pack_text"]


def load_pack_file(path: Path) -> ContentPack:
    """Load the pack in ``path``.

    Raises:
        PackError: the file is missing, unreadable, not UTF-8, or not a valid pack.
    """
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise PackError([PackProblem(origin, "the file", f"cannot be read: {reason}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise PackError(
            [
                PackProblem(
                    origin,
                    f"line {line}",
                    f"not UTF-8 text (byte 0x{byte} at position {error.start}); "
                    "save the file as UTF-8",
                )
            ]
        ) from None
    return load_pack_text(text, origin)


def load_pack_text(text: str, origin: str) -> ContentPack:
    """Load a pack from its text; ``origin`` names the file in problems.

    Raises:
        PackError: listing every problem found.
    """
    if not text.strip():
        raise PackError([PackProblem(origin, "the file", "the file is empty")])
    try:
        parsed = parse_yaml(text)
    except yaml.YAMLError as error:
        place, problem = describe_yaml_error(error)
        raise PackError([PackProblem(origin, place, problem)]) from None
    data = parsed.data
    if not isinstance(data, dict):
        raise PackError(
            [
                PackProblem(
                    origin,
                    "top level",
                    "the top level must be a block of fields (id: ..., title: ...), "
                    f"not {describe_input(data)}",
                )
            ]
        )
    problems = [
        PackProblem(
            origin,
            f"line {dup.line}, column {dup.column}",
            f"the field {dup.key!r} is given twice in the same block "
            f"(first on line {dup.first_line}); keep only one",
        )
        for dup in parsed.duplicates
    ]
    schema: PackSchema | None = None
    try:
        schema = PackSchema.model_validate(data)
    except ValidationError as error:
        problems += [
            PackProblem(origin, describe_place(detail["loc"], data, parsed.lines), explain(detail))
            for detail in error.errors()
        ]
    problems += [
        PackProblem(origin, describe_place(loc, data, parsed.lines), message)
        for loc, message in check_rules(data)
    ]
    if problems or schema is None:
        raise PackError(problems)
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return to_pack(schema, content_hash)
