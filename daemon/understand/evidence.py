# SPDX-License-Identifier: MIT
"""Is this an invitation? Decided from the evidence a careful reader weighs, not from one phrase.

The rules (rules/*.yaml) say what a message is when one of their phrases
holds. Mail written by people who never saw those phrases misses them, so
after the rules and the extractors have run, the signals below are weighed
and summed; their weights and the thresholds are data (rules/evidence.yaml):

- positive: a concrete future date and time found by the extractor (or
  proposed slots), meeting logistics (a video link, an address, a calendar
  request), job context anywhere (subject, body, quoted history, a tracked
  thread or company, a recruiting system as sender), a person writing to the
  user directly (no List-Id, List-Unsubscribe or bulk Precedence, few
  recipients), meeting words in French or English, an invitation rule's match;
- negative: look-alikes (medical, bank, housing, car, boiler, webinars and
  courses), the user as the event's organizer, dates that are all past, mail
  sent in bulk, an ignore rule's match. An ignore rule weighs like any other
  signal: it cannot veto strong positive evidence.

The sum gives ``invitation`` (acted on), ``possible_invitation`` (held for
review) or ``none``.

An answer in a tracked thread that only the fallback reply rule read is
weighed too (``thread:`` in rules/evidence.yaml): a new time the sender
states that the quoted history does not, whether the quoted interview is
still ahead or over, and words of moving, of a next round, of calling off
and of ending tell an update, a new invitation, a cancellation or a
rejection from a plain reply. A thread kind a rule's phrase decided stays
the rules'.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from daemon.model import CalendarEvent, Classification, Facts, ParsedMessage
from daemon.shipped import shipped_path
from daemon.text import fold
from daemon.understand import patterns, rules, textdates
from daemon.understand.employer import names_a_trade
from daemon.understand.people import from_recruiting_system, sender_zone
from daemon.understand.quotes import folded_own_text, own_text

log = logging.getLogger(__name__)

FILE = rules.EVIDENCE_FILE
# what the evidence decides from every message; the thread kinds it weighs only in a tracked thread (decide_in_thread)
DECIDES = frozenset({"invitation", "none"})
# the word lists a model must have (rules/evidence.yaml, words:)
WORD_LISTS = ("job", "meeting", "automated")
# what the thread's weighing may turn a fallback reply into, the signals it weighs, and the word lists they read
THREAD_KINDS = ("update", "invitation", "cancellation", "rejection")
THREAD_WORDS = ("moving", "next_round", "calling_off", "ending", "availability")
THREAD_SIGNALS = ("new_time", "quoted_time_ahead", "quoted_time_over", "quoted_window",
                  *(f"{w}_words" for w in THREAD_WORDS))
# header fields that say a message was sent to a list or in bulk
BULK_HEADERS = ("list-id", "list-unsubscribe")
_BULK_PRECEDENCE = re.compile(r"bulk|list|junk", re.I)
# machine senders: a person does not write from these local parts
_MACHINE_SENDER = re.compile(
    r"^(?:no-?reply|do-?not-?reply|ne-?pas-?repondre|notifications?|notify|mailer|newsletters?|news|info|"
    r"hello|contact|support|marketing|alerts?|bounces?|digest|updates?|team|service)(?:[+._-].*)?@", re.I)

# a platform's notice that carries what a person wrote to the user (a board's or a network's message, a voicemail,
# an SMS sent on as mail): "Marc vous a envoyé un message", "New voicemail from +44…", "Nouveau SMS de …"
_RELAYED = re.compile(r"\b(?:vous a|t.a|has|have) (?:envoy[ée]|sent you) (?:un|an?) (?:nouveau |new )?"
                      r"(?:message|inmail)\b|\bsent you an? (?:new )?(?:message|inmail)\b|"
                      r"\b(?:new|nouveau|nouvel) (?:message|voicemail|sms|text message|message vocal|text) "
                      r"(?:from|de)\b|\bmessage vocal de\b|\bvoicemail from\b", re.IGNORECASE)

_LINK = re.compile(r"https?://\S+")
# a scheduler's page where the candidate picks a slot: the slots are proposed, behind the link
_BOOKING_LINK = re.compile(r"https?://(?:www\.)?(?:calendly\.com|cal\.com|zcal\.co|savvycal\.com|youcanbook\.me|"
                           r"meetings\.hubspot\.com|calendar\.app\.google|doodle\.com/(?:bp|mm)|"
                           r"calendar\.google\.com/calendar/appointments|app\.goodtime\.io/availability|"
                           r"app\.cronofy\.com/rts|outlook\.office(?:365)?\.com/(?:owa/calendar|book))/\S",
                           re.IGNORECASE)
# the sender asks the user to pick a slot behind a link of a system of their own ("sélectionnez le créneau qui vous
# convient via le lien ci-dessous", "choose a time"): a scheduler's page too (folded text)
_PICK_A_SLOT = re.compile(r"\b(?:choisi\w*|selectionn\w*|reserv\w*|prendre|prenez)\s+(?:un|le|votre|ton)\s+creneau"
                          r"|\b(?:choose|pick|select|book|grab)\s+(?:a|your|the)\s+(?:time|slot)\b")
# where the sender and the user met is no event they invite to: "great to meet you at the DataOps meetup",
# "ravie de vous avoir rencontrée au salon", "we met at the job fair" (folded text)
_WHERE_WE_MET = re.compile(
    r"\b(?:(?:great|nice|good|lovely|glad|happy|pleasure) (?:to )?(?:meet|meeting|see|seeing|chat|chatting|talk|"
    r"talking|speak|speaking)(?: with| to)? you|(?:we|you and i) (?:met|spoke|chatted)|(?:ravie?|contente?|"
    r"heureuse?|heureux|plaisir) d(?:e |.)(?:vous|te|t.) ?(?:avoir )?(?:rencontre|croise|vu|parle)\w*|"
    r"(?:nous nous sommes|on s.est) (?:rencontre|croise|parle)\w*|(?:who|whom) (?:i|we|you) (?:met|know)|"
    r"que (?:j.ai|nous avons|tu as|vous avez) (?:rencontre|croise|connu)\w*) (?:at|during|au|a la|a l.|lors d[ue]|"
    r"pendant|sur|from)\b[^.!?\n]{0,60}"
    # a referrer named with where she is from: "Camille (from the Rust meetup) passed on your name"
    r"|\((?:from|via|met at|(?:rencontre|croise)\w* (?:au|a la|a l.|lors d[ue])) [^()\n]{0,60}\)")

# the candidate's own training, said about her ("pour quelqu'un qui sort de formation", "ta formation de
# soudeuse", "fresh out of a bootcamp"): where she learnt, not a course or an event to attend
_HER_TRAINING = re.compile(
    r"\b(?:(?:sort\w*|sortie|issue?|diplomee?|revenue?|juste|fin) de (?:sa |ta |votre )?formation|(?:en|ta|votre|sa) "
    r"(?:fin de |cours de )?formation|(?:out of|after|finished|finishing|completed|completing) (?:your |her |a |the )?"
    r"(?:training|course|bootcamp)|(?:your|her) (?:training|bootcamp)|"
    # her papers to bring: "vos attestations de formation (SST, hygiène)", "certificats de formation"
    r"(?:attestation|certificat|justificatif)s? de formations?)\b")

# the sender's own childcare, the reason a meeting is called off ("a childcare emergency", "ma nounou est malade"):
# not the user hiring help for her home
_THEIR_OWN_CHILDCARE = re.compile(
    r"\b(?:(?:my|our|his|her) (?:kids.? |children.?s? )?(?:childcare|nanny|babysitter|baby-sitter|au pair)|"
    r"childcare (?:emergency|issue|problem|crisis|situation)|(?:ma|notre|sa) (?:nounou|baby-?sitter)|"
    r"(?:probleme|souci|imprevu|urgence)s? de (?:garde|nounou))\b")

# the look-alikes that are a trade's appointments (a doctor, a bank, a garage, a hairdresser): in a mail about the
# user's application to a post, their words are the employer's trade ("votre candidature au poste de Product Analyst"
# at a health company that speaks of "parcours patients"), not her own appointment
_TRADES = ("lookalike_medical", "lookalike_money", "lookalike_housing", "lookalike_car", "lookalike_home",
           "lookalike_care")
_HER_APPLICATION = re.compile(r"\b(?:votre|ta) candidature (?:au|pour le|sur le|a l.offre)\b|"
                              r"\b(?:your|the) application (?:for|to) (?:the|our|this)\b|"
                              # a recruiting system's form names the post: "Job title: Healthcare Assistant",
                              # "following the shortlisting for the above post", "Intitulé du poste : Aide-soignant"
                              r"\b(?:job|post|role) title\s*:|\b(?:the|this) (?:above|advertised) "
                              r"(?:post|position|role|vacancy)\b|\bintitule du poste\b")

# the video room promised, not yet sent: "If that works I'll send over a Google Meet link", "je t'envoie le lien Meet"
_LINK_PROMISED = re.compile(
    r"\b(?:i.ll|i will|we.ll|we will|will)\s+(?:send|share|forward|drop)\s+(?:you\s+|over\s+|across\s+|through\s+)?"
    r"(?:a|an|the)\s+(?:google meet|meet|zoom|teams|video|video call|webex|whereby)\s+(?:link|invite|invitation)"
    r"|\bje\s+(?:t.|vous\s+)(?:envoie|enverrai|transmets|transmettrai|partage|partagerai)\s+(?:le|un)\s+lien\s+"
    r"(?:meet|google meet|zoom|teams|webex|de (?:la )?visio|visio)\b")


class EvidenceError(rules.RuleError):
    pass


@dataclass(frozen=True)
class Model:
    """Weights and thresholds (rules/evidence.yaml), with its word lists compiled."""

    weights: Mapping[str, float]
    ignore_rules: Mapping[str, float]  # weight of a matching ignore rule by name; "default" for the others
    invitation: float  # a score at or above: invitation
    review: float  # at or above, under invitation: possible_invitation
    bias: float
    max_recipients: int
    words: Mapping[str, re.Pattern[str]]
    # the words of each list as literals: one pass over a text finds which lists could match it at all
    needles: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # the thread's weighing: each kind's signals and weights, and the sum a kind needs (none: answers stay replies)
    thread: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    thread_threshold: float = 0.0
    index: patterns.NeedleIndex = field(default_factory=patterns.NeedleIndex, compare=False, repr=False)

    def may_say(self, name: str, present: frozenset[str]) -> bool:
        """Whether the list ``name`` could match a text holding the needles ``present`` (index.found)."""
        needles = self.needles.get(name)
        return needles is None or not needles.isdisjoint(present)

    def says(self, name: str, text: str) -> bool:
        """Whether ``text`` (folded) holds a word of the list ``name``."""
        if not text or (name in self.needles and not self.may_say(name, self.index.found(text))):
            return False
        return self.words[name].search(text) is not None


@dataclass(frozen=True)
class Seen:
    """What evidence looks at beyond the message: the records' knowledge, the user's addresses."""

    known_thread: bool = False
    known_company: bool = False
    user_emails: frozenset[str] = frozenset()
    now: datetime | None = None
    rule_kinds: Mapping[str, str] = field(default_factory=dict)  # the kind of each rule, by name
    timezone: str = "UTC"  # the user's: the zone of a quoted time that names none


# --- loading


def _words(spec: Any, path: str) -> re.Pattern[str]:
    if not isinstance(spec, list) or not spec or not all(isinstance(w, str) and w.strip() for w in spec):
        raise EvidenceError(f"{path}: must be a non-empty list of words")
    # whole words, case and accents ignored; a trailing * stands for any ending ("recrut*")
    parts = sorted((re.escape(fold(w.strip().rstrip("*"))) + (r"\w*" if w.strip().endswith("*") else "")
                    for w in spec), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _number(data: Mapping[str, Any], key: str, path: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EvidenceError(f"{path}.{key}: must be a number")
    return float(value)


def _weights(spec: Any, path: str) -> dict[str, float]:
    if not isinstance(spec, Mapping):
        raise EvidenceError(f"{path}: must be a mapping of names to numbers")
    return {str(k): _number(spec, k, path) for k in spec}


def parse(data: Any, origin: str) -> Model:
    """A model from the mapping of an evidence file; one-line EvidenceError naming the key otherwise."""
    if not isinstance(data, Mapping) or not isinstance(data.get("evidence"), Mapping):
        raise EvidenceError(f"{origin}: evidence: must be a mapping (weights, thresholds, words)")
    spec = data["evidence"]
    unknown = set(spec) - {"weights", "ignore_rules", "thresholds", "bias", "max_recipients", "words", "thread"}
    if unknown:
        raise EvidenceError(f"{origin}: evidence.{sorted(unknown)[0]}: unknown key")
    weights = _weights(spec.get("weights"), f"{origin}: evidence.weights")
    missing = sorted(set(SIGNALS) - set(weights))
    if missing:
        raise EvidenceError(f"{origin}: evidence.weights.{missing[0]}: missing")
    thresholds = spec.get("thresholds")
    if not isinstance(thresholds, Mapping):
        raise EvidenceError(f"{origin}: evidence.thresholds: must hold invitation and possible_invitation")
    invitation = _number(thresholds, "invitation", f"{origin}: evidence.thresholds")
    review = _number(thresholds, "possible_invitation", f"{origin}: evidence.thresholds")
    if review > invitation:
        raise EvidenceError(f"{origin}: evidence.thresholds.possible_invitation: must not exceed invitation")
    words = spec.get("words")
    if not isinstance(words, Mapping):
        raise EvidenceError(f"{origin}: evidence.words: must be a mapping of lists")
    compiled = {str(k): _words(v, f"{origin}: evidence.words.{k}") for k, v in words.items()}
    thread, thread_threshold = _thread(spec.get("thread"), f"{origin}: evidence.thread")
    for name in (*WORD_LISTS, *(w.removeprefix("lookalike_") for w in weights if w.startswith("lookalike_")),
                 *_thread_words_weighed(thread)):
        if name not in compiled:
            raise EvidenceError(f"{origin}: evidence.words.{name}: missing")
    recipients = spec.get("max_recipients", 4)
    if isinstance(recipients, bool) or not isinstance(recipients, int) or recipients < 1:
        raise EvidenceError(f"{origin}: evidence.max_recipients: must be a whole number, 1 or more")
    needles = {str(k): frozenset(fold(w.strip().rstrip("*")) for w in v) for k, v in words.items()}
    needles = {k: v for k, v in needles.items() if "" not in v}  # a bare "*" matches any word: always searched
    model = Model(weights, _weights(spec.get("ignore_rules", {}), f"{origin}: evidence.ignore_rules"),
                  invitation, review, float(spec.get("bias", 0) or 0), recipients, compiled, needles, thread,
                  thread_threshold)
    for found in needles.values():
        model.index.add(found)
    return model


def _thread_words_weighed(thread: Mapping[str, Mapping[str, float]]) -> tuple[str, ...]:
    """The word lists the thread section weighs: a file written before a list was added need not hold it."""
    return tuple(w for w in THREAD_WORDS if any(f"{w}_words" in weights for weights in thread.values()))


def _thread(spec: Any, path: str) -> tuple[dict[str, dict[str, float]], float]:
    """The thread section: each kind's weights by signal, and its threshold; none at all when the file has none
    (an evidence.yaml of the user's written before it: answers in a thread then stay replies)."""
    if spec is None:
        return {}, 0.0
    if not isinstance(spec, Mapping) or not isinstance(spec.get("kinds"), Mapping):
        raise EvidenceError(f"{path}: must hold threshold and kinds")
    threshold = _number(spec, "threshold", path)
    kinds: dict[str, dict[str, float]] = {}
    for kind, weights in spec["kinds"].items():
        if kind not in THREAD_KINDS:
            raise EvidenceError(f"{path}.kinds.{kind}: not one of {', '.join(THREAD_KINDS)}")
        kinds[kind] = _weights(weights, f"{path}.kinds.{kind}")
        unknown = sorted(set(kinds[kind]) - set(THREAD_SIGNALS))
        if unknown:
            raise EvidenceError(f"{path}.kinds.{kind}.{unknown[0]}: unknown signal")
    return kinds, threshold


def load_file(path: Path) -> Model:
    return parse(rules.read_yaml(path), str(path))


def model_for(user_dirs: Sequence[Path] = ()) -> Model:
    """The evidence model: the last rules directory holding an evidence.yaml wins (the shipped one first)."""
    chosen = shipped_path("rules")
    for directory in user_dirs:
        if (directory / FILE).is_file():
            chosen = directory
    if chosen is None or not (chosen / FILE).is_file():
        raise EvidenceError(f"rules/{FILE}: missing from the installation")
    path = chosen / FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot read: {exc.strerror}") from None
    return _cached(path, stamp)


@functools.lru_cache(maxsize=4)
def _cached(path: Path, stamp: int) -> Model:  # the stamp: an edited file is read again on reload
    return load_file(path)


# --- signals


def bulk(message: ParsedMessage) -> bool:
    """Sent to a list or in bulk, by its headers."""
    if any(message.header(name) is not None for name in BULK_HEADERS):
        return True
    return bool(_BULK_PRECEDENCE.search(message.header("precedence") or ""))


def personal(message: ParsedMessage, user_emails: frozenset[str], max_recipients: int = 4) -> bool:
    """A person writing to the user: the user among few recipients, a person's address (not a recruiting
    system's, which writes "haldenfoods@myworkday.com" as well as "no-reply@"), not bulk; or a platform's notice
    that relays what a person wrote to her.
    Needs the headers From, To, Cc, List-Id, List-Unsubscribe and Precedence."""
    recipients = [a.lower() for a in (*message.to, *message.cc)]
    sender = (message.from_email or "").lower()
    if not (user_emails & set(recipients)) or len(recipients) > max_recipients or sender in user_emails:
        return False
    # a notice relaying what a person wrote is their mail, whatever list headers the platform adds to all
    if sender and _RELAYED.search(message.subject or "") is not None:
        return True
    return (bool(sender) and not _MACHINE_SENDER.match(sender)
            and not from_recruiting_system(sender) and not bulk(message))


def _future(facts: Facts, reference: datetime) -> tuple[bool, bool, bool]:
    """(a future start, future slots, dates that are all past)."""
    dates = [facts.start] if facts.start is not None else list(facts.candidates)
    future = [d for d in dates if d > reference]
    return (facts.start is not None and bool(future), facts.start is None and bool(future),
            bool(dates) and not future)


@dataclass(frozen=True)
class Words:
    """What a message's words and headers say, whatever facts the extractor finds: worked out once per
    message, where could_be_invitation and decide both weigh it (folding and searching the text are most of
    the evidence's cost)."""

    job_subject: bool
    job_own: bool  # in the sender's own text or the calendar's words
    job_anywhere: bool  # quoted history included
    meeting: bool
    person_direct: bool
    bulk: bool
    recruiting_system: bool
    lookalikes: tuple[str, ...]  # the lookalike_NAME signals whose words are in the subject or own text
    booking_link: bool = False  # the own text links to a scheduler's page where the user picks a slot
    link_promised: bool = False  # the own text promises the video room's link ("I'll send over a Zoom link")
    # the own text asks the user for her availability ("vos disponibilités"): the date is hers to give, not missing
    asks_availability: bool = False


def read_words(model: Model, message: ParsedMessage, events: Sequence[CalendarEvent], seen: Seen) -> Words:
    subject = fold(message.subject)
    # links hold words of their own ("meetup-join"): they are logistics, not what the sender says
    # what the sender wrote, and the calendar's own words (a calendar part may come alone)
    said = " ".join(f"{e.summary or ''} {e.description or ''}" for e in events)
    mine = own_text(message.text) if message.text else ""
    # fold(a + "\n" + b) is fold(a) + "\n" + fold(b): a line break splits no character, nor its accents
    own = _LINK.sub(" ", f"{folded_own_text(message.text)}\n{fold(said)}") if message.text else fold(said)
    job_own = model.says("job", own)
    direct = personal(message, seen.user_emails, model.max_recipients)
    system = (model.says("automated", fold(message.from_email or ""))
              or model.says("automated", fold(" ".join(message.reply_to))))
    return Words(
        job_subject=model.says("job", subject), job_own=job_own,
        # the whole text, quoted history included, is folded only when the sender's own says no job word
        job_anywhere=job_own or model.says("job", _LINK.sub(" ", fold(f"{message.text}\n{said}"))),
        meeting=model.says("meeting", subject) or model.says("meeting", own),
        # a recruiting system puts List-Unsubscribe on its one-to-one mail too: no sign of bulk there
        person_direct=direct, bulk=not direct and not system and bulk(message), recruiting_system=system,
        lookalikes=_lookalikes(model, subject, own),
        booking_link=_links_to_a_booking_page(message.text, mine),
        link_promised=("link" in own or "lien" in own or "invit" in own) and _LINK_PROMISED.search(own) is not None,
        asks_availability="availability" in model.words and model.says("availability", own))


def _links_to_a_booking_page(text: str, mine: str) -> bool:
    """Whether the sender's own text ``mine`` links to a page where the user picks a slot: a scheduler's, or any
    link beside words that ask to pick one from it (in their paragraph)."""
    if "http" not in mine:  # most mail has no link of the sender's own
        return False
    # the whole text first: most mail links to no scheduler
    if _BOOKING_LINK.search(text) is not None and _BOOKING_LINK.search(mine) is not None:
        return True
    folded = folded_own_text(text)
    return any("http" in _paragraph_around(folded, asked.start(), asked.end())
               for asked in _PICK_A_SLOT.finditer(folded))


def _paragraph_around(text: str, start: int, end: int, reach: int = 200) -> str:
    """The paragraph a phrase stands in, up to ``reach`` characters either side: a link the phrase asks to pick a
    slot from stands beside it, not in the signature below a blank line (the company's website)."""
    opened = text.rfind("\n\n", max(0, start - reach), start)
    closed = text.find("\n\n", end, end + reach)
    return text[max(0, start - reach) if opened < 0 else opened : end + reach if closed < 0 else closed]


def _lookalikes(model: Model, subject: str, own: str) -> tuple[str, ...]:
    """The lookalike_NAME signals whose words the subject or the sender's text say (not of where they met)."""
    # most lists have none of their words in either text: their needles tell at once, without a call per list
    present = model.index.found(subject) | model.index.found(own)
    found = [name for name in model.weights if name.startswith("lookalike_")
             and model.may_say(name.removeprefix("lookalike_"), present) and (
        model.says(name.removeprefix("lookalike_"), subject) or model.says(name.removeprefix("lookalike_"), own))]
    if not found:
        return ()
    if _HER_APPLICATION.search(own) is not None:
        found = [name for name in found if name not in _TRADES]
    # only now: most messages have no look-alike word
    own = _THEIR_OWN_CHILDCARE.sub(" ", _HER_TRAINING.sub(" ", _WHERE_WE_MET.sub(" ", own)))
    return tuple(name for name in found if model.says(name.removeprefix("lookalike_"), subject)
                 or model.says(name.removeprefix("lookalike_"), own))


def signals(model: Model, classification: Classification, message: ParsedMessage,
            events: Sequence[CalendarEvent], facts: Facts, seen: Seen,
            words: Words | None = None) -> list[tuple[str, float]]:
    """Every signal that holds, with its weight, in the order a reader would weigh them."""
    if words is None:
        words = read_words(model, message, events, seen)
    found: list[str] = []
    w = model.weights
    kinds = [seen.rule_kinds.get(rule) for rule in classification.matched]
    if "invitation" in kinds:
        found.append("rule_invitation")
    reference = message.date or seen.now
    dated = facts.start is not None or bool(facts.candidates)
    if reference is not None:
        start, slots, past = _future(facts, reference)
        found += [name for name, holds in (("future_time", start), ("future_slots", slots),
                                           ("past_only", past)) if holds]
    if not dated and (words.booking_link or not words.asks_availability):
        found.append("future_slots" if words.booking_link else "no_date")
    # the user's own mail (a copy of what she sent, an invitation she writes to someone) is her meeting to run
    organizers = {(e.organizer_email or "").lower() for e in events} | {(message.from_email or "").lower()}
    if organizers & seen.user_emails:
        found.append("user_organizer")
    elif any((e.method or "REQUEST") in ("REQUEST", "PUBLISH") for e in events):
        found.append("calendar_request")
    if facts.url or words.link_promised:
        found.append("video_link")
    if facts.location:
        found.append("address")
    # a position the extractor found is job context where it was found ("the Data Analyst opening")
    named = _position_found_in(facts)
    job = [name for name, holds in (
        ("job_subject", words.job_subject or named == "subject"),
        ("job_body", words.job_own or named == "body"),
        ("job_quoted", not words.job_own and named != "body" and (words.job_anywhere or named == "quoted")),
        ("known_thread", seen.known_thread), ("known_company", seen.known_company)) if holds]
    found += job or ["no_job_context"]
    if seen.known_thread and "future_time" in found and _restates_the_thread(facts):
        found[found.index("future_time")] = "no_date"  # the thread's own date, said again: none of its own
    if seen.known_thread and not any(n in found for n in ("future_time", "future_slots")):
        found.append("thread_no_new_date")
    if words.meeting:
        found.append("meeting_words")
    if words.person_direct:
        found.append("person_direct")
    elif words.bulk:
        found.append("bulk")
    if words.recruiting_system:
        found.append("recruiting_system")
    found += words.lookalikes
    weighed = [(name, w[name]) for name in found if w.get(name)]
    for rule, kind in zip(classification.matched, kinds, strict=True):
        if kind == "ignore":
            weight = model.ignore_rules.get(rule, model.ignore_rules.get("default", 0.0))
            weighed.append((f"ignore rule {rule}", weight))
    return weighed


def _position_found_in(facts: Facts) -> str | None:
    """Where the extractor found a position in a sentence about a job ("the Data Analyst opening"): "body"
    (the sender's text), "quoted" (the quoted history), "subject" (of a subject or calendar summary, a title that
    ends on a trade's noun: "Product Designer"), or None. Any other part of a subject taken for a position is no
    job context: any short title looks like one."""
    source = facts.sources.get("position", "") if facts.position is not None else ""
    if source.startswith(("subject", "calendar part")) and facts.position is not None:
        return "subject" if names_a_trade(facts.position) else None
    return "body" if source.startswith("body line") else "quoted" if source.startswith("quoted line") else None


# the signals every model weighs (rules/evidence.yaml, weights:); lookalike_NAME ones are open-ended
SIGNALS = ("rule_invitation", "future_time", "future_slots", "past_only", "no_date", "user_organizer",
           "calendar_request", "video_link", "address", "job_subject", "job_body", "job_quoted",
           "known_thread", "known_company", "thread_no_new_date", "no_job_context", "meeting_words",
           "person_direct", "bulk", "recruiting_system")


# the job signals a position found by the extractor may raise
JOB_SIGNALS = ("job_body", "job_quoted")
# the signals only the extractor's facts can raise, and the one it clears
FACT_SIGNALS = (("future_time", "future_slots"), ("video_link",), ("address",))


def could_be_invitation(model: Model, classification: Classification, message: ParsedMessage,
                        events: Sequence[CalendarEvent], seen: Seen, words: Words | None = None) -> bool:
    """Whether the facts could lift the score to a review: else extracting them is time lost.
    The score without facts, less what missing them costs, plus the most that they could add."""
    if classification.kind not in DECIDES:
        return True
    weighed = signals(model, classification, message, events, Facts(), seen, words)
    held = {name for name, _ in weighed}
    bound = model.bias + sum(w for name, w in weighed if name not in ("no_date", "future_slots"))
    bound += sum(max(0.0, *(model.weights[name] for name in group)) for group in FACT_SIGNALS)
    # a position found in the text is job context: one more job signal, and no_job_context gone
    bound += max(0.0, *(model.weights[name] for name in JOB_SIGNALS if name not in held))
    if "no_job_context" in held:
        bound -= model.weights["no_job_context"]
    return bound >= model.review



def decide(model: Model, classification: Classification, message: ParsedMessage,
           events: Sequence[CalendarEvent], facts: Facts, seen: Seen, words: Words | None = None) -> Classification:
    """The classification after the evidence is weighed; a thread kind a rule's phrase decided stays the rules'."""
    tracked = (seen.known_thread or seen.known_company) and bool(model.thread)
    if classification.kind == "reply" and tracked:
        return decide_in_thread(model, classification, message, facts, seen)
    if classification.kind == "invitation" and tracked and seen.known_thread:
        # an invitation's phrase in a tracked thread is often the thread's own ("Re: Invitation à un entretien"
        # over "pourrait-on décaler à 16h ?"): the news the sender's own words bring is weighed first (not in a
        # new thread from a tracked company: its invitation is news of its own)
        news = decide_in_thread(model, replace(classification, kind="reply"), message, facts, seen)
        if news.kind != "reply":
            return news
        settled = _thread_rule(classification, seen, "reply")
        if settled is not None and _settles_a_quoted_time(message, facts, seen):
            # "you're booked in for Monday 9 November, 14:00" over the candidate's "Monday at 14:00 would be
            # perfect": the slot the thread chose, confirmed (a calendar invite or a link with it), no new one
            return replace(classification, kind="reply", rule=settled)
    if classification.kind not in DECIDES:
        return classification
    weighed = [("bias", model.bias), *signals(model, classification, message, events, facts, seen, words)]
    score = sum(weight for _, weight in weighed)
    kind = ("invitation" if score >= model.invitation
            else "possible_invitation" if score >= model.review else "none")
    rule = classification.rule if kind == classification.kind else "evidence"
    if kind != "invitation" and classification.kind == "invitation":
        # an answer in a thread, taken for an invitation by a phrase, stays what the thread rules say
        thread = next((r for r in classification.matched if seen.rule_kinds.get(r) not in (None, "invitation", "ignore",
                                                                                        "screen")), None)
        if thread is not None:
            kind, rule = seen.rule_kinds[thread], thread
    return replace(classification, kind=kind, rule=rule,  # type: ignore[arg-type]
                   evidence=tuple(weighed), score=round(score, 2))


def _thread_rule(classification: Classification, seen: Seen, kind: str) -> str | None:
    """The first matching rule of that kind (a thread rule: the fallback reply), or None."""
    return next((r for r in classification.matched if seen.rule_kinds.get(r) == kind), None)


def _settles_a_quoted_time(message: ParsedMessage, facts: Facts, seen: Seen) -> bool:
    """The interview's start, written by the sender or in the calendar part, is the one time ahead the quoted
    history states: the answer confirms the slot the thread already settled on. Picking one of several times the
    history offers ("mardi 8 à 11h ou jeudi 10 à 14h") settles it: that is news."""
    reference = message.date or seen.now
    if facts.start is None or reference is None or facts.start <= reference or not message.text:
        return False
    dates = textdates.quoted_dates(message.text, reference, sender_zone(message, facts.recruiter, seen.timezone))
    return {d.start for d in dates if d.start > reference} == {facts.start}


# --- in a tracked thread


def decide_in_thread(model: Model, classification: Classification, message: ParsedMessage, facts: Facts,
                     seen: Seen) -> Classification:
    """What news an answer in a tracked thread brings, when only the fallback reply rule read it: the kind whose
    signals weigh most, at or above the threshold, else a reply. The signals of the kind weighed are shown."""
    held = thread_signals(model, message, facts, seen)
    sums = {kind: sum(w for name, w in weights.items() if name in held) for kind, weights in model.thread.items()}
    best = max(sums, key=lambda kind: sums[kind], default=None)  # the first listed on a tie
    if best is None:
        return classification
    weighed = tuple((f"{name} ({best})", w) for name, w in model.thread[best].items() if name in held)
    if sums[best] < model.thread_threshold:
        return replace(classification, evidence=weighed, score=round(sums[best], 2))
    return replace(classification, kind=best, rule="evidence",  # type: ignore[arg-type]
                   evidence=weighed, score=round(sums[best], 2))


def thread_signals(model: Model, message: ParsedMessage, facts: Facts, seen: Seen) -> set[str]:
    """The thread signals that hold: the words of the sender's own text, and how its times meet the quoted ones."""
    own = _LINK.sub(" ", folded_own_text(message.text)) if message.text else ""
    held = {f"{name}_words" for name in THREAD_WORDS if name in model.words and model.says(name, own)}
    reference = message.date or seen.now
    if reference is None:
        return held
    # the quoted times in the zone the sender writes in, as the extractor read the sender's own ("4pm" from London)
    dates = textdates.quoted_dates(message.text, reference, sender_zone(message, facts.recruiter, seen.timezone))
    quoted = [d.start for d in dates]
    if any(t > reference for t in quoted):
        held.add("quoted_time_ahead")
    elif quoted:
        held.add("quoted_time_over")
    new = [t for t in _own_times(facts) if t > reference and t not in quoted]
    if new:
        held.add("new_time")
    if any(d.start < t < d.end for t in new for d in dates if d.end is not None):
        # "could we do Thursday 12th, any time between 10 and 1?" answered "let's say 11": the hour picked in the
        # window offered, not a move
        held.add("quoted_window")
    return held


def _restates_the_thread(facts: Facts) -> bool:
    """The sender named the day alone and the quoted history gave its time ("quelques infos pratiques pour mardi"
    over "je vous confirme ma venue mardi 24 novembre à 14h"): the thread's date, said again, no new one."""
    return facts.sources.get("interview.start", "").endswith(textdates.THE_THREADS_TIME_THAT_DAY)


def _own_times(facts: Facts) -> tuple[datetime, ...]:
    """The times the sender's text states (the extractor reads dates in the own text only); a calendar part's
    DTSTART is not one: a cancelled event still carries the time it no longer holds."""
    stated = facts.start is not None and facts.sources.get("interview.start", "").startswith("body")
    return ((facts.start,) if stated and facts.start is not None else ()) + tuple(facts.candidates)
