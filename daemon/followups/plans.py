# SPDX-License-Identifier: MIT
"""The follow-up rules applied to a record: what is planned, what is dropped and why, what time made true."""

from __future__ import annotations

import logging
from datetime import datetime

from daemon.config import Settings
from daemon.followups import planner
from daemon.followups.records import SETTLED, Interview, Store
from daemon.model import PlannedFollowup

log = logging.getLogger(__name__)

REASON_REPLIED = "the recruiter answered"
REASON_MAIL_ONLY = "the recruiter prefers mail"
REASON_NO_TIME = "no time is known"
NEEDS_REVIEW = "needs_review"


def status_at(start: datetime, end: datetime | None, now: datetime) -> str:
    """What a dated interview is at ``now``: over, or still to come."""
    return "interviewed" if (end or start + planner.DEFAULT_LENGTH) <= now else "scheduled"


def dropped_followups(interview: Interview) -> dict[str, str]:
    """The follow-ups this record no longer calls for, with the reason."""
    if interview.contact_preference == "mail":
        return {"call": REASON_MAIL_ONLY}
    if interview.reply_at is not None and interview.start is not None and interview.reply_at >= interview.start:
        return {"call": REASON_REPLIED}
    return {}


class Planning:
    """Plans a record's follow-ups; every method runs inside the caller's unit of work but the last."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store

    def replan(self, interview_id: int, now: datetime) -> None:
        """Plan the record's follow-ups afresh: pending ones move, done ones stay, dropped ones are cancelled."""
        interview = self.store.get(interview_id)
        if interview is not None and interview.status == NEEDS_REVIEW:
            self._plan_review(interview, now)
            return
        if interview is None or interview.start is None or interview.status in SETTLED:
            return
        country = planner.holiday_country(interview.recruiter_phone, interview.recruiter_tz,
                                          self.settings.followups.holidays)
        dropped = dropped_followups(interview)
        recruiter_zone = planner.record_zone(interview.recruiter_tz)
        planned = [p for p in planner.plan(interview.start, interview.end, self.settings.followups,
                                           self.settings.zone, recruiter_zone=recruiter_zone, country=country)
                   if p.kind not in dropped]
        for change in self.store.write_plan(interview_id, planned, now, dropped):
            self.store.log_history(interview_id, now, change)

    def _plan_review(self, interview: Interview, now: datetime) -> None:
        """A record held for review has one event, "Interview?", at the time found; nothing else is due."""
        planned = []
        if interview.start is not None:
            planned.append(PlannedFollowup("review", interview.start, interview.end or interview.start
                                           + planner.DEFAULT_LENGTH))
        for change in self.store.write_plan(interview.id, planned, now, {"review": REASON_NO_TIME}):
            self.store.log_history(interview.id, now, change)

    def zone_of_phone(self, phone: str | None) -> str | None:
        return planner.zone_of_phone(phone, default_region=self.settings.followups.holidays)

    def advance_statuses(self, now: datetime) -> None:
        """Interviews whose time is over become ``interviewed``, in a unit of their own."""
        with self.store.unit():
            for interview_id, start, end in self.store.scheduled_times():
                ended = end or (start + planner.DEFAULT_LENGTH if start else None)
                if ended is not None and ended <= now:
                    self.store.update_interview(interview_id, now, status="interviewed")
                    self.store.log_history(interview_id, now, "interview time passed")
