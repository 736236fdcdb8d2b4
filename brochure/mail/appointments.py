"""Read appointments exported by a scheduling system (CSV or JSON) and check
each row, so that every row ends up either as an appointment or as a reason.

A file that cannot be read as a whole (not UTF-8, empty, the wrong separator,
a missing column) is a Problem naming the file. A bad row is reported by its
row number and appointment id, never by the patient's name or address, and
the other rows go on, as a skipped Outcome. For CSV, a row's number is the line
it starts on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import unicodedata
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem
from ..model import AppointmentFormat, Project
from .addresses import AddressError, EmailAddress, parse_address
from .report import BAD_ROW, PAST, SKIPPED, Outcome

FIELDS = ("id", "name", "email", "language", "procedure", "date", "time", "location", "notes", "password", "status")
REQUIRED = ("id", "name", "email", "language", "procedure", "date", "time", "location")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Embeddings, overrides and isolates would break the isolation of a name in right-to-left text.
YEARS_AHEAD = 5  # an appointment further ahead is taken for a mistyped year
STDIN = Path("-")  # appointments read from standard input
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NOT_UTF8_HINT = 'save it as UTF-8 (in Excel: "CSV UTF-8")'
SEPARATOR_HINT = "export as CSV with commas, or set 'appointment_format' in content/clinic.yaml"
LINE_BREAKS = "\r\n\u2028\u2029"  # and the controls that break lines (Cc)
TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
MAX_PASSWORD = 127  # bytes of UTF-8: what AES-256 PDF encryption (ISO 32000-2 7.6.4.3.3) uses of a password


@dataclass(frozen=True)
class Appointment:
    """One checked appointment: who, when, where, in which language, which leaflets."""

    id: str
    name: str
    email: str
    language: str
    documents: tuple[str, ...]
    procedure: str
    date: dt.date
    time: dt.time
    location: str
    notes: str
    password: str
    row: int
    address: EmailAddress | None = None  # the checked email address
    cancelled: bool = False


@dataclass(frozen=True)
class Record:
    """One row as read, before it is checked: its number, values by column, and
    what is wrong with its shape (a ragged row, a quote that ran over lines)."""

    row: int
    values: dict[str, str]
    shape: str = ""


@dataclass(frozen=True)
class Batch:
    """A checked appointments file: the good appointments, the rows not sent, and
    how many rows it held (each is one or the other)."""

    appointments: list[Appointment]
    skipped: list[Outcome]
    read: int


def decode(path: Path, data: bytes) -> str:
    """A file's text as UTF-8 (a byte order mark is dropped), or a Problem saying
    where it is not and whether it looks like a Windows export (UTF-16, which Excel
    calls "Unicode text", has a NUL byte beside each of the header's letters)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:4:2] == b"\0\0" or data[0:3:2] == b"\0\0":
        raise ContentError(Problem(path, 1, 'not UTF-8 text: it looks like UTF-16 ("Unicode text")', NOT_UTF8_HINT))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            data.decode("cp1252")
            what = "it looks like Windows-1252"
        except UnicodeDecodeError:
            what = "in an unknown encoding"
        raise ContentError(Problem(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02X}): {what}", NOT_UTF8_HINT)) from None


def read_records(path: Path, form: AppointmentFormat) -> list[Record]:
    """The rows of a CSV file with a header row, or of a JSON list of objects; the path
    '-' is standard input (JSON if it starts with '[')."""
    try:
        data = sys.stdin.buffer.read() if path == STDIN else path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(path, None, f"cannot read appointments: {exc.strerror}")) from None
    text = decode(path, data)
    if not text.strip():
        raise ContentError(Problem(path, None, "the file is empty", "export the appointments with a header row"))
    if path.suffix.lower() == ".json" or (path == STDIN and text.lstrip().startswith("[")):
        return json_records(path, text, form)
    return csv_records(path, text, form)


def json_records(path: Path, text: str, form: AppointmentFormat) -> list[Record]:
    """A JSON list of objects; row N is the Nth object. A value is text, a whole number
    or null (empty); a key may appear once in an object."""
    try:
        data = json.loads(text, object_pairs_hook=JsonObject)
    except json.JSONDecodeError as exc:
        raise ContentError(Problem(path, exc.lineno, f"not valid JSON: {exc}")) from None
    except ValueError:  # a number of thousands of digits
        raise ContentError(Problem(path, None, "not valid JSON: a number is too long")) from None
    except RecursionError:
        raise ContentError(Problem(path, None, "not valid JSON: lists or objects nested too deeply")) from None
    if not isinstance(data, list) or not all(isinstance(r, JsonObject) for r in data):
        raise ContentError(Problem(path, None, "a JSON appointments file must hold a list of objects"))
    if data:
        check_columns(path, {key for item in data for key, _ in item}, form, 1)
    return [Record(number, {k: json_text(v) for k, v in item}, json_problem(item)) for number, item in enumerate(data, start=1)]


