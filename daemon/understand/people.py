# SPDX-License-Identifier: MIT
"""Who wrote: the human behind a sender (Reply-To, organizer, signature when a machine sent it), their
name, address, phone and zone; what a sender's domain says (a mail provider or a recruiting system names
no company). Every value found says where (``Found``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as phone_zones
from publicsuffixlist import PublicSuffixList

from daemon.model import CalendarEvent, ParsedMessage, Person
from daemon.text import EMAIL_IN_TEXT, fold
from daemon.understand.datewords import CITY_ZONES
from daemon.understand.mime import display_name_of
from daemon.understand.quotes import forwarded_senders, own_text

log = logging.getLogger(__name__)


# Senders that are machines: the human is in Reply-To, the organizer or the signature.
# Of them, the mailboxes nobody reads (a recruiting mailbox, recrutement@, careers@, is read and answers).
# and a phone's gateways, which mail a voicemail or a text message on: the caller is in the text
_GATEWAY_LOCAL = r"voice[-_.]?mail|sms2e?mail|sms[-_.]?to[-_.]?e?mail|messagerie[-_.]?vocale"
_NOBODY_READS = (r"no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre|notifications?|mailer|"
                 rf"{_GATEWAY_LOCAL}")
_GATEWAY = re.compile(rf"^(?:{_GATEWAY_LOCAL})([-+_.].*)?@", re.IGNORECASE)


def phone_gateway(address: str | None) -> bool:
    """A phone's service mailing a voicemail or a text message on: its name is the service's, no company's."""
    return bool(address) and _GATEWAY.match(address or "") is not None


_MACHINE_LOCAL = re.compile(rf"^({_NOBODY_READS}|calendar-notification|bounce|jobs?|recrutement|careers?|talent|hr|rh|"
                            r"invitations?|scheduling|calendar)([-+_.].*)?@", re.IGNORECASE)
# Recruiting and scheduling systems: their address is a machine's, their domain names no company.
RECRUITING_SYSTEMS = frozenset({
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "myworkday.com", "myworkdayjobs.com",
    "smartrecruiters.com", "smartrecruiters-mail.com", "teamtailor.com", "teamtailor-mail.com",
    "welcometothejungle.com", "welcometothejungle-mail.com", "workable.com", "workablemail.com", "recruitee.com",
    "ashbyhq.com", "jobvite.com", "icims.com", "taleo.net",
    "successfactors.com", "calendly.com", "zoom.us", "linkedin.com", "indeed.com", "apec.fr", "hellowork.com",
    "goodtime.io", "doctolib.fr", "flatchr.io", "digitalrecruiters.com", "beetween.com", "doodle.com",
    "cal.com", "cronofy.com", "modernloop.io", "bamboohr.com", "personio.de", "personio.com", "breezy.hr", "jazzhr.com",
    "hirevue.com", "jobteaser.com",
})
# Mail providers: a human may write from them, but the domain names no company.
MAIL_PROVIDERS = frozenset({
    "gmail.com", "googlemail.com", "google.com", "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr",
    "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr", "icloud.com", "me.com", "mac.com",
    "microsoft.com", "office365.com", "onmicrosoft.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr",
    "sfr.fr", "gmx.fr", "gmx.com", "gmx.de", "protonmail.com", "proton.me", "example.com", "example.org",
    "example.net", "aol.com", "yandex.com", "zoho.com", "fastmail.com",
})
# Chat platforms mailing a notification of a message written in them: the person and the workspace are in the text,
# the domain names no company, and nobody reads the address.
CHAT_PLATFORMS = frozenset({"slack.com", "discord.com", "discordapp.com", "mattermost.com", "rocket.chat"})
# Freelance platforms: they put a client and a freelancer in touch, their people write for the client, and their
# name (in the sender, the signature, the domain) is never the employer's.
FREELANCE_PLATFORMS = frozenset({
    "malt.fr", "malt.com", "malt.uk", "malt.de", "malt.es", "upwork.com", "comet.co", "cremedelacreme.io",
    "fiverr.com", "freelancer.com", "toptal.com", "lehibou.com", "codeur.com", "catalant.com",
    "freelance-informatique.fr", "kicklox.com", "littlebigconnection.com",
})
# The lookbehind starts a try only where a run of address characters starts:
# without it a long run with no @ (a pasted blob) costs quadratic time.

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


# The words that close a mail: the signature follows.
_CLOSING = re.compile(
    r"^\s*(?:(?:bien |tr[eè]s )?cordialement|bien [àa] vous|sinc[eè]res salutations|salutations|[àa] bient[oô]t|"
    r"belle (?:journ[ée]e|soir[ée]e)|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e)|merci(?: encore| beaucoup)?|"
    r"(?:best|kind|warm|warmest)(?: regards| wishes)?|regards|many thanks|thanks(?: again)?|thank you|cheers|"
    r"talk soon|sincerely|yours sincerely|all the best|speak soon)\b[\s,.!]*$"
    # the formal French closing ends its sentence: "…, Madame, nos meilleures salutations."
    r"|^[^\n]{0,200}\b(?:salutations(?: distingu[ée]es)?|sentiments (?:les )?(?:meilleurs|distingu[ée]s|respectueux))"
    r"[\s.!]*$",
    re.IGNORECASE)
# Where the sender's own text ends and a system's footer starts.
_DELIMITER = re.compile(r"^--\s*$")
_FOOTER = re.compile(
    r"^\s*(?:--|__+|powered by|sent (?:via|from|by)|this (?:e-?mail|message) (?:was|has been) sent|"
    r"ce (?:message|courriel|mail|e-mail) a [ée]t[ée] envoy[ée]|cet e-?mail a [ée]t[ée] envoy[ée]|envoy[ée] de mon|"
    r"you are receiving|vous recevez|invitation from google|reply for|view all guest|©)",
    re.IGNORECASE)
# a surname may open with a prefix written apart by its capital: "O'Brien", "D'Angelo", "McCarthy"
NAME_WORD = r"(?:(?:O['’]|D['’]|Mc)?[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?|[A-ZÀ-Ý]\.|[A-ZÀ-Ý]{2,})"
# particles, two of them at most: "de La Fontaine", "van den Broek", "Van der Berg", "d'Amico"
_PERSON = re.compile(rf"^(?:(?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+)?{NAME_WORD}(?:\s+(?:(?:van|von|de|da|di)\s+)?"
                     rf"(?:de|du|van|von|le|la|d['’]|der|den|del|della|da|di|dos|das|ter|ten)?"
                     rf"\s*{NAME_WORD}){{1,3}}$")


# a company's legal form after its name: "Acme Ltd", "Octave & Fils SAS", "Brumaire ASBL"; a line ending so is
# a company, never a person, and the company is named without it
# not the "Co" of "Bulle & Co", which is the name
LEGAL_SUFFIX = re.compile(r"(?<![&+])[\s,]+(?:ltd|limited|plc|llc|llp|inc|corp|gmbh|ag|sa|sas|sasu|sarl|s\.a\.|bv|nv|"
                          r"b\.v|n\.v|srl|sprl|s\.r\.l|sl|s\.l|spa|s\.p\.a|bvba|asbl|vzw|se|oy|co\.?)\.?$",
                          re.IGNORECASE)
# a French small business writes its legal form first: "SARL Lopez & Fils", "EURL Martin Paysages", "SAS Dubois"
LEGAL_PREFIX = re.compile(r"^(?:SARL|SAS|SASU|EURL|SCOP|SELARL|SNC|SCI|St[ée])\.?\s+(?=[A-ZÀ-Ý])")


