"""The secretary's clinic-list flow: choose the file, check it, import it, then the leaflets.

Reading and importing run on the service runner; so does making every
leaflet of the batch that follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Patient
from consult_aid.services.clinic_list_preview import ClinicListPreview
from consult_aid.ui.clinic_list.batch import BatchOutcome, LeafletBatch
from consult_aid.ui.clinic_list.batch_items import BatchItem
from consult_aid.ui.clinic_list.import_dialog import ClinicListDialog
from consult_aid.ui.plain_label import plain_message_box
from consult_aid.ui.save_status import SaveStatus
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services


class ClinicListImporter(QObject):
    """Leads from "Import clinic list…" to imported patients and their leaflets.

    Signals:
        imported(object): the Patients imported or matched.
        dialog_opened(object): the ClinicListDialog shown for a file.
        batch_started(object): the LeafletBatch just started.
        batch_finished(object): its BatchOutcome.

    Attributes:
        packs: the content packs leaflets can be made from.
    """

    imported = Signal(object)
    dialog_opened = Signal(object)
    batch_started = Signal(object)
    batch_finished = Signal(object)

    def __init__(self, runner: ServiceRunner, status: SaveStatus, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._runner = runner
        self._status = status
        self._services: Services | None = None
        self._by = 0
        self.packs: list[ContentPack] = []

    def attach(self, services: Services, clinician_id: int, packs: list[ContentPack]) -> None:
        """Work with these services, as this clinician."""
        self._services = services
        self._by = clinician_id
        self.packs = packs

    def choose_file(self) -> None:
        """Ask for the clinic list file (CSV), then check it."""
        if self._services is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self._window, "Import clinic list", folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAccessibleName("Choose the clinic list")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["Clinic lists (*.csv *.txt)", "All files (*)"])
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(lambda chosen: self.read(Path(chosen)))
        dialog.open()

    def read(self, path: Path) -> None:
        """Check the list in ``path`` against the stored patients (nothing is written)."""
        if self._services is None:
            return
        clinic_lists = self._services.clinic_lists
        self._runner.submit(
            lambda: clinic_lists.read_clinic_list(path),
            on_done=self._show,
            on_error=lambda error: self._tell(
                QMessageBox.Icon.Warning, "Clinic list not read", error_text(error)
            ),
        )

    def _show(self, preview: ClinicListPreview) -> None:
        if self._services is None:
            return
        dialog = ClinicListDialog(
            preview, self.packs, self._services, self._runner, self._by, self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._on_imported)
        dialog.batch_requested.connect(lambda mode, items: self.start_batch(mode, items, dialog))
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _on_imported(self, patients: list[Patient]) -> None:
        self._status.setStyleSheet("")
        self._status.setText(f"Imported {len(patients)} patient(s) from a clinic list")
        self.imported.emit(patients)

    # ------------------------------------------------------------------ batches
    def start_batch(self, mode: str, items: list[BatchItem], over: QWidget) -> None:
        """Ask where the leaflets go (a printer or a folder), then make them one by one."""
        if mode == "print":
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, over)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            # Every leaflet whole: a page range would cut each patient's leaflet short.
            dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
            dialog.accepted.connect(lambda: self.run_batch(items, over, printer=printer))
            QDialog.open(dialog)  # QPrintDialog's own open() wants a receiver
            return
        folder = QFileDialog(over, "Save leaflets to a folder")
        folder.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        folder.setAccessibleName("Choose the folder for the leaflets")
        folder.setFileMode(QFileDialog.FileMode.Directory)
        folder.setOption(QFileDialog.Option.ShowDirsOnly, True)
        folder.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        folder.fileSelected.connect(lambda chosen: self.run_batch(items, over, folder=Path(chosen)))
        folder.open()

    def run_batch(
        self,
        items: list[BatchItem],
        over: QWidget,
        *,
        folder: Path | None = None,
        printer: QPrinter | None = None,
    ) -> LeafletBatch | None:
        """Make, and print or save, every leaflet in turn."""
        if self._services is None:
            return None
        if printer is not None:
            printer.setPrintRange(QPrinter.PrintRange.AllPages)
        batch = LeafletBatch(
            items, self._services, self._runner, self._by, over, folder=folder, printer=printer
        )
        verb = "Saved" if folder is not None else "Printed"
        batch.finished.connect(lambda outcome: self._on_batch_finished(outcome, verb, over))
        self.batch_started.emit(batch)
        batch.start()
        return batch

    def _on_batch_finished(self, outcome: BatchOutcome, verb: str, over: QWidget) -> None:
        self._status.setStyleSheet("")
        self._status.setText(f"{verb} {outcome.done} of {outcome.total} leaflet(s)")
        icon = QMessageBox.Icon.Warning if outcome.failures else QMessageBox.Icon.Information
        self._tell(icon, "Pre-clinic leaflets", outcome.summary(verb), over)
        self.batch_finished.emit(outcome)

    def _tell(
        self, icon: QMessageBox.Icon, title: str, text: str, over: QWidget | None = None
    ) -> None:
        box = plain_message_box(QMessageBox(icon, title, text, parent=over or self._window))
        box.setAccessibleName(title)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
