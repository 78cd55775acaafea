"""What a caller hands over to build a document: everything it prints, nothing more."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from consult_aid.domain.consultation import Change, ConsultationHeader, ConsultationState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import LeafletFormat
from consult_aid.domain.finalisation import Addendum
from consult_aid.domain.people import Clinician, Patient


@dataclass(frozen=True, slots=True)
class LeafletRequest:
    """A personalised leaflet for one patient.

    Attributes:
        pack: the content the leaflet is made from.
        variant_id: balloon or SpineJack; only that variant's topics are printed.
        patient: whose leaflet; named on every page.
        leaflet_format: standard or large print.
        hospital: printed on the front.
        surgeon: the surgeon, when known.
        header: the consultation; None for a pre-clinic leaflet.
        state: what the surgeon recorded; None prints no personal notes or ticks.
        recovery_app_url: a QR code and the printed link when given.
        clinic_date: the clinic appointment, when known.
        surgeon_name: a surgeon known only by name (a clinic list's column),
            printed as given, without a role, when ``surgeon`` is None.
    """

    pack: ContentPack
    variant_id: str
    patient: Patient
    leaflet_format: LeafletFormat
    hospital: str
    surgeon: Clinician | None = None
    header: ConsultationHeader | None = None
    state: ConsultationState | None = None
    recovery_app_url: str = ""
    clinic_date: date | None = None
    surgeon_name: str = ""


@dataclass(frozen=True, slots=True)
class RecordRequest:
    """A record of discussion for one consultation.

    Attributes:
        pack: the content the discussion was held with.
        header: the consultation.
        state: its current state, replayed from ``history``.
        history: the change log, oldest first.
        patient: whose record.
        clinicians: everyone who appears in the log, by id.
        leaflet_format: the leaflet given (its title and version come from the pack).
        printed_at: when it was printed, UTC; printed but not part of the fingerprint.
        addenda: corrections made after finalisation, printed after the original content
            (and part of the fingerprint; none leaves the fingerprint as finalised).
    """

    pack: ContentPack
    header: ConsultationHeader
    state: ConsultationState
    history: tuple[Change, ...]
    patient: Patient
    clinicians: Mapping[int, Clinician]
    leaflet_format: LeafletFormat
    printed_at: datetime
    addenda: tuple[Addendum, ...] = ()
