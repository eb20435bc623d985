# SPDX-License-Identifier: MIT
"""The records: the one source of truth for what is due and what is done.

Interviews, their follow-ups and history, and the messages seen by folder, as
plain dataclasses; every change inside a unit of work of the database
(followups/database.py), so that a crash leaves the state before or after.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from daemon.followups.database import Database
from daemon.model import CalDavCopy, PlannedFollowup

log = logging.getLogger(__name__)


_RECORD_MESSAGE = ("INSERT OR REPLACE INTO messages(folder, uidvalidity, uid, message_id, kind, interview_id, seen_at) "
                   "VALUES(?,?,?,?,?,?,?)")

INTERVIEW_FIELDS = (
    "status", "company", "position", "language", "recruiter_name", "recruiter_email", "recruiter_phone",
    "recruiter_tz", "start", "end", "location", "url", "candidates", "message_id", "folder", "subject", "refs",
    "event_uid", "event_sequence", "event_dtstamp", "contact_preference", "next_steps", "debrief",
    "reply_subject", "reply_at", "recruiter_title", "debrief_at", "invited_at",
)
# what `relance list` leaves out without --all (DESIGN.md); dismissed: a review the user turned down
ENDED = ("rejected", "cancelled", "closed", "dismissed")
# an offer is still shown, but there is nothing left to follow up
SETTLED = (*ENDED, "offer")
# the reason of a follow-up the user did themselves, seen in their sent mail (DESIGN.md)
SENT_BY_YOU = "sent by you"

# the follow-ups still to do: pending, or blocked until the user fixes what stops them (a missing
# recruiter address, a broken template); both move with the interview and are cancelled with it
WAITING = ("pending", "blocked")


@dataclass
class Followup:
    id: int
    interview_id: int
    kind: str
    due: datetime
    end: datetime | None
    state: str
    reason: str | None
    ref: str | None
    intent: str | None
    sequence: int  # the SEQUENCE the calendar feed last published
    updated: datetime  # when the state or the due time last changed
    feed_hash: str | None = None  # fingerprint of the event last published, None if never
    published: datetime | None = None  # when that version was first published
    moved_from: datetime | None = None  # the planned due the user's move in their calendar replaced
    dismissed: datetime | None = None  # when the user deleted its event in their calendar
    done_at: datetime | None = None  # when the user did it themselves (their sent mail says so)


@dataclass
class Interview:
    id: int
    status: str
    company: str | None
    position: str | None
    language: str
    recruiter_name: str | None
    recruiter_email: str | None
    recruiter_phone: str | None
    recruiter_tz: str | None
    start: datetime | None
    end: datetime | None
    location: str | None
    url: str | None
    candidates: list[datetime]
    message_id: str | None
    folder: str | None
    subject: str | None
    refs: list[str]
    event_uid: str | None
    event_sequence: int | None
    event_dtstamp: datetime | None
    contact_preference: str | None
    next_steps: str | None
    debrief: str | None
    reply_subject: str | None
    reply_at: datetime | None
    created: datetime
    updated: datetime
    recruiter_title: str | None = None
    debrief_at: datetime | None = None
    invited_at: datetime | None = None  # the invitation's Date; None for one added by hand
    followups: list[Followup] = field(default_factory=list)

    def end_if_moved(self, start: datetime) -> datetime | None:
        """The end once the interview starts at ``start``: moved, it keeps the length it had, when one is known."""
        if self.start is None or self.end is None:
            return None
        return start + (self.end - self.start)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# Text a mail gives (a subject of 500 kB is a header like any other) is kept this long at most:
# enough to recognise it in `relance list`, and a record stays small.
MAX_MAIL_TEXT = 300
_MAIL_TEXT_FIELDS = frozenset({"subject", "reply_subject", "company", "position", "location", "recruiter_name"})


def _encode(key: str, value: Any) -> Any:
    if key in _MAIL_TEXT_FIELDS and isinstance(value, str) and len(value) > MAX_MAIL_TEXT:
        return value[:MAX_MAIL_TEXT - 1] + "…"
    if isinstance(value, datetime):
        return value.isoformat()
    if key == "candidates":
        return json.dumps([_iso(v) for v in value or []])
    if key == "refs":
        return json.dumps(list(value or []))
    return value


class Dismissed:
    """What dismissed reviews leave behind: the Message-IDs of their threads, their senders' addresses.
    Writes run inside the Store's unit of work (the same connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def remember(self, interview_id: int, now: datetime, threads: Iterable[str], senders: Iterable[str]) -> None:
        """The thread's Message-IDs and the sender's addresses of a dismissed review (the first dismissal wins)."""
        rows = [("thread", t, interview_id, now.isoformat()) for t in threads if t]
        rows += [("sender", a.lower(), interview_id, now.isoformat()) for a in senders if a]
        self.db.executemany("INSERT OR IGNORE INTO dismissed(what, value, interview_id, at) VALUES(?,?,?,?)", rows)

    def thread(self, message_ids: Iterable[str | None]) -> int | None:
        """The dismissed review whose thread holds one of these Message-IDs."""
        return self._find("thread", (m for m in message_ids if m))

    def sender(self, addresses: Iterable[str | None]) -> int | None:
        """The dismissed review one of these addresses sent."""
        return self._find("sender", (a.lower() for a in addresses if a))

    def _find(self, what: str, values: Iterable[str]) -> int | None:
        for value in values:
            row = self.db.execute("SELECT interview_id FROM dismissed WHERE what=? AND value=?",
                                  (what, value)).fetchone()
            if row:
                return int(row[0])
        return None