# a name, then where: "Kevin Lambert | Opale Intérim" (not the comma of "Wendt, Julie", a directory's order)
# each begins where a run of blanks begins: tried from every blank of a long run, they took its square
_NAME_THEN_WHERE = re.compile(r"(?<!\s)\s+[|·•–—-]\s+|(?<!\s)\s*\|\s*")
# the parts of a signature line, the comma's too: "Daniel Brooks, Talent Partner"
SEPARATORS = re.compile(rf"{_NAME_THEN_WHERE.pattern}|(?<!\s)\s*,\s+")


@dataclass(frozen=True)
class Found:
    value: str
    source: str



# --- the sender's text


def line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


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
    # the quoted history is blanked out (quotes.own_text): the text ends at its last written line
    written = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=0)
    end = next((i for i, line in enumerate(lines) if i > (closing or 0) and _FOOTER.match(line)
                and not _opens_signature(lines, i)), written)
    if closing is None:
        closing = max(0, end - 7)
    kept = [(i + 1, line.strip()) for i, line in enumerate(lines[closing + 1 : end], start=closing + 1)
            if line.strip() and not _DELIMITER.match(line)]
    return Signature(tuple(kept[:8]))


def _opens_signature(lines: list[str], i: int) -> bool:
    """ "-- " then a name opens the signature (RFC 3676), the name alone or with a role and a company after a
    separator ("Derek Chu | Head of DevRel | Loomstack"); it does not end it as "-- Sent via X" does."""
    after = next((line.strip() for line in lines[i + 1 :] if line.strip()), "")
    return _DELIMITER.match(lines[i]) is not None and _PERSON.match(SEPARATORS.split(after)[0].strip()) is not None


def signature_person(signature: Signature) -> tuple[str, int] | None:
    """The first signature line that is a person's name ("Tom Fletcher", "Daniel Brooks | Talent Partner")."""
    for number, line in signature.lines:
        head = SEPARATORS.split(line)[0].strip()
        # "L'équipe RH de Numéa", "The Talent Team": a team signs, shaped like a name; "Crédit Mutuel Bretagne",
        # "Campus Orsay": an organisation's line under the person's, shaped like a name too
        if _PERSON.match(head) and not re.search(r"\d|@", head) and not LEGAL_SUFFIX.search(head) and \
                not _organisation(head):
            return head, number
    return None


# --- addresses and domains


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower().strip(".")


def _in(domain: str, table: frozenset[str]) -> bool:
    """domain is one of table's or below one (mail.greenhouse.io in greenhouse.io): its suffixes looked up."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in table for i in range(len(labels)))


# a system's own mailing domain is spelled after its name: "greenhouse-mail.io", "workablemail.com"; one not
# listed yet ("recruitee-mail.com", "lever-mail.co") is the system's all the same
_SYSTEM_NAMES = frozenset(d.split(".")[0] for d in RECRUITING_SYSTEMS if len(d.split(".")[0]) >= 5)
_MAILING_TAIL = re.compile(r"-?e?mails?$")


def _system_at(labels: list[str]) -> int | None:
    """Where a recruiting system's domain starts in a domain's labels, if it is one's."""
    for i in range(len(labels)):
        if ".".join(labels[i:]) in RECRUITING_SYSTEMS:
            return i
    if len(labels) >= 2 and (stem := _MAILING_TAIL.sub("", labels[-2])) != labels[-2] and stem in _SYSTEM_NAMES:
        return len(labels) - 2
    return None


def _system_domain(domain: str) -> bool:
    return _system_at(domain.split(".")) is not None


def is_machine(address: str | None) -> bool:
    if not address:
        return False
    domain = _domain(address)
    return _MACHINE_LOCAL.match(address) is not None or _system_domain(domain) or "imip" in domain or \
        chat_platform(address)


def relays_a_person(name: str | None, address: str | None) -> bool:
    """A recruiting system's address of one of its users, which it relays to them: "Maëlle Guérin"
    <maelle.guerin@kerlann.teamtailor-mail.com>, the address spelling the name it is given with."""
    if not name or not address or not from_recruiting_system(address) or _NO_REPLY.match(address):
        return False
    # a person's relay is at the company's own subdomain, and spells the given name and the surname apart
    parts, words = re.split(r"[._-]", address.partition("@")[0]), name.split()
    return _tenant_subdomain(address) is not None and len(parts) >= 2 and len(words) >= 2 and \
        squash(words[0]) == squash(parts[0]) and squash(words[-1]) == squash(parts[-1])


# the system's mail says its answers reach the sender: "Reply directly to this email", "répondez directement à ce
# message" (not "please do not reply to this email")
_REPLY_HERE = re.compile(r"(?i:(?<!not )(?<!n['’]t ))\b(?:(?:simply|just|directly) )?(?i:reply|respond)(?: directly)? "
                         r"to (?:this|the) (?:e-?mail|message)\b|"
                         r"(?i:(?<!pas )r[ée]pond(?:ez|re)(?:-nous|-moi)? directement (?:à|a) (?:ce|cet) "
                         r"(?:e-?mail|mail|message|courriel))")


def _nobodys_mailbox(address: str | None, name: str | None, text: str = "") -> bool:
    """No-reply, or a recruiting system's mailbox that relays no person ("acme@myworkday.com", not
    "acme-hannah-clarke@inbox.recruitee.com" of Hannah Clarke, nor one the mail says to answer): nobody reads
    what is sent to it."""
    if not address or _NO_REPLY.match(address):
        return True
    parts = {squash(p) for p in re.split(r"[._+-]", address.partition("@")[0])}
    words = [squash(w) for w in re.sub(r"\([^()]*\)", " ", name or "").split()]
    return from_recruiting_system(address) and not (len(words) >= 2 and words[0] in parts and words[-1] in parts) \
        and not _REPLY_HERE.search(text[:20000])


# a job board writes as "Bastien de Loopa", "Léa from Kestrel": the person's given name, then whose
_GIVEN_NAME_OF = re.compile(rf"^({NAME_WORD}) (?:de|from|at|chez|d['’]) ?[A-ZÀ-Ý]")


def _board_sender(name: str | None, address: str | None) -> str | None:
    """The person of a recruiting system's "Léa de Kestrel"; not a name with its particle ("Sanne de Vries"), which
    only a person's own address gives."""
    if not name or not from_recruiting_system(address) or (found := _GIVEN_NAME_OF.match(name)) is None:
        return name
    return found.group(1)


def _platform_member(name: str | None, address: str, signature: Signature
                     ) -> tuple[Person, dict[str, str]] | None:
    """A freelance platform's manager signs her sender's name with the platform's ("Inès de Comet", "Paul –
    LeHibou"): the person is the other part, in full as the signature gives it when it starts with that name."""
    label = domain_label(address)
    pieces = [p for p in SEPARATORS.split(_clean_name(name) or "") if p and not matches_domain(p, label)]
    if not pieces:
        return None
    given = _GIVEN_NAME_OF.match(pieces[0])
    person = given.group(1) if given is not None else pieces[0]
    if not (_PERSON.match(person) or re.fullmatch(NAME_WORD, person)) or _organisation(person):
        return None
    sources = {"recruiter.email": "From", "recruiter.name": "From"}
    for number, line in signature.lines:
        signed = SEPARATORS.split(line)[0].strip()
        if _PERSON.match(signed) and signed.split()[0] == person.split()[0] and len(signed.split()) > 1 and \
                len(person.split()) == 1:
            return Person(signed, address.lower()), {**sources, "recruiter.name": f"signature line {number}"}
    return Person(person, address.lower()), sources


