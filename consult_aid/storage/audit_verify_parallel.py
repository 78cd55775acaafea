"""The fast pass over the whole audit log: in this process, or one stretch per core for a file.

The audit_log id range is cut into contiguous segments: each sealed block
whose seal carries its own mac (hashed whole), and the stretches between and
after them (checked event by event); audit_verify_fast checks both kinds. For
a SQLite file, worker processes each open the file read-only and check runs of
segments side by side, each stretch starting from the stored mac of the event
just before it, so together they check every link exactly as one pass in id
order would. The findings are then put together: the first event whose mac
does not match (exact: the fast pass signs a mismatching event again as the
application did before calling it bad), whether every change row was paired
with its event or sealed with it, what the signed events vouch for, and which
seals their blocks hashed to.

A proof is only ever "intact" or "broken from event N"; anything the fast pass
cannot settle (a BLOB in a column, a worker that fails) gives no proof, and
the caller runs the exact check, which names the first bad event or record.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consult_aid.storage.audit_seals import Seal, seals_from_cursor, signed_seal
from consult_aid.storage.audit_verify_fast import (
    Queries,
    RangeResult,
    check_range,
    check_sealed,
    queries,
)
from consult_aid.storage.audit_verify_report import Signed

try:
    # The SQLite bundled with the encryption package (3.5x against the system's 3.40 here)
    # builds JSON a third quicker, which is most of a sealed block's cost. With no key
    # given it reads a plain file as SQLite does.
    import sqlcipher3 as _reader
except ImportError:  # pragma: no cover - a dependency; the system's SQLite does the same
    _reader = sqlite3
_ERRORS = (sqlite3.Error, _reader.Error, ValueError)

# Below this many events, starting processes costs more than it saves.
MIN_EVENTS = 100_000
# The first and last event ids: two index look-ups (SQLite only takes that short
# cut for a lone min() or max(), so each is a query of its own).
BOUNDS = "SELECT (SELECT min(id) FROM audit_log), (SELECT max(id) FROM audit_log)"
# Stretches per worker, and events per stretch at most: many short stretches, so
# that a worker slowed by other work on the machine leaves its share to the others.
_STRETCHES_PER_WORKER = 3
_STRETCH_EVENTS = 100_000


@dataclass(frozen=True, slots=True)
class Proof:
    """What the fast pass proved.

    Attributes:
        count, last_id, last_mac: the events whose macs matched, and the last of them.
        broken_at: the first event whose mac does not match (None: the chain is intact).
        changes_proven: every change row is paired with its event, digests equal.
        signed: what the addendum and finalise events vouch for (changes are not kept).
    """

    count: int
    last_id: int
    last_mac: str
    broken_at: int | None = None
    changes_proven: bool = False
    signed: Signed = field(default_factory=Signed)
    proven_seals: frozenset[int] = frozenset()


# Events lo..hi, and the seal covering exactly them (None: checked event by event).
Segment = tuple[int, int, Seal | None]
# A segment's result, and the seal it hashed to (None: none, or not sealed).
Checked = tuple[RangeResult, int | None]


def segments(lo: int, hi: int, seals: list[Seal], key: bytes) -> list[Segment]:
    """Cut events lo..hi into sealed blocks and the stretches around them, in id order.

    Only a seal carrying its own mac, after the block before it, is used; any
    other seal's events are checked one by one (the exact seal check names it).
    """
    cut: list[Segment] = []
    at = lo
    for seal in seals:
        first, last = seal.first_event_id, seal.last_event_id
        usable = isinstance(first, int) and isinstance(last, int) and at <= first <= last <= hi
        if not usable or not signed_seal(key, seal):
            continue
        if first > at:
            cut.append((at, first - 1, None))
        cut.append((first, last, seal))
        at = last + 1
    if at <= hi:
        cut.append((at, hi, None))
    return cut


def check_segments(db: Any, key: bytes, run: list[Segment], sql: Queries) -> list[Checked]:
    """Check a run of segments in one connection; stop at the first broken stretch."""
    checked: list[Checked] = []
    previous: str | None = None  # the last mac checked, when it is the one just before
    for lo, hi, seal in run:
        if seal is None:
            result, proven = check_range(db, key, lo, hi, sql), None
        else:
            result, hashed = check_sealed(db, key, seal, sql, previous)
            proven = seal.id if hashed else None
        checked.append((result, proven))
        previous = result.last_mac
        if result.broken_at is not None:
            break  # later segments cannot change the first bad event
    return checked


def prove_here(db: Any, key: bytes) -> Proof | None:
    """The fast pass in this process, over a DB-API SQLite connection in a read transaction.

    Raises the driver's error when SQLite cannot build a row's JSON (then run the exact check).
    """
    lo, hi = db.execute(BOUNDS).fetchone()
    if lo is None:
        return None
    total = db.execute("SELECT count(*) FROM consultation_changes").fetchone()[0]
    cut = segments(lo, hi, seals_from_cursor(db.cursor()), key)
    return combine(check_segments(db, key, cut, queries(db)), total)


class FileProof:
    """The fast pass over a SQLite file, in worker processes, while the caller does other work.

    A context manager: entering it starts the workers (stretches checked side
    by side, each in its own read-only connection); ``result`` waits for them;
    leaving it stops any still running.
    """

    def __init__(self, path: str, key: bytes, workers: int | None = None) -> None:
        self._path, self._key, self._workers = path, key, workers
        self._pool: Any = None
        self._pending: Any = None
        self._runs: list[tuple[str, bytes, list[Segment]]] = []
        self._coordinator: Any = None

    def __enter__(self) -> FileProof:
        try:
            self._coordinator = _open(self._path)
            # The bounds, the seals and the change count come from one snapshot.
            self._coordinator.execute("BEGIN")
            lo, hi = self._coordinator.execute(BOUNDS).fetchone()
            seals = seals_from_cursor(self._coordinator.cursor()) if lo is not None else []
        except _ERRORS:
            return self
        if lo is None:
            return self
        events = hi - lo + 1
        processes = max(1, min(self._workers or os.cpu_count() or 1, events))
        pieces = max(processes * _STRETCHES_PER_WORKER, -(-events // _STRETCH_EVENTS))
        step = -(-events // min(pieces, events))
        cut = segments(lo, hi, seals, self._key)
        self._runs = [(self._path, self._key, run) for run in _runs(cut, step)]
        if processes > 1:
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            self._pool = multiprocessing.get_context(method).Pool(processes)
            self._pending = self._pool.starmap_async(check_file_segments, self._runs, chunksize=1)
        return self

    def result(self) -> Proof | None:
        """Wait for the workers; the proof, or None when the pass could not settle it."""
        coordinator = self._coordinator
        if coordinator is None or not self._runs:
            return None
        try:
            # Counted while the workers run, in the snapshot the bounds came from.
            (total,) = coordinator.execute("SELECT count(*) FROM consultation_changes").fetchone()
        except _ERRORS:
            return None
        finally:
            self._close_coordinator()
        if self._pending is None:
            runs = list(itertools.starmap(check_file_segments, self._runs))
        else:
            runs = self._pending.get()
        if any(run is None for run in runs):
            return None
        return combine([checked for run in runs if run is not None for checked in run], int(total))

    def __exit__(self, *_exc: object) -> None:
        self._close_coordinator()
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()

    def _close_coordinator(self) -> None:
        if self._coordinator is not None:
            self._coordinator.close()
            self._coordinator = None


def prove_file(path: str, key: bytes, workers: int | None = None) -> Proof | None:
    """The fast pass over a SQLite file, stretches checked side by side in worker processes."""
    with FileProof(path, key, workers) as proof:
        return proof.result()


def fast_check(path: str, key: bytes, workers: int | None = None) -> Proof | None:
    """A proof that the chain and the change log of a SQLite file are intact, or None."""
    proof = prove_file(path, key, workers)
    if proof is None or proof.broken_at is not None or not proof.changes_proven:
        return None
    return proof


def _runs(cut: list[Segment], step: int) -> list[list[Segment]]:
    """Group segments into runs of about ``step`` events each (a long stretch is split)."""
    runs: list[list[Segment]] = []
    run: list[Segment] = []
    size = 0
    for lo, hi, seal in cut:
        pieces = [(lo, hi, seal)]
        if seal is None and hi - lo + 1 > step:
            pieces = [(at, min(at + step - 1, hi), None) for at in range(lo, hi + 1, step)]
        for piece in pieces:
            run.append(piece)
            size += piece[1] - piece[0] + 1
            if size >= step:
                runs.append(run)
                run, size = [], 0
    if run:
        runs.append(run)
    return runs


def check_file_segments(path: str, key: bytes, run: list[Segment]) -> list[Checked] | None:
    """A run of segments of a file, in its own read-only connection (None: it could not be)."""
    try:
        with closing(_open(path)) as db:
            db.execute("BEGIN")
            return check_segments(db, key, run, queries(db))
    except _ERRORS:
        return None


def _open(path: str) -> Any:
    db = _reader.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    db.isolation_level = None  # transactions begun here, explicitly
    return db


def combine(checked: list[Checked], total_changes: int) -> Proof:
    """Put the segments' findings together, in id order."""
    checked = sorted(checked, key=lambda item: item[0].lo)
    results = [result for result, _seal in checked]
    count = 0
    for result in results:
        if result.broken_at is not None:
            # Every stretch before matched: this is the chain's first bad event.
            return Proof(count + result.count, result.last_id, result.last_mac, result.broken_at)
        count += result.count
    signed = Signed()
    for result in results:
        signed.addenda.update(result.signed.addenda)
        signed.finalised.update(result.signed.finalised)
    last = results[-1]
    proven = frozenset(seal for _result, seal in checked if seal is not None)
    paired = _paired(results, total_changes)
    return Proof(count, last.last_id, last.last_mac, None, paired, signed, proven)


def _paired(results: list[RangeResult], total_changes: int) -> bool:
    """Whether the stretches paired every change row once: in order, apart, and all of them."""
    if not all(result.paired for result in results):
        return False
    spans = [
        (r.first_change_id, r.last_change_id or 0) for r in results if r.first_change_id is not None
    ]
    for before, after in itertools.pairwise(spans):
        if after[0] <= before[1]:
            return False
    return sum(result.changes for result in results) == total_changes
