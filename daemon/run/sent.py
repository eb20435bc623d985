# SPDX-License-Identifier: MIT
"""The user's sent mail, read at each cycle: STATUS first, then only the messages that are new.

Read-only like the watched folders (EXAMINE, BODY.PEEK, never a flag). Of each
new message a few header fields are fetched first; it is fetched whole only
when it belongs to an interview relance follows (``followups.sent``), so the
rest of what the user writes is never read, nor recorded.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from daemon.config import Settings
from daemon.crashpoints import crash_point
from daemon.followups.records import Store
from daemon.followups.sent import Link, SentMail
from daemon.mail.imapdata import ConnectionFailed, ImapError
from daemon.mail.mailbox import Mailbox
from daemon.mail.scan import FETCH_ATTEMPTS
from daemon.model import CycleReport
from daemon.text import describe_error, message_label
from daemon.understand import guard, mime, rules
from daemon.understand.analysis import analyse_sent, stand_in_message_id

log = logging.getLogger(__name__)

# what tells whether a sent message belongs to an interview: its thread, its recipients, its subject, its date
HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT TO CC DATE)]"
# the Sent folder's high-water mark is kept under this key, apart from a watched folder of the same name
STATE_KEY = "\\Sent "


class _Unknown:
    """The Sent folder has not been looked for on this connection's account yet."""


UNKNOWN = _Unknown()