def from_recruiting_system(address: str | None) -> bool:
    """Sent from a recruiting or scheduling system's domain ("acme@myworkday.com"): a machine, whatever its name."""
    return bool(address) and _system_domain(_domain(address))


# the parts of a recruiting system's addresses that are the system's own, not its customer's
_SYSTEM_PARTS = frozenset({"us", "eu", "uk", "mail", "email", "e", "em", "mg", "hire", "jobs", "app", "apps", "tbe",
                           "notifications", "notification", "messaging", "careers", "www", "calendar", "reply"})


def system_tenant(address: str | None) -> str | None:
    """The company a recruiting system writes for, as its address names it: its subdomain
    ("jobs@numea.recruitee.com", "maelle.guerin@kerlann.teamtailor-mail.com") or, from a bare system domain, a
    mailbox named after it ("veltrane@myworkday.com"); None for the system's own ("no-reply@us.greenhouse-mail.io")."""
    if not address or not from_recruiting_system(address):
        return None
    if (subdomain := _tenant_subdomain(address)) is not None:
        return subdomain
    local = address.partition("@")[0].lower()
    return local if re.fullmatch(r"[a-z][a-z-]{2,}", local) and not _MACHINE_LOCAL.match(address) else None


def _tenant_subdomain(address: str) -> str | None:
    labels = _domain(address).split(".")
    below = [label for label in labels[:_system_at(labels) or 0] if label not in _SYSTEM_PARTS]
    return below[-1] if below else None


def names_no_company(address: str | None) -> bool:
    domain = _domain(address)
    return not domain or _system_domain(domain) or _in(domain, MAIL_PROVIDERS) or phone_gateway(address) or \
        chat_platform(address) or freelance_platform(address)


def freelance_platform(address: str | None) -> bool:
    """A freelance platform's address, a person's or its notifications': the mission is the client's."""
    return _in(_domain(address), FREELANCE_PLATFORMS)


def chat_platform(address: str | None) -> bool:
    """A chat platform's notification ("notification@slack.com"): a message relayed from a workspace."""
    return _in(_domain(address), CHAT_PLATFORMS)


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


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


_PARTICLES = frozenset({"d", "de", "des", "du", "la", "le", "l", "et", "and", "of", "the"})


def _one_letter_shared(squashed: str, target: str) -> bool:
    """"Koala.ai" at koalai.io: a domain glues two words that share the letter where they meet."""
    return len(squashed) == len(target) + 1 and len(target) >= 5 and any(
        squashed[i] == squashed[i + 1] and squashed[:i] + squashed[i + 1:] == target for i in range(len(target)))


def matches_domain(name: str, label: str | None) -> bool:
    """Whether a name is the one a domain spells: "Banque Solvéa" and banque-solvea, "Ridgeway Capital" and
    ridgewaycap, "Assurances Mirabel" and mirabel-assurances."""
    if not label:
        return False
    if "&" in name and any(matches_domain(name.replace("&", word), label) for word in ("and", "et", "n")):
        return True  # a domain spells the ampersand: "Hale & Finch" is haleandfinch, "Roux & Fils" roux-et-fils
    squashed, target = squash(name), squash(label)
    if len(target) < 3 or not squashed:
        return False
    if squashed == target or _one_letter_shared(squashed, target):
        return True
    # the small words a domain leaves out: "Mutuelle d'Armorique" is mutuelle-armorique
    words = [squash(w) for w in re.split(r"[\s'’&-]+", name) if squash(w) and fold(w) not in _PARTICLES]
    parts = [p for p in re.split(r"[-.]", fold(label)) if p]
    if len(parts) > 1 and sorted(words) == sorted(parts):
        return True
    # an abbreviated domain: the name's first word whole, then the start of the next ones
    return len(words) > 1 and target.startswith(words[0]) and squashed.startswith(target) and len(target) > len(
        words[0])


# --- the recruiter


def _person_from_signature(msg: ParsedMessage, signature: Signature, exclude: set[str]) -> tuple[Person, str] | None:
    for number, line in signature.lines:
        for match in EMAIL_IN_TEXT.finditer(line):
            address = match.group(0).lower().rstrip(".")
            if address not in exclude and not is_machine(address):
                person = signature_person(signature)
                return Person(name=person[0] if person else None, email=address), f"signature line {number}"
    return None


def _person_spelled_in_text(text: str, exclude: set[str]) -> tuple[Person, str] | None:
    """A system wrote from its relay ("reply+88213@messaging…", "acme@myworkday.com"): the person whose address the
    text gives with their name ("Recruiter: Greta Lindqvist – greta.lindqvist@acme.com", "répondez-moi à
    julie.perrin@…" under "Julie Perrin"). An address that spells no name the text gives (dpo@, privacy@) is
    nobody's."""
    for match in EMAIL_IN_TEXT.finditer(text[:20000]):
        address = match.group(0).lower().rstrip(".")
        local = squash(address.partition("@")[0])
        if address in exclude or is_machine(address) or len(local) < 6:
            continue
        named = _named_in_text(text, local)
        if named is not None:
            return Person(name=named[0], email=address), f"body line {line_no(text, match.start())}"
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
        if address and address.lower() not in user_emails and not is_machine(address):
            if source == "From" and (passed := _passed_on_by_a_friend(msg, address, user_emails)) is not None:
                return passed
            if (contact := _contact_of_team(msg, name, address)) is not None:
                return contact, {"recruiter.email": "body", "recruiter.name": "body"}
            if freelance_platform(address) and (member := _platform_member(name, address, signature)) is not None:
                return member
            if name and _SEAT_AS_NAME.match(name) and (signed := signature_person(signature)) is not None:
                # "Assistante de J-M Delorme", "Office of the CEO": a seat's mailbox, signed by who holds it
                return Person(signed[0], address.lower()), {"recruiter.email": source,
                                                            "recruiter.name": f"signature line {signed[1]}"}
            named = _given_name_first(_clean_name(name), address)
            if named and (_organisation(named) or _signed_under_another(named, signature) or
                          _a_branch_of_its_domain(named, address, signature)):
                return _behind_organisation(named, Person(email=address.lower()), source, msg, signature)
            return _named(Person(name=named, email=address.lower()), source, msg, signature)
    relayed = next(((_clean_name(n), a.lower(), src) for n, a, src in candidates if a and relays_a_person(n, a)), None)
    if relayed is not None:
        return Person(relayed[0], relayed[1]), {"recruiter.email": relayed[2], "recruiter.name": relayed[2]}
    found = _person_from_signature(msg, signature, user_emails)
    if found is None or not _spells_own_name(found[0]):  # a signature's dpo@ or contact@ is nobody's
        found = _person_spelled_in_text(msg.text, user_emails) or found
    if found is None and (field := _contact_field(msg.text, user_emails)) is not None:
        return _behind_organisation("", field[0], field[1], msg, signature)  # whom the relayed mail names
    if found is not None:
        person, source = found
        return person, {"recruiter.email": source, "recruiter.name": source}
    # a mailbox nobody reads (no-reply@, notifications@, a recruiting system's own: "acme@myworkday.com",
    # "jobs@acme.recruitee.com") is no address of the recruiter's: a draft waits for one
    person = Person(name=_board_sender(_clean_name(msg.from_name), msg.from_email),
                    email=None if _nobodys_mailbox(msg.from_email, msg.from_name, msg.text) else msg.from_email)
    sources = {"recruiter.email": "From", "recruiter.name": "From"}
    # the employer's own recruiting mailbox answers, a system's no-reply does not: drafts go to the Reply-To
    answered = next((a for a in msg.reply_to if a.lower() not in user_emails and not _NO_REPLY.match(a)
                     and not names_no_company(a)), None)
    if answered is not None and _nobodys_mailbox(msg.from_email, msg.from_name):
        person, sources = Person(person.name, answered.lower()), {**sources, "recruiter.email": "Reply-To"}
    if person.name and _TEAM.search(person.name) and (recruits := _recruiter_in_text(msg.text)) is not None:
        return Person(recruits[0], person.email), {**sources, "recruiter.name": f"body line {recruits[1]}"}
    if freelance_platform(msg.from_email) and (client := _the_one_person(_CLIENTS_PERSON, msg.text)) is not None:
        return Person(client[0], person.email), {**sources, "recruiter.name": f"body line {client[1]}"}
    if person.name and person.name != _clean_name(msg.from_name):
        # a board's "Léa de Kestrel": Léa, whom the signature may name in full
        signed = signature_person(signature)
        if signed is not None and squash(signed[0].split()[0]) == squash(person.name):
            return replace(person, name=signed[0]), {**sources, "recruiter.name": f"signature line {signed[1]}"}
        return person, sources
    if person.name and (_organisation(person.name) or not _PERSON.match(person.name) or
                        matches_domain(person.name, domain_label(msg.from_email))):
        # a system's no-reply named after the company ("Parcelwise" <no-reply@hire.lever.co>, "France Travail"
        # <ne-pas-repondre@francetravail.fr>) is nobody
        return _behind_organisation(person.name, Person(email=person.email), sources["recruiter.email"], msg,
                                    signature, sources)
    return person, sources


