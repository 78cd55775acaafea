"""Audit seals: each run of signed events, and the change rows they vouch for, sealed as a block.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:00:00

A seal holds the SHA-256 of a block of consecutive events (every stored
field, the mac included) and of the change rows those events vouch for,
under an HMAC of its own. The key is not in the database, so no seal is
made here: the application seals the blocks of an upgraded database as it
appends its next events, after checking each block event by event.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_event_id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("events_sha256", sa.String(length=64), nullable=False),
        sa.Column("change_count", sa.Integer(), nullable=False),
        sa.Column("first_change_id", sa.Integer(), nullable=True),
        sa.Column("last_change_id", sa.Integer(), nullable=True),
        sa.Column("changes_sha256", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seals")),
    )
    # The head counts the seals under its mac, so a removed newest seal shows. A head
    # signed before seals existed has none, and its mac is made as before (audit_chain).
    with op.batch_alter_table("audit_chain") as batch:
        batch.add_column(sa.Column("seal_count", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("audit_chain") as batch:
        batch.drop_column("seal_count")
    op.drop_table("audit_seals")
