"""The main window: loading, sign-in and lock, the patients page, the walkthrough, audit, users.

The window is shown before the record store is open (start-up stays fast);
the services arrive from the runner and are attached when ready. Then the
first run sets up the administrator, or the sign-in screen asks who is there.
Each page and menu action offers only what the signed-in person's roles allow
(the services refuse the rest whatever the window does). After the idle time
the window locks: the lock screen shows no patient data; the same person
signing in gets everything back as it was, anyone else starts afresh.
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
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Action
from consult_aid.domain.content import ContentPack
from consult_aid.domain.errors import SignInRefused
from consult_aid.domain.people import Clinician
from consult_aid.services.access import SignedIn
from consult_aid.services.views import ConsultationSummary, ConsultationView
from consult_aid.ui.access import other_windows
from consult_aid.ui.access.auto_lock_dialog import AutoLockDialog
from consult_aid.ui.access.first_admin_dialog import FirstAdministratorDialog
from consult_aid.ui.access.idle_watch import IdleWatch
from consult_aid.ui.access.sign_in_page import SignInPage
from consult_aid.ui.access.user_dialogs import ChangePasswordDialog
from consult_aid.ui.access.users_page import UsersPage
from consult_aid.ui.audit.verify_action import RecordVerifier
from consult_aid.ui.audit.workspace import AuditWorkspace
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
        ready(): someone has signed in and their first page is usable.
        store_failed(str): the record store could not be opened (the message says why).
        locked(): the window locked (idle, or Session > Lock).
        unlocked(): the same person signed in again and has everything back.

    Attributes:
        services: the services, once the record store is open.
        signed_in: who is signed in (None before the first sign-in and after signing out).
        is_locked: whether the lock screen is up.
        clinician: the signed-in person's profile.
        sign_in_page: the sign-in (and lock) screen.
        users: the administrator's user accounts page.
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
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        settings: WindowSettings,
        runner: ServiceRunner,
        *,
        demo: bool = False,
        sign_in_hint: str = "",
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._runner = runner
        self.services: Services | None = None
        self.signed_in: SignedIn | None = None
        self.is_locked = False
        self._before_lock: QWidget | None = None
        self._hidden: list[QWidget] = []
        self.clinician: Clinician | None = None
        self.packs: list[ContentPack] = []
        self.zoom = DEFAULT_ZOOM
        # Qt adds the application's display name ("Consult Aid") to every title itself.
        self.setWindowTitle("Consultation aid" + (" (DEMO: sample data)" if demo else ""))
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
        self.users = UsersPage(runner)
        self.sign_in_page = SignInPage()
        if sign_in_hint:
            self.sign_in_page.show_hint(sign_in_hint)
        self.verifier = RecordVerifier(runner, self)
        pages = (self.loading, self.sign_in_page, self.patients, self.walkthrough, self.audit)
        for page in (*pages, self.users):
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.patients.consultation_opened.connect(self.show_consultation)
        self.walkthrough.leave.connect(self.show_patients)
        self.walkthrough.ended.connect(self._on_ended)
        self.audit.leave.connect(self.show_home)
        self.users.leave.connect(self.show_home)
        self.sign_in_page.submitted.connect(self._submit_sign_in)
        self._idle = IdleWatch(settings.auto_lock_minutes, self)
        self._idle.idle.connect(self._on_idle)
        self._menus()
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
        """Use these services; then set up the first administrator, or ask who is signing in."""
        self.services = services
        self.loading.setText("Loading content…")
        self._runner.submit(
            lambda: (services.accounts.needs_first_administrator(), services.library.available()),
            on_done=self._on_start_info,
            on_error=self._on_store_failed,
        )

    def _on_start_info(self, found: tuple[bool, list[ContentPack]]) -> None:
        first_run, self.packs = found
        assert self.services is not None
        if not first_run:
            self.ask_sign_in()
            return
        dialog = FirstAdministratorDialog(self.services, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.signed_in.connect(self._on_signed_in)
        dialog.open()

    # ----------------------------------------------------------------- session
    def ask_sign_in(self, *, locked_by: str = "", username: str = "") -> None:
        """Show the sign-in screen (fresh, or for a locked session)."""
        self.sign_in_page.ask(
            locked_by=locked_by, username=username or self._settings.last_username
        )
        self.pages.setCurrentWidget(self.sign_in_page)

    def _submit_sign_in(self, username: str, password: str) -> None:
        if self.services is None:
            return
        accounts = self.services.accounts
        self._runner.submit(
            lambda: accounts.sign_in(username, password),
            on_done=self._on_signed_in,
            on_error=self._on_sign_in_refused,
        )

    def _on_sign_in_refused(self, error: BaseException) -> None:
        self.sign_in_page.refused(
            str(error) if isinstance(error, SignInRefused) else error_text(error)
        )

    def _on_signed_in(self, signed_in: SignedIn) -> None:
        previous, was_locked = self.signed_in, self.is_locked
        self.is_locked = False
        self._settings.last_username = signed_in.account.username
        self.signed_in = signed_in
        if was_locked and previous is not None and previous.person_id == signed_in.person_id:
            # The same person: everything exactly as they left it.
            self._set_actions(signed_in)
            self.pages.setCurrentWidget(self._before_lock or self.patients)
            other_windows.show_again(self._hidden)
            self._hidden = []
            self._idle.start()
            self.unlocked.emit()
            return
        # A new session (or another person taking over a locked one: the service
        # has recorded that the first person's session ended; all they saved is kept).
        other_windows.end(self._hidden)
        self._hidden = []
        self._start_session(signed_in)

    def _start_session(self, signed_in: SignedIn) -> None:
        assert self.services is not None
        person, services = signed_in.person, self.services
        self.clinician = person
        roles = ", ".join(sorted(role.label for role in signed_in.account.roles))
        self.clinician_label.setText(f"Signed in: {person.name} ({person.role.value}) · {roles}")
        # Each page is given the services only if this person may use it: a page
        # attached loads its lists at once, and a page left from someone else is emptied.
        if signed_in.may(Action.VIEW_PATIENTS):
            self.patients.attach(services, person.id, self.packs)
        else:
            self.patients.detach()
        self.walkthrough.attach(services, person.id)
        if signed_in.may(Action.VIEW_RECORDS):
            self.audit.attach(services, person.id, self.packs)
        self.users.attach(services, person.id)
        # "Back" only where there is a page to go back to.
        self.audit.back_button.setVisible(signed_in.may(Action.VIEW_PATIENTS))
        self.users.back_button.setVisible(
            signed_in.may(Action.VIEW_PATIENTS) or signed_in.may(Action.VIEW_RECORDS)
        )
        self._set_actions(signed_in)
        self.show_home()
        self._idle.start()
        if signed_in.may(Action.CONSULT):
            consultations = services.consultations
            self._runner.submit(
                lambda: consultations.unfinished(person.id),
                on_done=self._on_unfinished,
                on_error=self._on_unhandled,
            )
        self.ready.emit()

    def lock(self) -> None:
        """Lock now: save the note being typed, hide everything, ask for a sign-in."""
        current = self.signed_in
        if current is None or self.is_locked or self.services is None:
            return
        self.walkthrough.flush_note()
        self.is_locked = True
        self._idle.stop()
        self._before_lock = self.pages.currentWidget()
        self._hidden = other_windows.hide_others(self)
        # The status notes may name a patient ("Printed leaflet for …"): gone while locked.
        self.status.clear()
        self._set_actions(None)
        accounts = self.services.accounts
        self._runner.submit(accounts.lock, on_error=self._on_unhandled)
        self.ask_sign_in(locked_by=current.person.name, username=current.account.username)
        self.locked.emit()

    def sign_out(self) -> None:
        """Sign out: save the note being typed, close everything, back to the sign-in screen."""
        if self.signed_in is None or self.services is None:
            return
        self.walkthrough.flush_note()
        other_windows.end(other_windows.hide_others(self))
        other_windows.end(self._hidden)
        self._hidden = []
        self._idle.stop()
        self.signed_in = None
        self.clinician = None
        self.is_locked = False
        self._set_actions(None)
        self.clinician_label.setText("")
        # As when locking: a status note may name a patient ("Printed leaflet for …").
        self.status.clear()
        accounts = self.services.accounts
        self._runner.submit(accounts.sign_out, on_error=self._on_unhandled)
        self.ask_sign_in()

    def _set_actions(self, signed_in: SignedIn | None) -> None:
        """Offer only what this person's roles allow (nothing while locked or signed out)."""

        def allowed(action: Action) -> bool:
            return signed_in is not None and signed_in.may(action)

        for item, action in self.role_actions.items():
            item.setEnabled(allowed(action))
            item.setVisible(allowed(action))
        for menu in self.role_menus:
            menu.menuAction().setVisible(any(item.isVisible() for item in menu.actions()))
        for item in self.session_actions:
            item.setEnabled(signed_in is not None)

    def _on_idle(self) -> None:
        self.lock()

    def _menus(self) -> None:
        session = self.menuBar().addMenu("&Session")
        self.lock_action = self._action(session, "&Lock", "Ctrl+Shift+L", self.lock)
        self.password_action = self._action(
            session, "Change my &password…", "", self.change_password
        )
        self.sign_out_action = self._action(session, "Sign &out", "Ctrl+Shift+Q", self.sign_out)
        self.session_actions = [self.lock_action, self.password_action, self.sign_out_action]
        records = self.menuBar().addMenu("Aud&it")
        self.audit_action = self._action(
            records, "&Audit workspace", "Ctrl+Shift+A", self.show_audit
        )
        self.verify_action = self._action(
            records, "&Verify records…", "Ctrl+Shift+V", self.verify_records
        )
        admin = self.menuBar().addMenu("Ad&ministration")
        self.users_action = self._action(admin, "&Users…", "Ctrl+Shift+U", self.show_users)
        self.settings_action = self._action(admin, "&Settings…", "", self.edit_settings)
        # A menu with nothing this person may use is not shown at all (nor while signed out).
        self.role_menus = [records, admin]
        self.role_actions: dict[QAction, Action] = {
            self.audit_action: Action.VIEW_RECORDS,
            self.verify_action: Action.VERIFY,
            self.users_action: Action.MANAGE_USERS,
            self.settings_action: Action.MANAGE_USERS,
        }
        self._set_actions(None)

    def _action(self, menu: QMenu, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def change_password(self) -> None:
        """Change my password…: the signed-in person's own password."""
        if self.services is None or self.signed_in is None:
            return
        dialog = ChangePasswordDialog(self.services, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.done.connect(self._on_password_changed)
        dialog.open()

    def _on_password_changed(self) -> None:
        self.status.begin()  # the change is stored: "Saved HH:MM:SS"
        self.status.saved()

    def edit_settings(self) -> None:
        """Settings… (administrators): the auto-lock time."""
        if self.signed_in is None or not self.signed_in.may(Action.MANAGE_USERS):
            return
        dialog = AutoLockDialog(self._settings.auto_lock_minutes, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._set_auto_lock(dialog.minutes.value()))
        dialog.open()

    def _set_auto_lock(self, minutes: int) -> None:
        self._settings.auto_lock_minutes = minutes
        self._idle.set_minutes(self._settings.auto_lock_minutes)

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
    def show_home(self) -> None:
        """The signed-in person's first page: patients, else the audit workspace, else users."""
        current = self.signed_in
        if current is None:
            return
        if current.may(Action.VIEW_PATIENTS):
            self.show_patients()
        elif current.may(Action.VIEW_RECORDS):
            self.show_audit()
        elif current.may(Action.MANAGE_USERS):
            self.show_users()

    def show_users(self) -> None:
        """User accounts (administrators)."""
        if self.signed_in is None or not self.signed_in.may(Action.MANAGE_USERS):
            return
        self.walkthrough.flush_note()
        self.users.refresh()
        self.pages.setCurrentWidget(self.users)

    def show_patients(self) -> None:
        """Show the patients page, with the search ready to type in (else the home page)."""
        if self.signed_in is None or not self.signed_in.may(Action.VIEW_PATIENTS):
            self.show_home()
            return
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
        if self.services is None or self.signed_in is None:
            return
        if not self.signed_in.may(Action.VIEW_RECORDS):
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
        self._idle.stop()
        self.walkthrough.flush_note()
        if self.signed_in is not None and self.services is not None:
            # Closing the window ends the session: the audit trail says so.
            self._runner.submit(self.services.accounts.sign_out)
        self._runner.drain(CLOSE_WAIT_MS)
        self.save_layout()
        event.accept()
