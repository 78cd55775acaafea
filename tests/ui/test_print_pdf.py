"""print_pdf without a print system: Qt's PDF printer stands in for paper.

Every page arrives, in order, painted on white; the page range chosen in the
print dialog is honoured; a progress callback can stop the job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter

from consult_aid.ui.documents.printing import PrintFailed, page_image, pdf_document, print_pdf
from tests.ui.sample_pdf import sample_pdf


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_every_page_is_printed(tmp_path: Path, qtbot: Any) -> None:
    out = tmp_path / "printed.pdf"
    assert print_pdf(sample_pdf(4), _pdf_printer(out)) == 4
    assert len(PdfReader(out).pages) == 4


def test_the_page_range_chosen_is_honoured(tmp_path: Path, qtbot: Any) -> None:
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(sample_pdf(4), printer) == 2
    assert len(PdfReader(out).pages) == 2


def test_progress_is_reported_and_can_stop_the_job(tmp_path: Path, qtbot: Any) -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    assert print_pdf(sample_pdf(5), _pdf_printer(tmp_path / "p.pdf"), progress) == 2
    assert seen == [(1, 5), (2, 5)]


def test_pages_are_painted_on_white(qtbot: Any) -> None:
    document, _buffer = pdf_document(sample_pdf(1))
    image = page_image(document, 0, 72)
    assert image.pixelColor(300, 400) == QColor("white")
    assert image.hasAlphaChannel() is False


def test_bytes_that_are_not_a_pdf_are_refused(tmp_path: Path, qtbot: Any) -> None:
    with pytest.raises(PrintFailed):
        print_pdf(b"not a pdf", _pdf_printer(tmp_path / "p.pdf"))
