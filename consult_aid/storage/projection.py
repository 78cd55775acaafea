"""The projection tables: a consultation's current state, kept equal to the replayed log.

Every change appended to the log is applied here in the same transaction, so
reading the current state is a few small queries rather than a replay. The
rules mirror ``consult_aid.domain.consultation.apply``; a test checks that the
two never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult_aid.domain.consultation import (
    Change,
    ChangeKind,
    ConsultationState,
    Detail,
    Question,
    TopicRecord,
    TopicState,
)
from consult_aid.storage.models import (
    ChecklistTickRow,
    ConsultationRow,
    DetailRow,
    QuestionRow,
    TopicStateRow,
)

_TOPIC_KINDS = (ChangeKind.TOPIC_STATE, ChangeKind.TOPIC_NOTE, ChangeKind.TOPIC_MATERIAL)
_CHECKLIST_KINDS = (ChangeKind.RISK_FACTOR, ChangeKind.MEDICINE)


class Projection:
    """Applies changes to, and reads the state from, the projection tables."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def apply(self, consultation_id: int, change: Change) -> None:
        """Bring the projection up to date with one newly appended change."""
        if change.kind in _TOPIC_KINDS:
            self._apply_topic(consultation_id, change)
        elif change.kind in _CHECKLIST_KINDS:
            self._apply_tick(consultation_id, change)
        elif change.kind is ChangeKind.QUESTION:
            self._apply_question(consultation_id, change)
        elif change.kind is ChangeKind.DETAIL:
            detail, value = Detail(change.key), str(change.value["value"])
            self._session.merge(
                DetailRow(consultation_id=consultation_id, detail=detail.value, value=value)
            )
            if detail is Detail.DECISION:
                # The copy the records browser filters and sorts on (ConsultationRow.decision).
                self._session.get_one(ConsultationRow, consultation_id).decision = value
        elif change.kind is ChangeKind.ENDED:
            self._session.get_one(ConsultationRow, consultation_id).ended_at = change.at
        self._session.flush()

    def _apply_topic(self, consultation_id: int, change: Change) -> None:
        row = self._session.get(TopicStateRow, (consultation_id, change.key))
        if row is None:
            row = TopicStateRow(
                consultation_id=consultation_id,
                topic_id=change.key,
                state=TopicState.NOT_ADDRESSED.value,
                reason="",
                note="",
                material=False,
                changed_at=None,
                changed_by=None,
            )
            self._session.add(row)
        if change.kind is ChangeKind.TOPIC_STATE:
            row.state = TopicState(change.value["state"]).value
            row.reason = str(change.value.get("reason", ""))
            row.changed_at = change.at
            row.changed_by = change.clinician_id
        elif change.kind is ChangeKind.TOPIC_NOTE:
            row.note = str(change.value["text"])
        else:
            row.material = bool(change.value["material"])

    def _apply_tick(self, consultation_id: int, change: Change) -> None:
        key = (consultation_id, change.kind.value, change.key)
        row = self._session.get(ChecklistTickRow, key)
        if change.value["present"] and row is None:
            self._session.add(
                ChecklistTickRow(
                    consultation_id=consultation_id, checklist=change.kind.value, item_id=change.key
                )
            )
        elif not change.value["present"] and row is not None:
            self._session.delete(row)

    def _apply_question(self, consultation_id: int, change: Change) -> None:
        row = self._session.get(QuestionRow, (consultation_id, change.key))
        if change.value.get("removed"):
            if row is not None:
                self._session.delete(row)
            return
        if row is None:
            last = self._session.scalar(
                select(func.max(QuestionRow.position)).where(
                    QuestionRow.consultation_id == consultation_id
                )
            )
            row = QuestionRow(
                consultation_id=consultation_id,
                question_id=change.key,
                position=(last if last is not None else -1) + 1,
            )
            self._session.add(row)
        row.question = str(change.value["question"])
        row.answer = str(change.value.get("answer", ""))

    def state(self, consultation_id: int) -> ConsultationState:
        """The current state, read from the projection tables."""
        session = self._session
        topics = {
            row.topic_id: TopicRecord(
                state=TopicState(row.state),
                reason=row.reason,
                note=row.note,
                material=row.material,
                changed_at=row.changed_at,
                changed_by=row.changed_by,
            )
            for row in session.scalars(
                select(TopicStateRow).where(TopicStateRow.consultation_id == consultation_id)
            )
        }
        ticks = list(
            session.scalars(
                select(ChecklistTickRow).where(ChecklistTickRow.consultation_id == consultation_id)
            )
        )
        questions = tuple(
            Question(row.question_id, row.question, row.answer)
            for row in session.scalars(
                select(QuestionRow)
                .where(QuestionRow.consultation_id == consultation_id)
                .order_by(QuestionRow.position)
            )
        )
        details = {
            Detail(row.detail): row.value
            for row in session.scalars(
                select(DetailRow).where(DetailRow.consultation_id == consultation_id)
            )
        }
        return ConsultationState(
            topics=topics,
            risk_factors=_items(ticks, ChangeKind.RISK_FACTOR),
            medicines=_items(ticks, ChangeKind.MEDICINE),
            questions=questions,
            details=details,
            ended_at=session.get_one(ConsultationRow, consultation_id).ended_at,
        )

    def settled_topics(self, consultation_ids: Iterable[int]) -> dict[int, set[str]]:
        """For each consultation, the ids of its topics in any state but not addressed."""
        ids = list(consultation_ids)
        settled: dict[int, set[str]] = {cid: set() for cid in ids}
        if not ids:
            return settled
        rows = self._session.execute(
            select(TopicStateRow.consultation_id, TopicStateRow.topic_id).where(
                TopicStateRow.consultation_id.in_(ids),
                TopicStateRow.state != TopicState.NOT_ADDRESSED.value,
            )
        )
        for consultation_id, topic_id in rows:
            settled[consultation_id].add(topic_id)
        return settled


def _items(ticks: list[ChecklistTickRow], kind: ChangeKind) -> frozenset[str]:
    return frozenset(row.item_id for row in ticks if row.checklist == kind.value)
