"""The records export's CSV lines, built as text a chunk of records at a time.

A hundred thousand records of some forty cells each are too many for the csv
module's per-cell work, so each line is joined here, quoted exactly as the
csv module quotes (``csv_files.quoted``), with every text cell neutralised
against spreadsheet formulas first. Most of a line is topic states, and those
are fixed words that need neither: a record's states arrive as one text in
the order of its topic ids (reporting_export), and the records of one pack
and variant mostly share that order, so where each column's state sits in it
is worked out once per order (``_Layout``) and a record's topic cells are then
picked in one C-level call. A state this app never writes is neutralised and
quoted like any other text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from consult_aid.domain.consultation import Decision, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.services.reporting.csv_files import neutralise, quoted
from consult_aid.services.reporting.packs import PackTopics
from consult_aid.storage.reporting_export import SEP, ExportRow

# A topic the record's variant does not need has no state at all: its cell says so.
NOT_FOR_VARIANT = ""
_OPEN = TopicState.NOT_ADDRESSED.value
_KNOWN = frozenset(state.value for state in TopicState)
_DECISIONS = frozenset(decision.value for decision in Decision)
_STATUSES = frozenset(status.value for status in RecordStatus)
# Appended to a record's states so that a column can pick its default from the same list.
_DEFAULTS = [_OPEN, NOT_FOR_VARIANT]
_EOL = "\r\n"  # the csv module's (excel dialect) line ending
# Orders of topic ids kept laid out: drafts leave topics out in many combinations, and
# past this many a layout is made for its record alone rather than kept.
_MAX_LAYOUTS = 20_000


class _Layout:
    """Where each topic column finds its cell among one order of topic ids' states."""

    __slots__ = ("pick", "width")

    def __init__(
        self, needed: frozenset[str], topic_ids: Sequence[str], present: Sequence[str]
    ) -> None:
        at = {topic: i for i, topic in enumerate(present)}
        # Past the record's own states come the defaults: not addressed, then empty.
        missing, empty = len(present), len(present) + 1
        places = [at.get(topic, missing) if topic in needed else empty for topic in topic_ids]
        self.width = len(present)
        self.pick: Callable[[list[str]], Sequence[str]] = (
            itemgetter(*places) if len(places) > 1 else _one_of(places)
        )


def _one_of(places: list[int]) -> Callable[[list[str]], Sequence[str]]:
    # itemgetter of one index returns the item itself, not a tuple of one.
    return lambda states: [states[i] for i in places]


class RecordLines:
    """Turns chunks of exported records into CSV text, one line per record."""

    def __init__(self, packs: PackTopics, topic_ids: list[str], iso: Callable[[Any], str]) -> None:
        """Lines for the columns RECORD_COLUMNS then ``topic_ids``; ``iso`` formats times."""
        self._packs = packs
        self._topic_ids = topic_ids
        self._iso = iso
        self._layouts: dict[tuple[str, str, str], _Layout] = {}
        # Cells that repeat across records (clinician, pack, version, variant) are
        # made safe once each, not once a record.
        self._safe: dict[str, str] = {}

    def text(self, chunk: list[ExportRow]) -> str:
        """The CSV lines of these records, each ended as the csv module ends them."""
        iso, safe, layouts = self._iso, self._safe, self._layouts
        topics = bool(self._topic_ids)
        lines = []
        for head, topic_ids, states in chunk:
            (cid, started, ended, patient, nhs, hospital, clinician, pack_id, version,
             pack_hash, variant, decision, status) = head  # fmt: skip
            if decision not in _DECISIONS:
                Decision(decision)  # refused, as reading it as a decision always was
            if status not in _STATUSES:
                RecordStatus(status)  # likewise
            layout = layouts.get((pack_hash, variant, topic_ids))
            if layout is None:
                layout = self._layout(pack_hash, variant, topic_ids)
            values = states.split(SEP) if states else []
            if len(values) != layout.width:
                raise ValueError(f"record {cid}: its topic states do not match its topics")
            cells = layout.pick(values + _DEFAULTS)
            if not _KNOWN.issuperset(values):
                cells = [quoted(neutralise(cell)) for cell in cells]  # not a state this app writes
            line = ",".join(
                (
                    str(cid),
                    iso(started),
                    iso(ended),
                    quoted(neutralise(patient)),
                    quoted(neutralise(nhs)),
                    quoted(neutralise(hospital)),
                    safe.get(clinician) or self._safe_cell(clinician),
                    safe.get(pack_id) or self._safe_cell(pack_id),
                    safe.get(version) or self._safe_cell(version),
                    safe.get(variant) or self._safe_cell(variant),
                    decision,
                    status,
                )
            )
            lines.append(f"{line},{','.join(cells)}" if topics else line)
        lines.append("")
        return _EOL.join(lines)

    def _layout(self, pack_hash: str, variant: str, topic_ids: str) -> _Layout:
        needed = self._packs.ids(pack_hash, variant)
        present = topic_ids.split(SEP) if topic_ids else []
        layout = _Layout(needed, self._topic_ids, present)
        if len(self._layouts) < _MAX_LAYOUTS:
            self._layouts[(pack_hash, variant, topic_ids)] = layout
        return layout

    def _safe_cell(self, text: str) -> str:
        self._safe[text] = quoted(neutralise(text))
        return self._safe[text]
