# SPDX-License-Identifier: MIT
"""Interview dates and times stated in the plain text of French and English mails.

`find_dates` returns every date that comes with a time of day, in order of appearance. It is a small grammar:
regular expressions built from word lists (months, weekdays, zones) kept as data below. dateparser was measured
against it on the phrasings of tests/test_textdates.py and did much worse (22 of 49 against 49, figures and
reasons at the top of that file): it has no end times, misreads many French forms ("jeudi prochain", "1er
décembre", "14 h 30") and zones written as "(London time)", and is about 20 times slower. `days_named` gives
the days a text names with their month ("mercredi 9 décembre", "3/12"), with or without a time.

Decisions a reader needs to know:

- Only what the sender wrote counts (understand/quotes.py), and office hours
  ("du lundi au vendredi de 9h à 18h", to the end of that sentence) are ignored.
- A date without a year is its next occurrence on or after the reference
  date, in the zone that applies. A weekday that contradicts the date is
  ignored: the date wins.
- "lundi prochain", "next Monday" and a bare "lundi" mean the first Monday
  strictly after the reference day; "ce lundi" / "this Monday" may be that
  day itself; "lundi de la semaine prochaine" / "Monday next week" is the
  Monday of the following (Monday-based) week.
- Numeric dates are day first (12/01 is 12 January) unless a number above 12
  forces the other order, or the mail is English and looks American: a
  month-name-first date ("January 12") or a US zone abbreviation in the text.
- Regional zone abbreviations (CET/CEST, BST, EST/EDT, PST/PDT, ...) stand for
  their region's IANA zone, not a fixed offset, because senders write "CET"
  all summer long and mean the local time. GMT, UTC and "UTC+2" are fixed.
- In an English mail, "at 2:30" with no am/pm and an hour from 1 to 6 is
  taken as the afternoon: nobody is interviewed at half past two at night.
- Start and end are given in the zone that applied (the stated one, else `tz`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from daemon.understand import datelayout, patterns
from daemon.understand.datewords import (
    CITY_ZONES,
    ENGLISH_WORDS,
    FIXED_TIMES,
    FRENCH_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    REGION_ZONES,
    RELATIVE_DAYS,
    US_ZONES,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_ABBREVIATIONS_ALONE,
    WEEKDAY_AFTER,
    WEEKDAY_BEFORE,
    WEEKDAYS,
    ZONE_ABBREVIATIONS,
    ZONE_PHRASES,
)
from daemon.understand.quotes import blank, blank_lines, history


@dataclass(frozen=True)
class FoundDate:
    start: datetime  # aware, in the zone the text named, else in `tz`
    end: datetime | None  # when a range was given ("de 10h à 11h")
    text: str  # the words the date and time were read from
    line: int  # 0-based line of `text` where they begin


# ---------------------------------------------------------------------------
# Patterns built from the vocabulary.

def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that "janvier" wins over "jan" and "mardi" over "mar".
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]") for word in ordered)


_FLAGS = re.IGNORECASE
_MONTH = rf"(?P<month>(?:{_alternation(list(MONTHS))})\b|(?:{_alternation(list(MONTH_ABBREVIATIONS))})\b\.?)"
_WD_ANY = rf"(?P<wd>(?:{_alternation(list(WEEKDAYS))})\b|(?:{_alternation(list(WEEKDAY_ABBREVIATIONS))})\b\.?)"
_WD_FULL = rf"(?P<wd>(?:{_alternation(list(WEEKDAYS))})\b|(?:{_alternation(WEEKDAY_ABBREVIATIONS_ALONE)})\b\.?)"
_DAY = r"(?<![\d/.:])(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?(?![\w:])"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_WD_PREFIX = rf"(?:{_WD_ANY},?\s+(?:the\s+|le\s+)?)?"

# a weekday in brackets after a date is part of it: "le 8 décembre (mardi) à 10h", "12/8 (Tue) at 10am"
_WD_BRACKETED = (rf"(?:\s*\(\s*(?:{_alternation(list(WEEKDAYS))}|{_alternation(list(WEEKDAY_ABBREVIATIONS))})\.?"
                 r"\s*\))?")
_DAY_MONTH = re.compile(rf"\b{_WD_PREFIX}{_DAY}(?:\s+of|\s+de)?\s+{_MONTH}(?:,?\s+{_YEAR})?{_WD_BRACKETED}", _FLAGS)
_AFTER_A_MONTH = re.compile(rf"{_MONTH}\s+(?:the\s+)?$", _FLAGS)
_MONTH_DAY = re.compile(rf"\b{_WD_PREFIX}{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?{_WD_BRACKETED}", _FLAGS)
_NUMERIC = re.compile(
    rf"(?:\b{_WD_ANY},?\s+(?:the\s+|le\s+)?)?(?<![\d/.:-])(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d\d))?(?![\d/])" + _WD_BRACKETED,
    _FLAGS,
)
_ISO = re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)")
# the day of the month may stand alone in brackets after the weekday: "jeudi (le 5) à 9h", "Thursday (the 5th) at
# 9am" (not "mardi (8 déc.)", a date of its own); "ce mardi 8" is the 8th, not this Tuesday
_WEEKDAY_DAY = re.compile(
    rf"(?:\b(?:ce|this)\s+)?\b{_WD_ANY}(?:\s+(?:prochain|next))?,?\s+"
    r"(?:\((?=\s*(?:le\s+|the\s+)?\d{1,2}(?:er|st|nd|rd|th)?\s*\))\s*)?"
    rf"(?:le\s+|the\s+)?{_DAY}(?:\s*\))?", _FLAGS)
# the weekday in brackets after the day of the month: "on the 8th (Tuesday) at 10am", "le 8 (mardi) à 10h"
_DAY_WEEKDAY = re.compile(rf"\b(?:le|the)\s+{_DAY}\s*\(\s*{_WD_ANY}\s*\)", _FLAGS)
_PART_OF_DAY = r"(?:\s+(?:matin|après-midi|apres-midi|aprèm|aprem|soir|morning|afternoon|arvo|evening))?"
_RELATIVE = re.compile(rf"\b(?P<rel>{_alternation(list(RELATIVE_DAYS))})\b{_PART_OF_DAY}", _FLAGS)
_WEEKDAY = re.compile(
    rf"(?:\b(?P<before>{_alternation(list(WEEKDAY_BEFORE))})\s+)?\b{_WD_FULL}"
    rf"(?:\s+(?P<after>{_alternation(list(WEEKDAY_AFTER))})\b)?{_PART_OF_DAY}",
    _FLAGS,
)

_CLOCK = re.compile(
    r"(?<![\d:/.,+])(?:(?P<hour>\d{1,2})(?!\d)"
    r"(?:\s?(?P<sep>heures?|h(?![a-zé])|:|\.)\s?(?P<minute>[0-5]\d(?!\d))?(?:(?P<hours>h|hrs?)\b)?)?"
    r"(?::[0-5]\d(?!\d))?"
    r"(?:\s?(?P<ampm>[ap])\.?\s?m\b\.?)?"
    # "1430", "0930-1030": the 24-hour clock written without a separator (hours 00 to 19: not a year 20xx)
    r"|(?P<military>[01]\d[0-5]\d)(?![\d:/.])"
    # "après-midi", "avant-midi" (Québec's morning) are parts of the day, not noon
    r"|(?<!-)\b(?P<word>" + _alternation(list(FIXED_TIMES)) + r")\b)",
    _FLAGS,
)
# What makes four digits a time of day rather than a number (a postcode, a reference): "at 1430", "à 0930",
# "1430h", "1430 hrs"; else only a range of two such ("1430-1530"). It makes "at 9.30" one too, as the British write
# it, where "03.12" alone is a date
_MILITARY_BEFORE = re.compile(r"(?:\bat|\bà|\ba|@|\bvers|\baround|\bfrom|\bdès)\s*$", _FLAGS)
_MILITARY_AFTER = re.compile(r"\s?(?:h|hrs?|hours|heures?)\b", _FLAGS)
_RANGE_GAP = re.compile(r"\s*(?:à|a|to|until|till|jusqu['’]à|-|–|—|et|and)\s*", _FLAGS)
_RANGE_OPENER = re.compile(r"(?:\bde|\bfrom|\bentre|\bbetween|\bdès|\bdes)\s*$", _FLAGS)

_ZONE = re.compile(
    r"[\s,(]{0,6}(?:"
    r"(?P<offset>(?-i:UTC|GMT)\s?(?P<sign>[+−-])(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?(?!\s?[ap]\.?m\b))"
    rf"|(?P<abbr>(?-i:{_alternation(list(ZONE_ABBREVIATIONS))}))\b"
    rf"|heure\s+(?:de\s+|d['’]\s*)(?P<city_fr>{_alternation(list(CITY_ZONES))})\b"
    rf"|(?P<city_en>{_alternation(list(CITY_ZONES))})\s+time\b"
    # the same time said again in the user's zone: "9:30am PT – that's 6:30pm for you in Paris"
    rf"|(?:for you|pour (?:vous|toi)|chez (?:vous|toi)),? (?:in|à|a) (?P<city_you>{_alternation(list(CITY_ZONES))})\b"
    # a time said where it is: "which is 4:30 - 5:30 PM in Paris", "16h à Genève" (there, or on its clocks)
    rf"|(?:in|à) (?P<city_in>{_alternation(list(CITY_ZONES))})\b"
    rf"|(?P<phrase>{_alternation(list(ZONE_PHRASES))})\b"
    rf"|(?P<region>{_alternation(list(REGION_ZONES))})\b(?!\s+europ)"
    r")\s*\)?",
    _FLAGS,
)

# Between a date and the time that follows it.
_GAP_DATE_TIME = re.compile(
    r"[\s,:|@–—·•-]*(?:prochain\s+|next\s+)?"
    r"(?:(?:à|a|at|@|vers|around|de|from|dès|des|starting\s+at|à\s+partir\s+de|a\s+partir\s+de"
    r"|entre|between|t)\s*)?(?:,\s*)?",  # "t": the T of "2027-01-12T14:30"
    _FLAGS,
)
# Between a time and the date that follows it ("à 14h le 12 janvier").
_GAP_TIME_DATE = re.compile(r"[\s,]*(?:(?:le|on|ce|this)\s+)?", _FLAGS)
# Same sentence, a few words apart ("Date : 12/01/2027\nHeure : 14h30"), a name and a verb between them included
# ("Tuesday: you're still seeing Mark Pennington at 11am").
_GAP_LOOSE = re.compile(r"[^.!?;\d\n]{0,60}(?:\n[^.!?;\d\n]{0,40})?")
# A form that gives the time first: "Heure : 14h30\nDate : 3/12/2026".
_GAP_LABELLED_DATE = re.compile(
    r"[^.!?;\d\n]{0,40}\n\s*(?:date|jour|day|when|quand)\s*:\s*(?:(?:le|on)\s+)?", _FLAGS
)
# A form whose labels stand on their own lines: "Date\nMonday, February 22, 2027\nTime\n9:30 AM", the time's row
# maybe a sentence that leads to it ("Time\nPlease arrive at 8:45 for a 9:00 start").
_GAP_TIME_LABEL = re.compile(r"[\s,]*\n\s*(?:time|heure|horaire|hour)s?\s*:?\s*\n\s*"
                             r"(?:[^.!?;\d\n]{0,40}?\b(?:at|à|from|de|dès|for\s+an?|starting)\s+)?", _FLAGS)
# Between the slots of a list ("10h, 14h ou 16h"), the rows of a table's sessions, or a new time and the old one
# it replaces ("à 14h30 au lieu de 14h cet après-midi": the same day).
_GAP_LIST = re.compile(r"[\s,/;]*(?:(?:ou|or|et|and)\s+)?(?:(?:à|at|de|from)\s+)?|" + datelayout.GAP_NEXT_ROW.pattern +
                       r"|[\s,]*(?:au\s+lieu\s+d(?:e\s+|['’])|instead\s+of\s+|rather\s+than\s+|plut[ôo]t\s+qu(?:e\s+|['’]))"
                       r"(?:(?:à|at)\s+)?", _FLAGS)

_OFFICE_HOURS = re.compile(
    rf"(?:\b(?:du|from|de)\s+)?\b{_WD_ANY}\s*(?:au|à|a|to|through|thru|till|until|-|–|—)\s*"
    rf"(?:{_alternation(list(WEEKDAYS) + list(WEEKDAY_ABBREVIATIONS))})\b[^.;!?\n]*",
    _FLAGS,
)
# Not a meeting's day or time: a week ("la semaine du 9 novembre", "week commencing 7th December") and a bound
# ("plutôt après 17h", "not before 10am"); blanked, as office hours are.
_A_CLOCK = r"\d{1,2}(?:\s?(?:h|:|\.)\s?(?:[0-5]\d)?)?(?:\s?[ap]\.?m\b\.?)?"
_NOT_A_MEETING = re.compile(
    r"\b(?:(?:la\s+)?semaine\s+du|week\s+(?:of|commencing|beginning|starting)|w/c)\s+(?:(?:the|le)\s+)?"
    r"(?:\d{1,2}(?:er|st|nd|rd|th)?(?:\s+(?:of\s+)?[^\W\d]{3,9}\.?)?|[^\W\d]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?)\b"
    r"|\b(?:apr[èe]s|after|avant|before|not\s+before|pas\s+avant)\s+\d{1,2}"
    r"(?:\s?(?:h|:)\s?(?:[0-5]\d)?|\.[0-5]\d|(?=\s?[ap]\.?m\b))(?:\s?[ap]\.?m\b\.?)?"
    # the time to arrive when the sentence gives the start: "arrive at 8:45 for a 9:00 start", "accueil à 8h45 pour
    # un début à 9h"
    rf"|\b(?:arrive|arrival|be there|be here|accueil|arriv[ée]e|pr[ée]sentez-vous)\s+(?:at|by|from|for|à|a|dès|vers)"
    rf"\s+{_A_CLOCK}(?=[^.\n]{{0,20}}\b(?:for|pour)\s+(?:an?\s+|un\s+)?(?:{_A_CLOCK}\s+start|d[ée]but\s+(?:à|a)\s+\d))",
    _FLAGS,
)
# A zone named in words anywhere ("(all UK time)", "heure de Paris") holds for the times that name none.
_NAMED_ZONE = patterns.Guarded(
    rf"\bheure\s+(?:de\s+|d['’]\s*)(?P<city_fr>{_alternation(list(CITY_ZONES))})\b"
    # "London time", "these are Eastern times", "all slots in UK times"
    rf"|\b(?P<city_en>{_alternation(list(CITY_ZONES))})\s+times?\b"
    rf"|\b(?P<phrase>{_alternation(list(ZONE_PHRASES))})s?\b"
    # a heading over the times, or a note on them: "Proposed times (GMT):", "Créneaux (CET)", "all times in UTC",
    # "shown in your time zone (CET)"
    rf"|\b(?:times?|slots?|heures?|horaires?|cr[ée]neaux|zone)\s?\((?P<heading>(?-i:{_alternation(list(ZONE_ABBREVIATIONS))}))\)"
    rf"|\ball\s+times\s+(?:are\s+|shown\s+)?(?:in\s+)?(?P<note>(?-i:{_alternation(list(ZONE_ABBREVIATIONS))}))\b",
    _FLAGS,
)
_WINDOW = 240  # characters either side of a time: beyond any date-to-time gap, a form's rows included
_US_ZONE = re.compile(rf"\b(?:{_alternation(US_ZONES)})\b")
_WORD = re.compile(r"[^\W\d_]+")


# ---------------------------------------------------------------------------
# Dates.

_DayRule = Callable[[date], date | None]


@dataclass(frozen=True)
class _DateHit:
    start: int
    end: int
    day: _DayRule  # from the reference day (in the zone that applies) to the date meant


def _key(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower().replace("’", "'").rstrip("."))


def _weekday_of(match: re.Match[str]) -> int:
    word = _key(match.group("wd"))
    return WEEKDAYS.get(word, WEEKDAY_ABBREVIATIONS.get(word, 0))


def _next_occurrence(month: int, day: int) -> _DayRule:
    def rule(today: date) -> date | None:
        for year in range(today.year, today.year + 9):  # 29 February waits for a leap year
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        return None

    return rule


def _fixed(year: int, month: int, day: int) -> _DayRule:
    try:
        found = date(year, month, day)
    except ValueError:
        return lambda today: None
    return lambda today: found


def _calendar_day(day: int, month: int, year: str | None) -> _DayRule:
    if not year:
        return _next_occurrence(month, day)
    full = int(year) + (2000 if len(year) == 2 else 0)
    return _fixed(full, month, day)


def _named_month_dates(text: str) -> Iterator[_DateHit]:
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            word = _key(m.group("month"))
            month = MONTHS.get(word) or MONTH_ABBREVIATIONS[word]
            yield _DateHit(m.start(), m.end(), _calendar_day(int(m.group("day")), month, m.group("year")))


def _numeric_dates(text: str, month_first: bool) -> Iterator[_DateHit]:
    for m in _NUMERIC.finditer(text):
        if m.group("sep") != "/" and not m.group("year"):
            continue  # "10-11" and "14.30" are ranges and times more often than dates
        a, b = int(m.group("a")), int(m.group("b"))
        if a > 12 or (b <= 12 and not month_first):
            day, month = a, b
        else:
            day, month = b, a
        if 1 <= month <= 12 and 1 <= day <= 31:
            yield _DateHit(m.start(), m.end(), _calendar_day(day, month, m.group("year")))
    for m in _ISO.finditer(text):
        rule = _fixed(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        yield _DateHit(m.start(), m.end(), rule)


def _day_of_month(weekday: int, day: int) -> _DayRule:
    # "mardi 12": the first 12th from the reference day on, preferring one that is a Tuesday.
    def rule(today: date) -> date | None:
        candidates: list[date] = []
        year, month = today.year, today.month
        for _ in range(12):
            try:
                candidate = date(year, month, day)
            except ValueError:
                candidate = None
            if candidate is not None and candidate >= today:
                candidates.append(candidate)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        matching = [c for c in candidates if c.weekday() == weekday]
        return next(iter(matching or candidates), None)

    return rule


def _weekday_rule(weekday: int, anchor: str) -> _DayRule:
    def rule(today: date) -> date | None:
        if anchor == "next_week":
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=weekday)
        ahead = (weekday - today.weekday()) % 7
        if anchor in ("week_after", "fortnight_after"):
            return today + timedelta(days=ahead + (7 if anchor == "week_after" else 14))
        if ahead == 0 and anchor == "next":
            ahead = 7
        return today + timedelta(days=ahead)

    return rule


def _days_later(days: int) -> _DayRule:
    return lambda today: today + timedelta(days=days)


def _relative_dates(text: str) -> Iterator[_DateHit]:
    for m in _RELATIVE.finditer(text):
        yield _DateHit(m.start(), m.end(), _days_later(RELATIVE_DAYS[_key(m.group("rel"))]))
    for pattern in (_WEEKDAY_DAY, _DAY_WEEKDAY):
        for m in pattern.finditer(text):
            yield _DateHit(m.start(), m.end(), _day_of_month(_weekday_of(m), int(m.group("day"))))
    for m in _WEEKDAY.finditer(text):
        before, after = m.group("before"), m.group("after")
        anchor = WEEKDAY_AFTER[_key(after)] if after else WEEKDAY_BEFORE[_key(before)] if before else "next"
        yield _DateHit(m.start(), m.end(), _weekday_rule(_weekday_of(m), anchor))


def _date_hits(text: str, month_first: bool) -> list[_DateHit]:
    hits = [*_named_month_dates(text), *_numeric_dates(text, month_first), *_relative_dates(text)]
    return _non_overlapping(hits)


def _non_overlapping(hits: list[_DateHit]) -> list[_DateHit]:
    # The longest reading wins: "mardi 12 janvier" over "ce mardi" in "ce mardi 12 janvier".
    kept: list[_DateHit] = []
    starts: list[int] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        i = bisect_right(starts, hit.start)
        if (i > 0 and kept[i - 1].end > hit.start) or (i < len(kept) and kept[i].start < hit.end):
            continue
        kept.insert(i, hit)
        starts.insert(i, hit.start)
    return kept


def _outside(dates: list[_DateHit], times: list[_TimeHit]) -> list[_TimeHit]:
    """The times that do not start inside a date: those would be misreadings of its digits."""
    starts = [d.start for d in dates]
    kept: list[_TimeHit] = []
    for hit in times:
        i = bisect_right(starts, hit.start) - 1
        if i < 0 or hit.start >= dates[i].end:
            kept.append(hit)
    return kept


# ---------------------------------------------------------------------------
# Times of day.

@dataclass(frozen=True)
class _Clock:
    start: int
    end: int
    hour: int
    minute: int
    ampm: str | None  # "a" or "p"
    complete: bool  # "14h", "2pm", "14:30", "midi"; a bare "10" only opens a range
    french: bool  # "14h", "midi": never shifted to the afternoon
    military: bool = False  # "1430": four digits, a time only when the text says so


@dataclass(frozen=True)
class _TimeHit:
    start: int
    end: int
    begin: time
    finish: time | None
    zone: tzinfo | None


def _clocks(text: str) -> list[_Clock]:
    found: list[_Clock] = []
    for m in _CLOCK.finditer(text):
        clock = _clock(m)
        if clock is not None and not clock.complete and datelayout.bare_hour(text, m.start(), clock.end):
            clock = replace(clock, complete=True)  # "Thursday at 3"
        if clock is not None:
            found.append(clock)
    return _military_ranges(text, found)


def _military_ranges(text: str, clocks: list[_Clock]) -> list[_Clock]:
    """"1430-1530": two four-digit clocks joined as a range are times, each alone could be any number."""
    for i, (first, second) in enumerate(pairwise(clocks)):
        if first.military and second.military and _RANGE_GAP.fullmatch(text, first.end, second.start) and \
                (first.hour, first.minute) < (second.hour, second.minute):
            clocks[i], clocks[i + 1] = replace(first, complete=True), replace(second, complete=True)
    return clocks


def _military_clock(m: re.Match[str]) -> _Clock:
    digits, text = m.group("military"), m.string
    stated = _MILITARY_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None
    suffix = _MILITARY_AFTER.match(text, m.end())
    end = suffix.end() if suffix else m.end()
    return _Clock(m.start(), end, int(digits[:2]), int(digits[2:]), None, stated or suffix is not None, True,
                  military=True)


def _clock(m: re.Match[str]) -> _Clock | None:
    if m.group("word"):
        fixed = FIXED_TIMES[m.group("word").lower()]
        return _Clock(m.start(), m.end(), fixed.hour, 0, None, True, True)
    if _glued_to_word(m):
        return None
    if m.group("military"):
        return _military_clock(m)
    sep, minute, ampm = (m.group("sep") or "").strip(), m.group("minute"), m.group("ampm")
    sep = "" if sep == "." and not minute else sep  # "see you Thursday at 10." ends a sentence: a bare number
    if (sep == ":" and not minute) or (sep == "." and not (minute and (ampm or m.group("hours")
                                                                       or _said_at(m.string, m.start(), m.end())))):
        return None  # a dot makes a time only in "9.30am", "10.00h" and "at 9.30"; "03.12" is a date
    hour = int(m.group("hour"))
    if hour > (12 if ampm else 23):
        return None
    complete = bool(sep or ampm)
    end = m.start() + len(m.group().rstrip()) if complete else m.end("hour")
    return _Clock(m.start(), end, hour, int(minute or 0), ampm.lower() if ampm else None, complete,
                  sep.lower().startswith("h"))


def _said_at(text: str, start: int, end: int) -> bool:
    """"at 9.30", "à 14.30": a time said as one, not a date ("le 03.12.2026") nor a number."""
    return _MILITARY_BEFORE.search(text, max(0, start - 8), start) is not None and \
        not (text[end:end + 1] in "./" and text[end + 1:end + 2].isdigit())


def _glued_to_word(m: re.Match[str]) -> bool:
    # "T14:30" in ISO dates is a time; "x14h" or "v2" is not.
    before = m.string[m.start() - 1 : m.start()]
    if not before.isalpha():
        return False
    return not (before in "Tt" and m.string[m.start() - 2 : m.start() - 1].isdigit())


def _time_hits(text: str, english: bool) -> list[_TimeHit]:
    clocks = _clocks(text)
    hits: list[_TimeHit] = []
    i = 0
    while i < len(clocks):
        first = clocks[i]
        second = clocks[i + 1] if i + 1 < len(clocks) else None
        if second is not None and _is_range(text, first, second):
            hits.append(_time_hit(text, first, second, english))
            i += 2
            continue
        if first.complete:
            hits.append(_time_hit(text, first, None, english))
        i += 1
    return hits


def _is_range(text: str, first: _Clock, second: _Clock) -> bool:
    _, after_zone = _zone_after(text, first.end)
    gap = _RANGE_GAP.fullmatch(text, after_zone, second.start)
    if gap is None or not second.complete:
        return False
    if not first.complete and _AFTER_A_MONTH.search(text, max(0, first.start - 16), first.start):
        return False  # "Monday, December 7 - 10:00 AM": the day of the month, then the time
    opened = _RANGE_OPENER.search(text, max(0, first.start - 12), first.start) is not None
    if gap.group().strip().lower() in {"et", "and"} and not opened:
        return False
    return first.complete or opened or (second.ampm is not None and gap.group().strip() in "-–—")


def _time_hit(text: str, first: _Clock, second: _Clock | None, english: bool) -> _TimeHit:
    finish = _time_of(second, None, english) if second else None
    begin = _time_of(first, second, english)
    end = second.end if second else first.end
    zone, end = _zone_after(text, end)
    return _TimeHit(first.start, end, begin, finish, zone)


def _time_of(clock: _Clock, range_end: _Clock | None, english: bool) -> time:
    hour = clock.hour
    ampm = clock.ampm
    if ampm is None and range_end is not None and range_end.ampm and not clock.french:
        ampm = _inherited_ampm(clock, range_end)
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    elif ampm is None and english and not clock.french and 1 <= hour <= 6 and clock.complete:
        hour += 12
    return time(hour, clock.minute)


def _inherited_ampm(clock: _Clock, range_end: _Clock) -> str:
    # "10-11am", "2:30-3:30 pm", but "11-1pm" is 11 in the morning.
    shift = 12 if range_end.ampm == "p" else 0
    if clock.hour % 12 + shift <= range_end.hour % 12 + shift:
        return range_end.ampm or "a"
    return "a"


def _zone_after(text: str, pos: int) -> tuple[tzinfo | None, int]:
    """The zone named right after `pos` ("CET", "(London time)", "UTC+2"), and where it ends."""
    m = _ZONE.match(text, pos)
    if m is None:
        return None, pos
    if m.group("offset"):
        sign = -1 if m.group("sign") in "-−" else 1
        offset = timedelta(hours=int(m.group("oh")), minutes=int(m.group("om") or 0))
        return timezone(sign * offset), m.end()
    if m.group("abbr"):
        return ZoneInfo(ZONE_ABBREVIATIONS[m.group("abbr")]), m.end()
    if m.group("region"):
        return ZoneInfo(REGION_ZONES[_key(m.group("region"))]), m.end()
    return ZoneInfo(_named_zone(m)), m.end()


# ---------------------------------------------------------------------------
# Dates and times together.

@dataclass(frozen=True)
class _Element:
    start: int
    end: int
    kind: str  # "date" or "time"
    index: int


def _pairs(text: str, dates: list[_DateHit], times: list[_TimeHit]) -> tuple[dict[int, int], dict[int, int]]:
    """Which date each time belongs to (time index -> date index), and where a day's programme ends (its first
    row's time index -> its closing row's)."""
    order = sorted(
        [_Element(d.start, d.end, "date", i) for i, d in enumerate(dates)]
        + [_Element(t.start, t.end, "time", i) for i, t in enumerate(times)],
        key=lambda e: e.start,
    )
    paired: dict[int, int] = {}
    # A date right before the time first ("lundi 3 décembre à 10h, mardi 4 à 11h"), then a date right after it
    # ("à 14h le 12 janvier"), then the same sentence, looking back before looking ahead.
    # Last, a table's later rows and the next sentence of the paragraph (understand/datelayout.py).
    passes = ((-1, _GAP_DATE_TIME, 1), (1, _GAP_TIME_DATE, 1), (-1, _GAP_LOOSE, 1), (-1, _GAP_TIME_LABEL, 2),
              (1, _GAP_LABELLED_DATE, 1), (-1, datelayout.GAP_ROWS, 5), (-1, datelayout.GAP_NEXT_SENTENCE, 1),
              (-1, datelayout.GAP_FORM, 14), (-1, datelayout.GAP_NEXT_PARAGRAPH, 2))
    for step, gap, lines in passes:  # looking back: first to last; looking ahead: last to first
        for position in range(len(order)) if step < 0 else reversed(range(len(order))):
            _link(text, order, position, position + step, gap, paired, lines)
    heads: list[int] = []  # each day's programme's first row
    for position in range(len(order)):  # last: a day's programme, whose first row only is a start
        before = set(paired)
        _link(text, order, position, position - 1, datelayout.GAP_PROGRAMME, paired, 4)
        heads += sorted(set(paired) - before)
    return paired, _programmes(text, times, heads, paired)


def _programmes(text: str, times: list[_TimeHit], heads: list[int], paired: dict[int, int]) -> dict[int, int]:
    """Each programme's first row -> its last row when that row ends it ("12:30 Close"); the later rows leave
    ``paired``: they are the programme's items, not times of their own."""
    ends: dict[int, int] = {}
    for head in heads:
        rows = datelayout.rows_after(text, [(t.start, t.end) for t in times], head)
        for row in rows:
            paired.pop(row, None)
        if rows and datelayout.PROGRAMME_END.match(text, times[rows[-1]].end):
            ends[head] = rows[-1]
    return ends


