"""The item models, each checked with qtmodeltester over real content and plain data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from consult_aid import paths
from consult_aid.domain.consultation import ConsultationState, TopicRecord, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Patient
from consult_aid.services.bundle import open_services
from consult_aid.services.views import ConsultationSummary
from consult_aid.ui.models.consultation_list import ConsultationListModel
from consult_aid.ui.models.navigator import NavigatorModel
from consult_aid.ui.models.open_topics import OpenTopic, OpenTopicsModel
from consult_aid.ui.models.patient_table import PatientTableModel

PATIENT = Patient(1, "Zoë Łukasiewicz", date(1941, 3, 2), "9990000018", "RX123")


@pytest.fixture
def pack(tmp_path: Path) -> Iterator[ContentPack]:
    services = open_services(f"sqlite:///{tmp_path.as_posix()}/db.sqlite3", paths.procedures_dir())
    yield services.library.current("balloon-kyphoplasty")
    services.close()


def test_patient_table(qtmodeltester: Any) -> None:
    model = PatientTableModel()
    model.set_patients([PATIENT, Patient(2, "Ann Smith", date(1950, 1, 9), "9990000026", "")])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "Zoë Łukasiewicz"
    assert model.index(0, 1).data() == "02/03/1941"
    assert model.index(0, 2).data() == "999 000 0018"
    assert model.row_of(2) == 1


def test_navigator_shows_sections_topics_and_states_in_words(
    qtmodeltester: Any, pack: ContentPack
) -> None:
    model = NavigatorModel()
    sections = pack.sections_for("balloon")
    first = sections[0].topics[0]
    state = ConsultationState(topics={first.id: TopicRecord(TopicState.DECLINED)})
    model.set_content(sections, state)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(sections)
    section = model.index(0, 0)
    assert model.rowCount(section) == len(sections[0].topics)
    topic = model.index(0, 0, section)
    assert model.topic_id(topic) == first.id
    assert model.parent(topic) == section
    assert model.index(0, 1, section).data() == "✖ Declined"
    assert "Declined by the patient" in model.index(0, 0, section).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 1, section).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index_of(first.id) == topic
    model.set_state(ConsultationState())
    assert model.index(0, 1, section).data() == "○ Open"
    assert model.topic_id(QModelIndex()) is None


def test_open_topics(qtmodeltester: Any) -> None:
    model = OpenTopicsModel()
    model.set_topics([OpenTopic("infection", "Infection", "Risks"), OpenTopic("a", "A", "B")])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "Infection (Risks)"
    assert model.topic_id_at(1) == "a"
    assert model.topic_id_at(2) is None


def test_consultation_list(qtmodeltester: Any) -> None:
    model = ConsultationListModel()
    started = datetime(2025, 3, 1, 10, 30, tzinfo=UTC)
    model.set_summaries(
        [
            ConsultationSummary(
                7, PATIENT, "Ada", "Balloon kyphoplasty", "SpineJack", started, None, 3, 27
            )
        ]
    )
    qtmodeltester.check(model, force_py=True)
    text = model.index(0, 0).data()
    assert "3 of 27 topics settled" in text
    assert "not finished" in text
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == 7
