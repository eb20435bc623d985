# SPDX-License-Identifier: MIT
"""Before fetching a message whole: can it be proved, from a preview, to mean nothing?

A preview is the message's whole header and the first bytes of its body
(mailbox.Preview). A message is set aside, without its full fetch, only
when the real rules, run on what mime.parse makes of the preview, say
``none``, and that is exactly what they would say of the whole message:

- the preview is the whole message (most mail is shorter than the preview);
- or what is missing can change nothing mime.parse gives the rules: every
  inline text/plain and text/html part lies wholly in the preview, no part
  is a calendar by its type or name, and each part that is cut or missing is
  either an image, a sound or a video (never read) or, for the one part the
  preview cuts, long enough in the preview for the calendar sniffing of
  mime.parse to see what it would see in the whole message.

Anything else is a candidate and goes through the full fetch and the usual
processing, which decides as it always did.
"""

from __future__ import annotations

import email
import logging
from collections.abc import Sequence
from email.message import Message
from email.policy import compat32

from daemon.config import Settings
from daemon.mail import imapsyntax
from daemon.mail.firstlook import Verdict, calendar_name
from daemon.mail.imapdata import Preview
from daemon.model import ParsedMessage
from daemon.understand import guard, ical, mime, rules

log = logging.getLogger(__name__)

# mime.parse recognises a calendar in a part of any other type by its first 4096 decoded bytes
SNIFF_WINDOW = 4096
NEVER_SNIFFED = ("image/", "audio/", "video/")
TEXT_TYPES = ("text/plain", "text/html")


class PreviewLook:
    """The rules of one cycle, split so that the common case tests only the rules that act."""

    def __init__(self, settings: Settings, rule_set: Sequence[rules.Rule]) -> None:
        self.settings = settings
        self.rules = list(rule_set)
        # rules whose kind is not "ignore": when none of them matches, the verdict is "none" whatever else matches
        self.acting = [r for r in self.rules if r.kind not in ("ignore", rules.SENT)]

    def judge(self, preview: Preview, structure: imapsyntax.Value, context: rules.Context) -> Verdict:
        """Within the time a message may cost (limits.seconds): past it, process() decides under its own."""
        try:
            with guard.time_budget(self.settings.limits.seconds):
                return self._judge(preview, structure, context)
        except guard.OverBudget:
            return Verdict(True, "over the time budget")
        except Exception:  # a rule or the parser failing on a preview: process() skips it with a log line
            return Verdict(True, "failed on its preview")

    def _judge(self, preview: Preview, structure: imapsyntax.Value, context: rules.Context) -> Verdict:
        if preview.size > self.settings.limits.message_bytes:
            return Verdict(True, "over the size limit")
        if not preview.complete:
            missing = self.what_is_missing(preview, structure)
            if missing is not None:
                return Verdict(True, missing)
        try:
            message = mime.parse(preview.raw, max_parts=self.settings.limits.parts)
        except Exception:  # process() decides what an unreadable message becomes
            return Verdict(True, "unreadable")
        if message.calendars:
            return Verdict(True, "calendar part", message.message_id)
        return self.rejudge(message, context)

    def rejudge(self, message: ParsedMessage, context: rules.Context) -> Verdict:
        """The verdict on a message already parsed from a preview proved exact, under this context."""
        try:
            with guard.time_budget(self.settings.limits.seconds):
                kind = self.classify(message, context)
        except guard.OverBudget:
            return Verdict(True, "over the time budget", message.message_id)
        except Exception:  # never stop the scan at one message: process() skips it with a log line
            return Verdict(True, "failed on its preview", message.message_id)
        if kind != "none":
            return Verdict(True, f"classified {kind}", message.message_id)
        return Verdict(False, "none", message.message_id, message)

    def classify(self, message: ParsedMessage, context: rules.Context) -> str:
        """rules.classify's kind for a message without calendar parts, testing the acting rules first."""
        if rules.classify(self.acting, message, (), context, every=False).kind == "none":
            return "none"
        return rules.classify(self.rules, message, (), context, every=False).kind

    def what_is_missing(self, preview: Preview, structure: imapsyntax.Value) -> str | None:
        """None when the cut preview gives mime.parse everything it would use; else what it lacks."""
        try:
            expected = imapsyntax.leaves(structure)
            nodes = imapsyntax.count_parts(structure)
        except imapsyntax.SyntaxProblem:
            return "structure unknown"
        if nodes > self.settings.limits.parts:
            return "too many parts"
        seen = _leaves(email.message_from_bytes(preview.raw, policy=compat32))
        if not seen or len(seen) > len(expected):
            return "structure differs"
        # every part before the last one seen is whole: the parser met the boundary that ends it
        for part, leaf in zip(seen[:-1], expected, strict=False):
            if part.get_content_type() != leaf.content_type:
                return "structure differs"
        cut = len(seen) - 1
        for index in range(cut, len(expected)):
            reason = _why_needed(expected[index], seen[cut] if index == cut else None)
            if reason is not None:
                return reason
        return None


def _leaves(root: Message) -> list[Message]:
    return [part for part in root.walk() if not part.is_multipart()]


def _why_needed(leaf: imapsyntax.Leaf, cut_part: Message | None) -> str | None:
    """Why a part the preview cuts (cut_part) or lacks (None) would matter to mime.parse, or None."""
    if leaf.content_type in TEXT_TYPES and leaf.disposition != "attachment":
        return "text beyond the preview"
    if ical.is_calendar_part(leaf.content_type, None, b"") or any(calendar_name(n) for n in leaf.names):
        return "calendar part"
    if leaf.content_type.startswith(NEVER_SNIFFED):
        return None
    if cut_part is not None and len(_decoded(cut_part)) >= SNIFF_WINDOW:
        return None
    return "attachment beyond the preview"


def _decoded(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError):
        return b""
    return payload if isinstance(payload, bytes) else b""
