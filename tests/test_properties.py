# SPDX-License-Identifier: MIT
"""Random messages and calendar parts through classification and extraction (analysis.analyse):
nothing escapes but a skip with its reason, and what comes out is well-formed — aware datetimes,
addresses that read back as themselves, no control characters in any one-line field."""

from __future__ import annotations

import base64
import email.utils
import quopri
import re
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daemon import config
from daemon.model import CalendarEvent
from daemon.understand import analysis as service
from daemon.understand import mime, rules

SETTINGS = config.parse({
    "imap": {"host": "127.0.0.1", "username": "alice@example.org", "security": "plain"},
    "identity": {"name": "Alice Martin", "email": "alice@example.org"},
    "language": "fr", "timezone": "Europe/Paris", "storage": {"path": "/nonexistent/relance.db"},
}, None)
RULES = rules.load_rules()
NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- pieces of mail, the usual and the broken side by side

NASTY = ["\r", "\n", "\r\n", "\x00", "\u2028", "\u2029", "\x85", "\x0b", "\x1b[2J", "\t", "\ufeff", "\u202e"]
WORDS = ["Entretien", "entretien", "interview", "Convocation", "poste de", "Analyste", "chez", "Acme", "le",
         "jeudi 3 décembre", "à 14h30", "10:00", "2026-12-03", "rue de la Paix", "+33 1 23 45 67 89", "Madame",
         "Claire Dubois", "claire@acme.fr", "<x@y>", "{{ 7*7 }}", "{% raw %}", '"', "(", ")", "<", ">", ",", ":",
         ";", "@", "=?", "?=", "\\", "é", "🎂", "ATTENDEE:mailto:evil@evil.example", "Bcc: evil@evil.example",
         "nous avons le plaisir de vous convier à un entretien", "We would like to invite you to an interview",
         "pour le poste de", "le jeudi 3 décembre 2026 à 14h30", "on Thursday 3 December at 2:30pm"]
text = st.lists(st.sampled_from(WORDS + NASTY) | st.text(max_size=12), max_size=25).map(" ".join)
CHARSETS = ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "utf-16", "utf-7", "x-klingon", "base64", "rot13",
            "idna", "", "utf-8; format=flowed", "\"utf-8"]
ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "x-gzip64", ""]


@st.composite
def encoded_word(draw: st.DrawFn) -> bytes:
    """An RFC 2047 word, well formed or not, over any text (line breaks and NUL included)."""
    payload = draw(text).encode("utf-8", "surrogatepass")
    charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "x-klingon", "UTF-8*fr"])).encode()
    if draw(st.booleans()):
        return b"=?" + charset + b"?b?" + base64.b64encode(payload) + b"?="
    return b"=?" + charset + b"?q?" + quopri.encodestring(payload, header=True).replace(b"\n", b"") + b"?="


@st.composite
def header_value(draw: st.DrawFn) -> bytes:
    """Raw header bytes: text, encoded words, stray 8-bit, never a line break (that would end the header)."""
    pieces = draw(st.lists(text.map(lambda t: t.encode("utf-8", "surrogatepass")) | encoded_word()
                           | st.binary(max_size=8), max_size=6))
    return re.sub(rb"[\r\n]", b" ", b" ".join(pieces))


@st.composite
def address_header(draw: st.DrawFn) -> bytes:
    name = draw(header_value())
    addr = draw(st.sampled_from([b"claire@acme.fr", b"claire.dubois@acme-finance.fr", b"x", b"a@b@c", b"",
                                 b"no-reply@greenhouse.io", b"\"a b\"@x.fr", b"claire@acme_fr", b"\xc3\xa9@x.fr"]))
    form = draw(st.sampled_from([b"%s <%s>", b"\"%s\" <%s>", b"%s", b"%s, %s", b"(%s) %s"]))
    return form.replace(b"%s", name, 1).replace(b"%s", addr, 1)


VTIMEZONE = ("BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
             "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
             "END:STANDARD\r\nEND:VTIMEZONE\r\n")
BROKEN_VTIMEZONE = "BEGIN:VTIMEZONE\r\nTZID:Broken\r\nBEGIN:STANDARD\r\nDTSTART:x\r\nEND:VTIMEZONE\r\n"


@st.composite
def calendar_part(draw: st.DrawFn) -> bytes:
    """A VCALENDAR with random properties: valid dates, garbage, unknown zones, missing pieces."""
    dates = st.sampled_from(["20261203T143000", "20261203T143000Z", "20261203", "2026-12-03T14:30", "garbage", "",
                             "99999999T999999", "20260229T120000", "19000101T000000"])
    zones = st.sampled_from(["Europe/Paris", "Romance Standard Time", "Mars/Olympus_Mons", "", "UTC", "(UTC+01:00)"])
    lines = []
    if draw(st.booleans()):  # what an invitation has, each piece of it broken or not
        lines += [f"UID:{draw(text)}", f"DTSTART;TZID={draw(zones)}:{draw(dates)}", f"SUMMARY:Entretien - {draw(text)}",
                  f"ORGANIZER;CN={draw(text)}:mailto:{draw(st.sampled_from(['claire@acme.fr', 'a b@c', 'x']))}"]
    for _ in range(draw(st.integers(0, 8))):
        name = draw(st.sampled_from(["DTSTART", "DTEND", "DURATION", "UID", "SUMMARY", "LOCATION", "ORGANIZER",
                                     "SEQUENCE", "DTSTAMP", "URL", "STATUS", "DESCRIPTION", "RRULE", "X-WR-TIMEZONE"]))
        if name in ("DTSTART", "DTEND", "DTSTAMP"):
            zone = draw(zones)
            lines.append(f"{name}{';TZID=' + zone if zone else ''}:{draw(dates)}")
        elif name == "ORGANIZER":
            lines.append(f"ORGANIZER;CN={draw(text)}:mailto:{draw(st.sampled_from(['a@b.fr', 'x', 'a b@c', '']))}")
        else:
            lines.append(f"{name}:{draw(text)}")
    timezone = draw(st.sampled_from(["", VTIMEZONE, BROKEN_VTIMEZONE]))
    method = draw(st.sampled_from(["REQUEST", "CANCEL", "PUBLISH", "", "\x00"]))
    body = "\r\n".join(lines)
    ics = (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:{method}\r\n{timezone}BEGIN:VEVENT\r\n{body}\r\n"
           f"END:VEVENT\r\nEND:VCALENDAR\r\n")
    if draw(st.booleans()):  # cut anywhere
        ics = ics[: draw(st.integers(0, len(ics)))]
    return ics.encode("utf-8", "surrogatepass")


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    ctype = draw(st.sampled_from(["text/plain", "text/html", "text/calendar", "application/ics",
                                  "application/octet-stream", "image/png", "message/rfc822", "text/x-unknown"]))
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from(ENCODINGS))
    calendar_inside = ctype in ("text/calendar", "application/ics") or \
        (ctype == "application/octet-stream" and draw(st.booleans()))
    anything = st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200))
    payload = draw(calendar_part()) if calendar_inside else draw(anything)
    if encoding == "base64" and draw(st.booleans()):
        payload = base64.encodebytes(payload)
    elif encoding == "quoted-printable" and draw(st.booleans()):
        payload = quopri.encodestring(payload)
    head = f"Content-Type: {ctype}" + (f"; charset={charset}" if charset else "") + "\r\n"
    if encoding:
        head += f"Content-Transfer-Encoding: {encoding}\r\n"
    if draw(st.booleans()):
        head += "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
    return head.encode() + b"\r\n" + payload


@st.composite
def message(draw: st.DrawFn) -> bytes:
    headers = [b"From: " + draw(address_header()), b"To: " + draw(address_header()),
               b"Subject: " + draw(header_value())]
    optional = {b"Reply-To": address_header(), b"Cc": address_header(), b"Message-ID": header_value(),
                b"In-Reply-To": header_value(), b"References": header_value(),
                b"Date": st.sampled_from([b"Mon, 30 Nov 2026 11:47:05 +0100", b"garbage", b"Mon, 99 Foo 2026",
                                          b"Sat, 1 Jan 0000 00:00:00 +9999", b"30 Nov 2026 11:47 GMT"])}
    for name, strategy in optional.items():
        if draw(st.booleans()):
            headers.append(name + b": " + draw(strategy))
    parts = draw(st.lists(leaf(), min_size=1, max_size=4))
    if len(parts) == 1 and draw(st.booleans()):
        structure = parts[0]
    else:
        boundary = draw(st.sampled_from([b"b1", b"", b"--", b"b1\"; x"]))
        closed = draw(st.booleans())
        structure = (b"Content-Type: multipart/" + draw(st.sampled_from([b"mixed", b"alternative", b"x"]))
                     + b'; boundary="' + boundary + b'"\r\n\r\n'
                     + b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
                     + (b"--" + boundary + b"--\r\n" if closed else b""))
    return b"\r\n".join(headers) + b"\r\nMIME-Version: 1.0\r\n" + structure


