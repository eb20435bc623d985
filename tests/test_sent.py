# SPDX-License-Identifier: MIT
"""What the user's own sent mail tells relance, over the real Dovecot, whose \\Sent folder is named
"Éléments envoyés": a thank-you sent by hand or from the draft, a slot chosen, a withdrawal, the rest."""

from __future__ import annotations

import email.utils
import json
from datetime import datetime
from email.message import EmailMessage

from daemon import config
from daemon.followups.records import Store
from daemon.run import loop
from daemon.run.cycle import Cycle
from daemon.run.sent import STATE_KEY
from daemon.understand import rules
from tests.conftest import DATA, Env
from tests.harness.daemon_process import query, run_daemon_once
from tests.harness.dovecot import SENT_FOLDER, quote_mailbox
from tests.harness.tcpproxy import proxy_to

ACME = "01-google-invite-acme.eml"  # Claire Dubois, claire.dubois@acme-finance.fr, Thu 3 Dec 2026 14:30-15:30
ACME_ID = "<0000000000009f1c2a05f3a1b2c3@google.com>"
INITECH = "03-fr-convocation-initech.eml"  # s.martin@initech-conseil.fr, Fri 18 Dec 2026 10:00, sent 30 Nov
INITECH_ID = "<7f3a9c21-55b0-4e0c-9a11-initech@initech-conseil.fr>"
FR_SLOTS = "corpus/fr_plain_creneaux_multiples.eml"  # 19, 20, 21 January 2027, Paris
FR_SLOTS_ID = "<B3A46B6B.d2e019c59259@librairies-castel.fr>"
EN_SLOTS = "corpus/en_plain_slots_proposal.eml"  # 25, 26, 27 January 2027, UK time


def sent(*, to: str, subject: str, body: str, date: str, reply_to_id: str | None = None,
         message_id: str | None = None) -> bytes:
    """A message as a mail client files it in the Sent folder."""
    msg = EmailMessage()
    msg["From"] = "Alice Martin <alice@example.org>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="mail.example.org")
    if reply_to_id:
        msg["In-Reply-To"] = reply_to_id
        msg["References"] = reply_to_id
    msg.set_content(body)
    return msg.as_bytes()


def file_sent(env: Env, raw: bytes) -> int:
    return env.server.append(SENT_FOLDER, raw, "(\\Seen)")


def one(env: Env, *extra: str) -> dict[str, object]:
    (record,) = env.records(*extra)
    return record


def followup(record: dict[str, object], kind: str) -> dict[str, object]:
    found = [f for f in record["followups"] if f["kind"] == kind]  # type: ignore[attr-defined]
    assert len(found) == 1, record
    return dict(found[0])


def history(env: Env, interview_id: int) -> list[str]:
    shown = env.relance("show", str(interview_id), "--json")
    assert shown.code == 0, shown.err
    return [h["event"] for h in json.loads(shown.out)["history"]]


def deliver_data(env: Env, name: str) -> None:
    # Dovecot files a message dated in the future (the corpus's January 2027) at the present time: a
    # lookback long enough keeps the test from depending on today's date
    env.write_config(scan__lookback_days=400)
    env.server.append("INBOX", (DATA / name).read_bytes())


HAND_THANKS = sent(to="Claire Dubois <claire.dubois@acme-finance.fr>", subject="Merci !",
                   date="Thu, 03 Dec 2026 19:05:00 +0100",
                   body="Bonjour Claire,\n\nMerci encore pour notre échange de cet après-midi, il a confirmé "
                        "mon envie de rejoindre Acme.\n\nBien cordialement,\nAlice Martin\n")


# --- the thank-you


