# SPDX-License-Identifier: MIT
"""Pure functions: an interview and the settings in, the follow-ups due out.

- debrief: ``debrief_after`` (30 min) after the interview ends, while memory is fresh;
- thank_you: the day after the interview (J+1), at ``thank_you.at``, any day of the week (with
  ``thank_you.weekends: false``, a Saturday or Sunday J+1 moves to the next business day);
- call: seven days after (J+7), ``call.minutes`` after ``call.after`` (17:15 by default) in the
  recruiter's zone, moved to the next business day over weekends and public holidays;
  none when the recruiter asked for mail only.

The recruiter's zone and country come from what the record knows: a zone
named by the extractor (or set by hand), else the zone of the phone
number's area; the country of the phone number, else of the zone, else the
configured one.
"""

from __future__ import annotations

import importlib.resources
import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import phonenumbers
from phonenumbers import timezone as phone_zones

from daemon.config import FollowupSettings
from daemon.model import PlannedFollowup

log = logging.getLogger(__name__)

DEFAULT_LENGTH = timedelta(hours=1)
DEBRIEF_LENGTH = timedelta(minutes=30)
THANK_YOU_LENGTH = timedelta(minutes=15)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def load_data(country: str, today: date) -> None:
    """Build this year's and next year's holidays and the zone table now, not during the first scan."""
    _holidays(country, today.year)
    _holidays(country, today.year + 1)
    _zone_countries()


def is_business_day(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def next_business_day(day: date, country: str) -> date:
    while not is_business_day(day, country):
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO 3166 country, from tzdata's zone.tab (one country per zone)."""
    text = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coords, zone, *_ = line.split("\t")
            table.setdefault(zone, country)
    return table


def _phone_number(phone: str | None, default_region: str) -> phonenumbers.PhoneNumber | None:
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, default_region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def international_phone(phone: str, default_region: str) -> str | None:
    """The number in international format ("+33 1 23 45 67 89"), as the extractor writes it; None when
    it is not a valid number."""
    number = _phone_number(phone, default_region)
    if number is None:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def same_number(one: str | None, other: str | None, default_region: str = "FR") -> bool:
    """The same line however written ("06 12 34 56 78", "+33 6 12 34 56 78")."""
    first, second = _phone_number(one, default_region), _phone_number(other, default_region)
    return first is not None and first == second


def zone_of_phone(phone: str | None, default_region: str = "FR") -> str | None:
    """The IANA zone of the number's area, when it names one place (a London number: Europe/London).

    A number that spans zones (a US toll-free number, a mobile) tells nothing: None.
    """
    number = _phone_number(phone, default_region)
    if number is None:
        return None
    region = phonenumbers.region_code_for_number(number)
    zones = [z for z in phone_zones.time_zones_for_number(number) if z != phone_zones.UNKNOWN_TIMEZONE]
    if len(zones) > 1:
        zones = [z for z in zones if _zone_countries().get(z) == region]
    return zones[0] if len(zones) == 1 and _valid_zone(zones[0]) else None


def record_zone(name: str | None) -> ZoneInfo | None:
    """The zone a record names, or None when it names none or one this machine does not know."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r in a record, ignored", name)
        return None


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def holiday_country(phone: str | None, zone: str | None, default: str) -> str:
    """Whose public holidays move the call: the phone number's country, else the zone's, else ``default``."""
    supported = holidays.list_supported_countries()
    number = _phone_number(phone, default)
    for country in (phonenumbers.region_code_for_number(number) if number else None,
                    _zone_countries().get(zone or "")):
        if country and country in supported:
            return country
    return default


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    # zoneinfo resolves a wall time inside a DST gap or overlap by fold=0, which is what a person means
    return datetime.combine(day, clock, tzinfo=zone)


def debrief(start: datetime, end: datetime | None, settings: FollowupSettings) -> PlannedFollowup:
    due = (end or start + DEFAULT_LENGTH) + settings.debrief_after
    return PlannedFollowup("debrief", due, due + DEBRIEF_LENGTH)


def thank_you(start: datetime, settings: FollowupSettings, zone: ZoneInfo) -> PlannedFollowup:
    day = start.astimezone(zone).date() + timedelta(days=1)
    if not settings.thank_you.weekends and day.weekday() >= 5:
        # the user's own calendar: a Saturday J+1 waits for the next business day where they live
        day = next_business_day(day, settings.holidays)
    due = _at(day, settings.thank_you.at, zone)
    return PlannedFollowup("thank_you", due, due + THANK_YOU_LENGTH)


def call(start: datetime, settings: FollowupSettings, zone: ZoneInfo, *, recruiter_zone: ZoneInfo | None = None,
         country: str | None = None) -> PlannedFollowup:
    """J+7 in the recruiter's zone, after office hours' end there, shown in the user's zone."""
    where = recruiter_zone or zone
    day = next_business_day(start.astimezone(where).date() + timedelta(days=7), country or settings.holidays)
    slot = timedelta(minutes=settings.call.minutes)
    local = _at(day, settings.call.after, where) + slot
    due = local.astimezone(zone)
    return PlannedFollowup("call", due, due + slot)


def plan(start: datetime, end: datetime | None, settings: FollowupSettings, zone: ZoneInfo, *,
         recruiter_zone: ZoneInfo | None = None, country: str | None = None,
         mail_only: bool = False) -> list[PlannedFollowup]:
    """Every follow-up an interview at ``start`` calls for, times in ``zone``."""
    start = start.astimezone(zone)
    end = end.astimezone(zone) if end is not None else None
    planned = [
        _in_zone(debrief(start, end, settings), zone),
        thank_you(start, settings, zone),
    ]
    if not mail_only:
        planned.append(call(start, settings, zone, recruiter_zone=recruiter_zone, country=country))
    return planned


def _in_zone(item: PlannedFollowup, zone: ZoneInfo) -> PlannedFollowup:
    return PlannedFollowup(item.kind, item.due.astimezone(zone), item.end.astimezone(zone) if item.end else None)


def too_late(kind: str, due: datetime, now: datetime, settings: FollowupSettings) -> bool:
    """A thank-you drafted long after the interview reads stale: skip it instead."""
    return kind == "thank_you" and now - due > settings.thank_you.max_delay
