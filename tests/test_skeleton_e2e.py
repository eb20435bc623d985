# SPDX-License-Identifier: MIT
"""The whole path over a real Dovecot: invitation in, J+1 draft and J+7 call slot out."""

from __future__ import annotations

from datetime import datetime

import icalendar

from tests.conftest import Env

ACME = "01-google-invite-acme.eml"
GLOBEX = "02-outlook-teams-globex.eml"
INITECH = "03-fr-convocation-initech.eml"
NEWSLETTER = "04-newsletter-conseils.eml"


def calendar_events(env: Env) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(env.calendar_path.read_bytes())
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def followup(record: dict, kind: str) -> dict:
    return next(f for f in record["followups"] if f["kind"] == kind)


def test_invitation_becomes_a_record_with_the_right_instant_and_recruiter(env: Env) -> None:
    env.deliver(ACME)
    env.deliver(NEWSLETTER)
    env.run_at("2026-11-26T12:00:00+01:00")

    records = env.records()
    assert len(records) == 1, "the newsletter is not an interview"
    record = records[0]
    assert record["status"] == "scheduled"
    assert record["interview"]["start"] == "2026-12-03T14:30:00+01:00"
    assert record["recruiter"]["email"] == "claire.dubois@acme-finance.fr"
    assert record["company"] == "Acme"
    assert record["position"] == "Analyste financier"
    assert record["language"] == "fr"
    assert {f["kind"]: f["due"] for f in record["followups"]} == {
        "debrief": "2026-12-03T16:00:00+01:00",
        "thank_you": "2026-12-04T09:00:00+01:00",
        "call": "2026-12-10T17:15:00+01:00",
    }


def test_nothing_is_drafted_before_j1_then_exactly_one_draft(env: Env) -> None:
    invitation = env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T08:59:00+01:00")
    assert env.drafts() == []

    env.run_at("2026-12-04T09:01:00+01:00")
    drafts = env.drafts()
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft["X-Test-Flags"] == "\\Draft \\Seen"
    assert draft["To"].addresses[0].addr_spec == "claire.dubois@acme-finance.fr"
    assert draft["From"].addresses[0].addr_spec == "alice@example.org"
    source_id = "<0000000000009f1c2a05f3a1b2c3@google.com>"
    assert draft["In-Reply-To"] == source_id
    assert source_id in draft["References"]
    body = draft.get_body(preferencelist=("plain",)).get_content()
    assert "Analyste financier" in body
    assert "notre entretien de jeudi" in body and "hier" not in body

    record = env.records()[0]
    thank_you = followup(record, "thank_you")
    assert thank_you["state"] == "done"
    assert thank_you["ref"] == draft["Message-ID"]

    for later in ("2026-12-04T10:00:00+01:00", "2026-12-05T10:00:00+01:00"):
        env.run_at(later)
    assert len(env.drafts()) == 1, "later runs add no second draft"
    assert invitation.replace(b"\n", b"\r\n") in [raw for _u, _f, raw in env.server.messages("INBOX")]


def test_calendar_has_the_call_on_j7_after_17h(env: Env) -> None:
    env.deliver(GLOBEX)
    env.run_at("2026-11-27T18:00:00+01:00")
    events = calendar_events(env)
    call = next(e for s, e in events.items() if s.startswith("Appeler"))
    start = call.decoded("DTSTART")
    # John Smith's number is a London one: 17:15 in London is 18:15 in Paris
    assert start == datetime.fromisoformat("2026-12-15T18:15:00+01:00")
    assert "+44 20 7946 0958" in str(call["DESCRIPTION"])
    assert call.walk("VALARM"), "the call has an alarm"
    assert any(s.startswith("Debrief") for s in events)


def test_call_on_a_french_public_holiday_moves_to_the_next_business_day(env: Env) -> None:
    # interview Friday 18 December: J+7 is Christmas Day, then a weekend
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    record = env.records()[0]
    assert record["interview"]["start"] == "2026-12-18T10:00:00+01:00"
    assert followup(record, "call")["due"] == "2026-12-28T17:15:00+01:00"


def test_inbox_is_left_exactly_as_it_was(env: Env) -> None:
    for name in (ACME, GLOBEX, INITECH, NEWSLETTER):
        env.deliver(name)
    before = env.server.messages("INBOX")
    env.run_at("2026-12-01T12:00:00+01:00")
    env.run_at("2026-12-09T12:00:00+01:00")
    assert env.server.messages("INBOX") == before
    assert all("\\Seen" not in flags for _uid, flags, _raw in before)


def test_only_new_uids_are_read_on_the_next_cycle(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-11-26T12:05:00+01:00")
    assert len(env.records()) == 1
    env.deliver(GLOBEX)
    env.run_at("2026-11-27T18:00:00+01:00")
    assert sorted(r["company"] for r in env.records()) == ["Acme", "Globex"]


def test_dry_run_writes_nothing(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-12-04T10:00:00+01:00", "--dry-run")
    assert env.drafts() == []
    assert not env.calendar_path.exists()
    assert sorted(p.name for p in env.home.iterdir()) == ["config.yaml", "imap-password"], "no database either"

    env.run_at("2026-11-26T12:00:00+01:00")
    database = env.home / "relance.db"
    before = database.read_bytes(), env.calendar_path.read_bytes()
    result = env.relance("run", "--once", "--dry-run", "--now", "2026-12-04T10:00:00+01:00")
    assert result.code == 0, result.err
    assert (database.read_bytes(), env.calendar_path.read_bytes()) == before
    assert env.drafts() == []
    assert followup(env.records()[0], "thank_you")["state"] == "pending"


def test_records_and_calendar_are_private_files(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    assert (env.home / "relance.db").stat().st_mode & 0o777 == 0o600
    assert env.calendar_path.stat().st_mode & 0o777 == 0o600
