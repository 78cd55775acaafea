"""Opening the database: the engine, its per-connection settings, and migration to head.

SQLite is the single-workstation store. Each connection runs in WAL mode with
``synchronous=FULL`` so that a commit that has returned survives a killed
process or a power cut, enforces foreign keys, and waits for a busy writer
rather than failing. Sessions from ``write_session`` begin with ``BEGIN
IMMEDIATE``: SQLite then takes the write lock up front, so a read-then-write
(the next change number) waits its turn instead of failing half-way with
"database is locked"; plain sessions begin a read that blocks no one. Nothing
else here assumes SQLite, so a PostgreSQL URL works the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "consult_aid_write"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration this version knows. A database already there opens
# without importing Alembic at all (a tenth of a second at every start);
# a test checks that this is Alembic's own head.
HEAD_REVISION = "0007"
# Where a session carries the audit key (read by consult_aid.storage.audit).
AUDIT_KEY_INFO = "consult_aid_audit_key"


class DatabaseError(Exception):
    """The database could not be opened or brought up to date; the message says which and why."""


class Database:
    """An open database at the current schema.

    Attributes:
        engine: the SQLAlchemy engine (closed by ``close``).
        url: the URL with any password hidden, for messages and logs.
        audit_key: the key that signs the audit trail (None: events cannot be appended).
    """

    def __init__(self, engine: Engine, url: str, audit_key: bytes | None = None) -> None:
        self.engine = engine
        self.url = url
        self.audit_key = audit_key
        # Sessions carry the key so that every audit append can sign its event;
        # the key is held in memory only, never written to the database.
        info = {AUDIT_KEY_INFO: audit_key}
        self._sessions = sessionmaker(engine, expire_on_commit=False, info=info)
        self._write_sessions = sessionmaker(_writing(engine), expire_on_commit=False, info=info)

    @classmethod
    def open(cls, url: str, audit_key: bytes | None = None) -> Database:
        """Connect, migrate to the newest schema this version knows, and return the database.

        ``audit_key`` signs the audit trail; a database opened without one can be
        read but refuses every audited write.

        Raises:
            DatabaseError: the URL is unusable, the file is not a database, the
                schema is newer than this version knows, the server cannot be
                reached, or an encrypted database's key is missing or wrong. The
                file is not changed in any of these cases.
        """
        try:
            parsed = make_url(url)
        except exc.ArgumentError:
            raise DatabaseError(
                "The database address is not a valid database URL "
                "(expected, for example, sqlite:///path/to/file.sqlite3)."
            ) from None
        shown = parsed.render_as_string(hide_password=True)
        if parsed.drivername == "sqlite+pysqlcipher":
            # Imported only here, so a plain database never loads SQLCipher.
            from consult_aid.storage.encryption import check_key

            check_key(parsed)
        try:
            engine = _create_engine(parsed)
        except (exc.ArgumentError, ImportError) as error:
            raise DatabaseError(f"Cannot use the database {shown}: {error}") from None
        try:
            _create_private_file(parsed)
            _migrate(engine, shown)
        except Exception as error:
            engine.dispose()
            if isinstance(error, DatabaseError):
                raise
            # Alembic's errors are matched by module: Alembic is imported only
            # when a migration is due, so its classes cannot be named up here.
            from_alembic = type(error).__module__.split(".")[0] == "alembic"
            if isinstance(error, exc.SQLAlchemyError | OSError) or from_alembic:
                raise DatabaseError(f"Cannot open the database {shown}: {_reason(error)}") from None
            raise
        return cls(engine, shown, audit_key)

    def session(self) -> Session:
        """A new session for reading; use ``with db.session() as s, s.begin():``."""
        return self._sessions()

    def write_session(self) -> Session:
        """A new session for a transaction that writes; used like ``session``.

        On SQLite it takes the write lock when it begins, so concurrent writers
        queue (up to the busy timeout) rather than fail part-way through.
        """
        return self._write_sessions()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    # SQLCipher's dialect would give each thread one shared connection; the
    # queue pool that plain SQLite files get keeps every session on its own.
    pooling: dict[str, Any] = (
        {"poolclass": QueuePool} if url.drivername == "sqlite+pysqlcipher" else {}
    )
    engine = create_engine(url, **pooling)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling skips BEGIN before DDL, which would
    # let a half-run migration commit; SQLAlchemy issues BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _writing(engine: Engine) -> Engine:
    """The same engine, marked so that its transactions begin by taking the write lock."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def _create_private_file(url: URL) -> None:
    """Create a new SQLite file readable by its owner only: it holds patient data."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(str(url.database))
    if path.exists():
        return
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


def alembic_config() -> Config:
    """Alembic's settings, built in code so that an installed wheel needs no alembic.ini."""
    from alembic.config import Config

    config = Config()
    # Config values go through configparser, where "%" starts an interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def _at_head(engine: Engine) -> bool:
    """True when the schema is already this version's newest (read without Alembic)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [row[0] for row in rows] == [HEAD_REVISION]


def _migrate(engine: Engine, shown: str) -> None:
    if _at_head(engine):
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with _writing(engine).begin() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        unknown = sorted(rev for rev in current if rev not in known)
        if unknown:
            raise DatabaseError(
                f"The database {shown} was made by a newer version of Consult Aid "
                f"(schema revision {', '.join(unknown)}, which this version does not know). "
                "Install the newer version; this one will not change the database."
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _reason(error: BaseException) -> str:
    """The driver's own words, without SQLAlchemy's long help text and statement dump."""
    if isinstance(error, exc.DBAPIError) and error.orig is not None:
        return str(error.orig)
    return str(error).split("\n", 1)[0]
