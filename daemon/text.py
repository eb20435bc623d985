# SPDX-License-Identifier: MIT
"""Text helpers every room shares: folding for comparison, one-line values, join links, error text."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

# Control characters and line breaks that must never reach a one-line value (a header, a log line).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional overrides and isolates reorder what a terminal or a calendar app shows ("gpj.exe"
# read backwards); zero-width characters hide inside a name. Neither is wanted in a one-line field.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Join links of the video services recruiters use; the host and path must match so that a
# logo link (https://zoom.us/) or a settings page is not taken for the meeting.
JOIN_LINK = re.compile(
    r"https://(?:[\w-]+\.)*(?:"
    # the new Teams writes its meetings' links as "/meet/" and a number ("meetingOptions" is a settings page)
    r"teams\.microsoft\.com/l/meetup-join/|teams\.microsoft\.com/meet/\d|teams\.live\.com/meet/"
    r"|meet\.google\.com/[a-z]"
    r"|zoom\.us/(?:j|my|w|s)/|zoomgov\.com/j/"
    r"|webex\.com/(?:meet|join|[\w.-]+/j\.php|[\w.-]+/e\.php|wbxmjs)"
    r"|whereby\.com/[\w-]"
    r"|join\.skype\.com/|meet\.jit\.si/|gotomeeting\.com/join/|meet\.goto\.com/"
    r"|app\.livestorm\.co/|app\.cal\.com/video/"
    # a live-coding interview's pad is where it is held: "Here's the pad for Thursday"
    r"|app\.coderpad\.io/[a-z0-9]|codeinterview\.io/[a-z0-9]"
    # a recruiting system's own video room
    r"|app\.teamtailor\.com/meetings/join/"
    # a job board's own video room ("Indeed Interview")
    r"|indeed\.com/interview/join/"
    r")[^\s<>\"'\\)\]]*"
    # a room on a company's own Jitsi server: "https://meet.acme.co.uk/j.doe" (not "visio.": in the mail seen, a bank's,
    # a doctor's or a coach's own rooms)
    r"|https://(?:meet|jitsi)\.(?:[\w-]+\.)+[a-z]{2,}/[\w-][^\s<>\"'\\)\]]*",
    re.I,
)
# The prefixes of an answer or a forward in a subject ("Re: ", "AW: ", "TR : ", "Fwd[2]: "), any number of them.
THREAD_PREFIX = re.compile(r"^\s*((re|aw|sv|tr|fw|fwd|wg|ref|rif)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# An e-mail address written in running text ("De : Anne <a.carre@orsay.fr>", a signature's line).
EMAIL_IN_TEXT = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What ends a link in running text but is no part of it.
LINK_TAIL = ".,;:!?)]}>'\""
# A line break inside a sentence: the next line goes on in lower case, or this one ends on a word that needs one.
# The pattern starts with the line break, so that ``re`` looks for it at C speed, and looks back from there (a
# pattern starting with what precedes it tried every character: 60 µs a message).
_NEEDS_MORE = "|".join(rf"(?<=\b{word}\n)" for word in ("de", "d'", "d’", "du", "le", "la", "au", "the", "for", "of",
                                                          "an", "a"))
# A quoted line goes on after its quote marks: "> le poste de\n> Contrôleuse de gestion" is one sentence.
_WRAPPED = re.compile(rf"\n(?:(?<=[^\n.:!?;]\n)(?:[ \t]*>)*(?=[ \t]*[a-zà-ÿ(])|"
                      rf"(?:{_NEEDS_MORE})(?:[ \t]*>)*(?=[ \t]*[^\s>]))")


def unwrap(text: str) -> str:
    """Lines joined where a sentence was wrapped, with the same length (offsets and line numbers hold)."""
    return _WRAPPED.sub(_blanked, text) if "\n" in text else text


def _blanked(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def fold(text: str) -> str:
    """Lower case without accents, so that "Entretien" and "ENTRETIEN" and "entretién" meet."""
    if text.isascii():
        return text.lower()  # the same answer: ASCII has no accents, and casefold is lower there
    # what is dropped: every character unicodedata.combining says is one (not a loop in Python per character)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _combining_marks(_ASTRAL.search(decomposed) is not None).sub("", decomposed)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # found in C, where max() makes a string of each character


@functools.cache
def _combining_marks(astral: bool) -> re.Pattern[str]:
    """One character class of every combining character, built once (about 0.1 s) on the first accent met.

    Those of the Basic Multilingual Plane alone make a class that ``re`` tests
    in one table look-up; with the rarer ones beyond it, ``re`` goes through a
    list of ranges, ten times slower, so that class is for texts that need it."""
    ranges: list[str] = []
    start = previous = -2
    for code in range(sys.maxunicode + 1 if astral else 0x10000):
        if not unicodedata.combining(chr(code)):
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(_class_range(start, previous))
            start = code
        previous = code
    ranges.append(_class_range(start, previous))
    return re.compile("[" + "".join(ranges) + "]")


def _class_range(first: int, last: int) -> str:
    return f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}"


def one_line(text: str) -> str:
    """Text with every control character and line break a space, and runs of blanks one space."""
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return text  # already one line: the common case, at the price of three scans of it
    return " ".join(_CONTROL.sub(" ", _INVISIBLE.sub("", text)).split())


def find_join_link(text: str) -> re.Match[str] | None:
    """The first meeting link of a video service in the text."""
    return JOIN_LINK.search(text)


# A join link written without its scheme, as a calendar's plain text gives it ("Joining info: Join with Google Meet\n
# meet.google.com/abc-defg-hij"): the hosts whose bare address is the meeting's
_BARE_HOSTS = ("meet.google.com/", "zoom.us/", "teams.microsoft.com/", "whereby.com/", "meet.jit.si/")
_BARE_JOIN_START = re.compile(r"(?<![\w/.@-])(?:[\w-]{1,40}\.)?(?:" + "|".join(map(re.escape, _BARE_HOSTS)) + ")", re.I)


def bare_join_link(text: str) -> tuple[str, int] | None:
    """The first join link written without https:// (with it added), and where it starts in the text."""
    if not any(host in text for host in _BARE_HOSTS):
        return None
    for start in _BARE_JOIN_START.finditer(text):
        link = JOIN_LINK.match("https://" + text[start.start():start.start() + 300])
        if link is not None:
            return link.group(0).rstrip(LINK_TAIL), start.start()
    return None


