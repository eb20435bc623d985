# SPDX-License-Identifier: MIT
from __future__ import annotations

import email
import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daemon.model import CalendarEvent
from daemon.understand.ical import is_calendar_part, parse_calendar
from daemon.understand.zones import DISPLAY_ZONES, WINDOWS_ZONES, iana_for_tzid

REPO = Path(__file__).resolve().parent.parent


def samples_dir() -> Path | None:
    for candidate in (os.environ.get("RELANCE_SAMPLES"), REPO.parent / "shared" / "samples" / "real"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def event(*lines: str, method: str | None = "REQUEST", head: tuple[str, ...] = ()) -> bytes:
    """One VCALENDAR around one VEVENT made of `lines`."""
    top = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if method:
        top.append(f"METHOD:{method}")
    return ics(*top, *head, "BEGIN:VEVENT", *lines, "END:VEVENT", "END:VCALENDAR")


def only(data: bytes, **kwargs: str) -> CalendarEvent:
    events = parse_calendar(data, **kwargs)
    assert len(events) == 1, events
    return events[0]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- real samples (kept outside the repository) -----------------------------------

# Read from each file by hand: the wall time, its zone and the offset in force then.
EXPECTED_UTC_STARTS: dict[str, tuple[str, ...]] = {
    # Lotus Notes, TZID "Romance": 11:00 CEST
    "bluemind__domino.invite.new.eml": ("2012-08-14T09:00",),
    # Exchange 2007, Romance Standard Time: 14:00 CEST
    "bluemind__exchange.invite.to_alias.eml": ("2012-08-06T12:00",),
    # Google, UTC
    "bluemind__google.invite.new.eml": ("2012-05-30T09:00",),
    # Greenwich Standard Time: 08:00 +00:00
    "bluemind__office365_invitation_inline_image.eml": ("2021-12-17T08:00",),
    # Romance Standard Time: 15:30 CEST (DST began 28 March 2021)
    "bluemind__outlook-teams-invite.eml": ("2021-04-02T13:30",),
    # "Sarajevo, Skopje, Warsaw, Zagreb": 15:00 CEST
    "bluemind__outlook.invite.cancel.eml": ("2012-05-28T13:00",),
    # same zone: 20:00 CEST
    "bluemind__outlook.invite.new.eml": ("2012-05-27T18:00",),
    # Romance Standard Time: midnight on 24 October 2012, still CEST (ends 28 October)
    "bluemind__outlook.invite.pureics.eml": ("2012-10-23T22:00",),
    "bluemind__outlook.invite.update.eml": ("2012-05-28T13:00",),
    # "GMT -0500 (Standard) / GMT -0400 (Daylight)", US rules: 13:30 EDT
    "bluemind__zoom.vtimezone.eml": ("2020-09-17T17:30",),
    # "GMT +0100 (Standard) / GMT +0200 (Daylight)", EU rules: 10:00 CEST
    "icalendar__issue_165_missing_event.ics": ("2015-07-03T08:00",),
    # "Pacific Standard Time": 12:00 PST (DST began 12 March 2017)
    "icalendar__timezone_same_start.ics": ("2017-02-24T20:00",),
    "nylas__gcal_v1.ics": ("2015-03-19T23:30",),
    "nylas__gcal_v2.ics": ("2015-03-19T23:30",),
    "nylas__google_cancelled1.ics": ("2015-04-01T14:00",),
    "nylas__google_cancelled2.ics": ("2015-04-01T14:00",),
    # iCloud, Europe/Paris: 06:00 CET (DST began 29 March 2015)
    "nylas__raw_message_with_ical_invite.eml": ("2015-03-16T05:00",),
    # Romance Standard Time: 09:30 CET
    "nylas__windows_event.ics": ("2015-02-20T08:30",),
    # UTC times; X-WR-TIMEZONE only names the calendar's zone
    "rie__x_wr_timezone_simple_events_issue_59.ics": ("2021-12-22T17:00", "2021-12-23T02:00"),
    "thunderbird__cancel-single-event.eml": ("2022-03-16T11:00",),
    "thunderbird__meet-meeting-invite.eml": ("2021-03-22T09:30",),
    # FLE Standard Time: 09:00 EET (DST ended 31 October 2021)
    "thunderbird__outlook-test-invite.eml": ("2021-11-27T07:00",),
    "thunderbird__single-event.eml": ("2022-03-16T11:00",),
    # FLE Standard Time: 19:00 EET
    "thunderbird__teams-meeting-invite.eml": ("2020-12-02T17:00",),
    "thunderbird__update-major.eml": ("2022-03-16T05:00",),
    "thunderbird__update-minor.eml": ("2022-03-16T11:00",),
}

# Other fields worth holding, from the first event of the file.
EXPECTED_FIELDS: dict[str, dict[str, object]] = {
    "bluemind__domino.invite.new.eml": {"tzid": "Europe/Paris", "organizer_email": "rkidai@mairie-saint-ouen.fr"},
    "bluemind__exchange.invite.to_alias.eml": {"tzid": "Europe/Paris", "location": None},
    "bluemind__office365_invitation_inline_image.eml": {
        "tzid": "Atlantic/Reykjavik",
        "url": "https://join.skype.com/JTzth1sgO3Fy",
    },
    "bluemind__outlook-teams-invite.eml": {"tzid": "Europe/Paris", "location": "Microsoft Teams Meeting"},
    "bluemind__outlook.invite.new.eml": {"tzid": "Europe/Warsaw", "sequence": 0, "organizer_email": "admin@willow.vmw"},
    "bluemind__outlook.invite.update.eml": {"sequence": 1, "method": "REQUEST"},
    "bluemind__outlook.invite.cancel.eml": {"sequence": 1, "method": "CANCEL"},
    "bluemind__zoom.vtimezone.eml": {
        "tzid": "America/New_York",
        "url": "https://urgences-sante.zoom.us/j/99542199327",
        "organizer_email": "Mathieu.Campbell2@urgences-sante.qc.ca",
        "organizer_name": "Mathieu Campbell, Directeur",
        "status": "CONFIRMED",
    },
    "icalendar__issue_165_missing_event.ics": {"tzid": "Europe/Paris", "uid": None, "sequence": 0},
    "icalendar__timezone_same_start.ics": {"tzid": "America/Los_Angeles", "sequence": 0},
    "nylas__google_cancelled2.ics": {"method": "CANCEL", "status": "CANCELLED", "sequence": 1},
    "nylas__raw_message_with_ical_invite.eml": {
        "tzid": "Europe/Paris",
        "sequence": 1,
        "organizer_email": "dontspam@khamidou.com",
        "organizer_name": "Karim Hamidou",
    },
    "nylas__windows_event.ics": {"tzid": "Europe/Paris", "sequence": 4},
    "rie__x_wr_timezone_simple_events_issue_59.ics": {"tzid": "America/New_York", "method": "PUBLISH"},
    "thunderbird__meet-meeting-invite.eml": {
        "url": "https://meet.google.com/pyb-ndcu-hhc",
        "tzid": None,
        "organizer_email": "example@gmail.com",
        "organizer_name": None,
    },
    "thunderbird__single-event.eml": {"end": utc("2022-03-16T11:30"), "sequence": 0},
    "thunderbird__teams-meeting-invite.eml": {"tzid": "Europe/Kyiv"},
}


def calendar_parts(path: Path) -> Iterator[bytes]:
    """The raw calendar parts of a sample: the file itself, or every such MIME leaf."""
    raw = path.read_bytes()
    if path.suffix == ".ics":
        yield raw
        return
    message = email.message_from_bytes(raw, policy=policy.default)
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and is_calendar_part(part.get_content_type(), part.get_filename(), payload[:64]):
            yield payload


def sample_events(path: Path) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for data in calendar_parts(path):
        found = parse_calendar(data)
        assert found, f"{path.name}: a calendar part gave no event"
        events.extend(found)
    return events


@pytest.fixture(scope="module")
def samples() -> Path:
    folder = samples_dir()
    if folder is None:
        pytest.skip("no ../shared/samples/real and no $RELANCE_SAMPLES")
    return folder


def test_every_sample_with_an_event_is_in_the_table(samples: Path) -> None:
    with_events = {
        path.name
        for path in samples.iterdir()
        if path.suffix in (".eml", ".ics") and any(parse_calendar(data) for data in calendar_parts(path))
    }
    assert with_events == set(EXPECTED_UTC_STARTS)


@pytest.mark.parametrize("name", sorted(EXPECTED_UTC_STARTS))
def test_sample_start_instants(samples: Path, name: str) -> None:
    events = sample_events(samples / name)
    for found in events:
        assert found.start is not None and found.start.tzinfo is not None
        assert found.start.utcoffset() is not None
    starts = {found.start.astimezone(UTC) for found in events if found.start}
    assert starts == {utc(text) for text in EXPECTED_UTC_STARTS[name]}


@pytest.mark.parametrize("name", sorted(EXPECTED_FIELDS))
def test_sample_fields(samples: Path, name: str) -> None:
    first = sample_events(samples / name)[0]
    for field, expected in EXPECTED_FIELDS[name].items():
        assert getattr(first, field) == expected, field


def test_sample_teams_link(samples: Path) -> None:
    for name in ("thunderbird__teams-meeting-invite.eml", "bluemind__outlook-teams-invite.eml"):
        url = sample_events(samples / name)[0].url
        assert url is not None and url.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_")


def test_sample_google_resend_keeps_sequence_and_moves_dtstamp(samples: Path) -> None:
    first = sample_events(samples / "nylas__gcal_v1.ics")[0]
    second = sample_events(samples / "nylas__gcal_v2.ics")[0]
    assert first.uid == second.uid and first.sequence == second.sequence == 0
    assert first.dtstamp is not None and second.dtstamp is not None
    assert (second.sequence, second.dtstamp) > (first.sequence, first.dtstamp)
    assert first.location != second.location


def test_samples_in_any_order_give_the_same_instants(samples: Path) -> None:
    """Guards against any process-wide zone cache: reversed order, same answers."""
    names = sorted(EXPECTED_UTC_STARTS, reverse=True)
    for name in names:
        starts = {found.start.astimezone(UTC) for found in sample_events(samples / name) if found.start}
        assert starts == {utc(text) for text in EXPECTED_UTC_STARTS[name]}


# --- inline edge cases -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xffhello",
        b"not a calendar at all",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"END:VEVENT\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\n\u00e9t\u00e9:::\r\n".encode("utf-16"),
    ],
)
def test_bad_data_gives_no_event(data: bytes) -> None:
    assert parse_calendar(data) == []


