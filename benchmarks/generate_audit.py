"""Signed audit events and finalised records for generated consultations (generate_records.py).

The events are those the services write: one per change of a consultation's
log (with the digest of the change row as stored), one per finalisation (with
the record's PDF hash, fingerprint, version and the patient and clinicians
kept), one per addendum; each is signed into the chain with
storage/audit_chain (event_mac over the fields as the driver hands them back,
row_digest, head_mac), and every full block sealed with storage/audit_seals,
as storage/audit.py does, so ``consult-aid verify`` can be timed on the
generated data and finds it intact.

Not real: a finalised record's "PDF" is a few placeholder bytes and its
fingerprint the SHA-256 of a label (building 60,000 PDFs would take hours).
The plain check compares both with the signed event and passes; the deep
check (``verify --deep``), which rebuilds each fingerprint from the log,
does not, by design.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, text

from consult_aid.storage.audit_chain import (
    HEAD_ID,
    SELECT_ADDENDA,
    SELECT_CHANGES,
    SELECT_EVENTS,
    event_mac,
    head_mac,
    row_digest,
)
from consult_aid.storage.audit_seals import seal_due
from consult_aid.storage.models import AuditChainRow, AuditRow, FinalisedRecordRow

KEY = b"benchmark audit key, not secret!"
WORKSTATION = "benchmark-generator"
PDF = b"%PDF-1.4\n% placeholder written by benchmarks/generate_audit.py, not a record\n"


@dataclass(frozen=True, slots=True)
class Finalised:
    """What finalising a generated consultation kept: when, by whom, and the people printed."""

    at: datetime
    by: int
    basis: dict[str, Any]


@dataclass(slots=True)
class Chain:
    """Where the chain stands between chunks."""

    key: bytes = KEY
    count: int = 0
    last_id: int = 0
    last_mac: str = ""
    seals: int = 0


def sign_consultations(
    connection: Connection, chain: Chain, ids: range, finalised: dict[int, Finalised]
) -> None:
    """Keep the finalised records of ``ids`` and append and sign their events, in id order."""
    bounds = {"first": ids.start, "last": ids.stop - 1}
    where = " WHERE consultation_id BETWEEN :first AND :last"
    changes = connection.execute(
        text(f"{SELECT_CHANGES}{where} ORDER BY consultation_id, seq"), bounds
    ).all()
    addenda = connection.execute(text(f"{SELECT_ADDENDA}{where} ORDER BY id"), bounds).all()
    last_seq = {int(row[1]): int(row[2]) for row in changes}  # ordered: the last one wins
    records = []
    events: dict[int, list[dict[str, Any]]] = {cid: [] for cid in ids}
    for row in changes:
        _id, cid, seq, kind, key, value, at, clinician = row
        events[cid].append(
            _event(
                at=_aware(at),
                clinician_id=clinician,
                action=f"consultation.{kind}",
                entity="consultation",
                entity_id=str(cid),
                detail={"seq": seq, "key": key},
                record_version=seq,
                new_value=json.loads(value),
                row_digest=row_digest(tuple(row)),
            )
        )
    for cid, final in finalised.items():
        proof = {
            "pdf_sha256": hashlib.sha256(PDF).hexdigest(),
            "fingerprint": hashlib.sha256(f"generated record {cid}".encode()).hexdigest(),
            "record_version": last_seq[cid],
            "basis": final.basis,
        }
        records.append({"consultation_id": cid, "pdf": PDF, "made_at": final.at, **proof})
        events[cid].append(
            _event(
                at=final.at,
                clinician_id=final.by,
                action="consultation.finalise",
                entity="consultation",
                entity_id=str(cid),
                record_version=last_seq[cid],
                new_value=proof,
            )
        )
    for row in addenda:
        addendum_id, cid, at, by, reason, note = row
        events[cid].append(
            _event(
                at=_aware(at),
                clinician_id=by,
                action="consultation.addendum",
                entity="addendum",
                entity_id=str(addendum_id),
                detail={"consultation_id": cid},
                record_version=last_seq[cid],
                new_value={"reason": reason, "text": note},
                row_digest=row_digest(tuple(row)),
            )
        )
    if records:
        connection.execute(insert(FinalisedRecordRow), records)
    connection.execute(insert(AuditRow), [event for cid in ids for event in events[cid]])
    _sign(connection, chain)


def _sign(connection: Connection, chain: Chain) -> None:
    # Signed as read back, so the macs cover the fields exactly as stored.
    stored = connection.execute(
        text(f"{SELECT_EVENTS} WHERE id > :last ORDER BY id"), {"last": chain.last_id}
    ).all()
    macs = []
    for row in stored:
        chain.last_mac = event_mac(chain.key, tuple(row[:-1]), chain.last_mac)
        chain.last_id = int(row[0])
        chain.count += 1
        macs.append({"mac": chain.last_mac, "event": chain.last_id})
    if macs:
        connection.execute(text("UPDATE audit_log SET mac = :mac WHERE id = :event"), macs)
    # Sealed as the application seals: every full block, each checked event by event first.
    while (sealed := seal_due(connection, chain.key)) > chain.seals:
        chain.seals = sealed
    connection.execute(delete(AuditChainRow))
    connection.execute(
        insert(AuditChainRow),
        [
            {
                "id": HEAD_ID,
                "event_count": chain.count,
                "last_event_id": chain.last_id,
                "last_mac": chain.last_mac,
                "head_mac": head_mac(
                    chain.key, chain.count, chain.last_id, chain.last_mac, chain.seals
                ),
                "seal_count": chain.seals,
            }
        ],
    )


def _aware(stored: Any) -> datetime:
    """A stored time (text in SQLite, naive UTC) back as an aware datetime."""
    moment = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _event(**fields: Any) -> dict[str, Any]:
    return {
        "workstation": WORKSTATION,
        "detail": {},
        "old_value": None,
        "row_digest": None,
        "mac": None,
        **fields,
    }
