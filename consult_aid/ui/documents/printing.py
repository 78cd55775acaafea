"""Print a PDF (bytes) to a Qt printer, page by page.

Qt has no "send this PDF to the printer" call, so each page is rendered with
QtPdf and painted onto the printer. Painting has to happen on the GUI thread
(QPainter on a QPrinter is not thread-safe), so this is the one document step
that does not run on the service runner; the PDF itself is made there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

# Rendering at a printer's full resolution (often 1200 dpi) would need over half a
# gigabyte per A4 page; 300 dpi keeps text crisp on paper at about 35 MB a page.
MAX_RENDER_DPI = 300

Progress = Callable[[int, int], bool]


class PrintFailed(RuntimeError):
    """The PDF could not be read or the printer could not be started."""


def pdf_document(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """Load PDF bytes into a QPdfDocument; keep the buffer alive as long as the document."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintFailed(f"the PDF could not be read ({document.error().name})")
    return document, buffer


def page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """One page rendered at ``dpi``, on white.

    QtPdf renders onto a transparent image; some printer drivers turn the
    transparent parts black, so the page is flattened onto white paper here.
    """
    points = document.pagePointSize(page)
    width, height = (max(1, round(side * dpi / 72)) for side in (points.width(), points.height()))
    size = QSize(width, height)
    rendered = document.render(page, size)
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper


def pages_to_print(printer: QPrinter, page_count: int) -> range:
    """The pages (0-based) the user asked for: all, or the range chosen in the print dialog."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return range(first - 1, last)
    return range(page_count)


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress | None = None) -> int:
    """Print ``pdf`` on ``printer``; return the number of pages sent.

    ``progress(done, total)`` is called after each page; returning False stops
    the job and aborts it at the printer, so no part of it is printed.
    """
    document, _buffer = pdf_document(pdf)
    pages = pages_to_print(printer, document.pageCount())
    # The PDF carries its own margins: map it onto the whole sheet, not the printable area.
    printer.setFullPage(True)
    if printer.resolution() < MAX_RENDER_DPI:
        # A QPrinter made in Qt's default (screen) mode prints at 96 dpi: blurred text.
        printer.setResolution(MAX_RENDER_DPI)
    dpi = min(printer.resolution(), MAX_RENDER_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(f"the printer {printer.printerName()!r} could not be started")
    printed = 0
    try:
        for page in pages:
            if printed:
                printer.newPage()
            target = _fit(document, page, printer)
            painter.drawImage(target, page_image(document, page, dpi))
            printed += 1
            if progress is not None and not progress(printed, len(pages)):
                printer.abort()
                break
    finally:
        painter.end()
        document.close()
    return printed


def _fit(document: QPdfDocument, page: int, printer: QPrinter) -> QRectF:
    """Where the page goes on the sheet: true size when it fits, else shrunk; centred."""
    sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
    points = document.pagePointSize(page)
    scale = printer.resolution() / 72
    width, height = points.width() * scale, points.height() * scale
    shrink = min(1.0, sheet.width() / width, sheet.height() / height)
    width, height = width * shrink, height * shrink
    left = (sheet.width() - width) / 2
    top = (sheet.height() - height) / 2
    return QRectF(left, top, width, height)
