# SPDX-License-Identifier: MIT
"""From a message to facts: when, where, with whom, for which job, in which language.

Each field records where it was found (``Facts.sources``: "calendar part (SUMMARY)",
"subject", "body line 12", "signature line 20", "Reply-To", "sender domain", ...),
so that ``relance explain`` can show why.

Decisions a reader needs to know:

- The recruiter is a human: a sender that is a machine (no-reply, a recruiting
  system's domain) hands over to Reply-To, the calendar organizer, then the
  address in the signature.
- Company and position are chosen among candidates, each scored by where it
  was found; a candidate that agrees with another source (the sender's domain,
  the subject, the calendar summary) gains. So an agency's client named in the
  subject ("Entretien chez Groupe Vernier") beats the agency's own signature,
  and "Banque Solvéa" in the text gives its accents to banque-solvea.fr.
- Times given in the text without a zone are read in the sender's zone when the
  Date header's offset and a hint (the country of the recruiter's domain or
  phone number) agree on another zone than the configured one.
- Several dates in the text are candidates (needs_date), never a start, except
  that a date the text marks as the old one ("previous time", "initialement
  prévu") gives way to the others.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from daemon import window
from daemon.model import CalendarEvent, Facts, ParsedMessage, Person
from daemon.text import LINK_TAIL, bare_join_link, find_join_link, fold, one_line, unwrap
from daemon.understand.durations import length_kept_by_a_move, stated_length
from daemon.understand.employer import find_company, find_position, people_in
from daemon.understand.people import (
    Found,
    fallback_region,
    find_phone,
    find_recruiter,
    find_signature,
    line_no,
    phone_region,
    sender_zone,
)
from daemon.understand.quotes import body_of, latest_quoted, own_text, quoted_from
from daemon.understand.textdates import (
    THE_THREADS_TIME_THAT_DAY,
    FoundDate,
    days_in,
    days_named,
    find_dates,
    quoted_times,
    time_ranges,
    times_in,
    zoned_times_in,
)

log = logging.getLogger(__name__)


_FR_WORDS = frozenset(
    "le la les de des du un une et est pour nous vous votre vos avec dans sur au aux "
    "bonjour merci cordialement entretien poste candidature serait ce cette qui que "
    "acceptée acceptee refusée refusee invitation mise à jour annulé annulée".split()
)
_EN_WORDS = frozenset(
    "the a an and is are for we you your with in on at to of hello hi dear thanks "
    "regards interview position role application would this that which be "
    "accepted declined tentative updated canceled cancelled new event".split()
)


# --- language


def detect_language(msg: ParsedMessage, default: str, event: CalendarEvent | None = None) -> Found:
    """French or English by counting frequent words; the default when unclear."""
    extra = (event.summary or "") + " " + (event.description or "")[:1000] if event else ""
    sample = own_text(msg.text)[:5000]
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", (msg.subject + " " + sample + " " + extra).lower())
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if fr == en or max(fr, en) < 2:
        return Found(default, "default")
    return Found("fr" if fr > en else "en", "body words" if sample.strip() else "subject words")



# --- place and link


def _find_url(event: CalendarEvent | None, text: str, whole: str, msg: ParsedMessage) -> Found | None:
    if event is not None and event.url:
        return Found(event.url, "calendar part")
    match = find_join_link(text)
    if match:
        return Found(match.group(0).rstrip(LINK_TAIL), f"body line {line_no(text, match.start())}")
    if (bare := bare_join_link(text)) is not None:
        return Found(bare[0], f"body line {line_no(text, bare[1])}")
    return _same_link(text, whole, msg)


# "Same Zoom link", "le lien ne change pas": the link is the one the sender's earlier message gave
_SAME_LINK = re.compile(r"\bsame (?:zoom |teams |google meet |meet |video |webex )?(?:link|url|meeting link|details)\b|"
                        r"\bm[êe]me lien\b|\ble lien (?:reste|ne change pas)|\blink (?:stays|remains|is the same)",
                        re.IGNORECASE)


def _same_link(text: str, whole: str, msg: ParsedMessage) -> Found | None:
    if not msg.from_email or _SAME_LINK.search(text) is None \
            or (earlier := quoted_from(whole, msg.from_email, msg.from_name)) is None:
        return None
    match = find_join_link(earlier[0])
    if match is None:
        return None
    return Found(match.group(0).rstrip(LINK_TAIL), f"quoted line {line_no(earlier[0], match.start()) + earlier[1]}")


def _link_of_the_time_restated(text: str, msg: ParsedMessage, start: datetime | None, zone: str) -> Found | None:
    """A reply agreeing to the time its sender gave earlier ("c'est noté pour le 7 à 14h") keeps the link that
    message, quoted below, gave with it; a move to another time does not, nor a calling off that names it."""
    if start is None or not msg.from_email or not _AGREED.search(own_text(text)) \
            or (earlier := quoted_from(text, msg.from_email, msg.from_name)) is None:
        return None
    match = find_join_link(earlier[0])
    if match is None or start not in {f.start for f in find_dates(earlier[0], reference=msg.date or start, tz=zone)}:
        return None
    return Found(match.group(0).rstrip(LINK_TAIL), f"quoted line {line_no(earlier[0], match.start()) + earlier[1]}")


# the sender passes on a message below: "see below from Priya", "details below", "voir ci-dessous", "je te transfère"
_POINTS_BELOW = re.compile(r"\b(?:see|details|info\w*|message|email|e-mail|note) (?:\w+ )?below\b|\bbelow from\b|"
                           # not "looking forward"
                           r"\b(?:forwarding|forwarded)\b|\bci-dessous\b|\bplus bas\b|\btransf[èée]r\w*|"
                           r"\bfai[st] suivre\b", re.IGNORECASE)


def _link_of_the_message_passed_on(text: str, msg: ParsedMessage, start: datetime | None,
                                   zone: str) -> Found | None:
    """An agency or a colleague passing on the employer's message below ("See below from Priya in their TA team")
    gives the link that message gives with the interview's time; not an older one from another time."""
    own = own_text(text)
    if start is None or own == text or not _POINTS_BELOW.search(own) \
            or (passed := latest_quoted(text)) is None or (match := find_join_link(passed[0])) is None:
        return None
    if start not in {f.start for f in find_dates(body_of(passed[0]), reference=msg.date or start, tz=zone)}:
        return None
    return Found(match.group(0).rstrip(LINK_TAIL), f"quoted line {line_no(passed[0], match.start()) + passed[1]}")


