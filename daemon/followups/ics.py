# SPDX-License-Identifier: MIT
"""The calendar feed: iCalendar bytes for the follow-ups, written atomically and served over HTTP."""

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
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone, vDuration
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

from daemon import window
from daemon.private import private_dir, tighten
from daemon.text import one_line

log = logging.getLogger(__name__)

PRODID = "-//relance//relance//EN"
CALNAME = "relance"
FEED_NAME = "relance.ics"
DEFAULT_BIND = "127.0.0.1"
KINDS = frozenset({"debrief", "thank_you", "call", "review"})
# a possible interview, held for the user's review, is not yet sure to happen
_TENTATIVE_KINDS = frozenset({"review"})

# A reminder to write a mail does not make the user busy; a call or a debrief does.
_TRANSPARENT_KINDS = frozenset({"thank_you"})

# Every C0/C1 control, DEL and the Unicode line/paragraph separators: some
# parsers split lines on them, so none may reach a content line raw.
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL_BUT_TAB_LF = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
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


@dataclass(frozen=True)
class CalendarItem:
    """One follow-up as it should appear in the feed."""

    uid: str  # stable, e.g. "relance-3-call@relance"
    kind: str  # "debrief" | "thank_you" | "call" | "review"
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str
    location: str | None
    url: str | None
    sequence: int  # raised by the caller on every change
    alarm_minutes: int  # VALARM DISPLAY this many minutes before start
    cancelled: bool = False  # emitted once as STATUS:CANCELLED for clients that keep events
    stamp: datetime | None = None  # DTSTAMP: when this version was first published; None = now


def build_calendar(
    items: Sequence[CalendarItem],
    *,
    tz: str,
    now: datetime,
    refresh: timedelta = timedelta(minutes=15),
) -> bytes:
    """Serialize the items as one RFC 5545 VCALENDAR; the same input gives the same bytes.

    The calendar is built event by event: an item that cannot be shown (a
    record holding a date in the year 9999, a naive time) is left out with
    a log line naming its UID, and the others are published all the same.
    """
    home = _zone(tz)
    _require_aware(now, "now")
    usable = [item for item in items if _usable(item)]  # before sorting: naive and aware datetimes do not compare
    _check_unique_uids(usable)
    events = [event for item in sorted(usable, key=lambda i: (i.start, i.uid))
              if (event := _event_or_none(item, home, now)) is not None]
    cal = _calendar_header(refresh)
    for vtimezone in _vtimezones(events, home, now):
        cal.add_component(vtimezone)
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def build_resource(item: CalendarItem, *, tz: str, now: datetime) -> bytes:
    """One event as a CalDAV calendar object resource: the feed's VEVENT and its VTIMEZONEs, without
    METHOD (RFC 4791 forbids it in a collection) nor the feed's name and refresh interval."""
    home = _zone(tz)
    _require_aware(now, "now")
    _validate(item)
    event = _event(item, home, now)
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    for vtimezone in _vtimezones([event], home, now):
        cal.add_component(vtimezone)
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime")


def _check_unique_uids(items: Sequence[CalendarItem]) -> None:
    # Two VEVENTs with one UID and no RECURRENCE-ID are one event to a client:
    # it would keep either at random.
    seen: set[str] = set()
    for item in items:
        uid = _one_line(item.uid)
        if uid in seen:
            raise ValueError(f"duplicate calendar UID {uid!r}")
        seen.add(uid)


def _calendar_header(refresh: timedelta) -> Calendar:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", CALNAME)
    cal.add("x-wr-calname", CALNAME)
    # RFC 7986 requires VALUE=DURATION; icalendar's Calendar.new() leaves it out.
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # An X- property is text to icalendar: without vDuration it would print "0:15:00".
    cal.add("x-published-ttl", vDuration(refresh))
    return cal


def _event(item: CalendarItem, home: ZoneInfo, now: datetime) -> Event:
    zone = _item_zone(item.start, home)
    event = Event()
    event.add("uid", _one_line(item.uid))
    # An unchanged event keeps its DTSTAMP, so an unchanged feed keeps its bytes (and its ETag).
    event.add("dtstamp", (item.stamp or now).astimezone(UTC).replace(microsecond=0))
    event.add("sequence", item.sequence)
    event.add("dtstart", _local(item.start, zone))
    event.add("dtend", _local(item.end, zone))
    summary = _one_line(item.summary)
    event.add("summary", summary)
    _add_if(event, "description", _multi_line(item.description))
    _add_if(event, "location", _one_line(item.location or ""))
    _add_if(event, "url", _safe_url(item.url))
    event.add("status", "CANCELLED" if item.cancelled else "TENTATIVE" if item.kind in _TENTATIVE_KINDS
              else "CONFIRMED")
    transparent = item.cancelled or item.kind in _TRANSPARENT_KINDS
    event.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
    if not item.cancelled:
        event.add_component(_alarm(summary, item.alarm_minutes))
    return event