def _link(text: str, order: list[_Element], position: int, neighbour: int, date_gap: re.Pattern[str],
          paired: dict[int, int], lines: int = 1) -> None:
    element = order[position]
    if element.kind != "time" or element.index in paired or not 0 <= neighbour < len(order):
        return
    other = order[neighbour]
    left, right = (other, element) if neighbour < position else (element, other)
    if left.end > right.start or text.count("\n", left.end, right.start) > lines:
        return  # a blank line, or a quoted line blanked out, parts them
    if other.kind == "date" and date_gap.fullmatch(text, left.end, right.start):
        paired[element.index] = other.index
    elif other.kind == "time" and other.index in paired and _GAP_LIST.fullmatch(text, left.end, right.start):
        paired[element.index] = paired[other.index]


def _looks_english(text: str, language: str | None) -> bool:
    if language:
        return language.lower().startswith("en")
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in ENGLISH_WORDS for w in words) > sum(w in FRENCH_WORDS for w in words)


def find_dates(text: str, *, reference: datetime, tz: str, language: str | None = None) -> list[FoundDate]:
    """Every distinct date with a time of day stated in `text`, in order of appearance.

    `reference` (aware: the mail's Date header) anchors "demain", "next Monday"
    and dates without a year; `tz` is the zone assumed when the text names none.
    """
    if reference.tzinfo is None:
        raise ValueError("reference must be an aware datetime")
    visible = blank_lines(text, signature=True)
    default = stated_zone(visible) or ZoneInfo(tz)
    visible, links = datelayout.link_times(visible, default)
    found = [FoundDate(t.start, t.end, t.text, visible.count("\n", 0, t.offset)) for t in links]
    context = _Context(reference, default, language, _US_ZONE.search(visible) is not None)
    for start, end in _windows(visible):
        first_line = visible.count("\n", 0, start)
        found.extend(_find_in(visible[start:end], text[start:end], first_line, context))
    found = _distinct(sorted(found, key=lambda f: f.line))
    return [replace(found[a], end=found[b].end) for a, b in datelayout.back_to_back([(f.start, f.end) for f in found])]