def _find_location(event: CalendarEvent | None, text: str) -> Found | None:
    if event is not None and event.location and not find_join_link(event.location):
        return Found(event.location, "calendar part (LOCATION)")
    match = re.search(r"(?:adresse|address|lieu|location)\s*:\s*(?P<a>[^\n]{5,120})", text, re.IGNORECASE)
    if match:
        return Found(match.group("a").strip(), f"body line {line_no(text, match.start('a'))}")
    match = re.search(r"\b\d{1,4}(?:bis|ter)?,? (?:rue|avenue|av\.|boulevard|bd|place|quai|allée|impasse|chemin|"
                      r"cours) [^\n,]{3,60}(?:,? \d{5} [^\n,]{2,40})?", text, re.IGNORECASE)
    return Found(match.group(0).strip(), f"body line {line_no(text, match.start())}") if match else None


def _mail_only(text: str) -> bool:
    folded = fold(text)
    return re.search(r"(uniquement|seulement|exclusivement) par (e-?)?mail|par (e-?)?mail uniquement|"
                     r"(by|via) (e-?)?mail only|only (by|via) (e-?)?mail|please do not (call|phone)|"
                     r"merci de ne pas (m.appeler|nous appeler|appeler)", folded) is not None


def _phone_quoted(text: str, email: str | None, sent: datetime | None) -> tuple[str, int] | None:
    """A short reply's sender's number, from their own earlier message quoted below (not the user's)."""
    quoted = quoted_from(text, email) if email else None
    if quoted is None:
        return None
    found = find_phone(quoted[0], phone_region(email, sent), fallback=fallback_region(email, sent))
    return (found[0], found[1] + quoted[1]) if found else None


# --- dates


# A date the text marks as the old one, when the mail moves an interview: words before it ("instead of Wednesday
# at 10am", "initialement prévu le") or after it ("jeudi 14h (annulé)", "Tuesday at 3pm no longer works").
_OLD_BEFORE = re.compile(r"previous|initial|originally|former|\bold (?:time|date|slot)|instead of|rather than|"
                         r"au lieu d|plut[ôo]t qu|ancien|pr[ée]c[ée]dent|was\s*:",
                         re.IGNORECASE)
_OLD_AFTER = re.compile(r"\(cancell?ed\)|\(annul[ée]e?\)|no longer|n'est plus", re.IGNORECASE)
_SUPERSEDED = re.compile(f"{_OLD_BEFORE.pattern}|{_OLD_AFTER.pattern}", re.IGNORECASE)
# A mail that moves the interview often names it by its time first ("votre entretien du mardi 1er décembre à
# 10h00 … nous devons le décaler", "your interview scheduled for Monday at 10am has to be pushed"): in such a mail,
# and only there, a time written right after what the interview was set for is the old one.
# A move is also said by what replaces the old time ("il propose à la place jeudi", "Friday instead?") or by the
# old time no one can keep any more ("ne pourra pas assurer l'entretien du 18/11", "can no longer make Monday").
_MOVING = re.compile(r"\b(?:reschedul\w*|postpon\w*|push(?:ed|ing)?|move[ds]?|moving|shift(?:ed|ing)?|"
                     r"d[ée]cal(?:er|ons|ez|é|ée|e)|report(?:er|ons|ez|é|ée|e)|d[ée]pla[cç](?:er|ons|ez|é|ée|e)|"
                     r"repouss(?:er|ons|ez|é|ée|e)|reprogramm(?:er|ons|ez|é|ée|e)|instead|à la place|au lieu|"
                     r"(?:pourr\w*|peu[tx]|pouvons|puis) (?:plus|pas) (?:assurer|honorer|maintenir|tenir)|"
                     r"(?:can|could) no longer|(?:cannot|can['’]t|unable to) (?:make|keep|do) (?:it|the|our|your))\b",
                     re.IGNORECASE)
