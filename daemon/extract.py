# SPDX-License-Identifier: MIT
"""From a message to facts: when, where, with whom, for which job, in which language.

Each field records where it was found (``Facts.sources``), so that
``relance explain`` can show why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers

from .mime import display_name_of
from .model import CalendarEvent, Facts, ParsedMessage, Person
from .rules import fold
from .textdates import FoundDate, find_dates

log = logging.getLogger(__name__)

# Senders that are machines: the human is in Reply-To, the organizer or the signature.
_NO_REPLY = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre|notifications?|"
                       r"mailer|calendar-notification|bounce|jobs?|recrutement|careers?|talent|hr|rh)([-+_.].*)?@",
                       re.IGNORECASE)
# Domains of recruiting and calendar systems: they name no company.
PLATFORM_DOMAINS = frozenset({
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "hire.lever.co", "myworkday.com", "myworkdayjobs.com",
    "smartrecruiters.com", "teamtailor.com", "teamtailor-mail.com", "welcometothejungle.com", "workable.com",
    "recruitee.com", "ashbyhq.com", "jobvite.com", "icims.com", "taleo.net", "successfactors.com",
    "calendly.com", "google.com", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fr",
    "live.com", "yahoo.com", "yahoo.fr", "icloud.com", "me.com", "imip.me.com", "zoom.us", "microsoft.com",
    "office365.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr", "gmx.fr", "gmx.com",
    "protonmail.com", "proton.me", "linkedin.com", "indeed.com", "apec.fr", "hellowork.com", "example.com",
})
_JOIN_LINK = re.compile(
    r"https://(?:[\w-]+\.)*(?:teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|zoom\.us|"
    r"webex\.com|whereby\.com|meet\.jit\.si|gotomeeting\.com|app\.livestorm\.co)/[^\s<>\"')\]]*",
    re.IGNORECASE)

_FR_WORDS = frozenset(
    "le la les de des du un une et est pour nous vous votre vos avec dans sur au aux "
    "bonjour merci cordialement entretien poste candidature serait ce cette qui que".split()
)
_EN_WORDS = frozenset(
    "the a an and is are for we you your with in on at to of hello hi dear thanks "
    "regards interview position role application would this that which be".split()
)


@dataclass(frozen=True)
class Found:
    value: str
    source: str


def detect_language(msg: ParsedMessage, default: str) -> Found:
    """French or English by counting frequent words; the default when unclear."""
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", (msg.subject + " " + msg.text[:5000]).lower())
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if fr == en or max(fr, en) < 3:
        return Found(default, "default")
    return Found("fr" if fr > en else "en", "body words")


def _is_machine(address: str | None) -> bool:
    return bool(address) and (_NO_REPLY.match(address or "") is not None)


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower()


def _is_platform(address: str | None) -> bool:
    domain = _domain(address)
    return any(domain == d or domain.endswith("." + d) for d in PLATFORM_DOMAINS)


def _signature_email(text: str, exclude: set[str]) -> str | None:
    for match in re.finditer(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text):
        address = match.group(0).lower().rstrip(".")
        if address not in exclude and not _is_machine(address):
            return address
    return None


def find_recruiter(msg: ParsedMessage, event: CalendarEvent | None, user_emails: set[str]) -> tuple[Person, str]:
    """The human behind the invitation and where we found them."""
    candidates: list[tuple[str | None, str | None, str]] = []
    candidates.append((msg.from_name, msg.from_email, "From"))
    for reply_to in msg.reply_to:
        candidates.append((display_name_of(msg, reply_to), reply_to, "Reply-To"))
    if event is not None and event.organizer_email:
        candidates.append((event.organizer_name, event.organizer_email.lower(), "calendar organizer"))
    # A human sender wins; a machine sender hands over to Reply-To, organizer, signature.
    order = sorted(candidates, key=lambda c: (_is_machine(c[1]) or "imip" in _domain(c[1]), c[2] == "From"))
    for name, address, source in order:
        if address and address.lower() not in user_emails and not _is_machine(address) \
                and "imip" not in _domain(address):
            return Person(name=_clean_name(name), email=address.lower()), source
    found = _signature_email(msg.text, user_emails)
    if found:
        return Person(email=found), "signature"
    return Person(name=_clean_name(msg.from_name), email=msg.from_email), "From"


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.replace('"', " ").split())
    if "@" in name or _NO_REPLY.match(name + "@"):
        return None
    return name or None


def find_phone(text: str, region: str = "FR") -> str | None:
    """The first phone number in the text (a signature's, usually), in international format."""
    try:
        for match in phonenumbers.PhoneNumberMatcher(text[:20000], region):
            if phonenumbers.is_valid_number(match.number):
                formatted = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                return str(formatted)
    except Exception:  # the matcher must never stop a message
        log.debug("phone matcher failed")
    return None


_POSITION_PATTERNS = (
    r"(?:au |pour le |du |sur le |concernant le )?poste (?:de |d'|d’)\s*(?P<p>[^,.\n;:()]{3,60})",
    r"(?:for|about) (?:the|our|your|a) (?:position|role) (?:of|as) (?P<p>[^,.\n;:()]{3,60})",
    r"(?:for|about) (?:the|our|your|a|an) (?P<p>[A-Z][^,.\n;:()]{2,60}?) "
    r"(?:position|role|opening|job)\b",
    r"(?:candidature|application) (?:au poste de |pour le poste de |for the )?"
    r"(?:«|\")\s*(?P<p>[^»\"\n]{3,60})\s*(?:»|\")",
)
_SUMMARY_SPLIT = re.compile(r"\s+[-–—|:/]\s+")
_INTERVIEW_WORD = re.compile(r"entretien|interview|entrevue|echange|call|screen", re.IGNORECASE)


def find_position(msg: ParsedMessage, event: CalendarEvent | None) -> Found | None:
    for source, text in (("subject", msg.subject), ("body", msg.text[:5000])):
        for pattern in _POSITION_PATTERNS:
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                value = _trim_position(match.group("p"))
                if value:
                    return Found(value, source)
    if event is not None and event.summary:
        parts = [p for p in _SUMMARY_SPLIT.split(event.summary) if p.strip()]
        rest = [p for p in parts if not _INTERVIEW_WORD.search(fold(p))]
        if len(parts) >= 3 and rest:
            return Found(rest[0].strip(), "calendar summary")
    return None


def _trim_position(value: str) -> str | None:
    value = re.split(r"\s+(?:chez|at|au sein|within|with|avec|dans|in|le|on|pour|for|que)\s+", value)[0]
    value = value.strip(" «»\"'").strip()
    return value if 2 < len(value) <= 60 else None


_COMPANY_PATTERNS = (
    r"(?:chez|au sein (?:de|d'|du groupe)|at|join|joindre|rejoindre) (?P<c>[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,3})",
    r"(?:l'équipe|l’équipe|the) (?P<c>[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,2}) (?:team|recrutement|recruiting)",
)
_NOT_COMPANY = frozenset({"Paris", "Lyon", "London", "Teams", "Microsoft Teams", "Zoom", "Google", "Google Meet",
                          "Le", "La", "Les", "The", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                          "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Nous", "We", "Our", "Notre",
                          "Madame", "Monsieur", "Ms", "Mr", "Mrs"})


def find_company(msg: ParsedMessage, event: CalendarEvent | None, recruiter: Person) -> Found | None:
    for source, text in (("subject", msg.subject), ("body", msg.text[:5000])):
        for pattern in _COMPANY_PATTERNS:
            for match in re.finditer(pattern, text):
                value = match.group("c").strip(" .'’")
                if value and value not in _NOT_COMPANY:
                    return Found(value, source)
    if event is not None and event.summary:
        parts = [p.strip() for p in _SUMMARY_SPLIT.split(event.summary) if p.strip()]
        if len(parts) >= 3:
            return Found(parts[-1], "calendar summary")
    for address, source in ((recruiter.email, "recruiter domain"), (msg.from_email, "sender domain")):
        domain = _domain(address)
        if domain and not _is_platform(address):
            label = domain.split(".")[-2] if domain.count(".") >= 1 else domain
            return Found(label.replace("-", " ").title(), source)
    return None


def _find_url(event: CalendarEvent | None, text: str) -> Found | None:
    if event is not None and event.url:
        return Found(event.url, "calendar part")
    match = _JOIN_LINK.search(text)
    return Found(match.group(0).rstrip(".,"), "body") if match else None


def _find_location(event: CalendarEvent | None, text: str) -> Found | None:
    if event is not None and event.location and not _JOIN_LINK.search(event.location):
        return Found(event.location, "calendar part")
    match = re.search(r"(?:adresse|address|lieu|location)\s*:\s*(?P<a>[^\n]{5,120})", text, re.IGNORECASE)
    if match:
        return Found(match.group("a").strip(), "body")
    match = re.search(r"\b\d{1,4}(?:bis|ter)?,? (?:rue|avenue|av\.|boulevard|bd|place|quai|allée|impasse|chemin|"
                      r"cours) [^\n,]{3,60}(?:,? \d{5} [^\n,]{2,40})?", text, re.IGNORECASE)
    return Found(match.group(0).strip(), "body") if match else None


def _mail_only(text: str) -> bool:
    folded = fold(text)
    return re.search(r"(uniquement|seulement|exclusivement) par (e-?)?mail|par (e-?)?mail uniquement|"
                     r"(by|via) (e-?)?mail only|only (by|via) (e-?)?mail|please do not (call|phone)|"
                     r"merci de ne pas (m.appeler|nous appeler|appeler)", folded) is not None


def pick_event(events: Sequence[CalendarEvent]) -> CalendarEvent | None:
    """The event the message is about: the one with a start, latest version first."""
    with_start = [e for e in events if e.start is not None] or list(events)
    if not with_start:
        return None
    return max(with_start, key=lambda e: (e.sequence, e.dtstamp.timestamp() if e.dtstamp else 0.0))


def extract(msg: ParsedMessage, events: Sequence[CalendarEvent], *, tz: str, default_language: str,
            user_emails: set[str], now: datetime | None = None) -> Facts:
    sources: dict[str, str] = {}
    language = detect_language(msg, default_language)
    sources["language"] = language.source
    event = pick_event(events)
    recruiter, recruiter_source = find_recruiter(msg, event, {e.lower() for e in user_emails})
    sources["recruiter.email"] = recruiter_source
    phone = find_phone(msg.text, "GB" if _domain(recruiter.email).endswith(".uk") else "FR")
    if phone:
        sources["recruiter.phone"] = "body"
    recruiter = Person(recruiter.name, recruiter.email, phone)

    start = end = None
    candidates: tuple[datetime, ...] = ()
    if event is not None and event.start is not None:
        start, end = event.start, event.end
        sources["interview.start"] = "calendar part"
    else:
        reference = msg.date or now or datetime.now(ZoneInfo(tz))
        found: list[FoundDate] = find_dates(msg.text, reference=reference, tz=tz, language=language.value)
        if len(found) == 1:
            start, end = found[0].start, found[0].end
            snippet = " ".join(found[0].text.split())
            sources["interview.start"] = f"body line {found[0].line + 1}: {snippet}"
        elif len(found) > 1:
            candidates = tuple(f.start for f in found)
            sources["candidates"] = "body"
    position = find_position(msg, event)
    company = find_company(msg, event, recruiter)
    url = _find_url(event, msg.text)
    location = _find_location(event, msg.text)
    for key, item in (("position", position), ("company", company), ("interview.url", url),
                      ("interview.location", location)):
        if item is not None:
            sources[key] = item.source
    return Facts(
        company=company.value if company else None,
        position=position.value if position else None,
        language=language.value,
        recruiter=recruiter,
        start=start,
        end=end,
        location=location.value if location else None,
        url=url.value if url else None,
        candidates=candidates,
        event=event,
        contact_preference="mail" if _mail_only(msg.text) else None,
        sources=sources,
    )
