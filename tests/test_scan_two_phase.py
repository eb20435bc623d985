# SPDX-License-Identifier: MIT
"""The two-phase scan: a first look at every message, whole messages for candidates only.

With ``scan.read_every_message`` the first look is a preview judged by the
real rules, and the outcome is provably the one-by-one path's: checked
message by message over the labelled corpus (a message set aside must be one
the full path classifies ``none``), with previews cut short on purpose so
that the structure checks run. By default the first look is headers and
structure (tests/test_firstlook_headers.py). Both are run over a 2,000-message mailbox
of the bench mix, whose records must be those of reading every message whole
one by one, with as many full fetches as candidates.
"""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench import mailgen
from daemon import config
from daemon.credentials import imap_secret
from daemon.followups.records import Store
from daemon.mail import firstlook_preview as prescreen
from daemon.mail import imapsyntax, scan
from daemon.mail.imapdata import FetchedMessage, Preview
from daemon.mail.mailbox import Mailbox
from daemon.model import CycleReport
from daemon.run.cycle import Cycle
from daemon.understand import rules
from daemon.understand.analysis import analyse
from tests.conftest import Env

NOW = datetime.now(UTC)


def settings_of(env: Env) -> config.Settings:
    env.write_config(scan__lookback_days=1000)
    return config.load(env.config_path)


def open_mailbox(settings: config.Settings) -> Mailbox:
    mailbox = Mailbox(settings.imap, lambda: imap_secret(settings.imap))
    mailbox.connect()
    return mailbox


def hidden_calendar_mail(n: int) -> bytes:
    """A calendar that only the sniffing finds: octet-stream, no .ics name, after a long text."""
    invite = (Path(__file__).parent / "data" / "samples" / "01-google-invite-acme.eml").read_bytes()
    ics = invite[invite.index(b"BEGIN:VCALENDAR"):invite.index(b"END:VCALENDAR") + 13]
    text = ("Bonjour,\r\n" + "Voici le document. " * 300 + "\r\n").encode()
    return (b"From: Claire <claire@acme.example>\r\nTo: alice@example.org\r\nSubject: Document\r\n"
            b"Message-ID: <hidden-%d@acme.example>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n'
            + text + b"\r\n--XX\r\nContent-Type: application/octet-stream\r\n\r\n" + ics + b"\r\n--XX--\r\n") % n


@pytest.fixture
def corpus(env: Env) -> Iterator[tuple[Mailbox, config.Settings]]:
    for raw in mailgen.labelled_messages():
        env.server.append("INBOX", raw)
    rng = random.Random(3)
    for n in range(6):  # cut attachments, cut text, a hidden calendar: the structure paths
        env.server.append("INBOX", mailgen.attachment(rng, n, NOW))
        env.server.append("INBOX", mailgen.newsletter(rng, n, NOW))
    env.server.append("INBOX", hidden_calendar_mail(1))
    settings = settings_of(env)
    mailbox = open_mailbox(settings)
    try:
        mailbox.examine("INBOX")
        yield mailbox, settings
    finally:
        mailbox.close()


@pytest.mark.parametrize("body_bytes", [300, 4_000, scan.PREVIEW_BYTES])
def test_a_message_set_aside_is_one_the_full_path_calls_none(corpus: tuple[Mailbox, config.Settings],
                                                               body_bytes: int) -> None:
    mailbox, settings = corpus
    rule_set = rules.load_rules(settings.rule_paths, settings.rules_disabled)
    screen = prescreen.PreviewLook(settings, rule_set)
    uids = mailbox.uids_after("INBOX", 0)
    assert len(uids) > 100
    whole = {uid: raw for uid, raw, _flags in mailbox.fetch(uids)}
    set_aside = cut = cut_set_aside = 0
    for batch in mailbox.previews(uids, body_bytes):
        structures = mailbox.structures([p.uid for p in batch if not p.complete])
        for preview in batch:
            cut += not preview.complete
            verdict = screen.judge(preview, structures.get(preview.uid), rules.Context())
            full = analyse(whole[preview.uid], settings, rule_set, rules.Context(), NOW)
            if preview.complete:
                assert preview.raw == whole[preview.uid]
            if not verdict.candidate:
                set_aside += 1
                cut_set_aside += not preview.complete
                assert full.classification.kind == "none", (preview.uid, full.classification)
                assert not full.message.calendars
            elif verdict.reason.startswith("classified"):
                assert verdict.reason == f"classified {full.classification.kind}"
    assert cut > 0
    if body_bytes >= 4_000:  # the attachments cut after their first kilobytes are set aside all the same
        assert cut_set_aside > 0


