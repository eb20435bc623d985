# SPDX-License-Identifier: MIT
"""calendar.caldav: relance's events written straight into the user's own CalDAV calendar, two ways.

Each sync first reads back relance's own events (one calendar-multiget REPORT
on their URLs, which follow from their UIDs): an event whose time the user
changed in their calendar app is a move the records take in, an event that is
gone is one the user deleted (a follow-up dismissed). Then it makes the
collection match the events wanted, writing only what differs, every write
conditional: ``If-None-Match: *`` to create, ``If-Match: ETAG`` to update or
delete. So relance never overwrites what it has not seen, and a crash between
a write and the records' commit is found out by the next read: the URL holds
the event with the SEQUENCE and the time relance meant to write, and is
adopted as it is.

Plain data in and out (Wanted, CalDavCopy, UserChange, Outcome); the records
are the caller's to write.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from caldav.davclient import DAVClient
from caldav.lib import error as dav_error
from caldav.lib.url import URL
from icalendar import Calendar

from daemon.config import CalDavSettings
from daemon.credentials import Credential, caldav_secret
from daemon.errors import UserError
from daemon.model import CalDavCopy

log = logging.getLogger(__name__)
# the library's debug lines hold whole events and the server's headers: never in relance's log
logging.getLogger("caldav").setLevel(logging.WARNING)

TIMEOUT = 30  # seconds for one request
ICS_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}


@dataclass(frozen=True)
class Wanted:
    """One event relance wants in the collection."""

    key: int  # the follow-up's ID
    uid: str
    body: bytes  # one VCALENDAR holding this one VEVENT
    sequence: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Found:
    """One of relance's events as the server holds it."""

    etag: str | None
    sequence: int
    start: datetime | None  # None when the server's copy has no usable DTSTART
    end: datetime | None


