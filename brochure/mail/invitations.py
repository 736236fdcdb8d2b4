"""The calendar invitation of an appointment (an .ics file, RFC 5545 and iTIP).

The UID is the same for every message about one appointment, so a calendar
updates its entry rather than adding another; SEQUENCE grows with each change,
and a cancellation is METHOD:CANCEL. Times are in the clinic's time zone."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass
from functools import cache

import icalendar

PRODID = "-//brochure//appointment invitation//EN"


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
    """The .ics file: one event with its time zone definition."""
    zone = zoneinfo.ZoneInfo(invitation.timezone)
    start = invitation.start.replace(tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", uid(invitation.appointment_id, invitation.organizer.rpartition("@")[2] or "brochure.invalid"))
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=invitation.minutes))
    event.add("summary", invitation.summary)
    event.add("location", invitation.location)
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", icalendar.vCalAddress(f"mailto:{invitation.organizer}"))
    attendee = icalendar.vCalAddress(f"mailto:{invitation.attendee}")
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["RSVP"] = "FALSE"
    event.add("attendee", attendee)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method(invitation))
    calendar.add_component(event)
    # The time zone is the same for every message: made and serialised once, put before the event.
    return calendar.to_ical().replace(b"BEGIN:VEVENT", vtimezone(invitation.timezone, start.year) + b"BEGIN:VEVENT", 1)


@cache
def vtimezone(name: str, year: int) -> bytes:
    """The VTIMEZONE of a zone from the year before to the year after, as .ics lines."""
    zone = icalendar.Timezone.from_tzid(name, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    return zone.to_ical()
