"""Where the app reads its resources and writes its data: nothing else builds paths.

User data (database, logs, settings) goes to the platform's user data folder,
or wholly to ``CONSULT_AID_DATA_DIR`` when that is set. Resources are found
the same way from a source tree (``resources/`` beside the package) and from
an installed wheel (``consult_aid/resources``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "ConsultAid"
DATA_DIR_ENV = "CONSULT_AID_DATA_DIR"
DATABASE_URL_ENV = "CONSULT_AID_DATABASE_URL"
ENCRYPT_DATABASE_ENV = "CONSULT_AID_ENCRYPT_DATABASE"
_OFF = frozenset({"", "0", "false", "no", "off"})

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The resources folder: inside the package when installed, beside it in a checkout."""
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "procedures").is_dir():
            return candidate
    raise FileNotFoundError(
        "Consult Aid's resources folder is missing: reinstall the app or run it from its source."
    )


def procedures_dir() -> Path:
    """The bundled content packs."""
    return resources_dir() / "procedures"


def data_dir() -> Path:
    """The one folder everything the app writes goes to; created owner-only."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    folder = (
        Path(override).expanduser()
        if override
        else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    owner_only(folder)
    return folder


def owner_only(folder: Path) -> None:
    """Make a folder of ours readable by its owner alone (mkdir's mode skips existing ones)."""
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def logs_dir() -> Path:
    """Log files, inside the data folder."""
    folder = data_dir() / "logs"
    folder.mkdir(exist_ok=True, mode=0o700)
    owner_only(folder)
    return folder


def settings_file() -> Path:
    """The window and app settings (Qt INI format), inside the data folder."""
    return data_dir() / "settings.ini"


def encrypt_database(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``CONSULT_AID_ENCRYPT_DATABASE`` asks for encryption at rest.

    Anything but unset, 0, false, no or off counts as yes: a typo must never
    leave the database unencrypted.
    """
    return environ.get(ENCRYPT_DATABASE_ENV, "").strip().lower() not in _OFF


def database_url() -> str:
    """The database to use: ``CONSULT_AID_DATABASE_URL`` or SQLite in the data folder.

    With encryption at rest asked for, a SQLite URL names the SQLCipher driver.
    It carries no key: ``consult_aid.services.database_key`` adds one, and an
    encrypted database is never opened without it.
    """
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        url = f"sqlite:///{(data_dir() / 'consult-aid.sqlite3').as_posix()}"
    if encrypt_database():
        for plain in ("sqlite://", "sqlite+pysqlite://"):
            if url.startswith(plain):
                return "sqlite+pysqlcipher://" + url.removeprefix(plain)
    return url


def audit_key_file() -> Path:
    """The audit trail's signing key, in the data folder (created owner-only on first use)."""
    return data_dir() / "audit.key"
