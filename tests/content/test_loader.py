"""Tests for consult_aid.content.loader: good packs load, bad ones say where and why.

Bad packs are made by changing a copy of the bundled pack, so these tests stay
true as the pack grows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from consult_aid.content.loader import PackError, PackProblem, load_pack_file, load_pack_text
from consult_aid.paths import procedures_dir

BUNDLED = procedures_dir() / "balloon-kyphoplasty.yaml"


@pytest.fixture
def pack_data() -> dict[str, Any]:
    """A fresh copy of the bundled pack's data, free to change."""
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(data: dict[str, Any], folder: Path) -> Path:
    path = folder / "edited-pack.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_in(data: dict[str, Any], folder: Path) -> list[PackProblem]:
    """Write the data, load it, and return every problem (failing if it loads)."""
    path = write(data, folder)
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    problems = caught.value.problems
    assert problems
    assert all(p.file == str(path) for p in problems)
    return problems


def only(problems: list[PackProblem], words: str) -> PackProblem:
    """The one problem whose text holds ``words``."""
    found = [p for p in problems if words in p.problem]
    assert len(found) == 1, f"expected one problem with {words!r} in {problems}"
    return found[0]


def topic_at(data: dict[str, Any], topic_id: str) -> tuple[str, dict[str, Any]]:
    """A topic's readable place (as a clinician would be shown it) and its data."""
    for s_index, section in enumerate(data["sections"]):
        for t_index, topic in enumerate(section["topics"]):
            if topic["id"] == topic_id:
                place = f"sections[{s_index}] ({section['id']}).topics[{t_index}] ({topic_id})"
                return place, topic
    raise AssertionError(topic_id)


def line_of(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def reported_line(place: str) -> int:
    assert "(line " in place, place
    return int(place.rsplit("(line ", 1)[1].rstrip(")"))


# --- files that are not packs at all -------------------------------------------------


def test_missing_file_is_a_pack_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert "cannot be read" in problem.problem


@pytest.mark.parametrize("text", ["", "\n\n   \n", "# only a comment\n"])
def test_empty_file_says_so(text: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, "empty.yaml")
    (problem,) = caught.value.problems
    assert problem.file == "empty.yaml"
    assert "empty" in problem.problem


@pytest.mark.parametrize(("text", "seen"), [("- a\n- b\n", "a list"), ("just words\n", "text")])
def test_top_level_must_be_a_mapping(text: str, seen: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, "odd.yaml")
    (problem,) = caught.value.problems
    assert problem.place == "top level"
    assert "top level must be a block of fields" in problem.problem
    assert seen in problem.problem


def test_non_utf8_file_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: ok\nauthor: Zoë\n".encode("latin-1"))
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    (problem,) = caught.value.problems
    assert problem.place == "line 3"
    assert "not UTF-8" in problem.problem
    assert "0xeb" in problem.problem


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    at = lines.index("sections:") + 1
    lines.insert(at, "  - id: [overview")
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    (problem,) = caught.value.problems
    assert problem.place.startswith("line ")
    assert ", column " in problem.place
    line = int(problem.place.split()[1].rstrip(","))
    # The parser notices the unclosed bracket at or just after the bad line.
    assert at + 1 <= line <= at + 2
    assert "not valid YAML" in problem.problem


def test_duplicate_yaml_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("version:")) + 1
    lines.insert(first, 'version: "9.9.9"')
    path = tmp_path / "twice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    problem = only(caught.value.problems, "given twice")
    assert problem.place == f"line {first + 1}, column 1"
    assert "'version'" in problem.problem
    assert f"first on line {first}" in problem.problem


# --- schema problems -----------------------------------------------------------------


def test_unknown_band_field_says_bands_are_derived(
    pack_data: dict[str, Any], tmp_path: Path
) -> None:
    place, infection = topic_at(pack_data, "infection")
    infection["figures"][0]["band"] = "uncommon"
    problem = only(problems_in(pack_data, tmp_path), "unknown field 'band'")
    assert problem.place.startswith(f"{place}.figures[0].band (line ")
    assert problem.problem == "unknown field 'band': bands are derived from the number, remove it"
    assert line_of(tmp_path / "edited-pack.yaml", reported_line(problem.place)).strip() == (
        "band: uncommon"
    )


