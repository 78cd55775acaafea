"""The coverage report: how each topic ended across the finalised records a filter matches.

The storage layer does the counting: over finalised records, from the counts
kept as each was finalised (reporting_counts), adding the drafts when they are
asked for; otherwise from the records' topic states (ReportingQueries). Here
only the few hundred groups per pack, variant, clinician and month are summed,
so the cost does not grow with the records' detail. A topic counts for a
record only when the record's own pack and variant need it; a needed topic
with no settled state is "not addressed". Months are calendar months of the
start time in UTC.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from consult_aid.domain.consultation import TopicState
from consult_aid.domain.content import SectionKind
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.reporting.packs import PackTopics
from consult_aid.storage.database import Database
from consult_aid.storage.models import ConsultationRow
from consult_aid.storage.reporting_counts import CoverageCounts, RecordGroup, StateGroup, answers
from consult_aid.storage.reporting_queries import RecordFilter, ReportingQueries

_IN_CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit


@dataclass(slots=True)
class StateCounts:
    """How many records left a topic in each state."""

    discussed: int = 0
    declined: int = 0
    not_applicable: int = 0
    not_addressed: int = 0

    @property
    def total(self) -> int:
        """Records the topic counted for."""
        return self.discussed + self.declined + self.not_applicable + self.not_addressed

    def count(self, state: TopicState) -> int:
        """The records in one state."""
        return int(getattr(self, state.value))

    def share(self, state: TopicState) -> float:
        """The fraction (0..1) of the records in one state; 0 when there are none."""
        return self.count(state) / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class TopicCoverage:
    """One topic's figures: overall, per clinician (by name) and per month ("2025-03")."""

    topic_id: str
    title: str
    section: SectionKind
    overall: StateCounts
    by_clinician: tuple[tuple[str, StateCounts], ...]
    by_month: tuple[tuple[str, StateCounts], ...]


