"""The audit workspace over a small real database.

Filters narrow the table, a record opens read-only (history, addenda, its PDF as finalised) and
is audited as viewed, and the coverage report shows the right shares, breakdowns and the
records left with gaps.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from consult_aid.domain.access import Role
from consult_aid.domain.consultation import TopicState
from consult_aid.domain.content import SectionKind
from consult_aid.domain.people import ClinicianDraft, ClinicianRole
from consult_aid.ui.audit.record_viewer import RecordViewer
from consult_aid.ui.documents.preview_dialog import DocumentPreview
from consult_aid.ui.main_window import MainWindow
from tests.signing_in import act_as
from tests.ui.records_seed import PACK, VARIANT, consultation, patient
from tests.ui.test_accessible_names import _unnamed

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _seed(harness: Any) -> dict[str, int]:
    ada = harness.seed_clinician()
    services = harness.services
    bob = harness.add_person(
        ClinicianDraft("Bob Other", ClinicianRole.CONSULTANT_SURGEON, "7654321", "St Elsewhere"),
        {Role.SURGEON},
        "bob",
    )
    ann = patient(services, ada.id, 21, "Ann Smith")
    zoe = patient(services, ada.id, 22, "Zoë Łukasiewicz")
    made = {
        "all_discussed": consultation(services, ann, ada.id),
        "declined": consultation(services, zoe, ada.id, states={0: TopicState.DECLINED}),
        "not_applicable": consultation(
            services, ann, bob.id, states={0: TopicState.NOT_APPLICABLE}
        ),
    }
    for cid in made.values():
        owner = services.consultations.load(cid).header.clinician_id
        act_as(services, owner)
        services.consultations.end(cid, owner)
        services.consultations.finalise(cid, owner)
    act_as(services, ada.id)
    services.consultations.add_addendum(
        made["declined"], "Spelling", "The patient's daughter was present.", ada.id
    )
    # A draft with a material risk and the alternatives left open.
    view = services.consultations.start(zoe, ada.id, PACK, VARIANT)
    risk = next(
        t
        for t in view.pack.topics_for(VARIANT)
        if view.pack.section_of(t.id).kind is SectionKind.RISKS
    )
    services.consultations.set_material(view.header.id, risk.id, True, ada.id)
    services.consultations.end(view.header.id, ada.id)
    made["draft"] = view.header.id
    made["bob"] = bob.id
    return made


def _workspace(harness: Any, qtbot: Any) -> MainWindow:
    window: MainWindow = harness.window()
    qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.audit, timeout=harness.wait_ms)
    label = window.audit.count_label
    qtbot.waitUntil(lambda: label.text() == "4 records found", timeout=harness.wait_ms)
    qtbot.waitUntil(lambda: window.audit.model.rowCount() == 4, timeout=harness.wait_ms)
    return window


def test_filters_narrow_the_records_and_a_record_opens_read_only(harness: Any, qtbot: Any) -> None:
    made = _seed(harness)
    window = _workspace(harness, qtbot)
    audit = window.audit
    filters = audit.filters

    qtbot.keyClicks(filters.patient, "ann")
    qtbot.waitUntil(lambda: audit.count_label.text() == "2 records found", timeout=harness.wait_ms)
    qtbot.waitUntil(lambda: audit.model.rowCount() == 2, timeout=harness.wait_ms)
    assert {audit.model.index(r, 2).data() for r in range(2)} == {"Ann Smith"}

    filters.clinician.setCurrentIndex(filters.clinician.findText("Bob Other"))
    qtbot.waitUntil(lambda: audit.count_label.text() == "1 record found", timeout=harness.wait_ms)
    qtbot.mouseClick(filters.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.count_label.text() == "4 records found", timeout=harness.wait_ms)
    filters.status.setCurrentIndex(filters.status.findText("Draft"))
    qtbot.waitUntil(
        lambda: (
            audit.count_label.text() == "1 record found"
            and audit.model.index(0, 7).data() == "Draft"
        ),
        timeout=harness.wait_ms,
    )
    filters.status.setCurrentIndex(filters.status.findText("Finalised, with addenda"))
    qtbot.waitUntil(
        lambda: (
            audit.model.rowCount() == 1
            and audit.model.index(0, 7).data() == "Finalised, with addenda"
        ),
        timeout=harness.wait_ms,
    )
    assert audit.count_label.text() == "1 record found"

    # Enter opens the record read-only, with its history and addenda.
    audit.table.setFocus()
    audit.table.setCurrentIndex(audit.model.index(0, 0))
    qtbot.keyClick(audit.table, Qt.Key.Key_Return)
    viewer = harness.modal(RecordViewer)
    qtbot.waitUntil(lambda: viewer.details is not None, timeout=harness.wait_ms)
    assert _unnamed(viewer) == []
    assert viewer.consultation_id == made["declined"]
    assert "Zoë Łukasiewicz" in viewer.patient.text()
    assert "FINALISED on " in viewer.facts.text()
    history = harness.services.consultations.history(made["declined"])
    assert viewer.history_model.rowCount() == len(history)
    assert viewer.addenda[0].text().endswith("The patient's daughter was present.")

    qtbot.mouseClick(viewer.preview_button, Qt.MouseButton.LeftButton)
    preview = harness.modal(DocumentPreview)
    qtbot.waitUntil(lambda: preview.document is not None, timeout=harness.wait_ms)
    kept = harness.services.documents.finalised_record(made["declined"])
    assert preview.document.pdf == kept.pdf
    preview.close()
    viewer.close()
    harness.modal_closed(window)
    with sqlite3.connect(harness.folder / "db.sqlite3") as db:
        (views,) = db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'consultation.view' AND entity_id = ?",
            (str(made["declined"]),),
        ).fetchone()
    db.close()
    assert views >= 2  # opened, then previewed
    QApplication.processEvents()
