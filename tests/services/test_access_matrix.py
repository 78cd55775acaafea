"""The whole role x action matrix, tried through the services themselves.

Every public method of every service in the bundle is listed in ``CALLS`` with
the actions that allow it and a valid call of it. For each role, a call its
actions allow must succeed; any other must raise Forbidden and leave the
database exactly as it was (every table's rows, and the audit log). Nobody
signed in is refused everywhere, a surgeon cannot touch another surgeon's
record, and nobody can act in another person's name. A test fails when a
public method is missing from ``CALLS``, so a new one cannot ship unguarded.

One database serves the whole module (the world below); calls that change
something are given fresh objects by their ``prepare`` step, made by another
account before the role under test signs in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import itertools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from sqlalchemy import func, select

from consult_aid.clinic_list.reader import read_clinic_list_file
from consult_aid.domain.access import ALLOWED, OWN_RECORDS_ONLY, Action, Role, allowed_actions
from consult_aid.domain.consultation import Detail, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.documents import LeafletFormat, Output
from consult_aid.domain.errors import Forbidden, NotSignedIn
from consult_aid.domain.people import (
    Clinician,
    ClinicianDraft,
    ClinicianRole,
    Patient,
    PatientDraft,
)
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.clinic_list_preview import ClinicListPreview
from consult_aid.services.content_library import ContentLibrary
from consult_aid.services.documents import GeneratedDocument, document_event
from consult_aid.services.reporting import CoverageReport, RecordFilter, SortKey
from consult_aid.storage.models import AuditRow, Base
from tests.signing_in import FAST_HASHING, PASSWORD, sign_in

KEY = b"access matrix audit key: tests only"
PACK_ID = "balloon-kyphoplasty"
VARIANT = "balloon"
CITY = "City Hospital"

# One account per single role, and the job title each profile carries.
ROLE_ACCOUNTS = {
    Role.SURGEON: (
        "sue",
        ClinicianDraft("Sue Grant", ClinicianRole.CONSULTANT_SURGEON, "1111111", CITY),
    ),
    Role.SECRETARY: ("sec", ClinicianDraft("Sam Patel", ClinicianRole.MEDICAL_SECRETARY, "", CITY)),
    Role.AUDITOR: ("aud", ClinicianDraft("Ada Lowe", ClinicianRole.CLINICAL_AUDITOR, "", CITY)),
    Role.ADMINISTRATOR: (
        "adm",
        ClinicianDraft("Ben Cole", ClinicianRole.SYSTEM_ADMINISTRATOR, "", CITY),
    ),
}
ROOT = "root"  # the first administrator, holding every role: prepares what calls need
SURGEON = "sue"
OTHER_SURGEON = "zed"

# Services that hold no check, and why. ContentLibrary hands out only the published
# content packs (the same text for everyone, no patient data), and every service that
# reads a pack checks its own caller first. This must stay the one exemption.
EXEMPT_SERVICES = {"library"}
# Not services: the open database and the access control itself.
INFRASTRUCTURE = {"db", "access"}
# AccountService methods that must work before anyone is signed in, or for whoever is.
SIGN_IN_METHODS = {
    "needs_first_administrator",
    "create_first_administrator",
    "sign_in",
    "sign_out",
    "lock",
    "change_own_password",
}
# Calls that name the person acting other than through a ``by`` parameter.
ACTOR_ELSEWHERE = {"consultations.start", "documents.record_events"}
# Writes that name nobody: they record the signed-in person themselves.
AUTHOR_FROM_SESSION = {"clinicians.create"}


def valid_nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers from the synthetic test range (999 100 0000 upwards)."""
    for stem in itertools.count(999_100_000):
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            yield digits + str(check)