def test_unparsable_part_logs_one_line_without_content(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "SECRET-SUMMARY-9f2c"

    def explode(*args: object, **kwargs: object) -> object:
        raise ValueError(f"cannot parse {secret}")

    monkeypatch.setattr("daemon.understand.ical.Calendar.from_ical", explode)
    with caplog.at_level(logging.WARNING, logger="daemon.understand.ical"):
        assert parse_calendar(event(f"SUMMARY:{secret}", "DTSTART:20300101T100000Z")) == []
    assert len(caplog.records) == 1
    assert secret not in caplog.text


def test_no_dtstart_gives_start_none() -> None:
    found = only(event("UID:a", "SUMMARY:Entretien"))
    assert found.start is None and found.end is None and found.tzid is None
    assert found.summary == "Entretien" and found.uid == "a"


def test_broken_dtstart_gives_start_none() -> None:
    found = only(event("UID:a", "DTSTART:tomorrow", "DTEND:20300101T100000Z", "SEQUENCE:x"))
    assert found.start is None
    assert found.sequence == 0


def test_unknown_tzid_falls_back_to_default_zone(caplog: pytest.LogCaptureFixture) -> None:
    data = event("UID:a", "DTSTART;TZID=Mars/Olympus Mons:20300115T100000")
    with caplog.at_level(logging.WARNING, logger="daemon.understand.ical"):
        found = only(data)
    assert found.start == datetime(2030, 1, 15, 10, tzinfo=ZoneInfo("Europe/Paris"))
    assert found.tzid is None
    assert "Olympus" not in caplog.text
    other = only(data, default_tz="America/New_York")
    assert other.start == datetime(2030, 1, 15, 10, tzinfo=ZoneInfo("America/New_York"))


def test_offset_written_in_an_unknown_name_is_used() -> None:
    found = only(event("UID:a", 'DTSTART;TZID="(GMT+05.30) Somewhere new":20300115T100000'))
    assert found.start is not None and found.start.utcoffset() == timedelta(hours=5, minutes=30)


def test_both_dtend_and_duration() -> None:
    found = only(event("UID:a", "DTSTART:20300316T110000Z", "DTEND:20300316T113000Z", "DURATION:PT1H"))
    assert found.start == utc("2030-03-16T11:00")
    assert found.end == utc("2030-03-16T11:30")


def test_duration_only_counts_exact_hours_across_dst() -> None:
    # 01:30 CET + 2 hours, across the 02:00 -> 03:00 jump: 04:30 CEST.
    found = only(event("UID:a", "DTSTART;TZID=Europe/Paris:20300331T013000", "DURATION:PT2H"))
    assert found.start is not None and found.end is not None
    assert found.end.astimezone(UTC) - found.start.astimezone(UTC) == timedelta(hours=2)
    assert found.end.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None) == datetime(2030, 3, 31, 4, 30)


