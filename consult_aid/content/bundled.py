"""Find the content packs shipped with the app."""

from __future__ import annotations

from pathlib import Path


def bundled_pack_files(folder: Path) -> list[Path]:
    """Every ``*.yaml`` pack file in ``folder``, sorted by name (none if it is missing)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.yaml") if path.is_file())
