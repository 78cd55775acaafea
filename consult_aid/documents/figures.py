"""Figures as a reader sees them: one denominator per section, the band beside the number.

The words come from consult_aid.domain.frequency (express, band_text), so a
leaflet and a record can never say a figure differently; this module only
adds who counted it, where and when.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from consult_aid.domain.content import ContentPack, Topic
from consult_aid.domain.frequency import (
    Comparator,
    Figure,
    FigureKind,
    common_denominator,
    express,
)


def section_denominator(topics: Iterable[Topic]) -> int:
    """The one denominator every figure of these topics is said in."""
    return common_denominator([figure for topic in topics for figure in topic.figures])


def figure_words(figure: Figure, denominator: int) -> str:
    """Say a figure as "about 5 in 1,000 (uncommon)": the number, then its verbal band."""
    return f"{express(figure, denominator)} ({figure.band_text()})"


def figure_origin(figure: Figure, pack: ContentPack) -> str:
    """Whose count it is, of whom, over what time and from where."""
    parts = []
    if figure.kind is FigureKind.SURGEON:
        parts.append("my own results")
    if figure.population and figure.population != "my own patients":
        parts.append(figure.population)
    if figure.period:
        parts.append(figure.period)
    if figure.source_id:
        try:
            parts.append(pack.source(figure.source_id).citation)
        except KeyError:
            parts.append(figure.source_id)
    return "; ".join(parts)


def figure_sentence(figure: Figure, denominator: int, pack: ContentPack) -> str:
    """The full line for one figure: what, how often, and where it comes from."""
    label = figure.label[:1].upper() + figure.label[1:]
    origin = figure_origin(figure, pack)
    tail = f" [{origin}]" if origin else ""
    return f"{label}: {figure_words(figure, denominator)}.{tail}"


def icon_counts(figure: Figure, size: int) -> tuple[int, int] | None:
    """How many of ``size`` people to mark: (certain, up to); None if too few to draw.

    A range marks its lower count in full and the rest of the range in
    outline. "Less than" and "up to" figures mark the bound they name, and the
    caption says which. A figure that is under one person in ``size`` cannot be
    drawn honestly, so it is said in words instead.
    """
    if figure.numerator == 0 and not figure.numerator_high:
        return None
    low = _whole(figure.low_probability * size)
    high = _whole(figure.probability * size)
    if high == 0:
        return None
    if figure.numerator_high is None or figure.comparator is Comparator.LESS_THAN:
        return high, high
    return low, high


def _whole(value: float) -> int:
    return math.floor(value + 0.5)
