# SPDX-License-Identifier: MIT
"""The calendar as the records say it: one event per follow-up that belongs there, worded, numbered, written."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from babel.dates import format_date

from daemon.config import Settings
from daemon.crashpoints import crash_point
from daemon.followups import caldav_sync, drafts, ics, planner
from daemon.followups.drafting import draft_context
from daemon.followups.records import SETTLED, Followup, Interview, Store

log = logging.getLogger(__name__)

REASON_DELETED_BY_YOU = "deleted by you in your calendar"
# A cancelled follow-up stays in the feed as STATUS:CANCELLED this long, for the
# clients that keep an event which merely disappears; then it is left out.
CANCELLED_KEPT = timedelta(days=7)


class Publisher:
    def __init__(self, settings: Settings, store: Store, *, dry_run: bool = False,
                 caldav_backoff: caldav_sync.Backoff | None = None) -> None:
        self.settings = settings
        self.store = store
        self.dry_run = dry_run
        # calendar.caldav: the password once asked for, and the back-off (the daemon's, or none: try each time)
        self.caldav = caldav_sync.Link(caldav_backoff)
        # what the calendar file was last written from, to skip rebuilding an identical one;
        # only a shortcut: lost on restart, the file is simply written again
        self._exported: tuple[tuple[object, ...], datetime] | None = None

    def calendar_items(self, now: datetime) -> list[ics.CalendarItem]:
        """The feed's events: every pending follow-up, and recent cancellations the feed had shown."""
        items = []
        for interview in self.store.interviews():
            for followup in interview.followups:
                try:  # one record holding an impossible date must not take the whole calendar down
                    if self._in_feed(interview, followup):
                        item = self.calendar_item(interview, followup)
                    elif _recently_withdrawn(followup, now):
                        item = replace(self.calendar_item(interview, followup), cancelled=True)
                    else:
                        continue
                except (ValueError, OverflowError) as exc:
                    log.warning("calendar: interview #%d, %s left out: %s", interview.id, followup.kind,
                                type(exc).__name__)
                    continue
                items.append(self._published(followup, item, now))
        return items

    def _in_feed(self, interview: Interview, followup: Followup) -> bool:
        if interview.status in SETTLED:
            return False
        if followup.state == "blocked":
            return True  # the user has something to fix: the calendar says so, whatever the reminders
        if followup.state != "pending":
            return False
        return followup.kind != "thank_you" or self.settings.calendar.thank_you_reminder

    def _published(self, followup: Followup, item: ics.CalendarItem, now: datetime) -> ics.CalendarItem:
        """The item with its SEQUENCE and DTSTAMP: unchanged events keep theirs, changed ones get the next."""
        fingerprint = _fingerprint(item)
        if fingerprint == followup.feed_hash and followup.published is not None:
            return replace(item, sequence=followup.sequence, stamp=followup.published)
        sequence = followup.sequence + 1 if followup.feed_hash is not None else followup.sequence
        self.store.set_published(followup.id, fingerprint, sequence, now)
        return replace(item, sequence=sequence, stamp=now)

    def calendar_item(self, interview: Interview, followup: Followup) -> ics.CalendarItem:
        french = self.settings.language == "fr"
        what = " – ".join(x for x in (interview.company, interview.position) if x) or _which_interview(
            interview, self.settings)
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
        elif followup.kind == "review":
            summary, description = self.review_wording(interview)
        elif followup.state == "blocked":
            summary = f"Remerciement bloqué : {what}" if french else f"Thank-you blocked: {what}"
            no_draft = "Pas de brouillon :" if french else "No draft:"
            description = f"{no_draft} {followup.reason}\nrelance list; relance retry {interview.id} thank_you"
        else:
            summary = f"Envoyer le remerciement : {what}" if french else f"Send the thank-you: {what}"
            description = "Le brouillon est dans vos Brouillons." if french else "The draft is in your Drafts."
        zone = self.settings.zone
        # a blocked follow-up is shown from when it was blocked, where the user will look
        start = max(followup.due, followup.updated) if followup.state == "blocked" else followup.due
        length = (followup.end - followup.due) if followup.end else timedelta(minutes=15)
        return ics.CalendarItem(
            uid=event_uid(interview.id, followup.kind),
            kind=followup.kind, start=start.astimezone(zone), end=(start + length).astimezone(zone),
            summary=summary, description=description,
            location=interview.location if followup.kind in ("debrief", "review") else None,
            url=interview.url if followup.kind in ("debrief", "review") else None, sequence=followup.sequence,
            alarm_minutes=self.settings.calendar.alarm_minutes,
        )

    def review_wording(self, interview: Interview) -> tuple[str, str]:
        """(summary, description) of the event of a record held for review: "Interview? Company – subject"."""
        french = self.settings.language == "fr"
        what = " – ".join(x for x in (interview.company, interview.subject) if x)
        summary = ("Entretien ?" if french else "Interview?") + (f" {what}" if what else "")
        if french:
            description = (f"relance n'est pas sûr que ce soit un entretien. relance confirm {interview.id} "
                           f"le planifie ; relance dismiss {interview.id} l'écarte.")
        else:
            description = (f"relance is not sure this is an interview. relance confirm {interview.id} "
                           f"plans it; relance dismiss {interview.id} drops it.")
        return summary, description

    def call_description(self, interview: Interview, followup: Followup) -> str:
        """The number, the recruiter's own clock when it differs, and the script."""
        french = self.settings.language == "fr"
        number = interview.recruiter_phone or ("numéro inconnu" if french else "number unknown")
        lines = [f"{'Numéro :' if french else 'Number:'} {number}"]
        there = planner.record_zone(interview.recruiter_tz)
        if there is not None and followup.due.astimezone(there).utcoffset() != followup.due.astimezone(
                self.settings.zone).utcoffset():
            local = followup.due.astimezone(there).strftime("%H:%M")
            lines.append(f"{'Heure du recruteur :' if french else 'Recruiter’s time:'} {local} ({there.key})")
        try:
            # the script is read at the time of the call: its dates are worded as of then
            script = drafts.render_call_script(draft_context(self.settings, interview, followup.due),
                                               template_dirs=self.settings.template_paths)
        except drafts.DraftError as exc:
            log.warning("interview #%d: no call script: %s", interview.id, exc)
            script = ""
        return "\n".join(lines) + ("\n\n" + script if script else "")

    def calendar_bytes(self, now: datetime) -> bytes:
        """The calendar as of now; records what it published, so SEQUENCE rises on each change."""
        with self.store.unit():
            items = self.calendar_items(now)
        return ics.build_calendar(items, tz=self.settings.timezone, now=now)

    def export_calendar(self, now: datetime) -> None:
        if self.dry_run:
            return
        self.sync_caldav(now)
        if self._calendar_is_current(now):
            return
        ics.write_atomic(self.settings.calendar.path, self.calendar_bytes(now))
        self._exported = (self._calendar_inputs(now), self._calendar_valid_until(now))

    # --- the user's own calendar (calendar.caldav), two ways

    def sync_caldav(self, now: datetime) -> None:
        """Take in what the user moved or deleted in the collection, then make it match the records."""
        target = self.settings.calendar.caldav
        if target is None:
            return
        with self.caldav.attempt(target, self.settings.zone) as session:
            if session is None:
                return  # backing off after a failure
            changes = session.read(self.store.caldav_copies(), self.caldav_wanted(now))
            with self.store.unit():
                for change in changes:
                    self.take_in(change, now)
            crash_point("caldav-read")
            for outcome in session.make_match(self.caldav_wanted(now), changes):
                if outcome.sent:
                    crash_point("caldav-written")
                with self.store.unit():
                    self.store.set_caldav_copy(outcome.key, outcome.copy)

    def caldav_wanted(self, now: datetime) -> list[caldav_sync.Wanted]:
        """The feed's events, less the cancelled ones: a collection deletes them at once."""
        with self.store.unit():
            items = [item for item in self.calendar_items(now) if not item.cancelled]
        keys = {event_uid(i.id, f.kind): f.id for i in self.store.interviews() for f in i.followups}
        return [caldav_sync.Wanted(keys[item.uid], item.uid,
                                   ics.build_resource(item, tz=self.settings.timezone, now=now),
                                   item.sequence, item.start, item.end) for item in items]

    def take_in(self, change: caldav_sync.UserChange, now: datetime) -> None:
        """The user's move becomes the follow-up's due time; the user's delete dismisses it."""
        followup = self.store.followup(change.key)
        if followup is None:
            return
        if change.start is None or change.end is None:
            if followup.state != "pending":
                # a notice (a blocked thank-you) deleted as read: what it waits for still stands
                log.info("interview #%d: %s notice deleted in your calendar; it stays %s",
                         followup.interview_id, followup.kind, followup.state)
                return
            self.store.dismiss_by_user(followup.id, now, REASON_DELETED_BY_YOU)
            self.store.log_history(followup.interview_id, now, f"{followup.kind} cancelled: {REASON_DELETED_BY_YOU}")
            return
        self.store.move_by_user(followup.id, change.start, change.end, now)
        self.store.log_history(followup.interview_id, now, f"{followup.kind} moved by you in your calendar to "
                                                           f"{change.start.astimezone(self.settings.zone).isoformat()}")

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


