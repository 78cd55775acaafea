"""Signing in from the command line: ``--user NAME``, and the password asked for or given.

The command-line tools act in a person's name like the window does, so they
sign in through the same service, with the same slowing down and auditing of
wrong passwords. The password is asked for without echo on a terminal; a
script may set ``CONSULT_AID_PASSWORD`` instead (its run is then as safe as
the environment it keeps that in).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

PASSWORD_VARIABLE = "CONSULT_AID_PASSWORD"  # noqa: S105 - the variable's name, not a secret


class CredentialsError(Exception):
    """No password can be had (no terminal to ask on, and none in the environment)."""


def read_password(
    username: str,
    environ: Mapping[str, str],
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> str:
    """The password for ``username``: from the environment, else asked on the terminal."""
    given = environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    stream = sys.stdin if stdin is None else stdin
    if stream is None or not stream.isatty():
        raise CredentialsError(
            f"no password for {username!r}: run this at a terminal to be asked for it, "
            f"or set {PASSWORD_VARIABLE}."
        )
    return prompt(f"Password for {username}: ")