@dataclasses.dataclass
class World:
    """One database with an account per role, a patient, and records in each state."""

    services: Services
    folder: Path
    people: dict[str, Clinician]
    pack: ContentPack
    patient: Patient
    nhs: Iterator[str]
    serial: Iterator[int]
    # Made once the accounts exist (see the fixture); no call changes any of them.
    draft: int = dataclasses.field(init=False)  # the surgeon's draft
    final: int = dataclasses.field(init=False)  # the surgeon's finalised record
    leaflet: GeneratedDocument = dataclasses.field(init=False)
    record: GeneratedDocument = dataclasses.field(init=False)
    coverage: CoverageReport = dataclasses.field(init=False)
    clinic_csv: Path = dataclasses.field(init=False)

    def as_(self, username: str) -> Clinician:
        return sign_in(self.services, username)

    def fresh_patient(self) -> Patient:
        self.as_(ROOT)
        draft = PatientDraft(f"Patient {next(self.serial)}", date(1950, 6, 1), next(self.nhs))
        return self.services.patients.add(draft, self.people[ROOT].id)

    def fresh_draft(self) -> int:
        self.as_(SURGEON)
        started = self.services.consultations.start(
            self.patient.id, self.people[SURGEON].id, PACK_ID, VARIANT
        )
        return started.header.id

    def fresh_question(self) -> tuple[int, str]:
        cid = self.fresh_draft()
        by = self.people[SURGEON].id
        return cid, self.services.consultations.save_question(cid, None, "Q?", "A.", by).key

    def fresh_complete(self) -> int:
        cid = self.fresh_draft()
        by, edits = self.people[SURGEON].id, self.services.consultations
        for topic in self.pack.topics_for(VARIANT):
            edits.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", by)
        edits.set_detail(cid, Detail.LEVELS, "L1", by)
        edits.set_detail(cid, Detail.CAPACITY, "presumed", by)
        edits.set_detail(cid, Detail.DECISION, "undecided", by)
        return cid

    def fresh_finalised(self) -> int:
        cid = self.fresh_complete()
        self.services.consultations.finalise(cid, self.people[SURGEON].id)
        return cid

    def fresh_profile(self) -> int:
        self.as_(ROOT)
        number = next(self.serial)
        draft = ClinicianDraft(f"Staff {number}", ClinicianRole.MEDICAL_SECRETARY, "", CITY)
        return self.services.clinicians.create(draft).id

    def fresh_account(self) -> int:
        self.as_(ROOT)
        number = next(self.serial)
        return self.services.accounts.create_account(
            ClinicianDraft(f"Staff {number}", ClinicianRole.MEDICAL_SECRETARY, "", CITY),
            f"staff{number}",
            {Role.SECRETARY},
            PASSWORD,
            self.people[ROOT].id,
        ).person.id

    def write_clinic_list(self) -> Path:
        number = next(self.serial)
        path = self.folder / f"clinic-{number}.csv"
        path.write_text(
            "Name,DOB,NHS number,Hospital number,Clinic date,Surgeon\n"
            f"Listed Person {number},03/04/1941,{next(self.nhs)},,"
            f"{date.today():%d/%m/%Y},Ms Grant\n",
            encoding="utf-8",
        )
        return path

    def fresh_preview(self) -> ClinicListPreview:
        self.as_(ROOT)
        preview = self.services.clinic_lists.read_clinic_list(self.write_clinic_list())
        assert len(preview.importable) == 1
        return preview


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("access-matrix")
    url = f"sqlite:///{(folder / 'matrix.sqlite3').as_posix()}"
    # The key is given, so that nothing reads the (per-test) data folder's key file.
    services = open_services(url, procedures_dir(), KEY, password_hashing=FAST_HASHING)
    try:
        root = services.accounts.create_first_administrator(
            ClinicianDraft("Rhea Root", ClinicianRole.CONSULTANT_SURGEON, "2222222", CITY),
            ROOT,
            PASSWORD,
            set(Role),
        ).person
        people = {ROOT: root}
        for role, (username, profile) in ROLE_ACCOUNTS.items():
            people[username] = services.accounts.create_account(
                profile, username, {role}, PASSWORD, root.id
            ).person
        zed = ClinicianDraft("Zed Owusu", ClinicianRole.REGISTRAR, "3333333", CITY)
        people[OTHER_SURGEON] = services.accounts.create_account(
            zed, OTHER_SURGEON, {Role.SURGEON}, PASSWORD, root.id
        ).person
        nhs = valid_nhs_numbers()
        patient = services.patients.add(
            PatientDraft("Margaret Hughes", date(1941, 3, 14), next(nhs), "RX1"), root.id
        )
        world = World(
            services=services,
            folder=folder,
            people=people,
            pack=services.library.current(PACK_ID),
            patient=patient,
            nhs=nhs,
            serial=itertools.count(1),
        )
        world.draft = world.fresh_draft()
        world.final = world.fresh_finalised()
        world.as_(ROOT)
        world.leaflet = services.documents.leaflet_for_consultation(world.draft)
        world.record = services.documents.finalised_record(world.final)
        world.coverage = services.reporting.coverage(RecordFilter())
        world.clinic_csv = world.write_clinic_list()
        yield world
    finally:
        services.close()


