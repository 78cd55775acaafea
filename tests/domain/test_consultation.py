"""Tests of the consultation rules: field checks, the change log, replay and progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from consult_aid.domain.consultation import (
    MAX_DETAIL,
    MAX_NOTE,
    Capacity,
    Change,
    ChangeKind,
    ConsultationState,
    Decision,
    Detail,
    Question,
    TopicRecord,
    TopicState,
    apply,
    check_detail,
    check_note,
    check_state,
    parse_levels,
    progress,
    replay,
)
from consult_aid.domain.content import (
    ContentPack,
    PackInfo,
    Section,
    SectionKind,
    Topic,
    Variant,
)
from consult_aid.domain.errors import InvalidInput

START = datetime(2024, 6, 15, 9, 30, tzinfo=UTC)
SPINE = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + ["S1"]
)


class Log:
    """Builds a change log with increasing seq numbers and times."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, kind: ChangeKind, key: str = "", clinician: int = 7, **value: Any) -> Change:
        seq = len(self.changes) + 1
        change = Change(seq, kind, key, value, START + timedelta(minutes=seq), clinician)
        self.changes.append(change)
        return change

    def state(self) -> ConsultationState:
        return replay(self.changes)


def problems(call: Any, *args: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    return caught.value.problems


# --- parse_levels -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "levels"),
    [
        ("T12, L1", ("T12", "L1")),
        ("l1 t12", ("T12", "L1")),
        ("L1;T12/T11", ("T11", "T12", "L1")),
        ("  s1 , c1  ", ("C1", "S1")),
        ("T1 T10 T2", ("T1", "T2", "T10")),
        ("L1 l1 L1", ("L1",)),
        ("", ()),
        (" , ; ", ()),
    ],
)
def test_levels_are_read_in_spine_order_without_repeats(
    typed: str, levels: tuple[str, ...]
) -> None:
    assert parse_levels(typed) == levels


def test_every_level_of_the_spine_is_accepted_in_order() -> None:
    assert parse_levels(" ".join(reversed(SPINE)).lower()) == tuple(SPINE)


@pytest.mark.parametrize("bad", ["L6", "T13", "C8", "S2", "T0", "L", "12", "T1.2", "Ｌ１"])
def test_a_bad_level_is_named_in_the_message(bad: str) -> None:
    problem = problems(parse_levels, f"T12 {bad}")
    message = problem[Detail.LEVELS.value]
    assert bad.upper() in message
    assert "T12" not in message.split("(")[0]


# --- check_detail -----------------------------------------------------------


def test_levels_detail_is_normalised() -> None:
    assert check_detail(Detail.LEVELS, " l1, t12 t12 ") == "T12, L1"
    assert "levels" in problems(check_detail, Detail.LEVELS, "L9")


@pytest.mark.parametrize("capacity", list(Capacity))
def test_capacity_takes_its_enum_values(capacity: Capacity) -> None:
    assert check_detail(Detail.CAPACITY, f" {capacity.value} ") == capacity.value


@pytest.mark.parametrize("decision", list(Decision))
def test_decision_takes_its_enum_values(decision: Decision) -> None:
    assert check_detail(Detail.DECISION, decision.value) == decision.value


@pytest.mark.parametrize(
    ("detail", "bad"),
    [
        (Detail.CAPACITY, "maybe"),
        (Detail.CAPACITY, "Capacity presumed"),  # the label, not the value
        (Detail.CAPACITY, ""),
        (Detail.DECISION, "yes"),
        (Detail.DECISION, "PROCEED"),
        (Detail.DECISION, ""),
    ],
)
def test_unknown_enum_values_are_refused(detail: Detail, bad: str) -> None:
    assert set(problems(check_detail, detail, bad)) == {detail.value}


def test_mdt_date_is_iso() -> None:
    assert check_detail(Detail.MDT_DATE, " 2024-03-05 ") == "2024-03-05"
    assert check_detail(Detail.MDT_DATE, "") == ""
    assert date.fromisoformat(check_detail(Detail.MDT_DATE, "2024-02-29")) == date(2024, 2, 29)


@pytest.mark.parametrize(
    "bad", ["05/03/2024", "2024-02-30", "2023-02-29", "yesterday", "20240305", "2024-W10-2"]
)
def test_mdt_date_must_be_yyyy_mm_dd(bad: str) -> None:
    assert "YYYY-MM-DD" in problems(check_detail, Detail.MDT_DATE, bad)["mdt_date"]


