"""Finalising a record from the walkthrough, and amending it afterwards with addenda.

"Finalise…" first checks, on the runner and after every change on its way
has been stored, what the record still lacks; if anything, a dialog lists it
item by item and each jumps to its topic or field. Otherwise it asks, then
asks the services to finalise. A finalised record is shown read-only under a
"FINALISED on … by …" banner with its addenda; "Add addendum…" is the only
way to add to it. Every record shown here is reported as viewed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Action
from consult_aid.domain.consultation import Detail
from consult_aid.domain.documents import DocumentKind
from consult_aid.domain.errors import InvalidInput
from consult_aid.domain.finalisation import Addendum, RecordStatus, missing_for_finalise
from consult_aid.services.views import ConsultationView
from consult_aid.ui.access.may import may_on_own
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text, local_time
from consult_aid.ui.walkthrough.finalise_dialogs import (
    AddendumDialog,
    MissingDialog,
    Target,
    finalise_confirmation,
    target_of,
)

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.ui.walkthrough.page import ConsultationPage

DETAILS_TAB = 2


def is_finalised(view: ConsultationView | None) -> bool:
    """True for a record finalised (and perhaps amended) — never to be changed in place."""
    return view is not None and view.status is not RecordStatus.DRAFT


def is_read_only(view: ConsultationView | None) -> bool:
    """True when the walkthrough must take no change: ended or finalised."""
    return view is None or view.state.ended_at is not None or is_finalised(view)


def person(by: int | None, names: dict[int, str]) -> str:
    """A clinician, by name when known."""
    if by is None:
        return "unknown"
    return names.get(by, f"clinician no. {by}")


def finalised_line(view: ConsultationView, names: dict[int, str]) -> str:
    """The banner's words: when and by whom the record was finalised."""
    at = view.finalised_at
    when = local_time(at) if at is not None else "an unknown time"
    return f"FINALISED on {when} by {person(view.finalised_by, names)}"


def addendum_text(addendum: Addendum, names: dict[int, str]) -> str:
    """One addendum in full: who, when, why, what."""
    return (
        f"Addendum by {person(addendum.by, names)} on {local_time(addendum.at)}\n"
        f"Why: {addendum.reason}\n{addendum.text}"
    )


class FinalisedPanel(QFrame):
    """The "FINALISED on … by …" banner with the record's addenda under it.

    Attributes:
        banner: the finalised line (plain text).
        addenda: one plain label per addendum, oldest first.
        addendum_button: "Add addendum…".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finalised_panel")
        self.setStyleSheet(
            "#finalised_panel { background: #eef6ee; border: 2px solid #1b6e20;"
            " border-radius: 4px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        row = QHBoxLayout()
        self.banner = plain_label()
        self.banner.setObjectName("finalised_banner")
        self.banner.setAccessibleName("Record status")
        self.banner.setStyleSheet("font-size: 14pt; font-weight: bold; color: #0f4212;")
        self.banner.setWordWrap(True)
        row.addWidget(self.banner, 1)
        self.addendum_button = QPushButton("Add a&ddendum…")
        self.addendum_button.setObjectName("addendum_button")
        self.addendum_button.setAccessibleName("Add addendum")
        self.addendum_button.setToolTip("Ctrl+Shift+D: add a correction to the finalised record")
        row.addWidget(self.addendum_button)
        layout.addLayout(row)
        holder = QWidget()
        self._list = QVBoxLayout(holder)
        self._list.setContentsMargins(0, 0, 0, 0)
        # Many addenda scroll here rather than squeeze the walkthrough below.
        self._scroll = QScrollArea()
        self._scroll.setAccessibleName("Addenda")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setMaximumHeight(150)
        self._scroll.setWidget(holder)
        layout.addWidget(self._scroll)
        self.addenda: list[QWidget] = []
        self.hide()

    def show_record(self, view: ConsultationView, names: dict[int, str]) -> None:
        """Show a finalised record's banner and addenda (hidden for a draft)."""
        for label in self.addenda:
            label.deleteLater()
        self.addenda = []
        if not is_finalised(view):
            self.hide()
            return
        self.banner.setText(finalised_line(view, names))
        for addendum in view.addenda:
            label = plain_label(addendum_text(addendum, names))
            label.setObjectName("addendum")
            label.setAccessibleName("Addendum")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet("border-top: 1px solid #9bbf9d; padding-top: 4px;")
            self._list.addWidget(label)
            self.addenda.append(label)
        self._scroll.setVisible(bool(self.addenda))
        self.show()


