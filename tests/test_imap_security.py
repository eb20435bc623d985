# SPDX-License-Identifier: MIT
"""TLS is verified, STARTTLS works, a wrong password is refused in one line, secrets stay out of output."""

from __future__ import annotations

from tests.conftest import Env


def test_tls_to_an_untrusted_certificate_is_refused(env: Env) -> None:
    env.write_config(imap__port=env.server.tls_port, imap__security="tls", imap__host="localhost")
    result = env.relance("check")
    assert result.code == 1
    assert "certificate" in result.err and "imap.ca_file" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_tls_with_the_servers_ca_file_connects(env: Env) -> None:
    env.write_config(imap__port=env.server.tls_port, imap__security="tls", imap__host="localhost",
                     imap__ca_file=str(env.server.ca_file))
    result = env.relance("check")
    assert result.code == 0, result.err
    assert "watching INBOX" in result.out
    assert "drafts go to Drafts" in result.out


def test_starttls_with_the_ca_file_connects(env: Env) -> None:
    env.write_config(imap__security="starttls", imap__host="localhost", imap__ca_file=str(env.server.ca_file))
    result = env.relance("check")
    assert result.code == 0, result.err


def test_wrong_password_is_one_clear_line_and_never_echoed(env: Env) -> None:
    wrong = "Wr0ng-S3cret-" + "x" * 8
    (env.home / "imap-password").write_text(wrong + "\n", encoding="utf-8")
    result = env.relance("-v", "check")
    assert result.code == 1
    assert "login refused" in result.err
    assert wrong not in result.err + result.out


def test_password_never_appears_in_debug_output(env: Env) -> None:
    env.deliver("01-google-invite-acme.eml")
    result = env.relance("-v", "run", "--once", "--now", "2026-12-04T10:00:00+01:00")
    assert result.code == 0, result.err
    assert env.server.password not in result.err + result.out


def test_environment_variable_is_the_last_resort(env: Env, monkeypatch) -> None:
    env.write_config(imap__password_file=None)
    monkeypatch.setenv("RELANCE_IMAP_PASSWORD", env.server.password)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert env.relance("check").code == 0
    monkeypatch.delenv("RELANCE_IMAP_PASSWORD")
    result = env.relance("check")
    assert result.code == 1
    assert "no password found" in result.err


def test_systemd_credential_is_used(env: Env, monkeypatch) -> None:
    env.write_config(imap__password_file=None)
    creds = env.home / "creds"
    creds.mkdir()
    (creds / "relance-imap").write_text(env.server.password, encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert env.relance("check").code == 0
