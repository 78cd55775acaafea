"""How often a thing happens: figures, verbal bands and shared denominators.

A figure is always a count out of a denominator ("6 in 1,307"). The verbal
band (EU / Calman) is derived from that number here and never typed by hand,
so a pack cannot call a 2 in 100 risk "uncommon".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Band(StrEnum):
    """EU / Calman verbal bands, most frequent first."""

    VERY_COMMON = "very common"
    COMMON = "common"
    UNCOMMON = "uncommon"
    RARE = "rare"
    VERY_RARE = "very rare"


class Comparator(StrEnum):
    """How the count relates to the truth."""

    EXACTLY = "exactly"
    ABOUT = "about"
    LESS_THAN = "less_than"
    UP_TO = "up_to"


class FigureKind(StrEnum):
    """Whose number it is."""

    SURGEON = "surgeon"
    PUBLISHED = "published"


# Lower bounds of each band (inclusive), from the most frequent down.
_BAND_FLOORS: tuple[tuple[float, Band], ...] = (
    (1 / 10, Band.VERY_COMMON),
    (1 / 100, Band.COMMON),
    (1 / 1_000, Band.UNCOMMON),
    (1 / 10_000, Band.RARE),
)

# Denominators a section may share, smallest first.
DENOMINATORS: tuple[int, ...] = (100, 1_000, 10_000, 100_000)


def band_for(probability: float) -> Band:
    """Return the verbal band of a probability between 0 and 1."""
    if not 0.0 <= probability <= 1.0 or math.isnan(probability):
        raise ValueError(f"probability {probability!r} is outside 0 to 1")
    for floor, band in _BAND_FLOORS:
        # A tiny tolerance so that 1/100 computed as 0.00999... stays "common".
        if probability >= floor * (1 - 1e-9):
            return band
    return Band.VERY_RARE


def _band_below(probability: float) -> Band:
    """Band of a value just under the given bound ("less than 1 in 100")."""
    return band_for(max(0.0, probability * (1 - 1e-6)))


@dataclass(frozen=True, slots=True)
class Figure:
    """One quoted frequency.

    Attributes:
        label: what is counted, in plain words ("cement seen outside the bone on scans").
        numerator: how many (the lower end when a range).
        denominator: out of how many.
        numerator_high: upper end of a range ("10 to 35 in 100"), else None.
        comparator: exactly / about / less than / up to.
        kind: the surgeon's own figure or a published one.
        population: who was counted.
        period: over what time.
        source_id: key into the pack's sources (None for the surgeon's own audit).
    """

    label: str
    numerator: int
    denominator: int
    numerator_high: int | None = None
    comparator: Comparator = Comparator.ABOUT
    kind: FigureKind = FigureKind.PUBLISHED
    population: str = ""
    period: str = ""
    source_id: str | None = None

    def __post_init__(self) -> None:
        if self.denominator <= 0:
            raise ValueError("a figure needs a denominator greater than 0")
        if self.numerator < 0:
            raise ValueError("a figure cannot count fewer than 0")
        high = self.numerator if self.numerator_high is None else self.numerator_high
        if high < self.numerator:
            raise ValueError("the top of a range is below its bottom")
        if high > self.denominator:
            raise ValueError("a figure cannot exceed its denominator (probability above 1)")

    @property
    def probability(self) -> float:
        """The central (or only) probability; the upper end for a range."""
        high = self.numerator if self.numerator_high is None else self.numerator_high
        return high / self.denominator

    @property
    def low_probability(self) -> float:
        """The lower end of the figure."""
        return self.numerator / self.denominator

    @property
    def upper_bound(self) -> float:
        """A probability the truth is unlikely to exceed.

        A count of none is not a risk of none: the "rule of three" gives the
        95% upper bound 3/n, which is what the band is taken from.
        """
        if self.numerator == 0 and self.numerator_high in (None, 0):
            return min(1.0, 3 / self.denominator)
        return self.probability

    def band_text(self) -> str:
        """The verbal band, derived from the number (never typed by hand)."""
        if self.numerator == 0 and self.numerator_high in (None, 0):
            return f"{_band_below(self.upper_bound).value} or rarer"
        if self.comparator is Comparator.LESS_THAN:
            return f"{_band_below(self.probability).value} or rarer"
        low = band_for(self.low_probability)
        high = band_for(self.probability)
        if low is high:
            return high.value
        return f"{low.value} to {high.value}"


def _shown_count(value: float) -> tuple[float, int]:
    """The count a person reads, and how many decimals it is shown with.

    A whole number (halves rounded up: 4.59 reads "5"), since a patient reads
    "about 5 in 1,000" more easily than "4.6". Only below 1 is one significant
    figure kept ("0.5", "0.03"): a risk that is not zero must never read
    "0 in ...", nor be doubled by rounding 0.5 up to 1.
    """
    if value <= 0:
        return 0.0, 0
    if value >= 1:
        return float(math.floor(value + 0.5)), 0
    decimals = max(1, -math.floor(math.log10(value)))
    return round(value, decimals), decimals


def _fmt_shown(shown: float, decimals: int) -> str:
    """Format a count already rounded by _shown_count, thousands separated."""
    if decimals == 0:
        return f"{round(shown):,}"
    return f"{shown:,.{decimals}f}".rstrip("0").rstrip(".")


def _fmt_count(value: float) -> str:
    """Show a count as a person says it: whole numbers, thousands separated."""
    return _fmt_shown(*_shown_count(value))


def common_denominator(figures: list[Figure]) -> int:
    """Pick one denominator for a whole section.

    The smallest of 100, 1,000, 10,000, 100,000 at which every non-zero figure
    reads as at least 1 ("5 in 1,000" rather than "0.5 in 100").
    """
    smallest = min((f.low_probability for f in figures if f.numerator > 0), default=None)
    if smallest is None:
        return DENOMINATORS[0]
    for denominator in DENOMINATORS:
        if smallest * denominator >= 1 - 1e-9:
            return denominator
    return DENOMINATORS[-1]


def express(figure: Figure, denominator: int | None = None) -> str:
    """Say a figure in words at a given denominator: "about 5 in 1,000".

    The figure's own count is kept when no denominator is given.
    """
    if denominator is None:
        denominator = figure.denominator
        low: float = figure.numerator
        high: float | None = figure.numerator_high
    else:
        low = figure.numerator * denominator / figure.denominator
        high = (
            None
            if figure.numerator_high is None
            else figure.numerator_high * denominator / figure.denominator
        )
    if figure.numerator == 0 and not figure.numerator_high:
        return f"none in {figure.denominator:,}"
    scaled = denominator != figure.denominator
    number = _fmt_count(low) if high is None else f"{_fmt_count(low)} to {_fmt_count(high)}"
    prefix = {
        Comparator.LESS_THAN: "less than ",
        Comparator.UP_TO: "up to ",
        Comparator.ABOUT: "about ",
        Comparator.EXACTLY: "",
    }[figure.comparator]
    rounded = scaled and (low != round(low) or (high is not None and high != round(high)))
    if rounded and figure.comparator is Comparator.EXACTLY:
        prefix = "about "
    return f"{prefix}{number} in {denominator:,}"


def express_both_ways(figure: Figure, denominator: int, event: str) -> str:
    """Frame a figure both ways: "about 5 in 1,000 get an infection; about 995 do not"."""
    said = express(figure, denominator)
    if figure.numerator == 0 and not figure.numerator_high:
        # express() keeps the figure's own count ("none in 1,025"); so does the rest.
        return f"{said} {event}; {figure.denominator:,} in {figure.denominator:,} do not"
    scale = denominator / figure.denominator
    # The rest is taken from the count as shown, so the two framings add up.
    top, decimals = _shown_count(figure.probability * denominator)
    rest = _fmt_shown(denominator - top, decimals)
    if figure.numerator_high is not None:
        bottom, low_decimals = _shown_count(figure.numerator * scale)
        rest = f"{rest} to {_fmt_shown(denominator - bottom, low_decimals)}"
    # An exact figure that had to be rounded reads "about" (see express), both ways.
    exact = figure.comparator is Comparator.EXACTLY and not said.startswith("about ")
    rest_prefix = "" if exact else "about "
    if figure.comparator is Comparator.LESS_THAN:
        rest_prefix = "more than "
    return f"{said} {event}; {rest_prefix}{rest} in {denominator:,} do not"
