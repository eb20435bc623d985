# SPDX-License-Identifier: MIT
"""What the sender wrote, told apart from what they quote: replies (">" lines, "... a écrit :" /
"... wrote:" and everything after, "-----Original Message-----", a "De :"/"From:" header block),
"Envoyé :"/"Sent:" lines and, when asked, the signature after "-- ". A forwarded message's header
block is hidden but its body kept: it is often the invitation itself. Hidden text becomes spaces,
so offsets and line numbers stay those of the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from daemon.text import EMAIL_IN_TEXT, fold, unwrap

_FLAGS = re.IGNORECASE
# What is not the sender's own text.
_QUOTE_LINE = re.compile(r"^\s*>")
# "Le ... a écrit :", "On ... wrote:", and the German, Spanish, Italian and Dutch clients' "Am ... schrieb X <x@y>:"
_ATTRIBUTION_END = re.compile(r"(?:a\s+[ée]crit|wrote)\s*:\s*$|\b(?:schrieb|escribi[óo]|ha\s+scritto|schreef)\b.*:\s*$",
                              _FLAGS)
_ATTRIBUTION_START = re.compile(r"^\s*(?:le|on|am|el|il|op)\s.*\d", _FLAGS)
_ORIGINAL = re.compile(
    # and the German, Dutch, Spanish and Italian Outlooks' ("-----Ursprüngliche Nachricht-----")
    r"^\s*-{2,}\s*(?:original\s+message|message\s+d['’]origine|message\s+original|urspr[üu]ngliche\s+nachricht|"
    r"oorspronkelijk\s+bericht|mensaje\s+original|messaggio\s+originale)\s*-{2,}", _FLAGS
)
_FORWARDED = re.compile(
    r"^\s*-{2,}\s*(?:forwarded\s+message|message\s+transf[ée]r[ée])\s*-{2,}|^\s*début du message réexpédié|"
    r"^\s*begin forwarded message\s*:",
    _FLAGS,
)
# A line any pattern here matches holds a colon, a dash or a quote mark, but Apple Mail's French forward line:
# the lines without them are passed over (most of a message), unless the text holds that line.
_FORWARDED_WITHOUT_DASHES = re.compile(r"début du message réexpédié", _FLAGS)
_HEADER_FROM = re.compile(r"^\s*\*?(?:de|from|von)\s*\*?\s*:\s*\S", _FLAGS)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(?:envoy[ée](?:\s+le)?|sent|gesendet|date|à|a|to|an|objet|subject|sujet|betreff|pour|cc|r[ée]pondre\s+à|"
    r"reply-to)\s*\*?\s*:",
    _FLAGS
)
# "Je vous transfère son message ci-dessous", "forwarding you her note": Outlook forwards with no marker line
# but a "De :" block; the sender said it is a forward, so its body is what they pass on, not a quoted history
_FORWARD_ANNOUNCED = re.compile(
    r"\b(?:je\s+(?:vous|te)\s+(?:transf[èe]re|transmets|fais\s+suivre)|forwarding|(?:i\s*(?:'|’)?m|i\s+am)\s+"
    r"passing\s+on|i\s*(?:'|’)?ve\s+forwarded)\b",
    _FLAGS,
)
_SENT_LINE = re.compile(r"^\s*\*?(?:envoy[ée](?:\s+le)?|sent|gesendet)\s*\*?\s*:", _FLAGS)
_SIGNATURE = re.compile(r"^--\s*$")


# The rules, the evidence (twice: could the facts matter, then the score) and the extractors each ask
# for the same message's own text: it is worked out once.
@lru_cache(maxsize=4)
def own_text(text: str) -> str:
    """The text with quoted replies and their header lines blanked out.

    Blanked parts become spaces, so offsets and line numbers stay those of
    `text`; other extractors (phone, recruiter) can use it to the same end.
    The signature is kept: it is where phone numbers are.
    """
    return blank_lines(text, signature=False)


# The rules and the evidence both compare the sender's own text folded: it is folded once. Unwrapped first: a
# client that wraps at 72 columns cuts "I'd love to\nset up a call" where a phrase of the rules reads it whole.
@lru_cache(maxsize=4)
def folded_own_text(text: str) -> str:
    """``fold(unwrap(own_text(text)))``."""
    return fold(unwrap(own_text(text)))


def blank_lines(text: str, *, signature: bool) -> str:
    lines = text.split("\n")
    hidden = _hidden_lines(lines, signature)
    return "\n".join(" " * len(line) if i in hidden else line for i, line in enumerate(lines))


def blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _hidden_lines(lines: list[str], signature: bool) -> set[int]:
    marked = _marked(lines)
    announced = _announced_forward(lines, marked)  # both below ask: a look at every line, done once
    hidden = {i for start, end in _quoted_spans(lines, signature, announced, marked) for i in range(start, end)}
    hidden.update(i for i, line in marked if _QUOTE_LINE.match(line) or _SENT_LINE.match(line))
    hidden.update(_forwarded_headers(lines, announced, marked))
    return hidden


def _marked(lines: list[str]) -> list[tuple[int, str]]:
    """The lines (index, line) that a pattern of quoted parts could match, in order."""
    if _FORWARDED_WITHOUT_DASHES.search("\n".join(lines)):
        return list(enumerate(lines))
    return [(i, line) for i, line in enumerate(lines) if ":" in line or "-" in line or ">" in line]


def _quoted_spans(lines: list[str], signature: bool, announced: int | None,
                  marked: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """The spans (start, end) of the quoted parts (and of the signature), in one pass; ``announced`` is
    ``_announced_forward(lines)``, ``marked`` is ``_marked(lines)``. A quoted reply under an attribution ends where
    the sender writes again below it (a bottom-posted reply); a header block or "Original Message" runs to the end."""
    resume = 0
    for i, line in marked:
        if i < resume:
            continue
        if (signature and _SIGNATURE.match(line)) or (_ORIGINAL.match(line) and announced != i + 1):
            yield i, len(lines)
            return
        if _ends_attribution(line) and (start := _attribution_start(lines, i)) is not None:
            # an attribution wrapped over lines does not reach back into what a span before left as own text
            start, resume = max(start, resume), _end_of_quote(lines, i + 1)
            yield start, resume
            if resume == len(lines):
                return
            continue
        if _header_block_start(lines, i) and not _after_forward_marker(lines, i) and i != announced:
            yield i, len(lines)
            return


def _end_of_quote(lines: list[str], first: int) -> int:
    """Where the sender's own text starts again after the quote an attribution opens at ``first``, else len(lines).

    Only a quote marked with ">" can end: a history without marks runs to the end. The sender's text below it
    stands after a blank line; a line without mark right under a quoted one is that line wrapped by a client."""
    quoted = False
    for j in range(first, len(lines)):
        line = lines[j]
        if _QUOTE_LINE.match(line):
            quoted = True
        elif line.strip():
            if not quoted:
                return len(lines)
            if not lines[j - 1].strip():
                # a mail server's or a list's footer below the quote is nobody's answer
                return len(lines) if _FOOTER.search(line) else j
    return len(lines)


# the first words of a footer a server or a list adds under a whole message, quote included
_FOOTER = re.compile(r"\b(?:confidential|confidentiel(?:le)?s?|disclaimer|avertissement|unsubscribe|d[ée]sabonner|"
                     r"d[ée]sinscri\w*|intended (?:solely |only )?for|destin[ée]e?s? (?:exclusivement|uniquement)|"
                     r"this (?:e-?mail|message) (?:and|is|may)|ce (?:message|courriel|mail|e-mail) (?:et|est|peut))\b",
                     re.IGNORECASE)


def _header_block_start(lines: list[str], i: int) -> bool:
    return bool(_HEADER_FROM.match(lines[i])) and _header_block_follows(lines, i)


def _announced_forward(lines: list[str], marked: list[tuple[int, str]]) -> int | None:
    """The first "De :" header block when the sender's own lines above it announce a forward, else None;
    ``marked`` is ``_marked(lines)``."""
    for i, line in marked:
        if _ORIGINAL.match(line):
            # Outlook's "-----Message d'origine-----" above the block it forwards
            if i + 1 < len(lines) and _header_block_start(lines, i + 1):
                return i + 1 if any(_FORWARD_ANNOUNCED.search(above) for above in lines[:i]) else None
            return None
        if _QUOTE_LINE.match(line) or _ends_attribution(line):
            return None
        if _header_block_start(lines, i):
            return i if any(_FORWARD_ANNOUNCED.search(above) for above in lines[:i]) else None
    return None


def _ends_attribution(line: str) -> bool:
    """Whether the line ends an attribution ("... a écrit :"). Each one ends with a colon, and few lines do:
    the search, which tries its words at every position of the line, is left for those."""
    return line.rstrip().endswith(":") and _ATTRIBUTION_END.search(line) is not None


def _attribution_start(lines: list[str], i: int) -> int | None:
    # Mail clients wrap a long "Le ..., X <x@y> a écrit :" over two or three lines.
    for back in (0, 1, 2):
        j = i - back
        if j >= 0 and _ATTRIBUTION_START.match(lines[j]):
            return j
    # "comme il nous l'a écrit :" in the body is no attribution: those carry a date or an address.
    return i if re.search(r"[\d@]", lines[i]) else None


def _header_block_follows(lines: list[str], i: int) -> bool:
    return any(_HEADER_OTHER.match(line) for line in lines[i + 1 : i + 5])


def _after_forward_marker(lines: list[str], i: int) -> bool:
    # the marker is above the header block, whose "From:" need not be its first line ("Sujet :", "Date :", "De :")
    top = i
    while top > 0 and (_HEADER_OTHER.match(lines[top - 1]) or _HEADER_FROM.match(lines[top - 1])):
        top -= 1
    return any(_FORWARDED.match(line) for line in lines[max(0, top - 2) : top])


def _forwarded_headers(lines: list[str], announced: int | None, marked: list[tuple[int, str]]) -> Iterator[int]:
    """The lines of the forwarded messages' header blocks; ``announced`` is ``_announced_forward(lines)``,
    ``marked`` is ``_marked(lines)``."""
    for i, line in marked:
        if not _FORWARDED.match(line) and i != announced:
            continue
        if i == announced and i > 0 and _ORIGINAL.match(lines[i - 1]):
            yield i - 1
        yield i
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1  # Apple Mail leaves a blank line under "Begin forwarded message:"
        while j < len(lines) and (_HEADER_FROM.match(lines[j]) or _HEADER_OTHER.match(lines[j])):
            yield j
            j += 1


def forwarded_senders(text: str) -> list[str]:
    """The addresses on the "De :"/"From:" lines of the messages a mail forwards (their header blocks, after a
    "Forwarded message" line or an announced forward): an agency passing on its client's mail names the client."""
    lines = text.split("\n")
    marked = _marked(lines)
    return [found.group(0).lower() for i in _forwarded_headers(lines, _announced_forward(lines, marked), marked)
            if _HEADER_FROM.match(lines[i]) and (found := EMAIL_IN_TEXT.search(lines[i]))]


