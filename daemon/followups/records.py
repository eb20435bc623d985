# SPDX-License-Identifier: MIT
"""The records database: the one source of truth for what is due and what is done.

SQLite, file mode 0600, WAL journal with synchronous=FULL, migrations keyed by
``PRAGMA user_version``. Every change goes through ``transaction()``, so a
crash at any moment leaves either the state before or the state after.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from daemon.errors import UserError
from daemon.model import CalDavCopy, PlannedFollowup
from daemon.private import private_dir, tighten

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE interviews (
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL,
        company TEXT, position TEXT, language TEXT NOT NULL,
        recruiter_name TEXT, recruiter_email TEXT, recruiter_phone TEXT, recruiter_tz TEXT,
        start TEXT, "end" TEXT, location TEXT, url TEXT,
        candidates TEXT NOT NULL DEFAULT '[]',
        message_id TEXT, folder TEXT, subject TEXT, refs TEXT NOT NULL DEFAULT '[]',
        event_uid TEXT, event_sequence INTEGER, event_dtstamp TEXT,
        contact_preference TEXT, next_steps TEXT, debrief TEXT,
        reply_subject TEXT, reply_at TEXT,
        created TEXT NOT NULL, updated TEXT NOT NULL
    );
    CREATE INDEX interviews_event_uid ON interviews(event_uid);
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id),
        kind TEXT NOT NULL,
        due TEXT NOT NULL, "end" TEXT,
        state TEXT NOT NULL,
        reason TEXT, ref TEXT, intent TEXT,
        sequence INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL,
        UNIQUE (interview_id, kind)
    );
    CREATE TABLE messages (
        folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,
        message_id TEXT, kind TEXT NOT NULL, interview_id INTEGER, seen_at TEXT NOT NULL,
        PRIMARY KEY (folder, uidvalidity, uid)
    );
    CREATE INDEX messages_message_id ON messages(message_id);
    CREATE TABLE folders (name TEXT PRIMARY KEY, uidvalidity INTEGER NOT NULL, last_uid INTEGER NOT NULL);
    CREATE TABLE history (
        id INTEGER PRIMARY KEY, interview_id INTEGER NOT NULL REFERENCES interviews(id),
        at TEXT NOT NULL, event TEXT NOT NULL
    );
    """,
    # 2: the recruiter's title (for the greeting), when the debrief was saved, and what the
    # calendar feed last published for each follow-up (so SEQUENCE rises only on a real change)
    """
    ALTER TABLE interviews ADD COLUMN recruiter_title TEXT;
    ALTER TABLE interviews ADD COLUMN debrief_at TEXT;
    ALTER TABLE followups ADD COLUMN feed_hash TEXT;
    ALTER TABLE followups ADD COLUMN published TEXT;
    """,
    # 3: the messages tied to an interview, read after every candidate of a scan (known threads):
    # without an index that read walks every message of the mailbox
    """
    CREATE INDEX messages_interview ON messages(interview_id) WHERE interview_id IS NOT NULL;
    """,
    # 4: calendar.caldav, two ways: a follow-up the user moved in their calendar (the planned due it
    # replaced, so a replan keeps the user's time until the interview itself moves), one the user
    # deleted there (never planned again), and what relance last knew of each event on the server
    """
    ALTER TABLE followups ADD COLUMN moved_from TEXT;
    ALTER TABLE followups ADD COLUMN dismissed TEXT;
    CREATE TABLE caldav_events (
        followup_id INTEGER PRIMARY KEY REFERENCES followups(id),
        href TEXT NOT NULL, etag TEXT, sequence INTEGER NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL
    );
    """,
    # 5: messages the server failed to deliver whole (a FETCH that kills its IMAP process): how many
    # times in a row, and the last error, so that the scan skips one for good instead of forever
    """
    CREATE TABLE fetch_failures (
        folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,
        failures INTEGER NOT NULL, error TEXT NOT NULL,
        PRIMARY KEY (folder, uidvalidity, uid)
    );
    """,
)

