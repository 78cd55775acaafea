"""consult-aid verify: exit 0 on a clean store, 1 naming the first event that does not match."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from consult_aid import cli, paths
from consult_aid.domain.people import ClinicianDraft, ClinicianRole, PatientDraft
from consult_aid.services.bundle import open_services


def _make_store() -> None:
    services = open_services(paths.database_url(), paths.procedures_dir())
    try:
        clinician = services.clinicians.create(
            ClinicianDraft("Anna Rahman", ClinicianRole.CONSULTANT_SURGEON, "1234567", "City")
        )
        patient = services.patients.add(
            PatientDraft("Margaret Hughes", date(1941, 3, 14), "9990000018"), clinician.id
        )
        services.consultations.start(patient.id, clinician.id, "balloon-kyphoplasty", "balloon")
    finally:
        services.close()


def test_a_clean_store_passes(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    assert cli.main(["verify"]) == 0
    assert "intact" in capsys.readouterr().out


def test_an_edited_event_fails_and_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    path = paths.data_dir() / "consult-aid.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE audit_log SET clinician_id = 99 WHERE id = 2")
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "does NOT match" in out
    assert "Audit event 2 " in out


def test_a_missing_key_fails_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    paths.audit_key_file().unlink()
    assert cli.main(["verify"]) == 1
    assert "No audit key" in capsys.readouterr().err


def test_deep_also_passes_a_clean_store(capsys: pytest.CaptureFixture[str]) -> None:
    _make_store()
    assert cli.main(["verify", "--deep"]) == 0
    assert "intact" in capsys.readouterr().out
