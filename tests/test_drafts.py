# SPDX-License-Identifier: MIT
from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import os
import re
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from daemon.followups.drafts import (
    DraftContext,
    DraftError,
    draft_message_id,
    forget_templates,
    load_templates,
    render_call_script,
    render_thank_you,
    shipped_templates_dir,
)

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 12, 1, 14, 30, tzinfo=PARIS)  # a Tuesday
NEXT_MORNING = datetime(2026, 12, 2, 9, 0, tzinfo=PARIS)
MSGID = "<relance.thank_you.0123456789abcdef@example.org>"
THREADED = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type"]
UNTHREADED = [h for h in THREADED if h not in ("In-Reply-To", "References")]


def make_ctx(**changes: Any) -> DraftContext:
    ctx = DraftContext(
        language="fr",
        sender_name="Alice Martin",
        sender_email="alice@example.org",
        sender_phone="+33 6 12 34 56 78",
        key_skills=("modélisation financière", "SQL", "Power BI"),
        recruiter_name="Claire Dubois",
        recruiter_title="Madame",
        recruiter_email="claire.dubois@acme.fr",
        company="Acmé Finance",
        position="Analyste financier",
        interview_start=START,
        now=NEXT_MORNING,
        source_message_id="<invitation-1@acme.fr>",
        source_references=("<root@acme.fr>",),
        source_subject="Convocation à un entretien",
    )
    return dataclasses.replace(ctx, **changes)


def make_en(**changes: Any) -> DraftContext:
    base = {
        "language": "en",
        "recruiter_title": "Ms",
        "position": "Data Engineer",
        "company": "Initech",
        "key_skills": ("Python", "Airflow", "SQL"),
    }
    return make_ctx(**{**base, **changes})


def reparse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def body(msg: EmailMessage, subtype: str) -> str:
    part = msg.get_body((subtype,))
    assert part is not None
    # The wire form has CRLF line ends; compare text as written in templates.
    return str(part.get_content()).replace("\r\n", "\n")


def plain(msg: EmailMessage) -> str:
    return body(msg, "plain")


def html(msg: EmailMessage) -> str:
    return body(msg, "html")


def raw_header_names(raw: bytes) -> list[str]:
    """Header names as a mail client splits the raw top-level header block."""
    block = raw.split(b"\r\n\r\n", 1)[0]
    names = []
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            continue
        match = re.match(rb"([!-9;-~]+):", line)
        assert match, f"not a header line: {line!r}"
        names.append(match.group(1).decode("ascii"))
    return names


def render(ctx: DraftContext, **kwargs: Any) -> EmailMessage:
    return reparse(render_thank_you(ctx, message_id=MSGID, **kwargs))


# Headers and MIME


@pytest.mark.parametrize("ctx", [make_ctx(), make_en()], ids=["fr", "en"])
def test_exact_header_set_and_values(ctx: DraftContext) -> None:
    msg = render(ctx)
    assert list(msg.keys()) == THREADED
    assert str(msg["From"]) == "Alice Martin <alice@example.org>"
    to = msg["To"].addresses
    assert len(to) == 1
    assert (to[0].display_name, to[0].addr_spec) == ("Claire Dubois", "claire.dubois@acme.fr")
    assert msg["Message-ID"] == MSGID
    assert msg["In-Reply-To"] == "<invitation-1@acme.fr>"
    assert msg["References"].split() == ["<root@acme.fr>", "<invitation-1@acme.fr>"]
    assert parsedate_to_datetime(msg["Date"]) == NEXT_MORNING
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert "MIME-Version" not in part


def test_subjects() -> None:
    assert render(make_ctx())["Subject"] == "Merci pour notre entretien – Analyste financier"
    assert render(make_en())["Subject"] == "Thank you – Data Engineer interview"
    assert render(make_ctx(position=None))["Subject"] == "Merci pour notre entretien – Acmé Finance"
    assert render(make_en(position=None, company=None))["Subject"] == "Thank you for the interview"


def test_raw_message_is_7bit_with_crlf_and_encoded_accents() -> None:
    raw = render_thank_you(make_ctx(), message_id=MSGID).as_bytes()
    raw.decode("ascii")  # no raw 8-bit anywhere: headers are RFC 2047, bodies QP
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in head  # the en dash of the subject, encoded
    assert raw_header_names(raw) == THREADED
    assert b"consacr=C3=A9" in raw  # UTF-8 é, quoted-printable


