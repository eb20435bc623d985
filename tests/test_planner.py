# SPDX-License-Identifier: MIT
"""The planner alone: due times from an interview, business days, holidays, zones, DST."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from daemon.config import CallSettings, FollowupSettings, ThankYouSettings
from daemon.followups import planner

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = FollowupSettings(
    thank_you=ThankYouSettings(at=time(9, 0), max_delay=timedelta(days=2)),
    call=CallSettings(after=time(17, 0), minutes=15),
    debrief_after=timedelta(minutes=30),
    holidays="FR",
)


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def planned(start: str, end: str | None = None, **kwargs: object) -> dict[str, tuple[datetime, datetime | None]]:
    items = planner.plan(at(start), at(end) if end else None, SETTINGS, PARIS, **kwargs)  # type: ignore[arg-type]
    return {p.kind: (p.due, p.end) for p in items}


def test_debrief_half_an_hour_after_the_end_thank_you_next_morning_call_a_week_later() -> None:
    plan = planned("2026-12-03T14:30:00+01:00", "2026-12-03T15:30:00+01:00")
    assert plan == {
        "debrief": (at("2026-12-03T16:00:00+01:00"), at("2026-12-03T16:30:00+01:00")),
        "thank_you": (at("2026-12-04T09:00:00+01:00"), at("2026-12-04T09:15:00+01:00")),
        "call": (at("2026-12-10T17:15:00+01:00"), at("2026-12-10T17:30:00+01:00")),
    }


def test_without_an_end_the_interview_counts_one_hour() -> None:
    assert planned("2026-12-03T14:30:00+01:00")["debrief"][0] == at("2026-12-03T16:00:00+01:00")


def test_mail_only_plans_no_call() -> None:
    assert sorted(planned("2026-12-03T14:30:00+01:00", mail_only=True)) == ["debrief", "thank_you"]


def test_thank_you_is_drafted_on_saturday_but_the_call_waits_for_monday() -> None:
    # Friday interview: J+1 is a Saturday (a mail can wait in Drafts), J+7 a Friday
    plan = planned("2026-12-11T10:00:00+01:00")
    assert plan["thank_you"][0] == at("2026-12-12T09:00:00+01:00")
    plan = planned("2026-12-05T10:00:00+01:00")  # a Saturday interview: J+7 Saturday, call Monday
    assert plan["call"][0] == at("2026-12-14T17:15:00+01:00")


@pytest.mark.parametrize(("country", "call"), [
    ("FR", "2026-12-28T17:15:00+01:00"),  # Christmas, then the weekend
    ("GB", "2026-12-29T17:15:00+01:00"),  # and Boxing Day observed on Monday 28
])
def test_public_holidays_of_the_given_country_move_the_call(country: str, call: str) -> None:
    assert planned("2026-12-18T10:00:00+01:00", country=country)["call"][0] == at(call)


def test_call_after_17h_in_the_recruiters_zone_shown_in_the_users() -> None:
    plan = planned("2026-12-08T10:00:00+01:00", recruiter_zone=LONDON)
    due = plan["call"][0]
    assert due == at("2026-12-15T18:15:00+01:00")
    assert due.astimezone(LONDON).time() == time(17, 15)
    assert due.tzinfo == PARIS


def test_dst_change_between_interview_and_call_in_the_users_zone() -> None:
    # Europe leaves summer time on Sunday 25 October 2026
    plan = planned("2026-10-20T10:00:00+02:00")
    assert plan["call"][0] == at("2026-10-27T17:15:00+01:00")
    assert plan["call"][0].astimezone(PARIS).utcoffset() == timedelta(hours=1)


def test_dst_changes_on_different_dates_in_the_two_zones() -> None:
    # 27 October 2026: Paris already on winter time (UTC+1), New York still on summer time (UTC-4)
    plan = planned("2026-10-20T16:00:00+02:00", recruiter_zone=NEW_YORK)
    assert plan["call"][0] == at("2026-10-27T22:15:00+01:00")
    assert plan["call"][0].astimezone(NEW_YORK) == at("2026-10-27T17:15:00-04:00")
    # a week later both are on winter time again: six hours apart
    plan = planned("2026-10-27T16:00:00+01:00", recruiter_zone=NEW_YORK)
    assert plan["call"][0] == at("2026-11-03T23:15:00+01:00")


def test_thank_you_at_nine_on_the_morning_after_a_spring_forward() -> None:
    # Saturday 28 March 2026 interview; Sunday 29 March the clocks go forward at 02:00
    plan = planned("2026-03-28T11:00:00+01:00")
    assert plan["thank_you"][0] == at("2026-03-29T09:00:00+02:00")


def test_too_late_only_concerns_the_thank_you() -> None:
    due = at("2026-12-04T09:00:00+01:00")
    assert not planner.too_late("thank_you", due, due + timedelta(days=2), SETTINGS)
    assert planner.too_late("thank_you", due, due + timedelta(days=2, minutes=1), SETTINGS)
    assert not planner.too_late("call", due, due + timedelta(days=30), SETTINGS)


@pytest.mark.parametrize(("phone", "zone"), [
    ("+44 20 7946 0958", "Europe/London"),
    ("01 99 00 12 34", "Europe/Paris"),  # national format: the configured country
    ("+1 212 555 0100", "America/New_York"),
    ("+41 44 668 18 00", "Europe/Zurich"),
    ("+1 800 555 0100", None),  # toll-free: all of North America
    ("not a number", None),
    (None, None),
])
def test_zone_of_a_phone_number(phone: str | None, zone: str | None) -> None:
    assert planner.zone_of_phone(phone, "FR") == zone


@pytest.mark.parametrize(("phone", "zone", "country"), [
    ("+44 20 7946 0958", None, "GB"),
    (None, "America/New_York", "US"),
    ("+41 44 668 18 00", "Europe/Zurich", "CH"),
    (None, None, "FR"),
    (None, "Etc/UTC", "FR"),
])
def test_holiday_country_from_phone_then_zone_then_default(phone: str | None, zone: str | None,
                                                           country: str) -> None:
    assert planner.holiday_country(phone, zone, "FR") == country