@pytest.mark.parametrize(
    "detail",
    [
        Detail.OTHERS_PRESENT,
        Detail.INTERPRETER,
        Detail.COMMUNICATION_NEEDS,
        Detail.CAPACITY_NOTE,
        Detail.PLACE,
    ],
)
def test_free_text_details_are_stripped_and_limited(detail: Detail) -> None:
    assert check_detail(detail, "  Daughter (Jane)  ") == "Daughter (Jane)"
    assert check_detail(detail, "x" * MAX_DETAIL) == "x" * MAX_DETAIL
    assert set(problems(check_detail, detail, "x" * (MAX_DETAIL + 1))) == {detail.value}


def test_every_detail_has_a_check() -> None:
    covered = {
        Detail.LEVELS: "L1",
        Detail.CAPACITY: Capacity.PRESUMED.value,
        Detail.DECISION: Decision.PROCEED.value,
        Detail.MDT_DATE: "2024-01-02",
    }
    for detail in Detail:
        value = covered.get(detail, "free text")
        assert check_detail(detail, value) == value


# --- check_state and check_note ---------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_applicable_needs_a_reason(reason: str) -> None:
    assert "reason" in problems(check_state, TopicState.NOT_APPLICABLE, reason)


def test_not_applicable_keeps_its_reason_cleaned() -> None:
    assert check_state(TopicState.NOT_APPLICABLE, "  no implant  ") == "no implant"
    assert "reason" in problems(check_state, TopicState.NOT_APPLICABLE, "x" * (MAX_DETAIL + 1))


@pytest.mark.parametrize(
    "state", [TopicState.NOT_ADDRESSED, TopicState.DISCUSSED, TopicState.DECLINED]
)
def test_other_states_drop_the_reason(state: TopicState) -> None:
    assert check_state(state, "some reason") == ""
    assert check_state(state, "") == ""


def test_a_note_is_kept_exactly_within_its_limit() -> None:
    typed = "  Line one\n\n\tIndented <b>not markup</b>  "
    assert check_note(typed) == typed
    assert check_note("x" * MAX_NOTE) == "x" * MAX_NOTE
    assert "note" in problems(check_note, "x" * (MAX_NOTE + 1))


# --- replay and apply -------------------------------------------------------


def test_a_new_state_has_nothing_ticked() -> None:
    state = replay([])
    assert state == ConsultationState()
    assert state.topic("anything") == TopicRecord()
    assert state.topic("anything").state is TopicState.NOT_ADDRESSED
    assert state.topic("anything").changed_at is None
    assert state.risk_factors == frozenset()
    assert state.medicines == frozenset()
    assert state.questions == ()
    assert state.decision is Decision.UNDECIDED
    assert state.capacity is Capacity.NOT_RECORDED
    assert state.ended_at is None
    for detail in Detail:
        assert state.detail(detail) == ""


def test_created_and_resumed_change_nothing() -> None:
    log = Log()
    log.add(ChangeKind.CREATED)
    log.add(ChangeKind.RESUMED)
    assert log.state() == ConsultationState()


def test_topic_state_records_who_and_when() -> None:
    log = Log()
    change = log.add(ChangeKind.TOPIC_STATE, "infection", clinician=3, state="discussed")
    record = log.state().topic("infection")
    assert record.state is TopicState.DISCUSSED
    assert record.changed_at == change.at
    assert record.changed_by == 3
    assert record.reason == ""


def test_topic_state_not_applicable_keeps_reason_and_a_later_state_clears_it() -> None:
    log = Log()
    log.add(ChangeKind.TOPIC_STATE, "jack", state="not_applicable", reason="no implant")
    assert log.state().topic("jack").reason == "no implant"
    later = log.add(ChangeKind.TOPIC_STATE, "jack", clinician=9, state="discussed")
    record = log.state().topic("jack")
    assert (record.state, record.reason, record.changed_at, record.changed_by) == (
        TopicState.DISCUSSED,
        "",
        later.at,
        9,
    )


def test_note_and_material_keep_the_topic_state() -> None:
    log = Log()
    stated = log.add(ChangeKind.TOPIC_STATE, "infection", state="declined")
    log.add(ChangeKind.TOPIC_NOTE, "infection", text="Diabetic: higher risk")
    log.add(ChangeKind.TOPIC_MATERIAL, "infection", material=True)
    record = log.state().topic("infection")
    assert record == TopicRecord(
        state=TopicState.DECLINED,
        note="Diabetic: higher risk",
        material=True,
        changed_at=stated.at,
        changed_by=stated.clinician_id,
    )
    log.add(ChangeKind.TOPIC_MATERIAL, "infection", material=False)
    assert log.state().topic("infection").material is False


def test_a_note_alone_does_not_settle_a_topic() -> None:
    log = Log()
    log.add(ChangeKind.TOPIC_NOTE, "infection", text="asked about it")
    log.add(ChangeKind.TOPIC_MATERIAL, "infection", material=True)
    assert log.state().topic("infection").state is TopicState.NOT_ADDRESSED


