"""CSV files for exports: cells safe to open in a spreadsheet, written whole or not at all.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheets skip before reading a formula) would be run as
a formula when the file is opened: a note typed as ``=HYPERLINK(...)`` could
leak data or mislead the reader. Such cells get a leading single quote, which
spreadsheets show as text (OWASP's advice on CSV injection).

The file is written to a temporary name in the target folder and renamed over
the target only once complete, so a crash, an error or a cancel leaves the old
file (or none) rather than half a file.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell's text, with a leading quote where a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def quoted(text: str) -> str:
    """A cell as the csv module writes it: in double quotes (doubled inside) only where needed.

    Needed, as for the csv module's default (excel) dialect, when the text holds
    the delimiter, a double quote, or a line break.
    """
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


class CsvRows:
    """Writes neutralised rows to an open CSV file."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self._writer = csv.writer(handle)

    def write(self, row: Iterable[object]) -> None:
        """Write one row, every cell neutralised."""
        self._writer.writerow([neutralise(cell) for cell in row])

    def write_many(self, rows: Iterable[Iterable[object]]) -> None:
        """Write several rows."""
        self._writer.writerows([neutralise(cell) for cell in row] for row in rows)

    def write_text(self, text: str) -> None:
        """Write lines made elsewhere, each cell already neutralised and quoted (``quoted``)."""
        self._handle.write(text)


@contextlib.contextmanager
def atomic_csv(path: Path) -> Iterator[CsvRows]:
    """Open a CSV that takes ``path``'s name only if the block finishes without an exception.

    UTF-8 with a byte-order mark, so that spreadsheets read accented names rightly.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=".consult-aid-", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
            yield CsvRows(handle)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise
