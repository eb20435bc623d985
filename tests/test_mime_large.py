# SPDX-License-Identifier: MIT
"""A large message is read without copying what no stage reads (issue 17): the parse cuts a large
attachment that is no calendar as it streams by, keeps a calendar whole whatever its name, and gives
the same text and calendar parts as a parse of everything. Memory figures are in bench/memory.py."""

from __future__ import annotations

import base64
import random
from email import message_from_bytes
from email.message import Message
from email.policy import compat32

from daemon.understand import mime, mimefeed

HEAD = (b"From: Claire <claire@initech.fr>\r\nTo: alice@example.org\r\nSubject: Entretien\r\n"
        b"Message-ID: <big@initech.fr>\r\nMIME-Version: 1.0\r\n")
TEXT = "Bonjour Alice, nous vous proposons un entretien le jeudi 26 novembre 2026 à 14h30.\r\n"
CALENDAR = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:big@initech.fr\r\n"
            b"DTSTART:20261126T133000Z\r\nDTEND:20261126T143000Z\r\nSUMMARY:Entretien\r\n"
            b"DESCRIPTION:" + b"x" * 2_000_000 + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def part(ctype: str, body: bytes, name: str) -> bytes:
    encoded = base64.encodebytes(body).replace(b"\n", b"\r\n")
    return (f'--b1\r\nContent-Type: {ctype}; name="{name}"\r\nContent-Disposition: attachment; filename="{name}"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n").encode() + encoded


def message(*attachments: bytes) -> bytes:
    return (HEAD + b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + TEXT.encode() + b"\r\n" + b"".join(attachments) + b"--b1--\r\n")


def leaf_named(root: Message, name: str) -> Message:
    return next(p for p in root.walk() if p.get_filename() == name)


def test_a_large_attachment_that_is_no_calendar_is_cut_as_it_is_parsed_and_never_decoded_whole() -> None:
    pdf = random.Random(1).randbytes(3_000_000)
    raw = message(part("application/pdf", pdf, "cv.pdf"))
    root, cut = mimefeed.parse_bytes(raw, mime.body_kept, mime.wanted_whole)
    kept = leaf_named(root, "cv.pdf")
    assert cut == [kept]
    assert len(kept.get_payload().strip()) <= mime.SNIFF_CHARS, "only what says it is no calendar is kept"
    parsed = mime.parse(raw)
    assert parsed.calendars == () and parsed.text == TEXT.strip()


def test_a_large_calendar_is_kept_whole_under_any_name() -> None:
    raw = message(part("application/octet-stream", CALENDAR, "invite.bin"), part("text/calendar", CALENDAR, "a.ics"))
    assert mimefeed.parse_bytes(raw, mime.body_kept, mime.wanted_whole)[1] == []
    assert mime.parse(raw).calendars == (CALENDAR, CALENDAR)


def test_a_long_text_body_gives_what_a_parse_of_everything_gives() -> None:
    body = ("Veuillez trouver le détail du poste, présenté à l'entretien. " * 2 + "\r\n") * 60_000
    raw = HEAD + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body.encode()
    root, cut = mimefeed.parse_bytes(raw, mime.body_kept, mime.wanted_whole)
    assert cut == [root] and len(root.get_payload(decode=True)) < len(raw) // 2
    whole = message_from_bytes(raw, policy=compat32).get_payload(decode=True).decode("utf-8")
    assert mime.parse(raw).text == whole.strip()[:mime.TEXT_LIMIT].replace("\r\n", "\n")
