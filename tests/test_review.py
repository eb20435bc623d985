# SPDX-License-Identifier: MIT
"""The review queue, over a real Dovecot: a possible invitation is held (status needs_review), then
confirmed or dismissed by the user.

A user rule makes the mails about a coffee ("café") possible invitations, as the classifier's evidence
would for a mail with a date and a place but no interview word. Times are in Paris.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from daemon.followups.records import Store
from daemon.run import loop
from daemon.run.cycle import Cycle
from daemon.understand import rules
from tests.conftest import DATA, Env
from tests.scenarios import ACME, calendar_file, deliver, dues, history, record, settings_of, start_of, states, when
from tests.test_sent import file_sent, sent

REVIEW = DATA / "review"
COFFEE = "brindille-coffee.eml"
COFFEE_ID = "<CAF3-brindille-0001@mail.gmail.com>"

HELD_RULES = """\
rules:
  - name: test-held-coffee
    kind: possible_invitation
    priority: 100
    when:
      subject: {words: [café]}
  - name: test-read-coffee
    kind: screen
    when:
      subject: {words: [café]}
"""


@pytest.fixture
def held(env: Env, tmp_path: Path) -> Env:
    """The env with the user rule that holds mails about a coffee for review."""
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "held.yaml").write_text(HELD_RULES, encoding="utf-8")
    env.write_config(rules__paths=[str(directory)])
    return env


def deliver_review(env: Env, name: str) -> None:
    env.server.append("INBOX", (REVIEW / name).read_bytes())


def held_after_first_run(env: Env) -> dict[str, object]:
    """Thu 26 Nov 10:05: Sophie, founder of Brindille, from her own address: a coffee with the CTO on
    Thu 3 Dec at 15:00. relance runs at 12:00."""
    deliver_review(env, COFFEE)
    env.run_at("2026-11-26T12:00:00+01:00")
    return record(env)


def test_a_possible_invitation_is_held_no_draft_no_call_one_tentative_event(
        held: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    data = held_after_first_run(held)
    assert any("0 new interviews, 1 held for review" in r.getMessage() for r in caplog.records)
    assert any("held for review as #1" in r.getMessage() for r in caplog.records)
    assert data["status"] == "needs_review"
    assert data["interview"]["start"] == "2026-12-03T15:00:00+01:00"
    assert data["source"]["message_id"] == COFFEE_ID
    assert states(data) == {"review": "pending"}  # no debrief, no thank-you, no call
    assert dues(data) == {"review": "2026-12-03T15:00:00+01:00"}

    events = calendar_file(held)
    assert set(events) == {"review"}
    event = events["review"]
    assert str(event["SUMMARY"]).startswith("Entretien ? ")
    assert "Un café jeudi ?" in str(event["SUMMARY"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert start_of(event) == when("2026-12-03T15:00:00+01:00")
    assert "relance confirm 1" in str(event["DESCRIPTION"])

    listed = held.relance("list")
    assert "#1 needs_review" in listed.out
    assert "relance confirm ID" in listed.out

    # J+1 and J+7 come and go: nothing is drafted, nothing is due
    held.run_at("2026-12-04T09:05:00+01:00")
    held.run_at("2026-12-10T17:30:00+01:00")
    assert held.drafts() == []
    assert states(record(held)) == {"review": "pending"}
    assert set(calendar_file(held)) == {"review"}


def test_explain_says_possible_invitation(held: Env) -> None:
    result = held.relance("explain", str(REVIEW / COFFEE), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["kind"] == "possible_invitation"
    assert data["rule"] == "test-held-coffee"
    assert data["interview"]["start"] == "2026-12-03T15:00:00+01:00"


def test_the_systemd_status_names_the_records_to_review(held: Env) -> None:
    held_after_first_run(held)
    settings = settings_of(held)
    store = Store(settings.storage_path)
    try:
        cycle = Cycle(settings, store, rules.load_rules(settings.rule_paths, settings.rules_disabled))
        line = loop.status_line(cycle, when("2026-11-26T12:01:00+01:00"))
    finally:
        store.close()
    assert line == "watching INBOX, 0 interviews, 1 to review (relance list)"


def test_confirm_plans_it_as_an_interview(held: Env) -> None:
    """Thu 26 Nov 13:00 the user confirms. Fri 4 Dec 09:05 (J+1): the thank-you is drafted; the call is on
    Thu 10 Dec after 17:00."""
    held_after_first_run(held)
    result = held.relance("confirm", "1", "--now", "2026-11-26T13:00:00+01:00")
    assert result.code == 0, result.err
    assert "confirmed: status scheduled" in result.out

    data = record(held)
    assert data["status"] == "scheduled"
    assert states(data) == {"review": "done", "debrief": "pending", "thank_you": "pending", "call": "pending"}
    assert dues(data)["thank_you"] == "2026-12-04T09:00:00+01:00"
    assert dues(data)["call"] == "2026-12-10T17:15:00+01:00"
    assert any(line.startswith("confirmed by you") for line in history(held, 1))
    events = calendar_file(held)
    assert set(events) == {"debrief", "call"}  # the "Entretien ?" event gave way to the interview's

    held.run_at("2026-12-04T09:05:00+01:00")
    (draft,) = held.drafts()
    assert draft["To"].addresses[0].addr_spec == "sophie.leroy@gmail.com"
    assert draft["In-Reply-To"] == COFFEE_ID
    assert states(record(held))["thank_you"] == "done"


def test_dismiss_drops_it_and_its_thread_and_sender_stay_out(held: Env, caplog: pytest.LogCaptureFixture) -> None:
    """Thu 26 Nov 13:00 the user dismisses it. Fri 27 Nov: Sophie offers another slot in the same thread.
    Mon 30 Nov: a coffee again, in a new thread. Tue 1 Dec: a real invitation, a calendar part, from her."""
    caplog.set_level(logging.INFO)
    held_after_first_run(held)
    result = held.relance("dismiss", "1", "--now", "2026-11-26T13:00:00+01:00")
    assert result.code == 0, result.err
    assert "sophie.leroy@gmail.com" in result.out

    assert held.records() == []
    (dismissed,) = held.records("--all")
    assert dismissed["status"] == "dismissed"
    assert states(dismissed) == {"review": "cancelled"}
    assert "#1" not in held.relance("list").out
    withdrawn = calendar_file(held).get("review")
    assert withdrawn is None or str(withdrawn["STATUS"]) == "CANCELLED"

    deliver_review(held, "brindille-coffee-followup.eml")
    held.run_at("2026-11-27T12:00:00+01:00")
    assert held.records() == []
    assert record(held, "--all")["interview"]["start"] == "2026-12-03T15:00:00+01:00"  # not moved either
    assert any("in the thread of dismissed #1, ignored" in r.getMessage() for r in caplog.records)

    deliver_review(held, "brindille-coffee-again.eml")
    held.run_at("2026-11-30T12:00:00+01:00")
    assert held.records() == []
    assert any("from the sender of dismissed #1, ignored" in r.getMessage() for r in caplog.records)

    # a clear invitation with its calendar part, in a new thread, is not held back by the dismissal
    deliver_review(held, "brindille-invitation.eml")
    held.run_at("2026-12-01T16:00:00+01:00")
    (interview,) = held.records()
    assert interview["id"] == 2
    assert interview["status"] == "scheduled"
    assert interview["interview"]["start"] == "2026-12-08T11:00:00+01:00"
    assert set(states(interview)) == {"debrief", "thank_you", "call"}


def test_a_possible_invitation_in_a_tracked_thread_is_news_of_that_interview(held: Env) -> None:
    """Thu 26 Nov: Acme's invitation for Thu 3 Dec 14:30. Fri 27 Nov, in its thread: "rather a coffee,
    Tue 8 Dec at 11:00?" The interview moves; nothing is held for review."""
    held.deliver(ACME)
    held.run_at("2026-11-26T12:00:00+01:00")
    deliver_review(held, "acme-coffee-in-thread.eml")
    held.run_at("2026-11-27T12:00:00+01:00")

    data = record(held, "--all")
    assert data["status"] == "scheduled"
    assert data["interview"]["start"] == "2026-12-08T11:00:00+01:00"
    assert "review" not in states(data)


