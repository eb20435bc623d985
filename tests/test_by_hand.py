# SPDX-License-Identifier: MIT
"""`relance add`, `set`, `mark` and `show`: what the mail never said, told by hand, over a real Dovecot."""

from __future__ import annotations

from tests.conftest import Env
from tests.scenarios import INITECH, calendar_file, draft_body, dues, followup, history, record, start_of, when

NOW = "2026-12-02T12:00:00+01:00"


def ok(env: Env, *args: str, now: str = NOW) -> str:
    result = env.relance(*args, "--now", now)
    assert result.code == 0, result.err
    return result.out


def test_a_phone_invitation_added_by_hand_gets_its_thank_you_draft_on_j1(env: Env) -> None:
    """Wed 2 Dec: Jane Doe of Hooli phones to invite Alice on Mon 7 Dec 15:00; `relance add`.
    Tue 8 Dec 09:05: an English thank-you to Jane is in Drafts, threaded under nothing."""
    out = ok(env, "add", "--company", "Hooli", "--position", "Data Analyst", "--start", "2026-12-07T15:00",
             "--recruiter-name", "Jane Doe", "--recruiter-email", "jane.doe@hooli.com",
             "--recruiter-phone", "+33 1 99 00 77 88", "--language", "en")
    assert out.startswith("added #1")

    data = record(env)
    assert data["status"] == "scheduled"
    assert data["source"] == {"message_id": None, "folder": None, "subject": None}
    assert dues(data) == {"debrief": "2026-12-07T16:30:00+01:00", "thank_you": "2026-12-08T09:00:00+01:00",
                          "call": "2026-12-14T17:15:00+01:00"}
    assert sorted(calendar_file(env)) == ["call", "debrief"], "the calendar follows at once"

    env.run_at("2026-12-08T09:05:00+01:00")
    (draft,) = env.drafts()
    assert draft["To"].addresses[0].addr_spec == "jane.doe@hooli.com"
    assert draft["In-Reply-To"] is None
    body = draft_body(env)
    assert body.startswith("Dear Jane,")
    assert "meeting with me on Monday" in body
    assert "Data Analyst position at Hooli" in body
    assert history(env, 1)[0] == "added by hand"


def test_set_fixes_a_date_and_everything_pending_follows(env: Env) -> None:
    """Mon 30 Nov: convocation for Fri 18 Dec 10:00. Wed 2 Dec: Sophie phoned, it is 11:00 and she is
    "Madame Martin"; `relance set`. The follow-ups, the calendar and the history follow."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    before = calendar_file(env)

    out = ok(env, "set", "1", "start=2026-12-18T11:00", "recruiter_title=Madame", "next_steps=second interview")
    assert "set start: 2026-12-18T10:00:00+01:00 -> 2026-12-18T11:00:00+01:00" in out

    data = record(env)
    assert data["interview"]["start"] == "2026-12-18T11:00:00+01:00"
    assert data["interview"]["end"] == "2026-12-18T12:00:00+01:00", "the hour the convocation gave, moved with it"
    assert data["recruiter"]["title"] == "Madame"
    assert data["next_steps"] == "second interview"
    assert followup(data, "debrief")["due"] == "2026-12-18T12:30:00+01:00"
    after = calendar_file(env)
    assert start_of(after["debrief"]) == when("2026-12-18T12:30:00+01:00")
    assert after["debrief"]["SEQUENCE"] > before["debrief"]["SEQUENCE"]
    # same time, but the script now asks for "Madame Martin": a change, so a new SEQUENCE
    assert start_of(after["call"]) == start_of(before["call"])
    assert "Madame Martin" in str(after["call"]["DESCRIPTION"])
    assert after["call"]["SEQUENCE"] > before["call"]["SEQUENCE"]
    events = history(env, 1)
    assert "set recruiter_title: (none) -> Madame" in events
    assert "debrief moved to 2026-12-18T12:30:00+01:00" in events

    env.run_at("2026-12-19T09:05:00+01:00")
    assert draft_body(env).startswith("Bonjour Madame Martin,")


def test_set_refuses_unknown_fields_and_bad_values_in_one_clear_line(env: Env) -> None:
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    for args, message in (
        (("salary=lots",), "cannot set 'salary'"),
        (("start=next friday",), "start: not an ISO 8601 date and time"),
        (("recruiter_tz=Mars/Olympus",), "recruiter_tz: unknown time zone"),
        (("recruiter_email=not an address",), "recruiter_email: recruiter address does not parse"),
        (("language=de",), "language: must be fr or en"),
        (("nothing",), "expected FIELD=VALUE"),
        (("start=2026-12-18",), "start: '2026-12-18' is a date without a time; give the time too, "
                                "such as 2026-12-18T14:30"),
        (("recruiter_phone=0612",), "recruiter_phone: '0612' is not a valid phone number"),
    ):
        result = env.relance("set", "1", *args)
        assert result.code == 2, args  # a malformed command line, as argparse's own usage errors
        assert message in result.err
        assert result.err.count("\n") == 1
    assert env.relance("set", "9", "company=X").code == 1, "an unknown ID is a refusal, not a usage error"
    assert record(env)["interview"]["start"] == "2026-12-18T10:00:00+01:00"


def test_setting_a_london_number_moves_the_call_to_london_time(env: Env) -> None:
    """Wed 2 Dec: the Initech recruiter turns out to work from London; `relance set recruiter_phone=+44…`."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    ok(env, "set", "1", "recruiter_phone=+44 20 7946 0958")
    data = record(env)
    assert data["recruiter"]["timezone"] == "Europe/London"
    assert followup(data, "call")["due"] == "2026-12-29T18:15:00+01:00"  # and Boxing Day observed on the 28th


