# SPDX-License-Identifier: MIT
"""The ``relance`` command. Thin: parse arguments, call the modules, print.

Exit codes: 0 ok, 1 a user-facing error (one line on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import getpass
import json
import logging
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from daemon import __version__, config, credentials
from daemon.cli import progress
from daemon.errors import UserError
from daemon.followups import debrief as sheets
from daemon.followups import feed
from daemon.followups.edits import MARKS, HandEdits, parse_when
from daemon.followups.news import context as records_context
from daemon.followups.publish import Publisher
from daemon.followups.records import Interview, Store
from daemon.mail.scan import would_read
from daemon.run import loop
from daemon.run.cycle import Cycle
from daemon.run.lock import InstanceLock
from daemon.shipped import PACKAGE_DIR, shipped_path
from daemon.understand import evidence, rules
from daemon.understand.analysis import Analysis, analyse

log = logging.getLogger(__name__)


class OneLineFormatter(logging.Formatter):
    """One event, one line: journald and grep both split on newlines.

    Under journald (``$JOURNAL_STREAM``) each line starts with the syslog priority
    (``<3>`` for an error), which journald strips and keeps as the entry's priority,
    and the time is left to journald.
    """

    PRIORITIES: ClassVar[dict[int, int]] = {
        logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}

    def __init__(self, journald: bool) -> None:
        fmt = "%(levelname)s %(name)s: %(message)s" if journald else "%(asctime)s %(levelname)s %(name)s: %(message)s"
        super().__init__(fmt)
        self.journald = journald

    def format(self, record: logging.LogRecord) -> str:
        text = " | ".join(line for line in super().format(record).splitlines() if line.strip())
        if self.journald:
            return f"<{self.PRIORITIES.get(record.levelno, 6)}>{text}"
        return text


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(journald=bool(os.environ.get("JOURNAL_STREAM"))))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])


def _parse_now(value: str | None, zone: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(zone)
    try:
        return parse_when(value, zone)
    except ValueError as exc:
        raise UserError(f"--now: {exc}") from None


def _settings(args: argparse.Namespace) -> config.Settings:
    path = Path(args.config) if args.config else config.default_config_path()
    return config.load(path)


def _load_rules(settings: config.Settings) -> list[rules.Rule]:
    loaded = rules.load_rules(settings.rule_paths, settings.rules_disabled)
    evidence.model_for(settings.rule_paths)  # its weights are read with the rules: a mistake is said now
    return loaded


# --- JSON shapes (public: see DESIGN.md)


def _iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def interview_json(interview: Interview, zone: ZoneInfo) -> dict[str, Any]:
    followups = []
    for f in interview.followups:
        item: dict[str, Any] = {"kind": f.kind, "due": _iso(f.due, zone), "state": f.state}
        if f.ref:
            item["ref"] = f.ref
        if f.reason:
            item["reason"] = f.reason
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
        "interview": {"start": _iso(interview.start, zone), "end": _iso(interview.end, zone),
                      "location": interview.location, "url": interview.url},
        "candidates": [_iso(c, zone) for c in interview.candidates],
        "source": {"message_id": interview.message_id, "folder": interview.folder, "subject": interview.subject},
        "followups": followups,
        "contact_preference": interview.contact_preference,
        "next_steps": interview.next_steps,
        "reply": ({"subject": interview.reply_subject, "at": _iso(interview.reply_at, zone)}
                  if interview.reply_at else None),
        "debriefed_at": _iso(interview.debrief_at, zone),
    }


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
        "interview": {"start": _iso(facts.start, zone), "end": _iso(facts.end, zone),
                      "location": facts.location, "url": facts.url},
        "candidates": [_iso(c, zone) for c in facts.candidates],
        "event": {"uid": event.uid, "sequence": event.sequence, "method": event.method} if event else None,
        "sources": facts.sources,
    }


# --- commands


def cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else config.default_config_path()
    if path.exists():
        print(f"{path} exists already; edit it, then run `relance check`")
        return 0
    example = _example_config()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(example)
    print(f"wrote {path}; edit it, then run `relance login` and `relance check`")
    return 0


def _example_config() -> str:
    found = shipped_path("config.example.yaml")
    if found is None or not found.is_file():
        raise UserError(f"{PACKAGE_DIR}: config.example.yaml is missing from the installation")
    return found.read_text(encoding="utf-8")


def cmd_login(args: argparse.Namespace) -> int:
    settings = _settings(args)
    password = getpass.getpass(f"IMAP password for {settings.imap.username} at {settings.imap.host}: ")
    if not password:
        raise UserError("login: no password given")
    credentials.store_in_keyring(settings.imap.username, password)
    print("password stored in the keyring; now run `relance check`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _load_rules(settings)
    with loop.connect(settings) as mailbox:
        names = {name for name, _ in mailbox.list_folders()}
        for folder in settings.imap.folders:
            if folder not in names:
                raise UserError(f"imap.folders: folder {folder!r} not found on {settings.imap.host}")
            state = mailbox.status(folder)
            print(f"watching {folder}: {state.messages} messages")
        print(f"drafts go to {mailbox.drafts_folder()}")
    print(f"config {settings.source} is valid; calendar at {settings.calendar.path}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    rule_set = _load_rules(settings)
    once_at = _parse_now(args.now, settings.zone) if args.once or args.now else None
    with contextlib.ExitStack() as held:
        if not args.dry_run:  # a dry run writes nothing, not even the lock file
            held.enter_context(InstanceLock(settings.storage_path))
        store = Store(settings.storage_path, throwaway=args.dry_run)
        held.callback(store.close)
        bar = held.enter_context(progress.on_terminal(sys.stderr, dict(os.environ)))
        cycle = Cycle(settings, store, rule_set, dry_run=args.dry_run, progress=bar)
        cycle.load_data(once_at or datetime.now(UTC))
        if once_at is not None:
            report = loop.run_once(cycle, once_at)
            if report.skipped_messages:
                log.info("%d messages skipped (see above)", report.skipped_messages)
            return 0
        with _serving_feed(settings, args.dry_run):
            loop.run_forever(cycle, loader=lambda: _reload(args))
        return 0


@contextlib.contextmanager
def _serving_feed(settings: config.Settings, dry_run: bool) -> Iterator[None]:
    """The calendar feed over HTTP for as long as the daemon runs, when calendar.serve.enabled."""
    if not settings.calendar.serve.enabled or dry_run:  # a dry run creates no token file either
        yield
        return
    server = feed.feed_server(settings)
    try:
        server.start()
    except OSError as exc:
        serve = settings.calendar.serve
        raise UserError(f"calendar.serve: cannot listen on {serve.bind}:{serve.port}: {exc.strerror}") from None
    try:
        yield
    finally:
        server.stop()


def _reload(args: argparse.Namespace) -> tuple[config.Settings, list[rules.Rule]]:
    """What SIGHUP reads again: the config file, and the rules it names (templates are read at each use)."""
    settings = _settings(args)
    return settings, _load_rules(settings)


def _open_store(settings: config.Settings) -> Store:
    if not settings.storage_path.exists():
        raise UserError(f"{settings.storage_path}: no records yet (run `relance run` first)")
    return Store(settings.storage_path)


def cmd_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _open_store(settings)
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
        print(_interview_line(interview, zone))
        for f in interview.followups:
            extra = f" ({f.reason})" if f.reason else ""
            print(f"    {f.kind:<10} {_short(f.due, zone):<22} {f.state}{extra}")
    return 0


def _short(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "date unknown"


def _interview_line(interview: Interview, zone: ZoneInfo) -> str:
    what = " – ".join(x for x in (interview.company, interview.position) if x) or "(unknown company)"
    who = interview.recruiter_name or interview.recruiter_email or "?"
    return f"#{interview.id} {interview.status:<11} {_short(interview.start, zone)}  {what}  with {who}"


def cmd_show(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _open_store(settings)
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
        data["history"] = [{"at": _iso(at, zone), "event": event} for at, event in history]
        data["debrief"] = interview.debrief
        data["debrief_notes"] = _notes_json(interview.debrief)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(_interview_line(interview, zone))
    reply = f"{interview.reply_subject} ({_short(interview.reply_at, zone)})" if interview.reply_at else None
    for label, value in (("recruiter", interview.recruiter_email), ("phone", interview.recruiter_phone),
                         ("their zone", interview.recruiter_tz), ("where", interview.location),
                         ("link", interview.url), ("subject", interview.subject),
                         ("contact", interview.contact_preference and f"{interview.contact_preference} only"),
                         ("next steps", interview.next_steps), ("reply", reply)):
        if value:
            print(f"  {label:<10} {value}")
    print("  follow-ups:")
    for f in interview.followups:
        print(f"    {f.kind:<10} {_short(f.due, zone):<22} {f.state}" + (f" ({f.reason})" if f.reason else ""))
    print("  history:")
    for at, event in history:
        print(f"    {_short(at, zone)}  {event}")
    if interview.debrief:
        print("  debrief:\n" + "\n".join("    " + line for line in interview.debrief.splitlines()))
    return 0


def _notes_json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    notes = sheets.parse(text)
    return {"looks_for": list(notes.looks_for), "new_facts": list(notes.new_facts), "next_steps": notes.next_steps,
            "contact_preference": notes.contact_preference, "recruiter_title": notes.recruiter_title}


# --- changes by hand: each one is in the record's history and in the calendar at once


@contextlib.contextmanager
def _changing(args: argparse.Namespace, create: bool = False) -> Iterator[tuple[HandEdits, datetime]]:
    """Hand edits over the records, and the calendar file brought up to date afterwards."""
    settings = _settings(args)
    now = _parse_now(args.now, settings.zone)
    store = Store(settings.storage_path) if create else _open_store(settings)
    try:
        yield HandEdits(settings, store), now
        Publisher(settings, store).export_calendar(now)
    finally:
        store.close()


_ADD_OPTIONS = ("company", "position", "start", "end", "location", "url", "recruiter_name", "recruiter_email",
                "recruiter_phone", "recruiter_tz", "language")


def cmd_add(args: argparse.Namespace) -> int:
    values = {k: getattr(args, k) for k in _ADD_OPTIONS if getattr(args, k) is not None}
    with _changing(args, create=True) as (svc, now):
        interview_id = svc.add_by_hand(values, now)
        interview = svc.interview(interview_id)
    print(f"added #{interview_id}")
    _print_followups(interview, svc.settings.zone)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    for pair in args.assignments:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UserError(f"set: expected FIELD=VALUE, got {pair!r}")
        values[name.strip().replace("-", "_")] = value
    with _changing(args) as (svc, now):
        changes = svc.correct(args.id, values, now)
        interview = svc.interview(args.id)
    print("\n".join(changes) if changes else "nothing changed")
    _print_followups(interview, svc.settings.zone)
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    with _changing(args) as (svc, now):
        what = svc.mark(args.id, args.status, now)
    print(f"#{args.id}: {what}")
    return 0


def cmd_debrief(args: argparse.Namespace) -> int:
    with _changing(args) as (svc, now):
        before = svc.debrief_sheet(args.id)
        after = _edit(before, f"debrief-{args.id}.md")
        if after.strip() == before.strip():
            print("debrief unchanged; nothing saved")
            return 0
        notes = svc.save_debrief(args.id, after, now)
    print(f"debrief of #{args.id} saved" + (f"; for the thank-you: {len(notes.new_facts)} new facts, "
                                            f"{len(notes.looks_for)} things they look for"
                                            if notes.new_facts or notes.looks_for else ""))
    return 0


def _edit(text: str, name: str) -> str:
    """Open text in $VISUAL or $EDITOR (vi by default) and return what the user saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    # a private directory: the sheet holds the user's own assessment
    with tempfile.TemporaryDirectory(prefix="relance-") as directory:
        path = Path(directory) / name
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise UserError(f"cannot start the editor {editor!r}: {exc.strerror}; set $EDITOR") from None
        if result.returncode != 0:
            raise UserError(f"the editor {editor!r} exited with status {result.returncode}; nothing saved")
        return path.read_text(encoding="utf-8")


