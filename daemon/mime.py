# SPDX-License-Identifier: MIT
"""Bytes of a mail in, a ParsedMessage out: decoded headers, body text, calendar parts.

Mail is written by strangers and years of it are broken, so nothing here
raises on bad input except MessageTooLarge: headers that do not decode are
kept as raw text, parts that do not decode are skipped, and walking stops
at a configured number of parts.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import html
import logging
import re
from datetime import datetime
from email.message import Message
from email.policy import compat32
from html.parser import HTMLParser

from .ical import is_calendar_part
from .model import ParsedMessage

log = logging.getLogger(__name__)

# A body beyond this is cut before rules look at it: invitations are short.
TEXT_LIMIT = 200_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_MSGID = re.compile(r"<[^<>\s]{1,500}>")


class MessageTooLarge(Exception):
    pass


def decode_header_value(value: object) -> str:
    """An RFC 2047 header as text with every control character replaced by a space."""
    if value is None:
        return ""
    raw = str(value)
    try:
        text = str(email.header.make_header(email.header.decode_header(raw)))
    except (LookupError, ValueError, UnicodeError, email.errors.HeaderParseError):
        text = raw
    return " ".join(_CONTROL.sub(" ", text).split())


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for name, addr in email.utils.getaddresses([decode_header_value(v) for v in values]):
        addr = addr.strip()
        if addr and "@" in addr:
            pairs.append((name.strip(), addr.lower()))
    return pairs


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


def message_ids(value: str | None) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value or ""))


class _TextFromHtml(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "td", "blockquote"})
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.chunks.append("\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("http://", "https://")):
                self.chunks.append(f" {href} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextFromHtml()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # HTMLParser gives up on some broken markup
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    lines = (" ".join(line.split()) for line in "".join(parser.chunks).splitlines())
    return "\n".join(line for line in lines if line)


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError):
        return b""
    return payload if isinstance(payload, bytes) else b""


def _payload_text(part: Message) -> str:
    data = _payload_bytes(part)
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # a charset nobody knows: UTF-8 is the best guess today
        return data.decode("utf-8", errors="replace")


def _walk(root: Message, max_parts: int) -> list[Message]:
    """Leaf parts, depth first, without recursion so that deep nesting cannot blow the stack."""
    leaves: list[Message] = []
    stack = [root]
    seen = 0
    while stack:
        part = stack.pop()
        seen += 1
        if seen > max_parts:
            log.debug("stopped walking after %d parts", max_parts)
            break
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
        else:
            leaves.append(part)
    return leaves


def parse(raw: bytes, *, max_parts: int = 200, max_bytes: int | None = None) -> ParsedMessage:
    if max_bytes is not None and len(raw) > max_bytes:
        raise MessageTooLarge(f"{len(raw)} bytes, over the limit of {max_bytes}")
    msg = email.message_from_bytes(raw, policy=compat32)
    plain: list[str] = []
    markup: list[str] = []
    calendars: list[bytes] = []
    for part in _walk(msg, max_parts):
        ctype = part.get_content_type()
        filename = decode_header_value(part.get_filename()) if part.get_param("name") or part.get(
            "content-disposition") else None
        disposition = (part.get("content-disposition") or "").lower()
        head = _payload_bytes(part)[:4096] if not ctype.startswith(("image/", "audio/", "video/")) else b""
        if is_calendar_part(ctype, filename, head):
            calendars.append(_payload_bytes(part))
        elif ctype == "text/plain" and "attachment" not in disposition:
            plain.append(_payload_text(part))
        elif ctype == "text/html" and "attachment" not in disposition:
            markup.append(_payload_text(part))
    text = "\n".join(plain).strip() or "\n".join(html_to_text(m) for m in markup)
    from_pairs = _addresses(msg.get_all("from") or [])
    headers = tuple((k.lower(), decode_header_value(v)) for k, v in msg.items())
    return ParsedMessage(
        message_id=next(iter(message_ids(msg.get("message-id"))), None),
        subject=decode_header_value(msg.get("subject")),
        from_name=from_pairs[0][0] or None if from_pairs else None,
        from_email=from_pairs[0][1] if from_pairs else None,
        reply_to=tuple(a for _, a in _addresses(msg.get_all("reply-to") or [])),
        to=tuple(a for _, a in _addresses(msg.get_all("to") or [])),
        cc=tuple(a for _, a in _addresses(msg.get_all("cc") or [])),
        date=_date(msg.get("date")),
        headers=headers,
        text=text[:TEXT_LIMIT],
        calendars=tuple(calendars),
        in_reply_to=next(iter(message_ids(msg.get("in-reply-to"))), None),
        references=message_ids(msg.get("references")),
    )


def display_name_of(parsed: ParsedMessage, address: str) -> str | None:
    """The display name given for ``address`` in From, Reply-To, To or Cc, if any."""
    for key in ("from", "reply-to", "to", "cc"):
        for k, v in parsed.headers:
            if k != key:
                continue
            for name, addr in email.utils.getaddresses([v]):
                if addr.lower() == address.lower() and name.strip():
                    return name.strip()
    return None
