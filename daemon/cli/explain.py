# SPDX-License-Identifier: MIT
"""`relance explain`: what the rules and the extractors make of one message (a file or a UID), and why."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from daemon import config
from daemon.cli.common import iso, rules_for, settings_from, store_at
from daemon.cli.sent import explain_sent
from daemon.errors import UsageError, UserError
from daemon.followups.news import context as records_context
from daemon.mail.mailbox import Mailbox
from daemon.mail.scan import would_read
from daemon.run import loop
from daemon.understand import rules
from daemon.understand.analysis import Analysis, analyse


def explain_json(analysis: Analysis, zone: ZoneInfo) -> dict[str, Any]:
    facts = analysis.facts
    event = facts.event
    return {
        "kind": analysis.classification.kind,
        "rule": analysis.classification.rule,
        "matched": list(analysis.classification.matched),
        # the signals weighed (understand/evidence.py, rules/evidence.yaml) and their sum
        "evidence": [{"signal": name, "weight": weight} for name, weight in analysis.classification.evidence],
        "score": analysis.classification.score,
        "company": facts.company,
        "position": facts.position,
        "language": facts.language,
        "recruiter": {"name": facts.recruiter.name, "email": facts.recruiter.email, "phone": facts.recruiter.phone},
        "interview": {"start": iso(facts.start, zone), "end": iso(facts.end, zone),
                      "location": facts.location, "url": facts.url},
        "candidates": [iso(c, zone) for c in facts.candidates],
        "event": {"uid": event.uid, "sequence": event.sequence, "method": event.method} if event else None,
        "sources": facts.sources,
    }


# what `relance explain FILE` stands in for the config's required keys when there is no config file yet
_NO_CONFIG = {"imap": {"host": "localhost", "username": "you@example.invalid"},
              "identity": {"name": "You", "email": "you@example.invalid"}}


@dataclass(frozen=True)
class Fetched:
    raw: bytes
    sent: bool  # it is in the user's Sent folder
    not_scanned: str | None  # why a cycle never looked at it, when it did not


def settings_for(args: argparse.Namespace) -> config.Settings:
    """The config's settings; for a file and no config file yet, the defaults (a new user's first try)."""
    if args.file and not args.config and not config.default_config_path().exists():
        print(f"relance: no config file at {config.default_config_path()}: explaining with the defaults",
              file=sys.stderr)
        return config.parse(_NO_CONFIG, None)
    return settings_from(args)


def cmd_explain(args: argparse.Namespace) -> int:
    if bool(args.file) == (args.uid is not None):
        raise UsageError("give FILE.eml or --uid N (one of them)")
    settings = settings_for(args)
    rule_set = rules_for(settings)
    if args.file:
        try:
            fetched = Fetched(message_file(Path(args.file)), False, None)
        except OSError as exc:
            raise UserError(f"{args.file}: cannot read: {exc.strerror}") from None
    else:
        fetched = fetch_one(settings, args.folder, args.uid)
    if args.sent or fetched.sent:
        return explain_sent(settings, rule_set, fetched.raw, args.json)
    context = rules.Context()
    if settings.storage_path.exists():
        store = store_at(settings.storage_path)
        try:
            context = records_context(settings, store)
        finally:
            store.close()
    analysis = analyse(fetched.raw, settings, rule_set, context)
    zone = settings.zone
    data = explain_json(analysis, zone)
    read, why = would_read(fetched.raw, settings, rule_set, context, datetime.now(settings.zone))
    data["scan"] = {"scanned": fetched.not_scanned is None, "read": read, "reason": why}
    if fetched.not_scanned is not None:
        data["scan"].update(read=False, reason=fetched.not_scanned)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if fetched.not_scanned is not None:
        print(f"scan:     not scanned: {fetched.not_scanned}; what follows is what the rules would say")
    else:
        print(f"scan:     {'read whole' if read else 'set aside unread in a backlog'}: {why}")
    print(f"kind:     {data['kind']}")
    print(f"rule:     {data['rule'] or '(no rule matched)'}")
    print(f"matched:  {', '.join(data['matched']) or '-'}")
    if data["score"] is not None:
        weighed = " ".join(f"{e['signal']} {e['weight']:+g}" for e in data["evidence"]) or "-"
        print(f"evidence: {weighed} = {data['score']:+g} (rules/evidence.yaml)")
    for key in ("company", "position", "language"):
        print(f"{key + ':':<9} {data[key]}  [{facts_source(data, key)}]")
    for key, value in data["recruiter"].items():
        print(f"{'recruiter.' + key + ':':<19} {value}  [{facts_source(data, 'recruiter.' + key)}]")
    for key, value in data["interview"].items():
        print(f"{'interview.' + key + ':':<19} {value}  [{facts_source(data, 'interview.' + key)}]")
    if data["candidates"]:
        print(f"candidates: {', '.join(data['candidates'])}  [{facts_source(data, 'candidates')}]")
    if data["event"]:
        print(f"event:    uid={data['event']['uid']} sequence={data['event']['sequence']} "
              f"method={data['event']['method']}")
    return 0


def message_file(path: Path) -> bytes:
    """A .eml as it is; a bare .ics (a calendar part saved from a mail) as the one-part message it came in."""
    raw = path.read_bytes()
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR":
        return b"MIME-Version: 1.0\r\nContent-Type: text/calendar; charset=utf-8\r\n\r\n" + raw
    return raw


def facts_source(data: dict[str, Any], key: str) -> str:
    return str(data["sources"].get(key, "-"))


def fetch_one(settings: config.Settings, folder: str, uid: int) -> Fetched:
    """The message, whether it is one the user sent (``--folder SENT`` names the Sent folder), and
    whether the scan would look at it at all."""
    with loop.connect(settings) as mailbox:
        sent = mailbox.sent_folder()
        if folder.upper() == "SENT":
            if sent is None:
                raise UserError("explain: no Sent folder found (imap.sent); give its name with --folder")
            folder = sent
        mailbox.examine(folder)
        for _, raw, _flags in mailbox.fetch([uid]):
            if folder == sent:
                return Fetched(raw, True, None)
            return Fetched(raw, False, not_scanned(settings, mailbox, folder, uid))
    raise UserError(f"no message with UID {uid} in {folder}")


def not_scanned(settings: config.Settings, mailbox: Mailbox, folder: str, uid: int) -> str | None:
    """Why the scan never looks at this message, or None when it does: the cycle scans the watched
    folders, and in them only mail received within scan.lookback_days (IMAP SEARCH SINCE)."""
    if folder not in settings.imap.folders:
        return f"{folder} is not a watched folder (imap.folders: {', '.join(settings.imap.folders)})"
    lookback = settings.scan.lookback_days
    since = (datetime.now(settings.zone) - timedelta(days=lookback)).date()
    if uid not in mailbox.uids_after(folder, uid - 1, since):
        return f"received before {since.isoformat()}, outside the lookback (scan.lookback_days: {lookback})"
    return None
