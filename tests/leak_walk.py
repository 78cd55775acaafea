"""One patient through every feature, in a process of its own, for the patient-data leak test.

Run as ``python tests/leak_walk.py OUTDIR`` with PYTHONPATH at the repository
root, CONSULT_AID_DATA_DIR and TMPDIR/TEMP/TMP pointing at folders the test
made (tests/test_no_patient_data_leaks.py does all of that). Logging is set up
as the real app sets it up, but at DEBUG, so that even a debug line quoting a
patient shows up. The patient's name, NHS number, hospital number and a token
in every free-text field are unmistakable, so that the test can look for them
byte by byte in the logs, the temporary folder and this process's output.

The walk ends with an uncaught exception whose message names the patient, so
that the app's crash hook runs: the process exits non-zero on purpose. The
files the walk is meant to write (clinic list, PDFs, CSVs) all go to OUTDIR,
which, like the database, may hold the patient's data.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from consult_aid import paths
from consult_aid.domain.access import Role
from consult_aid.domain.consultation import Detail, TopicState
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.errors import (
    Conflict,
    DomainError,
    Finalised,
    Forbidden,
    InvalidInput,
    SignInRefused,
)
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.logging_setup import configure
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.documents import GeneratedDocument
from consult_aid.services.reporting import RecordFilter, SortKey
from tests.signing_in import FAST_HASHING, PASSWORD, add_person, first_person, sign_in

# Unmistakable: none of these can turn up anywhere by chance. The accent makes
# the UTF-8, UTF-16 and ASCII-folded forms of the name all differ.
NAME = "Quilliam Zéphyrine-Oxtaby"
NAME_WORDS = ("Quilliam", "Zéphyrine", "Oxtaby")
NHS_NUMBER = "9990000018"
NHS_NUMBER_SPACED = "999 000 0018"
HOSPITAL_NUMBER = "QZHX-58213"  # stored as typed: it is upper case already
NOTE_WORD = "Xylocarp-7731"
DATE_OF_BIRTH = date(1941, 3, 14)
PACK_ID = "balloon-kyphoplasty"
VARIANT_ID = "balloon"
NEW_PASSWORD = "harbour lumbar compass 77"  # noqa: S105 - a test password, not a secret
# The log line that proves the walk got through every feature before the forced crash.
FINISHED = "leak walk: every feature done"
CSV_HEADER = "Name,Date of birth,NHS number,Hospital number,Clinic date,Surgeon\n"

ADMIN = ClinicianDraft("Hilary Admin", ClinicianRole.SYSTEM_ADMINISTRATOR, "", "City Hospital")
SURGEON = ClinicianDraft(
    "Tobias Surgeon", ClinicianRole.CONSULTANT_SURGEON, "7654321", "City Hospital"
)
SECRETARY = ClinicianDraft("Sally Secretary", ClinicianRole.MEDICAL_SECRETARY, "", "City Hospital")
AUDITOR = ClinicianDraft("Audrey Auditor", ClinicianRole.CLINICAL_AUDITOR, "", "City Hospital")

log = logging.getLogger("consult_aid.leak_walk")


def clinic_date() -> date:
    """The clinic day on the list: next week, so that it is never in the past."""
    return date.today() + timedelta(days=7)


def clinic_list_text() -> str:
    """The clinic list holding the patient, in the clinic-list CSV format."""
    row = (
        f"{NAME},{DATE_OF_BIRTH:%d/%m/%Y},{NHS_NUMBER_SPACED},{HOSPITAL_NUMBER},"
        f"{clinic_date():%d/%m/%Y},Mr Tobias Surgeon\n"
    )
    return CSV_HEADER + row


def _expect(kind: type[DomainError], call: Callable[[], object]) -> DomainError:
    """Run a call that must fail with ``kind``; the error, which the app shows but never logs."""
    try:
        call()
    except kind as error:
        return error
    raise AssertionError(f"expected {kind.__name__}")


def _save(services: Services, doc: GeneratedDocument, out: Path, prefix: str, by: int) -> None:
    # The suggested name holds the patient's name: it belongs in OUTDIR only.
    services.documents.save_pdf(doc, out / f"{prefix}_{doc.suggested_filename}", by)


def _accounts(services: Services) -> dict[str, int]:
    """The first administrator, then a surgeon, a secretary and an auditor; person ids."""
    admin = first_person(services, ADMIN, roles={Role.ADMINISTRATOR}, username="admin")
    return {
        "admin": admin.id,
        "surgeon": add_person(services, SURGEON, {Role.SURGEON}, "surgeon").id,
        "secretary": add_person(services, SECRETARY, {Role.SECRETARY}, "secretary").id,
        "auditor": add_person(services, AUDITOR, {Role.AUDITOR}, "auditor").id,
    }


def _secretary(services: Services, out: Path, by: int, surgeon_id: int) -> int:
    """Import the clinic list, find the patient, pre-clinic leaflet saved and printed."""
    sign_in(services, "secretary")
    csv_path = out / "list.csv"
    csv_path.write_text(clinic_list_text(), encoding="utf-8-sig")
    preview = services.clinic_lists.read_clinic_list(csv_path)
    assert len(preview.importable) == 1, preview.problems
    (patient,) = services.clinic_lists.import_rows(preview, by)
    assert patient.name == NAME
    assert [p.id for p in services.patients.search("Zéphyrine")] == [patient.id]
    assert services.patients.find_by_nhs_number(NHS_NUMBER_SPACED) == patient
    # A correction, then back: the clinic-list command later must still match the patient.
    wrong = PatientDraft(NAME, date(1941, 3, 15), NHS_NUMBER, HOSPITAL_NUMBER)
    services.patients.update(patient.id, wrong, by)
    right = PatientDraft(NAME, DATE_OF_BIRTH, NHS_NUMBER_SPACED, HOSPITAL_NUMBER)
    services.patients.update(patient.id, right, by)
    services.patients.set_leaflet_format(patient.id, LeafletFormat.LARGE_PRINT, by)
    services.patients.set_leaflet_format(patient.id, LeafletFormat.STANDARD, by)
    leaflet = services.documents.leaflet_for_patient(
        patient.id, PACK_ID, VARIANT_ID, surgeon_id, clinic_date=clinic_date()
    )
    _save(services, leaflet, out, "pre-clinic", by)
    services.documents.record_printed(leaflet, "Clinic 3 printer", by)
    services.documents.events_for_patient(patient.id)
    services.accounts.sign_out()
    return patient.id


def _surgeon(services: Services, out: Path, by: int, patient_id: int) -> int:
    """The whole consultation, finalised and amended, with its leaflet and record saved."""
    sign_in(services, "surgeon")
    services.library.available()
    services.clinicians.all()
    consultations = services.consultations
    view = consultations.start(patient_id, by, PACK_ID, VARIANT_ID)
    cid = view.header.id
    topics = view.pack.topics_for(VARIANT_ID)
    for number, topic in enumerate(topics):
        if number == 1:
            reason = f"Already explained to {NAME} ({NOTE_WORD})"
            consultations.set_topic_state(cid, topic.id, TopicState.NOT_APPLICABLE, reason, by)
        elif number == 2:
            consultations.set_topic_state(cid, topic.id, TopicState.DECLINED, "", by)
        else:
            consultations.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", by)
    note = f"{NAME} ({NHS_NUMBER_SPACED}, {HOSPITAL_NUMBER}) asked about cement. {NOTE_WORD}"
    consultations.set_note(cid, topics[0].id, note, by)
    consultations.set_note(cid, topics[3].id, f"Second note {NOTE_WORD}", by)
    consultations.set_material(cid, topics[3].id, True, by)
    consultations.set_risk_factor(cid, view.pack.risk_factors[0].id, True, by)
    consultations.set_medicine(cid, view.pack.medicines[0].id, True, by)
    asked = consultations.save_question(
        cid, None, f"Will {NAME} garden again? {NOTE_WORD}", f"Yes, in weeks. {NOTE_WORD}", by
    )
    consultations.save_question(cid, asked.key, f"Will {NAME} walk far? {NOTE_WORD}", "Yes", by)
    extra = consultations.save_question(cid, None, f"Removed {NOTE_WORD}", "", by)
    consultations.remove_question(cid, extra.key, by)
    for detail, value in (
        (Detail.LEVELS, "t12 l1"),
        (Detail.OTHERS_PRESENT, f"Daughter of {NAME}"),
        (Detail.COMMUNICATION_NEEDS, f"Large print {NOTE_WORD}"),
        (Detail.CAPACITY, "presumed"),
        (Detail.CAPACITY_NOTE, f"Clear {NOTE_WORD}"),
        (Detail.DECISION, "proceed"),
    ):
        consultations.set_detail(cid, detail, value, by)
    consultations.end(cid, by)
    consultations.resume(cid, by)
    consultations.unfinished(by)
    consultations.for_patient(patient_id)
    consultations.record_view(cid, by)
    _save(services, services.documents.leaflet_for_consultation(cid), out, "draft", by)
    _save(services, services.documents.record_for_consultation(cid), out, "draft", by)
    consultations.finalise(cid, by)
    consultations.add_addendum(
        cid, f"Correction for {NAME}", f"The level was L2. {NOTE_WORD} {HOSPITAL_NUMBER}", by
    )
    record = services.documents.finalised_record(cid)
    _save(services, record, out, "final", by)
    services.documents.record_printed(record, "Clinic 3 printer", by)
    _save(services, services.documents.leaflet_for_consultation(cid), out, "final", by)
    # Refused edits: the errors are shown to the user, and must not be written anywhere.
    _expect(Finalised, lambda: consultations.set_note(cid, topics[0].id, NAME, by))
    _expect(InvalidInput, lambda: consultations.add_addendum(cid, " ", f"{NAME}", by))
    services.accounts.sign_out()
    return cid


def _auditor(services: Services, out: Path, by: int, cid: int) -> None:
    """Records browser, coverage report, every export, and a deep verify."""
    sign_in(services, "auditor")
    reporting = services.reporting
    found = RecordFilter(patient_text="Zéphyrine")
    assert reporting.count(found) == 1
    (row,) = reporting.page(found, SortKey.PATIENT, False, 0, 50)
    assert row.consultation_id == cid
    assert reporting.count(RecordFilter(patient_text=NHS_NUMBER_SPACED)) == 1
    reporting.page(RecordFilter(), SortKey.STARTED_AT, True, 0, 50)
    services.documents.finalised_record(cid)
    services.consultations.load(cid)
    report = reporting.coverage(RecordFilter())
    reporting.coverage(found, include_drafts=True)
    assert reporting.export_records_csv(RecordFilter(), out / "records.csv", None, by) == 1
    reporting.export_records_csv(found, out / "records-found.csv", lambda _d, _t: True, by)
    reporting.write_coverage_csv(report, out / "coverage.csv", by)
    reporting.save_coverage_pdf(report, out / "coverage.pdf", "Coverage", by)
    verified = services.audit.verify(deep=True)
    assert verified.ok, verified.text()
    services.accounts.sign_out()


def _administrator(services: Services, people: dict[str, int]) -> None:
    """Accounts listed, a password reset, an account disabled and enabled again."""
    sign_in(services, "admin")
    by = people["admin"]
    services.accounts.accounts()
    services.accounts.people_without_account()
    services.accounts.reset_password(people["surgeon"], NEW_PASSWORD, by)
    services.accounts.set_active(people["surgeon"], False, by)
    _expect(SignInRefused, lambda: services.accounts.sign_in("surgeon", NEW_PASSWORD))
    services.accounts.set_active(people["surgeon"], True, by)
    services.accounts.change_own_password(PASSWORD, NEW_PASSWORD)
    assert services.audit.verify().ok
    services.accounts.lock()
    sign_in(services, "auditor")  # takes over the locked session
    services.accounts.sign_out()


def _forced_errors(services: Services, people: dict[str, int]) -> None:
    """The refusals a user can cause, each raised and caught as the window would."""
    sign_in(services, "secretary")
    by = people["secretary"]
    other = PatientDraft("Another Person", date(1950, 1, 1), NHS_NUMBER)
    duplicate = _expect(Conflict, lambda: services.patients.add(other, by))
    # The message names the stored patient, so a logged one would show in the test.
    assert NAME in str(duplicate), str(duplicate)
    bad = PatientDraft(NAME, date.today() + timedelta(days=1), "123", HOSPITAL_NUMBER + "!")
    _expect(InvalidInput, lambda: services.patients.add(bad, by))
    _expect(Forbidden, lambda: services.reporting.count(RecordFilter(patient_text=NAME)))
    _expect(Forbidden, lambda: services.accounts.accounts())
    # A wrong password, and the patient's name typed into the user name box.
    _expect(SignInRefused, lambda: services.accounts.sign_in("secretary", f"{NAME} wrong"))
    _expect(SignInRefused, lambda: services.accounts.sign_in(NAME, PASSWORD))
    services.accounts.sign_out()


def main() -> None:
    """Walk every feature with the patient, then fail uncaught with their name in the message."""
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    # As the real app starts (app.run_window), but at DEBUG: a debug line leaks as badly.
    configure(paths.logs_dir(), logging.DEBUG)
    log.info("leak walk: starting")
    services = open_services(
        paths.database_url(), paths.procedures_dir(), password_hashing=FAST_HASHING
    )
    try:
        people = _accounts(services)
        services.accounts.sign_out()
        patient_id = _secretary(services, out, people["secretary"], people["surgeon"])
        cid = _surgeon(services, out, people["surgeon"], patient_id)
        _auditor(services, out, people["auditor"], cid)
        _administrator(services, people)
        _forced_errors(services, people)
    finally:
        services.close()
    log.info(FINISHED)
    # Uncaught, so that logging_setup's hook writes the crash report (log and stderr).
    raise RuntimeError(f"forced failure for {NAME} ({NHS_NUMBER}, {HOSPITAL_NUMBER}, {NOTE_WORD})")


if __name__ == "__main__":
    main()
