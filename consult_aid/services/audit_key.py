"""The key that signs the audit trail: from the environment, or a private file beside the data.

The key must live outside the database, or whoever can edit the database
could re-sign what they changed. ``CONSULT_AID_AUDIT_KEY`` (hex) wins, so a
site can keep the key in its own secret store; otherwise ``audit.key`` in the
data folder is created on first use, readable by its owner only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

AUDIT_KEY_ENV = "CONSULT_AID_AUDIT_KEY"
KEY_BYTES = 32


class AuditKeyError(Exception):
    """The audit key is missing or unusable; the message says which and what to do."""


def load_audit_key(environ: Mapping[str, str], key_file: Path, *, create: bool = True) -> bytes:
    """The audit key; a new random key is written to ``key_file`` when there is none and ``create``.

    Raises:
        AuditKeyError: the environment's key is not hex, the file is unreadable or
            malformed, or there is no key and ``create`` is False.
    """
    given = environ.get(AUDIT_KEY_ENV, "").strip()
    if given:
        return _from_hex(given, f"{AUDIT_KEY_ENV} in the environment")
    try:
        return _from_hex(key_file.read_text(encoding="ascii").strip(), f"the key file {key_file}")
    except FileNotFoundError:
        if not create:
            raise AuditKeyError(
                f"No audit key: set {AUDIT_KEY_ENV} or restore the key file {key_file}."
            ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise AuditKeyError(f"Cannot read the audit key file {key_file}: {error}") from None
    return _create(key_file)


def _create(key_file: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        # O_EXCL: of two first runs at once, one writes the key and the other reads it.
        descriptor = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return _from_hex(key_file.read_text(encoding="ascii").strip(), f"the key file {key_file}")
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def _from_hex(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise AuditKeyError(f"The audit key in {where} is not hexadecimal.") from None
    if len(key) < 16:
        raise AuditKeyError(f"The audit key in {where} is too short (at least 16 bytes).")
    return key
