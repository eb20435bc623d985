# SPDX-License-Identifier: MIT
"""What a message from a company changes in the records: a new interview, a move, a cancellation, a rejection,
a reply. Runs inside the unit of work of the message that brought the news."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from daemon.config import Settings
from daemon.followups import planner, review
from daemon.followups.doubt import trusted_company, trusted_position
from daemon.followups.edits import set_by_hand
from daemon.followups.plans import NEEDS_REVIEW, Planning, status_at
from daemon.followups.records import Interview, Store
from daemon.model import CalendarEvent, ParsedMessage
from daemon.understand import people, rules
from daemon.understand.analysis import Analysis

log = logging.getLogger(__name__)
T = TypeVar("T")

REASON_RESCHEDULING = "the interview is being rescheduled"
NAMED_IN_THREAD = " named in the thread: "  # the history line of a field a later mail filled
# what ties a message to an interview (News.find_interview)
TIED_BY_EVENT, TIED_BY_THREAD, TIED_BY_DOMAIN = "event", "thread", "domain"


@dataclass(frozen=True)
class Effect:
    """What a message did to the records."""

    interview_id: int | None = None
    new: bool = False  # it made a new interview
    updated: bool = False  # it changed a known one
    held: bool = False  # it made a record held for review


def context(settings: Settings, store: Store) -> rules.Context:
    """What the records know that the rules may ask: the threads and the company domains tracked."""
    return rules.Context(known_message_ids=store.known_message_ids(),
                         known_company_domains=frozenset(company_domains(settings, store)))


def company_domains(settings: Settings, store: Store) -> dict[str, int]:
    """Domains that point at one active interview: never a mail provider, a recruiting system,
    the user's own, nor a domain two interviews share (an answer there could be about either)."""
    own = {a.rpartition("@")[2] for a in settings.user_emails}
    found: dict[str, int] = {}
    shared: set[str] = set()
    for domain, interview_id in store.active_recruiter_domains():
        if domain in own or people.names_no_company("x@" + domain):
            continue
        if domain in found and found[domain] != interview_id:
            shared.add(domain)
        found[domain] = interview_id
    return {d: i for d, i in found.items() if d not in shared}


