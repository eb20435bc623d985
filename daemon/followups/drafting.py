# SPDX-License-Identifier: MIT
"""The thank-you drafts that fall due: made once, exactly once, whatever crashed before."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from daemon.config import Settings
from daemon.crashpoints import crash_point
from daemon.followups import debrief as sheets
from daemon.followups import drafts, planner
from daemon.followups.doubt import trusted_company, trusted_position
from daemon.followups.records import Followup, Interview, Store
from daemon.text import counted

log = logging.getLogger(__name__)

DRAFTED_KINDS = ("thank_you",)


class DraftsFolder(Protocol):
    """The little of a mailbox that drafting needs (mail.mailbox.Mailbox is one)."""

    def drafts_folder(self) -> str: ...

    def search_message_id(self, folder: str, message_id: str) -> list[int]: ...

    def append_draft(self, folder: str, raw: bytes, when: datetime) -> int | None: ...


def draft_context(settings: Settings, interview: Interview, now: datetime) -> drafts.DraftContext:
    """What a draft or a call script says; the latest debrief adds what the recruiter looks for."""
    identity = settings.identity
    notes = sheets.parse(interview.debrief) if interview.debrief else sheets.Notes()
    return drafts.DraftContext(
        language=interview.language, sender_name=identity.name, sender_email=identity.email,
        sender_phone=identity.phone, key_skills=identity.key_skills.of(drafts.language_of(interview.language)),
        recruiter_name=interview.recruiter_name, recruiter_title=interview.recruiter_title,
        recruiter_email=interview.recruiter_email or "",
        company=trusted_company(interview.company, identity.name),
        position=trusted_position(interview.position, identity.name),
        interview_start=(interview.start or now).astimezone(settings.zone), now=now.astimezone(settings.zone),
        source_message_id=interview.message_id, source_references=tuple(interview.refs),
        source_subject=interview.subject,
        looks_for=notes.looks_for, new_facts=notes.new_facts,
    )


class Drafting:
    def __init__(self, settings: Settings, store: Store, *, dry_run: bool,
                 checkpoint: Callable[[], None]) -> None:
        self.settings = settings
        self.store = store
        self.dry_run = dry_run
        # the loop's hook between two units of work (watchdog, SIGTERM)
        self.checkpoint = checkpoint

    def act(self, now: datetime, mailbox: DraftsFolder | None) -> int:
        """Every thank-you due: drafted, skipped when too late, or blocked while something only the
        user can fix stops it (tried again each cycle: it is done as soon as that is fixed).
        Returns how many drafts were made."""
        made = 0
        for followup in [*self.store.due(now, DRAFTED_KINDS), *self.store.blocked(DRAFTED_KINDS)]:
            interview = self.store.get(followup.interview_id)
            if interview is None:
                continue
            if followup.state == "pending" and planner.too_late(followup.kind, followup.due, now,
                                                                self.settings.followups):
                self.skip_stale(interview, followup, now)
                continue
            message_id = followup.intent or self.draft_id(interview, followup.kind)
            message = self.render(interview, followup, now, message_id)
            if message is None:
                continue
            if followup.state == "blocked":
                self.unblock(interview, followup, now)
                if followup.due > now:
                    continue
            if mailbox is None:
                continue
            if self.make_draft(interview, followup, now, mailbox, message, message_id):
                made += 1
        return made

    def render(self, interview: Interview, followup: Followup, now: datetime,
               message_id: str) -> EmailMessage | None:
        """The draft, or None when it cannot be made yet: the follow-up is then blocked, with the reason."""
        try:
            if not interview.recruiter_email:
                raise drafts.DraftError("no recruiter address")
            return drafts.render_thank_you(draft_context(self.settings, interview, now),
                                           template_dirs=self.settings.template_paths, message_id=message_id,
                                           html=self.settings.drafts.html)
        except drafts.DraftError as exc:
            self.block(interview, followup, now, f"{exc}; {_what_to_do(str(exc), interview.id)}")
            return None

    def block(self, interview: Interview, followup: Followup, now: datetime, reason: str) -> None:
        if followup.state == "blocked" and followup.reason == reason:
            return  # said once already: a cycle that finds the same cause writes and logs nothing
        with self.store.unit():
            self.store.set_state(followup.id, "blocked", now, reason=reason)
            self.store.log_history(interview.id, now, f"thank-you blocked: {reason}")
        log.warning("interview #%d: thank-you blocked: %s", interview.id, reason)

    def unblock(self, interview: Interview, followup: Followup, now: datetime) -> None:
        with self.store.unit():
            self.store.reopen(followup, now)
            self.store.log_history(interview.id, now, "thank-you no longer blocked")
        log.info("interview #%d: thank-you no longer blocked (%s)", interview.id, followup.reason)

    def skip_stale(self, interview: Interview, followup: Followup, now: datetime) -> None:
        with self.store.unit():
            late = now - followup.due
            reason = f"{counted(late.days, 'day')} late (more than thank_you.max_delay); not drafted stale"
            self.store.set_state(followup.id, "skipped", now, reason=reason)
            self.store.log_history(interview.id, now, f"thank-you skipped: {reason}")

    def draft_id(self, interview: Interview, kind: str) -> str:
        key = interview.message_id or f"interview-{interview.id}"
        return drafts.draft_message_id(interview.message_id, key, kind,
                                       self.settings.identity.email.rpartition("@")[2])

    def make_draft(self, interview: Interview, followup: Followup, now: datetime, mailbox: DraftsFolder,
                   message: EmailMessage, message_id: str) -> bool:
        """Append the thank-you exactly once, whatever crashed before. True when a draft was made.

        The Message-ID is the same on every attempt and is recorded before the APPEND, so after a
        crash anywhere the draft is looked for by that Message-ID (in the whole Drafts folder, so a
        changed UIDVALIDITY there does not matter) before appending it again.
        """
        self.checkpoint()
        if self.dry_run:
            log.info("dry run: would draft %s for interview #%d", message_id, interview.id)
            return False
        with self.store.unit():
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
        with self.store.unit():
            self.store.set_state(followup.id, "done", now, ref=message_id)
            self.store.log_history(interview.id, now, f"thank-you drafted in {folder}: {message_id}")
        crash_point("draft-done")
        return True


def _what_to_do(problem: str, interview_id: int) -> str:
    """The fix a blocked thank-you waits for, in the words of the command or key that makes it."""
    if problem.startswith(("no recruiter address", "recruiter address")):
        return f"`relance set {interview_id} recruiter_email=ADDRESS` and it is drafted"
    if problem.startswith("sender address"):
        return "fix identity.email, then reload relance"
    return "fix the template; it is tried again every cycle"
