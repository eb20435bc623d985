# SPDX-License-Identifier: MIT
"""A message the server cannot deliver (its IMAP process dies on the FETCH of it, as Dovecot's does on a
Subject of some 10 MB) is skipped after a few attempts, with the reason, and the messages after it in the
folder are recorded: it does not block the folder forever. Over the real Dovecot, through the test relay,
which cuts the connection when the client asks for that one message whole."""

from __future__ import annotations

import re
from collections.abc import Callable

from daemon.mail.scan import FETCH_ATTEMPTS
from tests.conftest import SAMPLES as SAMPLES_DIR
from tests.conftest import Env
from tests.harness.daemon_process import query, run_daemon_once
from tests.harness.tcpproxy import proxy_to

NOW = "2026-11-26T12:00:00+01:00"
SAMPLES = ("01-google-invite-acme.eml", "02-outlook-teams-globex.eml", "03-fr-convocation-initech.eml")
WHOLE_FETCH = re.compile(rb"UID FETCH ([0-9:,]+) \(UID FLAGS BODY\.PEEK\[\]\)")
# the scan's first look: header fields and structure
OUTLINE_FETCH = re.compile(rb"UID FETCH ([0-9:,]+) \(UID RFC822\.SIZE BODY\.PEEK\[HEADER\.FIELDS ")


def uid_set(text: str) -> set[int]:
    found: set[int] = set()
    for run in text.split(","):
        first, _, last = run.partition(":")
        found.update(range(int(first), int(last or first) + 1))
    return found


def dies_on_the_fetch_of(uid: int, fetch: re.Pattern[bytes]) -> Callable[[bytes], bytes | None]:
    def from_client(data: bytes) -> bytes | None:
        match = fetch.search(data)
        if match and uid in uid_set(match[1].decode()):
            return None
        return data
    return from_client


def skipped_uids(env: Env) -> list[int]:
    return [row[0] for row in query(env.home / "relance.db", "SELECT uid FROM messages WHERE kind='skipped'")]


def runs_until_the_folder_goes_on(env: Env, kills: re.Pattern[bytes]) -> tuple[int, str]:
    """The second of three invitations kills the server on the FETCH ``kills`` names: `run --once` until
    one ends well; the bad UID and the last log."""
    uids = [env.server.append("INBOX", (SAMPLES_DIR / name).read_bytes()) for name in SAMPLES]
    bad = uids[1]
    with proxy_to(env.server.port) as relay:
        relay.from_client = dies_on_the_fetch_of(bad, kills)
        env.write_config(imap__port=relay.port)

        code, log = run_daemon_once(env.config_path, NOW)
        assert code == 1 and "connection lost during UID FETCH" in log, log
        assert skipped_uids(env) == [], "one failure (maybe a dropped link) skips nothing"

        runs = 1
        while code != 0:
            assert runs <= FETCH_ATTEMPTS + 1, f"still failing after {runs} runs:\n{log}"
            code, log = run_daemon_once(env.config_path, NOW)
            runs += 1
    return bad, log


def test_a_message_the_server_never_delivers_is_skipped_and_the_folder_goes_on(env: Env) -> None:
    assert_only_the_bad_one_skipped(env, *runs_until_the_folder_goes_on(env, WHOLE_FETCH))


def test_a_message_whose_first_look_kills_the_server_is_skipped_and_the_folder_goes_on(env: Env) -> None:
    # the first FETCH of outlines fails for all three: only the one the server dies on may be skipped
    assert_only_the_bad_one_skipped(env, *runs_until_the_folder_goes_on(env, OUTLINE_FETCH))


def assert_only_the_bad_one_skipped(env: Env, bad: int, log: str) -> None:
    assert skipped_uids(env) == [bad]
    assert re.search(rf"INBOX UID {bad} .*skipped: the server failed to deliver it {FETCH_ATTEMPTS} times", log), log
    companies = sorted(r["company"] for r in env.records())
    assert len(companies) == 2 and "Globex" not in " ".join(companies), companies


ANY_FETCH = re.compile(rb"UID FETCH ([0-9:,]+) \(")


def test_a_sent_message_the_server_never_delivers_is_skipped_and_the_cycle_goes_on(env: Env) -> None:
    """The same in the Sent folder: before, a sent message that killed the server ended every cycle,
    before any draft or calendar was written."""
    from tests.harness.dovecot import SENT_FOLDER
    from tests.test_sent import INITECH, INITECH_ID, file_sent, sent

    env.server.append("INBOX", (SAMPLES_DIR / INITECH).read_bytes())  # UID 1 of INBOX, sent 30 Nov
    for n in (1, 2):  # mail to someone else: its header is read, never the rest
        file_sent(env, sent(to=f"friend{n}@example.net", subject="Dimanche", body="À dimanche !",
                            date="Tue, 01 Dec 2026 08:00:00 +0100"))
    uids = [file_sent(env, sent(to="s.martin@initech-conseil.fr", reply_to_id=INITECH_ID,
                                subject="Re: Convocation à un entretien – Chargée de communication",
                                date=f"Tue, 01 Dec 2026 1{n}:00:00 +0100",
                                body=f"Bonjour Madame Martin,\n\nUne question ({n}) sur l'accès au bâtiment.\n\n"
                                     "Bien cordialement,\nAlice\n"))
            for n in (1, 2, 3)]
    bad = uids[1]
    assert bad > 1  # never a UID of INBOX's: the relay cuts any FETCH naming it
    now = "2026-12-01T20:00:00+01:00"
    with proxy_to(env.server.port) as relay:
        relay.from_client = dies_on_the_fetch_of(bad, ANY_FETCH)
        env.write_config(imap__port=relay.port)
        code, log = run_daemon_once(env.config_path, now)
        assert code == 1 and "connection lost during UID FETCH" in log, log
        runs = 1
        while code != 0:
            assert runs <= FETCH_ATTEMPTS + 1, f"still failing after {runs} runs:\n{log}"
            code, log = run_daemon_once(env.config_path, now)
            runs += 1
    assert re.search(rf"{SENT_FOLDER} UID {bad} .*skipped: the server failed to deliver it {FETCH_ATTEMPTS} times",
                     log), log
    kinds = dict(query(env.home / "relance.db", "SELECT uid, kind FROM messages WHERE folder=?", SENT_FOLDER))
    assert kinds[bad] == "sent-skipped"
    assert {kinds[u] for u in uids if u != bad} == {"sent-other"}, kinds
