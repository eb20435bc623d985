# SPDX-License-Identifier: MIT
"""One calendar part (text/calendar, .ics) from any client, turned into CalendarEvents.

icalendar reads the events; this module reads the VTIMEZONEs itself and maps every
TZID to an IANA zone on its own, because icalendar keeps the first VTIMEZONE it
sees for a name for the whole process, and senders reuse names with other rules.

All-day (DATE) events come out at midnight in the calendar's zone (X-WR-TIMEZONE,
else the default zone); they are never interviews, so no flag is kept for them.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from icalendar import Calendar

from daemon.model import CalendarEvent
from daemon.text import JOIN_LINK, join_link
from daemon.understand.zones import UTC, CalendarZones, index_vtimezones, split_content_line

log = logging.getLogger(__name__)




# Properties that carry the join link itself, best first.
_LINK_PROPERTIES = (
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-GOOGLE-CONFERENCE",
    "CONFERENCE",
)
# The properties _parse and _event read: icalendar is handed these alone. Its parsing is most of the cost
# of a calendar part, and goes mostly to what nothing here reads (ATTENDEE lists of a large meeting,
# X-ALT-DESC's HTML, alarms, recurrence rules).
_READ = frozenset({
    "BEGIN", "END", "METHOD", "X-WR-TIMEZONE", "UID", "SEQUENCE", "X-MICROSOFT-CDO-APPT-SEQUENCE", "DTSTAMP",
    "DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "ORGANIZER", "STATUS",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK", *_LINK_PROPERTIES,
})
_PROPERTY_NAME = re.compile(r"[A-Z0-9-]+")  # RFC 5545 iana-token and x-name, upper case
# Nothing that separates, quotes or groups addresses, and no control character.
_EMAIL = re.compile(r"^[^@\s<>\"\x00-\x1f\x7f(),;:\[\]\\]+@[^@\s<>\"\x00-\x1f\x7f(),;:\[\]\\]+$")



def is_calendar_part(content_type: str, filename: str | None, payload_head: bytes) -> bool:
    """Whether a MIME leaf part is a calendar, whatever its sender called it."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype in {"text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics"}:
        return True
    name = (filename or "").strip().strip('"').lower()
    if name.endswith((".ics", ".vcs", ".ical", ".icalendar")):
        return True
    head = (payload_head or b"").lstrip(b"\xef\xbb\xbf").lstrip()
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def parse_calendar(data: bytes, *, default_tz: str = "Europe/Paris") -> list[CalendarEvent]:
    """Every VEVENT of one calendar part; [] when the part cannot be read. Never raises."""
    try:
        return _parse(data, default_tz)
    except Exception as error:  # a broken part must never stop the daemon
        # The exception text quotes the input: only its type is logged.
        log.warning("calendar part skipped: %s", type(error).__name__)
        return []


def _parse(data: bytes, default_tz: str) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for block in _blocks(_logical_lines(_decode(data))):
        rest, vtimezones = _take_vtimezones(block)
        calendars = Calendar.from_ical("\r\n".join(rest) + "\r\n", multiple=True)
        for calendar in calendars:
            zones = CalendarZones(index_vtimezones(vtimezones), _text(calendar, "X-WR-TIMEZONE"), default_tz)
            method = _text(calendar, "METHOD")
            for vevent in calendar.walk("VEVENT"):
                event = _safe_event(vevent, method.upper() if method else None, zones)
                if event is not None:
                    events.append(event)
    return events


def _safe_event(vevent: Any, method: str | None, zones: CalendarZones) -> CalendarEvent | None:
    try:
        return _event(vevent, method, zones)
    except Exception as error:  # one odd VEVENT must not hide the others
        log.warning("calendar event skipped: %s", type(error).__name__)
        return None


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Outlook and Notes parts without a charset are Windows-1252 in practice.
        return data.decode("cp1252", errors="replace")