_QUOTE_MARKS = re.compile(r"^(?:\s*>)+ ?")


class History(NamedTuple):
    """The quoted history of a reply: what the earlier messages said, and their header and attribution lines."""

    text: str  # their lines, quote marks taken off; the sender's own lines and the header lines blank
    headers: tuple[str, ...]  # "Le … a écrit :", "Envoyé : …", "Sent: …": when each earlier message was sent


def history(text: str) -> History:
    """What a reply quotes, set apart from what its sender wrote (the complement of ``own_text``), so that the
    dates an earlier message stated can be told from the ones the sender states now. Header and attribution
    lines are set aside: the time they give is when a message was sent, no appointment."""
    lines = text.split("\n")
    hidden = _hidden_lines(lines, signature=False)
    bare = [_QUOTE_MARKS.sub("", line) for line in lines]
    headers = {j for i in hidden for j in _header_lines(bare, i)}
    kept = [line if i in hidden and i not in headers else "" for i, line in enumerate(bare)]
    return History("\n".join(kept), tuple(bare[i] for i in sorted(headers)))


def _header_lines(lines: list[str], i: int) -> range:
    """The lines of the header or attribution that line ``i`` ends or is (an attribution may wrap), else none."""
    line = lines[i]
    if _ends_attribution(line):
        start = _attribution_start(lines, i)
        return range(i, i + 1) if start is None else range(start, i + 1)
    if (_HEADER_FROM.match(line) or _ORIGINAL.match(line) or _FORWARDED.match(line) or _SENT_LINE.match(line)
            or (_HEADER_OTHER.match(line) and _in_header_block(lines, i))):
        return range(i, i + 1)
    return range(0)


