"""The columns of a clinic list: their names, the other names exports use, and which are needed.

Header names are matched ignoring case, spaces, dots, dashes and underscores,
so "Date of Birth", "DOB", "d.o.b." and "date_of_birth" are the same column.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Column(StrEnum):
    """A column the reader understands; the value is the name the README documents."""

    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    HOSPITAL_NUMBER = "hospital_number"
    CLINIC_DATE = "clinic_date"
    SURGEON = "surgeon"
    PROCEDURE = "procedure"
    HOSPITAL = "hospital"


REQUIRED = (
    Column.NAME,
    Column.DATE_OF_BIRTH,
    Column.NHS_NUMBER,
    Column.HOSPITAL_NUMBER,
    Column.CLINIC_DATE,
    Column.SURGEON,
)

_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.NAME: ("name", "patient name", "patient", "full name", "patient full name"),
    Column.DATE_OF_BIRTH: ("date of birth", "dob", "birth date", "birthdate", "born"),
    Column.NHS_NUMBER: ("nhs number", "nhs no", "nhs num", "nhs", "nhsno", "nhs nbr"),
    Column.HOSPITAL_NUMBER: (
        "hospital number",
        "hospital no",
        "hosp no",
        "hospital id",
        "mrn",
        "unit number",
        "unit no",
        "case number",
    ),
    Column.CLINIC_DATE: (
        "clinic date",
        "appointment date",
        "appt date",
        "date of clinic",
        "clinic",
        "appointment",
    ),
    Column.SURGEON: ("surgeon", "consultant", "clinician", "surgeon name", "consultant name"),
    Column.PROCEDURE: ("procedure", "variant", "operation", "planned procedure"),
    Column.HOSPITAL: ("hospital", "hospital name", "site"),
}
_SEPARATORS = re.compile(r"[\s._-]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().casefold()).strip()


_BY_KEY = {_key(alias): column for column, aliases in _ALIASES.items() for alias in aliases}
# "d.o.b." folds to "d o b"; the spaced form of every alias is accepted too.
_BY_KEY.update({key.replace(" ", ""): column for key, column in list(_BY_KEY.items())})


def column_for(header: str) -> Column | None:
    """The column a header names, or None for a column the reader does not use."""
    key = _key(header)
    return _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", ""))
