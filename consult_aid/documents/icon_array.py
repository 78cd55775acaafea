"""Icon arrays: grouped, people-shaped icons, filled from the bottom.

Galesic, Garcia-Retamero & Gigerenzer (2009) and Zikmund-Fisher (2014): people
read a risk best from a block of figures with the affected ones together,
counted from the bottom, with the number written beside it. 100 figures make
one block of 10 by 10; 1,000 figures make ten such blocks, five across.

Drawing 1,000 icons one by one through the canvas is slow in Python, so the
page operators of an array are built once per figure, cached, and written as
they are: the same figures recur in every patient's leaflet.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from reportlab.platypus import Flowable

BLOCK = 10  # icons per side of a block
_HEIGHT_RATIO = 1.3  # an icon is taller than it is wide
GAP = 6.0  # between blocks of 100


class Mark(StrEnum):
    """How one icon is drawn."""

    AFFECTED = "affected"  # solid black
    RANGE = "range"  # black outline, white inside: "possibly, within the range"
    UNAFFECTED = "unaffected"  # solid light grey


class IconArray(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A block of ``size`` icons (100 or 1,000), ``certain`` solid and up to ``upto`` outlined."""

    def __init__(self, size: int, certain: int, upto: int, max_width: float) -> None:
        super().__init__()
        if size not in (100, 1_000):
            raise ValueError("an icon array holds 100 or 1,000 icons")
        if not 0 <= certain <= upto <= size:
            raise ValueError("icon counts must satisfy 0 <= certain <= upto <= size")
        self.size, self.certain, self.upto = size, certain, upto
        self.columns = BLOCK if size == 100 else BLOCK * 5
        self.rows = size // self.columns
        blocks_across = self.columns // BLOCK
        self.gap = GAP
        cell = (max_width - (blocks_across - 1) * self.gap) / self.columns
        self.cell = round(min(cell, 16.0 if size == 100 else 8.6), 2)
        self.cell_height = round(self.cell * _HEIGHT_RATIO, 2)
        self.width = self.columns * self.cell + (blocks_across - 1) * self.gap
        self.height = self.rows * self.cell_height + (self.rows // BLOCK - 1) * self.gap
        self.hAlign = "LEFT"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The array's fixed size."""
        return self.width, self.height

    def mark(self, index: int) -> Mark:
        """How the icon at ``index`` (0 = bottom left, along the rows, then up) is drawn."""
        return mark_at(index, self.certain, self.upto)

    def draw(self) -> None:
        """Paint the cached operators: one path per kind of mark."""
        self.canv.addLiteral(_operators(self.size, self.certain, self.upto, self.cell))


def mark_at(index: int, certain: int, upto: int) -> Mark:
    """How the icon at ``index`` (0 = bottom left, along the rows, then up) is drawn."""
    if index < certain:
        return Mark.AFFECTED
    if index < upto:
        return Mark.RANGE
    return Mark.UNAFFECTED


@lru_cache(maxsize=64)
def _operators(size: int, certain: int, upto: int, cell: float) -> str:
    """PDF page operators drawing a whole array (cached: the same figures recur).

    A head is a dot and a body a short thick stroke, both with round caps: a
    person in two tiny path segments, so an array of 1,000 stays small to
    write, compress and read back. Outlined icons are a black shape with a
    slightly thinner white one on top.
    """
    columns = BLOCK if size == 100 else BLOCK * 5
    height = round(cell * _HEIGHT_RATIO, 2)
    heads: dict[Mark, list[str]] = {mark: [] for mark in Mark}
    bodies: dict[Mark, list[str]] = {mark: [] for mark in Mark}
    body_width = cell * 0.56
    for index in range(size):
        row, column = divmod(index, columns)
        cx = column * cell + (column // BLOCK) * GAP + cell / 2
        y = row * height + (row // BLOCK) * GAP
        mark = mark_at(index, certain, upto)
        head_y = y + height * 0.8
        heads[mark].append(f"{cx:.1f} {head_y:.1f} m {cx:.1f} {head_y:.1f} l")
        low, high = y + height * 0.08 + body_width / 2, y + height * 0.6 - body_width / 2
        bodies[mark].append(f"{cx:.1f} {low:.1f} m {cx:.1f} {high:.1f} l")
    head_width = cell * 0.42
    outline = max(0.5, cell * 0.09)
    ops = ["1 J"]  # round caps turn a dot into a disc and a stroke into a rounded body
    layers = [
        (Mark.UNAFFECTED, "0.741 G", 0.0),
        (Mark.AFFECTED, "0 G", 0.0),
        (Mark.RANGE, "0 G", 0.0),
        (Mark.RANGE, "1 G", outline * 2),  # the white inside of an outlined figure
    ]
    for mark, grey, inset in layers:
        if not heads[mark]:
            continue
        ops += [grey, f"{head_width - inset:.2f} w", *heads[mark], "S"]
        ops += [f"{body_width - inset:.2f} w", *bodies[mark], "S"]
    return "\n".join(ops)
