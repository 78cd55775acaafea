"""Rules that look across a pack, beyond the shape the schema checks.

They walk the raw YAML data rather than the validated models so that they run
even when another part of the file is malformed: the author sees every problem
in one pass. Anything of the wrong type is skipped here, because the schema
already reports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, TypeGuard

from consult_aid.content.schema import date_from_text
from consult_aid.domain.content import REQUIRED_SECTIONS, SectionKind

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


def check_rules(data: dict[str, Any]) -> list[Finding]:
    """Every cross-pack problem in ``data`` (the parsed top-level mapping)."""
    findings: list[Finding] = []
    findings += _unique_ids(data, "variants", "variant")
    findings += _unique_ids(data, "sources", "source")
    findings += _unique_ids(data, "risk_factors", "risk factor")
    findings += _unique_ids(data, "medicines", "medicine")
    findings += _unique_ids(data, "sections", "section")
    findings += _unique_topic_ids(data)
    findings += _required_sections(data)
    findings += _dates(data)
    variant_ids = _ids(data.get("variants"))
    source_ids = _ids(data.get("sources"))
    for loc, topic, kind in _topics(data):
        findings += _topic_rules(loc, topic, kind, variant_ids, source_ids)
    return findings


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings in a list, with their index; anything else is skipped."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _ids(value: Any) -> set[str]:
    return {item["id"] for _, item in _items(value) if isinstance(item.get("id"), str)}


def _unique_ids(data: dict[str, Any], key: str, what: str) -> list[Finding]:
    seen: dict[str, int] = {}
    findings: list[Finding] = []
    for index, item in _items(data.get(key)):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            findings.append(
                (
                    (key, index, "id"),
                    f"the {what} id {item_id!r} is used twice (also {key}[{seen[item_id]}]); "
                    "each id must be unique",
                )
            )
        else:
            seen[item_id] = index
    return findings


def _topics(data: dict[str, Any]) -> Iterator[tuple[Loc, dict[str, Any], str | None]]:
    """Every topic with its place and its section's kind (None when the kind is unreadable)."""
    for s_index, section in _items(data.get("sections")):
        kind = section.get("kind") if isinstance(section.get("kind"), str) else None
        for t_index, topic in _items(section.get("topics")):
            yield ("sections", s_index, "topics", t_index), topic, kind


def _unique_topic_ids(data: dict[str, Any]) -> list[Finding]:
    # Topic ids key the discussion record, so they must be unique across the whole pack.
    seen: dict[str, Loc] = {}
    findings: list[Finding] = []
    for loc, topic, _ in _topics(data):
        topic_id = topic.get("id")
        if not isinstance(topic_id, str):
            continue
        if topic_id in seen:
            first = seen[topic_id]
            findings.append(
                (
                    (*loc, "id"),
                    f"the topic id {topic_id!r} is used twice (also sections[{first[1]}]"
                    f".topics[{first[3]}]); topic ids must be unique across the pack",
                )
            )
        else:
            seen[topic_id] = loc
    return findings


def _required_sections(data: dict[str, Any]) -> list[Finding]:
    if not isinstance(data.get("sections"), list):
        return []
    present = {section.get("kind") for _, section in _items(data["sections"])}
    needed = ", ".join(kind.value for kind in REQUIRED_SECTIONS)
    return [
        (("sections",), f"no section of kind {kind.value!r}; every pack needs: {needed}")
        for kind in REQUIRED_SECTIONS
        if kind.value not in present
    ]


def _dates(data: dict[str, Any]) -> list[Finding]:
    approved = date_from_text(data.get("approved_on"))
    due = date_from_text(data.get("review_due"))
    if isinstance(approved, date) and isinstance(due, date) and due < approved:
        return [
            (
                ("review_due",),
                f"the review date {due.isoformat()} is before the approval date "
                f"{approved.isoformat()}",
            )
        ]
    return []


def _topic_rules(
    loc: Loc,
    topic: dict[str, Any],
    kind: str | None,
    variant_ids: set[str],
    source_ids: set[str],
) -> list[Finding]:
    findings: list[Finding] = []
    variants = topic.get("variants")
    for index, variant in enumerate(variants if isinstance(variants, list) else []):
        if isinstance(variant, str) and variant not in variant_ids:
            findings.append(
                (
                    (*loc, "variants", index),
                    f"unknown variant {variant!r}; the pack declares: "
                    + ", ".join(sorted(variant_ids)),
                )
            )
    sources = topic.get("sources")
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, str) and source not in source_ids:
            findings.append(((*loc, "sources", index), _unknown_source(source, source_ids)))
    has_figures = bool(topic.get("figures"))
    for index, figure in _items(topic.get("figures")):
        findings += _figure_rules((*loc, "figures", index), figure, source_ids)
    if kind == SectionKind.RISKS.value:
        if topic.get("severity") is None:
            findings.append(
                ((*loc, "severity"), "every risk needs a severity: minor, moderate or serious")
            )
        note = topic.get("frequency_note")
        if not has_figures and not (isinstance(note, str) and note.strip()):
            findings.append(
                (
                    loc,
                    "a risk needs figures, or a frequency_note saying why no figure is given",
                )
            )
    elif kind is not None and topic.get("severity") is not None:
        findings.append(((*loc, "severity"), "severity is only for topics in a risks section"))
    return findings


def _unknown_source(source: str, source_ids: set[str]) -> str:
    known = ", ".join(sorted(source_ids)) or "none"
    return f"unknown source {source!r}; add it to sources or use one of: {known}"


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _figure_rules(loc: Loc, figure: dict[str, Any], source_ids: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    source = figure.get("source")
    if isinstance(source, str) and source not in source_ids:
        findings.append(((*loc, "source"), _unknown_source(source, source_ids)))
    elif source is None and figure.get("kind") == "published":
        findings.append(((*loc, "source"), "a published figure needs a source"))
    low, high, denominator = (
        figure.get("numerator"),
        figure.get("numerator_high"),
        figure.get("denominator"),
    )
    if _is_count(denominator) and denominator <= 0:
        findings.append(
            ((*loc, "denominator"), f"the denominator must be more than 0, not {denominator}")
        )
        return findings
    for name, count in (("numerator", low), ("numerator_high", high)):
        if not _is_count(count):
            continue
        if count < 0:
            said = f"{count} in {denominator}" if _is_count(denominator) else str(count)
            findings.append(
                ((*loc, name), f"probability below 0: {said}; a count cannot be negative")
            )
        elif _is_count(denominator) and count > denominator:
            findings.append(
                (
                    (*loc, name),
                    f"probability above 1: {count} in {denominator}; "
                    "the count cannot be more than the denominator",
                )
            )
    if _is_count(low) and _is_count(high) and high < low:
        findings.append(
            ((*loc, "numerator_high"), f"the top of the range ({high}) is below its bottom ({low})")
        )
    return findings
