# SPDX-License-Identifier: MIT
"""From a message to facts: when, where, with whom, for which job, in which language.

Each field records where it was found (``Facts.sources``: "calendar part (SUMMARY)",
"subject", "body line 12", "signature line 20", "Reply-To", "sender domain", ...),
so that ``relance explain`` can show why.

Decisions a reader needs to know:

- The recruiter is a human: a sender that is a machine (no-reply, a recruiting
  system's domain) hands over to Reply-To, the calendar organizer, then the
  address in the signature.
- Company and position are chosen among candidates, each scored by where it
  was found; a candidate that agrees with another source (the sender's domain,
  the subject, the calendar summary) gains. So an agency's client named in the
  subject ("Entretien chez Groupe Vernier") beats the agency's own signature,
  and "Banque Solvéa" in the text gives its accents to banque-solvea.fr.
- Times given in the text without a zone are read in the sender's zone when the
  Date header's offset and a hint (the country of the recruiter's domain or
  phone number) agree on another zone than the configured one.
- Several dates in the text are candidates (needs_date), never a start, except
  that a date the text marks as the old one ("previous time", "initialement
  prévu") gives way to the others.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as phone_zones
from publicsuffixlist import PublicSuffixList

from daemon.model import CalendarEvent, Facts, ParsedMessage, Person
from daemon.text import LINK_TAIL, find_join_link, fold, one_line
from daemon.understand.mime import display_name_of
from daemon.understand.textdates import FoundDate, find_dates, own_text

log = logging.getLogger(__name__)

# Senders that are machines: the human is in Reply-To, the organizer or the signature.
_MACHINE_LOCAL = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre|notifications?|"
                            r"mailer|calendar-notification|bounce|jobs?|recrutement|careers?|talent|hr|rh|"
                            r"invitations?|scheduling|calendar)([-+_.].*)?@", re.IGNORECASE)
# Recruiting and scheduling systems: their address is a machine's, their domain names no company.
RECRUITING_SYSTEMS = frozenset({
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "myworkday.com", "myworkdayjobs.com",
    "smartrecruiters.com", "teamtailor.com", "teamtailor-mail.com", "welcometothejungle.com", "workable.com",
    "workablemail.com", "recruitee.com", "ashbyhq.com", "jobvite.com", "icims.com", "taleo.net",
    "successfactors.com", "calendly.com", "zoom.us", "linkedin.com", "indeed.com", "apec.fr", "hellowork.com",
    "goodtime.io", "doctolib.fr", "flatchr.io", "digitalrecruiters.com", "beetween.com",
})
# Mail providers: a human may write from them, but the domain names no company.
MAIL_PROVIDERS = frozenset({
    "gmail.com", "googlemail.com", "google.com", "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr",
    "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr", "icloud.com", "me.com", "mac.com",
    "microsoft.com", "office365.com", "onmicrosoft.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr",
    "sfr.fr", "gmx.fr", "gmx.com", "gmx.de", "protonmail.com", "proton.me", "example.com", "example.org",
    "example.net", "aol.com", "yandex.com", "zoho.com", "fastmail.com",
})
# The lookbehind starts a try only where a run of address characters starts:
# without it a long run with no @ (a pasted blob) costs quadratic time.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Country-code domains to the zone most of their senders are in; the Date offset must agree.
_TLD_ZONES: dict[str, str] = {
    "uk": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon", "de": "Europe/Berlin",
    "ch": "Europe/Zurich", "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "lu": "Europe/Luxembourg",
    "es": "Europe/Madrid", "it": "Europe/Rome", "at": "Europe/Vienna", "se": "Europe/Stockholm",
    "dk": "Europe/Copenhagen", "no": "Europe/Oslo", "fi": "Europe/Helsinki", "pl": "Europe/Warsaw",
    "gr": "Europe/Athens", "ca": "America/Toronto", "us": "America/New_York", "ma": "Africa/Casablanca",
    "sn": "Africa/Dakar", "tn": "Africa/Tunis", "sg": "Asia/Singapore", "jp": "Asia/Tokyo",
    "au": "Australia/Sydney", "in": "Asia/Kolkata",
}

_FR_WORDS = frozenset(
    "le la les de des du un une et est pour nous vous votre vos avec dans sur au aux "
    "bonjour merci cordialement entretien poste candidature serait ce cette qui que "
    "acceptée acceptee refusée refusee invitation mise à jour annulé annulée".split()
)
_EN_WORDS = frozenset(
    "the a an and is are for we you your with in on at to of hello hi dear thanks "
    "regards interview position role application would this that which be "
    "accepted declined tentative updated canceled cancelled new event".split()
)

# The words that close a mail: the signature follows.
_CLOSING = re.compile(
    r"^\s*(?:(?:bien |tr[eè]s )?cordialement|bien [àa] vous|sinc[eè]res salutations|salutations|[àa] bient[oô]t|"
    r"belle (?:journ[ée]e|soir[ée]e)|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e)|merci(?: encore| beaucoup)?|"
    r"(?:best|kind|warm|warmest)(?: regards| wishes)?|regards|many thanks|thanks(?: again)?|thank you|cheers|"
    r"talk soon|sincerely|yours sincerely|all the best|speak soon)\b[\s,.!]*$",
    re.IGNORECASE)
# Where the sender's own text ends and a system's footer starts.
_FOOTER = re.compile(
    r"^\s*(?:--|__+|powered by|sent (?:via|from|by)|this (?:e-?mail|message) (?:was|has been) sent|"
    r"ce (?:message|courriel|mail|e-mail) a [ée]t[ée] envoy[ée]|cet e-?mail a [ée]t[ée] envoy[ée]|envoy[ée] de mon|"
    r"you are receiving|vous recevez|invitation from google|reply for|view all guest|©)",
    re.IGNORECASE)
_NAME_WORD = r"(?:[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?|[A-ZÀ-Ý]\.|[A-ZÀ-Ý]{2,})"
_PERSON = re.compile(rf"^(?:(?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+)?{_NAME_WORD}(?:\s+(?:de|du|van|von|le|la|d['’])?"
                     rf"\s*{_NAME_WORD}){{1,3}}$")
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:ltd|limited|plc|llc|llp|inc|corp|gmbh|ag|sa|sas|sasu|sarl|s\.a\.|bv|nv|"
                           r"co\.?)\.?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|·•–—-]\s+|\s*,\s+|\s*\|\s*")


@dataclass(frozen=True)
class Found:
    value: str
    source: str


# --- the sender's text


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


_WRAPPED = re.compile(r"(?:[^\n.:!?;]\n(?=[ \t]*[a-zà-ÿ(]))|(?:\b(?:de|d['’]|du|le|la|au|the|for|of|an?)\n(?=\S))")


def unwrap(text: str) -> str:
    """Lines joined where a sentence was wrapped, with the same length (offsets and line numbers hold)."""
    return _WRAPPED.sub(lambda m: m.group()[:-1] + " ", text)


@dataclass(frozen=True)
class Signature:
    """The lines under the closing words (or the last lines of the mail), with their line numbers."""

    lines: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def find_signature(text: str) -> Signature:
    lines = text.split("\n")
    closing = max((i for i, line in enumerate(lines) if _CLOSING.match(line)), default=None)
    end = next((i for i, line in enumerate(lines) if i > (closing or 0) and _FOOTER.match(line)), len(lines))
    if closing is None:
        closing = max(0, end - 7)
    kept = [(i + 1, line.strip()) for i, line in enumerate(lines[closing + 1 : end], start=closing + 1)
            if line.strip()]
    return Signature(tuple(kept[:8]))


def _signature_person(signature: Signature) -> tuple[str, int] | None:
    """The first signature line that is a person's name ("Tom Fletcher", "Daniel Brooks | Talent Partner")."""
    for number, line in signature.lines:
        head = _SEPARATORS.split(line)[0].strip()
        if _PERSON.match(head) and not re.search(r"\d|@", head):
            return head, number
    return None


