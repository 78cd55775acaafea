"""Encryption at rest with SQLCipher: the keyed URL, and a check of the key that writes nothing.

An encrypted database is an ordinary SQLite file run through SQLCipher
(``sqlite+pysqlcipher://`` in SQLAlchemy, the ``sqlcipher3`` package): every
page, the WAL included, is encrypted with a key derived from the passphrase
in the URL's password, and SQLAlchemy's dialect runs ``PRAGMA key`` on each
new connection before anything else. The key never appears in a message, a
log line or a ``repr`` here: only the file's path is named.

A wrong key is only noticed when the first page is read ("file is not a
database"), so ``check_key`` reads the file once over a read-only connection
before the database is opened for real: a wrong key then stops the open with
a clear message and cannot have written a byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from consult_aid.storage.database import DatabaseError

DRIVER = "pysqlcipher"
_PLAIN_HEADER = b"SQLite format 3\x00"
# SQLite's result code for "file is not a database": SQLCipher's answer to a wrong key.
_SQLITE_NOTADB = 26


def is_encrypted(url: URL) -> bool:
    """Whether ``url`` opens its database through SQLCipher."""
    # By name: asking SQLAlchemy for the driver would load the dialect (or fail for an unknown one).
    return url.drivername == f"sqlite+{DRIVER}"


def database_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory or server database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def keyed_url(url: str | URL, key: str) -> URL:
    """``url`` (a SQLite file) as the SQLCipher URL that opens it with ``key``.

    Raises:
        DatabaseError: the URL is not a SQLite file, or the key is empty.
    """
    parsed = make_url(url) if isinstance(url, str) else url
    path = database_path(parsed)
    if path is None:
        raise DatabaseError(
            "Encryption at rest applies to a SQLite database file only; "
            f"{parsed.render_as_string(hide_password=True)} is not one "
            "(a database server protects its own storage)."
        )
    if not key:
        raise DatabaseError(f"The database key for {path} is empty.")
    # An empty user name makes the URL render as "://:key@/", so the key
    # survives a round trip through the URL's text; without it, it is dropped.
    return parsed.set(drivername=f"sqlite+{DRIVER}", username="", password=key)


def check_key(url: URL) -> None:
    """Make sure the key in ``url`` opens its file, reading only; a new or empty file passes.

    Raises:
        DatabaseError: there is no key, the package is missing, or the key does
            not open the file (or the file is plain SQLite, or not a database).
            The file is unchanged in every case.
    """
    path = database_path(url)
    if path is None:
        raise DatabaseError(
            "Encryption at rest needs a database file, not an in-memory or server database."
        )
    if not url.password:
        raise DatabaseError(
            f"The database at {path} is to be encrypted, but no key was given; it was not opened."
        )
    if not path.is_file() or path.stat().st_size == 0:
        return  # a new database: SQLCipher encrypts it from its first page
    # mode=ro: whatever the key, this connection cannot write to the file.
    probe = url.set(
        database=path.resolve().as_uri(), query={**url.query, "mode": "ro", "uri": "true"}
    )
    try:
        engine = create_engine(probe, poolclass=NullPool)
    except ImportError:
        raise DatabaseError(
            "Encryption at rest needs the sqlcipher3 package, which is not installed."
        ) from None
    quiet = _QuietCipherLog()
    event.listen(engine, "connect", quiet.on_connect)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except exc.DBAPIError as error:
        if _not_a_database(error):
            raise DatabaseError(_wrong_key_message(path)) from None
        # Anything else (locked, unreadable): the real open reports it in its own words.
    finally:
        engine.dispose()
        quiet.restore(engine)


def _not_a_database(error: exc.DBAPIError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code == _SQLITE_NOTADB or "file is not a database" in str(error.orig)


def _wrong_key_message(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            plain = handle.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER
    except OSError:
        plain = False
    if plain:
        return (
            f"The database at {path} is not encrypted (it is a plain SQLite file), so it "
            "could not be opened as an encrypted database. Nothing was changed. Turn "
            "encryption off to open it as it is."
        )
    return (
        f"The database at {path} could not be opened with this key: the key is wrong, "
        "or the file is not an encrypted Consult Aid database. Nothing was changed."
    )


class _QuietCipherLog:
    """Silences SQLCipher's own log while the key is tried, then puts the level back.

    A wrong key makes SQLCipher print "hmac check failed" lines to stderr;
    ``check_key`` already says what went wrong, in words a user can act on.
    The log level is process-wide in SQLCipher, hence the restore.
    """

    def __init__(self) -> None:
        self.level: str | None = None

    def on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            row = cursor.execute("PRAGMA cipher_log_level").fetchone()
            self.level = None if row is None else str(row[0])
            cursor.execute("PRAGMA cipher_log_level = NONE")
        finally:
            cursor.close()

    def restore(self, engine: Engine) -> None:
        if self.level is None or not self.level.isalpha():
            return
        connection = engine.dialect.loaded_dbapi.connect(":memory:")
        try:
            connection.execute(f"PRAGMA cipher_log_level = {self.level}")
        finally:
            connection.close()
