# SPDX-License-Identifier: MIT
"""IMAP FETCH responses as Python values, and BODYSTRUCTURE as a list of leaf parts.

Pure parsing, no I/O: mailbox.py sends the commands, this reads what imaplib
hands back. imaplib splits a response at each literal (``{123}``) into a
tuple (the line up to the literal, the literal's bytes); everything else is
IMAP's own syntax of atoms, numbers, quoted strings, NIL and parenthesised
lists (RFC 3501, section 9).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Value = bytes | int | None | list["Value"]

# An atom may carry a section and a partial range: BODY[HEADER.FIELDS (FROM TO)]<0>
_TOKEN = re.compile(
    rb'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<quoted>(?:[^"\\]|\\.)*)"'
    rb"|(?P<literal>\{\d+\+?\}$)|(?P<atom>[^\s()\[\"{]+(?:\[[^\]]*\](?:<[\d.]+>)?)?))"
)
_UNESCAPE = re.compile(rb"\\(.)")


class SyntaxProblem(ValueError):
    pass


def _tokens(data: Sequence[object]) -> Iterator[tuple[str, bytes]]:
    """(kind, text) pairs over imaplib's response pieces, literals spliced back in."""
    for piece in data:
        if isinstance(piece, tuple):
            line, literal = bytes(piece[0]), bytes(piece[1])
            yield from _line_tokens(line)
            yield "string", literal
        elif isinstance(piece, bytes):
            yield from _line_tokens(piece)


def _line_tokens(line: bytes) -> Iterator[tuple[str, bytes]]:
    position = 0
    end = len(line.rstrip())
    while position < end:
        match = _TOKEN.match(line, position, end)
        if match is None or match.end() == position:
            raise SyntaxProblem(f"unexpected {line[position:position + 20]!r}")
        position = match.end()
        kind = match.lastgroup
        if kind == "literal":
            continue  # its bytes come next, as the tuple's second half
        if kind == "quoted":
            yield "string", _UNESCAPE.sub(rb"\1", match["quoted"])
        elif kind == "atom":
            yield "atom", match["atom"]
        else:
            yield kind or "", b""


def _value(tokens: Iterator[tuple[str, bytes]], first: tuple[str, bytes]) -> Value:
    kind, text = first
    if kind == "open":
        items: list[Value] = []
        for token in tokens:
            if token[0] == "close":
                return items
            items.append(_value(tokens, token))
        raise SyntaxProblem("unclosed list")
    if kind == "string":
        return text
    if kind == "atom":
        if text.upper() == b"NIL":
            return None
        return int(text) if text.isdigit() else text
    raise SyntaxProblem("unexpected )")


def status_responses(data: Sequence[object]) -> dict[bytes, dict[bytes, int]]:
    """The STATUS responses' data (``mailbox (NAME NUMBER ...)``, one per folder) by the folder's name as
    the server wrote it (modified UTF-7), each item's upper-case name to its number."""
    tokens = _tokens(data)
    found: dict[bytes, dict[bytes, int]] = {}
    for first in tokens:
        name, items = _value(tokens, first), _value(tokens, next(tokens, ("", b"")))
        if isinstance(name, int):
            name = str(name).encode()  # a folder named with digits only is an atom
        if not isinstance(name, bytes) or not isinstance(items, list):
            raise SyntaxProblem(f"not a STATUS response: {name!r}")
        pairs = zip(items[::2], items[1::2], strict=False)
        found[name] = {k.upper(): v for k, v in pairs if isinstance(k, bytes) and isinstance(v, int)}
    return found


def fetch_items(data: Sequence[object]) -> Iterator[dict[bytes, Value]]:
    """One dict per message of a FETCH response: upper-case item name (BODY[HEADER]) to value."""
    tokens = _tokens(data)
    for token in tokens:
        # imaplib files "* N FETCH (...)" under FETCH and hands back "N (...)"
        if token[0] != "atom" or not token[1].isdigit():
            continue
        listing = _value(tokens, next(tokens, ("", b"")))
        if not isinstance(listing, list) or len(listing) % 2:
            raise SyntaxProblem("FETCH items are not name/value pairs")
        items: dict[bytes, Value] = {}
        for key, value in zip(listing[::2], listing[1::2], strict=True):
            if isinstance(key, bytes):
                items[key.upper()] = value
        yield items


# The usual shape of one message's answer to the scan's first FETCH, as Dovecot gives it: UID and size
# first, the header fields as the one literal, the structure after it. Anything else takes fetch_items.
_OUTLINE_HEAD = re.compile(rb"^\d+ \(UID (\d+) RFC822\.SIZE (\d+) (BODY\[HEADER\.FIELDS \([^()]*\)\]) \{\d+\}$")
_OUTLINE_TAIL = re.compile(rb"^ BODYSTRUCTURE (\(.*\))\)$", re.DOTALL)
_MESSAGE_START = re.compile(rb"\d+ \(")


@dataclass(frozen=True)
class Outline:
    """A message of a header-and-structure FETCH; structure is None when its text holds no hint."""

    uid: int
    size: int
    header: bytes
    structure: Value