@dataclasses.dataclass(frozen=True)
class Ctx:
    """What one call is made with.

    Attributes:
        world: the module's world.
        me: the person signed in (the surgeon, when nobody is).
        by: the person the call names as acting (normally ``me``).
        given: what the call's ``prepare`` step made for it.
        out: an empty folder for any file the call writes.
    """

    world: World
    me: Clinician
    by: int
    given: Any
    out: Path


@dataclasses.dataclass(frozen=True)
class Call:
    """A valid call of one service method, and the actions any one of which allows it."""

    actions: frozenset[Action]
    act: Callable[[Services, Ctx], object]
    prepare: Callable[[World], Any] | None = None


def call(
    allowed: Action | set[Action],
    act: Callable[[Services, Ctx], object],
    prepare: Callable[[World], Any] | None = None,
) -> Call:
    actions = frozenset({allowed} if isinstance(allowed, Action) else allowed)
    return Call(actions, act, prepare)


A = Action
LEAFLET_OUT = A.PRINT_LEAFLETS
RECORD_OUT = {A.PRINT_RECORDS, A.EXPORT}  # a record goes out to print, or as an export


def _same_profile(me: Clinician) -> ClinicianDraft:
    return ClinicianDraft(me.name, me.role, me.gmc_number, me.hospital)


def _topic(ctx: Ctx) -> str:
    return ctx.world.pack.topics_for(VARIANT)[0].id


