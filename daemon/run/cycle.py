# SPDX-License-Identifier: MIT
"""One cycle: scan the watched folders, apply what the mails say, act on what is due, publish the calendar.

Nothing that matters lives in memory: every step reads the records and
writes them back in a unit of work, so a restart picks up where it stopped.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from daemon.config import Settings
from daemon.crashpoints import crash_point
from daemon.followups import caldav_sync, database, drafts, planner
from daemon.followups.drafting import Drafting
from daemon.followups.news import News
from daemon.followups.plans import Planning
from daemon.followups.publish import Publisher
from daemon.followups.records import Store
from daemon.followups.sent import SentMail
from daemon.mail import scan
from daemon.mail.imapdata import FetchedMessage
from daemon.mail.mailbox import Mailbox
from daemon.model import CycleReport
from daemon.run.analyst import Analyst, Outcome, analysed
from daemon.run.sent import SentScan
from daemon.text import counted, message_label
from daemon.understand import guard, mime, people, rules
from daemon.understand.analysis import Analysis, stand_in_message_id

log = logging.getLogger(__name__)


def _no_checkpoint() -> None:
    return None


class Cycle:
    """The cycle over one store. ``progress`` shows how a long scan advances (a bar on a terminal);
    None: a log line every 10%."""

    def __init__(self, settings: Settings, store: Store, rule_set: Sequence[rules.Rule], *,
                 dry_run: bool = False, progress: scan.Progress | None = None,
                 caldav_backoff: caldav_sync.Backoff | None = None) -> None:
        self.store = store
        self.rules = list(rule_set)
        self.dry_run = dry_run
        self.progress = progress
        # the hook of the run in progress, called between two units of work: the loop pings the
        # watchdog there, and raises there to stop (SIGTERM) without cutting a unit in half
        self._hook: Callable[[], None] = _no_checkpoint
        self.settings = settings
        self.planning = Planning(settings, store)
        self.news = News(settings, store, self.planning)
        self.drafting = Drafting(settings, store, dry_run=dry_run, checkpoint=self.checkpoint)
        self.publisher = Publisher(settings, store, dry_run=dry_run, caldav_backoff=caldav_backoff)
        self.sent = SentScan(settings, store, SentMail(settings, store, self.planning), checkpoint=self.checkpoint,
                             context=self.context, fetch_failed=self.fetch_failed)
        self.analyst: Analyst | None = None  # the second process of a backlog scan, while there is one

    def checkpoint(self) -> None:
        self._hook()

    def reconfigure(self, settings: Settings, rule_set: Sequence[rules.Rule]) -> None:
        """SIGHUP: new settings, rules and templates over the same records; the hooks stay."""
        self.settings = settings
        self.rules = list(rule_set)
        for piece in (self.planning, self.news, self.drafting, self.publisher, self.sent, self.sent.sent_mail):
            piece.settings = settings
        self.sent.forget_folder()
        drafts.forget_templates()

    def load_data(self, now: datetime) -> None:
        """What cycles need from libraries and files, loaded once at start (the daemon, run --once):
        the first scan then runs at its own speed, and a missing data file shows at once."""
        people.load_data()
        planner.load_data(self.settings.followups.holidays, now.astimezone(self.settings.zone).date())
        drafts.load_templates(self.settings.template_paths)

    def run(self, now: datetime, mailbox: Mailbox | None,
            checkpoint: Callable[[], None] = _no_checkpoint) -> CycleReport:
        """One cycle; ``checkpoint`` is called between its units of work."""
        self._hook = checkpoint
        try:
            return self._run(now, mailbox)
        finally:
            self._hook = _no_checkpoint

    def _run(self, now: datetime, mailbox: Mailbox | None) -> CycleReport:
        report = CycleReport()
        if not self.dry_run and (lost := database.wal_deleted(self.store.path)) is not None:
            log.error("%s was deleted under the running relance: restart relance now; until then "
                      "`relance mark`, `set`, `add` and `list` refuse to open the records", lost)
        if mailbox is not None:
            mailbox.survey([*self.settings.imap.folders, *self.sent.known_folders()])
            for folder in self.settings.imap.folders:
                self.scan_folder(mailbox, folder, now, report)
            # after the watched folders, so that an invitation and the answer sent to it meet in one cycle;
            # before the drafts, so that a thank-you the user sent makes none
            self.sent.run(mailbox, self.rules, now, report)
        crash_point("scanned")
        self.planning.advance_statuses(now)
        report.drafts += self.drafting.act(now, mailbox)
        crash_point("acted")
        self.publisher.export_calendar(now)
        crash_point("cycle-done")
        log.info("cycle done: %s read, %s, %d held for review, %d updated, %s", counted(report.scanned, "message"),
                 counted(report.new_interviews, "new interview"), report.held, report.updated,
                 counted(report.drafts, "draft"))
        return report

    # --- scanning

    def scan_folder(self, mailbox: Mailbox, folder: str, now: datetime, report: CycleReport) -> None:
        state = mailbox.status(folder)
        known = self.store.folder_state(folder)
        last_uid = 0
        if known is not None and known[0] == state.uidvalidity:
            last_uid = known[1]
            if state.uidnext <= last_uid + 1:
                return  # nothing new: one STATUS was enough
        elif known is not None:
            log.warning("%s: UIDVALIDITY changed (%d -> %d): rescanning, matching by Message-ID",
                        folder, known[0], state.uidvalidity)
        # SINCE bounds the first scan and any rescan; for new mail it costs nothing
        since = (now - timedelta(days=self.settings.scan.lookback_days)).date()
        mailbox.examine(folder)
        uids = mailbox.uids_after(folder, last_uid, since)
        if uids:
            progress = self.progress or scan.LogEvery10Percent(len(uids))
            try:
                scan.FolderScan(self, mailbox, folder, state.uidvalidity, now, report, progress).run(uids)
            finally:
                if self.analyst is not None:
                    self.analyst.stop()
                    self.analyst = None
        with self.store.unit():
            # older mail below the SINCE bound is behind us too: next time start after UIDNEXT-1
            self.store.set_folder_state(folder, state.uidvalidity, max([last_uid, state.uidnext - 1, *uids]))

    def context(self) -> rules.Context:
        return self.news.context()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The units of work of a batch of the scan (its messages set aside, its candidates, the folder's
        mark) committed together: one fsync instead of two per candidate (Database.batch)."""
        with self.store.batch():
            yield
        crash_point("batch-committed")

    def analyse_ahead(self, messages: Sequence[FetchedMessage], now: datetime) -> None:
        """A backlog's batch of candidates, to be analysed by a second process while this one records them
        (run/analyst.py); an empty one starts that process early."""
        if self.analyst is None:
            self.analyst = Analyst(self.settings, self.rules)
        self.analyst.ahead(messages, self.context(), now)

    def before_network(self) -> None:
        """A message is about to be fetched alone in the middle of a batch: the records are not held
        locked while the server answers (or hangs)."""
        self.store.pause_batch()

    def handle(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport) -> None:
        """One message, one unit of work: its effect and the folder's new high-water mark.

        Whatever the message holds, it ends in one log line that names it, with
        what the stages said about it folded in, and the cycle goes on.
        """
        self.checkpoint()
        report.scanned += 1
        with guard.held_logs() as held:
            message_id, outcome, skipped = self._read_and_record(fetched, uidvalidity, now, report)
        label = message_label(fetched.folder, fetched.uid, message_id)
        notes = [record.getMessage().removeprefix(label + ": ") for record in held]
        level = max([logging.WARNING if skipped else logging.INFO, *(record.levelno for record in held)])
        log.log(level, "%s: %s", label, "; ".join([outcome, *notes]))

    def _read_and_record(self, fetched: FetchedMessage, uidvalidity: int, now: datetime,
                         report: CycleReport) -> tuple[str | None, str, bool]:
        """(Message-ID, what became of the message, whether it was skipped)."""
        context = self.context()
        outcome: Outcome | None = self.analyst.take(fetched, context) if self.analyst is not None else None
        if outcome is None:
            outcome = analysed(fetched.raw, self.settings, self.rules, context, now)
        analysis = outcome.analysis
        if analysis is None:
            return self._skip(fetched, uidvalidity, now, report, outcome.skipped or "could not be read")
        message_id = analysis.message.message_id
        try:
            kind = self._record(fetched, analysis, uidvalidity, now, report)
        except sqlite3.OperationalError:
            raise  # the store's trouble (locked, full, read-only), not the message's: read it again next cycle
        except Exception as exc:  # a message that trips a handler must not stop every cycle after it
            reason = f"could not be applied ({type(exc).__name__})"
            return self._skip(fetched, uidvalidity, now, report, reason, message_id)
        return message_id, kind, False

    def _record(self, fetched: FetchedMessage, analysis: Analysis, uidvalidity: int, now: datetime,
                report: CycleReport) -> str:
        # a message without a Message-ID is known again by what it says (a rescan must not redo it)
        message_id = analysis.message.message_id or stand_in_message_id(analysis.message)
        with self.store.unit():
            interview_id = None
            if self.store.message_done(message_id):
                kind = "duplicate"
            else:
                kind = analysis.classification.kind
                label = message_label(fetched.folder, fetched.uid, message_id)
                effect = self.news.apply(analysis, fetched.folder, now, label)
                interview_id = effect.interview_id
                report.new_interviews += effect.new
                report.held += effect.held
                report.updated += effect.updated
            self.store.record_message(fetched.folder, uidvalidity, fetched.uid, message_id, kind, interview_id, now)
            self.store.set_folder_state(fetched.folder, uidvalidity, fetched.uid)
            crash_point("message-applied")
        crash_point("message-committed")
        return kind

    def skip_unread(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport,
                    reason: str) -> None:
        """A message judged from its preview alone (over limits.message_bytes): never fetched whole."""
        self.checkpoint()
        report.scanned += 1
        message_id, outcome, _ = self._skip(fetched, uidvalidity, now, report, reason)
        log.warning("%s: %s", message_label(fetched.folder, fetched.uid, message_id), outcome)

    def _skip(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport, reason: str,
              message_id: str | None = None) -> tuple[str | None, str, bool]:
        """Record the message as skipped, so that the scan moves past it for good."""
        message_id = message_id or mime.header_message_id(fetched.raw)
        report.skipped_messages += 1
        with self.store.unit():
            self.store.record_message(fetched.folder, uidvalidity, fetched.uid, message_id, "skipped", None, now)
            self.store.set_folder_state(fetched.folder, uidvalidity, fetched.uid)
        crash_point("message-committed")
        return message_id, f"skipped: {reason}", True

    def fetch_failures(self, folder: str, uidvalidity: int) -> dict[int, tuple[int, str]]:
        return self.store.undelivered.counts(folder, uidvalidity)

    def fetch_failed(self, folder: str, uidvalidity: int, uids: Sequence[int], error: str) -> None:
        """The server failed to deliver these messages whole: counted, so that one it never delivers is
        skipped in the end rather than retried forever in front of every later message of its folder."""
        self.checkpoint()  # a link cut after a stop signal is not the messages' fault: nothing counted
        with self.store.unit(), self.store.bookkeeping():  # no interview, thread or domain reads the counts
            self.store.undelivered.count(folder, uidvalidity, uids, error)

    def set_aside(self, folder: str, uidvalidity: int, messages: list[tuple[int, str | None]], now: datetime,
                  report: CycleReport) -> None:
        """Messages proved to mean nothing, in one unit of work with the high-water mark."""
        if not messages:
            return
        self.checkpoint()
        with self.store.unit():
            done = self.store.messages_done(m for _, m in messages)
            rows = []
            for uid, message_id in messages:
                # what handle() records for a message of kind none, the first of a Message-ID included
                rows.append((uid, message_id, "duplicate" if message_id in done else "none"))
                if message_id:
                    done.add(message_id)
            self.store.record_messages(folder, uidvalidity, rows, now)
            self.store.set_folder_state(folder, uidvalidity, messages[-1][0])
        report.scanned += len(messages)