_SET_FOR = re.compile(r"\b(?:(?:pr[ée]vue?s?|planifi[ée]e?s?|fix[ée]e?s?) (?:le|pour|au)|"
                      r"(?:scheduled|planned|booked|set) (?:for|on)|(?:votre|notre|ton|cet|l['’]) ?(?:entretien|"
                      r"rendez-vous|[ée]change|appel|entrevue) (?:du|de)|(?:your|our) (?:interview|call|meeting|"
                      r"chat) (?:on|of|for)|"
                      # what is moved from the old time to the new: "push your interview from Tuesday at 10am to …"
                      # (not the French "de", which also names the meeting: "décaler notre rdv de demain à 15h")
                      r"(?:push|mov|reschedul|shift|bump)\w*(?:\s+[\w'’]+){0,3}?\s+from)\s+(?:(?:the|le|ce)\s+)?$",
                      re.IGNORECASE)
# how far back from a date such words may start
_SET_FOR_REACH = 40
# how far from the date a marker may stand on a line holding several: "instead of Wednesday", "au lieu de 14h"
_OLD_REACH = 20
# what follows such a marker when the old time comes last: "(au lieu d)e 14h", "(instead of) 2:30pm"
# maybe with the zone both times are in after it: "instead of 2pm (UK time)", "plutôt qu'à 9 h 00 (heure de Paris)"
_A_TIME_ALONE = re.compile(r"(?:e\b|['’])?\s*(?:(?:à|at)\s+)?\d{1,2}(?:\s?(?:h|:|\.)\s?(?:\d\d)?)?\s*"
                           r"(?:[ap]\.?m\.?)?(?:\s*\([^()\n]{1,30}\))?", re.IGNORECASE)


# A time something is sent or due, not met at: "you will receive the case brief by email on Tuesday at 9:00",
# "à rendre au plus tard lundi 9h".
_DELIVERY = re.compile(r"\b(?:you(?:'|’)?ll receive|you will (?:receive|get)|vous recevrez|(?:will be|sera) "
                       r"(?:sent|emailed|envoy[ée]e?)|deadline|date limite|au plus tard|no later than|[àa] rendre|"
                       r"to be submitted)\b", re.IGNORECASE)


# A time something is due by, written right before it: "envoyez-nous d'ici mercredi midi les scans", "please send
# it back by Friday 5pm", "au plus tard le 10/12 à 12h"; on the same line as the interview's time, which stays
_DUE_BY = re.compile(r"(?:\bd['’]ici|\bavant|\bau plus tard|\bno later than|\bby|\bbefore|\bjusqu['’](?:à|au))"
                     r"(?:\s+(?:le|la|the|on|ce))?\s*$", re.IGNORECASE)
_DUE_REACH = 30
# or further on from what is to be sent: "please send us your notebook and a short note until the end of Tuesday",
# "à nous renvoyer avant le lundi 30 novembre à 12h": a take-home's deadline, not the debrief's time
_SEND_BY = re.compile(r"\b(?:send|submit|return|upload|hand in|complete|finish|renvoy\w*|envoy\w*|rendre|retourn\w*|"
                      r"remett\w*|transmett\w*|d[ée]pos\w*|termin\w*|compl[ée]t\w*|soumett\w*)\b[^.!?\n]{0,60}"
                      r"\b(?:before|by|until|no later than|avant|d['’]ici|jusqu['’](?:au|à|a))\s+"
                      r"(?:(?:le|the|end of|la fin de)\s+)?$",
                      re.IGNORECASE)
_SEND_REACH = 80


# A notice's own stamp, written in its text: "SMS reçu le 18/11 à 18:41", "Received: Tuesday 24 November, 15:01",
# "Missed call at 9:12": the time the message (a voicemail, an SMS, a missed call) came, minutes before it was sent
_STAMP = re.compile(r"\b(?:received|re[çc]ue?|sent|envoy[ée]e?|left|laiss[ée]e?|d[ée]pos[ée]e?|missed|manqu[ée]e?|"
                    r"time ?stamp|horodat\w*|date|heure)\b", re.IGNORECASE)
_STAMP_REACH = timedelta(hours=1)


def _not_a_stamp(found: list[FoundDate], text: str, reference: datetime) -> list[FoundDate]:
    """The dates found but the notice's own stamp: a time within the hour before the message was sent, on a line
    that labels it as when something was received, sent or left."""
    lines = text.split("\n")

    def stamp(f: FoundDate) -> bool:
        line = lines[f.line] if f.line < len(lines) else ""
        return reference - _STAMP_REACH <= f.start <= reference and _STAMP.search(line) is not None

    return [f for f in found if not stamp(f)]


