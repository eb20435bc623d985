# SPDX-License-Identifier: MIT
"""Time zones as calendar parts name them: TZIDs (IANA, Windows, Outlook display names, vendor
prefixes, free text with offsets) mapped to IANA zones, and VTIMEZONE rules read without icalendar
to check them, or to find the zone that follows them."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from dateutil.rrule import rrulestr

log = logging.getLogger(__name__)

UTC = ZoneInfo("UTC")
# A content line's name and parameters: anything up to a colon, quoted values whole.
_LINE_HEAD = re.compile(r'(?:[^:"]|"[^"]*")*')

# Windows zone IDs (what Exchange, Outlook and Teams write in TZID) to IANA, after
# the "001" territory of CLDR's windowsZones. Order matters: when a calendar only
# gives rules, the first zone here that follows them is chosen.
WINDOWS_ZONES: dict[str, str] = {
    # Europe and around
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Romance Standard Time": "Europe/Paris",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "GTB Standard Time": "Europe/Bucharest",
    "FLE Standard Time": "Europe/Kyiv",
    "E. Europe Standard Time": "Europe/Chisinau",
    "Kaliningrad Standard Time": "Europe/Kaliningrad",
    "Russian Standard Time": "Europe/Moscow",
    "Belarus Standard Time": "Europe/Minsk",
    "Turkey Standard Time": "Europe/Istanbul",
    "Astrakhan Standard Time": "Europe/Astrakhan",
    "Saratov Standard Time": "Europe/Saratov",
    "Volgograd Standard Time": "Europe/Volgograd",
    "Russia Time Zone 3": "Europe/Samara",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Libya Standard Time": "Africa/Tripoli",
    "Namibia Standard Time": "Africa/Windhoek",
    "Sudan Standard Time": "Africa/Khartoum",
    "South Sudan Standard Time": "Africa/Juba",
    "Sao Tome Standard Time": "Africa/Sao_Tome",
    "Mauritius Standard Time": "Indian/Mauritius",
    # The Americas
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "US Mountain Standard Time": "America/Phoenix",
    "Alaskan Standard Time": "America/Anchorage",
    "Aleutian Standard Time": "America/Adak",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Atlantic Standard Time": "America/Halifax",
    "Newfoundland Standard Time": "America/St_Johns",
    "Canada Central Standard Time": "America/Regina",
    "Yukon Standard Time": "America/Whitehorse",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Central America Standard Time": "America/Guatemala",
    "SA Pacific Standard Time": "America/Bogota",
    "Haiti Standard Time": "America/Port-au-Prince",
    "Cuba Standard Time": "America/Havana",
    "Turks And Caicos Standard Time": "America/Grand_Turk",
    "Venezuela Standard Time": "America/Caracas",
    "SA Western Standard Time": "America/La_Paz",
    "Central Brazilian Standard Time": "America/Cuiaba",
    "Pacific SA Standard Time": "America/Santiago",
    "Magallanes Standard Time": "America/Punta_Arenas",
    "Easter Island Standard Time": "Pacific/Easter",
    "Paraguay Standard Time": "America/Asuncion",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Tocantins Standard Time": "America/Araguaina",
    "Bahia Standard Time": "America/Bahia",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Montevideo Standard Time": "America/Montevideo",
    "Greenland Standard Time": "America/Nuuk",
    "Saint Pierre Standard Time": "America/Miquelon",
    # Asia and the Middle East
    "Israel Standard Time": "Asia/Jerusalem",
    "West Bank Standard Time": "Asia/Hebron",
    "Jordan Standard Time": "Asia/Amman",
    "Middle East Standard Time": "Asia/Beirut",
    "Syria Standard Time": "Asia/Damascus",
    "Arabic Standard Time": "Asia/Baghdad",
    "Arab Standard Time": "Asia/Riyadh",
    "Arabian Standard Time": "Asia/Dubai",
    "Iran Standard Time": "Asia/Tehran",
    "Azerbaijan Standard Time": "Asia/Baku",
    "Georgian Standard Time": "Asia/Tbilisi",
    "Caucasus Standard Time": "Asia/Yerevan",
    "Afghanistan Standard Time": "Asia/Kabul",
    "Pakistan Standard Time": "Asia/Karachi",
    "West Asia Standard Time": "Asia/Tashkent",
    "Ekaterinburg Standard Time": "Asia/Yekaterinburg",
    "Qyzylorda Standard Time": "Asia/Qyzylorda",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Central Asia Standard Time": "Asia/Bishkek",
    "Omsk Standard Time": "Asia/Omsk",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "N. Central Asia Standard Time": "Asia/Novosibirsk",
    "Altai Standard Time": "Asia/Barnaul",
    "Tomsk Standard Time": "Asia/Tomsk",
    "W. Mongolia Standard Time": "Asia/Hovd",
    "North Asia Standard Time": "Asia/Krasnoyarsk",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Taipei Standard Time": "Asia/Taipei",
    "North Asia East Standard Time": "Asia/Irkutsk",
    "Ulaanbaatar Standard Time": "Asia/Ulaanbaatar",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "North Korea Standard Time": "Asia/Pyongyang",
    "Transbaikal Standard Time": "Asia/Chita",
    "Yakutsk Standard Time": "Asia/Yakutsk",
    "Vladivostok Standard Time": "Asia/Vladivostok",
    "Sakhalin Standard Time": "Asia/Sakhalin",
    "Magadan Standard Time": "Asia/Magadan",
    "Russia Time Zone 10": "Asia/Srednekolymsk",
    "Russia Time Zone 11": "Asia/Kamchatka",
    # Oceania
    "W. Australia Standard Time": "Australia/Perth",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "Tasmania Standard Time": "Australia/Hobart",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "Central Pacific Standard Time": "Pacific/Guadalcanal",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Fiji Standard Time": "Pacific/Fiji",
    "Tonga Standard Time": "Pacific/Tongatapu",
    "Samoa Standard Time": "Pacific/Apia",
    # Without a place
    "UTC": "UTC",
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "UTC-09": "Etc/GMT+9",
    "UTC-08": "Etc/GMT+8",
    "UTC-02": "Etc/GMT+2",
    "UTC+12": "Etc/GMT-12",
    "UTC+13": "Etc/GMT-13",
}

# Display names: Outlook for Mac writes them as the TZID, Windows shows them after a
# "(UTC+01:00) " prefix, which is stripped before the lookup.
DISPLAY_ZONES: dict[str, str] = {
    "Dublin, Edinburgh, Lisbon, London": "Europe/London",
    "Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London": "Europe/London",
    "Monrovia, Reykjavik": "Atlantic/Reykjavik",
    "Casablanca, Monrovia, Reykjavik": "Atlantic/Reykjavik",
    "Coordinated Universal Time": "UTC",
    "Brussels, Copenhagen, Madrid, Paris": "Europe/Paris",
    "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna": "Europe/Berlin",
    "Belgrade, Bratislava, Budapest, Ljubljana, Prague": "Europe/Budapest",
    "Sarajevo, Skopje, Warsaw, Zagreb": "Europe/Warsaw",
    "West Central Africa": "Africa/Lagos",
    "Athens, Bucharest": "Europe/Bucharest",
    "Athens, Bucharest, Istanbul": "Europe/Bucharest",
    "Athens, Istanbul, Minsk": "Europe/Bucharest",
    "Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius": "Europe/Kyiv",
    "Helsinki, Kiev, Riga, Sofia, Tallinn, Vilnius": "Europe/Kyiv",
    "Chisinau": "Europe/Chisinau",
    "Cairo": "Africa/Cairo",
    "Harare, Pretoria": "Africa/Johannesburg",
    "Jerusalem": "Asia/Jerusalem",
    "Istanbul": "Europe/Istanbul",
    "Moscow, St. Petersburg": "Europe/Moscow",
    "Moscow, St. Petersburg, Volgograd": "Europe/Moscow",
    "Nairobi": "Africa/Nairobi",
    "Kuwait, Riyadh": "Asia/Riyadh",
    "Abu Dhabi, Muscat": "Asia/Dubai",
    "Tehran": "Asia/Tehran",
    "Islamabad, Karachi": "Asia/Karachi",
    "Chennai, Kolkata, Mumbai, New Delhi": "Asia/Kolkata",
    "Bangkok, Hanoi, Jakarta": "Asia/Bangkok",
    "Beijing, Chongqing, Hong Kong, Urumqi": "Asia/Shanghai",
    "Kuala Lumpur, Singapore": "Asia/Singapore",
    "Taipei": "Asia/Taipei",
    "Osaka, Sapporo, Tokyo": "Asia/Tokyo",
    "Seoul": "Asia/Seoul",
    "Canberra, Melbourne, Sydney": "Australia/Sydney",
    "Brisbane": "Australia/Brisbane",
    "Perth": "Australia/Perth",
    "Auckland, Wellington": "Pacific/Auckland",
    "Eastern Time (US & Canada)": "America/New_York",
    "Central Time (US & Canada)": "America/Chicago",
    "Mountain Time (US & Canada)": "America/Denver",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Pacific Time (US & Canada); Tijuana": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "Alaska": "America/Anchorage",
    "Hawaii": "Pacific/Honolulu",
    "Atlantic Time (Canada)": "America/Halifax",
    "Newfoundland": "America/St_Johns",
    "Saskatchewan": "America/Regina",
    "Guadalajara, Mexico City, Monterrey": "America/Mexico_City",
    "Bogota, Lima, Quito": "America/Bogota",
    "Bogota, Lima, Quito, Rio Branco": "America/Bogota",
    "Caracas": "America/Caracas",
    "Santiago": "America/Santiago",
    "Brasilia": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "City of Buenos Aires": "America/Argentina/Buenos_Aires",
    "Montevideo": "America/Montevideo",
}

_UTC_NAMES = {"z", "utc", "gmt", "etc/utc", "etc/gmt", "universal", "zulu", "ut"}
_DISPLAY_PREFIX = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:[-+\u2212]\s*\d{1,2}(?:[:.]?\d{2})?)?\s*\)\s*", re.I)
_NAME_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?(?!\d)", re.I)
_OFFSET_VALUE = re.compile(r"^([+-])(\d{2})(\d{2})(\d{2})?$")
_BASIC_DATETIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?Z?$")
_UNTIL = re.compile(r"UNTIL=([0-9TZ]+);?", re.I)

# A rule in a VTIMEZONE that never ends would otherwise iterate for ever.
_MAX_ONSETS = 5000
# Onsets are worked out this many years either side of the time asked, enough for
# the one-year window in which a VTIMEZONE is compared with IANA zones.
_YEARS_AROUND = 3
_FIT_WINDOW = timedelta(days=366)

# --- VTIMEZONE rules, read without icalendar ---------------------------------------


@dataclass(frozen=True)
class _Rules:
    """The offsets a VTIMEZONE defines: from each onset (naive UTC) on, one offset."""

    onsets: tuple[datetime, ...]
    offsets: tuple[timedelta, ...]
    initial: timedelta
    hints: tuple[str, ...]  # X-LIC-LOCATION and the like: the IANA name, when given

    def at_utc(self, instant: datetime) -> timedelta:
        index = bisect.bisect_right(self.onsets, instant)
        return self.initial if index == 0 else self.offsets[index - 1]

    def at_local(self, wall: datetime) -> timedelta:
        """The offset of a wall time; like zoneinfo's fold=0 in gaps and repeated hours."""
        guesses = set(self.offsets) | {self.initial}
        valid = [offset for offset in guesses if self.at_utc(wall - offset) == offset]
        if valid:
            return max(valid)
        return self.at_utc(wall - max(guesses))


