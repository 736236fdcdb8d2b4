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
ZONES = ["Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Australia/Lord_Howe"]
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


@pytest.mark.parametrize("zone", ZONES)
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


@pytest.mark.parametrize("zone", ZONES)
def test_daylight_time_is_never_the_winter_offset(zone: str) -> None:
    """Each observance is DAYLIGHT only when zoneinfo calls it summer time (a positive
    DST): Dublin's winter, a negative DST in the time zone database, is STANDARD."""
    (definition,) = icalendar.Calendar.from_ical(ics(invitation(zone=zone), STAMP)).walk("VTIMEZONE")
    ours = zoneinfo.ZoneInfo(zone)
    for part in definition.subcomponents:
        onset = part.decoded("dtstart") + dt.timedelta(hours=12)  # local time after the change
        daylight = (ours.dst(onset) or dt.timedelta()) > dt.timedelta()
        assert part.name == ("DAYLIGHT" if daylight else "STANDARD"), (zone, onset)


@pytest.mark.parametrize("year", [1, 2, 9997, 9998, 9999])
def test_a_time_zone_can_be_defined_for_any_year(year: int) -> None:
    start = dt.datetime(year, 6, 1, 9, 30)
    found = ics(Invitation("A-1", start, 45, "Asia/Kolkata", "HSG", "Room 3", "c@example.org", "p@example.org", 0, False), STAMP)
    assert event(found).decoded("dtstart").replace(tzinfo=None) == start