def test_accents_intact_once_decoded() -> None:
    msg = render(make_ctx())
    text, page = plain(msg), html(msg)
    for words in ("Acmé Finance", "modélisation financière", "intérêt", "à votre disposition"):
        assert words in text
        assert words in page
    assert "–" in msg["Subject"]


def test_french_body_follows_the_advice() -> None:
    text = plain(render(make_ctx(new_facts=("J'ai obtenu la certification AMF.",))))
    assert text.startswith("Bonjour Madame Dubois,\n")
    assert "notre entretien de mardi et pour" in text
    assert "le poste d'Analyste financier chez Acmé Finance" in text
    assert "modélisation financière, SQL et Power BI" in text
    assert "J'ai obtenu la certification AMF." in text
    assert text.rstrip().endswith("Alice Martin\n+33 6 12 34 56 78")


def test_english_body_follows_the_advice() -> None:
    text = plain(render(make_en()))
    assert text.startswith("Dear Ms Dubois,\n")
    assert "meeting with me on Tuesday and" in text
    assert "the Data Engineer position at Initech" in text
    assert "Python, Airflow, and SQL" in text
    assert text.rstrip().endswith("Kind regards,\n\nAlice Martin\n+33 6 12 34 56 78")


# Dates in words


def test_the_day_is_named_so_that_it_stays_true_when_the_draft_is_sent_later() -> None:
    """Never "hier"/"yesterday": a draft made on Wednesday may be sent on Friday."""
    for now in (NEXT_MORNING, START + timedelta(days=3), START + timedelta(days=6)):
        fr, en = plain(render(make_ctx(now=now))), plain(render(make_en(now=now)))
        assert "notre entretien de mardi et" in fr and "hier" not in fr
        assert "meeting with me on Tuesday and" in en and "yesterday" not in en
        assert "<p>\nThank you for meeting with me on Tuesday and" in html(render(make_en(now=now)))


def test_later_day_is_a_date_in_words() -> None:
    later = START + timedelta(days=2)
    fr = plain(render(make_ctx(now=later)))
    en = plain(render(make_en(now=later)))
    assert "notre entretien de mardi" in fr
    assert "hier" not in fr
    assert "on Tuesday and" in en
    week_later = START + timedelta(days=7)
    assert "notre entretien du mardi 1er décembre" in plain(render(make_ctx(now=week_later)))
    assert "on Tuesday 1 December" in plain(render(make_en(now=week_later)))
    assert "yesterday" not in en


def test_year_is_given_when_it_differs() -> None:
    start = datetime(2026, 12, 31, 16, 0, tzinfo=PARIS)
    text = plain(render(make_ctx(interview_start=start, now=start + timedelta(days=8))))
    assert "jeudi 31 décembre 2026" in text


