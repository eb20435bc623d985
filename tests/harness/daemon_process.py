# SPDX-License-Identifier: MIT
"""`relance run` as a real subprocess for the tests: its log, its signals, its exit, all bounded in time."""

from __future__ import annotations

import email.utils
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
STOP_BOUND = 10.0  # seconds the issue allows between SIGTERM and a clean exit


class DaemonProcess:
    """One `python -m daemon --config CONFIG -v run ...`; stderr goes to a file the test reads."""

    def __init__(self, config: Path, *run_args: str, env: Mapping[str, str] | None = None,
                 verbose: bool = True) -> None:
        self.config = config
        self.log_path = config.with_name(f"daemon-{time.monotonic_ns()}.log")
        command = [sys.executable, "-m", "daemon", "--config", str(config)]
        command += ["-v"] if verbose else []
        command += ["run", *run_args]
        child_env = {k: v for k, v in os.environ.items()
                     if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM")}
        child_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        child_env.update(env or {})
        with open(self.log_path, "wb") as stderr:
            self.proc = subprocess.Popen(command, cwd=REPO, env=child_env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=stderr)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 10.0, start: int = 0) -> re.Match[str]:
        """The first match of pattern in the log after offset start, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            text = self.log()
            match = compiled.search(text, start)
            if match:
                return match
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon exited ({self.proc.returncode}) before {pattern!r}:\n{text}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {pattern!r} in the daemon log within {timeout} s:\n{text}")
            time.sleep(0.05)

    def mark(self) -> int:
        """An offset to pass to wait_for: only what the daemon logs from now on counts."""
        return len(self.log())

    def send(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def stop(self, sig: signal.Signals = signal.SIGTERM, bound: float = STOP_BOUND) -> tuple[int, float]:
        """Signal it and wait; (exit code, seconds it took). Fails when it outlives the bound."""
        began = time.monotonic()
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"daemon still running {bound} s after {sig.name}:\n{self.log()}") from None
        return code, time.monotonic() - began

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"daemon did not exit within {timeout} s:\n{self.log()}") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> DaemonProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def run_daemon_once(config: Path, now: str, env: Mapping[str, str] | None = None,
                    timeout: float = 60.0) -> tuple[int, str]:
    """`run --once --now NOW` as a subprocess: (exit code, its log)."""
    with DaemonProcess(config, "--once", "--now", now, env=env) as daemon:
        code = daemon.wait(timeout)
        return code, daemon.log()


def query(database: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the records database the way another process would, read-only."""
    if not database.exists():
        return []
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        return list(db.execute(sql, params).fetchall())
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    finally:
        db.close()


def wait_until(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> float:
    """Seconds until condition() held; fails after timeout."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(step)
    return time.monotonic() - began


def dated_now(raw: bytes) -> bytes:
    """The message with today's Date: the daemon runs on the real clock, and mail older than
    scan.lookback_days would be out of its sight once the samples' dates are long past."""
    stamp = email.utils.format_datetime(datetime.now(UTC)).encode()
    head, sep, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    head = re.sub(rb"(?mi)^Date:[^\r\n]*", b"Date: " + stamp, head, count=1)
    return head + sep + body
