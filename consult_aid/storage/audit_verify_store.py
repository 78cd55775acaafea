"""What the signed events vouch for, checked: the change log, the addenda, the finalised records.

Once the chain is proven, every consultation change and addendum must match
the digest its event recorded, and every finalised record its finalising
event (the PDF's SHA-256, the fingerprint, the version, the time). Each check
names the lowest consultation that does not match.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any

from consult_aid.storage.audit_chain import SELECT_ADDENDA, SELECT_CHANGES, encode_json, row_digest
from consult_aid.storage.audit_verify_report import (
    BATCH,
    FinalisedToRecompute,
    Signed,
    VerifyReport,
    bad_record,
)

# The standard library's C scanner, as json.loads uses it, without the wrapper around it.
# (typeshed types its argument as a scanner; it takes any object with the decoder's settings.)
_scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def check_changes(cursor: Any, signed: Signed, last_seq: dict[int, int]) -> tuple[int, str] | None:
    """Every change row against its event's digest; fills ``last_seq`` (consultation -> seq)."""
    audited = signed.changes
    bad: dict[int, str] = {}
    cursor.execute(f"{SELECT_CHANGES} ORDER BY consultation_id, seq")
    sha256, encode = hashlib.sha256, encode_json
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            cid, seq = row[1], row[2]
            last_seq[cid] = seq
            expected = audited.pop((cid, seq), None)
            if expected != sha256(encode(row).encode("utf-8")).hexdigest() and cid not in bad:
                bad[cid] = (
                    f"Consultation {cid}: change {seq} of its log does not match the audit "
                    "trail (altered, or added outside the application)."
                )
    for cid, seq in audited:
        bad.setdefault(cid, f"Consultation {cid}: change {seq} of its log has been removed.")
    if not bad:
        return None
    first = min(bad)
    return first, bad[first]


def last_seqs(cursor: Any) -> dict[int, int]:
    """The last change number of each consultation with a finalised record.

    One index seek per record rather than a scan of the whole change log: the
    records check reads no other consultation's.
    """
    cursor.execute(
        "SELECT f.consultation_id, (SELECT max(c.seq) FROM consultation_changes c "
        "WHERE c.consultation_id = f.consultation_id) FROM finalised_records f"
    )
    return {cid: seq for cid, seq in cursor.fetchall() if seq is not None}


def check_addenda(cursor: Any, signed: Signed) -> tuple[int, str] | None:
    """Every addendum against its event's digest, and none removed."""
    audited = dict(signed.addenda)
    bad: dict[int, str] = {}
    cursor.execute(f"{SELECT_ADDENDA} ORDER BY id")
    for row in cursor.fetchall():
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


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A finalised record as stored, with its PDF's SHA-256 worked out."""

    consultation_id: int
    pdf_digest: Any
    pdf: Any
    pdf_sha256: Any
    fingerprint: Any
    version: Any
    made_at: Any
    basis_text: Any


@dataclass(frozen=True, slots=True)
class StoredRecords:
    """The finalised records, in consultation order, and the consultations marked finalised.

    Attributes:
        last_seq: the last change number of each record's consultation (last_seqs).
    """

    records: list[StoredRecord]
    marked: dict[int, tuple[Any, Any]]
    last_seq: dict[int, int]


# A PDF that cannot be read: read again, and refused, where the check meets it.
_UNREAD = object()


