"""Tests of the NHS number rules: ten digits, a modulus-11 check digit, shown as 3-3-4.

The check digit is computed here from the published algorithm (NHS Data
Dictionary: weights 10 down to 2 on the first nine digits, 11 minus the
remainder modulo 11, 11 reads 0, 10 means the number is invalid), not taken
from the module under test.
"""

from __future__ import annotations

import random

import pytest

from consult_aid.domain import nhs_number


def reference_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid number can start so."""
    total = 0
    for position, char in enumerate(first_nine):
        weight = 10 - position
        total += weight * "0123456789".index(char)
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def reference_is_valid(text: str) -> bool:
    """An independent statement of the whole rule, for comparison."""
    digits = text.replace(" ", "").replace("-", "")
    if len(digits) != 10 or any(c not in "0123456789" for c in digits):
        return False
    if len(set(digits)) == 1:
        return False
    check = reference_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


def _nine_digit_prefixes(wanted_check: int | None, count: int, seed: int) -> list[str]:
    """Prefixes whose check digit is wanted_check (None: those that give 10)."""
    rng = random.Random(seed)
    found: list[str] = []
    while len(found) < count:
        prefix = "".join(rng.choice("0123456789") for _ in range(9))
        if len(set(prefix)) > 1 and reference_check_digit(prefix) == wanted_check:
            found.append(prefix)
    return found


@pytest.mark.parametrize("number", ["9434765919", "4010232137"])
def test_published_examples_are_valid(number: str) -> None:
    assert reference_is_valid(number)  # the reference agrees with the published examples
    assert nhs_number.problem(number) is None
    assert nhs_number.is_valid(number)


def test_reference_algorithm_on_a_worked_example() -> None:
    # 943476591: 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299;
    # 299 mod 11 = 2; 11 - 2 = 9.
    assert 9 * 10 + 4 * 9 + 3 * 8 + 4 * 7 + 7 * 6 + 6 * 5 + 5 * 4 + 9 * 3 + 1 * 2 == 299
    assert reference_check_digit("943476591") == 9


@pytest.mark.parametrize("prefix", _nine_digit_prefixes(0, 3, seed=1))
def test_remainder_zero_gives_check_digit_zero(prefix: str) -> None:
    assert nhs_number.is_valid(prefix + "0")
    for wrong in "123456789":
        assert not nhs_number.is_valid(prefix + wrong)


@pytest.mark.parametrize(
    "prefix",
    [p for check in range(1, 10) for p in _nine_digit_prefixes(check, 2, seed=check)],
)
def test_computed_check_digit_is_the_only_one_accepted(prefix: str) -> None:
    check = reference_check_digit(prefix)
    assert check is not None
    for last in range(10):
        assert nhs_number.is_valid(f"{prefix}{last}") is (last == check)


@pytest.mark.parametrize("prefix", _nine_digit_prefixes(None, 5, seed=10))
def test_check_digit_ten_means_no_valid_number(prefix: str) -> None:
    for last in range(10):
        text = f"{prefix}{last}"
        assert not nhs_number.is_valid(text)
        assert "check digit" in (nhs_number.problem(text) or "")


def test_agrees_with_the_reference_on_random_numbers() -> None:
    rng = random.Random(20240501)
    samples = ["".join(rng.choice("0123456789") for _ in range(10)) for _ in range(3000)]
    valid = [s for s in samples if reference_is_valid(s)]
    assert valid, "the sample should hold some valid numbers"
    assert len(valid) < len(samples), "and some invalid ones"
    for sample in samples:
        assert nhs_number.is_valid(sample) is reference_is_valid(sample), sample


@pytest.mark.parametrize(
    "typed",
    ["943 476 5919", "943-476-5919", " 943 476 5919 ", "9434 76 59 19", "943 - 476 - 5919"],
)
def test_spaces_and_dashes_are_allowed(typed: str) -> None:
    assert nhs_number.is_valid(typed)
    assert nhs_number.normalise(typed) == "9434765919"


@pytest.mark.parametrize("typed", ["9434765919", "943-476-5919", "943 476 5919"])
def test_display_is_three_three_four(typed: str) -> None:
    assert nhs_number.display(typed) == "943 476 5919"


def test_display_leaves_a_wrong_length_alone() -> None:
    assert nhs_number.display("12345") == "12345"


def test_wrong_check_digit_is_rejected() -> None:
    problem = nhs_number.problem("943 476 5918")
    assert problem is not None
    assert "check digit" in problem


@pytest.mark.parametrize("digits", ["943476591", "94347659190", "1", "123456789012345"])
def test_wrong_length_is_rejected_and_says_how_many(digits: str) -> None:
    problem = nhs_number.problem(digits)
    assert problem is not None
    assert str(len(digits)) in problem


@pytest.mark.parametrize("typed", ["943476591A", "NHS9434765919", "943.476.5919", "94347659l9"])
def test_letters_and_other_marks_are_rejected(typed: str) -> None:
    problem = nhs_number.problem(typed)
    assert problem is not None
    assert "only digits" in problem


@pytest.mark.parametrize("digit", "0123456789")
def test_one_digit_repeated_is_rejected(digit: str) -> None:
    # 0000000000 passes modulus 11 (the total is 0, check digit 0) yet no patient holds it.
    assert nhs_number.problem(digit * 10) is not None


def test_all_zeros_would_pass_the_bare_check_digit() -> None:
    assert reference_check_digit("000000000") == 0


@pytest.mark.parametrize(
    "typed",
    [
        "٩٤٣٤٧٦٥٩١٩",  # Arabic-Indic digits for 9434765919
        "۹۴۳۴۷۶۵۹۱۹",  # Extended Arabic-Indic
        "９４３４７６５９１９",  # full-width
        "943476591\u0669",  # one non-ASCII digit at the end
    ],
)
def test_non_ascii_digits_are_rejected(typed: str) -> None:
    assert all(c.isdigit() for c in typed)  # Python would call these digits
    assert not nhs_number.is_valid(typed)


@pytest.mark.parametrize("typed", ["", "   ", " - - "])
def test_empty_asks_for_the_number(typed: str) -> None:
    problem = nhs_number.problem(typed)
    assert problem is not None
    assert "Enter the NHS number" in problem