def _passed_on_by_a_friend(msg: ParsedMessage, address: str, user_emails: set[str]
                           ) -> tuple[Person, dict[str, str]] | None:
    """A friend forwarding, from a personal address, a recruiter's mail written to them ("Sophie de chez Lumeo
    veut te parler, voir ci-dessous"): the recruiter is who wrote the forwarded mail, at their company's address."""
    if not _in(_domain(address), MAIL_PROVIDERS) or "@" not in msg.text:
        return None
    wrote = next((a for a in forwarded_senders(msg.text) if a not in user_emails and not is_machine(a)
                  and not _in(_domain(a), MAIL_PROVIDERS)), None)
    if wrote is None:
        return None
    local = squash(wrote.partition("@")[0])
    named = _named_in_text(msg.text, local)
    sources = {"recruiter.email": "forwarded From", **({"recruiter.name": "forwarded From"} if named else {})}
    return Person(named[0] if named else None, wrote), sources


# the words that end a company's name ("Corvid Logistics", "Veltrane Energy"), which a domain glues to it too
NAME_TAILS = ("systems", "logistics", "software", "capital", "health", "analytics", "partners", "labs", "group",
              "groupe", "consulting", "conseil", "energy", "energie", "technologies", "tech", "bank", "finance",
              "studio", "studios", "media", "foods", "solutions", "digital", "data", "robotics", "industries",
              "insurance", "assurances", "mobility", "pharma", "ventures", "holdings", "services", "networks",
              "security", "games", "retail", "motors", "telecom", "people", "recrutement", "advisory", "cloud",
              "cosmetiques", "cosmetics", "beaute", "beauty", "logiciels", "interiors", "freight", "architectes",
              "architecture", "design", "immobilier", "sante", "formation", "biotech", "therapeutics",
              "associes", "associees", "associates", "architects",  # "X & Associés" of x.fr
              # an institution's kind after its name: "Northbridge University" of northbridge.ac.uk
              "university", "college", "school", "academy", "council", "trust", "hospital")
# the words that open an organisation's name, which a domain glues to it ("groupeorsay", "maison-ocre"), and the
# kinds of public body, which a domain shortens or leaves out ("agglo-valfleuri" for "Communauté d'agglomération
# du Val Fleuri"); both name an organisation, never a person
NAME_HEADS = ("groupe", "banque", "laboratoires", "atelier", "maison", "mutuelle", "transports", "editions",
              "cabinet", "societe", "reseau", "cooperative", "fiduciaire", "etude", "clinique", "fondation",
              "institut", "imprimerie", "etablissements",
              # a shop's or a workshop's trade, which opens its name: "Studio Bleuet", "Boulangerie Roux"
              "studio", "boulangerie", "librairie", "pharmacie", "garage", "epicerie", "brasserie", "restaurant",
              "fromagerie", "menuiserie", "boucherie",
              # a place that employs under its own name: "Hôtel Alpenrose" of alpenrose.ch, "Crèche Les Lucioles"
              "hotel", "auberge", "cafe", "bistrot", "creche", "ehpad", "residence", "ecole")
PUBLIC_BODY = frozenset({"communaute", "agglomeration", "agglo", "communes", "metropole", "ville", "mairie",
                         "departement", "region", "conseil", "departemental", "regional", "cc", "ca", "cd",
                         # and in English, which a domain leaves out: "Westbury City Council" of westbury.gov.uk
                         "city", "county", "district", "borough", "council"})
# a display name that names an organisation, not a person: "Garage Moreau", "Service Emploi et Compétences",
# "Secrétariat de direction - EHPAD Les Tilleuls", "Kevin Lambert | Opale Intérim" (a person, then where); matched
# on the folded name (not the public bodies' initials: "CA" may be a person's)
_ORGANISATION = re.compile(
    r"\b(?:groupe?|service|secretariat|direction|fiduciaire|agence|agency|association|ecole|school|college|lycee|"
    r"universite|university|ehpad|hopital|hospital|clinique|clinic|garage|boulangerie|restaurant|hotel|hotelier|"
    r"bistrot|studio|fondation|foundation|interim|consulting|partners|associes|jungle|indeed|linkedin|boucherie|"
    r"charcuterie|pharmacie|pharmacy|librairie|fleuriste|brasserie|cafe|salon|institut|creche|magasin|boutique|"
    r"shop|store|bakery|entreprise|company|etablissements?|ets|menuiserie|plomberie|transport|pub|bureau|office|"
    r"department|centre|center|musee|museum|theatre|bibliotheque|library|commune|prefecture|ministere|"
    r"ressources humaines|human resources|admissions|syndicat|bank|assurances?|insurance|laboratoire|"
    # where people meet, named like a person: "Campus Orsay", "Immeuble Lumière", "Siège Kervalis"
    r"campus|immeuble|batiment|building|siege|headquarters|residence|"
    # a bank's or an insurer's words: "Crédit Mutuel Bretagne", "Caisse d'Épargne Loire"
    r"credit|caisse|mutuel|mutual|"
    # a shop's or a practice's trade: "Fromagerie Besson", "Pâtisserie Roux", "Optique Lenoir", "Pinecrest Dental"
    r"fromagerie|poissonnerie|epicerie|patisserie|traiteur|coiffure|optique|dental|dentaire|veterinaire|vets|"
    + "|".join((*NAME_HEADS, *(w for w in PUBLIC_BODY if len(w) > 2))) + r")\b")


def _organisation(name: str) -> bool:
    words = fold(name).split()
    return bool(_ORGANISATION.search(fold(name)) or (len(words) > 1 and squash(words[-1]) in NAME_TAILS)
                or LEGAL_SUFFIX.search(name) or LEGAL_PREFIX.match(name) or _TEAM.search(name)
                or _NAME_THEN_WHERE.search(name))


