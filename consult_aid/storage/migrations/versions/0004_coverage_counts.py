"""Coverage counts: finalised records counted per pack, variant, clinician, month, topic, state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 09:00:00

The table is filled here from the records already finalised, the same way
consult_aid.storage.reporting_counts rebuilds it; from then on finalising a
record adds it in its own transaction. The backfill is written against plain
table definitions so that this revision does not change when the models do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RECORDS = ""  # topic_id and state of the rows that count a group's records
_OPEN = "not_addressed"


def upgrade() -> None:
    """Apply this revision."""
    counts = op.create_table(
        "coverage_counts",
        sa.Column("pack_hash", sa.String(length=128), nullable=False),
        sa.Column("variant_id", sa.String(length=100), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("topic_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "pack_hash",
            "variant_id",
            "clinician_id",
            "month",
            "topic_id",
            "state",
            name=op.f("pk_coverage_counts"),
        ),
    )
    op.bulk_insert(counts, _backfill())


def _backfill() -> list[dict[str, Any]]:
    c = sa.table(
        "consultations",
        sa.column("id", sa.Integer()),
        sa.column("pack_hash", sa.String()),
        sa.column("pack_id", sa.String()),
        sa.column("variant_id", sa.String()),
        sa.column("clinician_id", sa.Integer()),
        sa.column("started_at", sa.DateTime()),
        sa.column("finalised_at", sa.DateTime()),
    )
    t = sa.table(
        "topic_states",
        sa.column("consultation_id", sa.Integer()),
        sa.column("topic_id", sa.String()),
        sa.column("state", sa.String()),
    )
    group = (c.c.pack_hash, c.c.pack_id, c.c.variant_id, c.c.clinician_id)
    month = (sa.extract("year", c.c.started_at), sa.extract("month", c.c.started_at))
    finalised = c.c.finalised_at.is_not(None)
    records = sa.select(*group, *month, sa.func.count()).where(finalised).group_by(*group, *month)
    states = (
        sa.select(*group, *month, t.c.topic_id, t.c.state, sa.func.count())
        .join(t, t.c.consultation_id == c.c.id)
        .where(finalised, t.c.state != _OPEN)
        .group_by(*group, *month, t.c.topic_id, t.c.state)
    )
    bind = op.get_bind()
    rows = [
        _row(h, p, v, cl, y, m, _RECORDS, _RECORDS, n)
        for h, p, v, cl, y, m, n in bind.execute(records)
    ]
    rows += [
        _row(h, p, v, cl, y, m, topic, state, n)
        for h, p, v, cl, y, m, topic, state, n in bind.execute(states)
    ]
    return rows


def _row(
    pack_hash: str,
    pack_id: str,
    variant: str,
    clinician: int,
    year: Any,
    month: Any,
    topic: str,
    state: str,
    count: int,
) -> dict[str, Any]:
    return {
        "pack_hash": pack_hash,
        "pack_id": pack_id,
        "variant_id": variant,
        "clinician_id": int(clinician),
        "month": f"{int(year):04d}-{int(month):02d}",
        "topic_id": topic,
        "state": state,
        "count": int(count),
    }


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("coverage_counts")
