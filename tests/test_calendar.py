# SPDX-License-Identifier: MIT
from __future__ import annotations

import logging
import os
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component, Timezone

from daemon.followups.feed import FeedServer, load_or_create_token, new_token
from daemon.followups.ics import CalendarItem, build_calendar, write_atomic

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 12, 2, 9, 0, tzinfo=PARIS)


def call(**changes: object) -> CalendarItem:
    item = CalendarItem(
        uid="relance-3-call@relance",
        kind="call",
        start=datetime(2025, 12, 9, 17, 15, tzinfo=PARIS),
        end=datetime(2025, 12, 9, 17, 30, tzinfo=PARIS),
        summary="Appeler Acme (Développeuse Python)",
        description="Numéro : +33 1 23 45 67 89\nBonjour, je suis Camille Martin; nous nous sommes vus le 2.",
        location="Acme, 3 rue de la Paix, Paris",
        url="https://acme.example/jobs/42?ref=a;b",
        sequence=1,
        alarm_minutes=30,
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(cal: Calendar) -> list[Component]:
    return list(cal.walk("VEVENT"))


def vtimezones(cal: Calendar) -> dict[str, Component]:
    return {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}


def lines(data: bytes) -> list[str]:
    """Content lines, unfolded."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


# --- build_calendar -------------------------------------------------------


def test_calendar_header_announces_a_published_feed_refreshed_every_15_minutes() -> None:
    data = build_calendar([call()], tz="Europe/Paris", now=NOW)
    cal = parse(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//relance//relance//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "relance"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT15M" in lines(data)
    assert "X-PUBLISHED-TTL:PT15M" in lines(data)


def test_event_carries_exactly_the_expected_properties() -> None:
    (event,) = events(parse(build_calendar([call()], tz="Europe/Paris", now=NOW)))
    assert set(event.keys()) == {
        "UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION",
        "LOCATION", "URL", "STATUS", "TRANSP",
    }  # fmt: skip
    assert str(event["UID"]) == "relance-3-call@relance"
    assert event.decoded("SEQUENCE") == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert str(event["SUMMARY"]) == "Appeler Acme (Développeuse Python)"
    assert str(event["LOCATION"]) == "Acme, 3 rue de la Paix, Paris"
    assert str(event["URL"]) == "https://acme.example/jobs/42?ref=a;b"
    assert str(event["DESCRIPTION"]).startswith("Numéro : +33 1 23 45 67 89\nBonjour, je suis")
    assert event.decoded("DTSTAMP") == datetime(2025, 12, 2, 8, 0, tzinfo=UTC)


def test_call_at_1715_paris_shows_as_1715_local_with_a_vtimezone_for_its_tzid() -> None:
    data = build_calendar([call()], tz="Europe/Paris", now=NOW)
    cal = parse(data)
    (event,) = events(cal)
    assert "DTSTART;TZID=Europe/Paris:20251209T171500" in lines(data)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (17, 15)
    assert start.utcoffset() == timedelta(hours=1)
    assert set(vtimezones(cal)) == {"Europe/Paris"}
    assert cal.get_missing_tzids() == set()


def test_july_and_january_share_one_vtimezone_that_covers_both_offsets() -> None:
    winter = call(uid="w@relance", start=datetime(2025, 1, 14, 17, 15, tzinfo=PARIS),
                  end=datetime(2025, 1, 14, 17, 30, tzinfo=PARIS))  # fmt: skip
    summer = call(uid="s@relance", start=datetime(2025, 7, 15, 17, 15, tzinfo=PARIS),
                  end=datetime(2025, 7, 15, 17, 30, tzinfo=PARIS))  # fmt: skip
    cal = parse(build_calendar([summer, winter], tz="Europe/Paris", now=NOW))
    zones = vtimezones(cal)
    assert list(zones) == ["Europe/Paris"]
    # Resolve the local times through the VTIMEZONE itself, not the system's zoneinfo.
    paris = zones["Europe/Paris"]
    assert isinstance(paris, Timezone)
    own = paris.to_tz(lookup_tzid=False)
    assert datetime(2025, 1, 14, 17, 15, tzinfo=own).utcoffset() == timedelta(hours=1)
    assert datetime(2025, 7, 15, 17, 15, tzinfo=own).utcoffset() == timedelta(hours=2)
    starts = [e.decoded("DTSTART") for e in events(cal)]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=1), timedelta(hours=2)]


def test_vtimezone_is_limited_to_the_years_in_use_plus_and_minus_one() -> None:
    data = build_calendar([call()], tz="Europe/Paris", now=NOW)
    text = lines(data)
    block = text[text.index("TZID:Europe/Paris") : text.index("END:VTIMEZONE")]
    onsets = [
        value
        for line in block
        if line.startswith(("DTSTART:", "RDATE:"))
        for value in line.partition(":")[2].split(",")
    ]
    assert {value[:4] for value in onsets} == {"2024", "2025", "2026"}


def test_recruiter_zone_and_user_zone_each_get_a_vtimezone() -> None:
    london = call(uid="l@relance", start=datetime(2025, 12, 9, 17, 0, tzinfo=LONDON),
                  end=datetime(2025, 12, 9, 17, 15, tzinfo=LONDON))  # fmt: skip
    cal = parse(build_calendar([london], tz="Europe/Paris", now=NOW))
    assert set(vtimezones(cal)) == {"Europe/London", "Europe/Paris"}
    (event,) = events(cal)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert cal.get_missing_tzids() == set()


@pytest.mark.parametrize("zone", [UTC, timezone(timedelta(hours=2)), ZoneInfo("UTC")])
def test_times_without_a_usable_zone_name_are_shown_in_the_user_zone(zone: timezone | ZoneInfo) -> None:
    instant = datetime(2025, 12, 9, 16, 15, tzinfo=UTC)
    item = call(start=instant.astimezone(zone), end=(instant + timedelta(minutes=15)).astimezone(zone))
    data = build_calendar([item], tz="Europe/Paris", now=NOW)
    assert "DTSTART;TZID=Europe/Paris:20251209T171500" in lines(data)
    assert "DTEND;TZID=Europe/Paris:20251209T173000" in lines(data)


def test_valarm_displays_the_summary_the_given_minutes_before_start() -> None:
    (event,) = events(parse(build_calendar([call(alarm_minutes=45)], tz="Europe/Paris", now=NOW)))
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == "Appeler Acme (Développeuse Python)"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-45)
    assert set(alarm.keys()) == {"ACTION", "DESCRIPTION", "TRIGGER"}


def test_same_input_gives_the_same_bytes_in_start_then_uid_order() -> None:
    debrief = call(uid="relance-3-debrief@relance", kind="debrief",
                   start=datetime(2025, 12, 2, 11, 30, tzinfo=PARIS),
                   end=datetime(2025, 12, 2, 12, 0, tzinfo=PARIS))  # fmt: skip
    twin = call(uid="relance-2-call@relance")
    items = [call(), debrief, twin]
    first = build_calendar(items, tz="Europe/Paris", now=NOW)
    assert build_calendar(items, tz="Europe/Paris", now=NOW) == first
    assert build_calendar(list(reversed(items)), tz="Europe/Paris", now=NOW) == first
    uids = [str(e["UID"]) for e in events(parse(first))]
    assert uids == ["relance-3-debrief@relance", "relance-2-call@relance", "relance-3-call@relance"]


def test_cancelled_item_is_marked_cancelled_free_and_without_alarm() -> None:
    (event,) = events(parse(build_calendar([call(cancelled=True, sequence=4)], tz="Europe/Paris", now=NOW)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event.decoded("SEQUENCE") == 4
    assert event.walk("VALARM") == []


def test_thank_you_reminder_does_not_block_time() -> None:
    (event,) = events(parse(build_calendar([call(kind="thank_you")], tz="Europe/Paris", now=NOW)))
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_text_from_mail_cannot_add_properties() -> None:
    item = call(
        summary="Entretien\r\nATTENDEE:evil\u2028DTSTART:19700101T000000Z\x00\x7f\x85x",
        location="Salle 1\nATTENDEE:evil\u2029ORGANIZER:x",
        description="ligne 1\r\nATTENDEE:evil\u2028ligne 3\x00\tfin\x1b",
        url="https://acme.example/\u2028ATTENDEE:evil",
    )
    data = build_calendar([item], tz="Europe/Paris", now=NOW)
    (event,) = events(parse(data))
    assert set(event.keys()) == {
        "UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION",
        "LOCATION", "STATUS", "TRANSP",
    }  # fmt: skip
    text = lines(data)
    vevent = text[text.index("BEGIN:VEVENT") : text.index("END:VEVENT")]
    assert not any(line.startswith(("ATTENDEE", "ORGANIZER", "DTSTART:")) for line in vevent)
    for raw in ("\u2028", "\u2029", "\x00", "\x7f", "\x85", "\x1b"):
        assert raw.encode("utf-8") not in data
    assert str(event["SUMMARY"]) == "Entretien ATTENDEE:evil DTSTART:19700101T000000Z x"
    assert str(event["LOCATION"]) == "Salle 1 ATTENDEE:evil ORGANIZER:x"
    assert str(event["DESCRIPTION"]) == "ligne 1\nATTENDEE:evil\nligne 3\tfin"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "https://a.example/x y", ""])
def test_only_plain_http_urls_are_kept(url: str) -> None:
    (event,) = events(parse(build_calendar([call(url=url)], tz="Europe/Paris", now=NOW)))
    assert "URL" not in event


def test_empty_feed_still_declares_the_user_zone() -> None:
    cal = parse(build_calendar([], tz="Europe/Paris", now=NOW))
    assert events(cal) == []
    assert set(vtimezones(cal)) == {"Europe/Paris"}


@pytest.mark.parametrize(
    "bad",
    [
        {"start": datetime(2025, 12, 9, 17, 15)},
        {"kind": "party"},
        {"end": datetime(2025, 12, 9, 17, 0, tzinfo=PARIS)},
        {"alarm_minutes": -5},
        {"start": datetime(9999, 12, 31, 17, 15, tzinfo=PARIS), "end": datetime(9999, 12, 31, 17, 30, tzinfo=PARIS)},
        {"start": datetime(1, 1, 1, 17, 15, tzinfo=PARIS)},
        {"uid": "\r\n"},
    ],
)
def test_an_invalid_item_is_left_out_with_a_log_line_and_the_others_published(
        bad: dict[str, object], caplog: pytest.LogCaptureFixture) -> None:
    items = [call(uid="ok@relance"), call(**{"uid": "bad@relance", **bad})]
    cal = parse(build_calendar(items, tz="Europe/Paris", now=NOW))

    assert [str(e["UID"]) for e in events(cal)] == ["ok@relance"]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "left out" in r.getMessage()]


def test_duplicate_uids_and_unknown_zone_are_refused() -> None:
    with pytest.raises(ValueError):
        build_calendar([call(), call()], tz="Europe/Paris", now=NOW)
    with pytest.raises(ValueError):
        build_calendar([call()], tz="Mars/Olympus_Mons", now=NOW)


# --- write_atomic ---------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_creates_a_private_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "data" / "relance.ics"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one"
    assert mode(target) == 0o600
    assert mode(target.parent) & 0o077 == 0
    assert os.listdir(target.parent) == ["relance.ics"]


def test_write_atomic_replaces_a_wider_file_with_a_private_one(tmp_path: Path) -> None:
    target = tmp_path / "relance.ics"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600
    assert os.listdir(tmp_path) == ["relance.ics"]


# --- tokens ---------------------------------------------------------------


def test_new_token_is_url_safe_and_long_enough() -> None:
    token = new_token()
    assert len(token) >= 22  # 22 base64url characters carry 132 bits
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert new_token() != token


def test_token_file_is_created_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "state" / "feed-token"
    token = load_or_create_token(path)
    assert mode(path) == 0o600
    assert mode(path.parent) & 0o077 == 0
    assert load_or_create_token(path) == token
    assert sorted(os.listdir(path.parent)) == ["feed-token"]


def test_token_file_readable_by_others_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "feed-token"
    path.write_text(new_token() + "\n")
    path.chmod(0o644)
    load_or_create_token(path)
    assert mode(path) == 0o600


def test_corrupt_token_file_is_an_error_not_a_silent_new_url(tmp_path: Path) -> None:
    path = tmp_path / "feed-token"
    path.write_text("short\n")
    with pytest.raises(ValueError):
        load_or_create_token(path)


# --- FeedServer -----------------------------------------------------------

# A direct opener: an http_proxy in the environment must not intercept 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Feed:
    def __init__(self) -> None:
        self.body = build_calendar([call()], tz="Europe/Paris", now=NOW)
        self.token = new_token()
        self.server = FeedServer("127.0.0.1", 0, self.token, lambda: self.body)

    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


@pytest.fixture(scope="module")
def served() -> Iterator[Feed]:
    # One server for the module: stopping one waits out serve_forever's poll interval.
    f = Feed()
    f.server.start()
    yield f
    f.server.stop()


@pytest.fixture
def feed(served: Feed, caplog: pytest.LogCaptureFixture) -> Iterator[Feed]:
    caplog.set_level(logging.DEBUG, logger="daemon.followups.feed")
    served.body = build_calendar([call()], tz="Europe/Paris", now=NOW)
    yield served
    for record in caplog.records:
        assert served.token not in record.getMessage()
        assert served.token[:16] not in record.getMessage()


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_feed_serves_the_calendar_at_the_secret_url(feed: Feed) -> None:
    assert feed.server.port != 0
    assert feed.server.url() == f"{feed.base()}/{feed.token}/relance.ics"
    status, headers, body = fetch(feed.server.url())
    assert status == 200
    assert body == feed.body
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "private, max-age=0"
    assert headers["ETag"].startswith('"')


def test_head_gives_the_headers_without_the_body(feed: Feed) -> None:
    status, headers, body = fetch(feed.server.url(), method="HEAD")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(feed.body))


def test_etag_gives_304_until_the_calendar_changes(feed: Feed) -> None:
    _, headers, _ = fetch(feed.server.url())
    etag = headers["ETag"]
    status, again, body = fetch(feed.server.url(), headers={"If-None-Match": etag})
    assert status == 304
    assert body == b""
    assert again["ETag"] == etag
    feed.body = build_calendar([call(sequence=2)], tz="Europe/Paris", now=NOW)
    status, changed, body = fetch(feed.server.url(), headers={"If-None-Match": etag})
    assert status == 200
    assert body == feed.body
    assert changed["ETag"] != etag


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/{token}",
        "/{token}/",
        "/{token}/other.ics",
        "/{token}/relance.ics/",
        "/{token}/relance.ics?x=1",
        "/{token}x/relance.ics",
        "/{near}/relance.ics",
        "/relance.ics",
        "/../",
        "/{token}/../{token}/relance.ics",
    ],
)
def test_every_other_path_is_a_bare_404(feed: Feed, path: str) -> None:
    near = feed.token[:-1] + ("A" if feed.token[-1] != "A" else "B")
    status, _, body = fetch(feed.base() + path.format(token=feed.token, near=near))
    assert status == 404
    assert feed.token.encode() not in body
    assert body == b"404 Not Found\n"


def test_other_methods_are_refused_without_echoing_the_request(feed: Feed) -> None:
    status, _, body = fetch(feed.server.url(), method="POST")
    assert status == 501
    assert feed.token.encode() not in body


def test_log_lines_show_method_status_and_a_redacted_path(
    feed: Feed, caplog: pytest.LogCaptureFixture
) -> None:
    fetch(feed.server.url())
    fetch(feed.base() + "/favicon.ico")
    messages = [r.getMessage() for r in caplog.records if "calendar feed: GET" in r.getMessage()]
    assert "calendar feed: GET 200 '/…/relance.ics'" in messages
    assert "calendar feed: GET 404 '/favicon.ico'" in messages


def test_stopped_server_no_longer_answers() -> None:
    f = Feed()
    f.server.start()
    url = f.server.url()
    assert fetch(url)[0] == 200
    f.server.stop()
    with pytest.raises(urllib.error.URLError):
        fetch(url)


def test_feed_server_refuses_a_weak_token() -> None:
    with pytest.raises(ValueError):
        FeedServer("127.0.0.1", 0, "short", lambda: b"")
