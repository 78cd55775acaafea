"""A horizontal stacked bar chart drawn with QPainter (the app ships no QtCharts).

Each bar is one topic; each segment is one share. Every segment wide enough
carries its mark and percentage, and a legend names each mark, so the chart
never rests on colour alone. Segments also differ in fill pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class Segment:
    """One kind of share: its legend name, the mark drawn in it, its colour and pattern."""

    name: str
    mark: str
    colour: str
    pattern: Qt.BrushStyle = Qt.BrushStyle.SolidPattern


@dataclass(frozen=True)
class Bar:
    """One row: a label and its shares (fractions 0..1, in the order of the segments)."""

    label: str
    shares: tuple[float, ...]


_ROW = 26
_GAP = 6
_LEGEND = 28
_MARGIN = 8
_LABEL_MAX = 260


class StackedBarChart(QWidget):
    """Horizontal 100% stacked bars with a legend.

    Attributes:
        segments: what each share is.
        bars: the rows drawn, top to bottom.
    """

    def __init__(self, segments: tuple[Segment, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments = segments
        self.bars: list[Bar] = []
        self.setAccessibleName("Coverage chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(400)
        self.setStyleSheet("background: white;")
        self.setAutoFillBackground(True)

    def set_bars(self, bars: list[Bar]) -> None:
        """Draw these rows instead."""
        self.bars = list(bars)
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def describe(self) -> str:
        """The chart in words (for a screen reader and for tests)."""
        lines = []
        for bar in self.bars:
            parts = [
                f"{segment.name} {_percent(share)}"
                for segment, share in zip(self.segments, bar.shares, strict=False)
            ]
            lines.append(f"{bar.label}: " + ", ".join(parts))
        return "\n".join(lines)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Tall enough for every bar and the legend (Qt API)."""
        return QSize(720, _MARGIN * 2 + _LEGEND + len(self.bars) * (_ROW + _GAP))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        """Draw the legend, then one bar per row (Qt API)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = QFontMetrics(self.font())
        self._draw_legend(painter, metrics)
        label_width = min(
            _LABEL_MAX, max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0) + 12
        )
        left = _MARGIN + label_width
        width = max(10.0, self.width() - left - _MARGIN)
        y = _MARGIN + _LEGEND
        for bar in self.bars:
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 12)
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(
                QRectF(_MARGIN, y, label_width - 8, _ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            x = float(left)
            for segment, share in zip(self.segments, bar.shares, strict=False):
                span = width * max(0.0, share)
                if span <= 0:
                    continue
                self._draw_segment(painter, metrics, QRectF(x, y, span, _ROW), segment, share)
                x += span
            painter.setPen(QPen(QColor("#333333"), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(left, y, width, _ROW))
            y += _ROW + _GAP
        painter.end()

    def _draw_segment(
        self, painter: QPainter, metrics: QFontMetrics, box: QRectF, segment: Segment, share: float
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(segment.colour))
        painter.drawRect(box)
        if segment.pattern is not Qt.BrushStyle.SolidPattern:
            painter.setBrush(QBrush(QColor(255, 255, 255, 90), segment.pattern))
            painter.drawRect(box)
        text = f"{segment.mark} {_percent(share)}"
        if metrics.horizontalAdvance(text) + 6 > box.width():
            text = segment.mark if metrics.horizontalAdvance(segment.mark) + 4 < box.width() else ""
        if text:
            # White on a solid strip behind the text keeps it readable over any pattern.
            inner = metrics.boundingRect(text).adjusted(-3, -1, 3, 1)
            inner.moveCenter(box.center().toPoint())
            painter.setBrush(QColor(segment.colour))
            painter.drawRect(inner)
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _draw_legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = float(_MARGIN)
        for segment in self.segments:
            swatch = QRectF(x, _MARGIN + 2, 18, 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(segment.colour))
            painter.drawRect(swatch)
            painter.setPen(QColor("white"))
            painter.drawText(swatch, Qt.AlignmentFlag.AlignCenter, segment.mark)
            painter.setPen(QColor("#1a1a1a"))
            text = f"{segment.mark} {segment.name}"
            painter.drawText(
                QRectF(x + 22, _MARGIN, metrics.horizontalAdvance(text) + 4, 20),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += 22 + metrics.horizontalAdvance(text) + 18


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"
