"""Finalised records and addenda, a signed audit trail, and indexes for the records browser.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Added in place (nullable, no foreign key): copying the consultations table, as
    # batch mode would, is refused while other tables refer to its rows.
    op.add_column("consultations", sa.Column("finalised_at", sa.DateTime(timezone=True)))
    op.add_column("consultations", sa.Column("finalised_by", sa.Integer()))
    op.create_index(
        op.f("ix_consultations_started_at"), "consultations", ["started_at"], unique=False
    )
    op.create_index(
        "ix_consultations_clinician_id_started_at",
        "consultations",
        ["clinician_id", "started_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_consultations_finalised_at"), "consultations", ["finalised_at"], unique=False
    )
    op.create_index(
        "ix_topic_states_topic_id_state", "topic_states", ["topic_id", "state"], unique=False
    )
    op.create_index(
        "ix_topic_states_consultation_topic_state",
        "topic_states",
        ["consultation_id", "topic_id", "state"],
        unique=False,
    )
    op.create_index(
        "ix_consultation_details_detail_value",
        "consultation_details",
        ["detail", "value", "consultation_id"],
        unique=False,
    )
    # Rows from before this revision have no mac; the first event appended after it
    # signs them in order (consult_aid.storage.audit), since only the app holds the key.
    op.add_column(
        "audit_log",
        sa.Column("workstation", sa.String(length=255), server_default="", nullable=False),
    )
    op.add_column("audit_log", sa.Column("record_version", sa.Integer()))
    op.add_column("audit_log", sa.Column("old_value", sa.JSON()))
    op.add_column("audit_log", sa.Column("new_value", sa.JSON()))
    op.add_column("audit_log", sa.Column("row_digest", sa.String(length=64)))
    op.add_column("audit_log", sa.Column("mac", sa.String(length=64)))
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_mac", sa.String(length=64), nullable=False),
        sa.Column("head_mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    op.create_table(
        "finalised_records",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_finalised_records_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_finalised_records")),
    )
    op.create_table(
        "addenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["clinicians.id"], name=op.f("fk_addenda_by_clinicians")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_addenda_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addenda")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_addenda_consultation_id"), "addenda", ["consultation_id"], unique=False
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_addenda_consultation_id"), table_name="addenda")
    op.drop_table("addenda")
    op.drop_table("finalised_records")
    op.drop_table("audit_chain")
    for column in ("mac", "row_digest", "new_value", "old_value", "record_version", "workstation"):
        op.drop_column("audit_log", column)
    op.drop_index("ix_consultation_details_detail_value", table_name="consultation_details")
    op.drop_index("ix_topic_states_consultation_topic_state", table_name="topic_states")
    op.drop_index("ix_topic_states_topic_id_state", table_name="topic_states")
    op.drop_index(op.f("ix_consultations_finalised_at"), table_name="consultations")
    op.drop_index("ix_consultations_clinician_id_started_at", table_name="consultations")
    op.drop_index(op.f("ix_consultations_started_at"), table_name="consultations")
    op.drop_column("consultations", "finalised_by")
    op.drop_column("consultations", "finalised_at")
