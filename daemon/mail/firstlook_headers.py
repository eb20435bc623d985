# SPDX-License-Identifier: MIT
"""The scan's first look at a message: its header fields and its structure, never its text.

A message is read whole (a candidate) when its structure holds a calendar
part, or a part that could hide one, or when a screen rule (``kind: screen``,
rules/screen.yaml) matches its headers. Everything else is recorded as
nothing to do without its text being fetched. That is a choice, not a proof:
an invitation whose subject, sender and thread say nothing about a job is
missed, and ``scan.read_every_message`` reads every text instead
(firstlook_preview), at a fraction of the speed.

One part of the decision is exact rather than chosen: an ``ignore`` rule that
reads only headers and outranks every rule that acts (job-alert-senders)
decides the message whatever its text says, so it is set aside even when a
screen rule would want it.
"""

from __future__ import annotations

import email
import email.utils
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.policy import compat32

from daemon.mail import imapsyntax
from daemon.mail.firstlook import Verdict, calendar_name
from daemon.model import ParsedMessage
from daemon.understand import evidence, ical, mime, rules

log = logging.getLogger(__name__)

# Header fields fetched for every message: what the screen, the exact ignore rules and the records read
# (subject, sender, recipients, thread, Message-ID); the structure comes from BODYSTRUCTURE.
FIELDS = ("From", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References")
# How far back a person's mail with nothing else pointing at a job is read in a backlog. A mail fixes an
# interview a few weeks ahead at most, and the last follow-up (the call) comes a week after it: older
# personal mail can only announce an interview whose follow-ups are over, and reading it all would make a
# first scan over years of mail read half of it whole. Mail that names a job, a tracked thread or domain,
# or holds a calendar is read whatever its age.
PERSONAL_REACH = timedelta(days=42)
# What tells a person's mail from a list's or a machine's (understand.evidence.personal).
BULK_FIELDS = ("List-Id", "List-Unsubscribe", "Precedence")
# Words in a structure's text (lower-cased) that make it worth parsing: a calendar by type or name, a part
# of unknown type, an encoded or split name (RFC 2047, RFC 2231), an attached message (whose envelope can
# say anything).
STRUCTURE_HINTS = (b"calendar", b"ics", b"vcs", b"ical", b"octet", b"=?", b"*", b'"message"')
# Header fields longer than this are not judged here (patterns on megabytes cost time): the message is read.
HEADER_LIMIT = 64 * 1024
# An octet-stream part with one of these names is what it says; any other may be a calendar in disguise.
DOCUMENT_NAMES = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp",
                  ".zip", ".jpg", ".jpeg", ".png", ".gif", ".heic")