def _in_header_block(lines: list[str], i: int) -> bool:
    """Whether a "Date :", "Objet :" line stands in a quoted message's header block, by its "De :"/"From:" line:
    a form's "Date: Thursday, 19 November" in a quoted invitation is the interview's, no header."""
    return any(_HEADER_FROM.match(line) for line in lines[max(0, i - 4) : i + 5])


def quoted_from(text: str, address: str, name: str | None = None) -> tuple[str, int] | None:
    """The first earlier message of `address` quoted in `text` ("> lines" unquoted), and the line it starts on.

    A reply's own text is often a line or two; the signature with the sender's phone is in their earlier
    message below ("On …, Oliver <oliver@x> wrote:", "De : Géraldine <g@x>"), up to the next quoted one.
    With ``name`` (a full name, two words or more), a message it heads is theirs too: a recruiter's first
    message often came through a recruiting system, under their name and its address ("Priya Shah
    <no-reply@hire.lever.co> wrote:").
    """
    lines = [_QUOTE_MARKS.sub("", line) for line in text.split("\n")]
    # whole words: "Anna Lee" is not "Joanna Leeds", nor anna@x.com in "hanna@x.com"
    words = [w for w in [address] + ([name] if name and len(name.split()) > 1 else []) if w]
    wanted = re.compile("|".join(rf"(?<![\w.@-]){re.escape(w)}(?![\w@-])" for w in words) or "", re.IGNORECASE)
    for i, line in enumerate(lines):
        if wanted.search(line) and _starts_message(lines, i):
            return _message_from(lines, i)
    return None