def test_the_week_is_judged_in_the_interview_zone() -> None:
    # 00:30 in Paris on the 8th is still the 7th in UTC: seven days after, so the date, not "mardi"
    now = datetime(2026, 12, 7, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert "notre entretien du mardi 1er décembre" in plain(render(make_ctx(now=now)))


# Greetings and missing values


@pytest.mark.parametrize(
    ("language", "name", "title", "greeting"),
    [
        ("fr", "Claire Dubois", "Madame", "Bonjour Madame Dubois,"),
        ("fr", "Jean Martin", "Monsieur", "Bonjour Monsieur Martin,"),
        ("fr", "Claire Dubois", None, "Bonjour Claire Dubois,"),
        ("fr", "Sarah Connor", "Madame", "Bonjour Madame Connor,"),
        ("fr", "Sarah", None, "Bonjour,"),
        ("fr", "Dubois, Claire", None, "Bonjour Claire Dubois,"),
        ("fr", "Anne-Sophie LEFÈVRE", None, "Bonjour Anne-Sophie Lefèvre,"),
        ("fr", "Anne-Sophie LEFÈVRE", "Mme", "Bonjour Madame Lefèvre,"),
        ("fr", None, "Madame", "Bonjour Madame,"),
        ("fr", None, None, "Bonjour,"),
        ("fr", "Marie de La Fontaine", "Mme", "Bonjour Madame de La Fontaine,"),
        ("fr", "DUBOIS Claire", "Madame", "Bonjour Madame Dubois,"),
        ("en", "Claire Dubois", "Ms", "Dear Ms Dubois,"),
        ("en", "Claire Dubois", "Madame", "Dear Ms Dubois,"),
        ("en", "John Smith", "Mr", "Dear Mr Smith,"),
        ("en", "Claire Dubois", None, "Dear Claire,"),
        ("en", "Sarah Connor", "Ms", "Dear Ms Connor,"),
        ("en", "Sarah Connor", None, "Dear Sarah,"),
        ("en", "Sarah", None, "Dear Sarah,"),
        ("en", "Claire Dubois", "Dr", "Dear Claire,"),
        ("en", "Dubois, Claire", None, "Dear Claire,"),
        ("en", "Marie de La Fontaine", None, "Dear Marie,"),
        ("en", None, "Mr", "Dear Sir,"),
        ("en", None, None, "Hello,"),
        ("en", "claire.dubois@acme.fr", None, "Hello,"),
        ("en", "  ", "Ms", "Dear Madam,"),
        ("fr", "Mme Claire Dubois", None, "Bonjour Madame Dubois,"),
        ("en", "M. Jean Martin", None, "Dear Mr Martin,"),
        ("en", "CLAIRE DUBOIS", None, "Dear Claire,"),
    ],
)
def test_greeting(language: str, name: str | None, title: str | None, greeting: str) -> None:
    msg = render(make_ctx(language=language, recruiter_name=name, recruiter_title=title))
    assert plain(msg).splitlines()[0] == greeting
    assert f"<p>{greeting}</p>" in html(msg)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_nothing_known_leaves_no_none_and_no_hole(language: str) -> None:
    ctx = make_ctx(
        language=language,
        sender_phone=None,
        key_skills=(),
        recruiter_name=None,
        recruiter_title=None,
        company=None,
        position=None,
        source_subject=None,
    )
    msg = render(ctx)
    for text in (plain(msg), html(msg), str(msg["Subject"]), render_call_script(ctx)):
        assert "None" not in text
        assert "  " not in text.replace("\n   ", "\n")  # the script's indent only
        assert not re.search(r" [,.:;]| \)|\( |\{\{|\}\}", text.replace("\u00a0", ""))
    assert list(msg.keys()) == THREADED
    assert msg["To"].addresses[0].display_name == ""


def test_language_fallback() -> None:
    assert plain(render(make_ctx(language="fr-CA"))).startswith("Bonjour")
    assert plain(render(make_ctx(language="de", recruiter_title="Ms"))).startswith("Dear Ms Dubois")


# Skills and new facts


def test_skills_that_fit_come_first() -> None:
    ctx = make_ctx(
        key_skills=("modélisation financière", "SQL", "Power BI", "anglais courant"),
        looks_for=("maîtrise de SQL", "des tableaux de bord sous Power BI"),
    )
    text = plain(render(ctx))
    assert "compétences en SQL et Power BI correspondent" in text
    assert "mon expérience en modélisation financière et anglais courant" in text
    en = plain(render(make_en(looks_for=("experience with Airflow pipelines",))))
    assert "my skills in Airflow match what you are looking for" in en
    assert "my experience in Python and SQL" in en


def test_all_skills_when_nothing_is_known_of_the_needs() -> None:
    text = plain(render(make_en(looks_for=())))
    assert "my skills in Python, Airflow, and SQL would be an asset" in text


def test_at_most_two_new_facts() -> None:
    facts = ("First fact.", "Second fact.", "Third fact.")
    msg = render(make_en(new_facts=facts))
    assert "First fact." in plain(msg) and "Second fact." in plain(msg)
    assert "Third fact." not in plain(msg)
    assert html(msg).count("<li>") == 2


# Templates


def test_shipped_templates_are_all_there() -> None:
    names = {p.name for p in shipped_templates_dir().glob("*.j2")}
    for lang in ("fr", "en"):
        assert {
            f"thank_you.{lang}.subject.j2",
            f"thank_you.{lang}.txt.j2",
            f"thank_you.{lang}.html.j2",
            f"call_script.{lang}.txt.j2",
        } <= names


def test_user_template_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "thank_you.fr.subject.j2").write_text("Entretien {{ company }} – merci", encoding="utf-8")
    msg = render(make_ctx(), template_dirs=[tmp_path])
    assert msg["Subject"] == "Entretien Acmé Finance – merci"
    assert "notre entretien de mardi" in plain(msg)  # the rest is still shipped


