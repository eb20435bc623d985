# SPDX-License-Identifier: MIT
"""A throwaway Dovecot IMAP server on 127.0.0.1 for the tests, the demo and the benchmarks.

Each instance gets its own dovecot.conf, certificate, user and maildir inside one
directory, and listens on free ports: it never touches the system Dovecot.

    with start_dovecot() as server:
        server.append("INBOX", raw)
        ...

or, detached, for `make demo`:

    python -m tests.harness.dovecot start --dir .demo/dovecot
    python -m tests.harness.dovecot stop --dir .demo/dovecot
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import email.utils
import functools
import imaplib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.harness.dovecot_config import (
    HOST,
    Accounts,
    DovecotError,
    find_accounts,
    make_certificate,
    render_conf,
)
from tests.harness.dovecot_config import SENT_FOLDER as SENT_FOLDER  # the tests find it here

log = logging.getLogger(__name__)

DEFAULT_USER = "alice"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
STATE_FILE = "dovecot.json"
# The \Sent folder under a localised name, as Outlook and many French servers call it: relance must
# find it by its special-use flag (RFC 6154), and speak its name in modified UTF-7.

# Unix socket paths are limited to 107 bytes and the longest one Dovecot puts
# under base_dir is "token-login/imap-urlauth".
_MAX_BASE_DIR_LEN = 72
_SEARCH_PATH = ("/usr/sbin", "/usr/local/sbin", "/sbin")




def ensure_dovecot_installed() -> Path:
    """Return the dovecot binary; fail loudly, since tests must never skip for want of it."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path=os.pathsep.join(_SEARCH_PATH))
    if found is None:
        raise DovecotError(
            "dovecot is not installed (looked in PATH and /usr/sbin): "
            "run tests/install-dovecot.sh, or install the dovecot-imapd package"
        )
    binary = Path(found)
    _check_version(binary)
    return binary


@functools.cache
def _check_version(binary: Path) -> str:
    # The configuration below is in 2.3 syntax; 2.4 renamed most settings.
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    version = out.stdout.strip()
    if not version.startswith("2.3."):
        raise DovecotError(f"{binary} is version {version or '?'}; the test harness needs Dovecot 2.3")
    return version


def _free_ports(count: int) -> list[int]:
    # Hold all sockets open until every port is known, so no two are the same.
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in socks]


def quote_mailbox(mailbox: str) -> str:
    # imaplib sends arguments verbatim; mailbox names need IMAP quoting, and modified UTF-7 (RFC 3501, 5.1.3).
    from imap_tools.imap_utf7 import utf7_encode

    encoded = utf7_encode(mailbox).decode("ascii")
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _internal_date(raw: bytes) -> datetime | None:
    header = email.parser.BytesHeaderParser().parsebytes(raw).get("Date")
    if header is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(str(header))
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" means an unknown zone; UTC is as good a guess as any.
    return when if when.tzinfo else when.replace(tzinfo=UTC)


_FETCH_UID = re.compile(rb"\bUID (\d+)")
_FETCH_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]")


def _parse_fetch(data: list[object]) -> list[tuple[int, tuple[str, ...], bytes]]:
    found = []
    for item in data:
        # Literal-bearing responses come as (header, literal); the rest is ")" or noise.
        if not isinstance(item, tuple):
            continue
        head, body = item
        uid, flags = _FETCH_UID.search(head), _FETCH_FLAGS.search(head)
        if uid is None or flags is None:
            raise DovecotError(f"unexpected FETCH response: {head!r}")
        # \Recent belongs to a session, not to the message.
        names = tuple(f for f in flags.group(1).decode().split() if f != "\\Recent")
        found.append((int(uid.group(1)), names, bytes(body)))
    return sorted(found)


