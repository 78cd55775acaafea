"""The coverage report's tables: topic × state shares, and the records left unaddressed.

Each share cell reads "80% (8)": the percentage and the count behind it.
A breakdown picks the figures overall, for one clinician or for one month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from consult_aid.domain import nhs_number
from consult_aid.domain.consultation import TopicState
from consult_aid.ui.models.list_table import ListTableModel
from consult_aid.ui.text import STATE_MARKS, local_time

if TYPE_CHECKING:
    from consult_aid.services.reporting.coverage import TopicCoverage

# The order of the shares, in the table, the chart and the CSV.
SHARE_STATES = (
    TopicState.DISCUSSED,
    TopicState.DECLINED,
    TopicState.NOT_APPLICABLE,
    TopicState.NOT_ADDRESSED,
)
SHARE_TITLES = ("Discussed", "Declined", "Not applicable", "Not addressed")

# A breakdown: None (overall), ("clinician", name) or ("month", "2025-03").
Breakdown = tuple[str, str] | None


def counts_for(topic: TopicCoverage, breakdown: Breakdown) -> Any:
    """A topic's StateCounts for the breakdown chosen (None where it has no records there)."""
    if breakdown is None:
        return topic.overall
    kind, key = breakdown
    pairs = topic.by_clinician if kind == "clinician" else topic.by_month
    return dict(pairs).get(key)


def share_text(counts: Any, state: TopicState) -> str:
    """The share as "80% (8)", or a dash where the topic counted for no record."""
    if counts is None or counts.total == 0:
        return "–"
    return f"{round(counts.share(state) * 100)}% ({counts.count(state)})"


class CoverageModel(ListTableModel):
    """One row per topic: its title, the records it counted for, and a share per state.

    Attributes:
        items: the report's topics, in pack order.
        breakdown: whose figures are shown.
    """

    HEADERS = (
        "Topic",
        "Records",
        *(f"{STATE_MARKS[s]} {t}" for s, t in zip(SHARE_STATES, SHARE_TITLES, strict=True)),
    )

    def __init__(self) -> None:
        super().__init__()
        self.breakdown: Breakdown = None

    def set_report(self, topics: list[TopicCoverage], breakdown: Breakdown) -> None:
        """Show a report's topics for a breakdown."""
        self.breakdown = breakdown
        self.set_items(topics)

    def cells(self, item: TopicCoverage) -> tuple[object, ...]:
        """Topic, records counted, then the share in each state."""
        counts = counts_for(item, self.breakdown)
        total = str(counts.total if counts is not None else 0)
        return (item.title, total, *(share_text(counts, state) for state in SHARE_STATES))

    def alignment(self, column: int) -> object:
        """Numbers align right."""
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if column else None


class UnaddressedModel(ListTableModel):
    """Records in which a material risk or an alternative was left not addressed.

    Attributes:
        items: the report's UnaddressedItems, oldest first.
    """

    HEADERS = ("Started", "Patient", "NHS number", "Clinician", "Topic", "Left unaddressed")

    def cells(self, item: Any) -> tuple[object, ...]:
        """When, who, which topic, and why it should have been addressed."""
        return (
            local_time(item.started_at),
            item.patient_name,
            nhs_number.display(item.nhs_number),
            item.clinician_name,
            item.topic_title,
            item.why,
        )

    def key(self, item: Any) -> object:
        """The record's consultation id."""
        return item.consultation_id
