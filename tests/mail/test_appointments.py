"""Reading appointments exports: each problem of a file or a row is one exact line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, make_release_ready

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password"
GOOD = "A-{},Pat Example,pat{}@example.org,en,HSG,2027-03-12,09:30,Clinic room 2,,"


@pytest.fixture
def project(project: Path) -> Path:
    """The sample project signed off, as a clinic mails it: drafts are refused (test_drafts.py)."""
    make_release_ready(project)
    return project


def good(i: int) -> str:
    return GOOD.format(i, i)


def run(cli, project: Path, data: bytes | str, name: str = "a.csv"):
    path = project / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return cli("-C", project, "mail", path, "--dry-run", "--today", "2027-01-01"), path


def test_a_ragged_row_is_skipped_and_the_others_go_on(cli, project: Path) -> None:
    result, _ = run(
        cli, project, f"{HEADER}\n{good(1)}\nA-2,Surname, Given,p@example.org,en,HSG,2027-03-12,09:30,Room,,\n{good(3)}\n"
    )
    assert result.exit_code == 1
    assert "skipped row 3 (appointment A-2): 11 values where the header has 10 columns (a value holding a ',' needs quotes)" in (
        result.output
    )
    assert "3 read: 2 would send, 0 sent, 0 already sent, 1 skipped" in result.output


def test_an_unbalanced_quote_that_swallows_the_next_row_is_reported(cli, project: Path) -> None:
    swallowing = 'A-2,"Pat Example,pat2@example.org,en,HSG,2027-03-12,09:30,Room,,'
    closing = 'A-3,Pat",pat3@example.org,en,HSG,2027-03-12,09:30,Room,,'
    result, _ = run(cli, project, f"{HEADER}\n{good(1)}\n{swallowing}\n{closing}\n{good(4)}\n")
    assert result.exit_code == 1
    assert (
        "skipped row 3 (appointment A-2): a quoted value runs from line 3 to line 4: a value may not hold a line break"
        " (close its quote, or remove the break, in the export)"
    ) in result.output
    assert "would send appointment A-4" in result.output
    assert "3 read: 2 would send, 0 sent, 0 already sent, 1 skipped" in result.output


def test_a_quote_never_closed_is_reported_with_its_lines(cli, project: Path) -> None:
    result, _ = run(cli, project, f'{HEADER}\n{good(1)}\nA-2,"Pat,p@example.org\n{good(3)}\n')
    assert result.exit_code == 1
    assert "skipped row 3: lines 3-4 cannot be read (unexpected end of data): check the quotes on line 3" in result.output
    # The rows it ran over are each reported by their own id: the front desk knows whom to call.
    assert "skipped row 4 (appointment A-3): a quote left open on line 3 runs over this row (close it in the export)" in (
        result.output
    )
    assert "3 read: 1 would send, 0 sent, 0 already sent, 2 skipped" in result.output


def test_a_semicolon_separated_file_says_so(cli, project: Path) -> None:
    result, path = run(cli, project, HEADER.replace(",", ";") + "\n" + good(1).replace(",", ";") + "\n")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{path}:1: looks like ';'-separated (export as CSV with commas, or set 'appointment_format' in content/clinic.yaml)"
    )
    edit(project / "content" / "clinic.yaml", "appointment_format: comma", "appointment_format: semicolon")
    assert "1 read: 1 would send" in cli("-C", project, "mail", path, "--dry-run", "--today", "2027-01-01").output


def test_a_windows_1252_file_asks_for_utf8(cli, project: Path) -> None:
    data = f"{HEADER}\n{good(1)}\nA-2,Lucía Pérez,l@example.org,es,HSG,2027-03-12,09:30,Room,,\n".encode("cp1252")
    result, path = run(cli, project, data)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f'{path}:3: not UTF-8 text (byte 0xED): it looks like Windows-1252 (save it as UTF-8 (in Excel: "CSV UTF-8"))'
    )


@pytest.mark.parametrize("data", ["", "\n\n  \n"])
def test_an_empty_file(cli, project: Path, data: str) -> None:
    result, path = run(cli, project, data)
    assert result.exit_code == 1
    assert result.output.strip() == f"{path}: the file is empty (export the appointments with a header row)"


def test_a_missing_column_is_named_once(cli, project: Path) -> None:
    rows = "\n".join(good(i).rsplit(",", 3)[0].replace(",Pat Example", "") for i in range(1, 5))
    result, path = run(cli, project, HEADER.replace(",patient_name", "") + "\n" + rows + "\n")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:1: no column 'patient_name' (columns found: appointment_id, date,")


def test_a_missing_key_in_every_json_object_is_named_once(cli, project: Path) -> None:
    item = '{"appointment_id": "J-%d", "email": "p@example.org", "language": "en", "procedure": "HSG", '
    item += '"date": "2027-03-12", "time": "09:30", "location": "Room"}'
    result, path = run(cli, project, "[" + ", ".join(item % i for i in range(3)) + "]", "a.json")
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"{path}:1: no column 'patient_name'")


def test_an_unknown_status_word_is_a_row_error(cli, project: Path) -> None:
    result, _ = run(cli, project, f"{HEADER},status\n{good(1)},Booked\n{good(2)},maybe\n")
    assert result.exit_code == 1
    assert (
        "skipped row 3 (appointment A-2): unknown status 'maybe' "
        "(expected one of: booked, cancelled, confirmed; or map it in appointment_status)"
    ) in result.output


def test_an_unknown_time_zone_in_the_profile(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", "timezone: Europe/London", "timezone: Europe/Londn")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    line = (project / "content" / "clinic.yaml").read_text().splitlines().index("timezone: Europe/Londn") + 1
    assert f"clinic.yaml:{line}: unknown time zone 'Europe/Londn' (use an IANA name like Europe/London)" in result.output


@pytest.mark.parametrize("date", ["2207-03-12", "9999-12-31", "2032-01-02"])
def test_a_date_years_ahead_is_taken_for_a_mistyped_year(cli, project: Path, date: str) -> None:
    result, _ = run(cli, project, f"{HEADER}\n{good(1)}\n{good(2).replace('2027-03-12', date)}\n")
    assert result.exit_code == 1
    assert "skipped row 3 (appointment A-2): the appointment date is more than 5 years ahead: is the year right?" in result.output
    assert "2 read: 1 would send" in result.output


def test_a_date_five_years_ahead_is_mailed(cli, project: Path) -> None:
    result, _ = run(cli, project, f"{HEADER}\n{good(1).replace('2027-03-12', '2032-01-01')}\n")
    assert result.exit_code == 0, result.output
    assert "1 read: 1 would send" in result.output


def test_a_column_given_twice_is_refused_before_anything_is_sent(cli, project: Path) -> None:
    # Which of two 'email' columns is the patient's? Guessing could send to the wrong person.
    result, path = run(cli, project, f"{HEADER},email\n{good(1)},other@example.org\n")
    assert result.exit_code == 1
    assert (
        result.output.strip() == f"{path}:1: the column 'email' appears twice in the header (columns 3 and 11) (export it once)"
    )


JSON_ITEM = (
    '{"appointment_id": %s, "patient_name": %s, "email": "p@example.org", "language": "en", "procedure": "HSG", '
    '"date": "2027-03-12", "time": "09:30", "location": "Room", "notes": %s}'
)
NUMBERED_ID = JSON_ITEM % (7, '"Pat"', "null")
TWICE = JSON_ITEM % ('"J-1"', '"Pat"', '"x", "email": "other@example.org"')


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            JSON_ITEM % ('"J-1"', '"Pat"', '"x", "email": "other@example.org"'),
            "the key 'email' appears twice (which is meant?): give it once",
        ),
        (
            JSON_ITEM % ('"J-1"', '{"first": "Pat", "last": "Example"}', "null"),
            "'patient_name' is an object, not text: export it as text",
        ),
        (JSON_ITEM % ('"J-1"', '"Pat"', '["bring", "letter"]'), "'notes' is a list, not text: export it as text"),
        (JSON_ITEM % ('"J-1"', '"Pat"', "true"), "'notes' is true or false, not text: export it as text"),
        (JSON_ITEM % ('"J-1"', '"Pat"', "NaN"), "'notes' is a number with a fraction, not text: export it as text"),
    ],
)
def test_a_json_value_that_is_not_text_is_a_row_error(cli, project: Path, item: str, problem: str) -> None:
    result, _ = run(cli, project, f"[{item}, {NUMBERED_ID}]", "a.json")
    assert result.exit_code == 1
    assert f"skipped row 1 (appointment J-1): {problem}" in result.output
    assert "would send appointment 7" in result.output  # a whole number is an id as its digits
    assert "2 read: 1 would send" in result.output


@pytest.mark.parametrize(
    ("data", "problem"),
    [("[" * 100_000 + "]" * 100_000, "lists or objects nested too deeply"), ("[" + "9" * 5000 + "]", "a number is too long")],
)
def test_json_no_reader_takes_is_one_line(cli, project: Path, data: str, problem: str) -> None:
    result, path = run(cli, project, data, "a.json")
    assert result.exit_code == 1
    assert result.output.strip() == f"{path}: not valid JSON: {problem}"


@pytest.mark.parametrize("column", ["patient_name", "location", "notes"])
@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_unicode_line_separator_is_a_line_break(cli, project: Path, column: str, separator: str) -> None:
    # Headers, the invitation and the text body would break the line there.
    row = good(1).split(",")
    row[HEADER.split(",").index(column)] = f"X-ray{separator}BEGIN:VALARM"
    result, _ = run(cli, project, f"{HEADER}\n{','.join(row)}\n{good(2)}\n")
    assert result.exit_code == 1
    assert f"skipped row 2 (appointment A-1): '{column}' holds a line break" in result.output


@pytest.mark.parametrize("time", ["09:30+05:00", "09:30Z", "09:30:45", "0930", "24:00", "9.30"])
def test_a_time_with_seconds_or_a_zone_is_a_row_error(cli, project: Path, time: str) -> None:
    # A time is the clinic's clock: a zone would be dropped silently, seconds shown in one place only.
    result, _ = run(cli, project, f"{HEADER}\n{good(1).replace('09:30', time)}\n")
    assert result.exit_code == 1
    assert "skipped row 2 (appointment A-1): 'time' is not a time like 09:30 (the clinic's clock, no seconds or time zone)" in (
        result.output
    )


def test_a_time_the_clocks_skip_is_a_row_error(cli, project: Path) -> None:
    # Europe/London goes from 01:00 to 02:00 on 28 March 2027; 9:05 is a time, written short.
    rows = [good(1).replace("2027-03-12,09:30", "2027-03-28,01:30"), good(2).replace("09:30", "9:05")]
    result, _ = run(cli, project, f"{HEADER}\n" + "\n".join(rows) + "\n")
    assert result.exit_code == 1
    assert (
        "skipped row 2 (appointment A-1): 01:30 on 2027-03-28 is not on the clinic's clock"
        " (the clocks go forward): check the time"
    ) in result.output
    assert "would send appointment A-2" in result.output


def test_a_password_longer_than_a_pdf_takes_is_a_row_error(cli, project: Path) -> None:
    # AES-256 PDF encryption reads 127 bytes of a password: a longer one made a file nobody could open.
    rows = [good(1) + "x" * 127, good(2) + "é" * 64]
    result, _ = run(cli, project, f"{HEADER}\n" + "\n".join(rows) + "\n")
    assert result.exit_code == 1
    assert "would send appointment A-1" in result.output
    assert (
        "skipped row 3 (appointment A-2): 'pdf_password' is longer than a PDF password can be (127 bytes): use a shorter one"
    ) in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_asks_for_utf8(cli, project: Path, encoding: str) -> None:
    result, path = run(cli, project, f"{HEADER}\n{good(1)}\n".encode(encoding))
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f'{path}:1: not UTF-8 text: it looks like UTF-16 ("Unicode text") (save it as UTF-8 (in Excel: "CSV UTF-8"))'
    )


def test_a_column_differing_in_capitals_or_spaces_is_named(cli, project: Path) -> None:
    header = HEADER.replace("patient_name", "Patient_Name").replace(",email,", ", email,")
    result, path = run(cli, project, f"{header}\n{good(1)}\n")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{path}:1: no column 'patient_name' (the column 'Patient_Name' is not 'patient_name': names match exactly,"
        " so rename it, or map it in appointment_columns)",
        f"{path}:1: no column 'email' (the column ' email' is not 'email': names match exactly,"
        " so rename it, or map it in appointment_columns)",
        "2 problems found.",
    ]


def test_excels_separator_line_is_read(cli, project: Path) -> None:
    # Excel may write "sep=," before the header: it names the separator, it is not the header.
    result, _ = run(cli, project, f"sep=,\n{HEADER}\n{good(1)}\n")
    assert result.exit_code == 0, result.output
    assert "1 read: 1 would send" in result.output
    result, path = run(cli, project, f"sep=;\n{HEADER.replace(',', ';')}\n{good(1).replace(',', ';')}\n")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{path}:1: says its separator is ';' (export as CSV with commas, or set 'appointment_format' in content/clinic.yaml)"
    )
