# SPDX-License-Identifier: MIT
"""Exactly once, whatever happens: the process dies hard at each step of a cycle in turn, and a restart
converges to the state of an uninterrupted run (isync's way of proving it). Also: drafts already there
twice, and folders whose UIDVALIDITY changed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from daemon.crashpoints import CRASH_ENV, CRASH_EXIT, SIGNAL_ENV, STEPS
from tests.conftest import SAMPLES, Env, make_env, wipe
from tests.harness.daemon_process import query, run_daemon_once
from tests.harness.dovecot import SENT_FOLDER, Dovecot, quote_mailbox

MAILS = ("01-google-invite-acme.eml", "02-outlook-teams-globex.eml", "03-fr-convocation-initech.eml",
         "04-newsletter-conseils.eml")
# One cycle reads the four mails and makes Acme's J+1 thank-you (due 09:00 that day).
NOW = "2026-12-04T09:30:00+01:00"


@dataclass(frozen=True)
class Snapshot:
    """Everything a user can see: the records with their history, the drafts, the calendar file."""

    records: list[dict[str, Any]]
    drafts: list[tuple[tuple[str, ...], bytes]]
    calendar: bytes

    def differences(self, other: Snapshot) -> list[str]:
        found = []
        if self.records != other.records:
            found.append(f"records differ:\n{json.dumps(self.records, indent=1)}\n!=\n"
                         f"{json.dumps(other.records, indent=1)}")
        if self.drafts != other.drafts:
            found.append(f"drafts differ: {len(self.drafts)} != {len(other.drafts)}")
        if self.calendar != other.calendar:
            found.append("calendars differ")
        return found


def snapshot(env: Env) -> Snapshot:
    records = env.records("--all")
    for record in records:
        shown = env.relance("show", str(record["id"]), "--json")
        assert shown.code == 0, shown.err
        record["history"] = json.loads(shown.out)["history"]
    drafts = sorted((flags, same_boundary(raw)) for _uid, flags, raw in env.server.messages("Drafts"))
    return Snapshot(records, drafts, env.calendar_path.read_bytes())


def same_boundary(raw: bytes) -> bytes:
    """The MIME boundary is drawn at random on each rendering; the rest of a draft is deterministic."""
    found = re.search(rb'boundary="([^"]+)"', raw)
    return raw.replace(found[1], b"BOUNDARY") if found else raw


# What the user answered Initech, in the Sent folder: read (steps sent-applied, sent-committed), kept in the
# history, changing nothing else.
SENT_REPLY = (b"From: Alice Martin <alice@example.org>\r\nTo: s.martin@initech-conseil.fr\r\n"
              b"Subject: Re: Convocation\r\nDate: Mon, 30 Nov 2026 14:00:00 +0100\r\n"
              b"Message-ID: <reply-1@mail.example.org>\r\n"
              b"In-Reply-To: <7f3a9c21-55b0-4e0c-9a11-initech@initech-conseil.fr>\r\n\r\n"
              b"Je vous confirme ma presence.\r\n")


def deliver_all(env: Env) -> None:
    for name in MAILS:
        env.deliver(name)
    env.server.append(SENT_FOLDER, SENT_REPLY, "(\\Seen)")


def crash_env(step: str, *, signame: str | None = None) -> dict[str, str]:
    variables = {CRASH_ENV: step}
    if signame:
        variables[SIGNAL_ENV] = signame
    return variables


@pytest.fixture(scope="module")
def uninterrupted(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    env = make_env(dovecot, tmp_path_factory.mktemp("uninterrupted"))
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    state = snapshot(env)
    assert len(state.drafts) == 1, "the scenario makes one draft"
    assert len(state.records) == 3
    assert any(e["event"] == "you sent: Re: Convocation" for r in state.records for e in r["history"])
    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    assert snapshot(env) == state, "a second run changes nothing"
    return state


# every step, and a later passage of the steps a cycle passes several times
CRASHES = [*STEPS, "message-applied:2", "message-committed:3"]


@pytest.mark.parametrize("step", CRASHES)
def test_a_hard_exit_at_any_step_then_a_restart_converges_to_the_uninterrupted_state(
        env: Env, uninterrupted: Snapshot, step: str) -> None:
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW, env=crash_env(step))
    assert code == CRASH_EXIT, f"the cycle never reached {step}:\n{log}"
    assert f"exiting hard at {step}" in log

    env.run_at(NOW)  # the restart (in process: only the crash needs a process of its own)
    assert snapshot(env).differences(uninterrupted) == []


def test_sigterm_in_the_middle_of_a_scan_ends_the_unit_exits_0_and_the_next_run_converges(
        env: Env, uninterrupted: Snapshot) -> None:
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW, env=crash_env("message-committed:1", signame="TERM"))
    assert code == 0, log
    assert "stopping (SIGTERM)" in log
    # the first message's unit was finished and committed, and nothing after it was started
    assert query(env.home / "relance.db", "SELECT count(*) FROM messages")[0][0] == 1
    assert env.drafts() == []

    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    assert snapshot(env).differences(uninterrupted) == []


def test_a_hard_exit_in_the_middle_of_a_batch_loses_the_whole_batch_and_the_restart_reads_it_again(
        env: Env, uninterrupted: Snapshot) -> None:
    """The scan commits a batch of messages at once: killed after two of its four messages were handled,
    none of them is in the records, nor the folder's mark; the restart reads all four, once each."""
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW, env=crash_env("message-committed:2"))
    assert code == CRASH_EXIT, log
    database = env.home / "relance.db"
    assert query(database, "SELECT count(*) FROM messages WHERE folder='INBOX'") in ([], [(0,)])
    assert query(database, "SELECT last_uid FROM folders WHERE name='INBOX'") == []
    assert query(database, "SELECT count(*) FROM interviews") in ([], [(0,)])

    env.run_at(NOW)
    assert snapshot(env).differences(uninterrupted) == []
    assert query(database, "SELECT count(*) FROM messages WHERE folder='INBOX'") == [(len(MAILS),)]


