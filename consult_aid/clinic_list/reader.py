"""Read a clinic list CSV into checked rows, each bad cell named by line and column.

The whole file is checked before anything is done with it: the encoding, the
header, every cell, and NHS numbers repeated within the file. File-level
faults (not UTF-8, empty, no header, missing columns) raise ``ClinicListError``;
a bad cell makes its row bad and is listed, and the other rows stay usable.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from consult_aid.clinic_list.columns import REQUIRED, Column, column_for
from consult_aid.clinic_list.uk_dates import NotADate, parse_uk_date
from consult_aid.domain import nhs_number
from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.people import PatientDraft

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_UTF8 = "save it as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8)"
# PatientDraft's field names are the columns' own names.
_PATIENT_FIELDS = (Column.NAME, Column.DATE_OF_BIRTH, Column.NHS_NUMBER, Column.HOSPITAL_NUMBER)


class ClinicListError(Exception):
    """The file as a whole cannot be read as a clinic list.

    Attributes:
        line: the line at fault, when there is one.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class CellProblem:
    """What is wrong with one cell: its line, its column (as headed in the file) and why."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column!r}: {self.message}"


@dataclass(frozen=True, slots=True)
class ClinicListRow:
    """One patient line of the list.

    Attributes:
        line: where the row starts in the file (the header is line 1).
        cells: the text of each understood column, as written.
        draft: the patient, validated; None when a patient field is bad.
        clinic_date: the appointment, when given and valid.
        surgeon: the surgeon as written.
        procedure: the procedure as written ("" when the file has no such column).
        hospital: the hospital as written ("" when the file has no such column).
        problems: every bad cell of this row; none means the row is good.
    """

    line: int
    cells: Mapping[Column, str]
    draft: PatientDraft | None
    clinic_date: date | None
    surgeon: str
    procedure: str
    hospital: str
    problems: tuple[CellProblem, ...]

    @property
    def ok(self) -> bool:
        """True when every cell of the row is good."""
        return not self.problems and self.draft is not None


@dataclass(frozen=True, slots=True)
class ClinicList:
    """A whole clinic list, checked.

    Attributes:
        source: the file's name (not its folder), for messages.
        headers: each understood column and the header it has in the file.
        rows: every patient row, in file order.
    """

    source: str
    headers: Mapping[Column, str]
    rows: tuple[ClinicListRow, ...]

    @property
    def problems(self) -> list[CellProblem]:
        """Every bad cell in the file, in file order."""
        return [problem for row in self.rows for problem in row.problems]

    @property
    def good_rows(self) -> list[ClinicListRow]:
        """The rows with nothing wrong."""
        return [row for row in self.rows if row.ok]


def read_clinic_list_file(path: Path, today: date) -> ClinicList:
    """Read and check the clinic list in ``path``; nothing is written anywhere.

    Raises:
        ClinicListError: the file cannot be read, is not UTF-8, is empty, or lacks a column.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ClinicListError(
            f"Cannot read the clinic list {path.name}: {error.strerror or error}"
        ) from None
    return parse_clinic_list(raw, path.name, today)