# --- language


def detect_language(msg: ParsedMessage, default: str, event: CalendarEvent | None = None) -> Found:
    """French or English by counting frequent words; the default when unclear."""
    extra = (event.summary or "") + " " + (event.description or "")[:1000] if event else ""
    sample = own_text(msg.text)[:5000]
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", (msg.subject + " " + sample + " " + extra).lower())
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if fr == en or max(fr, en) < 2:
        return Found(default, "default")
    return Found("fr" if fr > en else "en", "body words" if sample.strip() else "subject words")


# --- addresses and domains


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower().strip(".")


def _in(domain: str, table: frozenset[str]) -> bool:
    """domain is one of table's or below one (mail.greenhouse.io in greenhouse.io): its suffixes looked up."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in table for i in range(len(labels)))


def _is_machine(address: str | None) -> bool:
    if not address:
        return False
    domain = _domain(address)
    return _MACHINE_LOCAL.match(address) is not None or _in(domain, RECRUITING_SYSTEMS) or "imip" in domain


def is_machine_address(address: str | None) -> bool:
    """An address no person reads: a no-reply or notifications box, a recruiting system's."""
    return _is_machine(address)


def names_no_company(address: str | None) -> bool:
    domain = _domain(address)
    return not domain or _in(domain, RECRUITING_SYSTEMS) or _in(domain, MAIL_PROVIDERS)


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()


