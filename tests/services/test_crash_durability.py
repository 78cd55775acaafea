"""Killing the app mid-write loses nothing it acknowledged and never corrupts the file.

A child process (``crash_writer.py``) edits consultations through the services
and prints one line per change after the call returns. It is killed with
SIGKILL at random moments, then run again on the same file. After every kill,
each acknowledged change must be in the change log with its exact value, and
SQLite's integrity check must pass. At the end the projection tables must
still equal the replayed log.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import consult_aid
from consult_aid.domain.consultation import replay
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import open_services
from tests.signing_in import FAST_HASHING, sign_in

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 24
READY_TIMEOUT = 60.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL"),
]


def _run_and_kill(url: str, seed: int, out: Path, *, after_ready: bool, delay: float) -> None:
    """Run the writer and kill it ``delay`` seconds after it starts, or after it is ready."""
    env = {**os.environ, "PYTHONPATH": str(Path(consult_aid.__file__).parents[1])}
    with out.open("wb") as stdout:
        child = subprocess.Popen(
            [sys.executable, str(WRITER), url, str(seed)], stdout=stdout, env=env
        )
        try:
            if after_ready:
                _wait_until_ready(child, out)
            time.sleep(delay)
            if child.poll() is not None:
                pytest.fail(f"the writer stopped by itself with exit code {child.returncode}")
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()


def _wait_until_ready(child: subprocess.Popen[bytes], out: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while b"ready " not in out.read_bytes():
        if child.poll() is not None or time.monotonic() > deadline:
            pytest.fail("the writer never got ready to write")
        time.sleep(0.01)


def _acknowledged(out: Path) -> list[dict[str, Any]]:
    # A line cut short by the kill has no newline and promised nothing.
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    return [
        json.loads(line.removeprefix("ack "))
        for line in lines
        if line.startswith("ack ") and line.endswith("\n")
    ]


def _missing(db_path: Path, acks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The acknowledged records not found in the file, read with the standard library."""
    if not acks:  # the first run may die before the tables exist
        return []
    with closing(sqlite3.connect(db_path)) as connection:
        changes = {
            (cid, seq): (kind, key, json.loads(value))
            for cid, seq, kind, key, value in connection.execute(
                "SELECT consultation_id, seq, kind, key, value FROM consultation_changes"
            )
        }
        patients = dict(connection.execute("SELECT id, nhs_number FROM patients").fetchall())
        consultations = {row[0] for row in connection.execute("SELECT id FROM consultations")}
    return [ack for ack in acks if not _is_stored(ack, changes, patients, consultations)]


def _is_stored(
    ack: dict[str, Any],
    changes: dict[tuple[int, int], tuple[str, str, Any]],
    patients: dict[int, str],
    consultations: set[int],
) -> bool:
    if ack["type"] == "change":
        stored = changes.get((ack["consultation"], ack["seq"]))
        return bool(stored == (ack["kind"], ack["key"], ack["value"]))
    if ack["type"] == "patient":
        return bool(patients.get(ack["id"]) == ack["nhs_number"])
    return bool(ack["id"] in consultations)


def _integrity(db_path: Path) -> str:
    if not db_path.exists():
        return "ok"  # killed before it created the file: nothing to damage
    with closing(sqlite3.connect(db_path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def test_every_acknowledged_change_survives_sigkill(tmp_path: Path) -> None:
    db_path = tmp_path / "consult-aid.sqlite3"
    url = f"sqlite:///{db_path.as_posix()}"
    rng = random.Random(20240611)
    acknowledged: list[dict[str, Any]] = []
    for kill in range(KILLS):
        out = tmp_path / f"run-{kill}.out"
        # Every other kill comes at any moment from launch, so some land during
        # start-up and migration; the rest while the writer is surely editing.
        after_ready = kill % 2 == 1
        delay = rng.uniform(0.0, 0.6) if after_ready else rng.uniform(0.05, 1.2)
        _run_and_kill(url, rng.randrange(10**9), out, after_ready=after_ready, delay=delay)
        acks = _acknowledged(out)
        acknowledged += acks
        assert _missing(db_path, acknowledged) == [], f"lost after kill {kill + 1}"
        assert _integrity(db_path) == "ok", f"corrupt after kill {kill + 1}"
    changes = [a for a in acknowledged if a["type"] == "change"]
    assert len(changes) > 2 * KILLS, "too few changes were made for the test to mean much"

    services = open_services(url, procedures_dir(), password_hashing=FAST_HASHING)
    try:
        sign_in(services, "anna")
        consultation_ids = {a["consultation"] for a in changes}
        for cid in consultation_ids:
            view = services.consultations.load(cid)
            assert view.state == replay(services.consultations.history(cid))
    finally:
        services.close()
