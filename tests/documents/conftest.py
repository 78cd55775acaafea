"""Domain objects for the document tests: the bundled pack, people, and a replayed consultation.

No database: a consultation is a list of Changes replayed with the domain's
own ``replay``, as the store does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pypdf
import pytest

from consult_aid.content.loader import load_pack_file
from consult_aid.documents.requests import LeafletRequest, RecordRequest
from consult_aid.domain.consultation import (
    Change,
    ChangeKind,
    ConsultationHeader,
    Detail,
    TopicState,
    replay,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.people import Clinician, ClinicianRole, Patient
from consult_aid.paths import procedures_dir

START = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)  # 10:30 on the UK clock (BST)
SURGEON_ID = 7
REGISTRAR_ID = 8

MakeChange = Callable[..., Change]


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack_file(procedures_dir() / "balloon-kyphoplasty.yaml")


@pytest.fixture
def patient() -> Patient:
    return Patient(1, "Zoë Łukasiewicz", date(1941, 3, 9), "9434765919", "RX1234")


@pytest.fixture
def clinicians() -> dict[int, Clinician]:
    return {
        SURGEON_ID: Clinician(
            SURGEON_ID, "Priya Raman", ClinicianRole.CONSULTANT_SURGEON, "1234567", "St Elsewhere"
        ),
        REGISTRAR_ID: Clinician(
            REGISTRAR_ID, "Tom Hale", ClinicianRole.REGISTRAR, "7654321", "St Elsewhere"
        ),
    }


@pytest.fixture
def header(pack: ContentPack) -> ConsultationHeader:
    return ConsultationHeader(
        id=3,
        patient_id=1,
        clinician_id=SURGEON_ID,
        pack_id=pack.id,
        pack_version=pack.info.version,
        pack_hash=pack.info.content_hash,
        variant_id="balloon",
        started_at=START,
    )


@pytest.fixture
def change() -> MakeChange:
    """Make the next change of a log: seq and time go up by one each call."""
    seq = count(1)

    def make(kind: ChangeKind, key: str = "", by: int = SURGEON_ID, **value: Any) -> Change:
        number = next(seq)
        return Change(number, kind, key, value, START + timedelta(minutes=number), by)

    return make


@pytest.fixture
def history(change: MakeChange) -> list[Change]:
    """A typical consultation, ended: some topics settled, notes, questions, details."""
    return [
        change(ChangeKind.CREATED),
        change(ChangeKind.DETAIL, Detail.LEVELS.value, value="T12, L1"),
        change(ChangeKind.DETAIL, Detail.PLACE.value, value="Spinal clinic, room 4"),
        change(ChangeKind.DETAIL, Detail.OTHERS_PRESENT.value, value="Daughter (Anna)"),
        change(ChangeKind.DETAIL, Detail.CAPACITY.value, value="presumed"),
        change(ChangeKind.DETAIL, Detail.MDT_DATE.value, value="2026-06-10"),
        change(ChangeKind.TOPIC_STATE, "what-is-the-procedure", state=TopicState.DISCUSSED.value),
        change(ChangeKind.TOPIC_STATE, "infection", state=TopicState.DISCUSSED.value),
        change(ChangeKind.TOPIC_MATERIAL, "infection", material=True),
        change(ChangeKind.TOPIC_NOTE, "infection", text="Had a wound infection after a hip op."),
        change(
            ChangeKind.TOPIC_STATE,
            "cement-leakage",
            by=REGISTRAR_ID,
            state=TopicState.DECLINED.value,
        ),
        change(
            ChangeKind.TOPIC_STATE,
            "bleeding",
            state=TopicState.NOT_APPLICABLE.value,
            reason="Covered with the anaesthetist",
        ),
        change(ChangeKind.RISK_FACTOR, "smoking", present=True),
        change(ChangeKind.MEDICINE, "clopidogrel", present=True),
        change(ChangeKind.MEDICINE, "insulin", present=True),
        change(ChangeKind.QUESTION, "q1", question="Will I set off airport alarms?", answer="No."),
        change(ChangeKind.DETAIL, Detail.DECISION.value, value="time_to_reflect"),
        change(ChangeKind.ENDED),
    ]


@pytest.fixture
def leaflet_request(
    pack: ContentPack,
    patient: Patient,
    clinicians: dict[int, Clinician],
    header: ConsultationHeader,
    history: list[Change],
) -> LeafletRequest:
    return LeafletRequest(
        pack=pack,
        variant_id="balloon",
        patient=patient,
        leaflet_format=LeafletFormat.STANDARD,
        hospital="St Elsewhere Hospital",
        surgeon=clinicians[SURGEON_ID],
        header=header,
        state=replay(history),
        recovery_app_url="https://recovery.example.org/app?clinic=spine&x=1",
        clinic_date=date(2026, 6, 15),
    )


@pytest.fixture
def record_request(
    pack: ContentPack,
    patient: Patient,
    clinicians: dict[int, Clinician],
    header: ConsultationHeader,
    history: list[Change],
) -> RecordRequest:
    return RecordRequest(
        pack=pack,
        header=header,
        state=replay(history),
        history=tuple(history),
        patient=patient,
        clinicians=clinicians,
        leaflet_format=LeafletFormat.STANDARD,
        printed_at=START + timedelta(hours=2),
    )


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def _body(pdf: bytes) -> str:
    # Each page reads back as: title, identity line, footer, the body, "Page X of Y".
    return "\n".join("\n".join(page.splitlines()[3:-1]) for page in _pages(pdf))


@pytest.fixture
def page_texts() -> Callable[[bytes], list[str]]:
    """Read a PDF back: the text of each page."""
    return _pages


@pytest.fixture
def body_text() -> Callable[[bytes], str]:
    """Read a PDF back: the body of every page, without the header and footer."""
    return _body
