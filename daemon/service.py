# SPDX-License-Identifier: MIT
"""The daemon: one cycle = scan the watched folders, apply what the mails say, act on what is due.

Nothing that matters lives in memory: every step reads the records and
writes them back in a transaction, so a restart picks up where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from . import calendar as cal
from . import drafts, extract, ical, mime, planner, rules
from .config import Settings
from .crashpoints import crash_point
from .mailbox import FetchedMessage, Mailbox
from .model import CalendarEvent, Classification, Facts, ParsedMessage
from .records import Followup, Interview, Store

log = logging.getLogger(__name__)

DRAFTED_KINDS = ("thank_you",)
REASON_REPLIED = "the recruiter answered"


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
    errors: list[str] = field(default_factory=list)


def analyse(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule],
            context: rules.Context | None = None, now: datetime | None = None) -> Analysis:
    """Classify and extract one message. Raises mime.MessageTooLarge only."""
    context = context or rules.Context()
    message = mime.parse(raw, max_parts=settings.limits.parts, max_bytes=settings.limits.message_bytes)
    events: list[CalendarEvent] = []
    for part in message.calendars:
        events.extend(ical.parse_calendar(part, default_tz=settings.timezone))
    classification = rules.classify(rule_set, message, events, context)
    facts = extract.extract(message, events, tz=settings.timezone, default_language=settings.language,
                            user_emails={settings.identity.email, settings.imap.username}, now=now)
    return Analysis(message, events, classification, facts)


def describe(folder: str, uid: int, message_id: str | None) -> str:
    return f"{folder} UID {uid} {message_id or '(no Message-ID)'}"


class Service:
    def __init__(self, settings: Settings, store: Store, rule_set: Sequence[rules.Rule], *,
                 dry_run: bool = False) -> None:
        self.settings = settings
        self.store = store
        self.rules = list(rule_set)
        self.dry_run = dry_run
        self.zone = ZoneInfo(settings.timezone)
        # called between two units of work; the daemon's loop pings the watchdog there,
        # and raises there to stop (SIGTERM) without cutting a unit in half
        self.checkpoint: Callable[[], None] = lambda: None

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
        for uid, raw, flags in mailbox.fetch(uids):
            self.process(FetchedMessage(folder, uid, raw, flags), state.uidvalidity, now, report)
        with self._unit():
            # older mail below the SINCE bound is behind us too: next time start after UIDNEXT-1
            self.store.set_folder_state(folder, state.uidvalidity, max([last_uid, state.uidnext - 1, *uids]))

    def process(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport) -> None:
        """One message, one transaction: its effect and the folder's new high-water mark."""
        self.checkpoint()
        report.scanned += 1
        label = describe(fetched.folder, fetched.uid, None)
        try:
            analysis = analyse(fetched.raw, self.settings, self.rules, self.context(), now)
        except mime.MessageTooLarge as exc:
            log.warning("%s skipped: %s", label, exc)
            report.skipped_messages += 1
            analysis = None
        except Exception as exc:  # one bad mail must never stop the daemon
            log.warning("%s skipped: could not be read (%s)", label, type(exc).__name__)
            report.skipped_messages += 1
            analysis = None
        with self._unit():
            interview_id = None
            kind = "none"
            if analysis is not None:
                label = describe(fetched.folder, fetched.uid, analysis.message.message_id)
                if self.store.message_done(analysis.message.message_id):
                    kind = "duplicate"
                else:
                    kind = analysis.classification.kind
                    interview_id = self.apply(analysis, fetched.folder, now, report, label)
            self.store.record_message(fetched.folder, uidvalidity, fetched.uid,
                                      analysis.message.message_id if analysis else None, kind, interview_id, now)
            self.store.set_folder_state(fetched.folder, uidvalidity, fetched.uid)
            crash_point("message-applied")
        crash_point("message-committed")

    def context(self) -> rules.Context:
        return rules.Context(known_message_ids=self.store.known_message_ids(),
                             known_company_domains=frozenset(self.store.active_company_domains()))

    # --- what a message changes

    def apply(self, analysis: Analysis, folder: str, now: datetime, report: CycleReport, label: str) -> int | None:
        kind = analysis.classification.kind
        message = analysis.message
        if message.from_email and message.from_email.lower() == self.settings.identity.email.lower():
            return None  # the user's own mail in a thread is no news from the company
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
            interview_id = self.store.active_company_domains().get(domain)
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
            recruiter_phone=facts.recruiter.phone, recruiter_tz=facts.recruiter_tz,
            start=facts.start, end=facts.end, location=facts.location, url=facts.url,
            candidates=list(facts.candidates), message_id=message.message_id, folder=folder,
            subject=message.subject, refs=list(message.references),
            event_uid=event.uid if event else None, event_sequence=event.sequence if event else None,
            event_dtstamp=event.dtstamp if event else None, contact_preference=facts.contact_preference,
        )
        self.store.log_history(interview_id, now, f"invitation received: {message.subject}")
        self.replan(interview_id, now)
        return interview_id

    def replan(self, interview_id: int, now: datetime, reason: str = "no longer planned") -> None:
        interview = self.store.get(interview_id)
        if interview is None or interview.start is None or interview.status in ("cancelled", "rejected", "closed"):
            return
        recruiter_zone = ZoneInfo(interview.recruiter_tz) if interview.recruiter_tz else None
        planned = planner.plan(interview.start, interview.end, self.settings.followups, self.zone,
                               recruiter_zone=recruiter_zone,
                               mail_only=interview.contact_preference == "mail")
        for change in self.store.replan(interview_id, planned, now, reason):
            self.store.log_history(interview_id, now, change)

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
        if facts.start is not None and facts.start != interview.start:
            changes.update(start=facts.start, end=facts.end, status="scheduled", candidates=[])
        for key, value in (("location", facts.location), ("url", facts.url)):
            if value and value != getattr(interview, key):
                changes[key] = value
        if facts.event is not None:
            changes.update(event_sequence=facts.event.sequence, event_dtstamp=facts.event.dtstamp,
                           event_uid=facts.event.uid)
        if interview.status in ("cancelled",) and facts.start is not None:
            changes["status"] = "scheduled"
        self.store.update_interview(interview.id, now, **changes)
        if "start" in changes:
            self.store.log_history(interview.id, now, f"moved to {facts.start.isoformat() if facts.start else '?'}")
        self.replan(interview.id, now, "the interview moved")

    def apply_cancellation(self, interview: Interview, analysis: Analysis, now: datetime) -> None:
        if analysis.facts.event is not None and not self._is_newer_event(interview, analysis.facts.event):
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
        when = analysis.message.date or now
        self.store.update_interview(interview.id, now, reply_subject=analysis.message.subject, reply_at=when)
        self.store.log_history(interview.id, now, f"reply received: {analysis.message.subject}")
        if interview.start is not None and when >= interview.start:
            for kind in self.store.cancel_pending(interview.id, now, REASON_REPLIED, kinds=("call",)):
                self.store.log_history(interview.id, now, f"{kind} cancelled: {REASON_REPLIED}")

    # --- time passing

    def advance_statuses(self, now: datetime) -> None:
        with self._unit():
            for interview in self.store.interviews(include_ended=False):
                ended = interview.end or (interview.start + planner.DEFAULT_LENGTH if interview.start else None)
                if interview.status == "scheduled" and ended is not None and ended <= now:
                    self.store.update_interview(interview.id, now, status="interviewed")
                    self.store.log_history(interview.id, now, "interview time passed")

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
        identity = self.settings.identity
        return drafts.DraftContext(
            language=interview.language, sender_name=identity.name, sender_email=identity.email,
            sender_phone=identity.phone, key_skills=identity.key_skills,
            recruiter_name=interview.recruiter_name, recruiter_title=None,
            recruiter_email=interview.recruiter_email or "",
            company=interview.company, position=interview.position,
            interview_start=(interview.start or now).astimezone(self.zone), now=now.astimezone(self.zone),
            source_message_id=interview.message_id, source_references=tuple(interview.refs),
            source_subject=interview.subject,
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

    # --- the calendar

    def calendar_items(self, now: datetime) -> list[cal.CalendarItem]:
        items = []
        for interview in self.store.interviews(include_ended=False):
            for followup in interview.followups:
                if followup.state != "pending":
                    continue
                if followup.kind == "thank_you" and not self.settings.calendar.thank_you_reminder:
                    continue
                items.append(self.calendar_item(interview, followup, now))
        return items

    def calendar_item(self, interview: Interview, followup: Followup, now: datetime) -> cal.CalendarItem:
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
            number = interview.recruiter_phone or ("numéro inconnu" if french else "number unknown")
            script = drafts.render_call_script(self.draft_context(interview, now),
                                               template_dirs=self.settings.template_paths)
            description = f"{'Numéro :' if french else 'Number:'} {number}\n\n{script}"
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

    def calendar_bytes(self, now: datetime) -> bytes:
        return cal.build_calendar(self.calendar_items(now), tz=self.settings.timezone, now=now)

    def export_calendar(self, now: datetime) -> None:
        if self.dry_run:
            return
        cal.write_atomic(self.settings.calendar.path, self.calendar_bytes(now))

