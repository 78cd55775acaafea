"""Kill a writer with SIGKILL many times and count what it acknowledged but lost.

    python benchmarks/crash_kill.py [--kills N] [--seed S] [--min-delay s] [--max-delay s]

It runs the writer the tests use (tests/services/crash_writer.py), which edits
consultations through the services and prints a line after each change it has
committed. Each run is killed at a random moment and the next run continues on
the same file. After every kill, each acknowledged change must be in the file
and ``PRAGMA integrity_check`` must say ok. Lost commits must be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "tests" / "services" / "crash_writer.py"


def _acknowledged(out: Path) -> list[dict[str, Any]]:
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    return [
        json.loads(line.removeprefix("ack "))
        for line in lines
        if line.startswith("ack ") and line.endswith("\n")
    ]


def _ready_at(out: Path) -> float | None:
    """When the writer finished starting up (monotonic clock), None if it never did."""
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith("ready "):
            return float(line.split()[1])
    return None


def _lost(db_path: Path, acks: list[dict[str, Any]]) -> int:
    if not acks:  # the first run may die before the tables exist
        return 0
    with closing(sqlite3.connect(db_path)) as connection:
        changes = {
            (cid, seq): (kind, key, json.loads(value))
            for cid, seq, kind, key, value in connection.execute(
                "SELECT consultation_id, seq, kind, key, value FROM consultation_changes"
            )
        }
        patients = dict(connection.execute("SELECT id, nhs_number FROM patients").fetchall())
        consultations = {row[0] for row in connection.execute("SELECT id FROM consultations")}
    lost = 0
    for ack in acks:
        if ack["type"] == "change":
            stored = changes.get((ack["consultation"], ack["seq"]))
            lost += stored != (ack["kind"], ack["key"], ack["value"])
        elif ack["type"] == "patient":
            lost += patients.get(ack["id"]) != ack["nhs_number"]
        else:
            lost += ack["id"] not in consultations
    return lost


def _integrity_ok(db_path: Path) -> bool:
    if not db_path.exists():
        return True  # killed before it created the file: nothing to damage
    with closing(sqlite3.connect(db_path)) as connection:
        return bool(connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def main() -> int:
    """Run the kills and print the figures; exit 1 if anything was lost or corrupt."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.3)
    parser.add_argument("--max-delay", type=float, default=2.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    acknowledged: list[dict[str, Any]] = []
    lost = integrity_failures = 0
    running_seconds = writing_seconds = 0.0
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "crash.sqlite3"
        out = Path(folder) / "writer.out"
        for kill in range(1, args.kills + 1):
            with out.open("wb") as stdout:
                child = subprocess.Popen(
                    [
                        sys.executable,
                        str(WRITER),
                        f"sqlite:///{db_path}",
                        str(rng.randrange(10**9)),
                    ],
                    stdout=stdout,
                    env=env,
                )
                started = time.monotonic()
                time.sleep(rng.uniform(args.min_delay, args.max_delay))
                child.send_signal(signal.SIGKILL)
                killed = time.monotonic()
                child.wait()
            running_seconds += killed - started
            ready = _ready_at(out)
            writing_seconds += 0.0 if ready is None else killed - ready
            acknowledged += _acknowledged(out)
            lost = _lost(db_path, acknowledged)
            integrity_failures += not _integrity_ok(db_path)
            if kill % 20 == 0:
                print(f"  {kill} kills, {len(acknowledged)} acknowledged, {lost} lost", flush=True)
    commits = len(acknowledged)
    print(f"kills:                {args.kills}")
    print(f"acknowledged commits: {commits}")
    print(f"lost commits:         {lost}")
    print(f"integrity failures:   {integrity_failures}")
    print(f"commits per second:   {commits / max(writing_seconds, 1e-9):.0f} while writing")
    print(
        f"                      {commits / running_seconds:.0f} counting start-up after each kill"
    )
    return 1 if lost or integrity_failures else 0


if __name__ == "__main__":
    sys.exit(main())
