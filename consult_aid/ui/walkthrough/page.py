"""The consultation page: the walkthrough a clinician holds with the patient.

Changes are shown at once (so the keyboard never waits on the disk), sent to
the services on the runner, and confirmed as "Saved" only when stored. If the
store refuses one, the page goes back to what is stored and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Action
from consult_aid.domain.consultation import (
    Change,
    ChangeKind,
    ConsultationState,
    Detail,
    TopicState,
    apply,
    progress,
)
from consult_aid.domain.content import SectionKind, Topic
from consult_aid.domain.documents import DocumentKind
from consult_aid.domain.errors import InvalidInput
from consult_aid.services.views import ConsultationView
from consult_aid.ui.access.may import may, may_on_own
from consult_aid.ui.documents.opener import DocumentOpener
from consult_aid.ui.form_errors import ERROR_STYLE
from consult_aid.ui.models.navigator import NavigatorModel
from consult_aid.ui.models.open_topics import OpenTopic
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text, local_time
from consult_aid.ui.walkthrough.banner import PatientBanner
from consult_aid.ui.walkthrough.change_sender import ChangeSender
from consult_aid.ui.walkthrough.checklist_panel import ChecklistPanel
from consult_aid.ui.walkthrough.details_form import DetailsForm
from consult_aid.ui.walkthrough.end_confirmation import end_confirmation
from consult_aid.ui.walkthrough.finalising import Finaliser, is_read_only
from consult_aid.ui.walkthrough.keys import SINGLE_KEYS, install_shortcuts, walkthrough_keys
from consult_aid.ui.walkthrough.page_parts import (
    bottom_buttons,
    document_buttons,
    navigator_view,
    side_tabs,
)
from consult_aid.ui.walkthrough.progress_panel import ProgressPanel
from consult_aid.ui.walkthrough.questions_panel import QuestionsPanel
from consult_aid.ui.walkthrough.reason_dialog import ReasonDialog
from consult_aid.ui.walkthrough.topic_panel import TopicPanel
from consult_aid.ui.walkthrough.topic_text import section_html, topic_html
from consult_aid.ui.walkthrough.undo_commands import SetFlagCommand, SetStateCommand

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.consultations import ConsultationService


class ConsultationPage(QWidget):
    """Navigator, topic, side panels and the banner for one consultation.

    Signals:
        leave(): back to the patients page (the consultation stays unfinished).
        ended(int): the consultation with this id was ended.

    Attributes:
        view: the consultation shown, as last loaded.
        state: what the page shows (stored state plus changes on their way).
        banner, navigator, topic, progress, checklists, details, questions: the parts.
        splitter: between navigator, topic and side panels.
        undo_stack: state, material and checklist changes.
        documents: opens the leaflet and record previews.
    """

    leave = Signal()
    ended = Signal(int)

    def __init__(
        self,
        runner: ServiceRunner,
        status: SaveStatus,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._today = today
        self._services: Services | None = None
        self._clinician_id = 0
        self.view: ConsultationView | None = None
        self.state = ConsultationState()
        self._current_topic: Topic | None = None
        self.changes = ChangeSender(runner, status, self)
        self.changes.settled.connect(self._on_settled)
        self.changes.refused.connect(self._on_refused)
        self.changes.reloaded.connect(self._on_reloaded)
        self.undo_stack = QUndoStack(self)
        self.documents = DocumentOpener(runner, status, self)
        self._build()
        self._connect()

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.banner = PatientBanner()
        layout.addWidget(self.banner)
        self.error = plain_label()
        self.error.setObjectName("walkthrough_error")
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(ERROR_STYLE + " background: #fde7e9; padding: 4px;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.finalising = Finaliser(self, self._runner, self._status)
        layout.addWidget(self.finalising.panel)

        self.model = NavigatorModel()
        self.navigator = navigator_view(self.model)

        self.topic = TopicPanel()

        self.progress = ProgressPanel()
        self.checklists = ChecklistPanel()
        self.details = DetailsForm()
        self.questions = QuestionsPanel()
        self.side = side_tabs(self.progress, self.checklists, self.details, self.questions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("walkthrough_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.topic)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([400, 700, 360])
        layout.addWidget(self.splitter, 1)

        self.leaflet_button, self.record_button = document_buttons()
        self.back_button, self.end_button = bottom_buttons(
            layout, self.leaflet_button, self.record_button, self.finalising.button
        )

    def _connect(self) -> None:
        self.navigator.selectionModel().currentChanged.connect(self._on_current_changed)
        self.navigator.installEventFilter(self)
        self.topic.content.installEventFilter(self)
        self.topic.state_requested.connect(self.request_state)
        self.topic.material_clicked.connect(self._on_material_clicked)
        self.topic.note_idle.connect(self.flush_note)
        self.progress.topic_chosen.connect(self.go_to_topic)
        self.checklists.risk_factor_clicked.connect(
            lambda key, ticked: self._push_flag(ChangeKind.RISK_FACTOR, key, ticked)
        )
        self.checklists.medicine_clicked.connect(
            lambda key, ticked: self._push_flag(ChangeKind.MEDICINE, key, ticked)
        )
        self.details.detail_edited.connect(self._on_detail_edited)
        self.questions.save_requested.connect(self._on_question_saved)
        self.questions.remove_requested.connect(self._on_question_removed)
        self.back_button.clicked.connect(self.leave_to_patients)
        self.end_button.clicked.connect(self.confirm_end)
        self.leaflet_button.clicked.connect(self.open_leaflet)
        self.record_button.clicked.connect(self.open_record)
        self.undo_stack.indexChanged.connect(lambda _i: None)
        install_shortcuts(self, walkthrough_keys(self))

    def attach(self, services: Services, clinician_id: int) -> None:
        """Work with these services, as this clinician."""
        self._services = services
        self._clinician_id = clinician_id
        self.changes.attach(services)
        self.documents.attach(services, clinician_id)
        self.finalising.attach(services, clinician_id)

    def set_zoom(self, percent: int) -> None:
        """Scale the topic text."""
        self.topic.set_zoom(percent)

    # ------------------------------------------------------------------ showing
    def show_consultation(self, view: ConsultationView) -> None:
        """Show a consultation from its stored state; undo history starts afresh."""
        self.view = view
        self.state = view.state
        self.changes.follow(view.header.id)
        self.undo_stack.clear()
        self.error.hide()
        read_only = not self._editable()
        self.banner.show_view(view, self._today())
        self.finalising.show_view(view)
        sections = view.pack.sections_for(view.header.variant_id)
        self.model.set_content(sections, view.state)
        self.navigator.expandAll()
        self.checklists.set_items(view.pack.risk_factors, view.pack.medicines)
        self.checklists.set_read_only(read_only)
        self.details.set_read_only(read_only)
        self.details.show_state(view.state, all_fields=True)
        self.questions.set_read_only(read_only)
        self.end_button.setEnabled(not read_only)
        self.leaflet_button.setVisible(may(self._services, Action.PRINT_LEAFLETS))
        self.record_button.setVisible(may(self._services, Action.PRINT_RECORDS))
        self._current_topic = None
        open_ids = view.progress.open_topic_ids
        first = open_ids[0] if open_ids else sections[0].topics[0].id
        self.go_to_topic(first)
        self._show_state()
        self.navigator.setFocus()

    def _show_state(self) -> None:
        """Show self.state on everything but the text being typed."""
        view = self.view
        if view is None:
            return
        self.model.set_state(self.state)
        done = progress(view.pack, view.header.variant_id, self.state)
        open_topics = [
            OpenTopic(t, view.pack.topic(t).title, view.pack.section_of(t).title)
            for t in done.open_topic_ids
        ]
        self.progress.show_progress(done, open_topics)
        self.checklists.show_ticks(self.state.risk_factors, self.state.medicines)
        self.questions.show_questions(self.state.questions)
        self._show_topic_record()

    def _show_topic_record(self) -> None:
        topic = self._current_topic
        ended = not self._editable()
        if topic is None or self.view is None:
            self.topic.show_record(None, risk=False)
            return
        risk = self.view.pack.section_of(topic.id).kind is SectionKind.RISKS
        self.topic.show_record(self.state.topic(topic.id), risk=risk)
        if ended:
            for button in self.topic.buttons.values():
                button.setEnabled(False)
            self.topic.material.setEnabled(False)

    # --------------------------------------------------------------- navigation
    def _topic_ids(self) -> list[str]:
        if self.view is None:
            return []
        return [t.id for t in self.view.pack.topics_for(self.view.header.variant_id)]

    def go_to_topic(self, topic_id: str) -> None:
        """Select a topic in the navigator (which shows it)."""
        index = self.model.index_of(topic_id)
        if index.isValid():
            self.navigator.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.navigator.scrollTo(index)

    def next_topic(self) -> None:
        """Move to the topic after this one."""
        self._step(1)

    def previous_topic(self) -> None:
        """Move to the topic before this one."""
        self._step(-1)

    def _step(self, by: int) -> None:
        ids = self._topic_ids()
        if not ids:
            return
        here = ids.index(self._current_topic.id) if self._current_topic else -1
        self.go_to_topic(ids[max(0, min(len(ids) - 1, here + by))])

    def focus_note(self) -> None:
        """Put the cursor in the note of the current topic."""
        if self._current_topic is not None:
            self.topic.note.setFocus()

    def focus_navigator(self) -> None:
        """Back to the topic list (saving the note on the way)."""
        self.flush_note()
        self.navigator.setFocus()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.flush_note()
        view = self.view
        if view is None:
            return
        topic_id = self.model.topic_id(current)
        ended = not self._editable()
        if topic_id is None:
            self._current_topic = None
            section_row = current.row() if current.isValid() else 0
            if self.model.sections:
                self.topic.show_html(section_html(self.model.sections[section_row]))
            self.topic.load_note("", enabled=False)
        else:
            topic = view.pack.topic(topic_id)
            self._current_topic = topic
            section = next(
                s for s in self.model.sections if any(t.id == topic_id for t in s.topics)
            )
            self.topic.show_html(topic_html(view.pack, section, topic))
            self.topic.load_note(self.state.topic(topic_id).note, enabled=not ended)
        self._show_topic_record()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Single keys settle a topic while the navigator or the content has focus."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.NoModifier:
                key = Qt.Key(event.key())
                if key in SINGLE_KEYS:
                    self.request_state(SINGLE_KEYS[key])
                    return True
                if key == Qt.Key.Key_M:
                    self.toggle_material()
                    return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ changes
    def _editable(self) -> bool:
        # Open to change only for its own clinician, signed in with the surgeon role.
        view = self.view
        return not is_read_only(view) and may_on_own(self._services, Action.CONSULT, view)

    def request_state(self, state: TopicState) -> None:
        """Settle (or reopen) the current topic; "not applicable" asks why first."""
        topic = self._current_topic
        if topic is None or not self._editable():
            return
        record = self.state.topic(topic.id)
        if state is TopicState.NOT_APPLICABLE:
            dialog = ReasonDialog(topic.title, record.reason, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(
                lambda: self._push_state(topic, state, dialog.reason.text().strip())
            )
            dialog.open()
            return
        self._push_state(topic, state, "")

    def _push_state(self, topic: Topic, state: TopicState, reason: str) -> None:
        record = self.state.topic(topic.id)
        if (record.state, record.reason) == (state, reason):
            return
        self.undo_stack.push(
            SetStateCommand(
                self._send_state,
                topic.id,
                topic.title,
                (record.state, record.reason),
                (state, reason),
            )
        )

    def toggle_material(self) -> None:
        """Tick or untick the current risk as material to this patient."""
        topic = self._current_topic
        if topic is None or not self.topic.material.isVisible() or not self._editable():
            return
        self._push_flag(
            ChangeKind.TOPIC_MATERIAL, topic.id, not self.state.topic(topic.id).material
        )

    def _on_material_clicked(self, ticked: bool) -> None:
        if self._current_topic is not None:
            self._push_flag(ChangeKind.TOPIC_MATERIAL, self._current_topic.id, ticked)

    def _push_flag(self, kind: ChangeKind, key: str, value: bool) -> None:
        if not self._editable():
            return
        labels = {
            ChangeKind.TOPIC_MATERIAL: "Material",
            ChangeKind.RISK_FACTOR: "Risk factor",
            ChangeKind.MEDICINE: "Medicine",
        }
        send = lambda k, v: self._send_flag(kind, k, v)  # noqa: E731
        self.undo_stack.push(SetFlagCommand(send, key, f"{labels[kind]} {key}", value))

    def _send_state(self, topic_id: str, state: TopicState, reason: str) -> None:
        cid, by = self._ids()
        self._optimistic(ChangeKind.TOPIC_STATE, topic_id, {"state": state.value, "reason": reason})
        self._send(lambda c: c.set_topic_state(cid, topic_id, state, reason, by))

    def _send_flag(self, kind: ChangeKind, key: str, value: bool) -> None:
        cid, by = self._ids()
        if kind is ChangeKind.TOPIC_MATERIAL:
            self._optimistic(kind, key, {"material": value})
            self._send(lambda c: c.set_material(cid, key, value, by))
        elif kind is ChangeKind.RISK_FACTOR:
            self._optimistic(kind, key, {"present": value})
            self._send(lambda c: c.set_risk_factor(cid, key, value, by))
        else:
            self._optimistic(kind, key, {"present": value})
            self._send(lambda c: c.set_medicine(cid, key, value, by))

    def _on_detail_edited(self, detail: Detail, value: str) -> None:
        if not self._editable():
            return
        cid, by = self._ids()
        self._send(lambda c: c.set_detail(cid, detail, value, by))

    def _on_question_saved(self, question_id: str | None, question: str, answer: str) -> None:
        if not self._editable():
            return
        cid, by = self._ids()
        self._send(lambda c: c.save_question(cid, question_id, question, answer, by))

    def _on_question_removed(self, question_id: str) -> None:
        if not self._editable():
            return
        cid, by = self._ids()
        self._send(lambda c: c.remove_question(cid, question_id, by))

    def flush_note(self) -> None:
        """Save the note now if it was typed in (on a pause, leaving the topic, closing)."""
        topic = self._current_topic
        text = self.topic.take_note()
        if text is None or topic is None or not self._editable():
            return
        cid, by = self._ids()
        topic_id = topic.id
        self._optimistic(ChangeKind.TOPIC_NOTE, topic_id, {"text": text})
        self._send(lambda c: c.set_note(cid, topic_id, text, by))

    def _ids(self) -> tuple[int, int]:
        assert self.view is not None
        return self.view.header.id, self._clinician_id

    def _optimistic(self, kind: ChangeKind, key: str, value: dict[str, Any]) -> None:
        change = Change(0, kind, key, value, datetime.now(UTC), self._clinician_id)
        self.state = apply(self.state, change)
        self._show_state()

    def _send(self, change: Callable[[ConsultationService], object]) -> None:
        self.changes.send(change)

    def _on_settled(self, view: ConsultationView) -> None:
        # Nothing else on its way: what is stored is what the page shows.
        self.view = view
        self.state = view.state
        self.error.hide()
        self._show_state()
        self.details.show_state(view.state, all_fields=False)

    def _on_refused(self, error: BaseException) -> None:
        if isinstance(error, InvalidInput):
            self.details.errors.show(error.problems)
        self.error.setText(f"⚠ Not saved: {error_text(error)} The screen shows what is stored.")
        self.error.show()
        # Undoing past a refused change would replay against a different state.
        self.undo_stack.clear()

    def _on_reloaded(self, view: ConsultationView) -> None:
        self.view = view
        self.state = view.state
        self._show_state()
        self.details.show_state(view.state, all_fields=True)
        if self._current_topic is not None:
            note = view.state.topic(self._current_topic.id).note
            self.topic.load_note(note, enabled=self._editable())

    # ---------------------------------------------------------------- documents
    def open_leaflet(self) -> None:
        """Preview this patient's leaflet from this consultation, to print or save."""
        self._open_document(DocumentKind.LEAFLET)

    def open_record(self) -> None:
        """Preview the record of discussion of this consultation, to print or save."""
        self._open_document(DocumentKind.RECORD)

    def _open_document(self, kind: DocumentKind) -> None:
        needed = Action.PRINT_LEAFLETS if kind is DocumentKind.LEAFLET else Action.PRINT_RECORDS
        if not may(self._services, needed):
            return
        view = self.view
        if view is None:
            return
        # The note being typed goes first; the runner keeps order, so the document has it.
        self.flush_note()
        source = f"consultation of {local_time(view.header.started_at)}"
        self.documents.consultation_document(self, view.patient, view.header.id, kind, source)

    # ------------------------------------------------------------------- ending
    def leave_to_patients(self) -> None:
        """Back to the patients page; the consultation stays open to resume."""
        self.flush_note()
        self.leave.emit()

    def confirm_end(self) -> None:
        """Ask before ending; say which topics are still open."""
        if not self._editable() or self.view is None:
            return
        self.flush_note()
        box, end = end_confirmation(self, self.view, self.state)
        box.buttonClicked.connect(lambda button: self._end() if button is end else None)
        box.open()

    def _end(self) -> None:
        assert self._services is not None
        assert self.view is not None
        cid, by = self._ids()
        consultations = self._services.consultations
        self._status.begin()

        def done(_change: object) -> None:
            self._status.saved()
            self.ended.emit(cid)

        def refused(error: BaseException) -> None:
            self._status.failed(error_text(error))
            self.error.setText(f"⚠ Could not end the consultation: {error_text(error)}")
            self.error.show()

        self._runner.submit(lambda: consultations.end(cid, by), on_done=done, on_error=refused)