class Undelivered:
    """Messages the server failed to deliver whole, by folder: how many times, and the last error.
    Writes run inside the Store's unit of work (the same connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def counts(self, folder: str, uidvalidity: int) -> dict[int, tuple[int, str]]:
        """UID: (failed fetches, the last error) of the folder's messages the server failed to deliver."""
        rows = self.db.execute("SELECT uid, failures, error FROM fetch_failures WHERE folder=? AND uidvalidity=?",
                               (folder, uidvalidity)).fetchall()
        return {int(r[0]): (int(r[1]), r[2]) for r in rows}

    def count(self, folder: str, uidvalidity: int, uids: Sequence[int], error: str) -> None:
        self.db.executemany(
            "INSERT INTO fetch_failures(folder, uidvalidity, uid, failures, error) VALUES(?,?,?,1,?) "
            "ON CONFLICT(folder, uidvalidity, uid) DO UPDATE SET failures=failures+1, error=excluded.error",
            [(folder, uidvalidity, uid, error[:MAX_MAIL_TEXT]) for uid in uids])


class Store(Database):
    """The records: interviews, their follow-ups and history, the messages seen, by folder."""

    def __init__(self, path: Path, *, throwaway: bool = False) -> None:
        super().__init__(path, throwaway=throwaway)
        self.dismissed = Dismissed(self.db)
        self.undelivered = Undelivered(self.db)

    # --- folders and seen messages

    def folder_state(self, name: str) -> tuple[int, int] | None:
        row = self.db.execute("SELECT uidvalidity, last_uid FROM folders WHERE name=?", (name,)).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_state(self, name: str, uidvalidity: int, last_uid: int) -> None:
        with self.bookkeeping():
            self.db.execute(
                "INSERT INTO folders(name, uidvalidity, last_uid) VALUES(?,?,?) "
                "ON CONFLICT(name) DO UPDATE SET uidvalidity=excluded.uidvalidity, last_uid=excluded.last_uid",
                (name, uidvalidity, last_uid),
            )

    def message_done(self, message_id: str | None) -> bool:
        if not message_id:
            return False
        return self.db.execute("SELECT 1 FROM messages WHERE message_id=? LIMIT 1", (message_id,)).fetchone() \
            is not None

    def messages_done(self, message_ids: Iterable[str | None]) -> set[str]:
        """Which of these Message-IDs are recorded already (message_done for many at once)."""
        wanted = sorted({m for m in message_ids if m})
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters is 999 in old builds
            chunk = wanted[start:start + 500]
            rows = self.db.execute(
                f"SELECT DISTINCT message_id FROM messages WHERE message_id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(r[0] for r in rows)
        return found

    def record_messages(self, folder: str, uidvalidity: int, rows: Sequence[tuple[int, str | None, str]],
                        now: datetime) -> None:
        """record_message for many messages of one folder, tied to no interview: (uid, Message-ID, kind)."""
        seen_at = now.isoformat()
        with self.bookkeeping():
            self.db.executemany(_RECORD_MESSAGE, [(folder, uidvalidity, uid, message_id, kind, None, seen_at)
                                                  for uid, message_id, kind in rows])

    def record_message(self, folder: str, uidvalidity: int, uid: int, message_id: str | None, kind: str,
                       interview_id: int | None, now: datetime) -> None:
        values = (folder, uidvalidity, uid, message_id, kind, interview_id, now.isoformat())
        if interview_id is not None:  # a thread the rules now know
            self.db.execute(_RECORD_MESSAGE, values)
            return
        with self.bookkeeping():
            self.db.execute(_RECORD_MESSAGE, values)

    def sent_seen(self, message_id: str) -> bool:
        """Whether a message the user sent with this Message-ID was read already (a rescan of Sent)."""
        return self.db.execute("SELECT 1 FROM messages WHERE message_id=? AND kind LIKE 'sent%' LIMIT 1",
                               (message_id,)).fetchone() is not None

    def known_message_ids(self) -> frozenset[str]:
        rows = self.db.execute(
            "SELECT message_id FROM messages WHERE interview_id IS NOT NULL AND message_id IS NOT NULL "
            "UNION SELECT ref FROM followups WHERE ref IS NOT NULL "
            "UNION SELECT message_id FROM interviews WHERE message_id IS NOT NULL"
        ).fetchall()
        return frozenset(r[0] for r in rows)

    def interview_for_message_ids(self, ids: Sequence[str]) -> int | None:
        for mid in ids:
            row = self.db.execute(
                "SELECT interview_id FROM messages WHERE message_id=? AND interview_id IS NOT NULL "
                "UNION SELECT id FROM interviews WHERE message_id=? "
                "UNION SELECT interview_id FROM followups WHERE ref=?", (mid, mid, mid)).fetchone()
            if row:
                return int(row[0])
        return None

    def active_recruiter_domains(self) -> list[tuple[str, int]]:
        """(domain of the recruiter's address, interview ID) for every interview still in progress; not a
        record held for review: an unconfirmed sender's domain must not make its other mail a reply."""
        rows = self.db.execute(
            "SELECT id, recruiter_email FROM interviews WHERE recruiter_email IS NOT NULL AND status NOT IN "
            f"({','.join('?' * (len(SETTLED) + 1))}) ORDER BY id", (*SETTLED, "needs_review")).fetchall()
        return [(r[1].rpartition("@")[2].lower(), int(r[0])) for r in rows]

    # --- interviews

    def add_interview(self, now: datetime, **values: Any) -> int:
        unknown = set(values) - set(INTERVIEW_FIELDS)
        if unknown:
            raise ValueError(f"unknown interview fields: {sorted(unknown)}")
        columns = ["created", "updated", *values]
        params = [now.isoformat(), now.isoformat(), *(_encode(k, v) for k, v in values.items())]
        cur = self.db.execute(
            # column names come from INTERVIEW_FIELDS, checked above; values are bound
            f"INSERT INTO interviews({','.join(_col(c) for c in columns)}) VALUES({','.join('?' * len(columns))})",
            params,
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def update_interview(self, interview_id: int, now: datetime, **values: Any) -> None:
        unknown = set(values) - set(INTERVIEW_FIELDS)
        if unknown:
            raise ValueError(f"unknown interview fields: {sorted(unknown)}")
        if not values:
            return
        sets = ", ".join(f"{_col(k)}=?" for k in values)
        self.db.execute(f"UPDATE interviews SET {sets}, updated=? WHERE id=?",
                        [*(_encode(k, v) for k, v in values.items()), now.isoformat(), interview_id])

    def find_by_event_uid(self, uid: str) -> Interview | None:
        row = self.db.execute("SELECT * FROM interviews WHERE event_uid=? ORDER BY id LIMIT 1", (uid,)).fetchone()
        return self._interview(row) if row else None

    def get(self, interview_id: int) -> Interview | None:
        row = self.db.execute("SELECT * FROM interviews WHERE id=?", (interview_id,)).fetchone()
        return self._interview(row) if row else None

    def scheduled_times(self) -> list[tuple[int, datetime | None, datetime | None]]:
        """(id, start, end) of the scheduled interviews: every cycle looks whether their time has passed."""
        rows = self.db.execute('SELECT id, start, "end" FROM interviews WHERE status=\'scheduled\' ORDER BY id')
        return [(row[0], _dt(row[1]), _dt(row[2])) for row in rows]

    def interviews(self, include_ended: bool = True) -> list[Interview]:
        rows = self.db.execute("SELECT * FROM interviews ORDER BY COALESCE(start, created), id").fetchall()
        found = [self._interview(r) for r in rows]
        return found if include_ended else [i for i in found if i.status not in ENDED]

    def _interview(self, row: sqlite3.Row) -> Interview:
        data = dict(row)
        interview = Interview(
            id=data["id"], status=data["status"], company=data["company"], position=data["position"],
            language=data["language"], recruiter_name=data["recruiter_name"],
            recruiter_email=data["recruiter_email"], recruiter_phone=data["recruiter_phone"],
            recruiter_tz=data["recruiter_tz"], start=_dt(data["start"]), end=_dt(data["end"]),
            location=data["location"], url=data["url"],
            candidates=[d for d in (_dt(v) for v in json.loads(data["candidates"])) if d is not None],
            message_id=data["message_id"], folder=data["folder"], subject=data["subject"],
            refs=list(json.loads(data["refs"])), event_uid=data["event_uid"],
            event_sequence=data["event_sequence"], event_dtstamp=_dt(data["event_dtstamp"]),
            contact_preference=data["contact_preference"], next_steps=data["next_steps"],
            debrief=data["debrief"], reply_subject=data["reply_subject"], reply_at=_dt(data["reply_at"]),
            created=_dt(data["created"]) or datetime.min, updated=_dt(data["updated"]) or datetime.min,
            recruiter_title=data["recruiter_title"], debrief_at=_dt(data["debrief_at"]),
            invited_at=_dt(data["invited_at"]),
        )
        interview.followups = self.followups(interview.id)
        return interview

    # --- history

    def log_history(self, interview_id: int, now: datetime, event: str) -> None:
        self.db.execute("INSERT INTO history(interview_id, at, event) VALUES(?,?,?)",
                        (interview_id, now.isoformat(), event))

    def history(self, interview_id: int) -> list[tuple[datetime, str]]:
        rows = self.db.execute("SELECT at, event FROM history WHERE interview_id=? ORDER BY id",
                               (interview_id,)).fetchall()
        return [(datetime.fromisoformat(r[0]), r[1]) for r in rows]

    # --- follow-ups

    def followups(self, interview_id: int) -> list[Followup]:
        rows = self.db.execute("SELECT * FROM followups WHERE interview_id=? ORDER BY due, id",
                               (interview_id,)).fetchall()
        return [self._followup(r) for r in rows]

    def followup(self, followup_id: int) -> Followup | None:
        row = self.db.execute("SELECT * FROM followups WHERE id=?", (followup_id,)).fetchone()
        return self._followup(row) if row else None

    @staticmethod
    def _followup(row: sqlite3.Row) -> Followup:
        return Followup(
            id=row["id"], interview_id=row["interview_id"], kind=row["kind"],
            due=datetime.fromisoformat(row["due"]), end=_dt(row["end"]), state=row["state"],
            reason=row["reason"], ref=row["ref"], intent=row["intent"], sequence=row["sequence"],
            updated=datetime.fromisoformat(row["updated"]), feed_hash=row["feed_hash"],
            published=_dt(row["published"]), moved_from=_dt(row["moved_from"]), dismissed=_dt(row["dismissed"]),
            done_at=_dt(row["done_at"]),
        )

    def write_plan(self, interview_id: int, planned: Sequence[PlannedFollowup], now: datetime,
               dropped: Mapping[str, str] | None = None) -> list[str]:
        """Make the pending follow-ups match ``planned``; done and skipped ones stay. Returns what changed.

        A pending (or blocked) follow-up that is no longer planned is cancelled with the reason
        ``dropped`` gives for its kind; a cancelled one that is planned again comes back, pending;
        a blocked one moves with the interview and stays blocked.
        """
        changes: list[str] = []
        existing = {f.kind: f for f in self.followups(interview_id)}
        wanted = {p.kind: p for p in planned}
        for kind, plan in wanted.items():
            current = existing.get(kind)
            if current is not None and _users_choice_stands(current, plan):
                continue
            if current is None:
                self.db.execute(
                    'INSERT INTO followups(interview_id, kind, due, "end", state, updated) '
                    "VALUES(?,?,?,?, 'pending', ?)",
                    (interview_id, kind, plan.due.isoformat(), _iso(plan.end), now.isoformat()))
                changes.append(f"{kind} planned for {plan.due.isoformat()}")
            elif current.state in WAITING and (current.due != plan.due or current.end != plan.end):
                # a blocked one moves too, and stays blocked until its cause is fixed; a new plan
                # replaces a time the user had chosen in their calendar (calendar.caldav)
                self.db.execute('UPDATE followups SET due=?, "end"=?, moved_from=NULL, updated=? WHERE id=?',
                                (plan.due.isoformat(), _iso(plan.end), now.isoformat(), current.id))
                changes.append(f"{kind} moved to {plan.due.isoformat()}")
            elif current.state == "cancelled":
                self.db.execute(
                    "UPDATE followups SET due=?, \"end\"=?, state='pending', reason=NULL, moved_from=NULL, updated=? "
                    "WHERE id=?",
                    (plan.due.isoformat(), _iso(plan.end), now.isoformat(), current.id))
                changes.append(f"{kind} planned again for {plan.due.isoformat()}")
        for name, current in existing.items():
            if name not in wanted and current.state in WAITING:
                reason = (dropped or {}).get(name, "no longer planned")
                self.set_state(current.id, "cancelled", now, reason=reason)
                changes.append(f"{name} cancelled: {reason}")
        return changes

    def set_state(self, followup_id: int, state: str, now: datetime, *, reason: str | None = None,
                  ref: str | None = None) -> None:
        self.db.execute(
            "UPDATE followups SET state=?, reason=?, ref=COALESCE(?, ref), updated=? WHERE id=?",
            (state, reason, ref, now.isoformat(), followup_id))

    def set_done_by_user(self, followup_id: int, at: datetime, now: datetime) -> None:
        """The user did this follow-up themselves at ``at`` (a draft relance made keeps its ref)."""
        self.db.execute("UPDATE followups SET state='done', reason=?, done_at=?, updated=? WHERE id=?",
                        (SENT_BY_YOU, at.isoformat(), now.isoformat(), followup_id))

    def cancel_pending(self, interview_id: int, now: datetime, reason: str,
                       kinds: Sequence[str] | None = None) -> list[str]:
        cancelled = []
        for f in self.followups(interview_id):
            if f.state in WAITING and (kinds is None or f.kind in kinds):
                self.set_state(f.id, "cancelled", now, reason=reason)
                cancelled.append(f.kind)
        return cancelled

    def set_published(self, followup_id: int, feed_hash: str, sequence: int, now: datetime) -> None:
        """Remember what the calendar feed shows for this follow-up, and under which SEQUENCE."""
        self.db.execute("UPDATE followups SET feed_hash=?, sequence=?, published=? WHERE id=?",
                        (feed_hash, sequence, now.isoformat(), followup_id))

    def move_by_user(self, followup_id: int, start: datetime, end: datetime, now: datetime) -> None:
        """The user moved the follow-up's event in their calendar: their time is the due time now."""
        self.db.execute('UPDATE followups SET moved_from=COALESCE(moved_from, due), due=?, "end"=?, updated=? '
                        "WHERE id=?", (start.isoformat(), end.isoformat(), now.isoformat(), followup_id))

    def dismiss_by_user(self, followup_id: int, now: datetime, reason: str) -> None:
        """The user deleted the follow-up's event in their calendar: cancelled, and never planned again."""
        self.db.execute("UPDATE followups SET state='cancelled', reason=?, dismissed=?, updated=? WHERE id=?",
                        (reason, now.isoformat(), now.isoformat(), followup_id))

    def caldav_copies(self) -> list[CalDavCopy]:
        rows = self.db.execute('SELECT followup_id, href, etag, sequence, start, "end" FROM caldav_events '
                               "ORDER BY followup_id").fetchall()
        return [CalDavCopy(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), datetime.fromisoformat(r[5]))
                for r in rows]

    def set_caldav_copy(self, key: int, copy: CalDavCopy | None) -> None:
        """Remember what the server now holds for this follow-up (None: nothing)."""
        if copy is None:
            self.db.execute("DELETE FROM caldav_events WHERE followup_id=?", (key,))
            return
        self.db.execute(
            'INSERT OR REPLACE INTO caldav_events(followup_id, href, etag, sequence, start, "end") '
            "VALUES(?,?,?,?,?,?)",
            (key, copy.href, copy.etag, copy.sequence, copy.start.isoformat(), copy.end.isoformat()))

    def set_intent(self, followup_id: int, message_id: str) -> None:
        self.db.execute("UPDATE followups SET intent=? WHERE id=?", (message_id, followup_id))

    def blocked(self, kinds: Sequence[str] | None = None) -> list[Followup]:
        """The blocked follow-ups (of these kinds), oldest due first."""
        rows = self.db.execute("SELECT * FROM followups WHERE state='blocked' ORDER BY due, id").fetchall()
        return [f for f in (self._followup(r) for r in rows) if kinds is None or f.kind in kinds]

    def unblock(self, interview_id: int, now: datetime) -> list[str]:
        """The record changed by hand: its blocked follow-ups are tried again, due now at the latest,
        so the loop's due check (which reads pending ones) picks them up within a minute."""
        tried = []
        for f in self.followups(interview_id):
            if f.state == "blocked":
                self.reopen(f, now)
                tried.append(f.kind)
        return tried

    def reopen(self, followup: Followup, now: datetime) -> None:
        """Pending again, due now if its time is past: ``max_delay`` counts from now, not from the
        first due time, so a follow-up fixed or retried late is still done. The planned time it replaces
        is kept as ``moved_from``, so that a replan of the same plan leaves the new time alone (a real
        move of the interview still moves it); a delete in the user's calendar no longer holds."""
        due = max(followup.due, now)
        end = followup.end + (due - followup.due) if followup.end is not None else None
        moved_from = followup.moved_from or (followup.due if due != followup.due else None)
        self.db.execute(
            "UPDATE followups SET state='pending', reason=NULL, dismissed=NULL, due=?, \"end\"=?, moved_from=?, "
            "updated=? WHERE id=?",
            (due.isoformat(), _iso(end), _iso(moved_from), now.isoformat(), followup.id))

    def due(self, now: datetime, kinds: Sequence[str]) -> list[Followup]:
        rows = self.db.execute(
            f"SELECT * FROM followups WHERE state='pending' AND kind IN ({','.join('?' * len(kinds))}) "
            "ORDER BY due, id", list(kinds)).fetchall()
        return [f for f in (self._followup(r) for r in rows) if f.due <= now]


def _users_choice_stands(current: Followup, plan: PlannedFollowup) -> bool:
    """The user deleted this follow-up's event, or moved it while the plan is still the one they moved."""
    if current.dismissed is not None:
        return True
    return current.moved_from is not None and current.moved_from == plan.due and current.state == "pending"


def _col(name: str) -> str:
    return '"end"' if name == "end" else name