# "service.method" (with "[variant]" where one method is allowed differently by what it
# is given) -> the actions that allow it, and a valid call.
CALLS: dict[str, Call] = {
    # -- patients
    "patients.add": call(
        A.EDIT_PATIENTS,
        lambda s, c: s.patients.add(
            PatientDraft("Added Person", date(1950, 1, 2), next(c.world.nhs)), c.by
        ),
    ),
    "patients.update": call(
        A.EDIT_PATIENTS,
        lambda s, c: s.patients.update(
            c.given.id,
            PatientDraft("Corrected Person", c.given.date_of_birth, c.given.nhs_number),
            c.by,
        ),
        lambda w: w.fresh_patient(),
    ),
    "patients.set_leaflet_format": call(
        A.PRINT_LEAFLETS,
        lambda s, c: s.patients.set_leaflet_format(
            c.world.patient.id, LeafletFormat.LARGE_PRINT, c.by
        ),
    ),
    "patients.get": call(A.VIEW_PATIENTS, lambda s, c: s.patients.get(c.world.patient.id)),
    "patients.find_by_nhs_number": call(
        A.VIEW_PATIENTS,
        lambda s, c: s.patients.find_by_nhs_number(c.world.patient.nhs_number_display),
    ),
    "patients.search": call(A.VIEW_PATIENTS, lambda s, c: s.patients.search("Hughes")),
    # -- staff profiles
    "clinicians.create": call(
        A.MANAGE_PROFILES,
        lambda s, c: s.clinicians.create(
            ClinicianDraft("New Colleague", ClinicianRole.MEDICAL_SECRETARY, "", CITY)
        ),
    ),
    "clinicians.update": call(
        A.MANAGE_PROFILES,
        lambda s, c: s.clinicians.update(
            c.given,
            ClinicianDraft("Renamed Colleague", ClinicianRole.MEDICAL_SECRETARY, "", CITY),
            c.by,
        ),
        lambda w: w.fresh_profile(),
    ),
    # Everyone may correct their own profile (kept as it is here, title and all).
    "clinicians.update[own profile]": call(
        A.VIEW_STAFF, lambda s, c: s.clinicians.update(c.me.id, _same_profile(c.me), c.by)
    ),
    "clinicians.get": call(A.VIEW_STAFF, lambda s, c: s.clinicians.get(c.world.people[SURGEON].id)),
    "clinicians.all": call(A.VIEW_STAFF, lambda s, c: s.clinicians.all()),
    # -- consultations
    "consultations.start": call(
        A.CONSULT, lambda s, c: s.consultations.start(c.world.patient.id, c.by, PACK_ID, VARIANT)
    ),
    "consultations.load": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.load(c.world.final)
    ),
    "consultations.resume": call(
        A.CONSULT, lambda s, c: s.consultations.resume(c.given, c.by), lambda w: w.fresh_draft()
    ),
    "consultations.unfinished": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.unfinished(c.world.people[SURGEON].id)
    ),
    "consultations.for_patient": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.for_patient(c.world.patient.id)
    ),
    "consultations.history": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.history(c.world.final)
    ),
    "consultations.set_topic_state": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_topic_state(
            c.given, _topic(c), TopicState.DISCUSSED, "", c.by
        ),
        lambda w: w.fresh_draft(),
    ),
    "consultations.set_note": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_note(c.given, _topic(c), "Talked it through.", c.by),
        lambda w: w.fresh_draft(),
    ),
    "consultations.set_material": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_material(c.given, _topic(c), True, c.by),
        lambda w: w.fresh_draft(),
    ),
    "consultations.set_risk_factor": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_risk_factor(
            c.given, c.world.pack.risk_factors[0].id, True, c.by
        ),
        lambda w: w.fresh_draft(),
    ),
    "consultations.set_medicine": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_medicine(
            c.given, c.world.pack.medicines[0].id, True, c.by
        ),
        lambda w: w.fresh_draft(),
    ),
    "consultations.save_question": call(
        A.CONSULT,
        lambda s, c: s.consultations.save_question(c.given, None, "How long?", "An hour.", c.by),
        lambda w: w.fresh_draft(),
    ),
    "consultations.remove_question": call(
        A.CONSULT,
        lambda s, c: s.consultations.remove_question(c.given[0], c.given[1], c.by),
        lambda w: w.fresh_question(),
    ),
    "consultations.set_detail": call(
        A.CONSULT,
        lambda s, c: s.consultations.set_detail(c.given, Detail.PLACE, "Clinic 4", c.by),
        lambda w: w.fresh_draft(),
    ),
    "consultations.end": call(
        A.CONSULT, lambda s, c: s.consultations.end(c.given, c.by), lambda w: w.fresh_draft()
    ),
    "consultations.finalise": call(
        A.FINALISE,
        lambda s, c: s.consultations.finalise(c.given, c.by),
        lambda w: w.fresh_complete(),
    ),
    "consultations.add_addendum": call(
        A.AMEND,
        lambda s, c: s.consultations.add_addendum(
            c.given, "Wrong level", "The level was L2.", c.by
        ),
        lambda w: w.fresh_finalised(),
    ),
    "consultations.addenda": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.addenda(c.world.final)
    ),
    "consultations.record_view": call(
        A.VIEW_CONSULTATIONS, lambda s, c: s.consultations.record_view(c.world.final, c.by)
    ),
    # -- documents
    "documents.leaflet_for_consultation": call(
        A.PRINT_LEAFLETS, lambda s, c: s.documents.leaflet_for_consultation(c.world.draft)
    ),
    "documents.leaflet_for_patient": call(
        A.PRINT_LEAFLETS,
        lambda s, c: s.documents.leaflet_for_patient(
            c.world.patient.id, PACK_ID, VARIANT, c.world.people[SURGEON].id
        ),
    ),
    "documents.record_for_consultation": call(
        A.PRINT_RECORDS, lambda s, c: s.documents.record_for_consultation(c.world.draft)
    ),
    "documents.finalised_record": call(
        {A.PRINT_RECORDS, A.VIEW_RECORDS}, lambda s, c: s.documents.finalised_record(c.world.final)
    ),
    "documents.save_pdf[leaflet]": call(
        LEAFLET_OUT, lambda s, c: s.documents.save_pdf(c.world.leaflet, c.out / "leaflet.pdf", c.by)
    ),
    "documents.save_pdf[record]": call(
        RECORD_OUT, lambda s, c: s.documents.save_pdf(c.world.record, c.out / "record.pdf", c.by)
    ),
    "documents.record_printed[leaflet]": call(
        LEAFLET_OUT,
        lambda s, c: s.documents.record_printed(c.world.leaflet, "Clinic printer", c.by),
    ),
    "documents.record_printed[record]": call(
        RECORD_OUT, lambda s, c: s.documents.record_printed(c.world.record, "Clinic printer", c.by)
    ),
    "documents.record_events[leaflet]": call(
        LEAFLET_OUT,
        lambda s, c: s.documents.record_events(
            [document_event(c.world.leaflet, Output.PRINTER, "Batch printer", c.by)]
        ),
    ),
    "documents.record_events[record]": call(
        RECORD_OUT,
        lambda s, c: s.documents.record_events(
            [document_event(c.world.record, Output.PRINTER, "Batch printer", c.by)]
        ),
    ),
    "documents.events_for_patient": call(
        A.VIEW_PATIENTS, lambda s, c: s.documents.events_for_patient(c.world.patient.id)
    ),
    # -- clinic lists
    "clinic_lists.read_clinic_list": call(
        A.IMPORT_CLINIC_LIST, lambda s, c: s.clinic_lists.read_clinic_list(c.world.clinic_csv)
    ),
    "clinic_lists.preview": call(
        A.IMPORT_CLINIC_LIST,
        lambda s, c: s.clinic_lists.preview(
            read_clinic_list_file(c.world.clinic_csv, date.today())
        ),
    ),
    "clinic_lists.import_rows": call(
        A.IMPORT_CLINIC_LIST,
        lambda s, c: s.clinic_lists.import_rows(c.given, c.by),
        lambda w: w.fresh_preview(),
    ),
    # -- the audit trail
    "audit.record_export": call(
        A.EXPORT, lambda s, c: s.audit.record_export(c.by, "matrix test export", 1)
    ),
    "audit.verify": call(A.VERIFY, lambda s, c: _verified(s)),
    # -- reporting
    "reporting.count": call(A.VIEW_RECORDS, lambda s, c: s.reporting.count(RecordFilter())),
    "reporting.page": call(
        A.VIEW_RECORDS,
        lambda s, c: s.reporting.page(RecordFilter(), SortKey.STARTED_AT, True, 0, 10),
    ),
    "reporting.coverage": call(A.REPORTS, lambda s, c: s.reporting.coverage(RecordFilter())),
    "reporting.export_records_csv": call(
        A.EXPORT,
        lambda s, c: s.reporting.export_records_csv(
            RecordFilter(), c.out / "records.csv", None, c.by
        ),
    ),
    "reporting.write_coverage_csv": call(
        A.EXPORT,
        lambda s, c: s.reporting.write_coverage_csv(c.world.coverage, c.out / "coverage.csv", c.by),
    ),
    "reporting.save_coverage_pdf": call(
        A.EXPORT,
        lambda s, c: s.reporting.save_coverage_pdf(
            c.world.coverage, c.out / "coverage.pdf", "Coverage", c.by
        ),
    ),
    # -- accounts
    "accounts.accounts": call(A.MANAGE_USERS, lambda s, c: s.accounts.accounts()),
    "accounts.people_without_account": call(
        A.MANAGE_USERS, lambda s, c: s.accounts.people_without_account()
    ),
    "accounts.create_account": call(A.MANAGE_USERS, lambda s, c: _new_account(s, c)),
    "accounts.set_roles": call(
        A.MANAGE_USERS,
        lambda s, c: s.accounts.set_roles(c.given, {Role.SECRETARY, Role.AUDITOR}, c.by),
        lambda w: w.fresh_account(),
    ),
    "accounts.set_active": call(
        A.MANAGE_USERS,
        lambda s, c: s.accounts.set_active(c.given, False, c.by),
        lambda w: w.fresh_account(),
    ),
    "accounts.reset_password": call(
        A.MANAGE_USERS,
        lambda s, c: s.accounts.reset_password(c.given, "blue kettle sings at dawn", c.by),
        lambda w: w.fresh_account(),
    ),
}


