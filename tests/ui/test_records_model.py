"""The audit records model.

Checked with qtmodeltester; rows are fetched a page at a time on the runner, the total from the
services' count, and a header sort that queries again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from consult_aid.ui.audit.filters import FilterValues
from consult_aid.ui.audit.queries import Reporting, record_columns
from consult_aid.ui.audit.records_model import Column, RecordsModel
from consult_aid.ui.service_runner import ServiceRunner
from tests.ui.records_seed import PACK, VARIANT, patient

RECORDS = 45
PAGE = 20


@pytest.fixture
def runner() -> Iterator[ServiceRunner]:
    made = ServiceRunner()
    yield made
    made.drain(10_000)
    made.stop()


def test_rows_come_a_page_at_a_time_and_the_model_is_sound(
    harness: Any, qtbot: Any, qtmodeltester: Any, runner: ServiceRunner
) -> None:
    clinician = harness.seed_clinician()
    services = harness.services
    ann = patient(services, clinician.id, 11, "Ann Able")
    zed = patient(services, clinician.id, 12, "Zed Zulu")
    for number in range(RECORDS):
        chosen = zed if number == RECORDS - 1 else ann
        services.consultations.start(chosen, clinician.id, PACK, VARIANT)

    model = RecordsModel(runner, record_columns({}), page_size=PAGE)
    totals: list[int] = []
    model.total_changed.connect(totals.append)
    model.set_query(*Reporting(services).records(FilterValues()))
    qtbot.waitUntil(lambda: model.rowCount() == PAGE and model.total == RECORDS, timeout=10_000)
    assert totals[-1] == RECORDS
    assert model.canFetchMore(QModelIndex())
    # Newest first by default: the last one started (Zed's) heads the list.
    assert model.index(0, 2).data() == "Zed Zulu"

    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE, timeout=10_000)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == RECORDS, timeout=10_000)
    assert not model.canFetchMore(QModelIndex())
    ids = [model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(RECORDS)]
    assert len(set(ids)) == RECORDS  # no row twice across pages
    qtmodeltester.check(model, force_py=True)

    # A header click on "Patient" (ascending) asks the services again, in that order.
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 0
    qtbot.waitUntil(lambda: model.rowCount() == PAGE, timeout=10_000)
    assert model.sort_key == "patient"
    assert model.index(0, 2).data() == "Ann Able"
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() == PAGE, timeout=10_000)
    assert model.index(0, 2).data() == "Zed Zulu"
    qtmodeltester.check(model, force_py=True)


@dataclass(frozen=True)
class _Row:
    consultation_id: int


class _Source:
    """Pages of numbered rows; records how each page was asked for."""

    def __init__(self, total: int) -> None:
        self.rows = [_Row(n) for n in range(1, total + 1)]
        self.asked: list[tuple[int, int | None]] = []

    def by_offset(self, sort: str, descending: bool, offset: int, limit: int) -> list[_Row]:
        self.asked.append((offset, None))
        return self.rows[offset : offset + limit]

    def keyset(
        self, sort: str, descending: bool, offset: int, limit: int, after: _Row | None = None
    ) -> list[_Row]:
        self.asked.append((offset, None if after is None else after.consultation_id))
        start = 0 if after is None else self.rows.index(after) + 1
        return self.rows[start + offset : start + offset + limit]


def _fill_model(qtbot: Any, runner: ServiceRunner, pages: Any, total: int) -> RecordsModel:
    columns = [Column("No.", "", lambda r: str(r.consultation_id))]
    model = RecordsModel(runner, columns, page_size=PAGE)
    model.set_query(pages, lambda: total)
    qtbot.waitUntil(lambda: model.rowCount() == PAGE and model.total == total, timeout=10_000)
    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda shown=before: model.rowCount() > shown, timeout=10_000)
    return model


def test_a_source_that_continues_from_a_row_is_asked_for_the_rows_after_the_last(
    qtbot: Any, runner: ServiceRunner
) -> None:
    source = _Source(RECORDS)
    model = _fill_model(qtbot, runner, source.keyset, RECORDS)
    assert [row.consultation_id for row in model.rows] == list(range(1, RECORDS + 1))
    # The first page from the top; every later one from the last row shown, offset 0.
    assert source.asked == [(0, None), (0, PAGE), (0, 2 * PAGE)]


def test_a_source_by_offset_alone_is_asked_by_offset(qtbot: Any, runner: ServiceRunner) -> None:
    source = _Source(RECORDS)
    model = _fill_model(qtbot, runner, source.by_offset, RECORDS)
    assert [row.consultation_id for row in model.rows] == list(range(1, RECORDS + 1))
    assert source.asked == [(0, None), (PAGE, None), (2 * PAGE, None)]