def _current_dates(found: list[FoundDate], text: str) -> list[FoundDate]:
    lines = text.split("\n")
    per_line = Counter(f.line for f in found)
    moving = len(found) > 1 and _MOVING.search(own_text(text)) is not None

    def current(f: FoundDate) -> bool:
        line = lines[f.line] if f.line < len(lines) else ""
        if _DELIVERY.search(_sentence_of(line, f.text)) or (len(per_line) > 1 and _old_label_above(lines, f.line)):
            return False
        if moving and _said_set_for(line, f.text):
            return False
        if _said_due(line, f.text):
            return False
        if not _SUPERSEDED.search(line):
            return True
        # "instead of Wednesday at 10am, could we move to Thursday at 11:30am?": one line, the old and the new
        return per_line[f.line] > 1 and not _marked_old(line, f.text)

    return [f for f in found if current(f)] or found


# a form's label on a line of its own, the old time on the next: "Previous time\nThursday, 3 December, 10:00"
_OLD_LABEL = re.compile(r"\s*(?:(?:previous|original|initiale?|old|former|ancienn?e?|pr[ée]c[ée]dente?)"
                        r"\s+(?:time|date|slot|schedule|cr[ée]neau|horaire|heure)|was|avant|"
                        # a recruiting system's notice of a move: "New time … Previously\nTuesday, …"
                        r"previously|formerly|(?:originally|initially) scheduled|initialement(?: pr[ée]vue?)?|"
                        r"auparavant)\s*:?\s*", re.IGNORECASE)


def _said_set_for(line: str, snippet: str) -> bool:
    start = line.find(snippet)
    return start > 0 and _SET_FOR.search(line[max(0, start - _SET_FOR_REACH): start]) is not None


# a sentence's end: "Deadline: Monday 7 December, 12:00. We'll then debrief on Wednesday at 14:00" is two
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def _sentence_of(line: str, snippet: str) -> str:
    """The sentence of ``line`` that holds ``snippet`` (the whole line when it is not found there)."""
    start = line.find(snippet)
    if start < 0:
        return line
    end = start + len(snippet)
    opened = max((m.end() for m in _SENTENCE_END.finditer(line, 0, start)), default=0)
    closed = _SENTENCE_END.search(line, end)
    return line[opened: closed.start() if closed else len(line)]


def _said_due(line: str, snippet: str) -> bool:
    start = line.find(snippet)
    return start > 0 and (_DUE_BY.search(line[max(0, start - _DUE_REACH): start]) is not None
                          or _SEND_BY.search(line[max(0, start - _SEND_REACH): start]) is not None)


def _old_label_above(lines: list[str], number: int) -> bool:
    return number > 0 and _OLD_LABEL.fullmatch(lines[number - 1]) is not None


def _marked_old(line: str, snippet: str) -> bool:
    """Whether the date written ``snippet`` on ``line`` is the one a marker of the old time stands next to."""
    start = line.find(snippet)
    if start < 0:
        return True
    end = start + len(snippet)
    # "instead of Wednesday at 10am" starts after the marker; "lundi 4 janvier … à 16h30 au lieu de 14h" ends on
    # the old time, its day written before both
    before = any((0 <= start - m.end() <= _OLD_REACH and not re.search(r"\d", line[m.end():start]))
                 or (start < m.start() and _A_TIME_ALONE.fullmatch(line, m.end(), end) is not None)
                 for m in _OLD_BEFORE.finditer(line))
    after = any(0 <= m.start() - end <= _OLD_REACH and not re.search(r"\d", line[end:m.start()])
                for m in _OLD_AFTER.finditer(line))
    return before or after


def pick_event(events: Sequence[CalendarEvent]) -> CalendarEvent | None:
    """The event the message is about: the one with a start, latest version first."""
    with_start = [e for e in events if e.start is not None] or list(events)
    if not with_start:
        return None
    return max(with_start, key=lambda e: (e.sequence, e.dtstamp.timestamp() if e.dtstamp else 0.0))


@dataclass(frozen=True)
class _When:
    start: datetime | None = None
    end: datetime | None = None
    candidates: tuple[datetime, ...] = ()


