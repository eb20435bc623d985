# SPDX-License-Identifier: MIT
"""Changes made by hand: `relance add`, `set`, `mark`, `confirm`, `dismiss` and `debrief`, each in one unit of
work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from daemon import window
from daemon.config import Settings
from daemon.errors import UsageError, UserError
from daemon.followups import debrief as sheets
from daemon.followups import drafts, planner, review
from daemon.followups.plans import Planning, status_at
from daemon.followups.records import SETTLED, Interview, Store

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


class HandEdits:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.planning = Planning(settings, store)

    def interview(self, interview_id: int) -> Interview:
        found = self.store.get(interview_id)
        if found is None:
            raise UserError(f"no interview with ID {interview_id} (see `relance list --all`)")
        return found

    def add_by_hand(self, values: dict[str, str], now: datetime) -> int:
        """A record for an interview that came by phone; its follow-ups planned like any other."""
        fields = {name: self.parse_field(name, text) for name, text in values.items()}
        window.refuse_outside(fields, now)
        start, end = fields.get("start"), fields.get("end")
        assert start is None or isinstance(start, datetime)
        assert end is None or isinstance(end, datetime)
        if "recruiter_tz" not in fields:
            fields["recruiter_tz"] = self.planning.zone_of_phone(_text(fields.get("recruiter_phone")))
        fields.setdefault("language", self.settings.language)
        status = status_at(start, end, now) if start is not None else "needs_date"
        with self.store.unit():
            interview_id = self.store.add_interview(now, status=status, **fields)
            self.store.log_history(interview_id, now, "added by hand")
            self.planning.replan(interview_id, now)
        return interview_id

    def correct(self, interview_id: int, values: dict[str, str], now: datetime) -> list[str]:
        """Set fields the mail got wrong or never said; the follow-ups follow. Returns what changed."""
        interview = self.interview(interview_id)
        fields = {name: self.parse_field(name, text) for name, text in values.items()}
        window.refuse_outside(fields, now)
        if "recruiter_phone" in fields and "recruiter_tz" not in fields:
            fields["recruiter_tz"] = (self.planning.zone_of_phone(_text(fields["recruiter_phone"]))
                                      or interview.recruiter_tz)
        changed = {k: v for k, v in fields.items() if getattr(interview, k) != v}
        moved_to = changed.get("start")
        if isinstance(moved_to, datetime) and "end" not in fields and interview.end is not None:
            changed["end"] = interview.end_if_moved(moved_to)
        if "start" in changed or "end" in changed:
            start = changed.get("start", interview.start)
            end = changed.get("end", interview.end)
            assert start is None or isinstance(start, datetime)
            assert end is None or isinstance(end, datetime)
            if start is not None and interview.status in ("needs_date", "scheduled", "interviewed", "cancelled"):
                changed.update(status=status_at(start, end, now), candidates=[])
        notes = [f"{SET_BY_HAND}{k}: {_shown(getattr(interview, k))} -> {_shown(v)}" for k, v in changed.items()
                 if k != "candidates"]
        with self.store.unit():
            self.store.update_interview(interview_id, now, **changed)
            for note in notes:
                self.store.log_history(interview_id, now, note)
            self.planning.replan(interview_id, now)
            notes += self._unblock(interview_id, now)
        return notes

    def _unblock(self, interview_id: int, now: datetime) -> list[str]:
        """After a change by hand, what was blocked is tried again at once (the change may be the fix)."""
        tried = self.store.unblock(interview_id, now)
        notes = [f"{kind} no longer blocked: tried again within a minute of the next check" for kind in tried]
        for note in notes:
            self.store.log_history(interview_id, now, note)
        return notes

    def retry(self, interview_id: int, kind: str, now: datetime) -> str:
        """`relance retry ID KIND`: a follow-up skipped, cancelled or blocked, pending again (due now if
        its time is past, so ``max_delay`` counts from now). A done one is never redone."""
        interview = self.interview(interview_id)
        followup = next((f for f in interview.followups if f.kind == kind), None)
        if followup is None:
            kinds = ", ".join(f.kind for f in interview.followups) or "none"
            raise UserError(f"#{interview_id} has no {kind} follow-up (it has: {kinds})")
        if interview.status in SETTLED:
            raise UserError(f"#{interview_id} is {interview.status}: nothing to follow up "
                            f"(`relance mark {interview_id} scheduled` first, if that was a mistake)")
        if followup.state == "done":
            raise UserError(f"#{interview_id} {kind} is done already; relance never does it twice")
        if followup.state == "pending":
            return f"{kind} is pending already, due {followup.due.isoformat()}"
        with self.store.unit():
            self.store.reopen(followup, now)
            self.store.log_history(interview_id, now, f"{kind} retried by hand (was {followup.state})")
        return f"{kind} pending again, due {max(followup.due, now).isoformat()}"

    def parse_field(self, name: str, text: str) -> object:
        return parse_field(self.settings, name, text)

    def mark(self, interview_id: int, mark: str, now: datetime) -> str:
        """Record what happened outside relance: a call made, an offer, a withdrawal. Returns what it did."""
        interview = self.interview(interview_id)
        status, done_kind, reason = MARKS[mark]
        if interview.status == "needs_review" and reason is None:
            # only confirm plans a record held for review; an ending mark (rejected, closed, …) may end it
            raise UserError(f"interview #{interview.id} is held for review: `relance confirm {interview.id}` "
                            f"plans it, `relance dismiss {interview.id}` drops it")
        with self.store.unit():
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

    def confirm(self, interview_id: int, now: datetime) -> str:
        """A record held for review planned as an interview. Returns what it did."""
        interview = review.held(self.interview(interview_id))
        with self.store.unit():
            status = review.confirm(self.store, self.planning, interview, now, "confirmed by you")
        return f"confirmed: status {status}"

    def dismiss(self, interview_id: int, now: datetime) -> str:
        """A record held for review dropped, its thread and sender remembered. Returns what it did."""
        interview = review.held(self.interview(interview_id))
        with self.store.unit():
            senders = review.dismiss(self.store, interview, now)
        return "dismissed; its thread is ignored from now on" + (
            f", and so are possible invitations from {', '.join(senders)}" if senders else "")

    def _mark_done(self, interview: Interview, kind: str, now: datetime) -> str:
        followup = next((f for f in interview.followups if f.kind == kind), None)
        if followup is None:
            return f"no {kind} was planned"
        self.store.set_state(followup.id, "done", now)
        return f"{kind} done"

    def _reopen(self, interview: Interview, now: datetime) -> str:
        status = status_at(interview.start, interview.end, now) if interview.start else "needs_date"
        self.store.update_interview(interview.id, now, status=status)
        self.planning.replan(interview.id, now)
        tried = self._unblock(interview.id, now)
        return f"status {status}" + (f"; {'; '.join(tried)}" if tried else "")

    def debrief_sheet(self, interview_id: int) -> str:
        """The saved debrief, or a new sheet prefilled with the record."""
        interview = self.interview(interview_id)
        if interview.debrief:
            return interview.debrief
        start = interview.start.astimezone(self.settings.zone) if interview.start else None
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
        with self.store.unit():
            self.store.update_interview(interview.id, now, **changes)
            said = [f"{k.replace('_', ' ')}: {changes[k]}" for k in changes if k not in ("debrief", "debrief_at")]
            self.store.log_history(interview.id, now, "debrief saved" + (f" ({'; '.join(said)})" if said else ""))
            followup = next((f for f in interview.followups if f.kind == "debrief"), None)
            if followup is not None and followup.state == "pending":
                self.store.set_state(followup.id, "done", now)
            self.planning.replan(interview.id, now)
            self._unblock(interview.id, now)
        return notes


# how `relance set` writes a change in the history, and the fields it changed read back from it
SET_BY_HAND = "set "


def set_by_hand(history: list[tuple[datetime, str]]) -> set[str]:
    """The fields `relance set` changed: the user's word stands over the mail's."""
    return {event.removeprefix(SET_BY_HAND).partition(":")[0] for _, event in history
            if event.startswith(SET_BY_HAND)}


def parse_field(settings: Settings, name: str, text: str) -> object:
    """A value given on the command line, checked and typed; "" clears the field."""
    parser = _EDITABLE.get(name)
    if parser is None:
        raise UsageError(f"cannot set {name!r}; fields: {', '.join(sorted(_EDITABLE))}")
    if not text.strip():
        if name == "language":
            raise UsageError("language cannot be empty (fr or en)")
        return None
    try:
        if name == "recruiter_phone":
            return _phone(text.strip(), settings.followups.holidays)
        return parser(text.strip(), settings.zone)
    except Implausible as exc:
        raise UserError(f"{name}: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}") from None


class Implausible(ValueError):
    """A well-formed value refused for what it says (a date in 2062): a refusal (exit 1), not a usage error."""


def parse_when(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date and time; without an offset it is in the configured zone.

    A date alone is refused: read as midnight, it would plan a thank-you for the wrong morning."""
    if _date_alone(text):
        raise ValueError(f"{text!r} is a date without a time; give the time too, such as {text}T14:30")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date and time such as 2026-12-03T14:30: {text!r}") from None
    value = value if value.tzinfo else value.replace(tzinfo=zone)
    if (refused := window.out_of_range(value)) is not None:
        raise Implausible(refused)
    return value


def _date_alone(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _phone(text: str, region: str) -> str:
    """A number as the extractor stores one (international format), read in the holidays' country when
    it has no +prefix, so that `relance set` and the mail give the same number the same way."""
    formatted = planner.international_phone(text, region)
    if formatted is None:
        raise ValueError(f"{text!r} is not a valid phone number (give it with its country code, such as "
                         "+33 1 23 45 67 89)")
    return formatted


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
    if planner.record_zone(text) is None:
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


FIELDS = tuple(_EDITABLE)  # what `relance set` can change, in the order its help lists them


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return "(none)" if value in (None, "") else str(value)
