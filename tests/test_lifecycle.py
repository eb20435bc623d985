# SPDX-License-Identifier: MIT
"""Follow-ups that follow the real world, over a real Dovecot: one scenario per situation.

Each test's docstring is its timeline (times in Paris); each asserts what the
user sees: `relance list --json`, the Drafts folder, the calendar file and
the served feed.
"""

from __future__ import annotations

import imaplib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from tests.conftest import Env
from tests.scenarios import (
    ACME,
    GLOBEX,
    INITECH,
    LIFECYCLE,
    Feed,
    calendar_file,
    deliver,
    draft_body,
    dues,
    followup,
    history,
    record,
    serve_feed,
    start_of,
    states,
    when,
)

ALL_PENDING = {"debrief": "pending", "thank_you": "pending", "call": "pending"}


@pytest.fixture
def feed(env: Env) -> Iterator[Feed]:
    yield from serve_feed(env)


# --- reschedules


def test_newer_calendar_version_moves_the_interview_and_every_pending_followup(env: Env, feed: Feed) -> None:
    """Thu 26 Nov: Google invitation for Thu 3 Dec 14:30. Fri 27 Nov: SEQUENCE 1 moves it to Tue 8 Dec 11:00.
    Fri 4 Dec: no draft (the old J+1). Wed 9 Dec 09:05: the thank-you is drafted."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    before = calendar_file(env)

    deliver(env, "acme-moved-seq1.eml")
    env.run_at("2026-11-27T12:00:00+01:00")

    data = record(env)
    assert data["status"] == "scheduled"
    assert data["interview"]["start"] == "2026-12-08T11:00:00+01:00"
    assert dues(data) == {"debrief": "2026-12-08T12:30:00+01:00", "thank_you": "2026-12-09T09:00:00+01:00",
                          "call": "2026-12-15T17:15:00+01:00"}
    assert states(data) == ALL_PENDING
    after = calendar_file(env)
    assert start_of(after["debrief"]) == when("2026-12-08T12:30:00+01:00")
    assert start_of(after["call"]) == when("2026-12-15T17:15:00+01:00")
    for kind in ("debrief", "call"):
        assert after[kind]["UID"] == before[kind]["UID"]
        assert after[kind]["SEQUENCE"] > before[kind]["SEQUENCE"]
    assert feed.get() == env.calendar_path.read_bytes()

    env.run_at("2026-12-04T10:00:00+01:00")
    assert env.drafts() == []
    env.run_at("2026-12-09T09:05:00+01:00")
    assert "notre entretien de mardi" in draft_body(env)  # the day named: true whenever it is sent
    assert followup(record(env), "thank_you")["state"] == "done"


def test_an_older_calendar_version_arriving_late_changes_nothing(env: Env) -> None:
    """Thu 26 Nov: invitation for 3 Dec. Sat 28 Nov: SEQUENCE 2 moves it to Thu 10 Dec 16:00.
    Sun 29 Nov: the SEQUENCE 1 mail (8 Dec), delayed, arrives: ignored."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    deliver(env, "acme-moved-seq2.eml")
    env.run_at("2026-11-28T12:00:00+01:00")
    moved = record(env)

    deliver(env, "acme-moved-seq1.eml")
    env.run_at("2026-11-29T12:00:00+01:00")

    data = record(env)
    assert data["interview"]["start"] == "2026-12-10T16:00:00+01:00"
    assert dues(data) == dues(moved)
    assert start_of(calendar_file(env)["call"]) == when("2026-12-17T17:15:00+01:00")
    assert "older version of the event ignored" in history(env, data["id"])