def _find_when(msg: ParsedMessage, text: str, event: CalendarEvent | None, zone: str, language: str,
               now: datetime | None, sources: dict[str, str]) -> _When:
    # a bare .ics has no Date:, and its DTSTAMP says when it was sent
    reference = window.reference((msg.date, event.dtstamp if event else None, now), ZoneInfo(zone))
    if event is not None and event.start is not None:
        refused = window.outside(event.start, reference)
        if refused is None:
            return _event_when(event, reference, sources)
        log.warning("calendar part: DTSTART %s, ignored", refused)
    found = _in_window(_current_dates(_not_a_stamp(find_dates(text, reference=reference, tz=zone, language=language),
                                                   text, reference), text), reference)
    found = [_on_the_quoted_day(_on_the_thread_day(f, msg.subject, reference), text, reference, zone) for f in found]
    if len(found) == 1:
        found = [_at_the_time_moved_to(found[0], text, language)]
    if not found and msg.from_email and (moved := _moved_from_the_thread(text, msg, reference, zone,
                                                                          language)) is not None:
        sources["interview.start"] = f"body line {moved.line + 1}: {moved.text} (and the thread's time)"
        return _When(moved.start)
    if not found and (restated := _restated_from_the_thread(text, reference, zone, language)) is not None:
        sources["interview.start"] = f"body line {restated.line + 1}: {restated.text} (and the thread's day)"
        return _When(restated.start)
    if not found and (day := _day_restated_from_the_thread(text, reference, zone)) is not None:
        sources["interview.start"] = f"body line {day.line + 1}: {day.text} {THE_THREADS_TIME_THAT_DAY}"
        return _When(day.start)
    if not found and (agreed := _agreed_from_the_thread(text, reference, zone, language)) is not None:
        sources["interview.start"] = f"body line {agreed.line + 1}: {agreed.text} (and the thread's one time ahead)"
        return _When(agreed.start)
    if not found and (day := _day_said_over_the_quoted_hour(text, reference, zone, language)) is not None:
        sources["interview.start"] = f"body line {day.line + 1}: {day.text} (and the hour the answered mail gives)"
        return _When(day.start)
    if len(found) == 1:
        where = f"body line {found[0].line + 1}: {' '.join(found[0].text.split())}"
        sources["interview.start"] = where
        if found[0].end is not None:
            sources["interview.end"] = where
        return _When(found[0].start, found[0].end)
    if found:
        sources["candidates"] = "body lines " + ", ".join(str(f.line + 1) for f in found)
    return _When(candidates=tuple(f.start for f in found))


# "Could we do Friday instead, same time?", "on repousse à lundi prochain, même heure": a new day, the old time
_SAME_TIME = re.compile(r"\b(?:same time|same hour|m[êe]me heure|m[êe]me horaire)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+")


def _moved_from_the_thread(text: str, msg: ParsedMessage, reference: datetime, zone: str,
                           language: str) -> FoundDate | None:
    """A move that says only what changes: a new day at the same time ("Friday instead, same time?"), or a new
    time the same day ("can we bump it to 3:30 instead of 2?"); the rest is the time the sender's earlier
    message, quoted below, gave. None unless that message gives one time and the reply one day or one time."""
    earlier = quoted_from(text, msg.from_email or "", msg.from_name)
    if earlier is None:
        return None
    old = {f.start for f in find_dates(earlier[0], reference=reference, tz=zone, language=language)}
    if len(old) != 1:
        return None
    was = old.pop()
    for number, line in enumerate(own_text(text).split("\n")):
        for sentence in _SENTENCE.finditer(line):
            moved = _moved_in(sentence.group(), was, reference, language)
            if moved is not None:
                return FoundDate(moved, None, " ".join(sentence.group().split()), number)
    return None


def _restated_from_the_thread(text: str, reference: datetime, zone: str, language: str) -> FoundDate | None:
    """A reply that restates the time alone ("still all good for 3pm", "see you at 10"): the one time the quoted
    history gives at that hour, on its day. None when the sender gives no time, or it meets none or several."""
    said = [(number, line, times) for number, line in enumerate(own_text(text).split("\n")) if text
            and (times := times_in(line, language))]
    if not said:
        return None
    return _first_met_once(said, quoted_times(text, reference, zone), datetime.time)


def _day_restated_from_the_thread(text: str, reference: datetime, zone: str) -> FoundDate | None:
    """A reply that names the day alone ("quelques infos pratiques pour mardi", "see you on Thursday"): the one
    time the quoted history gives that day. None when nothing is quoted, no day is named, or it meets none or
    several."""
    own = own_text(text) if text else ""
    if own == text:
        return None  # nothing quoted: no time of the thread to meet
    today = reference.astimezone(ZoneInfo(zone)).date()
    # a day of the month said alone ("the new time on the 11th") is whichever quoted day falls on it
    named = [(number, line, days, alone) for number, line in enumerate(own.split("\n"))
             for days, alone in [(days_in(line, today), _days_of_the_month_alone(line))] if days or alone]
    if not named:
        return None
    quoted = quoted_times(text, reference, zone)
    return _first_met_once([(number, line, {*days, *(t.date() for t in quoted if t.day in alone)})
                            for number, line, days, alone in named], quoted, datetime.date)


# "on the 11th", "le 11," : a day of the month with no month, in a reply whose quoted history gives the month;
# not an ordinal of something else ("the 2nd round", "the 3rd floor")
_DAY_OF_THE_MONTH = re.compile(r"\bthe ([0-3]?\d)(?:st|nd|rd|th)\b(?! (?:round|interview|floor|stage|step|time|call|"
                               r"meeting|attempt|year|place|person|candidate)s?\b)"
                               r"|\b(?:le|du) (1er|[0-3]?\d)(?=\s*(?:[,.;:!?)]|$))",
                               re.IGNORECASE | re.MULTILINE)


def _days_of_the_month_alone(line: str) -> set[int]:
    return {int(m.group(1) or m.group(2).removesuffix("er")) for m in _DAY_OF_THE_MONTH.finditer(line)}