def load_data() -> None:
    """Read the public suffix list now (0.15 s) rather than in the middle of the first scan."""
    _suffixes()


def domain_label(address: str | None) -> str | None:
    """The name part of the registrable domain: "harbourtalent" for tom@mail.harbourtalent.co.uk."""
    domain = _domain(address)
    if not domain or "." not in domain:
        return None
    registrable = _suffixes().privatesuffix(domain) or domain
    suffix = _suffixes().publicsuffix(domain) or registrable.rpartition(".")[2]
    label = registrable[: -len(suffix) - 1] if registrable.endswith("." + suffix) else registrable.split(".")[0]
    return label or None


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def matches_domain(name: str, label: str | None) -> bool:
    """Whether a name is the one a domain spells: "Banque Solvéa" and banque-solvea, "Ridgeway Capital" and
    ridgewaycap, "Assurances Mirabel" and mirabel-assurances."""
    if not label:
        return False
    squashed, target = _squash(name), _squash(label)
    if len(target) < 3 or not squashed:
        return False
    if squashed == target:
        return True
    words = [_squash(w) for w in re.split(r"[\s'’&-]+", name) if _squash(w)]
    parts = [p for p in re.split(r"[-.]", fold(label)) if p]
    if len(parts) > 1 and sorted(words) == sorted(parts):
        return True
    # an abbreviated domain: the name's first word whole, then the start of the next ones
    return len(words) > 1 and target.startswith(words[0]) and squashed.startswith(target) and len(target) > len(
        words[0])


# --- the recruiter


def _person_from_signature(msg: ParsedMessage, signature: Signature, exclude: set[str]) -> tuple[Person, str] | None:
    for number, line in signature.lines:
        for match in _EMAIL.finditer(line):
            address = match.group(0).lower().rstrip(".")
            if address not in exclude and not _is_machine(address):
                person = _signature_person(signature)
                return Person(name=person[0] if person else None, email=address), f"signature line {number}"
    return None


def find_recruiter(msg: ParsedMessage, event: CalendarEvent | None, user_emails: set[str],
                   signature: Signature) -> tuple[Person, dict[str, str]]:
    """The human behind the invitation, and where their name and address were found."""
    candidates: list[tuple[str | None, str | None, str]] = [(msg.from_name, msg.from_email, "From")]
    for reply_to in msg.reply_to:
        candidates.append((display_name_of(msg, reply_to), reply_to, "Reply-To"))
    if event is not None and event.organizer_email:
        candidates.append((event.organizer_name, event.organizer_email.lower(), "calendar part (ORGANIZER)"))
    for name, address, source in candidates:
        if address and address.lower() not in user_emails and not _is_machine(address):
            return _named(Person(name=_clean_name(name), email=address.lower()), source, msg, signature)
    found = _person_from_signature(msg, signature, user_emails)
    if found is not None:
        person, source = found
        return person, {"recruiter.email": source, "recruiter.name": source}
    person = Person(name=_clean_name(msg.from_name), email=msg.from_email)
    return person, {"recruiter.email": "From", "recruiter.name": "From"}


def _named(person: Person, source: str, msg: ParsedMessage, signature: Signature) -> tuple[Person, dict[str, str]]:
    """A person with a name: the one given with the address, else the signature's when it is theirs."""
    sources = {"recruiter.email": source, "recruiter.name": source}
    if person.name:
        return person, sources
    found = _signature_person(signature)
    local = _squash((person.email or "").partition("@")[0])
    if found and local and all(_squash(part) in local for part in found[0].split()[-2:]):
        sources["recruiter.name"] = f"signature line {found[1]}"
        return Person(found[0], person.email, person.phone), sources
    return person, sources


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.replace('"', " ").split())
    name = name.split("/")[0].strip()  # Lotus Notes: "Lukas Brunner/HR/Helvetra"
    if "@" in name or _MACHINE_LOCAL.match(name.replace(" ", "") + "@"):
        return None
    return name or None


# --- phone


