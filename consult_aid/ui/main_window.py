"""The main window: a loading state, the patients page and the walkthrough.

The window is shown before the record store is open (start-up stays fast);
the services arrive from the runner and are attached when ready.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician
from consult_aid.services.views import ConsultationSummary, ConsultationView
from consult_aid.ui.audit.verify_action import RecordVerifier
from consult_aid.ui.audit.workspace import AuditWorkspace
from consult_aid.ui.clinician_dialog import ClinicianDialog
from consult_aid.ui.patient_panel import PatientPanel
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.resume_dialog import ResumeDialog
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.settings import DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, WindowSettings
from consult_aid.ui.shortcuts_help import ShortcutsHelp
from consult_aid.ui.text import error_text
from consult_aid.ui.walkthrough.page import ConsultationPage

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

CLOSE_WAIT_MS = 5000
ZOOM_STEP = 10


class MainWindow(QMainWindow):
    """Consult Aid's one window.

    Signals:
        ready(): services attached and a clinician chosen; the patients page is usable.
        store_failed(str): the record store could not be opened (the message says why).

    Attributes:
        services: the services, once the record store is open.
        clinician: who is using the window.
        patients: the patients page.
        walkthrough: the consultation page.
        audit: the audit workspace (records, coverage, exports).
        verifier: runs "Verify records…".
        audit_action, verify_action: the Records menu's actions.
        status: the "Saved HH:MM:SS" note.
        zoom: the topic text size, in percent.
    """

    ready = Signal()
    store_failed = Signal(str)

    def __init__(
        self,
        settings: WindowSettings,
        runner: ServiceRunner,
        *,
        demo: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._runner = runner
        self.services: Services | None = None
        self.clinician: Clinician | None = None
        self.packs: list[ContentPack] = []
        self.zoom = DEFAULT_ZOOM
        self.setWindowTitle("Consult Aid — record of discussion" + (" (DEMO)" if demo else ""))
        self.setAccessibleName("Consult Aid")
        self.status = SaveStatus()
        self.clinician_label = plain_label()
        self.clinician_label.setAccessibleName("Clinician")
        self.statusBar().addWidget(self.clinician_label, 1)
        self.statusBar().addPermanentWidget(self.status)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        self.demo_banner = QLabel("DEMO — sample data, not for patient use")
        self.demo_banner.setObjectName("demo_banner")
        self.demo_banner.setAccessibleName("Demo mode")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setStyleSheet(
            "background: #7a0019; color: white; font-size: 14pt; font-weight: bold; padding: 6px;"
        )
        self.demo_banner.setVisible(demo)
        layout.addWidget(self.demo_banner)
        self.pages = QStackedWidget()
        self.loading = QLabel("Opening the record store…")
        self.loading.setObjectName("loading")
        self.loading.setAccessibleName("Opening the record store")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.loading.setStyleSheet("font-size: 16pt;")
        self.patients = PatientPanel(runner, self.status)
        self.walkthrough = ConsultationPage(runner, self.status, today)
        self.audit = AuditWorkspace(runner)
        self.verifier = RecordVerifier(runner, self)
        for page in (self.loading, self.patients, self.walkthrough, self.audit):
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.patients.consultation_opened.connect(self.show_consultation)
        self.walkthrough.leave.connect(self.show_patients)
        self.walkthrough.ended.connect(self._on_ended)
        self.audit.leave.connect(self.show_patients)
        self._records_menu()
        self._runner.failed.connect(self._on_unhandled)
        for key, slot in (
            ("F1", self.show_shortcuts),
            ("Ctrl+=", lambda: self.set_zoom(self.zoom + ZOOM_STEP)),
            ("Ctrl++", lambda: self.set_zoom(self.zoom + ZOOM_STEP)),
            ("Ctrl+-", lambda: self.set_zoom(self.zoom - ZOOM_STEP)),
            ("Ctrl+0", lambda: self.set_zoom(DEFAULT_ZOOM)),
        ):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        self._restore_layout()

    # ---------------------------------------------------------------- start-up
    def open_store(self, open_services: Callable[[], Services]) -> None:
        """Open the record store on the runner; the window stays responsive meanwhile."""
        self.pages.setCurrentWidget(self.loading)
        self._runner.submit(
            open_services, on_done=self.attach_services, on_error=self._on_store_failed
        )

    def _on_store_failed(self, error: BaseException) -> None:
        message = error_text(error)
        self.loading.setText(f"Consult Aid could not start:\n{message}")
        self.store_failed.emit(message)

    def attach_services(self, services: Services) -> None:
        """Use these services; then make sure we know who the clinician is."""
        self.services = services
        self.loading.setText("Loading profiles and content…")
        self._runner.submit(
            lambda: (services.clinicians.all(), services.library.available()),
            on_done=self._on_profiles,
            on_error=self._on_store_failed,
        )

    def _on_profiles(self, found: tuple[list[Clinician], list[ContentPack]]) -> None:
        clinicians, self.packs = found
        remembered = self._settings.clinician_id
        known = next((c for c in clinicians if c.id == remembered), None)
        if known is not None:
            self._on_clinician(known)
            return
        assert self.services is not None
        dialog = ClinicianDialog(self.services, self._runner, clinicians, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._on_clinician)
        dialog.open()

    def _on_clinician(self, clinician: Clinician) -> None:
        assert self.services is not None
        self.clinician = clinician
        self._settings.clinician_id = clinician.id
        self.clinician_label.setText(f"Clinician: {clinician.name} ({clinician.role.value})")
        self.patients.attach(self.services, clinician.id, self.packs)
        self.walkthrough.attach(self.services, clinician.id)
        self.audit.attach(self.services, clinician.id, self.packs)
        self.audit_action.setEnabled(True)
        self.verify_action.setEnabled(True)
        self.show_patients()
        consultations = self.services.consultations
        self._runner.submit(
            lambda: consultations.unfinished(clinician.id),
            on_done=self._on_unfinished,
            on_error=self._on_unhandled,
        )
        self.ready.emit()

    def _records_menu(self) -> None:
        menu = self.menuBar().addMenu("&Records")
        self.audit_action = QAction("&Audit workspace", self)
        self.audit_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.audit_action.triggered.connect(self.show_audit)
        self.verify_action = QAction("&Verify records…", self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.verify_action.triggered.connect(self.verify_records)
        for action in (self.audit_action, self.verify_action):
            action.setEnabled(False)  # until a clinician is known
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(action)
            self.addAction(action)

    def _on_unfinished(self, unfinished: list[ConsultationSummary]) -> None:
        if not unfinished:
            return
        dialog = ResumeDialog(unfinished, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._resume(dialog.chosen_id()))
        dialog.open()

    def _resume(self, consultation_id: int | None) -> None:
        if consultation_id is not None:
            self.patients.open_by_id(consultation_id, resume=True)

    # ------------------------------------------------------------------- pages
    def show_patients(self) -> None:
        """Show the patients page, with the search ready to type in."""
        self.pages.setCurrentWidget(self.patients)
        self.patients.run_search()
        self.patients.focus_search()

    def show_consultation(self, view: ConsultationView) -> None:
        """Show a consultation in the walkthrough."""
        self.walkthrough.show_consultation(view)
        self.walkthrough.set_zoom(self.zoom)
        self.pages.setCurrentWidget(self.walkthrough)
        self.walkthrough.navigator.setFocus()

    def show_audit(self) -> None:
        """Show the audit workspace (the note being typed is saved first)."""
        if self.services is None:
            return
        self.walkthrough.flush_note()
        if self.pages.currentWidget() is not self.audit:
            self.audit.refresh()
        self.pages.setCurrentWidget(self.audit)
        self.audit.table.setFocus()

    def verify_records(self) -> None:
        """Verify records…: check the audit trail and every finalised record."""
        if self.services is not None:
            self.verifier.run(self.services, self)

    def _on_ended(self, _consultation_id: int) -> None:
        self.show_patients()

    def show_shortcuts(self) -> None:
        """The keyboard shortcuts help (F1)."""
        dialog = ShortcutsHelp(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def set_zoom(self, percent: int) -> None:
        """Make the topic text larger or smaller (remembered)."""
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, percent))
        self.walkthrough.set_zoom(self.zoom)

    def _on_unhandled(self, error: BaseException) -> None:
        self.status.failed(error_text(error))

    # ------------------------------------------------------------ layout memory
    def _restore_layout(self) -> None:
        geometry = self._settings.blob("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 900)
        state = self._settings.blob("state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in self._splitters().items():
            saved = self._settings.blob(key)
            if saved is not None:
                splitter.restoreState(saved)
        self.set_zoom(self._settings.zoom)

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "walkthrough_splitter": self.walkthrough.splitter,
            "topic_splitter": self.walkthrough.topic.splitter,
        }

    def save_layout(self) -> None:
        """Remember size, position, splitters and zoom."""
        self._settings.set_blob("geometry", self.saveGeometry())
        self._settings.set_blob("state", self.saveState())
        self._settings.set_blob("walkthrough_splitter", self.walkthrough.splitter.saveState())
        self._settings.set_blob("topic_splitter", self.walkthrough.topic.splitter.saveState())
        self._settings.zoom = self.zoom
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save the note being typed, wait (bounded) for every change to be stored, then close."""
        self.walkthrough.flush_note()
        self._runner.drain(CLOSE_WAIT_MS)
        self.save_layout()
        event.accept()
