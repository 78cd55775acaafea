"""The records browser over a small database written by the real services.

Five consultations: two finalised (one of them then amended), two drafts and
one more finalised, for three patients, two clinicians and both variants.
Start times are moved onto chosen days through storage, since the services
always stamp "now"; they are moved before any record is finalised, as a real
start time never changes after it (finalising counts the record by its month).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from consult_aid.domain.access import Role
from consult_aid.domain.consultation import Decision, Detail, TopicState
from consult_aid.domain.finalisation import RecordStatus
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.reporting import RecordFilter, RecordsBrowser, SortKey
from consult_aid.services.views import ConsultationView
from consult_aid.storage.models import ConsultationRow
from tests.signing_in import FAST_HASHING, add_person, first_person, sign_in

PACK_ID = "balloon-kyphoplasty"
KEY = b"reporting-browser-test-key-32-by"


@dataclass(frozen=True)
class World:
    """The services and the ids of what the fixture stored."""

    services: Services
    anna: int
    zed: int
    ids: dict[str, int]


def _settle_all(services: Services, cid: int, by: int, skip: tuple[str, ...] = ()) -> None:
    view = services.consultations.load(cid)
    for topic in view.pack.topics_for(view.header.variant_id):
        if topic.id not in skip:
            services.consultations.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", by)


def _details(services: Services, cid: int, by: int, decision: Decision) -> None:
    services.consultations.set_detail(cid, Detail.LEVELS, "L1", by)
    services.consultations.set_detail(cid, Detail.CAPACITY, "presumed", by)
    services.consultations.set_detail(cid, Detail.DECISION, decision.value, by)


def build_world(folder: Path) -> World:
    """Store the five consultations; return the open services and their ids."""
    services = open_services(
        f"sqlite:///{(folder / 'w.sqlite3').as_posix()}",
        procedures_dir(),
        KEY,
        password_hashing=FAST_HASHING,
    )
    anna = first_person(
        services,
        ClinicianDraft("Anna Rahman", ClinicianRole.CONSULTANT_SURGEON, "1234567", "City"),
    ).id
    zed = add_person(
        services,
        ClinicianDraft("Zed Owusu", ClinicianRole.REGISTRAR, "7654321", "City"),
        {Role.SURGEON},
        "zed",
    ).id
    add = services.patients.add
    zoe = add(PatientDraft("Zoë Łukasiewicz", date(1941, 3, 9), "9990000018", "RX1234"), anna).id
    meg = add(PatientDraft("Margaret Hughes", date(1938, 5, 1), "9990000026", "RX5678"), anna).id
    pete = add(PatientDraft("Peter Nash", date(1950, 1, 2), "9990000034", "QA77"), anna).id
    users = {anna: "anna", zed: "zed"}

    def start(patient: int, surgeon: int, pack: str, variant: str) -> ConsultationView:
        # A consultation is started (and later changed) by its own surgeon, signed in.
        sign_in(services, users[surgeon])
        return services.consultations.start(patient, surgeon, pack, variant)

    ids = {
        "zoe_final": start(zoe, anna, PACK_ID, "balloon").header.id,
        "meg_amended": start(meg, zed, PACK_ID, "spinejack").header.id,
        "meg_draft": start(meg, anna, PACK_ID, "balloon").header.id,
        "zoe_draft": start(zoe, zed, PACK_ID, "balloon").header.id,
        "pete_final": start(pete, anna, PACK_ID, "spinejack").header.id,
    }
    days = {
        "zoe_final": datetime(2025, 1, 10, 9, 0, tzinfo=UTC),
        "meg_amended": datetime(2025, 2, 5, 14, 0, tzinfo=UTC),
        "meg_draft": datetime(2025, 2, 28, 23, 30, tzinfo=UTC),
        "zoe_draft": datetime(2025, 3, 1, 0, 10, tzinfo=UTC),
        "pete_final": datetime(2025, 3, 15, 11, 0, tzinfo=UTC),
    }
    with services.db.write_session() as session, session.begin():
        for name, when in days.items():
            session.get_one(ConsultationRow, ids[name]).started_at = when
    edit = services.consultations
    cid = ids["zoe_final"]
    _settle_all(services, cid, anna, skip=("infection", "bleeding"))
    edit.set_topic_state(cid, "infection", TopicState.DECLINED, "", anna)
    edit.set_topic_state(cid, "bleeding", TopicState.NOT_APPLICABLE, "On no blood thinners", anna)
    _details(services, cid, anna, Decision.PROCEED)
    edit.finalise(cid, anna)
    cid = ids["meg_amended"]
    sign_in(services, "zed")
    _settle_all(services, cid, zed)
    _details(services, cid, zed, Decision.DECLINE)
    edit.finalise(cid, zed)
    edit.add_addendum(cid, "Level corrected", "The fracture is at L2.", zed)
    cid = ids["meg_draft"]
    sign_in(services, "anna")
    _settle_all(services, cid, anna, skip=("infection", "doing-nothing", "dvt"))
    edit.set_material(cid, "infection", True, anna)
    edit.set_material(cid, "dvt", True, anna)
    edit.set_topic_state(cid, "dvt", TopicState.DECLINED, "", anna)
    edit.set_detail(cid, Detail.DECISION, Decision.TIME_TO_REFLECT.value, anna)
    cid = ids["pete_final"]
    _settle_all(services, cid, anna, skip=("vertebroplasty",))
    edit.set_topic_state(cid, "vertebroplasty", TopicState.DECLINED, "", anna)
    _details(services, cid, anna, Decision.PROCEED)
    edit.finalise(cid, anna)
    return World(services, anna, zed, ids)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(tmp_path_factory.mktemp("reporting"))
    try:
        yield built
    finally:
        built.services.close()


@pytest.fixture
def browser(world: World) -> RecordsBrowser:
    return RecordsBrowser(world.services.db, world.services.library)


def names(world: World, rows: list[int]) -> set[str]:
    by_id = {cid: name for name, cid in world.ids.items()}
    return {by_id[cid] for cid in rows}


def matched(browser: RecordsBrowser, world: World, **given: object) -> set[str]:
    record_filter = RecordFilter(**given)  # type: ignore[arg-type]
    rows = browser.page(record_filter, SortKey.STARTED_AT, False, 0, 100)
    assert browser.count(record_filter) == len(rows)
    return names(world, [row.consultation_id for row in rows])


def test_no_filter_lists_every_record(browser: RecordsBrowser, world: World) -> None:
    assert matched(browser, world) == set(world.ids)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"date_from": date(2025, 2, 28)}, {"meg_draft", "zoe_draft", "pete_final"}),
        ({"date_to": date(2025, 2, 28)}, {"zoe_final", "meg_amended", "meg_draft"}),
        ({"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 1)}, {"zoe_draft"}),
        ({"variant_id": "spinejack"}, {"meg_amended", "pete_final"}),
        ({"pack_id": "another-pack"}, set()),
        (
            {"pack_id": PACK_ID},
            {"zoe_final", "meg_amended", "meg_draft", "zoe_draft", "pete_final"},
        ),
        ({"decision": Decision.PROCEED}, {"zoe_final", "pete_final"}),
        ({"decision": Decision.DECLINE}, {"meg_amended"}),
        ({"decision": Decision.TIME_TO_REFLECT}, {"meg_draft"}),
        ({"decision": Decision.UNDECIDED}, {"zoe_draft"}),  # never set reads as undecided
        ({"status": RecordStatus.DRAFT}, {"meg_draft", "zoe_draft"}),
        ({"status": RecordStatus.FINALISED}, {"zoe_final", "pete_final"}),
        ({"status": RecordStatus.AMENDED}, {"meg_amended"}),
        ({"patient_text": "zoe"}, {"zoe_final", "zoe_draft"}),
        ({"patient_text": "LUKAS"}, {"zoe_final", "zoe_draft"}),
        ({"patient_text": "hughes marg"}, {"meg_amended", "meg_draft"}),
        ({"patient_text": "999 000 003"}, {"pete_final"}),
        ({"patient_text": "rx56"}, {"meg_amended", "meg_draft"}),
        ({"patient_text": "nobody"}, set()),
        ({"patient_text": "%"}, set()),  # a LIKE wildcard typed is a character, not "anything"
    ],
)
def test_each_filter_narrows(
    browser: RecordsBrowser, world: World, given: dict[str, object], expected: set[str]
) -> None:
    assert matched(browser, world, **given) == expected


def test_clinician_filter(browser: RecordsBrowser, world: World) -> None:
    assert matched(browser, world, clinician_id=world.zed) == {"meg_amended", "zoe_draft"}
    both = matched(browser, world, clinician_id=world.anna, status=RecordStatus.FINALISED)
    assert both == {"zoe_final", "pete_final"}


def test_rows_carry_what_the_table_shows(browser: RecordsBrowser, world: World) -> None:
    rows = {r.consultation_id: r for r in browser.page(RecordFilter(), "started_at", False, 0, 10)}
    final = rows[world.ids["zoe_final"]]
    assert (final.patient_name, final.nhs_number, final.hospital_number) == (
        "Zoë Łukasiewicz",
        "9990000018",
        "RX1234",
    )
    assert (final.clinician_name, final.variant_id, final.pack_id) == (
        "Anna Rahman",
        "balloon",
        PACK_ID,
    )
    assert final.decision is Decision.PROCEED
    assert final.status is RecordStatus.FINALISED
    assert final.settled == final.total > 0
    pack = world.services.library.current(PACK_ID)
    draft = rows[world.ids["meg_draft"]]
    assert draft.total == len(pack.topics_for("balloon"))
    assert draft.settled == draft.total - 2  # infection and doing-nothing still open
    untouched = rows[world.ids["zoe_draft"]]
    assert (untouched.settled, untouched.decision) == (0, Decision.UNDECIDED)
    assert rows[world.ids["meg_amended"]].status is RecordStatus.AMENDED


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        (SortKey.STARTED_AT, ["zoe_final", "meg_amended", "meg_draft", "zoe_draft", "pete_final"]),
        # Hughes, Nash, Łukasiewicz: by the folded name, first name first as typed.
        (SortKey.PATIENT, ["meg_amended", "meg_draft", "pete_final", "zoe_final", "zoe_draft"]),
        (SortKey.CLINICIAN, ["zoe_final", "meg_draft", "pete_final", "meg_amended", "zoe_draft"]),
        # Undecided, proceed, time to reflect, decline (the Decision order).
        (SortKey.DECISION, ["zoe_draft", "zoe_final", "pete_final", "meg_draft", "meg_amended"]),
        (SortKey.STATUS, ["meg_draft", "zoe_draft", "zoe_final", "pete_final", "meg_amended"]),
    ],
)
def test_sort_orders(
    browser: RecordsBrowser, world: World, sort: SortKey, ascending: list[str]
) -> None:
    def order(descending: bool) -> list[str]:
        rows = browser.page(RecordFilter(), sort, descending, 0, 100)
        by_id = {cid: name for name, cid in world.ids.items()}
        return [by_id[row.consultation_id] for row in rows]

    assert order(False) == ascending
    assert order(True) == ascending[::-1]  # ties broken by time and id, in the same direction


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_neither_repeat_nor_skip(
    browser: RecordsBrowser, world: World, sort: SortKey, descending: bool, size: int
) -> None:
    whole = [r.consultation_id for r in browser.page(RecordFilter(), sort, descending, 0, 100)]
    paged: list[int] = []
    for offset in range(0, len(whole) + size, size):
        paged += [
            r.consultation_id for r in browser.page(RecordFilter(), sort, descending, offset, size)
        ]
    assert paged == whole
    assert sorted(whole) == sorted(world.ids.values())


def test_paging_within_a_filter(browser: RecordsBrowser, world: World) -> None:
    spinejack_or_zed = RecordFilter(clinician_id=world.anna)
    total = browser.count(spinejack_or_zed)
    pages = [
        browser.page(spinejack_or_zed, SortKey.DECISION, True, o, 2) for o in range(0, total, 2)
    ]
    ids = [row.consultation_id for page in pages for row in page]
    assert len(ids) == len(set(ids)) == total == 3


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_continued_from_the_last_row_neither_repeat_nor_skip(
    browser: RecordsBrowser, world: World, sort: SortKey, descending: bool, size: int
) -> None:
    whole = [r.consultation_id for r in browser.page(RecordFilter(), sort, descending, 0, 100)]
    paged: list[int] = []
    last = None
    while True:
        rows = browser.page(RecordFilter(), sort, descending, 0, size, after=last)
        if not rows:
            break
        paged += [r.consultation_id for r in rows]
        last = rows[-1]
    assert paged == whole


def test_continuing_with_an_offset_skips_from_the_row_given(
    browser: RecordsBrowser, world: World
) -> None:
    whole = browser.page(RecordFilter(), SortKey.PATIENT, False, 0, 100)
    rows = browser.page(RecordFilter(), SortKey.PATIENT, False, 1, 2, after=whole[0])
    assert [r.consultation_id for r in rows] == [r.consultation_id for r in whole[2:4]]


@pytest.mark.parametrize("sort", list(SortKey))
def test_offset_pages_that_jump_ahead_or_back_match_the_whole_list(
    browser: RecordsBrowser, sort: SortKey
) -> None:
    whole = [r.consultation_id for r in browser.page(RecordFilter(), sort, True, 0, 100)]
    for offset, size in ((0, 1), (3, 1), (1, 2), (4, 1), (2, 3), (5, 1), (0, 2)):
        rows = browser.page(RecordFilter(), sort, True, offset, size)
        assert [r.consultation_id for r in rows] == whole[offset : offset + size]
