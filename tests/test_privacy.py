# SPDX-License-Identifier: MIT
"""Privacy and the user's mail: a full run leaves every watched folder exactly as it was (UIDs,
flags, count, HIGHESTMODSEQ); everything relance writes is 0600 in 0700 directories whatever the
umask; and no password, token or message body shows in any output at debug level, in an error, or
in the environment of a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from daemon.followups.records import Store
from tests.conftest import SAMPLES, Env, wipe
from tests.hostile import HOSTILE, SCAN_AT, THANK_YOU_AT, deliver, invitation

WATCHED = ("INBOX", "Privacy")
J7_AT = "2026-12-10T18:00:00+01:00"
BODY_MARKER = "Zq7-private-paragraph-Vx3"


def folder_state(env: Env, folder: str) -> tuple[object, ...]:
    """What a client sees of a folder: STATUS (with HIGHESTMODSEQ) and every message with its flags."""
    with env.server.imap() as conn:
        typ, caps = conn.capability()  # after login: the greeting's list lacks the extensions
        assert b"CONDSTORE" in caps[0].split(), "the server must count modifications for this test to mean much"
        typ, data = conn.status(folder, "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)")
    assert typ == "OK", data
    return data[0], env.server.messages(folder)


def test_a_full_run_leaves_every_watched_folder_exactly_as_it_was(env: Env) -> None:
    wipe(env.server, ("Privacy",))
    env.write_config(imap__folders=list(WATCHED))
    for name, flags in (("01-google-invite-acme.eml", ""), ("02-outlook-teams-globex.eml", "\\Seen"),
                        ("04-newsletter-conseils.eml", "\\Flagged $Label1")):
        env.server.append("INBOX", (SAMPLES / name).read_bytes(), flags)
    env.server.append("Privacy", (SAMPLES / "03-fr-convocation-initech.eml").read_bytes(), "\\Answered")
    for name in ("calendar-garbage", "header-to-lone-quote", "msgid-twice"):
        deliver(env, (HOSTILE / f"{name}.eml").read_bytes(), folder="Privacy")
    before = {folder: folder_state(env, folder) for folder in WATCHED}

    for now in (SCAN_AT, THANK_YOU_AT, J7_AT, "2026-12-19T09:30:00+01:00"):
        env.run_at(now)

    assert {folder: folder_state(env, folder) for folder in WATCHED} == before
    assert len(env.drafts()) >= 2, "the run went the whole way: it drafted"


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mode & 0o777 for p in sorted(root.rglob("*"))}


def test_everything_relance_writes_is_0600_in_0700_directories_whatever_the_umask(env: Env) -> None:
    root = env.home / "state"
    env.write_config(storage__path=str(root / "data" / "db" / "relance.db"),
                     calendar__path=str(root / "calendars" / "relance.ics"))
    deliver(env, invitation("<private@hexa-conseil.fr>"))
    with umask(0):
        env.run_at(SCAN_AT)
        assert env.relance("calendar", "--url").code == 0  # makes the feed token
        store = Store(root / "data" / "db" / "relance.db")
        try:  # the -wal and -shm files live while the database is open
            with store.transaction():
                store.set_folder_state("Privacy", 1, 1)
            found = modes(root)
        finally:
            store.close()

    assert found == {"calendars": 0o700, "calendars/relance.ics": 0o600, "data": 0o700, "data/db": 0o700,
                     "data/db/feed-token": 0o600, "data/db/relance.db": 0o600, "data/db/relance.db-shm": 0o600,
                     "data/db/relance.db-wal": 0o600, "data/db/relance.db.lock": 0o600}


def test_files_made_readable_by_others_are_made_private_again(env: Env) -> None:
    deliver(env, invitation("<private@hexa-conseil.fr>"))
    env.run_at(SCAN_AT)
    assert env.relance("calendar", "--url").code == 0
    ours = ("relance.db", "relance.db.lock", "relance.ics", "feed-token")
    for name in ours:
        (env.home / name).chmod(0o644)

    env.run_at(THANK_YOU_AT)
    assert env.relance("calendar", "--url").code == 0

    assert {name: (env.home / name).stat().st_mode & 0o777 for name in ours} == dict.fromkeys(ours, 0o600)


ENV_DUMPER = """import os, pathlib, sys
pathlib.Path(sys.argv[1]).write_text("\\n".join(f"{k}={v}" for k, v in os.environ.items()))
print(pathlib.Path(sys.argv[2]).read_text())
"""


def relance(env: Env, *args: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """relance in a process of its own, as a user runs it: its stdout and stderr are what is searched."""
    return subprocess.run([sys.executable, "-m", "daemon", "--config", str(env.config_path), *args],
                          capture_output=True, text=True, env=environment, timeout=120, check=False)


def private_mail() -> list[bytes]:
    """The body marker in a plain invitation, a broken calendar line, an HTML part and a skipped message."""
    paragraph = f"\r\n{BODY_MARKER} ne regarde que vous.\r\n".encode()
    plain = invitation("<private-plain@hexa-conseil.fr>")
    calendar = (HOSTILE / "calendar-garbage.eml").read_bytes().replace(b"a calendar", BODY_MARKER.encode())
    html = invitation("<private-html@hexa-conseil.fr>", body=b"<p>" + paragraph + b"</p><b" * 500).replace(
        b"text/plain", b"text/html", 1)
    part = b"--b\r\nContent-Type: text/plain\r\n\r\n" + BODY_MARKER.encode() + b" %d\r\n"
    parts = b"".join(part % i for i in range(300))
    too_many = invitation("<private-parts@hexa-conseil.fr>", body=parts + b"--b--\r\n").replace(
        b"text/plain; charset=utf-8", b'multipart/mixed; boundary="b"', 1)
    return [plain + paragraph, calendar, html, too_many]


def test_no_password_token_or_body_in_any_output_at_debug_level(env: Env, tmp_path: Path) -> None:
    password = env.server.password
    password_file, env_dump = tmp_path / "secret", tmp_path / "child-environment"
    password_file.write_text(password, encoding="utf-8")
    (tmp_path / "dump_env.py").write_text(ENV_DUMPER, encoding="utf-8")
    env.write_config(imap__password_file=None,
                     imap__password_command=f"{sys.executable} {tmp_path / 'dump_env.py'} {env_dump} {password_file}")
    for raw in private_mail():
        deliver(env, raw)
    environment = {**os.environ, "RELANCE_IMAP_PASSWORD": password}
    token = relance(env, "calendar", "--url", environment=environment).stdout.strip().split("/")[-2]

    runs = [relance(env, "-v", "run", "--once", "--now", now, environment=environment)
            for now in (SCAN_AT, THANK_YOU_AT)]
    runs.append(relance(env, "-v", "list", "--all", environment=environment))

    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr[-2000:] for r in runs]
    logs = "".join(r.stdout + r.stderr for r in runs)
    assert "DEBUG" in logs and "skipped: more than 200 MIME parts" in logs, "debug logs of a cycle that read them"
    for secret in (password, token, BODY_MARKER):
        assert secret not in logs
    assert password not in env_dump.read_text(encoding="utf-8"), "a child process inherits no password"
    stored = [p.read_bytes() for p in env.home.iterdir() if p.name.startswith("relance")]
    stored += [raw for _uid, _flags, raw in env.server.messages("Drafts")]
    assert not [s for s in stored if password.encode() in s or BODY_MARKER.encode() in s]


def test_a_refused_login_does_not_echo_the_password(env: Env, tmp_path: Path) -> None:
    wrong = "Wr0ng-pass-Kd93-refused"
    (tmp_path / "imap-password").write_text(wrong + "\n", encoding="utf-8")
    environment = {**os.environ, "RELANCE_IMAP_PASSWORD": wrong}

    done = relance(env, "-v", "run", "--once", "--now", SCAN_AT, environment=environment)

    assert done.returncode == 1
    assert "login refused" in done.stderr
    assert wrong not in done.stdout + done.stderr


@pytest.fixture(autouse=True)
def _no_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    # the subprocesses log as on a terminal, whatever runs the tests
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
