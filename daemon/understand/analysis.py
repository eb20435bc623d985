# SPDX-License-Identifier: MIT
"""One message through every understanding stage: MIME, calendar parts, rules, extraction.

A message the user sent goes through fewer: MIME, the rules of kind sent, and the dates the user wrote."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from daemon.config import Settings
from daemon.model import CalendarEvent, Classification, Facts, ParsedMessage, SentReading
from daemon.understand import evidence, extract, guard, ical, mime, rules, textdates


@dataclass
class Analysis:
    """What the rules and the extractors make of one message."""

    message: ParsedMessage
    events: list[CalendarEvent]
    classification: Classification
    facts: Facts


def analyse(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule],
            context: rules.Context | None = None, now: datetime | None = None,
            budget: guard.Budget | None = None, *, facts_of_none: bool = True, every_match: bool = True) -> Analysis:
    """Classify and extract one message.

    Raises mime.MessageSkipped for a message over a limit, and guard.OverBudget
    when ``budget`` runs out (checked here between stages; guard.time_budget
    also interrupts a stage). Without ``facts_of_none``, a message of kind
    ``none`` gets empty facts: nothing is done with them (explain shows them).
    Without ``every_match``, the classification names the deciding rule alone
    (rules.classify): what the scan needs, for less.
    """
    context = context or rules.Context()
    message = mime.parse(raw, max_parts=settings.limits.parts, max_bytes=settings.limits.message_bytes)
    if budget is not None:
        budget.check("mime")
    events: list[CalendarEvent] = []
    read: dict[bytes, list[CalendarEvent]] = {}  # the same part inline and attached (Google, Outlook): read once
    for part in message.calendars:
        if part not in read:
            read[part] = ical.parse_calendar(part, default_tz=settings.timezone)
        events.extend(read[part])
        if budget is not None:
            budget.check("ical")
    classification = rules.classify(rule_set, message, events, context, every=every_match)
    if budget is not None:
        budget.check("rules")
    users = set(settings.user_emails)
    model = evidence.model_for(settings.rule_paths)
    seen = _seen(message, context, users, rule_set, now, settings.timezone)
    words = evidence.read_words(model, message, events, seen) if classification.kind in evidence.DECIDES else None
    if not facts_of_none and not evidence.could_be_invitation(model, classification, message, events, seen,
                                                              words):
        return Analysis(message, events, classification, Facts())  # no facts could make it one
    facts = extract.extract(message, events, tz=settings.timezone, default_language=settings.language,
                            user_emails=users, now=now)
    # the rules have spoken; now the evidence, which needs the facts, is weighed (understand/evidence.py)
    classification = evidence.decide(model, classification, message, events, facts, seen, words)
    if classification.kind in _CALLED_OFF and facts.event is None:
        facts = _without_time(facts)
    if classification.kind == "none" and not facts_of_none:
        return Analysis(message, events, classification, Facts())
    return Analysis(message, events, classification, facts)


# A cancellation or a rejection in plain text names the time that no longer holds (the old slot): it is no
# interview time, and news.py finds the interview by its thread, not by that time. A calendar part's DTSTART
# is reported as it is (DESIGN.md: `interview.start` says what the calendar part says, `kind` what it is).
_CALLED_OFF = frozenset({"cancellation", "rejection"})


def _without_time(facts: Facts) -> Facts:
    dropped = {"interview.start", "interview.end", "interview.url", "candidates"}
    sources = {k: v for k, v in facts.sources.items() if k not in dropped}
    return replace(facts, start=None, end=None, candidates=(), url=None, sources=sources)


def _seen(message: ParsedMessage, context: rules.Context, users: set[str], rule_set: Sequence[rules.Rule],
          now: datetime | None, timezone: str) -> evidence.Seen:
    known = rules.known_to(message, context)
    return evidence.Seen(known_thread=known.thread, known_company=known.company,
                         user_emails=frozenset(u.lower() for u in users if u), now=now,
                         rule_kinds={r.name: r.kind for r in rule_set}, timezone=timezone)


def stand_in_message_id(message: ParsedMessage) -> str:
    """A stable key for a message that has no Message-ID, from the headers and text it carries."""
    seen = "\0".join((str(message.date), message.from_email or "", message.subject, message.text[:4096]))
    return f"<no-message-id.{hashlib.sha256(seen.encode('utf-8', 'replace')).hexdigest()[:32]}@relance.invalid>"


@dataclass
class SentAnalysis:
    """What the rules of kind sent make of a message the user sent, and the dates the user wrote in it."""

    message: ParsedMessage
    reading: SentReading
    dates: tuple[datetime, ...]  # every date with a time of day in the user's own text, quotes left out
    by_weekday: tuple[datetime, ...] = ()  # those of them written as a bare weekday ("jeudi 16h")


def analyse_sent(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule],
                 context: rules.Context | None = None, now: datetime | None = None,
                 budget: guard.Budget | None = None) -> SentAnalysis:
    """Read one message of the Sent folder. Raises as ``analyse`` does."""
    message = mime.parse(raw, max_parts=settings.limits.parts, max_bytes=settings.limits.message_bytes)
    if budget is not None:
        budget.check("mime")
    reading = rules.read_sent(rule_set, message, context or rules.Context())
    if budget is not None:
        budget.check("rules")
    reference = message.date or now
    found = textdates.find_dates(message.text, reference=reference, tz=settings.timezone) if reference else []
    return SentAnalysis(message, reading, tuple(f.start for f in found),
                        tuple(f.start for f in found if textdates.weekday_alone(f.text)))
