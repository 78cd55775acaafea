"""The personalised leaflet, read back from the PDF: identifiers, personal content, sizes, QR."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace

import pypdf
import pytest
from pypdf.generic import DictionaryObject

from consult_aid.documents.leaflet import build_leaflet
from consult_aid.documents.leaflet_topics import MATERIAL_BANNER
from consult_aid.documents.qr_code import form_name, qr_picture
from consult_aid.documents.requests import LeafletRequest
from consult_aid.documents.styles import styles_for
from consult_aid.domain.documents import LeafletFormat

Pages = Callable[[bytes], list[str]]


def xobjects_of(page: pypdf.PageObject) -> DictionaryObject:
    """The named XObjects (forms, images) a page uses."""
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    found = resources.get("/XObject", DictionaryObject()).get_object()
    assert isinstance(found, DictionaryObject)
    return found


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap anywhere)."""
    return " ".join(text.split())


def test_identifiers_title_and_page_numbers_on_every_page(
    leaflet_request: LeafletRequest, page_texts: Pages
) -> None:
    pages = page_texts(build_leaflet(leaflet_request))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Zoë Łukasiewicz" in page
        assert "09/03/1941" in page
        assert "943 476 5919" in page
        assert "Your personal leaflet" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Content version 1.0.0" in page


def test_variant_topics_only(leaflet_request: LeafletRequest, page_texts: Pages) -> None:
    balloon = flat(" ".join(page_texts(build_leaflet(leaflet_request))))
    assert "The SpineJack implant instead" in balloon
    assert "Balloon kyphoplasty instead" not in balloon
    spinejack = replace(leaflet_request, variant_id="spinejack")
    jack = flat(" ".join(page_texts(build_leaflet(spinejack))))
    assert "Balloon kyphoplasty instead" in jack
    assert "The SpineJack implant instead" not in jack


def test_personal_content(leaflet_request: LeafletRequest, page_texts: Pages) -> None:
    text = flat(" ".join(page_texts(build_leaflet(leaflet_request))))
    assert "Priya Raman" in text
    assert "St Elsewhere Hospital" in text
    assert "T12, L1" in text
    assert flat(MATERIAL_BANNER) in text
    assert "★ Infection" in text
    assert "Your surgeon's note: Had a wound infection after a hip op." in text
    assert "Will I set off airport alarms?" in text
    # This patient's medicines and risk factors come first in getting ready, with their advice.
    ready = text.index("Getting ready for surgery")
    mine = text.index("What applies to you", ready)
    general = text.index("Your health and the anaesthetic", ready)
    assert ready < mine < general
    personal = text[mine:general]
    assert "Clopidogrel may need to be checked or stopped before surgery" in personal
    assert "try to stop smoking" in personal
    assert "insulin, tell the pre-assessment team as early as you can" in personal
    assert "Aspirin" not in personal  # not ticked for this patient


def test_pre_clinic_leaflet_has_no_personal_notes(
    leaflet_request: LeafletRequest, page_texts: Pages
) -> None:
    before = replace(leaflet_request, header=None, state=None, surgeon=None)
    text = flat(" ".join(page_texts(build_leaflet(before))))
    assert "Zoë Łukasiewicz" in text
    assert "Had a wound infection" not in text
    assert "What applies to you" not in text
    assert flat(MATERIAL_BANNER) not in text
    assert "We talked about this" not in text
    assert "before your clinic appointment" in text


def test_one_denominator_and_both_framings_in_the_risks_section(
    leaflet_request: LeafletRequest, page_texts: Pages
) -> None:
    text = flat(" ".join(page_texts(build_leaflet(leaflet_request))))
    risks = text[text.index("Risks No operation") : text.index("Other choices")]
    bands = "very common|common|uncommon|rare|very rare"
    denominators = set(re.findall(rf"in ([\d,]+) \((?:{bands})", risks))
    # Every figure in 1,000, bar the count of none, which keeps its own count.
    assert denominators <= {"1,000", "1,025"}
    assert "about 5 in 1,000 (uncommon)" in risks
    assert "about 5 in 1,000 have this; about 995 in 1,000 do not" in risks
    assert "too few to show well in a picture" in risks  # none in 1,025: said in words


def test_recovery_app_qr_code_and_link(leaflet_request: LeafletRequest, page_texts: Pages) -> None:
    pdf = build_leaflet(leaflet_request)
    url = leaflet_request.recovery_app_url
    assert url in flat(" ".join(page_texts(pdf)))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        xobjects = xobjects_of(page)
        names |= {str(name) for name in xobjects}
    assert f"/FormXob.{form_name(url)}" in names
    assert qr_picture(url, styles_for(12).body_points * 8.0).value == url
    without = build_leaflet(replace(leaflet_request, recovery_app_url=""))
    reader = pypdf.PdfReader(io.BytesIO(without))
    for page in reader.pages:
        xobjects = xobjects_of(page)
        assert not any("CaQr" in str(name) for name in xobjects)


@pytest.mark.parametrize(
    ("fmt", "least"), [(LeafletFormat.STANDARD, 12), (LeafletFormat.LARGE_PRINT, 16)]
)
def test_body_text_size(leaflet_request: LeafletRequest, fmt: LeafletFormat, least: float) -> None:
    styles = styles_for(fmt.body_points)
    body_styles = [styles.body, styles.strong, styles.label, styles.note, styles.caption]
    assert all(style.fontSize >= least for style in body_styles)
    assert all("Italic" not in style.fontName for style in body_styles)
    pdf = build_leaflet(replace(leaflet_request, leaflet_format=fmt))
    sizes: dict[str, float] = {}

    def visit(text: str, _cm: object, tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = size * tm[3]  # the text matrix scales the font size

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[1]
    page.extract_text(visitor_text=visit)
    body = [size for text, size in sizes.items() if "Page " not in text and len(text) > 30]
    assert body, "no body text found"
    assert min(round(size, 1) for size in body) >= least - 2  # header line is body - 2
    assert max(body) >= least
    body_lines = [size for size in body if abs(size - least) < 0.01]
    assert len(body_lines) >= 5


def test_same_input_same_bytes(leaflet_request: LeafletRequest) -> None:
    assert build_leaflet(leaflet_request) == build_leaflet(leaflet_request)
