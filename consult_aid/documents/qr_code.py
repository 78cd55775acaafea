"""The recovery app's QR code, built once per link and drawn as a form.

The link is an app setting, the same for every patient. Drawing ReportLab's
QR widget walks hundreds of shapes per page (about 20 ms), so the widget's
dark modules are turned into one PDF path once per link and cached; each
document then defines that path as a form, named after the link's hash (tests
find the name in the page's resources), and places it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Rect
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


def form_name(url: str) -> str:
    """The PDF form name a QR code for ``url`` is drawn as."""
    return "CaQr" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class QrPicture:
    """A QR code ready to draw: the widget it came from and its page operators."""

    widget: QrCodeWidget
    operators: str

    @property
    def value(self) -> str:
        """The text the code encodes, read back from the widget."""
        return str(self.widget.value)


@lru_cache(maxsize=8)
def qr_picture(url: str, side: float) -> QrPicture:
    """The QR code for ``url``, ``side`` points square, as one filled path (cached)."""
    widget = QrCodeWidget(url, barLevel="M", barWidth=side, barHeight=side, barBorder=2)
    parts = ["0 0 0 rg"]
    for shape in widget.draw().contents:
        # The widget's first Rect is its unfilled frame; the rest are dark runs.
        if isinstance(shape, Rect) and shape.fillColor is not None:
            parts.append(f"{shape.x:.3f} {shape.y:.3f} {shape.width:.3f} {shape.height:.3f} re")
    parts.append("f")
    return QrPicture(widget, "\n".join(parts))


class QrCode(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A QR code of a fixed side for one link."""

    def __init__(self, url: str, side: float) -> None:
        super().__init__()
        self.url, self.side = url, side
        self.hAlign = "LEFT"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The code's fixed size."""
        return self.side, self.side

    def draw(self) -> None:
        """Define the cached path as a form once per document, then place it."""
        canvas: Canvas = self.canv
        name = form_name(self.url)
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.side, self.side)
            canvas.addLiteral(qr_picture(self.url, self.side).operators)
            canvas.endForm()
        canvas.doForm(name)
