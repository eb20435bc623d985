# SPDX-License-Identifier: MIT
"""The long-running loop around the cycle (run.cycle): when a cycle runs, and keeping the connection alive.

One IMAP connection waits in IDLE on the first watched folder, re-issued every
``imap.idle_renew``; a server without IDLE (and any further watched folder) is
polled every ``scan.interval``. Periodic jobs (run.timers, timed on a clock the
system time cannot step) only read the records or write the calendar and ask
for a cycle when IMAP work is needed, so IDLE is left only then. Every wake that runs a cycle starts with
STATUS on each folder, which is how a silently dead IDLE is noticed. Faults
reconnect with capped, jittered exponential backoff; refused logins back off to
hours. SIGTERM finishes the unit of work in hand; SIGHUP reloads the config.
Nothing that matters lives here: the records database is the source of truth.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import random
import select
import signal
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

from daemon.config import Settings
from daemon.credentials import imap_secret
from daemon.errors import SetupError, UserError
from daemon.followups import database
from daemon.followups.drafting import DRAFTED_KINDS
from daemon.followups.plans import NEEDS_REVIEW
from daemon.mail.idle import IdleSession
from daemon.mail.imapdata import ConnectionFailed, LoginRefused
from daemon.mail.mailbox import Mailbox
from daemon.model import CycleReport
from daemon.run.cycle import Cycle
from daemon.run.notify import Notifier
from daemon.run.timers import Clock, Timers, boottime
from daemon.text import counted, describe_error, one_line
from daemon.understand import rules

log = logging.getLogger(__name__)

FIRST_RETRY = 1.0  # seconds before the first reconnect; doubles on each fault in a row
MAX_RETRY = 300.0  # ... up to 5 minutes
REFUSALS_BEFORE_HOURS = 3  # refused logins in a row before waiting hours (no lockout storms)
LOGIN_RETRY = 3600.0  # then 1 h, doubling up to LOGIN_RETRY_MAX
LOGIN_RETRY_MAX = 6 * 3600.0
DUE_CHECK = timedelta(minutes=1)  # a follow-up fires within this of its due time
CALENDAR_REFRESH = timedelta(minutes=15)  # picks up what `relance mark/set/add` changed meanwhile
LONGEST_WAIT = 30.0  # seconds; no wait is longer, so jobs catch up soon after a laptop resumes
STOP_GRACE = 7.0  # seconds after SIGTERM before a blocked network read is cut (systemd waits 15)

Loader = Callable[[], tuple[Settings, list[rules.Rule]]]


class Stopped(BaseException):
    """Raised at a unit boundary once a stop was asked for. A BaseException, like KeyboardInterrupt:
    no ``except Exception`` on the way may swallow it, and open transactions roll back."""


# --- one-shot use (relance check, explain --uid, run --once)


def connect(settings: Settings) -> Mailbox:
    """A logged-in Mailbox; use it as a context manager to log out."""
    mailbox = Mailbox(settings.imap, lambda: imap_secret(settings.imap))
    mailbox.connect()
    return mailbox


def run_once(cycle: Cycle, now: datetime) -> CycleReport:
    """One cycle. SIGTERM or Ctrl-C ends it cleanly between two units of work (a timer's run, say)."""
    signals = Signals()
    signals.install()
    try:
        with connect(cycle.settings) as mailbox:
            signals.on_deadline = mailbox.abort
            return cycle.run(now, mailbox, signals.raise_if_stopped)
    except Stopped:
        log.info("stopping (%s) before the end of the cycle; the next run goes on from there",
                 ", ".join(signals.received))
        return CycleReport()
    finally:
        signals.close()


def run_forever(cycle: Cycle, loader: Loader | None = None) -> None:
    """The daemon, until SIGTERM or SIGINT. ``loader`` reads the config and rules again on SIGHUP."""
    signals = Signals()
    signals.install()
    try:
        Loop(cycle, signals, Notifier.from_environment(), loader=loader).run()
    finally:
        signals.close()


# --- signals


class Signals:
    """SIGTERM/SIGINT ask to stop, SIGHUP to reload; either wakes a waiting loop at once (a self-pipe).

    The handlers only set flags: logging from a handler could re-enter a write to stderr
    that the handler interrupted. A second stop signal leaves at once (KeyboardInterrupt).
    """

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.reload = threading.Event()
        self.received: list[str] = []
        self.on_deadline: Callable[[], None] | None = None  # cuts the connection when the grace is over
        self._read_fd, self._write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._timer: threading.Timer | None = None
        self._previous: dict[int, object] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set handlers; an embedding program keeps its own
        for signum, handler in ((signal.SIGTERM, self._on_stop), (signal.SIGINT, self._on_stop),
                                (signal.SIGHUP, self._on_reload)):
            self._previous[signum] = signal.signal(signum, handler)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for signum, previous in self._previous.items():
            # None: the handler was not set from Python; the default is the best guess
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)  # type: ignore[arg-type]
        os.close(self._read_fd)
        os.close(self._write_fd)

    def fileno(self) -> int:
        """Readable when a signal arrived: wait on it together with the IMAP socket."""
        return self._read_fd

    def raise_if_stopped(self) -> None:
        if self.stop.is_set():
            raise Stopped

    def request_stop(self) -> None:
        if self.stop.is_set():
            return
        self.stop.set()
        self._wake()
        self._timer = threading.Timer(STOP_GRACE, self._deadline)
        self._timer.daemon = True
        self._timer.start()

    def request_reload(self) -> None:
        self.reload.set()
        self._wake()

    def drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._read_fd, 512):
                pass

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.received.append(signal.Signals(signum).name)
        self.request_stop()

    def _on_reload(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signal.Signals(signum).name)
        self.request_reload()

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # a full pipe: the loop is woken already
            os.write(self._write_fd, b"!")

    def _deadline(self) -> None:
        cut = self.on_deadline
        if cut is not None:
            log.warning("still busy %.0f s after the stop signal: cutting the IMAP connection", STOP_GRACE)
            cut()


