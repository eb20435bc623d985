# SPDX-License-Identifier: MIT
"""The email package's parser fed a message's bytes a slice at a time, with the bodies no stage reads
cut as they stream by.

``email.message_from_bytes`` makes the whole message one str, then a StringIO of it (four bytes a
character), then a list of its lines and their join for each part: some nine times the message's size
at the peak, for a 20 MB attachment no stage reads past its first kilobytes. Here the bytes go in by
slices (no whole copy), and once a leaf part's body has passed what ``keep`` allows of it, its further
lines are replaced by one shared empty line (a list of references, not of text). A part that turns out
to be wanted whole (``whole``: a calendar known by its first bytes) is kept whole.

This leans on two inner points of ``email.feedparser`` (Python 3.11 to 3.13): the parser's input
buffer (``_input``) and its header step (``_parse_headers``). Were they to change, ``parse_bytes``
notices and parses without cutting: the same answer, the old memory.
"""

from __future__ import annotations

import email.feedparser
import logging
from collections.abc import Callable
from email.message import Message
from email.policy import compat32
from typing import Any

# Not in the typeshed stubs: the parser's line buffer, and the parser's state this module reads.
_BufferedSubFile: Any = getattr(email.feedparser, "BufferedSubFile", object)

log = logging.getLogger(__name__)

# Bytes handed to the parser at a time: each slice is decoded on its own, never the whole message.
SLICE = 64 * 1024
# What a cut body's lines become: one object, whatever the number of lines.
_CUT_LINE = "\n"

# The characters of a leaf's body to keep (None: all of it), known from its headers.
Keep = Callable[[Message], int | None]
# Whether a leaf whose body goes past ``keep`` is wanted whole after all, from its first ``keep`` characters.
Whole = Callable[[Message, str], bool]


class _Leaf:
    """The body of one leaf part as it streams by: kept up to a point, then cut unless wanted whole."""

    def __init__(self, part: Message, keep: int, whole: Whole, cut: list[Message]) -> None:
        self.part, self.keep, self.whole, self.cut = part, keep, whole, cut
        self.seen = 0
        self.head: list[str] = []  # the kept lines again (the same objects): for ``whole``
        self.cutting: bool | None = None

    def take(self, line: str) -> str:
        if self.cutting is None:
            if self.seen + len(line) <= self.keep:
                self.seen += len(line)
                self.head.append(line)
                return line
            self.cutting = not self.whole(self.part, "".join(self.head))
            self.head = []
            if self.cutting:
                self.cut.append(self.part)
        return _CUT_LINE if self.cutting else line


class _CuttingInput(_BufferedSubFile):  # type: ignore[misc]
    """The parser's line buffer, handing the lines of the leaf being read through its _Leaf."""

    leaf: _Leaf | None = None

    def readline(self) -> str | object:
        line: str | object = super().readline()
        if self.leaf is None or not isinstance(line, str):
            return line  # NeedMoreData
        if line == "":
            self.leaf = None  # the end of the leaf: a boundary, or the end of the message
            return line
        return self.leaf.take(line)


class _CuttingParser(email.feedparser.BytesFeedParser):
    _cur: Message | None
    _msgstack: list[Message]

    def __init__(self, keep: Keep, whole: Whole) -> None:
        super().__init__(policy=compat32)
        self._input: _CuttingInput = _CuttingInput()
        self._keep, self._whole = keep, whole
        self.cut: list[Message] = []

    def _parse_headers(self, lines: list[str]) -> None:
        super()._parse_headers(lines)  # type: ignore[misc]
        # the next lines read are this part's body: a leaf's, unless it is a container
        part = self._cur
        in_status = len(self._msgstack) > 1 and self._msgstack[-2].get_content_type() == "message/delivery-status"
        if part is None or in_status or part.get_content_maintype() in ("multipart", "message"):
            self._input.leaf = None
            return
        keep = self._keep(part)
        self._input.leaf = None if keep is None else _Leaf(part, keep, self._whole, self.cut)


def _can_cut() -> bool:
    parser = email.feedparser.BytesFeedParser(policy=compat32)
    return _BufferedSubFile is not object and isinstance(getattr(parser, "_input", None), _BufferedSubFile) and all(
        hasattr(parser, name) for name in ("_parse_headers", "_cur", "_msgstack"))


_CUTTING = _can_cut()


def parse_bytes(raw: bytes, keep: Keep, whole: Whole) -> tuple[Message, list[Message]]:
    """The message tree (compat32) and the leaf parts whose body was cut. RecursionError goes on up."""
    parser: email.feedparser.BytesFeedParser
    if _CUTTING:
        parser = _CuttingParser(keep, whole)
    else:
        log.debug("email.feedparser is not as expected: parsing without cutting")
        parser = email.feedparser.BytesFeedParser(policy=compat32)
    for start in range(0, len(raw), SLICE):
        parser.feed(raw[start:start + SLICE])
    root = parser.close()
    return root, parser.cut if isinstance(parser, _CuttingParser) else []
