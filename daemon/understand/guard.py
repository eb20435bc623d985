# SPDX-License-Identifier: MIT
"""What one message may cost, and how it is reported: a time budget and one log line.

Anyone can send mail to the inbox, so reading a message must not take the
daemon hostage: ``time_budget`` interrupts the stages when the message's
time is up (SIGALRM in the main thread; elsewhere the deadline is checked
between stages). ``held_logs`` keeps what the stages say about a message so
that it ends up in that message's one log line.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

PACKAGE = __name__.partition(".")[0]
# The modules whose lines about a message are held for its one line. Not the
# loop, the lock or the crash points: what they say must get out at once.
MESSAGE_STAGES = ("understand.mime", "understand.ical", "understand.zones", "understand.textdates",
                  "understand.rules", "understand.extract", "understand.people", "understand.employer",
                  "followups.news", "followups.plans", "followups.planner",
                  "followups.records", "run.cycle")


class OverBudget(BaseException):
    """The message's time is up.

    A BaseException so that the stages' own ``except Exception`` guards (one
    odd calendar event must not hide the others) cannot swallow it.
    """


class Budget:
    """A deadline for one message, checked between stages."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self, stage: str) -> None:
        if time.monotonic() > self.deadline:
            raise OverBudget(self.reason(stage))

    def reason(self, stage: str) -> str:
        return f"over limits.seconds ({self.seconds:g} s) in {stage}"


def _alarm_usable() -> bool:
    """SIGALRM can interrupt us: a POSIX main thread with no timer of someone else's running."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL)[0] == 0


def _stage_of(frame: FrameType | None) -> str:
    """The innermost module of ours on the stack: where the time went (a name, never data)."""
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith(PACKAGE + ".") and module != __name__:
            return module.rpartition(".")[2]
        frame = frame.f_back
    return "the standard library"


@contextmanager
def time_budget(seconds: float) -> Iterator[Budget]:
    """Raise OverBudget in the body once ``seconds`` have passed, wherever it is."""
    budget = Budget(seconds)
    if not _alarm_usable():
        yield budget
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(budget.reason(_stage_of(frame)))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield budget
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Holder(logging.Filter):
    """Keeps this thread's records of INFO and above instead of letting them out."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self.thread or record.levelno < logging.INFO:
            return True
        self.records.append(record)
        return False


def _stage_loggers() -> list[logging.Logger]:
    # A logger's filters only see what is logged to that very logger, so each one gets the holder.
    return [logging.getLogger(f"{PACKAGE}.{stage}") for stage in MESSAGE_STAGES]


@contextmanager
def held_logs() -> Iterator[list[logging.LogRecord]]:
    """The records the stages log in this thread during the body, held back and handed over."""
    holder = _Holder()
    loggers = _stage_loggers()
    for logger in loggers:
        logger.addFilter(holder)
    try:
        yield holder.records
    finally:
        for logger in loggers:
            logger.removeFilter(holder)