_DIAL_IN = re.compile(r"\bpin\b|dial|join by phone|rejoindre par t[ée]l[ée]phone|conference id|meeting id|"
                      r"id de (?:la )?(?:r[ée]union|conf[ée]rence)|passcode|code secret|audio", re.IGNORECASE)


def find_phone(text: str, region: str = "FR", exclude: Iterable[str] = ()) -> tuple[str, int] | None:
    """The first phone number in the text that is not a dial-in, in international format, and its line."""
    unwanted = {_squash(e) for e in exclude if e}
    try:
        for match in phonenumbers.PhoneNumberMatcher(text[:20000], region):
            line_start = text.rfind("\n", 0, match.start) + 1
            line_end = text.find("\n", match.end)
            if _DIAL_IN.search(text[line_start: line_end if line_end >= 0 else len(text)]):
                continue
            if not phonenumbers.is_valid_number(match.number):
                continue
            formatted = str(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
            if _squash(formatted) in unwanted:
                continue
            return formatted, _line_no(text, match.start)
    except Exception:  # the matcher must never stop a message
        log.debug("phone matcher failed")
    return None


def _phone_region(address: str | None) -> str:
    tld = _domain(address).rpartition(".")[2]
    return {"uk": "GB", "com": "FR", "io": "FR"}.get(tld, tld.upper() if len(tld) == 2 else "FR")


# --- the sender's zone


def sender_zone(msg: ParsedMessage, recruiter: Person, configured: str) -> str:
    """The zone the sender writes in: the configured one unless the Date offset and a hint agree on another."""
    if msg.date is None or msg.date.utcoffset() is None:
        return configured
    offset = msg.date.utcoffset()
    if ZoneInfo(configured).utcoffset(msg.date.replace(tzinfo=None)) == offset:
        return configured
    for zone in _zone_hints(recruiter):
        if ZoneInfo(zone).utcoffset(msg.date.replace(tzinfo=None)) == offset:
            return zone
    return configured


def _zone_hints(recruiter: Person) -> Iterator[str]:
    tld = _domain(recruiter.email).rpartition(".")[2]
    if tld in _TLD_ZONES:
        yield _TLD_ZONES[tld]
    if recruiter.phone:
        try:
            yield from phone_zones.time_zones_for_number(phonenumbers.parse(recruiter.phone))
        except phonenumbers.NumberParseException:
            return


# --- position


_POSITION_BODY = (
    r"(?:au |pour le |du |sur le |concernant le |le )?poste (?:de |d'|d’|:\s*)\s*(?P<p>[^,.\n;:()«»\"]{3,70})",
    r"(?:annonce|offre|candidature)[^«\"\n]{0,30}(?:«|\")\s*(?P<p>[^»\"\n]{3,70}?)\s*(?:»|\")",
    r"(?:for|about|to) (?:the|our|your|a|an) (?:position|role|job) (?:of|as) (?P<p>[^,.\n;:()]{3,70})",
    r"(?:for|about|to|in) (?:the|our|your|a|an|this) (?P<p>(?:[A-Z][\w/&+#.-]*\s){0,5}[A-Z][\w/&+#-]*) "
    r"(?:position|role|opening|job|vacancy)\b",
    r"(?:the|this) (?P<p>(?:[A-Z][\w/&+#.-]*\s){0,5}[A-Z][\w/&+#-]*) (?:position|role|opening)\b",
)
_POSITION_CUT = re.compile(
    r"\s+(?:chez|at|au sein|within|with|avec|dans|in|on|pour|for|que|qui|which|that|bas[ée]e?s?|based|sur|"
    r"située?|located|en cdi|en cdd|h/f|f/h|m/f|(?:et|and) (?:du|de|des|le|la|les|l['’]|the|your|our|"
    r"souhait\w*|aimer\w*|voudr\w*|would|want|nous|vous|we|you|to)|\(|–|—|-\s)"
    r"\b.*$|\s*\((?:h/f|f/h|m/f|r[ée]f|jr|r-).*$",
    re.IGNORECASE)
_INTERVIEW_WORDS = re.compile(
    r"\b(?:entretien|interview|entrevue|invit|convoca|rendez-vous|rdv|call\b|screen|appel|echange|confirm|"
    r"candidat|application|update|mis[e]? a jour|annul|cancel|proposition|disponibilit|availability|schedul|"
    r"technical|technique|next step|your\b|votre\b|re\b|tr\b|fwd?\b|new event|meeting|reunion|visio|rencontr|"
    r"suite\b|retour\b|feedback|vous\b|nous\b|you\b|we\b|merci|thank|option|event\b)", re.IGNORECASE)


_INTERVIEW_TAIL = re.compile(r"(?:" + _INTERVIEW_WORDS.pattern + r")\w*", re.IGNORECASE)


def _trim_position(value: str) -> str | None:
    value = _POSITION_CUT.sub("", " ".join(value.split()))
    value = value.strip(" «»\"'.,:;").strip()
    value = re.sub(r"^(?:d['’]|de |l['’]|le |la |the |an? )", "", value, flags=re.IGNORECASE)
    value = value[:1].upper() + value[1:] if value else value
    return value if 2 < len(value) <= 60 and not _only_interview_words(value) else None


def _only_interview_words(value: str) -> bool:
    """"Annulé", "Canceled event", "Confirmed": words of the message's kind, not a job."""
    rest = _INTERVIEW_TAIL.sub("", fold(value))
    return not re.search(r"[a-z]", rest)


def _segments(text: str) -> list[str]:
    """The parts of a subject or summary: "Interview - Backend Engineer - Tidewater" in three."""
    text = re.sub(r"^\s*(?:(?:re|tr|fwd?|aw|wg)\s*:\s*)+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s@\s.*$|\([^)]*\)", " ", text)  # Google's "@ Wed Feb 3 …", "(alice@…)", "(H/F)"
    return [p.strip() for p in re.split(r"\s+[-–—|:/]\s+|:\s+|\s+-\s*|\s*–\s*", text) if p.strip()]


def _job_like(segment: str) -> str | None:
    """A subject part that names a job: not the interview words, at most six words."""
    trimmed = _trim_position(segment)
    if not trimmed or not 1 <= len(trimmed.split()) <= 6 or _INTERVIEW_WORDS.search(fold(trimmed)) \
            or re.search(r"\d{2}|@", trimmed):
        return None
    return trimmed


def find_position(msg: ParsedMessage, event: CalendarEvent | None, body: str, company: str | None,
                  people: set[str]) -> Found | None:
    titles = [(s, "subject") for s in _segments(msg.subject)]
    if event is not None and event.summary:
        titles += [(s, "calendar part (SUMMARY)") for s in _segments(event.summary)]
    titles = [(t, src) for t, src in titles
              if not (company and _squash(company) in _squash(t)) and _squash(t) not in people]
    for pattern in _POSITION_BODY:
        for match in re.finditer(pattern, body, re.IGNORECASE if "[A-Z]" not in pattern else 0):
            value = _trim_position(match.group("p"))
            if not value:
                continue
            # the subject says it more cleanly: "Contrôleur de gestion" for "Contrôleur de gestion basé à Paris"
            for title, source in titles:
                if _squash(value).startswith(_squash(title)) and len(_squash(title)) >= 4:
                    return Found(_trim_position(title) or title, source)
            return Found(value, f"body line {_line_no(body, match.start('p'))}")
    for title, source in titles:
        job = _job_like(title)
        if job and not (company and matches_domain(job, _squash(company))):
            return Found(job, source)
    return None


# --- company


_COMPANY_WORD = r"[A-ZÀ-Ý][\w&'’-]*(?:\.[A-Za-z]{2,})?"
_COMPANY_NAME = rf"(?P<c>{_COMPANY_WORD}(?:[ ](?:&[ ])?{_COMPANY_WORD}){{0,3}})"
_COMPANY_PATTERNS: tuple[tuple[str, int], ...] = (
    (rf"(?:notre|our) client,?\s+(?:le |la |l['’])?{_COMPANY_NAME}", 6),
    (rf"\b(?:chez|at|au sein (?:de|d['’]|du groupe)|rejoindre|join(?:ing)?|pour le compte (?:de |d['’])"
     rf"|int[ée]r[êe]t (?:que vous portez |pour )?(?:au |à |a |pour )?|interest in|on behalf of) "
     rf"(?:le |la |l['’])?{_COMPANY_NAME}", 4),
    (rf"(?:^|[.!]\s+|,\s+|–\s+|-\s+){_COMPANY_NAME} (?:(?:have|has|ont|a) [^.!?\n]{{0,50}}? (?:and|et) )?"
     rf"(?:would like|souhaite|souhaiterait|"
     rf"aimerait|is pleased|are pleased|a le plaisir|wants|is excited|are excited)", 4),
    # a scheduler's "Host: Noah Williams (Cobalt Systems)"
    (rf"\b{_NAME_WORD} {_NAME_WORD} \({_COMPANY_NAME}\)", 2),
)
# "Your interview with Orbital Pay": in a subject, "with" names a company; in a body, mostly a person.
_SUBJECT_WITH = rf"\bwith (?:the )?{_COMPANY_NAME}"
_NOT_COMPANY = frozenset(fold(w) for w in (
    "Paris", "Lyon", "London", "Londres", "Teams", "Microsoft Teams", "Zoom", "Google", "Google Meet", "Meet",
    "Webex", "Le", "La", "Les", "The", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Lundi", "Mardi",
    "Mercredi", "Jeudi", "Vendredi", "Nous", "We", "Our", "Notre", "Madame", "Monsieur", "Ms", "Mr", "Mrs", "Mme",
    "M", "I", "You", "Vous", "Alice", "Dear", "Hi", "Hello", "Bonjour", "Merci", "Thanks", "Thank", "Noon", "Midi",
    "Calendly", "Greenhouse", "Lever", "Workday", "SmartRecruiters", "Teamtailor", "Welcome to the Jungle",
    "LinkedIn", "Indeed", "Reception", "Interview", "Entretien", "Please", "Our Team", "HR", "RH",
))


# Words of a person's role: "Paul Morel (Lead Data)" names a job, not a company.
_ROLE_WORDS = re.compile(r"\b(?:director|directeur|directrice|head|manager|lead|engineer|officer|recruiter|"
                         r"consultante?|responsable|chargee?|chef|presidente?|ceo|cto|cfo|coo|vp|associee?|"
                         r"specialist|coordinator|coordinatrice|coordinateur|assistante?)\b")


_DETERMINERS = frozenset({"le", "la", "les", "the", "our", "notre", "votre", "your", "nos", "their", "leur"})


def _clean_company(value: str) -> str | None:
    value = _LEGAL_SUFFIX.sub("", value.strip(" .,'’\"«»")).strip(" .,")
    first = fold(value.split()[0]) if value.split() else ""
    if not value or fold(value) in _NOT_COMPANY or _ROLE_WORDS.search(fold(value)) or first in _DETERMINERS:
        return None
    return value


class _Ballot:
    """Candidates for one field, each scored; agreement across sources adds up."""

    def __init__(self, people: set[str]) -> None:
        self.people = people  # squashed names of the people in the message: never a company
        self.scores: dict[str, float] = {}
        self.names: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def vote(self, value: str | None, score: float, source: str) -> None:
        cleaned = _clean_company(value) if value else None
        if not cleaned:
            return
        key = _squash(cleaned)
        if not key or key in self.people:
            return
        if key not in self.scores or score > self.scores[key]:
            self.sources[key] = source
        if key not in self.names or (score >= self.scores.get(key, 0) and len(cleaned) >= len(self.names[key])):
            self.names.setdefault(key, cleaned)
        self.scores[key] = self.scores.get(key, 0) + score

    def support(self, label: str | None, score: float) -> None:
        for key, name in self.names.items():
            if matches_domain(name, label):
                self.scores[key] += score
            elif label and "-" in label and key == _squash(label.split("-")[0]):
                self.scores[key] += score / 2  # "Acme" for acme-finance.fr

    def best(self) -> Found | None:
        if not self.scores:
            return None
        key = max(self.scores, key=lambda k: self.scores[k])
        return Found(self.names[key], self.sources[key])


def find_company(msg: ParsedMessage, event: CalendarEvent | None, recruiter: Person, body: str,
                 signature: Signature) -> Found | None:
    ballot = _Ballot(people_in(msg, event, recruiter, signature))
    for text, weight, where in ((msg.subject, 1.5, "subject"), (body, 1.0, "body")):
        patterns = (*_COMPANY_PATTERNS, (_SUBJECT_WITH, 4)) if where == "subject" else _COMPANY_PATTERNS
        for pattern, score in patterns:
            for match in re.finditer(pattern, text, re.MULTILINE):
                source = where if where == "subject" else f"body line {_line_no(text, match.start('c'))}"
                ballot.vote(_first_sentence(match.group("c")), score * weight, source)
    if _is_machine(msg.from_email) and msg.from_name and not _names_its_system(msg.from_name, msg.from_email):
        ballot.vote(msg.from_name, 3, "sender name")  # "Kestrel Robotics <no-reply@greenhouse-mail.io>"
    for number, line in signature.lines:
        for piece in _SEPARATORS.split(line):
            if not re.search(r"@|\d{3}|https?:|www\.", piece) and 0 < len(piece.split()) <= 5:
                ballot.vote(piece, 0.5, f"signature line {number}")
    for segment in (*_segments(msg.subject), *(_segments(event.summary) if event and event.summary else ())):
        ballot.vote(segment, 0.25, "subject")  # counts only when it agrees with another source
    labels = {domain_label(a) for a in (recruiter.email, msg.from_email, *msg.reply_to) if not names_no_company(a)}
    for label in labels:
        ballot.support(label, 2)
    mentioned = [k for k, s in ballot.scores.items() if s >= 1.5]
    if mentioned:
        found = ballot.best()
        if found is not None:
            return found
    return _company_from_domain(msg, recruiter, body, labels)


def people_in(msg: ParsedMessage, event: CalendarEvent | None, recruiter: Person, signature: Signature) -> set[str]:
    """The squashed names of the people a message names in its headers, organizer and signature."""
    names = [recruiter.name if not _is_machine(recruiter.email) else None]
    signed = _signature_person(signature)
    names.append(signed[0] if signed else None)
    names += [display_name_of(msg, a) for a in (*msg.to, *msg.cc, *msg.reply_to)]
    if event is not None:
        names.append(event.organizer_name)
    if msg.from_email and not _is_machine(msg.from_email):
        names.append(msg.from_name)
    return {_squash(n) for n in names if n and _squash(n)}


def _names_its_system(name: str, address: str | None) -> bool:
    """"Zoom Scheduler <no-reply@zoom.us>", "Inès via Welcome to the Jungle": the system, not the company."""
    label = domain_label(address)
    return bool(label and _squash(label) in _squash(name)) or re.search(r"\bvia\b", name) is not None


def _first_sentence(value: str) -> str:
    return re.split(r"\.\s|\n", value)[0]


def _company_from_domain(msg: ParsedMessage, recruiter: Person, body: str, labels: set[str | None]) -> Found | None:
    """A name spelled like the domain anywhere in the text, else the domain itself."""
    for label in sorted(filter(None, labels)):
        for text, where in ((msg.subject, "subject"), (body, "body")):
            for match in re.finditer(_COMPANY_NAME, text):
                words = match.group("c").split()
                for size in range(len(words), 0, -1):
                    for first in range(len(words) - size + 1):
                        name = " ".join(words[first : first + size])
                        if matches_domain(name, label) and _clean_company(name):
                            source = where if where == "subject" else f"body line {_line_no(text, match.start())}"
                            return Found(_clean_company(name) or name, source)
    for address, source in ((recruiter.email, "recruiter domain"), (msg.from_email, "sender domain")):
        own_label = domain_label(address)
        if own_label and not names_no_company(address):
            return Found(own_label.replace("-", " ").title(), source)
    return None


# --- place and link


def _find_url(event: CalendarEvent | None, text: str) -> Found | None:
    if event is not None and event.url:
        return Found(event.url, "calendar part")
    match = find_join_link(text)
    return Found(match.group(0).rstrip(LINK_TAIL), f"body line {_line_no(text, match.start())}") if match else None


def _find_location(event: CalendarEvent | None, text: str) -> Found | None:
    if event is not None and event.location and not find_join_link(event.location):
        return Found(event.location, "calendar part (LOCATION)")
    match = re.search(r"(?:adresse|address|lieu|location)\s*:\s*(?P<a>[^\n]{5,120})", text, re.IGNORECASE)
    if match:
        return Found(match.group("a").strip(), f"body line {_line_no(text, match.start('a'))}")
    match = re.search(r"\b\d{1,4}(?:bis|ter)?,? (?:rue|avenue|av\.|boulevard|bd|place|quai|allée|impasse|chemin|"
                      r"cours) [^\n,]{3,60}(?:,? \d{5} [^\n,]{2,40})?", text, re.IGNORECASE)
    return Found(match.group(0).strip(), f"body line {_line_no(text, match.start())}") if match else None


def _mail_only(text: str) -> bool:
    folded = fold(text)
    return re.search(r"(uniquement|seulement|exclusivement) par (e-?)?mail|par (e-?)?mail uniquement|"
                     r"(by|via) (e-?)?mail only|only (by|via) (e-?)?mail|please do not (call|phone)|"
                     r"merci de ne pas (m.appeler|nous appeler|appeler)", folded) is not None


# --- dates


# A date the text marks as the old one, when the mail moves an interview.
_SUPERSEDED = re.compile(r"previous|initial|originally|instead of|au lieu d|ancien|pr[ée]c[ée]dent|was\s*:|"
                         r"\(cancell?ed\)|\(annul[ée]e?\)|no longer|n'est plus", re.IGNORECASE)


def _current_dates(found: list[FoundDate], text: str) -> list[FoundDate]:
    lines = text.split("\n")
    kept = [f for f in found if not _SUPERSEDED.search(lines[f.line] if f.line < len(lines) else "")]
    return kept or found


def pick_event(events: Sequence[CalendarEvent]) -> CalendarEvent | None:
    """The event the message is about: the one with a start, latest version first."""
    with_start = [e for e in events if e.start is not None] or list(events)
    if not with_start:
        return None
    return max(with_start, key=lambda e: (e.sequence, e.dtstamp.timestamp() if e.dtstamp else 0.0))


@dataclass(frozen=True)
class _When:
    start: datetime | None = None
    end: datetime | None = None
    candidates: tuple[datetime, ...] = ()


def _find_when(msg: ParsedMessage, text: str, event: CalendarEvent | None, zone: str, language: str,
               now: datetime | None, sources: dict[str, str]) -> _When:
    if event is not None and event.start is not None:
        sources["interview.start"] = "calendar part (DTSTART)"
        if event.end is not None:
            sources["interview.end"] = "calendar part (DTEND)"
        return _When(event.start, event.end)
    reference = msg.date or now or datetime.now(ZoneInfo(zone))
    found = _current_dates(find_dates(text, reference=reference, tz=zone, language=language), text)
    if len(found) == 1:
        where = f"body line {found[0].line + 1}: {' '.join(found[0].text.split())}"
        sources["interview.start"] = where
        if found[0].end is not None:
            sources["interview.end"] = where
        return _When(found[0].start, found[0].end)
    if found:
        sources["candidates"] = "body lines " + ", ".join(str(f.line + 1) for f in found)
    return _When(candidates=tuple(f.start for f in found))


# --- everything


def _field(value: str | None) -> str | None:
    """A field as one line for a record, a header or a calendar property: a calendar part's TEXT
    values may hold line breaks (escaped \\n) and raw control characters."""
    return one_line(value) or None if value else None


def extract(msg: ParsedMessage, events: Sequence[CalendarEvent], *, tz: str, default_language: str,
            user_emails: set[str], now: datetime | None = None) -> Facts:
    sources: dict[str, str] = {}
    event = pick_event(events)
    language = detect_language(msg, default_language, event)
    sources["language"] = language.source
    text = msg.text.replace("\r\n", "\n").replace("\r", "\n")  # one line end, so patterns can rely on \n
    own = own_text(text)
    body = unwrap(own)
    signature = find_signature(own)
    users = {e.lower() for e in user_emails if e}
    recruiter, recruiter_sources = find_recruiter(msg, event, users, signature)
    sources.update(recruiter_sources)
    phone = find_phone(own, _phone_region(recruiter.email))
    if phone:
        sources["recruiter.phone"] = ("signature" if any(n == phone[1] for n, _ in signature.lines) else "body") + \
            f" line {phone[1]}"
    recruiter = Person(recruiter.name, recruiter.email, phone[0] if phone else None)
    zone = sender_zone(msg, recruiter, tz)
    when = _find_when(msg, text, event, zone, language.value, now, sources)
    company = find_company(msg, event, recruiter, body, signature)
    position = find_position(msg, event, body, company.value if company else None,
                             people_in(msg, event, recruiter, signature))
    url = _find_url(event, own)
    location = _find_location(event, body)
    for key, item in (("position", position), ("company", company), ("interview.url", url),
                      ("interview.location", location)):
        if item is not None:
            sources[key] = item.source
    if not recruiter.name:
        sources.pop("recruiter.name", None)
    if not recruiter.email:
        sources.pop("recruiter.email", None)
    return Facts(
        company=_field(company.value) if company else None,
        position=_field(position.value) if position else None,
        language=language.value,
        recruiter=Person(_field(recruiter.name), recruiter.email, recruiter.phone),
        start=when.start,
        end=when.end,
        location=_field(location.value) if location else None,
        url=url.value if url and one_line(url.value) == url.value else None,
        candidates=when.candidates,
        event=event,
        contact_preference="mail" if _mail_only(text) else None,
        sources=sources,
    )
