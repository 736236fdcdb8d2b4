"""The .ics writer: whatever the summary and place, the icalendar parser reads back
the event as written, and no line is longer than RFC 5545 allows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brochure.mail.invitations import Invitation, ics

STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TEXT = st.characters(blacklist_categories=("Cs", "Cc"))


def invitation(
    summary: str = "HSG: Riverside", location: str = "Clinic room 3", cancelled: bool = False, zone: str = "Europe/London"
) -> Invitation:
    start = dt.datetime(2027, 3, 28, 9, 30)  # the day the clocks go forward in London
    return Invitation("A-17", start, 45, zone, summary, location, "clinic@example.org", "p@example.org", 2, cancelled)


def event(data: bytes) -> icalendar.Event:
    (found,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return found


@settings(max_examples=150, deadline=None)
@given(st.text(TEXT, max_size=120), st.text(TEXT | st.sampled_from("\r\n"), max_size=90))
def test_any_summary_and_place_read_back(summary: str, location: str) -> None:
    """Folded within 75 octets, never inside a character; a place's line breaks kept as such."""
    data = ics(invitation(summary, location), STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    data.decode("utf-8")  # whole characters
    found = event(data)
    assert str(found["summary"]) == "\n".join(summary.splitlines())
    assert str(found["location"]) == "\n".join(location.splitlines())


def test_the_event_reads_back_in_the_clinics_time_zone() -> None:
    data = ics(invitation(), STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["method"]) == "REQUEST"
    found = event(data)
    start = found.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(hours=1), "British Summer Time from the VTIMEZONE"
    assert found.decoded("dtend") - start == dt.timedelta(minutes=45)
    assert found.decoded("dtstamp") == STAMP
    assert int(found["sequence"]) == 2 and str(found["status"]) == "CONFIRMED"
    assert str(found["attendee"]) == "mailto:p@example.org" and found["attendee"].params["RSVP"] == "FALSE"
    assert str(event(ics(invitation(cancelled=True), STAMP))["status"]) == "CANCELLED"


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Australia/Lord_Howe"])
def test_the_time_zone_definition_gives_zoneinfos_offsets(zone: str) -> None:
    """icalendar builds a time zone from the VTIMEZONE alone (under a name it does not
    know, so not from its own database): its offset at noon on every day of the
    appointment's year and the next is zoneinfo's."""
    unknown = "Clinic-" + zone.replace("/", "-")  # a name of its own: icalendar keeps zones by name
    data = ics(invitation(zone=zone), STAMP).replace(zone.encode(), unknown.encode())
    (definition,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    theirs, ours = definition.to_tz(), zoneinfo.ZoneInfo(zone)
    day = dt.datetime(2027, 1, 1, 12)
    while day.year < 2029:
        assert theirs.utcoffset(day) == ours.utcoffset(day), (zone, day)
        day += dt.timedelta(days=1)
