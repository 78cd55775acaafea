"""The topics of a record's exact pack and variant, looked up once per pack and variant.

Which topics count for a record comes from the pack it was held with (by
hash), never from today's pack: a topic added later does not count against an
old record, and a topic that does not apply to a record's variant is not
counted for it at all.
"""

from __future__ import annotations

from pathlib import Path

from consult_aid.domain.content import ContentPack, SectionKind, Topic
from consult_aid.services.content_library import ContentLibrary
from consult_aid.storage.database import Database


class PackTopics:
    """Topics per (pack hash, variant), from the stored pack snapshots."""

    def __init__(self, db: Database, library: ContentLibrary | None = None) -> None:
        # Only stored snapshots are read (by hash), so no bundled folder is needed.
        self._library = library or ContentLibrary(db, Path())
        self._topics: dict[tuple[str, str], tuple[Topic, ...]] = {}
        self._ids: dict[tuple[str, str], frozenset[str]] = {}

    def pack(self, pack_hash: str) -> ContentPack:
        """The pack stored under this hash (NotFound when it never was)."""
        return self._library.by_hash(pack_hash)

    def topics(self, pack_hash: str, variant_id: str) -> tuple[Topic, ...]:
        """The topics a record on this pack and variant must settle, in pack order."""
        key = (pack_hash, variant_id)
        found = self._topics.get(key)
        if found is None:
            found = self._topics[key] = self.pack(pack_hash).topics_for(variant_id)
        return found

    def ids(self, pack_hash: str, variant_id: str) -> frozenset[str]:
        """The ids of those topics (made once: it is asked for every record)."""
        key = (pack_hash, variant_id)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = frozenset(t.id for t in self.topics(pack_hash, variant_id))
        return found

    def alternatives(self, pack_hash: str, variant_id: str) -> tuple[Topic, ...]:
        """Of those topics, the ones in an alternatives section."""
        pack = self.pack(pack_hash)
        return tuple(
            topic
            for topic in self.topics(pack_hash, variant_id)
            if pack.section_of(topic.id).kind is SectionKind.ALTERNATIVES
        )