def test_unknown_field_lists_the_allowed_ones(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, bleeding = topic_at(pack_data, "bleeding")
    bleeding["severty"] = bleeding.pop("severity")
    problems = problems_in(pack_data, tmp_path)
    problem = only(problems, "unknown field 'severty'")
    assert problem.place.startswith(f"{place}.severty")
    assert "severity" in problem.problem.split("allowed here:")[1]
    # The misspelling also leaves the risk without a severity.
    assert only(problems, "needs a severity").place.startswith(f"{place}.severity")


def test_frequency_without_denominator(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, infection = topic_at(pack_data, "infection")
    del infection["figures"][1]["denominator"]
    problem = only(problems_in(pack_data, tmp_path), "needs a denominator")
    assert problem.place.startswith(f"{place}.figures[1].denominator")
    assert problem.problem.startswith("a frequency needs a denominator")


@pytest.mark.parametrize("value", [0.5, "six", True])
def test_numerator_must_be_a_whole_number(
    pack_data: dict[str, Any], tmp_path: Path, value: object
) -> None:
    place, infection = topic_at(pack_data, "infection")
    infection["figures"][0]["numerator"] = value
    problem = only(problems_in(pack_data, tmp_path), "whole number")
    assert problem.place.startswith(f"{place}.figures[0].numerator")


def test_version_must_be_quoted_text(pack_data: dict[str, Any], tmp_path: Path) -> None:
    pack_data["version"] = 1.0
    problem = only(problems_in(pack_data, tmp_path), "version")
    assert problem.place.startswith("version")
    assert "the number 1.0" in problem.problem


def test_version_must_look_like_major_minor_patch(
    pack_data: dict[str, Any], tmp_path: Path
) -> None:
    pack_data["version"] = "first"
    problem = only(problems_in(pack_data, tmp_path), "not a version")
    assert problem.place.startswith("version")


def test_topic_id_must_be_kebab_case(pack_data: dict[str, Any], tmp_path: Path) -> None:
    _, topic = topic_at(pack_data, "cement-leakage")
    topic["id"] = "Cement_Leakage"
    problem = only(problems_in(pack_data, tmp_path), "not a valid id")
    assert "(Cement_Leakage).id" in problem.place
    assert "lowercase words joined by hyphens" in problem.problem


def test_bad_severity_lists_the_allowed_values(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "dvt")
    topic["severity"] = "high"
    problem = only(problems_in(pack_data, tmp_path), "'high'")
    assert problem.place.startswith(f"{place}.severity")
    assert "'minor', 'moderate' or 'serious'" in problem.problem


@pytest.mark.parametrize("bad", ["2026-02-30", "20 November 2026", 20261120])
def test_bad_date(pack_data: dict[str, Any], tmp_path: Path, bad: object) -> None:
    pack_data["approved_on"] = bad
    problem = only(problems_in(pack_data, tmp_path), "not a real date")
    assert problem.place.startswith("approved_on (line ")
    assert "YYYY-MM-DD" in problem.problem


def test_quoted_iso_date_is_accepted(pack_data: dict[str, Any], tmp_path: Path) -> None:
    pack_data["approved_on"] = "2026-11-21"
    pack = load_pack_file(write(pack_data, tmp_path))
    assert pack.info.approved_on.isoformat() == "2026-11-21"


# --- rules across the pack ----------------------------------------------------------


def test_duplicate_topic_id_across_sections(pack_data: dict[str, Any], tmp_path: Path) -> None:
    first_place, _ = topic_at(pack_data, "infection")
    second_place, lifestyle = topic_at(pack_data, "lifestyle")
    lifestyle["id"] = "infection"
    problem = only(problems_in(pack_data, tmp_path), "used twice")
    assert problem.place.startswith(second_place.replace("(lifestyle)", "(infection)") + ".id")
    assert "'infection'" in problem.problem
    assert "unique across the pack" in problem.problem
    # The message points back at the first use, by position.
    assert first_place.replace(" (risks)", "").replace(" (infection)", "") in problem.problem


def test_duplicate_section_id(pack_data: dict[str, Any], tmp_path: Path) -> None:
    pack_data["sections"][1]["id"] = pack_data["sections"][0]["id"]
    problem = only(problems_in(pack_data, tmp_path), "section id")
    assert problem.place.startswith("sections[1]")


@pytest.mark.parametrize(
    ("numerator", "high", "words"),
    [
        (120, None, "probability above 1: 120 in 100"),
        (-1, None, "probability below 0: -1 in 100"),
        (10, 135, "probability above 1: 135 in 100"),
        (30, 20, "the top of the range (20) is below its bottom (30)"),
    ],
)
def test_probability_outside_0_to_1(
    pack_data: dict[str, Any],
    tmp_path: Path,
    numerator: int,
    high: int | None,
    words: str,
) -> None:
    place, topic = topic_at(pack_data, "adjacent-level-fracture")
    figure = topic["figures"][0]
    figure.update(numerator=numerator, numerator_high=high, denominator=100)
    problem = only(problems_in(pack_data, tmp_path), words)
    assert problem.place.startswith(f"{place}.figures[0].numerator")


def test_denominator_must_be_more_than_zero(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "infection")
    topic["figures"][0]["denominator"] = 0
    problem = only(problems_in(pack_data, tmp_path), "denominator must be more than 0")
    assert problem.place.startswith(f"{place}.figures[0].denominator")


def test_missing_section(pack_data: dict[str, Any], tmp_path: Path) -> None:
    pack_data["sections"] = [s for s in pack_data["sections"] if s["kind"] != "alternatives"]
    problem = only(problems_in(pack_data, tmp_path), "no section of kind")
    assert problem.place.startswith("sections")
    assert "'alternatives'" in problem.problem


def test_unknown_source_in_a_figure(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "cement-leakage")
    topic["figures"][0]["source"] = "made-up-study"
    problem = only(problems_in(pack_data, tmp_path), "unknown source")
    assert problem.place.startswith(f"{place}.figures[0].source")
    assert "'made-up-study'" in problem.problem


def test_unknown_source_in_a_topic(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "vertebroplasty")
    topic["sources"] = ["made-up-study"]
    problem = only(problems_in(pack_data, tmp_path), "unknown source")
    assert problem.place.startswith(f"{place}.sources[0]")


def test_published_figure_needs_a_source(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "cement-leakage")
    del topic["figures"][2]["source"]
    problem = only(problems_in(pack_data, tmp_path), "needs a source")
    assert problem.place.startswith(f"{place}.figures[2].source")


def test_surgeon_figure_needs_no_source(pack_data: dict[str, Any], tmp_path: Path) -> None:
    _, topic = topic_at(pack_data, "overall-complications")
    assert topic["figures"][0]["kind"] == "surgeon"
    topic["figures"][0].pop("source", None)
    assert load_pack_file(write(pack_data, tmp_path)).has_topic("overall-complications")


def test_unknown_variant(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "spinejack-instead")
    topic["variants"] = ["kyphon"]
    problem = only(problems_in(pack_data, tmp_path), "unknown variant")
    assert problem.place.startswith(f"{place}.variants[0]")
    assert "'kyphon'" in problem.problem


def test_review_due_before_approved_on(pack_data: dict[str, Any], tmp_path: Path) -> None:
    pack_data["review_due"] = "2025-01-01"
    problem = only(problems_in(pack_data, tmp_path), "before the approval date")
    assert problem.place.startswith("review_due")
    assert "2025-01-01" in problem.problem


def test_risk_without_figures_or_note(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "bleeding")
    topic.pop("figures", None)
    del topic["frequency_note"]
    problem = only(problems_in(pack_data, tmp_path), "frequency_note")
    assert problem.place.startswith(place)


def test_severity_outside_risks(pack_data: dict[str, Any], tmp_path: Path) -> None:
    place, topic = topic_at(pack_data, "hospital-stay")
    topic["severity"] = "minor"
    problem = only(problems_in(pack_data, tmp_path), "severity is only for")
    assert problem.place.startswith(f"{place}.severity")


def test_every_problem_is_reported_together(pack_data: dict[str, Any], tmp_path: Path) -> None:
    _, infection = topic_at(pack_data, "infection")
    infection["figures"][0]["band"] = "uncommon"
    _, topic = topic_at(pack_data, "adjacent-level-fracture")
    topic["figures"][0]["numerator_high"] = 350
    pack_data["review_due"] = "2020-01-01"
    _, lifestyle = topic_at(pack_data, "lifestyle")
    lifestyle["id"] = "allergies"
    problems = problems_in(pack_data, tmp_path)
    for words in ("'band'", "probability above 1", "before the approval date", "used twice"):
        only(problems, words)


# --- good packs ------------------------------------------------------------------------


def test_hash_is_sha256_of_the_exact_text() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    pack = load_pack_file(BUNDLED)
    assert pack.info.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert load_pack_text(text, "again").info.content_hash == pack.info.content_hash


def test_hash_changes_when_one_character_changes() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    changed = text.replace("one day.", "one day!", 1)
    assert changed != text
    assert (
        load_pack_text(changed, "changed").info.content_hash
        != load_pack_text(text, "original").info.content_hash
    )


def test_problem_and_error_text() -> None:
    first = PackProblem("a.yaml", "version (line 4)", "not a version")
    second = PackProblem("a.yaml", "top level", "the file is empty")
    assert str(first) == "a.yaml: version (line 4): not a version"
    error = PackError([first, second])
    assert str(error).splitlines() == [str(first), str(second)]
    assert error.problems == [first, second]


def test_origin_names_the_file_in_problems() -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text("id: x\n", "from-memory")
    assert all(p.file == "from-memory" for p in caught.value.problems)
    assert all(str(p).startswith("from-memory: ") for p in caught.value.problems)