def _verified(services: Services) -> None:
    assert services.audit.verify().ok


def _new_account(services: Services, ctx: Ctx) -> None:
    number = next(ctx.world.serial)
    services.accounts.create_account(
        ClinicianDraft(f"Made {number}", ClinicianRole.CLINICAL_AUDITOR, "", CITY),
        f"made{number}",
        {Role.AUDITOR},
        PASSWORD,
        ctx.by,
    )


def _method(key: str) -> tuple[str, str]:
    service, method = key.split("[")[0].split(".")
    return service, method


def _names_actor(key: str) -> bool:
    """Whether the call names the person acting (``by``): only the signed-in one may be."""
    service, method = _method(key)
    service_class = get_type_hints(Services)[service]
    parameters = inspect.signature(getattr(service_class, method)).parameters
    return "by" in parameters or key.split("[")[0] in ACTOR_ELSEWHERE


def _own_record_only(key: str) -> bool:
    """Whether the call changes one existing consultation (its own surgeon's only)."""
    return bool(CALLS[key].actions & OWN_RECORDS_ONLY) and key != "consultations.start"


def _checked_services() -> dict[str, type]:
    hints = get_type_hints(Services)
    names = [f.name for f in dataclasses.fields(Services)]
    return {n: hints[n] for n in names if n not in INFRASTRUCTURE | EXEMPT_SERVICES}