@pytest.mark.parametrize(
    ("kind", "attribute"),
    [(ChangeKind.RISK_FACTOR, "risk_factors"), (ChangeKind.MEDICINE, "medicines")],
)
def test_checklists_toggle_on_and_off(kind: ChangeKind, attribute: str) -> None:
    log = Log()
    log.add(kind, "diabetes", present=True)
    log.add(kind, "smoking", present=True)
    assert getattr(log.state(), attribute) == {"diabetes", "smoking"}
    log.add(kind, "diabetes", present=False)
    assert getattr(log.state(), attribute) == {"smoking"}
    log.add(kind, "diabetes", present=False)  # turning off twice is harmless
    log.add(kind, "smoking", present=True)  # and so is on twice
    assert getattr(log.state(), attribute) == {"smoking"}
    other = "medicines" if attribute == "risk_factors" else "risk_factors"
    assert getattr(log.state(), other) == frozenset()


def test_questions_add_edit_in_place_and_remove() -> None:
    log = Log()
    log.add(ChangeKind.QUESTION, "q1", question="Will it hurt?")
    log.add(ChangeKind.QUESTION, "q2", question="How long in hospital?", answer="One night")
    log.add(ChangeKind.QUESTION, "q3", question="Can I drive?")
    assert log.state().questions == (
        Question("q1", "Will it hurt?", ""),
        Question("q2", "How long in hospital?", "One night"),
        Question("q3", "Can I drive?", ""),
    )
    log.add(ChangeKind.QUESTION, "q1", question="Will it hurt after?", answer="A little")
    assert [q.id for q in log.state().questions] == ["q1", "q2", "q3"]
    assert log.state().questions[0] == Question("q1", "Will it hurt after?", "A little")
    log.add(ChangeKind.QUESTION, "q2", removed=True)
    assert [q.id for q in log.state().questions] == ["q1", "q3"]
    log.add(ChangeKind.QUESTION, "q3", question="Can I drive home?", answer="No")
    assert log.state().questions == (
        Question("q1", "Will it hurt after?", "A little"),
        Question("q3", "Can I drive home?", "No"),
    )
    log.add(ChangeKind.QUESTION, "q2", question="Back again")
    assert [q.id for q in log.state().questions] == ["q1", "q3", "q2"]


def test_removing_an_unknown_question_changes_nothing() -> None:
    log = Log()
    log.add(ChangeKind.QUESTION, "q1", question="Will it hurt?")
    before = log.state()
    log.add(ChangeKind.QUESTION, "q9", removed=True)
    assert log.state() == before


def test_details_are_set_and_replaced() -> None:
    log = Log()
    log.add(ChangeKind.DETAIL, Detail.LEVELS.value, value="T12, L1")
    log.add(ChangeKind.DETAIL, Detail.DECISION.value, value=Decision.PROCEED.value)
    log.add(ChangeKind.DETAIL, Detail.CAPACITY.value, value=Capacity.PRESUMED.value)
    log.add(ChangeKind.DETAIL, Detail.LEVELS.value, value="L1")
    state = log.state()
    assert state.detail(Detail.LEVELS) == "L1"
    assert state.decision is Decision.PROCEED
    assert state.capacity is Capacity.PRESUMED
    assert state.detail(Detail.PLACE) == ""


def test_ended_records_the_time() -> None:
    log = Log()
    log.add(ChangeKind.CREATED)
    ended = log.add(ChangeKind.ENDED)
    assert log.state().ended_at == ended.at
    again = log.add(ChangeKind.ENDED)
    assert log.state().ended_at == again.at


def test_every_change_kind_is_handled() -> None:
    values: dict[ChangeKind, tuple[str, dict[str, Any]]] = {
        ChangeKind.CREATED: ("", {}),
        ChangeKind.RESUMED: ("", {}),
        ChangeKind.TOPIC_STATE: ("t", {"state": "discussed"}),
        ChangeKind.TOPIC_NOTE: ("t", {"text": "n"}),
        ChangeKind.TOPIC_MATERIAL: ("t", {"material": True}),
        ChangeKind.RISK_FACTOR: ("r", {"present": True}),
        ChangeKind.MEDICINE: ("m", {"present": True}),
        ChangeKind.QUESTION: ("q", {"question": "?"}),
        ChangeKind.DETAIL: ("place", {"value": "Clinic 4"}),
        ChangeKind.ENDED: ("", {}),
    }
    assert set(values) == set(ChangeKind)
    changed = {
        kind
        for kind, (key, value) in values.items()
        if apply(ConsultationState(), Change(1, kind, key, value, START, 1)) != ConsultationState()
    }
    assert changed == set(ChangeKind) - {ChangeKind.CREATED, ChangeKind.RESUMED}


