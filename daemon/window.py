# SPDX-License-Identifier: MIT
"""When an interview can be: the window of dates relance accepts, from a mail or from the command line.

A date far from the mail that gives it is a typo ("2062" for "2026"), a
parser's mistake or a hostile calendar part (``DTSTART:99991231T230000Z``).
Kept, it plans a J+7 past the year 9999 (an OverflowError in every cycle
after) or asks for a VTIMEZONE spanning thousands of years; so such a date is
refused where it comes in, and the calendar skips any record that still holds
one (a database written before this check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo

from daemon.errors import UserError

# No clock and no interview outside these, whatever the reference.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# An interview is at most this long before, or this long after, the mail (or the command) that names it.
BEFORE = timedelta(days=366)
AHEAD = timedelta(days=2 * 366)


def out_of_range(when: datetime) -> str | None:
    """Why an aware datetime lies outside the years relance deals with at all (2000-2099), or None."""
    if EARLIEST <= when < LATEST:
        return None
    return f"{_shown(when)} is not between {EARLIEST.year} and {LATEST.year - 1}"


def outside(when: datetime, reference: datetime) -> str | None:
    """Why ``when`` cannot be an interview's time as of ``reference`` (a mail's date, the clock), or None."""
    if (refused := out_of_range(when)) is not None:
        return refused
    if when < reference - BEFORE or when > reference + AHEAD:
        return f"{_shown(when)} is more than a year before or two years after {_shown(reference)}"
    return None


def reference(known: Iterable[datetime | None], zone: tzinfo) -> datetime:
    """What a mail's dates are judged against: the first plausible of ``known`` (its Date: header, its
    calendar part's DTSTAMP, the cycle's clock), else the clock in ``zone``."""
    for candidate in known:
        if candidate is not None and out_of_range(candidate) is None:
            return candidate
    return datetime.now(zone)


def refuse_outside(fields: Mapping[str, object], now: datetime) -> None:
    """A start or an end typed on the command line must lie in the window around the command's clock."""
    for name in ("start", "end"):
        value = fields.get(name)
        if isinstance(value, datetime) and (refused := outside(value, now)) is not None:
            raise UserError(f"{name}: {refused}; is the year right?")


def _shown(when: datetime) -> str:
    # isoformat() of a datetime near year 1 or 9999 works where astimezone() would overflow
    return when.isoformat(timespec="minutes")