def test_user_text_without_user_html_gives_a_text_only_draft(tmp_path: Path) -> None:
    (tmp_path / "thank_you.fr.txt.j2").write_text("{{ greeting }},\n\nMon texte à moi.\n", encoding="utf-8")
    msg = render(make_ctx(), template_dirs=[tmp_path])
    assert msg.get_content_type() == "text/plain"
    assert plain(msg) == "Bonjour Madame Dubois,\n\nMon texte à moi.\n"
    assert list(msg.keys()) == [*THREADED, "Content-Transfer-Encoding"]
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"


def test_user_text_and_html_together(tmp_path: Path) -> None:
    (tmp_path / "thank_you.en.txt.j2").write_text("Hi {{ recruiter_surname }}\n", encoding="utf-8")
    (tmp_path / "thank_you.en.html.j2").write_text("<p>Hi {{ company }}</p>\n", encoding="utf-8")
    msg = render(make_en(company="A & <B>"), template_dirs=[tmp_path])
    assert plain(msg) == "Hi Dubois\n"
    assert html(msg) == "<p>Hi A &amp; &lt;B&gt;</p>\n"


@pytest.mark.parametrize(
    "source",
    ["{{ no_such_variable }}", "{% if %}", "{{ ''.__class__.__mro__ }}", "{{ 1 / 0 }}"],
    ids=["undefined", "syntax", "sandbox", "runtime"],
)
def test_template_errors_name_the_template(tmp_path: Path, source: str) -> None:
    (tmp_path / "thank_you.fr.subject.j2").write_text(source, encoding="utf-8")
    with pytest.raises(DraftError, match=r"thank_you\.fr\.subject\.j2"):
        render_thank_you(make_ctx(), template_dirs=[tmp_path], message_id=MSGID)


def test_template_syntax_from_mail_shows_literally() -> None:
    ctx = make_ctx(company="{{ 7*7 }}", position="{% for x in range(3) %}x{% endfor %}", new_facts=("{{ config }}",))
    msg = render(ctx)
    for text in (plain(msg), html(msg)):
        assert "{{ 7*7 }}" in text
        assert "49" not in text
        assert "{% for x in range(3) %}x{% endfor %}" in text
        assert "{{ config }}" in text
    assert msg["Subject"] == "Merci pour notre entretien – {% for x in range(3) %}x{% endfor %}"
    assert "{{ 7*7 }}" in render_call_script(ctx)


def test_html_escapes_text_from_mail() -> None:
    page = html(render(make_en(company='<script>alert("x")</script> & Co')))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "&amp; Co" in page


# Injection


def _b64_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


HOSTILE = {
    "crlf": "Evil\r\nBcc: victim@evil.test",
    "lf": "Evil\nBcc: victim@evil.test",
    "lone-cr": "Evil\rBcc: victim@evil.test",
    "nul": "Evil\x00Bcc: victim@evil.test",
    "u2028": "Evil\u2028Bcc: victim@evil.test",
    "u2029-nel": "Evil\u2029\x85Bcc: victim@evil.test",
    "q-word": "Evil =?utf-8?q?=0D=0ABcc:_victim@evil.test?=",
    "b-word": "Evil " + _b64_word("\r\nBcc: victim@evil.test"),
    "nested-word": "Evil " + _b64_word("=?utf-8?q?=0D=0ABcc:_victim@evil.test?="),
    "unknown-charset": "Evil =?x-unknown?q?=0D=0ABcc:_victim@evil.test?=",
    "glued-word": "Evil=?utf-8?q?=0D=0ABcc:_victim@evil.test?=x",
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("language", ["fr", "en"])
def test_control_characters_never_make_a_header(value: str, language: str) -> None:
    ctx = make_ctx(
        language=language,
        recruiter_name=value,
        company=value,
        position=value,
        source_subject=value,
        new_facts=(value,),
        looks_for=(value,),
    )
    built = render_thank_you(ctx, message_id=MSGID)
    raw = built.as_bytes()
    assert raw_header_names(raw) == THREADED
    msg = reparse(built)
    assert list(msg.keys()) == THREADED
    for name in THREADED:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", str(msg[name])), name
    assert [a.addr_spec for a in msg["To"].addresses] == ["claire.dubois@acme.fr"]
    assert "victim@evil.test" in msg["Subject"]  # kept as text, on the one line
    for text in (plain(msg), html(msg), render_call_script(ctx)):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text)
        assert "\nBcc" not in text


