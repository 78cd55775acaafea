"""The database key: the environment first, then the OS keyring; a clear error if neither has it."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy import make_url

from consult_aid import paths
from consult_aid.services.database_key import (
    DATABASE_KEY_ENV,
    KEYRING_ENTRY,
    KEYRING_SERVICE,
    DatabaseKeyError,
    keyed_database_url,
    load_database_key,
)
from consult_aid.storage.database import DatabaseError

PLAIN = "sqlite:////srv/consult-aid/consult-aid.sqlite3"
ENCRYPT = {paths.ENCRYPT_DATABASE_ENV: "1"}


class MemoryKeyring(KeyringBackend):
    """A keyring held in memory: the keyring library's own way to stand in for the OS one."""

    priority = 1

    def __init__(self, broken: bool = False) -> None:
        self.entries: dict[tuple[str, str], str] = {}
        self.broken = broken

    def get_password(self, service: str, username: str) -> str | None:
        if self.broken:
            raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    """An empty in-memory keyring in place of the OS one for this test."""
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def headless() -> Iterator[None]:
    """No keyring backend at all, as on a server without a desktop session."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # unannotated backend
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_the_environment_wins_over_the_keyring(os_keyring: MemoryKeyring) -> None:
    os_keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, "from the keyring")
    assert load_database_key({DATABASE_KEY_ENV: "  from the environment \n"}) == (
        "from the environment"
    )


def test_the_keyring_is_used_when_the_environment_has_no_key(os_keyring: MemoryKeyring) -> None:
    assert load_database_key({}) is None
    os_keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, "from the keyring")
    assert load_database_key({DATABASE_KEY_ENV: "   "}) == "from the keyring"
    os_keyring.set_password(KEYRING_SERVICE, "another-entry", "not this one")
    assert load_database_key({}) == "from the keyring"


@pytest.mark.usefixtures("headless")
def test_a_machine_without_a_keyring_has_no_key_and_says_where_it_looked() -> None:
    assert load_database_key({}) is None
    with pytest.raises(DatabaseKeyError) as raised:
        keyed_database_url(PLAIN, ENCRYPT)
    message = str(raised.value)
    assert DATABASE_KEY_ENV in message
    assert f'service "{KEYRING_SERVICE}", entry "{KEYRING_ENTRY}"' in message
    assert "no OS keyring" in message
    assert "not opened" in message
    assert isinstance(raised.value, DatabaseError)  # reported like any unopenable database


def test_a_failing_keyring_counts_as_no_key(caplog: pytest.LogCaptureFixture) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring(broken=True))
    try:
        assert load_database_key({}) is None
        with pytest.raises(DatabaseKeyError, match="could not be read: RuntimeError"):
            keyed_database_url(PLAIN, ENCRYPT)
        assert load_database_key({DATABASE_KEY_ENV: "given"}) == "given"
    finally:
        keyring.set_keyring(previous)
    assert "could not be read" in caplog.text


@pytest.mark.usefixtures("headless")
def test_without_encryption_the_url_is_left_alone() -> None:
    assert keyed_database_url(PLAIN, {}) == PLAIN
    assert keyed_database_url(PLAIN, {paths.ENCRYPT_DATABASE_ENV: "0"}) == PLAIN
    assert keyed_database_url("postgresql+psycopg://clinic/consult", {}) == (
        "postgresql+psycopg://clinic/consult"
    )
    # An unknown driver is left for the opening to report, not loaded here.
    assert keyed_database_url("nosuchdb://clinic/consult", {}) == "nosuchdb://clinic/consult"


@pytest.mark.usefixtures("headless")
def test_with_encryption_the_url_names_sqlcipher_and_carries_the_key() -> None:
    key = "p@ss:/word#1"
    for url in (PLAIN, "sqlite+pysqlcipher:////srv/consult-aid/consult-aid.sqlite3"):
        keyed = make_url(keyed_database_url(url, {**ENCRYPT, DATABASE_KEY_ENV: key}))
        assert keyed.get_driver_name() == "pysqlcipher"
        assert keyed.password == key
        assert keyed.database == "/srv/consult-aid/consult-aid.sqlite3"
        assert key not in repr(keyed)


@pytest.mark.usefixtures("headless")
def test_an_sqlcipher_url_asks_for_a_key_by_itself() -> None:
    bare = "sqlite+pysqlcipher:////srv/consult-aid/consult-aid.sqlite3"
    with pytest.raises(DatabaseKeyError, match="names SQLCipher"):
        keyed_database_url(bare, {})
    given = "sqlite+pysqlcipher://:own%20key@//srv/consult-aid/consult-aid.sqlite3"
    assert keyed_database_url(given, {DATABASE_KEY_ENV: "other"}) == given


@pytest.mark.usefixtures("headless")
def test_a_server_database_is_not_encrypted_here() -> None:
    with pytest.raises(DatabaseKeyError, match="SQLite database file only"):
        keyed_database_url(
            "postgresql+psycopg://clinic/consult", {**ENCRYPT, DATABASE_KEY_ENV: "k"}
        )


@pytest.mark.parametrize(
    ("setting", "encrypted"),
    [("1", True), ("yes", True), ("ture", True), ("0", False), ("off", False), ("", False)],
)
def test_the_setting_switches_the_configured_url(
    monkeypatch: pytest.MonkeyPatch, setting: str, encrypted: bool
) -> None:
    monkeypatch.setenv(paths.ENCRYPT_DATABASE_ENV, setting)
    url = make_url(paths.database_url())
    assert (url.get_driver_name() == "pysqlcipher") is encrypted
    assert url.password is None  # the configured URL never holds the key
    monkeypatch.setenv(paths.DATABASE_URL_ENV, "sqlite:///elsewhere.sqlite3")
    assert (make_url(paths.database_url()).get_driver_name() == "pysqlcipher") is encrypted