def test_a_plain_mail_in_the_thread_moves_the_interview(env: Env, feed: Feed) -> None:
    """Mon 30 Nov: convocation for Fri 18 Dec 10:00. Thu 10 Dec: Sophie writes in the thread that she must
    move it to Tue 22 Dec 14:30. Everything pending follows; the calendar and the feed show the new times."""
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    assert followup(record(env), "call")["due"] == "2026-12-28T17:15:00+01:00"

    deliver(env, "initech-moved.eml")
    env.run_at("2026-12-10T10:00:00+01:00")

    data = record(env)
    assert data["interview"]["start"] == "2026-12-22T14:30:00+01:00"
    assert data["interview"]["end"] == "2026-12-22T15:30:00+01:00", "the hour the convocation gave, moved"
    assert dues(data) == {"debrief": "2026-12-22T16:00:00+01:00", "thank_you": "2026-12-23T09:00:00+01:00",
                          "call": "2026-12-29T17:15:00+01:00"}
    assert states(data) == ALL_PENDING
    shown = feed.events()
    assert start_of(shown["call"]) == when("2026-12-29T17:15:00+01:00")
    assert start_of(shown["debrief"]) == when("2026-12-22T16:00:00+01:00")
    assert any(h.startswith("moved to 2026-12-22T14:30") for h in history(env, data["id"]))


# --- cancellation, rejection


def test_cancellation_cancels_everything_pending_and_the_feed_drops_it_after_a_week(env: Env, feed: Feed) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. Tue 1 Dec 09:00: Google sends the cancellation.
    Fri 4 Dec: no thank-you. The events stay a week as STATUS:CANCELLED (while not over), then disappear."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    published = calendar_file(env)
    deliver(env, "acme-cancelled.eml")
    env.run_at("2026-12-01T10:00:00+01:00")

    assert env.records() == [], "a cancelled interview is no longer in progress"
    data = record(env, "--all")
    assert data["status"] == "cancelled"
    assert states(data) == {"debrief": "cancelled", "thank_you": "cancelled", "call": "cancelled"}
    assert {f["reason"] for f in data["followups"]} == {"the interview was cancelled"}
    shown = feed.events()
    assert sorted(shown) == ["call", "debrief"]
    for kind, event in shown.items():
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] > published[kind]["SEQUENCE"]
        assert not event.walk("VALARM")

    env.run_at("2026-12-04T10:00:00+01:00")
    assert env.drafts() == []
    assert sorted(calendar_file(env)) == ["call"], "the debrief's time is over"
    env.run_at("2026-12-08T10:00:00+01:00")
    assert calendar_file(env) == {}
    assert feed.events() == {}


def test_rejection_cancels_the_call_and_leaves_the_thank_you_draft_alone(env: Env, feed: Feed) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. Fri 4 Dec 09:01: the thank-you is drafted.
    Mon 7 Dec: "nous sommes au regret…" in the thread. Status rejected; the draft is still in Drafts."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:01:00+01:00")
    (draft,) = env.drafts()

    deliver(env, "acme-rejection.eml")
    env.run_at("2026-12-07T11:00:00+01:00")

    data = record(env, "--all")
    assert data["status"] == "rejected"
    assert followup(data, "thank_you") == {"kind": "thank_you", "due": "2026-12-04T09:00:00+01:00",
                                           "state": "done", "ref": draft["Message-ID"]}
    assert followup(data, "call")["state"] == "cancelled"
    assert followup(data, "call")["reason"] == "the application was rejected"
    assert [d["Message-ID"] for d in env.drafts()] == [draft["Message-ID"]]
    assert feed.events()["call"]["STATUS"] == "CANCELLED"


# --- replies


def test_recruiter_reply_after_the_interview_cancels_the_call(env: Env, feed: Feed) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. Fri 4 Dec 09:01: thank-you drafted (and sent by the user).
    Fri 4 Dec 15:20: Claire answers it. The J+7 call is cancelled; the record keeps the reply."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:01:00+01:00")
    (draft,) = env.drafts()

    deliver(env, "acme-reply-to-thanks.eml.in", in_reply_to=draft["Message-ID"])
    env.run_at("2026-12-04T16:00:00+01:00")

    data = record(env)
    assert data["status"] == "interviewed"
    assert data["reply"] == {"subject": "Re: Merci pour notre entretien – Analyste financier",
                             "at": "2026-12-04T15:20:00+01:00"}
    call = followup(data, "call")
    assert (call["state"], call["reason"]) == ("cancelled", "the recruiter answered")
    assert followup(data, "thank_you")["state"] == "done"
    assert feed.events()["call"]["STATUS"] == "CANCELLED"
    assert "call cancelled: the recruiter answered" in history(env, data["id"])


