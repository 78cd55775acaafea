"""The tables, as typed SQLAlchemy 2 models; Alembic migrations must match these exactly.

Only portable types are used (no SQLite-only behaviour) so that the same models
serve PostgreSQL later. Two tables are append-only and give the history:
``consultation_changes`` (what the projection tables are replayed from) and
``audit_log`` (who did what). Their ids never go back or get reused, which the
HMAC chain over the audit log relies on; ``addenda`` is append-only too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from consult_aid.domain.consultation import Decision
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.utc_datetime import UtcDateTime

# Fixed constraint names keep migrations portable and comparable across backends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NAME_LENGTH = 200
ID_LENGTH = 100


class Base(DeclarativeBase):
    """Base of every table; datetimes are always aware UTC, JSON is portable JSON."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute as is
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
    }


class ClinicianRow(Base):
    """A clinician's profile."""

    __tablename__ = "clinicians"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    role: Mapped[str] = mapped_column(String(80))
    gmc_number: Mapped[str] = mapped_column(String(7))
    hospital: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PatientRow(Base):
    """A patient; the NHS number (ten digits, no spaces) is unique."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nhs_number: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    # The name folded to plain lower-case letters, so LIKE finds "zoe" in "Zoë" on any backend.
    search_key: Mapped[str] = mapped_column(String(2 * NAME_LENGTH), index=True)
    date_of_birth: Mapped[date] = mapped_column(Date)
    hospital_number: Mapped[str] = mapped_column(String(20), index=True)
    # The print size chosen for this patient (a LeafletFormat value), remembered between visits.
    leaflet_format: Mapped[str] = mapped_column(
        String(20), default="standard", server_default="standard"
    )
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    updated_at: Mapped[datetime]
    updated_by: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))


class PackSnapshotRow(Base):
    """The exact text of a content pack as used, so an old consultation reads as it was held."""

    __tablename__ = "pack_snapshots"

    content_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    version: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime]


# What the records browser filters on, besides the start time and the record number.
_BROWSED = ("clinician_id", "pack_id", "variant_id", "decision", "status", "patient_id")


def _browsed(*lead: str) -> list[str]:
    """A browser index's columns: ``lead``, then start time and id, then the other filters."""
    return [*lead, "started_at", "id", *(c for c in _BROWSED if c not in lead)]


class ConsultationRow(Base):
    """A consultation's fixed header: who, with which exact content, and when."""

    __tablename__ = "consultations"
    __table_args__ = (
        Index("ix_consultations_ended_at_started_at", "ended_at", "started_at"),
        # The records browser's indexes: one per order it lists records in (start
        # time, and start time within a clinician, a decision, a status, or a
        # patient by name), each also holding every column its filters test, so
        # that a page, a count or a skip over thousands of rows reads the index
        # alone, never the table; and one led by the patient, for a patient search.
        Index("ix_consultations_browse_started_at", *_browsed()),
        Index("ix_consultations_browse_clinician_id", *_browsed("clinician_id")),
        Index("ix_consultations_browse_decision", *_browsed("decision")),
        Index("ix_consultations_browse_status", *_browsed("status")),
        Index("ix_consultations_browse_patient_key", *_browsed("patient_key", "patient_id")),
        # The patient key last: the records of the patients a search found are sorted
        # by patient from this index alone.
        Index("ix_consultations_browse_patient_id", *_browsed("patient_id"), "patient_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    pack_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    pack_version: Mapped[str] = mapped_column(String(50))
    pack_hash: Mapped[str] = mapped_column(ForeignKey("pack_snapshots.content_hash"))
    variant_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Set once, when the record is finalised; never cleared. No foreign key: SQLite
    # cannot add one to an existing table without copying it, which the tables that
    # refer to consultations forbid; the finalising service checks the clinician.
    finalised_at: Mapped[datetime | None] = mapped_column(index=True)
    finalised_by: Mapped[int | None] = mapped_column(Integer)
    # Copies kept for the records browser's indexes, each written in the transaction
    # that changes what it copies: the patient's search key (the patient order is by
    # it, then patient id), the decision detail as recorded ("undecided" while none
    # is), and the status (draft; finalised; amended once an addendum is added).
    patient_key: Mapped[str] = mapped_column(String(2 * NAME_LENGTH), server_default="")
    decision: Mapped[str] = mapped_column(
        String(30), default=Decision.UNDECIDED.value, server_default=Decision.UNDECIDED.value
    )
    status: Mapped[str] = mapped_column(
        String(20), default=RecordStatus.DRAFT.value, server_default=RecordStatus.DRAFT.value
    )


class ChangeRow(Base):
    """One entry of a consultation's append-only change log."""

    __tablename__ = "consultation_changes"
    __table_args__ = (
        UniqueConstraint("consultation_id", "seq"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(ID_LENGTH))
    value: Mapped[dict[str, Any]]
    at: Mapped[datetime]
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))


class TopicStateRow(Base):
    """Projection: where one topic of a consultation stands now."""

    __tablename__ = "topic_states"
    # Coverage counts states per topic across many consultations; the export
    # reads every state of a consultation from the covering index alone.
    __table_args__ = (
        Index("ix_topic_states_topic_id_state", "topic_id", "state"),
        Index("ix_topic_states_consultation_topic_state", "consultation_id", "topic_id", "state"),
    )

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    state: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    material: Mapped[bool]
    changed_at: Mapped[datetime | None]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))