# --- backoff


class Backoff:
    """Delays between connection attempts: exponential with jitter, capped; hours after repeated refusals."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not secrecy
        self.faults = 0
        self.refusals = 0

    def after_fault(self) -> float:
        """A network or server fault: 1 s, 2 s, 4 s ... 5 min, each drawn in its upper half."""
        self.faults += 1
        step = min(MAX_RETRY, FIRST_RETRY * 2.0 ** min(self.faults - 1, 30))
        return step * self.rng.uniform(0.5, 1.0)

    def after_refusal(self) -> float:
        """A refused login: like a fault twice (a server restarting its auth), then hours."""
        self.refusals += 1
        if self.refusals < REFUSALS_BEFORE_HOURS:
            return self.after_fault()
        hours = min(LOGIN_RETRY_MAX, LOGIN_RETRY * 2.0 ** min(self.refusals - REFUSALS_BEFORE_HOURS, 30))
        return hours * self.rng.uniform(1.0, 1.1)

    def logged_in(self) -> None:
        self.refusals = 0

    def worked(self) -> None:
        """A whole cycle went through: the next fault starts again from the first step."""
        self.faults = 0

    def forget(self) -> None:
        self.faults = self.refusals = 0


# --- the loop


class Loop:
    def __init__(self, cycle: Cycle, signals: Signals, notifier: Notifier, *,
                 loader: Loader | None = None, rng: random.Random | None = None, clock: Clock = boottime) -> None:
        self.cycle = cycle
        self.clock = clock  # what waits are timed on; self.now() (the wall clock) says what is due
        self.signals = signals
        self.notifier = notifier
        self.loader = loader
        self.backoff = Backoff(rng)
        self.wanted: str | None = None  # why the next cycle should run, when it should

    @property
    def settings(self) -> Settings:
        return self.cycle.settings

    @property
    def poll_seconds(self) -> float:
        return self.settings.scan.interval.total_seconds()

    def now(self) -> datetime:
        return datetime.now(self.cycle.settings.zone)

    def run(self) -> None:
        log.info("relance running (PID %d)%s", os.getpid(),
                 "; systemd notified" if self.notifier.enabled else "")
        try:
            while not self.signals.stop.is_set():
                if self.signals.reload.is_set():
                    self._reload()
                delay = self._attempt()
                if delay is not None:
                    self._pause(delay)
        except Stopped:
            pass
        log.info("stopping (%s)", ", ".join(self.signals.received) or "asked to")
        self.notifier.stopping()

    # --- connecting

    def _attempt(self) -> float | None:
        """Connect and serve until something breaks. The delay before the next attempt, or None: at once."""
        try:
            self._serve()
            return None
        except LoginRefused as exc:
            delay = self.backoff.after_refusal()
            hint = "; fix the password, then `relance check` (SIGHUP retries at once)" \
                if self.backoff.refusals >= REFUSALS_BEFORE_HOURS else ""
            log.error("%s (%d in a row); next attempt in %s%s", exc, self.backoff.refusals, human(delay), hint)
            reason = "login refused"
        except ConnectionFailed as exc:
            if self.signals.stop.is_set():  # the stop deadline cut the link: nothing to retry
                log.info("%s while stopping", exc)
                return None
            delay = self.backoff.after_fault()
            log.warning("%s; reconnecting in %s", exc, human(delay))
            reason = "connection lost"
        except SetupError as exc:  # a folder missing: retrying changes nothing until the user fixes it
            log.error("%s; relance waits until you fix it and reload (systemctl --user reload relance, "
                      "or SIGHUP); `relance check` shows the server's folders", one_line(str(exc)))
            self._offline(f"stopped: {one_line(str(exc))}; waiting for a reload")
            return math.inf
        except UserError as exc:  # an APPEND refused, a password command failing
            delay = self.backoff.after_fault()
            log.error("%s; retrying in %s", one_line(str(exc)), human(delay))
            reason = "error"
        except sqlite3.Error as exc:  # damaged, read-only or full: say what to do; the next attempt sees a fix
            delay = self.backoff.after_fault()
            log.error("%s; retrying in %s", database.trouble(self.cycle.store.path, exc), human(delay))
            reason = "records database error"
        except Exception as exc:  # a bug must not end the daemon: every unit of work is one transaction
            delay = self.backoff.after_fault()
            log.error("unexpected %s; retrying in %s", describe_error(exc), human(delay))
            log.debug("traceback of the unexpected error", exc_info=True)
            reason = "unexpected error"
        self._offline(f"{reason}; next attempt in {human(delay)}")
        return delay

    def _serve(self) -> None:
        settings = self.settings
        self.notifier.status(f"connecting to {settings.imap.host}")
        with connect(settings) as mailbox:
            self.backoff.logged_in()
            self.signals.on_deadline = mailbox.abort
            try:
                self._cycle(mailbox, "connected")
                self.backoff.worked()
                idle = self._idle_usable(mailbox)
                jobs = self._jobs(idle)
                while not self.signals.reload.is_set():
                    self._checkpoint()
                    if self.wanted:
                        self._cycle(mailbox, self.wanted)
                    self._wait(mailbox, jobs, idle)
                # SIGHUP: leave; run() reloads, and the next connection uses the new settings
            finally:
                self.signals.on_deadline = None

    def _idle_usable(self, mailbox: Mailbox) -> bool:
        imap = self.settings.imap
        if not imap.idle:
            log.info("polling %s every %s (imap.idle is off)", ", ".join(imap.folders), human(self.poll_seconds))
            return False
        if not mailbox.idle_supported():
            log.info("the server has no IDLE: polling every %s", human(self.poll_seconds))
            return False
        log.info("waiting for mail in IDLE on %s (renewed every %s)", imap.folders[0],
                 human(imap.idle_renew.total_seconds()))
        return True

    def _offline(self, text: str) -> None:
        if self.notifier.ready_sent:
            self.notifier.status(text)
        else:
            # the retry loop is the service's normal state offline: do not hold `systemctl start` for hours
            self.notifier.ready(text)

    def _pause(self, delay: float) -> None:
        """Sleep before the next attempt, awake to signals, pinging the watchdog."""
        deadline = self.clock() + delay
        while not (self.signals.stop.is_set() or self.signals.reload.is_set()):
            remaining = deadline - self.clock()
            if remaining <= 0:
                return
            self._sleep(min(remaining, self._longest_wait()))
            self.signals.drain()
            self.notifier.watchdog()

    # --- cycles and waits

    def _cycle(self, mailbox: Mailbox, why: str) -> None:
        log.debug("cycle: %s", why)
        self.wanted = None
        self.cycle.run(self.now(), mailbox, self._checkpoint)
        self.notifier.watchdog()
        status = status_line(self.cycle, self.now())
        if self.notifier.ready_sent:
            self.notifier.status(status)
        else:
            self.notifier.ready(status)

    def want(self, why: str) -> None:
        if not self.wanted:
            self.wanted = why

    def _wait(self, mailbox: Mailbox, jobs: Timers, idle: bool) -> None:
        """Until a cycle is wanted or a signal arrives: in IDLE, or asleep between polls."""
        if self._interrupted():
            return
        if not idle:
            while not self._interrupted():
                self._sleep(self._timeout(jobs))
                self._tick(jobs)
            return
        with IdleSession(mailbox, self.settings.imap.folders[0]) as session:
            if session.missed:
                self.want("mail arrived before IDLE began")
            while not self._interrupted():
                if session.wait(self._timeout(jobs), self.signals.fileno()):
                    self.want("new mail")
                self._tick(jobs)

    def _interrupted(self) -> bool:
        return bool(self.wanted) or self.signals.stop.is_set() or self.signals.reload.is_set()

    def _tick(self, jobs: Timers) -> None:
        self.signals.drain()
        self.notifier.watchdog()
        jobs.run_pending()

    def _timeout(self, jobs: Timers) -> float:
        until_job = jobs.idle_seconds
        longest = self._longest_wait()
        return max(0.0, min(longest, until_job if until_job is not None else longest))

    def _longest_wait(self) -> float:
        ping = self.notifier.watchdog_interval
        return min(LONGEST_WAIT, ping) if ping else LONGEST_WAIT

    def _sleep(self, seconds: float) -> None:
        select.select([self.signals.fileno()], [], [], max(0.0, seconds))

    # --- periodic jobs: local work only; IMAP work is asked for with want()

    def _jobs(self, idle: bool) -> Timers:
        jobs = Timers(self.clock)
        every(jobs, DUE_CHECK, "due follow-ups", self._check_due)
        every(jobs, CALENDAR_REFRESH, "calendar export", self._export_calendar)
        imap = self.settings.imap
        if idle:
            every(jobs, imap.idle_renew, "IDLE renewal", lambda: self.want("IDLE renewal"))
        if not idle or len(imap.folders) > 1:
            every(jobs, self.settings.scan.interval, "poll", lambda: self.want("poll"))
        return jobs

    def _check_due(self) -> None:
        if self.cycle.store.due(self.now(), DRAFTED_KINDS):
            self.want("follow-up due")

    def _export_calendar(self) -> None:
        self.cycle.publisher.export_calendar(self.now())

    # --- stop and reload

    def _checkpoint(self) -> None:
        """Between two units of work: ping the watchdog, and leave if a stop was asked for."""
        self.notifier.watchdog()
        self.signals.raise_if_stopped()

    def _reload(self) -> None:
        self.signals.reload.clear()
        if self.loader is None:
            return
        self.notifier.reloading()
        try:
            settings, rule_set = self.loader()
        except UserError as exc:
            log.error("reload refused, keeping the running configuration: %s", one_line(str(exc)))
        else:
            self._apply(settings, rule_set)
        self.notifier.ready(status_line(self.cycle, self.now()))

    def _apply(self, settings: Settings, rule_set: list[rules.Rule]) -> None:
        old = self.settings
        if settings.storage_path != old.storage_path:
            log.warning("reload: storage.path changed; %s stays in use until relance restarts", old.storage_path)
            settings = dataclasses.replace(settings, storage_path=old.storage_path, data_dir=old.data_dir)
        self.cycle.reconfigure(settings, rule_set)
        self.backoff.forget()  # a new configuration deserves a fresh first attempt
        log.info("configuration reloaded from %s (%s)", settings.source, counted(len(rule_set), "rule"))


# --- helpers


def every(jobs: Timers, period: timedelta, name: str, func: Callable[[], None]) -> None:
    """Run func every period. A job that raises is logged and runs again at its next time."""

    seconds = max(1, round(period.total_seconds()))

    def guarded() -> None:
        try:
            func()
        except Exception as exc:
            log.error("job %r failed: %s; it runs again in %s", name, describe_error(exc), human(seconds))

    jobs.every(seconds, name, guarded)


def status_line(cycle: Cycle, now: datetime) -> str:
    """What systemctl status shows: "watching INBOX, 3 interviews, 1 to review, next follow-up Tue 17:15"."""
    records = cycle.store.interviews(include_ended=False)
    interviews = [i for i in records if i.status != NEEDS_REVIEW]
    upcoming = [f.due for i in interviews for f in i.followups if f.state == "pending" and f.due >= now]
    parts = [f"watching {', '.join(cycle.settings.imap.folders)}",
             f"{len(interviews)} interview{'' if len(interviews) == 1 else 's'}"]
    if len(records) > len(interviews):
        parts.append(f"{len(records) - len(interviews)} to review (relance list)")
    if upcoming:
        parts.append("next follow-up " + short_time(min(upcoming), now, cycle.settings.zone))
    blocked = [f"#{f.interview_id} {f.kind}" for i in interviews for f in i.followups if f.state == "blocked"]
    if blocked:
        parts.append(f"{len(blocked)} blocked ({', '.join(blocked)}: relance list)")
    return ", ".join(parts)


def short_time(when: datetime, now: datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    within_a_week = when - now < timedelta(days=6)
    return local.strftime("%a %H:%M" if within_a_week else "%a %d %b %H:%M")


def human(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
