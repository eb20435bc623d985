# SPDX-License-Identifier: MIT
"""`relance explain` for a message the user sent: which interview it belongs to, what the rules of kind
sent make of it, and what a cycle would change."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from daemon.cli.common import store_at
from daemon.config import Settings
from daemon.errors import UserError
from daemon.followups.news import context as records_context
from daemon.followups.plans import Planning
from daemon.followups.sent import Link, SentMail
from daemon.understand import rules
from daemon.understand.analysis import SentAnalysis, analyse_sent

# what each meaning does to the record it belongs to (README, "What relance reads in Sent")
EFFECTS = {
    "thank_you": "the thank-you follow-up is done, sent by you (no draft), when sent after the interview began",
    "slot_choice": "the record is scheduled at the one proposed slot named, when it waits for a date",
    "withdrawal": "the record is closed and its pending follow-ups cancelled",
    "other": "nothing changes; the message is kept in the record's history",
}


def sent_line(settings: Settings, found: str | None, names: set[str]) -> str:
    """What `relance check` says of imap.sent; a folder named there that does not exist is an error."""
    if settings.imap.sent == "none":
        return "sent mail not read (imap.sent: none)"
    if found is None:
        return "sent mail not read: no folder flagged \\Sent, nor a usual name (set imap.sent)"
    if found not in names:
        raise UserError(f"imap.sent: folder {found!r} not found on {settings.imap.host}")
    return f"sent mail read from {found} (read-only)"


def explain_sent(settings: Settings, rule_set: Sequence[rules.Rule], raw: bytes, as_json: bool) -> int:
    link: Link | None = None
    context = rules.Context()
    if settings.storage_path.exists():
        store = store_at(settings.storage_path)
        try:
            context = records_context(settings, store)
            analysis = analyse_sent(raw, settings, rule_set, context)
            link = SentMail(settings, store, Planning(settings, store)).link(analysis.message)
        finally:
            store.close()
    else:
        analysis = analyse_sent(raw, settings, rule_set, context)
    data = sent_json(analysis, link, settings.zone)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print("kind:     sent (a message you sent)")
    print(f"means:    {data['means']}  ({EFFECTS[data['means']]})")
    print(f"rule:     {data['rule'] or '(no rule of kind sent matched)'}")
    print(f"matched:  {', '.join(data['matched']) or '-'}")
    if link is None:
        print("interview: none (not in the thread of an interview, nor to a recruiter or company followed, "
              "or sent before the invitation)")
    else:
        print(f"interview: #{link.interview.id}, because {link.why}")
    print(f"dates:    {', '.join(data['dates']) or '-'}")
    return 0


def sent_json(analysis: SentAnalysis, link: Link | None, zone: ZoneInfo) -> dict[str, Any]:
    reading = analysis.reading
    return {
        "kind": "sent",
        "means": reading.means,
        "rule": reading.rule,
        "matched": list(reading.matched),
        "meanings": list(reading.meanings),
        "interview": {"id": link.interview.id, "why": link.why} if link else None,
        "dates": [d.astimezone(zone).isoformat() for d in analysis.dates],
        "sent_at": analysis.message.date.astimezone(zone).isoformat() if analysis.message.date else None,
    }
