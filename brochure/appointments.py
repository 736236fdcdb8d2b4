"""Read appointments exported by a scheduling system (CSV or JSON) and check
each row. A bad row is reported by its row number and appointment id, never
by the patient's name or email address, and the other rows go on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem
from .model import Project

FIELDS = ("id", "name", "email", "language", "procedure", "date", "time", "location", "notes", "password")
REQUIRED = ("id", "name", "email", "language", "procedure", "date", "time", "location")
EMAIL = re.compile(r"^[^@\s<>,;\"']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


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


@dataclass(frozen=True)
class RowError:
    """A row that cannot be used, with a message that holds no patient data."""

    row: int
    id: str
    message: str

    def __str__(self) -> str:
        who = f" (appointment {self.id})" if self.id else ""
        return f"row {self.row}{who}: {self.message}"


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV file (with a header row) or a JSON list of objects."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError("a JSON appointments file must hold a list of objects")
        return data
    return list(csv.DictReader(io.StringIO(text, newline="")))


def parse_date(value: str) -> dt.date:
    """An ISO date (2027-03-12)."""
    return dt.date.fromisoformat(value.strip())


def parse_time(value: str) -> dt.time:
    """A 24-hour time (09:30)."""
    return dt.time.fromisoformat(value.strip())


def check_row(row: dict[str, Any], number: int, columns: dict[str, str], project: Project) -> Appointment | RowError:
    """An appointment from one row, or the first thing wrong with it."""
    values = {field: str(row.get(columns.get(field, field)) or "").strip() for field in FIELDS}
    appointment_id = values["id"]
    shown_id = appointment_id if SAFE_ID.match(appointment_id) else ""

    def bad(message: str) -> RowError:
        return RowError(number, shown_id, message)

    for field in REQUIRED:
        if not values[field]:
            return bad(f"'{columns.get(field, field)}' is empty")
    if not SAFE_ID.match(appointment_id):
        return bad("the appointment id may hold only letters, digits, '.', '_' and '-' (at most 64)")
    for field in FIELDS:
        if any(c in values[field] for c in "\r\n\x00"):
            return bad(f"'{columns.get(field, field)}' holds a line break")
    if not EMAIL.match(values["email"]):
        return bad("the email address is not valid")
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
        return bad(f"'{columns.get('date', 'date')}' is not a date like 2027-03-12")
    try:
        time = parse_time(values["time"])
    except ValueError:
        return bad(f"'{columns.get('time', 'time')}' is not a time like 09:30")
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
        row=number,
    )


def check_rows(rows: Iterable[dict[str, Any]], project: Project) -> tuple[list[Appointment], list[RowError]]:
    """Good appointments and bad rows; row numbers count the header as row 1 for CSV."""
    good: list[Appointment] = []
    bad: list[RowError] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        result = check_row(row, number, project.clinic.columns, project)
        if isinstance(result, RowError):
            bad.append(result)
        elif result.id in seen:
            bad.append(RowError(number, result.id, "the appointment id appears twice in this file"))
        else:
            seen.add(result.id)
            good.append(result)
    return good, bad


def load_appointments(path: Path, project: Project) -> tuple[list[Appointment], list[RowError]]:
    """Read and check an appointments file; a file that cannot be read is a Problem."""
    try:
        rows = read_rows(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ContentError(
            Problem(path, None, f"cannot read appointments: {exc}", "use a CSV file with a header row, or JSON")
        ) from None
    return check_rows(rows, project)