def event_uid(interview_id: int, kind: str) -> str:
    """A follow-up's calendar UID: the same in the feed and in calendar.caldav, for good."""
    return f"relance-{interview_id}-{kind}@relance"


def _which_interview(interview: Interview, settings: Settings) -> str:
    """An interview without company or position, named by its day: "entretien du 12 janvier"."""
    french = settings.language == "fr"
    if interview.start is None:
        return "entretien" if french else "interview"
    day = interview.start.astimezone(settings.zone).date()
    return (f"entretien du {format_date(day, 'd MMMM', locale='fr')}" if french
            else f"interview of {format_date(day, 'd MMMM', locale='en')}")


def _recently_withdrawn(followup: Followup, now: datetime) -> bool:
    """Shown before, cancelled (not done) since, lately, and not yet over."""
    if followup.feed_hash is None or followup.state not in ("cancelled", "skipped"):
        return False
    over = followup.end or followup.due
    return now - followup.updated < CANCELLED_KEPT and over > now


def _fingerprint(item: ics.CalendarItem) -> str:
    """What the event shows, without its SEQUENCE and DTSTAMP: equal fingerprints, same event."""
    shown = replace(item, sequence=0, stamp=None)
    return hashlib.sha256(repr(shown).encode("utf-8", "surrogatepass")).hexdigest()[:32]
