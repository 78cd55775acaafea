"""A leaflet-sized PDF made with Qt's own PDF writer, for printing tests that need no services."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter


def sample_pdf(pages: int, name: str = "Ann Smith") -> bytes:
    """An A4 PDF of ``pages`` pages, each saying whose it is and which page it is."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
        )
    )
    writer.setResolution(72)
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 14))
    for page in range(1, pages + 1):
        if page > 1:
            writer.newPage()
        painter.drawText(20, 40, f"{name} - page {page} of {pages}")
        painter.drawRect(20, 60, 450, 680)
    painter.end()
    buffer.close()
    return bytes(data.data())