class JsonObject(list[tuple[str, object]]):
    """A JSON object as its (key, value) pairs in order, as read (keys may repeat)."""


def json_text(value: object) -> str:
    """A JSON value as a row's text: text as it is, a whole number in digits, null empty."""
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def json_problem(item: JsonObject) -> str:
    """What is wrong with an object's keys or values, or '': a key given twice, or a
    value that is not text, a whole number or null (true, 1.5, a list, an object)."""
    twice = repeated([key for key, _ in item])
    if twice is not None:
        return f"the key '{twice}' appears twice (which is meant?): give it once"
    for key, value in item:
        if not (value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))):
            kind = {bool: "true or false", float: "a number with a fraction", list: "a list"}.get(type(value), "an object")
            return f"'{key}' is {kind}, not text: export it as text"
    return ""


def repeated(names: list[str]) -> str | None:
    """The first name given more than once, if any (a column or key: which is meant?)."""
    return next((name for name in names if names.count(name) > 1), None)


def check_columns(path: Path, header: set[str], form: AppointmentFormat, line: int | None) -> None:
    """One Problem per required column the file lacks; one that differs only in capitals
    or spaces around it is named (names are matched exactly)."""
    missing = [form.column(field) for field in REQUIRED if form.column(field) not in header]
    if missing:
        found = ", ".join(sorted(header)) or "none"
        raise ContentError([Problem(path, line, f"no column '{name}'", missing_hint(name, header, found)) for name in missing])


def missing_hint(name: str, header: set[str], found: str) -> str:
    """How to give a column the file lacks: rename a near match, or map the column."""
    near = sorted(h for h in header if h.strip().casefold() == name.casefold())
    if near:
        return f"the column {near[0]!r} is not '{name}': names match exactly, so rename it, or map it in appointment_columns"
    return f"columns found: {found}; or map it in appointment_columns"


def csv_records(path: Path, text: str, form: AppointmentFormat) -> list[Record]:
    """The rows of a CSV file, each with the line it starts on."""
    rows = csv_rows(text, form.delimiter)
    line, header, _ = next(rows)
    if header and header[0].startswith("sep=") and len(header) <= 2:  # Excel's line naming the separator
        declared = header[0][len("sep=") :] or form.delimiter
        if declared != form.delimiter:
            raise ContentError(Problem(path, line, f"says its separator is {declared!r}", SEPARATOR_HINT))
        line, header, _ = next(rows, (line + 1, [], ""))
    if len(header) == 1:
        for name, sep in (("';'", ";"), ("tab", "\t"), ("','", ",")):
            if sep != form.delimiter and sep in header[0]:
                raise ContentError(Problem(path, line, f"looks like {name}-separated", SEPARATOR_HINT))
    twice = repeated([name for name in header if name.strip()])
    if twice is not None:
        columns = " and ".join(str(i + 1) for i, name in enumerate(header) if name == twice)
        raise ContentError(
            Problem(path, line, f"the column '{twice}' appears twice in the header (columns {columns})", "export it once")
        )
    check_columns(path, set(header), form, line)
    records = []
    for start, fields, error in rows:
        if not error and not any(f.strip() for f in fields):
            continue  # a blank line
        values = dict(zip(header, fields, strict=False))
        records.append(Record(start, values, error or shape_problem(header, fields, form.delimiter)))
    return records


def csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    """(first line, fields, error) for each row; a row whose quoted value runs over
    several lines says so, as that is most often a quote left open."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            lines = f"line {start}" if reader.line_num <= start else f"lines {start}-{reader.line_num}"
            yield start, [], f"{lines} cannot be read ({exc}): check the quotes on line {start}"
            yield from swallowed(text, start, reader.line_num, delimiter)
            continue
        end = reader.line_num
        if end > start:
            yield (
                start,
                fields,
                (
                    f"a quoted value runs from line {start} to line {end}: a value may not hold a line break"
                    " (close its quote, or remove the break, in the export)"
                ),
            )
        else:
            yield start, fields, ""


def swallowed(text: str, start: int, end: int, delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    """The rows on lines start+1 to `end`, which a quote left open on line `start` ran
    over, each read alone, so that each is reported by its own id (none is sent)."""
    physical = re.split(r"\r\n|\r|\n", text)
    for number in range(start + 1, end + 1):
        try:
            fields = next(csv.reader([physical[number - 1]], delimiter=delimiter), [])
        except (csv.Error, IndexError):
            fields = []
        if any(f.strip() for f in fields):
            yield number, fields, f"a quote left open on line {start} runs over this row (close it in the export)"


def shape_problem(header: list[str], fields: list[str], delimiter: str) -> str:
    """What is wrong with a row's number of values, or ''."""
    if len(fields) == len(header):
        return ""
    sep = "a tab" if delimiter == "\t" else f"a '{delimiter}'"
    return f"{len(fields)} values where the header has {len(header)} columns (a value holding {sep} needs quotes)"


