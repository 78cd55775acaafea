"""consult-aid verify: exit 0 on a clean store, 1 naming the first event that does not match."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from consult_aid import cli, paths
from consult_aid.domain.access import Role
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.services.bundle import open_services
from tests.signing_in import FAST_HASHING, PASSWORD, add_person, first_person

VERIFY = ["verify", "--user", "anna"]


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSULT_AID_PASSWORD", PASSWORD)


def _make_store() -> None:
    services = open_services(
        paths.database_url(), paths.procedures_dir(), password_hashing=FAST_HASHING
    )
    try:
        clinician = first_person(services)
        add_person(
            services,
            ClinicianDraft("Sam Patel", ClinicianRole.MEDICAL_SECRETARY, "", "City"),
            {Role.SECRETARY},
            "sam",
        )
        patient = services.patients.add(
            PatientDraft("Margaret Hughes", date(1941, 3, 14), "9990000018"), clinician.id
        )
        services.consultations.start(patient.id, clinician.id, "balloon-kyphoplasty", "balloon")
    finally:
        services.close()


def test_a_clean_store_passes(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    assert cli.main(VERIFY) == 0
    assert "intact" in capsys.readouterr().out


def test_an_edited_event_fails_and_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    path = paths.data_dir() / "consult-aid.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE audit_log SET clinician_id = 99 WHERE id = 2")
    assert cli.main(VERIFY) == 1
    out = capsys.readouterr().out
    assert "does NOT match" in out
    assert "Audit event 2 " in out


def test_a_missing_key_fails_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    paths.audit_key_file().unlink()
    assert cli.main(VERIFY) == 1
    assert "No audit key" in capsys.readouterr().err


def test_deep_also_passes_a_clean_store(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    assert cli.main([*VERIFY, "--deep"]) == 0
    assert "intact" in capsys.readouterr().out


def test_a_wrong_password_is_refused_and_nothing_is_checked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_store()
    monkeypatch.setenv("CONSULT_AID_PASSWORD", "not the password at all")
    assert cli.main(VERIFY) == 1
    captured = capsys.readouterr()
    assert "user name or password is not right" in captured.err
    assert "intact" not in captured.out


def test_a_role_that_may_not_verify_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    assert cli.main(["verify", "--user", "sam"]) == 1
    captured = capsys.readouterr()
    assert "does not allow you to verify the audit trail" in captured.err
    assert "intact" not in captured.out


def test_without_a_terminal_or_a_password_it_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_store()
    monkeypatch.delenv("CONSULT_AID_PASSWORD")
    assert cli.main(VERIFY) == 2
    assert "CONSULT_AID_PASSWORD" in capsys.readouterr().err


def test_the_user_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["verify"])
    assert exit_.value.code == 2
    assert "--user" in capsys.readouterr().err