def _public_methods() -> set[str]:
    found = set()
    for name, service_class in _checked_services().items():
        for attribute, value in inspect.getmembers(service_class):
            if attribute.startswith("_") or not callable(value):
                continue
            if name == "accounts" and attribute in SIGN_IN_METHODS:
                continue
            found.add(f"{name}.{attribute}")
    return found


# -- the table itself --------------------------------------------------------------


def test_the_matrix_says_what_the_issue_says() -> None:
    surgeon = allowed_actions({Role.SURGEON})
    secretary = allowed_actions({Role.SECRETARY})
    auditor = allowed_actions({Role.AUDITOR})
    administrator = allowed_actions({Role.ADMINISTRATOR})
    clinical_change = {A.CONSULT, A.FINALISE, A.AMEND}

    assert clinical_change <= surgeon
    assert not {A.IMPORT_CLINIC_LIST, A.VIEW_RECORDS, A.MANAGE_USERS} & surgeon

    assert {A.EDIT_PATIENTS, A.IMPORT_CLINIC_LIST, A.PRINT_LEAFLETS, A.PRINT_RECORDS} <= secretary
    assert not clinical_change & secretary

    assert {A.VIEW_RECORDS, A.REPORTS, A.EXPORT, A.VERIFY} <= auditor
    no_clinical_writes = clinical_change | {A.EDIT_PATIENTS, A.IMPORT_CLINIC_LIST, A.PRINT_LEAFLETS}
    assert not no_clinical_writes & auditor

    assert A.MANAGE_USERS in administrator
    no_clinical_reading = {A.VIEW_PATIENTS, A.VIEW_CONSULTATIONS, A.VIEW_RECORDS, A.CONSULT}
    assert not no_clinical_reading & administrator

    assert set(ALLOWED) == set(Role)
    assert allowed_actions(Role) == set(Action)  # every action is somebody's job
    assert clinical_change == OWN_RECORDS_ONLY


def test_library_is_the_only_service_without_checks() -> None:
    # Listed by name: a new service field in the bundle is checked unless named here.
    fields = {f.name for f in dataclasses.fields(Services)}
    assert {"library"} == EXEMPT_SERVICES
    assert get_type_hints(Services)["library"] is ContentLibrary
    assert fields - INFRASTRUCTURE - EXEMPT_SERVICES == {
        "patients",
        "clinicians",
        "consultations",
        "documents",
        "clinic_lists",
        "audit",
        "reporting",
        "accounts",
    }


def test_every_public_method_is_in_the_table() -> None:
    listed = {key.split("[")[0] for key in CALLS}
    assert _public_methods() - listed == set(), "add the new method to CALLS"
    assert listed - _public_methods() == set(), "CALLS names a method that does not exist"
    accounts_class = get_type_hints(Services)["accounts"]
    assert all(callable(getattr(accounts_class, name, None)) for name in SIGN_IN_METHODS)


def test_every_action_guards_a_call_and_every_call_is_someones_job() -> None:
    assert set().union(*(c.actions for c in CALLS.values())) == set(Action)
    for key, guarded in CALLS.items():
        assert any(guarded.actions & ALLOWED[role] for role in Role), key


# -- every role against every call -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The whole database: row counts per table, the last audit event, and every row."""

    counts: dict[str, int]
    last_event: int
    digest: str


def _last_event(services: Services) -> int:
    with services.db.session() as session, session.begin():
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)


