"""What each audit event holds, where the key lives, and that a wrong key flags the chain."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from consult_aid import paths
from consult_aid.domain.consultation import ConsultationHeader, TopicState
from consult_aid.domain.content import ContentPack
from consult_aid.domain.people import Clinician
from consult_aid.services.audit_key import AUDIT_KEY_ENV, AuditKeyError, load_audit_key
from consult_aid.services.audit_trail import AuditTrail
from consult_aid.services.bundle import Services
from consult_aid.storage.audit import AuditLog
from consult_aid.storage.models import AuditRow


def _rows(services: Services) -> list[AuditRow]:
    with services.db.session() as session, session.begin():
        return AuditLog(session).rows()


def test_a_note_edit_records_old_and_new_value_version_and_workstation(
    services: Services, consultation: ConsultationHeader, clinician: Clinician, pack: ContentPack
) -> None:
    cid, by, topic = consultation.id, clinician.id, pack.topics_for("balloon")[0].id
    services.consultations.set_note(cid, topic, "first", by)
    services.consultations.set_note(cid, topic, "second", by)
    services.consultations.set_topic_state(cid, topic, TopicState.DISCUSSED, "", by)
    services.consultations.record_view(cid, by)
    services.audit.record_export(by, "records CSV", 12)
    *_, note, state, view, export = _rows(services)
    assert (note.action, note.old_value, note.new_value) == (
        "consultation.topic_note",
        {"text": "first"},
        {"text": "second"},
    )
    assert note.record_version == 3
    assert state.old_value == {"state": "not_addressed", "reason": ""}
    assert (view.action, view.record_version) == ("consultation.view", 4)
    assert (export.action, export.new_value) == (
        "records.export",
        {"what": "records CSV", "count": 12},
    )
    for row in (note, state, view, export):
        assert row.workstation == socket.gethostname()
        assert row.clinician_id == by
        assert row.at.utcoffset() is not None
        assert row.mac is not None
        assert len(row.mac) == 64
    assert services.audit.verify().ok


def test_a_wrong_key_flags_the_chain(services: Services, clinician: Clinician) -> None:
    assert services.audit.verify().ok
    report = AuditTrail(
        services.db, b"not the key, but just as long!!", None, services.access
    ).verify()
    assert not report.ok
    assert report.first_bad_event_id == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_key_file_is_created_owner_only_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUDIT_KEY_ENV, raising=False)
    key_file = paths.audit_key_file()
    first = load_audit_key({}, key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_audit_key({}, key_file) == first
    assert load_audit_key({AUDIT_KEY_ENV: "ab" * 32}, key_file) == bytes.fromhex("ab" * 32)


def test_a_missing_or_bad_key_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(AuditKeyError, match="No audit key"):
        load_audit_key({}, tmp_path / "audit.key", create=False)
    with pytest.raises(AuditKeyError, match="not hexadecimal"):
        load_audit_key({AUDIT_KEY_ENV: "not hex"}, tmp_path / "audit.key")