_RECORD_MESSAGE = ("INSERT OR REPLACE INTO messages(folder, uidvalidity, uid, message_id, kind, interview_id, seen_at) "
                   "VALUES(?,?,?,?,?,?,?)")

INTERVIEW_FIELDS = (
    "status", "company", "position", "language", "recruiter_name", "recruiter_email", "recruiter_phone",
    "recruiter_tz", "start", "end", "location", "url", "candidates", "message_id", "folder", "subject", "refs",
    "event_uid", "event_sequence", "event_dtstamp", "contact_preference", "next_steps", "debrief",
    "reply_subject", "reply_at", "recruiter_title", "debrief_at",
)
# what `relance list` leaves out without --all (DESIGN.md)
ENDED = ("rejected", "cancelled", "closed")
# an offer is still shown, but there is nothing left to follow up
SETTLED = (*ENDED, "offer")


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
    followups: list[Followup] = field(default_factory=list)


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


def trouble(path: Path, exc: sqlite3.Error) -> str:
    """One line for the user when SQLite fails on the records: which file, what SQLite said, what to do."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    said = f"{path}: the records database failed ({exc})"
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(exc):
        return f"{said}: it is damaged; stop relance, keep a copy, then restore a backup or rebuild it " \
               f"with `sqlite3 {path} .recover | sqlite3 recovered.db`"
    if name.startswith("SQLITE_READONLY") or "readonly" in str(exc):
        stuck = [str(p) for p in _journal_files(path) if p.exists() and not os.access(p, os.W_OK)]
        return f"{said}: relance cannot write " + (", ".join(stuck) + " (chmod 600 it)" if stuck else "it")
    if name == "SQLITE_FULL":
        return f"{said}: the disk is full; free some space, nothing was lost"
    return said


def wal_deleted(path: Path) -> Path | None:
    """The -wal file, when it is gone while its -shm is there: deleted under a process that has the
    database open (SQLite keeps both while any connection lives). That process goes on writing to the
    deleted file, and a new connection would write to a new one: one of the two would be lost."""
    _, wal, shm = _journal_files(path)
    return wal if shm.exists() and not wal.exists() else None


def _journal_files(path: Path) -> tuple[Path, Path, Path]:
    """The database and the files SQLite keeps beside it in WAL mode."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


