"""Tests of frequencies: EU / Calman bands, figures, shared denominators and wording.

Bands (domain guide): very common >= 1 in 10; common 1 in 10 to 1 in 100;
uncommon 1 in 100 to 1 in 1,000; rare 1 in 1,000 to 1 in 10,000; very rare
< 1 in 10,000. Each lower bound belongs to the band above it.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest

from consult_aid.domain.frequency import (
    DENOMINATORS,
    Band,
    Comparator,
    Figure,
    band_for,
    common_denominator,
    express,
    express_both_ways,
)

# (lower bound as "1 in N", band at and above it, band just below it)
BOUNDARIES = [
    (10, Band.VERY_COMMON, Band.COMMON),
    (100, Band.COMMON, Band.UNCOMMON),
    (1_000, Band.UNCOMMON, Band.RARE),
    (10_000, Band.RARE, Band.VERY_RARE),
]


def fig(numerator: int, denominator: int, **kwargs: object) -> Figure:
    return Figure("something", numerator, denominator, **kwargs)  # type: ignore[arg-type]


def count_in(text: str) -> Fraction:
    """The first count a sentence states ("about 4.5 in 1,000" -> 4.5), exactly."""
    match = re.search(r"(\d[\d,]*(?:\.\d+)?) in ", text)
    assert match, text
    return Fraction(match.group(1).replace(",", ""))


# --- band_for ---------------------------------------------------------------


@pytest.mark.parametrize(("one_in", "at", "below"), BOUNDARIES)
def test_each_boundary_belongs_to_the_band_above(one_in: int, at: Band, below: Band) -> None:
    assert band_for(1 / one_in) is at
    assert band_for(1 / one_in * 1.01) is at
    assert band_for(1 / one_in * 0.99) is below


@pytest.mark.parametrize(("one_in", "at", "below"), BOUNDARIES)
def test_boundary_reached_by_arithmetic_stays_in_its_band(
    one_in: int, at: Band, below: Band
) -> None:
    # 3 in 300 is 1 in 100 but may compute a hair below 0.01.
    assert band_for(3 / (3 * one_in)) is at
    assert band_for(7 / (7 * one_in)) is at
    assert below is not at


@pytest.mark.parametrize(
    ("probability", "band"),
    [
        (1.0, Band.VERY_COMMON),
        (0.5, Band.VERY_COMMON),
        (0.05, Band.COMMON),
        (0.005, Band.UNCOMMON),
        (0.0005, Band.RARE),
        (0.00005, Band.VERY_RARE),
        (0.0, Band.VERY_RARE),
    ],
)
def test_band_inside_each_range(probability: float, band: Band) -> None:
    assert band_for(probability) is band


@pytest.mark.parametrize("bad", [-0.0001, -1.0, 1.0001, 2.0, math.nan, math.inf, -math.inf])
def test_a_probability_outside_zero_to_one_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="outside 0 to 1"):
        band_for(bad)


# --- Figure -----------------------------------------------------------------


@pytest.mark.parametrize("denominator", [0, -1, -100])
def test_a_figure_needs_a_positive_denominator(denominator: int) -> None:
    with pytest.raises(ValueError, match="denominator"):
        fig(0, denominator)


def test_a_figure_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="fewer than 0"):
        fig(-1, 100)


def test_a_range_cannot_run_downwards() -> None:
    with pytest.raises(ValueError, match="below its bottom"):
        fig(35, 100, numerator_high=10)


@pytest.mark.parametrize(("numerator", "high"), [(101, None), (10, 101)])
def test_a_figure_cannot_exceed_its_denominator(numerator: int, high: int | None) -> None:
    with pytest.raises(ValueError, match="exceed"):
        fig(numerator, 100, numerator_high=high)


def test_the_whole_denominator_is_allowed() -> None:
    assert fig(100, 100).probability == 1.0
    assert fig(0, 100, numerator_high=100).probability == 1.0


def test_probabilities_of_a_range() -> None:
    spread = fig(10, 100, numerator_high=35)
    assert spread.low_probability == pytest.approx(0.10)
    assert spread.probability == pytest.approx(0.35)
    assert spread.upper_bound == pytest.approx(0.35)


# --- band_text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator"), [(1, 5), (2, 100), (6, 1307), (3, 10_000), (1, 50_000)]
)
def test_an_exact_figure_reads_its_own_band(numerator: int, denominator: int) -> None:
    figure = fig(numerator, denominator, comparator=Comparator.EXACTLY)
    assert figure.band_text() == band_for(numerator / denominator).value


def test_infection_six_in_1307_is_uncommon() -> None:
    assert fig(6, 1307).band_text() == "uncommon"


def test_a_range_across_bands_names_both_ends() -> None:
    assert fig(5, 100, numerator_high=35).band_text() == "common to very common"
    same_band = fig(1, 1000, numerator_high=5, comparator=Comparator.EXACTLY)
    assert same_band.band_text() == "uncommon"
    assert fig(5, 10_000, numerator_high=20).band_text() == "rare to uncommon"


def test_ten_to_35_in_100_is_wholly_very_common() -> None:
    # 10 in 100 is 1 in 10, the inclusive floor of "very common", so both ends
    # of "10 to 35 in 100" are very common (not "common to very common").
    assert fig(10, 100, numerator_high=35).band_text() == "very common"
    assert fig(9, 100, numerator_high=35).band_text() == "common to very common"


def test_less_than_reads_as_the_band_below_or_rarer() -> None:
    assert fig(1, 100, comparator=Comparator.LESS_THAN).band_text() == "uncommon or rarer"
    assert fig(1, 10, comparator=Comparator.LESS_THAN).band_text() == "common or rarer"
    assert fig(1, 1000, comparator=Comparator.LESS_THAN).band_text() == "rare or rarer"


def test_none_seen_is_not_no_risk_rule_of_three() -> None:
    harm = fig(0, 1025)
    assert harm.upper_bound == pytest.approx(3 / 1025)
    assert band_for(3 / 1025) is Band.UNCOMMON
    assert harm.band_text() == "uncommon or rarer"


@pytest.mark.parametrize("denominator", [3, 30, 300, 3_000, 30_000, 300_000])
def test_rule_of_three_band_follows_the_size_of_the_study(denominator: int) -> None:
    bound = min(1.0, 3 / denominator)
    expected = band_for(bound * 0.999999).value
    assert fig(0, denominator).band_text() == f"{expected} or rarer"


def test_none_in_three_is_capped_at_certainty() -> None:
    assert fig(0, 2).upper_bound == 1.0


# --- common_denominator -----------------------------------------------------


def test_a_section_with_a_small_figure_moves_to_1000() -> None:
    assert common_denominator([fig(6, 1307), fig(18, 100)]) == 1_000


def test_figures_of_at_least_one_in_100_stay_in_100() -> None:
    assert common_denominator([fig(1, 100), fig(18, 100), fig(35, 100)]) == 100


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(1, 5_000, 10_000), (3, 20_000, 10_000), (1, 50_000, 100_000), (1, 10_000_000, 100_000)],
)
def test_tiny_figures_move_further(numerator: int, denominator: int, expected: int) -> None:
    assert common_denominator([fig(18, 100), fig(numerator, denominator)]) == expected


@pytest.mark.parametrize(
    "figures",
    [
        [fig(6, 1307), fig(18, 100)],
        [fig(1, 3), fig(2, 999)],
        [fig(7, 70_000), fig(1, 2)],
        [fig(5, 100, numerator_high=35), fig(1, 250)],
    ],
)
def test_chosen_denominator_is_the_smallest_where_every_figure_reads_at_least_one(
    figures: list[Figure],
) -> None:
    chosen = common_denominator(figures)
    smallest = min(Fraction(f.numerator, f.denominator) for f in figures if f.numerator)
    assert smallest * chosen >= 1
    smaller = [d for d in DENOMINATORS if d < chosen]
    assert all(smallest * d < 1 for d in smaller)


def test_zero_figures_do_not_move_the_denominator() -> None:
    assert common_denominator([fig(0, 1025), fig(18, 100)]) == 100
    assert common_denominator([fig(0, 1025)]) == 100
    assert common_denominator([]) == 100


# --- express ----------------------------------------------------------------


def test_a_figure_at_its_own_denominator() -> None:
    assert express(fig(6, 1307)) == "about 6 in 1,307"
    assert express(fig(6, 1307, comparator=Comparator.EXACTLY)) == "6 in 1,307"
    assert express(fig(1, 100, comparator=Comparator.LESS_THAN)) == "less than 1 in 100"
    assert express(fig(10, 100, numerator_high=35)) == "about 10 to 35 in 100"
    assert express(fig(73, 100, comparator=Comparator.UP_TO)) == "up to 73 in 100"


def test_infection_at_1000_reads_as_a_whole_number() -> None:
    # 6 / 1307 * 1000 = 4.59...: a patient reads "about 5 in 1,000", not "4.6".
    assert express(fig(6, 1307), 1_000) == "about 5 in 1,000"


@pytest.mark.parametrize(
    ("numerator", "denominator", "at"),
    [(6, 1307, 1_000), (3, 7, 100), (2, 999, 1_000), (13, 1700, 1_000), (5, 49, 100)],
)
def test_scaled_counts_are_whole_numbers_rounded_to_nearest(
    numerator: int, denominator: int, at: int
) -> None:
    exact = Fraction(numerator * at, denominator)
    assert exact >= 1
    shown = count_in(express(fig(numerator, denominator), at))
    assert shown.denominator == 1
    assert abs(shown - exact) <= Fraction(1, 2)


def test_a_count_below_one_is_never_shown_as_nought() -> None:
    # 1 in 10,000,000 at 100,000 is 0.01: it must not read "0 in 100,000".
    for numerator, denominator, at in [(1, 2000, 1_000), (1, 10_000_000, 100_000)]:
        text = express(fig(numerator, denominator), at)
        shown = count_in(text)
        assert shown > 0, text
        assert shown == Fraction(numerator * at, denominator), text


def test_an_exact_figure_that_is_rounded_becomes_about() -> None:
    assert express(fig(6, 1307, comparator=Comparator.EXACTLY), 1_000) == "about 5 in 1,000"
    assert express(fig(6, 100, comparator=Comparator.EXACTLY), 1_000) == "60 in 1,000"


def test_a_range_scales_both_ends() -> None:
    assert express(fig(10, 100, numerator_high=35), 1_000) == "about 100 to 350 in 1,000"


def test_none_seen_keeps_its_own_count() -> None:
    assert express(fig(0, 1025), 1_000) == "none in 1,025"


def test_large_counts_have_thousands_separators() -> None:
    assert express(fig(1, 3), 100_000) == "about 33,333 in 100,000"


# --- express_both_ways ------------------------------------------------------


BOTH_WAYS = [
    (fig(6, 1307), 1_000),
    (fig(1, 100), 100),
    (fig(18, 100), 1_000),
    (fig(1, 2000), 1_000),
    (fig(2, 3), 100),
    (fig(5, 49), 100),
    (fig(6, 1307, comparator=Comparator.EXACTLY), 1_000),
    (fig(1, 7, comparator=Comparator.LESS_THAN), 100),
]


@pytest.mark.parametrize(("figure", "denominator"), BOTH_WAYS)
def test_both_framings_add_up_to_the_denominator(figure: Figure, denominator: int) -> None:
    text = express_both_ways(figure, denominator, "get an infection")
    said, rest = text.split("; ")
    assert said.endswith("get an infection")
    assert rest.endswith(f"in {denominator:,} do not")
    assert count_in(said) + count_in(rest) == denominator, text


def test_both_ways_example_from_the_guide() -> None:
    assert express_both_ways(fig(1, 100, comparator=Comparator.EXACTLY), 100, "get it") == (
        "1 in 100 get it; 99 in 100 do not"
    )
    assert express_both_ways(fig(6, 1307), 1_000, "get an infection") == (
        "about 5 in 1,000 get an infection; about 995 in 1,000 do not"
    )


def test_both_ways_of_a_rounded_exact_figure_says_about_on_both_sides() -> None:
    text = express_both_ways(fig(6, 1307, comparator=Comparator.EXACTLY), 1_000, "x")
    assert text == "about 5 in 1,000 x; about 995 in 1,000 do not"


def test_both_ways_of_less_than_says_more_than() -> None:
    text = express_both_ways(fig(1, 100, comparator=Comparator.LESS_THAN), 100, "x")
    assert text == "less than 1 in 100 x; more than 99 in 100 do not"


def test_both_ways_of_a_range_gives_the_range_of_those_spared() -> None:
    text = express_both_ways(fig(10, 100, numerator_high=35), 100, "x")
    assert text == "about 10 to 35 in 100 x; about 65 to 90 in 100 do not"


def test_both_ways_of_none_seen_keeps_one_denominator() -> None:
    text = express_both_ways(fig(0, 1025), 1_000, "had harm")
    assert text == "none in 1,025 had harm; 1,025 in 1,025 do not"
