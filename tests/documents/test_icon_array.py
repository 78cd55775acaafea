"""Icon arrays and figure counts: what is drawn for a figure, filled from the bottom."""

from __future__ import annotations

import pytest

from consult_aid.documents.figures import icon_counts
from consult_aid.documents.icon_array import IconArray, Mark
from consult_aid.domain.frequency import Comparator, Figure


def test_counts_for_figures() -> None:
    assert icon_counts(Figure("infection", 6, 1307, comparator=Comparator.EXACTLY), 1000) == (5, 5)
    assert icon_counts(Figure("break", 10, 100, numerator_high=35), 1000) == (100, 350)
    assert icon_counts(Figure("any", 2, 100, comparator=Comparator.LESS_THAN), 1000) == (20, 20)
    assert icon_counts(Figure("harm", 0, 1025), 1000) is None  # said in words instead
    assert icon_counts(Figure("tiny", 1, 100_000), 1000) is None


def test_marks_fill_from_the_bottom_left() -> None:
    array = IconArray(1000, 100, 350, 420.0)
    assert array.mark(0) is Mark.AFFECTED  # bottom left
    assert array.mark(99) is Mark.AFFECTED
    assert array.mark(100) is Mark.RANGE
    assert array.mark(349) is Mark.RANGE
    assert array.mark(350) is Mark.UNAFFECTED
    width, height = array.wrap(500, 800)
    assert width <= 420.0
    assert height > width / 5  # 20 rows of people taller than wide


def test_bad_arrays_are_refused() -> None:
    with pytest.raises(ValueError, match="100 or 1,000"):
        IconArray(500, 1, 1, 400.0)
    with pytest.raises(ValueError, match="counts"):
        IconArray(100, 5, 3, 400.0)