def _first_met_once(said: Sequence[tuple[int, str, Container[Any]]], quoted: tuple[datetime, ...],
                    part: Callable[[datetime], Any]) -> FoundDate | None:
    """The first of the sender's lines whose times (or days) meet exactly one of the quoted history's instants
    (its part: the time of day, or the date): that instant, as the line restates it."""
    for number, line, values in said:
        meant = {t for t in quoted if part(t) in values}
        if len(meant) == 1:
            return FoundDate(meant.pop(), None, " ".join(line.split()), number)
    return None


# A reply agreeing to the time proposed below it, naming none: "Perfect, see you then!", "ça me va"
_AGREED = re.compile(r"\bsee you then\b|\b(?:that|this|it) works\b|\bworks for (?:me|us)\b|\bsounds good\b"
                     r"|\bc['’]est not[ée]\b|\b[çc]a (?:me |nous )?(?:va|convient|marche)\b"
                     r"|\bcela (?:me |nous )?convient\b|\b[àa] ce moment-l[àa]\b", re.IGNORECASE)


def _agreed_from_the_thread(text: str, reference: datetime, zone: str, language: str) -> FoundDate | None:
    """A reply that agrees to the time proposed below it and names none ("Perfect, see you then!"): the one time
    ahead the message it answers, quoted, gives. None when nothing is quoted, nothing is agreed, or that message
    gives several times ahead (slots to choose from)."""
    own = own_text(text) if text else ""
    if own == text:
        return None  # nothing quoted: no time of the thread to agree to
    agreed = next(((n, line) for n, line in enumerate(own.split("\n")) if _AGREED.search(line)), None)
    if agreed is None or (answered := latest_quoted(text)) is None:
        return None
    ahead = {f.start for f in find_dates(answered[0], reference=reference, tz=zone, language=language)
             if f.start > reference}
    return FoundDate(ahead.pop(), None, " ".join(agreed[1].split()), agreed[0]) if len(ahead) == 1 else None


def _day_said_over_the_quoted_hour(text: str, reference: datetime, zone: str, language: str) -> FoundDate | None:
    """A reply that names the day alone ("see you tomorrow") over the mail it answers, which gave an hour alone
    ("10:30 ET works fine"): that day at that hour. None unless the reply names one day ahead and that mail one
    hour and no day of its own."""
    own = own_text(text) if text else ""
    if own == text or (answered := latest_quoted(text)) is None:
        return None
    said = body_of(answered[0])
    hours = set(zoned_times_in(said, language))
    if len(hours) != 1 or find_dates(said, reference=reference, tz=zone, language=language):
        return None
    today = reference.astimezone(ZoneInfo(zone)).date()
    named = [(number, line, days) for number, line in enumerate(own.split("\n"))
             if (days := [d for d in days_in(line, today) if d >= today])]
    if len({d for _, _, days in named for d in days}) != 1:
        return None
    at, written_in = hours.pop()
    start = datetime.combine(named[0][2][0], at, tzinfo=written_in or ZoneInfo(zone))
    return FoundDate(start, None, " ".join(named[0][1].split()), named[0][0]) if start > reference else None


def _moved_in(sentence: str, was: datetime, reference: datetime, language: str) -> datetime | None:
    if _SAME_TIME.search(sentence):
        days = days_in(sentence, reference.astimezone(was.tzinfo).date())
        if len(days) == 1:
            return datetime.combine(days[0], was.time(), tzinfo=was.tzinfo)
    marker = _OLD_BEFORE.search(sentence)
    if marker is not None and not days_in(sentence, reference.date()):
        times = times_in(sentence[: marker.start()], language)
        if len(times) == 1:
            return datetime.combine(was.date(), times[0], tzinfo=was.tzinfo)
    return None


# the time a move sends the interview to: "pourrait-on décaler à 16h", "can we push it to 4pm", "reportons à 10h30",
# "I need to push it from 9:00am to 10:30am" (from the old time: no range)
_MOVED_TO = re.compile(r"\b(?:d[ée]caler|d[ée]calons|reporter|reportons|repousser|avancer|d[ée]placer|bouger|move|"
                       r"push|shift|bump|bring)(?: (?:it|this|that|things|us|back|forward|plut[ôo]t|donc|[çc]a|"
                       r"l['’]entretien|l['’][ée]change|le rendez-vous|the interview|the call|our call)){0,3}"
                       r"(?: (?:from|de) \d{1,2}(?:[:h.]\d{2})?(?: ?[ap]\.?m\.?|h)?)?"
                       r" (?:à|a|to|at|until|till) (?=\d)", re.IGNORECASE)


def _at_the_time_moved_to(found: FoundDate, text: str, language: str) -> FoundDate:
    """The one day found, read with another time of its line ("demain : Thibault sort d'un comité à 15h30,
    pourrait-on décaler à 16h au lieu de 14h ?"), is met at the time the sender moves the interview to."""
    lines = text.split("\n")
    line = lines[found.line] if found.line < len(lines) else ""
    moved = _MOVED_TO.search(line)
    if moved is None:
        return found
    times = times_in(line[moved.end():moved.end() + 10], language)
    if not times or times[0] == found.start.time():
        return found
    return replace(found, start=datetime.combine(found.start.date(), times[0], tzinfo=found.start.tzinfo), end=None)