# --- what well-formed means


def assert_one_line(value: str | None, what: str) -> None:
    assert value is None or not CONTROL.search(value), (what, value)


def assert_aware(value: datetime | None, what: str) -> None:
    assert value is None or (value.tzinfo is not None and value.utcoffset() is not None), (what, value)


def assert_reads_back(address: str | None, what: str) -> None:
    if address is None:
        return
    assert address.count("@") == 1 and not re.search(r"\s", address) and not CONTROL.search(address), (what, address)
    assert email.utils.getaddresses([address]) == [("", address)], (what, address)


def assert_event_well_formed(event: CalendarEvent) -> None:
    for what in ("start", "end", "dtstamp"):
        assert_aware(getattr(event, what), f"event.{what}")
    assert_reads_back(event.organizer_email, "event.organizer_email")
    assert event.sequence >= 0


def assert_well_formed(analysis: service.Analysis) -> None:
    msg, facts = analysis.message, analysis.facts
    for what in ("subject", "from_name", "message_id", "in_reply_to"):
        assert_one_line(getattr(msg, what), f"message.{what}")
    for name, value in msg.headers:
        assert_one_line(name, "header name")
        assert_one_line(value, f"header {name}")
    for address in (msg.from_email, *msg.to, *msg.cc, *msg.reply_to):
        assert_reads_back(address, "message address")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", msg.text), "body: only LF may break a line"
    assert_aware(msg.date, "message.date")
    for event in analysis.events:
        assert_event_well_formed(event)
    for what in ("company", "position", "location", "url", "language"):
        assert_one_line(getattr(facts, what), f"facts.{what}")
    assert_one_line(facts.recruiter.name, "recruiter.name")
    assert_one_line(facts.recruiter.phone, "recruiter.phone")
    assert_reads_back(facts.recruiter.email, "recruiter.email")
    for when in (facts.start, facts.end, *facts.candidates):
        assert_aware(when, "interview time")
    assert analysis.classification.kind in ("invitation", "possible_invitation", "update", "cancellation", "rejection",
                                           "reply", "none")


def analyse(raw: bytes) -> service.Analysis | None:
    """What the daemon makes of raw, or None when it is skipped (the only exception allowed)."""
    try:
        return service.analyse(raw, SETTINGS, RULES, now=NOW)
    except mime.MessageSkipped:
        return None


@EXAMPLES
@given(message())
def test_random_messages_are_classified_and_extracted_into_well_formed_fields(raw: bytes) -> None:
    analysis = analyse(raw)
    if analysis is not None:
        assert_well_formed(analysis)


@EXAMPLES
@given(calendar_part(), st.sampled_from([b"text/calendar; method=REQUEST", b"application/ics",
                                          b"application/octet-stream; name=invite.ics"]))
def test_random_calendar_parts_give_well_formed_events(ics: bytes, ctype: bytes) -> None:
    raw = (b"From: Claire Dubois <claire@acme.fr>\r\nTo: alice@example.org\r\nSubject: Entretien\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nInvitation\r\n--b\r\nContent-Type: " + ctype + b"\r\n\r\n" + ics
           + b"\r\n--b--\r\n")
    analysis = analyse(raw)
    assert analysis is not None
    assert_well_formed(analysis)


@EXAMPLES
@given(st.binary(max_size=2000))
def test_any_bytes_at_all_are_read_or_skipped(raw: bytes) -> None:
    analysis = analyse(raw)
    if analysis is not None:
        assert_well_formed(analysis)