def test_to_display_name_with_specials_reads_back() -> None:
    name = 'Dubois, "Claire" <RH> (Paris); é \\ ok'
    msg = render(make_ctx(recruiter_name=name))
    addresses = msg["To"].addresses
    assert [a.addr_spec for a in addresses] == ["claire.dubois@acme.fr"]
    assert addresses[0].display_name == name
    assert list(msg.keys()) == THREADED
    assert plain(msg).startswith("Bonjour Madame Dubois,")


def test_an_address_in_the_name_field_is_not_a_name() -> None:
    msg = render(make_en(recruiter_name="Claire <boss@evil.test>", recruiter_title=None))
    assert [(a.display_name, a.addr_spec) for a in msg["To"].addresses] == [("", "claire.dubois@acme.fr")]
    assert plain(msg).startswith("Hello,")


def test_message_ids_from_mail_are_reduced_to_tokens() -> None:
    ctx = make_ctx(
        source_message_id="<invitation-1@acme.fr>\r\nBcc: victim@evil.test",
        source_references=("<a@x>\r\n<b@x>", "garbage", "<c@x> <a@x>", "<with space@x>", "<é@x>"),
    )
    msg = render(ctx)
    assert list(msg.keys()) == THREADED
    assert msg["In-Reply-To"] == "<invitation-1@acme.fr>"
    assert msg["References"].split() == ["<a@x>", "<b@x>", "<c@x>", "<invitation-1@acme.fr>"]


def test_long_message_ids_are_folded_between_tokens_never_encoded() -> None:
    outlook = "<DB9PR07MB7836E8F08B5E83C0F0E7E9A1A1A32@DB9PR07MB7836.eurprd07.prod.outlook.com>"
    refs = tuple(f"<ref-{i}-{'x' * 40}@example.com>" for i in range(30))
    built = render_thank_you(make_ctx(source_message_id=outlook, source_references=refs), message_id=MSGID)
    raw = built.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"In-Reply-To: " + outlook.encode() in head
    assert b"=?" not in head.split(b"\r\nMIME-Version")[0].split(b"Message-ID")[1]
    msg = reparse(built)
    chain = msg["References"].split()
    assert len(chain) == 20
    assert chain[0] == refs[0] and chain[-1] == outlook and chain[-2] == refs[-1]


def test_without_a_source_id_there_is_no_thread() -> None:
    msg = render(make_ctx(source_message_id=None, source_references=("<root@acme.fr>",)))
    assert list(msg.keys()) == UNTHREADED
    msg = render(make_ctx(source_message_id="no angle brackets here"))
    assert list(msg.keys()) == UNTHREADED


@pytest.mark.parametrize(
    "address",
    [
        "",
        "claire",
        "claire@",
        "@acme.fr",
        "a@b@acme.fr",
        "Claire <claire@acme.fr>",
        "<claire@acme.fr>",
        "claire@acme.fr, victim@evil.test",
        "claire@acme.fr\r\nBcc: victim@evil.test",
        "claire @acme.fr",
        "claire@acme..fr",
        "claire@localhost",
        "cla\x00ire@acme.fr",
        '"claire"@acme.fr',
        "claire@-acme.fr",
    ],
)
def test_bad_recruiter_address_is_refused(address: str) -> None:
    with pytest.raises(DraftError, match="recruiter address does not parse"):
        render_thank_you(make_ctx(recruiter_email=address), message_id=MSGID)


def test_unusual_but_valid_addresses() -> None:
    msg = render(make_ctx(recruiter_email="claire.o'neil+rh@exämple.fr"))
    assert msg["To"].addresses[0].addr_spec == "claire.o'neil+rh@xn--exmple-cua.fr"


