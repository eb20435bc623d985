# SPDX-License-Identifier: MIT
"""Bytes of a mail in, a ParsedMessage out: decoded headers, body text, calendar parts.

Mail is written by strangers and years of it are broken, so nothing here
raises on bad input but MessageSkipped, which says why the message is not
read (over a limit, nested beyond what the parser follows). Headers that do
not decode are kept as raw text, 8-bit headers are read as UTF-8 (a stray
byte as Windows-1252), parts that do not decode are skipped, a charset that
lies or that nobody knows falls back the same way, and every text that comes
out is free of control characters but the body's line ends.
"""

from __future__ import annotations

import codecs
import copy
import email
import email.errors
import email.header
import email.utils
import html
import logging
import re
from collections.abc import Collection, Iterable
from datetime import datetime
from email.message import Message
from email.policy import compat32
from functools import lru_cache

from daemon.model import ParsedMessage
from daemon.text import one_line
from daemon.understand import mimefeed
from daemon.understand.ical import is_calendar_part

log = logging.getLogger(__name__)

# A body beyond this is cut before rules look at it: invitations are short.
TEXT_LIMIT = 200_000
# HTML is cut before it is turned into text: markup is mostly style, and this is five times TEXT_LIMIT.
MARKUP_LIMIT = 1_000_000
# A header block beyond this is not looked at to name a message that cannot be parsed.
HEAD_LIMIT = 1_000_000
# A subject is read up to what a mail client shows of it and more; past that it is a stranger's noise, which
# every extractor would otherwise read through
SUBJECT_LIMIT = 2_000
# Leaf types never decoded to look for a calendar inside.
_MEDIA = ("image/", "audio/", "video/")
# The decoded bytes that say whether a part is a calendar (ical.is_calendar_part), and the characters of
# its body as sent that hold them whatever the transfer encoding (quoted-printable: 3 a byte, and breaks).
SNIFF_BYTES = 4096
SNIFF_CHARS = 4 * SNIFF_BYTES

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_BODY_CONTROL = re.compile("[\x00-\x09\x0e-\x1f\x7f-\x84\x86-\x9f]")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
# A msg-id: no spaces, brackets or control characters, so nothing in it can end a line or a header.
_MSGID = re.compile(r"<[^<>\s\x00-\x1f\x7f-\x9f]{1,500}>")
# An address relance may keep: one @, something either side, nothing that separates or quotes
# (no length limit of RFC 5321 on the local part: relay addresses of calendar services exceed it).
_ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f-\x9f<>()\[\]\\,;:\"]{1,200}@[^@\s\x00-\x1f\x7f-\x9f<>()\[\]\\,;:\"]{1,253}")


class MessageSkipped(Exception):
    """The message is not read; the text says why, for the log line and the record."""


class MessageTooLarge(MessageSkipped):
    pass


class TooManyParts(MessageSkipped):
    pass


class NestedTooDeep(MessageSkipped):
    pass


# --- headers


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in text that should be are Windows-1252 nearly always (or the 0x80 a
    server stores for a NUL): read so, they cost one character, where giving up on UTF-8 for the
    whole text would garble every accent in it."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


STRAY_BYTES = "relance.stray-bytes-as-cp1252"
codecs.register_error(STRAY_BYTES, _stray_bytes_as_cp1252)


def _from_8bit(value: str) -> str:
    """A header as the parser keeps it (8-bit bytes as surrogates) read as UTF-8."""
    if value.isascii():
        return value
    return value.encode("utf-8", "surrogateescape").decode("utf-8", errors=STRAY_BYTES)


def _unfold(value: str) -> str:
    return _FOLD.sub("", value)


def decode_header_value(value: object) -> str:
    """An RFC 2047 header as text with every control character replaced by a space."""
    if value is None:
        return ""
    raw = _from_8bit(str(value))
    if "=?" not in raw:
        return one_line(raw)  # no encoded word: decode_header would hand it back as it is
    try:
        text = str(email.header.make_header(email.header.decode_header(raw)))
    except (LookupError, ValueError, UnicodeError, email.errors.HeaderParseError):
        text = raw
    return one_line(text)


def is_plausible_address(value: str) -> bool:
    """One local@domain with nothing in it that could end a header or smuggle a second address."""
    return _ADDRESS.fullmatch(value) is not None


