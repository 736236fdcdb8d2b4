"""The calendar invitation of an appointment (an .ics file, RFC 5545 and iTIP).

The UID is the same for every message about one appointment, so a calendar
updates its entry rather than adding another; SEQUENCE grows with each change,
and a cancellation is METHOD:CANCEL. Times are in the clinic's time zone."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

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
    """The .ics file: one event with its time zone definition (made once per zone)."""
    start = invitation.start
    tzid = f";TZID={invitation.timezone}"
    calendar = [("BEGIN", "", "VCALENDAR"), ("VERSION", "", "2.0"), ("PRODID", "", PRODID), ("METHOD", "", method(invitation))]
    event = [
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
    ]
    # The time zone is the same for every message: written once, put before the event.
    zone = vtimezone(invitation.timezone, start.year)
    lines = [b"".join(content_line(*line) for line in part) for part in (calendar, event)]
    return lines[0] + zone + lines[1] + content_line("END", "", "VCALENDAR")


def local_time(moment: dt.datetime) -> str:
    """A local DATE-TIME (RFC 5545 3.3.5, form 2: with a TZID)."""
    return f"{moment.year:04d}{moment:%m%dT%H%M%S}"  # %Y would drop a year's leading zeros


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
    """The VTIMEZONE of a zone (RFC 5545 3.6.5) from the year before to the year after:
    its offset at the start, then each change of offset zoneinfo knows in that time, a
    DAYLIGHT or STANDARD component whose DTSTART is the onset in the local time before it."""
    zone = zoneinfo.ZoneInfo(name)
    first = dt.datetime(max(year - 1, dt.MINYEAR + 1), 1, 1, tzinfo=zone)  # in UTC too
    last = dt.datetime(min(year + 2, dt.MAXYEAR - 1), 1, 1, tzinfo=zone)
    lines = [("BEGIN", "", "VTIMEZONE"), ("TZID", "", name)]
    lines += observance(zone, first.astimezone(dt.UTC), first.utcoffset())
    for onset, before in transitions(zone, first.astimezone(dt.UTC), last.astimezone(dt.UTC)):
        lines += observance(zone, onset, before)
    lines.append(("END", "", "VTIMEZONE"))
    return b"".join(content_line(*line) for line in lines)


def transitions(zone: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.timedelta]]:
    """Each moment (UTC, to the minute) between `start` and `end` when the zone's offset
    changes, with the offset before it: found a day at a time, then by halving."""
    day, moment = dt.timedelta(days=1), start
    while moment < end:
        before, after = moment.astimezone(zone).utcoffset(), (moment + day).astimezone(zone).utcoffset()
        if before != after:
            low, high = moment, moment + day
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            assert before is not None
            yield high.replace(second=0, microsecond=0), before
        moment += day


def observance(zone: zoneinfo.ZoneInfo, onset: dt.datetime, before: dt.timedelta | None) -> list[tuple[str, str, str]]:
    """A STANDARD or DAYLIGHT component: from `onset` (UTC) on, the zone's offset and name."""
    local = onset.astimezone(zone)
    # A zone whose summer time is its standard one (Europe/Dublin) has a negative DST in
    # winter: only a positive one is daylight time.
    kind = "DAYLIGHT" if (local.dst() or dt.timedelta()) > dt.timedelta() else "STANDARD"
    assert before is not None
    return [
        ("BEGIN", "", kind),
        ("DTSTART", "", local_time((onset + before).replace(tzinfo=None))),
        ("TZNAME", "", text(local.tzname() or "")),
        ("TZOFFSETFROM", "", utc_offset(before)),
        ("TZOFFSETTO", "", utc_offset(local.utcoffset() or dt.timedelta())),
        ("END", "", kind),
    ]


def utc_offset(offset: dt.timedelta) -> str:
    """A UTC-OFFSET (RFC 5545 3.3.14): +HHMM, or +HHMMSS if it has seconds."""
    sign, seconds = ("-", -offset) if offset < dt.timedelta() else ("+", offset)
    hours, rest = divmod(int(seconds.total_seconds()), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")