def test_apply_does_not_change_the_state_it_was_given() -> None:
    log = Log()
    log.add(ChangeKind.TOPIC_STATE, "infection", state="discussed")
    log.add(ChangeKind.DETAIL, "place", value="Clinic 4")
    before = log.state()
    snapshot = replace(before, topics=dict(before.topics), details=dict(before.details))
    change = Change(9, ChangeKind.TOPIC_STATE, "infection", {"state": "declined"}, START, 1)
    after = apply(before, change)
    apply(after, Change(10, ChangeKind.DETAIL, "place", {"value": "Ward"}, START, 1))
    assert before == snapshot
    assert after.topic("infection").state is TopicState.DECLINED


def test_replay_is_a_fold_of_apply() -> None:
    log = Log()
    log.add(ChangeKind.CREATED)
    log.add(ChangeKind.TOPIC_STATE, "a", state="discussed")
    log.add(ChangeKind.RISK_FACTOR, "diabetes", present=True)
    log.add(ChangeKind.QUESTION, "q1", question="?")
    state = ConsultationState()
    for change in log.changes:
        state = apply(state, change)
    assert replay(log.changes) == state
    assert replay(iter(log.changes)) == state


# --- progress ---------------------------------------------------------------


def make_pack() -> ContentPack:
    def topic(topic_id: str, *variants: str) -> Topic:
        return Topic(topic_id, topic_id, ("Text.",), variants=variants)

    return ContentPack(
        id="bkp",
        title="Kyphoplasty",
        procedure="Kyphoplasty",
        info=PackInfo("1", "h", "a", "b", date(2024, 1, 1), date(2025, 1, 1)),
        variants=(Variant("balloon", "Balloon"), Variant("spinejack", "SpineJack")),
        sections=(
            Section("o", SectionKind.OVERVIEW, "O", (topic("what"), topic("steps", "balloon"))),
            Section(
                "r",
                SectionKind.RISKS,
                "R",
                (topic("infection"), topic("burst", "balloon"), topic("jack", "spinejack")),
            ),
        ),
    )


def test_progress_of_a_new_consultation_has_every_topic_open() -> None:
    pack = make_pack()
    for variant in ("balloon", "spinejack"):
        result = progress(pack, variant, ConsultationState())
        expected = tuple(t.id for t in pack.topics_for(variant))
        assert result.settled == 0
        assert result.total == len(expected)
        assert result.open_topic_ids == expected
        assert not result.complete


def test_progress_counts_per_variant() -> None:
    pack = make_pack()
    log = Log()
    log.add(ChangeKind.TOPIC_STATE, "what", state="discussed")
    log.add(ChangeKind.TOPIC_STATE, "burst", state="declined")
    log.add(ChangeKind.TOPIC_STATE, "jack", state="not_applicable", reason="balloon chosen")
    log.add(ChangeKind.TOPIC_NOTE, "infection", text="a note does not settle it")
    state = log.state()

    balloon = progress(pack, "balloon", state)
    assert (balloon.settled, balloon.total, balloon.open_topic_ids) == (
        2,
        4,
        ("steps", "infection"),
    )
    jack = progress(pack, "spinejack", state)
    assert (jack.settled, jack.total, jack.open_topic_ids) == (2, 3, ("infection",))


def test_progress_ignores_topics_outside_the_pack_and_completes() -> None:
    pack = make_pack()
    log = Log()
    log.add(ChangeKind.TOPIC_STATE, "retired_topic", state="discussed")
    for topic_id in ("what", "infection", "jack"):
        log.add(ChangeKind.TOPIC_STATE, topic_id, state="discussed")
    result = progress(pack, "spinejack", log.state())
    assert (result.settled, result.total, result.open_topic_ids) == (3, 3, ())
    assert result.complete


def test_setting_a_topic_back_to_not_addressed_reopens_it() -> None:
    pack = make_pack()
    log = Log()
    for topic_id in ("what", "infection", "jack"):
        log.add(ChangeKind.TOPIC_STATE, topic_id, state="discussed")
    log.add(ChangeKind.TOPIC_STATE, "infection", state="not_addressed")
    result = progress(pack, "spinejack", log.state())
    assert result.open_topic_ids == ("infection",)
    assert not result.complete


def test_state_labels_are_words() -> None:
    assert TopicState.NOT_ADDRESSED.label == "Not yet addressed"
    assert TopicState.DECLINED.label == "Declined by the patient"
    assert all(state.label and state.label != state.value for state in TopicState)
    assert all(d.label for d in Decision)
    assert all(c.label for c in Capacity)
