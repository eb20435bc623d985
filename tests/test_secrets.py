# SPDX-License-Identifier: MIT
"""OAuth2 and password managers: imap.token_command's token reaches AUTHENTICATE XOAUTH2 (a real Dovecot
checks it), imap.password_command's first line is the password, and neither ever reaches a log line."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Env, make_env
from tests.harness.daemon_process import DaemonProcess
from tests.harness.dovecot import Dovecot

TOKEN = "ya29.a0AfB_byC-test-token-" + "Qx7" * 20  # the shape of a Google access token


@pytest.fixture(scope="module")
def oauth_dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    """A second Dovecot that offers XOAUTH2. Its passwd-file passdb checks the bearer token as it
    would a password, which is enough to prove the token went through AUTHENTICATE XOAUTH2."""
    server = Dovecot.create(tmp_path_factory.mktemp("oauth-dovecot"), password=TOKEN)
    conf = server.conf_path.read_text()
    assert "auth_mechanisms = plain login\n" in conf
    server.conf_path.write_text(conf.replace("auth_mechanisms = plain login\n",
                                             "auth_mechanisms = plain login xoauth2\n"))
    server.start()
    try:
        yield server
    finally:
        server.close()


def helper_script(directory: Path, name: str, output: str) -> str:
    """A command that prints output, as oama or `pass show` would; returns it as a config value."""
    script = directory / name
    script.write_text(f"#!{sys.executable}\nprint({output!r})\nprint('second line, ignored')\n")
    script.chmod(0o700)
    return str(script)


def use_token(env: Env, command: str) -> None:
    env.write_config(imap__auth="xoauth2", imap__password_file=None, imap__token_command=command)


@pytest.fixture
def oauth_env(oauth_dovecot: Dovecot, tmp_path: Path) -> Env:
    env = make_env(oauth_dovecot, tmp_path)
    use_token(env, helper_script(tmp_path, "token", TOKEN))
    return env


def test_the_token_goes_through_authenticate_xoauth2_and_dovecot_accepts_it(oauth_env: Env) -> None:
    mark = oauth_env.server.log_path.stat().st_size
    result = oauth_env.relance("-v", "check")
    assert result.code == 0, result.err
    assert "watching INBOX" in result.out
    log = oauth_env.server.log_path.read_text()[mark:]
    assert "method=XOAUTH2" in log, log


def test_a_refused_token_is_one_line_saying_login_refused(oauth_env: Env, tmp_path: Path) -> None:
    use_token(oauth_env, helper_script(tmp_path, "expired", "ya29.expired"))
    result = oauth_env.relance("check")
    assert result.code == 1
    assert "login refused" in result.err and len(result.err.strip().splitlines()) == 1


def test_neither_token_nor_its_base64_reach_the_daemon_log_even_in_debug(oauth_env: Env) -> None:
    oauth_env.deliver("01-google-invite-acme.eml")
    with DaemonProcess(oauth_env.config_path, "--once", "--now", "2026-12-04T10:00:00+01:00") as daemon:
        assert daemon.wait() == 0, daemon.log()
        log = daemon.log()
    assert "secret from token_command" in log
    sasl = base64.b64encode(f"user={oauth_env.server.user}\1auth=Bearer {TOKEN}\1\1".encode()).decode()
    for secret in (TOKEN, TOKEN[10:40], sasl, sasl[20:60]):
        assert secret not in log


def test_password_command_first_line_is_the_password(env: Env, tmp_path: Path) -> None:
    env.write_config(imap__password_file=None,
                     imap__password_command=helper_script(tmp_path, "pass", env.server.password))
    result = env.relance("-v", "check")
    assert result.code == 0, result.err
    assert env.server.password not in result.err + result.out


def test_a_failing_password_command_is_named_without_its_output(env: Env, tmp_path: Path) -> None:
    script = tmp_path / "broken"
    script.write_text("#!/bin/sh\necho 'hunter2-partial' >&2\nexit 3\n")
    script.chmod(0o700)
    env.write_config(imap__password_file=None, imap__password_command=str(script))
    result = env.relance("check")
    assert result.code == 1
    assert "imap.password_command: exited with status 3" in result.err
    assert "hunter2" not in result.err