def index_vtimezones(vtimezones: list[list[str]]) -> dict[str, list[str]]:
    """VTIMEZONE lines by TZID; the rules are only worked out when a time needs them."""
    found: dict[str, list[str]] = {}
    for lines in vtimezones:
        for line in lines:
            name, _, value = split_content_line(line)
            if name == "BEGIN" and value.strip().upper() != "VTIMEZONE":
                break  # a TZID inside STANDARD/DAYLIGHT is no name for the zone
            if name == "TZID" and _clean_tzid(value):
                found.setdefault(_zone_key(value), lines)
                break
    return found


def _read_vtimezone(lines: list[str], year: int) -> _Rules | None:
    """The rules of one VTIMEZONE, exact for a few years around `year`."""
    hints: list[str] = []
    observances: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in lines[1:-1]:
        name, _, value = split_content_line(line)
        if name == "BEGIN":
            current = {}
        elif name == "END":
            if current is not None:
                observances.append(current)
            current = None
        elif current is not None:
            current.setdefault(name, []).append(value.strip())
        elif name in ("X-LIC-LOCATION", "X-ENTOURAGE-CFTIMEZONE"):
            hints.append(value.strip())
    onsets = sorted(onset for observance in observances for onset in _onsets(observance, year))
    if not onsets:
        return None
    return _Rules(
        onsets=tuple(onset for onset, _, _ in onsets),
        offsets=tuple(offset_to for _, _, offset_to in onsets),
        initial=onsets[0][1],
        hints=tuple(hints),
    )


