"""The content packs: the bundled files for new consultations, stored snapshots for old ones.

A pack's exact text is stored, keyed by its content hash, the first time the
library sees it. A consultation names that hash, so installing a newer pack
never changes how an old consultation reads or prints.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from consult_aid.content.bundled import bundled_pack_files
from consult_aid.content.loader import PackError, load_pack_file, load_pack_text
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import NotFound
from consult_aid.services.authorship import utc_now
from consult_aid.storage.database import Database
from consult_aid.storage.snapshots import PackSnapshotRepository

log = logging.getLogger(__name__)


class ContentLibrary:
    """Finds, loads, caches and snapshots content packs."""

    def __init__(self, db: Database, procedures_dir: Path) -> None:
        self._db = db
        self._folder = procedures_dir
        self._by_hash: dict[str, ContentPack] = {}
        self._stored: set[str] = set()

    def current(self, pack_id: str) -> ContentPack:
        """The newest valid bundled pack with this id; NotFound when there is none."""
        candidates = [pack for pack in self.available() if pack.id == pack_id]
        if not candidates:
            raise NotFound(f"No valid content pack with id {pack_id!r} is installed.")
        return max(candidates, key=lambda pack: _version_key(pack.info.version))

    def available(self) -> list[ContentPack]:
        """Every valid bundled pack, each stored as a snapshot; bad files are logged and skipped."""
        packs = []
        for path in bundled_pack_files(self._folder):
            try:
                packs.append(self._load_file(path))
            except PackError as error:
                log.warning("Skipping the content pack %s, which is not valid:\n%s", path, error)
        return packs

    def by_hash(self, content_hash: str) -> ContentPack:
        """The pack exactly as stored under this hash; NotFound when it was never stored."""
        cached = self._by_hash.get(content_hash)
        if cached is not None:
            return cached
        with self._db.session() as session, session.begin():
            text = PackSnapshotRepository(session).text(content_hash)
        if text is None:
            raise NotFound(f"No content pack with hash {content_hash[:12]}... is stored.")
        pack = load_pack_text(text, f"stored pack {content_hash[:12]}")
        if pack.info.content_hash != content_hash:
            raise NotFound(f"The stored pack {content_hash[:12]}... no longer matches its hash.")
        self._by_hash[content_hash] = pack
        self._stored.add(content_hash)
        return pack

    def _load_file(self, path: Path) -> ContentPack:
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            # The loader says what is wrong with such a file in its own words (PackError).
            return load_pack_file(path)
        # The loader hashes the exact UTF-8 text, which is these very bytes.
        pack = self._by_hash.get(hashlib.sha256(raw).hexdigest())
        if pack is None:
            pack = load_pack_text(text, str(path))
        self._remember(pack, text)
        return pack

    def _remember(self, pack: ContentPack, text: str) -> None:
        content_hash = pack.info.content_hash
        self._by_hash[content_hash] = pack
        if content_hash not in self._stored:
            with self._db.write_session() as session, session.begin():
                PackSnapshotRepository(session).add(
                    content_hash=content_hash,
                    pack_id=pack.id,
                    version=pack.info.version,
                    text=text,
                    at=utc_now(),
                )
            self._stored.add(content_hash)


def _version_key(version: str) -> tuple[int, ...]:
    """Order versions by their numbers, so that 1.10.0 comes after 1.9.2."""
    return tuple(int(part) for part in re.findall(r"\d+", version))
