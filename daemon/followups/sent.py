# SPDX-License-Identifier: MIT
"""What the user's own sent mail changes in the records: a thank-you sent, a slot chosen, a withdrawal.

relance reads the Sent folder only to close loops it would otherwise keep open:
a thank-you the user sent by hand needs no draft, a slot the user chose dates
a record waiting for one, a withdrawal ends the follow-ups. A sent message
belongs to an interview when it answers its thread, carries a subject of the
thread, or goes to the recruiter or the company's domain; only mail sent after
the invitation arrived counts. Runs inside the unit of work of the message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from daemon.config import Settings
from daemon.followups import review
from daemon.followups.news import company_domains
from daemon.followups.plans import NEEDS_REVIEW, Planning, status_at
from daemon.followups.records import ENDED, Interview, Store
from daemon.model import ParsedMessage
from daemon.text import THREAD_PREFIX, fold
from daemon.understand.analysis import SentAnalysis

log = logging.getLogger(__name__)

REASON_WITHDREW = "you withdrew"  # as `relance mark ID withdrawn` says it


def thread_subject(subject: str | None) -> str:
    """A subject without the prefixes replies and forwards add, folded: the same for the whole thread."""
    return fold(THREAD_PREFIX.sub("", subject or "")).strip()


def named_slot(found: datetime, offered: Sequence[datetime], *, weekday_alone: bool = False) -> datetime | None:
    """The offered slot a date the user wrote names: the same instant, or the same day and time on the
    recruiter's clock (a slot offered in UK time, answered "26 January at 15:30" without a zone). A date
    written as a bare weekday ("jeudi 16h" answering slots of the week after next) names the one slot on
    that weekday at that time, if there is one."""
    for slot in offered:
        if found == slot or found.replace(tzinfo=None) == slot.replace(tzinfo=None):
            return slot
    if not weekday_alone:
        return None
    same = [s for s in offered if _wall(found) in (_wall(s), _wall(s.astimezone(found.tzinfo)))]
    return same[0] if len(same) == 1 else None


def _wall(moment: datetime) -> tuple[int, time]:
    return moment.weekday(), moment.time()


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


@dataclass(frozen=True)
class Link:
    """The interview a sent message belongs to, and why."""

    interview: Interview
    why: str


class SentMail:
    def __init__(self, settings: Settings, store: Store, planning: Planning) -> None:
        self.settings = settings
        self.store = store
        self.planning = planning

    # --- which interview

    def link(self, message: ParsedMessage) -> Link | None:
        """The interview a message the user sent answers, sent after its invitation arrived; else None."""
        found = self._link(message)
        if found is None:
            return None
        since = found.interview.invited_at or found.interview.created
        if message.date is not None and message.date < since:
            return None  # written before the invitation came: it answers something else
        return found

    def _link(self, message: ParsedMessage) -> Link | None:
        # the draft relance made, sent as it was (some clients keep its Message-ID), or an answer in the thread
        ids = [i for i in (message.message_id, message.in_reply_to, *reversed(message.references)) if i]
        interview_id = self.store.interview_for_message_ids(ids)
        if interview_id is not None:
            interview = self.store.get(interview_id)
            if interview is not None and interview.status not in ENDED:
                return Link(interview, "it answers the thread of the invitation")
        open_ones = self.store.interviews(include_ended=False)
        recipients = {a.lower() for a in (*message.to, *message.cc)}
        for interview in open_ones:
            if interview.recruiter_email and interview.recruiter_email.lower() in recipients:
                return Link(interview, f"it goes to the recruiter ({interview.recruiter_email})")
        subject = thread_subject(message.subject)
        if subject:
            for interview in open_ones:
                if subject in (thread_subject(interview.subject), thread_subject(interview.reply_subject)):
                    return Link(interview, "it has the subject of the interview's thread")
        domains = company_domains(self.settings, self.store)
        for address in sorted(recipients):
            interview_id = domains.get(_domain(address))
            if interview_id is not None and (interview := self.store.get(interview_id)) is not None:
                return Link(interview, f"it goes to the company's domain ({_domain(address)})")
        return None

    # --- what it changes

    def apply(self, analysis: SentAnalysis, link: Link, now: datetime) -> str:
        """Apply the first meaning the rules found that holds for the record; returns what it was."""
        handlers: dict[str, Callable[[Interview, SentAnalysis, datetime, datetime], bool]] = {
            "withdrawal": self.on_withdrawal,
            "thank_you": self.on_thank_you,
            "slot_choice": self.on_slot_choice,
        }
        sent_at = analysis.message.date or now
        for means in analysis.reading.meanings:
            handler = handlers.get(means)
            if handler is not None and handler(link.interview, analysis, sent_at, now):
                return means
        self.store.log_history(link.interview.id, now, f"you sent: {analysis.message.subject}")
        return "other"

    def on_thank_you(self, interview: Interview, analysis: SentAnalysis, sent_at: datetime, now: datetime) -> bool:
        """A thank-you after the interview: the follow-up is done, by the user, at the time it was sent."""
        if interview.start is None or sent_at < interview.start:
            return False  # "thank you for the invitation" before the interview is no thank-you
        self.store.log_history(interview.id, now, f"thank-you sent by you: {analysis.message.subject}")
        followup = next((f for f in interview.followups if f.kind == "thank_you"), None)
        if followup is not None and followup.done_at is None:
            self.store.set_done_by_user(followup.id, sent_at, now)
        return True

    def on_slot_choice(self, interview: Interview, analysis: SentAnalysis, sent_at: datetime, now: datetime) -> bool:
        """One of the proposed slots chosen: the record is dated and its follow-ups planned. A record held for
        review is an interview from then on: the user agreed to a time for it."""
        if interview.status not in ("needs_date", NEEDS_REVIEW) or not interview.candidates:
            return False
        offered = interview.candidates
        chosen = sorted({slot for d in analysis.dates
                         if (slot := named_slot(d, offered, weekday_alone=d in analysis.by_weekday)) is not None})
        if len(chosen) == 1:
            start = chosen[0]
            held = interview.status == NEEDS_REVIEW
            self.store.update_interview(interview.id, now, start=start, end=None, candidates=[],
                                        status=NEEDS_REVIEW if held else status_at(start, None, now))
            self.store.log_history(interview.id, now, f"you chose {start.isoformat()}: {analysis.message.subject}")
            dated = self.store.get(interview.id)
            if held and dated is not None:
                review.confirm(self.store, self.planning, dated, now, "confirmed by your reply choosing a time")
            else:
                self.planning.replan(interview.id, now)
            return True
        other_times = [d for d in analysis.dates
                       if named_slot(d, offered, weekday_alone=d in analysis.by_weekday) is None and d > sent_at]
        if not chosen and other_times:
            proposed = ", ".join(d.isoformat() for d in other_times)
            self.store.log_history(interview.id, now, f"you proposed another time ({proposed}); "
                                                      "waiting for the recruiter to confirm")
            return True
        return False

    def on_withdrawal(self, interview: Interview, analysis: SentAnalysis, sent_at: datetime, now: datetime) -> bool:
        """The user withdrew: the record is closed and what is pending cancelled."""
        self.store.update_interview(interview.id, now, status="closed")
        cancelled = self.store.cancel_pending(interview.id, now, REASON_WITHDREW)
        self.store.log_history(interview.id, now, f"you withdrew: {analysis.message.subject}; cancelled: "
                               + (", ".join(cancelled) or "nothing pending"))
        return True
