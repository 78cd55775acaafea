"""The records export's reads: every matching record, in record order, as plain values.

Two queries, both in record order, stream side by side and are merged here:
the records, and every record's topic states, aggregated in one pass over the
topic-state index rather than looked up record by record. A record's topics
come as two texts, its topic ids and their states, each joined by SEP: both
aggregates of one group read its rows in the same order, so the n-th state is
the n-th topic's whatever order that is, and the list of topic ids, which
records of one pack and variant share, can be laid out once for them all
(services.reporting.exports). Rows stay as the driver returns them: no row
objects or type conversion for a hundred thousand records.

Only portable SQL is used (``aggregate_strings``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from consult_aid.storage.models import ClinicianRow, ConsultationRow, PatientRow, TopicStateRow
from consult_aid.storage.reporting_filters import RecordFilter, resolved_conditions
from consult_aid.storage.reporting_patients import MAX_LISTED

# Joins a record's topic ids, and its states: a control character no topic id or state holds.
SEP = "\x1f"

# One record: (head, topic ids, states). The head holds id, started_at, ended_at (as
# the driver hands them back: ``iso_times`` turns them into text), patient name, NHS
# number, hospital number, clinician name, pack id, pack version, pack hash, variant,
# decision and status.
ExportRow = tuple[Sequence[Any], str, str]


class RecordStream:
    """Streams the records a filter matches, for an export, inside the caller's session."""

    def __init__(self, session: Session, listed: int = MAX_LISTED) -> None:
        """Reads in ``session``; ``listed``: see reporting_patients.MAX_LISTED."""
        self._session = session
        self._listed = listed

    def rows(self, record_filter: RecordFilter, size: int) -> Iterator[list[ExportRow]]:
        """Every matching record in id order, ``size`` at a time."""
        where = resolved_conditions(self._session, record_filter, self._listed)
        c = ConsultationRow
        heads = (
            select(
                c.id,
                type_coerce(c.started_at, String),
                type_coerce(c.ended_at, String),
                PatientRow.name,
                PatientRow.nhs_number,
                PatientRow.hospital_number,
                ClinicianRow.name,
                c.pack_id,
                c.pack_version,
                c.pack_hash,
                c.variant_id,
                c.decision,
                c.status,
            )
            .join(PatientRow, PatientRow.id == c.patient_id)
            .join(ClinicianRow, ClinicianRow.id == c.clinician_id)
            .where(*where)
            .order_by(c.id)
        )
        t = TopicStateRow
        topics = (
            select(
                t.consultation_id,
                func.aggregate_strings(t.topic_id, SEP),
                func.aggregate_strings(t.state, SEP),
            )
            .group_by(t.consultation_id)
            .order_by(t.consultation_id)
        )
        if where:
            topics = topics.where(t.consultation_id.in_(select(c.id).where(*where)))
        connection = self._session.connection()
        head_result = connection.execute(heads)
        topic_result = connection.execute(topics)
        try:
            # The driver's own cursors: plain tuples, no result rows made per record.
            yield from merged(head_result.cursor, topic_result.cursor, size)
        finally:
            head_result.close()
            topic_result.close()

    def iso_times(self) -> Callable[[Any], str]:
        """Turns a time as ``rows`` hands it back into text, as ``datetime.isoformat`` in UTC.

        SQLite's stored text (always "YYYY-MM-DD HH:MM:SS.ffffff", in UTC) is
        rearranged directly, after the check reading it as a datetime makes;
        anything else goes through the column's own conversion. None gives "".
        """
        column_type = ConsultationRow.__table__.c.started_at.type
        dialect = self._session.get_bind().dialect
        process = column_type.dialect_impl(dialect).result_processor(dialect, None)
        parse = datetime.fromisoformat

        def iso(raw: Any) -> str:
            if raw is None:
                return ""
            if (
                raw.__class__ is str
                and len(raw) == 26
                and raw[10] == " "
                and raw[19] == "."
                and raw[20:].isdigit()
            ):
                parse(raw)  # refuses what is not a valid time, as reading it always did
                if raw.endswith(".000000"):
                    return f"{raw[:10]}T{raw[11:19]}+00:00"
                return f"{raw[:10]}T{raw[11:]}+00:00"
            value = process(raw) if process is not None else raw
            return "" if value is None else str(value.isoformat())

        return iso


def merged(head_rows: Any, topic_rows: Any, size: int) -> Iterator[list[ExportRow]]:
    """Each record with its topic ids and states, ``size`` records at a time.

    ``head_rows``: a cursor over records in id order, the id first; ``topic_rows``:
    one over (record id, topic ids, states) in the same order, for some of them.
    """
    pending: Sequence[Any] = []
    at = 0
    while batch := head_rows.fetchmany(size):
        merged: list[ExportRow] = []
        for row in batch:
            cid = row[0]
            while at == len(pending) or pending[at][0] < cid:
                if at == len(pending):
                    pending, at = topic_rows.fetchmany(size), 0
                    if not pending:
                        break
                else:
                    at += 1
            if at < len(pending) and pending[at][0] == cid:
                found = pending[at]
                merged.append((row, found[1] or "", found[2] or ""))
                at += 1
            else:
                merged.append((row, "", ""))
        yield merged