def join_link(text: str) -> str | None:
    match = find_join_link(text)
    return match.group(0).rstrip(LINK_TAIL) if match else None


# a list of bytes reprs as imaplib puts a server's answer in its errors: [b'Mailbox doesn't exist: Foo']
_ONE_BYTES = r"""\bb(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_BYTES_REPR = re.compile(_ONE_BYTES)
_BYTES_LIST = re.compile(rf"\[((?:{_ONE_BYTES}|, )+)\]")


def without_bytes_reprs(text: str) -> str:
    """The text with the server's words as words: no b'…' nor [b'…'] around them in a log line."""
    text = _BYTES_LIST.sub(lambda m: " ".join(_BYTES_REPR.findall(m.group(1))), text)
    return _BYTES_REPR.sub(lambda m: m.group(0)[2:-1], text)


def server_text(data: object, limit: int = 200) -> str:
    """What an IMAP server answered (bytes, or lists and tuples of them) as one readable line."""
    if isinstance(data, bytes):
        text = data.decode("utf-8", errors="replace")
    elif isinstance(data, (list, tuple)):
        text = " ".join(server_text(item, limit) for item in data if item is not None)
    else:
        text = str(data)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 message", "2 messages", "0 messages": a log line reads as a sentence."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def describe_error(exc: BaseException) -> str:
    """An exception as one line for a log or an error message: its class, and its text if any."""
    said = "; ".join(line.strip() for line in without_bytes_reprs(str(exc)).splitlines() if line.strip())
    return f"{type(exc).__name__}: {said}" if said else type(exc).__name__


def message_label(folder: str, uid: int, message_id: str | None) -> str:
    """How a log line names a message."""
    return f"{folder} UID {uid} {message_id or '(no Message-ID)'}"
