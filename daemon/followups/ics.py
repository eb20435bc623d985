# SPDX-License-Identifier: MIT
"""The calendar feed: iCalendar bytes for the follow-ups, written atomically and served over HTTP."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone, vDuration
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

from daemon import window
from daemon.private import private_dir
from daemon.text import one_line

log = logging.getLogger(__name__)

PRODID = "-//relance//relance//EN"
CALNAME = "relance"
FEED_NAME = "relance.ics"
DEFAULT_BIND = "127.0.0.1"
KINDS = frozenset({"debrief", "thank_you", "call", "review"})
# a possible interview, held for the user's review, is not yet sure to happen
_TENTATIVE_KINDS = frozenset({"review"})

# A reminder to write a mail does not make the user busy; a call or a debrief does.
_TRANSPARENT_KINDS = frozenset({"thank_you"})

# Every C0/C1 control, DEL and the Unicode line/paragraph separators: some
# parsers split lines on them, so none may reach a content line raw.
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL_BUT_TAB_LF = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CalendarItem:
    """One follow-up as it should appear in the feed."""

    uid: str  # stable, e.g. "relance-3-call@relance"
    kind: str  # "debrief" | "thank_you" | "call" | "review"
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str
    location: str | None
    url: str | None
    sequence: int  # raised by the caller on every change
    alarm_minutes: int  # VALARM DISPLAY this many minutes before start
    cancelled: bool = False  # emitted once as STATUS:CANCELLED for clients that keep events
    stamp: datetime | None = None  # DTSTAMP: when this version was first published; None = now


def build_calendar(
    items: Sequence[CalendarItem],
    *,
    tz: str,
    now: datetime,
    refresh: timedelta = timedelta(minutes=15),
) -> bytes:
    """Serialize the items as one RFC 5545 VCALENDAR; the same input gives the same bytes.

    The calendar is built event by event: an item that cannot be shown (a
    record holding a date in the year 9999, a naive time) is left out with
    a log line naming its UID, and the others are published all the same.
    """
    home = _zone(tz)
    _require_aware(now, "now")
    usable = [item for item in items if _usable(item)]  # before sorting: naive and aware datetimes do not compare
    _check_unique_uids(usable)
    events = [event for item in sorted(usable, key=lambda i: (i.start, i.uid))
              if (event := _event_or_none(item, home, now)) is not None]
    cal = _calendar_header(refresh)
    for vtimezone in _vtimezones(events, home, now):
        cal.add_component(vtimezone)
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def build_resource(item: CalendarItem, *, tz: str, now: datetime) -> bytes:
    """One event as a CalDAV calendar object resource: the feed's VEVENT and its VTIMEZONEs, without
    METHOD (RFC 4791 forbids it in a collection) nor the feed's name and refresh interval."""
    home = _zone(tz)
    _require_aware(now, "now")
    _validate(item)
    event = _event(item, home, now)
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    for vtimezone in _vtimezones([event], home, now):
        cal.add_component(vtimezone)
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime")


def _check_unique_uids(items: Sequence[CalendarItem]) -> None:
    # Two VEVENTs with one UID and no RECURRENCE-ID are one event to a client:
    # it would keep either at random.
    seen: set[str] = set()
    for item in items:
        uid = _one_line(item.uid)
        if uid in seen:
            raise ValueError(f"duplicate calendar UID {uid!r}")
        seen.add(uid)


def _calendar_header(refresh: timedelta) -> Calendar:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", CALNAME)
    cal.add("x-wr-calname", CALNAME)
    # RFC 7986 requires VALUE=DURATION; icalendar's Calendar.new() leaves it out.
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # An X- property is text to icalendar: without vDuration it would print "0:15:00".
    cal.add("x-published-ttl", vDuration(refresh))
    return cal


def _event(item: CalendarItem, home: ZoneInfo, now: datetime) -> Event:
    zone = _item_zone(item.start, home)
    event = Event()
    event.add("uid", _one_line(item.uid))
    # An unchanged event keeps its DTSTAMP, so an unchanged feed keeps its bytes (and its ETag).
    event.add("dtstamp", (item.stamp or now).astimezone(UTC).replace(microsecond=0))
    event.add("sequence", item.sequence)
    event.add("dtstart", _local(item.start, zone))
    event.add("dtend", _local(item.end, zone))
    summary = _one_line(item.summary)
    event.add("summary", summary)
    _add_if(event, "description", _multi_line(item.description))
    _add_if(event, "location", _one_line(item.location or ""))
    _add_if(event, "url", _safe_url(item.url))
    event.add("status", "CANCELLED" if item.cancelled else "TENTATIVE" if item.kind in _TENTATIVE_KINDS
              else "CONFIRMED")
    transparent = item.cancelled or item.kind in _TRANSPARENT_KINDS
    event.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
    if not item.cancelled:
        event.add_component(_alarm(summary, item.alarm_minutes))
    return event