@dataclass(frozen=True, slots=True)
class UnaddressedItem:
    """A material risk or an alternative left not addressed in one record."""

    consultation_id: int
    started_at: datetime
    patient_name: str
    nhs_number: str
    clinician_name: str
    topic_id: str
    topic_title: str
    material: bool
    alternative: bool

    @property
    def why(self) -> str:
        """What kind of topic it is, in words."""
        kinds = [
            k
            for k, on in (("material risk", self.material), ("alternative", self.alternative))
            if on
        ]
        return " and ".join(kinds)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage over the records a filter matches (finalised ones unless drafts were asked for)."""

    record_filter: RecordFilter
    include_drafts: bool
    records: int
    topics: tuple[TopicCoverage, ...]
    unaddressed: tuple[UnaddressedItem, ...] = field(default=())


def build_coverage_report(
    db: Database,
    record_filter: RecordFilter,
    library: ContentLibrary | None = None,
    *,
    include_drafts: bool = False,
) -> CoverageReport:
    """Count, per topic, how the matching finalised records (or all, with drafts) left it."""
    packs = PackTopics(db, library)
    finalised_only = not include_drafts
    with db.session() as session, session.begin():
        queries = ReportingQueries(session)
        counts = CoverageCounts(session)
        groups, states = _groups(counts, queries, record_filter, finalised_only)
        material: list[tuple[int, str]] = []
        alternatives: list[tuple[int, str]] = []
        # When the counts show every needed topic settled (always so for finalised
        # records, which cannot be finalised otherwise), no record can be listed.
        if _any_open(packs, groups, states):
            material = queries.open_material(record_filter, finalised_only)
            alternatives = [
                pair
                for pack_variant in sorted({(g[0], g[1]) for g in groups})
                for pair in queries.open_topics(
                    record_filter,
                    finalised_only,
                    pack_variant,
                    [topic.id for topic in packs.alternatives(*pack_variant)],
                )
            ]
        flagged = sorted({cid for cid, _ in material} | {cid for cid, _ in alternatives})
        heads = {
            head.consultation_id: head
            for start in range(0, len(flagged), _IN_CHUNK)
            for head in queries.heads(
                ConsultationRow.id.in_(flagged[start : start + _IN_CHUNK]), topics=False
            )
        }
        names = queries.clinician_names()
    topics = _topics(packs, groups, states, names)
    titles = {t.topic_id: t.title for t in topics}
    material_set = {
        (cid, topic)
        for cid, topic in material
        if cid in heads and topic in packs.ids(heads[cid].pack_hash, heads[cid].variant_id)
    }
    alternative_set = set(alternatives)
    items = []
    for cid, topic_id in sorted(material_set | alternative_set):
        head = heads[cid]
        items.append(
            UnaddressedItem(
                consultation_id=cid,
                started_at=head.started_at,
                patient_name=head.patient_name,
                nhs_number=head.nhs_number,
                clinician_name=head.clinician_name,
                topic_id=topic_id,
                topic_title=titles.get(topic_id, topic_id),
                material=(cid, topic_id) in material_set,
                alternative=(cid, topic_id) in alternative_set,
            )
        )
    items.sort(key=lambda item: (item.started_at, item.consultation_id, item.topic_title))
    return CoverageReport(
        record_filter=record_filter,
        include_drafts=include_drafts,
        records=sum(g[5] for g in groups),
        topics=topics,
        unaddressed=tuple(items),
    )


def _groups(
    counts: CoverageCounts,
    queries: ReportingQueries,
    record_filter: RecordFilter,
    finalised_only: bool,
) -> tuple[list[RecordGroup], list[StateGroup]]:
    """The record groups and settled-state groups of the records the report covers.

    Finalised records never change, so their counts were kept as each was
    finalised: where those counts answer the filter, only the drafts (when
    asked for) are counted from their topic states. A group may then come
    twice, once for each part; every sum over the groups adds them up.
    """
    if not answers(record_filter):
        return (
            queries.record_groups(record_filter, finalised_only),
            queries.state_groups(record_filter, finalised_only),
        )
    groups, states = counts.groups(record_filter)
    if not finalised_only:
        drafts = replace(record_filter, status=RecordStatus.DRAFT)
        groups += queries.record_groups(drafts, finalised_only=False)
        states += queries.state_groups(drafts, finalised_only=False)
    return groups, states


def _any_open(
    packs: PackTopics,
    groups: list[tuple[str, str, int, int, int, int]],
    states: list[tuple[str, str, int, int, int, str, str, int]],
) -> bool:
    """Whether some record leaves a topic its pack and variant need not addressed."""
    needed = {(h, v): packs.ids(h, v) for h, v in {(g[0], g[1]) for g in groups}}
    # A record has at most one state per topic, so the settled needed topics fall
    # short of records times needed topics exactly when one is left open.
    slots = sum(records * len(needed[(h, v)]) for h, v, _c, _y, _m, records in groups)
    settled = sum(n for h, v, _c, _y, _m, topic, _s, n in states if topic in needed.get((h, v), ()))
    return settled < slots


def _topics(
    packs: PackTopics,
    groups: list[tuple[str, str, int, int, int, int]],
    states: list[tuple[str, str, int, int, int, str, str, int]],
    clinician_names: dict[int, str],
) -> tuple[TopicCoverage, ...]:
    overall: dict[str, StateCounts] = defaultdict(StateCounts)
    by_clinician: dict[str, dict[int, StateCounts]] = defaultdict(lambda: defaultdict(StateCounts))
    by_month: dict[str, dict[str, StateCounts]] = defaultdict(lambda: defaultdict(StateCounts))
    order: dict[str, tuple[int, str, SectionKind]] = {}
    # Start every needed topic as not addressed for each record, then move the settled ones.
    for pack_hash, variant, clinician, year, month, records in groups:
        pack = packs.pack(pack_hash)
        for position, topic in enumerate(packs.topics(pack_hash, variant)):
            order.setdefault(topic.id, (position, topic.title, pack.section_of(topic.id).kind))
            for counts in _cells(overall, by_clinician, by_month, topic.id, clinician, year, month):
                counts.not_addressed += records
    for pack_hash, variant, clinician, year, month, topic_id, state, count in states:
        if topic_id not in packs.ids(pack_hash, variant):
            continue  # a topic this record's variant does not need is not counted for it
        for counts in _cells(overall, by_clinician, by_month, topic_id, clinician, year, month):
            counts.not_addressed -= count
            setattr(counts, TopicState(state).value, counts.count(TopicState(state)) + count)
    return tuple(
        TopicCoverage(
            topic_id=topic_id,
            title=title,
            section=section,
            overall=overall[topic_id],
            by_clinician=tuple(
                sorted(
                    (
                        (clinician_names.get(cid, f"Clinician {cid}"), c)
                        for cid, c in by_clinician[topic_id].items()
                    ),
                    key=lambda pair: pair[0].casefold(),
                )
            ),
            by_month=tuple(sorted(by_month[topic_id].items())),
        )
        for topic_id, (_position, title, section) in sorted(order.items(), key=lambda kv: kv[1][0])
    )


def _cells(
    overall: dict[str, StateCounts],
    by_clinician: dict[str, dict[int, StateCounts]],
    by_month: dict[str, dict[str, StateCounts]],
    topic_id: str,
    clinician: int,
    year: int,
    month: int,
) -> tuple[StateCounts, StateCounts, StateCounts]:
    return (
        overall[topic_id],
        by_clinician[topic_id][clinician],
        by_month[topic_id][f"{year:04d}-{month:02d}"],
    )