def only_an_organisation(name: str, signature: Signature | None = None) -> bool:
    """A display name that names an organisation and no person beside it: "Brasserie Laurent", "Garage Moreau"
    (not "Kevin Lambert | Opale Intérim"), or one the signature writes where another person signs ("Jane Holt /
    Office Manager, Pinecrest Dental" under "Pinecrest Dental" <info@…>)."""
    return (_organisation(name) and not _NAME_THEN_WHERE.search(name)) or _signed_under_another(name, signature)


def _signed_under_another(name: str, signature: Signature | None) -> bool:
    signer = signature_person(signature) if signature is not None else None
    if signature is None or signer is None or squash(signer[0]) == squash(name):
        return False
    # below the signer's line, at the end of a role's ("HR Manager, Pinecrest Dental"): never the head of a line, where
    # a person writes their own name, nor inside a sentence ("reply and your coordinator, Jess Alvarez, will help")
    return any(len(pieces := SEPARATORS.split(line)) > 1 and squash(pieces[-1]) == squash(name)
               for number, line in signature.lines if number > signer[1])


def _person_beside(name: str) -> str | None:
    """The person a display name names beside an organisation: "Kevin Lambert" of "Kevin Lambert | Opale Intérim"
    (not "Pinecrest Dental" whole)."""
    parts = _NAME_THEN_WHERE.split(name)
    return next((p.strip() for p in parts if len(parts) > 1 and _PERSON.match(p.strip()) and not _organisation(p)),
                None)


def person_in_name(name: str) -> str | None:
    """The person a display name names: the whole of it, or the one beside an organisation; None for an
    organisation's or a team's ("Acme Recruiting", the organizer of a system's invitation)."""
    return _person_beside(name) if _organisation(name) else name


def _own_address_signed(signature: Signature, name: str, mailbox: str | None) -> tuple[str, int] | None:
    """The signer's own address at the shared mailbox's domain, which their signature gives: "s.koulibaly@",
    "sandrine.koulibaly@", "skoulibaly@" for Sandrine Koulibaly; the person answers there, not at the branch's."""
    domain = (mailbox or "").rpartition("@")[2]
    words = [squash(w) for w in name.split()]
    if not domain or len(words) < 2 or not words[0]:
        return None
    for number, line in signature.lines:
        for match in EMAIL_IN_TEXT.finditer(line):
            local, _, at = match.group(0).lower().rstrip(".").partition("@")
            local = squash(local)
            if at == domain and words[-1] in local and local.startswith(words[0][0]) and \
                    not is_machine(match.group(0)):
                return match.group(0).lower().rstrip("."), number
    return None


# the employer's address a relaying service's form gives in a field of its own, after a colon or in the cell below:
# "Contact : recrutement@ehpad-x.fr", "Contact\nhr@hotel.co.uk", "E-mail du recruteur : …"
_CONTACT_FIELD = re.compile(r"^[ \t]*(?i:contact|e-?mail|courriel|adresse (?:e-?mail|[ée]lectronique))"
                            r"(?:[ \t]+(?i:du recruteur|de l['’]employeur|of the employer|recruteur|employeur))?[ \t]*"
                            r"(?::[ \t]*|\n[ \t]*)(?=[\w.+-]+@)", re.MULTILINE)


def _contact_field(text: str, exclude: set[str]) -> tuple[Person, str] | None:
    """A system's no-reply that relays an employer ("Un employeur souhaite vous rencontrer", France Travail's, a
    job board's) and gives their address in a field: where the user answers."""
    if "@" not in text:
        return None
    for field in _CONTACT_FIELD.finditer(text[:20000]):
        match = EMAIL_IN_TEXT.match(text, field.end())
        address = match.group(0).lower().rstrip(".") if match else None
        if match and address and address not in exclude and not _NO_REPLY.match(address):
            return Person(email=address), f"body line {line_no(text, match.start())}"
    return None


def _a_branch_of_its_domain(name: str, address: str, signature: Signature) -> bool:
    """A mailbox named as its firm's branch: the domain's name, then the town ("Proman Meaux" <meaux@proman-emploi.fr>,
    "Adecco Gonesse" <gonesse.logistique@adecco.fr>), and someone else signs; not a person whose surname the domain is,
    written first, whose address spells it ("Dupont Marie" <marie.dupont@dupont.fr>) or who signs alone ("Leroy
    Sophie" <sophie@leroy-transports.fr>)."""
    words = name.split()
    label, local = domain_label(address) or "", squash(address.partition("@")[0])
    first = squash(words[0]) if words else ""
    return len(words) >= 2 and len(first) >= 4 and first in (squash(label), squash(label.split("-")[0])) and \
        first not in local and _signed_by_another(name, signature)


def _signed_by_another(name: str, signature: Signature) -> bool:
    signer = signature_person(signature)
    return signer is not None and {squash(w) for w in signer[0].split()} != {squash(w) for w in name.split()}


def _behind_organisation(name: str, person: Person, source: str, msg: ParsedMessage, signature: Signature,
                         sources: dict[str, str] | None = None) -> tuple[Person, dict[str, str]]:
    """The person behind a display name that names an organisation: the one it names beside it ("Kevin Lambert |
    Opale Intérim"), else the signature's, else the one the text gives a recruiting role; else nobody."""
    sources = dict(sources or {"recruiter.email": source})
    part = _person_beside(name)
    if part is not None:
        return replace(person, name=part), {**sources, "recruiter.name": source}
    # a letter names who handles the case above the one who signs it by delegation ("Affaire suivie par : Mme Roy")
    if (handled := _the_one_person(_HANDLED_BY, msg.text)) is not None:
        return replace(person, name=handled[0]), {**sources, "recruiter.name": f"body line {handled[1]}"}
    signed = signature_person(signature) or _given_name_over(signature, name)
    if signed is not None and not _organisation(signed[0]):
        own = _own_address_signed(signature, signed[0], person.email)
        if own is not None:  # "Adecco Gonesse" <gonesse@adecco.fr> signed "Sandrine Koulibaly … s.koulibaly@adecco.fr"
            return Person(signed[0], own[0], person.phone), {**sources, "recruiter.name": f"signature line {signed[1]}",
                                                             "recruiter.email": f"signature line {own[1]}"}
        return replace(person, name=signed[0]), {**sources, "recruiter.name": f"signature line {signed[1]}"}
    if (recruits := _recruiter_in_text(msg.text) or _messenger_in_text(msg.text) or _labelled_in_text(msg.text)
            or _the_one_person(_NAMED_WITH_ROLE, msg.text) or _the_one_person(_SAYS_WHO, msg.text)
            or _the_one_person(_ASK_FOR, msg.text)) is not None:
        return replace(person, name=recruits[0]), {**sources, "recruiter.name": f"body line {recruits[1]}"}
    return person, {**sources, "recruiter.name": "-"}


def _given_name_over(signature: Signature, organisation: str) -> tuple[str, int] | None:
    """A system's mail signed with a given name over the organisation it sends for ("Nuria" then "Moliner Data",
    "Sophie | Orsay Lab"): the person behind it, known by that name only."""
    lines = [(number, [p.strip() for p in SEPARATORS.split(line)]) for number, line in signature.lines]
    for i, (number, parts) in enumerate(lines):
        after = parts[1:] or (lines[i + 1][1][:1] if i + 1 < len(lines) else [])
        if len(parts[0]) >= 3 and re.fullmatch(NAME_WORD, parts[0]) and not parts[0].isupper() and \
                not _TEAM.search(parts[0]) and after and squash(after[0]) == squash(organisation):
            return parts[0], number
    return None