def _getaddresses(values: Iterable[str]) -> list[tuple[str, str]]:
    try:
        return email.utils.getaddresses(list(values))
    except RecursionError:  # "((((…" nests comments, "::::" groups: one call deeper each
        return []


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) of address headers.

    Parsed before encoded words are decoded, as RFC 2047 wants: an encoded
    word that decodes to "<x@y>" or "," stays part of a name, never an address.
    """
    if sum(map(len, values)) > 1024:  # the cache is for the usual short headers, not a To: of thousands
        return list(_address_pairs.__wrapped__(tuple(values)))
    return list(_address_pairs(tuple(values)))


@lru_cache(maxsize=4096)
def _address_pairs(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # a mailbox repeats its senders and its To: thousands of times; the scan parses each once
    pairs = []
    surname = ""
    for name, addr in _getaddresses(_CONTROL.sub(" ", _unfold(v)) for v in values):
        addr = addr.strip()
        if is_plausible_address(addr.lower()):
            decoded = decode_header_value(name)
            pairs.append((f"{surname}, {decoded}" if surname and decoded else decoded, addr.lower()))
            surname = ""
        else:
            # Outlook's "Tremblay, Geneviève <g@…>" unquoted: the word before the comma is the name's surname
            surname = addr if not name and _SURNAME_ALONE.fullmatch(addr) else ""
    return tuple(pairs)


_SURNAME_ALONE = re.compile(r"[A-ZÀ-Ý][\w'’-]+")


def header_date(value: str | None) -> datetime | None:
    """A Date field's instant, aware, or None when it has none that can be trusted."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(_unfold(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed


def message_ids(value: str | None) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value or ""))


class _Headers:
    """The message's headers as sent, 8-bit ones read as text, looked up by lower-case name."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self.items = [(_from_8bit(k).lower(), _from_8bit(v)) for k, v in items]

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.items if k == name]

    def first(self, name: str) -> str | None:
        return next((v for k, v in self.items if k == name), None)

    def first_id(self, name: str) -> str | None:
        return next(iter(message_ids(self.first(name))), None)


def header_block(raw: bytes) -> bytes:
    """The bytes of a message up to the blank line that ends its header (all of it when there is none)."""
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=len(raw))
    return raw[:end]


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID of a message that may not parse, to name it in a log line. Never raises."""
    try:
        head = email.message_from_bytes(header_block(raw)[:HEAD_LIMIT], policy=compat32)
        return _Headers(head.raw_items()).first_id("message-id")
    except Exception:  # a name for a log line is not worth a crash
        return None


# --- HTML


# One alternation read left to right in one pass: every branch either matches
# or stops at the next "<", so hostile markup (thousands of unclosed "<b" or
# "<!--") costs linear time, where html.parser goes quadratic.
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?P<hidden>script|style|head|title)\b[^<>]*>.*?(?:</(?P=hidden)\s*>|\Z)"
    r"|<(?P<closing>/?)(?P<tag>[a-z][a-z0-9]*)\b(?P<attrs>[^<>]*)>"
    r"|<[!?/][^<>]*>"
    r"|(?P<text>[^<]+|<)",
    re.DOTALL | re.IGNORECASE,
)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "td", "th", "blockquote"})


def _tag_text(tag: str, closing: bool, attrs: str) -> str:
    if tag in _BREAKS:
        return "\n"
    if tag == "a" and not closing:
        match = _HREF.search(attrs)
        href = html.unescape(next((g for g in match.groups() if g), "")) if match else ""
        if href.startswith(("http://", "https://")):
            return f" {href} "
    return ""


# Struck-through text is what no longer holds: the old time of a moved interview ("<s>Wednesday, 10:00</s>").
# It is struck within its block: a tag a stranger leaves open must not hide the rest of the mail.
_STRUCK = frozenset({"s", "strike", "del"})
_BLOCKS = _BREAKS - {"br"}


def html_to_text(markup: str) -> str:
    chunks = []
    struck = 0
    for token in _HTML_TOKEN.finditer(markup[:MARKUP_LIMIT]):
        if token["tag"]:
            tag, closing = token["tag"].lower(), bool(token["closing"])
            if tag in _STRUCK:
                struck = max(0, struck - 1) if closing else struck + 1
            elif tag in _BLOCKS:
                struck = 0
            chunks.append(_tag_text(tag, closing, token["attrs"]))
        elif token["text"] and not struck:
            chunks.append(html.unescape(token["text"]))
    lines = (" ".join(line.split()) for line in "".join(chunks).splitlines())
    return "\n".join(line for line in lines if line)


# --- parts


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError, LookupError, IndexError):
        return b""
    return payload if isinstance(payload, bytes) else b""


