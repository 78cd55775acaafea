"""Patients and clinicians, and the rules their fields must meet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from consult_aid.domain import nhs_number
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.errors import InvalidInput

EARLIEST_BIRTH = date(1900, 1, 1)
_GMC = re.compile(r"^[0-9]{7}$")  # ASCII only: \d would take Arabic-Indic digits
_HOSPITAL_NUMBER = re.compile(r"^[A-Za-z0-9/-]{1,20}$")
_MAX_NAME = 200


def _clean(text: str) -> str:
    """Collapse runs of white space; a name is one line."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class PatientDraft:
    """A patient as typed, before the store gives it an id."""

    name: str
    date_of_birth: date | None
    nhs_number: str
    hospital_number: str = ""

    def validated(self, today: date) -> PatientDraft:
        """Return a cleaned copy, or raise InvalidInput naming each bad field."""
        problems: dict[str, str] = {}
        name = _clean(self.name)
        if not name:
            problems["name"] = "Enter the patient's name."
        elif len(name) > _MAX_NAME:
            problems["name"] = f"A name can be at most {_MAX_NAME} characters."
        if self.date_of_birth is None:
            problems["date_of_birth"] = "Enter the date of birth."
        elif self.date_of_birth > today:
            problems["date_of_birth"] = "The date of birth is in the future."
        elif self.date_of_birth < EARLIEST_BIRTH:
            problems["date_of_birth"] = "The date of birth is before 1900."
        nhs_problem = nhs_number.problem(self.nhs_number)
        if nhs_problem:
            problems["nhs_number"] = nhs_problem
        hospital = self.hospital_number.strip()
        if hospital and not _HOSPITAL_NUMBER.match(hospital):
            problems["hospital_number"] = (
                "A hospital number holds letters, digits, '/' or '-' (at most 20)."
            )
        if problems:
            raise InvalidInput(problems)
        return PatientDraft(
            name=name,
            date_of_birth=self.date_of_birth,
            nhs_number=nhs_number.normalise(self.nhs_number),
            hospital_number=hospital.upper(),
        )


@dataclass(frozen=True, slots=True)
class Patient:
    """A stored patient; ``leaflet_format`` is the print size chosen for them, remembered."""

    id: int
    name: str
    date_of_birth: date
    nhs_number: str
    hospital_number: str
    leaflet_format: LeafletFormat = LeafletFormat.STANDARD

    @property
    def nhs_number_display(self) -> str:
        """The NHS number as 3-3-4."""
        return nhs_number.display(self.nhs_number)


class ClinicianRole(StrEnum):
    """A staff member's job title as printed on a record.

    Every account holder has a staff profile (the ``clinicians`` table), so that
    the audit trail names one person for every action; the last three titles are
    for staff who never consult.
    """

    CONSULTANT_SURGEON = "Consultant spinal surgeon"
    SPECIALTY_SURGEON = "Specialty doctor (spinal surgery)"
    REGISTRAR = "Specialist registrar"
    FELLOW = "Spinal fellow"
    NURSE_PRACTITIONER = "Advanced nurse practitioner"
    MEDICAL_SECRETARY = "Medical secretary"
    CLINICAL_AUDITOR = "Clinical audit"
    SYSTEM_ADMINISTRATOR = "System administrator"

    @property
    def is_doctor(self) -> bool:
        """Whether this title needs a GMC number."""
        return self in _DOCTORS

    @property
    def consults(self) -> bool:
        """Whether a person with this title may hold consultations (the surgeon role)."""
        return self in _DOCTORS or self is ClinicianRole.NURSE_PRACTITIONER


_DOCTORS = frozenset(
    {
        ClinicianRole.CONSULTANT_SURGEON,
        ClinicianRole.SPECIALTY_SURGEON,
        ClinicianRole.REGISTRAR,
        ClinicianRole.FELLOW,
    }
)


@dataclass(frozen=True, slots=True)
class ClinicianDraft:
    """A clinician's profile as typed."""

    name: str
    role: ClinicianRole
    gmc_number: str
    hospital: str

    def validated(self) -> ClinicianDraft:
        """Return a cleaned copy, or raise InvalidInput naming each bad field."""
        problems: dict[str, str] = {}
        name = _clean(self.name)
        if not name:
            problems["name"] = "Enter your name."
        elif len(name) > _MAX_NAME:
            problems["name"] = f"A name can be at most {_MAX_NAME} characters."
        gmc = self.gmc_number.strip().replace(" ", "")
        needs_gmc = self.role.is_doctor
        if needs_gmc and not _GMC.match(gmc):
            problems["gmc_number"] = "A GMC number has exactly 7 digits."
        elif gmc and not _GMC.match(gmc):
            problems["gmc_number"] = "A GMC number has exactly 7 digits (or leave it empty)."
        hospital = _clean(self.hospital)
        if not hospital:
            problems["hospital"] = "Enter the hospital."
        if problems:
            raise InvalidInput(problems)
        return ClinicianDraft(name=name, role=self.role, gmc_number=gmc, hospital=hospital)


@dataclass(frozen=True, slots=True)
class Clinician:
    """A stored clinician profile."""

    id: int
    name: str
    role: ClinicianRole
    gmc_number: str
    hospital: str
