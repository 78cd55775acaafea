"""``consult-aid leaflets``: one personalised pre-clinic leaflet per patient of a clinic list.

The order of work is what makes it fast and safe:

1. The whole CSV is checked first (standard library only); any bad cell stops
   the run before anything is written, naming its line and column.
2. The content pack and ReportLab are loaded, then a pool of one process per
   core is forked; the workers build PDFs from plain request data.
3. While they build, a thread in this process opens the database (SQLAlchemy
   and Alembic are the slow imports), matches each row to a known patient or
   imports it, and finds the profile the saves are recorded against.
4. This process writes each PDF atomically as it arrives, then records every
   save in one transaction. Any failure on the way (a conflict with a stored
   patient, a full disk, no profile) removes every file this run wrote.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import multiprocessing
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TextIO

from consult_aid import paths
from consult_aid.batch_database import BatchError, DatabaseWork
from consult_aid.clinic_list.columns import Column
from consult_aid.clinic_list.reader import ClinicList, ClinicListError, read_clinic_list_file
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import DocumentKind, LeafletFormat
from consult_aid.domain.people import Patient
from consult_aid.services.atomic_files import write_atomically
from consult_aid.services.document_names import recovery_app_url, suggested_filename

PACK_ID = "balloon-kyphoplasty"


@dataclass(frozen=True, slots=True)
class LeafletJob:
    """What a worker needs to build one leaflet: plain data, cheap to send."""

    index: int
    patient: Patient
    variant_id: str
    leaflet_format: LeafletFormat
    hospital: str
    surgeon: str
    clinic_date: date | None
    recovery_app_url: str


def run_leaflets(
    clinic_list: Path,
    out_dir: Path,
    *,
    large_print: bool,
    user: str,
    password: str,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Run the batch; return the exit code (0 done, 1 refused or failed, nothing left behind)."""
    try:
        written = _run(clinic_list, out_dir, large_print=large_print, user=user, password=password)
    except (BatchError, ClinicListError) as error:
        print(f"consult-aid leaflets: {error}", file=err)
        return 1
    print(f"Wrote {written} leaflet(s) to {out_dir}.", file=out)
    return 0


def _run(clinic_list: Path, out_dir: Path, *, large_print: bool, user: str, password: str) -> int:
    checked = read_clinic_list_file(clinic_list, date.today())
    if checked.problems:
        listed = "\n".join(f"  {clinic_list.name}: {problem}" for problem in checked.problems)
        raise BatchError(
            f"the clinic list has {len(checked.problems)} problem(s); nothing was written:\n"
            f"{listed}"
        )
    pack = _current_pack()
    fmt = LeafletFormat.LARGE_PRINT if large_print else LeafletFormat.STANDARD
    jobs = _jobs(checked, pack, fmt)
    names = [_file_name(job) for job in jobs]
    created_folder = not out_dir.exists()
    _check_folder(out_dir, names)
    # Loaded before the fork, so that every worker starts with ReportLab and the font ready.
    importlib.import_module("consult_aid.documents.leaflet")
    from consult_aid.documents.fonts import register_fonts

    register_fonts()
    database = DatabaseWork(checked, pack, user, password)
    written: list[Path] = []
    # The first leaflet is built here, before the fork: it reaches the disk
    # sooner than a fresh worker could make it, and every worker then starts
    # with ReportLab's caches (styles, icon arrays, QR code) already warm.
    _start_worker(pack)
    first_index, first_pdf = build_job(jobs[0])
    workers = max(1, min(len(jobs) - 1, os.cpu_count() or 1))
    with _pool_context().Pool(workers, _start_worker, (pack,)) as pool:
        database.start()
        try:
            built = itertools.chain(
                [(first_index, first_pdf)], pool.imap_unordered(build_job, jobs[1:])
            )
            for index, pdf in built:
                _write(out_dir / names[index], pdf, database, jobs[index], overwrite=False)
                written.append(out_dir / names[index])
            redo = {job.index: job for job in _rebuilds(jobs, database.patients(), large_print)}
            for index, pdf in pool.imap_unordered(build_job, list(redo.values())):
                # Rebuilt as the stored patient: replaces this run's own file.
                _write(out_dir / names[index], pdf, database, redo[index], overwrite=True)
            database.record()
        except BaseException:
            pool.terminate()
            database.close()
            for path in written:
                path.unlink(missing_ok=True)
            if created_folder:
                with contextlib.suppress(OSError):  # not empty: someone else's files
                    out_dir.rmdir()
            raise
    return len(written)


def _write(
    path: Path, pdf: bytes, database: DatabaseWork, job: LeafletJob, *, overwrite: bool
) -> None:
    try:
        write_atomically(path, pdf, overwrite=overwrite)
    except OSError as error:
        raise BatchError(f"cannot write {path.name}: {error.strerror or error}") from None
    database.saved(job.patient.nhs_number, job.leaflet_format, path.name, pdf)


