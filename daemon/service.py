# SPDX-License-Identifier: MIT
"""The daemon: one cycle = scan the watched folders, apply what the mails say, act on what is due.

Nothing that matters lives in memory: every step reads the records and
writes them back in a transaction, so a restart picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import calendar as cal
from . import debrief as sheets
from . import drafts, extract, guard, ical, mime, planner, rules, scan, triage
from .config import Settings
from .crashpoints import crash_point
from .errors import UserError
from .mailbox import FetchedMessage, Mailbox
from .model import CalendarEvent, Classification, Facts, ParsedMessage
from .records import SETTLED, Followup, Interview, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

DRAFTED_KINDS = ("thank_you",)
REASON_REPLIED = "the recruiter answered"
REASON_MAIL_ONLY = "the recruiter prefers mail"
REASON_RESCHEDULING = "the interview is being rescheduled"
# A cancelled follow-up stays in the feed as STATUS:CANCELLED this long, for the
# clients that keep an event which merely disappears; then it is left out.
CANCELLED_KEPT = timedelta(days=7)
FEED_TOKEN_FILE = "feed-token"  # noqa: S105 (a file name, not the secret)


@dataclass
class Analysis:
    """What the rules and the extractors make of one message."""

    message: ParsedMessage
    events: list[CalendarEvent]
    classification: Classification
    facts: Facts


@dataclass
class CycleReport:
    scanned: int = 0
    new_interviews: int = 0
    updated: int = 0
    drafts: int = 0
    skipped_messages: int = 0


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
    for part in message.calendars:
        events.extend(ical.parse_calendar(part, default_tz=settings.timezone))
        if budget is not None:
            budget.check("ical")
    classification = rules.classify(rule_set, message, events, context, every=every_match)
    if budget is not None:
        budget.check("rules")
    if classification.kind == "none" and not facts_of_none:
        return Analysis(message, events, classification, Facts())
    facts = extract.extract(message, events, tz=settings.timezone, default_language=settings.language,
                            user_emails={settings.identity.email, settings.imap.username}, now=now)
    return Analysis(message, events, classification, facts)


def first_look(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule],
               context: rules.Context) -> tuple[bool, str]:
    """Whether the scan would read this message whole, and why (``relance explain``)."""
    if settings.scan.read_every_message:
        return True, "scan.read_every_message is on"
    verdict = triage.Triage(rule_set).judge_file(raw, context)
    if verdict.candidate:
        return True, verdict.reason
    return False, "nothing in its headers or structure points at an interview (rules/screen.yaml)"


def stand_in_message_id(message: ParsedMessage) -> str:
    """A stable key for a message that has no Message-ID, from the headers and text it carries."""
    seen = "\0".join((str(message.date), message.from_email or "", message.subject, message.text[:4096]))
    return f"<no-message-id.{hashlib.sha256(seen.encode('utf-8', 'replace')).hexdigest()[:32]}@relance.invalid>"


def remembered(memo: dict[str, tuple[tuple[int, int, bool], Any]], name: str,
               generation: tuple[int, int, bool], compute: Callable[[], T]) -> T:
    """compute(), or what it gave at the same generation of the records (Store.generation): the scan
    asks for the context once per batch and per message read, and company_domains once more."""
    hit = memo.get(name)
    if hit is not None and hit[0] == generation:
        return cast(T, hit[1])
    value = compute()
    memo[name] = (generation, value)
    return value


def describe(folder: str, uid: int, message_id: str | None) -> str:
    return f"{folder} UID {uid} {message_id or '(no Message-ID)'}"


class Service:
    def __init__(self, settings: Settings, store: Store, rule_set: Sequence[rules.Rule], *,
                 dry_run: bool = False) -> None:
        self.settings = settings
        self.store = store
        self.rules = list(rule_set)
        self.dry_run = dry_run
        # called between two units of work; the daemon's loop pings the watchdog there,
        # and raises there to stop (SIGTERM) without cutting a unit in half
        self.checkpoint: Callable[[], None] = lambda: None
        # shows how a long scan advances (cli: a bar on a terminal); None: a log line every 10%
        self.progress: scan.Progress | None = None
        # what the calendar file was last written from, to skip rebuilding an identical one;
        # only a shortcut: lost on restart, the file is simply written again
        self._exported: tuple[tuple[object, ...], datetime] | None = None
        # what context() and company_domains() read, with the records' generation it was read at
        self._known: dict[str, tuple[tuple[int, int, bool], Any]] = {}

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def reconfigure(self, settings: Settings, rule_set: Sequence[rules.Rule]) -> None:
        """SIGHUP: new settings, rules and templates over the same records; the hooks set on the service stay."""
        self.settings = settings
        self.rules = list(rule_set)
        drafts.forget_templates()

    def load_data(self, now: datetime) -> None:
        """What cycles need from libraries and files, loaded once at start (the daemon, run --once):
        the first scan then runs at its own speed, and a missing data file shows at once."""
        extract.load_data()
        planner.load_data(self.settings.followups.holidays, now.astimezone(self.zone).date())
        drafts.load_templates(self.settings.template_paths)

    # --- the cycle

    def cycle(self, now: datetime, mailbox: Mailbox | None) -> CycleReport:
        report = CycleReport()
        if mailbox is not None:
            for folder in self.settings.imap.folders:
                self.scan_folder(mailbox, folder, now, report)
        crash_point("scanned")
        self.advance_statuses(now)
        self.act(now, mailbox, report)
        crash_point("acted")
        self.export_calendar(now)
        crash_point("cycle-done")
        log.info("cycle done: %d messages read, %d new interviews, %d updated, %d drafts",
                 report.scanned, report.new_interviews, report.updated, report.drafts)
        return report

    @contextmanager
    def _unit(self) -> Iterator[None]:
        """A unit of work: committed whole, or (in dry-run) rolled back whole."""
        if not self.dry_run:
            with self.store.transaction():
                yield
            return
        self.store.db.execute("BEGIN")
        try:
            yield
        finally:
            self.store.db.execute("ROLLBACK")

    # --- scanning

    def scan_folder(self, mailbox: Mailbox, folder: str, now: datetime, report: CycleReport) -> None:
        state = mailbox.status(folder)
        known = self.store.folder_state(folder)
        last_uid = 0
        if known is not None and known[0] == state.uidvalidity:
            last_uid = known[1]
            if state.uidnext <= last_uid + 1:
                return  # nothing new: one STATUS was enough
        elif known is not None:
            log.warning("%s: UIDVALIDITY changed (%d -> %d): rescanning, matching by Message-ID",
                        folder, known[0], state.uidvalidity)
        # SINCE bounds the first scan and any rescan; for new mail it costs nothing
        since = (now - timedelta(days=self.settings.scan.lookback_days)).date()
        mailbox.examine(folder)
        uids = mailbox.uids_after(folder, last_uid, since)
        if uids:
            progress = self.progress or scan.LogEvery10Percent(len(uids))
            scan.FolderScan(self, mailbox, folder, state.uidvalidity, now, report, progress).run(uids)
        with self._unit():
            # older mail below the SINCE bound is behind us too: next time start after UIDNEXT-1
            self.store.set_folder_state(folder, state.uidvalidity, max([last_uid, state.uidnext - 1, *uids]))

    def process(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport) -> None:
        """One message, one transaction: its effect and the folder's new high-water mark.

        Whatever the message holds, it ends in one log line that names it, with
        what the stages said about it folded in, and the cycle goes on.
        """
        self.checkpoint()
        report.scanned += 1
        with guard.held_logs() as held:
            message_id, outcome, skipped = self.read_and_apply(fetched, uidvalidity, now, report)
        label = describe(fetched.folder, fetched.uid, message_id)
        notes = [record.getMessage().removeprefix(label + ": ") for record in held]
        level = max([logging.WARNING if skipped else logging.INFO, *(record.levelno for record in held)])
        log.log(level, "%s: %s", label, "; ".join([outcome, *notes]))

    def read_and_apply(self, fetched: FetchedMessage, uidvalidity: int, now: datetime,
                       report: CycleReport) -> tuple[str | None, str, bool]:
        """(Message-ID, what became of the message, whether it was skipped)."""
        context = self.context()
        try:
            with guard.time_budget(self.settings.limits.seconds) as budget:
                analysis = analyse(fetched.raw, self.settings, self.rules, context, now, budget, facts_of_none=False,
                                   every_match=False)
        except (mime.MessageSkipped, guard.OverBudget) as exc:
            return self.skip(fetched, uidvalidity, now, report, str(exc))
        except Exception as exc:  # one bad mail must never stop the daemon; its text may quote the mail
            return self.skip(fetched, uidvalidity, now, report, f"could not be read ({type(exc).__name__})")
        message_id = analysis.message.message_id
        try:
            kind = self.apply_message(fetched, analysis, uidvalidity, now, report)
        except sqlite3.OperationalError:
            raise  # the store's trouble (locked, full, read-only), not the message's: read it again next cycle
        except Exception as exc:  # a message that trips a handler must not stop every cycle after it
            reason = f"could not be applied ({type(exc).__name__})"
            return self.skip(fetched, uidvalidity, now, report, reason, message_id)
        return message_id, kind, False

    def apply_message(self, fetched: FetchedMessage, analysis: Analysis, uidvalidity: int, now: datetime,
                      report: CycleReport) -> str:
        # a message without a Message-ID is known again by what it says (a rescan must not redo it)
        message_id = analysis.message.message_id or stand_in_message_id(analysis.message)
        with self._unit():
            interview_id = None
            if self.store.message_done(message_id):
                kind = "duplicate"
            else:
                kind = analysis.classification.kind
                label = describe(fetched.folder, fetched.uid, message_id)
                interview_id = self.apply(analysis, fetched.folder, now, report, label)
            self.store.record_message(fetched.folder, uidvalidity, fetched.uid, message_id, kind, interview_id, now)
            self.store.set_folder_state(fetched.folder, uidvalidity, fetched.uid)
            crash_point("message-applied")
        crash_point("message-committed")
        return kind

    def skip_unread(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport,
                    reason: str) -> None:
        """A message judged from its preview alone (over limits.message_bytes): never fetched whole."""
        self.checkpoint()
        report.scanned += 1
        message_id, outcome, _ = self.skip(fetched, uidvalidity, now, report, reason)
        log.warning("%s: %s", describe(fetched.folder, fetched.uid, message_id), outcome)

    def skip(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport, reason: str,
             message_id: str | None = None) -> tuple[str | None, str, bool]:
        """Record the message as skipped, so that the scan moves past it for good."""
        message_id = message_id or mime.header_message_id(fetched.raw)
        report.skipped_messages += 1
        with self._unit():
            self.store.record_message(fetched.folder, uidvalidity, fetched.uid, message_id, "skipped", None, now)
            self.store.set_folder_state(fetched.folder, uidvalidity, fetched.uid)
        crash_point("message-committed")
        return message_id, f"skipped: {reason}", True

    def context(self) -> rules.Context:
        return remembered(self._known, "context", self.store.generation(), lambda: rules.Context(
            known_message_ids=self.store.known_message_ids(), known_company_domains=frozenset(self.company_domains())))

    def company_domains(self) -> dict[str, int]:
        """Domains that point at one active interview: never a mail provider, a recruiting system,
        the user's own, nor a domain two interviews share (an answer there could be about either)."""
        return remembered(self._known, "company_domains", self.store.generation(), self._company_domains)

    def _company_domains(self) -> dict[str, int]:
        own = {a.rpartition("@")[2].lower() for a in (self.settings.identity.email, self.settings.imap.username)}
        found: dict[str, int] = {}
        shared: set[str] = set()
        for domain, interview_id in self.store.active_recruiter_domains():
            if domain in own or extract.names_no_company("x@" + domain):
                continue
            if domain in found and found[domain] != interview_id:
                shared.add(domain)
            found[domain] = interview_id
        return {d: i for d, i in found.items() if d not in shared}

    # --- what a message changes

    def apply(self, analysis: Analysis, folder: str, now: datetime, report: CycleReport, label: str) -> int | None:
        kind = analysis.classification.kind
        message = analysis.message
        if message.from_email and message.from_email.lower() == self.settings.identity.email.lower():
            return None  # the user's own mail in a thread is no news from the company
        if self.before_lookback(message, now):
            # IMAP SEARCH SINCE goes by arrival date; a mailbox moved between servers arrives all at once
            log.info("%s: sent before scan.lookback_days, ignored", label)
            return None
        existing = self.find_interview(analysis)
        if kind == "invitation" and existing is not None:
            kind = "update"
        if kind == "invitation":
            interview_id = self.create_interview(analysis, folder, now)
            report.new_interviews += 1
            log.info("%s: new interview #%d (rule %s)", label, interview_id, analysis.classification.rule)
            return interview_id
        if existing is None:
            if kind != "none":
                log.info("%s: %s for no known interview, ignored", label, kind)
            return None
        handlers: dict[str, Callable[[Interview, Analysis, datetime], None]] = {
            "update": self.apply_update,
            "cancellation": self.apply_cancellation,
            "rejection": self.apply_rejection,
            "reply": self.apply_reply,
        }
        handler = handlers.get(kind)
        if handler is None:
            return None
        handler(existing, analysis, now)
        report.updated += 1
        log.info("%s: %s of interview #%d", label, kind, existing.id)
        return existing.id

    def before_lookback(self, message: ParsedMessage, now: datetime) -> bool:
        return message.date is not None and message.date < now - timedelta(days=self.settings.scan.lookback_days)

    def find_interview(self, analysis: Analysis) -> Interview | None:
        event = analysis.facts.event
        if event is not None and event.uid:
            found = self.store.find_by_event_uid(event.uid)
            if found is not None:
                return found
        message = analysis.message
        ids = [i for i in (message.in_reply_to, *reversed(message.references)) if i]
        interview_id = self.store.interview_for_message_ids(ids)
        if interview_id is None and analysis.classification.kind != "invitation":
            domain = (message.from_email or "").rpartition("@")[2].lower()
            interview_id = self.company_domains().get(domain)
        return self.store.get(interview_id) if interview_id is not None else None

    def create_interview(self, analysis: Analysis, folder: str, now: datetime) -> int:
        facts, message = analysis.facts, analysis.message
        event = facts.event
        status = "scheduled" if facts.start is not None else "needs_date"
        interview_id = self.store.add_interview(
            now,
            status=status, company=facts.company, position=facts.position,
            language=facts.language or self.settings.language,
            recruiter_name=facts.recruiter.name, recruiter_email=facts.recruiter.email,
            recruiter_phone=facts.recruiter.phone,
            recruiter_tz=facts.recruiter_tz or self.zone_of_phone(facts.recruiter.phone),
            start=facts.start, end=facts.end, location=facts.location, url=facts.url,
            candidates=list(facts.candidates), message_id=message.message_id, folder=folder,
            subject=message.subject, refs=list(message.references),
            event_uid=event.uid if event else None, event_sequence=event.sequence if event else None,
            event_dtstamp=event.dtstamp if event else None, contact_preference=facts.contact_preference,
        )
        self.store.log_history(interview_id, now, f"invitation received: {message.subject}")
        self.replan(interview_id, now)
        return interview_id

    def replan(self, interview_id: int, now: datetime) -> None:
        """Plan the record's follow-ups afresh: pending ones move, done ones stay, dropped ones are cancelled."""
        interview = self.store.get(interview_id)
        if interview is None or interview.start is None or interview.status in SETTLED:
            return
        recruiter_zone = _zone(interview.recruiter_tz)
        country = planner.holiday_country(interview.recruiter_phone, interview.recruiter_tz,
                                          self.settings.followups.holidays)
        dropped = self.dropped_followups(interview)
        planned = [p for p in planner.plan(interview.start, interview.end, self.settings.followups, self.zone,
                                           recruiter_zone=recruiter_zone, country=country)
                   if p.kind not in dropped]
        for change in self.store.replan(interview_id, planned, now, dropped):
            self.store.log_history(interview_id, now, change)

    @staticmethod
    def dropped_followups(interview: Interview) -> dict[str, str]:
        """The follow-ups this record no longer calls for, with the reason."""
        if interview.contact_preference == "mail":
            return {"call": REASON_MAIL_ONLY}
        if interview.reply_at is not None and interview.start is not None and interview.reply_at >= interview.start:
            return {"call": REASON_REPLIED}
        return {}

    def zone_of_phone(self, phone: str | None) -> str | None:
        return planner.zone_of_phone(phone, default_region=self.settings.followups.holidays)

    def _is_newer_event(self, interview: Interview, event: CalendarEvent | None) -> bool:
        if event is None or interview.event_uid is None or event.uid != interview.event_uid:
            return True
        old = (interview.event_sequence or 0, interview.event_dtstamp.timestamp() if interview.event_dtstamp else 0)
        new = (event.sequence, event.dtstamp.timestamp() if event.dtstamp else 0)
        return new > old

    def apply_update(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        facts = analysis.facts
        if not self._is_newer_event(interview, facts.event):
            self.store.log_history(interview.id, now, "older version of the event ignored")
            return
        changes: dict[str, object] = {}
        start, end, proposed = self._new_time(interview, analysis)
        if start is not None and start != interview.start:
            changes.update(start=start, end=end, candidates=[])
            if interview.status in ("needs_date", "scheduled", "interviewed", "cancelled"):
                changes["status"] = self._status_at(start, end, now)
        elif len(proposed) > 1:
            # several new slots offered: the old time no longer holds and none is chosen yet
            changes.update(start=None, end=None, candidates=proposed, status="needs_date")
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
        elif changes.get("status") == "needs_date":
            offered = ", ".join(p.isoformat() for p in proposed)
            self.store.log_history(interview.id, now, f"{REASON_RESCHEDULING}; proposed: {offered}")
            for kind in self.store.cancel_pending(interview.id, now, REASON_RESCHEDULING):
                self.store.log_history(interview.id, now, f"{kind} cancelled: {REASON_RESCHEDULING}")
        elif start is None:
            self.store.log_history(interview.id, now, "update without a new date; `relance set` can fix it")
        self.replan(interview.id, now)

    @staticmethod
    def _new_time(interview: Interview, analysis: Analysis) -> tuple[datetime | None, datetime | None,
                                                                       list[datetime]]:
        """(start, end, the new slots offered) a message gives the interview.

        A plain mail that moves an interview often names the old date too, and
        quotes the invitation: dates equal to the current one or before the
        mail was sent are not new. One new date left is the new time.
        """
        facts = analysis.facts
        if facts.start is not None and (facts.event is not None or facts.start != interview.start):
            return facts.start, facts.end, []
        sent = analysis.message.date
        proposed = sorted({c for c in (*facts.candidates, *([facts.start] if facts.start else []))
                           if c != interview.start and (sent is None or c > sent)})
        if len(proposed) == 1:
            return proposed[0], None, []
        return None, None, proposed

    @staticmethod
    def _status_at(start: datetime, end: datetime | None, now: datetime) -> str:
        return "interviewed" if (end or start + planner.DEFAULT_LENGTH) <= now else "scheduled"

    def apply_cancellation(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        if analysis.facts.event is not None and not self._is_newer_event(interview, analysis.facts.event):
            self.store.log_history(interview.id, now, "older cancellation of the event ignored")
            return
        self.store.update_interview(interview.id, now, status="cancelled")
        cancelled = self.store.cancel_pending(interview.id, now, "the interview was cancelled")
        self.store.log_history(interview.id, now, "cancelled by the company; cancelled: " + (", ".join(cancelled)
                                                                                            or "nothing pending"))

    def apply_rejection(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        self.store.update_interview(interview.id, now, status="rejected")
        cancelled = self.store.cancel_pending(interview.id, now, "the application was rejected")
        self.store.log_history(interview.id, now, "rejection received; cancelled: " + (", ".join(cancelled)
                                                                                     or "nothing pending"))

    def apply_reply(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        """Keep the latest answer; one after the interview makes the J+7 call pointless."""
        when = analysis.message.date or now
        changes: dict[str, object] = {}
        if interview.reply_at is None or when >= interview.reply_at:
            changes.update(reply_subject=analysis.message.subject, reply_at=when)
        if analysis.facts.contact_preference == "mail":
            changes["contact_preference"] = "mail"
        self.store.update_interview(interview.id, now, **changes)
        self.store.log_history(interview.id, now, f"reply received: {analysis.message.subject}")
        self.replan(interview.id, now)

    # --- time passing

    def advance_statuses(self, now: datetime) -> None:
        with self._unit():
            for interview_id, start, end in self.store.scheduled_times():
                ended = end or (start + planner.DEFAULT_LENGTH if start else None)
                if ended is not None and ended <= now:
                    self.store.update_interview(interview_id, now, status="interviewed")
                    self.store.log_history(interview_id, now, "interview time passed")

    def act(self, now: datetime, mailbox: Mailbox | None, report: CycleReport) -> None:
        for followup in self.store.due(now, DRAFTED_KINDS):
            interview = self.store.get(followup.interview_id)
            if interview is None:
                continue
            if planner.too_late(followup.kind, followup.due, now, self.settings.followups):
                with self._unit():
                    late = now - followup.due
                    reason = f"{late.days} days late (more than thank_you.max_delay); not drafted stale"
                    self.store.set_state(followup.id, "skipped", now, reason=reason)
                    self.store.log_history(interview.id, now, f"thank-you skipped: {reason}")
                continue
            if mailbox is None:
                continue
            if self.make_draft(interview, followup, now, mailbox):
                report.drafts += 1

    def draft_context(self, interview: Interview, now: datetime) -> drafts.DraftContext:
        """What a draft or a call script says; the latest debrief adds what the recruiter looks for."""
        identity = self.settings.identity
        notes = sheets.parse(interview.debrief) if interview.debrief else sheets.Notes()
        return drafts.DraftContext(
            language=interview.language, sender_name=identity.name, sender_email=identity.email,
            sender_phone=identity.phone, key_skills=identity.key_skills,
            recruiter_name=interview.recruiter_name, recruiter_title=interview.recruiter_title,
            recruiter_email=interview.recruiter_email or "",
            company=interview.company, position=interview.position,
            interview_start=(interview.start or now).astimezone(self.zone), now=now.astimezone(self.zone),
            source_message_id=interview.message_id, source_references=tuple(interview.refs),
            source_subject=interview.subject,
            looks_for=notes.looks_for, new_facts=notes.new_facts,
        )

    def draft_id(self, interview: Interview, kind: str) -> str:
        key = interview.message_id or f"interview-{interview.id}"
        return drafts.draft_message_id(interview.message_id, key, kind,
                                       self.settings.identity.email.rpartition("@")[2])

    def make_draft(self, interview: Interview, followup: Followup, now: datetime, mailbox: Mailbox) -> bool:
        """Append the thank-you exactly once, whatever crashed before. True when a draft was made.

        The Message-ID is the same on every attempt and is recorded before the APPEND, so after a
        crash anywhere the draft is looked for by that Message-ID (in the whole Drafts folder, so a
        changed UIDVALIDITY there does not matter) before appending it again.
        """
        self.checkpoint()
        message_id = followup.intent or self.draft_id(interview, followup.kind)
        try:
            message = drafts.render_thank_you(self.draft_context(interview, now),
                                              template_dirs=self.settings.template_paths, message_id=message_id)
        except drafts.DraftError as exc:
            with self._unit():
                self.store.set_state(followup.id, "skipped", now, reason=str(exc))
                self.store.log_history(interview.id, now, f"thank-you not drafted: {exc}")
            log.warning("interview #%d: thank-you not drafted: %s", interview.id, exc)
            return False
        if self.dry_run:
            log.info("dry run: would draft %s for interview #%d", message_id, interview.id)
            return False
        with self._unit():
            # the intent is on disk before the APPEND: a crash after it makes us look before appending again
            self.store.set_intent(followup.id, message_id)
        crash_point("draft-intent")
        folder = mailbox.drafts_folder()
        found = mailbox.search_message_id(folder, message_id)
        if found:
            # relance never deletes: two copies (a crash on a server without UIDPLUS, a client's
            # re-save) are both left to the user, and the follow-up counts as drafted
            copies = f"{len(found)} copies" if len(found) > 1 else "UID " + str(found[0])
            log.info("interview #%d: draft %s already in %s (%s), adopted", interview.id, message_id, folder, copies)
        else:
            uid = mailbox.append_draft(folder, bytes(message), now)
            log.info("interview #%d: thank-you draft added to %s%s", interview.id, folder,
                     f" (UID {uid})" if uid is not None else "")
        crash_point("draft-appended")
        with self._unit():
            self.store.set_state(followup.id, "done", now, ref=message_id)
            self.store.log_history(interview.id, now, f"thank-you drafted in {folder}: {message_id}")
        crash_point("draft-done")
        return True

    # --- changes made by hand (relance add, set, mark, debrief)

    def interview(self, interview_id: int) -> Interview:
        found = self.store.get(interview_id)
        if found is None:
            raise UserError(f"no interview with ID {interview_id} (see `relance list --all`)")
        return found

    def add_by_hand(self, values: dict[str, str], now: datetime) -> int:
        """A record for an interview that came by phone; its follow-ups planned like any other."""
        fields = {name: self.parse_field(name, text) for name, text in values.items()}
        start, end = fields.get("start"), fields.get("end")
        assert start is None or isinstance(start, datetime)
        assert end is None or isinstance(end, datetime)
        if "recruiter_tz" not in fields:
            fields["recruiter_tz"] = self.zone_of_phone(_text(fields.get("recruiter_phone")))
        fields.setdefault("language", self.settings.language)
        status = self._status_at(start, end, now) if start is not None else "needs_date"
        with self._unit():
            interview_id = self.store.add_interview(now, status=status, **fields)
            self.store.log_history(interview_id, now, "added by hand")
            self.replan(interview_id, now)
        return interview_id

    def correct(self, interview_id: int, values: dict[str, str], now: datetime) -> list[str]:
        """Set fields the mail got wrong or never said; the follow-ups follow. Returns what changed."""
        interview = self.interview(interview_id)
        fields = {name: self.parse_field(name, text) for name, text in values.items()}
        if "recruiter_phone" in fields and "recruiter_tz" not in fields:
            fields["recruiter_tz"] = self.zone_of_phone(_text(fields["recruiter_phone"])) or interview.recruiter_tz
        changed = {k: v for k, v in fields.items() if getattr(interview, k) != v}
        if "start" in changed or "end" in changed:
            start = changed.get("start", interview.start)
            end = changed.get("end", interview.end)
            assert start is None or isinstance(start, datetime)
            assert end is None or isinstance(end, datetime)
            if start is not None and interview.status in ("needs_date", "scheduled", "interviewed", "cancelled"):
                changed.update(status=self._status_at(start, end, now), candidates=[])
        notes = [f"set {k}: {_shown(getattr(interview, k))} -> {_shown(v)}" for k, v in changed.items()
                 if k != "candidates"]
        with self._unit():
            self.store.update_interview(interview_id, now, **changed)
            for note in notes:
                self.store.log_history(interview_id, now, note)
            self.replan(interview_id, now)
        return notes

    def parse_field(self, name: str, text: str) -> object:
        """A value given on the command line, checked and typed; "" clears the field."""
        parser = _EDITABLE.get(name)
        if parser is None:
            raise UserError(f"cannot set {name!r}; fields: {', '.join(sorted(_EDITABLE))}")
        if not text.strip():
            if name == "language":
                raise UserError("language cannot be empty (fr or en)")
            return None
        try:
            return parser(text.strip(), self.zone)
        except ValueError as exc:
            raise UserError(f"{name}: {exc}") from None

    def mark(self, interview_id: int, mark: str, now: datetime) -> str:
        """Record what happened outside relance: a call made, an offer, a withdrawal. Returns what it did."""
        interview = self.interview(interview_id)
        status, done_kind, reason = MARKS[mark]
        with self._unit():
            if done_kind is not None:
                what = self._mark_done(interview, done_kind, now)
            elif mark == "scheduled":
                what = self._reopen(interview, now)
            else:
                assert status is not None
                self.store.update_interview(interview.id, now, status=status)
                cancelled = self.store.cancel_pending(interview.id, now, reason) if reason else []
                what = f"status {status}" + (f"; cancelled: {', '.join(cancelled)}" if cancelled else "")
            self.store.log_history(interview.id, now, f"marked {mark}: {what}")
        return what

    def _mark_done(self, interview: Interview, kind: str, now: datetime) -> str:
        followup = next((f for f in interview.followups if f.kind == kind), None)
        if followup is None:
            return f"no {kind} was planned"
        self.store.set_state(followup.id, "done", now)
        return f"{kind} done"

    def _reopen(self, interview: Interview, now: datetime) -> str:
        status = self._status_at(interview.start, interview.end, now) if interview.start else "needs_date"
        self.store.update_interview(interview.id, now, status=status)
        self.replan(interview.id, now)
        return f"status {status}"

    def debrief_sheet(self, interview_id: int) -> str:
        """The saved debrief, or a new sheet prefilled with the record."""
        interview = self.interview(interview_id)
        if interview.debrief:
            return interview.debrief
        start = interview.start.astimezone(self.zone) if interview.start else None
        facts = sheets.SheetFacts(interview.id, interview.company, interview.position, start,
                                  interview.recruiter_name, interview.next_steps, interview.contact_preference,
                                  interview.recruiter_title)
        return sheets.sheet(facts, self.settings.language)

    def save_debrief(self, interview_id: int, text: str, now: datetime) -> sheets.Notes:
        """Keep the sheet; what it says about next steps, contact and title goes into the record."""
        interview = self.interview(interview_id)
        notes = sheets.parse(text)
        changes: dict[str, object] = {"debrief": text, "debrief_at": now}
        for key in ("next_steps", "contact_preference", "recruiter_title"):
            value = getattr(notes, key)
            if value and value != getattr(interview, key):
                changes[key] = value
        with self._unit():
            self.store.update_interview(interview.id, now, **changes)
            said = [f"{k.replace('_', ' ')}: {changes[k]}" for k in changes if k not in ("debrief", "debrief_at")]
            self.store.log_history(interview.id, now, "debrief saved" + (f" ({'; '.join(said)})" if said else ""))
            followup = next((f for f in interview.followups if f.kind == "debrief"), None)
            if followup is not None and followup.state == "pending":
                self.store.set_state(followup.id, "done", now)
            self.replan(interview.id, now)
        return notes

    # --- the calendar

    def calendar_items(self, now: datetime) -> list[cal.CalendarItem]:
        """The feed's events: every pending follow-up, and recent cancellations the feed had shown."""
        items = []
        for interview in self.store.interviews():
            for followup in interview.followups:
                if self._in_feed(interview, followup):
                    item = self.calendar_item(interview, followup)
                elif self._recently_withdrawn(followup, now):
                    item = replace(self.calendar_item(interview, followup), cancelled=True)
                else:
                    continue
                items.append(self._published(followup, item, now))
        return items

    def _in_feed(self, interview: Interview, followup: Followup) -> bool:
        if followup.state != "pending" or interview.status in SETTLED:
            return False
        return followup.kind != "thank_you" or self.settings.calendar.thank_you_reminder

    @staticmethod
    def _recently_withdrawn(followup: Followup, now: datetime) -> bool:
        """Shown before, cancelled (not done) since, lately, and not yet over."""
        if followup.feed_hash is None or followup.state not in ("cancelled", "skipped"):
            return False
        over = followup.end or followup.due
        return now - followup.updated < CANCELLED_KEPT and over > now

    def _published(self, followup: Followup, item: cal.CalendarItem, now: datetime) -> cal.CalendarItem:
        """The item with its SEQUENCE and DTSTAMP: unchanged events keep theirs, changed ones get the next."""
        fingerprint = _fingerprint(item)
        if fingerprint == followup.feed_hash and followup.published is not None:
            return replace(item, sequence=followup.sequence, stamp=followup.published)
        sequence = followup.sequence + 1 if followup.feed_hash is not None else followup.sequence
        self.store.set_published(followup.id, fingerprint, sequence, now)
        return replace(item, sequence=sequence, stamp=now)

    def calendar_item(self, interview: Interview, followup: Followup) -> cal.CalendarItem:
        french = self.settings.language == "fr"
        what = " – ".join(x for x in (interview.company, interview.position) if x) or (
            "entretien" if french else "interview")
        description = ""
        if followup.kind == "debrief":
            summary = f"Debrief : {what}" if french else f"Debrief: {what}"
            description = ("Notez vos impressions tant qu'elles sont fraîches : relance debrief "
                           if french else "Write down your impressions while fresh: relance debrief ")
            description += str(interview.id)
        elif followup.kind == "call":
            who = interview.recruiter_name or interview.company or ""
            summary = (f"Appeler {who} ({what})" if french else f"Call {who} ({what})").replace("  ", " ")
            description = self.call_description(interview, followup)
        else:
            summary = f"Envoyer le remerciement : {what}" if french else f"Send the thank-you: {what}"
            description = "Le brouillon est dans vos Brouillons." if french else "The draft is in your Drafts."
        return cal.CalendarItem(
            uid=f"relance-{interview.id}-{followup.kind}@relance",
            kind=followup.kind, start=followup.due.astimezone(self.zone),
            end=(followup.end or followup.due + timedelta(minutes=15)).astimezone(self.zone),
            summary=summary, description=description,
            location=interview.location if followup.kind == "debrief" else None,
            url=interview.url if followup.kind == "debrief" else None, sequence=followup.sequence,
            alarm_minutes=self.settings.calendar.alarm_minutes,
        )

    def call_description(self, interview: Interview, followup: Followup) -> str:
        """The number, the recruiter's own clock when it differs, and the script."""
        french = self.settings.language == "fr"
        number = interview.recruiter_phone or ("numéro inconnu" if french else "number unknown")
        lines = [f"{'Numéro :' if french else 'Number:'} {number}"]
        there = _zone(interview.recruiter_tz)
        if there is not None and followup.due.astimezone(there).utcoffset() != followup.due.astimezone(
                self.zone).utcoffset():
            local = followup.due.astimezone(there).strftime("%H:%M")
            lines.append(f"{'Heure du recruteur :' if french else 'Recruiter’s time:'} {local} ({there.key})")
        try:
            # the script is read at the time of the call: its dates are worded as of then
            script = drafts.render_call_script(self.draft_context(interview, followup.due),
                                               template_dirs=self.settings.template_paths)
        except drafts.DraftError as exc:
            log.warning("interview #%d: no call script: %s", interview.id, exc)
            script = ""
        return "\n".join(lines) + ("\n\n" + script if script else "")

    def calendar_bytes(self, now: datetime) -> bytes:
        """The calendar as of now; records what it published, so SEQUENCE rises on each change."""
        with self._unit():
            items = self.calendar_items(now)
        return cal.build_calendar(items, tz=self.settings.timezone, now=now)

    def export_calendar(self, now: datetime) -> None:
        if self.dry_run:
            return
        if self._calendar_is_current(now):
            return
        cal.write_atomic(self.settings.calendar.path, self.calendar_bytes(now))
        self._exported = (self._calendar_inputs(now), self._calendar_valid_until(now))

    def _calendar_inputs(self, now: datetime) -> tuple[object, ...]:
        """Everything the calendar is built from, cheaply: any write to the records changes it."""
        other_writers = self.store.db.execute("PRAGMA data_version").fetchone()[0]
        return (self.store.db.total_changes, other_writers, now.year, id(self.settings),
                self.settings.calendar.path.exists())

    def _calendar_valid_until(self, now: datetime) -> datetime:
        """When time alone changes the feed: a withdrawn event leaves it after a week or once over."""
        until = now + timedelta(days=1)
        for interview in self.store.interviews():
            for f in interview.followups:
                if f.feed_hash is None or f.state not in ("cancelled", "skipped"):
                    continue
                for moment in (f.updated + CANCELLED_KEPT, f.end or f.due):
                    if now < moment < until:
                        until = moment
        return until

    def _calendar_is_current(self, now: datetime) -> bool:
        if self._exported is None:
            return False
        inputs, valid_until = self._exported
        return now < valid_until and inputs == self._calendar_inputs(now)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r in a record, ignored", name)
        return None


def _fingerprint(item: cal.CalendarItem) -> str:
    """What the event shows, without its SEQUENCE and DTSTAMP: equal fingerprints, same event."""
    shown = replace(item, sequence=0, stamp=None)
    return hashlib.sha256(repr(shown).encode("utf-8", "surrogatepass")).hexdigest()[:32]


# --- what `relance mark` and `relance set` accept

# mark -> (record status, follow-up made done, reason pending follow-ups are cancelled with)
MARKS: dict[str, tuple[str | None, str | None, str | None]] = {
    "called": (None, "call", None),
    "thanked": (None, "thank_you", None),
    "debriefed": (None, "debrief", None),
    "interviewed": ("interviewed", None, None),
    "scheduled": ("scheduled", None, None),
    "offer": ("offer", None, "an offer was made"),
    "rejected": ("rejected", None, "the application was rejected"),
    "withdrawn": ("closed", None, "you withdrew"),
    "closed": ("closed", None, "closed by hand"),
    "cancelled": ("cancelled", None, "the interview was cancelled"),
}


def parse_when(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date and time; without an offset it is in the configured zone."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date and time such as 2026-12-03T14:30: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _plain(text: str, zone: ZoneInfo) -> str:
    return " ".join(text.split())


def _language(text: str, zone: ZoneInfo) -> str:
    if text not in ("fr", "en"):
        raise ValueError("must be fr or en")
    return text


def _address(text: str, zone: ZoneInfo) -> str:
    try:
        return drafts.validate_addr_spec(text)
    except drafts.DraftError as exc:
        raise ValueError(str(exc)) from None


def _zone_name(text: str, zone: ZoneInfo) -> str:
    if _zone(text) is None:
        raise ValueError(f"unknown time zone {text!r} (an IANA name such as Europe/London)")
    return text


def _preference(text: str, zone: ZoneInfo) -> str | None:
    if text.lower() in ("none", "any"):
        return None
    found = sheets.contact_preference(text)
    if found is None:
        raise ValueError("must be mail, phone or none")
    return found


def _title(text: str, zone: ZoneInfo) -> str:
    found = sheets.recruiter_title(text)
    if found is None:
        raise ValueError("must be Madame, Monsieur, Ms, Mrs or Mr")
    return found


_EDITABLE: dict[str, Callable[[str, ZoneInfo], object]] = {
    "company": _plain, "position": _plain, "language": _language, "start": parse_when, "end": parse_when,
    "location": _plain, "url": _plain, "recruiter_name": _plain, "recruiter_email": _address,
    "recruiter_phone": _plain, "recruiter_tz": _zone_name, "recruiter_title": _title,
    "contact_preference": _preference, "next_steps": _plain,
}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return "(none)" if value in (None, "") else str(value)


# --- the calendar feed served by `relance run`


def feed_token_path(settings: Settings) -> Path:
    return settings.data_dir / FEED_TOKEN_FILE


def feed_url(settings: Settings) -> str:
    serve = settings.calendar.serve
    return cal.feed_url(serve.bind, serve.port, cal.load_or_create_token(feed_token_path(settings)))


def rotate_feed_token(settings: Settings) -> str:
    cal.rotate_token(feed_token_path(settings))
    return feed_url(settings)


def feed_body(settings: Settings) -> bytes:
    """What the last cycle wrote: the feed and the calendar file never disagree."""
    try:
        return settings.calendar.path.read_bytes()
    except FileNotFoundError:
        return cal.build_calendar([], tz=settings.timezone, now=datetime.now(settings.zone))


def feed_server(settings: Settings) -> cal.FeedServer:
    """The HTTP feed; the token is read at each request, so a rotated one takes effect at once."""
    token_path = feed_token_path(settings)
    cal.load_or_create_token(token_path)
    serve = settings.calendar.serve
    return cal.FeedServer(serve.bind, serve.port, lambda: cal.load_or_create_token(token_path),
                          lambda: feed_body(settings))

