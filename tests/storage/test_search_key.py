"""Folding names for search: case and accents ignored, letters NFKD keeps are mapped."""

from __future__ import annotations

import pytest

from consult_aid.storage.search_key import fold


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Zoë Łukasiewicz", "zoe lukasiewicz"),
        ("Nguyễn Thị Minh Khai", "nguyen thi minh khai"),
        ("Dvořák Jiří", "dvorak jiri"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Đorđe Balašević", "dorde balasevic"),
        ("Straße", "strasse"),
        ("  MARY   o'Brien ", "mary o'brien"),
    ],
)
def test_names_fold_to_plain_lower_case_words(name: str, key: str) -> None:
    assert fold(name) == key


def test_folding_is_stable() -> None:
    name = "Zoë Łukasiewicz-Ødegård"
    assert fold(fold(name)) == fold(name)
