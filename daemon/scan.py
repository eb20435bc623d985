# SPDX-License-Identifier: MIT
"""Reading a folder in two phases: previews of every new message, whole messages for candidates only.

Phase one fetches, in batches, each message's header and the start of its
body; prescreen proves most of them to mean nothing. Phase two fetches the
others whole, in one command per batch, and hands them to Service.process
in UID order, exactly as before. The messages set aside are recorded as
``none`` (or ``duplicate``) in one transaction per batch rather than one
each: with synchronous=FULL every commit costs an fsync. The folder's
high-water mark moves in the same transaction as the records it covers, so
after a crash a restart reads again exactly what was not committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from . import prescreen
from .mailbox import FetchedMessage, Mailbox, Preview

if TYPE_CHECKING:
    from .service import CycleReport, Service

log = logging.getLogger(__name__)

# Body bytes in a preview: the whole of nearly every mail without attachments, and enough of the
# first attachment for mime.parse's calendar sniffing (prescreen.SNIFF_WINDOW decoded bytes).
PREVIEW_BYTES = 64 * 1024

# folder, messages done, messages in this scan
Progress = Callable[[str, int, int], None]


@dataclass
class ScanStats:
    """What the two phases did, for the logs, the benchmarks and the tests."""

    previewed: int = 0
    candidates: int = 0
    set_aside: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, verdict: prescreen.Verdict) -> None:
        if verdict.candidate:
            self.candidates += 1
            self.reasons[verdict.reason] = self.reasons.get(verdict.reason, 0) + 1
        else:
            self.set_aside += 1


@dataclass
class FolderScan:
    service: Service
    mailbox: Mailbox
    folder: str
    uidvalidity: int
    now: datetime
    report: CycleReport
    progress: Progress | None = None
    stats: ScanStats = field(default_factory=ScanStats)

    def run(self, uids: Sequence[int]) -> None:
        screen = prescreen.Screen(self.service.settings, self.service.rules)
        done = 0
        for batch in self.mailbox.previews(uids, PREVIEW_BYTES):
            self.scan_batch(screen, batch)
            done += len(batch)
            if self.progress is not None:
                self.progress(self.folder, done, len(uids))
        log.info("%s: %d messages previewed, %d fetched whole (%s), %d set aside", self.folder,
                 self.stats.previewed, self.stats.candidates,
                 ", ".join(f"{n} {why}" for why, n in sorted(self.stats.reasons.items())) or "none",
                 self.stats.set_aside)

    def scan_batch(self, screen: prescreen.Screen, batch: list[Preview]) -> None:
        limit = self.service.settings.limits.message_bytes
        cut = [p.uid for p in batch if not p.complete and p.size <= limit]
        structures = self.mailbox.structures(cut) if cut else {}
        context = self.service.context()
        verdicts = {p.uid: screen.judge(p, structures.get(p.uid), context) for p in batch}
        oversized = {p.uid for p in batch if p.size > limit}
        whole = self.fetch_whole([uid for uid, v in verdicts.items() if v.candidate and uid not in oversized])
        set_aside: list[tuple[int, str | None]] = []
        current = context
        processed = False  # only processing a candidate can change the context
        for preview in batch:
            verdict = verdicts[preview.uid]
            if processed:
                current, processed = self.service.context(), False
            if verdict.message is not None and current != context:
                # a message processed above may have made this one a reply in a known thread
                verdict = screen.rejudge(verdict.message, current)
                if verdict.candidate:
                    whole.update(self.fetch_whole([preview.uid]))
            self.stats.previewed += 1
            self.stats.count(verdict)
            if not verdict.candidate:
                set_aside.append((preview.uid, verdict.message_id))
                continue
            self.record_set_aside(set_aside)
            set_aside = []
            if preview.uid in oversized:
                # its size is known from the preview: no reason to download it whole
                self.service.skip_unread(FetchedMessage(self.folder, preview.uid, preview.raw, ()), self.uidvalidity,
                                         self.now, self.report, f"{preview.size} bytes, over limits.message_bytes")
                continue
            message = whole.pop(preview.uid, None)
            if message is not None:  # else expunged between the two phases
                self.service.process(message, self.uidvalidity, self.now, self.report)
                processed = True
        self.record_set_aside(set_aside)

    def fetch_whole(self, uids: list[int]) -> dict[int, FetchedMessage]:
        if not uids:
            return {}
        return {uid: FetchedMessage(self.folder, uid, raw, flags) for uid, raw, flags in self.mailbox.fetch(uids)}

    def record_set_aside(self, messages: list[tuple[int, str | None]]) -> None:
        """Messages proved to mean nothing, in one transaction with the high-water mark."""
        if not messages:
            return
        service, store = self.service, self.service.store
        service.checkpoint()
        with service._unit():
            for uid, message_id in messages:
                # what process() records for a message of kind none
                kind = "duplicate" if store.message_done(message_id) else "none"
                store.record_message(self.folder, self.uidvalidity, uid, message_id, kind, None, self.now)
            store.set_folder_state(self.folder, self.uidvalidity, messages[-1][0])
        self.report.scanned += len(messages)



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
