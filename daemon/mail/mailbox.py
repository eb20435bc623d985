# SPDX-License-Identifier: MIT
"""The only code that speaks IMAP.

Watched folders and the Sent folder are only ever EXAMINEd (read-only) and
fetched with BODY.PEEK, so the user's messages and flags never change. The one
write is APPEND of a draft to the Drafts folder.
"""

from __future__ import annotations

import contextlib
import imaplib
import io
import itertools
import logging
import re
import select
import socket
import ssl
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import cast

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError
from imap_tools.utils import check_command_status

from daemon.config import ImapSettings
from daemon.credentials import Credential
from daemon.errors import SetupError, UserError
from daemon.mail import imapsyntax
from daemon.text import describe_error

log = logging.getLogger(__name__)

# Names tried, in order, when no folder carries the \Drafts special-use flag.
DRAFTS_FALLBACK_NAMES = ("Drafts", "INBOX.Drafts", "INBOX/Drafts", "Brouillons", "INBOX.Brouillons",
                         "[Gmail]/Drafts", "Draft", "Entwürfe")
# The same for \Sent (RFC 6154): the names clients and providers give it when the server flags none.
SENT_FALLBACK_NAMES = ("Sent", "INBOX.Sent", "INBOX/Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail",
                       "Éléments envoyés", "Messages envoyés", "Envoyés", "INBOX.Envoyés", "Gesendete Objekte",
                       "Gesendet")

# Servers reject over-long command lines; this keeps a UID set well under 8 kB.
UID_BATCH = 500
# Previews carry up to N kB each: a smaller batch keeps one response's memory bounded.
PREVIEW_BATCH = 200

