# SPDX-License-Identifier: MIT
"""What a later mail may fill in a record its first mail left short, and what it may not.

The messages go through the cycle's own handling of a message read whole (`Cycle.handle`: the analysis, `news`,
the records) on a real SQLite database; IMAP has no part in it (tests/test_lifecycle.py has the same over Dovecot).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from daemon import config
from daemon.followups.records import Interview, Store
from daemon.mail.imapdata import FetchedMessage
from daemon.model import CycleReport
from daemon.run.cycle import Cycle
from daemon.understand import rules

SETTINGS = config.parse({
    # she signs in with one address and writes from another
    "imap": {"host": "127.0.0.1", "username": "alice.martin@example.org"},
    "identity": {"name": "Alice Martin", "email": "alice@example.org", "phone": "+33 6 99 00 11 22"},
    "language": "en", "timezone": "Europe/Paris",
}, None)
RULES = rules.load_rules()
INVITATION_ID = "<inv-1@lumencraft.io>"


def mail(sender: str, subject: str, date: str, message_id: str, body: str, *, answers: str | None = None,
         to: str = "Alice Martin <alice@example.org>") -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"], message["Message-ID"] = date, message_id
    if answers:
        message["In-Reply-To"] = message["References"] = answers
    message.set_content(body)
    return message.as_bytes()


INVITATION = mail(
    "Nadia Ferrand <nadia@lumencraft.io>", "Next step", "Mon, 30 Nov 2026 09:30:00 +0100", INVITATION_ID,
    "Hello Alice,\n\nThank you for your application. Could we have a video call on Friday 11 December at 14:00 "
    "Paris time? https://meet.google.com/lmc-hbtq-wpa\n\nNadia\n")


class Mailbox:
    """A records database fed mail as the cycle would read it."""

    def __init__(self, directory: Path) -> None:
        self.store = Store(directory / "relance.db")
        self.cycle = Cycle(replace(SETTINGS, storage_path=directory / "relance.db"), self.store, RULES)
        self.uid = 0

    def arrives(self, raw: bytes, now: str) -> None:
        self.uid += 1
        self.cycle.handle(FetchedMessage("INBOX", self.uid, raw, ()), 1, datetime.fromisoformat(now), CycleReport())

    def record(self) -> Interview:
        (interview,) = self.store.interviews()
        return interview


@pytest.fixture
def box(tmp_path: Path) -> Mailbox:
    box = Mailbox(tmp_path)
    box.arrives(INVITATION, "2026-11-30T10:00:00+01:00")
    first = box.record()
    assert (first.position, first.recruiter_phone) == (None, None), "the invitation names no role and no phone"
    return box


def test_the_recruiters_next_mail_in_the_thread_fills_the_title_and_phone(box: Mailbox) -> None:
    box.arrives(mail("Nadia Ferrand <nadia@lumencraft.io>", "Re: Next step", "Tue, 1 Dec 2026 11:00:00 +0100",
                     "<inv-2@lumencraft.io>", "Hi Alice,\n\nPerfect, talk on Friday about the UX Researcher role."
                     "\n\nNadia Ferrand\nLumencraft\n+44 20 7946 0555\n", answers=INVITATION_ID),
                "2026-12-01T11:05:00+01:00")
    record = box.record()
    assert record.position == "UX Researcher"
    assert record.recruiter_phone is not None and record.recruiter_phone.replace(" ", "") == "+442079460555"
    assert record.recruiter_tz == "Europe/London"


def test_a_mail_from_the_company_outside_the_thread_fills_nothing(box: Mailbox) -> None:
    # the company's careers newsletter: tied to the interview by its domain, in no thread of it
    box.arrives(mail("Lumencraft Careers <careers@lumencraft.io>", "We're hiring: Senior Data Engineer",
                     "Tue, 1 Dec 2026 08:00:00 +0100", "<news-77@lumencraft.io>",
                     "Hi Alice,\n\nWe're hiring a Senior Data Engineer in Lisbon. Apply on our site.\n\n"
                     "Lumencraft Careers\nTel: +44 20 7946 0999\n"),
                "2026-12-01T08:05:00+01:00")
    record = box.record()
    assert (record.position, record.recruiter_phone, record.recruiter_tz) == (None, None, None)


def test_her_own_answer_from_the_address_she_signs_in_with_fills_nothing(box: Mailbox) -> None:
    box.arrives(mail("Alice Martin <alice.martin@example.org>", "Re: Next step", "Mon, 30 Nov 2026 18:00:00 +0100",
                     "<am-1@example.org>", "Hi Nadia,\n\nFriday at 14:00 is perfect. I look forward to talking about "
                     "the UX Researcher role.\n\nAlice Martin\n+33 6 99 00 11 22\n", answers=INVITATION_ID,
                     to="Nadia Ferrand <nadia@lumencraft.io>"),
                "2026-11-30T18:05:00+01:00")
    record = box.record()
    assert (record.position, record.recruiter_phone, record.reply_at) == (None, None, None)


def test_an_assistants_name_and_phone_are_not_the_recruiters(box: Mailbox) -> None:
    box.arrives(mail("Paul Verdier <paul.verdier@lumencraft.io>", "Re: Next step", "Tue, 1 Dec 2026 11:00:00 +0100",
                     "<pv-1@lumencraft.io>", "Hello Alice,\n\nI look after Nadia's diary: Friday 14:00 is confirmed."
                     "\n\nPaul Verdier\nOffice Manager\n+33 1 84 88 20 20\n", answers=INVITATION_ID),
                "2026-12-01T11:05:00+01:00")
    record = box.record()
    assert record.recruiter_email == "nadia@lumencraft.io"
    assert record.recruiter_phone is None
    assert record.recruiter_name in (None, "Nadia", "Nadia Ferrand")


def test_a_call_she_moved_in_her_calendar_stays_where_she_put_it(box: Mailbox) -> None:
    (call,) = [f for f in box.record().followups if f.kind == "call"]
    moved = datetime.fromisoformat("2026-12-21T10:00:00+01:00")
    with box.store.unit():
        box.store.move_by_user(call.id, moved, datetime.fromisoformat("2026-12-21T10:15:00+01:00"),
                               datetime.fromisoformat("2026-11-30T12:00:00+01:00"))
    box.arrives(mail("Nadia Ferrand <nadia@lumencraft.io>", "Re: Next step", "Tue, 1 Dec 2026 11:00:00 +0100",
                     "<inv-2@lumencraft.io>", "Hi Alice,\n\nSee you on Friday.\n\nNadia Ferrand\n+44 20 7946 0555\n",
                     answers=INVITATION_ID),
                "2026-12-01T11:05:00+01:00")
    record = box.record()
    (call,) = [f for f in record.followups if f.kind == "call"]
    assert call.due == moved
    assert record.recruiter_phone is not None, "the phone is still filled in"