def _logical_lines(text: str) -> list[str]:
    """Unfolded content lines, without the blank ones some clients leave in."""
    # Pieces are joined once: adding them one by one is quadratic on a long ATTACH.
    pieces: list[list[str]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and pieces:
            pieces[-1].append(raw[1:])
        elif raw.strip():
            pieces.append([raw])
    lines = ["".join(parts) for parts in pieces]
    return [line for line in lines if not _is_inline_binary(line)]


def _is_inline_binary(line: str) -> bool:
    """An attached file inside the event: never needed here, and slow to decode."""
    name, params, _ = split_content_line(line)
    return name == "ATTACH" and ("BASE64" in params.upper() or "BINARY" in params.upper())


def _blocks(lines: list[str]) -> list[list[str]]:
    """Top-level components, each with its BEGIN/END balanced.

    Truncated parts get their missing ENDs, stray ENDs and lines outside any
    component are dropped: icalendar refuses both, and the event is often intact.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    stack: list[str] = []
    for line in lines:
        name, _, value = split_content_line(line)
        component = value.strip().upper()
        if name == "BEGIN":
            if component:
                stack.append(component)
                current.append(f"BEGIN:{component}")
        elif name == "END":
            if component not in stack:
                continue
            while stack[-1] != component:
                current.append(f"END:{stack.pop()}")
            stack.pop()
            current.append(f"END:{component}")
            if not stack:
                blocks.append(current)
                current = []
        elif stack:
            current.append(line)
    if stack:
        current.extend(f"END:{component}" for component in reversed(stack))
        blocks.append(current)
    return blocks


def _take_vtimezones(block: list[str]) -> tuple[list[str], list[list[str]]]:
    """Split the VTIMEZONEs out, so that icalendar never sees (nor caches) them, and leave out of the
    rest the properties nothing here reads (_READ)."""
    rest: list[str] = []
    vtimezones: list[list[str]] = []
    inside: list[str] | None = None
    for line in block:
        name, _, value = split_content_line(line)
        is_vtimezone = value.strip().upper() == "VTIMEZONE"
        if inside is None and name == "BEGIN" and is_vtimezone:
            inside = [line]
        elif inside is not None:
            inside.append(line)
            if name == "END" and is_vtimezone:
                vtimezones.append(inside)
                inside = None
        elif name in _READ or not _is_property(name, line):
            rest.append(line)  # a line that is no property at all is icalendar's to refuse
    return rest, vtimezones


def _is_property(name: str, line: str) -> bool:
    return ":" in line and _PROPERTY_NAME.fullmatch(name) is not None


# --- one VEVENT ---------------------------------------------------------------------


def _event(vevent: Any, method: str | None, zones: CalendarZones) -> CalendarEvent:
    start, tzid = _when(vevent.get("DTSTART"), zones)
    organizer_email, organizer_name = _organizer(vevent)
    status = _text(vevent, "STATUS")
    return CalendarEvent(
        method=method,
        uid=_text(vevent, "UID"),
        sequence=_sequence(vevent),
        dtstamp=_dtstamp(vevent),
        start=start,
        end=_end(vevent, zones, start),
        tzid=tzid,
        summary=_text(vevent, "SUMMARY"),
        location=_text(vevent, "LOCATION"),
        description=_text(vevent, "DESCRIPTION"),
        url=_join_link(vevent),
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        status=status.upper() if status else None,
    )


def _first(prop: Any) -> Any:
    """icalendar gives a list when a property is repeated; the first one counts."""
    if isinstance(prop, list):
        return prop[0] if prop else None
    return prop


def _text(component: Any, name: str) -> str | None:
    value = _first(component.get(name))
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _value(prop: Any) -> tuple[Any, dict[str, Any]]:
    prop = _first(prop)
    if prop is None:
        return None, {}
    try:
        value = prop.dt  # a broken property raises here
    except Exception:
        return None, {}
    return value, dict(getattr(prop, "params", {}) or {})


def _when(prop: Any, zones: CalendarZones) -> tuple[datetime | None, str | None]:
    value, params = _value(prop)
    if isinstance(value, datetime):
        tzid = params.get("TZID")
        if tzid:
            # icalendar may attach a zone from its process-wide cache: only the
            # wall time it read is trusted.
            return zones.localize(str(tzid), value.replace(tzinfo=None))
        if value.tzinfo is not None:
            return zones.utc(value)
        return zones.floating(value)
    if isinstance(value, date):
        return zones.floating(datetime.combine(value, time()))
    return None, None


def _end(vevent: Any, zones: CalendarZones, start: datetime | None) -> datetime | None:
    """DTEND first, then DURATION: senders that write both disagree, and DTEND is explicit."""
    end, _ = _when(vevent.get("DTEND"), zones)
    if end is not None or start is None:
        return end
    duration, _ = _value(vevent.get("DURATION"))
    if isinstance(duration, timedelta):
        return _add_duration(start, duration)
    start_value, _ = _value(vevent.get("DTSTART"))
    if isinstance(start_value, date) and not isinstance(start_value, datetime):
        return start + timedelta(days=1)
    return None


def _add_duration(start: datetime, duration: timedelta) -> datetime:
    """Days are calendar days, hours are exact hours (RFC 5545 3.3.6), across DST too."""
    if duration < timedelta(0):
        return (start.astimezone(UTC) + duration).astimezone(_tz(start))
    by_days = start + timedelta(days=duration.days)
    exact = timedelta(seconds=duration.seconds, microseconds=duration.microseconds)
    return (by_days.astimezone(UTC) + exact).astimezone(_tz(start))


def _tz(value: datetime) -> tzinfo:
    return value.tzinfo if value.tzinfo is not None else UTC


def _dtstamp(vevent: Any) -> datetime | None:
    value, _ = _value(vevent.get("DTSTAMP"))
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    return None


def _sequence(vevent: Any) -> int:
    for name in ("SEQUENCE", "X-MICROSOFT-CDO-APPT-SEQUENCE"):
        text = _text(vevent, name)
        if text is not None:
            try:
                # RFC 5545 INTEGER is 32-bit; a larger one would not fit the records either
                return min(max(int(text), 0), 2**31 - 1)
            except ValueError:
                continue
    return 0


def _organizer(vevent: Any) -> tuple[str | None, str | None]:
    prop = _first(vevent.get("ORGANIZER"))
    if prop is None:
        return None, None
    params = getattr(prop, "params", {}) or {}
    name = str(params.get("CN") or "").strip().strip('"').strip() or None
    if name and _address(name):
        name = None  # Google writes the address as CN when it knows no name
    # iCloud's value is a relay (…@imip.me.com) and EMAIL the person; SENT-BY is the
    # assistant who sent it, kept only when nothing better is there.
    for candidate in (params.get("EMAIL"), str(prop), params.get("SENT-BY")):
        email = _address(candidate)
        if email:
            return email, name
    return None, name


def _address(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).strip().strip('"').strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip().strip("<>").strip()
    return text if _EMAIL.match(text) else None


def _join_link(vevent: Any) -> str | None:
    for name in _LINK_PROPERTIES:
        link = _http(_text(vevent, name))
        if link:
            return link
    url = _http(_text(vevent, "URL"))
    if url and JOIN_LINK.match(url):
        return url
    for name in ("LOCATION", "DESCRIPTION"):
        link = join_link(_text(vevent, name) or "")
        if link:
            return link
    # An event page or a company site is less likely the meeting than the above.
    return _http(_text(vevent, "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK")) or url


def _http(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not re.match(r"^https?://\S+$", value, re.I):
        return None
    return value
