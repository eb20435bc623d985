# SPDX-License-Identifier: MIT
"""The calendar feed over HTTP, served by `relance run`: its secret token and URL, and a small server that answers
the one URL holding it (with ETag and 304) and 404 to anything else, that never logs the token, and
that keeps its clients from taking the daemon's file descriptors and threads."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import logging
import os
import re
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from daemon.config import Settings
from daemon.followups import ics
from daemon.followups.ics import FEED_NAME, fsync_dir, write_atomic, write_temp
from daemon.private import private_dir, tighten

log = logging.getLogger(__name__)

FEED_TOKEN_FILE = "feed-token"  # noqa: S105 (a file name, not the secret)

_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22,}")
# A path segment this long could be the token, a rotated one or a near miss
# (which would give most of the token away): never logged.
_SECRETISH_SEGMENT = 16
# The feed lives inside the daemon: whatever its clients do, the daemon keeps
# the file descriptors and threads its IMAP link and database need. A calendar
# app sends its request at once and reads a few kB, so a connection silent for
# READ_TIMEOUT, or open for CONNECTION_DEADLINE, is cut; at most MAX_CONNECTIONS
# are served at once and the excess is closed as soon as accepted.
READ_TIMEOUT = 5.0
CONNECTION_DEADLINE = 15.0
MAX_CONNECTIONS = 16
LISTEN_BACKLOG = 128
# Out of descriptors, accept() fails while the listening socket stays readable:
# the feed pauses this long instead of spinning on it.
_ACCEPT_PAUSE = 0.5
_OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_DAEMON_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
_REPORT_EVERY = 60.0  # seconds between two log lines about refused connections


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def load_or_create_token(path: Path) -> str:
    """The feed token kept at path, created on first use (0600 in a 0700 directory)."""
    private_dir(path.parent)
    if not path.exists():
        _create_token_file(path)
    return _read_token(path)


def _create_token_file(path: Path) -> None:
    # link() fails if the name exists, so two processes starting together
    # agree on one token, and nobody ever reads a half-written file.
    tmp = write_temp(path.parent, path.name, (new_token() + "\n").encode("ascii"))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    else:
        fsync_dir(path.parent)
    finally:
        os.unlink(tmp)


def rotate_token(path: Path) -> str:
    """Replace the token: the old feed URL stops working at once (the server reads the file per request)."""
    write_atomic(path, (new_token() + "\n").encode("ascii"))
    return _read_token(path)


def served_url(bind: str, port: int, token: str) -> str:
    host = f"[{bind}]" if ":" in bind else bind
    return f"http://{host}:{port}/{token}/{FEED_NAME}"


def _read_token(path: Path) -> str:
    tighten(path)
    token = path.read_text(encoding="ascii", errors="replace").strip()
    if not _TOKEN_RE.fullmatch(token):
        raise ValueError(f"{path} does not hold a usable feed token; delete it to create a new one")
    return token


class FeedServer:
    """Serves the calendar at http://BIND:PORT/TOKEN/relance.ics and nothing else."""

    def __init__(self, bind: str, port: int, token: str | Callable[[], str], body: Callable[[], bytes]) -> None:
        """``token`` is the secret, or a function giving it at each request (so a rotation needs no restart)."""
        self._token = token if callable(token) else _fixed(token)
        if not _TOKEN_RE.fullmatch(self._token()):
            raise ValueError("feed token must be at least 22 URL-safe characters")
        self._bind = bind
        self._port = port
        self._body = body
        self._server: _FeedHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve in a daemon thread; port 0 picks a free port."""
        if self._server is not None:
            raise RuntimeError("feed server already started")
        server = _make_server(self._bind, self._port)
        server.feed_path = self._feed_path
        server.body = self._body
        self._server = server
        self._thread = threading.Thread(target=_serve, args=(server,), name="relance-feed", daemon=True)
        self._thread.start()
        log.info("calendar feed listening on %s:%d", self._bind, self.port)

    @property
    def port(self) -> int:
        if self._server is None:
            return self._port
        return int(self._server.server_address[1])

    def url(self) -> str:
        return served_url(self._bind, self.port, self._token())

    def _feed_path(self) -> bytes | None:
        try:
            token = self._token()
        except (OSError, ValueError):
            log.exception("calendar feed: no usable token")
            return None
        return f"/{token}/{FEED_NAME}".encode("ascii") if _TOKEN_RE.fullmatch(token) else None

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()


def _fixed(token: str) -> Callable[[], str]:
    return lambda: token


def _serve(server: _FeedHTTPServer) -> None:
    """The feed's thread: if the feed ever fails, it stops alone and the daemon goes on without it."""
    # The daemon's signals are for its main thread, which waits in select() for them: one delivered
    # to this thread (or to a connection's, which inherit the mask) would leave it asleep.
    signal.pthread_sigmask(signal.SIG_BLOCK, _DAEMON_SIGNALS)
    try:
        server.serve_forever()
    except Exception as exc:
        log.error("calendar feed stopped (%s); relance goes on without it until restarted", type(exc).__name__)


