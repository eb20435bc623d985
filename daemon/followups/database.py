# SPDX-License-Identifier: MIT
"""The records' SQLite file: opened private (0600, its -wal and -shm too), WAL with synchronous=FULL,
migrated by ``PRAGMA user_version``, written only in units of work (``transaction()``, ``unit()``), so
that a crash at any moment leaves either the state before or the state after."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from daemon.errors import UserError
from daemon.private import private_dir, tighten

log = logging.getLogger(__name__)

# How long a batch of units of work (Database.batch) stays open at most before it is committed.
BATCH_SECONDS = 1.0

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
    # 5: what `relance dismiss` remembers of a record held for review: the Message-IDs of its
    # thread, and its sender's address (lower case), so that neither brings it back
    """
    CREATE TABLE dismissed (
        what TEXT NOT NULL CHECK (what IN ('thread', 'sender')),
        value TEXT NOT NULL,
        interview_id INTEGER NOT NULL REFERENCES interviews(id),
        at TEXT NOT NULL,
        PRIMARY KEY (what, value)
    );
    """,
    # 6: what the user's sent mail says: when the invitation arrived (only mail sent after it answers
    # it), and when the user did a follow-up themselves (the thank-you seen in the Sent folder)
    """
    ALTER TABLE interviews ADD COLUMN invited_at TEXT;
    ALTER TABLE followups ADD COLUMN done_at TEXT;
    """,
    # 7: messages the server failed to deliver whole (a FETCH that kills its IMAP process): how many
    # times in a row, and the last error, so that the scan skips one for good instead of forever
    """
    CREATE TABLE fetch_failures (
        folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,
        failures INTEGER NOT NULL, error TEXT NOT NULL,
        PRIMARY KEY (folder, uidvalidity, uid)
    );
    """,
)


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


class Database:
    def __init__(self, path: Path, *, throwaway: bool = False) -> None:
        self.path = path
        self.throwaway = throwaway
        self._in_transaction = False
        self._depth = 0  # units open inside a batch
        self._bookkept = 0  # rows changed by bookkeeping writes, left out of generation()
        self._batch: tuple[float, float] | None = None  # (when the open batch began, how long it may stay open)
        self._paused = False  # a batch committed so far, its next unit to begin again (network in between)
        self._begun = 0  # write transactions begun on this connection
        self._version_read: tuple[int, int] = (-1, 0)  # (the transaction it was read in, data_version)
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

    def generation(self) -> tuple[int, int, bool]:
        """A value that changes whenever what the records know of interviews may have changed: a write on
        this connection (committed, pending or rolled back: total_changes only grows, and a transaction
        is open meanwhile) or a commit on another (data_version; `relance add` while the daemon runs).
        Bookkeeping writes (``bookkeeping()``) are left out: the first scan records thousands of
        messages tied to no interview, and what is read from interviews need not be read again."""
        return self.db.total_changes - self._bookkept, self._data_version(), self.db.in_transaction

    def _data_version(self) -> int:
        # inside BEGIN IMMEDIATE this connection holds the write lock: no other can commit, so the version
        # read once in the transaction holds until it ends (a scan asks at every message)
        if not (self.db.in_transaction and self._version_read[0] == self._begun):
            self._version_read = (self._begun, int(self.db.execute("PRAGMA data_version").fetchone()[0]))
        return self._version_read[1]

    def _begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self._begun += 1

    @contextmanager
    def bookkeeping(self) -> Iterator[None]:
        """Writes that change nothing any interview, follow-up or thread reads: messages tied to no
        interview, folders' high-water marks, failed fetches."""
        before = self.db.total_changes
        try:
            yield
        finally:
            self._bookkept += self.db.total_changes - before

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work: all of it is committed, or none of it. Inside another (a batch), a savepoint:
        when it fails, it alone is undone, and what the batch did before it stays."""
        if self._in_transaction:
            if self._paused:
                self._begin()
                self._paused = False
                self._batch = (time.monotonic(), self._batch[1] if self._batch else BATCH_SECONDS)
            with self._savepoint():
                yield
            self._commit_a_long_batch()
            return
        self._begin()
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self._commit()
        finally:
            self._in_transaction = False

    def _commit(self) -> None:
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error:
            # disk full or I/O error: without this the next BEGIN fails until a restart
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self._depth += 1
        self.db.execute("SAVEPOINT unit")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO unit")
            self.db.execute("RELEASE unit")
            raise
        else:
            self.db.execute("RELEASE unit")
        finally:
            self._depth -= 1

    @contextmanager
    def batch(self, seconds: float = BATCH_SECONDS) -> Iterator[None]:
        """Units of work committed together, a commit (an fsync) for many. The batch is cut into the
        units that end in it, never inside one: each unit is a savepoint, and whenever the batch ends
        (a stop signal, a lost connection, an error) what its finished units did is committed, as if
        each had been committed on its own; a hard kill loses the batch, and the high-water marks
        written in it with it, so a restart does it again. A batch open ``seconds`` is committed at
        the end of its next unit: another process writing (``relance mark``) waits no longer.
        On a throwaway copy (--dry-run) each unit stays rolled back on its own."""
        if self.throwaway or self._in_transaction:
            yield
            return
        self._begin()
        self._in_transaction = True
        self._batch = (time.monotonic(), seconds)
        try:
            yield
        finally:
            self._in_transaction = False
            self._batch = None
            if self._paused:
                self._paused = False  # committed already, nothing begun since
            else:
                self._commit()

    def pause_batch(self) -> None:
        """Commit what the open batch did so far and take the write lock again only at its next unit:
        for a wait on the network in the middle of a batch (a message fetched alone, the kind a server
        hangs on), during which `relance mark` must not find the records locked."""
        if self._batch is None or self._depth or self._paused:
            return
        self._commit()
        self._paused = True

    def _commit_a_long_batch(self) -> None:
        if self._batch is None or self._depth or self._paused:
            return
        began, seconds = self._batch
        if time.monotonic() - began >= seconds:
            self._commit()
            self._begin()
            self._batch = (time.monotonic(), seconds)

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
        if version < len(MIGRATIONS):  # one line, for whoever debugs: a user has nothing to do about it
            log.debug("records database %s schema %d", f"migrated from schema {version} to" if version else
                      "created at", len(MIGRATIONS))
