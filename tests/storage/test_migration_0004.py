"""Migration 0004: coverage counts are backfilled from the records finalised before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import create_engine, select, update

from consult_aid.domain.consultation import Decision, Detail, TopicState
from consult_aid.domain.people import PatientDraft
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from consult_aid.storage.database import alembic_config
from consult_aid.storage.models import ConsultationRow, CoverageCountRow
from tests.signing_in import FAST_HASHING, first_person

KEY = b"m" * 32


def _counts(db_url: str) -> list[tuple[object, ...]]:
    services = open_services(db_url, procedures_dir(), audit_key=KEY)
    try:
        with services.db.session() as session, session.begin():
            rows = session.scalars(select(CoverageCountRow))
            return sorted(
                (r.pack_hash, r.pack_id, r.variant_id, r.clinician_id, r.month, r.topic_id,
                 r.state, r.count)
                for r in rows
            )  # fmt: skip
    finally:
        services.close()


def test_backfill_equals_the_counts_kept_at_finalising(db_url: str) -> None:
    services = open_services(db_url, procedures_dir(), audit_key=KEY, password_hashing=FAST_HASHING)
    try:
        anna = first_person(services).id
        zoe = services.patients.add(
            PatientDraft("Zoë Ward", date(1941, 3, 9), "9990000018", "RX1"), anna
        ).id
        edit = services.consultations
        for variant, when in (
            ("balloon", datetime(2025, 1, 31, 23, 59, tzinfo=UTC)),
            ("spinejack", datetime(2025, 2, 1, 0, 0, tzinfo=UTC)),
            ("balloon", datetime(2025, 2, 14, 10, 0, tzinfo=UTC)),
        ):
            cid = edit.start(zoe, anna, "balloon-kyphoplasty", variant).header.id
            with services.db.write_session() as session, session.begin():
                session.execute(
                    update(ConsultationRow).where(ConsultationRow.id == cid).values(started_at=when)
                )
            view = edit.load(cid)
            for topic in view.pack.topics_for(variant):
                edit.set_topic_state(cid, topic.id, TopicState.DISCUSSED, "", anna)
            edit.set_detail(cid, Detail.LEVELS, "L1", anna)
            edit.set_detail(cid, Detail.CAPACITY, "presumed", anna)
            edit.set_detail(cid, Detail.DECISION, Decision.PROCEED.value, anna)
            edit.finalise(cid, anna)
        edit.start(zoe, anna, "balloon-kyphoplasty", "balloon")  # a draft: never counted
    finally:
        services.close()
    kept = _counts(db_url)
    assert {row[4] for row in kept} == {"2025-01", "2025-02"}
    records = {row[4]: row[7] for row in kept if row[5] == "" and row[2] == "balloon"}
    assert records == {"2025-01": 1, "2025-02": 1}

    engine = create_engine(db_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        command.upgrade(config, "0004")
    engine.dispose()
    assert _counts(db_url) == kept