def days_named(text: str, reference: date) -> list[date]:
    hits = [*_named_month_dates(text), *_numeric_dates(text, month_first=False)]
    return [day for day in (h.day(reference) for h in _non_overlapping(hits)) if day is not None]


def days_in(text: str, reference: date) -> list[date]:
    """Every day ``text`` names, with a time or not ("Friday", "lundi prochain", "3 Dec"), in order."""
    days = (hit.day(reference) for hit in _date_hits(text, month_first=False))
    return [day for day in days if day is not None]


def times_in(text: str, language: str | None = None) -> list[time]:
    """Every time of day ``text`` states ("3:30", "14h"; not a bare "2"), in order."""
    return [hit.begin for hit in _time_hits(text, _looks_english(text, language))]


def zoned_times_in(text: str, language: str | None = None) -> list[tuple[time, tzinfo | None]]:
    """Every time of day ``text`` states, with the zone written with it ("10:30 ET"), else None, in order."""
    return [(hit.begin, hit.zone) for hit in _time_hits(text, _looks_english(text, language))]


def time_ranges(text: str, language: str | None = None) -> list[tuple[time, time]]:
    """Every span of time ``text`` states ("from 10:00 to 11:30", "de 14h à 15h"), in order."""
    return [(hit.begin, hit.finish) for hit in _time_hits(text, _looks_english(text, language))
            if hit.finish is not None]


