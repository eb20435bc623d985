# SPDX-License-Identifier: MIT
"""The Dovecot harness itself, checked over the wire.

No test here skips: if Dovecot cannot start, the fixture raises and the tests fail.
"""

from __future__ import annotations

import imaplib
import json
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.harness.dovecot import Dovecot, DovecotError, start_dovecot

REPO = Path(__file__).resolve().parent.parent

MESSAGE = (
    b"Date: Tue, 04 Mar 2025 09:30:00 +0100\r\n"
    b"From: Recruiter <jobs@example.com>\r\n"
    b"To: alice@example.com\r\n"
    b"Subject: =?utf-8?q?Entretien_pour_le_poste_d=C3=A9veloppeur?=\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Bonjour, \xc3\xaates-vous disponible jeudi \xc3\xa0 14h ?\r\n"
    b"\r\n"
    b"Trailing spaces stay.   \r\n"
)


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    with start_dovecot() as started:
        yield started


@pytest.fixture
def own_server() -> Iterator[Dovecot]:
    """For tests that stop or break the server."""
    with start_dovecot() as started:
        yield started


def capabilities(conn: imaplib.IMAP4) -> set[str]:
    typ, data = conn.capability()
    assert typ == "OK"
    return set(data[0].decode().upper().split())


def test_plain_login(server: Dovecot) -> None:
    conn = imaplib.IMAP4(server.host, server.port, timeout=10)
    try:
        assert conn.welcome.startswith(b"* OK")
        assert conn.login(server.user, server.password)[0] == "OK"
    finally:
        conn.logout()


def test_wrong_password_is_refused(server: Dovecot) -> None:
    conn = imaplib.IMAP4(server.host, server.port, timeout=10)
    try:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            conn.login(server.user, server.password + "x")
    finally:
        conn.shutdown()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_tls_login_verifies_certificate(server: Dovecot, host: str) -> None:
    context = ssl.create_default_context(cafile=server.ca_file)
    # Python 3.13 turns this on by default; make older ones as picky.
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    conn = imaplib.IMAP4_SSL(host, server.tls_port, ssl_context=context, timeout=10)
    try:
        assert conn.login(server.user, server.password)[0] == "OK"
    finally:
        conn.logout()


def test_tls_rejects_unknown_ca(server: Dovecot) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(server.host, server.tls_port, ssl_context=ssl.create_default_context(), timeout=10)


def test_starttls(server: Dovecot) -> None:
    conn = imaplib.IMAP4(server.host, server.port, timeout=10)
    try:
        assert "STARTTLS" in capabilities(conn)
        conn.starttls(ssl.create_default_context(cafile=server.ca_file))
        assert isinstance(conn.sock, ssl.SSLSocket)
        assert conn.login(server.user, server.password)[0] == "OK"
    finally:
        conn.logout()


def test_capabilities(server: Dovecot) -> None:
    with server.imap() as conn:
        assert {"IDLE", "UIDPLUS", "SPECIAL-USE", "CONDSTORE", "MOVE"} <= capabilities(conn)


