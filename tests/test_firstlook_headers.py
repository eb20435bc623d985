# SPDX-License-Identifier: MIT
"""The scan's first look (daemon/mail/firstlook_headers.py): headers and structure decide which messages are read whole.

Over a real Dovecot: every labelled interview mail of the corpus is read
whole; a structure is left unparsed only when nothing in it could be a
calendar; a header-only ignore rule that outranks every acting rule sets a
message aside exactly as the full path would; the header split is the email
package's to the byte; and a user finds a mail the shipped screen misses
with a screen rule of their own or ``scan.read_every_message``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daemon import config
from daemon.credentials import imap_secret
from daemon.mail import firstlook_headers as triage
from daemon.mail import imapsyntax
from daemon.mail.mailbox import Mailbox
from daemon.understand import mime, rules
from daemon.understand.analysis import analyse
from tests.conftest import Env
from tests.hostile import SCAN_AT, deliver, invitation
from tests.test_corpus import Case, context_for, load_cases

NOW = datetime.now(UTC)
RULES = rules.load_rules()


def settings_of(env: Env) -> config.Settings:
    env.write_config(scan__lookback_days=1000)
    return config.load(env.config_path)


@contextlib.contextmanager
def connected(settings: config.Settings) -> Iterator[Mailbox]:
    mailbox = Mailbox(settings.imap, lambda: imap_secret(settings.imap))
    mailbox.connect()
    try:
        mailbox.examine("INBOX")
        yield mailbox
    finally:
        mailbox.close()


def outlines_of(mailbox: Mailbox, judge: triage.HeaderLook, uids: list[int]) -> dict[int, imapsyntax.Outline]:
    found = {}
    for batch in mailbox.outlines(uids, judge.fields, triage.STRUCTURE_HINTS, batch=50):
        found.update({o.uid: o for o in batch})
    return found


def mail(subject: str, sender: str, body: str, *, parts: bytes | None = None, message_id: str) -> bytes:
    head = (f"From: {sender}\r\nTo: Alice Martin <alice@example.org>\r\nSubject: {subject}\r\n"
            f"Date: Mon, 30 Nov 2026 11:47:05 +0100\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n").encode()
    if parts is None:
        return head + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode() + b"\r\n"
    return (head + b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\n'
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode() + b"\r\n--XX\r\n" + parts
            + b"\r\n--XX--\r\n")


ICS = (Path(__file__).parent / "data" / "samples" / "01-google-invite-acme.eml").read_bytes()
ICS = ICS[ICS.index(b"BEGIN:VCALENDAR"):ICS.index(b"END:VCALENDAR") + 13]

# Structures a calendar can hide in, each with a subject and sender that say nothing.
DISGUISED = {
    "octet-stream, no name": b"Content-Type: application/octet-stream\r\n\r\n" + ICS,
    "RFC 2231 name": (b"Content-Type: application/octet-stream; name*=utf-8''rendez%2Dvous.ics\r\n"
                      b"Content-Disposition: attachment; filename*=utf-8''rendez%2Dvous.ics\r\n\r\n" + ICS),
    "encoded-word name": (b'Content-Type: application/octet-stream; name="=?utf-8?q?rdv=2Eics?="\r\n\r\n' + ICS),
    "text/calendar": b"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n" + ICS,
    "forwarded message": (b"Content-Type: message/rfc822\r\n\r\nFrom: x@y.example\r\nSubject: fwd\r\n"
                          b'Content-Type: multipart/mixed; boundary="YY"\r\n\r\n'
                          b"--YY\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
                          b"--YY\r\nContent-Type: text/calendar\r\n\r\n" + ICS + b"\r\n--YY--\r\n"),
}
HARMLESS = {
    "a PDF": (b'Content-Type: application/pdf; name="cv.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
              b"JVBERi0xLjQK\r\n"),
    "a photo": b'Content-Type: image/jpeg; name="p.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n',
}


@pytest.fixture
def corpus_uids(env: Env) -> dict[int, Case]:
    """The labelled corpus in INBOX: UID to case."""
    return {deliver(env, case.raw): case for case in load_cases()}


def tracked(case: Case) -> rules.Context:
    """The context a message of this kind meets: an invitation, on its own; a change, a cancellation, a
    rejection or an answer only means something for an interview relance tracks, from that sender."""
    context = context_for(case)
    if case.label["kind"] in ("none", "invitation"):
        return context
    sender = mime.parse_header(case.raw).from_email or ""
    return dataclasses.replace(context, known_company_domains=context.known_company_domains
                               | {sender.rpartition("@")[2]})


def test_every_labelled_interview_mail_is_read_whole(env: Env, corpus_uids: dict[int, Case]) -> None:
    settings = settings_of(env)
    judge = triage.HeaderLook(RULES)
    with connected(settings) as mailbox:
        outlines = outlines_of(mailbox, judge, sorted(corpus_uids))
    assert set(outlines) == set(corpus_uids)
    missed, set_aside = [], 0
    for uid, case in corpus_uids.items():
        verdict = judge.judge(outlines[uid], tracked(case))
        if case.label["kind"] != "none" and not verdict.candidate:
            missed.append(case.name)
        set_aside += not verdict.candidate
    assert missed == []
    assert set_aside > 0, "the look-alikes with plain subjects are set aside"


def test_a_calendar_in_any_disguise_is_read_whole_and_a_document_is_not(env: Env) -> None:
    settings = settings_of(env)
    judge = triage.HeaderLook(RULES)
    uids = {}
    for n, (name, part) in enumerate({**DISGUISED, **HARMLESS}.items()):
        raw = mail("Documents", "Julie <julie@perso.example>", "Voici.", parts=part, message_id=f"<d{n}@perso.example>")
        uids[deliver(env, raw)] = name
    with connected(settings) as mailbox:
        outlines = outlines_of(mailbox, judge, sorted(uids))
        parsed = mailbox.structures(sorted(uids))
    verdicts = {uids[uid]: judge.judge(o, rules.Context()) for uid, o in outlines.items()}
    assert {name for name, v in verdicts.items() if v.candidate} == set(DISGUISED), verdicts
    for uid, outline in outlines.items():
        # left unparsed only when the parsed structure has nothing to say
        if outline.structure is None:
            assert triage.structure_reason(parsed[uid]) is None, uids[uid]


def test_a_job_alert_is_decided_by_its_sender_as_the_full_path_decides_it(env: Env) -> None:
    alert = mail("Interview invitation: 12 new jobs for you", "LinkedIn <jobalerts-noreply@linkedin.com>",
                 "We would like to invite you to an interview. Jobs you might like: Data Analyst.",
                 parts=b"Content-Type: text/calendar\r\n\r\n" + ICS, message_id="<alert@linkedin.com>")
    settings = settings_of(env)
    judge = triage.HeaderLook(RULES)
    assert [r.name for r in judge.decisive] == ["job-alert-senders"]
    uid = deliver(env, alert)
    with connected(settings) as mailbox:
        outline = outlines_of(mailbox, judge, [uid])[uid]
    assert not judge.judge(outline, rules.Context()).candidate
    assert analyse(alert, settings, RULES, rules.Context(), NOW).classification.kind == "none"


def test_an_invitation_whose_headers_say_nothing_is_read_in_steady_state_and_when_personal(env: Env) -> None:
    # A recruiter never heard of, a subject that says nothing: among a handful of new messages every one is
    # read whole; in a backlog, the screen still lets through a person writing to the user.
    deliver(env, invitation("<bland@hexa-conseil.fr>", subject=b"Hello"))
    for how in ({}, {"scan__read_whole_below": 1}):
        for name in ("relance.db", "relance.db-wal", "relance.db-shm"):
            env.home.joinpath(name).unlink(missing_ok=True)
        env.write_config(**how)
        env.run_at(SCAN_AT)
        (interview,) = env.records()
        assert interview["company"] == "Hexa Conseil", how


def test_in_a_backlog_personal_mail_is_read_while_it_can_still_announce_an_interview(
        env: Env, tmp_path: Path) -> None:
    # Two people write "Hello" to the user: a week ago, and four months ago. In a backlog the first is read
    # whole; the second could only announce an interview whose follow-ups are long over, and is set aside
    # (a job word, a tracked thread or a calendar would still have it read, whatever its age).
    recent = invitation("<recent@hexa-conseil.fr>", subject=b"Hello")
    old = invitation("<old@kestrel.example>", subject=b"Hello", sender=b"Paul Girard <paul@kestrel.example>",
                     company="Kestrel").replace(b"Date: Mon, 30 Nov 2026", b"Date: Mon, 03 Aug 2026")
    old_job = old.replace(b"<old@kestrel.example>", b"<old-job@kestrel.example>").replace(
        b"Subject: Hello", b"Subject: Entretien")
    env.write_config(scan__read_whole_below=1, scan__lookback_days=1000)
    path = tmp_path / "old.eml"
    path.write_bytes(old)
    shown = json.loads(env.relance("explain", str(path), "--json").out)["scan"]
    assert shown["read"] is False, shown
    assert shown["reason"].startswith("in a backlog, personal mail to you, sent over 42 days before the scan"), shown
    for raw in (recent, old, old_job):
        deliver(env, raw)
    env.run_at(SCAN_AT)
    assert sorted(r["company"] for r in env.records()) == ["Hexa Conseil", "Kestrel"]
    assert recorded(env) == ["invitation", "none", "invitation"]


def test_a_backlog_list_mail_whose_headers_say_nothing_needs_a_screen_rule_or_reading_everything(
        env: Env, tmp_path: Path) -> None:
    # In a backlog (the first scan), a mail sent through a list, with a subject that says nothing, is not read.
    raw = invitation("<bland@hexa-conseil.fr>", subject=b"Hello", extra_headers=b"List-Id: <team.hexa-conseil.fr>\r\n")
    deliver(env, raw)
    env.write_config(scan__read_whole_below=1)
    env.run_at(SCAN_AT)
    assert env.records() == []
    (record,) = recorded(env)
    assert record == "none"

    for how in ("read_every_message", "own screen rule"):
        for name in ("relance.db", "relance.db-wal", "relance.db-shm"):
            env.home.joinpath(name).unlink(missing_ok=True)
        if how == "read_every_message":
            env.write_config(scan__read_every_message=True, scan__read_whole_below=1)
        else:
            own = tmp_path / "my-rules"
            own.mkdir()
            (own / "screen.yaml").write_text(
                "rules:\n  - name: screen-hexa\n    kind: screen\n"
                "    when: {from: {contains: '@hexa-conseil.fr'}}\n", encoding="utf-8")
            env.write_config(rules__paths=[str(own)], scan__read_whole_below=1)
        env.run_at(SCAN_AT)
        (interview,) = env.records()
        assert interview["company"] == "Hexa Conseil", how


def recorded(env: Env) -> list[str]:
    db = sqlite3.connect(env.home / "relance.db")
    try:
        return [row[0] for row in db.execute("SELECT kind FROM messages ORDER BY uid")]
    finally:
        db.close()


def test_a_screen_rule_that_reads_the_text_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "screen.yaml"
    path.write_text("rules:\n  - name: s\n    kind: screen\n    when:\n      any:\n"
                    "        - subject: entretien\n        - body: entretien\n", encoding="utf-8")
    with pytest.raises(rules.RuleError) as caught:
        rules.load_file(path)
    assert str(caught.value).startswith(f"{path}: rules[0].when.any[1].body: a screen rule sees headers only")


def test_screen_rules_classify_nothing() -> None:
    message = mime.parse(invitation("<x@hexa-conseil.fr>", subject=b"Entretien", body=b"Bonjour."))
    assert rules.classify(RULES, message).kind == "none"
    assert rules.classify([r for r in RULES if r.kind == rules.SCREEN], message).rule is None


@pytest.mark.parametrize("subject", ["Sophie Marin vous a envoyé un message", "Tom sent you a new message",
                                     "New voicemail from +44 20 7946 0000", "Nouveau SMS de 0612345678",
                                     "Marc sent you an InMail", "Vous avez reçu un nouveau message de Léa"])
def test_a_platforms_notice_relaying_a_persons_message_is_personal_mail(subject: str) -> None:
    raw = (f"From: Relay <notifications@relay.example>\r\nTo: alice@example.org\r\nSubject: {subject}\r\n"
           "List-Unsubscribe: <https://relay.example/u>\r\nContent-Type: text/plain\r\n\r\nHello.\r\n").encode()
    verdict = triage.HeaderLook(RULES, frozenset({"alice@example.org"})).judge_file(raw, rules.Context())
    assert verdict.candidate and verdict.reason == "personal mail to you"


def test_leaving_the_outlines_early_leaves_the_connection_clean(env: Env) -> None:
    raws = {deliver(env, mail(f"n{n}", "a@b.example", f"text {n}", message_id=f"<n{n}@b.example>")): n
            for n in range(12)}
    settings = settings_of(env)
    judge = triage.HeaderLook(RULES)
    uids = sorted(raws)
    with connected(settings) as mailbox:
        with contextlib.closing(mailbox.outlines(uids, judge.fields, triage.STRUCTURE_HINTS, batch=3)) as batches:
            first = next(batches)
            # a command between two batches: its answer is its own, the next batch still comes
            whole = {uid: raw for uid, raw, _ in mailbox.fetch(uids[-2:])}
            second = next(batches)
        assert [o.uid for o in first] == uids[:3] and [o.uid for o in second] == uids[3:6]
        assert sorted(whole) == uids[-2:]
        assert all(b"text %d" % raws[uid] in raw for uid, raw in whole.items())
        # and after leaving them, a command gets exactly its answer
        assert [uid for uid, _raw, _ in mailbox.fetch(uids[:2])] == uids[:2]


HEADER_PIECES = st.sampled_from([b"From ", b"From: ", b"Subject", b"X-Y", b":", b" ", b"\t", b"\r", b"\n", b"\r\n",
                                 b"a", b"\xe9", b"=?utf-8?q?x?=", b"\x00", b"\x0b", b"\x85"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(HEADER_PIECES, max_size=30).map(b"".join))
def test_the_header_split_is_the_email_packages(raw: bytes) -> None:
    assert mime.header_fields(raw) == list(email.message_from_bytes(raw, policy=compat32).raw_items())


def test_the_header_split_agrees_on_every_mail_of_the_test_data() -> None:
    files = sorted((Path(__file__).parent / "data").rglob("*.eml"))
    assert len(files) > 100
    for path in files:
        raw = path.read_bytes()
        assert mime.header_fields(raw) == list(email.message_from_bytes(raw, policy=compat32).raw_items()), path


def test_explain_says_whether_the_scan_reads_a_message(env: Env, tmp_path: Path) -> None:
    bland, plain = tmp_path / "bland.eml", tmp_path / "plain.eml"
    bland.write_bytes(invitation("<bland@hexa-conseil.fr>", subject=b"Hello",
                                 extra_headers=b"List-Id: <team.hexa-conseil.fr>\r\n"))
    plain.write_bytes(invitation("<plain@hexa-conseil.fr>"))
    shown = {}
    for path in (bland, plain):
        result = env.relance("explain", str(path), "--json")
        assert result.code == 0, result.err
        shown[path.stem] = json.loads(result.out)
    assert shown["bland"]["scan"]["read"] is False
    assert shown["bland"]["kind"] == "invitation", "what the rules would say, had the scan read it"
    assert shown["plain"]["scan"] == {"read": True, "reason": "screen-interview-words", "scanned": True}
    text = env.relance("explain", str(bland)).out
    assert text.splitlines()[0].startswith("scan:     set aside unread in a backlog: nothing in its headers")


def test_a_calendar_structure_is_found_whatever_the_server_echoes_as_field_names() -> None:
    # Dovecot echoes the field list as it was asked; other servers quote the names
    structure = b'("TEXT" "CALENDAR" ("CHARSET" "utf-8") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)'
    for echo in (b"FROM SUBJECT", b'"FROM" "SUBJECT"'):
        data = [(b"7 (UID 9 RFC822.SIZE 90 BODY[HEADER.FIELDS (" + echo + b")] {14}", b"Subject: x\r\n\r\n"),
                b" BODYSTRUCTURE " + structure + b")"]
        (outline,) = imapsyntax.outlines(data, triage.STRUCTURE_HINTS)
        assert (outline.uid, outline.size, outline.header) == (9, 90, b"Subject: x\r\n\r\n"), echo
        assert triage.structure_reason(outline.structure) == "calendar part", echo


def test_explain_sees_an_rfc2231_calendar_name_as_the_scan_does() -> None:
    raw = mail("Documents", "Julie <julie@perso.example>", "Voici.", parts=DISGUISED["RFC 2231 name"],
               message_id="<r@perso.example>")
    assert triage.HeaderLook(RULES).judge_file(raw, rules.Context()).reason == "calendar part"


def test_an_ignore_rule_that_reads_the_records_does_not_decide_alone(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  - name: not-in-a-thread\n    kind: ignore\n    priority: 99\n"
        "    when: {from: {contains: '@perso.example'}, thread: {known: false}}\n"
        "  - name: plain-sender\n    kind: ignore\n    priority: 98\n"
        "    when: {from: {contains: '@perso.example'}}\n", encoding="utf-8")
    judge = triage.HeaderLook(rules.load_rules([tmp_path]))
    assert [r.name for r in judge.decisive] == ["job-alert-senders", "plain-sender"]


def test_a_header_name_that_imap_cannot_carry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - name: x\n    kind: screen\n    when: {header: {name: 'X-Foo )', present: true}}\n",
                    encoding="utf-8")
    with pytest.raises(rules.RuleError, match=r"rules\[0\]\.when\.header\.name: must be a header name"):
        rules.load_file(path)


@pytest.mark.parametrize("sender", ["Welcome to the Jungle <notifications@welcometothejungle-mail.com>",
                                    "Acme via Greenhouse <no-reply@us.greenhouse-mail.io>",
                                    "Acme <notifications@teamtailor-mail.com>"])
def test_a_recruiting_systems_mail_domain_is_read_whole_whatever_its_subject_says(sender: str) -> None:
    # the systems send from a domain of their own for mail ("-mail"), under a subject that names no job:
    # "Nordlys vous a envoyé un message"
    raw = mail("Nordlys vous a envoyé un message", sender, "Lisez-le dans votre espace candidat.",
               message_id="<relay@ats.example>")
    verdict = triage.HeaderLook(RULES).judge_file(raw, rules.Context())
    assert verdict.candidate and verdict.reason == "screen-recruiting-senders", verdict


@pytest.mark.parametrize(("subject", "sender", "reason"), [
    # a company's own no-reply address, named by its recruiting team
    ("Votre venue le 12 mars", "Direction Recrutement Orsay <ne-pas-repondre@orsay-immo.fr>",
     "screen-recruiting-senders"),
    ("Invitation : journée de sélection – Conseiller clientèle", "Orsay <info@orsay-immo.fr>",
     "screen-interview-words"),
    ("Your assessment centre on 12 March", "Orsay <info@orsay-immo.fr>", "screen-interview-words"),
    ("Journée d'immersion mardi", "Atelier Vasseur <bonjour@atelier-vasseur.fr>", "screen-interview-words"),
    ("Trial shift this Saturday?", "The Crown <hello@thecrown-pub.co.uk>", "screen-interview-words"),
    # a temp agency convenes for its client in any words
    ("Jeudi 10h à l'agence", "Adecco Melun <melun.logistique@adecco.fr>", "screen-staffing-agencies"),
    ("Tomorrow 9am at our branch", "Leeds Team <leeds@staffline.co.uk>", "screen-staffing-agencies"),
    ("Proposition de mission - Cariste", "Julie Morel <julie.morel@interim-plus.fr>", "screen-staffing-agencies"),
    # a freelance platform relays a client who wants to talk about a mission, in any words
    ("Vous avez un nouveau message", "Malt <notifications@malt.com>", "screen-recruiting-senders"),
    ("Octave Bio souhaite échanger avec vous", "Octave via Plateforme <notify@freelance-hub.example>",
     "screen-interview-words"),
    ("A client would like to talk with you about a freelance project", "Hub <notify@freelance-hub.example>",
     "screen-interview-words"),
])
def test_a_recruiting_team_or_an_assessment_day_in_the_headers_is_read_whole(subject: str, sender: str,
                                                                           reason: str) -> None:
    raw = mail(subject, sender, "Voir la version HTML.", message_id="<day@orsay.example>")
    verdict = triage.HeaderLook(RULES).judge_file(raw, rules.Context())
    assert verdict.candidate and verdict.reason == reason, verdict


@pytest.mark.parametrize("subject", ["Julie vous a envoyé un message : Opportunité Chef de produit",
                                     "New message from Dan: an opportunity in Leeds"])
def test_a_job_opportunity_relayed_by_a_professional_network_is_read_whole(subject: str) -> None:
    raw = mail(subject, "Julie Caron via LinkedIn <inmail-hit-reply@linkedin.com>", "Bonjour Alice, …",
               message_id="<inmail@network.example>")
    verdict = triage.HeaderLook(RULES).judge_file(raw, rules.Context())
    assert verdict.candidate and verdict.reason == "screen-interview-words", verdict