def _rebuilds(
    jobs: list[LeafletJob], patients: dict[str, Patient], large_print: bool
) -> list[LeafletJob]:
    """Jobs to build again now that the stored patients are known.

    A known patient's leaflet prints the name and hospital number as stored
    (the list may spell the name without its accents, or surname first), and
    comes in their remembered format unless --large-print was given.
    """
    again = []
    for job in jobs:
        stored = patients[job.patient.nhs_number]
        fmt = job.leaflet_format if large_print else stored.leaflet_format
        as_stored = replace(stored, leaflet_format=LeafletFormat.STANDARD)
        if fmt is not job.leaflet_format or replace(job.patient, id=stored.id) != as_stored:
            again.append(replace(job, patient=stored, leaflet_format=fmt))
    return again


def _current_pack() -> ContentPack:
    from consult_aid.content.bundled import bundled_pack_files
    from consult_aid.content.loader import PackError, load_pack_file

    packs = []
    for path in bundled_pack_files(paths.procedures_dir()):
        try:
            packs.append(load_pack_file(path))
        except PackError:
            continue  # the library logs such files; only the valid packs matter here
    candidates = [pack for pack in packs if pack.id == PACK_ID]
    if not candidates:
        raise BatchError(f"no valid content pack {PACK_ID!r} is installed.")
    return max(candidates, key=lambda pack: _version_key(pack.info.version))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.replace("-", ".").split(".") if part.isdigit())


def _jobs(checked: ClinicList, pack: ContentPack, fmt: LeafletFormat) -> list[LeafletJob]:
    variants = {}
    for variant in pack.variants:
        variants[variant.id.casefold()] = variant.id
        variants[variant.name.casefold()] = variant.id
    try:
        url = recovery_app_url(os.environ)
    except ValueError as error:
        raise BatchError(str(error)) from None
    jobs = []
    problems = []
    for index, row in enumerate(checked.rows):
        draft = row.draft
        # Every row was checked above: a good row has a validated draft with a birth date.
        assert draft is not None
        assert draft.date_of_birth is not None
        variant_id = variants.get(row.procedure.strip().casefold()) if row.procedure else None
        if row.procedure and variant_id is None:
            known = ", ".join(variant.name for variant in pack.variants)
            column = checked.headers.get(Column.PROCEDURE, Column.PROCEDURE.value)
            problems.append(
                f"  line {row.line}, column {column!r}: {row.procedure!r} is not a procedure "
                f"of this pack ({known}); leave it empty for the general leaflet."
            )
            continue
        patient = Patient(
            0, draft.name, draft.date_of_birth, draft.nhs_number, draft.hospital_number
        )
        jobs.append(
            LeafletJob(
                index=index,
                patient=patient,
                variant_id=variant_id or pack.variants[0].id,
                leaflet_format=fmt,
                hospital=row.hospital,
                surgeon=row.surgeon,
                clinic_date=row.clinic_date,
                recovery_app_url=url,
            )
        )
    if problems:
        raise BatchError(
            "the clinic list has problems; nothing was written:\n" + "\n".join(problems)
        )
    return jobs


def _file_name(job: LeafletJob) -> str:
    return suggested_filename(DocumentKind.LEAFLET, job.patient, job.clinic_date or date.today())


def _check_folder(out_dir: Path, names: Sequence[str]) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchError(f"{out_dir} is not a folder.")
    clashes = [name for name in names if (out_dir / name).exists()]
    if clashes:
        raise BatchError(
            f"{len(clashes)} leaflet(s) already exist in {out_dir} (for example {clashes[0]}); "
            "nothing was written. Choose another folder or move those files."
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"cannot create {out_dir}: {error.strerror or error}") from None


def _pool_context() -> multiprocessing.context.BaseContext:
    # Fork shares the loaded pack and ReportLab with the workers at no cost;
    # where it does not exist (Windows) or is unsafe (macOS), workers start afresh.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_worker_pack: ContentPack | None = None


def _start_worker(pack: ContentPack) -> None:
    # One pack per worker process, set once when it starts.
    global _worker_pack
    _worker_pack = pack


def build_job(job: LeafletJob) -> tuple[int, bytes]:
    """Build one leaflet in a worker; return its index and its PDF."""
    from consult_aid.documents.leaflet import build_leaflet
    from consult_aid.documents.requests import LeafletRequest

    assert _worker_pack is not None, "the worker was not started with a pack"
    # A clinic list gives the surgeon's name only: it is printed as given,
    # with no role, rather than guessing one.
    request = LeafletRequest(
        pack=_worker_pack,
        variant_id=job.variant_id,
        patient=job.patient,
        leaflet_format=job.leaflet_format,
        hospital=job.hospital,
        surgeon_name=job.surgeon,
        recovery_app_url=job.recovery_app_url,
        clinic_date=job.clinic_date,
    )
    return job.index, build_leaflet(request)
