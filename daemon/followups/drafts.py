# SPDX-License-Identifier: MIT
"""Render follow-up templates into an RFC 5322 draft and a call script.

Templates see only data; nothing that came from a mail is ever compiled as
template source. Variables given to every template:

    language, sender_name, sender_email, sender_phone, recruiter_name,
    recruiter_title, recruiter_surname, recruiter_email, company, position,
    greeting, interview_start, interview_day, interview_on, interview_relative,
    interview_date, skills, skills_text, matching_skills,
    matching_skills_text, other_skills, other_skills_text, looks_for,
    new_facts, source_subject

Missing values are "" (or empty tuples), never None, so a template cannot
print "None". `greeting` has no trailing punctuation. A draft is often sent
days after it is made, so the shipped templates name the interview's day
rather than say "yesterday": `interview_day` is the weekday ("mardi",
"Tuesday") within the week after the interview, else the date
(`interview_date`, "mardi 3 décembre"), and `interview_on` the phrase with its
preposition ("de mardi", "du mardi 3 décembre"; "on Tuesday"). For a user
template that wants it, `interview_relative` is "yesterday", "today" or "".
The filter `de` gives the French "de"/"d'" before a noun phrase.
"""

from __future__ import annotations

import email.policy
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.lists import format_list
from jinja2.sandbox import ImmutableSandboxedEnvironment

from daemon.followups.greeting import TITLE_WORDS, greeting_for, surname_of, title_gender
from daemon.shipped import PACKAGE_DIR, shipped_path
from daemon.text import fold

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
FALLBACK_LANGUAGE = "en"

# SMTP gives CRLF line ends, which IMAP APPEND needs. refold_source="none"
# only concerns the msg-id headers we store pre-folded with set_raw: a long
# Outlook id must stay one token, whereas refolding would turn it into an
# RFC 2047 encoded word that no client threads on.
POLICY = email.policy.SMTP.clone(raise_on_defect=True, refold_source="none")

_MAX_LINE = 200
_MAX_FACT = 500
_MAX_MSGID = 250
_MAX_REFERENCES = 20
_HEADER_WIDTH = 78

# A msg-id as the tokens we are willing to copy: printable ASCII without
# angle brackets or spaces, so nothing in it can end the header.
_MSGID = re.compile(rf"<[\x21-\x3b\x3d\x3f-\x7e]{{1,{_MAX_MSGID - 2}}}>")
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Bidi embeddings, overrides and isolates can make a name or subject display
# as something else than what it is; the BOM has no business in a header.
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")

# Words too generic to say that a skill fits what the recruiter looks for.
_GENERIC = frozenset(
    "avec pour dans sans bonne bonnes tres competence competences connaissance connaissances"
    " maitrise experience capacite sens with from that this skill skills knowledge good strong"
    " ability".split()
)
_FRENCH_ELIDING = frozenset("aeiouàâäéèêëîïôöùûüæœAEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜÆŒ")


@dataclass(frozen=True)
class DraftContext:
    language: str
    sender_name: str
    sender_email: str
    sender_phone: str | None
    key_skills: tuple[str, ...]
    recruiter_name: str | None
    recruiter_title: str | None
    recruiter_email: str
    company: str | None
    position: str | None
    interview_start: datetime
    now: datetime
    source_message_id: str | None
    source_references: tuple[str, ...]
    source_subject: str | None
    looks_for: tuple[str, ...] = ()
    new_facts: tuple[str, ...] = ()


class DraftError(Exception):
    """A draft cannot be made; the message says why, for the record."""


def shipped_templates_dir() -> Path:
    found = shipped_path("templates")
    return found if found is not None and found.is_dir() else PACKAGE_DIR.parent / "templates"