def test_a_thank_you_written_by_hand_the_same_evening_makes_no_draft_and_says_sent_by_you(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    file_sent(env, HAND_THANKS)

    env.run_at("2026-12-04T09:30:00+01:00")  # the morning the draft would have come
    assert env.drafts() == []
    thanks = followup(one(env), "thank_you")
    assert thanks["state"] == "done"
    assert thanks["reason"] == "sent by you"
    assert thanks["at"] == "2026-12-03T19:05:00+01:00"
    assert "ref" not in thanks
    shown = env.relance("show", "1")
    assert "sent by you on Thu 2026-12-03 19:05" in shown.out
    assert "thank-you sent by you: Merci !" in shown.out
    # the call is still planned: a thank-you is no answer from the recruiter
    assert followup(one(env), "call")["state"] == "pending"


def test_relance_s_draft_sent_with_the_new_message_id_the_client_gives_it_closes_the_thank_you(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:30:00+01:00")
    (draft,) = env.drafts()
    draft_id = draft["Message-ID"]
    # the user edits and sends it: the client files it in Sent with a new Message-ID and a new Date
    del draft["Message-ID"], draft["Date"], draft["X-Test-Flags"]
    draft["Message-ID"] = "<sent-from-thunderbird-1@example.org>"
    draft["Date"] = "Fri, 04 Dec 2026 10:12:00 +0100"
    file_sent(env, draft.as_bytes())
    _empty(env, "Drafts")  # the client removes the draft it sent

    env.run_at("2026-12-04T10:30:00+01:00")
    env.run_at("2026-12-05T10:30:00+01:00")
    assert env.drafts() == [], "no second draft"
    thanks = followup(one(env), "thank_you")
    assert (thanks["state"], thanks["reason"], thanks["at"], thanks["ref"]) == (
        "done", "sent by you", "2026-12-04T10:12:00+01:00", draft_id)


def test_a_draft_deleted_without_sending_changes_nothing_and_makes_no_second_draft(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:30:00+01:00")
    before = one(env)
    _empty(env, "Drafts")
    env.run_at("2026-12-04T12:00:00+01:00")
    env.run_at("2026-12-05T12:00:00+01:00")
    assert env.drafts() == []
    thanks = followup(one(env), "thank_you")
    assert thanks == followup(before, "thank_you")
    assert "reason" not in thanks and "at" not in thanks


def test_a_thank_you_in_english_in_the_thread_after_the_interview(env: Env) -> None:
    env.deliver("02-outlook-teams-globex.eml")
    env.run_at("2026-11-28T12:00:00+01:00")
    record = one(env)
    start = datetime.fromisoformat(str(record["interview"]["start"]))  # type: ignore[index]
    source = record["source"]["message_id"]  # type: ignore[index]
    file_sent(env, sent(to="John Smith <john.smith@globex-analytics.co.uk>",
                        subject="Re: Interview - Data Engineer - Globex", reply_to_id=str(source),
                        date=email.utils.format_datetime(start.replace(hour=20)),
                        body="Hi John,\n\nThank you for taking the time to meet me today.\n\nBest,\nAlice\n"))
    env.run_at(start.replace(hour=22).isoformat())
    thanks = followup(one(env), "thank_you")
    assert (thanks["state"], thanks["reason"]) == ("done", "sent by you")


# --- the slots


def test_a_reply_choosing_one_of_the_slots_schedules_the_record_and_plans_its_follow_ups(env: Env) -> None:
    deliver_data(env, FR_SLOTS)
    env.run_at("2027-01-13T16:00:00+01:00")
    record = one(env)
    assert record["status"] == "needs_date" and len(record["candidates"]) == 3  # type: ignore[arg-type]
    file_sent(env, sent(to="agathe.simon@librairies-castel.fr", reply_to_id=FR_SLOTS_ID,
                        subject="Re: Responsable marketing – proposition de créneaux",
                        date="Wed, 13 Jan 2027 18:20:00 +0100",
                        body="Bonjour Agathe,\n\nLe mercredi 20 janvier à 14h30 me convient parfaitement.\n\n"
                             "Bien cordialement,\nAlice\n\nLe 13 janv. 2027 à 14:50, Agathe Simon a écrit :\n"
                             "> - mardi 19 janvier à 10h\n> - jeudi 21 janvier à 16h\n"))
    env.run_at("2027-01-13T19:00:00+01:00")
    record = one(env)
    assert record["status"] == "scheduled"
    assert record["interview"]["start"] == "2027-01-20T14:30:00+01:00"  # type: ignore[index]
    assert record["candidates"] == []
    assert sorted(f["kind"] for f in record["followups"]) == ["call", "debrief", "thank_you"]  # type: ignore[attr-defined]
    assert any(e.startswith("you chose 2027-01-20T14:30") for e in history(env, 1))


def test_the_recruiters_confirmation_of_the_slot_schedules_the_record_when_the_users_answer_is_not_in_sent(
        env: Env) -> None:
    # she answered from her phone, which files no copy in Sent: the recruiter's "c'est noté" is all relance sees
    deliver_data(env, FR_SLOTS)
    env.run_at("2027-01-13T16:00:00+01:00")
    assert one(env)["status"] == "needs_date"
    answer = "<choice-1@mail.example.org>"
    confirmation = EmailMessage()
    confirmation["From"] = "Agathe Simon <agathe.simon@librairies-castel.fr>"
    confirmation["To"] = "Alice Martin <alice@example.org>"
    confirmation["Subject"] = "Re: Responsable marketing – proposition de créneaux"
    confirmation["Date"] = "Thu, 14 Jan 2027 09:10:00 +0100"
    confirmation["Message-ID"] = "<confirm-1@librairies-castel.fr>"
    confirmation["In-Reply-To"] = answer
    confirmation["References"] = f"{FR_SLOTS_ID} {answer}"
    confirmation.set_content("Bonjour Alice,\n\nC'est noté, au plaisir de vous rencontrer.\n\nAgathe\n\n"
                             "Le 13 janv. 2027 à 18:20, Alice Martin a écrit :\n"
                             "> Le mercredi 20 janvier à 14h30 me convient parfaitement.\n")
    env.server.append("INBOX", confirmation.as_bytes())
    env.run_at("2027-01-14T10:00:00+01:00")
    record = one(env)
    assert (record["status"], record["interview"]["start"]) == (  # type: ignore[index]
        "scheduled", "2027-01-20T14:30:00+01:00")
    assert sorted(f["kind"] for f in record["followups"]) == ["call", "debrief", "thank_you"]  # type: ignore[attr-defined]


def test_an_english_reply_naming_a_uk_slot_without_its_zone_schedules_that_slot(env: Env) -> None:
    deliver_data(env, EN_SLOTS)
    env.run_at("2027-01-19T16:00:00+01:00")
    file_sent(env, sent(to="grace.turner@vireoenergy.co.uk", reply_to_id="<7E48153B.3891940ec0a8@vireoenergy.co.uk>",
                        subject="Re: Interview availability - Project Engineer",
                        date="Tue, 19 Jan 2027 18:00:00 +0000",
                        body="Hi Grace,\n\nTuesday, January 26 at 15:30 works for me.\n\nBest,\nAlice\n"))
    env.run_at("2027-01-19T20:00:00+01:00")
    record = one(env)
    assert record["status"] == "scheduled"
    assert record["interview"]["start"] == "2027-01-26T16:30:00+01:00"  # type: ignore[index]


def test_a_reply_naming_only_the_weekday_and_time_of_a_slot_next_week_schedules_that_slot(env: Env) -> None:
    deliver_data(env, FR_SLOTS)
    env.run_at("2027-01-13T16:00:00+01:00")
    # sent on Wednesday 13 January: "jeudi" alone is Thursday 14 to a calendar, the slot offered is Thursday 21
    file_sent(env, sent(to="agathe.simon@librairies-castel.fr", reply_to_id=FR_SLOTS_ID,
                        subject="Re: Responsable marketing – proposition de créneaux",
                        date="Wed, 13 Jan 2027 18:20:00 +0100",
                        body="Bonjour Agathe,\n\nJeudi 16h m'irait très bien.\n\nBien cordialement,\nAlice\n"))
    env.run_at("2027-01-13T19:00:00+01:00")
    record = one(env)
    assert record["status"] == "scheduled"
    assert record["interview"]["start"] == "2027-01-21T16:00:00+01:00"  # type: ignore[index]


def test_a_reply_proposing_another_time_changes_nothing_until_the_recruiter_confirms(env: Env) -> None:
    deliver_data(env, FR_SLOTS)
    env.run_at("2027-01-13T16:00:00+01:00")
    before = one(env)
    file_sent(env, sent(to="agathe.simon@librairies-castel.fr", reply_to_id=FR_SLOTS_ID,
                        subject="Re: Responsable marketing – proposition de créneaux",
                        date="Wed, 13 Jan 2027 18:20:00 +0100",
                        body="Bonjour Agathe,\n\nAucun de ces créneaux ne me convient hélas. Seriez-vous disponible "
                             "le vendredi 22 janvier à 11h ?\n\nBien cordialement,\nAlice\n"))
    env.run_at("2027-01-13T19:00:00+01:00")
    after = one(env)
    assert (after["status"], after["candidates"], after["followups"]) == (
        "needs_date", before["candidates"], before["followups"])
    assert any(e.startswith("you proposed another time (2027-01-22T11:00") for e in history(env, 1))


# --- the withdrawal


def test_a_withdrawal_in_french_before_the_interview_closes_the_record_and_empties_the_calendar(env: Env) -> None:
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    file_sent(env, sent(to="s.martin@initech-conseil.fr", reply_to_id=INITECH_ID,
                        subject="Re: Convocation à un entretien – Chargée de communication",
                        date="Wed, 02 Dec 2026 09:00:00 +0100",
                        body="Bonjour Madame Martin,\n\nJe vous remercie pour votre invitation. J'ai entre-temps "
                             "accepté une autre offre et je retire ma candidature.\n\nBien cordialement,\nAlice\n"))
    env.run_at("2026-12-02T10:00:00+01:00")
    assert env.records() == [], "a closed record leaves `relance list`"
    record = one(env, "--all")
    assert record["status"] == "closed"
    assert {(f["state"], f.get("reason")) for f in record["followups"]} == {  # type: ignore[attr-defined]
        ("cancelled", "you withdrew")}
    events = env.calendar_path.read_text(encoding="utf-8").split("BEGIN:VEVENT")[1:]
    assert events and all("STATUS:CANCELLED" in e for e in events)
    env.run_at("2026-12-19T10:00:00+01:00")
    assert env.drafts() == []


def test_a_withdrawal_in_english_after_the_interview_cancels_the_call(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:30:00+01:00")  # the draft is made
    file_sent(env, sent(to="claire.dubois@acme-finance.fr", subject="Analyste financier",
                        date="Sat, 05 Dec 2026 11:00:00 +0100",
                        body="Dear Claire,\n\nI wanted to let you know that I have accepted another offer, and "
                             "I would like to withdraw my application.\n\nKind regards,\nAlice\n"))
    env.run_at("2026-12-05T12:00:00+01:00")
    record = one(env, "--all")
    assert record["status"] == "closed"
    assert followup(record, "call")["state"] == "cancelled"
    assert followup(record, "thank_you")["state"] == "done", "what was done stays done"
    assert len(env.drafts()) == 1, "relance never deletes a draft"


# --- the rest


def test_a_confirmation_in_the_thread_changes_nothing_but_shows_in_the_history(env: Env) -> None:
    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    before = one(env)
    file_sent(env, sent(to="s.martin@initech-conseil.fr", reply_to_id=INITECH_ID,
                        subject="Re: Convocation à un entretien – Chargée de communication",
                        date="Mon, 30 Nov 2026 14:00:00 +0100",
                        body="Bonjour Madame Martin,\n\nMerci de votre invitation : je vous confirme ma présence "
                             "le vendredi 18 décembre à 10h.\nQuel est le nom de mon interlocuteur ?\n\n"
                             "Bien cordialement,\nAlice\n"))
    env.run_at("2026-11-30T15:00:00+01:00")
    after = one(env)
    assert (after["status"], after["followups"]) == (before["status"], before["followups"])
    shown = env.relance("show", "1").out
    assert "you sent: Re: Convocation à un entretien – Chargée de communication" in shown


def test_sent_mail_to_someone_unrelated_changes_nothing_and_is_never_read_or_kept(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    before = one(env)
    file_sent(env, sent(to="bob@example.net", subject="Merci pour notre entretien d'hier",
                        date="Thu, 03 Dec 2026 19:00:00 +0100",
                        body="Bob, merci pour notre entretien d'hier, je retire ma candidature au club.\n"))
    code, log = run_daemon_once(env.config_path, "2026-12-03T20:00:00+01:00")
    assert code == 0, log
    assert one(env)["followups"] == before["followups"]
    assert not any("you sent" in e or "by you" in e for e in history(env, 1))
    assert query(env.home / "relance.db", "SELECT count(*) FROM messages WHERE folder=?", SENT_FOLDER) == [(0,)]
    assert "sent by you" not in log and "bob@" not in log


def test_mail_sent_before_the_invitation_arrived_is_not_taken_for_an_answer(env: Env) -> None:
    file_sent(env, sent(to="claire.dubois@acme-finance.fr", subject="Candidature – Analyste financier",
                        date="Mon, 23 Nov 2026 10:00:00 +0100",
                        body="Madame, je retire ma candidature au poste de stagiaire.\n"))
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    assert one(env)["status"] == "scheduled"


def test_a_rescan_of_sent_after_a_uidvalidity_change_is_idempotent(env: Env) -> None:
    from tests.test_crash_resume import recreate_folder

    env.deliver(INITECH)
    env.run_at("2026-11-30T12:00:00+01:00")
    file_sent(env, sent(to="s.martin@initech-conseil.fr", reply_to_id=INITECH_ID, subject="Re: Convocation",
                        date="Mon, 30 Nov 2026 14:00:00 +0100", body="Je vous confirme ma présence.\n"))
    file_sent(env, sent(to="s.martin@initech-conseil.fr", subject="Merci", date="Fri, 18 Dec 2026 18:00:00 +0100",
                        body="Je vous remercie pour notre entretien de ce matin.\n"))
    env.run_at("2026-12-18T19:00:00+01:00")
    before, before_history = one(env), history(env, 1)
    assert followup(before, "thank_you")["reason"] == "sent by you"

    recreate_folder(env.server, SENT_FOLDER)
    code, log = run_daemon_once(env.config_path, "2026-12-18T19:30:00+01:00")
    assert code == 0, log
    assert f"{SENT_FOLDER}: UIDVALIDITY changed" in log
    assert (one(env), history(env, 1)) == (before, before_history)


def test_sent_and_inbox_are_left_untouched(env: Env) -> None:
    env.deliver(ACME)
    file_sent(env, HAND_THANKS)
    file_sent(env, sent(to="bob@example.net", subject="Dîner", date="Thu, 03 Dec 2026 20:00:00 +0100",
                        body="Samedi ?\n"))
    before = {folder: env.server.messages(folder) for folder in ("INBOX", SENT_FOLDER)}
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T09:30:00+01:00")
    after = {folder: env.server.messages(folder) for folder in ("INBOX", SENT_FOLDER)}
    assert after == before  # same UIDs, flags (no \\Seen added or removed) and bytes, same count
    assert followup(one(env), "thank_you")["reason"] == "sent by you"


def test_no_new_mail_costs_two_commands_with_the_sent_folder_read_and_new_mail_is_still_seen(env: Env) -> None:
    # Between two cycles the daemon idles on INBOX; a cycle with nothing new asks INBOX and Sent in one
    # LIST-STATUS after the NOOP that brings the selected INBOX up to date: two commands with or without Sent.
    env.deliver(ACME)
    file_sent(env, HAND_THANKS)
    costs = {}
    for sent_setting in ("auto", "none"):
        env.write_config(imap__sent=sent_setting)
        settings = config.load(env.config_path)
        store = Store(env.home / f"cost-{sent_setting}.db")
        try:
            cycle = Cycle(settings, store, rules.load_rules())
            now = datetime.fromisoformat("2026-12-04T09:30:00+01:00")
            with loop.connect(settings) as mailbox:
                cycle.run(now, mailbox)
                mailbox.examine("INBOX")  # what IDLE on INBOX does between two cycles
                before = mailbox.commands
                cycle.run(now, mailbox)
                costs[sent_setting] = mailbox.commands - before
                if sent_setting == "auto":
                    # what arrives in either folder meanwhile is seen by the next cycle's survey
                    marks = (store.folder_state("INBOX"), store.folder_state(STATE_KEY + SENT_FOLDER))
                    env.server.append("INBOX", b"From: Paul <paul@example.net>\r\nTo: alice@example.org\r\n"
                                      b"Subject: photos\r\nMessage-ID: <photos@example.net>\r\n\r\nVoila.\r\n")
                    file_sent(env, sent(to="bob@example.net", subject="Dîner", date="Thu, 03 Dec 2026 20:00:00 +0100",
                                        body="Samedi ?\n"))
                    mailbox.examine("INBOX")
                    cycle.run(now, mailbox)
                    after = (store.folder_state("INBOX"), store.folder_state(STATE_KEY + SENT_FOLDER))
                    assert [a[1] - b[1] for a, b in zip(after, marks, strict=True)] == [1, 1], (marks, after)
        finally:
            store.close()
    assert costs == {"auto": 2, "none": 2}, costs


def test_a_server_refusing_list_status_is_asked_folder_by_folder_and_new_mail_is_still_seen(env: Env) -> None:
    # Dovecot, behind a relay that spoils the RETURN option, answers BAD as a server without LIST-STATUS does
    spoiled: list[bytes] = []

    def without_list_status(data: bytes) -> bytes:
        if b"RETURN (STATUS" in data:
            spoiled.append(data)
        return data.replace(b"RETURN (STATUS", b"RETURN (XSTATU")

    env.deliver(ACME)
    with proxy_to(env.server.port) as proxy:
        proxy.from_client = without_list_status
        env.write_config(imap__port=proxy.port)
        settings = config.load(env.config_path)
        store = Store(env.home / "no-list-status.db")
        try:
            cycle = Cycle(settings, store, rules.load_rules())
            now = datetime.fromisoformat("2026-12-04T09:30:00+01:00")
            with loop.connect(settings) as mailbox:
                cycle.run(now, mailbox)
                marks = (store.folder_state("INBOX"), store.folder_state(STATE_KEY + SENT_FOLDER))
                env.server.append("INBOX", b"From: Paul <paul@example.net>\r\nTo: alice@example.org\r\n"
                                  b"Subject: photos\r\nMessage-ID: <photos@example.net>\r\n\r\nVoila.\r\n")
                file_sent(env, HAND_THANKS)
                cycle.run(now, mailbox)  # the first to know the Sent folder: it asks both folders at once
                after = (store.folder_state("INBOX"), store.folder_state(STATE_KEY + SENT_FOLDER))
                cycle.run(now, mailbox)
            assert [a[1] - b[1] for a, b in zip(after, marks, strict=True)] == [1, 1], (marks, after)
            assert [i.company for i in store.interviews()] == ["Acme"]
        finally:
            store.close()
    assert len(spoiled) == 1  # refused once, never asked again on that connection


# --- the commands


def test_check_names_the_sent_folder_found_by_its_flag_and_refuses_a_missing_one(env: Env) -> None:
    result = env.relance("check")
    assert result.code == 0, result.err
    assert f"sent mail read from {SENT_FOLDER} (read-only)" in result.out
    env.write_config(imap__sent="Sent Items")
    result = env.relance("check")
    assert result.code == 1
    assert "imap.sent: folder 'Sent Items' not found" in result.err
    env.write_config(imap__sent="none")
    assert "sent mail not read (imap.sent: none)" in env.relance("check").out


def test_explain_a_sent_message_by_uid_says_what_it_means_and_which_interview(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    uid = file_sent(env, HAND_THANKS)
    result = env.relance("explain", "--folder", "SENT", "--uid", str(uid), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["kind"], data["means"], data["rule"]) == ("sent", "thank_you", "fr-sent-thank-you")
    assert data["interview"]["id"] == 1
    assert "recruiter" in data["interview"]["why"]
    text = env.relance("explain", "--folder", SENT_FOLDER, "--uid", str(uid)).out
    assert "interview: #1, because it goes to the recruiter (claire.dubois@acme-finance.fr)" in text
    saved = env.home / "thanks.eml"
    saved.write_bytes(HAND_THANKS)
    from_file = json.loads(env.relance("explain", str(saved), "--sent", "--json").out)
    assert from_file == data


def test_sent_rules_need_a_meaning_and_never_classify_received_mail(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "mine.yaml").write_text("rules:\n  - name: x\n    kind: sent\n    when: {subject: merci}\n")
    try:
        rules.load_directory(directory)
    except rules.RuleError as exc:
        assert "rules[0].means: a rule of kind sent says what the user did" in str(exc)
    else:
        raise AssertionError("a sent rule without means was accepted")
    received = rules.classify(rules.load_rules(), _parsed(HAND_THANKS))
    assert received.kind == "none" and not any("sent" in name for name in received.matched)


def _parsed(raw: bytes):  # type: ignore[no-untyped-def]
    from daemon.understand import mime

    return mime.parse(raw)


def _empty(env: Env, folder: str) -> None:
    with env.server.imap() as client:
        client.select(quote_mailbox(folder))
        client.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
        client.expunge()