def test_dtend_only() -> None:
    found = only(event("UID:a", "DTSTART;TZID=Europe/Paris:20300601T140000", "DTEND;TZID=Europe/Paris:20300601T150000"))
    assert found.start == datetime(2030, 6, 1, 14, tzinfo=ZoneInfo("Europe/Paris"))
    assert found.end == datetime(2030, 6, 1, 15, tzinfo=ZoneInfo("Europe/Paris"))
    assert found.tzid == "Europe/Paris"


def test_floating_time_uses_x_wr_timezone() -> None:
    found = only(event("UID:a", "DTSTART:20300601T140000", head=("X-WR-TIMEZONE:America/New_York",)))
    assert found.start == datetime(2030, 6, 1, 14, tzinfo=ZoneInfo("America/New_York"))
    assert found.tzid == "America/New_York"


def test_floating_time_without_x_wr_timezone_uses_default() -> None:
    found = only(event("UID:a", "DTSTART:20300601T140000"), default_tz="Asia/Tokyo")
    assert found.start == datetime(2030, 6, 1, 14, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert found.tzid == "Asia/Tokyo"


def test_bad_default_zone_does_not_raise() -> None:
    found = only(event("UID:a", "DTSTART:20300601T140000"), default_tz="Nowhere/Land")
    assert found.start == datetime(2030, 6, 1, 14, tzinfo=UTC)


def test_utc_time_is_kept_and_shown_in_x_wr_timezone() -> None:
    plain = only(event("UID:a", "DTSTART:20300601T140000Z"))
    assert plain.start == utc("2030-06-01T14:00") and plain.tzid is None
    named = only(event("UID:a", "DTSTART:20300601T140000Z", head=("X-WR-TIMEZONE:Europe/Paris",)))
    assert named.start == utc("2030-06-01T14:00") and named.tzid == "Europe/Paris"
    assert named.start is not None and named.start.utcoffset() == timedelta(hours=2)


def test_all_day_event_is_midnight_in_the_default_zone() -> None:
    found = only(event("UID:a", "DTSTART;VALUE=DATE:20300601"))
    assert found.start == datetime(2030, 6, 1, tzinfo=ZoneInfo("Europe/Paris"))
    assert found.end == datetime(2030, 6, 2, tzinfo=ZoneInfo("Europe/Paris"))


def test_method_cancel_is_upper_case() -> None:
    found = only(event("UID:a", "SEQUENCE:3", "STATUS:cancelled", "DTSTART:20300601T140000Z", method="cancel"))
    assert found.method == "CANCEL" and found.status == "CANCELLED" and found.sequence == 3


def test_no_method() -> None:
    assert only(event("UID:a", method=None)).method is None


def test_google_resend_with_sequence_zero() -> None:
    def google(stamp: str, location: str) -> bytes:
        return event(
            "UID:x1@google.com", "SEQUENCE:0", f"DTSTAMP:{stamp}", "DTSTART:20300601T140000Z", f"LOCATION:{location}"
        )

    first = only(google("20300501T100000Z", "Paris"))
    second = only(google("20300502T100000Z", "Lyon"))
    assert first.sequence == second.sequence == 0
    assert first.dtstamp == utc("2030-05-01T10:00") and second.dtstamp == utc("2030-05-02T10:00")
    assert max((first, second), key=lambda found: (found.sequence, found.dtstamp or utc("1970-01-01"))) is second


def test_exchange_sequence_when_sequence_is_missing() -> None:
    assert only(event("UID:a", "X-MICROSOFT-CDO-APPT-SEQUENCE:5")).sequence == 5
    assert only(event("UID:a", "SEQUENCE:2", "X-MICROSOFT-CDO-APPT-SEQUENCE:5")).sequence == 2


# (standard onset, its rule, daylight onset, its rule)
EU_RULES = ("030000", "BYDAY=-1SU;BYMONTH=10", "020000", "BYDAY=-1SU;BYMONTH=3")
US_RULES = ("020000", "BYDAY=1SU;BYMONTH=11", "020000", "BYDAY=2SU;BYMONTH=3")


def vtimezone(
    tzid: str, standard: str, daylight: str | None = None, rules: tuple[str, ...] = EU_RULES
) -> tuple[str, ...]:
    """A VTIMEZONE the way Exchange writes them: rules that start in 1601."""
    if daylight is None:
        return ("BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD", "DTSTART:16010101T000000",
                f"TZOFFSETFROM:{standard}", f"TZOFFSETTO:{standard}", "END:STANDARD", "END:VTIMEZONE")  # fmt: skip
    return (
        "BEGIN:VTIMEZONE", f"TZID:{tzid}",
        "BEGIN:STANDARD", f"DTSTART:16010101T{rules[0]}", f"TZOFFSETFROM:{daylight}", f"TZOFFSETTO:{standard}",
        f"RRULE:FREQ=YEARLY;INTERVAL=1;{rules[1]}", "END:STANDARD",
        "BEGIN:DAYLIGHT", f"DTSTART:16010101T{rules[2]}", f"TZOFFSETFROM:{standard}", f"TZOFFSETTO:{daylight}",
        f"RRULE:FREQ=YEARLY;INTERVAL=1;{rules[3]}", "END:DAYLIGHT",
        "END:VTIMEZONE",
    )  # fmt: skip


def test_free_text_zone_uses_its_vtimezone() -> None:
    name = "GMT +0100 (Standard) / GMT +0200 (Daylight)"
    zone = vtimezone(name, "+0100", "+0200")
    summer = only(event("UID:a", f'DTSTART;TZID="{name}":20300703T100000', head=zone), default_tz="Asia/Tokyo")
    assert summer.start is not None and summer.start.astimezone(UTC) == utc("2030-07-03T08:00")
    assert summer.tzid is not None
    assert datetime(2030, 1, 15, tzinfo=ZoneInfo(summer.tzid)).utcoffset() == timedelta(hours=1)
    winter = only(event("UID:a", f'DTSTART;TZID="{name}":20301203T100000', head=zone))
    assert winter.start is not None and winter.start.astimezone(UTC) == utc("2030-12-03T09:00")
    assert winter.tzid == "Europe/Paris"  # the default zone comes first when it follows the rules


def test_free_text_zone_with_us_rules() -> None:
    name = "GMT -0500 (Standard) / GMT -0400 (Daylight)"
    zone = vtimezone(name, "-0500", "-0400", US_RULES)
    # 8 March 2026 is the second Sunday of March: EDT from then, while Europe is still on winter time.
    found = only(event("UID:a", f'DTSTART;TZID="{name}":20260310T093000', head=zone))
    assert found.start is not None and found.start.astimezone(UTC) == utc("2026-03-10T13:30")
    assert found.tzid == "America/New_York"


def test_rules_no_iana_zone_follows_give_a_fixed_offset() -> None:
    zone = vtimezone("Customized Time Zone", "+0317")
    found = only(event("UID:a", "DTSTART;TZID=Customized Time Zone:20300601T100000", head=zone))
    assert found.tzid is None
    assert found.start is not None and found.start.tzinfo == timezone(timedelta(hours=3, minutes=17))


def test_same_tzid_with_other_rules_in_another_part() -> None:
    """icalendar keeps the first VTIMEZONE of a name for the whole process; this module does not."""
    for offset in ("+0300", "+0530", "-0700", "+0300"):
        zone = vtimezone("Custom", offset)
        found = only(event("UID:a", "DTSTART;TZID=Custom:20300601T100000", head=zone))
        sign = -1 if offset[0] == "-" else 1
        expected = sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:]))
        assert found.start is not None and found.start.utcoffset() == expected