# a job board's or a system's field naming the one person the user deals with: "Interviewer: Grace Hall, Revenue
# Manager", "Votre interlocutrice : Nina Brun", "Contact : Paul Roy" (not "Interviewers:", a panel)
_LABELLED_PERSON = re.compile(rf"(?:^|\n)[ \t]*(?i:(?:your |votre )?(?:interviewer|interlocut(?:eur|rice)|recruiter|"
                              rf"recruteu(?:r|se)|contact|hiring manager))[ \t]*:[ \t]*"
                              rf"({NAME_WORD}(?: {NAME_WORD}){{1,2}})\b")


# the person who handles the case, as an administration's letter names them under its letterhead: "Affaire suivie
# par : Mme Nadia Roy – 01 23 45 67 89", "Dossier suivi par M. Paul Brun", "Case officer: Anna Reed"
_HANDLED_BY = re.compile(rf"(?i:(?:affaire|dossier) suivie? par|case officer|contact person)[ \t]*:?[ \t]*"
                         rf"(?:(?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?)[ \t]+)?({NAME_WORD}(?: {NAME_WORD}){{1,2}})\b")


# whom a system's mail names with a role, whom she meets or who wrote the message it passes on: "un entretien avec
# Claire Roy, co-fondatrice", "a call with Tom Reyes (Head of Product)", "« … Thomas Roche, gérant »"; not "with
# Google Meet", which has none
_NAMED_WITH_ROLE = re.compile(rf"\b({NAME_WORD} {NAME_WORD})(?:,| \(| [–—-]) ?(?i:(?:co-?)?(?:founder|"
                            rf"fondat(?:eur|rice)|ceo|cto|coo|g[ée]rante?|directeur|directrice|director|head|manager|"
                            rf"responsable|dirigeante?|pr[ée]sidente?|owner|propri[ée]taire))\b")


# a caller saying who they are, as a voicemail's transcript or a text message mailed on gives it: "it's James Reed
# from Acme", "this is Léa at Kelvio", "c'est Karine du cabinet X", "ici Paul de chez Orsay", "c Karine de X" (a text)
_SAYS_WHO = re.compile(rf"(?:\b(?i:it['’]s|this is|c['’]est|ici|i['’]m|i am)|(?<![\w'’])c)\s+"
                       rf"({NAME_WORD}(?: {NAME_WORD})?)\s+(?i:from|at|de chez|du|de la|de|chez|d['’])(?=\s|['’])")


def _labelled_in_text(text: str) -> tuple[str, int] | None:
    return _the_one_person(_LABELLED_PERSON, text)


# a job board passes on a person's message: "un nouveau message de Sophie Lemaire (Maison Pradel)", "New message
# from Tom Reyes"; or says who sent it: "Inès Haddad (Kaligo) vous a envoyé un message", "Tom Reyes from Acme sent
# you a message", "Sophie Lemaire de Maison Pradel a répondu à votre candidature"
_MESSENGER = re.compile(rf"\b(?i:message|r[ée]ponse|reply|response) (?i:de|from|d['’])\s?({NAME_WORD} {NAME_WORD})\b|"
                        rf"\b({NAME_WORD} {NAME_WORD})(?: \([^()\n]{{1,60}}\)| (?:de chez|de|from|at|chez|d['’]) ?"
                        rf"[^\n()]{{1,60}}?)? (?i:vous a envoy[ée]|vous a [ée]crit|t['’]a envoy[ée]|t['’]a [ée]crit|"
                        rf"(?:has )?sent you|wrote to you|has written to you|a r[ée]pondu|(?:has )?replied)\b")


def _messenger_in_text(text: str) -> tuple[str, int] | None:
    found = next((m for m in _MESSENGER.finditer(text[:20000]) if not _organisation(m.group(m.lastindex or 1))), None)
    return (found.group(found.lastindex or 1), line_no(text, found.start(found.lastindex or 1))) if found else None


# "M. Loïc Garnier, Chargé de recrutement", "Julie Petit (Talent Acquisition)": the person who recruits, named
_RECRUITER_ROLE = re.compile(
    rf"(?:(?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?)\s+)?({NAME_WORD}(?: {NAME_WORD}){{1,2}})(?:,|\s+[·|–—-])?\s+\(?"
    r"(?i:charg[ée]e? de recrutement|recruteur|recruteuse|recruiter|talent acquisition|talent partner|"
    r"responsable recrutement)\b")


def _recruiter_in_text(text: str) -> tuple[str, int] | None:
    """A team's mailbox wrote: the one person the text names by a recruiting role, and the line."""
    return _the_one_person(_RECRUITER_ROLE, text)


# whom a relayed convocation tells her to ask for on arrival: "demander Mme Perrin à l'accueil", "ask for Ms Hale at
# reception", "se présenter auprès de M. Roy"; the one she meets, said as the letter says them
_ASK_FOR = re.compile(rf"\b(?i:demander|demandez|ask for|auprès de)\s+((?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?|Madame|Monsieur)"
                      rf"\s+{NAME_WORD}(?: {NAME_WORD})?|{NAME_WORD} {NAME_WORD})")


def _the_one_person(pattern: re.Pattern[str], text: str) -> tuple[str, int] | None:
    """The one person the pattern's first group names in the text, and the line; None for none or several."""
    # not the team that signs ("Veltrane Energy Talent Acquisition")
    found = {m.group(1): m.start(1) for m in pattern.finditer(text[:20000]) if not _organisation(m.group(1))}
    if len(found) != 1:
        return None
    name, start = next(iter(found.items()))
    return name, line_no(text, start)


# a sender named by a seat, not a person: "Assistante de J-M Delorme", "PA to the CEO", "Secrétariat du Président"
_SEAT_AS_NAME = re.compile(r"^\s*(?:(?i:(?:executive |personal )?assistant|assistante|secr[ée]tariat|secretary|"
                           r"secr[ée]taire|office of|bureau d[eu])|PA|EA)\b")
# a freelance platform's notification names the client's person with the client: "Dana Reyes at Quillmark has
# invited you", "Julien Ferrand (Lumio) a annulé", "Marc Roy de chez Orvane vous a écrit"
# (words written as names, not capitals: "9:00 AM ET (New York)" is no one)
_WRITTEN_NAME = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?"
_CLIENTS_PERSON = re.compile(rf"\b({_WRITTEN_NAME} {_WRITTEN_NAME}) (?:\([A-ZÀ-Ý][^()\n]{{1,40}}\)|"
                             r"(?:at|from|de chez|chez) [A-ZÀ-Ý])")


_NO_REPLY = re.compile(rf"^(?:{_NOBODY_READS}|bounces?)([-+_.].*)?@", re.IGNORECASE)


# a team's mailbox, not a person: "Helix Bank – Engineering Hiring", "Talent Team", "Équipe RH"
_TEAM = re.compile(r"\b(?:hiring|recruiting|recruitment|recrutement|talents?|careers?|carri[eè]res|team|[ée]quipe|"
                   r"rh|hr|drh|srh|grh|people|jobs?|bookings?)\b", re.IGNORECASE)  # DRH: direction des RH


def _contact_of_team(msg: ParsedMessage, name: str | None, address: str) -> Person | None:
    """The person a team's mailbox names with their own address at its domain ("Contact your recruiter,
    Amélie Durand (amelie.durand@helixbank.com)"): the human behind the invitation."""
    if not name or not _TEAM.search(name):
        return None
    domain = re.escape(_domain(address))
    found = re.search(rf"({NAME_WORD}(?: {NAME_WORD}){{1,2}})\s*[(<:,–-]?\s*([\w.+-]+@{domain})\b", msg.text[:20000])
    if found is None or is_machine(found.group(2)) or found.group(2).lower() == address.lower():
        return None
    return Person(found.group(1), found.group(2).lower())


def _named(person: Person, source: str, msg: ParsedMessage, signature: Signature) -> tuple[Person, dict[str, str]]:
    """A person with a name: the one given with the address, else the signature's when it is theirs."""
    sources = {"recruiter.email": source, "recruiter.name": source}
    if person.name:
        return person, sources
    found = signature_person(signature)
    local = squash((person.email or "").partition("@")[0])
    if found and local and _answers_to(local, found[0]):
        sources["recruiter.name"] = f"signature line {found[1]}"
        return Person(found[0], person.email, person.phone), sources
    # a system sends as the person ("Marta Kowalczyk" <no-reply@…>) and gives their address nameless in Reply-To
    sender = _clean_name(msg.from_name)
    if sender and local and person.email != msg.from_email and _PERSON.match(sender) and not _organisation(sender) \
            and _answers_to(local, sender):
        sources["recruiter.name"] = "From"
        return Person(sender, person.email, person.phone), sources
    named = _named_in_text(msg.text, local) if local else None
    if named is not None:
        sources["recruiter.name"] = f"body line {named[1]}"
        return Person(named[0], person.email, person.phone), sources
    return person, sources


def _spells_own_name(person: Person) -> bool:
    return bool(person.name and person.email and spells_name(squash(person.email.partition("@")[0]), person.name))


def spells_name(local: str, name: str) -> bool:
    return all(squash(part) in local for part in name.split()[-2:])


# a first name and a surname written in the text: "Interlocuteurs : Nathalie Roussel (Talent Acquisition)"
_FULL_NAME = re.compile(rf"\b{NAME_WORD}[ ]{NAME_WORD}\b")


def _answers_to(local: str, name: str) -> bool:
    """An address's local part is the person's: it spells their name ("nathalie.roussel", "nroussel" does not), or
    it is their first name alone ("kyle@", "elliot@"), as small companies give."""
    if _organisation(name):  # "Recruiting Team" of recruiting@
        return False
    return spells_name(local, name) or (len(local) >= 3 and squash(name.split()[0]) == local)


def _named_in_text(text: str, local: str) -> tuple[str, int] | None:
    """A Reply-To given without a name (nathalie.roussel@, kyle@): the person the text names that way, and the
    line."""
    for match in _FULL_NAME.finditer(text[:20000]):
        if len(squash(match.group())) >= 6 and _answers_to(local, match.group()):
            return match.group(), line_no(text, match.start())
    return None


# a title before a person's given name and surname ("Dr. Anna Keller", "Prof. Jan Roos", "Mme Léa Brun"): the name is
# said without it
_TITLE_BEFORE = re.compile(r"^(?:Dr|Prof|Pr|Docteur|Professeur|Mme|Mr|Mrs|Ms|M)\.?\s+(?=\S+\s+\S)")


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.replace('"', " ").split())
    name = name.split("/")[0].strip()  # Lotus Notes: "Lukas Brunner/HR/Helvetra"
    name = re.sub(r"\s*\([^()]*\)$", "", name).strip()  # "Julie Petit (Acme)", "Wendt, Julie (HR-PL)": who, not where
    name = re.sub(r"\s+via\s+.*$", "", name)  # "Pieter Claes via Recruitee", "Ana Ruiz via LinkedIn": the person
    name = _TITLE_BEFORE.sub("", name)
    if "@" in name or _MACHINE_LOCAL.match(name.replace(" ", "") + "@"):
        return None
    return name or None


# "DUMONT Virginie", "LE GALL Anne-Sophie": the directory order of French mail systems, surname in capitals
_SURNAME_FIRST = re.compile(r"^((?:[A-ZÀ-Ý]{2,}['’-]?)+(?:\s+(?:[A-ZÀ-Ý]{2,}['’-]?)+)*)\s+"
                            r"([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)$")


def _given_name_first(name: str | None, address: str) -> str | None:
    """A name as it is said ("Virginie Dumont"), from the directory order ("DUMONT Virginie") when the address
    holds that surname (virginie.dumont@): "SNCF Recrutement" <recrutement@sncf.fr> is no person reversed."""
    local = address.partition("@")[0]
    found = _SURNAME_FIRST.match(name or "")
    if found is None or squash(found.group(1)) not in squash(local):
        return _in_address_order(name, local)
    return f"{found.group(2)} {found.group(1).title()}"


def _in_address_order(name: str | None, local: str) -> str | None:
    """"Favre Nicolas" or "Wendt, Julie" sent from nicolas.favre@, n.favre@ or julie.wendt@: the address says which
    word is the given name, when it spells the two words the other way round."""
    # "Tremblay, Geneviève" from gtremblay@: a directory's comma, the surname the address spells before it
    sides = [side.strip() for side in (name or "").split(",")]
    if len(sides) == 2 and all(re.fullmatch(rf"{NAME_WORD}(?: {NAME_WORD})?", side) for side in sides) and \
            len(squash(sides[0])) >= 3 and squash(sides[0]) in squash(local) and squash(sides[1]) != squash(sides[0]):
        return f"{sides[1]} {sides[0]}"
    words = (name or "").replace(",", " ").split()
    if len(words) != 2 or squash(words[0]) == squash(words[1]):
        return name
    surname, given = words
    # the address spells the given name whole ("nicolas.favre") or by its initial ("n.favre", "nfavre")
    # (by its initial only when the surname is long enough not to be spelled by chance)
    whole, initial = squash(given) + squash(surname), squash(given)[:1] + squash(surname)
    spelled = squash(local) == whole or (squash(local) == initial and len(squash(surname)) >= 3)
    return f"{given} {surname}" if spelled else name


# --- phone


_DIAL_IN = re.compile(r"\bpin\b|dial|join by phone|rejoindre par t[ée]l[ée]phone|conference id|meeting id|"
                      r"id de (?:la )?(?:r[ée]union|conf[ée]rence)|passcode|code secret|audio", re.IGNORECASE)


# a number a meeting's dial-in gives: the pauses and the conference code a phone dials after it ("+44 20 …,,774 120
# 556#"), or on the line under a heading of its own ("Dial in by phone", "Rejoindre par téléphone")
_DIALLED_ON = re.compile(r"\s*(?:,,|#)")


# the user's own number, which the recruiter will call: "I'll ring you on +33 6…", "the number from your CV (06…)",
# "je vous appellerai au 06…"; not the one they call from
_USERS_NUMBER = re.compile(r"(?:\b(?:(?:call|ring|phone|reach|text)\s+you|(?:vous|te|t['’])\s*(?:appel|rappel|joindr|"
                           r"contact)\w*)\b[^.\n]{0,50}|\b(?:your|votre|ton|ta)\s+(?:\w+\s+)?(?:number|cv|resume|mobile|phone|"
                           r"num[ée]ro|portable|t[ée]l[ée]phone)\b[^.\n]{0,20})(?<!from )(?<!depuis )(?<!depuis le )$",
                           re.IGNORECASE)  # "I'll call you from +44 20…" is theirs


