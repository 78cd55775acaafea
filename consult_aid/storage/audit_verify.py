"""Checking the store against its signed audit trail: a fast pass first, the exact check behind.

The check recomputes every event's mac in id order and checks the chain's
head (an edit, insertion, removal or reordering of events, or a removed
tail); the signed events then vouch for the rest: every consultation change
and addendum must match the digest its event recorded, every audit seal its
block (audit_seals), and every finalised record its finalising event (the
PDF's SHA-256, the fingerprint, the version, the time). The answer is always
that of the exact check in audit_verify_chain, audit_verify_store and
audit_verify_seals, which names the first mismatch.

On SQLite a fast pass does the bulk of it (audit_verify_fast): in this
process, or on every core for a large file (audit_verify_parallel). What it
proves is used as proven; where it finds the chain broken, the exact check
runs from that event only; where it cannot pair the change log, the exact
change-log check runs over the events it proved; anything else it cannot
settle sends the whole store through the exact check.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from consult_aid.storage.audit_verify_chain import check_chain, check_head, collect_signed
from consult_aid.storage.audit_verify_parallel import (
    BOUNDS,
    MIN_EVENTS,
    FileProof,
    Proof,
    prove_here,
)
from consult_aid.storage.audit_verify_report import (
    FinalisedToRecompute,
    Signed,
    VerifyReport,
    bad_record,
    bad_seal,
)
from consult_aid.storage.audit_verify_seals import check_seals
from consult_aid.storage.audit_verify_store import (
    StoredRecords,
    check_addenda,
    check_changes,
    check_records,
    last_seqs,
    read_records,
)
from consult_aid.storage.database import Database

__all__ = ["FinalisedToRecompute", "VerifyReport", "check_store"]

Outcome = tuple[VerifyReport, list[FinalisedToRecompute]]


def check_store(db: Database, key: bytes, parallel: bool | None = None) -> Outcome:
    """Check the chain, the change log, the addenda and the finalised records' proofs.

    ``parallel``: None chooses by size (a SQLite file with many events); True
    uses worker processes wherever it can (a plain SQLite file); False never
    does. Every way gives the same report as the exact check.
    """
    path = _plain_sqlite_file(db)
    workers = path is not None and (
        parallel or (parallel is None and _event_count(db) >= MIN_EVENTS)
    )
    with ExitStack() as stack:
        pending = stack.enter_context(FileProof(path, key)) if path and workers else None
        connection = stack.enter_context(db.engine.connect())
        stack.enter_context(connection.begin())
        raw = connection.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        stack.callback(cursor.close)
        stored: StoredRecords | None = None
        if pending is not None:
            # Read (and hash) the finalised records while the workers check the chain.
            stored = read_records(cursor)
            proof = pending.result()
            if proof is not None and not _same_end(cursor, proof):
                proof = None  # events were added after the workers read: check this snapshot
        elif db.engine.url.get_backend_name() == "sqlite":
            proof = _prove_here(raw, key, db.engine.dialect.loaded_dbapi.Error)
        else:
            proof = None
        return _finish(cursor, key, proof, stored)


def _plain_sqlite_file(db: Database) -> str | None:
    """The file of a plain (not encrypted) SQLite database, which workers can open by name."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.get_driver_name() != "pysqlite":
        return None
    if url.database in (None, "", ":memory:") or str(url.database).startswith("file:"):
        return None
    return str(url.database)


def _event_count(db: Database) -> int:
    """About how many events there are (the id span: two index look-ups, not a count)."""
    with db.engine.connect() as connection:
        lo, hi = connection.exec_driver_sql(BOUNDS).one()
        return 0 if lo is None else int(hi) - int(lo) + 1


def _prove_here(raw: Any, key: bytes, errors: type[Exception]) -> Proof | None:
    try:
        return prove_here(raw, key)
    except (errors, ValueError):
        return None  # a column SQLite cannot turn into JSON: the exact check reads it


def _same_end(cursor: Any, proof: Proof) -> bool:
    cursor.execute("SELECT max(id) FROM audit_log")
    (last,) = cursor.fetchone()
    return bool(last == proof.last_id or proof.broken_at is not None)


def _finish(cursor: Any, key: bytes, proof: Proof | None, stored: StoredRecords | None) -> Outcome:
    """The report, from what the fast pass proved (None: nothing) and the exact checks.

    ``stored``: the finalised records, when already read in this transaction.
    """
    if proof is None:
        return _exact(cursor, key, stored)
    if proof.broken_at is not None:
        report = check_chain(cursor, key, Signed(), start=proof.broken_at)
        if not report.ok:
            return report, []
        return _exact(cursor, key, stored)  # not broken after all in this snapshot
    count = proof.count
    at_head = check_head(cursor, key, count, proof.last_id, proof.last_mac)
    if at_head:
        bad_id, text = at_head
        return VerifyReport(False, count, 0, bad_id, None, text), []
    if proof.changes_proven:
        signed = proof.signed
        last_seq = stored.last_seq if stored is not None else last_seqs(cursor)
        problem = check_addenda(cursor, signed)
    else:
        signed, last_seq = collect_signed(cursor), {}
        problem = check_changes(cursor, signed, last_seq) or check_addenda(cursor, signed)
    if problem:
        return bad_record(count, 0, *problem), []
    return _seals_then_records(cursor, key, proof.proven_seals, signed, last_seq, count, stored)


def _exact(cursor: Any, key: bytes, stored: StoredRecords | None) -> Outcome:
    signed = Signed()
    report = check_chain(cursor, key, signed)
    if not report.ok:
        return report, []
    events = report.events_checked
    last_seq: dict[int, int] = {}
    problem = check_changes(cursor, signed, last_seq) or check_addenda(cursor, signed)
    if problem:
        return bad_record(events, 0, *problem), []
    return _seals_then_records(cursor, key, frozenset(), signed, last_seq, events, stored)


def _seals_then_records(
    cursor: Any,
    key: bytes,
    proven: frozenset[int],
    signed: Signed,
    last_seq: dict[int, int],
    events: int,
    stored: StoredRecords | None,
) -> Outcome:
    """The seals (those not ``proven`` by the fast pass hashed here), then the records."""
    bad = check_seals(cursor, key, proven)
    if bad:
        return bad_seal(events, *bad), []
    return check_records(cursor, signed, last_seq, events, stored)
