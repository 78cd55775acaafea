"""The patients page: find or add a patient, then start or resume a consultation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult_aid.domain.access import Action
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Patient
from consult_aid.services.views import ConsultationSummary, ConsultationView
from consult_aid.ui.access.may import may
from consult_aid.ui.clinic_list.importer import ClinicListImporter
from consult_aid.ui.documents.leaflet_choice import (
    LeafletChoice,
    LeafletChoiceDialog,
    choices_for,
)
from consult_aid.ui.documents.opener import DocumentOpener
from consult_aid.ui.models.consultation_list import ConsultationListModel
from consult_aid.ui.models.patient_table import PatientTableModel
from consult_aid.ui.patient_dialog import PatientDialog
from consult_aid.ui.plain_label import plain_label
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.start_dialog import StartDialog
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

SEARCH_DELAY_MS = 200


class PatientPanel(QWidget):
    """Search, results, the selected patient's consultations, and the actions on them.

    Signals:
        consultation_opened(object): a ConsultationView to show in the walkthrough.

    Attributes:
        search: the search field.
        results: the patient table; model: its model.
        consultations: the selected patient's consultations; consultation_model: its model.
        packs: the content packs a consultation can be started with.
        documents: opens leaflet and record previews; clinic_lists: the clinic-list import.
    """

    consultation_opened = Signal(object)

    def __init__(self, runner: ServiceRunner, status: SaveStatus, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._services: Services | None = None
        self._clinician_id = 0
        self._search_serial = 0
        self.packs: list[ContentPack] = []
        self.documents = DocumentOpener(runner, status, self)
        self.clinic_lists = ClinicListImporter(runner, status, self)
        layout = QVBoxLayout(self)
        title = QLabel("Patients")
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        layout.addWidget(title)
        row = QHBoxLayout()
        search_label = QLabel("&Find a patient:")
        self.search = QLineEdit()
        self.search.setObjectName("patient_search")
        self.search.setAccessibleName("Find a patient")
        self.search.setPlaceholderText("Name, NHS number or hospital number (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 13pt;")
        search_label.setBuddy(self.search)
        self.add_button = QPushButton("&Add patient…")
        self.add_button.setAccessibleName("Add patient")
        self.add_button.setToolTip("Ctrl+N")
        self.import_button = QPushButton("Import c&linic list…")
        self.import_button.setAccessibleName("Import clinic list")
        self.import_button.setToolTip("A CSV of the clinic's patients; their leaflets follow")
        row.addWidget(search_label)
        row.addWidget(self.search, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.import_button)
        layout.addLayout(row)

        self.model = PatientTableModel()
        self.results = QTableView()
        self.results.setObjectName("patient_results")
        self.results.setAccessibleName("Patients found")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setTabKeyNavigation(False)
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.results.setStyleSheet("font-size: 12pt;")
        layout.addWidget(self.results, 3)

        self.selected_label = plain_label("Consultations of the selected patient:")
        layout.addWidget(self.selected_label)
        self.consultation_model = ConsultationListModel()
        self.consultations = QListView()
        self.consultations.setObjectName("patient_consultations")
        self.consultations.setAccessibleName("Consultations of the selected patient")
        self.consultations.setModel(self.consultation_model)
        self.selected_label.setBuddy(self.consultations)
        layout.addWidget(self.consultations, 1)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("S&tart consultation…")
        self.start_button.setAccessibleName("Start consultation")
        self.resume_button = QPushButton("&Resume / open")
        self.resume_button.setAccessibleName("Resume or open the selected consultation")
        self.print_button = QPushButton("&Print leaflet…")
        self.print_button.setAccessibleName("Print leaflet or record")
        self.print_button.setToolTip(
            "Before clinic: a pre-clinic leaflet. After clinic: the leaflet or record again."
        )
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)
        self.message = plain_label()
        self.message.setAccessibleName("Patients page message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._on_search_enter)
        self.add_button.clicked.connect(self.add_patient)
        self.import_button.clicked.connect(self.clinic_lists.choose_file)
        self.print_button.clicked.connect(self.print_leaflet)
        self.clinic_lists.imported.connect(lambda _patients: self.run_search())
        self.start_button.clicked.connect(self.start_consultation)
        self.resume_button.clicked.connect(self.open_selected_consultation)
        self.results.activated.connect(lambda _index: self._on_patient_entered())
        self.results.selectionModel().currentRowChanged.connect(self._on_patient_selected)
        self.consultations.activated.connect(lambda _index: self.open_selected_consultation())
        self.results.installEventFilter(self)
        self.search.installEventFilter(self)
        for key, slot in (("Ctrl+F", self.focus_search), ("Ctrl+N", self.add_patient)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def attach(self, services: Services, clinician_id: int, packs: list[ContentPack]) -> None:
        """Work with these services, as this clinician."""
        self._services = services
        self._clinician_id = clinician_id
        self.packs = packs
        self.documents.attach(services, clinician_id)
        self.clinic_lists.attach(services, clinician_id, packs)
        self._update_buttons()
        self.run_search()

    def detach(self) -> None:
        """Forget the services and empty the lists (the person signed in may not see patients)."""
        self._services = None
        self._search_serial += 1  # a search still in flight is dropped when it answers
        self.model.set_patients([])
        self.consultation_model.set_summaries([])
        self._update_buttons()

    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected."""
        self.search.setFocus()
        self.search.selectAll()

    def selected_patient(self) -> Patient | None:
        """The patient selected in the results."""
        return self.model.patient_at(self.results.currentIndex().row())

    # --------------------------------------------------------------- searching
    def run_search(self) -> None:
        """Search now with what is typed (results arriving late for older text are dropped)."""
        if self._services is None:
            return
        self._timer.stop()
        self._search_serial += 1
        serial, text, patients = self._search_serial, self.search.text(), self._services.patients
        self._runner.submit(
            lambda: patients.search(text),
            on_done=lambda found: self._on_found(serial, found),
            on_error=self._on_error,
        )

    def _on_found(self, serial: int, found: list[Patient], select_id: int | None = None) -> None:
        if serial != self._search_serial:
            return
        keep = select_id if select_id is not None else getattr(self.selected_patient(), "id", None)
        self.model.set_patients(found)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and found:
            row = 0
        if row >= 0:
            self.results.setCurrentIndex(self.model.index(row, 0))
        else:
            self._on_patient_selected(QModelIndex(), QModelIndex())
        self.message.setText(f"{len(found)} patient(s) found." if found else "No patient found.")

    def _on_search_enter(self) -> None:
        self.run_search()
        self.results.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter in the results opens the patient; Down in the search goes to the results."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0, 0))
            return True
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._on_patient_entered()
            return True
        return super().eventFilter(watched, event)

    def _on_patient_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        patient = self.model.patient_at(current.row())
        self.consultation_model.set_summaries([])
        self._update_buttons()
        if patient is None or self._services is None:
            self.selected_label.setText("Consultations of the selected patient:")
            return
        self.selected_label.setText(f"Consultations of {patient.name}:")
        consultations, patient_id = self._services.consultations, patient.id
        self._runner.submit(
            lambda: consultations.for_patient(patient_id),
            on_done=lambda found: self._on_consultations(patient_id, found),
            on_error=self._on_error,
        )

    def _on_consultations(self, patient_id: int, found: list[ConsultationSummary]) -> None:
        patient = self.selected_patient()
        if patient is None or patient.id != patient_id:
            return
        self.consultation_model.set_summaries(found)
        if found:
            unfinished = next((i for i, s in enumerate(found) if s.ended_at is None), 0)
            self.consultations.setCurrentIndex(self.consultation_model.index(unfinished, 0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        services = self._services
        # Only what the signed-in person's roles allow is offered (the services check again).
        self.add_button.setVisible(may(services, Action.EDIT_PATIENTS))
        self.import_button.setVisible(may(services, Action.IMPORT_CLINIC_LIST))
        self.start_button.setVisible(may(services, Action.CONSULT))
        self.print_button.setVisible(may(services, Action.PRINT_LEAFLETS))
        self.resume_button.setText(
            "&Resume / open" if may(services, Action.CONSULT) else "&Open consultation"
        )
        self.start_button.setEnabled(self.selected_patient() is not None)
        self.print_button.setEnabled(self.selected_patient() is not None)
        self.resume_button.setEnabled(bool(self.consultation_model.summaries))

    def _on_patient_entered(self) -> None:
        """Enter on a patient: resume their unfinished consultation, else start one."""
        unfinished = [s for s in self.consultation_model.summaries if s.ended_at is None]
        if unfinished:
            self.open_consultation(unfinished[0])
        else:
            self.start_consultation()

    # ----------------------------------------------------------------- actions
    def add_patient(self) -> None:
        """Open the "Add patient" dialog; the new patient is selected when added."""
        if self._services is None:
            return
        dialog = PatientDialog(self._services, self._runner, self._clinician_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._on_patient_added)
        dialog.open()

    def _on_patient_added(self, patient: Patient) -> None:
        self._status.begin()
        self._status.saved()
        self.search.blockSignals(True)
        self.search.setText(patient.nhs_number_display)
        self.search.blockSignals(False)
        self._search_serial += 1
        self._on_found(self._search_serial, [patient], select_id=patient.id)
        self.results.setFocus()

    def start_consultation(self) -> None:
        """Ask which procedure and variant, then start it."""
        patient = self.selected_patient()
        if patient is None or self._services is None or not self.packs:
            return
        dialog = StartDialog(self.packs, patient.name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_start_chosen(patient, dialog.choice()))
        dialog.open()

    def _on_start_chosen(self, patient: Patient, choice: tuple[str, str] | None) -> None:
        if choice is None or self._services is None:
            return
        consultations, by = self._services.consultations, self._clinician_id
        pack_id, variant_id = choice
        self._status.begin()
        self._runner.submit(
            lambda: consultations.start(patient.id, by, pack_id, variant_id),
            on_done=self._on_opened,
            on_error=self._on_error,
        )

    def open_selected_consultation(self) -> None:
        """Resume (or open, if ended) the consultation selected in the list."""
        summary = self.consultation_model.summary_at(self.consultations.currentIndex().row())
        if summary is not None:
            self.open_consultation(summary)

    def open_consultation(self, summary: ConsultationSummary) -> None:
        """Resume an unfinished consultation (logged), or open an ended one to read."""
        self.open_by_id(summary.id, resume=summary.ended_at is None)

    def open_by_id(self, consultation_id: int, *, resume: bool) -> None:
        """Load a consultation and show it."""
        if self._services is None:
            return
        consultations, by = self._services.consultations, self._clinician_id
        if resume:
            self._status.begin()
            self._runner.submit(
                lambda: consultations.resume(consultation_id, by),
                on_done=self._on_opened,
                on_error=self._on_error,
            )
        else:
            self._runner.submit(
                lambda: consultations.load(consultation_id),
                on_done=self.consultation_opened.emit,
                on_error=self._on_error,
            )

    def _on_opened(self, view: ConsultationView) -> None:
        self._status.saved()
        self.consultation_opened.emit(view)

    def print_leaflet(self) -> None:
        """Offer the latest consultation's leaflet or record, or a pre-clinic leaflet."""
        patient = self.selected_patient()
        if patient is None or self._services is None:
            return
        offered = choices_for(self.packs, self.consultation_model.summaries)
        dialog = LeafletChoiceDialog(patient, offered, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_leaflet_chosen(patient, dialog.choice()))
        dialog.open()

    def _on_leaflet_chosen(self, patient: Patient, choice: LeafletChoice | None) -> None:
        if choice is None:
            return
        if choice.consultation_id is None:
            self.documents.pre_clinic_leaflet(
                self, patient, choice.pack_id, choice.variant_id, "before clinic"
            )
        else:
            self.documents.consultation_document(
                self, patient, choice.consultation_id, choice.kind, "after clinic"
            )

    def _on_error(self, error: BaseException) -> None:
        self._status.failed(error_text(error))
        self.message.setText(f"⚠ {error_text(error)}")
