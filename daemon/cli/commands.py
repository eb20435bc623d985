# SPDX-License-Identifier: MIT
"""The ``relance`` command. Thin: parse arguments, call the modules, print.

Exit codes: 0 ok, 1 a user-facing error (one line on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import getpass
import logging
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from daemon import __version__, config, credentials
from daemon.cli import progress
from daemon.cli.check import Check
from daemon.cli.common import open_store, parse_now, records_path, rules_for, settings_from, store_at
from daemon.cli.explain import cmd_explain
from daemon.cli.listing import cmd_list, cmd_show, print_followups
from daemon.errors import UsageError, UserError
from daemon.followups import database, feed
from daemon.followups.edits import FIELDS, MARKS, HandEdits, parse_field
from daemon.followups.publish import Publisher
from daemon.followups.records import Store
from daemon.run import loop
from daemon.run.cycle import Cycle
from daemon.run.lock import InstanceLock
from daemon.shipped import PACKAGE_DIR, shipped_path
from daemon.text import counted
from daemon.understand import rules

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


# --- JSON shapes (public: see DESIGN.md)


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
    settings = settings_from(args)
    if args.caldav:
        return _login_caldav(settings)
    password = getpass.getpass(f"IMAP password for {settings.imap.username} at {settings.imap.host}: ")
    if not password:
        raise UserError("login: no password given")
    credentials.store_in_keyring(settings.imap.username, password)
    print("password stored in the keyring; now run `relance check`")
    return 0


def _login_caldav(settings: config.Settings) -> int:
    target = settings.calendar.caldav
    if target is None:
        raise UserError("calendar.caldav.url: not set; nothing to log in to")
    password = getpass.getpass(f"CalDAV password for {target.username} at {target.url}: ")
    if not password:
        raise UserError("login: no password given")
    credentials.store_in_keyring(target.username, password, credentials.CALDAV_KEYRING_SERVICE)
    print("password stored in the keyring; now run `relance check`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    return Check(settings_from(args), print).run()


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    rule_set = rules_for(settings)
    once_at = parse_now(args.now, settings.zone) if args.once or args.now else None
    with contextlib.ExitStack() as held:
        if not args.dry_run:  # a dry run writes nothing, not even the lock file
            held.enter_context(InstanceLock(settings.storage_path))
        store = Store(settings.storage_path, throwaway=args.dry_run)
        held.callback(store.close)
        bar = held.enter_context(progress.on_terminal(sys.stderr, dict(os.environ)))
        # the daemon retries calendar.caldav on IMAP's schedule; a single run tries once
        backoff = None if once_at is not None else loop.Backoff()
        cycle = Cycle(settings, store, rule_set, dry_run=args.dry_run, progress=bar, caldav_backoff=backoff)
        cycle.load_data(once_at or datetime.now(UTC))
        if once_at is not None:
            report = loop.run_once(cycle, once_at)
            if report.skipped_messages:
                log.info("%s skipped (see above)", counted(report.skipped_messages, "message"))
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
    settings = settings_from(args)
    return settings, rules_for(settings)


# --- changes by hand: each one is in the record's history and in the calendar at once


@contextlib.contextmanager
def _changing(args: argparse.Namespace, create: bool = False,
              given: dict[str, str] | None = None) -> Iterator[tuple[HandEdits, datetime]]:
    """Hand edits over the records, and the calendar file brought up to date afterwards. The fields
    given are checked first: a malformed command line is a usage error, whatever the records hold."""
    settings = settings_from(args)
    now = parse_now(args.now, settings.zone)
    for name, text in (given or {}).items():
        parse_field(settings, name, text)
    store = store_at(settings.storage_path) if create else open_store(settings)
    try:
        yield HandEdits(settings, store), now
        Publisher(settings, store).export_calendar(now)
    finally:
        store.close()


_ADD_OPTIONS = ("company", "position", "start", "end", "location", "url", "recruiter_name", "recruiter_email",
                "recruiter_phone", "recruiter_tz", "language")


def cmd_add(args: argparse.Namespace) -> int:
    values = {k: getattr(args, k) for k in _ADD_OPTIONS if getattr(args, k) is not None}
    with _changing(args, create=True, given=values) as (svc, now):
        interview_id = svc.add_by_hand(values, now)
        interview = svc.interview(interview_id)
    print(f"added #{interview_id}")
    if not interview.recruiter_email:
        print(f"note: no recruiter address, so the thank-you will wait (blocked) until "
              f"`relance set {interview_id} recruiter_email=ADDRESS`")
    print_followups(interview, svc.settings.zone)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    for pair in args.assignments:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"set: expected FIELD=VALUE, got {pair!r}")
        values[name.strip().replace("-", "_")] = value
    with _changing(args, given=values) as (svc, now):
        changes = svc.correct(args.id, values, now)
        interview = svc.interview(args.id)
    print("\n".join(changes) if changes else "nothing changed")
    print_followups(interview, svc.settings.zone)
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    with _changing(args) as (svc, now):
        what = svc.retry(args.id, args.kind, now)
    print(f"#{args.id}: {what}")
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    with _changing(args) as (svc, now):
        what = svc.mark(args.id, args.status, now)
    print(f"#{args.id}: {what}")
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    """`relance confirm ID` and `relance dismiss ID`: a record held for review planned, or dropped."""
    with _changing(args) as (svc, now):
        what = (svc.confirm if args.command == "confirm" else svc.dismiss)(args.id, now)
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
        path.touch(mode=0o600)  # and a private file, whatever the umask: editors copy its mode to backups
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise UserError(f"cannot start the editor {editor!r}: {exc.strerror}; set $EDITOR") from None
        if result.returncode != 0:
            raise UserError(f"the editor {editor!r} exited with status {result.returncode}; nothing saved")
        return path.read_text(encoding="utf-8")


def cmd_calendar(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.rotate_token:
        print(feed.rotate_feed_token(settings))
        return 0
    if args.url:
        print(feed.feed_url(settings))
        if (why := feed.unserved(settings)) is not None:  # on stderr: the URL alone stays on stdout
            print(f"note: {why}", file=sys.stderr)
        return 0
    if args.serve:
        return _serve_until_stopped(settings)
    now = parse_now(args.now, settings.zone)
    store = open_store(settings)
    try:
        data = Publisher(settings, store).calendar_bytes(now)
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
    p = add("login", cmd_login, "store the IMAP password in the keyring")
    p.add_argument("--caldav", action="store_true", help="the calendar.caldav password instead")
    add("check", cmd_check, "validate the config and connect")
    p = add("run", cmd_run, "run the daemon")
    p.add_argument("--once", action="store_true", help="one full cycle, then exit")
    p.add_argument("--dry-run", action="store_true", help="write nothing anywhere")
    p.add_argument("--now", metavar="ISO", help="act as if the clock read ISO (implies --once)")
    p = add("list", cmd_list, "the interviews and their follow-ups")
    p.add_argument("--json", action="store_true", help=_JSON_HELP)
    p.add_argument("--all", action="store_true", help="include ended interviews")
    p = add("show", cmd_show, "one interview with its history")
    p.add_argument("id", type=int, help=_ID_HELP)
    p.add_argument("--json", action="store_true", help=_JSON_HELP)
    p = add("explain", cmd_explain, "what the rules and extractors make of one message")
    p.add_argument("file", nargs="?", metavar="FILE.eml", help="a message saved from your mail client (or an .ics)")
    p.add_argument("--uid", type=int, help="the message with this IMAP UID in --folder instead of a file")
    p.add_argument("--folder", default="INBOX", help="SENT: the folder of your sent mail (imap.sent)")
    p.add_argument("--sent", action="store_true", help="FILE.eml is a message you sent")
    p.add_argument("--json", action="store_true", help=_JSON_HELP)
    p = add("add", cmd_add, "add an interview by hand (one arranged by phone)")
    for name in _ADD_OPTIONS:
        p.add_argument("--" + name.replace("_", "-"), dest=name, metavar=_ADD_METAVARS.get(name, "TEXT"),
                       help=_FIELD_HELP[name])
    _add_now(p)
    p = add("set", cmd_set, "correct an interview: FIELD=VALUE ... (an empty VALUE clears the field)")
    p.formatter_class = argparse.RawDescriptionHelpFormatter  # one field a line
    p.epilog = "fields:\n" + "\n".join(f"  {name:<19} {_FIELD_HELP[name]}" for name in FIELDS)
    p.add_argument("id", type=int, help=_ID_HELP)
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE", help="a field and its new value (fields below)")
    _add_now(p)
    p = add("mark", cmd_mark, "record what happened: " + ", ".join(MARKS))
    p.add_argument("id", type=int, help=_ID_HELP)
    p.add_argument("status", choices=list(MARKS), metavar="STATUS", help=", ".join(MARKS))
    _add_now(p)
    for name, text in (("confirm", "plan a possible interview held for review as an interview"),
                       ("dismiss", "drop a possible interview held for review; its thread stays ignored")):
        p = add(name, cmd_settle, text)
        p.add_argument("id", type=int, help=_ID_HELP)
        _add_now(p)
    p = add("retry", cmd_retry, "plan a skipped, cancelled or blocked follow-up again (due now if its time is past)")
    p.add_argument("id", type=int, help=_ID_HELP)
    p.add_argument("kind", choices=["debrief", "thank_you", "call"], metavar="KIND",
                   help="debrief, thank_you or call")
    _add_now(p)
    p = add("debrief", cmd_debrief, "write the debrief sheet in $EDITOR")
    p.add_argument("id", type=int, help=_ID_HELP)
    _add_now(p)
    p = add("calendar", cmd_calendar, "write the calendar, or show and manage its feed URL")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (- for stdout)")
    p.add_argument("--url", action="store_true", help="print the feed URL (creates the token)")
    p.add_argument("--rotate-token", action="store_true", help="replace the feed token; the old URL stops working")
    p.add_argument("--serve", action="store_true", help="serve the feed until stopped (without the daemon)")
    _add_now(p)
    return parser


_JSON_HELP = "print JSON (the shape is in the README)"
_ID_HELP = "the interview's ID, as `relance list` shows it"
_FIELD_HELP = {
    "company": "the employer", "position": "the job's title",
    "start": "when it begins: ISO date and time, 2026-12-03T14:30 (timezone unless an offset is given)",
    "end": "when it ends, the same way (default: an hour after start)",
    "location": "where it takes place", "url": "the video call's link", "recruiter_name": "who invited you",
    "recruiter_email": "where the thank-you goes", "recruiter_phone": "the number the call reminder shows",
    "recruiter_tz": "the recruiter's IANA time zone (default: from the phone number)",
    "language": "fr or en: the drafts' language", "recruiter_title": "Madame, Monsieur, Ms, Mrs or Mr",
    "contact_preference": "mail, phone or none", "next_steps": "what they said comes next",
}
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
    except UsageError as exc:
        print(f"relance {args.command}: {exc} (see `relance {args.command} --help`)", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"relance: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # a damaged, read-only or full records database: one line, never a traceback
        print(f"relance: {database.trouble(records_path(args), exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