class _FeedHTTPServer(ThreadingHTTPServer):
    feed_path: Callable[[], bytes | None]
    body: Callable[[], bytes]
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._open: dict[socket.socket, float] = {}  # the connections being served, and since when
        self._open_lock = threading.Lock()
        self._refused = 0
        self._refused_said = -_REPORT_EVERY
        super().__init__(address, handler)

    def get_request(self) -> tuple[socket.socket, object]:
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in _OUT_OF_RESOURCES:
                log.warning("calendar feed: cannot accept a connection (%s)", errno.errorcode.get(exc.errno or 0))
                time.sleep(_ACCEPT_PAUSE)
            raise

    def verify_request(self, request: object, client_address: object) -> bool:
        """Take the connection if fewer than MAX_CONNECTIONS are open; else it is closed at once."""
        assert isinstance(request, socket.socket)
        with self._open_lock:
            if len(self._open) < MAX_CONNECTIONS:
                self._open[request] = time.monotonic()
                return True
        self._note_refused()
        return False

    def shutdown_request(self, request: object) -> None:
        with self._open_lock:
            self._open.pop(request, None)  # type: ignore[call-overload]
        super().shutdown_request(request)  # type: ignore[arg-type]

    def service_actions(self) -> None:
        """Between two polls of the listening socket: cut the connections open past their deadline."""
        now = time.monotonic()
        with self._open_lock:  # held, so no connection is closed (and its descriptor reused) meanwhile
            for connection, since in self._open.items():
                if now - since > CONNECTION_DEADLINE:
                    with contextlib.suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)  # its handler's read returns at once

    def _note_refused(self) -> None:
        self._refused += 1
        now = time.monotonic()
        if now - self._refused_said >= _REPORT_EVERY:
            log.warning("calendar feed: %d connections closed at once, %d already open", self._refused,
                        MAX_CONNECTIONS)
            self._refused, self._refused_said = 0, now

    def handle_error(self, request: object, client_address: object) -> None:
        # The default prints a traceback to stderr; a client hanging up is routine.
        log.debug("calendar feed: connection error", exc_info=True)


class _FeedHTTPServer6(_FeedHTTPServer):
    address_family = socket.AF_INET6


def _make_server(bind: str, port: int) -> _FeedHTTPServer:
    cls = _FeedHTTPServer6 if ":" in bind else _FeedHTTPServer
    return cls((bind, port), _FeedHandler)


class _FeedHandler(BaseHTTPRequestHandler):
    server: _FeedHTTPServer
    timeout = READ_TIMEOUT  # on every read and write of the connection
    # No software version for scanners to match.
    server_version = "relance"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        requested = self.path.encode("latin-1", "replace")
        expected = self.server.feed_path()
        if expected is None or not hmac.compare_digest(requested, expected):
            self._plain(HTTPStatus.NOT_FOUND, send_body=send_body)
            return
        try:
            body = self.server.body()
        except Exception:
            log.exception("calendar feed: could not produce the calendar")
            self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, send_body=send_body)
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if _etag_matches(self.headers.get("If-None-Match"), etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._cache_headers(etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._cache_headers(etag)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _cache_headers(self, etag: str) -> None:
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "private, max-age=0")

    def _plain(self, status: HTTPStatus, *, send_body: bool) -> None:
        # A fixed short body: nothing tells a prober how close it came.
        text = f"{status.value} {status.phrase}\n".encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if send_body:
            self.wfile.write(text)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The default page echoes parts of the request line, which can hold the token.
        self.close_connection = True
        self._plain(HTTPStatus(code), send_body=getattr(self, "command", None) not in (None, "HEAD"))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        status = code.value if isinstance(code, HTTPStatus) else code
        command = getattr(self, "command", None) or "-"
        log.info("calendar feed: %s %s %r", command, status, _redact(getattr(self, "path", "") or ""))

    def log_error(self, format: str, *args: object) -> None:
        # The arguments can quote the raw request line; log_request reports the status.
        pass

    def log_message(self, format: str, *args: object) -> None:
        # Everything worth logging goes through log_request, redacted.
        pass


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [c.strip() for c in header.split(",")]
    return any(c == "*" or c.removeprefix("W/") == etag for c in candidates)


def _redact(path: str) -> str:
    """The path with every segment that could be a token shown as "…"."""
    segments = path[:300].split("/")
    return "/".join("…" if len(s) >= _SECRETISH_SEGMENT else s for s in segments)


# --- from the settings: where the token is kept, the URL, what is served


def feed_token_path(settings: Settings) -> Path:
    return settings.data_dir / FEED_TOKEN_FILE


def feed_url(settings: Settings) -> str:
    serve = settings.calendar.serve
    return served_url(serve.bind, serve.port, load_or_create_token(feed_token_path(settings)))


def unserved(settings: Settings) -> str | None:
    """Why nothing answers at the feed's URL now, or None when something listens there."""
    serve = settings.calendar.serve
    if not serve.enabled:
        return ("calendar.serve.enabled is false, so nothing serves this URL: set it to true and restart "
                "relance, or run `relance calendar --serve`")
    # a wildcard bind answers on loopback (this is a probe's address, not a bind)
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(serve.bind, serve.bind)  # noqa: S104
    try:
        socket.create_connection((host, serve.port), timeout=2).close()
    except OSError:
        return f"nothing answers on {serve.bind}:{serve.port} now: the feed is served while `relance run` runs"
    return None


def rotate_feed_token(settings: Settings) -> str:
    rotate_token(feed_token_path(settings))
    return feed_url(settings)


def feed_body(settings: Settings) -> bytes:
    """What the last cycle wrote: the feed and the calendar file never disagree."""
    try:
        return settings.calendar.path.read_bytes()
    except FileNotFoundError:
        return ics.build_calendar([], tz=settings.timezone, now=datetime.now(settings.zone))


def feed_server(settings: Settings) -> FeedServer:
    """The HTTP feed; the token is read at each request, so a rotated one takes effect at once."""
    token_path = feed_token_path(settings)
    load_or_create_token(token_path)
    serve = settings.calendar.serve
    return FeedServer(serve.bind, serve.port, lambda: load_or_create_token(token_path),
                          lambda: feed_body(settings))
