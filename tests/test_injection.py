# SPDX-License-Identifier: MIT
"""Injection: line breaks, NUL and Unicode separators from a mail (raw, or as encoded words that
decode to them) in the recruiter's name, the company, the subject and the position never become a
header of a draft nor a property of the calendar; template text shows literally; an address that
does not parse gets no draft, and the record says why.

Every draft is read back from the Drafts folder and the calendar from its file, with two parsers
each, and the exact set of headers and properties is asserted."""

from __future__ import annotations

import base64
import email
import email.policy
import re

import icalendar
import pytest

from tests.conftest import Env
from tests.hostile import RECRUITER, SCAN_AT, THANK_YOU_AT, deliver, invitation

# What would start a new header or a new content line somewhere, if it got through.
BREAKS = {"lf": "\n", "cr": "\r", "crlf": "\r\n", "nul": "\x00", "u2028": "\u2028", "u2029": "\u2029", "nel": "\x85",
          "vt": "\x0b", "ff": "\x0c"}
HEADER_BAIT = "Bcc: evil@evil.example"
PROPERTY_BAIT = "ATTENDEE:mailto:evil@evil.example"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

DRAFT_HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version",
                 "Content-Type"]
PART_HEADERS = ["Content-Type", "Content-Transfer-Encoding"]
EVENT_PROPERTIES = {"SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "SEQUENCE", "DESCRIPTION", "STATUS", "TRANSP"}
# the debrief carries the interview's place; every message below has one
DEBRIEF_PROPERTIES = EVENT_PROPERTIES | {"LOCATION"}
ALARM_PROPERTIES = {"ACTION", "DESCRIPTION", "TRIGGER"}
CALENDAR_PROPERTIES = {"VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "REFRESH-INTERVAL",
                       "X-PUBLISHED-TTL"}


def q_word(text: str) -> bytes:
    """Q-encoded with every special encoded, as RFC 2047 wants in a phrase: only a name can come of it."""
    return b"=?utf-8?q?" + b"".join(b"%c" % c if chr(c).isalnum() else b"=%02X" % c for c in text.encode()) + b"?="


def b_word(text: str) -> bytes:
    return b"=?utf-8?b?" + base64.b64encode(text.encode()) + b"?="


def header_forms(bait: str) -> dict[str, bytes]:
    """The bait after each break, raw in the header bytes (where a header can hold it) or encoded."""
    forms = {}
    for name, brk in BREAKS.items():
        if brk not in ("\n", "\r\n"):  # a raw LF would end the header: that is the sender's own header, not ours
            forms[f"raw-{name}"] = f"Sophie{brk}{bait}".encode()
        forms[f"q-{name}"] = q_word(f"Sophie{brk}{bait}")
        forms[f"b-{name}"] = b_word(f"Sophie{brk}{bait}")
    return forms


def ical_text(value: str) -> bytes:
    """value as an iCalendar TEXT, escaped the way a sender would: a line break as \\n."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n") \
        .replace("\n", "\\n").encode("utf-8")


def with_calendar(message_id: str, uid: str, summary: bytes, location: bytes, organizer_name: bytes,
                  position: str = "Contrôleur de gestion") -> bytes:
    """An invitation with a calendar part whose SUMMARY ("Entretien - position - company"),
    LOCATION and organizer's name are given; its text names ``position``."""
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:"
           + uid.encode() + b"\r\nSUMMARY:" + summary + b"\r\nLOCATION:" + location
           + b"\r\nDTSTART;TZID=Europe/Paris:20261203T143000\r\nDTEND;TZID=Europe/Paris:20261203T153000\r\n"
           + b"ORGANIZER;CN=\"" + organizer_name + b"\":mailto:" + RECRUITER.encode()
           + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    text = invitation(message_id, position=position).split(b"\r\n\r\n", 1)[1]
    body = (b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + b"\r\n--b\r\n"
            + b"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n" + ics + b"--b--\r\n")
    single = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit"
    return invitation(message_id, body=body).replace(single, b'Content-Type: multipart/mixed; boundary="b"')


def hostile_invitations() -> dict[str, bytes]:
    """One invitation per (field, channel, break): each would add a Bcc or an ATTENDEE if it got through."""
    mails = {}
    for form, value in header_forms(HEADER_BAIT).items():
        mails[f"name-{form}"] = invitation(f"<name-{form}@hexa-conseil.fr>", sender=value + f" <{RECRUITER}>".encode())
        # "Entretien" first, as a real invitation's subject would say: the scan reads it whole
        mails[f"subject-{form}"] = invitation(f"<subject-{form}@hexa-conseil.fr>", subject=b"Entretien : " + value)
    for name, brk in BREAKS.items():
        bait = f"{brk}{PROPERTY_BAIT}"
        raw_bait = bait.encode("utf-8")
        mails[f"calendar-{name}"] = with_calendar(
            f"<calendar-{name}@hexa-conseil.fr>", f"injection-{name}",
            summary=b"Entretien - " + ical_text(f"Analyste{bait}") + b" - " + ical_text(f"Hexa{bait}"),
            location=ical_text(f"5 rue de la Paix{bait}"), organizer_name=f"Sophie{HEADER_BAIT}".encode())
        if brk not in ("\n", "\r\n", "\r"):  # raw bytes that do not end the calendar's own line
            mails[f"calendar-raw-{name}"] = with_calendar(
                f"<calendar-raw-{name}@hexa-conseil.fr>", f"injection-raw-{name}",
                summary=b"Entretien - Analyste" + raw_bait + b" - Hexa" + raw_bait,
                location=b"5 rue de la Paix" + raw_bait, organizer_name=b"Sophie" + brk.encode() + b"Bcc")
        # in the signature, and on a line of its own after the date, where extraction looks for them
        text = invitation("<x@x>", company=f"Hexa Conseil{bait}").split(b"\r\n\r\n", 1)[1]
        mails[f"body-{name}"] = invitation(f"<body-{name}@hexa-conseil.fr>",
                                           body=text + f"\r\nPoste : Analyste{bait}\r\n".encode())
    return mails


def assert_line_ends_are_crlf(raw: bytes, what: str) -> None:
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n|\x00", raw), what


def assert_draft_well_formed(raw: bytes) -> email.message.EmailMessage:
    assert_line_ends_are_crlf(raw, "draft")
    strict = email.message_from_bytes(raw, policy=email.policy.default)
    legacy = email.message_from_bytes(raw)
    for msg in (strict, legacy):
        assert [h.lower() for h in msg] == [h.lower() for h in DRAFT_HEADERS], msg.keys()
        for part in msg.walk():
            if part is not msg:
                assert part.keys() == PART_HEADERS, part.keys()
    assert isinstance(strict, email.message.EmailMessage)
    for name, value in strict.items():
        assert not CONTROL.search(str(value)), (name, value)
    assert len(strict["To"].addresses) == 1
    return strict


def content_lines(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def assert_calendar_well_formed(ics: bytes) -> None:
    assert_line_ends_are_crlf(ics, "calendar")
    names = {re.split("[;:]", line, maxsplit=1)[0] for line in content_lines(ics) if line}
    assert "ATTENDEE" not in names and not [n for n in names if not re.fullmatch(r"[A-Z][A-Z0-9-]*", n)], names
    calendar = icalendar.Calendar.from_ical(ics)
    assert set(calendar.keys()) == CALENDAR_PROPERTIES
    for event in calendar.walk("VEVENT"):
        kind = str(event["UID"]).split("-")[2].split("@")[0]
        expected = DEBRIEF_PROPERTIES if kind == "debrief" else EVENT_PROPERTIES
        assert set(event.keys()) == expected, (kind, event.keys())
        for alarm in event.walk("VALARM"):
            assert set(alarm.keys()) == ALARM_PROPERTIES
        for name in ("SUMMARY", "LOCATION"):
            assert not CONTROL.search(str(event.get(name, ""))), (name, event.get(name))
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", str(event["DESCRIPTION"]))


@pytest.fixture
def injected(env: Env) -> tuple[Env, dict[str, bytes]]:
    mails = hostile_invitations()
    for raw in mails.values():
        deliver(env, raw)
    env.run_at(SCAN_AT)
    env.run_at(THANK_YOU_AT)
    return env, mails


def test_no_break_from_a_mail_becomes_a_header_of_a_draft(injected: tuple[Env, dict[str, bytes]]) -> None:
    env, mails = injected
    drafts = [assert_draft_well_formed(raw) for _uid, _flags, raw in env.server.messages("Drafts")]
    to = {d["In-Reply-To"].strip("<>").split("@")[0]: d["To"].addresses[0].addr_spec for d in drafts}
    # a lone CR ends the From line for the parser, so that From has no address left: no draft, the record says why
    assert set(to) == set(mails) - {"name-raw-cr"}
    [no_address] = [r for r in env.records("--all") if r["source"]["message_id"] == "<name-raw-cr@hexa-conseil.fr>"]
    [thank_you] = [f for f in no_address["followups"] if f["kind"] == "thank_you"]
    assert thank_you["state"] == "blocked" and thank_you["reason"].startswith("no recruiter address; ")
    # A raw break inside a From header is the sender's own garbage: the address it yields is theirs to
    # choose, as with any From. Encoded, a break is part of a name and the address stays the recruiter's.
    assert {name: a for name, a in to.items() if a != RECRUITER and not name.startswith("name-raw-")} == {}


def test_no_break_from_a_mail_becomes_a_property_of_the_calendar(injected: tuple[Env, dict[str, bytes]]) -> None:
    env, mails = injected
    assert_calendar_well_formed(env.calendar_path.read_bytes())
    calendar = icalendar.Calendar.from_ical(env.calendar_path.read_bytes())
    blocked = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Remerciement bloqué")]
    assert len(blocked) == 1, "the thank-you of name-raw-cr waits for an address, and says so"
    assert len(calendar.walk("VEVENT")) == 2 * len(mails) + 1, "a debrief and a call each"


def test_the_records_keep_one_line_fields(injected: tuple[Env, dict[str, bytes]]) -> None:
    env, _mails = injected
    for record in env.records("--all"):
        for value in (record["company"], record["position"], record["recruiter"]["name"],
                      record["source"]["subject"], record["interview"]["location"]):
            assert value is None or not CONTROL.search(value), record


def test_template_text_from_a_mail_shows_literally(env: Env) -> None:
    # compiled, the first would print the template's configuration and the second would not compile at all
    summary = b"Entretien - Analyste {{ config }}{% x %} - Hexa Conseil"
    # the text names the same position: where the text and the summary disagree, the text's sentence wins
    deliver(env, with_calendar("<template@hexa-conseil.fr>", "template-1", summary=summary,
                               location=b"{{ config }}", organizer_name=b"{{ self.__init__ }}",
                               position="Analyste {{ config }}{% x %}"))
    env.run_at(SCAN_AT)
    env.run_at(THANK_YOU_AT)

    [(_uid, _flags, raw)] = env.server.messages("Drafts")
    draft = assert_draft_well_formed(raw)
    plain = draft.get_body(preferencelist=("plain",)).get_content()
    html = draft.get_body(preferencelist=("html",)).get_content()
    literal = "Analyste {{ config }}{% x %}"
    assert literal in draft["Subject"]
    assert literal in plain and literal in html
    assert "Config" not in plain and "Analyste {}" not in plain
    calendar = env.calendar_path.read_text(encoding="utf-8")
    assert "{{ config }}" in calendar.replace("\r\n ", "")


@pytest.mark.parametrize("address", ["s.morel@hexa_conseil.fr", "s..morel@hexa-conseil.fr",
                                     "s.morel@hexa-conseil", "s.morel.@hexa-conseil.fr"])
def test_an_address_that_does_not_parse_gets_no_draft_and_the_record_says_why(env: Env, address: str) -> None:
    deliver(env, invitation("<bad-address@hexa-conseil.fr>", sender=f"Sophie Morel <{address}>".encode()))
    env.run_at(SCAN_AT)
    env.run_at(THANK_YOU_AT)

    assert env.server.messages("Drafts") == []
    [record] = env.records("--all")
    assert record["recruiter"]["email"] == address
    [thank_you] = [f for f in record["followups"] if f["kind"] == "thank_you"]
    assert thank_you["state"] == "blocked"
    assert thank_you["reason"].startswith("recruiter address does not parse: ")
    assert thank_you["reason"].endswith("`relance set 1 recruiter_email=ADDRESS` and it is drafted")
