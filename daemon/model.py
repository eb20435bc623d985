# SPDX-License-Identifier: MIT
"""Plain data passed between the stages: no I/O, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# possible_invitation: some evidence of an invitation, not enough to act on: held for the user's review
Kind = Literal["invitation", "possible_invitation", "update", "cancellation", "rejection", "reply", "ignore", "none"]
Status = Literal["needs_review", "needs_date", "scheduled", "interviewed", "rejected", "cancelled", "offer", "closed",
                 "dismissed"]
# review: the "Interview?" event of a record held for review, at the time the mail gave
FollowupKind = Literal["debrief", "thank_you", "call", "review"]
FollowupState = Literal["pending", "done", "cancelled", "skipped"]
SentMeaning = Literal["thank_you", "slot_choice", "withdrawal", "other"]


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT as found in a message's calendar part, times already made aware."""

    method: str | None  # REQUEST, CANCEL, REPLY, COUNTER, PUBLISH, ... (upper case)
    uid: str | None
    sequence: int
    dtstamp: datetime | None
    start: datetime | None  # aware; None when the part had no usable DTSTART
    end: datetime | None
    tzid: str | None  # IANA zone name when one could be mapped
    summary: str | None
    location: str | None
    description: str | None
    url: str | None  # Teams / Meet / Zoom join link when present
    organizer_email: str | None
    organizer_name: str | None
    status: str | None  # CONFIRMED, CANCELLED, TENTATIVE


@dataclass(frozen=True)
class ParsedMessage:
    """A mail reduced to what rules and extractors look at. Built by daemon.mime."""

    message_id: str | None
    subject: str
    from_name: str | None
    from_email: str | None
    reply_to: tuple[str, ...]
    to: tuple[str, ...]
    cc: tuple[str, ...]
    date: datetime | None  # aware
    headers: tuple[tuple[str, str], ...]  # (lower-case name, decoded value)
    text: str  # body as plain text (HTML turned to text when no text/plain)
    calendars: tuple[bytes, ...]  # raw bytes of every text/calendar or .ics part
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Person:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Facts:
    """What extraction found in one message. Every field may be missing."""

    company: str | None = None
    position: str | None = None
    language: str | None = None
    recruiter: Person = field(default_factory=Person)
    start: datetime | None = None
    end: datetime | None = None
    location: str | None = None
    url: str | None = None
    candidates: tuple[datetime, ...] = ()  # several proposed slots: needs_date
    event: CalendarEvent | None = None
    contact_preference: str | None = None  # "mail" when the recruiter asked for mail only
    recruiter_tz: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it was found


@dataclass(frozen=True)
class Classification:
    kind: Kind
    rule: str | None  # the rule that decided; "evidence" when the weighed evidence overruled the rules
    matched: tuple[str, ...]
    evidence: tuple[tuple[str, float], ...] = ()  # (signal, weight) weighed by understand.evidence
    score: float | None = None  # their sum, when evidence was weighed


@dataclass(frozen=True)
class SentReading:
    """What the rules of kind sent make of a message the user sent."""

    means: SentMeaning  # what the rule of the highest priority says
    rule: str | None
    matched: tuple[str, ...]
    meanings: tuple[SentMeaning, ...] = ()  # of every rule that matched, highest priority first, each once


@dataclass(frozen=True)
class PlannedFollowup:
    kind: FollowupKind
    due: datetime  # aware
    end: datetime | None = None


@dataclass
class CycleReport:
    """What one cycle did, for its log line and the tests."""

    scanned: int = 0
    new_interviews: int = 0
    held: int = 0  # possible invitations held for review
    updated: int = 0
    drafts: int = 0
    skipped_messages: int = 0


@dataclass(frozen=True)
class CalDavCopy:
    """What relance last knew of one of its events in the calendar.caldav collection."""

    key: int  # the follow-up's ID
    href: str  # the event's URL
    etag: str | None  # None when the server gave none on the PUT
    sequence: int
    start: datetime
    end: datetime