def test_recruiter_reply_before_the_interview_keeps_the_call(env: Env) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. Fri 27 Nov: Claire confirms ("À jeudi !").
    The reply is kept; the call on Thu 10 Dec is still planned."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    deliver(env, "acme-reply-before.eml")
    env.run_at("2026-11-27T17:00:00+01:00")

    data = record(env)
    assert data["reply"] == {"subject": "Re: Entretien - Analyste financier - Acme",
                             "at": "2026-11-27T16:40:00+01:00"}
    assert states(data) == ALL_PENDING
    assert "call" in calendar_file(env)


# --- what the thread names later

def _founder_invitation() -> bytes:
    invitation = EmailMessage()
    invitation["From"] = "Tom Keller <tom.keller@brightvale.io>"
    invitation["To"] = "Alice Martin <alice@example.org>"
    invitation["Subject"] = "Quick chat?"
    invitation["Date"] = "Mon, 30 Nov 2026 10:12:00 +0100"
    invitation["Message-ID"] = "<tk-1@brightvale.io>"
    invitation.set_content("Hi Alice,\n\nThanks for applying. Would you be free for a video call on Thursday "
                           "10 December at 11:00 Paris time? Link: https://meet.google.com/bvx-kqpt-zre\n\nTom\n")
    return invitation.as_bytes()


def _founder_follow_up(message_id: str = "<tk-2@brightvale.io>") -> bytes:
    follow_up = EmailMessage()
    follow_up["From"] = "Tom Keller <tom.keller@brightvale.io>"
    follow_up["To"] = "Alice Martin <alice@example.org>"
    follow_up["Subject"] = "Re: Quick chat?"
    follow_up["Date"] = "Tue, 1 Dec 2026 16:40:00 +0100"
    follow_up["Message-ID"] = message_id
    follow_up["In-Reply-To"] = "<tk-1@brightvale.io>"
    follow_up["References"] = "<tk-1@brightvale.io>"
    follow_up.set_content("Hi Alice,\n\nGreat, see you on Thursday. Ahead of our chat about the Product Analyst "
                          "role, our deck is attached.\n\nTom Keller\nHead of Data, Brightvale\n"
                          "+44 20 7946 0123\n\n> Thursday at 11:00 is perfect, thank you.\n")
    return follow_up.as_bytes()


def test_a_title_and_phone_the_thread_names_later_fill_what_the_record_lacked(env: Env) -> None:
    """Mon 30 Nov: a founder asks for a call on Thu 10 Dec, naming no role and no phone. Tue 1 Dec: his next mail
    in the thread names the role and signs with a London number. The record takes both, and the J+7 call is after
    17:00 London time; what the record already had stays."""
    env.server.append("INBOX", _founder_invitation())
    env.run_at("2026-11-30T12:00:00+01:00")
    before = record(env)
    assert (before["position"], before["recruiter"]["phone"]) == (None, None)

    env.server.append("INBOX", _founder_follow_up())
    env.run_at("2026-12-01T17:00:00+01:00")

    data = record(env)
    assert data["position"] == "Product Analyst"
    assert data["recruiter"]["phone"].replace(" ", "") == "+442079460123"
    assert (data["company"], data["recruiter"]["name"]) == (before["company"], before["recruiter"]["name"])
    assert followup(data, "call")["due"] == "2026-12-17T18:15:00+01:00", "17:15 in London"
    assert "position named in the thread: Product Analyst" in history(env, data["id"])