def _print_followups(interview: Interview, zone: ZoneInfo) -> None:
    print(_interview_line(interview, zone))
    for f in interview.followups:
        extra = f" ({f.reason})" if f.reason else ""
        print(f"    {f.kind:<10} {_short(f.due, zone):<22} {f.state}{extra}")


def cmd_explain(args: argparse.Namespace) -> int:
    settings = _settings(args)
    rule_set = _load_rules(settings)
    if args.file:
        try:
            raw = message_file(Path(args.file))
        except OSError as exc:
            raise UserError(f"{args.file}: cannot read: {exc.strerror}") from None
    elif args.uid is not None:
        raw = _fetch_one(settings, args.folder, args.uid)
    else:
        raise UserError("explain: give FILE.eml or --uid N")
    context = rules.Context()
    if settings.storage_path.exists():
        store = Store(settings.storage_path)
        try:
            context = records_context(settings, store)
        finally:
            store.close()
    analysis = analyse(raw, settings, rule_set, context)
    zone = settings.zone
    data = explain_json(analysis, zone)
    read, why = would_read(raw, settings, rule_set, context)
    data["scan"] = {"read": read, "reason": why}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
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


def _fetch_one(settings: config.Settings, folder: str, uid: int) -> bytes:
    with loop.connect(settings) as mailbox:
        mailbox.examine(folder)
        for _, raw, _flags in mailbox.fetch([uid]):
            return raw
    raise UserError(f"no message with UID {uid} in {folder}")