def _stored_json_encoder() -> Any:
    """JSON as the application stores it (json.dumps' defaults), NaN refused.

    NaN never equals itself, so it could not stand for a stored value. The
    standard library's C encoder is called directly, without the Python wrapper
    around it (a third of the records check), when it is there; same text.
    """
    standard = json.JSONEncoder(allow_nan=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return standard.encode
    fast = make(
        None, standard.default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
        False, False, False,
    )  # fmt: skip

    def encode(value: Any) -> str:
        return "".join(fast(value, 0))

    return encode


_encode = _stored_json_encoder()


def read_records(cursor: Any) -> StoredRecords:
    """Read the finalised records and their consultations' marks (the costly part of their check).

    Done on its own so that it can run while worker processes check the chain.
    """
    cursor.execute(
        "SELECT id, finalised_at, finalised_by FROM consultations "
        "WHERE finalised_at IS NOT NULL OR finalised_by IS NOT NULL"
    )
    marked = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    last_seq = last_seqs(cursor)
    cursor.execute(
        "SELECT consultation_id, pdf, pdf_sha256, fingerprint, record_version, made_at, basis "
        "FROM finalised_records ORDER BY consultation_id"
    )
    sha256 = hashlib.sha256
    records = []
    while batch := cursor.fetchmany(BATCH):
        for cid, pdf, pdf_sha256, fingerprint, version, made_at, basis_text in batch:
            try:
                digest: Any = sha256(bytes(pdf)).hexdigest()
            except TypeError:
                digest = _UNREAD
            records.append(
                StoredRecord(
                    cid,
                    digest,
                    pdf if digest is _UNREAD else None,  # PDFs are large: kept only to refuse
                    pdf_sha256,
                    fingerprint,
                    version,
                    made_at,
                    basis_text,
                )
            )
    return StoredRecords(records, marked, last_seq)


def check_records(
    cursor: Any,
    signed: Signed,
    last_seq: dict[int, int],
    events: int,
    stored: StoredRecords | None = None,
) -> tuple[VerifyReport, list[FinalisedToRecompute]]:
    """Every finalised record against its finalising event and its consultation.

    ``stored``: the records as read_records read them in this transaction (None: read them now).
    """
    stored = read_records(cursor) if stored is None else stored
    finalised = dict(signed.finalised)
    marked = dict(stored.marked)
    recompute: list[FinalisedToRecompute] = []
    bad: dict[int, str] = {}
    checked = 0
    for record in stored.records:
        checked += 1
        cid = record.consultation_id
        # A PDF that cannot be read fails here, at its record, as it always did.
        if record.pdf_digest is _UNREAD:
            bytes(record.pdf)
        event = finalised.pop(cid, None)
        said = None
        if event is not None:
            said = loads(event[2]) if isinstance(event[2], str) else event[2]
        basis = _basis(record.basis_text, said)
        problem = _record_problem(
            event, said, marked.pop(cid, None), record, basis, last_seq.get(cid, 0)
        )
        if problem:
            bad.setdefault(cid, f"Finalised record {cid}: {problem}.")
            continue
        recompute.append(FinalisedToRecompute(cid, record.version, record.fingerprint, basis))
    for cid in list(finalised) + list(marked):
        bad.setdefault(cid, f"Consultation {cid}: its finalised record is missing or was undone.")
    if bad:
        first = min(bad)
        return bad_record(events, checked, first, bad[first]), []
    return VerifyReport(True, events, checked), recompute


def loads(text: Any) -> Any:
    """``json.loads``, without its Python wrapper when the text is one plain JSON value.

    The C scanner alone reads a value; anything else (leading or trailing
    text, not a str) goes to ``json.loads``, which accepts or refuses it as
    it always has.
    """
    if isinstance(text, str):
        try:
            value, end = _scan(text, 0)
        except StopIteration:
            return json.loads(text)
        if end == len(text):
            return value
    return json.loads(text)


def _basis(text: Any, said: Any) -> Any:
    """The stored basis (its text read as JSON).

    When the text is exactly the JSON of the finalise event's basis, that value
    is taken instead of reading the text again: equal text, equal value.
    """
    if isinstance(said, dict) and isinstance(text, str) and "basis" in said:
        try:
            if text == _encode(said["basis"]):
                return said["basis"]
        except ValueError:
            pass  # a NaN or an infinity: read the text itself
    return loads(text)  # refuses a basis that is not JSON, as reading it always did


def _record_problem(
    event: tuple[Any, Any, Any] | None,
    said: Any,
    marked: tuple[Any, Any] | None,
    record: StoredRecord,
    basis: Any,
    last_seq: int,
) -> str:
    if event is None:
        return "no audit event finalised it"
    at, by, _new_value = event
    pdf_sha256, version = record.pdf_sha256, record.version
    if record.pdf_digest != pdf_sha256 or said.get("pdf_sha256") != pdf_sha256:
        return "its PDF is not the PDF that was finalised"
    if said.get("fingerprint") != record.fingerprint:
        return "its content fingerprint is not the one finalised"
    if said.get("record_version") != version or record.made_at != at:
        return "its version or time is not the one finalised"
    if said.get("basis") != basis:
        return "the patient or clinicians kept with it are not those finalised"
    if marked is None or marked != (at, by):
        return "its consultation is no longer marked finalised as it was"
    if last_seq != version:
        return f"its change log has {last_seq} changes, not the {version} finalised"
    return ""