@dataclass(frozen=True)
class UserChange:
    """What the user did to one of relance's events in their calendar app."""

    key: int
    start: datetime | None = None  # the new time of a moved event; None: the user deleted the event
    end: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What the server holds for one follow-up after a step of the sync (copy None: nothing)."""

    key: int
    copy: CalDavCopy | None
    sent: str  # "PUT", "DELETE", or "" when nothing was sent (an ETag learnt, a record forgotten)


class Refused(Exception):
    """The server refused a write."""

    def __init__(self, text: str, status: int) -> None:
        super().__init__(text)
        self.status = status


class Backoff(Protocol):
    """The daemon's back-off (daemon.loop.Backoff), shared in shape with IMAP's."""

    def after_fault(self) -> float: ...

    def after_refusal(self) -> float: ...

    def worked(self) -> None: ...

    def logged_in(self) -> None: ...


def href_of(collection: str, uid: str) -> str:
    """The event's URL in the collection: its UID's local part, so the same on every attempt."""
    return collection + quote(uid.partition("@")[0], safe="") + ".ics"


def _name(href: str) -> str:
    return unquote(urlsplit(href).path.rstrip("/").rpartition("/")[2])


class Session:
    """One sync over one connection to the collection."""

    def __init__(self, client: DAVClient, url: str, zone: tzinfo) -> None:
        self.client = client
        self.url = url
        self.zone = zone  # a floating time the user's app wrote is in the user's zone
        self.calendar = client.calendar(url=url)  # type: ignore[no-untyped-call]
        self.found: dict[str, Found] = {}  # by the event's file name
        self.known: dict[int, CalDavCopy] = {}
        self.sent: list[str] = []  # the writes of this session, for its log line

    def collection_name(self) -> str:
        """The collection's display name (raises NotFoundError when there is no collection there)."""
        name = self.calendar.get_display_name()
        return str(name) if name else self.url

    def read(self, known: Sequence[CalDavCopy], wanted: Sequence[Wanted]) -> list[UserChange]:
        """Read back relance's events; what the user moved or deleted since relance last looked."""
        self.known = {c.key: c for c in known}
        hrefs = {c.href for c in known if c.href.startswith(self.url)} | {href_of(self.url, w.uid) for w in wanted}
        self.found = self._fetch(sorted(hrefs)) if hrefs else {}
        by_key = {w.key: w for w in wanted}
        return [change for copy in known if copy.href.startswith(self.url)
                if (change := user_change(copy, self.found.get(_name(copy.href)), by_key.get(copy.key)))]

    def _fetch(self, hrefs: Sequence[str]) -> dict[str, Found]:
        found = {}
        for obj in self.calendar.multiget([URL.objectify(h) for h in hrefs]):
            if obj.data:  # a URL with nothing there comes back without data
                found[_name(str(obj.url))] = parse_found(obj.data, obj.props.get("{DAV:}getetag"), self.zone)
        return found

    def make_match(self, wanted: Sequence[Wanted], taken_in: Sequence[UserChange] = ()) -> Iterator[Outcome]:
        """Write what differs, one event at a time; each outcome is yielded right after its write,
        for the caller to record before the next one."""
        for change in taken_in:
            self._taken_in(change)
        by_key = {w.key: w for w in wanted}
        for key in sorted(set(by_key) | set(self.known)):
            outcome = self._match(key, by_key.get(key), self.known.get(key))
            if outcome is not None:
                if outcome.sent:
                    self.sent.append(outcome.sent)
                yield outcome

    def _taken_in(self, change: UserChange) -> None:
        """The records took the user's change in: the server's copy is the known one from now on."""
        copy = self.known.get(change.key)
        if copy is None:
            return
        found = self.found.get(_name(copy.href))
        if change.start is None or found is None or found.start is None or found.end is None:
            return  # deleted: make_match forgets it
        self.known[change.key] = CalDavCopy(copy.key, copy.href, found.etag, found.sequence, found.start, found.end)

    def _match(self, key: int, want: Wanted | None, copy: CalDavCopy | None) -> Outcome | None:
        if copy is not None and not copy.href.startswith(self.url):
            return Outcome(key, None, "")  # calendar.caldav.url changed: the old collection is left alone
        href = href_of(self.url, want.uid) if want is not None else copy.href if copy is not None else ""
        found = self.found.get(_name(href))
        if want is None:
            if found is None:
                return Outcome(key, None, "") if copy is not None else None
            self._delete(href, found.etag)
            return Outcome(key, None, "DELETE")
        if found is None:
            if copy is not None:
                return None  # the user deleted it: read() reported it, and it is not recreated
            return Outcome(key, self._put(want, href, {"If-None-Match": "*"}), "PUT")
        if (found.sequence, found.start, found.end) == (want.sequence, want.start, want.end):
            held = CalDavCopy(key, href, found.etag, want.sequence, want.start, want.end)
            return None if held == copy else Outcome(key, held, "")
        condition = {"If-Match": found.etag} if found.etag else {}
        return Outcome(key, self._put(want, href, condition), "PUT")

    def _put(self, want: Wanted, href: str, condition: Mapping[str, str]) -> CalDavCopy:
        response = self.client.put(href, want.body.decode("utf-8"), {**ICS_HEADERS, **condition})
        _check(response.status, "PUT", href)
        etag = response.headers.get("ETag")
        # a weak ETag (the server changed what it stored) cannot be matched: the next read gives the real one
        strong = etag if etag and not etag.startswith("W/") else None
        return CalDavCopy(want.key, href, strong, want.sequence, want.start, want.end)

    def _delete(self, href: str, etag: str | None) -> None:
        response = self.client.delete(href, {"If-Match": etag} if etag else {})
        if response.status != 404:  # gone already: what was wanted
            _check(response.status, "DELETE", href)


def _check(status: int, method: str, href: str) -> None:
    if status == 412:
        raise Refused(f"{method} {_name(href)}: 412 Precondition Failed (changed on the server meanwhile)", status)
    if status >= 300:
        raise Refused(f"{method} {_name(href)}: the server answered {status}", status)


def user_change(copy: CalDavCopy, found: Found | None, want: Wanted | None) -> UserChange | None:
    """What the user did to an event relance wrote, if anything it must take in.

    Gone while still wanted: deleted by the user. A new ETag with a time that is
    neither the one relance last wrote nor the one it means to write: moved by
    the user (the second test keeps a write of relance's that crashed before its
    commit from passing for a move).
    """
    if want is None:
        return None  # its follow-up is over: the event goes, whatever the user did to it
    if found is None:
        return UserChange(copy.key)
    if found.etag == copy.etag or found.start is None or found.end is None:
        return None
    shown = (found.start, found.end)
    if shown in ((copy.start, copy.end), (want.start, want.end)):
        return None
    return UserChange(copy.key, found.start, found.end)


