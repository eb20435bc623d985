# SPDX-License-Identifier: MIT
"""`relance list` and `relance show`: the records as lines for a person and as JSON for scripts."""

from __future__ import annotations

import argparse
import json
from typing import Any
from zoneinfo import ZoneInfo

from daemon.cli.common import iso, open_store, settings_from, short
from daemon.errors import UserError
from daemon.followups import debrief as sheets
from daemon.followups.records import Followup, Interview


def interview_json(interview: Interview, zone: ZoneInfo) -> dict[str, Any]:
    followups = []
    for f in interview.followups:
        item: dict[str, Any] = {"kind": f.kind, "due": iso(f.due, zone), "state": f.state}
        if f.ref:
            item["ref"] = f.ref
        if f.reason:
            item["reason"] = f.reason
        if f.moved_from is not None and f.state == "pending":
            item["moved_from"] = iso(f.moved_from, zone)  # the planned time, moved by you in your calendar
        if f.done_at:
            item["at"] = iso(f.done_at, zone)  # done by the user themselves, at that time
        followups.append(item)
    return {
        "id": interview.id,
        "status": interview.status,
        "company": interview.company,
        "position": interview.position,
        "language": interview.language,
        "recruiter": {"name": interview.recruiter_name, "email": interview.recruiter_email,
                      "phone": interview.recruiter_phone, "title": interview.recruiter_title,
                      "timezone": interview.recruiter_tz},
        "interview": {"start": iso(interview.start, zone), "end": iso(interview.end, zone),
                      "location": interview.location, "url": interview.url},
        "candidates": [iso(c, zone) for c in interview.candidates],
        "source": {"message_id": interview.message_id, "folder": interview.folder, "subject": interview.subject},
        "followups": followups,
        "contact_preference": interview.contact_preference,
        "next_steps": interview.next_steps,
        "reply": ({"subject": interview.reply_subject, "at": iso(interview.reply_at, zone)}
                  if interview.reply_at else None),
        "debriefed_at": iso(interview.debrief_at, zone),
    }


def cmd_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not settings.storage_path.exists():  # before the first run: nothing yet, which is no error
        print("[]" if args.json else "no interviews yet (`relance run` has not run)")
        return 0
    store = open_store(settings)
    try:
        interviews = store.interviews(include_ended=args.all)
    finally:
        store.close()
    zone = settings.zone
    if args.json:
        print(json.dumps([interview_json(i, zone) for i in interviews], ensure_ascii=False, indent=2))
        return 0
    if not interviews:
        print("no interviews" + ("" if args.all else " in progress (--all shows ended ones)"))
    for interview in interviews:
        print(interview_line(interview, zone))
        for f in interview.followups:
            print(followup_line(f, zone))
    held = [str(i.id) for i in interviews if i.status == "needs_review"]
    if held:
        print(f"held for review: {', '.join(held)}: `relance confirm ID` plans one, `relance dismiss ID` drops it")
    return 0


def interview_line(interview: Interview, zone: ZoneInfo) -> str:
    what = " – ".join(x for x in (interview.company, interview.position) if x) or "(unknown company)"
    who = interview.recruiter_name or interview.recruiter_email or "?"
    return f"#{interview.id} {interview.status:<11} {short(interview.start, zone)}  {what}  with {who}"


def followup_line(f: Followup, zone: ZoneInfo) -> str:
    reason = f"{f.reason} on {short(f.done_at, zone)}" if f.reason and f.done_at else f.reason
    return f"    {f.kind:<10} {short(f.due, zone):<22} {f.state}" + (f" ({reason})" if reason else "")


def cmd_show(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    try:
        interview = store.get(args.id)
        if interview is None:
            raise UserError(f"no interview with ID {args.id} (see `relance list --all`)")
        history = store.history(args.id)
    finally:
        store.close()
    zone = settings.zone
    if args.json:
        data = interview_json(interview, zone)
        data["history"] = [{"at": iso(at, zone), "event": event} for at, event in history]
        data["debrief"] = interview.debrief
        data["debrief_notes"] = _notes_json(interview.debrief)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(interview_line(interview, zone))
    reply = f"{interview.reply_subject} ({short(interview.reply_at, zone)})" if interview.reply_at else None
    for label, value in (("recruiter", interview.recruiter_email), ("phone", interview.recruiter_phone),
                         ("their zone", interview.recruiter_tz), ("where", interview.location),
                         ("link", interview.url), ("subject", interview.subject),
                         ("contact", interview.contact_preference and f"{interview.contact_preference} only"),
                         ("next steps", interview.next_steps), ("reply", reply)):
        if value:
            print(f"  {label:<10} {value}")
    print("  follow-ups:")
    for f in interview.followups:
        print(followup_line(f, zone))
    print("  history:")
    for at, event in history:
        print(f"    {short(at, zone)}  {event}")
    if interview.debrief:
        print("  debrief:\n" + "\n".join("    " + line for line in interview.debrief.splitlines()))
    return 0


def _notes_json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    notes = sheets.parse(text)
    return {"looks_for": list(notes.looks_for), "new_facts": list(notes.new_facts), "next_steps": notes.next_steps,
            "contact_preference": notes.contact_preference, "recruiter_title": notes.recruiter_title}


def print_followups(interview: Interview, zone: ZoneInfo) -> None:
    print(interview_line(interview, zone))
    for f in interview.followups:
        print(followup_line(f, zone))
