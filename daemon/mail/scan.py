# SPDX-License-Identifier: MIT
"""Reading a folder in two phases: a first look at every new message, whole messages for candidates only.

Phase one fetches, in batches, what decides whether a message is worth
reading: by default its header fields and structure (firstlook_headers); with
``scan.read_every_message``, its whole header and the start of its body,
judged by the real rules (firstlook_preview). Phase two fetches the
candidates whole, in one command per batch, and hands them to the cycle
(a MessageSink) in UID order. The messages set aside are recorded as
``none`` (or ``duplicate``) in one transaction per batch rather than one
each: with synchronous=FULL every commit costs an fsync. The folder's
high-water mark moves in the same transaction as the records it covers, so
after a crash a restart reads again exactly what was not committed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from daemon.config import Settings
from daemon.mail import firstlook_headers, firstlook_preview
from daemon.mail.firstlook import Verdict
from daemon.mail.imapdata import ConnectionFailed, FetchedMessage, ImapError
from daemon.mail.mailbox import Mailbox
from daemon.model import CycleReport, ParsedMessage
from daemon.text import counted, one_line
from daemon.understand import rules
from daemon.understand.rules import Context, Rule

log = logging.getLogger(__name__)

# Body bytes in a preview: the whole of nearly every mail without attachments, and enough of the
# first attachment for mime.parse's calendar sniffing (firstlook_preview.SNIFF_WINDOW decoded bytes).
PREVIEW_BYTES = 64 * 1024

# From this many new messages on, the outlines are read on a connection of their own.
BULK_SCAN = 2_000
# A message the server failed to deliver whole this many times (the FETCH of it alone, after the first
# failure) is skipped for good: a message that kills the server's IMAP process must not block its folder.
FETCH_ATTEMPTS = 3
# A message given up (FETCH_ATTEMPTS failed fetches) is a candidate never fetched: scan_batch skips it.
GIVEN_UP = Verdict(True, "the server failed to deliver it")
# folder, messages done, messages in this scan
Progress = Callable[[str, int, int], None]
Rejudge = Callable[[ParsedMessage, rules.Context], Verdict]


class MessageSink(Protocol):
    """Where the scan hands what it found (run.cycle.Cycle is one): each message in one unit of work."""

    settings: Settings
    rules: list[Rule]

    def checkpoint(self) -> None: ...

    def context(self) -> Context: ...

    def batch(self) -> contextlib.AbstractContextManager[None]: ...

    def before_network(self) -> None: ...

    def analyse_ahead(self, messages: Sequence[FetchedMessage], now: datetime) -> None: ...

    def handle(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport) -> None: ...

    def skip_unread(self, fetched: FetchedMessage, uidvalidity: int, now: datetime, report: CycleReport,
                    reason: str) -> None: ...

    def set_aside(self, folder: str, uidvalidity: int, messages: list[tuple[int, str | None]], now: datetime,
                  report: CycleReport) -> None: ...

    def fetch_failures(self, folder: str, uidvalidity: int) -> dict[int, tuple[int, str]]: ...

    def fetch_failed(self, folder: str, uidvalidity: int, uids: Sequence[int], error: str) -> None: ...


def would_read(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule],
               context: rules.Context, now: datetime | None = None) -> tuple[bool, str]:
    """Whether the scan would read this message whole, and why (``relance explain``)."""
    if settings.scan.read_every_message:
        return True, "scan.read_every_message is on"
    verdict = firstlook_headers.HeaderLook(rule_set, settings.user_emails, now=now).judge_file(raw, context)
    if verdict.candidate:
        return True, verdict.reason
    why = "" if verdict.reason == "none" else f"in a backlog, {verdict.reason}; "
    return False, (f"{why}nothing in its headers or structure points at an interview (rules/screen.yaml); "
                   f"read whole among fewer than scan.read_whole_below ({settings.scan.read_whole_below}) new messages")


@dataclass(frozen=True)
class Judged:
    """One message after phase one: what is known of it, and whether it is a candidate."""

    uid: int
    size: int
    head: bytes  # its header (all of it, or the fields fetched): enough to name it in a log line
    verdict: Verdict


@dataclass(frozen=True)
class Batch:
    messages: list[Judged]
    context: rules.Context  # the context the verdicts were given under
    rejudge: Rejudge
    processed: int  # candidates processed in this scan by then: if none since, the context is current


@dataclass
class ScanStats:
    """What the two phases did, for the logs, the benchmarks and the tests."""

    previewed: int = 0
    candidates: int = 0
    set_aside: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, verdict: Verdict) -> None:
        if verdict.candidate:
            self.candidates += 1
            self.reasons[verdict.reason] = self.reasons.get(verdict.reason, 0) + 1
        else:
            self.set_aside += 1


@dataclass
class FolderScan:
    sink: MessageSink
    mailbox: Mailbox
    folder: str
    uidvalidity: int
    now: datetime
    report: CycleReport
    progress: Progress | None = None
    stats: ScanStats = field(default_factory=ScanStats)
    done: int = 0  # messages through both phases, for the progress report
    total: int = 0
    processed: int = 0  # candidates processed so far
    # UID: (failed fetches, last error) of the messages whose FETCH failed before: each fetched alone
    failed: dict[int, tuple[int, str]] = field(default_factory=dict)

    def run(self, uids: Sequence[int]) -> None:
        self.total = len(uids)
        self.failed = self.sink.fetch_failures(self.folder, self.uidvalidity)
        if self.sink.settings.scan.read_every_message:
            # closing: a batch that fails must not leave FETCH commands queued behind the next command
            with contextlib.closing(self.previewed(uids)) as batches:
                for batch in batches:
                    self.scan_batch(batch, self.fetch_whole(self.candidates(batch)))
        else:
            self.outlined(uids)
        log.info("%s: %s looked at, %d fetched whole (%s), %d set aside", self.folder,
                 counted(self.stats.previewed, "message"), self.stats.candidates,
                 ", ".join(f"{n} {why}" for why, n in sorted(self.stats.reasons.items())) or "none",
                 self.stats.set_aside)

    def candidates(self, batch: Batch) -> list[int]:
        """The messages of a batch to fetch whole: an oversized one is known well enough by its size, and
        one whose FETCH failed before is fetched alone (scan_batch), so that it fails alone."""
        limit = self.sink.settings.limits.message_bytes
        return [m.uid for m in batch.messages
                if m.verdict.candidate and m.size <= limit and m.uid not in self.failed]

    def outlined(self, uids: Sequence[int]) -> None:
        """Header fields and structure of each message, judged by the header first look (firstlook_headers).

        A large scan reads them on a second connection of its own, where the
        next batch's FETCH is always in flight; on the first connection the
        candidates of batch k are asked for whole as soon as batch k is
        judged (before batch k-1 is processed, so that Dovecot reads them
        meanwhile), read when batch k+1's outlines have come (and handed to
        the second process, run/analyst.py, which analyses them while batch
        k+1 is judged), and processed once batch k+1 is judged.
        Batch k+1 is then judged before batch k changes the records:
        scan_batch judges its messages again when that matters. On one
        connection (a small scan) everything goes in order: two FETCHes in
        flight at once are answered interleaved."""
        settings = self.sink.settings
        # steady state (a handful of new messages): each is read whole; the header screen is for a backlog
        judge = firstlook_headers.HeaderLook(self.sink.rules, settings.user_emails,
                                             read_all=len(uids) < settings.scan.read_whole_below, now=self.now)
        with contextlib.ExitStack() as held:
            reader = self.reader(held) if len(uids) >= BULK_SCAN else None
            source = reader or self.mailbox
            # a message whose outline the server failed to deliver is asked for alone, or no more (skipped)
            given_up = {uid for uid, (failures, _) in self.failed.items() if failures >= FETCH_ATTEMPTS}
            batches = held.enter_context(contextlib.closing(
                source.outlines(uids, judge.fields, firstlook_headers.STRUCTURE_HINTS, alone=self.failed.keys(),
                                unasked=given_up, failed=self.outline_failed)))
            held.callback(self.mailbox.forget_requests)  # after a failure: answers nobody will read
            previous: tuple[Batch, bytes | None, list[int]] | None = None
            for outlines in batches:
                # batch k's candidates, read first: the second process analyses them while batch k+1 is judged
                whole = self.collect(*previous[1:]) if previous is not None else {}
                context = self.sink.context()
                verdicts = [GIVEN_UP if o.uid in given_up else judge.judge(o, context) for o in outlines]
                batch = Batch([Judged(o.uid, o.size, o.header, v) for o, v in zip(outlines, verdicts, strict=True)],
                              context, judge.rejudge, self.processed)
                if reader is None:
                    self.scan_batch(batch, self.fetch_whole(self.candidates(batch)))
                    continue
                # asked for before batch k is processed: Dovecot reads them meanwhile (a message fetched alone
                # in batch k reads this answer first: the pipeline keeps it)
                wanted = self.candidates(batch)
                request = self.mailbox.request_whole(wanted) if wanted else None
                if previous is not None:
                    self.scan_batch(previous[0], whole)
                previous = (batch, request, wanted)
            if previous is not None:
                self.scan_batch(previous[0], self.collect(*previous[1:]))

    def outline_failed(self, uids: list[int], error: ImapError | ConnectionFailed) -> None:
        """The server failed a first look: each message asked for is counted, as for a whole FETCH."""
        self.sink.fetch_failed(self.folder, self.uidvalidity, uids, one_line(str(error)))

    def collect(self, request: bytes | None, wanted: list[int]) -> dict[int, FetchedMessage]:
        """The candidates of a batch asked for whole, read, and handed to be analysed ahead."""
        whole: dict[int, FetchedMessage] = {}
        if request is not None:
            with self.failing(wanted):
                whole = {uid: FetchedMessage(self.folder, uid, raw, flags)
                         for uid, raw, flags in self.mailbox.whole(request)}
            self.sink.analyse_ahead(list(whole.values()), self.now)
        return whole

    def reader(self, held: contextlib.ExitStack) -> Mailbox | None:
        """A second connection on this folder, or None when the server will not have it."""
        reader = self.mailbox.sibling()
        try:
            reader.connect()
            reader.examine(self.folder)
            if reader.status(self.folder).uidvalidity != self.uidvalidity:
                raise ImapError(f"imap: {self.folder}: UIDVALIDITY changed during the scan")
        except (ImapError, ConnectionFailed) as exc:
            reader.close()
            log.info("%s: reading on one connection (a second one: %s)", self.folder, exc)
            return None
        held.callback(reader.close)
        held.callback(self.count_commands, reader)
        self.sink.analyse_ahead([], self.now)  # a backlog: the second process starts while phase one reads
        return reader

    def count_commands(self, reader: Mailbox) -> None:
        self.mailbox.commands += reader.commands

    def previewed(self, uids: Sequence[int]) -> Generator[Batch, None, None]:
        """Header and body start of each message, judged by the real rules (scan.read_every_message)."""
        screen = firstlook_preview.PreviewLook(self.sink.settings, self.sink.rules)
        limit = self.sink.settings.limits.message_bytes
        for previews in self.mailbox.previews(uids, PREVIEW_BYTES):
            cut = [p.uid for p in previews if not p.complete and p.size <= limit]
            structures = self.mailbox.structures(cut) if cut else {}
            context = self.sink.context()
            messages = [Judged(p.uid, p.size, p.raw, screen.judge(p, structures.get(p.uid), context))
                        for p in previews]
            yield Batch(messages, context, screen.rejudge, self.processed)

    def scan_batch(self, batch: Batch, whole: dict[int, FetchedMessage]) -> None:
        """Record and process a judged batch in UID order, its candidates (``whole``) one by one, their
        units of work committed together (MessageSink.batch)."""
        with self.sink.batch():
            self.process_batch(batch, whole)
        self.done += len(batch.messages)
        if self.progress is not None:
            self.progress(self.folder, self.done, self.total)

    def process_batch(self, batch: Batch, whole: dict[int, FetchedMessage]) -> None:
        limit = self.sink.settings.limits.message_bytes
        oversized = {m.uid for m in batch.messages if m.size > limit}
        set_aside: list[tuple[int, str | None]] = []
        # judged before the last batch's candidates were processed, the batch may need the records' news
        current = batch.context if batch.processed == self.processed else self.sink.context()
        processed = False  # only processing a candidate can change the context
        for judged in batch.messages:
            verdict = judged.verdict
            if processed:
                current, processed = self.sink.context(), False
            if verdict.message is not None and current != batch.context:
                # a message processed above may have made this one a reply in a known thread
                verdict = batch.rejudge(verdict.message, current)
                if verdict.candidate and judged.uid not in oversized and judged.uid not in self.failed:
                    self.sink.before_network()
                    whole.update(self.fetch_whole([judged.uid]))
            self.stats.previewed += 1
            self.stats.count(verdict)
            if not verdict.candidate:
                set_aside.append((judged.uid, verdict.message_id))
                continue
            self.sink.set_aside(self.folder, self.uidvalidity, set_aside, self.now, self.report)
            set_aside = []
            if judged.uid in oversized:
                # its size is known from phase one: no reason to download it whole
                self.sink.skip_unread(FetchedMessage(self.folder, judged.uid, judged.head, ()), self.uidvalidity,
                                         self.now, self.report, f"{judged.size} bytes, over limits.message_bytes")
                continue
            if judged.uid in self.failed and judged.uid not in whole:
                failures, error = self.failed[judged.uid]
                if failures >= FETCH_ATTEMPTS:
                    self.sink.skip_unread(FetchedMessage(self.folder, judged.uid, judged.head, ()), self.uidvalidity,
                                          self.now, self.report,
                                          f"the server failed to deliver it {failures} times ({error})")
                    continue
                self.sink.before_network()
                whole.update(self.fetch_whole([judged.uid]))
            message = whole.pop(judged.uid, None)
            if message is not None:  # else expunged between the two phases
                self.sink.handle(message, self.uidvalidity, self.now, self.report)
                processed = True
                self.processed += 1
        self.sink.set_aside(self.folder, self.uidvalidity, set_aside, self.now, self.report)

    def fetch_whole(self, uids: list[int]) -> dict[int, FetchedMessage]:
        if not uids:
            return {}
        with self.failing(uids):
            return {uid: FetchedMessage(self.folder, uid, raw, flags) for uid, raw, flags in self.mailbox.fetch(uids)}

    @contextlib.contextmanager
    def failing(self, uids: Sequence[int]) -> Generator[None, None, None]:
        """A FETCH of these messages whole: when the server fails it, each of them is counted (and the
        error goes on up: the connection is likely gone)."""
        try:
            yield
        except (ConnectionFailed, ImapError) as exc:
            self.sink.fetch_failed(self.folder, self.uidvalidity, uids, one_line(str(exc)))
            raise



class LogEvery10Percent:
    """Progress as log lines, one per tenth done, for journald and log files; quiet for short scans."""

    MIN_MESSAGES = 1000  # new mail since the last cycle needs no progress report

    def __init__(self, total: int) -> None:
        self.began = time.monotonic()
        self.next_tenth = 1 if total >= self.MIN_MESSAGES else 11

    def __call__(self, folder: str, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth < self.next_tenth:
            return
        self.next_tenth = tenth + 1
        elapsed = time.monotonic() - self.began
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        log.info("%s: %d%% scanned (%d of %d messages, %.0f/s, about %.0f s left)",
                 folder, done * 100 // max(total, 1), done, total, rate, left)