def test_mark_called_marks_the_call_done_and_takes_it_off_the_calendar(env: Env) -> None:
    """Mon 30 Nov: convocation for Fri 18 Dec. Mon 28 Dec 17:40: Alice has called; `relance mark 1 called`."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    out = ok(env, "mark", "1", "called", now="2026-12-28T17:40:00+01:00")
    assert out.strip() == "#1: call done"

    data = record(env)
    assert followup(data, "call")["state"] == "done"
    assert data["status"] == "scheduled"
    assert "call" not in calendar_file(env)
    assert "marked called: call done" in history(env, 1)


def test_mark_offer_or_withdrawn_cancels_what_is_pending(env: Env) -> None:
    """Two interviews on 18 Dec; on 21 Dec one makes an offer (still listed), Alice withdraws from the other."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    ok(env, "add", "--company", "Hooli", "--start", "2026-12-18T15:00", "--recruiter-email", "jane@hooli.com")
    ok(env, "mark", "1", "offer", now="2026-12-21T10:00:00+01:00")
    ok(env, "mark", "2", "withdrawn", now="2026-12-21T10:05:00+01:00")

    assert [r["status"] for r in env.records()] == ["offer"], "an offer is not an ended interview"
    offer, withdrawn = env.records("--all")
    assert (offer["status"], withdrawn["status"]) == ("offer", "closed")
    assert followup(offer, "call") | {"due": None} == {"kind": "call", "due": None, "state": "cancelled",
                                                        "reason": "an offer was made"}
    assert followup(withdrawn, "call")["reason"] == "you withdrew"
    assert followup(withdrawn, "debrief")["state"] == "cancelled"
    assert {e["STATUS"] for e in calendar_file(env).values()} <= {"CANCELLED"}


def test_mark_scheduled_reopens_a_record_closed_by_mistake(env: Env) -> None:
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    ok(env, "mark", "1", "rejected")
    ok(env, "mark", "1", "scheduled")
    data = record(env)
    assert data["status"] == "scheduled"
    assert {f["state"] for f in data["followups"]} == {"pending"}


def test_mark_refuses_an_unknown_status_and_an_unknown_id(env: Env) -> None:
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    assert env.relance("mark", "1", "hired").code == 2
    result = env.relance("mark", "7", "called")
    assert result.code == 1
    assert "no interview with ID 7" in result.err


def test_show_lists_the_whole_history(env: Env) -> None:
    """Invitation on 30 Nov, moved by hand on 2 Dec, call made on 28 Dec: `show` tells it in order."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    ok(env, "set", "1", "start=2026-12-18T11:00")
    ok(env, "mark", "1", "called", now="2026-12-28T17:40:00+01:00")

    out = env.relance("show", "1").out
    lines = out.splitlines()
    assert lines[0].startswith("#1 scheduled")
    story = lines[lines.index("  history:") + 1:]
    assert story[0].endswith("invitation received: Convocation à un entretien – Chargée de communication")
    assert any("set start: 2026-12-18T10:00:00+01:00 -> 2026-12-18T11:00:00+01:00" in s for s in story)
    assert story[-1].endswith("marked called: call done")
    assert "Mon 2026-12-28 17:40" in story[-1]


def test_add_refuses_a_date_without_a_time_in_one_line_and_adds_nothing(env: Env) -> None:
    """`relance add --start 2026-12-07`: read as midnight it would thank for the wrong day; refused."""
    result = env.relance("add", "--company", "Hooli", "--start", "2026-12-07", "--now", NOW)
    assert result.code == 2
    assert result.err == ("relance add: start: '2026-12-07' is a date without a time; give the time too, "
                          "such as 2026-12-07T14:30 (see `relance add --help`)\n")
    assert env.records("--all") == []
    result = env.relance("run", "--once", "--now", "2026-12-07")
    assert result.code == 2 and "--now: '2026-12-07' is a date without a time" in result.err


def test_a_phone_number_given_by_hand_is_stored_as_an_extracted_one(env: Env) -> None:
    """Typed as the recruiter said it ("06.12.34.56.78"), stored in international format as the extractor
    stores the one it finds in a signature, so the call script and `list --json` show one format."""
    ok(env, "add", "--company", "Hooli", "--start", "2026-12-07T15:00", "--recruiter-phone", "06.12.34.56.78")
    assert record(env)["recruiter"]["phone"] == "+33 6 12 34 56 78"
    out = ok(env, "set", "1", "recruiter_phone=+442079460958")
    assert "set recruiter_phone: +33 6 12 34 56 78 -> +44 20 7946 0958" in out
    data = record(env)
    assert data["recruiter"]["phone"] == "+44 20 7946 0958"
    assert data["recruiter"]["timezone"] == "Europe/London"