class SentScan:
    """Reads the Sent folder for the cycle, with the cycle's hooks: ``checkpoint`` between two units of
    work, ``context`` (what the records know, read once per generation of them) and ``fetch_failed`` (a
    server's failures counted per message, as for the watched folders)."""

    def __init__(self, settings: Settings, store: Store, sent_mail: SentMail, *,
                 checkpoint: Callable[[], None], context: Callable[[], rules.Context],
                 fetch_failed: Callable[[str, int, Sequence[int], str], None]) -> None:
        self.settings = settings
        self.store = store
        self.sent_mail = sent_mail
        self.checkpoint = checkpoint
        self.context = context
        self.fetch_failed = fetch_failed
        self._folder: str | _Unknown | None = UNKNOWN  # found once (one LIST), not at every cycle

    def forget_folder(self) -> None:
        """Look for the Sent folder again at the next cycle (a reload, a folder gone)."""
        self._folder = UNKNOWN

    def known_folders(self) -> list[str]:
        """The Sent folder when it is known already (after the first cycle's LIST), without asking."""
        return [self._folder] if isinstance(self._folder, str) else []

    def folder(self, mailbox: Mailbox) -> str | None:
        if isinstance(self._folder, _Unknown):
            self._folder = mailbox.sent_folder()
            if self._folder is None and self.settings.imap.sent == "auto":
                log.info("no Sent folder (no \\Sent flag, no usual name): the mail you send is not read; "
                         "set imap.sent to its name, or to none")
        return self._folder

    def run(self, mailbox: Mailbox, rule_set: Sequence[rules.Rule], now: datetime, report: CycleReport) -> None:
        """Scan what is new in Sent; a problem with that folder is one log line, never the cycle's end."""
        try:
            folder = self.folder(mailbox)
            if folder is not None:
                self.scan(mailbox, folder, rule_set, now, report)
        except ImapError as exc:
            self.forget_folder()
            log.warning("imap.sent: %s; the mail you sent is not read this cycle", exc)

    def scan(self, mailbox: Mailbox, folder: str, rule_set: Sequence[rules.Rule], now: datetime,
             report: CycleReport) -> None:
        state = mailbox.status(folder)
        known = self.store.folder_state(STATE_KEY + folder)
        last_uid = 0
        if known is not None and known[0] == state.uidvalidity:
            last_uid = known[1]
            if state.uidnext <= last_uid + 1:
                return  # nothing sent since the last cycle: one STATUS was enough
        elif known is not None:
            log.warning("%s: UIDVALIDITY changed (%d -> %d): rescanning, matching by Message-ID",
                        folder, known[0], state.uidvalidity)
        uids: list[int] = []
        if self.store.interviews(include_ended=False):  # else nothing sent can belong to one
            since = (now - timedelta(days=self.settings.scan.lookback_days)).date()
            mailbox.examine(folder)
            uids = mailbox.uids_after(folder, last_uid, since)
            failed = self.store.undelivered.counts(STATE_KEY + folder, state.uidvalidity)
            for chunk in _chunks(uids, failed):
                if failed.get(chunk[0], (0, ""))[0] >= FETCH_ATTEMPTS:
                    self._give_up(folder, state.uidvalidity, chunk[0], failed[chunk[0]], now)
                    continue
                with self._counted(folder, state.uidvalidity, chunk):
                    related = list(self.related(mailbox, folder, chunk))
                for uid in related:
                    with self._counted(folder, state.uidvalidity, [uid]):
                        self.handle(mailbox, folder, state.uidvalidity, uid, rule_set, now, report)
        with self.store.unit():
            self.store.set_folder_state(STATE_KEY + folder, state.uidvalidity,
                                        max([last_uid, state.uidnext - 1, *uids]))

    def related(self, mailbox: Mailbox, folder: str, uids: Sequence[int]) -> Iterator[int]:
        """The UIDs whose header ties them to an interview, and that were not read already."""
        for uid, header, _flags in mailbox.fetch(uids, HEADER_ITEM):
            try:
                message = mime.parse(header)
            except Exception:  # a header the parser chokes on: nothing relance can tie to an interview
                log.warning("%s: header not readable, left alone", message_label(folder, uid, None))
                continue
            if message.message_id and self.store.sent_seen(message.message_id):
                continue
            if self.sent_mail.link(message) is not None:
                yield uid

    def handle(self, mailbox: Mailbox, folder: str, uidvalidity: int, uid: int, rule_set: Sequence[rules.Rule],
               now: datetime, report: CycleReport) -> None:
        """One message the user sent, in one unit of work with the folder's high-water mark."""
        self.checkpoint()
        raw = next((body for _uid, body, _flags in mailbox.fetch([uid])), None)
        if raw is None:
            return  # deleted meanwhile
        report.scanned += 1
        try:
            with guard.time_budget(self.settings.limits.seconds) as budget:
                analysis = analyse_sent(raw, self.settings, rule_set, self.context(), now,
                                        budget)
        except (mime.MessageSkipped, guard.OverBudget) as exc:
            self._record(folder, uidvalidity, uid, mime.header_message_id(raw), "sent-skipped", None, now)
            log.warning("%s: skipped: %s", message_label(folder, uid, mime.header_message_id(raw)), exc)
            return
        except Exception as exc:  # one odd message must never stop the daemon; its text may quote the mail
            self._record(folder, uidvalidity, uid, mime.header_message_id(raw), "sent-skipped", None, now)
            log.warning("%s: skipped: could not be read (%s)", message_label(folder, uid, None), type(exc).__name__)
            return
        message_id = analysis.message.message_id or stand_in_message_id(analysis.message)
        label = message_label(folder, uid, message_id)
        try:
            with self.store.unit():
                link = None if self.store.sent_seen(message_id) else self.sent_mail.link(analysis.message)
                means = self.sent_mail.apply(analysis, link, now) if link is not None else None
                self.store.record_message(folder, uidvalidity, uid, message_id, f"sent-{means or 'none'}",
                                          link.interview.id if link else None, now)
                self.store.set_folder_state(STATE_KEY + folder, uidvalidity, uid)
                crash_point("sent-applied")
        except sqlite3.OperationalError:
            raise  # the store's trouble, not the message's: read it again next cycle
        except Exception as exc:  # a message that trips a handler must not stop every cycle after it
            self._record(folder, uidvalidity, uid, message_id, "sent-skipped", None, now)
            log.warning("%s: skipped: could not be applied (%s)", label, type(exc).__name__)
            return
        crash_point("sent-committed")
        report.updated += link is not None
        log.info("%s: %s", label, _outcome(link, means, analysis.reading.rule))

    @contextlib.contextmanager
    def _counted(self, folder: str, uidvalidity: int, uids: Sequence[int]) -> Iterator[None]:
        """A FETCH of these sent messages: when the link dies or the server refuses it, each is counted, so
        that one the server never delivers is given up on instead of ending every cycle before the drafts."""
        try:
            yield
        except (ConnectionFailed, ImapError) as exc:
            self.fetch_failed(STATE_KEY + folder, uidvalidity, uids, describe_error(exc))
            raise

    def _give_up(self, folder: str, uidvalidity: int, uid: int, failure: tuple[int, str], now: datetime) -> None:
        self._record(folder, uidvalidity, uid, None, "sent-skipped", None, now)
        log.warning("%s: skipped: the server failed to deliver it %d times (%s)",
                    message_label(folder, uid, None), failure[0], failure[1])

    def _record(self, folder: str, uidvalidity: int, uid: int, message_id: str | None, kind: str,
                interview_id: int | None, now: datetime) -> None:
        with self.store.unit():
            self.store.record_message(folder, uidvalidity, uid, message_id, kind, interview_id, now)
            self.store.set_folder_state(STATE_KEY + folder, uidvalidity, uid)
        crash_point("sent-committed")


def _chunks(uids: Sequence[int], failed: Mapping[int, tuple[int, str]]) -> list[list[int]]:
    """The UIDs in order, in runs fetched together; one that failed before is fetched alone."""
    chunks: list[list[int]] = []
    for uid in uids:
        if uid in failed or not chunks or chunks[-1][0] in failed:
            chunks.append([uid])
        else:
            chunks[-1].append(uid)
    return chunks


def _outcome(link: Link | None, means: str | None, rule: str | None) -> str:
    if link is None:
        return "sent by you, read already or no longer tied to an interview"
    by = f" (rule {rule})" if rule and means != "other" else ""
    return f"sent by you: {means} for interview #{link.interview.id}{by}; {link.why}"