def test_what_the_user_set_or_cleared_by_hand_stays_over_what_the_thread_names(env: Env) -> None:
    env.server.append("INBOX", _founder_invitation())
    env.run_at("2026-11-30T12:00:00+01:00")
    number = str(record(env)["id"])
    assert env.relance("set", number, "position=Analyste produit").code == 0
    env.server.append("INBOX", _founder_follow_up())
    env.run_at("2026-12-01T17:00:00+01:00")
    assert record(env)["position"] == "Analyste produit"

    assert env.relance("set", number, "position=").code == 0
    env.server.append("INBOX", _founder_follow_up("<tk-3@brightvale.io>"))
    env.run_at("2026-12-02T17:00:00+01:00")
    assert record(env)["position"] is None


# --- contact preference


def test_invitation_asking_for_mail_only_gets_no_call(env: Env, feed: Feed) -> None:
    """Mon 30 Nov: a convocation for Fri 18 Dec that says "merci de me contacter uniquement par mail".
    A debrief and a thank-you, no J+7 call anywhere."""
    deliver(env, "initech-mail-only.eml")
    env.run_at("2026-11-30T12:00:00+01:00")

    data = record(env)
    assert data["contact_preference"] == "mail"
    assert states(data) == {"debrief": "pending", "thank_you": "pending"}
    assert sorted(feed.events()) == ["debrief"]


# --- downtime and lookback


def test_downtime_catch_up_drafts_a_thank_you_a_day_late(env: Env) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec arrives while the daemon is stopped. It starts on Sat 5 Dec 08:00,
    23 hours after the thank-you was due (within max_delay, 2 days): drafted, the day named."""
    env.deliver(ACME)
    env.run_at("2026-12-05T08:00:00+01:00")

    data = record(env)
    assert data["status"] == "interviewed"
    assert followup(data, "thank_you")["state"] == "done"
    body = draft_body(env)
    assert "notre entretien de jeudi" in body
    assert "hier" not in body
    assert followup(data, "call")["state"] == "pending"


def test_downtime_longer_than_max_delay_skips_the_thank_you(env: Env) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. The daemon first runs on Mon 7 Dec 10:00, three days after the
    thank-you was due: skipped with the reason, no stale draft; the call of Thu 10 Dec stays."""
    env.deliver(ACME)
    env.run_at("2026-12-07T10:00:00+01:00")

    data = record(env)
    thank_you = followup(data, "thank_you")
    assert thank_you["state"] == "skipped"
    assert thank_you["reason"] == "3 days late (more than thank_you.max_delay); not drafted stale"
    assert env.drafts() == []
    assert followup(data, "call")["state"] == "pending"
    assert start_of(calendar_file(env)["call"]) == when("2026-12-10T17:15:00+01:00")


def test_first_run_ignores_an_invitation_older_than_the_lookback(env: Env) -> None:
    """Sun 20 Sep: an invitation for Mon 28 Sep. First run ever on Thu 26 Nov (lookback 30 days):
    no record, no draft, an empty calendar."""
    deliver(env, "acme-two-months-old.eml")
    env.run_at("2026-11-26T12:00:00+01:00")

    assert env.records("--all") == []
    assert env.drafts() == []
    assert calendar_file(env) == {}


