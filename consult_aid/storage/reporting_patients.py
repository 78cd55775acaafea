"""The records filter's patient search: the patients whose name, NHS or hospital number fits.

The same rules as the patient search (storage.patients): every typed word
begins a word of the folded name, or the text begins the hospital number, or
its digits begin the NHS number. Each of the three is its own query, so each
reads one narrow index of the patients (an NHS number prefix is a range of
its unique index) rather than every patient's row for all three at once.

Every query of a page would otherwise search the patients again, so the
records browser runs the search once (``found_patients``) and hands the ids
found to its queries (``FoundPatients``): on SQLite as one JSON text that
``json_each`` reads back, elsewhere as literal numbers in the SQL. When the
search finds very many patients, the queries search for themselves instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from consult_aid.domain import nhs_number
from consult_aid.storage.models import ConsultationRow, PatientRow
from consult_aid.storage.search_key import fold

_LIKE_ESCAPE = "\\"
# Up to this many patients found are listed in each query by their ids; past it, the
# SQL text would cost more to read than the search it saves.
MAX_LISTED = 5_000


def patients_matching(text: str) -> Select[int] | CompoundSelect[int]:
    """The ids of the patients the typed text finds (one query)."""
    parts = _searches(text, narrowed=False)
    return parts[0] if len(parts) == 1 else union(*parts)


@dataclass(frozen=True, slots=True)
class FoundPatients:
    """The patients a search found, and how a query is handed them.

    Attributes:
        as_json: one JSON text for SQLite's ``json_each`` (which reads thousands of
            ids at once), rather than a literal number each in the SQL text (which
            SQLAlchemy writes out one by one, a query at a time).
    """

    ids: tuple[int, ...]
    as_json: bool

    def condition(self) -> ColumnElement[bool]:
        """The records of these patients."""
        if self.as_json:
            listed = bindparam("found_patients", f"[{','.join(map(str, self.ids))}]", String)
            read: Select[Any] = select(literal_column("value")).select_from(func.json_each(listed))
            return ConsultationRow.patient_id.in_(read)
        # Written into the SQL as numbers: no limit on bound parameters applies.
        numbers: BindParameter[list[int]] = bindparam(
            "found_patients", list(self.ids), expanding=True, literal_execute=True
        )
        return ConsultationRow.patient_id.in_(numbers)


def found_patients(session: Session, text: str, most: int = MAX_LISTED) -> FoundPatients | None:
    """The patients the search finds, or None when there are more than ``most``.

    Each part of the search is its own query (no duplicates to weed out in
    SQL), and on SQLite the hospital number's first character narrows its part
    to one or two ranges of its index.
    """
    dialect = session.get_bind().dialect
    sqlite = dialect.name == "sqlite"
    connection = session.connection()
    found: set[int] = set()
    for part in _searches(text, narrowed=sqlite):
        result = connection.execute(part.limit(most + 1))
        try:
            # The driver's rows as they come: thousands of ids, no row objects.
            found.update(pid for (pid,) in result.cursor.fetchall())
        finally:
            result.close()
        if len(found) > most:
            return None
    # JSON is built into SQLite from 3.38 (and almost always compiled in before).
    version = dialect.server_version_info or ()
    return FoundPatients(tuple(sorted(found)), as_json=sqlite and tuple(version) >= (3, 38))


def _searches(text: str, narrowed: bool) -> list[Select[int]]:
    """One query per way the text can find a patient: name, hospital number, NHS number.

    ``narrowed`` (SQLite only): the hospital number's part also tests ranges
    its index can seek.
    """
    key = PatientRow.search_key
    patient = select(PatientRow.id)
    parts: list[Select[int]] = []
    words = fold(text).split()
    if words:
        # A word begins the name or follows a space in it. The test for the word
        # anywhere is the cheaper, and weeds out most names before the other two.
        starts = [
            and_(
                key.like(f"%{_escape(w)}%", escape=_LIKE_ESCAPE),
                or_(
                    key.like(f"{_escape(w)}%", escape=_LIKE_ESCAPE),
                    key.like(f"% {_escape(w)}%", escape=_LIKE_ESCAPE),
                ),
            )
            for w in words
        ]
        parts.append(patient.where(*starts))
    typed = text.strip().upper()
    hospital = PatientRow.hospital_number
    begins = [hospital.like(_escape(typed) + "%", escape=_LIKE_ESCAPE), hospital != ""]
    if narrowed and typed[:1].isascii():
        begins.append(or_(*[_range(hospital, first) for first in _cases(typed[0])]))
    parts.append(patient.where(*begins))
    digits = nhs_number.normalise(text)
    if digits.isascii() and digits.isdigit():
        nhs = PatientRow.nhs_number
        starts_with = [nhs.like(_escape(digits) + "%", escape=_LIKE_ESCAPE), nhs >= digits]
        if digits.strip("9"):
            # Every number beginning with these digits sorts below the next such
            # digits (in any collation: digits only): a range of the unique index,
            # which LIKE alone cannot seek.
            following = str(int(digits) + 1).zfill(len(digits))
            starts_with.append(nhs < following)
        parts.append(patient.where(*starts_with))
    return parts


def _cases(first: str) -> list[str]:
    """The characters SQLite's LIKE takes for ``first``: both cases of an ASCII letter."""
    if first.isascii() and first.isalpha():
        return [first.upper(), first.lower()]
    return [first]


def _range(column: Any, first: str) -> ColumnElement[bool]:
    """The values that begin with ``first``, as a range (SQLite's binary order)."""
    return and_(column >= first, column < chr(ord(first) + 1))


def patient_condition(text: str, found: FoundPatients | None) -> ColumnElement[bool]:
    """The records of the patients the text finds: by the ids found, or by the search itself."""
    if found is None:
        return ConsultationRow.patient_id.in_(patients_matching(text))
    return found.condition()


def _escape(text: str) -> str:
    """Make LIKE's wildcards in typed text match themselves."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )
