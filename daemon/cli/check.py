# SPDX-License-Identifier: MIT
"""`relance check`: what will run, checked now rather than at J+1.

The config and the rules load; every template renders on a sample record in both languages; the feed's
port is free; the password file is private; the identity is the user's; then, connected (within
10 s, so a TLS/plain mismatch is a hint and never a minute's hang), the watched folders and
the Drafts folder exist, the latter selectable (it takes the APPENDs). Problems are printed one line
each on stderr and make the exit code 1; warnings (stdout) do not.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from daemon import config
from daemon.cli.common import rules_for
from daemon.cli.sent import sent_line
from daemon.errors import UserError
from daemon.followups import caldav_sync, drafts
from daemon.mail.mailbox import Mailbox
from daemon.run import loop
from daemon.run.lock import AlreadyRunning, InstanceLock
from daemon.text import counted

CONNECT_BOUND = 8.0  # seconds to wait for a greeting: `check` answers within 10 s even when none comes
EXAMPLE_IDENTITY = ("Alice Martin", "alice@example.org")  # config.example.yaml's
SAMPLE_MESSAGE_ID = "<relance.check.0000000000000000@relance.invalid>"

Say = Callable[[str], None]


class Check:
    def __init__(self, settings: config.Settings, say: Say) -> None:
        self.settings = settings
        self.say = say
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def warn(self, text: str) -> None:
        self.say(f"warning: {text}")

    def run(self) -> int:
        for step in (self.rules, self.templates, self.identity, self.password_file, self.feed_port,
                     self.mailbox, self.caldav):
            try:
                step()
            except UserError as exc:
                self.problem(str(exc))
        if self.problems:
            # one line each on stderr, like every error of relance
            raise UserError("\nrelance: ".join(self.problems))
        self.say(f"config {self.settings.source} is valid; calendar at {self.settings.calendar.path}")
        return 0

    def rules(self) -> None:
        found = rules_for(self.settings)  # the evidence weights too
        self.say(f"rules: {len(found)} loaded")

    def templates(self) -> None:
        dirs = self.settings.template_paths
        for language in drafts.LANGUAGES:
            context = sample_context(self.settings, language)
            try:
                drafts.render_thank_you(context, template_dirs=dirs, message_id=SAMPLE_MESSAGE_ID,
                                        html=self.settings.drafts.html)
                drafts.render_call_script(context, template_dirs=dirs)
            except drafts.DraftError as exc:
                self.problem(f"templates ({language}): {exc}")
        if dirs:
            self.say(f"templates: yours in {', '.join(map(str, dirs))} render in fr and en")

    def identity(self) -> None:
        who = self.settings.identity
        if (who.name, who.email) == EXAMPLE_IDENTITY or who.email == EXAMPLE_IDENTITY[1]:
            self.warn(f"identity is still the example's ({who.name} <{who.email}>): drafts would be signed so")

    def password_file(self) -> None:
        path = self.settings.imap.password_file
        if path is None or not path.exists():
            return
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            self.warn(f"imap.password_file: {path} is readable by others (mode {mode:o}); chmod 600 {path}")

    def feed_port(self) -> None:
        serve = self.settings.calendar.serve
        if not serve.enabled:
            return
        if port_free(serve.bind, serve.port):
            self.say(f"feed: {serve.bind}:{serve.port} is free")
        elif running(self.settings.storage_path):
            self.say(f"feed: {serve.bind}:{serve.port} in use, by the relance that runs")
        else:
            self.problem(f"calendar.serve.port: {serve.bind}:{serve.port} is in use by another program")

    def mailbox(self) -> None:
        imap = self.settings.imap
        bounded = dataclasses.replace(self.settings, imap=dataclasses.replace(
            imap, timeout=min(imap.timeout, CONNECT_BOUND)))
        with loop.connect(bounded) as mailbox:
            folders = dict(mailbox.list_folders())
            for folder in imap.folders:
                if folder not in folders:
                    self.problem(f"imap.folders: {folder!r} not found on {imap.host}; "
                                 f"its folders: {folder_list(folders)}")
                    continue
                self.say(f"watching {folder}: {counted(mailbox.status(folder).messages, 'message')}")
            self.drafts(mailbox, folders)
            self.say(sent_line(self.settings, mailbox.sent_folder(), set(folders)))

    def caldav(self) -> None:
        target = self.settings.calendar.caldav
        if target is not None:
            name = caldav_sync.describe_collection(target)
            self.say(f"calendar.caldav: writing to the collection {name!r} at {target.url}")

    def drafts(self, mailbox: Mailbox, folders: dict[str, tuple[str, ...]]) -> None:
        imap = self.settings.imap
        try:
            name = mailbox.drafts_folder()
        except UserError:
            self.problem(f"imap.drafts: no folder flagged \\Drafts and none of the usual names on {imap.host}; "
                         f"set imap.drafts to one of: {folder_list(folders)}")
            return
        flags = folders.get(name)
        if flags is None:
            self.problem(f"imap.drafts: {name!r} not found on {imap.host}; its folders: {folder_list(folders)}")
        elif any(f.lower() in ("\\noselect", "\\nonexistent") for f in flags):
            self.problem(f"imap.drafts: {name!r} cannot hold messages ({' '.join(flags)}); "
                         f"its folders: {folder_list(folders)}")
        else:
            mailbox.status(name)
            self.say(f"drafts go to {name}")


def sample_context(settings: config.Settings, language: str) -> drafts.DraftContext:
    """A record as a real one looks, to render the templates on before J+1 does."""
    now = datetime.now(settings.zone)
    return drafts.DraftContext(
        language=language, sender_name=settings.identity.name, sender_email=settings.identity.email,
        sender_phone=settings.identity.phone, key_skills=settings.identity.key_skills.of(language),
        recruiter_name="Claire Dubois", recruiter_title="Madame", recruiter_email="claire.dubois@example.com",
        company="Exemple SA", position="Analyste financier", interview_start=now - timedelta(days=1), now=now,
        source_message_id="<invitation@example.com>", source_references=(), source_subject="Entretien",
        looks_for=("SQL",), new_facts=("Une certification obtenue.",),
    )


def folder_list(folders: dict[str, tuple[str, ...]]) -> str:
    """The server's folders with their special-use flags: "INBOX, Brouillons (\\Drafts), Sent (\\Sent)"."""
    special = ("\\drafts", "\\sent", "\\trash", "\\junk", "\\archive", "\\all", "\\flagged")
    shown = []
    for name, flags in sorted(folders.items()):
        uses = [f for f in flags if f.lower() in special]
        shown.append(f"{name} ({' '.join(uses)})" if uses else name)
    return ", ".join(shown) or "(none)"


def port_free(bind: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((bind, port))
        except OSError:
            return False
    return True


def running(database: Path) -> bool:
    """Whether a relance holds this database's lock (then the feed's port is its own)."""
    if not database.parent.exists():
        return False
    try:
        with InstanceLock(database):
            return False
    except AlreadyRunning:
        return True
