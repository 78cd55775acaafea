"""DocumentService: documents know what they were built from; saves are atomic and recorded."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from consult_aid.domain.consultation import ConsultationHeader, TopicState
from consult_aid.domain.documents import DocumentKind, LeafletFormat, Output
from consult_aid.domain.errors import Forbidden
from consult_aid.domain.people import Clinician, Patient
from consult_aid.services.bundle import Services
from consult_aid.services.document_names import RECOVERY_APP_URL_ENV
from consult_aid.services.documents import DocumentService
from consult_aid.storage.audit import AuditLog

PACK_ID = "balloon-kyphoplasty"


def _first_page(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_pre_clinic_leaflet_names_its_patient_and_its_content(
    services: Services, patient: Patient, clinician: Clinician
) -> None:
    doc = services.documents.leaflet_for_patient(
        patient.id, PACK_ID, "balloon", clinician.id, clinic_date=date(2026, 12, 2)
    )
    pack = services.library.current(PACK_ID)
    assert doc.kind is DocumentKind.LEAFLET
    assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest()
    assert (doc.patient_id, doc.consultation_id, doc.record_version) == (patient.id, None, 0)
    assert (doc.pack_version, doc.pack_hash) == (pack.info.version, pack.info.content_hash)
    assert doc.leaflet_format is LeafletFormat.STANDARD
    assert doc.suggested_filename == (
        f"leaflet_{patient.nhs_number}_margaret-hughes_2026-12-02.pdf"
    )
    assert patient.name in _first_page(doc.pdf)


def test_the_remembered_format_is_used_unless_another_is_asked_for(
    services: Services, patient: Patient, clinician: Clinician, consultation: ConsultationHeader
) -> None:
    updated = services.patients.set_leaflet_format(
        patient.id, LeafletFormat.LARGE_PRINT, clinician.id
    )
    assert updated.leaflet_format is LeafletFormat.LARGE_PRINT
    assert services.patients.get(patient.id).leaflet_format is LeafletFormat.LARGE_PRINT
    remembered = services.documents.leaflet_for_consultation(consultation.id)
    assert remembered.leaflet_format is LeafletFormat.LARGE_PRINT
    asked = services.documents.leaflet_for_consultation(consultation.id, LeafletFormat.STANDARD)
    assert asked.leaflet_format is LeafletFormat.STANDARD
    pre_clinic = services.documents.leaflet_for_patient(patient.id, PACK_ID, "balloon", None)
    assert pre_clinic.leaflet_format is LeafletFormat.LARGE_PRINT
    with services.db.session() as session, session.begin():
        rows = AuditLog(session).rows("patient", patient.id)
    assert rows[-1].action == "patient.leaflet_format"
    assert rows[-1].detail == {"from": "standard", "to": "large_print"}


def test_record_version_is_the_consultations_last_change_number(
    services: Services, clinician: Clinician, consultation: ConsultationHeader
) -> None:
    cid = consultation.id
    topic = services.consultations.load(cid).pack.topics_for("balloon")[0].id
    services.consultations.set_topic_state(cid, topic, TopicState.DISCUSSED, "", clinician.id)
    services.consultations.set_note(cid, topic, "Asked about driving.", clinician.id)
    last = services.consultations.history(cid)[-1].seq
    leaflet = services.documents.leaflet_for_consultation(cid)
    record = services.documents.record_for_consultation(cid)
    assert leaflet.record_version == record.record_version == last
    assert (leaflet.consultation_id, record.consultation_id) == (cid, cid)
    assert record.kind is DocumentKind.RECORD
    assert len(record.fingerprint) == 64
    assert record.suggested_filename.startswith("record_")


def test_saving_writes_atomically_and_records_the_event(
    services: Services, patient: Patient, clinician: Clinician, tmp_path: Path
) -> None:
    doc = services.documents.leaflet_for_patient(patient.id, PACK_ID, "balloon", clinician.id)
    folder = tmp_path / "Margaret Hughes letters"  # a folder named for the patient
    folder.mkdir()
    event = services.documents.save_pdf(doc, folder / doc.suggested_filename, clinician.id)
    assert (folder / doc.suggested_filename).read_bytes() == doc.pdf
    assert [path.name for path in folder.iterdir()] == [doc.suggested_filename]  # no temp left
    assert event.output is Output.PDF_FILE
    assert event.destination == doc.suggested_filename  # the name only, never the folder
    assert (event.sha256, event.by, event.patient_id) == (doc.sha256, clinician.id, patient.id)
    assert event.at.utcoffset() is not None
    assert services.documents.events_for_patient(patient.id) == [event]
    with services.db.session() as session, session.begin():
        audit = AuditLog(session).rows("document_event")
    assert [row.action for row in audit] == ["document.pdf_file"]
    assert "Margaret" not in str(audit[0].detail)


def test_saving_over_a_file_needs_the_callers_say_so(
    services: Services, patient: Patient, clinician: Clinician, tmp_path: Path
) -> None:
    doc = services.documents.leaflet_for_patient(patient.id, PACK_ID, "balloon", clinician.id)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / doc.suggested_filename
    path.write_bytes(b"an earlier copy")
    with pytest.raises(FileExistsError):
        services.documents.save_pdf(doc, path, clinician.id)
    assert path.read_bytes() == b"an earlier copy"
    assert sorted(p.name for p in folder.iterdir()) == [doc.suggested_filename]
    assert services.documents.events_for_patient(patient.id) == []
    services.documents.save_pdf(doc, path, clinician.id, overwrite=True)
    assert path.read_bytes() == doc.pdf


def test_a_save_that_cannot_be_recorded_is_not_left_on_disk(
    services: Services, patient: Patient, clinician: Clinician, tmp_path: Path
) -> None:
    doc = services.documents.leaflet_for_patient(patient.id, PACK_ID, "balloon", clinician.id)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Forbidden):
        services.documents.save_pdf(doc, folder / doc.suggested_filename, by=999)
    assert list(folder.iterdir()) == []


def test_two_patients_with_one_name_never_share_a_file_name(
    services: Services, make_patient: Callable[..., Patient], clinician: Clinician
) -> None:
    first, second = make_patient("Zoë Łukasiewicz"), make_patient("Zoë Łukasiewicz")
    names = {
        services.documents.leaflet_for_patient(p.id, PACK_ID, "balloon", None).suggested_filename
        for p in (first, second)
    }
    assert len(names) == 2
    assert all("zoe-lukasiewicz" in name and name.isascii() for name in names)


def test_prints_are_recorded_and_listed_in_order(
    services: Services, patient: Patient, clinician: Clinician, consultation: ConsultationHeader
) -> None:
    leaflet = services.documents.leaflet_for_consultation(consultation.id)
    record = services.documents.record_for_consultation(consultation.id)
    services.documents.record_printed(leaflet, "Clinic 3 printer", clinician.id)
    services.documents.record_printed(record, "Clinic 3 printer", clinician.id)
    events = services.documents.events_for_patient(patient.id)
    assert [(e.kind, e.output, e.destination) for e in events] == [
        (DocumentKind.LEAFLET, Output.PRINTER, "Clinic 3 printer"),
        (DocumentKind.RECORD, Output.PRINTER, "Clinic 3 printer"),
    ]
    assert events[1].record_version == record.record_version


def test_the_recovery_app_url_comes_from_the_environment_first(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def service() -> DocumentService:
        return DocumentService(
            services.db,
            services.library,
            services.consultations,
            services.patients,
            services.clinicians,
            services.access,
            recovery_app_url="https://default.example/app",
        )

    assert service().recovery_app_url == "https://default.example/app"
    monkeypatch.setenv(RECOVERY_APP_URL_ENV, "https://recovery.example/app")
    assert service().recovery_app_url == "https://recovery.example/app"
