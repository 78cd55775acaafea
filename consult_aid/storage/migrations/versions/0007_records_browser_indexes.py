"""The records browser: each record's patient key, decision and status on it, and covering indexes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 09:00:00

The patient's search key (the patient order's key), the decision (a detail)
and the status (draft, finalised, amended: from the finalisation and the
addenda) are copied onto the consultation, so that one index can hold
everything the browser filters and sorts on. Six indexes, one per order the
browser lists records in, each led by its sort key and then start time and id,
and one led by the patient, replace the three narrower ones they contain. The
copies are filled here from the rows they copy; from then on the transaction
that corrects a patient's name, changes a decision, finalises a record or adds
an addendum keeps them. The backfill is written against plain table
definitions so that this revision does not change when the models do.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BROWSED = ("clinician_id", "pack_id", "variant_id", "decision", "status", "patient_id")
_LEADS = {
    "clinician_id": ("clinician_id",),
    "decision": ("decision",),
    "status": ("status",),
    "patient_key": ("patient_key", "patient_id"),
    "patient_id": ("patient_id",),
}
_REPLACED = {
    "ix_consultations_started_at": ["started_at"],
    "ix_consultations_clinician_id_started_at": ["clinician_id", "started_at"],
    "ix_consultations_patient_id": ["patient_id"],
}


def _columns(lead: tuple[str, ...]) -> list[str]:
    return [*lead, "started_at", "id", *(c for c in _BROWSED if c not in lead)]


def upgrade() -> None:
    """Apply this revision."""
    # Added in place: copying the consultations table, as batch mode would, is
    # refused while other tables refer to its rows.
    op.add_column(
        "consultations",
        sa.Column("patient_key", sa.String(length=400), server_default="", nullable=False),
    )
    op.add_column(
        "consultations",
        sa.Column("decision", sa.String(length=30), server_default="undecided", nullable=False),
    )
    op.add_column(
        "consultations",
        sa.Column("status", sa.String(length=20), server_default="draft", nullable=False),
    )
    _backfill()
    for name in _REPLACED:
        op.drop_index(name, table_name="consultations")
    op.create_index("ix_consultations_browse_started_at", "consultations", _columns(()))
    for name, lead in _LEADS.items():
        # The patient's own index also holds the key of the patient order, last.
        last = ["patient_key"] if name == "patient_id" else []
        op.create_index(f"ix_consultations_browse_{name}", "consultations", _columns(lead) + last)


def _backfill() -> None:
    c = sa.table(
        "consultations",
        sa.column("id", sa.Integer()),
        sa.column("patient_id", sa.Integer()),
        sa.column("patient_key", sa.String()),
        sa.column("finalised_at", sa.DateTime()),
        sa.column("decision", sa.String()),
        sa.column("status", sa.String()),
    )
    d = sa.table(
        "consultation_details",
        sa.column("consultation_id", sa.Integer()),
        sa.column("detail", sa.String()),
        sa.column("value", sa.String()),
    )
    a = sa.table("addenda", sa.column("consultation_id", sa.Integer()))
    p = sa.table("patients", sa.column("id", sa.Integer()), sa.column("search_key", sa.String()))
    key = sa.select(p.c.search_key).where(p.c.id == c.c.patient_id).scalar_subquery()
    decided = sa.select(d.c.consultation_id).where(d.c.detail == "decision")
    recorded = (
        sa.select(d.c.value)
        .where(d.c.consultation_id == c.c.id, d.c.detail == "decision")
        .scalar_subquery()
    )
    bind = op.get_bind()
    bind.execute(sa.update(c).values(patient_key=key))
    bind.execute(sa.update(c).where(c.c.id.in_(decided)).values(decision=recorded))
    finalised = c.c.finalised_at.is_not(None)
    amended = c.c.id.in_(sa.select(a.c.consultation_id))
    bind.execute(sa.update(c).where(finalised, ~amended).values(status="finalised"))
    bind.execute(sa.update(c).where(finalised, amended).values(status="amended"))


def downgrade() -> None:
    """Undo this revision."""
    for name in (*_LEADS, "started_at"):
        op.drop_index(f"ix_consultations_browse_{name}", table_name="consultations")
    for name, columns in _REPLACED.items():
        op.create_index(name, "consultations", columns)
    for column in ("status", "decision", "patient_key"):
        op.drop_column("consultations", column)
