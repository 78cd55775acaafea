"""A consistent copy of a live SQLite database, written whole or not at all, never over a file.

SQLite's online backup API copies every page in one step under one read
transaction, so the copy is the database at a single moment even while the
app keeps writing (in WAL mode readers and the writer do not block each
other). The copy is made in a temporary file beside the destination, checked,
switched to a single-file journal so that the backup is one file, flushed to
disk, and only then given its name, by a hard link that fails rather than
replace an existing file.

The copy is opened through the same dialect and URL as its source, so an
encrypted (SQLCipher) database gives a backup encrypted with the same key and
cipher settings, and a plain one a plain backup: a backup is never less
protected than the database it copies.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, exc, make_url
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from consult_aid.storage.database import BUSY_TIMEOUT_MS, Database, DatabaseError
from consult_aid.storage.encryption import check_key, database_path, is_encrypted

_SIDECARS = ("-journal", "-wal", "-shm")
# The copy waits for a writer's lock like any connection of the app's would.
_BUSY_WAIT = {"timeout": BUSY_TIMEOUT_MS / 1000}


class BackupError(Exception):
    """The backup could not be written where asked; the message says why. Nothing was left there."""


def backup_database(source: Database | str, destination: Path) -> Path:
    """Copy the database ``source`` (open, or a URL) to the new file ``destination``.

    Returns:
        The backup file's path.

    Raises:
        BackupError: the destination exists, its folder is missing, or the copy
            could not be written there; no file is left at the destination.
        DatabaseError: the source is not a SQLite file, does not exist, or (if
            encrypted) its key is missing or wrong. What the source holds is never changed.
    """
    url = source.engine.url if isinstance(source, Database) else _parse(source)
    path = database_path(url)
    if path is None:
        raise DatabaseError(
            "Only a SQLite database file can be backed up here, not "
            f"{url.render_as_string(hide_password=True)}; back up a database server "
            "with the server's own tools."
        )
    _check_destination(destination)
    if isinstance(source, Database):
        _copy(source.engine, url, destination)
        return destination
    if not path.is_file():
        raise DatabaseError(f"There is no database at {path} to back up.")
    if is_encrypted(url):
        check_key(url)
    engine = create_engine(url, poolclass=NullPool, connect_args=_BUSY_WAIT)
    try:
        _copy(engine, url, destination)
    finally:
        engine.dispose()
    return destination


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except exc.ArgumentError:
        raise DatabaseError("The database address is not a valid database URL.") from None


def _check_destination(destination: Path) -> None:
    if destination.exists() or destination.is_symlink():
        raise BackupError(f"{destination} already exists; a backup never replaces a file.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")


def _copy(engine: Engine, url: URL, destination: Path) -> None:
    """Back up through ``engine`` into a temporary file, then give it ``destination``'s name."""
    try:
        descriptor, name = tempfile.mkstemp(
            dir=destination.parent, prefix=".consult-aid-backup-", suffix=".part"
        )
    except OSError as error:
        raise BackupError(f"Cannot write to {destination.parent}: {error.strerror}") from None
    os.close(descriptor)
    temporary = Path(name)
    target = create_engine(url.set(database=str(temporary)), poolclass=NullPool)
    try:
        _backup_pages(engine, target, destination)
        _sync(temporary)
        _link_without_replacing(temporary, destination)
        _sync(destination.parent)
    except BaseException:
        _remove(temporary)
        raise
    finally:
        target.dispose()
    _remove(temporary)


def _backup_pages(engine: Engine, target: Engine, destination: Path) -> None:
    shown = engine.url.render_as_string(hide_password=True)
    checked = None
    try:
        source_connection = engine.raw_connection()
    except exc.DBAPIError as error:
        raise DatabaseError(f"Cannot open the database {shown}: {error.orig}") from None
    try:
        target_connection = target.raw_connection()
        try:
            # One step (pages=-1): the whole copy is one read of one moment.
            source_connection.driver_connection.backup(  # type: ignore[union-attr]
                target_connection.driver_connection, pages=-1
            )
            cursor = target_connection.cursor()
            try:
                checked = cursor.execute("PRAGMA quick_check").fetchone()
                # A rollback journal keeps the backup to a single file until it is restored.
                cursor.execute("PRAGMA journal_mode = DELETE")
            finally:
                cursor.close()
        finally:
            target_connection.close()
    except (exc.DBAPIError, engine.dialect.loaded_dbapi.Error) as error:
        reason = error.orig if isinstance(error, exc.DBAPIError) else error
        raise BackupError(f"The backup to {destination} could not be written: {reason}") from None
    finally:
        source_connection.close()
    if checked is None or checked[0] != "ok":
        raise BackupError(f"The backup to {destination} did not pass SQLite's check; not kept.")


def _sync(path: Path) -> None:
    """Flush a file (or, on POSIX, a folder's entries) to disk."""
    if path.is_dir() and os.name != "posix":
        return  # Windows has no folder handles to sync
    flags = os.O_RDONLY if path.is_dir() else os.O_RDWR
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link_without_replacing(temporary: Path, destination: Path) -> None:
    # A hard link fails if the name exists, so a file that appeared meanwhile
    # is never replaced; where links are not supported, check then rename.
    try:
        os.link(temporary, destination)
    except FileExistsError:
        raise BackupError(
            f"{destination} already exists; a backup never replaces a file."
        ) from None
    except OSError:
        if destination.exists():
            raise BackupError(
                f"{destination} already exists; a backup never replaces a file."
            ) from None
        try:
            temporary.replace(destination)
        except OSError as error:
            raise BackupError(f"Cannot write {destination}: {error.strerror}") from None


def _remove(temporary: Path) -> None:
    for name in (temporary, *(Path(f"{temporary}{suffix}") for suffix in _SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()