def cmd_calendar(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.rotate_token:
        print(feed.rotate_feed_token(settings))
        return 0
    if args.url:
        print(feed.feed_url(settings))
        return 0
    if args.serve:
        return _serve_until_stopped(settings)
    store = _open_store(settings)
    try:
        data = Publisher(settings, store).calendar_bytes(_parse_now(args.now, settings.zone))
    finally:
        store.close()
    if args.output == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    from daemon.followups.ics import write_atomic

    target = Path(args.output) if args.output else settings.calendar.path
    write_atomic(target, data)
    print(f"wrote {target}")
    return 0


def _serve_until_stopped(settings: config.Settings) -> int:
    """The feed alone, for a set-up where cron runs `relance run --once`; SIGTERM or Ctrl-C stops it."""
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stopped.set())
    with _serving_feed(_with_feed_enabled(settings), False):
        stopped.wait()
    return 0


def _with_feed_enabled(settings: config.Settings) -> config.Settings:
    """The settings with the feed enabled: `calendar --serve` is asking for it."""
    serve = dataclasses.replace(settings.calendar.serve, enabled=True)
    return dataclasses.replace(settings, calendar=dataclasses.replace(settings.calendar, serve=serve))


# --- the parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relance", description=(
        "Turns job-interview invitations in your mailbox into a thank-you draft (J+1) "
        "and a call reminder (J+7)."))
    parser.add_argument("--config", metavar="PATH", help="config file (default: $RELANCE_CONFIG, "
                                                         "else the XDG config path)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"relance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "write a starter config to the XDG config path")
    add("login", cmd_login, "store the IMAP password in the keyring")
    add("check", cmd_check, "validate the config and connect")
    p = add("run", cmd_run, "run the daemon")
    p.add_argument("--once", action="store_true", help="one full cycle, then exit")
    p.add_argument("--dry-run", action="store_true", help="write nothing anywhere")
    p.add_argument("--now", metavar="ISO", help="act as if the clock read ISO (implies --once)")
    p = add("list", cmd_list, "the interviews and their follow-ups")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include ended interviews")
    p = add("show", cmd_show, "one interview with its history")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p = add("explain", cmd_explain, "what the rules and extractors make of one message")
    p.add_argument("file", nargs="?", metavar="FILE.eml")
    p.add_argument("--uid", type=int)
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--json", action="store_true")
    p = add("add", cmd_add, "add an interview by hand (one arranged by phone)")
    for name in _ADD_OPTIONS:
        p.add_argument("--" + name.replace("_", "-"), dest=name, metavar=_ADD_METAVARS.get(name, "TEXT"))
    _add_now(p)
    p = add("set", cmd_set, "correct an interview: FIELD=VALUE ... (an empty VALUE clears the field)")
    p.add_argument("id", type=int)
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    _add_now(p)
    p = add("mark", cmd_mark, "record what happened: " + ", ".join(MARKS))
    p.add_argument("id", type=int)
    p.add_argument("status", choices=list(MARKS), metavar="STATUS")
    _add_now(p)
    p = add("debrief", cmd_debrief, "write the debrief sheet in $EDITOR")
    p.add_argument("id", type=int)
    _add_now(p)
    p = add("calendar", cmd_calendar, "write the calendar, or show and manage its feed URL")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (- for stdout)")
    p.add_argument("--url", action="store_true", help="print the feed URL (creates the token)")
    p.add_argument("--rotate-token", action="store_true", help="replace the feed token; the old URL stops working")
    p.add_argument("--serve", action="store_true", help="serve the feed until stopped (without the daemon)")
    _add_now(p)
    return parser


_ADD_METAVARS = {"start": "ISO", "end": "ISO", "recruiter_email": "ADDRESS", "recruiter_phone": "NUMBER",
                 "recruiter_tz": "ZONE", "language": "fr|en", "url": "URL"}


def _add_now(p: argparse.ArgumentParser) -> None:
    p.add_argument("--now", metavar="ISO", help="act as if the clock read ISO (tests, rehearsals)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    try:
        code: int = args.func(args)
        return code
    except UserError as exc:
        print(f"relance: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