# a number a person gives as theirs: its label ("Tél. :", "M:", "Mob.", "GSM", "Direct line") or its country code
# written; such a number is kept when the numbering plan has not allocated its range (a new range, or one kept for
# fiction: 07700 900…, 06 39 98…), which a number found anywhere else in the text must be
_PHONE_LABEL = re.compile(r"(?:\b(?:t[ée]l(?:[ée]phone)?|tel|phone|mob(?:ile)?|portable|gsm|cell(?:ulaire)?|direct|"
                          r"ligne directe|office|fixe|standard|m|t|p|ph|w)\.?\s*:?\s*|"
                          # the sender's own, said in a sentence: "text me on", "appelle-moi au", "me joindre au"
                          r"\b(?:call|text|ring|phone|reach|whatsapp)\s+me\s+(?:on|at)\s+|"
                          r"\b(?:(?:appel|rappel)\w*-moi|me\s+(?:joindre|rappeler|appeler)|joignable)\s+au\s+)$",
                          re.IGNORECASE)
def find_phone(text: str, region: str = "FR", exclude: Iterable[str] = (),
               fallback: str | None = None) -> tuple[str, int] | None:
    """The first phone number in the text that is not a dial-in, in international format, and its line; read in
    ``fallback``'s plan when ``region``'s finds none."""
    unwanted = {squash(e) for e in exclude if e}
    for plan in (region, fallback) if fallback and fallback != region else (region,):
        try:
            for match in phonenumbers.PhoneNumberMatcher(text[:20000], plan, phonenumbers.Leniency.POSSIBLE):
                formatted = _a_persons_number(text, match)
                if formatted is not None and squash(formatted) not in unwanted:
                    return formatted, line_no(text, match.start)
        except Exception:  # the matcher must never stop a message
            log.debug("phone matcher failed")
    return None


# a scheduler's form, what the invitee (the user) answered below it: "Questions :", "Réponses aux questions",
# "Questions & Answers", "Invitee's answers"; the number there is hers
_FORM_ANSWERS = re.compile(r"(?:^|\n)[ \t]*(?:questions?|r[ée]ponses?(?: aux questions)?|questions? (?:&|and|et) "
                           r"(?:answers?|r[ée]ponses?)|(?:invitee['’]s )?answers?)[ \t]*:?[ \t]*\n", re.IGNORECASE)


def _in_a_link(text: str, start: int) -> bool:
    """Digits inside a link ("…/meetup-join/19%3a…", "zoom.us/j/8812…"): an identifier, no number to call."""
    if not start or text[start - 1].isspace():
        return False
    token = text[max(0, start - 300): start].rsplit(None, 1)[-1]
    return "://" in token or token.startswith("www.") or token[-1:] in ("/", "=", "%", "?", "&")


def _a_persons_number(text: str, match: phonenumbers.PhoneNumberMatch) -> str | None:
    """The number in international format, unless it is a dial-in, the user's own, or no number of the plan
    that nothing gives as a phone."""
    line_start = text.rfind("\n", 0, match.start) + 1
    line_end = text.find("\n", match.end)
    if _DIAL_IN.search(text[line_start: line_end if line_end >= 0 else len(text)]) or \
            _DIALLED_ON.match(text, match.end) or _DIAL_IN.search(_line_above(text, line_start)):
        return None
    if not phonenumbers.is_valid_number(match.number) and not (
            match.raw_string.startswith("+") or _PHONE_LABEL.search(text, max(0, match.start - 20), match.start)):
        return None
    if _USERS_NUMBER.search(text, max(0, match.start - 80), match.start) or _in_a_link(text, match.start) or \
            _FORM_ANSWERS.search(text, 0, match.start):
        return None
    return str(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


# country codes sold as words ("julien@roussel.me", "tom@parcel.io", "hello@studio.ai"): no country's numbers
_VANITY_TLDS = frozenset({"io", "me", "co", "ai", "tv", "fm", "ly", "gg", "so", "to", "cc", "ws", "sh", "im", "la"})
# the offsets of the zones of the North American numbering plan, Hawaii to Newfoundland
_NORTH_AMERICA = (timedelta(hours=-10), timedelta(hours=-3, minutes=-30))


def _line_above(text: str, line_start: int) -> str:
    return text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : line_start] if line_start else ""


def phone_region(address: str | None, sent: datetime | None = None) -> str:
    """Where a number written without its country code is dialled: the country of the sender's domain; for a
    domain of no country (.com, .io, .me), North America when the mail was sent from its zones ("(646) 555-0148"
    under a Date at -05:00), else France."""
    tld = _domain(address).rpartition(".")[2]
    if tld == "uk":
        return "GB"
    if len(tld) == 2 and tld not in _VANITY_TLDS:
        return tld.upper()
    offset = sent.utcoffset() if sent is not None else None
    return "US" if offset is not None and _NORTH_AMERICA[0] <= offset <= _NORTH_AMERICA[1] else "FR"


def fallback_region(address: str | None, sent: datetime | None = None) -> str | None:
    """The other plan a number may be written in when the sender's domain names no country: Britain's, for mail
    sent at London's offset ("020 7946 0991" under a .com at +0000), which France's plan reads as nothing."""
    tld = _domain(address).rpartition(".")[2]
    if sent is None or sent.utcoffset() is None or (len(tld) == 2 and tld not in _VANITY_TLDS):
        return None
    return "GB" if ZoneInfo("Europe/London").utcoffset(sent.replace(tzinfo=None)) == sent.utcoffset() else None


# --- the sender's zone


def sender_zone(msg: ParsedMessage, recruiter: Person, configured: str) -> str:
    """The zone the sender writes in: the configured one unless the Date offset and a hint agree on another."""
    if msg.date is None or msg.date.utcoffset() is None:
        return configured
    offset = msg.date.utcoffset()
    if ZoneInfo(configured).utcoffset(msg.date.replace(tzinfo=None)) == offset:
        return configured
    for zone in (*_zone_hints(recruiter), *_signed_in(msg.text), *_postcode_in(msg.text)):
        if ZoneInfo(zone).utcoffset(msg.date.replace(tzinfo=None)) == offset:
            return zone
    return configured


_CITY = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, CITY_ZONES), key=len, reverse=True)) + r")\b")


def _signed_in(text: str) -> tuple[str, ...]:
    """The zone of the one city the signature names ("Montréal, QC" under the name); none when it names several
    ("London · Paris · Lyon"): the body's cities are where people travel or where the user is."""
    signed = fold(find_signature(own_text(text)).text)
    zones = {CITY_ZONES[m.group(0)] for m in _CITY.finditer(signed)}
    return tuple(zones) if len(zones) == 1 else ()


# a British postcode in the sender's own words ("64 King's Road, Brighton BN1 1NA"): the place the interview is held,
# when a recruiting system sends for the employer and neither its address nor a phone says where it writes from
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b")


def _postcode_in(text: str) -> tuple[str, ...]:
    return ("Europe/London",) if _UK_POSTCODE.search(own_text(text)) else ()


def _zone_hints(recruiter: Person) -> Iterator[str]:
    tld = _domain(recruiter.email).rpartition(".")[2]
    if tld in _TLD_ZONES:
        yield _TLD_ZONES[tld]
    if recruiter.phone:
        try:
            zones = phone_zones.time_zones_for_number(phonenumbers.parse(recruiter.phone))
            yield from (z for z in zones if z != phone_zones.UNKNOWN_TIMEZONE)  # a range no plan has allocated
        except phonenumbers.NumberParseException:
            return
