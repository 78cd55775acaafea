"""The first schema: people, content snapshots, consultations and their change log, audit.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 02:29:23.738658
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("gmc_number", sa.String(length=7), nullable=False),
        sa.Column("hospital", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
    )
    op.create_table(
        "pack_snapshots",
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_pack_snapshots")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name=op.f("fk_audit_log_clinician_id_clinicians")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nhs_number", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("search_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("hospital_number", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["clinicians.id"], name=op.f("fk_patients_created_by_clinicians")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["clinicians.id"], name=op.f("fk_patients_updated_by_clinicians")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("nhs_number", name=op.f("uq_patients_nhs_number")),
    )
    op.create_index(
        op.f("ix_patients_hospital_number"), "patients", ["hospital_number"], unique=False
    )
    op.create_index(op.f("ix_patients_search_key"), "patients", ["search_key"], unique=False)

    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("pack_version", sa.String(length=50), nullable=False),
        sa.Column("pack_hash", sa.String(length=128), nullable=False),
        sa.Column("variant_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinicians.id"],
            name=op.f("fk_consultations_clinician_id_clinicians"),
        ),
        sa.ForeignKeyConstraint(
            ["pack_hash"],
            ["pack_snapshots.content_hash"],
            name=op.f("fk_consultations_pack_hash_pack_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_consultations_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    op.create_index(
        op.f("ix_consultations_ended_at_started_at"),
        "consultations",
        ["ended_at", "started_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_consultations_patient_id"), "consultations", ["patient_id"], unique=False
    )

    op.create_table(
        "checklist_ticks",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.String(length=30), nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_checklist_ticks_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint(
            "consultation_id", "checklist", "item_id", name=op.f("pk_checklist_ticks")
        ),
    )
    op.create_table(
        "consultation_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinicians.id"],
            name=op.f("fk_consultation_changes_clinician_id_clinicians"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_changes_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_changes")),
        sa.UniqueConstraint(
            "consultation_id", "seq", name=op.f("uq_consultation_changes_consultation_id_seq")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "consultation_details",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_details_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("consultation_id", "detail", name=op.f("pk_consultation_details")),
    )
    op.create_table(
        "questions",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_questions_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("consultation_id", "question_id", name=op.f("pk_questions")),
    )
    op.create_table(
        "topic_states",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("material", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["clinicians.id"], name=op.f("fk_topic_states_changed_by_clinicians")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_topic_states_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("consultation_id", "topic_id", name=op.f("pk_topic_states")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("topic_states")
    op.drop_table("questions")
    op.drop_table("consultation_details")
    op.drop_table("consultation_changes")
    op.drop_table("checklist_ticks")
    op.drop_index(op.f("ix_consultations_patient_id"), table_name="consultations")
    op.drop_index(op.f("ix_consultations_ended_at_started_at"), table_name="consultations")

    op.drop_table("consultations")
    op.drop_index(op.f("ix_patients_search_key"), table_name="patients")
    op.drop_index(op.f("ix_patients_hospital_number"), table_name="patients")

    op.drop_table("patients")
    op.drop_table("audit_log")
    op.drop_table("pack_snapshots")
    op.drop_table("clinicians")
