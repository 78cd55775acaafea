"""The shape of a pack file, as pydantic models (structure and types only).

Rules that look across the pack (unique ids, sources that exist, figures
between 0 and 1, a section for every kind) live in ``pack_rules`` so that they
are reported together with these, even when part of the file is malformed.
Every model forbids unknown fields: a misspelt ``severty:`` must not vanish.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from consult_aid.domain.content import SectionKind, Severity
from consult_aid.domain.frequency import Comparator, FigureKind

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
NOT_BLANK_PATTERN = r"\S"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_from_text(value: Any) -> Any:
    """Accept a quoted "2026-11-20" as well as a bare YAML date; leave anything else."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(pattern=NOT_BLANK_PATTERN)]
Version = Annotated[str, Field(pattern=VERSION_PATTERN)]
# Strict dates would refuse quoted text; the validator turns real ISO text into a date first.
PackDate = Annotated[date, BeforeValidator(date_from_text)]
# Enums arrive from YAML as text, which strict mode would refuse.
SeverityField = Annotated[Severity, Strict(False)]
SectionKindField = Annotated[SectionKind, Strict(False)]
ComparatorField = Annotated[Comparator, Strict(False)]
FigureKindField = Annotated[FigureKind, Strict(False)]


class _Strict(BaseModel):
    """Unknown fields are errors; numbers must be numbers and text must be text."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FigureSchema(_Strict):
    """A quoted frequency: ``numerator`` (to ``numerator_high``) in ``denominator``."""

    label: Text
    numerator: int
    denominator: int
    numerator_high: int | None = None
    comparator: ComparatorField
    kind: FigureKindField
    population: str = ""
    period: str = ""
    source: Id | None = None


class TopicSchema(_Strict):
    """One thing to discuss and settle."""

    id: Id
    title: Text
    paragraphs: Annotated[list[Text], Field(min_length=1)]
    variants: list[Id] = []
    severity: SeverityField | None = None
    figures: list[FigureSchema] = []
    frequency_note: str = ""
    sources: list[Id] = []


class SectionSchema(_Strict):
    """A group of topics."""

    id: Id
    kind: SectionKindField
    title: Text
    intro: str = ""
    topics: Annotated[list[TopicSchema], Field(min_length=1)]


class VariantSchema(_Strict):
    """A variant of the procedure."""

    id: Id
    name: Text
    description: str = ""


class SourceSchema(_Strict):
    """A published source."""

    id: Id
    citation: Text
    url: str | None = None


class ChecklistSchema(_Strict):
    """A risk factor or a medicine the surgeon can tick, with what to tell the patient."""

    id: Id
    label: Text
    advice: Text


class PackSchema(_Strict):
    """A whole pack file."""

    id: Id
    title: Text
    procedure: Text
    version: Version
    author: Text
    approver: Text
    approved_on: PackDate
    review_due: PackDate
    variants: Annotated[list[VariantSchema], Field(min_length=1)]
    sources: list[SourceSchema] = []
    risk_factors: list[ChecklistSchema] = []
    medicines: list[ChecklistSchema] = []
    sections: Annotated[list[SectionSchema], Field(min_length=1)]
