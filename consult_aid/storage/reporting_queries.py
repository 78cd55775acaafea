"""The queries behind the audit workspace: filtered, sorted pages of records, and coverage sums.

Filters become WHERE clauses (reporting_filters, the patient search run once
per filter here), a page's ids come from one ordered walk of an index
(reporting_pages), and only then are those rows' details read, so the per-row
look-ups (patient, clinician, settled topics) are made for one page, never for
every row the filter matches. Coverage counts records by ``GROUP BY``, and
settled topics per record as they stream by in record order (``state_groups``).
The records export's streams are in reporting_export.

Only portable SQL is used (``extract``, ``aggregate_strings``), so PostgreSQL
runs the same queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    extract,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.storage.models import (
    ClinicianRow,
    ConsultationRow,
    PatientRow,
    TopicStateRow,
)
from consult_aid.storage.reporting_export import SEP, merged
from consult_aid.storage.reporting_filters import (
    RecordFilter,
    SortKey,
    filter_conditions,
    found_for,
)
from consult_aid.storage.reporting_pages import PageFinder
from consult_aid.storage.reporting_patients import MAX_LISTED, FoundPatients

__all__ = ["SEP", "RecordFilter", "RecordHead", "ReportingQueries", "SortKey"]

_OPEN = TopicState.NOT_ADDRESSED.value
_STREAM = 2_000  # records read at a time where every matching record is streamed
_IN_CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit


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
        # One iterator zipped with itself pairs the parts up without copying slices.
        parts = iter(self.topics_text.split(SEP) if self.topics_text else ())
        return dict(zip(parts, parts, strict=True))


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

    def __init__(self, session: Session, listed: int = MAX_LISTED) -> None:
        """Queries in ``session``; ``listed``: see reporting_patients.MAX_LISTED.

        Tests lower ``listed`` to reach both ways of narrowing to the patients found.
        """
        self._session = session
        self._listed = listed
        self._pages = PageFinder(session)
        # The patients each patient search found, run once for all the queries here.
        self._found: dict[str, FoundPatients | None] = {}

    def conditions(self, record_filter: RecordFilter) -> list[ColumnElement[bool]]:
        """The filter's WHERE clauses (reporting_filters), its patient search run once."""
        return filter_conditions(record_filter, self._patients(record_filter))

    def _patients(self, record_filter: RecordFilter) -> FoundPatients | None:
        text = record_filter.patient_text
        if text not in self._found:
            self._found[text] = found_for(self._session, record_filter, self._listed)
        return self._found[text]

    def count(self, record_filter: RecordFilter) -> int:
        """How many records the filter matches."""
        return self.count_where(self.conditions(record_filter))

    def count_where(self, where: list[ColumnElement[bool]]) -> int:
        """How many consultations meet every condition."""
        return self._pages.count(where)

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
        matching = (record_filter, self._patients(record_filter))
        ids = self._pages.ids(matching, SortKey(sort), descending, (offset, limit), after)
        if not ids:
            return []
        found = {head.consultation_id: head for head in self.heads(ConsultationRow.id.in_(ids))}
        return [found[cid] for cid in ids if cid in found]

    def pack_variants(self, record_filter: RecordFilter) -> list[tuple[str, str]]:
        """The (pack hash, variant) pairs the matching records use, oldest pack first."""
        query = (
            select(ConsultationRow.pack_hash, ConsultationRow.variant_id)
            .where(*self.conditions(record_filter))
            .group_by(ConsultationRow.pack_hash, ConsultationRow.variant_id)
            .order_by(func.min(ConsultationRow.id))
        )
        return [(str(h), str(v)) for h, v in self._session.execute(query)]

    def clinician_names(self) -> dict[int, str]:
        """Every clinician's name, by id."""
        rows = self._session.execute(select(ClinicianRow.id, ClinicianRow.name))
        return {int(cid): str(name) for cid, name in rows}

    def heads(
        self, *where: ColumnElement[bool], limit: int | None = None, topics: bool = True
    ) -> list[RecordHead]:
        """Records matching ``where``, in id order, each with its topic states.

        ``topics=False``: without them (``topics_text`` is empty), where they are not used.
        """
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
                ConsultationRow.decision,
                ConsultationRow.status,
                _topic_list if topics else literal_column("''", String),
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
        where = self.conditions(record_filter)
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
        """(pack hash, variant, clinician, year, month, topic, state, count) of settled topics.

        Counted here, not by ``GROUP BY`` over every topic state joined to its
        record: that sorts millions of rows on wide keys. Instead the records
        (with their group) and each record's settled topics (aggregated in one
        pass over the topic-state index, as for the export) stream side by side
        in record order, and each record's pairs are counted into its group.
        """
        where = self._coverage_where(record_filter, finalised_only)
        c, t = ConsultationRow, TopicStateRow
        heads = select(c.id, *_GROUP_KEYS, *_MONTH_KEYS).where(*where).order_by(c.id)
        topics = (
            select(
                t.consultation_id,
                func.aggregate_strings(t.topic_id, SEP),
                func.aggregate_strings(t.state, SEP),
            )
            .where(t.state != _OPEN)
            .group_by(t.consultation_id)
            .order_by(t.consultation_id)
        )
        if where:
            topics = topics.where(t.consultation_id.in_(select(c.id).where(*where)))
        counted: dict[tuple[str, str, int, int, int], Counter[tuple[str, str]]] = {}
        connection = self._session.connection()
        head_result, topic_result = connection.execute(heads), connection.execute(topics)
        try:
            for chunk in merged(head_result.cursor, topic_result.cursor, _STREAM):
                for (_cid, pack_hash, variant, clinician, year, month), ids, states in chunk:
                    if ids:
                        key = (pack_hash, variant, int(clinician), int(year), int(month))
                        counts = counted.get(key)
                        if counts is None:
                            counts = counted[key] = Counter()
                        counts.update(zip(ids.split(SEP), states.split(SEP), strict=True))
        finally:
            head_result.close()
            topic_result.close()
        return [
            (*key, topic, state, n)
            for key, counts in counted.items()
            for (topic, state), n in counts.items()
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

    def open_topics(
        self,
        record_filter: RecordFilter,
        finalised_only: bool,
        pack_variant: tuple[str, str],
        topic_ids: Sequence[str],
    ) -> list[tuple[int, str]]:
        """(record, topic) for the records on this pack and variant that never settled a topic.

        First the records that leave any of the topics open (each record's
        settled ones among them counted from its few topic-state index entries:
        one look-up a record for all the topics, not one a topic), then, for
        those few, which.
        """
        if not topic_ids:
            return []
        c, t = ConsultationRow, TopicStateRow
        chosen = (t.topic_id.in_(topic_ids), t.state != _OPEN)
        settled = (
            select(func.count())
            .where(t.consultation_id == c.id, *chosen)
            .correlate(c)
            .scalar_subquery()
        )
        short = select(c.id).where(
            *self._coverage_where(record_filter, finalised_only),
            c.pack_hash == pack_variant[0],
            c.variant_id == pack_variant[1],
            settled < len(topic_ids),
        )
        records = [int(cid) for cid in self._session.scalars(short)]
        done: set[tuple[int, str]] = set()
        for start in range(0, len(records), _IN_CHUNK):
            query = select(t.consultation_id, t.topic_id).where(
                t.consultation_id.in_(records[start : start + _IN_CHUNK]), *chosen
            )
            done.update((int(cid), str(topic)) for cid, topic in self._session.execute(query))
        return [(cid, topic) for cid in records for topic in topic_ids if (cid, topic) not in done]

    def _coverage_where(
        self, record_filter: RecordFilter, finalised_only: bool
    ) -> list[ColumnElement[bool]]:
        where = self.conditions(record_filter)
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
