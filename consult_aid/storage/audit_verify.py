"""Checking the store against its signed audit trail, with plain driver reads for speed.

One pass recomputes every event's mac in id order and checks the chain's head
(an edit, insertion, removal or reordering of events, or a removed tail). The
signed events then vouch for the rest: every consultation change and addendum
must match the digest its event recorded, and every finalised record its
finalising event (the PDF's SHA-256, the fingerprint, the version, the time).
Reads run in one transaction, so writers elsewhere never give a half view.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from consult_aid.storage.audit_chain import (
    SELECT_ADDENDA,
    SELECT_CHANGES,
    SELECT_EVENTS,
    encode_json,
    head_mac,
    row_digest,
)
from consult_aid.storage.audit_verify_parallel import MIN_EVENTS, FastResult, fast_check
from consult_aid.storage.database import Database

_encode = encode_json


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What a check of the audit trail and the finalised records found.

    Attributes:
        ok: nothing failed.
        events_checked: audit events whose mac was recomputed.
        records_checked: finalised records checked.
        first_bad_event_id: the first event that does not match (None: none, or a record).
        first_bad_record_id: the consultation whose stored record or log does not match.
        problem: what is wrong, in plain English ("" when ok).
    """

    ok: bool
    events_checked: int
    records_checked: int
    first_bad_event_id: int | None = None
    first_bad_record_id: int | None = None
    problem: str = ""

    def text(self) -> str:
        """A few lines for a person to read."""
        counts = (
            f"{self.events_checked:,} audit events and "
            f"{self.records_checked:,} finalised records checked."
        )
        if self.ok:
            return f"The audit trail is intact. {counts}"
        return f"The audit trail does NOT match. {counts}\n{self.problem}"


@dataclass(frozen=True, slots=True)
class FinalisedToRecompute:
    """A finalised record whose stored proofs agree with its event; its fingerprint is next."""

    consultation_id: int
    record_version: int
    fingerprint: str
    basis: dict[str, Any]


@dataclass
class _Signed:
    """What the signed events say about the rest of the store."""

    changes: dict[tuple[int, int], str]
    addenda: dict[int, tuple[str, str]]
    finalised: dict[int, tuple[Any, Any, Any]]


def check_store(
    db: Database, key: bytes, parallel: bool | None = None
) -> tuple[VerifyReport, list[FinalisedToRecompute]]:
    """Check the chain, the change log, the addenda and the finalised records' proofs.

    ``parallel``: None chooses by size (a SQLite file with many events); True
    forces the parallel pass wherever it can run; False never uses it. The
    parallel pass only proves a store intact; whenever it cannot, the exact
    sequential check runs and names the first mismatch.
    """
    path = _sqlite_file(db)
    if path is not None and parallel is not False:
        with db.engine.connect() as connection:
            events = connection.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() or 0
        if parallel or events >= MIN_EVENTS:
            proven = fast_check(path, key)
            if proven is not None:
                outcome = _check_proven(db, key, proven)
                if outcome[0].ok:
                    return outcome
    return _check_sequential(db, key)


def _sqlite_file(db: Database) -> str | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return str(url.database)


def _check_proven(
    db: Database, key: bytes, proven: FastResult
) -> tuple[VerifyReport, list[FinalisedToRecompute]]:
    """The checks left once the chain and change log are proven: head, addenda, records."""
    signed = _Signed({}, proven.addenda, proven.finalised)
    with db.engine.connect() as connection, connection.begin():
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            count = proven.count
            if _check_head(cursor, key, count, proven.last_id, proven.last_mac):
                return VerifyReport(False, count, 0), []
            if _check_addenda(cursor, signed):
                return VerifyReport(False, count, 0), []
            cursor.execute(
                "SELECT consultation_id, max(seq) FROM consultation_changes "
                "GROUP BY consultation_id"
            )
            last_seq = dict(cursor.fetchall())
            return _check_records(cursor, signed, last_seq, count)
        finally:
            cursor.close()


