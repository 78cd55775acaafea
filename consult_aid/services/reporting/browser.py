"""The records browser: a count and pages of records for a filter and an order.

Meant for a worker thread: each call opens its own short read transaction.
The window fetches one page at a time as the view scrolls, never every row.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.reporting.packs import PackTopics
from consult_aid.storage.database import Database
from consult_aid.storage.reporting_queries import (
    RecordFilter,
    RecordHead,
    ReportingQueries,
    SortKey,
)

MAX_PAGE = 1_000
_PLACES = 16  # filters and orders whose paging position is remembered
# How far past the end of the last page given a page by offset still continues from
# that page's last row (see ``page``).
SEEK_SPAN = 2_000


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record as the browser lists it.

    Attributes:
        settled, total: topics settled of those its pack and variant need.
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
    variant_id: str
    decision: Decision
    status: RecordStatus
    settled: int
    total: int


class RecordsBrowser:
    """Counts and pages the records a filter matches."""

    def __init__(self, db: Database, library: ContentLibrary | None = None) -> None:
        self._db = db
        self._packs = PackTopics(db, library)
        # Per filter and order: the offset just past the last page given, and that
        # page's last record (oldest entries dropped first).
        self._reached: dict[tuple[RecordFilter, SortKey, bool], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def count(self, record_filter: RecordFilter) -> int:
        """How many records the filter matches."""
        with self._db.session() as session, session.begin():
            return ReportingQueries(session).count(record_filter)

    def page(
        self,
        record_filter: RecordFilter,
        sort: SortKey | str,
        descending: bool,
        offset: int,
        limit: int,
        after: RecordRow | None = None,
    ) -> list[RecordRow]:
        """Rows ``offset`` to ``offset + limit`` (at most MAX_PAGE) in the given order.

        Ties in the sort key are ordered by start time, then by record number,
        in the same direction, so consecutive pages never repeat or skip a row.
        Given ``after`` (the last row of the page before), the page continues
        from just after it and ``offset`` counts from there (0 for the next
        page): a scroll then costs the same at the end of the list as at the top.
        Paging by offset alone continues the same way from the last page this
        browser gave for the filter and order, when the offset is at or past its
        end; records added meanwhile then shift nothing already shown.
        """
        limit = min(limit, MAX_PAGE)
        sort = SortKey(sort)
        last = after.consultation_id if after is not None else None
        place, asked = (record_filter, sort, descending), offset
        if last is None:
            # A window that pages by offset gets the seek too: a page at or just past
            # the end of the one this browser last gave continues from that page's
            # last row. A long jump does not: in an order by clinician, decision or
            # status, skipping rows from a row first counts the rest of its value's
            # rows, which a plain offset (one grouped count) does not need.
            with self._lock:
                reached = self._reached.get(place)
            if reached is not None and reached[0] + SEEK_SPAN > offset >= reached[0] > 0:
                offset, last = offset - reached[0], reached[1]
        with self._db.session() as session, session.begin():
            heads = ReportingQueries(session).page(
                record_filter, sort, descending, offset, limit, after=last
            )
        if heads and after is None:
            with self._lock:
                self._reached.pop(place, None)
                self._reached[place] = (asked + len(heads), heads[-1].consultation_id)
                while len(self._reached) > _PLACES:
                    del self._reached[next(iter(self._reached))]
        return [self.row(head) for head in heads]

    def row(self, head: RecordHead) -> RecordRow:
        """A listed record with its topics counted against its own pack and variant."""
        needed = self._packs.ids(head.pack_hash, head.variant_id)
        settled = sum(
            1
            for topic, state in head.topic_states.items()
            if topic in needed and state != TopicState.NOT_ADDRESSED.value
        )
        return RecordRow(
            consultation_id=head.consultation_id,
            started_at=head.started_at,
            ended_at=head.ended_at,
            patient_name=head.patient_name,
            nhs_number=head.nhs_number,
            hospital_number=head.hospital_number,
            clinician_id=head.clinician_id,
            clinician_name=head.clinician_name,
            pack_id=head.pack_id,
            pack_version=head.pack_version,
            variant_id=head.variant_id,
            decision=head.decision,
            status=head.status,
            settled=settled,
            total=len(needed),
        )
