"""NHS number rules: ten digits, modulus-11 check digit, shown as 3-3-4.

Kept here rather than taken from a package: it is a ten-line domain rule, the
domain layer stays standard-library only, and the packaged checkers accept
0000000000, which no patient holds.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]+")


def normalise(text: str) -> str:
    """Return the digits of an NHS number as typed, without spaces or dashes."""
    return _SEPARATORS.sub("", text.strip())


def problem(text: str) -> str | None:
    """Say what is wrong with a typed NHS number, or None when it is valid."""
    digits = normalise(text)
    if not digits:
        return "Enter the NHS number (10 digits)."
    if not digits.isascii() or not digits.isdigit():
        return "An NHS number holds only digits (spaces are allowed)."
    if len(digits) != 10:
        return f"An NHS number has 10 digits; this one has {len(digits)}."
    if len(set(digits)) == 1:
        return "An NHS number cannot be one digit repeated."
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "This NHS number fails its check digit: check it against the letter or record."
    return None


def is_valid(text: str) -> bool:
    """True when the typed text is a valid NHS number."""
    return problem(text) is None


def display(digits: str) -> str:
    """Show a stored NHS number as 3-3-4 (for example 943 476 5919)."""
    d = normalise(digits)
    if len(d) != 10:
        return d
    return f"{d[:3]} {d[3:6]} {d[6:]}"