def _usable(item: CalendarItem) -> bool:
    try:
        _validate(item)
    except ValueError as exc:
        log.warning("calendar: event %r left out: %s", _one_line(item.uid)[:100], exc)
        return False
    return True


def _event_or_none(item: CalendarItem, home: ZoneInfo, now: datetime) -> Event | None:
    try:
        return _event(item, home, now)
    except (ValueError, OverflowError) as exc:
        log.warning("calendar: event %r left out: %s", _one_line(item.uid)[:100], type(exc).__name__)
        return None


def _validate(item: CalendarItem) -> None:
    if item.kind not in KINDS:
        raise ValueError(f"unknown calendar item kind {item.kind!r}")
    _require_aware(item.start, "start")
    _require_aware(item.end, "end")
    if item.stamp is not None:
        _require_aware(item.stamp, "stamp")
    for moment in (item.start, item.end):
        if (refused := window.out_of_range(moment)) is not None:
            raise ValueError(refused)
    if item.end < item.start:
        raise ValueError(f"{item.uid}: end before start")
    if item.sequence < 0 or item.alarm_minutes < 0:
        raise ValueError(f"{item.uid}: sequence and alarm_minutes must not be negative")
    if not _one_line(item.uid):
        raise ValueError("empty calendar UID")


def _item_zone(start: datetime, home: ZoneInfo) -> ZoneInfo:
    """The named zone the item keeps, or the user's zone when it has no usable name.

    A fixed offset would become TZID="UTC+02:00" with no VTIMEZONE to match,
    and UTC (or a zone icalendar deems equal to it) is written with Z and no
    TZID, so both are shown in the user's zone instead; the instant is the same.
    """
    zone = start.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key and tzid_from_tzinfo(zone) != "UTC":
        return zone
    return home


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone).replace(microsecond=0)


def _add_if(event: Event, name: str, value: str | None) -> None:
    if value:
        event.add(name, value)


def _alarm(summary: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary or CALNAME)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _valid_text(text: str) -> str:
    # Mail decoded with surrogateescape can carry lone surrogates, which
    # would make to_ical() fail on encoding.
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(text: str) -> str:
    """Text for a one-line property: controls become spaces, runs of blanks one space."""
    return one_line(_valid_text(text))


def _multi_line(text: str) -> str:
    """Text for DESCRIPTION: every line break becomes LF (icalendar escapes it), other controls go."""
    text = _LINE_BREAK.sub("\n", _valid_text(text))
    return _CONTROL_BUT_TAB_LF.sub("", text).strip()


def _safe_url(url: str | None) -> str | None:
    """Only a plain http(s) URL: calendar apps make URL clickable."""
    if not url:
        return None
    url = url.strip()
    if _ANY_CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return url


def _vtimezones(events: Sequence[Event], home: ZoneInfo, now: datetime) -> list[Timezone]:
    """One VTIMEZONE per TZID the events use, plus the user's zone, over the years in use ±1."""
    tzids = {tzid_from_tzinfo(home)}
    years: set[int] = set()
    for event in events:
        for name in ("DTSTART", "DTEND"):
            when: datetime = event.decoded(name)
            tzids.add(tzid_from_dt(when))
            years.add(when.year)
    if not years:
        years.add(now.astimezone(home).year)
    first = date(min(years) - 1, 1, 1)
    last = date(max(years) + 1, 12, 31)
    # UTC is written with Z and needs no VTIMEZONE.
    named = sorted(t for t in tzids if t and t != "UTC")
    return [_vtimezone(tzid, first, last) for tzid in named]


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    # Generating a VTIMEZONE walks the zone's transitions: slow enough to cache.
    # The cached component is only ever serialized, never changed.
    vtimezone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    # icalendar notes the range it covered ("This timezone only works from …"): a line a user reading the
    # file takes for a warning, and that changes the feed each new year for nothing
    vtimezone.pop("COMMENT", None)
    return vtimezone


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data so that a reader sees the old or the new file, never a mix."""
    parent = path.parent
    private_dir(parent)
    tmp = write_temp(parent, path.name, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(parent)


def write_temp(directory: Path, name: str, data: bytes) -> str:
    # mkstemp creates the file 0600, so the secret-bearing content is never
    # readable by others, not even for a moment.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def fsync_dir(directory: Path) -> None:
    # Without this the rename itself may be lost on a crash.
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


