# SPDX-License-Identifier: MIT
"""A testing aid: end the process hard at a named step of a cycle, to prove that a restart converges.

``RELANCE_TEST_CRASH_AT=STEP`` (or ``STEP:N`` for the N-th time the cycle
passes STEP) makes relance call ``os._exit(86)`` there: no commit, no logout,
no cleanup, as a power cut or ``kill -9`` would. With
``RELANCE_TEST_CRASH_SIGNAL=TERM`` (or ``HUP``…) it sends itself that signal
at that point instead and carries on, which pins a signal to an exact moment.
Never set these outside tests.
"""

from __future__ import annotations

import logging
import os
import signal

log = logging.getLogger(__name__)

CRASH_ENV = "RELANCE_TEST_CRASH_AT"
SIGNAL_ENV = "RELANCE_TEST_CRASH_SIGNAL"
CRASH_EXIT = 86

# The steps of one cycle, in the order a cycle passes them.
STEPS = (
    "message-applied",    # a message's effect written, its transaction not yet committed
    "message-committed",  # a message's unit with the folder's high-water mark ended (in the scan: inside a batch)
    "batch-committed",    # a batch of the scan committed: its messages and the folder's high-water mark
    "sent-applied",       # what a message the user sent says written, its transaction not yet committed
    "sent-committed",     # that message and the Sent folder's high-water mark committed
    "scanned",            # every watched folder and the Sent folder scanned
    "draft-intent",       # a draft's Message-ID recorded, nothing appended yet
    "draft-appended",     # the draft APPENDed to Drafts, the follow-up not yet marked done
    "draft-done",         # the follow-up marked done
    "acted",              # every due follow-up handled, the calendar not yet written
    "cycle-done",         # the calendar written
)

# With calendar.caldav, inside the calendar export (between "acted" and "cycle-done").
CALDAV_STEPS = (
    "caldav-read",        # relance's events read back, the user's moves and deletes committed, nothing written
    "caldav-written",     # a PUT or DELETE sent, what the server now holds not yet committed
)

_passes: dict[str, int] = {}


def crash_point(step: str) -> None:
    """Die here (or signal ourselves) when the testing aid asks for this step."""
    if step not in STEPS and step not in CALDAV_STEPS:
        raise ValueError(f"unknown crash point {step!r}")
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    _passes[step] = _passes.get(step, 0) + 1
    if _passes[step] != (int(nth) if nth.isdigit() else 1):
        return
    signame = os.environ.get(SIGNAL_ENV)
    if signame:
        log.warning("%s: sending SIG%s to ourselves at %s", CRASH_ENV, signame, wanted)
        os.kill(os.getpid(), signal.Signals["SIG" + signame.upper().removeprefix("SIG")])
        return
    log.warning("%s: exiting hard at %s", CRASH_ENV, wanted)
    logging.shutdown()  # flush that line; nothing else is saved
    os._exit(CRASH_EXIT)