def parse_found(data: str | bytes, etag: str | None, zone: tzinfo) -> Found:
    """The SEQUENCE and the times of the one VEVENT of a calendar object resource."""
    try:
        cal = Calendar.from_ical(data)
        event = next(c for c in cal.walk("VEVENT"))
    except (ValueError, StopIteration):
        return Found(etag, -1, None, None)
    start, end = _when(event, "DTSTART", zone), _when(event, "DTEND", zone)
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = -1
    return Found(etag, sequence, start, end if end is not None and start is not None and end >= start else None)


def _when(event: Any, name: str, zone: tzinfo) -> datetime | None:
    """An aware date-time (a floating one in the user's zone); an all-day date is no time to call at."""
    if name not in event:
        return None
    try:
        value = event.decoded(name)
    except (ValueError, KeyError):
        return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None and value.utcoffset() is not None else value.replace(tzinfo=zone)


class Link:
    """What outlives one sync: the password (asked for once), and the back-off after a failure.

    ``backoff`` comes from the daemon (the same schedule as IMAP's); without it,
    as in `relance run --once` or `relance set`, every call tries.
    """

    def __init__(self, backoff: Backoff | None = None) -> None:
        self.backoff = backoff
        self._not_before = 0.0
        self._secret: tuple[CalDavSettings, Credential] | None = None

    @contextlib.contextmanager
    def attempt(self, target: CalDavSettings, zone: tzinfo) -> Iterator[Session | None]:
        """A session over the collection, or None while backing off. A failure inside is logged in
        one line naming calendar.caldav, and swallowed: it never stops the cycle."""
        if time.monotonic() < self._not_before:
            yield None
            return
        session: Session | None = None
        try:
            with self.client(target) as client:
                session = Session(client, target.url, zone)
                yield session
        except Exception as exc:  # the server's, the network's or the password's trouble: never the cycle's
            self._failed(target, exc)
        else:
            if session is not None and session.sent:
                log.info("calendar.caldav: %d PUT, %d DELETE in %s", session.sent.count("PUT"),
                         session.sent.count("DELETE"), target.url)
            if self.backoff is not None:
                self.backoff.logged_in()
                self.backoff.worked()
            self._not_before = 0.0

    def client(self, target: CalDavSettings) -> DAVClient:
        credential = self._credential(target)
        return DAVClient(url=target.url, username=target.username, password=credential.secret.reveal(),
                                timeout=TIMEOUT, enable_rfc6764=False)

    def _credential(self, target: CalDavSettings) -> Credential:
        if self._secret is None or self._secret[0] != target:
            self._secret = (target, caldav_secret(target))
        return self._secret[1]

    def _failed(self, target: CalDavSettings, exc: Exception) -> None:
        what, refused = failure(exc, target)
        if refused:
            self._secret = None  # a fixed password is read again at the next attempt
        delay = 0.0
        if self.backoff is not None:
            delay = self.backoff.after_refusal() if refused else self.backoff.after_fault()
            self._not_before = time.monotonic() + delay
        later = f"next attempt in {delay:.0f} s" if delay else "tried again at the next run"
        log.warning("calendar.caldav: %s; the .ics file and the feed are written as usual; %s", what, later)


def failure(exc: BaseException, target: CalDavSettings) -> tuple[str, bool]:
    """(one line saying what went wrong, whether the server refused the login)."""
    host = urlsplit(target.url).netloc
    if isinstance(exc, dav_error.AuthorizationError) or (isinstance(exc, Refused) and exc.status == 401):
        return f"login refused for {target.username} at {host} (wrong password?)", True
    if isinstance(exc, dav_error.NotFoundError):
        return f"no calendar collection at {target.url} (404 Not Found)", False
    if isinstance(exc, Refused):
        return str(exc), False
    if isinstance(exc, dav_error.DAVError):
        return f"{host}: {exc.reason or type(exc).__name__}", False
    if isinstance(exc, UserError):
        return str(exc).removeprefix("calendar.caldav: "), False
    if isinstance(exc, OSError):
        return f"cannot reach {host} ({type(exc).__name__})", False
    return f"unexpected {type(exc).__name__}", False


def describe_collection(target: CalDavSettings) -> str:
    """For `relance check`: connect and name the collection found, or a UserError saying why not."""
    link = Link()
    try:
        with link.client(target) as client:
            return Session(client, target.url, UTC).collection_name()
    except UserError:
        raise
    except Exception as exc:  # turned into the one line the user reads
        raise UserError(f"calendar.caldav: {failure(exc, target)[0]}") from None