class News:
    def __init__(self, settings: Settings, store: Store, planning: Planning) -> None:
        self.settings = settings
        self.store = store
        self.planning = planning
        # context() and company_domains() as last read, with the records' generation they were read at:
        # the scan asks for the context once per batch and per message read
        self._known: dict[str, tuple[tuple[int, int, bool], Any]] = {}

    def context(self) -> rules.Context:
        return self._remembered("context", lambda: rules.Context(
            known_message_ids=self.store.known_message_ids(),
            known_company_domains=frozenset(self.company_domains())))

    def company_domains(self) -> dict[str, int]:
        return self._remembered("company_domains", lambda: company_domains(self.settings, self.store))

    def _remembered(self, name: str, compute: Callable[[], T]) -> T:
        """compute(), or what it gave at the same generation of the records (Store.generation)."""
        generation = self.store.generation()
        hit = self._known.get(name)
        if hit is not None and hit[0] == generation:
            return cast(T, hit[1])
        value = compute()
        self._known[name] = (generation, value)
        return value

    def apply(self, analysis: Analysis, folder: str, now: datetime, label: str) -> Effect:
        kind = analysis.classification.kind
        message = analysis.message
        if message.from_email and message.from_email.lower() in self.settings.user_emails:
            return Effect()  # the user's own mail in a thread is no news from the company
        if self.before_lookback(message, now):
            # IMAP SEARCH SINCE goes by arrival date; a mailbox moved between servers arrives all at once
            log.info("%s: sent before scan.lookback_days, ignored", label)
            return Effect()
        existing, tied_by = self.find_interview(analysis)
        dismissed = self.dismissed_thread(analysis, existing)
        if dismissed is not None:
            if kind != "none":
                log.info("%s: %s in the thread of dismissed #%d, ignored", label, kind, dismissed)
            return Effect(dismissed)  # tied to it, so that the thread's later mail is known too
        if kind in ("invitation", "possible_invitation") and existing is not None:
            # news of the interview whose thread it is in; a clear invitation settles a held one
            if kind == "invitation" and existing.status == NEEDS_REVIEW:
                review.confirm(self.store, self.planning, existing, now, "confirmed by an invitation in its thread")
                existing = self.store.get(existing.id) or existing
            kind = "update"
        if kind == "possible_invitation":
            return self.hold_for_review(analysis, folder, now, label)
        if kind == "invitation":
            interview_id = self.create_interview(analysis, folder, now)
            log.info("%s: new interview #%d (rule %s)", label, interview_id, analysis.classification.rule)
            return Effect(interview_id, new=True)
        if existing is None:
            if kind != "none":
                log.info("%s: %s for no known interview, ignored", label, kind)
            return Effect()
        handlers: dict[str, Callable[[Interview, Analysis, datetime], None]] = {
            "update": self.on_update,
            "cancellation": self.on_cancellation,
            "rejection": self.on_rejection,
            "reply": self.on_reply,
        }
        handler = handlers.get(kind)
        if handler is None:
            return Effect()
        handler(existing, analysis, now)
        if kind in ("update", "reply") and self.truly_in_thread(existing, analysis, tied_by):
            self.fill_from_thread(existing, analysis, now)
        log.info("%s: %s of interview #%d", label, kind, existing.id)
        return Effect(existing.id, updated=True)

    def before_lookback(self, message: ParsedMessage, now: datetime) -> bool:
        return message.date is not None and message.date < now - timedelta(days=self.settings.scan.lookback_days)

    def find_interview(self, analysis: Analysis) -> tuple[Interview | None, str]:
        """The interview a message is news of, and what ties it: its event, its thread, or its sender's domain."""
        event = analysis.facts.event
        if event is not None and event.uid:
            found = self.store.find_by_event_uid(event.uid)
            if found is not None:
                return found, TIED_BY_EVENT
        message = analysis.message
        ids = [i for i in (message.in_reply_to, *reversed(message.references)) if i]
        interview_id = self.store.interview_for_message_ids(ids)
        if interview_id is not None:
            return self.store.get(interview_id), TIED_BY_THREAD
        # a new invitation, even a possible one, from a tracked company's domain is a new interview;
        # and the thread of a dismissed review says more than the domain it comes from
        if analysis.classification.kind not in ("invitation", "possible_invitation") \
                and self.store.dismissed.thread(ids) is None:
            domain = (message.from_email or "").rpartition("@")[2].lower()
            interview_id = self.company_domains().get(domain)
        return (self.store.get(interview_id) if interview_id is not None else None), TIED_BY_DOMAIN

    def dismissed_thread(self, analysis: Analysis, existing: Interview | None) -> int | None:
        """The dismissed review whose thread this message is in, if any."""
        if existing is not None:
            return existing.id if existing.status == review.DISMISSED else None
        message = analysis.message
        return self.store.dismissed.thread((message.in_reply_to, *message.references))

    def hold_for_review(self, analysis: Analysis, folder: str, now: datetime, label: str) -> Effect:
        """A possible invitation in a new thread: a record for the user to confirm or dismiss, unless
        its sender's earlier one was dismissed."""
        message, recruiter = analysis.message, analysis.facts.recruiter
        dismissed = self.store.dismissed.sender((message.from_email, recruiter.email, *message.reply_to))
        if dismissed is not None:
            log.info("%s: possible invitation from the sender of dismissed #%d, ignored", label, dismissed)
            return Effect()
        interview_id = self.create_interview(analysis, folder, now, status=NEEDS_REVIEW)
        log.info("%s: possible interview held for review as #%d (rule %s): `relance confirm %d` or "
                 "`relance dismiss %d`", label, interview_id, analysis.classification.rule, interview_id,
                 interview_id)
        return Effect(interview_id, held=True)

    def create_interview(self, analysis: Analysis, folder: str, now: datetime, status: str | None = None) -> int:
        """A record for an invitation; ``status`` needs_review holds it for the user's review."""
        facts, message = analysis.facts, analysis.message
        event = facts.event
        status = status or ("scheduled" if facts.start is not None else "needs_date")
        interview_id = self.store.add_interview(
            now,
            status=status, company=facts.company, position=facts.position,
            language=facts.language or self.settings.language,
            recruiter_name=facts.recruiter.name, recruiter_email=facts.recruiter.email,
            recruiter_phone=facts.recruiter.phone,
            recruiter_tz=facts.recruiter_tz or self.planning.zone_of_phone(facts.recruiter.phone),
            start=facts.start, end=facts.end, location=facts.location, url=facts.url,
            candidates=list(facts.candidates), message_id=message.message_id, folder=folder,
            subject=message.subject, refs=list(message.references),
            event_uid=event.uid if event else None, event_sequence=event.sequence if event else None,
            event_dtstamp=event.dtstamp if event else None, contact_preference=facts.contact_preference,
            invited_at=message.date,
        )
        received = "possible invitation held for review" if status == NEEDS_REVIEW else "invitation received"
        self.store.log_history(interview_id, now, f"{received}: {message.subject}")
        self.planning.replan(interview_id, now)
        return interview_id

    @staticmethod
    def is_newer_event(interview: Interview, event: CalendarEvent | None) -> bool:
        if event is None or interview.event_uid is None or event.uid != interview.event_uid:
            return True
        old = (interview.event_sequence or 0, interview.event_dtstamp.timestamp() if interview.event_dtstamp else 0)
        new = (event.sequence, event.dtstamp.timestamp() if event.dtstamp else 0)
        return new > old

    def on_update(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        facts = analysis.facts
        if not self.is_newer_event(interview, facts.event):
            self.store.log_history(interview.id, now, "older version of the event ignored")
            return
        changes: dict[str, object] = {}
        start, end, proposed = new_time(interview, analysis)
        if start is not None and start != interview.start:
            changes.update(start=start, end=end, candidates=[])
            if interview.status in ("needs_date", "scheduled", "interviewed", "cancelled"):
                changes["status"] = status_at(start, end, now)
        elif len(proposed) > 1:
            # several new slots offered: the old time no longer holds and none is chosen yet
            changes.update(start=None, end=None, candidates=proposed)
            changes["status"] = NEEDS_REVIEW if interview.status == NEEDS_REVIEW else "needs_date"
        for key, value in (("location", facts.location), ("url", facts.url)):
            if value and value != getattr(interview, key):
                changes[key] = value
        if facts.event is not None:
            changes.update(event_sequence=facts.event.sequence, event_dtstamp=facts.event.dtstamp,
                           event_uid=facts.event.uid)
        if facts.contact_preference and facts.contact_preference != interview.contact_preference:
            changes["contact_preference"] = facts.contact_preference
        self.store.update_interview(interview.id, now, **changes)
        if start is not None and "start" in changes:
            self.store.log_history(interview.id, now, f"moved to {start.isoformat()}")
        elif "candidates" in changes and proposed:
            offered = ", ".join(p.isoformat() for p in proposed)
            self.store.log_history(interview.id, now, f"{REASON_RESCHEDULING}; proposed: {offered}")
            for kind in self.store.cancel_pending(interview.id, now, REASON_RESCHEDULING):
                self.store.log_history(interview.id, now, f"{kind} cancelled: {REASON_RESCHEDULING}")
        elif start is None:
            self.store.log_history(interview.id, now, "update without a new date; `relance set` can fix it")
        self.planning.replan(interview.id, now)

    def fill_from_thread(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        """What the record lacks and a later mail in its thread names: a scheduler's booking gives no title and the
        manager's next mail does, an agency names its client once the slot is set. Only mail truly in the thread
        (not any mail from the company's domain, not an older version of the event); nothing the record has is
        replaced, nothing set or cleared by hand comes back, and the recruiter's name and phone only from the
        recruiter."""
        facts, own_name = analysis.facts, self.settings.identity.name
        named: dict[str, str | None] = {
            "company": trusted_company(facts.company, own_name),
            "position": trusted_position(facts.position, own_name),
        }
        if self.from_recruiter(interview, analysis):
            named["recruiter_name"] = facts.recruiter.name if facts.recruiter.name != own_name else None
            named["recruiter_phone"] = facts.recruiter.phone if not self.is_users_phone(facts.recruiter.phone) \
                else None
        by_hand = set_by_hand(self.store.history(interview.id))
        fills: dict[str, str | None] = {key: value for key, value in named.items()
                                        if value and getattr(interview, key) is None and key not in by_hand}
        if not fills:
            return
        for key, value in fills.items():
            self.store.log_history(interview.id, now, f"{key}{NAMED_IN_THREAD}{value}")
        if "recruiter_phone" in fills and interview.recruiter_tz is None and "recruiter_tz" not in by_hand \
                and not self.call_moved_by_user(interview):
            fills["recruiter_tz"] = facts.recruiter_tz or self.planning.zone_of_phone(fills["recruiter_phone"])
        self.store.update_interview(interview.id, now, **fills)
        if "recruiter_tz" in fills:
            self.planning.replan(interview.id, now)  # the call is after 17:00 in the recruiter's zone

    def truly_in_thread(self, interview: Interview, analysis: Analysis, tied_by: str) -> bool:
        """The message answers the record's thread or carries its event, newer than the record's version: not mail
        tied to it by its domain alone (a company's newsletter)."""
        if tied_by == TIED_BY_EVENT:
            return self.is_newer_event(interview, analysis.facts.event)
        return tied_by == TIED_BY_THREAD

    @staticmethod
    def from_recruiter(interview: Interview, analysis: Analysis) -> bool:
        """Sent by the record's recruiter, or the record knows no recruiter's address: an assistant's name and
        phone are not those of the person the thank-you greets."""
        sender = (analysis.message.from_email or "").lower()
        return interview.recruiter_email is None or sender == interview.recruiter_email.lower()

    def is_users_phone(self, phone: str | None) -> bool:
        return planner.same_number(phone, self.settings.identity.phone, self.settings.followups.holidays)

    def call_moved_by_user(self, interview: Interview) -> bool:
        """A move of the call in her calendar stands: a new zone would replan it away."""
        return any(f.moved_from is not None for f in self.store.followups(interview.id))

    def on_cancellation(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        if analysis.facts.event is not None and not self.is_newer_event(interview, analysis.facts.event):
            self.store.log_history(interview.id, now, "older cancellation of the event ignored")
            return
        self.store.update_interview(interview.id, now, status="cancelled")
        cancelled = self.store.cancel_pending(interview.id, now, "the interview was cancelled")
        self.store.log_history(interview.id, now, "cancelled by the company; cancelled: " + (", ".join(cancelled)
                                                                                            or "nothing pending"))

    def on_rejection(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        self.store.update_interview(interview.id, now, status="rejected")
        cancelled = self.store.cancel_pending(interview.id, now, "the application was rejected")
        self.store.log_history(interview.id, now, "rejection received; cancelled: " + (", ".join(cancelled)
                                                                                     or "nothing pending"))

    def on_reply(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        """Keep the latest answer; one after the interview makes the J+7 call pointless."""
        when = analysis.message.date or now
        changes: dict[str, object] = {}
        if interview.reply_at is None or when >= interview.reply_at:
            changes.update(reply_subject=analysis.message.subject, reply_at=when)
        if analysis.facts.contact_preference == "mail":
            changes["contact_preference"] = "mail"
        start = agreed_time(interview, analysis)
        if start is not None:
            end = analysis.facts.end or interview.end_if_moved(start)
            changes.update(start=start, end=end, candidates=[], status=status_at(start, end, now))
        self.store.update_interview(interview.id, now, **changes)
        self.store.log_history(interview.id, now, f"reply received: {analysis.message.subject}")
        if start is not None:
            self.store.log_history(interview.id, now, f"time agreed in the thread: {start.isoformat()}")
        self.planning.replan(interview.id, now)


def agreed_time(interview: Interview, analysis: Analysis) -> datetime | None:
    """The time a reply settles for an interview still waiting for one: the recruiter's "c'est noté" over the slot
    the user chose (her answer may be in no Sent folder relance reads). A reply to a scheduled interview moves
    nothing: a move is an update."""
    start, sent = analysis.facts.start, analysis.message.date
    if interview.status != "needs_date" or interview.start is not None or start is None:
        return None
    return start if sent is None or start > sent else None


def new_time(interview: Interview, analysis: Analysis) -> tuple[datetime | None, datetime | None, list[datetime]]:
    """(start, end, the new slots offered) a message gives the interview.

    A plain mail that moves an interview often names the old date too, and
    quotes the invitation: dates equal to the current one or before the
    mail was sent are not new. One new date left is the new time. A move
    that says nothing of the end keeps the interview's length.
    """
    facts = analysis.facts
    if facts.start is not None and (facts.event is not None or facts.start != interview.start):
        return facts.start, facts.end or interview.end_if_moved(facts.start), []
    sent = analysis.message.date
    proposed = sorted({c for c in (*facts.candidates, *([facts.start] if facts.start else []))
                       if c != interview.start and (sent is None or c > sent)})
    if len(proposed) == 1:
        return proposed[0], interview.end_if_moved(proposed[0]), []
    return None, None, proposed
