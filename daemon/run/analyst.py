# SPDX-License-Identifier: MIT
"""A second process that analyses a backlog's candidates alongside the cycle, on the machine's other core.

A large scan (the first one, a long absence) reads thousands of messages
whole, and their analysis (MIME, calendar, rules, evidence, extraction) is
pure computation: most of the scan's time. The cycle hands each batch's
candidates to the analyst, which works through them from the batch's end
while the cycle works from its start; each message is analysed once, where
the two meet the cycle waits for the message the analyst is on.

An analysis depends on the records only through what they know of that
message (its thread known, its sender's domain known: rules.known_to).
The analyst's answer is used only when that is the same now as when it was
asked; else the cycle analyses the message again. The analyst writes
nothing, holds no file of the user's and no connection (a process started
afresh, not forked): the records, the logs and the crash safety stay the
cycle's. A steady cycle (a handful of new messages) never starts it.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from daemon.config import Settings
from daemon.mail.imapdata import FetchedMessage
from daemon.understand import guard, mime, rules
from daemon.understand.analysis import Analysis, analyse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One message's analysis as the scan needs it, or why it is skipped, and what the stages logged."""

    analysis: Analysis | None
    skipped: str | None = None
    known: rules.Known | None = None  # what the records knew of the message when the analyst read it
    notes: tuple[tuple[str, int, str], ...] = ()  # (logger, level, message) of the stages, in the analyst


def analysed(raw: bytes, settings: Settings, rule_set: Sequence[rules.Rule], context: rules.Context,
             now: datetime) -> Outcome:
    """The scan's analysis of one message under its time budget: a bad mail is an Outcome, never an error."""
    try:
        with guard.time_budget(settings.limits.seconds) as budget:
            analysis = analyse(raw, settings, rule_set, context, now, budget, facts_of_none=False, every_match=False)
    except (mime.MessageSkipped, guard.OverBudget) as exc:
        return Outcome(None, str(exc))
    except Exception as exc:  # one bad mail must never stop the daemon; its text may quote the mail
        return Outcome(None, f"could not be read ({type(exc).__name__})")
    return Outcome(analysis)


class Analyst:
    """The second process of a backlog scan: started by the first batch, stopped when the folder is done."""

    def __init__(self, settings: Settings, rule_set: Sequence[rules.Rule]) -> None:
        self.settings = settings
        self.rule_names = [r.name for r in rule_set]
        self.pool: ProcessPoolExecutor | None = None
        self.ready: Future[list[str]] | None = None
        self.pending: dict[tuple[str, int], Future[Outcome]] = {}
        self.broken = False
        self.taken = 0  # outcomes the cycle used from this process: the tests and the bench count them
        self.asked = 0

    def start(self) -> None:
        """Start the process now, so that it is ready (about a second) by the time the first batch is read."""
        if self.pool is not None or self.broken:
            return
        level = logging.getLogger().getEffectiveLevel()
        try:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_begin, initargs=(self.settings, level))
            self.ready = self.pool.submit(_ready)
        except (OSError, RuntimeError, ValueError) as exc:  # no process to be had here (a sandbox, a limit)
            self._lost(exc)

    def ahead(self, messages: Sequence[FetchedMessage], context: rules.Context, now: datetime) -> None:
        """Analyse these messages, from the last one back, under this context."""
        self.start()
        if self.pool is None:
            return
        try:
            for fetched in reversed(messages):
                self.pending[(fetched.folder, fetched.uid)] = self.pool.submit(_work, fetched.raw, context, now)
                self.asked += 1
        except (RuntimeError, concurrent.futures.BrokenExecutor) as exc:
            self._lost(exc)

    def take(self, fetched: FetchedMessage, context: rules.Context) -> Outcome | None:
        """The analyst's outcome for this message if it has it or is on it, and it holds under ``context``;
        None when the cycle should analyse the message itself."""
        future = self.pending.pop((fetched.folder, fetched.uid), None)
        if future is None or future.cancel():
            return None  # never asked, or not begun: the cycle is here first
        try:
            outcome = future.result()
            loaded = self.ready.result() if self.ready is not None else None
        except Exception as exc:  # the process died (killed, out of memory): the cycle goes on alone
            self._lost(exc)
            return None
        if loaded != self.rule_names:
            # the rules the settings name are not the cycle's (rules edited since the cycle loaded them)
            log.info("the analysis process read other rules than this cycle's: this scan goes on in one process")
            self._lost(None)
            return None
        analysis = outcome.analysis
        if analysis is not None and outcome.known != rules.known_to(analysis.message, context):
            return None  # a message processed since made this one part of a known thread or company
        for name, level, text in outcome.notes:
            logging.getLogger(name).log(level, "%s", text)  # into the cycle's held logs, as if said here
        self.taken += 1
        return outcome

    def stop(self) -> None:
        if self.asked:
            log.info("second process: %d of the %d candidates handed to it analysed there", self.taken, self.asked)
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _lost(self, exc: BaseException | None) -> None:
        if exc is not None:
            log.warning("the analysis process stopped (%s): this scan goes on in one process", type(exc).__name__)
        self.broken = True
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


# --- in the analyst's process

_held: tuple[Settings, list[rules.Rule]] | None = None


def _begin(settings: Settings, level: int) -> None:
    global _held
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the cycle's to handle; the cycle stops this process
    # the queues' both ends live in this process too: a daemon killed with -9 would leave it waiting for ever
    threading.Thread(target=_end_with, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    logging.getLogger().setLevel(level)  # the stages log what they would in the cycle, and it is sent back
    _held = (settings, rules.load_rules(settings.rule_paths, settings.rules_disabled))


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _ready() -> list[str]:
    assert _held is not None, "the analyst's process was not begun"
    return [r.name for r in _held[1]]


def _work(raw: bytes, context: rules.Context, now: datetime) -> Outcome:
    assert _held is not None, "the analyst's process was not begun"
    settings, rule_set = _held
    with guard.held_logs() as held:
        outcome = analysed(raw, settings, rule_set, context, now)
    known = rules.known_to(outcome.analysis.message, context) if outcome.analysis is not None else None
    return replace(outcome, known=known, notes=tuple((r.name, r.levelno, r.getMessage()) for r in held))
