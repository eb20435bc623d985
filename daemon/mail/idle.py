# SPDX-License-Identifier: MIT
"""Waiting for new mail: one IDLE command (RFC 2177) on a logged-in Mailbox, spoken here rather than
through imap-tools, so that a dead connection is an error and never a silence."""

from __future__ import annotations

import contextlib
import imaplib
import io
import itertools
import logging
import re
import select
import ssl
import time
from types import TracebackType
from typing import cast

from daemon.mail.imapdata import ConnectionFailed, ImapError, short_repr
from daemon.mail.mailbox import Mailbox
from daemon.text import describe_error

log = logging.getLogger(__name__)

_UNTAGGED_COUNT_RE = re.compile(rb"\* \d+ (EXISTS|RECENT|EXPUNGE|FETCH)\b", re.IGNORECASE)
_LITERAL_RE = re.compile(rb"\{(\d+)\+?\}\r?\n?$")
_idle_tags = itertools.count(1)


class IdleSession:
    """One IDLE command (RFC 2177), spoken here rather than through imap-tools.

    imap-tools' ``idle.poll()`` returns an empty list when the connection died,
    which looks like "no news" forever; here end of file, a BYE and a broken
    socket all raise ConnectionFailed. The lines are read with imaplib's public
    ``readline``/``send`` under a tag of our own, so imaplib's state is untouched.
    """

    def __init__(self, mailbox: Mailbox, folder: str) -> None:
        self.mailbox = mailbox
        self.folder = folder
        self.tag = b"RLIDLE%d" % next(_idle_tags)
        self.changed = False  # the server announced new (or removed) mail
        self.missed = False  # mail came between the last STATUS and this IDLE: IDLE will not announce it

    def __enter__(self) -> IdleSession:
        self.mailbox.examine(self.folder)
        self.missed = self._arrived_since_status()
        self.mailbox.commands += 1
        self._send(self.tag + b" IDLE\r\n")
        while True:
            line = self._read_line()
            if line.startswith(b"+"):
                return self
            if line.startswith(self.tag + b" "):
                raise ImapError(f"imap: IDLE refused: {short_repr(line.strip())}")
            self._note(line)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None:
            return  # the connection is broken or being left: LOGOUT follows, no DONE to wait for
        self._send(b"DONE\r\n")
        while True:
            line = self._read_line()
            if line.startswith(self.tag + b" "):
                if line[len(self.tag) + 1:].upper().startswith(b"OK"):
                    return
                raise ImapError(f"imap: IDLE ended with {short_repr(line.strip())}")
            self._note(line)

    def wait(self, timeout: float, wake_fd: int | None = None) -> bool:
        """Wait up to timeout seconds. True when the server announced a change; False on
        timeout or when wake_fd became readable (a signal). Raises ConnectionFailed on EOF or BYE."""
        deadline = time.monotonic() + max(0.0, timeout)
        client = self.mailbox.client
        watched = [client.socket()] + ([wake_fd] if wake_fd is not None else [])
        while True:
            if _buffered(client):
                if self._note(self._read_line()):
                    return True
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                ready, _, _ = select.select(watched, [], [], remaining)
            except (OSError, ValueError) as exc:
                raise ConnectionFailed(f"imap: connection lost during IDLE: {describe_error(exc)}") from None
            if wake_fd is not None and wake_fd in ready:
                return False
            if ready and self._note(self._read_line()):
                return True

    def _arrived_since_status(self) -> bool:
        """Compare the UIDNEXT and UIDVALIDITY that EXAMINE just reported with the last STATUS."""
        seen = self.mailbox.last_status.get(self.folder)
        if seen is None:
            return False
        client = self.mailbox.client
        now = []
        for code in ("UIDVALIDITY", "UIDNEXT"):
            _typ, data = client.response(code)
            values = [d for d in data or [] if isinstance(d, bytes) and d.strip().isdigit()]
            if not values:
                return False  # the server did not say: nothing to compare
            now.append(int(values[-1]))
        return (now[0], now[1]) != (seen.uidvalidity, seen.uidnext)

    def _note(self, line: bytes) -> bool:
        """Take in one untagged line; True when it says the folder changed."""
        if line.startswith(b"* BYE"):
            raise ConnectionFailed(f"imap: server said BYE during IDLE: {short_repr(line[5:].strip())}")
        literal = _LITERAL_RE.search(line)
        if literal:  # a FETCH with a literal: skip it whole so the next line starts clean
            self._read_exactly(int(literal[1]))
            self._read_line()
        if _UNTAGGED_COUNT_RE.match(line):
            self.changed = True
            log.debug("IDLE on %s: %s", self.folder, line.strip()[:60].decode("ascii", "replace"))
            return True
        return False

    def _send(self, data: bytes) -> None:
        try:
            self.mailbox.client.send(data)
        except OSError as exc:
            raise ConnectionFailed(f"imap: connection lost during IDLE: {describe_error(exc)}") from None

    def _read_line(self) -> bytes:
        try:
            line = bytes(self.mailbox.client.readline())
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ConnectionFailed(f"imap: connection lost during IDLE: {describe_error(exc)}") from None
        if not line:
            raise ConnectionFailed("imap: the server closed the connection during IDLE")
        return line

    def _read_exactly(self, size: int) -> None:
        try:
            data = self.mailbox.client.read(size)
        except OSError as exc:
            raise ConnectionFailed(f"imap: connection lost during IDLE: {describe_error(exc)}") from None
        if len(data) < size:
            raise ConnectionFailed("imap: the server closed the connection during IDLE")


def _buffered(client: imaplib.IMAP4) -> bool:
    """Whether a response already sits in imaplib's read buffer, where select() cannot see it."""
    sock = client.socket()
    reader = cast(io.BufferedReader, client.file)
    try:
        previous = sock.gettimeout()
        sock.settimeout(0.0)
    except OSError:
        return True  # a closed socket: let the read that follows report it
    try:
        return bool(reader.peek(1))
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    except (OSError, ValueError):
        return True
    finally:
        with contextlib.suppress(OSError):
            sock.settimeout(previous)
