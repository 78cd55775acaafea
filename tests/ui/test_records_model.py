"""The audit records model.

Checked with qtmodeltester; rows are fetched a page at a time on the runner, the total from the
services' count, and a header sort that queries again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from consult_aid.ui.audit.filters import FilterValues
from consult_aid.ui.audit.queries import Reporting, record_columns
from consult_aid.ui.audit.records_model import RecordsModel
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
