"""Times as printed: UK local time with its offset from UTC, so a reader never has to guess.

Times are stored in UTC. A record read years later must say which clock it
used (hazard 11: clock changes), so every printed time carries its offset,
"15/06/2024 10:30 (UTC+01:00)". UK practice means the Europe/London zone;
where the time-zone database is missing, times print in UTC, which is still
correct and still labelled.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:
        return UTC


_ZONE = _zone()


def local(moment: datetime) -> datetime:
    """The moment on the UK clock (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_ZONE)


def offset_text(moment: datetime) -> str:
    """The moment's offset from UTC: "UTC+01:00"."""
    offset = local(moment).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def date_time_text(moment: datetime) -> str:
    """Date and time as "15/06/2024 10:30 (UTC+01:00)"."""
    return f"{local(moment):%d/%m/%Y %H:%M} ({offset_text(moment)})"


def time_text(moment: datetime) -> str:
    """Time of day as "10:30 (UTC+01:00)"."""
    return f"{local(moment):%H:%M} ({offset_text(moment)})"


def date_text(moment: datetime) -> str:
    """The date as "15/06/2024" on the UK clock."""
    return f"{local(moment):%d/%m/%Y}"
