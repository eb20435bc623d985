# SPDX-License-Identifier: MIT
"""The calendar feed under a connection flood never takes the daemon down with it.

`relance run` serves the feed in its own process, so every connection a client
opens is one of the daemon's file descriptors. The daemon here runs with a low
RLIMIT_NOFILE and a flood of connections that never send a byte: mail that
arrives meanwhile must still be recorded and reach the calendar file, and a
calendar app asking for the feed must still be served.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from daemon.followups.feed import CONNECTION_DEADLINE, READ_TIMEOUT
from tests.conftest import SAMPLES, Env
from tests.harness.daemon_process import DaemonProcess, dated_now, query, wait_until
from tests.test_feed import free_port

FLOOD = 400  # silent connections, far more than the descriptors the daemon is left
SPARE_DESCRIPTORS = 40  # what the daemon may open beyond those it holds once idling


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@contextlib.contextmanager
def flood(port: int, count: int) -> Iterator[list[socket.socket]]:
    """Connections opened one after the other and held without sending anything, like a slowloris
    client; it gives up after a few connections in a row that the server no longer completes."""
    held: list[socket.socket] = []
    failed_in_a_row = 0
    try:
        while len(held) < count and failed_in_a_row < 10:
            conn = socket.socket()
            held.append(conn)
            conn.settimeout(0.2)
            failed_in_a_row = failed_in_a_row + 1 if conn.connect_ex(("127.0.0.1", port)) else 0
        yield held
    finally:
        for conn in held:
            conn.close()


def fetch_within(url: str, bound: float) -> tuple[int, bytes]:
    """What a calendar app gets, retrying as one does, for up to bound seconds."""
    deadline = time.monotonic() + bound
    while True:
        try:
            with urllib.request.urlopen(url, timeout=READ_TIMEOUT) as response:
                return response.status, response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def interviews(db: Path) -> int:
    rows = query(db, "SELECT count(*) FROM interviews")
    return int(rows[0][0]) if rows else 0


def test_a_connection_flood_under_a_low_descriptor_limit_leaves_the_daemon_and_the_feed_working(env: Env) -> None:
    port = free_port()
    env.write_config(imap__idle=True, calendar__serve={"enabled": True, "bind": "127.0.0.1", "port": port})
    url = env.relance("calendar", "--url").out.strip()
    with DaemonProcess(env.config_path) as daemon:
        daemon.wait_for(r"waiting for mail in IDLE on INBOX")
        limit = open_descriptors(daemon.pid) + SPARE_DESCRIPTORS
        resource.prlimit(daemon.pid, resource.RLIMIT_NOFILE, (limit, limit))

        with flood(port, FLOOD):
            env.server.append("INBOX", dated_now((SAMPLES / "01-google-invite-acme.eml").read_bytes()))
            wait_until(lambda: interviews(env.home / "relance.db") == 1, 30, "the invitation's record")
            wait_until(lambda: b"Acme" in env.calendar_path.read_bytes(), 30, "the calendar file rewritten")

            # the flood holds every slot until its read timeout: a client's retry gets through after it
            status, body = fetch_within(url, READ_TIMEOUT + CONNECTION_DEADLINE + 5)
            assert status == 200 and body == env.calendar_path.read_bytes()
            assert open_descriptors(daemon.pid) < limit

        code, _ = daemon.stop()
        log = daemon.log()
    assert code == 0, log
    assert "connections closed at once" in log
    assert "Traceback" not in log
