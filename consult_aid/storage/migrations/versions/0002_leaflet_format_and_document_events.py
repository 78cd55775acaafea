"""A patient's remembered leaflet format, and the record of every print and save.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Existing patients get the standard format from the server default; SQLite adds
    # such a column in place, so batch mode has no table to copy here.
    with op.batch_alter_table("patients") as batch:
        batch.add_column(
            sa.Column(
                "leaflet_format",
                sa.String(length=20),
                server_default="standard",
                nullable=False,
            )
        )
    op.create_table(
        "document_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("output", sa.String(length=20), nullable=False),
        sa.Column("destination", sa.String(length=255), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("leaflet_format", sa.String(length=20), nullable=False),
        sa.Column("pack_version", sa.String(length=50), nullable=False),
        sa.Column("pack_hash", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by"], ["clinicians.id"], name=op.f("fk_document_events_by_clinicians")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_document_events_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["pack_hash"],
            ["pack_snapshots.content_hash"],
            name=op.f("fk_document_events_pack_hash_pack_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_document_events_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_document_events_patient_id"), "document_events", ["patient_id"], unique=False
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_document_events_patient_id"), table_name="document_events")
    op.drop_table("document_events")
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("leaflet_format")
