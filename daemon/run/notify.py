# SPDX-License-Identifier: MIT
"""Tell systemd how the daemon is doing (sd_notify), for ``Type=notify`` and ``WatchdogSec=``.

The protocol is one datagram of ``KEY=VALUE`` lines sent to the AF_UNIX socket
named by ``$NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace).
It is small and stable, so it is written here rather than pulled in as a
dependency (systemd-python needs libsystemd headers to build; the pure-Python
``sdnotify`` package is unmaintained). Outside systemd every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)

SOCKET_ENV = "NOTIFY_SOCKET"
WATCHDOG_USEC_ENV = "WATCHDOG_USEC"
WATCHDOG_PID_ENV = "WATCHDOG_PID"


class Notifier:
    """Sends READY, STATUS, WATCHDOG, RELOADING and STOPPING to systemd when it listens."""

    def __init__(self, address: str | None, watchdog_usec: int | None = None) -> None:
        self.address = address
        self.watchdog_usec = watchdog_usec
        self.ready_sent = False
        self._last_status: str | None = None

    @classmethod
    def from_environment(cls) -> Notifier:
        """Read and remove the variables, so that helper commands we run cannot speak for us."""
        address = os.environ.pop(SOCKET_ENV, None) or None
        usec_text = os.environ.pop(WATCHDOG_USEC_ENV, None)
        pid_text = os.environ.pop(WATCHDOG_PID_ENV, None)
        return cls(address, _watchdog_usec(usec_text, pid_text))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def watchdog_interval(self) -> float | None:
        """How often to ping, in seconds: half the watchdog timeout, as sd_watchdog_enabled(3) advises."""
        if self.watchdog_usec is None:
            return None
        return self.watchdog_usec / 2_000_000

    def ready(self, status: str | None = None) -> None:
        self.ready_sent = True
        self._send("READY=1", *self._status_field(status))

    def status(self, text: str) -> None:
        if text != self._last_status:
            self._send(*self._status_field(text))

    def watchdog(self) -> None:
        if self.watchdog_usec is not None:
            self._send("WATCHDOG=1")

    def reloading(self) -> None:
        self._send("RELOADING=1")

    def stopping(self) -> None:
        self._send("STOPPING=1", *self._status_field("stopping"))

    def _status_field(self, text: str | None) -> tuple[str, ...]:
        if text is None:
            return ()
        self._last_status = text
        return ("STATUS=" + " ".join(text.split()),)  # one line: a newline would end the field

    def _send(self, *fields: str) -> None:
        if self.address is None or not fields:
            return
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(target)
                sock.sendall("\n".join(fields).encode("utf-8"))
        except OSError as exc:
            # systemd gone (or a test socket closed): the daemon's work goes on regardless
            log.debug("sd_notify to %s failed: %s", self.address, exc.strerror or type(exc).__name__)


def _watchdog_usec(usec_text: str | None, pid_text: str | None) -> int | None:
    if not usec_text:
        return None
    if pid_text and pid_text != str(os.getpid()):
        return None  # meant for another process (we were started by a wrapper that did not reset it)
    try:
        usec = int(usec_text)
    except ValueError:
        log.warning("ignoring %s=%r: not a number of microseconds", WATCHDOG_USEC_ENV, usec_text)
        return None
    return usec if usec > 0 else None
