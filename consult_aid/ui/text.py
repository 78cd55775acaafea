"""How dates, times and states read on screen, in one place."""

from __future__ import annotations

from datetime import date, datetime

from consult_aid.domain.consultation import TopicState


def local_time(moment: datetime) -> str:
    """A stored UTC time as the clinic's wall clock: dd/mm/yyyy HH:MM."""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def uk_date(day: date) -> str:
    """A date as the NHS writes it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


# A mark beside each state so that it never rests on colour alone.
STATE_MARKS = {
    TopicState.NOT_ADDRESSED: "○",
    TopicState.DISCUSSED: "✔",
    TopicState.DECLINED: "✖",
    TopicState.NOT_APPLICABLE: "–",
}

# Colours readable on white with the mark beside them (WCAG AA contrast).
STATE_COLOURS = {
    TopicState.NOT_ADDRESSED: "#5a5a5a",
    TopicState.DISCUSSED: "#1b6e20",
    TopicState.DECLINED: "#8a4b00",
    TopicState.NOT_APPLICABLE: "#2d4f8a",
}


# Short words for the navigator's narrow column; the full label is in its tooltip.
SHORT_LABELS = {
    TopicState.NOT_ADDRESSED: "Open",
    TopicState.DISCUSSED: "Discussed",
    TopicState.DECLINED: "Declined",
    TopicState.NOT_APPLICABLE: "N/A",
}


def state_text(state: TopicState) -> str:
    """The state with its mark, in full."""
    return f"{STATE_MARKS[state]} {state.label}"


def short_state_text(state: TopicState) -> str:
    """The state with its mark, in a word or two (the navigator's column)."""
    return f"{STATE_MARKS[state]} {SHORT_LABELS[state]}"


def error_text(error: BaseException) -> str:
    """A refusal or failure in words a clinician can act on."""
    from consult_aid.domain.errors import InvalidInput

    if isinstance(error, InvalidInput):
        return " ".join(error.problems.values())
    return str(error) or type(error).__name__
