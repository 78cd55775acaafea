"""Pages of the records browser: the ids of one page of records in a given order.

Every order ends with the start time and the record id, and the browser's
indexes (models.ConsultationRow) each hold a sort key, then start time and
id, then every column a filter tests; so a page is an ordered walk of one
index that reads no record, and stepping over thousands of rows to reach a
page far down costs a fraction of a millisecond a thousand.

- By start time, or by patient (the patient's search key and id, kept on the
  consultation): one ordered query.
- By clinician, decision or status (keys with few values, in an order of
  their own: the clinicians' names, the decisions' and statuses' order): one
  ordered query per value, in the key's order, each walking its value's range
  of that key's index; a page further down skips whole values by one grouped
  count.

Given a record to continue after (``after``), a page starts just past it in
the order: a row value comparison that the database seeks to in the index.
Only portable SQL is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select, tuple_
from sqlalchemy.orm import Session

from consult_aid.storage.models import ClinicianRow, ConsultationRow
from consult_aid.storage.reporting_filters import (
    DECISIONS,
    STATUSES,
    RecordFilter,
    SortKey,
    filter_conditions,
    unindexed,
)
from consult_aid.storage.reporting_patients import FoundPatients

_C = ConsultationRow
_TAIL = (_C.started_at, _C.id)
_BY_PATIENT = (_C.patient_key, _C.patient_id, *_TAIL)


class PageFinder:
    """Finds the ids of a page of records, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._clinicians: list[int] | None = None

    def ids(
        self,
        matching: tuple[RecordFilter, FoundPatients | None],
        sort: SortKey,
        descending: bool,
        window: tuple[int, int],
        after: int | None,
    ) -> list[int]:
        """The ids of rows ``offset`` to ``offset + limit`` (``window``) of the matches.

        ``matching``: the filter, and the patients its patient search found
        (reporting_filters.found_for). With ``after`` (a record id), the rows
        counted start just past that record in this order; an unknown record
        is ignored.
        """
        offset, limit = max(window[0], 0), max(window[1], 0)
        if limit == 0:
            return []
        # SQLite is steered to one index (the filter's other conditions are kept from
        # leading it elsewhere): with the patients found listed, theirs, whose few
        # thousand records at most are then sorted, rather than a walk over a whole
        # order's index testing each record against the list; in patient order
        # otherwise, the patient order's own, walked until the page is full, rather
        # than the filter's index and a sort of every match by patient.
        steer = self._sqlite and (matching[1] is not None or sort is SortKey.PATIENT)
        where = filter_conditions(*matching, seeks=not steer)
        if sort is SortKey.STARTED_AT or sort is SortKey.PATIENT:
            order = _TAIL if sort is SortKey.STARTED_AT else _BY_PATIENT
            past: list[ColumnElement[bool]] = []
            if after is not None:
                found = self._one(order, after)
                past = [_beyond(order, found, descending)] if found is not None else []
            return self._ordered([*where, *past], descending, offset, limit, order)
        return self._partitioned(where, (sort, steer), descending, offset, limit, after)

    @property
    def _sqlite(self) -> bool:
        return bool(self._session.get_bind().dialect.name == "sqlite")

    def count(self, where: list[ColumnElement[bool]]) -> int:
        """How many consultations meet every condition."""
        return int(self._session.scalar(select(func.count()).select_from(_C).where(*where)) or 0)

    def clinician_order(self) -> list[int]:
        """Clinician ids in the order the clinician sort lists them (name, then id)."""
        if self._clinicians is None:
            query = select(ClinicianRow.id).order_by(ClinicianRow.name, ClinicianRow.id)
            self._clinicians = [int(cid) for cid in self._session.scalars(query)]
        return self._clinicians

    def _ordered(
        self,
        where: list[ColumnElement[bool]],
        descending: bool,
        offset: int,
        limit: int,
        order: Sequence[Any] = _TAIL,
    ) -> list[int]:
        """Ids in ``order`` (one index range, read in order; nothing sorted)."""
        query = select(_C.id).where(*where).order_by(*_directed(order, descending))
        return list(self._session.scalars(query.offset(offset).limit(limit)))

    def _one(self, columns: Sequence[Any], record: int) -> Sequence[Any] | None:
        """The values of ``columns`` (consultations' own) for one record, or None."""
        row = self._session.execute(select(*columns).where(_C.id == record)).one_or_none()
        return None if row is None else tuple(row)

    def _partitioned(
        self,
        where: list[ColumnElement[bool]],
        key: tuple[SortKey, bool],
        descending: bool,
        offset: int,
        limit: int,
        after: int | None,
    ) -> list[int]:
        """A page in the order of a few-valued key: one start-time query per value.

        ``key``: the sort key, and whether SQLite is steered (see ``ids``).
        """
        column, values = self._key(key[0])
        tested = unindexed(column) if key[1] else column
        ranked = list(enumerate(values))
        seek: tuple[int, ColumnElement[bool]] | None = None
        if after is not None:
            found = self._one((column, *_TAIL), after)
            if found is not None and found[0] in values:
                seek = (values.index(found[0]), _beyond(_TAIL, found[1:], descending))
        sizes: dict[Any, int] | None = None
        ids: list[int] = []
        for rank, value in reversed(ranked) if descending else ranked:
            if len(ids) == limit:
                break
            part = [*where, tested == value]
            if seek is not None:
                if (rank > seek[0]) if descending else (rank < seek[0]):
                    continue  # wholly before the record the page continues from
                if rank == seek[0]:
                    part.append(seek[1])
            if offset:  # only a page further down needs to know what to skip
                if seek is not None and rank == seek[0]:
                    size = self.count(part)
                else:
                    if sizes is None:
                        sizes = self._sizes(where, column)
                    size = sizes.get(value, 0)
                if offset >= size:
                    offset -= size
                    continue
            ids += self._ordered(part, descending, offset, limit - len(ids))
            offset = 0
        return ids

    def _key(self, sort: SortKey) -> tuple[Any, list[Any]]:
        """The column a few-valued sort key is kept in, and its values in the key's order."""
        if sort is SortKey.CLINICIAN:
            return _C.clinician_id, list(self.clinician_order())
        if sort is SortKey.DECISION:
            return _C.decision, DECISIONS
        return _C.status, STATUSES

    def _sizes(self, where: list[ColumnElement[bool]], column: Any) -> dict[Any, int]:
        """How many matches each value of ``column`` holds, from one pass over its index."""
        query = select(column, func.count()).where(*where).group_by(column)
        return {value: int(n) for value, n in self._session.execute(query)}


def _directed(columns: Sequence[Any], descending: bool) -> list[Any]:
    return [column.desc() if descending else column.asc() for column in columns]


def _beyond(columns: Sequence[Any], values: Sequence[Any], descending: bool) -> ColumnElement[bool]:
    """The rows after ``values`` in the order of ``columns`` (a row value comparison)."""
    mine = tuple_(*columns)
    theirs = tuple_(*[literal(v, type_=c.type) for c, v in zip(columns, values, strict=True)])
    return mine < theirs if descending else mine > theirs
