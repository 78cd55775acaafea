"""Reading clinic-list CSVs: good files, every kind of bad row by line and column, file faults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from consult_aid.clinic_list.reader import ClinicListError, read_clinic_list_file
from consult_aid.clinic_list.uk_dates import NotADate, parse_uk_date

TODAY = date(2026, 11, 25)
HEADER = "name,date_of_birth,nhs_number,hospital_number,clinic_date,surgeon\n"


def _file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "clinic.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_good_file_gives_every_row_cleaned(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        HEADER
        + "Zoë Łukasiewicz,14/03/1941,999 000 0018,rx1,02/12/2026,Mr Sam Demo\n"
        + '"Smith, Ann",1941-04-03,9990000026,,2026-12-02,  Ms  Ada Jones \n',
    )
    read = read_clinic_list_file(path, TODAY)
    assert read.problems == []
    assert [row.line for row in read.rows] == [2, 3]
    first, second = read.rows
    assert first.draft is not None
    assert first.draft.name == "Zoë Łukasiewicz"
    assert first.draft.nhs_number == "9990000018"
    assert first.draft.hospital_number == "RX1"
    assert first.clinic_date == date(2026, 12, 2)
    assert second.draft is not None
    assert second.draft.name == "Smith, Ann"
    assert second.surgeon == "Ms Ada Jones"


def test_headers_are_matched_whatever_their_case_and_common_aliases(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "Patient Name,D.O.B.,NHS No.,MRN,Appointment Date,Consultant,Notes\n"
        "Ann Smith,03/04/1941,9990000026,RX2,02/12/2026,Mr Demo,ignored\n",
    )
    read = read_clinic_list_file(path, TODAY)
    assert read.problems == []
    assert read.rows[0].surgeon == "Mr Demo"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = _file(
        tmp_path, HEADER + "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo\n", "utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    read = read_clinic_list_file(path, TODAY)
    assert read.problems == []
    assert len(read.good_rows) == 1


def test_each_bad_cell_is_reported_by_line_and_column(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "Name,DOB,NHS number,Hospital number,Clinic date,Surgeon\n"
        "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo\n"
        ",31/02/1950,9990000019,RX 1,someday,\n"
        "Bob Jones,01/01/2030,123,,02/12/2026,Mr Demo\n",
    )
    read = read_clinic_list_file(path, TODAY)
    found = {(p.line, p.column): p.message for p in read.problems}
    assert found[(3, "Name")] == "Enter the patient's name."
    assert "not a real date" in found[(3, "DOB")]
    assert "check digit" in found[(3, "NHS number")]
    assert "hospital number" in found[(3, "Hospital number")].lower()
    assert "not a date" in found[(3, "Clinic date")]
    assert found[(3, "Surgeon")] == "Enter the surgeon."
    assert found[(4, "DOB")] == "The date of birth is in the future."
    assert "10 digits" in found[(4, "NHS number")]
    assert [row.line for row in read.good_rows] == [2]
    assert str(read.problems[0]).startswith("line 3, column 'Name': ")


def test_a_repeated_nhs_number_is_reported_on_every_line_holding_it(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        HEADER
        + "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo\n"
        + "Zoë Łukasiewicz,14/03/1941,9990000018,,02/12/2026,Mr Demo\n"
        + "Anne Smyth,03/04/1941,999 000 0026,,02/12/2026,Mr Demo\n",
    )
    read = read_clinic_list_file(path, TODAY)
    messages = {problem.line: problem.message for problem in read.problems}
    assert set(messages) == {2, 4}
    assert "also on line 4" in messages[2]
    assert "also on line 2" in messages[4]
    assert [row.line for row in read.good_rows] == [3]


def test_windows_1252_text_is_refused_naming_the_line_and_the_encoding(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        HEADER
        + "Ann Smith,03/04/1941,9990000026,,02/12/2026,Mr Demo\n"
        + "Zoë Lukasiewicz,14/03/1941,9990000018,,02/12/2026,Mr Demo\n",
        "cp1252",
    )
    with pytest.raises(ClinicListError) as caught:
        read_clinic_list_file(path, TODAY)
    assert caught.value.line == 3
    message = str(caught.value)
    assert "not UTF-8" in message
    assert "line 3" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_file_is_refused_clearly(tmp_path: Path, text: str) -> None:
    with pytest.raises(ClinicListError, match="is empty"):
        read_clinic_list_file(_file(tmp_path, text), TODAY)


def test_a_header_without_rows_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ClinicListError, match="header but no patients"):
        read_clinic_list_file(_file(tmp_path, HEADER + ",,,,,\n"), TODAY)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = _file(tmp_path, "name,nhs_number,clinic_date\nAnn Smith,9990000026,02/12/2026\n")
    with pytest.raises(ClinicListError) as caught:
        read_clinic_list_file(path, TODAY)
    assert "date_of_birth, hospital_number, surgeon" in str(caught.value)
    assert caught.value.line == 1


def test_a_multi_line_cell_keeps_later_line_numbers_right(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        HEADER
        + 'Ann Smith,03/04/1941,9990000026,,02/12/2026,"Mr Demo\nand team"\n'
        + "Bob Jones,03/04/1941,123,,02/12/2026,Mr Demo\n",
    )
    read = read_clinic_list_file(path, TODAY)
    assert [row.line for row in read.rows] == [2, 4]
    assert read.problems[0].line == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/1941", date(1941, 3, 14)),
        ("4/3/1941", date(1941, 3, 4)),
        ("14-03-1941", date(1941, 3, 14)),
        ("14.03.1941", date(1941, 3, 14)),
        ("1941-03-14", date(1941, 3, 14)),
        ("14/03/41", date(1941, 3, 14)),
        ("14 Mar 1941", date(1941, 3, 14)),
        ("14-March-1941", date(1941, 3, 14)),
        ("14/03/1941 00:00", date(1941, 3, 14)),
        ("24/11/26", date(2026, 11, 24)),
        ("26/11/26", date(1926, 11, 26)),
    ],
)
def test_uk_dates_of_birth(text: str, expected: date) -> None:
    assert parse_uk_date(text, TODAY, birth=True) == expected


def test_a_two_digit_year_never_gives_a_future_birth_but_gives_a_near_clinic() -> None:
    for year in range(100):
        born = parse_uk_date(f"31/12/{year:02d}", TODAY, birth=True)
        assert born <= TODAY
        assert born.year % 100 == year
    assert parse_uk_date("02/12/26", TODAY, birth=False) == date(2026, 12, 2)


@pytest.mark.parametrize(
    "text", ["31/02/1950", "13/13/1950", "1950", "03/04", "tomorrow", "12/3/195"]
)
def test_things_that_are_not_dates_are_refused(text: str) -> None:
    with pytest.raises(NotADate):
        parse_uk_date(text, TODAY, birth=True)
