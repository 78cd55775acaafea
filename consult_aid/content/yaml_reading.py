"""Read pack YAML strictly: no duplicate keys, real dates only, and a line for every value.

PyYAML silently keeps the last of two equal keys, so a clinician who pastes a
second ``severity:`` into a topic would never learn which one counts. This
reader reports every duplicate instead, and remembers the line each key and
list item came from so that later problems can point at a line too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

# The C parser is much faster on large packs; the constructor stays Python either way.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineMap:
    """The line (1-based) of every key and list item, by the container holding it.

    Containers are keyed by ``id()``; each is kept alive here so an id is never reused.
    """

    _by_container: dict[int, tuple[object, dict[Any, int] | list[int]]] = field(
        default_factory=dict
    )

    def remember(self, container: object, lines: dict[Any, int] | list[int]) -> None:
        """Record the lines of a mapping's keys or a list's items."""
        self._by_container[id(container)] = (container, lines)

    def line_of(self, container: object, key: object) -> int | None:
        """The line of ``container[key]``, if known."""
        entry = self._by_container.get(id(container))
        if entry is None:
            return None
        lines = entry[1]
        if isinstance(lines, dict):
            return lines.get(key)
        if isinstance(key, int) and 0 <= key < len(lines):
            return lines[key]
        return None


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one mapping."""

    key: str
    line: int
    column: int
    first_line: int


@dataclass
class ParsedYaml:
    """The data read from a pack file, with where each part came from."""

    data: Any
    lines: LineMap
    duplicates: list[DuplicateKey]


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records lines and duplicate keys while it builds the data."""

    line_map: LineMap
    duplicate_keys: list[DuplicateKey]

    def _construct_map(self, node: MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        self.flatten_mapping(node)
        key_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a block of fields",
                    node.start_mark,
                    "a field name cannot be a list or a block",
                    key_node.start_mark,
                ) from None
            if key in key_lines:
                self.duplicate_keys.append(
                    DuplicateKey(
                        key=str(key),
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                        first_line=key_lines[key],
                    )
                )
            else:
                key_lines[key] = key_node.start_mark.line + 1
            data[key] = self.construct_object(value_node, deep=True)
        self.line_map.remember(data, key_lines)

    def _construct_seq(self, node: SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)
        self.line_map.remember(data, [child.start_mark.line + 1 for child in node.value])

    def _construct_timestamp(self, node: ScalarNode) -> object:
        # An impossible date such as 2026-02-30 would otherwise crash the parser with
        # a bare ValueError; keeping the text lets the schema say "not a real date".
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader._construct_map)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _StrictLoader._construct_seq)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader._construct_timestamp)


def parse_yaml(text: str) -> ParsedYaml:
    """Parse one YAML document.

    Raises:
        yaml.MarkedYAMLError: the text is not valid YAML (the error carries the line).
        yaml.YAMLError: any other YAML failure.
    """
    loader = _StrictLoader(text)
    loader.line_map = LineMap()
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return ParsedYaml(data=data, lines=loader.line_map, duplicates=loader.duplicate_keys)


def describe_yaml_error(error: yaml.YAMLError) -> tuple[str, str]:
    """Turn a YAML error into (place, problem), with the line and column where known."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        words = [w for w in (error.context, error.problem) if w]
        problem = "; ".join(words) if words else "the file is not valid YAML"
        return place, f"not valid YAML: {problem}"
    return "the file", f"not valid YAML: {error}"