_UID_RE = re.compile(rb"UID (\d+)")
_FLAGS_RE = re.compile(rb"FLAGS \(([^)]*)\)")
_APPENDUID_RE = re.compile(rb"APPENDUID (\d+) (\d+)")
_UNTAGGED_COUNT_RE = re.compile(rb"\* \d+ (EXISTS|RECENT|EXPUNGE|FETCH)\b", re.IGNORECASE)
_LITERAL_RE = re.compile(rb"\{(\d+)\+?\}\r?\n?$")
_MESSAGE_ID_RE = re.compile(rb"^Message-ID:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)

# TCP keepalive notices a peer that vanished (a suspended laptop, a NAT that forgot us)
# even in the middle of a long IDLE: first probe after 60 s of silence, dead after 4 more.
KEEPALIVE = {"TCP_KEEPIDLE": 60, "TCP_KEEPINTVL": 15, "TCP_KEEPCNT": 4}

_idle_tags = itertools.count(1)


class ImapError(UserError):
    """The server refused something (login, a folder): retrying will not help by itself."""


class LoginRefused(ImapError):
    pass


class FolderMissing(ImapError, SetupError):
    """A watched folder or the Drafts folder is not on the server (or cannot be opened)."""


class ConnectionFailed(UserError):
    """The server could not be reached or the connection broke: worth retrying later."""


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int
    messages: int


@dataclass(frozen=True)
class FetchedMessage:
    folder: str
    uid: int
    raw: bytes
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    """The first part of a message: its whole header and the start of its body."""

    uid: int
    size: int  # RFC822.SIZE of the whole message
    header: bytes  # BODY[HEADER], the blank line included
    body: bytes  # BODY[TEXT]<0.N>
    asked: int  # N

    @property
    def complete(self) -> bool:
        """Whether header and body are the whole message, byte for byte.

        Both the size and a body shorter than asked must say so: a server whose
        RFC822.SIZE is off must not make a cut body pass for a whole one."""
        return len(self.body) < self.asked and len(self.header) + len(self.body) == self.size

    @property
    def raw(self) -> bytes:
        return self.header + self.body


def _port_hint(s: ImapSettings, exc: BaseException) -> str:
    """TLS spoken to a plain port fails at once; plain text to a TLS port waits for a greeting that
    never comes: both are a mismatch of imap.security and imap.port, said in those words."""
    if s.security == "tls" and isinstance(exc, ssl.SSLError) and "WRONG_VERSION_NUMBER" in str(exc):
        return (f"; port {s.port} answers in plain text: set imap.security to starttls (or plain on the "
                "loopback), or imap.port to the server's TLS port (usually 993)")
    if s.security != "tls" and isinstance(exc, TimeoutError | imaplib.IMAP4.abort):
        return (f"; no greeting on port {s.port}: if it is the server's TLS port (usually 993), "
                "set imap.security: tls")
    return ""


def tls_context(imap: ImapSettings) -> ssl.SSLContext:
    # create_default_context verifies the certificate and the host name
    if imap.ca_file is not None:
        try:
            return ssl.create_default_context(cafile=str(imap.ca_file))
        except (OSError, ssl.SSLError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a PEM certificate file"
            raise SetupError(f"imap.ca_file: {imap.ca_file}: {problem}") from None
    return ssl.create_default_context()


def _uid_set(uids: Sequence[int]) -> str:
    """Sorted UIDs as an IMAP set, runs folded into ranges ("1:500,502"): short command lines."""
    runs: list[str] = []
    start = previous = None
    for uid in uids:
        if previous is not None and uid == previous + 1:
            previous = uid
            continue
        if start is not None:
            runs.append(f"{start}:{previous}" if previous != start else str(start))
        start = previous = uid
    if start is not None:
        runs.append(f"{start}:{previous}" if previous != start else str(start))
    return ",".join(runs)


def _batches(uids: Sequence[int], size: int = UID_BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(uids), size):
        yield uids[start:start + size]


def _fetch_items(data: Sequence[object]) -> Iterator[dict[bytes, imapsyntax.Value]]:
    try:
        yield from imapsyntax.fetch_items(data)
    except imapsyntax.SyntaxProblem as exc:
        raise ImapError(f"imap: FETCH answer not understood: {exc}") from None


def _fetched(data: Sequence[object]) -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
    """(uid, the one literal, flags) of each message of a FETCH answer."""
    for entry in data:
        if not isinstance(entry, tuple) or len(entry) < 2:
            continue
        head, body = entry[0], entry[1]
        uid_match = _UID_RE.search(head)
        if uid_match is None:
            continue
        flags_match = _FLAGS_RE.search(head)
        flags = tuple(flags_match[1].decode().split()) if flags_match else ()
        yield int(uid_match[1]), bytes(body), flags


def imap_date(day: date) -> str:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day.day}-{months[day.month - 1]}-{day.year}"


def _quote(text: str) -> str:
    if any(c in text for c in "\r\n\0"):
        raise ValueError("control character in an IMAP string")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One IMAP connection. Use as a context manager; every method needs it open."""

    def __init__(self, imap: ImapSettings, credential: Callable[[], Credential]) -> None:
        self.settings = imap
        self._credential = credential
        self._box: MailBox | MailBoxStartTls | MailBoxUnencrypted | None = None
        self.commands = 0  # IMAP commands sent, for the benchmarks and the logs
        self.last_status: dict[str, FolderState] = {}  # what STATUS said last, per folder
        self.selected: str | None = None  # the folder EXAMINEd last
        self.full_fetches = 0  # messages fetched whole (BODY.PEEK[]), for the benchmarks and the tests
        self._siblings: list[Mailbox] = []  # other connections opened for this one's work (a large scan)
        self._in_flight: list[tuple[bytes, str]] = []  # commands sent ahead (tag, name), oldest first
        self._after_command: Callable[[], None] | None = None  # keeps a command queued (outlines)
        self._early: dict[bytes, list[object] | ImapError | ConnectionFailed] = {}  # their answers, once read

    # --- connection

    def sibling(self) -> Mailbox:
        """Another connection to the same account, not yet open; ``abort`` cuts it with this one."""
        other = Mailbox(self.settings, self._credential)
        self._siblings = [*(m for m in self._siblings if m._box is not None), other]
        return other

    def __enter__(self) -> Mailbox:
        if self._box is None:  # connect() may have been called already: never log in twice
            self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _open(self) -> MailBox | MailBoxStartTls | MailBoxUnencrypted:
        s = self.settings
        if s.security == "tls":
            return MailBox(s.host, s.port, timeout=s.timeout, ssl_context=tls_context(s))
        if s.security == "starttls":
            return MailBoxStartTls(s.host, s.port, timeout=s.timeout, ssl_context=tls_context(s))
        return MailBoxUnencrypted(s.host, s.port, timeout=s.timeout)

    def connect(self) -> None:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            box = self._open()
        except ssl.SSLCertVerificationError as exc:
            raise ConnectionFailed(
                f"imap: certificate of {where} not trusted ({exc.verify_message}); "
                "set imap.ca_file to the CA that signed it"
            ) from None
        except ssl.SSLError as exc:
            raise ConnectionFailed(f"imap: cannot connect to {where}: {describe_error(exc)}{_port_hint(s, exc)}") \
                from None
        except (OSError, imaplib.IMAP4.error, UnexpectedCommandStatusError) as exc:
            raise ConnectionFailed(f"imap: cannot connect to {where}: {describe_error(exc)}{_port_hint(s, exc)}") \
                from None
        credential = self._credential()
        try:
            if s.auth == "xoauth2":
                box.xoauth2(s.username, credential.secret.reveal(), initial_folder=None)
            else:
                _log_in(box, s.username, credential.secret.reveal(), where)
        except (MailboxLoginError, imaplib.IMAP4.error):
            _quietly_logout(box)
            # the server's answer is not echoed: some servers quote the command back
            raise LoginRefused(f"imap: login refused for {s.username} at {where}") from None
        except OSError as exc:
            raise ConnectionFailed(f"imap: connection to {where} lost during login: {describe_error(exc)}") from None
        except LoginRefused:
            _quietly_logout(box)
            raise
        except Exception as exc:
            # A UnicodeError's text quotes the character, and its object the whole command: the type only.
            _quietly_logout(box)
            raise LoginRefused(f"imap: login for {s.username} at {where} failed ({type(exc).__name__})") from None
        self._box = box
        self._in_flight, self._early, self._after_command = [], {}, None
        self.commands = 2
        _keep_alive(box.client.socket())
        log.info("connected to %s as %s (%s, %s, secret from %s)", where, s.username, s.security, s.auth,
                 credential.origin)

    def close(self) -> None:
        if self._box is not None:
            _quietly_logout(self._box)
            self._box = None

    def abort(self) -> None:
        """Cut the connection (and its siblings) from another thread: a read blocked on it returns at once."""
        for other in self._siblings:
            other.abort()
        box = self._box
        if box is None:
            return
        try:
            box.client.socket().shutdown(socket.SHUT_RDWR)
        except OSError:
            log.debug("shutdown of an already closed connection")

    @property
    def box(self) -> MailBox | MailBoxStartTls | MailBoxUnencrypted:
        if self._box is None:
            raise ConnectionFailed("imap: not connected")
        return self._box

    @property
    def client(self) -> imaplib.IMAP4:
        client: imaplib.IMAP4 = self.box.client
        return client

    def _command(self, name: str, *args: str | bytes) -> list[object]:
        """Send one command; turn broken connections into ConnectionFailed."""
        self._settle()
        self.commands += 1
        try:
            if name.startswith("UID "):
                typ, data = self.client.uid(name[4:], *(str(a) for a in args))
            else:
                typ, data = getattr(self.client, name.lower())(*args)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during {name}: {describe_error(exc)}") from None
        except imaplib.IMAP4.error as exc:
            raise ImapError(f"imap: {name} failed: {describe_error(exc)}") from None
        if typ != "OK":
            target = args[0] if args and isinstance(args[0], str) else ""
            raise ImapError(f"imap: {name} {target} answered {typ}: {_short(data)}")
        if self._after_command is not None:
            self._after_command()
        return list(data)

    # --- folders

    def capabilities(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.client.capabilities)

    def list_folders(self) -> list[tuple[str, tuple[str, ...]]]:
        self._settle()
        self.commands += 1
        try:
            return [(f.name, tuple(f.flags)) for f in self.box.folder.list()]
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during LIST: {describe_error(exc)}") from None

    def drafts_folder(self) -> str:
        """The folder flagged \\Drafts, else the first usual name that exists."""
        if self.settings.drafts != "auto":
            return self.settings.drafts
        found = self._special_use("\\Drafts", DRAFTS_FALLBACK_NAMES)
        if found is None:
            raise FolderMissing("imap: no Drafts folder found (no \\Drafts flag, no usual name); set imap.drafts")
        return found

    def sent_folder(self) -> str | None:
        """The folder of the user's sent mail (imap.sent): flagged \\Sent, else a usual name; None when off
        or when there is none."""
        if self.settings.sent == "none":
            return None
        if self.settings.sent != "auto":
            return self.settings.sent
        return self._special_use("\\Sent", SENT_FALLBACK_NAMES)

    def _special_use(self, flag: str, usual_names: Sequence[str]) -> str | None:
        """The folder LIST flags with ``flag`` (RFC 6154), else the first of usual_names that exists."""
        folders = self.list_folders()
        for name, flags in folders:
            if flag in flags:
                return name
        names = {name for name, _ in folders}
        return next((candidate for candidate in usual_names if candidate in names), None)

    def status(self, folder: str) -> FolderState:
        if folder == self.selected:
            # on the selected folder a server may answer with the session's view (Dovecot does):
            # NOOP brings that view up to date, or new mail would never show while we poll
            self._command("NOOP")
        self._settle()
        self.commands += 1
        try:
            st = self.box.folder.status(folder, ["UIDVALIDITY", "UIDNEXT", "MESSAGES"])
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during STATUS: {describe_error(exc)}") from None
        except (imaplib.IMAP4.error, UnexpectedCommandStatusError):
            raise FolderMissing(f"imap: folder {folder!r} not found") from None
        state = FolderState(st["UIDVALIDITY"], st["UIDNEXT"], st.get("MESSAGES", 0))
        self.last_status[folder] = state
        return state

    def examine(self, folder: str) -> None:
        # EXAMINE, never SELECT: the session cannot change flags in a watched folder
        self._settle()
        self.commands += 1
        try:
            typ, data = self.client.select(_quote_mailbox(folder), readonly=True)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during EXAMINE: {describe_error(exc)}") from None
        if typ != "OK":
            self.selected = None
            raise FolderMissing(f"imap: cannot open folder {folder!r}: {_short(data)}")
        self.selected = folder

    # --- reading

    def uids_after(self, folder: str, last_uid: int, since: date | None = None) -> list[int]:
        """UIDs in the (already examined) folder greater than last_uid, optionally since a date."""
        criteria = [f"UID {last_uid + 1}:*"]
        if since is not None:
            criteria.append(f"SINCE {imap_date(since)}")
        data = self._command("UID SEARCH", *criteria)
        found = b" ".join(d for d in data if isinstance(d, bytes)).split()
        # "N:*" always matches the highest UID, even when it is not above N
        return sorted(u for u in (int(x) for x in found) if u > last_uid)

    def fetch(self, uids: Sequence[int], item: str = "BODY.PEEK[]") -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
        """(uid, bytes of ``item``, flags) for each UID, in batches, in the examined folder."""
        for batch in _batches(list(uids)):
            data = self._command("UID FETCH", _uid_set(batch), f"(UID FLAGS {item})")
            if item == "BODY.PEEK[]":
                self.full_fetches += len(batch)
            yield from _fetched(data)

    def request_whole(self, uids: Sequence[int]) -> bytes:
        """Send, without waiting, the FETCH of these messages whole (at most UID_BATCH); ``whole`` reads
        it. Nothing else may be in flight meanwhile: two FETCHes at once are answered interleaved."""
        self.full_fetches += len(uids)
        return self._send("UID FETCH", _uid_set(uids), "(UID FLAGS BODY.PEEK[])")

    def whole(self, request: bytes) -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
        """(uid, bytes, flags) of each message of a ``request_whole``."""
        return _fetched(self._answer(request))

    def forget_requests(self) -> None:
        """Read and drop the answers nobody will ask for (a scan that stopped half-way)."""
        if self._box is not None:
            self._settle()
        self._early.clear()

    def previews(self, uids: Sequence[int], body_bytes: int,
                 batch: int = PREVIEW_BATCH) -> Iterator[list[Preview]]:
        """Header and first body_bytes of each message, one FETCH per batch of UIDs, in UID order."""
        items = f"(UID RFC822.SIZE BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{body_bytes}>)"
        for chunk in _batches(list(uids), batch):
            data = self._command("UID FETCH", _uid_set(chunk), items)
            found = []
            for fields in _fetch_items(data):
                uid, size = fields.get(b"UID"), fields.get(b"RFC822.SIZE")
                header = fields.get(b"BODY[HEADER]")
                body = fields.get(b"BODY[TEXT]<0>", b"")
                if isinstance(uid, int) and isinstance(size, int) and isinstance(header, bytes):
                    found.append(Preview(uid, size, header, body if isinstance(body, bytes) else b"", body_bytes))
            # a message expunged meanwhile is simply absent
            yield sorted(found, key=lambda p: p.uid)

    def outlines(self, uids: Sequence[int], fields: Sequence[str], hints: Sequence[bytes],
                 batch: int = UID_BATCH) -> Generator[list[imapsyntax.Outline], None, None]:
        """Size, header fields and structure of each message, one FETCH per batch, in UID order.

        One FETCH is kept queued at the server: the next batch's is sent
        before this one is handed over, and again after any other command
        the caller sends meanwhile (the whole messages of this batch's
        candidates), so that the server reads the next messages while the
        caller judges and processes these. One connection; the server answers
        commands in the order sent (RFC 3501, 5.5). Close the iterator when
        leaving it early (contextlib.closing): that stops the queueing.
        """
        section = f"BODY[HEADER.FIELDS ({' '.join(f.upper() for f in fields)})]"
        items = f"(UID RFC822.SIZE BODY.PEEK{section[4:]} BODYSTRUCTURE)"
        plan = deque(_uid_set(chunk) for chunk in _batches(list(uids), batch))
        sent: deque[bytes] = deque()
        folder = self.selected

        def send_next() -> None:
            # nothing else queued (a command sent now is answered at once), at most two batches read
            # ahead of the caller (memory stays that of three batches whatever the mailbox), and
            # never in another folder than the one these UIDs are of
            if plan and not self._in_flight and len(sent) < 2 and self.selected == folder:
                sent.append(self._send("UID FETCH", plan.popleft(), items))

        self._after_command = send_next
        try:
            send_next()
            while sent:
                data = self._answer(sent.popleft())
                if plan and not sent and self.selected != folder and folder is not None:
                    self.examine(folder)  # the caller looked into another folder meanwhile
                send_next()
                try:
                    found = list(imapsyntax.outlines(data, hints))
                except imapsyntax.SyntaxProblem as exc:
                    raise ImapError(f"imap: FETCH answer not understood: {exc}") from None
                # a message expunged meanwhile is simply absent
                yield sorted(found, key=lambda o: o.uid)
        finally:
            self._after_command = None
            if self._box is not None:
                self._settle()
            for tag in sent:  # answers nobody will read
                self._early.pop(tag, None)

    def _send(self, name: str, *args: str) -> bytes:
        """Send a command without waiting for its answer, which ``_answer`` reads; its tag."""
        self.commands += 1
        command, _, sub = name.partition(" ")
        try:
            tag: bytes = self.client._command(command, sub, *args)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during {name}: {describe_error(exc)}") from None
        self._in_flight.append((tag, name))
        return tag

    def _answer(self, tag: bytes | None) -> list[object]:
        """The untagged answer to a command sent by ``_send``."""
        if tag is None:
            return []
        self._settle()
        answer = self._early.pop(tag)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _settle(self) -> None:
        """Read the answers of the commands in flight, so that the next command's answer is its own alone."""
        while self._in_flight:
            tag, name = self._in_flight.pop(0)
            try:
                self._early[tag] = self._read_answer(name, tag)
            except (ImapError, ConnectionFailed) as exc:
                self._early[tag] = exc

    def _read_answer(self, name: str, tag: bytes) -> list[object]:
        command, _, sub = name.partition(" ")
        try:
            typ, data = self.client._command_complete(command, tag)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during {name}: {describe_error(exc)}") from None
        except imaplib.IMAP4.error as exc:
            raise ImapError(f"imap: {name} failed: {describe_error(exc)}") from None
        answer: list[object] = list(self.client.untagged_responses.pop(sub or command, []))
        if typ != "OK":
            raise ImapError(f"imap: {name} answered {typ}: {_short(data)}")
        return answer

    def structures(self, uids: Sequence[int]) -> dict[int, imapsyntax.Value]:
        """BODYSTRUCTURE of each message, parsed, in one FETCH per batch."""
        found: dict[int, imapsyntax.Value] = {}
        for chunk in _batches(list(uids)):
            for fields in _fetch_items(self._command("UID FETCH", _uid_set(chunk), "(UID BODYSTRUCTURE)")):
                uid = fields.get(b"UID")
                if isinstance(uid, int):
                    found[uid] = fields.get(b"BODYSTRUCTURE")
        return found

    def search_message_id(self, folder: str, message_id: str) -> list[int]:
        """UIDs of the messages in folder whose Message-ID is exactly message_id."""
        self.examine(folder)
        data = self._command("UID SEARCH", "HEADER", "Message-ID", _quote(message_id))
        found = sorted(int(x) for x in b" ".join(d for d in data if isinstance(d, bytes)).split())
        if not found:
            return []
        # HEADER search is a substring match, and a fuzzy one on some servers (Gmail): check the header itself
        wanted = message_id.strip().encode("utf-8", "replace")
        return [uid for uid, header, _flags in self.fetch(found, "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]")
                if _header_message_id(header) == wanted]

    # --- the one write

    def append_draft(self, folder: str, raw: bytes, when: datetime) -> int | None:
        """APPEND a draft with \\Draft \\Seen; the new UID when the server says it (UIDPLUS)."""
        data = self._command("APPEND", _quote_mailbox(folder), "(\\Draft \\Seen)",
                             imaplib.Time2Internaldate(when), raw)
        for entry in data:
            if isinstance(entry, bytes) and (m := _APPENDUID_RE.search(entry)):
                return int(m[2])
        return None

    # --- waiting

    def idle_supported(self) -> bool:
        return "IDLE" in self.capabilities()

    def idle(self, folder: str) -> IdleSession:
        """``with mailbox.idle(folder) as session: session.wait(...)``: IDLE on folder until the block ends."""
        return IdleSession(self, folder)


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
                raise ImapError(f"imap: IDLE refused: {_short(line.strip())}")
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
                raise ImapError(f"imap: IDLE ended with {_short(line.strip())}")
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
            raise ConnectionFailed(f"imap: server said BYE during IDLE: {_short(line[5:].strip())}")
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


def _keep_alive(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for name, value in KEEPALIVE.items():
            if hasattr(socket, name):
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
    except OSError as exc:
        log.debug("TCP keepalive not set: %s", exc.strerror or type(exc).__name__)


def _header_message_id(header: bytes) -> bytes | None:
    unfolded = re.sub(rb"\r?\n[ \t]+", b" ", header)
    match = _MESSAGE_ID_RE.search(unfolded)
    return match[1] if match else None


def _quote_mailbox(name: str) -> str:
    from imap_tools.imap_utf7 import utf7_encode

    encoded: bytes = utf7_encode(name)
    return _quote(encoded.decode("ascii"))


def _quietly_logout(box: MailBox | MailBoxStartTls | MailBoxUnencrypted) -> None:
    try:
        box.logout()
    except Exception:  # the connection may already be gone; nothing to do
        log.debug("logout failed on a closing connection")


def _log_in(box: MailBox | MailBoxStartTls | MailBoxUnencrypted, username: str, password: str, where: str) -> None:
    """LOGIN when the credentials are ASCII, the one form every server knows. Otherwise AUTHENTICATE
    PLAIN, UTF-8 by RFC 4616; on a server that does not offer it, LOGIN with the password sent as a
    literal, where RFC 3501 allows 8-bit (a quoted string may not hold it)."""
    if username.isascii() and password.isascii():
        box.login(username, password, initial_folder=None)
    elif "AUTH=PLAIN" in box.client.capabilities:
        box.login_utf8(username, password, initial_folder=None)
    elif username.isascii():
        _login_with_literal(box, username, password.encode("utf-8"))
    else:
        raise LoginRefused(f"imap: {where} offers no AUTH=PLAIN, and LOGIN cannot carry the user name "
                           f"{username!r}, which is not ASCII")


def _login_with_literal(box: MailBox | MailBoxStartTls | MailBoxUnencrypted, username: str, password: bytes) -> None:
    client = box.client
    client.literal = password  # type: ignore[assignment]  # imaplib sends it after the arguments, as {N}
    result = client._simple_command("LOGIN", client._quote(username))
    check_command_status(result, MailboxLoginError)
    client.state = "AUTH"  # as imaplib's own login() does
    box.login_result = result




def _short(data: object, limit: int = 200) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + "…"