def test_idle_sees_new_mail(server: Dovecot) -> None:
    # imaplib has no IDLE before Python 3.14, so speak it by hand.
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        stream = sock.makefile("rwb")

        def command(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()
            tag = line.split()[0].encode()
            while not stream.readline().startswith(tag + b" OK"):
                pass

        stream.readline()
        command(f'a LOGIN "{server.user}" "{server.password}"')
        command('b CREATE "Idle"')
        command('c SELECT "Idle"')
        stream.write(b"d IDLE\r\n")
        stream.flush()
        assert stream.readline().startswith(b"+ ")
        server.append("Idle", MESSAGE)
        sock.settimeout(5)
        assert stream.readline().endswith(b"EXISTS\r\n")
        stream.write(b"DONE\r\n")
        stream.flush()


def test_special_use_folders(server: Dovecot) -> None:
    with server.imap() as conn:
        typ, listing = conn.list()
    assert typ == "OK"
    lines = [line.decode() for line in listing if isinstance(line, bytes)]
    assert any("\\Drafts" in line and line.endswith(" Drafts") for line in lines), lines
    # the localised name, in modified UTF-7 on the wire
    assert any("\\Sent" in line and line.endswith(' "&AMk-l&AOk-ments envoy&AOk-s"') for line in lines), lines
    assert any("\\Trash" in line and line.endswith(" Trash") for line in lines), lines


def test_drafts_is_subscribed(server: Dovecot) -> None:
    with server.imap() as conn:
        typ, listing = conn.lsub()
    assert typ == "OK"
    assert any(line.endswith(b" Drafts") for line in listing if isinstance(line, bytes))


def test_append_and_messages_round_trip(server: Dovecot) -> None:
    uid = server.append("Round trip", MESSAGE, "\\Seen $Interview")
    second = server.append("Round trip", MESSAGE.replace(b"jeudi", b"vendredi"))
    assert second > uid
    assert server.messages("Round trip") == [
        (uid, ("\\Seen", "$Interview"), MESSAGE),
        (second, (), MESSAGE.replace(b"jeudi", b"vendredi")),
    ]


def test_messages_changes_nothing(server: Dovecot) -> None:
    server.append("Untouched", MESSAGE)
    assert server.messages("Untouched")[0][1] == ()
    assert server.messages("Untouched")[0][1] == ()


def test_messages_of_empty_folder(server: Dovecot) -> None:
    assert server.messages("Drafts") == []


def test_internal_date_comes_from_date_header(server: Dovecot) -> None:
    uid = server.append("Dated", MESSAGE)
    with server.imap() as conn:
        conn.select('"Dated"', readonly=True)
        typ, data = conn.uid("FETCH", str(uid), "(INTERNALDATE)")
    assert typ == "OK"
    # Maildir keeps the instant, not the zone, so compare instants.
    stamp = re.search(rb'INTERNALDATE "([^"]+)"', data[0])
    assert stamp is not None, data
    arrived = datetime.strptime(stamp.group(1).decode(), "%d-%b-%Y %H:%M:%S %z")
    assert arrived == datetime(2025, 3, 4, 8, 30, tzinfo=UTC)


def test_restart_keeps_mail_and_ports(own_server: Dovecot) -> None:
    uid = own_server.append("INBOX", MESSAGE, "\\Flagged")
    ports = (own_server.port, own_server.tls_port)
    own_server.restart()
    assert (own_server.port, own_server.tls_port) == ports
    assert own_server.messages("INBOX") == [(uid, ("\\Flagged",), MESSAGE)]


def test_restart_drops_connected_clients(own_server: Dovecot) -> None:
    conn = imaplib.IMAP4(own_server.host, own_server.port, timeout=10)
    conn.login(own_server.user, own_server.password)
    conn.select("INBOX")
    own_server.restart()
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        conn.noop()
        conn.noop()
    conn.shutdown()


def test_kill_then_start_keeps_mail(own_server: Dovecot) -> None:
    uid = own_server.append("INBOX", MESSAGE)
    own_server.kill()
    with pytest.raises(OSError):
        socket.create_connection((own_server.host, own_server.port), timeout=1).close()
    own_server.start()
    assert own_server.messages("INBOX") == [(uid, (), MESSAGE)]


def test_failed_start_reports_the_log(own_server: Dovecot) -> None:
    own_server.kill()
    with own_server.conf_path.open("a") as conf:
        conf.write("no_such_setting = 1\n")
    began = time.monotonic()
    with pytest.raises(DovecotError, match="Unknown setting: no_such_setting") as raised:
        own_server.start()
    assert time.monotonic() - began < 2
    assert "starting up" not in str(raised.value), "only this start's log lines"
    assert not own_server.running


def test_start_is_quick() -> None:
    began = time.monotonic()
    with start_dovecot():
        took = time.monotonic() - began
    assert took < 2


def test_given_workdir_is_kept(tmp_path: Path) -> None:
    # pytest's tmp_path sits under a 0700 directory the mail user cannot enter.
    with start_dovecot(tmp_path / "dovecot") as started:
        started.append("INBOX", MESSAGE)
        assert len(started.messages("INBOX")) == 1
    assert (tmp_path / "dovecot" / "dovecot.conf").exists()


def test_cli_start_and_stop(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tests.harness.dovecot", *args, "--dir", str(workdir)]
        return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=30, check=True)

    printed = json.loads(cli("start").stdout)
    try:
        assert json.loads((workdir / "dovecot.json").read_text()) == printed
        assert json.loads(cli("start").stdout) == printed, "a second start reuses the running instance"
        context = ssl.create_default_context(cafile=printed["ca_file"])
        conn = imaplib.IMAP4_SSL(printed["host"], printed["tls_port"], ssl_context=context, timeout=10)
        assert conn.login(printed["user"], printed["password"])[0] == "OK"
        conn.logout()
    finally:
        cli("stop")
    assert not (workdir / "dovecot.json").exists()
    with pytest.raises(OSError):
        socket.create_connection((printed["host"], printed["port"]), timeout=1).close()
