"""Read-only views the services hand to the window and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consult_aid.domain.access import Account
from consult_aid.domain.consultation import (
    ConsultationHeader,
    ConsultationState,
    Progress,
    progress,
)
from consult_aid.domain.content import ContentPack
from consult_aid.domain.finalisation import Addendum, RecordStatus
from consult_aid.domain.people import Clinician, Patient


@dataclass(frozen=True, slots=True)
class ConsultationView:
    """Everything the walkthrough needs about one consultation.

    Attributes:
        header: what it is about and the exact content version it was held with.
        pack: that exact content (from the stored snapshot, never a newer pack).
        state: the current state, replayed from the change log.
        patient: the patient.
        clinician: the clinician who started it.
        status: draft, finalised, or finalised and amended.
        finalised_at, finalised_by: when and by whom it was finalised (None: a draft).
        addenda: corrections added since, oldest first.
    """

    header: ConsultationHeader
    pack: ContentPack
    state: ConsultationState
    patient: Patient
    clinician: Clinician
    status: RecordStatus = RecordStatus.DRAFT
    finalised_at: datetime | None = None
    finalised_by: int | None = None
    addenda: tuple[Addendum, ...] = ()

    @property
    def finalised(self) -> bool:
        """True once finalised: the services then refuse any change but an addendum."""
        return self.finalised_at is not None

    @property
    def progress(self) -> Progress:
        """Topics settled of those this consultation's variant needs."""
        return progress(self.pack, self.header.variant_id, self.state)


@dataclass(frozen=True, slots=True)
class ConsultationSummary:
    """One line in a list of consultations (to resume, or a patient's history)."""

    id: int
    patient: Patient
    clinician_name: str
    pack_title: str
    variant_name: str
    started_at: datetime
    ended_at: datetime | None
    settled: int
    total: int


@dataclass(frozen=True, slots=True)
class AccountView:
    """An account with the profile of the person who holds it (for the administrator)."""

    account: Account
    person: Clinician