@dataclass
class Dovecot:
    """One throwaway Dovecot instance; build it with Dovecot.create or start_dovecot."""

    workdir: Path
    port: int
    tls_port: int
    user: str = DEFAULT_USER
    password: str = ""
    host: str = HOST
    base_dir: Path = field(default=Path(), repr=False)
    _binary: Path = field(default=Path("dovecot"), repr=False)
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _owned_dirs: list[Path] = field(default_factory=list, repr=False)
    _log_marks: dict[Path, int] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, workdir: Path | None = None, *, user: str = DEFAULT_USER, password: str | None = None) -> Dovecot:
        """Write certificate, passwd file and dovecot.conf; do not start yet.

        A workdir made here is removed by close(); a given one is kept.
        """
        if not re.fullmatch(r"[A-Za-z0-9._@+-]+", user):
            raise DovecotError(f"user name {user!r} does not fit in a passwd file")
        if workdir is not None and re.search(r"[\s\"'\\]", str(workdir)):
            # dovecot.conf has no quoting for paths inside passdb/userdb args.
            raise DovecotError(f"workdir {workdir} has spaces or quotes, which dovecot.conf cannot take")
        binary = ensure_dovecot_installed()
        owned = []
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix="relance-dovecot-"))
            owned.append(workdir)
        workdir = workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        base_dir = workdir / "run"
        if len(str(base_dir)) > _MAX_BASE_DIR_LEN:
            base_dir = Path(tempfile.mkdtemp(prefix="relance-dovecot-run-"))
            owned.append(base_dir)
        port, tls_port = _free_ports(2)
        server = cls(
            workdir=workdir,
            port=port,
            tls_port=tls_port,
            user=user,
            password=password or secrets.token_urlsafe(12),
            base_dir=base_dir,
            _binary=binary,
            _owned_dirs=owned,
        )
        server._prepare()
        return server

    @property
    def conf_path(self) -> Path:
        return self.workdir / "dovecot.conf"

    @property
    def log_path(self) -> Path:
        return self.workdir / "dovecot.log"

    @property
    def ca_file(self) -> Path:
        """The self-signed server certificate, which is also its own CA."""
        return self.workdir / "cert.pem"

    @property
    def key_file(self) -> Path:
        return self.workdir / "key.pem"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _prepare(self) -> None:
        accounts = find_accounts()
        for sub in ("state", "mail"):
            (self.workdir / sub).mkdir(exist_ok=True)
        home = self.workdir / "mail" / self.user
        home.mkdir(exist_ok=True)
        if accounts.as_root:
            os.chown(home, accounts.mail_uid, accounts.mail_gid)
        if not self.ca_file.exists() or not self.key_file.exists():
            make_certificate(self.ca_file, self.key_file)
        passwd = self.workdir / "passwd"
        passwd.write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n", encoding="utf-8")
        passwd.chmod(0o600)
        self._write_conf(accounts)

    def _write_conf(self, accounts: Accounts | None = None) -> None:
        self.conf_path.write_text(render_conf(self, accounts or find_accounts()))

    def start(self) -> None:
        """Start Dovecot and wait until it greets; on a port race, retry once on new ports."""
        try:
            self._start_once()
        except DovecotError as exc:
            if "Address already in use" not in str(exc) or self._has_data():
                raise
            log.info("port race on %d/%d, picking new ports", self.port, self.tls_port)
            self.port, self.tls_port = _free_ports(2)
            self._write_conf()
            self._start_once()

    def _has_data(self) -> bool:
        # Once mail exists the ports are part of what restart() promises to keep.
        return (self.workdir / "mail" / self.user / "Maildir").exists()

    def _start_once(self) -> None:
        if self.running:
            return
        began = time.monotonic()
        # Errors should show what this start wrote, not an earlier run's lines.
        self._log_marks = {path: _size(path) for path in self._log_files()}
        self.base_dir.mkdir(parents=True, exist_ok=True)
        # A master.pid left by kill() may name a pid that is now someone else's.
        (self.base_dir / "master.pid").unlink(missing_ok=True)
        with open(self.workdir / "dovecot.stderr", "ab") as stderr:
            self._proc = subprocess.Popen(
                [self._binary, "-F", "-c", self.conf_path],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                # Its own process group, so stop() can reap every child and
                # so a detached instance outlives the CLI that started it.
                start_new_session=True,
            )
        try:
            self._wait_ready(began + START_TIMEOUT)
        except DovecotError:
            self._terminate(signal.SIGKILL)
            raise
        took = time.monotonic() - began
        log.info("dovecot up on %s:%d (tls %d) in %.2fs", self.host, self.port, self.tls_port, took)

    def _wait_ready(self, deadline: float) -> None:
        assert self._proc is not None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise DovecotError(f"dovecot exited with status {self._proc.returncode}\n{self.log_tail()}")
            if self._greets():
                return
            time.sleep(0.02)
        where = f"{self.host}:{self.port}"
        raise DovecotError(f"dovecot did not answer on {where} within {START_TIMEOUT:.0f}s\n{self.log_tail()}")

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as sock:
                return sock.recv(256).startswith(b"* OK")
        except OSError:
            return False

    def _log_files(self) -> tuple[Path, Path]:
        return self.log_path, self.workdir / "dovecot.stderr"

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the Dovecot log and its stderr got since the last start."""
        parts = []
        for path in self._log_files():
            if not path.exists():
                continue
            with path.open("rb") as stream:
                stream.seek(self._log_marks.get(path, 0))
                tail = stream.read().decode(errors="replace").splitlines()[-lines:]
            if tail:
                parts.append(f"--- {path}\n" + "\n".join(tail))
        return "\n".join(parts) or "(dovecot wrote no log)"

    def stop(self) -> None:
        """Shut Dovecot down, dropping every client; keep the configuration and mail."""
        self._terminate(signal.SIGTERM)

    def kill(self) -> None:
        """Kill Dovecot abruptly, like a crash; start() brings it back with the same mail."""
        self._terminate(signal.SIGKILL)

    def restart(self) -> None:
        """Stop and start again on the same ports with the same data."""
        self.stop()
        self._start_once()

    def close(self) -> None:
        """Kill Dovecot and remove the directories create() made."""
        # A graceful stop costs Dovecot's master about a second; nothing of
        # this instance is worth it.
        self.kill()
        for path in self._owned_dirs:
            shutil.rmtree(path, ignore_errors=True)

    def _terminate(self, sig: signal.Signals) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            if sig == signal.SIGKILL:
                _killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
            # WNOWAIT keeps the master a zombie, so its pid, and thus the
            # group id we are about to signal, cannot be reused meanwhile.
            if not _wait_exit(proc.pid, STOP_TIMEOUT):
                log.warning("dovecot %d ignored %s, killing it", proc.pid, sig.name)
            _killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        self._wait_ports_closed()

    def _wait_ports_closed(self) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT
        for port in (self.port, self.tls_port):
            _wait_closed(self.host, port, deadline)

    def __enter__(self) -> Dovecot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def imap(self) -> Iterator[imaplib.IMAP4]:
        """A logged-in plaintext connection, logged out afterwards."""
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            if self.password.isascii():
                conn.login(self.user, self.password)
            else:  # imaplib's LOGIN quotes in ASCII only: the password goes as a literal
                conn.literal = self.password.encode()  # type: ignore[assignment]
                typ, data = conn._simple_command("LOGIN", conn._quote(self.user))  # type: ignore[attr-defined]
                assert typ == "OK", data
                conn.state = "AUTH"
            yield conn
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def append(self, folder: str, raw: bytes, flags: str = "") -> int:
        """Store raw in folder (created if missing) and return its UID.

        The internal date comes from the Date header when it parses, so
        time-based tests see realistic arrival times.
        """
        when = _internal_date(raw)
        stamp = imaplib.Time2Internaldate(when) if when else None
        with self.imap() as conn:
            typ, data = conn.append(quote_mailbox(folder), flags or None, stamp, raw)
            if typ == "NO" and b"[TRYCREATE]" in data[0]:
                conn.create(quote_mailbox(folder))
                typ, data = conn.append(quote_mailbox(folder), flags or None, stamp, raw)
            if typ != "OK":
                raise DovecotError(f"APPEND to {folder!r} failed: {data!r}")
        found = _APPENDUID.search(data[0])
        if found is None:
            raise DovecotError(f"APPEND to {folder!r} gave no APPENDUID: {data!r}")
        return int(found.group(1))

    def messages(self, folder: str) -> list[tuple[int, tuple[str, ...], bytes]]:
        """Every message in folder as (uid, flags, raw), read without changing anything."""
        with self.imap() as conn:
            typ, data = conn.select(quote_mailbox(folder), readonly=True)
            if typ != "OK":
                raise DovecotError(f"EXAMINE {folder!r} failed: {data!r}")
            if int(data[0] or 0) == 0:
                return []
            typ, fetched = conn.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
            if typ != "OK":
                raise DovecotError(f"FETCH in {folder!r} failed: {fetched!r}")
        return _parse_fetch(list(fetched))

    def info(self) -> dict[str, object]:
        """What a client needs to connect, as written to dovecot.json."""
        return {
            "host": self.host,
            "port": self.port,
            "tls_port": self.tls_port,
            "user": self.user,
            "password": self.password,
            "ca_file": str(self.ca_file),
            "pid": self.pid,
            "workdir": str(self.workdir),
            "log_path": str(self.log_path),
            "conf_path": str(self.conf_path),
        }


def _wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    flags = os.WEXITED | os.WNOWAIT | os.WNOHANG
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, flags) is not None:
            return True
        time.sleep(0.01)
    return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _killpg(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _wait_closed(host: str, port: int, deadline: float) -> None:
    # Children that outlive the master may still hold the listening socket,
    # and restart() must be able to bind the same port again.
    while _listening(host, port):
        if time.monotonic() > deadline:
            raise DovecotError(f"{host}:{port} still accepts connections after stopping dovecot")
        time.sleep(0.02)


@contextlib.contextmanager
def start_dovecot(
    workdir: Path | None = None, *, user: str = DEFAULT_USER, password: str | None = None
) -> Iterator[Dovecot]:
    """A started Dovecot, stopped and cleaned up on exit."""
    server = Dovecot.create(workdir, user=user, password=password)
    try:
        server.start()
        yield server
    finally:
        server.close()


def _cli_start(workdir: Path) -> dict[str, object]:
    state = workdir / STATE_FILE
    if state.exists():
        info: dict[str, object] = json.loads(state.read_text())
        if _is_our_dovecot(info):
            return info
    server = Dovecot.create(workdir)
    server.start()
    info = server.info()
    state.write_text(json.dumps(info, indent=2) + "\n")
    return info


def _is_our_dovecot(info: dict[str, object]) -> bool:
    # A stale dovecot.json may name a pid that now belongs to something else.
    pid = info.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return str(info.get("conf_path")).encode() in cmdline and _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    # The CLI is not its parent, so a dead master may linger as a zombie.
    return fields[0] != "Z"


def _cli_stop(workdir: Path) -> bool:
    state = workdir / STATE_FILE
    if not state.exists():
        return False
    info = json.loads(state.read_text())
    if _is_our_dovecot(info):
        pid = int(info["pid"])
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        _killpg(pid, signal.SIGKILL)
        for port in (info["port"], info["tls_port"]):
            _wait_closed(str(info["host"]), int(port), deadline + STOP_TIMEOUT)
    state.unlink()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.harness.dovecot", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("--dir", type=Path, required=True, help="holds the instance's config and mail")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    workdir = args.dir.resolve()
    try:
        if args.action == "start":
            print(json.dumps(_cli_start(workdir), indent=2))
        elif not _cli_stop(workdir):
            print(f"no dovecot recorded in {workdir / STATE_FILE}", file=sys.stderr)
    except DovecotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
