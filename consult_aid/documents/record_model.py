"""The shape of a record's content: rows, topics and groups, and its fingerprint.

Plain frozen data, serialised to canonical JSON (sorted keys, no spaces,
Unicode kept) whose SHA-256 is the record's fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One printed line: a label and its value; ``alert`` prints the value in bold."""

    label: str
    value: str
    alert: bool = False


@dataclass(frozen=True, slots=True)
class TopicFacts:
    """One topic as recorded."""

    title: str
    material: bool
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A headed part of the record: its own rows, then any topics."""

    heading: str
    note: str
    rows: tuple[Row, ...]
    topics: tuple[TopicFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """The whole content of a record, in printing order."""

    title: str
    groups: tuple[Group, ...]

    def canonical_json(self) -> str:
        """A canonical serialisation: sorted keys, no spaces, Unicode kept."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def fingerprint(self) -> str:
        """SHA-256 hex of the canonical JSON."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
