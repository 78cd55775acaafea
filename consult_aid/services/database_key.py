"""The database key for encryption at rest: from the environment, or the OS keyring.

Encryption at rest (SQLCipher) is for a workstation without full-disk
encryption. It is on when ``CONSULT_AID_ENCRYPT_DATABASE`` is 1 (then
``consult_aid.paths.database_url`` names the SQLCipher driver) or when
``CONSULT_AID_DATABASE_URL`` is a ``sqlite+pysqlcipher`` URL. The key (a
passphrase) comes from ``CONSULT_AID_DATABASE_KEY`` first, so a site can hand
it over from its own secret store, and otherwise from the OS keyring (service
``consult-aid``, entry ``database-key``). A machine with no usable keyring (a
headless one, say) simply has no key there: the error then says where the
key is looked for, and nothing is opened.

The key travels on inside the database URL's password and is never shown: not
in a message, a log line or a ``repr``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import exc, make_url

from consult_aid.paths import ENCRYPT_DATABASE_ENV, encrypt_database
from consult_aid.storage.database import DatabaseError
from consult_aid.storage.encryption import database_path, is_encrypted, keyed_url

DATABASE_KEY_ENV = "CONSULT_AID_DATABASE_KEY"
KEYRING_SERVICE = "consult-aid"
KEYRING_ENTRY = "database-key"

log = logging.getLogger(__name__)


class DatabaseKeyError(DatabaseError):
    """Encryption at rest is asked for but cannot be set up; the message says where to look.

    A ``DatabaseError``, so every caller that reports a database that cannot be
    opened reports this the same way.
    """


def load_database_key(environ: Mapping[str, str]) -> str | None:
    """The key from ``CONSULT_AID_DATABASE_KEY``, else from the OS keyring; None if neither has one.

    Surrounding whitespace is ignored in both. A keyring that cannot be used
    (no backend, locked, refused) counts as having no key.
    """
    return _find_key(environ)[0]


def keyed_database_url(url: str, environ: Mapping[str, str]) -> str:
    """``url`` as it should be opened: unchanged, or with the key when encryption is on.

    A ``sqlite+pysqlcipher`` URL that already carries a password keeps it.

    Raises:
        DatabaseKeyError: encryption is on but no key is found, or the database
            is not a SQLite file.
    """
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return url  # not a URL at all: opening it says so
    asked_by_url = is_encrypted(parsed)
    if not (asked_by_url or encrypt_database(environ)):
        return url
    if database_path(parsed) is None:
        raise DatabaseKeyError(
            "Encryption at rest applies to a SQLite database file only, not "
            f"{parsed.render_as_string(hide_password=True)} "
            "(a database server protects its own storage)."
        )
    if asked_by_url and parsed.password:
        return url
    key, problem = _find_key(environ)
    if key is None:
        raise DatabaseKeyError(_missing_key_message(environ, problem))
    return keyed_url(parsed, key).render_as_string(hide_password=False)


def _find_key(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The key (or None) and, when the keyring could not be used, why."""
    given = environ.get(DATABASE_KEY_ENV, "").strip()
    if given:
        return given, None
    return _from_keyring()


def _from_keyring() -> tuple[str | None, str | None]:
    """The key in the OS keyring (or None) and, when the keyring could not be used, why."""
    try:
        # Imported here: loading the keyring's backends is slow, and only needed now.
        import keyring
        from keyring.errors import NoKeyringError

        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
    except ImportError:
        return None, "the keyring package is not installed"
    except NoKeyringError:
        return None, "this machine has no OS keyring"
    # Backends raise their own errors (D-Bus, a locked or refused keychain):
    # any of them means only "no key from the keyring", never a crash.
    except Exception as error:
        log.warning("the OS keyring could not be read: %s", type(error).__name__)
        return None, f"the OS keyring could not be read: {type(error).__name__}"
    stored = (stored or "").strip()
    return (stored or None), None


def _missing_key_message(environ: Mapping[str, str], problem: str | None) -> str:
    why = (
        f"{ENCRYPT_DATABASE_ENV} is {environ.get(ENCRYPT_DATABASE_ENV, '').strip()!r}"
        if encrypt_database(environ)
        else "the database URL names SQLCipher"
    )
    keyring_note = f"; {problem}" if problem else ""
    return (
        f"Encryption at rest is on ({why}) but no database key was found. The key is "
        f"looked for in the environment variable {DATABASE_KEY_ENV}, then in the OS keyring "
        f'under service "{KEYRING_SERVICE}", entry "{KEYRING_ENTRY}"{keyring_note}. '
        "The database was not opened."
    )
