"""The one way a record of discussion's request is built: for printing, finalising, checking.

Printing a record now, finalising it and recomputing a finalised record's
fingerprint must gather the same facts the same way, or a clean record would
not match itself. The patient and clinicians printed at finalisation are kept
as plain JSON (the "basis"), so that a later correction of a patient's details
leaves the finalised record's fingerprint recomputable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from consult_aid.domain.consultation import Change, ConsultationHeader, replay
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.finalisation import Addendum
from consult_aid.domain.people import Clinician, ClinicianRole, Patient

if TYPE_CHECKING:
    from consult_aid.documents.requests import RecordRequest


def record_request(
    pack: ContentPack,
    header: ConsultationHeader,
    history: Iterable[Change],
    patient: Patient,
    clinicians: Mapping[int, Clinician],
    printed_at: datetime,
    addenda: Iterable[Addendum] = (),
) -> RecordRequest:
    """The request for the record as the log ``history`` leaves it, with any addenda."""
    from consult_aid.documents.requests import RecordRequest

    changes = tuple(history)
    return RecordRequest(
        pack=pack,
        header=header,
        # Replayed from the very log it prints, so state and history always agree.
        state=replay(changes),
        history=changes,
        patient=patient,
        clinicians=dict(clinicians),
        leaflet_format=patient.leaflet_format,
        printed_at=printed_at,
        addenda=tuple(addenda),
    )


def basis(patient: Patient, clinicians: Mapping[int, Clinician]) -> dict[str, Any]:
    """The patient and clinicians as plain JSON, kept with a finalised record."""
    person = asdict(patient)
    person["date_of_birth"] = patient.date_of_birth.isoformat()
    person["leaflet_format"] = patient.leaflet_format.value
    people = [
        {**asdict(clinician), "role": clinician.role.value}
        for _, clinician in sorted(clinicians.items())
    ]
    return {"patient": person, "clinicians": people}


def from_basis(stored: Mapping[str, Any]) -> tuple[Patient, dict[int, Clinician]]:
    """The patient and clinicians back from ``basis``; KeyError or ValueError if malformed."""
    person = dict(stored["patient"])
    patient = Patient(
        id=int(person["id"]),
        name=str(person["name"]),
        date_of_birth=date.fromisoformat(str(person["date_of_birth"])),
        nhs_number=str(person["nhs_number"]),
        hospital_number=str(person["hospital_number"]),
        leaflet_format=LeafletFormat(person["leaflet_format"]),
    )
    clinicians = {
        int(item["id"]): Clinician(
            id=int(item["id"]),
            name=str(item["name"]),
            role=ClinicianRole(item["role"]),
            gmc_number=str(item["gmc_number"]),
            hospital=str(item["hospital"]),
        )
        for item in stored["clinicians"]
    }
    return patient, clinicians