def weekday_alone(text: str) -> bool:
    """The day in ``text`` (a FoundDate's words) is a bare weekday: "jeudi 16h", "Friday at 10", with no day of
    the month and no "next" to anchor it. Read as the nearest such day; a reply may mean a later one."""
    hits = _date_hits(text, month_first=False)
    return len(hits) == 1 and any((m.start(), m.end()) == (hits[0].start, hits[0].end) and not m.group("before")
                                  and not m.group("after") for m in _WEEKDAY.finditer(text))


def stated_zone(text: str) -> ZoneInfo | None:
    """The one zone the text names in words, if it names exactly one ("all times are UK time")."""
    names = {_named_zone(m) for m in _NAMED_ZONE.finditer(text)}
    return ZoneInfo(names.pop()) if len(names) == 1 else None


def _named_zone(m: re.Match[str]) -> str:
    city = m.group("city_fr") or m.group("city_en") or m.groupdict().get("city_you") or m.groupdict().get("city_in")
    if abbreviation := m.groupdict().get("heading") or m.groupdict().get("note"):
        return ZONE_ABBREVIATIONS[abbreviation]
    return CITY_ZONES[_key(city)] if city else ZONE_PHRASES[_key(m.group("phrase"))]


@dataclass(frozen=True)
class _Context:
    reference: datetime
    default: tzinfo
    language: str | None
    us_zone: bool  # somewhere in the mail


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around each time of day, merged: scanning for dates is the costly part, and only
    there can a meeting time be."""
    windows: list[tuple[int, int]] = []
    for clock in _clocks(text):
        if not clock.complete:
            continue
        start = max(0, clock.start - _WINDOW)
        end = min(len(text), clock.end + _WINDOW)
        start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), 0)  # not in mid-word
        end = min((i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text))
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _find_in(region: str, written: str, first_line: int, context: _Context) -> list[FoundDate]:
    """The dates of ``region`` (quotes and links blanked), their words as ``written`` (the same stretch, unblanked:
    a date read over a blanked line is shown as the mail has it)."""
    text = _NOT_A_MEETING.sub(blank, _OFFICE_HOURS.sub(blank, region))
    english = _looks_english(text, context.language)
    month_first = english and (context.us_zone or _MONTH_DAY.search(text) is not None)
    dates = _date_hits(text, month_first)
    times = _outside(dates, _time_hits(text, english))
    paired, ends = _pairs(text, dates, times)
    times = [replace(t, finish=times[ends[i]].begin) if i in ends and t.finish is None else t
             for i, t in enumerate(times)]
    pairs = sorted(paired.items(), key=lambda p: min(times[p[0]].start, dates[p[1]].start))
    found = [_found(text, written, dates[d], times[t], context) for t, d in pairs]
    return [replace(f, line=f.line + first_line) for f in found if f is not None]


def _found(text: str, region: str, day_hit: _DateHit, time_hit: _TimeHit, context: _Context) -> FoundDate | None:
    """The meeting time a date and a time make; the snippet comes from `region`, before blanking."""
    zone = time_hit.zone
    end_pos = max(day_hit.end, time_hit.end)
    if zone is None and day_hit.start > time_hit.start:
        zone, end_pos = _zone_after(text, day_hit.end)  # "à 14h le 12 janvier (heure de Paris)"
        end_pos = max(end_pos, time_hit.end)
    zone = zone or context.default
    day = day_hit.day(context.reference.astimezone(zone).date())
    if day is None:
        return None
    start = datetime.combine(day, time_hit.begin, tzinfo=zone)
    end = datetime.combine(day, time_hit.finish, tzinfo=zone) if time_hit.finish else None
    if end is not None and end <= start:
        end = end + timedelta(days=1) if start.hour >= 18 else None  # "de 23h à 1h"; not "11:00 – 10:00 UK"
    begin_pos = min(day_hit.start, time_hit.start)
    snippet = region[begin_pos:end_pos].strip()
    return FoundDate(start, end, snippet, text.count("\n", 0, begin_pos))


def _distinct(found: list[FoundDate]) -> list[FoundDate]:
    kept: dict[datetime, FoundDate] = {}  # aware datetimes hash by instant
    for item in found:
        first = kept.setdefault(item.start, item)
        if first.end is None and item.end is not None:
            kept[item.start] = replace(first, end=item.end)
    return list(kept.values())


# how far back a quoted message's yearless sent day ("jeudi 19 novembre") may lie
_QUOTED_SENT_WITHIN = timedelta(days=120)


# where a date comes from when the sender names the day alone and the quoted history gives its time (a source's
# words, read by the evidence: that date is the thread's, said again, no new one)
THE_THREADS_TIME_THAT_DAY = "(and the thread's time that day)"


# The extractor (a restated hour, a kept length) and the thread's weighing each ask it of the same reply: it is
# worked out once, as quotes.own_text is.
def quoted_times(text: str, reference: datetime, tz: str) -> tuple[datetime, ...]:
    """The times the quoted history states, each read from the day its message was sent when a header or an
    attribution line says it ("Envoyé : jeudi 19 novembre 2026", "On Fri, 20 Nov 2026 … wrote:"), so that an
    earlier "mardi 24 novembre" is that Tuesday, not next year's."""
    return tuple(f.start for f in quoted_dates(text, reference, tz))


@lru_cache(maxsize=4)
def quoted_dates(text: str, reference: datetime, tz: str) -> tuple[FoundDate, ...]:
    """The dates the quoted history states, with their ends (a window offered: "any time between 10 and 1"), read
    as quoted_times reads them."""
    earlier = history(text)
    if not earlier.text.strip():
        return ()
    since = (reference - _QUOTED_SENT_WITHIN).date()
    sent = [day for line in earlier.headers for day in days_named(line, since) if day <= reference.date()]
    # from the thread's oldest message quoted: a day the deeper quotes name ("l'entretien du 10 novembre") comes
    # after it, where from the latest one it would be next year's
    written = datetime.combine(min(sent), time(), tzinfo=ZoneInfo(tz)) if sent else reference
    return tuple(find_dates(earlier.text, reference=written, tz=tz))