def test_old_mail_with_a_recent_arrival_date_is_ignored_too(env: Env) -> None:
    """A mailbox copied to a new server on Wed 25 Nov: the 20 Sep invitation arrives "today".
    Its Date says 20 Sep, older than the lookback: no record on Thu 26 Nov."""
    raw = (LIFECYCLE / "acme-two-months-old.eml").read_bytes()
    with env.server.imap() as conn:  # the harness's append takes the arrival date from Date:
        stamp = imaplib.Time2Internaldate(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
        assert conn.append("INBOX", None, stamp, raw)[0] == "OK"
    env.run_at("2026-11-26T12:00:00+01:00")

    assert env.records("--all") == []
    assert env.drafts() == []


def test_a_longer_lookback_takes_the_old_invitation_but_drafts_nothing_stale(env: Env) -> None:
    """The same 20 Sep invitation with scan.lookback_days 90: a record, but the thank-you of 29 Sep is
    skipped as stale on Thu 26 Nov (the limit, not chance, kept it out above)."""
    env.write_config(scan__lookback_days=90)
    deliver(env, "acme-two-months-old.eml")
    env.run_at("2026-11-26T12:00:00+01:00")

    data = record(env)
    assert data["interview"]["start"] == "2026-09-28T14:30:00+02:00"
    assert followup(data, "thank_you")["state"] == "skipped"
    assert env.drafts() == []


# --- the recruiter's zone, country and DST


def test_london_recruiter_is_called_after_17h_london_time(env: Env, feed: Feed) -> None:
    """Fri 27 Nov: Outlook invitation for Tue 8 Dec 10:00 (Paris) from a recruiter with a +44 number.
    The call on Tue 15 Dec is at 17:15 in London, shown at 18:15 in Paris, with both times in the event."""
    env.deliver(GLOBEX)
    env.run_at("2026-11-27T18:00:00+01:00")

    data = record(env)
    assert data["recruiter"]["timezone"] == "Europe/London"
    assert followup(data, "call")["due"] == "2026-12-15T18:15:00+01:00"
    call = feed.events()["call"]
    assert start_of(call) == when("2026-12-15T18:15:00+01:00")
    description = str(call["DESCRIPTION"])
    assert "+44 20 7946 0958" in description
    assert "Heure du recruteur : 17:15 (Europe/London)" in description


def add(env: Env, *args: str, now: str = "2026-12-01T12:00:00+01:00") -> None:
    result = env.relance("add", *args, "--now", now)
    assert result.code == 0, result.err


def test_recruiter_country_holidays_move_the_call(env: Env) -> None:
    """Tue 1 Dec, two phone interviews added by hand for Fri 18 Dec 10:00. J+7 is Christmas, then a weekend.
    Mon 28 Dec is Boxing Day observed in England, a working day in France: the London recruiter is called
    Tue 29 Dec (17:15 London = 18:15 Paris), the Paris one Mon 28 Dec 17:15."""
    add(env, "--company", "Globex", "--start", "2026-12-18T10:00", "--recruiter-name", "John Smith",
        "--recruiter-email", "john.smith@globex-analytics.co.uk", "--recruiter-phone", "+44 20 7946 0958")
    add(env, "--company", "Initech", "--start", "2026-12-18T10:00", "--recruiter-name", "Sophie Martin",
        "--recruiter-email", "s.martin@initech-conseil.fr", "--recruiter-phone", "01 99 00 45 67")

    calls = {r["company"]: followup(r, "call")["due"] for r in env.records()}
    assert calls == {"Globex": "2026-12-29T18:15:00+01:00", "Initech": "2026-12-28T17:15:00+01:00"}


def test_call_stays_after_17h_for_the_recruiter_across_a_dst_change(env: Env) -> None:
    """Tue 20 Oct 2026, 16:00 Paris: a phone interview with a New York recruiter (+1 212), added by hand.
    J+7 is Tue 27 Oct: Europe left summer time on 25 Oct, New York only on 1 Nov, so 17:15 in New York is
    22:15 in Paris that day (not 23:15 as in summer)."""
    add(env, "--company", "Initrode", "--position", "Analyst", "--start", "2026-10-20T16:00",
        "--recruiter-email", "pat@initrode.com", "--recruiter-phone", "+1 212 555 0100", "--language", "en",
        now="2026-10-19T12:00:00+02:00")

    data = record(env)
    assert data["recruiter"]["timezone"] == "America/New_York"
    assert dues(data) == {"debrief": "2026-10-20T17:30:00+02:00", "thank_you": "2026-10-21T09:00:00+02:00",
                          "call": "2026-10-27T22:15:00+01:00"}
    assert start_of(calendar_file(env)["call"]) == when("2026-10-27T22:15:00+01:00")