def test_two_drafts_with_the_same_message_id_already_there_are_adopted(env: Env, uninterrupted: Snapshot) -> None:
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW, env=crash_env("draft-intent"))
    assert code == CRASH_EXIT, log
    ((_flags, draft),) = uninterrupted.drafts  # the same Message-ID the next run will look for
    env.server.append("Drafts", draft, "(\\Draft \\Seen)")
    env.server.append("Drafts", draft, "(\\Draft \\Seen)")

    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    assert "(2 copies), adopted" in log
    state = snapshot(env)
    assert len(state.drafts) == 2, "relance never deletes, and adds no third"
    assert state.records == uninterrupted.records


def test_drafts_recreated_with_a_new_uidvalidity_after_a_crash_the_draft_is_found_by_message_id(
        env: Env, uninterrupted: Snapshot) -> None:
    deliver_all(env)
    code, log = run_daemon_once(env.config_path, NOW, env=crash_env("draft-appended"))
    assert code == CRASH_EXIT, log
    before = uidvalidity(env.server, "Drafts")
    recreate_folder(env.server, "Drafts")
    assert uidvalidity(env.server, "Drafts") != before

    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    assert snapshot(env).differences(uninterrupted) == []


def test_a_watched_folder_with_a_new_uidvalidity_is_rescanned_without_lost_or_doubled_follow_ups(env: Env) -> None:
    wipe(env.server, ("Jobs",))  # other tests use Jobs too
    env.write_config(imap__folders=["Jobs"])
    env.deliver(MAILS[0], folder="Jobs")
    code, log = run_daemon_once(env.config_path, "2026-11-26T12:00:00+01:00")
    assert code == 0, log
    assert len(env.records()) == 1

    before = uidvalidity(env.server, "Jobs")
    recreate_folder(env.server, "Jobs")
    env.deliver(MAILS[1], folder="Jobs")
    assert uidvalidity(env.server, "Jobs") != before
    code, log = run_daemon_once(env.config_path, "2026-11-27T18:00:00+01:00")
    assert code == 0, log
    assert "UIDVALIDITY changed" in log

    records = env.records()
    assert len(records) == 2, "the invitation seen before is matched by Message-ID, the new one is read"
    assert all(sorted(f["kind"] for f in r["followups"]) == ["call", "debrief", "thank_you"] for r in records)
    code, log = run_daemon_once(env.config_path, NOW)
    assert code == 0, log
    assert len(env.drafts()) == 1


def test_an_invitation_without_message_id_is_not_redone_when_the_folder_is_rescanned(env: Env) -> None:
    """No Message-ID to match by: after a new UIDVALIDITY it is still one interview and one draft."""
    wipe(env.server, ("Jobs",))
    env.write_config(imap__folders=["Jobs"])
    raw = (SAMPLES / MAILS[2]).read_bytes()
    env.server.append("Jobs", re.sub(rb"(?m)^Message-ID:.*\n", b"", raw))
    code, log = run_daemon_once(env.config_path, "2026-11-30T12:00:00+01:00")
    assert code == 0, log
    recreate_folder(env.server, "Jobs")
    for now in ("2026-12-01T12:00:00+01:00", "2026-12-19T10:00:00+01:00"):
        code, log = run_daemon_once(env.config_path, now)
        assert code == 0, log
    assert len(env.records()) == 1
    assert len(env.drafts()) == 1


def test_the_crash_hook_names_only_known_steps() -> None:
    from daemon.crashpoints import crash_point

    with pytest.raises(ValueError, match="unknown crash point"):
        crash_point("nowhere")


# --- helpers over the harness's own IMAP connection


def uidvalidity(server: Dovecot, folder: str) -> int:
    with server.imap() as client:
        typ, data = client.status(_quote(folder), "(UIDVALIDITY)")
        assert typ == "OK", data
        return int(str(data[0]).split("UIDVALIDITY")[1].strip(" )'"))


def recreate_folder(server: Dovecot, folder: str) -> None:
    """Delete the folder and make it again with the same messages: a new UIDVALIDITY, as after a
    server migration or a restore."""
    kept = server.messages(folder)
    with server.imap() as client:
        typ, data = client.delete(_quote(folder))
        assert typ == "OK", data
        typ, data = client.create(_quote(folder))
        assert typ == "OK", data
    for _uid, flags, raw in kept:
        server.append(folder, raw, f"({' '.join(flags)})" if flags else "")


def _quote(folder: str) -> str:
    return quote_mailbox(folder)