class Finaliser(QObject):
    """Finalise…, Add addendum… and the finalised banner, for the consultation page.

    Signals:
        finalised(object): the ConsultationView as finalised.
        addendum_added(object): the Addendum just stored.

    Attributes:
        panel: the banner with the addenda.
        button: "Finalise…" (for the page's bottom row).
        names: clinician id -> name, for the banner and the addenda.
    """

    finalised = Signal(object)
    addendum_added = Signal(object)

    def __init__(self, page: ConsultationPage, runner: ServiceRunner, status: SaveStatus) -> None:
        super().__init__(page)
        self._page = page
        self._runner = runner
        self._status = status
        self._services: Services | None = None
        self._by = 0
        self.names: dict[int, str] = {}
        self.panel = FinalisedPanel()
        self.button = QPushButton("&Finalise…")
        self.button.setObjectName("finalise_button")
        self.button.setAccessibleName("Finalise the record")
        self.button.setToolTip("Ctrl+Shift+F: finalise once every topic is settled")
        self.button.clicked.connect(self.request)
        self.panel.addendum_button.clicked.connect(self.add_addendum)
        self._reshowing = False
        page.documents.opened.connect(self._on_preview)

    def attach(self, services: Services, clinician_id: int) -> None:
        """Work with these services, as this clinician."""
        self._services = services
        self._by = clinician_id

    # ------------------------------------------------------------------ showing
    def show_view(self, view: ConsultationView) -> None:
        """A record is on the page: report the view, show the banner, set the buttons."""
        # Only the record's own clinician finalises or amends it (the services insist too).
        may_finalise = may_on_own(self._services, Action.FINALISE, view)
        may_amend = may_on_own(self._services, Action.AMEND, view)
        self.button.setVisible(may_finalise)
        self.button.setEnabled(may_finalise and not is_finalised(view))
        self.panel.addendum_button.setVisible(may_amend)
        self.panel.addendum_button.setEnabled(may_amend and is_finalised(view))
        self.panel.show_record(view, self.names)
        if self._services is None:
            return
        consultations, clinicians = self._services.consultations, self._services.clinicians
        cid, by, opened = view.header.id, self._by, not self._reshowing

        def viewed() -> dict[int, str]:
            if opened:  # shown again after finalising is not a new viewing
                consultations.record_view(cid, by)
            return {c.id: c.name for c in clinicians.all()}

        self._runner.submit(viewed, on_done=self._on_names, on_error=self._on_failed)

    def _on_names(self, names: dict[int, str]) -> None:
        self.names = names
        if self._page.view is not None:
            self.panel.show_record(self._page.view, names)

    def _on_failed(self, error: BaseException) -> None:
        self._status.failed(error_text(error))

    def _on_preview(self, preview: Any) -> None:
        view = self._page.view
        if view is None or self._services is None:
            return
        if getattr(preview.request, "kind", None) is DocumentKind.RECORD:
            consultations, cid, by = self._services.consultations, view.header.id, self._by
            self._runner.submit(
                lambda: consultations.record_view(cid, by), on_error=self._on_failed
            )

    # --------------------------------------------------------------- finalising
    def request(self) -> None:
        """Finalise…: list what is missing, or ask and then finalise."""
        view = self._page.view
        if view is None or self._services is None or is_finalised(view):
            return
        if not may_on_own(self._services, Action.FINALISE, view):
            return
        self._page.flush_note()
        consultations, cid = self._services.consultations, view.header.id

        # Queued behind every change on its way, so it judges the record as stored.
        def missing() -> tuple[ConsultationView, list[str]]:
            stored = consultations.load(cid)
            return stored, missing_for_finalise(stored.pack, stored.header.variant_id, stored.state)

        self._runner.submit(missing, on_done=self._on_checked, on_error=self._on_failed)

    def _on_checked(self, found: tuple[ConsultationView, list[str]]) -> None:
        view, lines = found
        if self._page.view is None or self._page.view.header.id != view.header.id:
            return
        if lines:
            self.show_missing(lines)
            return
        box, finalise = finalise_confirmation(self._page)
        box.buttonClicked.connect(lambda chosen: self._finalise() if chosen is finalise else None)
        box.open()

    def _finalise(self) -> None:
        view = self._page.view
        if view is None or self._services is None:
            return
        consultations, cid, by = self._services.consultations, view.header.id, self._by
        self._status.begin()
        self._runner.submit(
            lambda: consultations.finalise(cid, by),
            on_done=self._on_finalised,
            on_error=self._on_refused,
        )

    def _on_finalised(self, view: ConsultationView) -> None:
        self._status.saved()
        if self._page.view is not None and self._page.view.header.id == view.header.id:
            self._reshowing = True
            try:
                self._page.show_consultation(view)
            finally:
                self._reshowing = False
        self.finalised.emit(view)

    def _on_refused(self, error: BaseException) -> None:
        self._status.failed(error_text(error))
        if isinstance(error, InvalidInput) and "finalise" in error.problems:
            lines = [line for line in error.problems["finalise"].splitlines() if line.strip()]
            self.show_missing(lines)
            return
        self._page.error.setText(f"⚠ Not finalised: {error_text(error)}")
        self._page.error.show()

    def show_missing(self, lines: list[str]) -> MissingDialog | None:
        """The dialog naming each missing item, each a way to go to it."""
        view = self._page.view
        if view is None:
            return None
        pack, variant = view.pack, view.header.variant_id
        dialog = MissingDialog(lines, lambda line: target_of(line, pack, variant), self._page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.jump.connect(self.go_to)
        dialog.open()
        return dialog

    def go_to(self, target: Target) -> None:
        """Show the topic or field a missing item is about, ready to put right."""
        page = self._page
        if target.topic_id is not None:
            page.go_to_topic(target.topic_id)
            page.navigator.setFocus()
            return
        page.side.setCurrentIndex(DETAILS_TAB)
        fields: dict[Detail, Any] = {
            **page.details.lines,
            Detail.CAPACITY: page.details.capacity,
            Detail.DECISION: page.details.decision,
        }
        if target.detail in fields:
            fields[target.detail].setFocus()

    # ----------------------------------------------------------------- addenda
    def add_addendum(self) -> None:
        """Add addendum…: reason and text, saved through the services."""
        view = self._page.view
        if view is None or self._services is None or not is_finalised(view):
            return
        if not may_on_own(self._services, Action.AMEND, view):
            return
        dialog = AddendumDialog(self._page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        consultations, cid, by = self._services.consultations, view.header.id, self._by

        def save(reason: str, text: str) -> None:
            self._status.begin()
            self._runner.submit(
                lambda: (
                    consultations.add_addendum(cid, reason, text, by),
                    consultations.load(cid),
                ),
                on_done=lambda done: self._on_addendum(dialog, *done),
                on_error=lambda error: self._on_addendum_refused(dialog, error),
            )

        dialog.save_requested.connect(save)
        dialog.open()

    def _on_addendum(self, dialog: AddendumDialog, added: Addendum, view: ConsultationView) -> None:
        self._status.saved()
        if shiboken6.isValid(dialog):
            dialog.accept()
        if self._page.view is not None and self._page.view.header.id == view.header.id:
            self._page.view = view
            self.panel.show_record(view, self.names)
        self.addendum_added.emit(added)

    def _on_addendum_refused(self, dialog: AddendumDialog, error: BaseException) -> None:
        self._status.failed(error_text(error))
        if not shiboken6.isValid(dialog):
            return
        problems = error.problems if isinstance(error, InvalidInput) else {"": error_text(error)}
        dialog.refused(problems)
