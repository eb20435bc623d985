# SPDX-License-Identifier: MIT
"""The daemon's periodic jobs (the due check, IDLE renewal, polling, the calendar export), timed by a
clock the system time cannot move.

A job's next run is a point on CLOCK_BOOTTIME, never on the wall clock: a
backward step of the system clock (an NTP correction, a wrong RTC fixed by
hand) would otherwise hold every job back for as long as the step, as it did
with the ``schedule`` library. What is *due* is still judged on the wall
clock, by the jobs themselves (the records hold due times as dates).
CLOCK_BOOTTIME, unlike CLOCK_MONOTONIC, goes on while a laptop sleeps: a
job whose time passed during a suspend runs at once on resume.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


def boottime() -> float:
    """Seconds on a clock that only goes forward, suspends included."""
    clock = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    return time.clock_gettime(clock)


@dataclass
class Timer:
    interval: float  # seconds between two runs
    name: str
    func: Callable[[], None]
    next_at: float  # on the Timers' clock


class Timers:
    """Jobs run every so many seconds of ``clock``. Not threaded: the loop calls run_pending between waits."""

    def __init__(self, clock: Clock = boottime) -> None:
        self.clock = clock
        self.jobs: list[Timer] = []

    def every(self, seconds: float, name: str, func: Callable[[], None]) -> None:
        self.jobs.append(Timer(seconds, name, func, self.clock() + seconds))

    @property
    def idle_seconds(self) -> float | None:
        """Seconds until the next job is due (negative when one is late), None without jobs."""
        if not self.jobs:
            return None
        return min(job.next_at for job in self.jobs) - self.clock()

    def run_pending(self) -> None:
        """Run every job whose time has come, once each, however late (a long cycle, a suspend)."""
        for job in list(self.jobs):
            now = self.clock()
            if now >= job.next_at:
                job.next_at = now + job.interval  # set first: a job that raises still waits its turn
                job.func()
