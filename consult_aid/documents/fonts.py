"""The embedded Unicode font, registered with ReportLab once per process.

ReportLab's built-in fonts print boxes for names such as "Nguyễn Thị Minh
Khai" or Greek and Cyrillic text, so every document uses DejaVu Sans, shipped
in resources/fonts with its licence and embedded (subset) in each PDF.
"""

from __future__ import annotations

import threading
import zlib

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from consult_aid.paths import resources_dir

REGULAR = "ConsultAidSans"
BOLD = "ConsultAidSans-Bold"

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the regular and bold faces; later calls do nothing."""
    global _registered  # a once-per-process flag
    if _registered:
        return
    with _lock:
        if _registered:  # another thread won the race while this one waited
            return
        folder = resources_dir() / "fonts"
        pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
        # Map <b> and <i> in Paragraph markup onto the two faces; there is no
        # italic body text (RNIB Clear Print), so italic falls back to upright.
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, face)
        # ASCII85 stream encoding is for 7-bit mail; in pure Python (no C
        # accelerator in the wheel) it took most of a leaflet's build time.
        # Binary streams are standard PDF; this is a process-wide ReportLab
        # setting, and this package is ReportLab's only user in the app.
        rl_config.useA85 = 0
        # Flate at zlib's fastest level: a third of a leaflet's build time went
        # into compressing at the default level, for files only ~5% smaller.
        # Every stream reads this module attribute when it is written.
        pdfdoc.PDFZCompress = _FastFlate()
        _registered = True


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """FlateDecode streams compressed at zlib level 1 (still standard PDF)."""

    def encode(self, text: str | bytes) -> bytes:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return zlib.compress(data, 1)