def _check_sequential(db: Database, key: bytes) -> tuple[VerifyReport, list[FinalisedToRecompute]]:
    with db.engine.connect() as connection, connection.begin():
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            report, signed = _check_chain(cursor, key)
            if not report.ok:
                return report, []
            events = report.events_checked
            last_seq: dict[int, int] = {}
            problem = _check_changes(cursor, signed, last_seq) or _check_addenda(cursor, signed)
            if problem:
                return _bad_record(events, 0, *problem), []
            return _check_records(cursor, signed, last_seq, events)
        finally:
            cursor.close()


def _bad_record(events: int, records: int, cid: int, problem: str) -> VerifyReport:
    return VerifyReport(False, events, records, None, cid, problem)


def _check_chain(cursor: Any, key: bytes) -> tuple[VerifyReport, _Signed]:
    signed = _Signed({}, {}, {})
    digest, encode = hmac.digest, _encode
    previous, count, last_id = "", 0, 0
    cursor.execute(f"{SELECT_EVENTS} ORDER BY id")
    for row in cursor:
        event_id = row[0]
        body = row[:-1]
        expected = digest(key, encode(body).encode("utf-8") + previous.encode(), "sha256").hex()
        if expected != row[-1]:
            if event_id > last_id + 1:
                problem = (
                    f"Audit event {last_id + 1} is missing: the trail jumps from event "
                    f"{last_id} to event {event_id}."
                )
                return VerifyReport(False, count, 0, last_id + 1, None, problem), signed
            problem = (
                f"Audit event {event_id} does not match its signature: it was altered, "
                "inserted or moved, or signed with another key."
            )
            return VerifyReport(False, count, 0, event_id, None, problem), signed
        previous, last_id = row[-1], event_id
        count += 1
        if row[11] is not None:
            if row[5] == "consultation":
                signed.changes[(int(row[6]), row[7])] = row[11]
            elif row[5] == "addendum":
                signed.addenda[int(row[6])] = (row[11], row[8])
        elif row[4] == "consultation.finalise":
            signed.finalised[int(row[6])] = (row[1], row[2], row[10])
    at_head = _check_head(cursor, key, count, last_id, previous)
    if at_head:
        bad_id, text = at_head
        return VerifyReport(False, count, 0, bad_id, None, text), signed
    return VerifyReport(True, count, 0), signed


def _check_head(
    cursor: Any, key: bytes, count: int, last_id: int, last_mac: str
) -> tuple[int | None, str] | None:
    cursor.execute("SELECT event_count, last_event_id, last_mac, head_mac FROM audit_chain")
    heads = cursor.fetchall()
    if not heads:
        if count == 0:
            return None
        return last_id, "The audit trail's head record is missing."
    head_count, head_last, head_last_mac, sealed = heads[0]
    if len(heads) != 1 or not hmac.compare_digest(
        str(sealed), head_mac(key, head_count, head_last, head_last_mac)
    ):
        return head_last, "The audit trail's head record was altered."
    if head_last > last_id or head_count > count:
        return last_id + 1, (
            f"The newest audit events are missing: the trail ends at event {last_id} "
            f"but had reached event {head_last} ({head_count:,} events)."
        )
    if (head_count, head_last, head_last_mac) != (count, last_id, last_mac):
        return head_last + 1, (
            f"Audit events after event {head_last} were added outside the application."
        )
    return None


def _check_changes(
    cursor: Any, signed: _Signed, last_seq: dict[int, int]
) -> tuple[int, str] | None:
    audited = signed.changes
    bad: dict[int, str] = {}
    cursor.execute(f"{SELECT_CHANGES} ORDER BY consultation_id, seq")
    sha256, encode = hashlib.sha256, _encode
    for row in cursor:
        cid, seq = row[1], row[2]
        last_seq[cid] = seq
        expected = audited.pop((cid, seq), None)
        if expected != sha256(encode(row).encode("utf-8")).hexdigest() and cid not in bad:
            bad[cid] = (
                f"Consultation {cid}: change {seq} of its log does not match the audit trail "
                "(altered, or added outside the application)."
            )
    for cid, seq in audited:
        bad.setdefault(cid, f"Consultation {cid}: change {seq} of its log has been removed.")
    if not bad:
        return None
    first = min(bad)
    return first, bad[first]


