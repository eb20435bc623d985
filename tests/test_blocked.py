# SPDX-License-Identifier: MIT
"""Nothing lost in silence: a thank-you that cannot be made yet is `blocked` with its reason, shown in
`relance list`, in the calendar and in the systemd status line, and made as soon as its cause is fixed;
`relance retry ID KIND` brings back the rest. Over a real Dovecot, as a user would see it."""

from __future__ import annotations

from pathlib import Path

from daemon.followups.records import Store
from daemon.run.cycle import Cycle
from daemon.run.loop import status_line
from tests.conftest import Env
from tests.scenarios import calendar_file, draft_body, followup, history, record, settings_of, when, write

ADD = ("add", "--start", "2026-12-03T14:30", "--company", "Hexa Conseil", "--position", "Analyste financier",
       "--recruiter-name", "Sophie Morel", "--now", "2026-11-30T10:00:00+01:00")
THANK_YOU_DUE = "2026-12-04T09:00:00+01:00"


def test_a_thank_you_without_a_recruiter_address_waits_blocked_and_is_drafted_once_the_address_is_set(
        env: Env) -> None:
    """Mon 30 Nov: an interview arranged by phone, added without an address (a note says what will
    happen). Fri 4 Dec 09:05: the thank-you is blocked, with the reason and the fix, in `list`, in the
    calendar and in the status line; no draft. Tue 8 Dec (four days late, over max_delay): the address
    is set; the thank-you is due at once and drafted at the next cycle."""
    added = env.relance(*ADD)
    assert added.code == 0, added.err
    assert "no recruiter address" in added.out and "relance set 1 recruiter_email=ADDRESS" in added.out

    env.run_at("2026-12-04T09:05:00+01:00")
    thank_you = followup(record(env), "thank_you")
    assert thank_you["state"] == "blocked"
    assert thank_you["reason"].startswith("no recruiter address; `relance set 1 recruiter_email=ADDRESS`")
    assert env.drafts() == []
    listed = env.relance("list").out
    assert "thank_you" in listed and "blocked (no recruiter address" in listed
    event = calendar_file(env)["thank_you"]
    assert str(event["SUMMARY"]) == "Remerciement bloqué : Hexa Conseil – Analyste financier"
    assert "no recruiter address" in str(event["DESCRIPTION"])
    settings = settings_of(env)
    store = Store(settings.storage_path)
    try:
        line = status_line(Cycle(settings, store, []), when("2026-12-04T09:06:00+01:00"))
    finally:
        store.close()
    assert "1 blocked (#1 thank_you: relance list)" in line

    # a second cycle finds the same cause: nothing more in the history
    env.run_at("2026-12-04T10:05:00+01:00")
    assert sum("blocked" in h for h in history(env, 1)) == 1

    fixed = env.relance("set", "1", "recruiter_email=sophie.morel@hexa-conseil.fr",
                        "--now", "2026-12-08T10:00:00+01:00")
    assert fixed.code == 0, fixed.err
    assert "thank_you no longer blocked" in fixed.out
    thank_you = followup(record(env), "thank_you")
    assert (thank_you["state"], thank_you["due"]) == ("pending", "2026-12-08T10:00:00+01:00")

    env.run_at("2026-12-08T10:01:00+01:00")
    assert followup(record(env), "thank_you")["state"] == "done"
    [draft] = env.drafts()
    assert draft["To"] == "Sophie Morel <sophie.morel@hexa-conseil.fr>"
    assert "thank_you" not in calendar_file(env)


def test_a_broken_user_template_blocks_the_thank_you_until_it_is_fixed(env: Env, tmp_path: Path) -> None:
    """A user template that fails to render: the thank-you is blocked naming the template; once the
    file is fixed, the next cycle (two days later still) drafts it with the fixed wording."""
    templates = tmp_path / "templates"
    templates.mkdir()
    broken = write(templates / "thank_you.fr.txt.j2", "{{ greeting }},\n\n{{ no_such_variable }}\n")
    env.write_config(templates={"paths": [str(templates)]})
    added = env.relance(*ADD[:-2], "--recruiter-email", "sophie.morel@hexa-conseil.fr", *ADD[-2:])
    assert added.code == 0, added.err

    env.run_at("2026-12-04T09:05:00+01:00")
    thank_you = followup(record(env), "thank_you")
    assert thank_you["state"] == "blocked"
    assert "thank_you.fr.txt.j2 failed to render" in thank_you["reason"]
    assert thank_you["reason"].endswith("fix the template; it is tried again every cycle")
    assert env.drafts() == []

    write(broken, "{{ greeting }},\n\nMerci pour notre entretien {{ interview_day }}.\n\n{{ sender_name }}\n")
    env.run_at("2026-12-07T18:00:00+01:00")
    assert followup(record(env), "thank_you")["state"] == "done"
    assert "Merci pour notre entretien" in draft_body(env)


def test_retry_brings_back_a_thank_you_skipped_as_stale_and_never_redoes_a_done_one(env: Env) -> None:
    """The daemon was off until Tue 8 Dec: the thank-you is skipped as stale. `relance retry 1 thank_you`
    makes it pending, due now; the next cycle drafts it. Retrying it again is refused: it is done."""
    env.relance(*ADD[:-2], "--recruiter-email", "sophie.morel@hexa-conseil.fr", *ADD[-2:])
    env.run_at("2026-12-08T10:00:00+01:00")
    assert followup(record(env), "thank_you")["state"] == "skipped"

    retried = env.relance("retry", "1", "thank_you", "--now", "2026-12-08T10:30:00+01:00")
    assert retried.code == 0, retried.err
    assert retried.out.strip() == "#1: thank_you pending again, due 2026-12-08T10:30:00+01:00"
    env.run_at("2026-12-08T10:31:00+01:00")
    assert followup(record(env), "thank_you")["state"] == "done"
    assert len(env.drafts()) == 1

    again = env.relance("retry", "1", "thank_you")
    assert again.code == 1
    assert again.err.strip() == "relance: #1 thank_you is done already; relance never does it twice"
    assert env.relance("retry", "1", "thanks").code == 2
    assert "thank-you retried by hand" not in " ".join(history(env, 1))
    assert "thank_you retried by hand (was skipped)" in history(env, 1)


def test_a_rejection_cancels_a_blocked_thank_you(env: Env) -> None:
    env.relance(*ADD)
    env.run_at("2026-12-04T09:05:00+01:00")
    assert env.relance("mark", "1", "rejected", "--now", "2026-12-05T09:00:00+01:00").code == 0
    assert followup(record(env, "--all"), "thank_you")["state"] == "cancelled"


def test_list_before_the_first_run_is_empty_not_an_error(env: Env) -> None:
    result = env.relance("list", "--json")
    assert (result.code, result.out.strip()) == (0, "[]")
    assert env.relance("list").out.strip() == "no interviews yet (`relance run` has not run)"
