"""Writing a file so that it is either whole or absent, even if the machine dies mid-write.

The bytes go to a temporary file in the same folder (a rename only stays
atomic within one file system), are flushed to disk, and only then take the
final name. The temporary name holds nothing about the patient.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is False (it is left untouched).
        OSError: the folder cannot be written; no temporary file is left behind.
    """
    folder = path.parent
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".consult-aid-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            Path(temporary).replace(path)
        else:
            _rename_without_clobbering(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise
    _sync_folder(folder)


def _rename_without_clobbering(temporary: str, path: Path) -> None:
    # A hard link fails if the name exists, so two writers can never both win;
    # where links are not supported, check then rename (a small race, but no link).
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileExistsError(f"{path.name} already exists in that folder.") from None
    except OSError:
        if path.exists():
            raise FileExistsError(f"{path.name} already exists in that folder.") from None
        Path(temporary).replace(path)
        return
    Path(temporary).unlink()


def _sync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
