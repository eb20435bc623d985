# SPDX-License-Identifier: MIT
"""Records held for review (status ``needs_review``): a mail with some evidence of an invitation, not enough
to act on. Confirming one plans it as an interview; dismissing one ends it and remembers its thread and its
sender, so that neither brings it back. Each runs inside the caller's unit of work."""

from __future__ import annotations

import logging
from datetime import datetime

from daemon.errors import UserError
from daemon.followups.plans import NEEDS_REVIEW, Planning, status_at
from daemon.followups.records import Interview, Store
from daemon.understand import people

log = logging.getLogger(__name__)

DISMISSED = "dismissed"
REASON_CONFIRMED = "confirmed as an interview"
REASON_DISMISSED = "dismissed"


def held(interview: Interview) -> Interview:
    """The record, when it is held for review; one clear line otherwise."""
    if interview.status != NEEDS_REVIEW:
        raise UserError(f"#{interview.id} is {interview.status}, not held for review "
                        "(`relance mark ID closed` ends an interview)")
    return interview


def confirm(store: Store, planning: Planning, interview: Interview, now: datetime, why: str) -> str:
    """Plan a held record as an interview: its status from its time, its "Interview?" event done,
    its follow-ups planned. Returns the new status."""
    status = status_at(interview.start, interview.end, now) if interview.start is not None else "needs_date"
    store.update_interview(interview.id, now, status=status)
    for followup in interview.followups:
        if followup.kind == "review" and followup.state == "pending":
            store.set_state(followup.id, "done", now, reason=REASON_CONFIRMED)
    store.log_history(interview.id, now, f"{why}: status {status}")
    planning.replan(interview.id, now)
    return status


def dismiss(store: Store, interview: Interview, now: datetime) -> list[str]:
    """End a held record: its event cancelled, its thread and sender remembered. Returns the senders remembered."""
    store.update_interview(interview.id, now, status=DISMISSED)
    store.cancel_pending(interview.id, now, REASON_DISMISSED)
    threads = [m for m in (interview.message_id, *interview.refs) if m]
    senders = remembered_senders(interview)
    store.dismissed.remember(interview.id, now, threads, senders)
    store.log_history(interview.id, now, "dismissed; from now on its thread is ignored, and so are possible "
                      "invitations from " + (", ".join(senders) or "its sender (no address known)"))
    return senders


def remembered_senders(interview: Interview) -> list[str]:
    """The recruiter's address, unless no person reads it (a no-reply, a recruiting system's): remembering
    that one would hold back every company that writes through the same system."""
    address = interview.recruiter_email
    if not address or people.is_machine(address):
        return []
    return [address.lower()]
