"""User text in the PDFs: exact names, literal markup, neutralised bidi controls, whole notes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import pypdf
import pytest
from pypdf.generic import DictionaryObject

from consult_aid.documents.leaflet import build_leaflet
from consult_aid.documents.record import build_record
from consult_aid.documents.requests import LeafletRequest, RecordRequest
from consult_aid.documents.user_text import neutralise, user_markup
from consult_aid.domain.consultation import Change, ChangeKind, replay

Pages = Callable[[bytes], list[str]]


def xobjects_of(page: pypdf.PageObject) -> DictionaryObject:
    """The named XObjects (forms, images) a page uses."""
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    found = resources.get("/XObject", DictionaryObject()).get_object()
    assert isinstance(found, DictionaryObject)
    return found


MakeChange = Callable[..., Change]

NAMES = ["Zoë Łukasiewicz", "Nguyễn Thị Minh Khai", "Σωκράτης Παπαδόπουλος", "Фёдор Достоевский"]
MARKUP = (
    'Tell her <font color="white">hidden</font> <a href="https://evil.example">link</a> '
    '<img src="/etc/passwd"/> & done'
)


def with_note(request: RecordRequest, change: MakeChange, note: str) -> RecordRequest:
    history = (*request.history, change(ChangeKind.TOPIC_NOTE, "infection", text=note))
    return replace(request, history=history, state=replay(history))


def no_spaces(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", NAMES)
def test_names_read_back_exactly(
    name: str,
    leaflet_request: LeafletRequest,
    record_request: RecordRequest,
    page_texts: Pages,
) -> None:
    patient = replace(leaflet_request.patient, name=name)
    leaflet = page_texts(build_leaflet(replace(leaflet_request, patient=patient)))
    record = page_texts(build_record(replace(record_request, patient=patient)).pdf)
    for page in [*leaflet, *record]:
        assert name in page


def test_markup_prints_literally(
    record_request: RecordRequest, change: MakeChange, page_texts: Pages
) -> None:
    pdf = build_record(with_note(record_request, change, MARKUP)).pdf
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert 'Tell her <font color="white">hidden</font>' in text
    assert '<a href="https://evil.example">link</a>' in text
    assert '<img src="/etc/passwd"/> & done' in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert "/Annots" not in page
        xobjects = xobjects_of(page)
        for name in xobjects:
            xobject = xobjects[name].get_object()
            assert isinstance(xobject, DictionaryObject)
            assert str(xobject["/Subtype"]) != "/Image"


def test_markup_in_leaflet_note_prints_literally(
    leaflet_request: LeafletRequest, page_texts: Pages
) -> None:
    assert leaflet_request.state is not None
    topics = dict(leaflet_request.state.topics)
    topics["infection"] = replace(topics["infection"], note=MARKUP)
    state = replace(leaflet_request.state, topics=topics)
    text = " ".join(
        " ".join(page_texts(build_leaflet(replace(leaflet_request, state=state)))).split()
    )
    assert '<a href="https://evil.example">link</a>' in text


def test_bidi_controls_are_shown_not_obeyed(
    record_request: RecordRequest, change: MakeChange, page_texts: Pages
) -> None:
    note = "Allergy: \u202epenicillin\u202c and \u2066x\u2069"
    pdf = build_record(with_note(record_request, change, note)).pdf
    text = " ".join(page_texts(pdf))
    for code in range(0x202A, 0x202F):
        assert chr(code) not in text
    for code in range(0x2066, 0x206A):
        assert chr(code) not in text
    assert no_spaces("[RLO U+202E]penicillin[PDF U+202C]") in no_spaces(text)
    assert no_spaces("[LRI U+2066]x[PDI U+2069]") in no_spaces(text)


def test_neutralise_and_escape() -> None:
    assert neutralise("a\u202eb\x00c\r\nd") == "a[RLO U+202E]b[U+0000]c\nd"
    assert user_markup("<b>x</b>\nnext") == "&lt;b&gt;x&lt;/b&gt;<br/>next"
    assert user_markup("   ") == "Not recorded"


def test_long_note_continues_across_pages(
    record_request: RecordRequest,
    change: MakeChange,
    page_texts: Pages,
    body_text: Callable[[bytes], str],
) -> None:
    words = " ".join(f"word{i:05d}" for i in range(1_100))  # about 11,000 characters
    long_word = "".join(chr(ord("a") + i % 26) for i in range(500))
    note = f"{words}\n{long_word} end-of-note"
    short = build_record(record_request).pdf
    pdf = build_record(with_note(record_request, change, note)).pdf
    pages = page_texts(pdf)
    assert len(pages) >= len(page_texts(short)) + 2
    text = no_spaces(body_text(pdf))
    # Every word, in order, then the 500-letter word broken across lines but whole.
    assert no_spaces(words) in text
    assert long_word + "end-of-note" in text


def test_long_note_in_leaflet_is_whole(
    leaflet_request: LeafletRequest, body_text: Callable[[bytes], str]
) -> None:
    assert leaflet_request.state is not None
    long_word = "x" * 500
    note = " ".join(f"n{i:05d}" for i in range(1_500)) + " " + long_word
    topics = dict(leaflet_request.state.topics)
    topics["infection"] = replace(topics["infection"], note=note)
    state = replace(leaflet_request.state, topics=topics)
    text = no_spaces(body_text(build_leaflet(replace(leaflet_request, state=state))))
    assert no_spaces(note) in text
