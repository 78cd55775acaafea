"""Coverage counts kept as records are finalised, so coverage need not scan every topic state.

A finalised record's topic states never change (addenda do not touch them),
so finalising adds the record once to ``coverage_counts`` in the same
transaction, and nothing ever takes it out. Coverage over finalised records
then sums a few thousand rows instead of millions of topic states, whenever
the filter can be answered from what the table keeps: clinician, pack,
variant, and a date range made of whole calendar months (UTC). Any other
filter (a patient, a decision, a status, a date range cutting a month) goes
to the exact query in reporting_queries, which gives the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, extract, func, insert, select, update
from sqlalchemy.orm import Session

from consult_aid.domain.consultation import TopicState
from consult_aid.storage.models import ConsultationRow, CoverageCountRow, TopicStateRow
from consult_aid.storage.reporting_filters import RecordFilter

# The topic_id and state of the rows that count a group's records, not a topic's.
RECORDS = ""
_OPEN = TopicState.NOT_ADDRESSED.value
_INSERT_BATCH = 5_000

RecordGroup = tuple[str, str, int, int, int, int]
StateGroup = tuple[str, str, int, int, int, str, str, int]


def month_of(moment: datetime) -> str:
    """The calendar month ("YYYY-MM") of an aware UTC moment."""
    return f"{moment.year:04d}-{moment.month:02d}"


def answers(record_filter: RecordFilter) -> bool:
    """Whether the counts can answer coverage over the finalised records this filter matches."""
    f = record_filter
    if f.decision is not None or f.status is not None or f.patient_text.strip():
        return False  # a decision, a status (addenda change it) or a patient: exact path
    if f.date_from is not None and f.date_from.day != 1:
        return False
    return f.date_to is None or (f.date_to + timedelta(days=1)).day == 1


class CoverageCounts:
    """Reads and maintains coverage_counts inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_record(self, consultation_id: int) -> None:
        """Count a just-finalised record (call once, in the finalising transaction)."""
        head = self._session.get_one(ConsultationRow, consultation_id)
        states = self._session.execute(
            select(TopicStateRow.topic_id, TopicStateRow.state).where(
                TopicStateRow.consultation_id == consultation_id, TopicStateRow.state != _OPEN
            )
        )
        keys = {
            "pack_hash": head.pack_hash,
            "variant_id": head.variant_id,
            "clinician_id": head.clinician_id,
            "month": month_of(head.started_at),
        }
        c = CoverageCountRow
        for topic_id, state in [(RECORDS, RECORDS), *((str(t), str(s)) for t, s in states)]:
            # An UPDATE that adds one, then an INSERT only for a new cell: no read
            # of the count in Python, so two finalising writers cannot lose a count.
            changed = self._session.execute(
                update(c)
                .where(
                    c.pack_hash == keys["pack_hash"],
                    c.variant_id == keys["variant_id"],
                    c.clinician_id == keys["clinician_id"],
                    c.month == keys["month"],
                    c.topic_id == topic_id,
                    c.state == state,
                )
                .values(count=c.count + 1)
                .execution_options(synchronize_session=False)
            )
            if not getattr(changed, "rowcount", 0):
                self._session.execute(
                    insert(c).values(
                        **keys, topic_id=topic_id, state=state, pack_id=head.pack_id, count=1
                    )
                )

    def rebuild(self) -> int:
        """Recount every finalised record from scratch; return the rows written.

        For data written around the services (the benchmark generator); the
        migration that made the table backfills it the same way.
        """
        self._session.execute(delete(CoverageCountRow))
        c, t = ConsultationRow, TopicStateRow
        group = (c.pack_hash, c.pack_id, c.variant_id, c.clinician_id)
        month = (extract("year", c.started_at), extract("month", c.started_at))
        finalised = c.finalised_at.is_not(None)
        records = select(*group, *month, func.count()).where(finalised).group_by(*group, *month)
        states = (
            select(*group, *month, t.topic_id, t.state, func.count())
            .join(t, t.consultation_id == c.id)
            .where(finalised, t.state != _OPEN)
            .group_by(*group, *month, t.topic_id, t.state)
        )
        rows: list[dict[str, Any]] = []
        for h, p, v, cl, y, m, n in self._session.execute(records):
            rows.append(_count_row(h, p, v, cl, y, m, RECORDS, RECORDS, n))
        for h, p, v, cl, y, m, topic, state, n in self._session.execute(states):
            rows.append(_count_row(h, p, v, cl, y, m, topic, state, n))
        for start in range(0, len(rows), _INSERT_BATCH):
            self._session.execute(insert(CoverageCountRow), rows[start : start + _INSERT_BATCH])
        return len(rows)

    def groups(self, record_filter: RecordFilter) -> tuple[list[RecordGroup], list[StateGroup]]:
        """The record groups and settled-state groups, shaped as ReportingQueries gives them.

        Only for a filter that ``answers`` accepts.
        """
        if not answers(record_filter):
            raise ValueError("coverage counts cannot answer this filter")
        c = CoverageCountRow
        query = select(
            c.pack_hash, c.variant_id, c.clinician_id, c.month, c.topic_id, c.state, c.count
        ).where(*_conditions(record_filter))
        # Summed here rather than by GROUP BY: the table holds a few rows per cell already.
        records: dict[tuple[str, str, int, int, int], int] = defaultdict(int)
        states: dict[tuple[str, str, int, int, int, str, str], int] = defaultdict(int)
        for pack_hash, variant, clinician, month, topic, state, count in self._session.execute(
            query
        ):
            year, number = int(month[:4]), int(month[5:7])
            if topic == RECORDS:
                records[(pack_hash, variant, int(clinician), year, number)] += int(count)
            else:
                key = (pack_hash, variant, int(clinician), year, number, topic, state)
                states[key] += int(count)
        return (
            [(*key, n) for key, n in records.items()],
            [(*key, n) for key, n in states.items()],
        )


def _conditions(record_filter: RecordFilter) -> list[ColumnElement[bool]]:
    f, c = record_filter, CoverageCountRow
    where: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        where.append(c.month >= f"{f.date_from.year:04d}-{f.date_from.month:02d}")
    if f.date_to is not None:
        where.append(c.month <= f"{f.date_to.year:04d}-{f.date_to.month:02d}")
    if f.clinician_id is not None:
        where.append(c.clinician_id == f.clinician_id)
    if f.pack_id is not None:
        where.append(c.pack_id == f.pack_id)
    if f.variant_id is not None:
        where.append(c.variant_id == f.variant_id)
    return where


def _count_row(
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
