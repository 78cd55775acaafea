"""Addenda print after the original content (who, when, why, what) and enter the fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from consult_aid.documents.record import build_record, record_fingerprint
from consult_aid.documents.requests import RecordRequest
from consult_aid.domain.finalisation import Addendum

Pages = Callable[[bytes], list[str]]
REGISTRAR_ID = 8


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_addenda_print_after_the_record_with_who_when_why_what(
    record_request: RecordRequest, page_texts: Pages
) -> None:
    addendum = Addendum(
        1, 1, datetime(2026, 6, 16, 8, 0, tzinfo=UTC), REGISTRAR_ID, "Wrong level", "<b>L2</b>"
    )
    amended = replace(record_request, addenda=(addendum,))
    text = _flat(" ".join(page_texts(build_record(amended).pdf)))
    history_at = text.index("Change history")
    addenda_at = text.index("Addenda")
    assert history_at < addenda_at
    tail = text[addenda_at:]
    assert "16/06/2026 09:00 (UTC+01:00)" in tail
    assert "Tom Hale" in tail
    assert "Wrong level" in tail
    assert "<b>L2</b>" in tail  # user text is printed as typed, never read as markup


def test_addenda_change_the_fingerprint_and_none_leaves_it_as_it_was(
    record_request: RecordRequest,
) -> None:
    original = record_fingerprint(record_request)
    assert record_fingerprint(replace(record_request, addenda=())) == original
    addendum = Addendum(1, 1, datetime(2026, 6, 16, tzinfo=UTC), REGISTRAR_ID, "why", "what")
    amended = record_fingerprint(replace(record_request, addenda=(addendum,)))
    assert amended != original
    other = replace(addendum, text="what, corrected")
    assert record_fingerprint(replace(record_request, addenda=(other,))) != amended