def _snapshot(services: Services) -> Snapshot:
    digest = hashlib.sha256()
    counts = {}
    with services.db.session() as session, session.begin():
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
            for row in session.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
        last = int(session.scalar(select(func.max(AuditRow.id))) or 0)
    return Snapshot(counts, last, digest.hexdigest())


def _prepared(
    world: World, key: str, username: str | None, out: Path, by: int | None = None
) -> Ctx:
    """Run the call's preparation, then sign ``username`` in (None: sign everyone out)."""
    guarded = CALLS[key]
    given = guarded.prepare(world) if guarded.prepare is not None else None
    if username is None:
        world.services.accounts.sign_out()
        me = world.people[SURGEON]
    else:
        me = world.as_(username)
    out.mkdir()
    return Ctx(world, me, me.id if by is None else by, given, out)


def _refused_and_unchanged(
    world: World, key: str, ctx: Ctx, error: type[Forbidden] = Forbidden
) -> Forbidden:
    before = _snapshot(world.services)
    with pytest.raises(error) as caught:
        CALLS[key].act(world.services, ctx)
    after = _snapshot(world.services)
    assert after.counts == before.counts
    assert after.last_event == before.last_event
    assert after.digest == before.digest, "a refused call changed a row"
    assert list(ctx.out.iterdir()) == [], "a refused call wrote a file"
    return caught.value


ROLE_CASES = [(role, key) for role in Role for key in CALLS]


@pytest.mark.parametrize(
    ("role", "key"), ROLE_CASES, ids=[f"{role.value}-{key}" for role, key in ROLE_CASES]
)
def test_each_role_may_make_exactly_the_calls_its_actions_allow(
    world: World, tmp_path: Path, role: Role, key: str
) -> None:
    username = ROLE_ACCOUNTS[role][0]
    ctx = _prepared(world, key, username, tmp_path / "out")
    if CALLS[key].actions & allowed_actions({role}):
        before = _last_event(world.services)
        CALLS[key].act(world.services, ctx)  # any error at all fails: the call is valid
        if _last_event(world.services) != before:
            # A write that took its author from anywhere but the session would escape
            # test_nobody_acts_in_another_persons_name below.
            assert _names_actor(key) or key in AUTHOR_FROM_SESSION
    else:
        refusal = _refused_and_unchanged(world, key, ctx)
        assert not isinstance(refusal, NotSignedIn)
        assert role.label in str(refusal)


@pytest.mark.parametrize("key", list(CALLS))
def test_nobody_signed_in_can_make_any_call(world: World, tmp_path: Path, key: str) -> None:
    ctx = _prepared(world, key, None, tmp_path / "out")
    _refused_and_unchanged(world, key, ctx, NotSignedIn)


OWN_RECORD_KEYS = [key for key in CALLS if _own_record_only(key)]


def test_the_own_record_calls_are_those_expected() -> None:
    changes = {
        "resume", "set_topic_state", "set_note", "set_material", "set_risk_factor",
        "set_medicine", "save_question", "remove_question", "set_detail", "end",
    }  # fmt: skip
    expected = {f"consultations.{name}" for name in changes | {"finalise", "add_addendum"}}
    assert set(OWN_RECORD_KEYS) == expected


@pytest.mark.parametrize("key", OWN_RECORD_KEYS)
def test_a_surgeon_cannot_touch_another_surgeons_record(
    world: World, tmp_path: Path, key: str
) -> None:
    ctx = _prepared(world, key, OTHER_SURGEON, tmp_path / "out")  # given: the first surgeon's
    refusal = _refused_and_unchanged(world, key, ctx)
    assert "Only the clinician who held this consultation" in str(refusal)


ACTOR_KEYS = [key for key in CALLS if _names_actor(key)]


@pytest.mark.parametrize("key", ACTOR_KEYS)
def test_nobody_acts_in_another_persons_name(world: World, tmp_path: Path, key: str) -> None:
    # The one signed in holds every role, so only the name can be what is refused.
    ctx = _prepared(world, key, ROOT, tmp_path / "out", by=world.people[SURGEON].id)
    refusal = _refused_and_unchanged(world, key, ctx)
    assert "name of the person signed in" in str(refusal)


def test_recording_no_events_still_needs_someone_signed_in(world: World) -> None:
    world.services.accounts.sign_out()
    with pytest.raises(NotSignedIn):
        world.services.documents.record_events([])