def test_bad_message_id_and_naive_times_are_refused() -> None:
    with pytest.raises(DraftError, match="Message-ID"):
        render_thank_you(make_ctx(), message_id="<a@b>\r\nBcc: x@y")
    with pytest.raises(DraftError, match="timezone-aware"):
        render_thank_you(make_ctx(now=datetime(2026, 12, 2, 9, 0)), message_id=MSGID)


# Message-ID


def test_draft_message_id_is_stable_and_distinct() -> None:
    first = draft_message_id("<inv@acme.fr>", "3", "thank_you", "example.org")
    assert first == draft_message_id("<inv@acme.fr>", "3", "thank_you", "example.org")
    assert re.fullmatch(r"<relance\.thank_you\.[0-9a-f]{16}@example\.org>", first)
    others = {
        draft_message_id("<inv@acme.fr>", "3", "call", "example.org"),
        draft_message_id("<inv@acme.fr>", "4", "thank_you", "example.org"),
        draft_message_id("<other@acme.fr>", "3", "thank_you", "example.org"),
        draft_message_id(None, "3", "thank_you", "example.org"),
    }
    assert first not in others and len(others) == 4
    # Surrounding noise in the source id does not change the follow-up's id.
    assert draft_message_id(" <inv@acme.fr>\r\n", "3", "thank_you", "example.org") == first


def test_draft_message_id_domain_and_kind() -> None:
    assert draft_message_id(None, "1", "thank_you", "alice@Example.ORG").endswith("@example.org>")
    assert draft_message_id(None, "1", "thank_you", "bad domain\r\n").endswith("@relance.invalid>")
    with pytest.raises(DraftError):
        draft_message_id(None, "1", "thank you>", "example.org")
    msg = render_thank_you(make_ctx(), message_id=draft_message_id(None, "1", "thank_you", "example.org"))
    assert reparse(msg)["Message-ID"].startswith("<relance.thank_you.")


# Call script


def test_call_script_french() -> None:
    script = render_call_script(make_ctx(now=START + timedelta(days=7)))
    assert "Alice Martin à l'appareil" in script
    assert "le mardi 1er décembre pour le poste d'Analyste financier" in script
    assert "nouvelles questions" in script
    assert "toujours retenue" in script
    assert "jamais insistant" in script
    assert "Madame Dubois" in script
    assert "hier" not in script and "None" not in script


def test_call_script_english_uses_the_date_even_the_next_day() -> None:
    script = render_call_script(make_en())  # made early, read on J+7
    assert "this is Alice Martin" in script
    assert "We met on Tuesday 1 December about the Data Engineer position" in script
    assert "further questions" in script
    assert "short list" in script
    assert "never insistent" in script
    assert "yesterday" not in script


def test_call_script_override(tmp_path: Path) -> None:
    (tmp_path / "call_script.en.txt.j2").write_text("Call {{ recruiter_name }} about {{ position }}\n")
    assert render_call_script(make_en(), template_dirs=[tmp_path]) == "Call Claire Dubois about Data Engineer\n"


def test_templates_are_compiled_once_and_follow_the_users_edits(tmp_path: Path) -> None:
    shipped = render_call_script(make_en(), template_dirs=[tmp_path])
    override = tmp_path / "call_script.en.txt.j2"
    override.write_text("Call {{ recruiter_name }}\n", encoding="utf-8")
    # a new file replaces a shipped template from the next reload (SIGHUP) on
    forget_templates()
    assert render_call_script(make_en(), template_dirs=[tmp_path]) == "Call Claire Dubois\n" != shipped
    override.write_text("Ring {{ recruiter_name }}\n", encoding="utf-8")
    later = override.stat().st_mtime + 2
    os.utime(override, (later, later))
    # an edit to a template in use shows at once
    assert render_call_script(make_en(), template_dirs=[tmp_path]) == "Ring Claire Dubois\n"


def test_a_template_that_does_not_load_does_not_stop_the_start(tmp_path: Path) -> None:
    (tmp_path / "notes.fr.txt.j2").write_bytes(b"Bonjour \xe9\n")  # not UTF-8
    (tmp_path / "call_script.en.txt.j2").write_text("{% if %}", encoding="utf-8")
    load_templates([tmp_path])  # at start: the draft that uses it says what is wrong, with its name
    with pytest.raises(DraftError, match=r"call_script\.en\.txt\.j2"):
        render_call_script(make_en(), template_dirs=[tmp_path])