def _on_the_thread_day(found: FoundDate, subject: str, reference: datetime) -> FoundDate:
    """A reply that restates the time with a weekday alone ("à mercredi 14h") means the day its subject names
    ("Re: Rendez-vous du mercredi 9 décembre"), not the nearest Wednesday, when that day is the same weekday
    within eight weeks after it (an interview set after the holidays is often a month and more ahead)."""
    if days_named(found.text, reference.date()):
        return found  # the sender wrote the day itself
    day = found.start.date()
    named = [d for d in days_named(subject, reference.date()) if d.weekday() == day.weekday()
             and day < d <= day + timedelta(days=56)]
    if len(named) != 1:
        return found
    shift = named[0] - day
    return replace(found, start=found.start + shift, end=found.end + shift if found.end else None)


def _on_the_quoted_day(found: FoundDate, text: str, reference: datetime, zone: str) -> FoundDate:
    """A reply that restates the time with a weekday alone ("see you Thursday at 10") means the day the quoted
    history gives at that time ("Would Thursday 3rd at 10:00 work?"), not the nearest Thursday, when one such day
    is the same weekday within eight weeks after it."""
    if own_text(text) == text or days_named(found.text, reference.date()):
        return found  # nothing quoted, or the sender wrote the day itself
    day, at = found.start.date(), found.start.timetz()
    later = {t.date() for t in quoted_times(text, reference, zone) if t.astimezone(found.start.tzinfo).timetz() == at
             and t.weekday() == day.weekday() and day < t.date() <= day + timedelta(days=56)}
    if len(later) != 1:
        return found
    shift = later.pop() - day
    return replace(found, start=found.start + shift, end=found.end + shift if found.end else None)


def _with_stated_length(when: _When, body: str, text: str, msg: ParsedMessage, zone: str,
                        sources: dict[str, str], language: str = "fr") -> _When:
    """A start with no end ends when the length the sender states is over ("we'll keep it to 30 minutes"); a
    reply that moves the time keeps the length the sender's earlier message, quoted below, gave while the times
    quoted are still ahead (once one is over, that length was another step's: a first call's)."""
    start = when.start
    if start is None or when.end is not None:
        return when
    if (end := _end_of_a_span_from_the_start(start, body)) is not None:
        sources["interview.end"] = "a span of time the body gives from the start"
        return replace(when, end=end)
    if (end := _end_said_apart(start, body, language)) is not None:
        sources["interview.end"] = "the time the body says it ends"
        return replace(when, end=end)
    length, where = stated_length(body), "the body"
    if length is None and msg.from_email and (earlier := quoted_from(text, msg.from_email, msg.from_name)) \
            is not None and _quoted_times_ahead(text, msg.date or start, zone):
        length = length_kept_by_a_move(body, earlier[0], lambda: _one_span(earlier[0], start, msg.date, zone))
        where = f"the sender's message quoted from line {earlier[1] + 1}"
    if length is None:
        return when
    sources["interview.end"] = f"the start and the length {where} states: {length[1]}"
    return replace(when, end=start + length[0])


def _one_span(text: str, start: datetime, sent: datetime | None, zone: str) -> tuple[timedelta, str] | None:
    """The length of the one time span ``text`` gives ("Time: 3:00 PM - 3:45 PM"), and its words, when it starts
    at the time of day ``start`` does or on another day (a move to another day); else None: pushed within its day
    ("10:30 instead of 10"), an interview may keep its end as well as its length."""
    spans = {(f.end - f.start, " ".join(f.text.split())) for f in find_dates(text, reference=sent or start, tz=zone)
             if f.end is not None and (f.start.astimezone(start.tzinfo).time() == start.time()
                                       or f.start.astimezone(start.tzinfo).date() != start.date())}
    return spans.pop() if len({length for length, _ in spans}) == 1 else None


def _end_of_a_span_from_the_start(start: datetime, body: str) -> datetime | None:
    """The end a mail gives apart from the day ("Thursday 3 December, 10:00 … The interview will run from 10:00 to
    11:30"): the one span of time that begins at the start's hour."""
    ends = {finish for begin, finish in time_ranges(body) if begin == start.time()}
    if len(ends) != 1:
        return None
    end = datetime.combine(start.date(), ends.pop(), tzinfo=start.tzinfo)
    return end if end > start else None


# the end said as a time of its own: "(end around 13:30)", "we should be done by 4pm", "fin prévue vers 12h"
_ENDS_AT = re.compile(r"\b(?:end|ends|ending|finish|finishes|finishing|done|over|wrap up|wraps up|fin|fini|finie|"
                      r"termin[ée]e?|se terminera|terminera)(?: pr[ée]vue?)?(?:\s*:)?"
                      # each optional word takes its own spaces: four optional runs of spaces side by side split a
                      # long run of blanks in every way before failing (seconds on a few hundred)
                      r"(?:\s*(?:at|around|about|by|vers|à|a|environ|approx\.?))?(?:\s+(?:around|about|vers|environ))?"
                      r"\s*(?=\d|midi|noon)", re.IGNORECASE)