def test_the_hidden_calendar_is_a_candidate_however_short_the_preview(corpus: tuple[Mailbox, config.Settings]) -> None:
    mailbox, settings = corpus
    screen = prescreen.PreviewLook(settings, rules.load_rules())
    uid = mailbox.uids_after("INBOX", 0)[-1]
    for body_bytes in (100, 3_000, 6_000, 9_000, scan.PREVIEW_BYTES):
        (preview,), = list(mailbox.previews([uid], body_bytes))
        structure = mailbox.structures([uid]).get(uid)
        assert screen.judge(preview, structure, rules.Context()).candidate, body_bytes


def test_a_message_over_the_time_budget_is_left_to_the_full_path(corpus: tuple[Mailbox, config.Settings]) -> None:
    mailbox, settings = corpus
    hurried = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, seconds=1e-6))
    screen = prescreen.PreviewLook(hurried, rules.load_rules())
    (batch,) = list(mailbox.previews(mailbox.uids_after("INBOX", 0)[:20], scan.PREVIEW_BYTES))
    verdicts = [screen.judge(p, None, rules.Context()) for p in batch]
    assert all(v.candidate for v in verdicts)
    assert {v.reason for v in verdicts} <= {"over the time budget", "structure unknown"}


def test_bodystructure_leaves_follow_the_message_order() -> None:
    data = [b'7 (UID 9 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "8bit" 12 1 NIL NIL NIL NIL)'
            b'("text" "html" ("charset" "utf-8") NIL NIL "8bit" 30 1 NIL NIL NIL NIL) "alternative" '
            b'("boundary" "a") NIL NIL NIL)("image" "png" ("name" "x.png") NIL NIL "base64" 900 NIL '
            b'("attachment" ("filename" "x.png")) NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL))']
    (items,) = list(imapsyntax.fetch_items(data))
    assert items[b"UID"] == 9
    found = imapsyntax.leaves(items[b"BODYSTRUCTURE"])
    assert [(leaf.section, leaf.content_type, leaf.disposition) for leaf in found] == [
        ("1.1", "text/plain", None), ("1.2", "text/html", None), ("2", "image/png", "attachment")]
    assert found[2].names == ("x.png", "x.png")
    assert imapsyntax.count_parts(items[b"BODYSTRUCTURE"]) == 5


def test_literals_inside_a_fetch_answer_are_strings() -> None:
    data = [(b'1 (UID 4 RFC822.SIZE 20 BODY[HEADER] {6}', b'A: b\r\n'), (b' BODY[TEXT]<0> {3}', b'x)y'), b')']
    (items,) = list(imapsyntax.fetch_items(data))
    assert items == {b"UID": 4, b"RFC822.SIZE": 20, b"BODY[HEADER]": b"A: b\r\n", b"BODY[TEXT]<0>": b"x)y"}


