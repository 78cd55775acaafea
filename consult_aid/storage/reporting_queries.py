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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    cast,
    exists,
    extract,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnClause, UnaryExpression
from sqlalchemy.sql.operators import custom_op

from consult_aid.domain.consultation import Decision, Detail, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.models import (
    ClinicianRow,
    ConsultationRow,
    DetailRow,
    PatientRow,
    TopicStateRow,
)
from consult_aid.storage.reporting_filters import (
    RecordFilter,
    SortKey,
    decision_column,
    filter_conditions,
    needs_rows,
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


# From this far down a list, a page in start-time order is found by reading every
# match and keeping the rows needed (SQLite's top-N sort) rather than by walking
# the start-time index: the walk reads each record it steps over from the table,
# one look-up each, which costs more than the whole scan.
BIG_OFFSET = 2_000


def _unindexed(column: Any) -> Any:
    """``+column``: the same order, which SQLite then does not take from an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


# The separator inside each row's text is a constant in the SQL, not a bound value:
# SQLite reads a bound value again for every row it aggregates, a third of the cost.
_SEP_SQL: ColumnClause[str] = literal_column(f"'{SEP}'", String)
_topics_aggregate = func.aggregate_strings(
    TopicStateRow.topic_id + _SEP_SQL + TopicStateRow.state, SEP
)
_topic_list = (
    select(_topics_aggregate)
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

    def __init__(self, session: Session, many: int = MANY, big_offset: int = BIG_OFFSET) -> None:
        """Queries in ``session``; ``many``, ``big_offset``: where page plans switch.

        See MANY and BIG_OFFSET; tests lower them to reach every plan with few rows.
        """
        self._session = session
        self._many = many
        self._big_offset = big_offset
        self._clinicians: list[int] | None = None

    @property
    def _sqlite(self) -> bool:
        return bool(self._session.get_bind().dialect.name == "sqlite")

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
        # Whether the filter reads record columns no start-time index holds.
        looks_up = needs_rows(record_filter)
        offset, limit = max(offset, 0), max(limit, 0)
        partitions = self._partitions(sort)
        seek = self._seek(sort, descending, after) if after is not None else None
        matches = self.count_where(where) if sort is not SortKey.STARTED_AT else 0
        many = matches > self._many
        if not many:
            partitions = None  # a look-up per match is cheaper than a query per value
        if partitions is None:
            walk = sort is SortKey.PATIENT and many
            past = [seek.whole] if seek is not None else []
            if walk and offset >= self._big_offset and seek is None:
                # Far down the patient order: start the walk at the patient who holds
                # the row wanted, found from counts, not by walking every row before.
                start = self._patient_at(where, descending, offset)
                if start is not None:
                    past, offset = [start[0]], offset - start[1]
            scan = looks_up and sort is SortKey.STARTED_AT
            ids = self._ids(
                [*where, *past], sort, descending, offset, limit, walk_patients=walk, scan=scan
            )
        else:
            ids = self._partitioned(
                where, partitions, seek, sort, descending, (offset, limit), looks_up, matches
            )
        found = {head.consultation_id: head for head in self.heads(ConsultationRow.id.in_(ids))}
        return [found[cid] for cid in ids if cid in found]

    def _partitioned(
        self,
        where: list[ColumnElement[bool]],
        partitions: list[ColumnElement[bool]],
        seek: _Seek | None,
        sort: SortKey,
        descending: bool,
        window: tuple[int, int],
        looks_up: bool,
        total: int,
    ) -> list[int]:
        """A page's ids, one ordered query per value of a few-valued key.

        Sorting every match by a looked-up value costs a look-up per match; one
        ordered query per value walks the start-time index instead.
        """
        offset, limit = window
        ids: list[int] = []
        sizes = self._sizes(where, sort, total) if offset else None
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
            size: int | None = None
            if offset:  # only a page further down needs to know what to skip
                whole = sizes is not None and (seek is None or rank != seek.rank)
                size = sizes[rank] if sizes is not None and whole else self.count_where(part)
                if offset >= size:
                    offset -= size
                    continue
            wanted = limit - len(ids)
            scan = looks_up or sort is not SortKey.CLINICIAN
            ids += self._ids(
                part, sort, descending, offset, wanted, in_partition=True, scan=scan, size=size
            )
            offset = 0
        return ids

    def _sizes(
        self, where: list[ColumnElement[bool]], sort: SortKey, total: int
    ) -> list[int] | None:
        """Each partition's match count from one grouped count (None: count each on its own).

        ``total``: how many records ``where`` matches.
        """
        if sort is SortKey.CLINICIAN:
            query = (
                select(ConsultationRow.clinician_id, func.count())
                .where(*where)
                .group_by(ConsultationRow.clinician_id)
            )
            per_clinician = dict(self._plain_rows(query))
            return [per_clinician.get(cid, 0) for cid in self._clinician_order()]
        if sort is SortKey.DECISION:
            # One pass over the decision index; a record with no decision stored
            # (or "undecided") is in none of its groups, so undecided is the rest.
            chosen = select(DetailRow.value, func.count()).where(
                DetailRow.detail == Detail.DECISION.value
            )
            if where:
                chosen = chosen.where(
                    DetailRow.consultation_id.in_(select(ConsultationRow.id).where(*where))
                )
            counts = dict(self._plain_rows(chosen.group_by(DetailRow.value)))
            undecided = Decision.UNDECIDED.value
            decided = sum(n for value, n in counts.items() if value != undecided)
            return [
                total - decided if d is Decision.UNDECIDED else counts.get(d.value, 0)
                for d in Decision
            ]
        return None

    def _patient_at(
        self, where: list[ColumnElement[bool]], descending: bool, offset: int
    ) -> tuple[ColumnElement[bool], int] | None:
        """The patient holding row ``offset`` of the patient order, and the rows before them.

        Returns a condition that starts the order at that patient, and how many
        rows come before them; None when the order holds no such row. Each
        patient's match count comes from one grouped count, handed over as one
        text (tens of thousands of result rows would each be an object for the
        garbage collector to visit); the patients then stream by in order, from
        the name index, until the running total passes ``offset``.
        """
        counted = (
            select(ConsultationRow.patient_id.label("pid"), func.count().label("n"))
            .where(*where)
            .group_by(ConsultationRow.patient_id)
            .subquery()
        )
        pair = cast(counted.c.pid, String) + literal_column("' '") + cast(counted.c.n, String)
        numbers = map(
            int, (self._session.scalar(select(func.aggregate_strings(pair, " "))) or "").split()
        )
        counts = dict(zip(numbers, numbers, strict=False))
        keys = [PatientRow.search_key, PatientRow.id]
        ordered = select(*keys).order_by(*[k.desc() if descending else k for k in keys])
        before = 0
        result = self._session.connection().execute(ordered)
        try:
            while batch := result.cursor.fetchmany(2_000):
                for key, patient in batch:
                    n = counts.get(patient, 0)
                    if before + n > offset:
                        mine = tuple_(*keys)
                        theirs = tuple_(
                            literal(key, type_=PatientRow.search_key.type), literal(patient)
                        )
                        return (mine <= theirs if descending else mine >= theirs), before
                    before += n
        finally:
            result.close()
        return None

    def _plain_rows(self, query: Select[*tuple[Any, ...]]) -> list[Any]:
        """Every row as the driver returns it (plain numbers only: no type conversion).

        For tens of thousands of rows, making a result row object for each
        would cost more than the query.
        """
        result = self._session.connection().execute(query)
        try:
            return list(result.cursor.fetchall())
        finally:
            result.close()

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

        # Within a partition the order is start time, id. For decision and status
        # the first value is the rank, which is also the partition's position; for
        # a clinician it is their place in the clinicians' order.
        if sort is SortKey.CLINICIAN:
            ranked = self._clinician_order()
            rank = ranked.index(values[1]) if values[1] in ranked else -1
        else:
            rank = int(values[0]) if partitions_for(sort) is not None else -1
        within = past([ConsultationRow.started_at, ConsultationRow.id], values[-2:])
        return _Seek(past(order, values), rank, within)

    def _partitions(self, sort: SortKey) -> list[ColumnElement[bool]] | None:
        """For a sort on a key with few values, one condition per value, in the key's order."""
        if sort is SortKey.CLINICIAN:
            # A clinician's records come from the (clinician, start time) index,
            # counted and skipped without reading a single record.
            return [ConsultationRow.clinician_id == cid for cid in self._clinician_order()]
        return partitions_for(sort)

    def _clinician_order(self) -> list[int]:
        """Clinician ids in the order the clinician sort lists them (name, then id)."""
        if self._clinicians is None:
            query = select(ClinicianRow.id).order_by(ClinicianRow.name, ClinicianRow.id)
            self._clinicians = [int(cid) for cid in self._session.scalars(query)]
        return self._clinicians

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
        scan: bool = False,
        size: int | None = None,
    ) -> list[int]:
        joins, order = order_for(sort)
        if in_partition:
            # The key is the same for every row of a partition: ordering by it
            # anyway would hide the start-time index and sort every match.
            joins, order = [], [ConsultationRow.started_at, ConsultationRow.id]
        big = scan and offset >= self._big_offset and self._sqlite
        if big and size is not None and offset > size // 2:
            # Nearer the end: the same rows, counted from the end in the opposite
            # order, so the sort keeps fewer rows.
            take = min(limit, size - offset)
            if take <= 0:
                return []
            back = self._ids(
                where,
                sort,
                not descending,
                size - offset - take,
                take,
                walk_patients=walk_patients,
                in_partition=in_partition,
                scan=scan,
            )
            return back[::-1]
        if big and order[0] is ConsultationRow.started_at:
            order = [_unindexed(order[0]), *order[1:]]
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
        if big:
            # Written into the SQL: with the numbers unknown, SQLite prefers to walk
            # an index and look every row up, the very cost this avoids.
            query = query.offset(literal_column(str(int(offset))))
            return list(self._session.scalars(query.limit(literal_column(str(int(limit))))))
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

    def export_rows(
        self, record_filter: RecordFilter, size: int
    ) -> Iterator[list[tuple[Any, str]]]:
        """Every matching record in id order, ``size`` at a time, as plain values for an export.

        Each item is (row, topics text): the row holds id, started_at, ended_at
        (as the driver hands them back: iso_utc turns them into text), patient
        name, NHS number, hospital number, clinician name, pack id, pack
        version, pack hash, variant, decision and status; the topics text is as
        RecordHead.topics_text. Two queries, both in id order, stream side by
        side and are merged here: the records, and every record's topic states
        aggregated in one pass over the topic-state index, rather than one
        look-up of its topic states per record.
        """
        where = filter_conditions(record_filter)
        raw_times = [
            type_coerce(ConsultationRow.started_at, String),
            type_coerce(ConsultationRow.ended_at, String),
        ]
        heads = (
            select(
                ConsultationRow.id,
                *raw_times,
                PatientRow.name,
                PatientRow.nhs_number,
                PatientRow.hospital_number,
                ClinicianRow.name,
                ConsultationRow.pack_id,
                ConsultationRow.pack_version,
                ConsultationRow.pack_hash,
                ConsultationRow.variant_id,
                decision_column,
                status_column,
            )
            .join(PatientRow, PatientRow.id == ConsultationRow.patient_id)
            .join(ClinicianRow, ClinicianRow.id == ConsultationRow.clinician_id)
            .where(*where)
            .order_by(ConsultationRow.id)
        )
        topics = (
            select(TopicStateRow.consultation_id, _topics_aggregate)
            .group_by(TopicStateRow.consultation_id)
            .order_by(TopicStateRow.consultation_id)
        )
        if where:
            topics = topics.where(
                TopicStateRow.consultation_id.in_(select(ConsultationRow.id).where(*where))
            )
        connection = self._session.connection()
        head_rows = connection.execute(heads)
        topic_rows = connection.execute(topics)
        pending: Sequence[Any] = []
        at = 0
        while batch := head_rows.fetchmany(size):
            merged: list[tuple[Any, str]] = []
            for row in batch:
                cid = row[0]
                # Topic rows come for matching records only, in the same order; a record
                # without any has none in the stream.
                while at == len(pending) or pending[at][0] < cid:
                    if at == len(pending):
                        pending, at = topic_rows.fetchmany(size), 0
                        if not pending:
                            break
                    else:
                        at += 1
                if at < len(pending) and pending[at][0] == cid:
                    merged.append((row, pending[at][1] or ""))
                    at += 1
                else:
                    merged.append((row, ""))
            yield merged

    def iso_times(self) -> Callable[[Any], str]:
        """Turns a time as export_rows hands it back into text, as ``datetime.isoformat`` in UTC.

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
