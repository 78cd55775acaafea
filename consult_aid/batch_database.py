"""The database side of ``consult-aid leaflets``, run on a thread while the leaflets are built.

Opening the database means importing SQLAlchemy and Alembic, which takes
longer than building the first leaflets, so it runs beside the builders. It
signs the user in (the saves are recorded in their name, and their role must
allow importing lists and printing leaflets), matches every row to a stored
patient or imports it (a conflict stops the run), and at the end records
every save in one transaction.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from consult_aid import paths
from consult_aid.clinic_list.reader import ClinicList
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import DocumentEvent, DocumentKind, LeafletFormat, Output
from consult_aid.domain.people import Patient

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services


class BatchError(Exception):
    """The batch cannot go on; the message says why (and where, for a bad row)."""


@dataclass
class _Prepared:
    services: Services
    by: int
    patients: dict[str, Patient] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SavedLeaflet:
    """A leaflet this run wrote: whose, in which format, under which name, with which bytes."""

    nhs_number: str
    leaflet_format: LeafletFormat
    file_name: str
    sha256: str
    at: datetime


class DatabaseWork:
    """Opens the database on a thread, imports the list's patients, records the saves."""

    def __init__(
        self, clinic_list: ClinicList, pack: ContentPack, user: str, password: str
    ) -> None:
        self._clinic_list = clinic_list
        self._pack = pack
        self._user = user
        self._password = password
        self._thread = threading.Thread(target=self._prepare, name="batch-database", daemon=True)
        self._prepared: _Prepared | None = None
        self._error: BaseException | None = None
        self._saved: dict[str, SavedLeaflet] = {}

    def start(self) -> None:
        """Begin opening the database and importing the patients."""
        self._thread.start()

    def saved(self, nhs_number: str, fmt: LeafletFormat, file_name: str, pdf: bytes) -> None:
        """Note a leaflet written to disk (a later save for the same patient replaces it)."""
        self._saved[nhs_number] = SavedLeaflet(
            nhs_number, fmt, file_name, hashlib.sha256(pdf).hexdigest(), datetime.now(UTC)
        )

    def patients(self) -> dict[str, Patient]:
        """Wait for the import; the stored patient of every NHS number on the list.

        Raises:
            BatchError: the database could not be opened, a row conflicts with a
                stored patient, or no profile could be found to record against.
        """
        self._thread.join()
        if self._error is not None:
            if isinstance(self._error, BatchError):
                raise self._error
            raise BatchError(str(self._error)) from self._error
        assert self._prepared is not None
        return self._prepared.patients

    def record(self) -> None:
        """Record every save in one transaction, then close the database."""
        patients = self.patients()
        assert self._prepared is not None
        services = self._prepared.services
        events = [
            DocumentEvent(
                kind=DocumentKind.LEAFLET,
                output=Output.PDF_FILE,
                destination=saved.file_name,
                patient_id=patients[saved.nhs_number].id,
                consultation_id=None,
                record_version=0,
                leaflet_format=saved.leaflet_format,
                pack_version=self._pack.info.version,
                pack_hash=self._pack.info.content_hash,
                sha256=saved.sha256,
                at=saved.at,
                by=self._prepared.by,
            )
            for saved in self._saved.values()
        ]
        try:
            services.documents.record_events(events)
        finally:
            services.close()

    def close(self) -> None:
        """Close the database if it was opened (after a failure)."""
        self._thread.join()
        if self._prepared is not None:
            self._prepared.services.close()

    def _prepare(self) -> None:
        try:
            self._prepared = self._open_and_import()
        except BaseException as error:  # handed to the main thread, which reports it
            self._error = error

    def _open_and_import(self) -> _Prepared:
        from consult_aid.domain.errors import DomainError
        from consult_aid.services.bundle import open_services
        from consult_aid.services.database_key import keyed_database_url
        from consult_aid.storage.database import DatabaseError

        try:
            url = keyed_database_url(paths.database_url(), os.environ)
            services = open_services(url, paths.procedures_dir())
        except DatabaseError as error:
            raise BatchError(str(error)) from None
        try:
            stored = services.library.current(self._pack.id)
            if stored.info.content_hash != self._pack.info.content_hash:
                raise BatchError("the content pack changed while the leaflets were being built.")
            try:
                by = services.accounts.sign_in(self._user, self._password).person_id
            except DomainError as error:
                raise BatchError(str(error)) from None
            preview = services.clinic_lists.preview(self._clinic_list)
            if preview.problems:
                listed = "\n".join(
                    f"  {self._clinic_list.source}: {problem}" for problem in preview.problems
                )
                raise BatchError(
                    "rows of the clinic list disagree with patients already recorded; "
                    f"no leaflet was kept:\n{listed}"
                )
            imported = services.clinic_lists.import_rows(preview, by)
        except BaseException:
            services.close()
            raise
        return _Prepared(services, by, {patient.nhs_number: patient for patient in imported})
