# SPDX-License-Identifier: MIT
"""Fixtures shared by the tests: a real Dovecot per session, a config per test, the CLI in-process."""

from __future__ import annotations

import contextlib
import email
import email.policy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from daemon.cli import commands as cli
from tests.harness.dovecot import SENT_FOLDER, Dovecot, quote_mailbox, start_dovecot
from tests.harness.radicale import Radicale, start_radicale

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples"


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    # no skip: a test that needs the server fails when it cannot start
    with start_dovecot() as server:
        yield server


@pytest.fixture(scope="session")
def radicale() -> Iterator[Radicale]:
    # a real CalDAV server for calendar.caldav; no skip either
    with start_radicale() as server:
        yield server


def wipe(server: Dovecot, folders: tuple[str, ...] = ("INBOX", "Drafts", SENT_FOLDER)) -> None:
    """Empty folders between tests (the harness's job, never relance's)."""
    with server.imap() as client:
        for folder in folders:
            typ, data = client.select(quote_mailbox(folder))
            if typ != "OK" or int(data[0] or 0) == 0:
                continue
            client.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
            client.expunge()


@dataclass
class Env:
    """One user's relance set-up against the session's Dovecot."""

    server: Dovecot
    home: Path
    config_path: Path
    config: dict[str, Any]

    def write_config(self, **overrides: Any) -> None:
        data = json.loads(json.dumps(self.config))
        for dotted, value in overrides.items():
            node = data
            *parents, last = dotted.split("__")
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
        self.config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def relance(self, *args: str) -> Result:
        return run_cli("--config", str(self.config_path), *args)

    def run_at(self, now: str, *extra: str) -> Result:
        result = self.relance("run", "--once", "--now", now, *extra)
        assert result.code == 0, result.err
        return result

    def records(self, *extra: str) -> list[dict[str, Any]]:
        result = self.relance("list", "--json", *extra)
        assert result.code == 0, result.err
        data: list[dict[str, Any]] = json.loads(result.out)
        return data

    def deliver(self, name: str, folder: str = "INBOX") -> bytes:
        raw = (SAMPLES / name).read_bytes() if (SAMPLES / name).exists() else (DATA / name).read_bytes()
        self.server.append(folder, raw)
        return raw

    def drafts(self) -> list[email.message.EmailMessage]:
        found = []
        for _uid, flags, raw in self.server.messages("Drafts"):
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(msg, email.message.EmailMessage)
            msg["X-Test-Flags"] = " ".join(sorted(flags))
            found.append(msg)
        return found

    @property
    def calendar_path(self) -> Path:
        return self.home / "relance.ics"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def env(dovecot: Dovecot, tmp_path: Path) -> Env:
    return make_env(dovecot, tmp_path)


def make_env(dovecot: Dovecot, tmp_path: Path) -> Env:
    """A fresh user set-up in tmp_path, the session's folders emptied (also for module-scoped fixtures)."""
    wipe(dovecot)
    password_file = tmp_path / "imap-password"
    password_file.write_text(dovecot.password + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    config = {
        "imap": {"host": dovecot.host, "port": dovecot.port, "security": "plain", "username": dovecot.user,
                 "password_file": str(password_file), "idle": False},
        "identity": {"name": "Alice Martin", "email": "alice@example.org", "phone": "+33 6 99 00 11 22",
                     "key_skills": ["SQL", "modélisation financière"]},
        "language": "fr",
        "timezone": "Europe/Paris",
        "storage": {"path": str(tmp_path / "relance.db")},
        "calendar": {"path": str(tmp_path / "relance.ics")},
    }
    environment = Env(dovecot, tmp_path, tmp_path / "config.yaml", config)
    environment.write_config()
    return environment