def clean_line(value: str | None, limit: int = _MAX_LINE) -> str:
    """Text from mail made safe for one header line (and for a body line).

    Encoded words are decoded first because the stdlib decodes them when a
    header is set, so an encoded CRLF would otherwise come back to life.
    """
    if not value:
        return ""
    text = _decode_encoded_words(str(value))
    text = "".join(" " if ch.isspace() else ch for ch in text if _keep_char(ch))
    text = " ".join(text.split())
    # Whatever still looks like an encoded word (unknown charset, deeper
    # nesting) must not reach the header parser in that shape.
    text = text.replace("=?", "= ?")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _decode_encoded_words(text: str) -> str:
    for _ in range(4):
        if "=?" not in text:
            break
        try:
            decoded = str(make_header(decode_header(text)))
        except (HeaderParseError, LookupError, UnicodeError, ValueError):
            break
        if decoded == text:
            break
        text = decoded
    return text


def _keep_char(ch: str) -> bool:
    if ch in "\t\n\r\v\f":
        return True  # turned into a space by the caller, so words stay apart
    if ch in _INVISIBLE:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp")


def msgid_tokens(values: Iterable[str | None]) -> list[str]:
    """Every well-formed <msg-id> in the values, in order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        for token in _MSGID.findall(value or ""):
            seen.setdefault(token, None)
    return list(seen)


def validate_addr_spec(value: str, what: str = "recruiter") -> str:
    """One plain local@domain, or DraftError naming why not."""
    addr = (value or "").strip()
    reason = _addr_problem(addr)
    if reason is None:
        local, _, domain = addr.rpartition("@")
        addr = f"{local}@{_ascii_domain(domain)}"
        try:
            parsed = Address(addr_spec=addr)
        except (HeaderParseError, ValueError, IndexError, TypeError) as exc:
            reason = f"rejected by the mail parser ({exc})"
        else:
            if parsed.addr_spec != addr:
                reason = "it does not read back the same"
    if reason is not None:
        raise DraftError(f"{what} address does not parse: {reason}: {clean_line(value, 80)!r}")
    return addr


def _addr_problem(addr: str) -> str | None:
    if not addr:
        return "it is empty"
    if any(not ch.isprintable() or ch.isspace() for ch in addr):
        return "it holds spaces or control characters"
    if any(ch in addr for ch in '<>,;:"()[]\\'):
        return "it holds brackets, quotes or separators"
    if addr.count("@") != 1:
        return "it needs exactly one @"
    local, _, domain = addr.partition("@")
    if not local or not domain:
        return "the part before or after @ is empty"
    if not all(_ATEXT.fullmatch(part) for part in local.split(".")):
        return "the part before @ is not a plain name"
    try:
        labels = _ascii_domain(domain).split(".")
    except UnicodeError:
        return "the domain is not a valid name"
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return "the domain is not a valid name"
    return None


def _ascii_domain(domain: str) -> str:
    if domain.isascii():
        return domain.lower()
    return domain.encode("idna").decode("ascii").lower()


def draft_message_id(source_message_id: str | None, interview_key: str, kind: str, domain: str) -> str:
    """The same Message-ID on every attempt, so a retried APPEND is recognised."""
    if not _KIND.fullmatch(kind):
        raise DraftError(f"follow-up kind {kind!r} cannot go in a Message-ID")
    tokens = msgid_tokens([source_message_id])
    source = tokens[0] if tokens else (source_message_id or "").strip()
    seed = "\0".join((source, str(interview_key), kind)).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(seed).hexdigest()[:16]
    return f"<relance.{kind}.{digest}@{_id_domain(domain)}>"


def _id_domain(domain: str) -> str:
    candidate = (domain or "").strip().rpartition("@")[2]
    try:
        candidate = _ascii_domain(candidate)
    except UnicodeError:
        candidate = ""
    labels = candidate.split(".")
    if candidate and all(_LABEL.fullmatch(label) for label in labels):
        return candidate
    log.warning("no usable domain for Message-IDs, using relance.invalid")
    return "relance.invalid"


def language_of(value: str | None) -> str:
    primary = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else FALLBACK_LANGUAGE


def _usable_name(name: str | None) -> str:
    cleaned = clean_line(name)
    # An address or a role box in the name field is not a way to greet anyone.
    if "@" in cleaned or not any(ch.isalpha() for ch in cleaned):
        return ""
    return cleaned


def _date_words(day: date, now: datetime, language: str) -> str:
    # French writes the first of the month as an ordinal: "mardi 1er décembre".
    day_pattern = "d'er'" if language == "fr" and day.day == 1 else "d"
    pattern = f"EEEE {day_pattern} MMMM"
    if day.year != now.year:
        pattern += " y"
    return format_date(day, pattern, locale=language)


def _day_words(start: datetime, now: datetime, language: str) -> str:
    """The weekday within the week after the interview ("mardi"), else the date ("mardi 3 décembre"):
    true on whatever day the draft is sent."""
    days = (now.astimezone(start.tzinfo).date() - start.date()).days
    if 0 <= days <= 6:
        return format_date(start.date(), "EEEE", locale=language)
    return _date_words(start.date(), now, language)


def _on_day(day: str, language: str, *, weekday_only: bool) -> str:
    """ "de mardi", "du mardi 3 décembre", "on Tuesday": the day with the word a sentence needs."""
    if language == "fr":
        return f"de {day}" if weekday_only else f"du {day}"
    return f"on {day}"


def _relative(start: datetime, now: datetime) -> str:
    days = (now.astimezone(start.tzinfo).date() - start.date()).days
    if days == 1:
        return "yesterday"
    if days == 0:
        return "today"
    if days < 0:
        log.debug("a follow-up is being drafted before its interview")
    return ""




def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9+#]+", text) if len(w) >= 4 and w not in _GENERIC}


def _fits(skill: str, wanted: str) -> bool:
    s, w = fold(skill).strip(), fold(wanted).strip()
    if not s or not w:
        return False
    for needle, hay in ((s, w), (w, s)):
        if re.search(r"(?<![a-z0-9])" + re.escape(needle) + r"(?![a-z0-9+#])", hay):
            return True
    return bool(_words(s) & _words(w))


def order_skills(key_skills: Sequence[str], looks_for: Sequence[str]) -> tuple[list[str], list[str]]:
    """(skills to recall, those among them that fit what the recruiter looks for).

    The fitting ones come first, so a template that only has room for a few
    recalls the relevant ones.
    """
    skills = list(dict.fromkeys(s for s in (clean_line(k) for k in key_skills) if s))
    wanted = [w for w in (clean_line(x, _MAX_FACT) for x in looks_for) if w]
    matching = [s for s in skills if any(_fits(s, w) for w in wanted)]
    rest = [s for s in skills if s not in matching]
    return matching + rest, matching


def french_de(phrase: str) -> str:
    """ "d'Analyste financier", "de Data Engineer": the elision French needs."""
    phrase = str(phrase)
    if phrase[:1] in _FRENCH_ELIDING:
        return f"d'{phrase}"
    return f"de {phrase}"


def _list_words(items: Sequence[str], language: str) -> str:
    return format_list(list(items), locale=language) if items else ""


def _name_and_title(name: str | None, title: str | None) -> tuple[str, str | None]:
    """The recruiter's name without a leading civility, and the title to use.

    Signatures often read "Mme Claire Dubois": that title is known too, and
    left in the name it would give "Dear Mme Claire Dubois".
    """
    cleaned = _usable_name(name)
    first, _, rest = cleaned.partition(" ")
    if rest and title_gender(first):
        return rest, title if title_gender(title) else first
    return cleaned, title


def _template_vars(ctx: DraftContext, language: str) -> dict[str, Any]:
    name, title = _name_and_title(ctx.recruiter_name, ctx.recruiter_title)
    gender = title_gender(title)
    skills, matching = order_skills(ctx.key_skills, ctx.looks_for)
    relative = _relative(ctx.interview_start, ctx.now)
    day = _day_words(ctx.interview_start, ctx.now, language)
    absolute = _date_words(ctx.interview_start.date(), ctx.now, language)
    others = [s for s in skills if s not in matching]
    return {
        "language": language,
        "sender_name": clean_line(ctx.sender_name),
        "sender_email": clean_line(ctx.sender_email),
        "sender_phone": clean_line(ctx.sender_phone),
        "recruiter_name": name,
        "recruiter_title": TITLE_WORDS[language][gender] if gender else "",
        "recruiter_surname": surname_of(name) if name else "",
        "recruiter_email": clean_line(ctx.recruiter_email),
        "company": clean_line(ctx.company),
        "position": clean_line(ctx.position),
        "greeting": greeting_for(language, name, title),
        "interview_start": ctx.interview_start,
        "interview_day": day,
        "interview_on": _on_day(day, language, weekday_only=day != absolute),
        "interview_relative": relative,
        "interview_date": absolute,
        "skills": tuple(skills),
        "matching_skills": tuple(matching),
        "skills_text": _list_words(skills, language),
        "matching_skills_text": _list_words(matching, language),
        "other_skills": tuple(others),
        "other_skills_text": _list_words(others, language),
        "looks_for": tuple(w for w in (clean_line(x, _MAX_FACT) for x in ctx.looks_for) if w),
        "new_facts": tuple(f for f in (clean_line(x, _MAX_FACT) for x in ctx.new_facts) if f)[:2],
        "source_subject": clean_line(ctx.source_subject),
    }


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(".html.j2")


def _environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    return _cached_environment(tuple(template_dirs))


def load_templates(template_dirs: Sequence[Path]) -> None:
    """Compile the templates now, at start, rather than when the first draft is due. One that does
    not compile is left for that draft to report, with its name, as it always does."""
    env = _environment(template_dirs)
    for name in env.list_templates(extensions=["j2"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            log.debug("template %s does not load; its draft will say so", name)


def forget_templates() -> None:
    """Compile templates afresh from now on: a reload may have brought a user template that
    replaces a shipped one (auto_reload only notices edits to the files already loaded)."""
    _cached_environment.cache_clear()


@lru_cache(maxsize=8)
def _cached_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    # One environment per set of directories, so that a template is compiled once, not once per
    # draft or per calendar event (a first scan renders dozens); auto_reload still picks up a
    # template the user edits, for the price of a stat() per use.
    # User directories first: a file of the same name replaces the shipped one.
    searchpath = [str(p) for p in (*template_dirs, shipped_templates_dir())]
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(searchpath),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["de"] = french_de
    return env


def _load(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise DraftError(f"template {name} not found") from exc
    except jinja2.TemplateError as exc:
        raise DraftError(f"template {name} does not compile: {exc}") from exc


def _render(template: jinja2.Template, variables: dict[str, Any]) -> str:
    try:
        return template.render(variables)
    except Exception as exc:  # a user template can fail in any way; the record needs the name
        raise DraftError(f"template {template.name} failed to render: {exc}") from exc


def _tidy_body(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    body = "\n".join(lines).strip("\n")
    return body + "\n" if body else ""


def _fold_msgids(tokens: Sequence[str], name: str) -> str:
    """Fold between ids ourselves: the stdlib would encode a long one."""
    lines: list[str] = []
    current = ""
    width = _HEADER_WIDTH - len(name) - 2
    for token in tokens:
        if current and len(current) + 1 + len(token) > width:
            lines.append(current)
            current, width = token, _HEADER_WIDTH - 1
        else:
            current = f"{current} {token}" if current else token
    lines.append(current)
    return "\n ".join(lines)


def _references(ctx: DraftContext) -> tuple[str | None, list[str]]:
    parents = msgid_tokens([ctx.source_message_id])
    if not parents:
        return None, []
    parent = parents[0]
    chain = [t for t in msgid_tokens(ctx.source_references) if t != parent] + [parent]
    if len(chain) > _MAX_REFERENCES:
        # RFC 5322 3.6.4: keep the thread's root and the most recent ones.
        chain = chain[:1] + chain[-(_MAX_REFERENCES - 1) :]
    return parent, chain


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise DraftError(f"{what} must be a timezone-aware datetime")


def _check_inputs(ctx: DraftContext, message_id: str) -> None:
    # Before any rendering, so a bad draft fails with the reason that matters.
    _require_aware(ctx.interview_start, "interview_start")
    _require_aware(ctx.now, "now")
    if not _MSGID.fullmatch(message_id or ""):
        raise DraftError(f"Message-ID {clean_line(message_id, 80)!r} is not a <...> token")
    validate_addr_spec(ctx.recruiter_email, "recruiter")
    validate_addr_spec(ctx.sender_email, "sender")


def _headers(ctx: DraftContext, subject: str, message_id: str) -> EmailMessage:
    recruiter = validate_addr_spec(ctx.recruiter_email, "recruiter")
    sender = validate_addr_spec(ctx.sender_email, "sender")
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(display_name=clean_line(ctx.sender_name), addr_spec=sender)
    msg["To"] = Address(display_name=_name_and_title(ctx.recruiter_name, None)[0], addr_spec=recruiter)
    msg["Subject"] = subject
    msg["Date"] = ctx.now
    msg.set_raw("Message-ID", message_id)
    parent, chain = _references(ctx)
    if parent:
        msg.set_raw("In-Reply-To", parent)
        msg.set_raw("References", _fold_msgids(chain, "References"))
    # Set here so it sits with the other headers whatever the body shape.
    msg["MIME-Version"] = "1.0"
    return msg


def _attach_bodies(msg: EmailMessage, text: str, html: str | None) -> None:
    # Quoted-printable keeps the whole message 7-bit, which every IMAP server
    # stores unchanged, and leaves French text readable in the raw source.
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is None:
        return
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for part in msg.iter_parts():
        # add_alternative builds the part as a whole message; MIME-Version
        # belongs on the top level only.
        del part["MIME-Version"]


def _html_for(env: jinja2.Environment, text_template: jinja2.Template, name: str) -> jinja2.Template | None:
    html = _load(env, name)
    text_dir = Path(text_template.filename or "").parent
    html_dir = Path(html.filename or "").parent
    if html_dir != text_dir:
        # A user who rewrote the text but not the HTML would otherwise see
        # the shipped wording in every client that prefers HTML.
        log.info("%s is in %s but %s in %s: draft is text only", text_template.name, text_dir, name, html_dir)
        return None
    return html


def render_thank_you(ctx: DraftContext, *, template_dirs: Sequence[Path] = (), message_id: str,
                     html: bool = True) -> EmailMessage:
    """The thank-you draft; ``html`` false (drafts.html) leaves the text alone, for terminal clients."""
    _check_inputs(ctx, message_id)
    language = language_of(ctx.language)
    variables = _template_vars(ctx, language)
    env = _environment(template_dirs)
    subject_name = f"thank_you.{language}.subject.j2"
    subject = clean_line(_render(_load(env, subject_name), variables), 998)
    if not subject:
        raise DraftError(f"template {subject_name} rendered an empty subject")
    text_template = _load(env, f"thank_you.{language}.txt.j2")
    text = _tidy_body(_render(text_template, variables))
    if not text:
        raise DraftError(f"template {text_template.name} rendered an empty body")
    html_template = _html_for(env, text_template, f"thank_you.{language}.html.j2") if html else None
    msg = _headers(ctx, subject, message_id)
    _attach_bodies(msg, text, _render(html_template, variables) if html_template else None)
    log.debug("thank-you draft %s rendered in %s", message_id, language)
    return msg


def render_call_script(ctx: DraftContext, *, template_dirs: Sequence[Path] = ()) -> str:
    _require_aware(ctx.interview_start, "interview_start")
    _require_aware(ctx.now, "now")
    language = language_of(ctx.language)
    variables = _template_vars(ctx, language)
    # The script is read days later, on the phone: "hier" would be wrong.
    variables["interview_day"] = variables["interview_date"]
    variables["interview_on"] = _on_day(variables["interview_date"], language, weekday_only=False)
    variables["interview_relative"] = ""
    env = _environment(template_dirs)
    return _tidy_body(_render(_load(env, f"call_script.{language}.txt.j2"), variables))
