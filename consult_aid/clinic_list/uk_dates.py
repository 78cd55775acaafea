"""Dates as UK clinic lists write them: day first, with a two-digit year where it must.

A two-digit year is read for a date of birth as the most recent year that is
not in the future (so "03/04/25" read in 2026 is 2025, and "03/04/41" is 1941),
and for a clinic date as this century. A date of birth never comes out in the
future from a two-digit year.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_NAMED_MONTH = re.compile(r"^(\d{1,2})[ .-]([A-Za-z]{3,9})\.?[ .-](\d{4}|\d{2})$")
# Spreadsheets often append a midnight time to a date cell; it carries nothing.
_MIDNIGHT = re.compile(r"\s+00:00(:00)?$")

EXPECTED = "dd/mm/yyyy or yyyy-mm-dd"


class NotADate(ValueError):
    """The text is not a date in any accepted form; the message says what was expected."""


def parse_uk_date(text: str, today: date, *, birth: bool) -> date:
    """Read a date written the UK way; ``birth`` picks the two-digit-year rule.

    Raises:
        NotADate: the text is not an accepted date, or names a day that does not exist.
    """
    cleaned = _MIDNIGHT.sub("", text.strip())
    iso = _ISO.match(cleaned)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), text)
    day_first = _DAY_FIRST.match(cleaned)
    if day_first:
        year_text = day_first[4]
        day, month = int(day_first[1]), int(day_first[3])
    else:
        named = _NAMED_MONTH.match(cleaned)
        if not named or named[2].lower() not in _MONTHS:
            raise NotADate(f"{text.strip()!r} is not a date: write it as {EXPECTED}.")
        year_text = named[3]
        day, month = int(named[1]), _MONTHS[named[2].lower()]
    if len(year_text) == 4:
        return _make(int(year_text), month, day, text)
    return _two_digit_year(int(year_text), month, day, today, birth, text)


def _two_digit_year(short: int, month: int, day: int, today: date, birth: bool, text: str) -> date:
    century = today.year // 100 * 100
    found = _make(century + short, month, day, text)
    if birth and found > today:
        found = _make(century - 100 + short, month, day, text)
    return found


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADate(
            f"{text.strip()!r} is not a real date (the day comes first: {EXPECTED})."
        ) from None