def parse_date(value: str) -> dt.date:
    """An ISO date (2027-03-12)."""
    return dt.date.fromisoformat(value.strip())


def parse_time(value: str) -> dt.time:
    """A 24-hour time of the clinic's clock (09:30 or 9:30): no seconds, no time zone."""
    match = TIME.fullmatch(value.strip())
    if match is None:
        raise ValueError(value)
    return dt.time(int(match[1]), int(match[2]))


def exists(date: dt.date, time: dt.time, zone: str) -> bool:
    """Whether a local time is on the clinic's clock that day (not skipped when the clocks go forward)."""
    local = dt.datetime.combine(date, time, zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)


def character_problem(value: str) -> str:
    """Why a value cannot go into a message or a leaflet, or ''."""
    for char in value:
        if char in LINE_BREAKS:
            return "holds a line break"
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            return f"holds the control character U+{ord(char):04X}"
    return ""


def check_row(record: Record, project: Project, today: dt.date) -> Appointment | Outcome:
    """An appointment from one row, or the first thing wrong with it."""
    form = project.clinic.appointments
    values = {field: record.values.get(form.column(field), "").strip() for field in FIELDS}
    appointment_id = values["id"]
    shown_id = appointment_id if SAFE_ID.match(appointment_id) else ""

    def bad(message: str, reason_class: str = BAD_ROW) -> Outcome:
        return Outcome(record.row, shown_id, SKIPPED, reason_class, message)

    if record.shape:
        return bad(record.shape)
    for field in REQUIRED:
        if not values[field]:
            return bad(f"'{form.column(field)}' is empty")
    if not SAFE_ID.match(appointment_id):
        return bad("the appointment id may hold only letters, digits, '.', '_' and '-' (at most 64)")
    for field in FIELDS:
        problem = character_problem(values[field])
        if problem:
            return bad(f"'{form.column(field)}' {problem}")
    try:
        address = parse_address(values["email"])
    except AddressError as exc:
        return bad(str(exc))
    if values["language"] not in project.languages:
        return bad(f"unknown language '{values['language']}' (expected one of: {', '.join(project.languages)})")
    procedures = project.clinic.procedures
    documents = next((docs for name, docs in procedures.items() if name.casefold() == values["procedure"].casefold()), None)
    if documents is None:
        return bad(f"unknown procedure '{values['procedure']}' (expected one of: {', '.join(sorted(procedures))})")
    for name in documents:
        if (name, values["language"]) not in project.documents:
            return bad(f"'{name}' has no '{values['language']}' translation yet")
    try:
        date = parse_date(values["date"])
    except ValueError:
        return bad(f"'{form.column('date')}' is not a date like 2027-03-12")
    try:
        time = parse_time(values["time"])
    except ValueError:
        return bad(f"'{form.column('time')}' is not a time like 09:30 (the clinic's clock, no seconds or time zone)")
    if not exists(date, time, project.clinic.timezone):
        return bad(f"{values['time']} on {date.isoformat()} is not on the clinic's clock (the clocks go forward): check the time")
    if len(values["password"].encode("utf-8")) > MAX_PASSWORD:
        return bad(f"'{form.column('password')}' is longer than a PDF password can be ({MAX_PASSWORD} bytes): use a shorter one")
    state = form.statuses.get(values["status"].casefold(), "") if values["status"] else "booked"
    if not state:
        words = ", ".join(sorted(form.statuses))
        return bad(f"unknown status '{values['status']}' (expected one of: {words}; or map it in appointment_status)")
    if date < today:
        return bad(f"the appointment date has passed (today is {today.isoformat()})", PAST)
    if (date.year, date.month, date.day) > (today.year + YEARS_AHEAD, today.month, today.day):
        return bad(f"the appointment date is more than {YEARS_AHEAD} years ahead: is the year right?")
    return Appointment(
        id=appointment_id,
        name=values["name"],
        email=values["email"],
        language=values["language"],
        documents=documents,
        procedure=values["procedure"],
        date=date,
        time=time,
        location=values["location"],
        notes=values["notes"],
        password=values["password"],
        row=record.row,
        address=address,
        cancelled=state == "cancelled",
    )


def check_rows(records: list[Record], project: Project, today: dt.date) -> Batch:
    """Good appointments and skipped rows; an id may appear once."""
    good: list[Appointment] = []
    skipped: list[Outcome] = []
    seen: set[str] = set()
    for record in records:
        result = check_row(record, project, today)
        if isinstance(result, Outcome):
            skipped.append(result)
        elif result.id in seen:
            skipped.append(Outcome(record.row, result.id, SKIPPED, BAD_ROW, "the appointment id appears twice in this file"))
        else:
            seen.add(result.id)
            good.append(result)
    return Batch(good, skipped, len(records))


def load_appointments(path: Path, project: Project, today: dt.date) -> Batch:
    """Read and check an appointments file; appointments before `today` are skipped."""
    return check_rows(read_records(path, project.clinic.appointments), project, today)