class HeaderLook:
    """The rules of one cycle, as far as headers can apply them."""

    def __init__(self, rule_set: Sequence[rules.Rule], user_emails: frozenset[str] = frozenset(), *,
                 read_all: bool = False, now: datetime | None = None) -> None:
        self.users = frozenset(u.lower() for u in user_emails if u)
        self.read_all = read_all  # a handful of new messages: each one is read whole
        self.personal_since = None if now is None else now - PERSONAL_REACH
        self.screen = [r for r in rule_set if r.kind == rules.SCREEN]
        self.screen_by_records = [r for r in self.screen if r.reads_records]
        acting = [r.priority for r in rule_set if r.kind not in ("ignore", rules.SCREEN, rules.SENT)]
        top = max(acting, default=-1)
        # Above every rule that acts, a header-only ignore rule decides alone (classify takes the highest).
        # Not one that reads the records: its answer could change within a batch, and the message's
        # structure is not kept to judge it again.
        self.decisive = [r for r in rule_set if r.kind == "ignore" and r.headers_only and not r.reads_records
                         and r.priority > top]
        # the headers its rules look up by name: fetched, and the only ones parse_header decodes
        self.named = frozenset(n for r in (*self.screen, *self.decisive) for n in r.header_names) | {
            f.lower() for f in (*BULK_FIELDS, "Date")}
        known = {f.lower() for f in FIELDS}
        self.fields = (*FIELDS, *sorted(self.named - known))

    def judge(self, outline: imapsyntax.Outline, context: rules.Context) -> Verdict:
        return self.judge_header(outline.header, structure_reason(outline.structure), context)

    def judge_file(self, raw: bytes, context: rules.Context) -> Verdict:
        """What the scan would decide of this message file (``relance explain``)."""
        try:
            found = parts_reason(file_parts(raw))
        except Exception:  # the scan reads such a message whole, and so says explain
            found = "structure unknown"
        return self.judge_header(mime.header_block(raw), found, context)

    def judge_header(self, header: bytes, found: str | None, context: rules.Context) -> Verdict:
        """The verdict on header fields, the structure having said ``found`` (a reason to read, or None)."""
        if len(header) > HEADER_LIMIT:
            return Verdict(True, "header over 64 kB")
        try:
            message = mime.parse_header(header, self.named)
        except Exception:  # process() decides what an unreadable message becomes
            return Verdict(True, "header unreadable")
        # No time budget per message, unlike the rules on a whole text: the header fields are at most
        # HEADER_LIMIT, and the screen patterns are plain alternations without nested repeats.
        subject = rules.prepare(message, (), context)
        if rules.first_match(self.decisive, subject) is not None:
            # decided whatever the text, and whatever the records come to know (decisive rules read none)
            return Verdict(False, "none", message.message_id)
        if found is not None:
            return Verdict(True, found, message.message_id)
        if self.read_all:
            return Verdict(True, "few new messages", message.message_id)
        return self.screened(subject, self.screen)

    def rejudge(self, message: ParsedMessage, context: rules.Context) -> Verdict:
        """The verdict on a message set aside by its headers, now that the records know more: only the
        screen rules that read the records can answer otherwise than they did."""
        return self.screened(rules.prepare(message, (), context), self.screen_by_records)

    def screened(self, subject: rules.Subject, screen: Sequence[rules.Rule]) -> Verdict:
        message = subject.message
        wanted = rules.first_match(screen, subject)
        if wanted is not None:
            return Verdict(True, wanted.name, message.message_id)
        if evidence.personal(message, self.users):
            # a recruiter or a founder writes "Hello" from their own address: worth reading, while it can
            # still announce an interview to come
            if self.in_reach(message):
                return Verdict(True, "personal mail to you", message.message_id)
            return Verdict(False, f"personal mail to you, sent over {PERSONAL_REACH.days} days before the scan",
                           message.message_id, message)
        return Verdict(False, "none", message.message_id, message)

    def in_reach(self, message: ParsedMessage) -> bool:
        """Whether a personal mail is recent enough to announce an interview to come; undated mail is."""
        sent = mime.header_date(message.header("date"))
        return self.personal_since is None or sent is None or sent >= self.personal_since


def structure_reason(structure: imapsyntax.Value) -> str | None:
    """Why a message's structure makes it a candidate, or None; None as structure: nothing to see."""
    if structure is None:
        return None
    try:
        return parts_reason(imapsyntax.leaves(structure))
    except imapsyntax.SyntaxProblem:
        return "structure unknown"


def parts_reason(parts: Sequence[imapsyntax.Leaf]) -> str | None:
    for leaf in parts:
        if ical.is_calendar_part(leaf.content_type, None, b"") or any(calendar_name(n) for n in leaf.names):
            return "calendar part"
        if leaf.content_type == "application/octet-stream" and not (
                leaf.names and all(mime.decode_header_value(n).lower().endswith(DOCUMENT_NAMES) for n in leaf.names)):
            return "part of unknown type"
    return None


def file_parts(raw: bytes) -> list[imapsyntax.Leaf]:
    """The leaf parts of a message file as BODYSTRUCTURE would list them (names as sent), for explain."""
    leaves = []
    for part in email.message_from_bytes(raw, policy=compat32).walk():
        if not part.is_multipart():
            names = (part.get_param("filename", header="content-disposition"), part.get_param("name"))
            # an RFC 2231 name comes as a (charset, language, text) tuple
            spelled = tuple(email.utils.collapse_rfc2231_value(n) for n in names if n)
            leaves.append(imapsyntax.Leaf("", part.get_content_type(), part.get_content_disposition(), spelled, 0))
    return leaves