def _usable(item: CalendarItem) -> bool:
    try:
        _validate(item)
    except ValueError as exc:
        log.warning("calendar: event %r left out: %s", _one_line(item.uid)[:100], exc)
        return False
    return True


def _event_or_none(item: CalendarItem, home: ZoneInfo, now: datetime) -> Event | None:
    try:
        return _event(item, home, now)
    except (ValueError, OverflowError) as exc:
        log.warning("calendar: event %r left out: %s", _one_line(item.uid)[:100], type(exc).__name__)
        return None


def _validate(item: CalendarItem) -> None:
    if item.kind not in KINDS:
        raise ValueError(f"unknown calendar item kind {item.kind!r}")
    _require_aware(item.start, "start")
    _require_aware(item.end, "end")
    if item.stamp is not None:
        _require_aware(item.stamp, "stamp")
    for moment in (item.start, item.end):
        if (refused := window.out_of_range(moment)) is not None:
            raise ValueError(refused)
    if item.end < item.start:
        raise ValueError(f"{item.uid}: end before start")
    if item.sequence < 0 or item.alarm_minutes < 0:
        raise ValueError(f"{item.uid}: sequence and alarm_minutes must not be negative")
    if not _one_line(item.uid):
        raise ValueError("empty calendar UID")


def _item_zone(start: datetime, home: ZoneInfo) -> ZoneInfo:
    """The named zone the item keeps, or the user's zone when it has no usable name.

    A fixed offset would become TZID="UTC+02:00" with no VTIMEZONE to match,
    and UTC (or a zone icalendar deems equal to it) is written with Z and no
    TZID, so both are shown in the user's zone instead; the instant is the same.
    """
    zone = start.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key and tzid_from_tzinfo(zone) != "UTC":
        return zone
    return home


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone).replace(microsecond=0)


def _add_if(event: Event, name: str, value: str | None) -> None:
    if value:
        event.add(name, value)


def _alarm(summary: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary or CALNAME)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _valid_text(text: str) -> str:
    # Mail decoded with surrogateescape can carry lone surrogates, which
    # would make to_ical() fail on encoding.
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(text: str) -> str:
    """Text for a one-line property: controls become spaces, runs of blanks one space."""
    return one_line(_valid_text(text))


def _multi_line(text: str) -> str:
    """Text for DESCRIPTION: every line break becomes LF (icalendar escapes it), other controls go."""
    text = _LINE_BREAK.sub("\n", _valid_text(text))
    return _CONTROL_BUT_TAB_LF.sub("", text).strip()


def _safe_url(url: str | None) -> str | None:
    """Only a plain http(s) URL: calendar apps make URL clickable."""
    if not url:
        return None
    url = url.strip()
    if _ANY_CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return url


def _vtimezones(events: Sequence[Event], home: ZoneInfo, now: datetime) -> list[Timezone]:
    """One VTIMEZONE per TZID the events use, plus the user's zone, over the years in use ±1."""
    tzids = {tzid_from_tzinfo(home)}
    years: set[int] = set()
    for event in events:
        for name in ("DTSTART", "DTEND"):
            when: datetime = event.decoded(name)
            tzids.add(tzid_from_dt(when))
            years.add(when.year)
    if not years:
        years.add(now.astimezone(home).year)
    first = date(min(years) - 1, 1, 1)
    last = date(max(years) + 1, 12, 31)
    # UTC is written with Z and needs no VTIMEZONE.
    named = sorted(t for t in tzids if t and t != "UTC")
    return [_vtimezone(tzid, first, last) for tzid in named]


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    # Generating a VTIMEZONE walks the zone's transitions: slow enough to cache.
    # The cached component is only ever serialized, never changed.
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data so that a reader sees the old or the new file, never a mix."""
    parent = path.parent
    private_dir(parent)
    tmp = _write_temp(parent, path.name, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(parent)


def _write_temp(directory: Path, name: str, data: bytes) -> str:
    # mkstemp creates the file 0600, so the secret-bearing content is never
    # readable by others, not even for a moment.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    # Without this the rename itself may be lost on a crash.
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    tmp = _write_temp(path.parent, path.name, (new_token() + "\n").encode("ascii"))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    else:
        _fsync_dir(path.parent)
    finally:
        os.unlink(tmp)


def rotate_token(path: Path) -> str:
    """Replace the token: the old feed URL stops working at once (the server reads the file per request)."""
    write_atomic(path, (new_token() + "\n").encode("ascii"))
    return _read_token(path)


def feed_url(bind: str, port: int, token: str) -> str:
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
        return feed_url(self._bind, self.port, self._token())

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