def parse_clinic_list(raw: bytes, source: str, today: date) -> ClinicList:
    """Check a clinic list given as the bytes of a CSV file; ``source`` names it in messages.

    Raises:
        ClinicListError: as for ``read_clinic_list_file``.
    """
    text = _decode(raw, source)
    if not text.strip():
        raise ClinicListError(f"The clinic list {source} is empty: it has no header and no rows.")
    records = _NumberedRecords(text)
    header_line, header = next(records)
    headers, positions = _columns(header, header_line, source)
    rows = [
        _row(line, cells, headers, positions, today)
        for line, cells in records
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise ClinicListError(
            f"The clinic list {source} has a header but no patients.", header_line
        )
    return ClinicList(source, headers, tuple(_mark_repeats(rows, headers)))


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith(_UTF16_BOMS):
        raise ClinicListError(
            f"The clinic list {source} is UTF-16 text, not UTF-8: {_SAVE_AS_UTF8}."
        )
    body = raw.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        byte = body[error.start : error.start + 1].hex().upper()
        raise ClinicListError(
            f"The clinic list {source} is not UTF-8 text: line {line} holds the byte 0x{byte}, "
            f"which suggests another encoding (such as Windows-1252); {_SAVE_AS_UTF8}.",
            line,
        ) from None


class _NumberedRecords:
    """CSV records with the line each starts on (a quoted cell may span lines)."""

    def __init__(self, text: str) -> None:
        first_line = text.split("\n", 1)[0]
        delimiter = ","
        # Some exports separate with semicolons or tabs; the header shows which.
        if "," not in first_line:
            delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        self._ended = 0

    def __iter__(self) -> _NumberedRecords:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        start = self._ended + 1
        try:
            cells = next(self._reader)
        except csv.Error as error:
            raise ClinicListError(
                f"Line {self._reader.line_num} is not valid CSV ({error}).", self._reader.line_num
            ) from None
        self._ended = self._reader.line_num
        return start, cells


def _columns(
    header: list[str], line: int, source: str
) -> tuple[dict[Column, str], dict[Column, int]]:
    headers: dict[Column, str] = {}
    positions: dict[Column, int] = {}
    for position, title in enumerate(header):
        column = column_for(title)
        if column is None:
            continue
        if column in headers:
            raise ClinicListError(
                f"Line {line} of {source} has two columns for {column.value}: "
                f"{headers[column]!r} and {title.strip()!r}. Keep one.",
                line,
            )
        headers[column] = title.strip()
        positions[column] = position
    missing = [column.value for column in REQUIRED if column not in headers]
    if missing:
        found = ", ".join(repr(title.strip()) for title in header if title.strip()) or "nothing"
        raise ClinicListError(
            f"The header (line {line}) of {source} lacks the column(s) {', '.join(missing)}; "
            f"it has {found}. The first line must name the columns (see the README).",
            line,
        )
    return headers, positions


def _row(
    line: int,
    cells: list[str],
    headers: Mapping[Column, str],
    positions: Mapping[Column, int],
    today: date,
) -> ClinicListRow:
    text = {
        column: cells[position].strip() if position < len(cells) else ""
        for column, position in positions.items()
    }
    problems: dict[Column, str] = {}
    born = _date(text[Column.DATE_OF_BIRTH], today, birth=True, problems=problems)
    clinic_date = _date(text[Column.CLINIC_DATE], today, birth=False, problems=problems)
    if not text[Column.CLINIC_DATE]:
        problems[Column.CLINIC_DATE] = "Enter the clinic date."
    if not text[Column.SURGEON]:
        problems[Column.SURGEON] = "Enter the surgeon."
    draft: PatientDraft | None = None
    try:
        draft = PatientDraft(
            name=text[Column.NAME],
            date_of_birth=born,
            nhs_number=text[Column.NHS_NUMBER],
            hospital_number=text[Column.HOSPITAL_NUMBER],
        ).validated(today)
    except InvalidInput as error:
        for field, message in error.problems.items():
            # A date that did not parse already says why, better than "enter it".
            problems.setdefault(Column(field), message)
    listed = tuple(
        CellProblem(line, headers[column], problems[column])
        for column in sorted(problems, key=positions.__getitem__)
    )
    return ClinicListRow(
        line=line,
        cells=text,
        draft=None if listed else draft,
        clinic_date=clinic_date,
        surgeon=" ".join(text[Column.SURGEON].split()),
        procedure=text.get(Column.PROCEDURE, ""),
        hospital=" ".join(text.get(Column.HOSPITAL, "").split()),
        problems=listed,
    )


def _date(text: str, today: date, *, birth: bool, problems: dict[Column, str]) -> date | None:
    if not text:
        return None
    column = Column.DATE_OF_BIRTH if birth else Column.CLINIC_DATE
    try:
        return parse_uk_date(text, today, birth=birth)
    except NotADate as error:
        problems[column] = str(error)
        return None


def _mark_repeats(rows: list[ClinicListRow], headers: Mapping[Column, str]) -> list[ClinicListRow]:
    """Report every row whose NHS number appears on another row too: which is right is unknown."""
    lines_by_number: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        digits = nhs_number.normalise(row.cells[Column.NHS_NUMBER])
        if digits:
            lines_by_number[digits].append(row.line)
    marked = []
    for row in rows:
        digits = nhs_number.normalise(row.cells[Column.NHS_NUMBER])
        others = [line for line in lines_by_number.get(digits, []) if line != row.line]
        if not others or any(p.column == headers[Column.NHS_NUMBER] for p in row.problems):
            marked.append(row)
            continue
        where = ", ".join(str(line) for line in others)
        problem = CellProblem(
            row.line,
            headers[Column.NHS_NUMBER],
            f"NHS number {nhs_number.display(digits)} is also on line {where}: "
            "one row per patient (check which is right).",
        )
        marked.append(replace(row, draft=None, problems=(*row.problems, problem)))
    return marked