def outlines(data: Sequence[object], hints: Sequence[bytes]) -> Iterator[Outline]:
    """Each message of a ``UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (...)] BODYSTRUCTURE`` answer.

    The structure is parsed only when one of ``hints`` is in its lower-cased text
    (a parse is most of the cost of a message here); otherwise it is None,
    which says that none of them is in it.
    """
    for group in _per_message(data):
        outline = _plain_outline(group, hints)
        if outline is None:
            outline = _parsed_outline(group)
        if outline is not None:
            yield outline


def _per_message(data: Sequence[object]) -> Iterator[list[object]]:
    group: list[object] = []
    for piece in data:
        line = piece[0] if isinstance(piece, tuple) else piece
        if isinstance(line, bytes) and _MESSAGE_START.match(line) and group:
            yield group
            group = []
        group.append(piece)
    if group:
        yield group


def _plain_outline(group: list[object], hints: Sequence[bytes]) -> Outline | None:
    if len(group) != 2 or not isinstance(group[0], tuple) or not isinstance(group[1], bytes):
        return None
    line, header = group[0]
    head, tail = _OUTLINE_HEAD.match(line), _OUTLINE_TAIL.match(group[1].rstrip())
    if head is None or tail is None:
        return None
    structure = tail[1].lower()
    if any(hint in structure for hint in hints):
        return None
    return Outline(int(head[1]), int(head[2]), bytes(header), None)


def _parsed_outline(group: list[object]) -> Outline | None:
    for items in fetch_items(group):
        uid, size = items.get(b"UID"), items.get(b"RFC822.SIZE")
        # by its prefix: servers echo the field list in their own spelling (quoted, another case)
        header = next((v for k, v in items.items() if k.startswith(b"BODY[HEADER.FIELDS")), None)
        if isinstance(uid, int) and isinstance(size, int) and isinstance(header, bytes):
            structure = items.get(b"BODYSTRUCTURE")
            # no structure at all is not a plain one: b"" makes the caller look further
            return Outline(uid, size, header, structure if structure is not None else b"")
    return None


@dataclass(frozen=True)
class Leaf:
    """One non-multipart part of a message, as BODYSTRUCTURE describes it."""

    section: str  # IMAP part number: "1", "2.1"
    content_type: str  # lower case, "text/plain"
    disposition: str | None  # lower case, "attachment" / "inline"
    names: tuple[str, ...]  # every filename / name parameter as sent, RFC 2231 pieces and encoded words included
    size: int  # octets of the encoded body


def _text(value: Value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _params(value: Value) -> dict[str, str]:
    if not isinstance(value, list):
        return {}
    return {_text(k).lower(): _text(v) for k, v in zip(value[::2], value[1::2], strict=False)}


def _disposition(extension: Sequence[Value]) -> tuple[str | None, dict[str, str]]:
    for item in extension:
        if isinstance(item, list) and item and isinstance(item[0], bytes):
            return item[0].decode("ascii", "replace").lower(), _params(item[1] if len(item) > 1 else None)
    return None, {}


def _parts(multipart: list[Value]) -> list[Value]:
    """The parts of a multipart: the lists before its subtype (the lists after it are extensions)."""
    parts: list[Value] = []
    for item in multipart:
        if not isinstance(item, list):
            break
        parts.append(item)
    return parts


def leaves(structure: Value, section: str = "") -> list[Leaf]:
    """The leaf parts of a BODYSTRUCTURE, depth first, which is also their order in the message."""
    if not isinstance(structure, list) or not structure:
        raise SyntaxProblem("BODYSTRUCTURE is not a list")
    if isinstance(structure[0], list):  # multipart: its parts, then the subtype and extensions
        found: list[Leaf] = []
        for index, part in enumerate(_parts(structure)):
            found.extend(leaves(part, f"{section}.{index + 1}" if section else str(index + 1)))
        return found
    if len(structure) < 7:
        raise SyntaxProblem("BODYSTRUCTURE part has too few fields")
    content_type = f"{_text(structure[0])}/{_text(structure[1])}".lower()
    size = structure[6] if isinstance(structure[6], int) else 0
    # the disposition follows the type-specific fields and the MD5
    at = 11 if content_type == "message/rfc822" else 9 if content_type.startswith("text/") else 8
    disposition, disposition_params = _disposition(structure[at:at + 1])
    if content_type == "message/rfc822" and len(structure) > 8 and isinstance(structure[8], list):
        # an attached message: its own parts are what a parser walks into
        return leaves(structure[8], f"{section}.1" if section else "1")
    names = tuple(v for k, v in (*disposition_params.items(), *_params(structure[2]).items())
                  if k.startswith(("filename", "name")))
    return [Leaf(section or "1", content_type, disposition, names, size)]


def count_parts(structure: Value) -> int:
    """Every node of the tree, containers included, as a MIME walker counts them."""
    if not isinstance(structure, list) or not structure:
        return 0
    if isinstance(structure[0], list):
        return 1 + sum(count_parts(p) for p in _parts(structure))
    if len(structure) > 8 and isinstance(structure[8], list) and _text(structure[0]).lower() == "message":
        return 1 + count_parts(structure[8])
    return 1
