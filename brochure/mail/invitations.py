"""The calendar invitation of an appointment (an .ics file, RFC 5545 and iTIP).

The UID is the same for every message about one appointment, so a calendar
updates its entry rather than adding another; SEQUENCE grows with each change,
and a cancellation is METHOD:CANCEL. Times are in the clinic's time zone."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache

import icalendar

PRODID = "-//brochure//appointment invitation//EN"
FOLD = 75  # octets a content line holds before it is folded (RFC 5545 3.1)


@dataclass(frozen=True)
class Invitation:
    """What goes into an appointment's calendar entry."""

    appointment_id: str
    start: dt.datetime  # naive, in `timezone`
    minutes: int
    timezone: str
    summary: str
    location: str
    organizer: str  # the clinic's address
    attendee: str  # the patient's address
    sequence: int
    cancelled: bool


def uid(appointment_id: str, domain: str) -> str:
    """The same UID for every version of an appointment, and no patient data in it."""
    return f"{hashlib.sha256(appointment_id.encode()).hexdigest()[:24]}@{domain}"


def method(invitation: Invitation) -> str:
    """The iTIP method: a request, or its cancellation."""
    return "CANCEL" if invitation.cancelled else "REQUEST"


def ics(invitation: Invitation, stamp: dt.datetime) -> bytes:
    """The .ics file: one event with its time zone definition (the zone's made once by
    icalendar, the event's lines written here: see `content_line`)."""
    start = invitation.start
    tzid = f";TZID={invitation.timezone}"
    lines = [
        ("BEGIN", "", "VCALENDAR"),
        ("VERSION", "", "2.0"),
        ("PRODID", "", PRODID),
        ("METHOD", "", method(invitation)),
        ("BEGIN", "", "VEVENT"),
        ("SUMMARY", "", text(invitation.summary)),
        ("DTSTART", tzid, local_time(start)),
        ("DTEND", tzid, local_time(start + dt.timedelta(minutes=invitation.minutes))),
        ("DTSTAMP", "", stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")),
        ("UID", "", uid(invitation.appointment_id, invitation.organizer.rpartition("@")[2] or "brochure.invalid")),
        ("SEQUENCE", "", str(invitation.sequence)),
        ("ATTENDEE", ";ROLE=REQ-PARTICIPANT;RSVP=FALSE", f"mailto:{invitation.attendee}"),
        ("LOCATION", "", text(invitation.location)),
        ("ORGANIZER", "", f"mailto:{invitation.organizer}"),
        ("STATUS", "", "CANCELLED" if invitation.cancelled else "CONFIRMED"),
        ("TRANSP", "", "OPAQUE"),
        ("END", "", "VEVENT"),
        ("END", "", "VCALENDAR"),
    ]
    out = b"".join(content_line(*line) for line in lines)
    # The time zone is the same for every message: made and serialised once, put before the event.
    return out.replace(b"BEGIN:VEVENT", vtimezone(invitation.timezone, start.year) + b"BEGIN:VEVENT", 1)


def local_time(moment: dt.datetime) -> str:
    """A local DATE-TIME (RFC 5545 3.3.5, form 2: with a TZID)."""
    return moment.strftime("%Y%m%dT%H%M%S")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return "\\n".join(value.splitlines()) if value else value


def content_line(name: str, params: str, value: str) -> bytes:
    """A content line (RFC 5545 3.1) in UTF-8, folded before 75 octets, never inside a
    character; each further line starts with a space."""
    data = f"{name}{params}:{value}".encode()
    lines, limit = [], FOLD
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character's start
            cut -= 1
        lines.append(data[:cut])
        data, limit = data[cut:], FOLD - 1
    lines.append(data)
    return b"\r\n ".join(lines) + b"\r\n"


@cache
def vtimezone(name: str, year: int) -> bytes:
    """The VTIMEZONE of a zone from the year before to the year after, as .ics lines."""
    zone = icalendar.Timezone.from_tzid(name, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    return zone.to_ical()
