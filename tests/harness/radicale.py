# SPDX-License-Identifier: MIT
"""A throwaway Radicale CalDAV server on 127.0.0.1 for the tests of calendar.caldav.

Its own config, htpasswd file (plain entries: Radicale reads them without
extra packages) and storage folder in one directory, on a free port; it can be
stopped and started again on the same port with the same storage ("server down,
then up").

    with start_radicale() as server:
        url = server.new_calendar()      # a fresh, empty calendar collection
        ...
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import caldav

HOST = "127.0.0.1"
USER = "alice"
START_TIMEOUT = 15.0


class RadicaleError(RuntimeError):
    """Radicale would not start or stop."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Radicale:
    workdir: Path
    port: int
    user: str = USER
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.workdir / "radicale.log"

    def write_config(self) -> Path:
        users = self.workdir / "users"
        users.write_text(f"{self.user}:{self.password}\n", encoding="utf-8")
        users.chmod(0o600)
        config = self.workdir / "config"
        config.write_text(
            "[server]\n"
            f"hosts = {HOST}:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {self.workdir / 'collections'}\n"
            "[logging]\n"
            "level = warning\n",
            encoding="utf-8")
        return config

    def start(self) -> None:
        if self.proc is not None:
            return
        config = self.write_config()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RadicaleError(f"radicale did not start on {HOST}:{self.port}:\n"
                                    + self.log_path.read_text(errors="replace"))
            time.sleep(0.05)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def client(self, password: str | None = None) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.base, username=self.user, password=password or self.password)

    def new_calendar(self) -> str:
        """A new, empty calendar collection of the user; its URL."""
        url = f"{self.base}{self.user}/test-{secrets.token_hex(6)}/"
        with self.client() as client:
            client.principal()  # Radicale creates the user's principal collection on first use
            response = client.mkcalendar(url)
            if response.status not in (200, 201):
                raise RadicaleError(f"MKCALENDAR {url}: {response.status}")
        return url


@contextlib.contextmanager
def start_radicale() -> Iterator[Radicale]:
    """A started Radicale, stopped and its directory removed on exit."""
    workdir = Path(tempfile.mkdtemp(prefix="relance-radicale-"))
    server = Radicale(workdir, _free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