def _onsets(observance: dict[str, list[str]], year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC onset, offset before, offset after) for one STANDARD or DAYLIGHT."""
    offset_to = _offset(_first_value(observance, "TZOFFSETTO"))
    start = _basic_datetime(_first_value(observance, "DTSTART"))
    if offset_to is None or start is None:
        return []
    offset_from = _offset(_first_value(observance, "TZOFFSETFROM")) or offset_to
    walls = [start]
    for rule in observance.get("RRULE", []):
        walls.extend(_occurrences(rule, start, offset_from, year))
    for rdate in observance.get("RDATE", []):
        walls.extend(_rdates(rdate))
    return [(wall - offset_from, offset_from, offset_to) for wall in walls]


def _occurrences(rule: str, start: datetime, offset_from: timedelta, year: int) -> Iterator[datetime]:
    """Onsets of one RRULE from a few years before `year` to a few years after."""
    until_match = _UNTIL.search(rule)
    until = _basic_datetime(until_match.group(1)) if until_match else None
    until_is_utc = bool(until_match and until_match.group(1).upper().endswith("Z"))
    horizon = datetime(min(year + _YEARS_AROUND, 9999), 12, 31)
    try:
        # dateutil refuses a UTC UNTIL with a floating start; it is applied below.
        occurrences = rrulestr(_UNTIL.sub("", rule).strip(";"), dtstart=_skip_ahead(rule, start, year, until))
    except Exception:
        return
    for count, wall in enumerate(occurrences):
        if count >= _MAX_ONSETS or wall > horizon:
            return
        if until is not None and (wall - offset_from if until_is_utc else wall) > until:
            return
        yield wall


def _skip_ahead(rule: str, start: datetime, year: int, until: datetime | None) -> datetime:
    """A later start for a plain yearly rule: Exchange starts them in 1601, and
    walking four centuries of onsets for every part is the slow part of parsing."""
    upper = rule.upper()
    plain_yearly = "FREQ=YEARLY" in upper and "COUNT=" not in upper and not re.search(r"INTERVAL=0*[2-9]", upper)
    floor = year - _YEARS_AROUND
    if until is not None:
        # A rule that ended long ago still gives the last onset before the window.
        floor = min(floor, until.year - 1)
    if not plain_yearly or start.year >= floor:
        return start
    try:
        return start.replace(year=floor)
    except ValueError:  # 29 February
        return start


def _rdates(value: str) -> Iterator[datetime]:
    for item in value.split(","):
        wall = _basic_datetime(item.split("/", 1)[0])
        if wall is not None:
            yield wall


def _first_value(observance: dict[str, list[str]], name: str) -> str:
    values = observance.get(name)
    return values[0] if values else ""


def _offset(value: str) -> timedelta | None:
    match = _OFFSET_VALUE.match(value.strip())
    if not match:
        return None
    sign, hours, minutes, seconds = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    if offset >= timedelta(hours=24):
        return None
    return -offset if sign == "-" else offset


def _basic_datetime(value: str) -> datetime | None:
    match = _BASIC_DATETIME.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups(default="0"))
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


# --- TZID to zone -----------------------------------------------------------------


def _clean_tzid(tzid: str) -> str:
    return " ".join(tzid.replace("\\,", ",").replace("\\;", ";").strip().strip('"').split())


def _zone_key(tzid: str) -> str:
    return _clean_tzid(tzid).lower()


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def _windows_names() -> dict[str, str]:
    table = {name.lower(): iana for name, iana in WINDOWS_ZONES.items()}
    table.update((name.lower(), iana) for name, iana in DISPLAY_ZONES.items())
    return table


@lru_cache(maxsize=512)
def iana_for_tzid(tzid: str) -> str | None:
    """The IANA name behind a TZID written by any client, or None when it names no zone."""
    name = _clean_tzid(tzid)
    key = name.lower()
    if key in _UTC_NAMES:
        return "UTC"
    if key in _iana_names():
        return _iana_names()[key]
    windows = _windows_names()
    for candidate in (
        key,
        key + " standard time",  # Lotus Notes drops the suffix: "Romance"
        key.replace(" daylight time", " standard time"),
        _DISPLAY_PREFIX.sub("", key),
    ):
        if candidate in windows:
            return windows[candidate]
    return _vendor_prefixed(name)


def _vendor_prefixed(name: str) -> str | None:
    """The IANA name at the end of a vendor path such as /mozilla.org/20050126_1/Europe/Paris."""
    parts = [part for part in name.split("/") if part]
    for length in (3, 2, 1):
        if len(parts) > length:
            candidate = "/".join(parts[-length:]).lower()
            if candidate in _iana_names() and "/" in candidate:
                return _iana_names()[candidate]
    return None


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except Exception:
        return None


def _candidates(rules: _Rules, preferred: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for name in (*rules.hints, *preferred, *WINDOWS_ZONES.values()):
        iana = iana_for_tzid(name) if name else None
        if iana and iana not in seen:
            seen.add(iana)
            yield iana


def _follows(zone: ZoneInfo, rules: _Rules, wall: datetime) -> bool:
    """Whether an IANA zone gives the same offsets as the rules for a year each side."""
    centre = wall - rules.at_local(wall)
    low, high = centre - _FIT_WINDOW, centre + _FIT_WINDOW
    samples = [low + timedelta(days=day) for day in range(0, 2 * _FIT_WINDOW.days + 1, 7)]
    first = bisect.bisect_left(rules.onsets, low)
    last = bisect.bisect_right(rules.onsets, high)
    for onset in rules.onsets[first:last]:
        samples += [onset - timedelta(hours=1), onset + timedelta(hours=1)]
    return all(sample.replace(tzinfo=UTC).astimezone(zone).utcoffset() == rules.at_utc(sample) for sample in samples)


class CalendarZones:
    """Local times of one VCALENDAR made aware, with its own VTIMEZONEs as the truth."""

    def __init__(self, vtimezones: dict[str, list[str]], calendar_zone: str | None, default_tz: str) -> None:
        self._vtimezones = vtimezones
        self._rules: dict[tuple[str, int], _Rules | None] = {}
        self._fits: dict[tuple[str, int], str | None] = {}
        self.calendar_zone = iana_for_tzid(calendar_zone) if calendar_zone else None
        self.fallback = self.calendar_zone or iana_for_tzid(default_tz) or "UTC"

    def floating(self, wall: datetime) -> tuple[datetime, str | None]:
        return wall.replace(tzinfo=ZoneInfo(self.fallback)), self.fallback

    def utc(self, instant: datetime) -> tuple[datetime, str | None]:
        instant = instant.astimezone(UTC)
        if self.calendar_zone:
            return instant.astimezone(ZoneInfo(self.calendar_zone)), self.calendar_zone
        return instant, None

    def rules(self, tzid: str, wall: datetime) -> _Rules | None:
        key = _zone_key(tzid)
        lines = self._vtimezones.get(key)
        if lines is None:
            return None
        if (key, wall.year) not in self._rules:
            try:
                self._rules[key, wall.year] = _read_vtimezone(lines, wall.year)
            except Exception as error:  # the name alone may still be enough
                log.warning("VTIMEZONE ignored: %s", type(error).__name__)
                self._rules[key, wall.year] = None
        return self._rules[key, wall.year]

    def localize(self, tzid: str, wall: datetime) -> tuple[datetime, str | None]:
        rules = self.rules(tzid, wall)
        name = iana_for_tzid(tzid)
        zone = _zone(name) if name else None
        aware = wall.replace(tzinfo=zone) if zone is not None else None
        if aware is not None and (rules is None or aware.utcoffset() == rules.at_local(wall)):
            return aware, name
        if rules is not None:
            if zone is not None:
                log.warning("a TZID disagrees with its VTIMEZONE; the VTIMEZONE wins")
            return self._by_rules(tzid, rules, wall)
        return self._by_name_offsets(tzid, wall)

    def _by_rules(self, tzid: str, rules: _Rules, wall: datetime) -> tuple[datetime, str | None]:
        key = (_zone_key(tzid), wall.year)
        if key not in self._fits:
            self._fits[key] = next(
                (
                    name
                    for name in _candidates(rules, (self.fallback,))
                    if (zone := _zone(name)) is not None and _follows(zone, rules, wall)
                ),
                None,
            )
        fit = self._fits[key]
        if fit is not None:
            return wall.replace(tzinfo=ZoneInfo(fit)), fit
        return wall.replace(tzinfo=timezone(rules.at_local(wall))), None

    def _by_name_offsets(self, tzid: str, wall: datetime) -> tuple[datetime, str | None]:
        """No VTIMEZONE and no known name: offsets written in the name, else the fallback."""
        offsets = [
            (-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes or 0))
            for sign, hours, minutes in _NAME_OFFSET.findall(tzid)
        ]
        offsets = [offset for offset in offsets if abs(offset) < timedelta(hours=24)]
        if len(offsets) >= 2:
            fit = _zone_with_offsets(wall.year, set(offsets[:2]), self.fallback)
            if fit is not None:
                return wall.replace(tzinfo=ZoneInfo(fit)), fit
        if offsets:
            return wall.replace(tzinfo=timezone(offsets[0])), None
        log.warning("unknown TZID without VTIMEZONE; the calendar's default zone is used")
        aware, _ = self.floating(wall)
        return aware, None


def _zone_with_offsets(year: int, offsets: set[timedelta], preferred: str) -> str | None:
    """A zone whose winter and summer offsets are these two (standard / daylight)."""
    for name in (preferred, *WINDOWS_ZONES.values()):
        zone = _zone(name)
        if zone is None:
            continue
        seasons = {datetime(year, month, 15, tzinfo=zone).utcoffset() for month in (1, 7)}
        if seasons == offsets:
            return name
    return None


def split_content_line(line: str) -> tuple[str, str, str]:
    """(upper-case name, raw parameters, value): the first colon outside quotes ends the name."""
    head = _LINE_HEAD.match(line)
    end = head.end() if head else 0
    if end >= len(line) or line[end] != ":":
        return line.strip().upper(), "", ""
    name, _, params = line[:end].partition(";")
    return name.strip().upper(), params, line[end + 1 :]