def test_a_clear_invitation_in_its_thread_confirms_a_held_record(held: Env) -> None:
    """Thu 26 Nov: the coffee, held. Fri 27 Nov: in its thread, a calendar invitation for Thu 3 Dec 15:00."""
    held_after_first_run(held)
    invitation = (REVIEW / "brindille-invitation.eml").read_bytes().replace(
        b"Message-ID: <0000000000007b2e4c06a1b2c3d4@google.com>",
        f"Message-ID: <in-thread-1@google.com>\nIn-Reply-To: {COFFEE_ID}\nReferences: {COFFEE_ID}".encode())
    held.server.append("INBOX", invitation)
    held.run_at("2026-11-27T12:00:00+01:00")

    data = record(held)
    assert data["status"] == "scheduled"
    assert data["interview"]["start"] == "2026-12-08T11:00:00+01:00"
    assert states(data) == {"review": "done", "debrief": "pending", "thank_you": "pending", "call": "pending"}


@pytest.mark.parametrize("command", ["confirm", "dismiss"])
def test_confirm_and_dismiss_refuse_a_record_not_held(env: Env, command: str) -> None:
    deliver(env, ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    result = env.relance(command, "1", "--now", "2026-11-26T13:00:00+01:00")
    assert result.code == 1
    assert result.err.strip() == ("relance: #1 is scheduled, not held for review "
                                  "(`relance mark ID closed` ends an interview)")
    assert record(env)["status"] == "scheduled"


def test_the_event_is_worded_in_english_for_an_english_user(held: Env, tmp_path: Path) -> None:
    held.write_config(language="en", rules__paths=[str(tmp_path / "rules")])
    held_after_first_run(held)
    event = calendar_file(held)["review"]
    assert str(event["SUMMARY"]).startswith("Interview? ")
    assert "relance confirm 1 plans it" in str(event["DESCRIPTION"])


def test_a_dismissed_thread_is_known_by_its_root_too(held: Env) -> None:
    """The coffee came as an answer in an older thread (root <root-1@…>). Once dismissed, a mail that
    answers the root alone, not the coffee, is ignored as well."""
    root = "<root-1@mail.gmail.com>"
    coffee = (REVIEW / COFFEE).read_bytes().replace(
        b"Message-ID: ", f"In-Reply-To: {root}\nReferences: {root}\nMessage-ID: ".encode())
    held.server.append("INBOX", coffee)
    held.run_at("2026-11-26T12:00:00+01:00")
    assert held.relance("dismiss", "1", "--now", "2026-11-26T13:00:00+01:00").code == 0

    sibling = (REVIEW / "brindille-coffee-followup.eml").read_bytes().replace(
        COFFEE_ID.encode(), root.encode()).replace(b"sophie.leroy@gmail.com", b"marc@brindille.example")
    held.server.append("INBOX", sibling)
    held.run_at("2026-11-27T12:00:00+01:00")
    assert held.records() == []
    assert len(held.records("--all")) == 1


def test_a_dismissed_thread_outranks_the_domain_of_a_tracked_interview(held: Env) -> None:
    """Thu 26 Nov: Acme's invitation for Thu 3 Dec 14:30 (Claire), and a coffee from Paul, also at Acme, as
    an answer in an older thread: held, then dismissed. Fri 27 Nov: Paul moves "our meeting" in that older
    thread. Acme's interview stays where it is."""
    held.deliver(ACME)
    root = "<root-2@acme-finance.fr>"
    coffee = (REVIEW / COFFEE).read_bytes().replace(
        b"Message-ID: ", f"In-Reply-To: {root}\nReferences: {root}\nMessage-ID: ".encode()).replace(
        b"Sophie Leroy <sophie.leroy@gmail.com>", b"Paul Girard <paul.girard@acme-finance.fr>")
    held.server.append("INBOX", coffee)
    held.run_at("2026-11-26T12:00:00+01:00")
    (acme, paul) = held.records()
    assert (acme["status"], paul["status"]) == ("scheduled", "needs_review")  # not news of Acme's interview
    assert held.relance("dismiss", str(paul["id"]), "--now", "2026-11-26T13:00:00+01:00").code == 0

    held.server.append("INBOX", (
        "From: Paul Girard <paul.girard@acme-finance.fr>\nTo: alice@example.org\nSubject: Re: Jeudi\n"
        "Date: Fri, 27 Nov 2026 09:00:00 +0100\nMessage-ID: <move-1@acme-finance.fr>\n"
        f"In-Reply-To: {root}\nReferences: {root}\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        "Bonjour Alice,\n\nJe dois décaler notre rendez-vous : vendredi 4 décembre à 10h ?\n\nPaul\n").encode())
    held.run_at("2026-11-27T12:00:00+01:00")
    (still,) = held.records()
    assert still["id"] == acme["id"]
    assert still["interview"]["start"] == "2026-12-03T14:30:00+01:00"


def test_a_slot_chosen_in_the_users_reply_confirms_a_held_record(held: Env) -> None:
    """Thu 26 Nov: Sophie offers a coffee with the CTO on Thu 3 Dec 15:00 or Fri 4 Dec 10:00, held for review
    with both slots. At 18:00 Alice answers from her mail client that Friday suits her: the record is an
    interview on Fri 4 Dec at 10:00, its follow-ups planned, and nothing is left to review."""
    deliver_review(held, "brindille-coffee-slots.eml")
    held.run_at("2026-11-26T12:00:00+01:00")
    data = record(held)
    assert data["status"] == "needs_review" and data["interview"]["start"] is None
    assert data["candidates"] == ["2026-12-03T15:00:00+01:00", "2026-12-04T10:00:00+01:00"]
    file_sent(held, sent(to="Sophie Leroy <sophie.leroy@gmail.com>", subject="Re: Un café la semaine prochaine ?",
                         body="Bonjour Sophie,\n\nVendredi 4 décembre à 10h me convient parfaitement.\n\nAlice\n",
                         date="Thu, 26 Nov 2026 18:00:00 +0100", reply_to_id="<CAF3-brindille-0009@mail.gmail.com>"))
    held.run_at("2026-11-26T19:00:00+01:00")
    data = record(held)
    assert data["status"] == "scheduled"
    assert data["interview"]["start"] == "2026-12-04T10:00:00+01:00" and data["candidates"] == []
    # no time was found, so no "Interview?" event was held: nothing of the review is left
    assert states(data) == {"debrief": "pending", "thank_you": "pending", "call": "pending"}
    assert any("confirmed by your reply choosing a time" in line for line in history(held, 1))
