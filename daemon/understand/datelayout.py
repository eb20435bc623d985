# SPDX-License-Identifier: MIT
"""How a mail lays a date and its time out when they are not side by side: the grammar textdates adds to
its own for them, kept apart so that textdates stays readable.

- Two sentences of one paragraph: "Free on Tuesday? I was thinking of 9:30."; "demain ? Je suis libre à 18h".
- A day asked for at the end of a paragraph, its time in the first sentence of the next: "dispo le vendredi
  18 décembre ?" / "On a réservé à 12h15".
- A bare hour right after a day or a "see you": "Thursday at 3", "demain vers 10", "see you at 10" (a bare "3"
  elsewhere is no time).
- The rows of a recruiting system's table: the date on its own line, then (after a blank line, a zone
  line or a "Time" label) the times at the start of the next rows, one session a row.
- A scheduler's form made text from HTML (GoodTime): the date on its row, the place and zone rows, then a
  table headed "Time" whose rows start with each session's times, each cell on a line of its own.
- A day's programme under a line announcing it ("The morning will run as follows:"): the first row's time is
  the start, the other rows are its items.
- Sessions back to back ("10:00 - 10:45", "10:45 - 11:30") are one interview, from the first start to
  the last end.
- "Add to calendar" links carry the instant in their query (``dates=20270303T140000Z%2F…``,
  ``startdt=2027-03-03T14:00:00Z``): a trailing Z is UTC, a given offset is that offset, and the first
  stamp of a link is the start, the second its end. They are read here, as links, not as prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from daemon.understand.datewords import RELATIVE_DAYS, WEEKDAYS

_FLAGS = re.IGNORECASE


def _words(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in sorted(words, key=len,
                                                                                              reverse=True))


# The next sentence of the same paragraph: one sentence end between them, no digit, no blank line.
GAP_NEXT_SENTENCE = re.compile(r"[^\d.!?\n]{0,80}[.!?]+\s+[^\d.!?\n]{0,60}")
# The first sentence of the next paragraph when it books what the date's paragraph asked for: "dispo le vendredi
# 18 décembre ?" then, after a blank line, "On a réservé à 12h15"; one blank line, no digit, no other sentence
# between. A paragraph that does not book ("Separately, our office opens at 8am") is about something else.
_BOOKED = ("on a reserve", "on a réservé", "j'ai reserve", "j'ai réservé", "nous avons reserve", "nous avons réservé",
           "on a prevu", "on a prévu", "j'ai prevu", "j'ai prévu", "nous avons prevu", "nous avons prévu",
           "on se retrouve", "retrouvons-nous", "rendez-vous", "i've booked", "i have booked", "we've booked",
           "we have booked", "i've reserved", "we've reserved", "we have reserved", "table is booked",
           "let's meet", "we'll meet", "see you")
GAP_NEXT_PARAGRAPH = re.compile(r"[^\d.!?\n]{0,80}[.!?]+[ \t]*\n[ \t]*\n[ \t]*(?:" + _words(_BOOKED) +
                                r")\b[^\d.!?\n]{0,60}", _FLAGS)
# From the end of a date alone on its row to a time starting a later row: blank rows, a label row
# ("Time", "Heure"), a row naming the zone ("All times shown in Central European Time (UTC+01:00)").
GAP_ROWS = re.compile(
    r"[^\d\n]{0,40}\n(?:[ \t]*(?:(?:time|heure|horaire|hour)s?[ \t]*:?)?[ \t]*\n"
    r"|[^\n]*\b(?:time|heure|utc|gmt)\b[^\n]*\n){0,3}[ \t]*(?:(?:time|heure|horaire|hour)s?[ \t]*:[ \t]*)?"
    r"(?:(?:de|from|d[èe]s)[ \t]+)?",  # "Horaires\nde 8h45 à 17h": the range's first word
    _FLAGS,
)
# A day's programme: the date, then a line announcing it ("The morning will run as follows:", "Déroulé de la
# journée :"), then rows starting with each item's time. The first row's time is the start; the later rows are
# the programme's, not times of their own.
_PROGRAMME = ("as follows", "comme suit", "schedule", "programme", "program", "agenda", "timetable", "itinerary",
              "deroule", "déroulé", "deroulement", "déroulement", "planning")
# The announcing line may be the date's own ("planned for Friday, 22 January. Please find the programme below:")
# and the table may open with its header row ("Time  What  With").
GAP_PROGRAMME = re.compile(r"(?:[^\d\n]{0,80}\n(?:[ \t]*\n)?)?[^\d\n]{0,60}\b(?:" + _words(_PROGRAMME) +
                           r")\b[^\d\n:]{0,40}:[ \t]*\n(?:[ \t]*\n)?"
                           r"(?:[ \t]*(?:time|heure|horaire)s?\b[^\d\n]{0,40}\n)?[ \t]*(?:[-•*·][ \t]*)?", _FLAGS)
# the row that closes a day's programme: "12:30  Close", "16h30 Fin de la journée"
PROGRAMME_END = re.compile(r"[ \t]*[-–—:]?[ \t]*(?:close|closing|end|finish|departure|wrap[- ]up|fin|cl[ôo]ture|"
                           r"d[ée]part)\b", _FLAGS)
_ROW_START = re.compile(r"[ \t]*(?:[-•*·][ \t]*)?")


def rows_after(text: str, spans: Sequence[tuple[int, int]], head: int) -> list[int]:
    """The rows that follow the row starting at spans[head], one a line, each starting with its time: the indices
    of those times, up to the first line that is not such a row."""
    rows: list[int] = []
    previous = spans[head][1]
    for i in range(head + 1, len(spans)):
        start = spans[i][0]
        line_start = text.rfind("\n", previous, start) + 1
        one_line_on = line_start > 0 and text.count("\n", previous, start) == 1
        if not one_line_on or not _ROW_START.fullmatch(text, line_start, start):
            break
        rows.append(i)
        previous = spans[i][1]
    return rows


# From the end of one row's time to the time starting the next row: that row's words, no digit (an HTML table's
# cells each on a line of their own: "Systems Design", "Mathieu Roux, Staff SRE").
GAP_NEXT_ROW = re.compile(r"(?:[^\d\n]*\n){1,3}[ \t]*(?:[-•*·][ \t]*)?")
# A scheduler's form: the date on its own row, other rows of the form (place, zone), then a table whose header
# row starts with "Time" ("Time", "Session", "With") and whose rows start with each session's times.
GAP_FORM = re.compile(
    r"[^\d\n]{0,40}\n(?:[^\n]*\n){0,8}?[ \t]*(?:time|heure|horaire|schedule|programme)s?[ \t]*:?[ \t]*\n"
    r"(?:[ \t]*[^\d\n]{1,30}\n){0,3}[ \t]*",
    _FLAGS,
)

# "see you at 10" names the hour as surely as a day does
_DAY_BEFORE_HOUR = re.compile(
    rf"(?:\b(?:{_words(list(WEEKDAYS) + list(RELATIVE_DAYS))})(?:\s+(?:prochain|next))?\s*,?\s*|\bsee\s+you\s+)"
    r"(?:at|à|a|vers|around|about)\s+$",
    _FLAGS,
)
# What a number after "Thursday at" counts when it is not the hour: "at 3 rue ...", "à 2 minutes".
_NOT_AN_HOUR = re.compile(r"\s*(?:[\d/.:,-]\d|(?:minutes?|mins?|mn|rue|avenue|street|st\b|km|m\b|%|ans\b|years?|"
                          r"people|personnes?|places?|floor|étage))", _FLAGS)


def bare_hour(text: str, start: int, end: int) -> bool:
    """Whether the bare number at text[start:end] is an hour: "Thursday at 3", "jeudi à 15"."""
    return _DAY_BEFORE_HOUR.search(text, max(0, start - 40), start) is not None and \
        _NOT_AN_HOUR.match(text, end) is None


# the break a day's programme may leave between two of its sessions ("10h15 - 11h00", then "11h15 - 12h00")
_BREAK = timedelta(minutes=15)


def back_to_back(spans: Sequence[tuple[datetime, datetime | None]]) -> list[tuple[int, int]]:
    """Runs of sessions each starting when the one before ends, as (first index, last index); a run with two
    sessions end to end is a programme, and may hold a short break (alternative slots a break apart have none)."""
    runs: list[tuple[int, int]] = []
    for i, (start, _) in enumerate(spans):
        end = spans[runs[-1][1]][1] if runs else None
        if end is not None and end <= start <= end + _BREAK:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return [part for run in runs for part in _programme_or_slots(spans, run)]


_Spans = Sequence[tuple[datetime, datetime | None]]


def _programme_or_slots(spans: _Spans, run: tuple[int, int]) -> list[tuple[int, int]]:
    first, last = run
    if any(spans[i][1] == spans[i + 1][0] for i in range(first, last)):
        return [run]
    return [(i, i) for i in range(first, last + 1)]  # none end to end: slots to choose from


# --- add-to-calendar links

_URL = re.compile(r"https?://[^\s<>\"']+", _FLAGS)
_COLON = r"(?::|%3a)?"
_STAMP = re.compile(
    r"(?<!\d)(?P<y>20\d\d)-?(?P<mo>[01]\d)-?(?P<d>[0-3]\d)T(?P<h>[0-2]\d)" + _COLON + r"(?P<mi>[0-5]\d)"
    r"(?:" + _COLON + r"[0-5]\d)?(?:\.\d+)?(?P<zone>Z|(?:[+-]|%2b)(?P<oh>[01]\d)" + _COLON + r"(?P<om>\d\d))?",
    _FLAGS,
)


@dataclass(frozen=True)
class LinkTime:
    start: datetime
    end: datetime | None
    text: str  # the link
    offset: int  # where the link begins


def _stamp(m: re.Match[str], default: tzinfo) -> datetime | None:
    zone: tzinfo = default
    if m.group("zone") and m.group("zone").upper() == "Z":
        zone = UTC
    elif m.group("oh"):
        sign = -1 if m.group("zone").startswith("-") else 1
        zone = timezone(sign * timedelta(hours=int(m.group("oh")), minutes=int(m.group("om"))))
    try:
        return datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d")), int(m.group("h")),
                        int(m.group("mi")), tzinfo=zone)
    except ValueError:
        return None


def link_times(text: str, default: tzinfo) -> tuple[str, list[LinkTime]]:
    """The text with its links blanked (their digits are no prose), and the instants the links carry."""
    found: list[LinkTime] = []
    for link in _URL.finditer(text):
        stamps = [s for s in (_stamp(m, default) for m in _STAMP.finditer(link.group())) if s is not None]
        if stamps:
            end = stamps[1] if len(stamps) > 1 and stamps[1] > stamps[0] else None
            found.append(LinkTime(stamps[0], end, link.group(), link.start()))
    return _URL.sub(lambda m: " " * len(m.group()), text), found
