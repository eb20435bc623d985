# SPDX-License-Identifier: MIT
"""What both first looks at a message give the scan: a verdict, read it whole or set it aside.

The default first look reads header fields and structure (firstlook_headers);
the optional one, ``scan.read_every_message``, reads a preview with the real
rules (firstlook_preview). Both answer with a Verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from daemon.model import ParsedMessage
from daemon.understand import ical, mime


@dataclass(frozen=True)
class Verdict:
    candidate: bool
    reason: str  # why the message needs its full fetch; when set aside "none", or why it is not read
    message_id: str | None = None
    # what mime.parse made of the preview, kept to judge again cheaply under another context
    message: ParsedMessage | None = field(default=None, repr=False, compare=False)


def calendar_name(name: str) -> bool:
    # mime.parse decodes the name it sees; here it is raw, so every spelling is tried
    spellings = (name, mime.decode_header_value(name), unquote(name.rpartition("'")[2]))
    return any(ical.is_calendar_part("application/octet-stream", s, b"") for s in spellings)