def table(path: Path, query: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return [tuple(row) for row in db.execute(query)]
    finally:
        db.close()


@pytest.mark.parametrize("read_every_message", [False, True], ids=["headers and structure", "every message"])
def test_two_thousand_messages_two_phases_same_records_full_fetches_are_the_candidates(
        env: Env, tmp_path: Path, read_every_message: bool) -> None:
    maildir, owner = mailgen.harness_maildir(env.server.workdir, env.server.user)
    # file names carry the arrival time: another second than the other run's (expunged) files,
    # which Dovecot's maildir index still knows by name
    end = NOW + timedelta(seconds=read_every_message)
    mailgen.fill_maildir(maildir, 0, 2_000, end=end, owner=owner)
    settings = settings_of(env)
    settings = dataclasses.replace(settings, scan=dataclasses.replace(settings.scan,
                                                                      read_every_message=read_every_message))
    rule_set = rules.load_rules(settings.rule_paths, settings.rules_disabled)
    paths = {"two-phase": tmp_path / "two.db", "one by one": tmp_path / "one.db"}
    for name, path in paths.items():
        store = Store(path)
        svc = Cycle(settings, store, rule_set)
        mailbox = open_mailbox(settings)
        try:
            mailbox.examine("INBOX")
            state = mailbox.status("INBOX")
            uids = mailbox.uids_after("INBOX", 0)
            assert len(uids) == 2_000
            report = CycleReport()
            if name == "two-phase":
                folder_scan = scan.FolderScan(svc, mailbox, "INBOX", state.uidvalidity, NOW, report)
                folder_scan.run(uids)
                stats = folder_scan.stats
                assert stats.previewed == 2_000
                assert mailbox.full_fetches == stats.candidates
                # the newsletters, alerts and notifications are set aside; personal mail to the user is read
                assert 0 < stats.candidates < 1_000, stats.reasons
                assert read_every_message or stats.reasons.get("personal mail to you"), stats.reasons
                # a backlog: a second process analysed some of the candidates (run/analyst.py), to the same records
                assert read_every_message or (svc.analyst is not None and svc.analyst.taken > 0)
            else:
                for uid, raw, flags in mailbox.fetch(uids):
                    svc.handle(FetchedMessage("INBOX", uid, raw, flags), state.uidvalidity, NOW, report)
            assert report.scanned == 2_000
        finally:
            if svc.analyst is not None:
                svc.analyst.stop()
            mailbox.close()
            store.close()
    messages = "SELECT uid, message_id, kind, interview_id FROM messages ORDER BY uid"
    interviews = ("SELECT id, status, company, position, recruiter_email, start, message_id, event_uid "
                  "FROM interviews ORDER BY id")
    two, one = paths["two-phase"], paths["one by one"]
    assert table(two, messages) == table(one, messages)
    assert table(two, interviews) == table(one, interviews)
    assert len(table(two, interviews)) >= 30
    assert table(two, "SELECT last_uid FROM folders") == table(one, "SELECT last_uid FROM folders")


def test_a_preview_is_whole_only_when_the_size_agrees_and_the_body_was_not_cut() -> None:
    assert Preview(1, 10, b"H: v\r\n\r\n", b"ab", asked=64).complete
    assert not Preview(1, 10, b"H: v\r\n\r\n", b"ab", asked=2).complete  # as long as asked: maybe cut
    assert not Preview(1, 11, b"H: v\r\n\r\n", b"ab", asked=64).complete


def test_a_large_scan_the_server_will_not_give_a_second_connection_reads_on_one(
        env: Env, caplog: pytest.LogCaptureFixture) -> None:
    maildir, owner = mailgen.harness_maildir(env.server.workdir, env.server.user)
    mailgen.fill_maildir(maildir, 0, scan.BULK_SCAN, end=NOW + timedelta(seconds=2), owner=owner)
    settings = settings_of(env)
    store = Store(env.home / "relance.db")
    mailbox = open_mailbox(settings)
    try:
        mailbox.examine("INBOX")
        state = mailbox.status("INBOX")
        uids = mailbox.uids_after("INBOX", 0)
        # the second connection sees another UIDVALIDITY than the scan's: it is given up, as a refused one is
        folder_scan = scan.FolderScan(Cycle(settings, store, rules.load_rules()), mailbox, "INBOX",
                                      state.uidvalidity + 1, NOW, CycleReport())
        with caplog.at_level("INFO", logger="daemon.mail.scan"):
            folder_scan.run(uids)
        assert any("reading on one connection" in r.getMessage() for r in caplog.records)
        assert folder_scan.stats.previewed == len(uids) == scan.BULK_SCAN
        assert mailbox.full_fetches == folder_scan.stats.candidates > 0
        assert len(table(env.home / "relance.db", "SELECT id FROM interviews")) >= 30
        assert all(other._box is None for other in mailbox._siblings)
    finally:
        mailbox.close()
        store.close()