def _message_from(lines: list[str], start: int) -> tuple[str, int]:
    """The quoted message whose attribution or header is ``lines[start]``, up to the next one, and its first line."""
    end = next((j for j in range(start + 1, len(lines)) if _starts_message(lines, j)), len(lines))
    return "\n".join(lines[start + 1 : end]), start + 1


def latest_quoted(text: str) -> tuple[str, int] | None:
    """The latest earlier message quoted in `text` (the one a reply answers, "> lines" unquoted), and the line it
    starts on; None when nothing is quoted."""
    lines = [_QUOTE_MARKS.sub("", line) for line in text.split("\n")]
    start = next((i for i in range(len(lines)) if _starts_message(lines, i)), None)
    return None if start is None else _message_from(lines, start)


def body_of(message: str) -> str:
    """A quoted message (as latest_quoted gives it) without the header lines at its top ("Sent: … 5:40 AM",
    "To:", "Subject:"): the time they give is when it was sent."""
    lines = message.split("\n")
    top = next((i for i, line in enumerate(lines) if not (_HEADER_FROM.match(line) or _HEADER_OTHER.match(line))),
               len(lines))
    return "\n".join(lines[top:])


def _starts_message(lines: list[str], i: int) -> bool:
    return _ends_attribution(lines[i]) or _header_block_start(lines, i)
