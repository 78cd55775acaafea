"""Print or save pre-clinic leaflets for a whole clinic list, one patient at a time.

Each leaflet is made on the runner, then printed (as its own print job) or
saved, and recorded, before the next one is even made: two patients' pages
can never be mixed in one job or one file (hazard 1). Cancelling lets the
leaflet in hand finish, then stops, and says how many were done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from consult_aid.ui.clinic_list.batch_items import BatchItem, surgeon_id
from consult_aid.ui.documents.printing import PrintFailed, print_pdf
from consult_aid.ui.service_runner import ServiceRunner
from consult_aid.ui.text import error_text

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services
    from consult_aid.services.documents import GeneratedDocument


@dataclass
class BatchOutcome:
    """How a batch ended.

    Attributes:
        total: leaflets asked for.
        done: leaflets printed or saved (and recorded).
        cancelled: the user stopped it.
        failures: one line per leaflet that could not be made, printed or saved.
        files: the PDFs written (a save batch).
    """

    total: int
    done: int = 0
    cancelled: bool = False
    failures: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary(self, verb: str) -> str:
        """One paragraph for the person who started the batch."""
        text = f"{verb} {self.done} of {self.total} leaflet(s)."
        if self.cancelled:
            text = f"Cancelled. {text}"
        if self.failures:
            text += f"\n{len(self.failures)} failed:\n" + "\n".join(self.failures)
        return text


class LeafletBatch(QObject):
    """Runs one batch, with a progress dialog that can cancel it.

    Signals:
        finished(object): the BatchOutcome, once the last leaflet (or the cancel) is done.

    Attributes:
        items: the leaflets to make, in list order.
        outcome: how far it has got.
        progress: the progress dialog.
        folder, printer: where the leaflets go (one of the two).
    """

    finished = Signal(object)

    def __init__(
        self,
        items: list[BatchItem],
        services: Services,
        runner: ServiceRunner,
        clinician_id: int,
        parent: QWidget,
        *,
        folder: Path | None = None,
        printer: QPrinter | None = None,
    ) -> None:
        super().__init__(parent)
        if (folder is None) == (printer is None):
            raise ValueError("a batch goes to a folder or to a printer")
        self.items = items
        self.folder = folder
        self.printer = printer
        self.outcome = BatchOutcome(len(items))
        self._services = services
        self._runner = runner
        self._by = clinician_id
        self._index = 0
        self._verb = "Saved" if folder is not None else "Printed"
        self._doing = "Saving" if folder is not None else "Printing"
        self.progress = QProgressDialog(parent)
        self.progress.setWindowTitle("Pre-clinic leaflets")
        self.progress.setAccessibleName("Leaflets progress")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setRange(0, len(items))
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumWidth(520)
        cancel = QPushButton("Cancel")
        cancel.setAccessibleName("Cancel the leaflets")
        self.progress.setCancelButton(cancel)

    def start(self) -> None:
        """Show the progress and make the first leaflet."""
        self.progress.setValue(0)
        self.progress.show()
        self._next()

    # ------------------------------------------------------------------ stepping
    def _next(self) -> None:
        if self.progress.wasCanceled():
            self.outcome.cancelled = True
        if self.outcome.cancelled or self._index >= len(self.items):
            self._finish()
            return
        item = self.items[self._index]
        self.progress.setLabelText(
            f"{self._doing} leaflet {self._index + 1} of {len(self.items)}: {item.patient.name}"
        )
        documents, clinicians, by, folder = (
            self._services.documents,
            self._services.clinicians,
            self._by,
            self.folder,
        )

        def make() -> tuple[GeneratedDocument, Path | None]:
            doc = documents.leaflet_for_patient(
                item.patient.id,
                item.pack_id,
                item.variant_id,
                surgeon_id(item.surgeon, clinicians.all()),
                clinic_date=item.clinic_date,
            )
            _check(doc, item)
            if folder is None:
                return doc, None
            path = folder / doc.suggested_filename
            documents.save_pdf(doc, path, by)
            return doc, path

        self._runner.submit(make, on_done=self._on_made, on_error=self._on_failed)

    def _on_made(self, made: tuple[GeneratedDocument, Path | None]) -> None:
        doc, path = made
        if path is not None:
            self.outcome.files.append(path)
            self._advance(done=True)
            return
        assert self.printer is not None
        item = self.items[self._index]
        try:
            # One print job per patient: a job never holds two patients' pages.
            self.printer.setDocName(doc.suggested_filename)
            print_pdf(doc.pdf, self.printer)
        except PrintFailed as error:
            self._on_failed(error)
            return
        documents, name, by = self._services.documents, self.printer.printerName(), self._by
        self._runner.submit(
            lambda: documents.record_printed(doc, name, by),
            on_done=lambda _event: self._advance(done=True),
            on_error=lambda error: self._failed(item, f"printed, but not recorded: {error}"),
        )

    def _on_failed(self, error: BaseException) -> None:
        item = self.items[self._index]
        if isinstance(error, FileExistsError):
            self._failed(item, "a file of that name is already in the folder (not replaced)")
        else:
            self._failed(item, error_text(error))

    def _failed(self, item: BatchItem, why: str) -> None:
        self.outcome.failures.append(f"line {item.line}, {item.patient.name}: {why}")
        self._advance(done=False)

    def _advance(self, *, done: bool) -> None:
        if done:
            self.outcome.done += 1
        self._index += 1
        self.progress.setValue(self._index)
        self._next()

    def _finish(self) -> None:
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()
        self.finished.emit(self.outcome)


def _check(doc: GeneratedDocument, item: BatchItem) -> None:
    """Refuse a leaflet that is not the patient's it was made for."""
    if doc.patient_id != item.patient.id:
        raise RuntimeError("the leaflet made was for another patient; it was not used")