def test_windows_name_disagreeing_with_its_vtimezone() -> None:
    zone = vtimezone("Romance Standard Time", "+0300")
    found = only(event("UID:a", "DTSTART;TZID=Romance Standard Time:20300115T100000", head=zone))
    assert found.start is not None and found.start.astimezone(UTC) == utc("2030-01-15T07:00")


def test_broken_vtimezone_still_maps_the_name() -> None:
    zone = ("BEGIN:VTIMEZONE", "TZID:Romance Standard Time", "BEGIN:STANDARD", "DTSTART:garbage",
            "TZOFFSETTO:+99", "RRULE:FREQ=BOGUS", "END:STANDARD", "END:VTIMEZONE")  # fmt: skip
    found = only(event("UID:a", "DTSTART;TZID=Romance Standard Time:20300115T100000", head=zone))
    assert found.start == datetime(2030, 1, 15, 10, tzinfo=ZoneInfo("Europe/Paris"))


def test_dst_gap_and_repeated_hour_follow_fold_zero() -> None:
    # Offsets no IANA zone has, so the VTIMEZONE alone decides; transitions at 00:43 UTC.
    name = "Odd"
    zone = vtimezone(name, "+0117", "+0217")

    def offset(wall: str) -> timedelta | None:
        found = only(event("UID:a", f"DTSTART;TZID={name}:{wall}", head=zone))
        assert found.start is not None and found.tzid is None
        return found.start.utcoffset()

    assert offset("20300331T013000") == timedelta(hours=1, minutes=17)
    assert offset("20300331T023000") == timedelta(hours=1, minutes=17)  # in the gap: the offset before
    assert offset("20300331T033000") == timedelta(hours=2, minutes=17)
    assert offset("20301027T023000") == timedelta(hours=2, minutes=17)  # repeated hour: the first one
    assert offset("20301027T033000") == timedelta(hours=1, minutes=17)


