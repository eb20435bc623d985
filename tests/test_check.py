# SPDX-License-Identifier: MIT
"""`relance check` checks what will run, over a real Dovecot: each mistake a new user makes is one line
naming the key, found now rather than at J+1."""

from __future__ import annotations

import socket
import time

from tests.conftest import Env
from tests.scenarios import write


def check(env: Env, **overrides: object) -> tuple[int, str, str]:
    if overrides:
        env.write_config(**overrides)
    result = env.relance("check")
    return result.code, result.out, result.err


def test_a_good_set_up_passes_and_says_what_it_found(env: Env) -> None:
    code, out, err = check(env, identity__name="Camille Roux", identity__email="camille.roux@example.net")
    assert code == 0, err
    assert "watching INBOX" in out and "drafts go to Drafts" in out and "rules: " in out
    assert "warning" not in out


def test_the_example_identity_and_a_readable_password_file_are_warnings(env: Env) -> None:
    (env.home / "imap-password").chmod(0o644)
    code, out, err = check(env)
    assert code == 0, err
    assert "warning: identity is still the example's (Alice Martin <alice@example.org>)" in out
    assert f"warning: imap.password_file: {env.home / 'imap-password'} is readable by others (mode 644)" in out


def test_a_missing_watched_folder_lists_the_servers_folders_with_their_special_use(env: Env) -> None:
    code, _, err = check(env, imap__folders=["INBOX", "Candidatures"])
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("relance: imap.folders: 'Candidatures' not found on ")
    assert "Drafts (\\Drafts)" in line and "INBOX" in line


def test_no_watched_folder_at_all_is_refused(env: Env) -> None:
    code, _, err = check(env, imap__folders=[])
    assert code == 1
    assert "imap.folders: must name at least one folder to watch" in err


def test_a_drafts_folder_that_does_not_exist_is_found_now_not_at_j1(env: Env) -> None:
    code, _, err = check(env, imap__drafts="Brouillons")
    assert code == 1
    assert "relance: imap.drafts: 'Brouillons' not found on" in err and "Drafts (\\Drafts)" in err


def test_a_template_that_does_not_render_is_named(env: Env) -> None:
    templates = env.home / "templates"
    templates.mkdir()
    write(templates / "thank_you.en.txt.j2", "{{ greeting }},\n{{ undefined_thing }}\n")
    code, _, err = check(env, templates={"paths": [str(templates)]})
    assert code == 1
    assert err.strip() == ("relance: templates (en): template thank_you.en.txt.j2 failed to render: "
                           "'undefined_thing' is undefined")


def test_a_rules_directory_that_does_not_exist_names_the_key(env: Env) -> None:
    code, _, err = check(env, rules={"paths": [str(env.home / "my-rules")]})
    assert code == 1
    assert err.strip() == f"relance: rules.paths: {env.home / 'my-rules'}: no such directory"


def test_a_feed_port_in_use_by_another_program(env: Env) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        code, _, err = check(env, calendar__serve={"enabled": True, "port": port})
    assert code == 1
    assert err.strip() == f"relance: calendar.serve.port: 127.0.0.1:{port} is in use by another program"


def test_a_password_command_that_cannot_run_is_named_not_its_exception(env: Env) -> None:
    code, _, err = check(env, imap__password_file=None, imap__password_command="no-such-pass-tool show imap")
    assert code == 1
    assert "imap.password_command: cannot run 'no-such-pass-tool': No such file or directory" in err
    assert "FileNotFoundError" not in err


def test_a_ca_file_that_does_not_exist_names_the_key_and_the_path(env: Env) -> None:
    missing = env.home / "ca.pem"
    code, _, err = check(env, imap__port=env.server.tls_port, imap__security="tls", imap__host="localhost",
                         imap__ca_file=str(missing))
    assert code == 1
    assert err.strip() == f"relance: imap.ca_file: {missing}: No such file or directory"


def test_tls_against_the_plain_port_is_a_hint_about_security_and_port(env: Env) -> None:
    code, _, err = check(env, imap__security="tls", imap__host="127.0.0.1")
    assert code == 1
    assert f"port {env.server.port} answers in plain text: set imap.security to starttls" in err


def test_plain_against_the_tls_port_is_a_hint_within_10_s_not_a_minute(env: Env) -> None:
    began = time.monotonic()
    code, _, err = check(env, imap__port=env.server.tls_port)  # security stays plain, timeout 60 s
    took = time.monotonic() - began
    assert code == 1
    assert f"no greeting on port {env.server.tls_port}" in err and "imap.security: tls" in err
    assert took < 10, took
    print(f"check against a TLS port with security plain: {took:.1f} s")
