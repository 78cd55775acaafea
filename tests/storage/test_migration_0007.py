"""Migration 0007: the patient key, decision and status on each record, kept and backfilled.

Records are written by the real services (a decision set then changed, one
never set, finalised, amended, a patient's name corrected after their
records), then the copies on each consultation are checked against what they
copy; the revision is then undone and redone, and its backfill must give the
same copies.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from alembic import command
from sqlalchemy import create_engine, func, select

from consult_aid.domain.consultation import Decision, Detail, TopicState
from consult_aid.domain.finalisation import record_status
from consult_aid.domain.people import PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.storage.database import alembic_config
from consult_aid.storage.models import AddendumRow, ConsultationRow, DetailRow, PatientRow
from tests.signing_in import FAST_HASHING, first_person

KEY = b"m" * 32
PACK = "balloon-kyphoplasty"


def _copies(db_url: str) -> list[tuple[Any, ...]]:
    """(record, patient key, decision, status) for every consultation, in record order."""
    engine = create_engine(db_url)
    c = ConsultationRow
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(c.id, c.patient_key, c.decision, c.status).order_by(c.id)
            )
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def _what_they_copy(db_url: str) -> list[tuple[Any, ...]]:
    """The same, worked out from the patients, the decision details and the addenda."""
    engine = create_engine(db_url)
    c, d = ConsultationRow, DetailRow
    decided = (
        select(d.value)
        .where(d.consultation_id == c.id, d.detail == Detail.DECISION.value)
        .scalar_subquery()
    )
    addenda = select(func.count()).where(AddendumRow.consultation_id == c.id).scalar_subquery()
    query = (
        select(c.id, PatientRow.search_key, decided, c.finalised_at, addenda)
        .join(PatientRow, PatientRow.id == c.patient_id)
        .order_by(c.id)
    )
    try:
        with engine.connect() as connection:
            return [
                (cid, key, decision or Decision.UNDECIDED.value, record_status(at, n).value)
                for cid, key, decision, at, n in connection.execute(query)
            ]
    finally:
        engine.dispose()


def test_the_copies_are_kept_by_the_services_and_backfilled_alike(db_url: str) -> None:
    services = open_services(db_url, procedures_dir(), audit_key=KEY, password_hashing=FAST_HASHING)
    try:
        anna = first_person(services).id
        add = services.patients.add
        zoe = add(PatientDraft("Zoë Ward", date(1941, 3, 9), "9990000018", "RX1"), anna)
        meg = add(PatientDraft("Meg Hughes", date(1938, 5, 1), "9990000026", "RX2"), anna).id
        edit = services.consultations
        started = [edit.start(p, anna, PACK, "balloon").header.id for p in (zoe.id, meg, zoe.id)]
        draft, final, amended = started
        edit.set_detail(draft, Detail.DECISION, Decision.PROCEED.value, anna)
        edit.set_detail(draft, Detail.DECISION, Decision.TIME_TO_REFLECT.value, anna)
        for cid in (final, amended):
            view = edit.load(cid)
            for topic in view.pack.topics_for("balloon"):
                edit.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", anna)
            edit.set_detail(cid, Detail.LEVELS, "L1", anna)
            edit.set_detail(cid, Detail.CAPACITY, "presumed", anna)
            edit.set_detail(cid, Detail.DECISION, Decision.DECLINE.value, anna)
            edit.finalise(cid, anna)
        edit.add_addendum(amended, "Level corrected", "The fracture is at L2.", anna)
        edit.start(meg, anna, PACK, "spinejack")  # never decided: undecided
        # A correction of the name after the records were made moves them in the order.
        corrected = PatientDraft("Zoë Abbott", zoe.date_of_birth, zoe.nhs_number, "RX1")
        services.patients.update(zoe.id, corrected, anna)
    finally:
        services.close()
    kept = _copies(db_url)
    assert kept == _what_they_copy(db_url)
    assert [row[1:] for row in kept] == [
        ("zoe abbott", Decision.TIME_TO_REFLECT.value, "draft"),
        ("meg hughes", Decision.DECLINE.value, "finalised"),
        ("zoe abbott", Decision.DECLINE.value, "amended"),
        ("meg hughes", Decision.UNDECIDED.value, "draft"),
    ]

    engine = create_engine(db_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        command.upgrade(config, "0007")
    engine.dispose()
    assert _copies(db_url) == kept