class Store:
    def __init__(self, path: Path, *, throwaway: bool = False) -> None:
        self.path = path
        self.throwaway = throwaway
        self._in_transaction = False
        self.db = self._memory_copy(path) if throwaway else self._connect(path)
        self._migrate()

    @staticmethod
    def _memory_copy(path: Path) -> sqlite3.Connection:
        """For --dry-run: the records as they are, in memory; nothing the run does reaches the file."""
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.row_factory = sqlite3.Row
        if path.exists():
            try:
                source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
                try:
                    source.backup(db)
                finally:
                    source.close()
            except sqlite3.DatabaseError as exc:
                raise UserError(f"{path}: cannot read the records ({exc})") from None
        db.execute("PRAGMA foreign_keys=ON")
        return db

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        private_dir(path.parent)
        if not path.exists():
            # created 0600 before SQLite opens it: it holds who the user talks to
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        # SQLite gives its -wal and -shm the database's mode, so that one first
        for own in _journal_files(path):
            tighten(own)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{path}: not a relance database ({exc})") from None
        return db

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work: all of it is committed, or none of it."""
        if self._in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                # disk full or I/O error: without this the next BEGIN fails until a restart
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        finally:
            self._in_transaction = False

    @contextmanager
    def unit(self) -> Iterator[None]:
        """A unit of work: committed whole; on a throwaway copy (--dry-run) rolled back whole, so that
        a rehearsal's messages do not see each other's effects either."""
        if not self.throwaway:
            with self.transaction():
                yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("ROLLBACK")

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise UserError(f"{self.path}: made by a newer relance (schema {version}); upgrade relance")
        for number in range(version, len(MIGRATIONS)):
            with self.transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={number + 1}")
            log.info("records database at schema %d", number + 1)

    # --- folders and seen messages

    def folder_state(self, name: str) -> tuple[int, int] | None:
        row = self.db.execute("SELECT uidvalidity, last_uid FROM folders WHERE name=?", (name,)).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_state(self, name: str, uidvalidity: int, last_uid: int) -> None:
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
        self.db.executemany(_RECORD_MESSAGE, [(folder, uidvalidity, uid, message_id, kind, None, seen_at)
                                              for uid, message_id, kind in rows])

    def record_message(self, folder: str, uidvalidity: int, uid: int, message_id: str | None, kind: str,
                       interview_id: int | None, now: datetime) -> None:
        self.db.execute(_RECORD_MESSAGE, (folder, uidvalidity, uid, message_id, kind, interview_id, now.isoformat()))

    def fetch_failures(self, folder: str, uidvalidity: int) -> dict[int, tuple[int, str]]:
        """UID: (failed fetches, the last error) of the folder's messages the server failed to deliver."""
        rows = self.db.execute("SELECT uid, failures, error FROM fetch_failures WHERE folder=? AND uidvalidity=?",
                               (folder, uidvalidity)).fetchall()
        return {int(r[0]): (int(r[1]), r[2]) for r in rows}

    def count_fetch_failure(self, folder: str, uidvalidity: int, uids: Sequence[int], error: str) -> None:
        self.db.executemany(
            "INSERT INTO fetch_failures(folder, uidvalidity, uid, failures, error) VALUES(?,?,?,1,?) "
            "ON CONFLICT(folder, uidvalidity, uid) DO UPDATE SET failures=failures+1, error=excluded.error",
            [(folder, uidvalidity, uid, error[:MAX_MAIL_TEXT]) for uid in uids])

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
        """(domain of the recruiter's address, interview ID) for every interview still in progress."""
        rows = self.db.execute(
            "SELECT id, recruiter_email FROM interviews WHERE recruiter_email IS NOT NULL AND status NOT IN "
            f"({','.join('?' * len(SETTLED))}) ORDER BY id", SETTLED).fetchall()
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
        )

    def write_plan(self, interview_id: int, planned: Sequence[PlannedFollowup], now: datetime,
               dropped: Mapping[str, str] | None = None) -> list[str]:
        """Make the pending follow-ups match ``planned``; done and skipped ones stay. Returns what changed.

        A pending follow-up that is no longer planned is cancelled with the reason ``dropped`` gives
        for its kind; a cancelled one that is planned again comes back, pending.
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
            elif current.state in ("pending", "cancelled") and (
                    current.due != plan.due or current.end != plan.end or current.state == "cancelled"):
                self.db.execute(
                    "UPDATE followups SET due=?, \"end\"=?, state='pending', reason=NULL, moved_from=NULL, updated=? "
                    "WHERE id=?",
                    (plan.due.isoformat(), _iso(plan.end), now.isoformat(), current.id))
                verb = "planned again for" if current.state == "cancelled" else "moved to"
                changes.append(f"{kind} {verb} {plan.due.isoformat()}")
        for name, current in existing.items():
            if name not in wanted and current.state == "pending":
                reason = (dropped or {}).get(name, "no longer planned")
                self.set_state(current.id, "cancelled", now, reason=reason)
                changes.append(f"{name} cancelled: {reason}")
        return changes

    def set_state(self, followup_id: int, state: str, now: datetime, *, reason: str | None = None,
                  ref: str | None = None) -> None:
        self.db.execute(
            "UPDATE followups SET state=?, reason=?, ref=COALESCE(?, ref), updated=? WHERE id=?",
            (state, reason, ref, now.isoformat(), followup_id))

    def cancel_pending(self, interview_id: int, now: datetime, reason: str,
                       kinds: Sequence[str] | None = None) -> list[str]:
        cancelled = []
        for f in self.followups(interview_id):
            if f.state == "pending" and (kinds is None or f.kind in kinds):
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