@pytest.mark.parametrize(
    ("tzid", "iana"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ('"Europe/Paris"', "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Romance", "Europe/Paris"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("W. Europe", "Europe/Berlin"),
        ("FLE Standard Time", "Europe/Kyiv"),
        ("GMT Standard Time", "Europe/London"),
        ("Greenwich Standard Time", "Atlantic/Reykjavik"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Eastern", "America/New_York"),
        ("Central Standard Time", "America/Chicago"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("India Standard Time", "Asia/Kolkata"),
        ("Sarajevo, Skopje, Warsaw, Zagreb", "Europe/Warsaw"),
        ("Sarajevo\\, Skopje\\, Warsaw\\, Zagreb", "Europe/Warsaw"),
        ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
        ("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York"),
        ("/mozilla.org/20050126_1/Europe/Paris", "Europe/Paris"),
        ("/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Z", "UTC"),
        ("UTC", "UTC"),
        ("GMT +0100 (Standard) / GMT +0200 (Daylight)", None),
        ("Customized Time Zone", None),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_iana_for_tzid(tzid: str, iana: str | None) -> None:
    assert iana_for_tzid(tzid) == iana


@pytest.mark.parametrize("iana", sorted(set(WINDOWS_ZONES.values()) | set(DISPLAY_ZONES.values())))
def test_zone_tables_name_real_zones(iana: str) -> None:
    ZoneInfo(iana)


def test_pure_quoted_tzid_with_vtimezone() -> None:
    zone = vtimezone("Pacific Standard Time", "-0800", "-0700", US_RULES)
    found = only(event("UID:a", 'DTSTART;TZID="Pacific Standard Time":20300224T120000', head=zone))
    assert found.start is not None and found.start.astimezone(UTC) == utc("2030-02-24T20:00")
    assert found.tzid == "America/Los_Angeles"


def test_vtimezone_after_the_event() -> None:
    name = "GMT +0100 (Standard) / GMT +0200 (Daylight)"
    data = ics(
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "UID:a",
        f'DTSTART;TZID="{name}":20300703T100000',
        "END:VEVENT",
        *vtimezone(name, "+0100", "+0200"),
        "END:VCALENDAR",
    )
    found = only(data)
    assert found.start is not None and found.start.astimezone(UTC) == utc("2030-07-03T08:00")


# --- people and links ------------------------------------------------------------


def test_organizer_forms() -> None:
    plain = only(event("UID:a", "ORGANIZER;CN=Claire Dubois:claire.dubois@acme.fr"))
    assert (plain.organizer_email, plain.organizer_name) == ("claire.dubois@acme.fr", "Claire Dubois")
    upper = only(event("UID:a", 'ORGANIZER;CN="Dubois, Claire":MAILTO:claire@acme.fr'))
    assert (upper.organizer_email, upper.organizer_name) == ("claire@acme.fr", "Dubois, Claire")
    sent_by = only(event("UID:a", 'ORGANIZER;SENT-BY="mailto:assistant@acme.fr";CN=Boss:mailto:boss@acme.fr'))
    assert sent_by.organizer_email == "boss@acme.fr"
    only_sent_by = only(event("UID:a", 'ORGANIZER;SENT-BY="mailto:assistant@acme.fr";CN=Boss:invalid'))
    assert only_sent_by.organizer_email == "assistant@acme.fr" and only_sent_by.organizer_name == "Boss"
    relay = only(event("UID:a", "ORGANIZER;CN=K;EMAIL=k@example.org:mailto:2_ABC@imip.me.com"))
    assert relay.organizer_email == "k@example.org"
    none = only(event("UID:a"))
    assert none.organizer_email is None and none.organizer_name is None


@pytest.mark.parametrize(
    ("lines", "url"),
    [
        (("X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3ameeting_A",
          "DESCRIPTION:https://zoom.us/j/1"), "https://teams.microsoft.com/l/meetup-join/19%3ameeting_A"),
        (("X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",), "https://meet.google.com/abc-defg-hij"),
        (("URL:https://acme.zoom.us/j/123",), "https://acme.zoom.us/j/123"),
        (("LOCATION:https://acme.zoom.us/j/99542199327",), "https://acme.zoom.us/j/99542199327"),
        (("DESCRIPTION:Join <https://teams.microsoft.com/l/meetup-join/19%3a_B> | "
          "Options<https://teams.microsoft.com/meetingOptions/?x=1>",), "https://teams.microsoft.com/l/meetup-join/19%3a_B"),
        (("DESCRIPTION:Logo https://zoom.us/ then https://zoom.us/j/555?pwd=x.",), "https://zoom.us/j/555?pwd=x"),
        (("DESCRIPTION:Rejoindre : https://acme.webex.com/meet/claire",), "https://acme.webex.com/meet/claire"),
        (("LOCATION:https://whereby.com/acme-rh",), "https://whereby.com/acme-rh"),
        # a live-coding interview's pad; the tool's home page is none
        (("DESCRIPTION:Home https://coderpad.io/ then the pad https://app.coderpad.io/7HQ2ZC",),
         "https://app.coderpad.io/7HQ2ZC"),
        (("DESCRIPTION:Visio : https://app.teamtailor.com/meetings/join/Zx81Qa",),
         "https://app.teamtailor.com/meetings/join/Zx81Qa"),
        # the new Teams' "/meet/" links, and a job board's own video room
        (("DESCRIPTION:Join: https://teams.microsoft.com/meet/3919204857710?p=Qx7 Options "
          "https://teams.microsoft.com/meetingOptions/?x=1",), "https://teams.microsoft.com/meet/3919204857710?p=Qx7"),
        (("DESCRIPTION:Entretien vidéo : https://uk.indeed.com/interview/join/a7c31e",),
         "https://uk.indeed.com/interview/join/a7c31e"),
        (("URL:https://acme.example/jobs/42", "DESCRIPTION:Meet: https://meet.google.com/xyz-abcd-efg"),
         "https://meet.google.com/xyz-abcd-efg"),
        (("URL:https://acme.example/jobs/42",), "https://acme.example/jobs/42"),
        (("LOCATION:12 rue de la Paix\\, Paris",), None),
    ],
)  # fmt: skip
def test_join_link(lines: tuple[str, ...], url: str | None) -> None:
    assert only(event("UID:a", *lines)).url == url


def test_text_fields_and_empty_values() -> None:
    found = only(event("UID:a", "SUMMARY:Entretien\\, RH", "LOCATION:", "DESCRIPTION:Ligne 1\\nLigne 2"))
    assert found.summary == "Entretien, RH"
    assert found.location is None
    assert found.description == "Ligne 1\nLigne 2"


# --- odd shapes ---------------------------------------------------------------------


def test_several_events_and_calendars_in_one_part() -> None:
    data = event("UID:a", "DTSTART:20300601T100000Z") + event("UID:b", "DTSTART:20300602T100000Z", method="CANCEL")
    found = parse_calendar(data)
    assert [(one.uid, one.method) for one in found] == [("a", "REQUEST"), ("b", "CANCEL")]


def test_bare_vevent_without_vcalendar() -> None:
    found = only(ics("BEGIN:VEVENT", "UID:a", "DTSTART:20300601T100000Z", "END:VEVENT"))
    assert found.start == utc("2030-06-01T10:00") and found.method is None


def test_truncated_part_still_gives_the_event() -> None:
    data = ics(
        "BEGIN:VCALENDAR", "METHOD:REQUEST", "BEGIN:VEVENT", "UID:a", "DTSTART:20300601T100000Z", "SUMMARY:Entre"
    )
    found = only(data)
    assert found.start == utc("2030-06-01T10:00") and found.summary == "Entre"


def test_folding_blank_lines_and_latin1() -> None:
    data = (
        b"BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:a\n\nSUMMARY:Entretien d\xe9\n tach\xe9\n"
        b'ORGANIZER;CN="Claire\n  Dubois":mailto:c@acme.fr\nDTSTART:20300601T100000Z\nEND:VEVENT\nEND:VCALENDAR\n'
    )
    found = only(data)
    assert found.summary == "Entretien détaché"
    assert found.organizer_name == "Claire Dubois"


def test_duplicate_dtstart_takes_the_first() -> None:
    found = only(event("UID:a", "DTSTART:20300601T100000Z", "DTSTART:20300602T100000Z"))
    assert found.start == utc("2030-06-01T10:00")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_never_raises_on_random_bytes(data: bytes) -> None:
    assert isinstance(parse_calendar(data), list)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=8), st.integers(min_value=0, max_value=30))
def test_never_raises_on_damaged_calendars(noise: list[str], cut: int) -> None:
    lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        *vtimezone("GMT +0100 (Standard) / GMT +0200 (Daylight)", "+0100", "+0200"),
        "BEGIN:VEVENT",
        "UID:a",
        'DTSTART;TZID="GMT +0100 (Standard) / GMT +0200 (Daylight)":20300703T100000',
        "DURATION:PT1H",
        "ORGANIZER;CN=A:mailto:a@b.c",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    damaged = lines[: len(lines) - cut % len(lines)] if cut else lines
    for index, text in enumerate(noise):
        damaged.insert((index * 7) % (len(damaged) + 1), text)
    assert isinstance(parse_calendar("\r\n".join(damaged).encode("utf-8", "surrogatepass")), list)


# --- recognising a calendar part ------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "filename", "head", "expected"),
    [
        ("text/calendar", None, b"", True),
        ('text/calendar; method=REQUEST; charset="utf-8"', None, b"", True),
        ("TEXT/CALENDAR", None, b"", True),
        ("application/ics", "invite.ics", b"", True),
        ("application/octet-stream", "c124211.ics", b"", True),
        ("application/octet-stream", '"MEETING.VCS"', b"", True),
        ("application/octet-stream", None, b"\xef\xbb\xbf\r\nBEGIN:VCALENDAR\r\nVERSION:2.0", True),
        ("text/plain", None, b"begin:vcalendar\r\n", True),
        ("text/plain", None, b"Bonjour,\r\nnous vous proposons", False),
        ("application/pdf", "cv.pdf", b"%PDF-1.7", False),
        ("", None, b"", False),
    ],
)
def test_is_calendar_part(content_type: str, filename: str | None, head: bytes, expected: bool) -> None:
    assert is_calendar_part(content_type, filename, head) is expected


def test_rules_that_ended_long_ago_still_set_the_offset() -> None:
    # DST abolished in 2010: the last onset is the STANDARD of October 2010, although
    # the DAYLIGHT observance starts later than the STANDARD one.
    zone = (
        "BEGIN:VTIMEZONE", "TZID:Frozen",
        "BEGIN:STANDARD", "DTSTART:19961027T030000", "TZOFFSETFROM:+0400", "TZOFFSETTO:+0300",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10;UNTIL=20101031T000000Z", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:19970330T020000", "TZOFFSETFROM:+0300", "TZOFFSETTO:+0400",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3;UNTIL=20100328T000000Z", "END:DAYLIGHT",
        "END:VTIMEZONE",
    )  # fmt: skip
    found = only(event("UID:a", "DTSTART;TZID=Frozen:20150601T100000", head=zone))
    assert found.start is not None and found.start.utcoffset() == timedelta(hours=3)
    before = only(event("UID:a", "DTSTART;TZID=Frozen:20080601T100000", head=zone))
    assert before.start is not None and before.start.utcoffset() == timedelta(hours=4)


def test_huge_part_is_read_in_reasonable_time() -> None:
    blob = "QUJD" * 1_500_000
    folded = "\r\n ".join(blob[i : i + 74] for i in range(0, len(blob), 74))
    data = event(
        "UID:a",
        "DTSTART:20300601T100000Z",
        f"ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/pdf:{folded}",
        "DESCRIPTION:" + "\r\n ".join(["Bonjour, " * 8] * 20_000),
    )
    started = time.perf_counter()
    found = only(data)
    assert found.start == utc("2030-06-01T10:00")
    assert found.description is not None and len(found.description) > 1_000_000
    assert time.perf_counter() - started < 20
