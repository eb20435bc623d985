# SPDX-License-Identifier: MIT
"""A password with accents, against a real Dovecot: AUTHENTICATE PLAIN (UTF-8) where the server offers it,
LOGIN with the password as a literal where it does not; a refusal, a password file or a password command
that is not UTF-8 are one line each; and no exception's text carries a piece of the secret to a log line."""

from __future__ import annotations

import imaplib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Env, make_env
from tests.harness.daemon_process import DaemonProcess, wait_until
from tests.harness.dovecot import Dovecot, start_dovecot
from tests.harness.tcpproxy import proxy_to

PASSWORD = "Crème brûlée à 7 € — ñandú"


def pieces(secret: str) -> list[str]:
    """What a log line must not hold: the secret, its non-ASCII characters and their UTF-8 bytes, as text or repr."""
    found = [secret, secret[:8], secret[-8:]]
    for char in {c for c in secret if not c.isascii()}:
        # the escaped forms a traceback or a repr would show; the bare character may be in a folder's
        # name ("Éléments envoyés"): the whole password and its ends above already stand for it
        found += [e for e in (repr(char)[1:-1], "\\x" + char.encode().hex()[:2], repr(char.encode())[2:-1])
                  if e != char]
    return [p for p in found if p.strip()]


@pytest.fixture(scope="module")
def plain_dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    with start_dovecot(tmp_path_factory.mktemp("utf8-dovecot"), password=PASSWORD) as server:
        yield server


def without_auth_plain(data: bytes) -> bytes:
    return data.replace(b" AUTH=PLAIN", b"")


def test_without_auth_plain_the_password_goes_as_a_login_literal(plain_dovecot: Dovecot, tmp_path: Path) -> None:
    # Dovecot's LOGIN command needs its PLAIN mechanism, so a relay hides AUTH=PLAIN from the
    # capabilities instead, as a server that does not offer it would show them
    env = make_env(plain_dovecot, tmp_path)
    with proxy_to(plain_dovecot.port) as relay:
        relay.from_server = without_auth_plain
        env.write_config(imap__port=relay.port)
        with imaplib.IMAP4("127.0.0.1", relay.port, timeout=10) as probe:
            assert "AUTH=PLAIN" not in probe.capabilities and "AUTH=LOGIN" in probe.capabilities
        result = env.relance("-v", "check")

    assert result.code == 0, result.err
    assert "watching INBOX" in result.out
    assert_clean(result.err + result.out)


def assert_clean(text: str) -> None:
    assert "Traceback" not in text, text
    for piece in pieces(PASSWORD):
        assert piece not in text, (piece, text)


def test_an_accented_password_logs_in_with_authenticate_plain(plain_dovecot: Dovecot, tmp_path: Path) -> None:
    env = make_env(plain_dovecot, tmp_path)
    mark = plain_dovecot.log_path.stat().st_size

    result = env.relance("-v", "check")

    assert result.code == 0, result.err
    assert "watching INBOX" in result.out
    assert "Login: user=<alice>" in plain_dovecot.log_path.read_text(encoding="utf-8", errors="replace")[mark:]
    assert_clean(result.err + result.out)


@pytest.mark.parametrize("wrong", ["Crème brûlée à 8 €", "creme brulee"])
def test_a_wrong_password_is_one_line_saying_login_refused(plain_dovecot: Dovecot, tmp_path: Path,
                                                           wrong: str) -> None:
    env = make_env(plain_dovecot, tmp_path)
    (tmp_path / "imap-password").write_text(wrong + "\n", encoding="utf-8")

    result = env.relance("check")

    assert result.code == 1
    assert "login refused" in result.err and len(result.err.strip().splitlines()) == 1, result.err
    assert_clean(result.err)


def test_a_password_file_that_is_not_utf8_is_one_line_without_its_bytes(plain_dovecot: Dovecot,
                                                                        tmp_path: Path) -> None:
    env = make_env(plain_dovecot, tmp_path)
    (tmp_path / "imap-password").write_bytes(PASSWORD.encode("latin-1", "replace") + b"\n")

    result = env.relance("check")

    assert result.code == 1
    assert result.err.strip() == f"relance: imap.password_file: {tmp_path / 'imap-password'} is not UTF-8 text"


def test_a_password_command_is_read_as_utf8_whatever_the_locale(plain_dovecot: Dovecot, tmp_path: Path) -> None:
    env = make_env(plain_dovecot, tmp_path)
    script = tmp_path / "pass"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.buffer.write({PASSWORD.encode()!r} + b'\\n')\n")
    script.chmod(0o700)
    env.write_config(imap__password_file=None, imap__password_command=str(script))
    # an ASCII locale, as under a bare systemd unit or cron
    ascii_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}

    with DaemonProcess(env.config_path, "--once", "--now", "2026-12-04T10:00:00+01:00", env=ascii_locale) as daemon:
        code = daemon.wait()
        log = daemon.log()

    assert code == 0, log
    assert "secret from password_command" in log
    assert_clean(log)


def test_the_daemon_log_holds_no_piece_of_a_utf8_password_even_in_debug(plain_dovecot: Dovecot,
                                                                         tmp_path: Path) -> None:
    env = make_env(plain_dovecot, tmp_path)
    env.deliver("01-google-invite-acme.eml")
    with DaemonProcess(env.config_path, "--once", "--now", "2026-12-04T10:00:00+01:00") as daemon:
        assert daemon.wait() == 0, daemon.log()
        log = daemon.log()
    assert "secret from password_file" in log
    assert_clean(log)


def test_a_password_command_that_hangs_with_a_helper_holding_its_output_times_out(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from daemon import credentials

    monkeypatch.setattr(credentials, "COMMAND_TIMEOUT", 1.0)
    script = tmp_path / "pinentry-wait"
    # the helper it starts keeps the output pipe open long after the command itself is gone
    helper_pid = tmp_path / "helper.pid"
    script.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {helper_pid}\nsleep 600\n")
    script.chmod(0o700)
    env.write_config(imap__password_file=None, imap__password_command=str(script))

    result = env.relance("check")

    assert result.code == 1
    assert result.err.strip() == f"relance: imap.password_command: {str(script)!r} did not finish within 1 s"
    helper = int(helper_pid.read_text())
    wait_until(lambda: gone(helper), 5, "the helper killed with the command")


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"  # killed, not yet reaped by whoever adopted it