def _charset_of(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except (LookupError, ValueError, UnicodeError):
        return None


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes as text under the declared charset.

    A charset that is missing, unknown or not a text encoding means UTF-8;
    bytes that UTF-8 (or ASCII) cannot read are read as Windows-1252.
    """
    if charset and charset.lower() not in ("utf-8", "utf8", "us-ascii", "ascii"):
        try:
            return data.decode(charset, errors="replace")
        except (LookupError, UnicodeError, ValueError, TypeError):
            pass
    return data.decode("utf-8", errors=STRAY_BYTES)


def _filename_of(part: Message) -> str | None:
    if not (part.get_param("name") or part.get("content-disposition")):
        return None
    try:
        return decode_header_value(part.get_filename())
    except (LookupError, ValueError, UnicodeError, TypeError):
        return None


def _leaves(root: Message, max_parts: int) -> list[Message]:
    """Leaf parts, depth first, without recursion so that deep nesting cannot blow the stack."""
    leaves: list[Message] = []
    stack = [root]
    seen = 0
    while stack:
        part = stack.pop()
        seen += 1
        if seen > max_parts:
            raise TooManyParts(f"more than {max_parts} MIME parts (limits.parts)")
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
        else:
            leaves.append(part)
    return leaves


def _clean_body(text: str) -> str:
    """Line ends as LF, every other control character a space: what rules and extractors expect."""
    return _BODY_CONTROL.sub(" ", _LINE_BREAK.sub("\n", text))


def _attached(part: Message) -> bool:
    return "attachment" in str(part.get("content-disposition") or "").lower()


def _payload_head(part: Message, chars: int) -> bytes:
    """The decoded bytes of the first ``chars`` characters of a part's body as sent: what is read of
    a part that is not wanted whole, without decoding (copying) the rest."""
    # the body as the parser stored it (8-bit bytes as surrogates): get_payload() would decode those
    # under the part's charset, and a copy holding that text would encode back to other bytes
    payload = getattr(part, "_payload", None)
    if not isinstance(payload, str) or len(payload) <= chars:
        return _payload_bytes(part)
    head = copy.copy(part)  # its headers say how the body is encoded; the part itself stays as it is
    head.set_payload(payload[:chars])
    return _payload_bytes(head)


def _text_chars(part: Message) -> int:
    """Characters of a text part's body read, as sent: as many as the bytes of it decode_text reads."""
    return (TEXT_LIMIT if part.get_content_type() == "text/plain" else MARKUP_LIMIT) * 4


def _is_body_text(ctype: str, part: Message) -> bool:
    return ctype in ("text/plain", "text/html") and not _attached(part)


def body_kept(part: Message) -> int | None:
    """The characters of a leaf's body that the parse keeps (None: all): a calendar whole, of the body
    text what is read of it, of any other part what says whether it is a calendar after all."""
    ctype = part.get_content_type()
    if is_calendar_part(ctype, _filename_of(part), b""):
        return None
    if ctype.startswith(_MEDIA):
        return 0
    return max(_text_chars(part), SNIFF_CHARS) if _is_body_text(ctype, part) else SNIFF_CHARS


def wanted_whole(part: Message, head: str) -> bool:
    """Whether a leaf whose body goes past ``body_kept`` is a calendar, from its first characters."""
    ctype = part.get_content_type()
    if ctype.startswith(_MEDIA):
        return False
    sniffed = copy.copy(part)
    sniffed.set_payload(head[:SNIFF_CHARS])
    return is_calendar_part(ctype, _filename_of(part), _payload_bytes(sniffed)[:SNIFF_BYTES])


def _read_leaves(leaves: list[Message]) -> tuple[str, tuple[bytes, ...]]:
    """The body text (text/plain, else HTML made text) and the calendar parts: only these are decoded
    whole, of any other part only what says it is no calendar."""
    plain: list[str] = []
    markup: list[str] = []
    calendars: list[bytes] = []
    for part in leaves:
        ctype = part.get_content_type()
        head = b"" if ctype.startswith(_MEDIA) else _payload_head(part, SNIFF_CHARS)[:SNIFF_BYTES]
        if is_calendar_part(ctype, _filename_of(part), head):
            calendars.append(_payload_bytes(part))
        elif ctype == "text/plain" and _is_body_text(ctype, part):
            plain.append(decode_text(_payload_head(part, _text_chars(part))[: TEXT_LIMIT * 4], _charset_of(part)))
        elif ctype == "text/html" and _is_body_text(ctype, part):
            markup.append(decode_text(_payload_head(part, _text_chars(part))[: MARKUP_LIMIT * 4], _charset_of(part)))
    return _clean_body(_body_text(plain, markup)[:TEXT_LIMIT]), tuple(calendars)


# A plain part this short beside an HTML part many times its length is a stub ("This message requires an
# HTML-capable email client", "Vous avez reçu un nouveau message"): recruiting systems put the recruiter's
# words in the HTML alone.
_STUB_CHARS = 400
_STUB_RATIO = 2


def _body_text(plain: list[str], markup: list[str]) -> str:
    """The text/plain parts, unless they are missing or a stub of what the HTML parts say."""
    text = "\n".join(plain).strip()
    if markup and len(text) < _STUB_CHARS:
        html_text = "\n".join(html_to_text(m) for m in markup)
        if not text or len(html_text.strip()) > _STUB_RATIO * len(text):
            return html_text
    return text


# --- the message


def _message_from_bytes(raw: bytes) -> Message:
    try:
        # by slices, the bodies no stage reads cut as they go by (mimefeed): memory a small multiple of
        # the message's size, where email.message_from_bytes takes some ten times it
        return mimefeed.parse_bytes(raw, body_kept, wanted_whole)[0]
    except RecursionError:
        # the parser recurses once per level of multipart; a real mail nests a handful
        raise NestedTooDeep("MIME parts nested deeper than the mail parser follows") from None


def parse(raw: bytes, *, max_parts: int = 200, max_bytes: int | None = None) -> ParsedMessage:
    if max_bytes is not None and len(raw) > max_bytes:
        raise MessageTooLarge(f"{len(raw)} bytes, over limits.message_bytes ({max_bytes})")
    msg = _message_from_bytes(raw)
    text, calendars = _read_leaves(_leaves(msg, max_parts))
    return _parsed(_Headers(msg.raw_items()), text, calendars)


def parse_header(raw: bytes, named: Collection[str] = ()) -> ParsedMessage:
    """A message known by its header alone (the scan's first look): no text, no calendar, no date, and
    in ``headers`` only the fields ``named`` (lower case): those the rules it meets look up by name."""
    return _parsed(_Headers(header_fields(raw)), "", (), dated=False, named=frozenset(named))


# What the email package's parser does with a header block, in two passes over it instead of
# a line-by-line feed: the scan reads the header of every message in the mailbox, and the feed
# takes most of the time there. tests/test_firstlook_headers.py holds the two to the same answer.
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")  # email.feedparser.headerRE


def header_fields(raw: bytes) -> list[tuple[str, str]]:
    """(name, value) of each field of a header, exactly as ``Message.raw_items()`` gives them (compat32)."""
    lines = []
    for line in _LINES.findall(raw.decode("ascii", "surrogateescape")):
        if not _HEADER_LINE.match(line):
            break  # the blank line, or the first line that is no header: the body starts
        lines.append(line)
    fields: list[tuple[str, str]] = []
    field: list[str] = []
    for number, line in enumerate(lines):
        if line[0] in " \t":
            if field:  # a continuation with no field before it is dropped
                field.append(line)
            continue
        if field:
            fields.append(_field(field))
            field = []
        if line.startswith("From "):
            if number == len(lines) - 1 and number > 0:
                break  # the parser takes a last "From " line for the body's first
            continue  # an mbox envelope line, not a field
        if not line.startswith(":"):  # no name: dropped
            field = [line]
    if field:
        fields.append(_field(field))
    return fields


def _field(lines: list[str]) -> tuple[str, str]:
    name, value = lines[0].split(":", 1)
    return name, (value.lstrip(" \t") + "".join(lines[1:])).rstrip("\r\n")


def _parsed(headers: _Headers, text: str, calendars: tuple[bytes, ...], *, dated: bool = True,
            named: frozenset[str] | None = None) -> ParsedMessage:
    kept = headers.items if named is None else [(k, v) for k, v in headers.items if k in named]
    from_pairs = _addresses(headers.all("from"))
    return ParsedMessage(
        message_id=headers.first_id("message-id"),
        subject=decode_header_value(headers.first("subject"))[:SUBJECT_LIMIT],
        from_name=from_pairs[0][0] or None if from_pairs else None,
        from_email=from_pairs[0][1] if from_pairs else None,
        reply_to=tuple(a for _, a in _addresses(headers.all("reply-to"))),
        to=tuple(a for _, a in _addresses(headers.all("to"))),
        cc=tuple(a for _, a in _addresses(headers.all("cc"))),
        date=header_date(headers.first("date")) if dated else None,
        headers=tuple((k, decode_header_value(v)) for k, v in kept),
        text=text,
        calendars=calendars,
        in_reply_to=headers.first_id("in-reply-to"),
        references=message_ids(headers.first("references")),
    )


def display_name_of(parsed: ParsedMessage, address: str) -> str | None:
    """The display name given for ``address`` in From, Reply-To, To or Cc, if any."""
    return _display_names(parsed.headers).get(address.lower())


@lru_cache(maxsize=4)
def _display_names(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    # Extraction asks for every recipient in turn: parsing the headers for each
    # would be quadratic in a To: of thousands. The dict is only ever read.
    names: dict[str, str] = {}
    for key in ("from", "reply-to", "to", "cc"):
        for name, addr in _getaddresses(v for k, v in headers if k == key):
            if name.strip():
                names.setdefault(addr.lower(), name.strip())
    return names