_LONGEST_DAY = timedelta(hours=8)


def _end_said_apart(start: datetime, body: str, language: str) -> datetime | None:
    """The one end the body says as a time of day after the start, the same day, within a working day of it."""
    ends = set()
    for said in _ENDS_AT.finditer(body):
        times = times_in(body[said.end():said.end() + 12], language)
        if times:
            ends.add(datetime.combine(start.date(), times[0], tzinfo=start.tzinfo))
    fitting = {end for end in ends if start < end <= start + _LONGEST_DAY}
    return fitting.pop() if len(fitting) == 1 and len(ends) == 1 else None


def _quoted_times_ahead(text: str, reference: datetime, zone: str) -> bool:
    times = quoted_times(text, reference, zone)
    return bool(times) and all(t > reference for t in times)


def _event_when(event: CalendarEvent, reference: datetime, sources: dict[str, str]) -> _When:
    assert event.start is not None
    sources["interview.start"] = "calendar part (DTSTART)"
    end = event.end
    if end is not None and (refused := window.outside(end, reference)) is not None:
        log.warning("calendar part: DTEND %s, ignored", refused)
        end = None
    if end is not None:
        sources["interview.end"] = "calendar part (DTEND)"
    return _When(event.start, end)


def _in_window(found: list[FoundDate], reference: datetime) -> list[FoundDate]:
    """The dates a mail could mean for an interview; the others are named in the message's log line."""
    kept = []
    for item in found:
        refused = window.outside(item.start, reference)
        if refused is None:
            kept.append(item)
        else:
            log.warning("body line %d: %s, ignored", item.line + 1, refused)
    return kept


# --- everything


# A scheduler's slots "shown in your time zone" are in the user's, wherever the sender writes from
_IN_HER_ZONE = re.compile(r"\b(?:shown|listed|displayed|given|(?:all )?times are) in your (?:own |local )?time ?zone\b|"
                          r"\b(?:affich|indiqu|donn)\w* (?:dans|selon|à|a) (?:votre|ton) (?:fuseau|heure locale)",
                          re.IGNORECASE)


def _field(value: str | None) -> str | None:
    """A field as one line for a record, a header or a calendar property: a calendar part's TEXT
    values may hold line breaks (escaped \\n) and raw control characters."""
    return one_line(value) or None if value else None


def extract(msg: ParsedMessage, events: Sequence[CalendarEvent], *, tz: str, default_language: str,
            user_emails: set[str], now: datetime | None = None) -> Facts:
    sources: dict[str, str] = {}
    event = pick_event(events)
    language = detect_language(msg, default_language, event)
    sources["language"] = language.source
    text = msg.text.replace("\r\n", "\n").replace("\r", "\n")  # one line end, so patterns can rely on \n
    own = own_text(text)
    body = unwrap(own)
    signature = find_signature(own)
    users = {e.lower() for e in user_emails if e}
    recruiter, recruiter_sources = find_recruiter(msg, event, users, signature)
    sources.update(recruiter_sources)
    phone = find_phone(own, phone_region(recruiter.email, msg.date),
                       fallback=fallback_region(recruiter.email, msg.date))
    if phone:
        sources["recruiter.phone"] = ("signature" if any(n == phone[1] for n, _ in signature.lines) else "body") + \
            f" line {phone[1]}"
    elif (earlier := _phone_quoted(text, recruiter.email, msg.date)) is not None:
        phone = earlier
        sources["recruiter.phone"] = f"quoted line {phone[1]}"
    recruiter = Person(recruiter.name, recruiter.email, phone[0] if phone else None)
    zone = sender_zone(msg, recruiter, tz)
    if zone != tz and _IN_HER_ZONE.search(text) is not None:
        zone = tz
    when = _with_stated_length(_find_when(msg, text, event, zone, language.value, now, sources), body, text, msg,
                               zone, sources, language.value)
    history = unwrap(text)
    company = find_company(msg, event, recruiter, body, signature, history)
    position = find_position(msg, event, body, company.value if company else None,
                             people_in(msg, event, recruiter, signature), history=history)
    url = _find_url(event, own, text, msg) or _link_of_the_time_restated(text, msg, when.start, zone) \
        or _link_of_the_message_passed_on(text, msg, when.start, zone)
    location = _find_location(event, body)
    for key, item in (("position", position), ("company", company), ("interview.url", url),
                      ("interview.location", location)):
        if item is not None:
            sources[key] = item.source
    if not recruiter.name:
        sources.pop("recruiter.name", None)
    if not recruiter.email:
        sources.pop("recruiter.email", None)
    return Facts(
        company=_field(company.value) if company else None,
        position=_field(position.value) if position else None,
        language=language.value,
        recruiter=Person(_field(recruiter.name), recruiter.email, recruiter.phone),
        start=when.start,
        end=when.end,
        location=_field(location.value) if location else None,
        url=url.value if url and one_line(url.value) == url.value else None,
        candidates=when.candidates,
        event=event,
        contact_preference="mail" if _mail_only(text) else None,
        sources=sources,
    )