class ChecklistTickRow(Base):
    """Projection: a ticked risk factor or medicine (no row means not ticked)."""

    __tablename__ = "checklist_ticks"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    checklist: Mapped[str] = mapped_column(String(30), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)


class QuestionRow(Base):
    """Projection: a question the patient asked and the answer, in the order first asked."""

    __tablename__ = "questions"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)


class DetailRow(Base):
    """Projection: the current value of one free-standing detail of a consultation."""

    __tablename__ = "consultation_details"
    # The records browser filters and sorts by the decision: a range of this index.
    __table_args__ = (
        Index("ix_consultation_details_detail_value", "detail", "value", "consultation_id"),
    )

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    detail: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditRow(Base):
    """One line of the append-only audit trail: who did what, to what, when."""

    __tablename__ = "audit_log"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    # Null only for first-run setup, before any clinician exists.
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    detail: Mapped[dict[str, Any]]
    workstation: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # The consultation's last change number when the event happened, where one applies.
    record_version: Mapped[int | None] = mapped_column(Integer)
    old_value: Mapped[Any | None] = mapped_column(JSON)
    new_value: Mapped[Any | None] = mapped_column(JSON)
    # SHA-256 of the stored row this event wrote (a change, an addendum), so that an
    # edit of that row is found by comparing it with the signed event.
    row_digest: Mapped[str | None] = mapped_column(String(64))
    # HMAC-SHA256 over this event and the previous event's mac (see audit_chain).
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditChainRow(Base):
    """The head of the audit chain (one row): a deleted tail of events shows against it."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_count: Mapped[int] = mapped_column(Integer)
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_mac: Mapped[str] = mapped_column(String(64))
    head_mac: Mapped[str] = mapped_column(String(64))
    seal_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditSealRow(Base):
    """A sealed block of the audit trail: its events and the change rows they vouch for.

    Attributes:
        events_sha256: SHA-256 of the block's events, one canonical JSON line each
            (every stored field, the mac last).
        changes_sha256: SHA-256 of the change rows of the block's change events, in
            event order, one canonical JSON line each.
        first_change_id, last_change_id: those rows' ids, when they are exactly the
            rows with ids in this range (as on SQLite); None when they are not.
        mac: HMAC-SHA256 over all of the above (audit_seals.seal_mac).
    """

    __tablename__ = "audit_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_event_id: Mapped[int] = mapped_column(Integer)
    last_event_id: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    events_sha256: Mapped[str] = mapped_column(String(64))
    change_count: Mapped[int] = mapped_column(Integer)
    first_change_id: Mapped[int | None] = mapped_column(Integer)
    last_change_id: Mapped[int | None] = mapped_column(Integer)
    changes_sha256: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class FinalisedRecordRow(Base):
    """A record as finalised: its PDF, kept byte for byte, and what proves it unaltered."""

    __tablename__ = "finalised_records"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    record_version: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime]
    # The patient and clinicians as printed, so the fingerprint can be recomputed
    # from the log even after a patient's details are corrected.
    basis: Mapped[dict[str, Any]]


class AddendumRow(Base):
    """An addendum to a finalised record; appended, never changed."""

    __tablename__ = "addenda"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    at: Mapped[datetime]
    by: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    reason: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class DocumentEventRow(Base):
    """One print or save of a leaflet or record, appended and never changed.

    ``destination`` is a printer's name or a file's name, never its folder: a
    folder path may itself hold a patient's name.
    """

    __tablename__ = "document_events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    output: Mapped[str] = mapped_column(String(20))
    destination: Mapped[str] = mapped_column(String(255))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    record_version: Mapped[int] = mapped_column(Integer)
    leaflet_format: Mapped[str] = mapped_column(String(20))
    pack_version: Mapped[str] = mapped_column(String(50))
    # The snapshot must exist, so that what was printed can always be rebuilt.
    pack_hash: Mapped[str] = mapped_column(ForeignKey("pack_snapshots.content_hash"))
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    by: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))


class CoverageCountRow(Base):
    """How many finalised records left a topic in a state, per pack, variant, clinician, month.

    Written in the transaction that finalises a record, and never changed after
    (a finalised record's topic states are fixed; addenda do not touch them), so
    the coverage report sums this small table instead of every topic state. The
    rows with an empty topic_id and state count the records of the group.
    """

    __tablename__ = "coverage_counts"

    pack_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "YYYY-MM" of started_at, UTC
    topic_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    state: Mapped[str] = mapped_column(String(30), primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    count: Mapped[int] = mapped_column(Integer)


class AccountRow(Base):
    """A person's sign-in account: one per staff profile, never deleted (disabled instead).

    The password is kept only as an argon2id hash. ``failed_attempts`` and
    ``last_failed_at`` slow repeated wrong passwords down across restarts.
    """

    __tablename__ = "accounts"

    person_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[str] = mapped_column(String(100))  # "auditor,surgeon": see domain.access
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]