def _check_addenda(cursor: Any, signed: _Signed) -> tuple[int, str] | None:
    audited = signed.addenda
    bad: dict[int, str] = {}
    cursor.execute(f"{SELECT_ADDENDA} ORDER BY id")
    for row in cursor:
        expected = audited.pop(row[0], None)
        if expected is None or expected[0] != row_digest(row):
            bad.setdefault(row[1], f"Consultation {row[1]}: addendum {row[0]} was altered.")
    for addendum_id, (_digest, detail) in audited.items():
        # A removed addendum's row is gone; its event still names the record it amended.
        cid = int(json.loads(detail).get("consultation_id", 0))
        bad.setdefault(cid, f"Consultation {cid}: addendum {addendum_id} has been removed.")
    if not bad:
        return None
    first = min(bad)
    return first, bad[first]


def _check_records(
    cursor: Any, signed: _Signed, last_seq: dict[int, int], events: int
) -> tuple[VerifyReport, list[FinalisedToRecompute]]:
    cursor.execute(
        "SELECT id, finalised_at, finalised_by FROM consultations "
        "WHERE finalised_at IS NOT NULL OR finalised_by IS NOT NULL"
    )
    marked = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    cursor.execute(
        "SELECT consultation_id, pdf, pdf_sha256, fingerprint, record_version, made_at, basis "
        "FROM finalised_records ORDER BY consultation_id"
    )
    recompute: list[FinalisedToRecompute] = []
    bad: dict[int, str] = {}
    checked = 0
    for cid, pdf, pdf_sha256, fingerprint, version, made_at, basis_text in cursor:
        checked += 1
        basis = json.loads(basis_text)
        problem = _record_problem(
            signed.finalised.pop(cid, None),
            marked.pop(cid, None),
            (bytes(pdf), pdf_sha256, fingerprint, version, made_at, basis),
            last_seq.get(cid, 0),
        )
        if problem:
            bad.setdefault(cid, f"Finalised record {cid}: {problem}.")
            continue
        recompute.append(FinalisedToRecompute(cid, version, fingerprint, basis))
    for cid in list(signed.finalised) + list(marked):
        bad.setdefault(cid, f"Consultation {cid}: its finalised record is missing or was undone.")
    if bad:
        first = min(bad)
        return _bad_record(events, checked, first, bad[first]), []
    return VerifyReport(True, events, checked), recompute


def _record_problem(
    event: tuple[Any, Any, Any] | None,
    marked: tuple[Any, Any] | None,
    stored: tuple[bytes, str, str, int, Any, Any],
    last_seq: int,
) -> str:
    pdf, pdf_sha256, fingerprint, version, made_at, basis = stored
    if event is None:
        return "no audit event finalised it"
    at, by, new_value = event
    said = json.loads(new_value) if isinstance(new_value, str) else new_value
    if hashlib.sha256(pdf).hexdigest() != pdf_sha256 or said.get("pdf_sha256") != pdf_sha256:
        return "its PDF is not the PDF that was finalised"
    if said.get("fingerprint") != fingerprint:
        return "its content fingerprint is not the one finalised"
    if said.get("record_version") != version or made_at != at:
        return "its version or time is not the one finalised"
    if said.get("basis") != basis:
        return "the patient or clinicians kept with it are not those finalised"
    if marked is None or marked != (at, by):
        return "its consultation is no longer marked finalised as it was"
    if last_seq != version:
        return f"its change log has {last_seq} changes, not the {version} finalised"
    return ""
