"""The record of discussion, read back: every item, plain states, who and when, fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from consult_aid.documents.facts_topics import NOT_YET_ADDRESSED
from consult_aid.documents.record import build_record, record_fingerprint
from consult_aid.documents.requests import RecordRequest
from consult_aid.domain.consultation import Change, ChangeKind, replay

Pages = Callable[[bytes], list[str]]
MakeChange = Callable[..., Change]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_record_holds_every_item(record_request: RecordRequest, page_texts: Pages) -> None:
    document = build_record(record_request)
    pages = page_texts(document.pdf)
    text = flat(" ".join(pages))
    assert text.startswith("Record of discussion")
    assert "consent form" not in text.lower()
    for number, page in enumerate(pages, start=1):
        assert "Zoë Łukasiewicz" in page
        assert "09/03/1941" in page
        assert "943 476 5919" in page
        assert f"Page {number} of {len(pages)}" in page
    expected = [
        "RX1234",
        "Priya Raman",
        "Consultant spinal surgeon",
        "1234567",
        "15/06/2026",
        "10:30 (UTC+01:00)",  # started 09:30 UTC, on the UK clock in summer
        "10:48 (UTC+01:00)",  # ended
        "Spinal clinic, room 4",
        "Daughter (Anna)",
        "Capacity presumed",
        "10/06/2026",  # the MDT date
        "T12, L1",
        "Balloon kyphoplasty",
        "Will I set off airport alarms?",
        "Had a wound infection after a hip op.",
        "Wants time to reflect",
        "confirmed on the day",
        "Standard print",
        record_request.pack.info.content_hash,
        document.fingerprint,
        "Tom Hale, Specialist registrar, GMC 7654321",  # who declined cement leakage
        "Covered with the anaesthetist",
        "Declined by the patient",
        "Not applicable",
        "This is not consent to the procedure",
    ]
    squeezed = "".join(text.split())  # long hashes wrap across lines
    for item in expected:
        assert "".join(item.split()) in squeezed, item
    for topic in record_request.pack.topics_for("balloon"):
        assert topic.title in text, topic.title
    assert "Balloon kyphoplasty instead" not in text  # the other variant's topic


def test_empty_fields_and_open_topics_say_so(
    record_request: RecordRequest, page_texts: Pages
) -> None:
    text = flat(" ".join(page_texts(build_record(record_request).pdf)))
    assert NOT_YET_ADDRESSED in text  # "Who looks after you" was never settled
    assert "Interpreter Not recorded" in text
    assert "Communication needs Not recorded" in text


def test_fingerprint_stable_and_sensitive(
    record_request: RecordRequest, change: MakeChange
) -> None:
    first = record_fingerprint(record_request)
    assert first == record_fingerprint(replace(record_request))
    later = replace(record_request, printed_at=record_request.printed_at.replace(year=2030))
    assert record_fingerprint(later) == first  # printing again is not a new record
    assert build_record(record_request).fingerprint == first
    history = (*record_request.history, change(ChangeKind.TOPIC_NOTE, "infection", text="Hip."))
    edited = replace(record_request, history=history, state=replay(history))
    assert record_fingerprint(edited) != first
    assert len(first) == 64
    assert int(first, 16) >= 0
