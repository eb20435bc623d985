# SPDX-License-Identifier: MIT
"""The only code that speaks IMAP.

Watched folders and the Sent folder are only ever EXAMINEd (read-only) and
fetched with BODY.PEEK, so the user's messages and flags never change. The one
write is APPEND of a draft to the Drafts folder.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import TracebackType

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError
from imap_tools.utils import check_command_status

from daemon.config import ImapSettings
from daemon.credentials import Credential
from daemon.errors import SetupError
from daemon.mail import imapsyntax
from daemon.mail.imapdata import ConnectionFailed, FolderMissing, FolderState, ImapError, LoginRefused, short_repr
from daemon.mail.pipeline import PipelinedReads
from daemon.text import describe_error

log = logging.getLogger(__name__)

# Names tried, in order, when no folder carries the \Drafts special-use flag.
DRAFTS_FALLBACK_NAMES = ("Drafts", "INBOX.Drafts", "INBOX/Drafts", "Brouillons", "INBOX.Brouillons",
                         "[Gmail]/Drafts", "Draft", "Entwürfe")
# The same for \Sent (RFC 6154): the names clients and providers give it when the server flags none.
SENT_FALLBACK_NAMES = ("Sent", "INBOX.Sent", "INBOX/Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail",
                       "Éléments envoyés", "Messages envoyés", "Envoyés", "INBOX.Envoyés", "Gesendete Objekte",
                       "Gesendet")


_APPENDUID_RE = re.compile(rb"APPENDUID (\d+) (\d+)")
_MESSAGE_ID_RE = re.compile(rb"^Message-ID:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)

# TCP keepalive notices a peer that vanished (a suspended laptop, a NAT that forgot us)
# even in the middle of a long IDLE: first probe after 60 s of silence, dead after 4 more.
KEEPALIVE = {"TCP_KEEPIDLE": 60, "TCP_KEEPINTVL": 15, "TCP_KEEPCNT": 4}


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


def imap_date(day: date) -> str:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day.day}-{months[day.month - 1]}-{day.year}"


def _quote(text: str) -> str:
    if any(c in text for c in "\r\n\0"):
        raise ValueError("control character in an IMAP string")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox(PipelinedReads):
    """One IMAP connection. Use as a context manager; every method needs it open."""

    def __init__(self, imap: ImapSettings, credential: Callable[[], Credential]) -> None:
        self.settings = imap
        self._credential = credential
        self._box: MailBox | MailBoxStartTls | MailBoxUnencrypted | None = None
        self.commands = 0  # IMAP commands sent, for the benchmarks and the logs
        self.last_status: dict[str, FolderState] = {}  # what STATUS said last, per folder
        self.surveyed: dict[str, FolderState] = {}  # what this cycle's survey said, until status() takes it
        self.list_status = True  # until the server refuses LIST-STATUS
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
            raise ImapError(f"imap: {name} {target} answered {typ}: {short_repr(data)}")
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

    def survey(self, folders: Sequence[str]) -> None:
        """The state of several folders in one round trip (LIST-STATUS, RFC 5819), for status() to answer
        from in this cycle: a cycle with no new mail costs two commands however many folders it reads.
        A server without it is asked folder by folder, as status() does."""
        self.surveyed = {}
        if len(folders) < 2 or not self.list_status:
            return
        if self.selected in folders:
            self._command("NOOP")  # as in status(): the selected folder's view brought up to date first
        names = {_survey_key(_utf7(f)): f for f in folders}
        self._settle()
        self.commands += 1
        try:
            typ, data = self.client._simple_command(
                "LIST", '""', "(" + " ".join(_quote_mailbox(f) for f in folders) + ")",
                "RETURN", "(STATUS (UIDVALIDITY UIDNEXT MESSAGES))")
            self.client._untagged_response(typ, data, "LIST")  # read, or imaplib keeps them for ever
            typ, data = self.client._untagged_response(typ, data, "STATUS")
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during LIST: {describe_error(exc)}") from None
        except imaplib.IMAP4.error as exc:  # BAD: no LIST-EXTENDED or LIST-STATUS here
            log.debug("LIST-STATUS refused (%s): one STATUS per folder", describe_error(exc))
            self.list_status = False
            return
        if typ != "OK":
            self.list_status = False
            return
        try:
            answered = imapsyntax.status_responses([d for d in data if d is not None])
        except imapsyntax.SyntaxProblem as exc:
            log.debug("LIST-STATUS answer unreadable (%s): one STATUS per folder", exc)
            return
        for name, items in answered.items():
            folder = names.get(_survey_key(name))
            if folder is not None and {b"UIDVALIDITY", b"UIDNEXT"} <= items.keys():
                self.surveyed[folder] = FolderState(items[b"UIDVALIDITY"], items[b"UIDNEXT"], items.get(b"MESSAGES", 0))

    def status(self, folder: str) -> FolderState:
        surveyed = self.surveyed.pop(folder, None)
        if surveyed is not None:
            self.last_status[folder] = surveyed
            return surveyed
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
            raise FolderMissing(f"imap: cannot open folder {folder!r}: {short_repr(data)}")
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


def _utf7(name: str) -> bytes:
    from imap_tools.imap_utf7 import utf7_encode

    encoded: bytes = utf7_encode(name)
    return encoded


def _quote_mailbox(name: str) -> str:
    return _quote(_utf7(name).decode("ascii"))


def _survey_key(name: bytes) -> bytes:
    return b"INBOX" if name.upper() == b"INBOX" else name  # INBOX is INBOX in any case (RFC 3501)


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


