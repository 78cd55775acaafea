"""The queries behind the audit workspace: filtered, sorted pages of records, and coverage sums.

Everything here runs in the database: filters become WHERE clauses
(reporting_filters), pages are ``LIMIT``/``OFFSET`` over an order that always
ends with the consultation id (so no row shows twice or goes missing between
pages), or continue past a given record (a row value comparison on that
order, which seeks the index), coverage is ``GROUP BY`` over topic_states
joined to consultations. A page is found in two steps:
first the ids of its rows, from only the columns the order needs, then those
rows' details, so the costly per-row look-ups (decision, addenda, settled
topics) are made for one page, never for every row the filter matches.

Only portable SQL is used (``extract``, ``aggregate_strings``), so PostgreSQL
runs the same queries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, extract, func, literal, select, true, tuple_
from sqlalchemy.orm import Session

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.models import ClinicianRow, ConsultationRow, PatientRow, TopicStateRow
from consult_aid.storage.reporting_filters import (
    RecordFilter,
    SortKey,
    decision_column,
    filter_conditions,
    order_for,
    partitions_for,
    status_column,
)

__all__ = ["RecordFilter", "RecordHead", "ReportingQueries", "SortKey"]

# Above this many matches, a page by patient name walks the name index (see _ids)
# and a page by decision or status takes one query per value; below it, sorting the
# matches is quicker than either.
MANY = 20_000
# The separator inside aggregated topic lists ("topic SEP state SEP topic SEP state..."):
# a control character no topic id or state holds.
SEP = "\x1f"
_OPEN = TopicState.NOT_ADDRESSED.value


@dataclass(frozen=True, slots=True)
class RecordHead:
    """One record as listed, before its topics are counted against its pack.

    Attributes:
        topics_text: the record's topic_states rows as topic, state, topic, state...
            joined by SEP (parsed only where needed: ``topic_states``).
    """

    consultation_id: int
    started_at: datetime
    ended_at: datetime | None
    patient_name: str
    nhs_number: str
    hospital_number: str
    clinician_id: int
    clinician_name: str
    pack_id: str
    pack_version: str
    pack_hash: str
    variant_id: str
    decision: Decision
    status: RecordStatus
    topics_text: str

    @property
    def topic_states(self) -> dict[str, str]:
        """Each topic with a topic_states row, and its state."""
        # One iterator zipped with itself pairs the parts up without copying slices
        # (the export parses this for every record).
        parts = iter(self.topics_text.split(SEP) if self.topics_text else ())
        return dict(zip(parts, parts, strict=True))


@dataclass(frozen=True, slots=True)
class _Seek:
    """Where a page continues: past the record in the whole order, or within its partition."""

    whole: ColumnElement[bool]
    rank: int
    within: ColumnElement[bool]


_topic_list = (
    select(func.aggregate_strings(TopicStateRow.topic_id + literal(SEP) + TopicStateRow.state, SEP))
    .where(TopicStateRow.consultation_id == ConsultationRow.id)
    .correlate(ConsultationRow)
    .scalar_subquery()
)
_MONTH_KEYS = (
    extract("year", ConsultationRow.started_at),
    extract("month", ConsultationRow.started_at),
)
_GROUP_KEYS = (ConsultationRow.pack_hash, ConsultationRow.variant_id, ConsultationRow.clinician_id)


class ReportingQueries:
    """Read-only queries for the audit workspace, inside the caller's session."""

    def __init__(self, session: Session, many: int = MANY) -> None:
        """Queries in ``session``; ``many`` is where page plans switch (see MANY)."""
        self._session = session
        self._many = many

    def count(self, record_filter: RecordFilter) -> int:
        """How many records the filter matches."""
        return self.count_where(filter_conditions(record_filter))

    def page(
        self,
        record_filter: RecordFilter,
        sort: SortKey,
        descending: bool,
        offset: int,
        limit: int,
        after: int | None = None,
    ) -> list[RecordHead]:
        """One page of records in the given order.

        With ``after`` (a record id), the page continues from just after that
        record in this order, ``offset`` then counting from there: each page of a
        scroll seeks through the index rather than stepping over every row before.
        """
        sort = SortKey(sort)
        where = filter_conditions(record_filter)
        offset, limit = max(offset, 0), max(limit, 0)
        partitions = partitions_for(sort)
        seek = self._seek(sort, descending, after) if after is not None else None
        many = sort is not SortKey.STARTED_AT and self.count_where(where) > self._many
        if not many:
            partitions = None  # a look-up per match is cheaper than a query per value
        if partitions is None:
            walk = sort is SortKey.PATIENT and many
            past = [seek.whole] if seek is not None else []
            ids = self._ids([*where, *past], sort, descending, offset, limit, walk_patients=walk)
        else:
            # Sorting every match by a looked-up value costs a look-up per match;
            # one ordered query per value walks the start-time index instead.
            ids = []
            order = list(enumerate(partitions))
            for rank, condition in reversed(order) if descending else order:
                if len(ids) == limit:
                    break
                part = [*where, condition]
                if seek is not None:
                    before = rank > seek.rank if descending else rank < seek.rank
                    if before:
                        continue  # wholly before the record the page continues from
                    if rank == seek.rank:
                        part.append(seek.within)
                if offset:  # only a page further down needs to know what to skip
                    size = self.count_where(part)
                    if offset >= size:
                        offset -= size
                        continue
                wanted = limit - len(ids)
                ids += self._ids(part, sort, descending, offset, wanted, in_partition=True)
                offset = 0
        found = {head.consultation_id: head for head in self.heads(ConsultationRow.id.in_(ids))}
        return [found[cid] for cid in ids if cid in found]

    def pack_variants(self, record_filter: RecordFilter) -> list[tuple[str, str]]:
        """The (pack hash, variant) pairs the matching records use, oldest pack first."""
        query = (
            select(ConsultationRow.pack_hash, ConsultationRow.variant_id)
            .where(*filter_conditions(record_filter))
            .group_by(ConsultationRow.pack_hash, ConsultationRow.variant_id)
            .order_by(func.min(ConsultationRow.id))
        )
        return [(str(h), str(v)) for h, v in self._session.execute(query)]

    def clinician_names(self) -> dict[int, str]:
        """Every clinician's name, by id."""
        rows = self._session.execute(select(ClinicianRow.id, ClinicianRow.name))
        return {int(cid): str(name) for cid, name in rows}

    def _seek(self, sort: SortKey, descending: bool, after: int) -> _Seek | None:
        """Conditions for the rows after record ``after`` in this order (None: no such record)."""
        joins, order = order_for(sort)
        query = select(*order).select_from(ConsultationRow).where(ConsultationRow.id == after)
        for table in joins:
            key = (
                ConsultationRow.patient_id if table is PatientRow else ConsultationRow.clinician_id
            )
            query = query.join(table, table.id == key)
        values = self._session.execute(query).one_or_none()
        if values is None:
            return None

        def past(columns: list[Any], bounds: Sequence[Any]) -> ColumnElement[bool]:
            # A row value comparison: every order here runs one way over all its columns.
            mine = tuple_(*columns)
            theirs = tuple_(
                *[literal(v, type_=c.type) for c, v in zip(columns, bounds, strict=True)]
            )
            return mine < theirs if descending else mine > theirs

        # For the few-valued keys the first value is the rank, which is also the
        # partition's position; within a partition the order is start time, id.
        rank = int(values[0]) if partitions_for(sort) is not None else -1
        return _Seek(past(order, values), rank, past(order[1:], values[1:]))

    def count_where(self, where: list[ColumnElement[bool]]) -> int:
        """How many consultations meet every condition."""
        query = select(func.count()).select_from(ConsultationRow).where(*where)
        return int(self._session.scalar(query) or 0)

    def _ids(
        self,
        where: list[ColumnElement[bool]],
        sort: SortKey,
        descending: bool,
        offset: int,
        limit: int,
        *,
        walk_patients: bool = False,
        in_partition: bool = False,
    ) -> list[int]:
        joins, order = order_for(sort)
        if in_partition:
            # The rank is the same for every row of a partition: ordering by it
            # anyway would hide the start-time index and sort every match.
            order = order[1:]
        query = select(ConsultationRow.id).where(*where)
        for table in joins:
            key = (
                ConsultationRow.patient_id if table is PatientRow else ConsultationRow.clinician_id
            )
            # "+ 0" keeps the join off the patients' primary key, which leaves one
            # good plan: walk the name index, looking each patient's consultations
            # up, and stop once the page is full, rather than sort every match.
            mine = table.id + 0 if walk_patients else table.id
            query = query.join(table, mine == key)
        query = query.order_by(*[col.desc() if descending else col.asc() for col in order])
        return list(self._session.scalars(query.offset(offset).limit(limit)))

    def heads(self, *where: ColumnElement[bool], limit: int | None = None) -> list[RecordHead]:
        """Records matching ``where``, in id order, each with its topic states."""
        query = (
            select(
                ConsultationRow.id,
                ConsultationRow.started_at,
                ConsultationRow.ended_at,
                PatientRow.name,
                PatientRow.nhs_number,
                PatientRow.hospital_number,
                ConsultationRow.clinician_id,
                ClinicianRow.name,
                ConsultationRow.pack_id,
                ConsultationRow.pack_version,
                ConsultationRow.pack_hash,
                ConsultationRow.variant_id,
                decision_column,
                status_column,
                _topic_list,
            )
            .join(PatientRow, PatientRow.id == ConsultationRow.patient_id)
            .join(ClinicianRow, ClinicianRow.id == ConsultationRow.clinician_id)
            .where(*where)
            .order_by(ConsultationRow.id)
            .limit(limit)
        )
        return [_head(row) for row in self._session.execute(query)]

    def chunks(self, record_filter: RecordFilter, size: int) -> Iterator[list[RecordHead]]:
        """Every matching record in id order, ``size`` at a time (keyset paging on the id)."""
        where = filter_conditions(record_filter)
        last = 0
        while True:
            chunk = self.heads(*where, ConsultationRow.id > last, limit=size)
            if not chunk:
                return
            yield chunk
            last = chunk[-1].consultation_id

    def record_groups(
        self, record_filter: RecordFilter, finalised_only: bool
    ) -> list[tuple[str, str, int, int, int, int]]:
        """(pack hash, variant, clinician id, year, month, records) for the matching records."""
        query = (
            select(*_GROUP_KEYS, *_MONTH_KEYS, func.count())
            .where(*self._coverage_where(record_filter, finalised_only))
            .group_by(*_GROUP_KEYS, *_MONTH_KEYS)
        )
        return [_ints(row, 2) for row in self._session.execute(query)]

    def state_groups(
        self, record_filter: RecordFilter, finalised_only: bool
    ) -> list[tuple[str, str, int, int, int, str, str, int]]:
        """(pack hash, variant, clinician, year, month, topic, state, count) of settled topics."""
        query = (
            select(
                *_GROUP_KEYS,
                *_MONTH_KEYS,
                TopicStateRow.topic_id,
                TopicStateRow.state,
                func.count(),
            )
            .join(TopicStateRow, TopicStateRow.consultation_id == ConsultationRow.id)
            .where(
                *self._coverage_where(record_filter, finalised_only), TopicStateRow.state != _OPEN
            )
            .group_by(*_GROUP_KEYS, *_MONTH_KEYS, TopicStateRow.topic_id, TopicStateRow.state)
        )
        return [
            (h, v, int(c), int(y), int(m), t, s, int(n))
            for h, v, c, y, m, t, s, n in self._session.execute(query)
        ]

    def open_material(
        self, record_filter: RecordFilter, finalised_only: bool
    ) -> list[tuple[int, str]]:
        """(consultation id, topic id) of topics marked material yet not addressed."""
        query = (
            select(ConsultationRow.id, TopicStateRow.topic_id)
            .join(TopicStateRow, TopicStateRow.consultation_id == ConsultationRow.id)
            .where(
                *self._coverage_where(record_filter, finalised_only),
                TopicStateRow.material == true(),
                TopicStateRow.state == _OPEN,
            )
        )
        return [(int(cid), str(topic)) for cid, topic in self._session.execute(query)]

    def open_topic(
        self,
        record_filter: RecordFilter,
        finalised_only: bool,
        pack_hash: str,
        variant_id: str,
        topic_id: str,
    ) -> list[int]:
        """Ids of the records on this pack and variant where a topic was never settled."""
        settled = exists().where(
            TopicStateRow.consultation_id == ConsultationRow.id,
            TopicStateRow.topic_id == topic_id,
            TopicStateRow.state != _OPEN,
        )
        query = select(ConsultationRow.id).where(
            *self._coverage_where(record_filter, finalised_only),
            ConsultationRow.pack_hash == pack_hash,
            ConsultationRow.variant_id == variant_id,
            ~settled,
        )
        return [int(cid) for cid in self._session.scalars(query)]

    def _coverage_where(
        self, record_filter: RecordFilter, finalised_only: bool
    ) -> list[ColumnElement[bool]]:
        where = filter_conditions(record_filter)
        if finalised_only:
            where.append(ConsultationRow.finalised_at.is_not(None))
        return where


def _ints(row: Sequence[Any], first_int: int) -> Any:
    return tuple(value if i < first_int else int(value) for i, value in enumerate(row))


def _head(row: Sequence[Any]) -> RecordHead:
    (cid, started, ended, patient, nhs, hospital, clinician_id, clinician, pack_id, version,
     pack_hash, variant, decision, status, topics) = row  # fmt: skip
    return RecordHead(
        consultation_id=cid,
        started_at=started,
        ended_at=ended,
        patient_name=patient,
        nhs_number=nhs,
        hospital_number=hospital,
        clinician_id=clinician_id,
        clinician_name=clinician,
        pack_id=pack_id,
        pack_version=version,
        pack_hash=pack_hash,
        variant_id=variant,
        decision=Decision(decision),
        status=RecordStatus(status),
        topics_text=topics or "",
    )
