"""Name a place in a pack the way a clinician would look for it.

``("sections", 3, "topics", 2, "figures", 0, "denominator")`` becomes
``sections[3] (risks).topics[2] (infection).figures[0].denominator (line 143)``:
the ids say which section and topic, and the line says where to scroll to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from consult_aid.content.yaml_reading import LineMap

Loc = Sequence[str | int]


def describe_place(loc: Loc, data: Any, lines: LineMap | None = None) -> str:
    """A readable path to ``loc`` in ``data``, with the nearest known line."""
    if not loc:
        return "top level"
    text = ""
    node: Any = data
    line: int | None = None
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
        child = _child(node, part)
        if lines is not None and child is not _MISSING:
            line = lines.line_of(node, part) or line
        if isinstance(part, int) and isinstance(child, dict):
            item_id = child.get("id")
            if isinstance(item_id, str) and item_id:
                text += f" ({item_id})"
        node = None if child is _MISSING else child
    return f"{text} (line {line})" if line is not None else text


_MISSING = object()


def _child(node: Any, part: str | int) -> Any:
    """``node[part]`` when it exists, else a marker (the data may be malformed)."""
    if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
        return node[part]
    if isinstance(node, dict) and part in node:
        return node[part]
    return _MISSING
