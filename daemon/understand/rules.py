# SPDX-License-Identifier: MIT
"""Rules are data: YAML files of named rules saying what a message is.

A rule file holds ``rules:``, a list of mappings::

    - name: fr-convocation          # unique; a user rule with this name replaces the shipped one
      kind: invitation              # invitation | possible_invitation | update | cancellation | rejection | reply
                                    # | ignore | screen | sent; possible_invitation: held for the user's review
      priority: 50                  # the matching rule with the highest priority decides
      language: fr                  # optional: the language the rule's words are in
      when: CONDITION

A CONDITION is a mapping; several keys in one mapping must all hold:

- ``all: [C, ...]``, ``any: [C, ...]``, ``not: C``
- ``subject``, ``body``, ``text`` (subject and body), ``from`` (address and name),
  ``to`` (every recipient): a MATCHER. ``body`` is what the sender wrote: quoted replies
  ("> ..." lines, everything from "On ... wrote:" / "Le ... a écrit :" on) are left out,
  so that an answer quoting an invitation is not taken for one; ``text`` leaves out the subject of an
  answer ("Re: ...") in a tracked thread, the tracked message's title
- ``header: {name: List-Unsubscribe, present: true}`` or ``header: {name: X, ...MATCHER}``
- ``calendar: {present: bool, method: NAME or [NAMES], organizer: MATCHER, summary: MATCHER}``
- ``thread: {known: bool}``: the message answers a message we already track;
  ``sender: {known_company: bool}``: it comes from the domain of a tracked recruiter

A MATCHER is a regular expression string, or a mapping with one of ``regex``,
``words`` (a list; whole words, case and accents ignored) or ``contains``.

A rule of kind ``screen`` classifies nothing: it says which messages are worth
reading whole. The scan first fetches every message's headers and structure
only; a message is read whole, and classified by the other rules, when it has a
calendar part or matches a screen rule. A screen rule sees headers only, so its
conditions are ``subject``, ``from``, ``to``, ``header``, ``thread`` and ``sender``
(and ``all``, ``any``, ``not`` of them).

A rule of kind ``sent`` reads the mail the user sent (the Sent folder), never
received mail, and says with ``means`` what the user did: ``thank_you``,
``slot_choice`` (one of the proposed slots chosen), ``withdrawal`` or ``other``.
Its conditions are the same as any rule's; ``body`` is what the user wrote,
without the message quoted below it.

Nothing in a rule file is executed: regular expressions are the only language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from daemon.errors import UserError
from daemon.model import Classification, ParsedMessage, SentReading
from daemon.shipped import PACKAGE_DIR, shipped_path
from daemon.text import THREAD_PREFIX, fold
from daemon.understand import patterns
from daemon.understand.quotes import folded_own_text

log = logging.getLogger(__name__)

KINDS = ("invitation", "possible_invitation", "update", "cancellation", "rejection", "reply", "ignore", "screen",
         "sent")
SCREEN = "screen"
SENT = "sent"
# what a rule of kind sent may say the user did
SENT_MEANINGS = ("thank_you", "slot_choice", "withdrawal", "other")
EVIDENCE_FILE = "evidence.yaml"  # in a rules directory, but read by understand/evidence.py
# what a screen rule may look at: the headers, and what the records know
HEADER_CONDITIONS = frozenset({"all", "any", "not", "subject", "from", "to", "header", "thread", "sender"})


class RuleError(UserError):
    pass


@dataclass(frozen=True)
class Context:
    """What the records know, for conditions that look beyond the message itself."""

    known_message_ids: frozenset[str] = frozenset()
    known_company_domains: frozenset[str] = frozenset()


class Known(NamedTuple):
    """All that the understanding of a message asks of the records about it: two contexts that answer alike
    give the same analysis (tests/test_analyst.py holds it over the test data)."""

    thread: bool  # its In-Reply-To or References among the messages of tracked interviews
    company_as_written: bool  # its sender's domain, as written, among the tracked companies' (the rules)
    company: bool  # the same, in lower case (the evidence)


def known_to(message: ParsedMessage, context: Context) -> Known:
    thread = {message.in_reply_to, *message.references} - {None}
    domain = (message.from_email or "").rpartition("@")[2]
    return Known(bool(thread & context.known_message_ids), domain in context.known_company_domains,
                 bool(domain) and domain.lower() in context.known_company_domains)


@dataclass(frozen=True)
class Subject:
    """A message prepared once for every rule: folded text, so rules ignore case and accents."""

    message: ParsedMessage
    subject: str
    body: str
    # the subject as ``text`` reads it: none for an answer in a tracked thread, whose "Re: Interview invitation"
    # is the tracked message's title, news that message brought, not this one
    headline: str
    sender: str
    recipients: str
    events: tuple[Any, ...]
    context: Context


Predicate = Callable[[Subject], bool]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    priority: int
    language: str | None
    test: Predicate = field(repr=False)
    origin: str = ""
    headers_only: bool = False  # decided by the headers (and the records) alone
    header_names: frozenset[str] = frozenset()  # headers named by its header conditions
    reads_records: bool = False  # has a thread or sender condition: its answer depends on the Context
    means: str | None = None  # for a rule of kind sent: what the user did (SENT_MEANINGS)




# --- compiling conditions

# the needles of every pattern compiled (rules.py's only state: a cache, the same for any rule set)
_NEEDLES = patterns.NeedleIndex()


class _Problem(Exception):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _matcher(spec: Any, path: str) -> Callable[[str], bool]:
    if isinstance(spec, str):
        return _regex(spec, path)  # the short form: the problem is at the key the user wrote
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise _Problem(path, "a matcher is a regex string or a mapping with one of regex, words, contains")
    (how, value), = spec.items()
    if how == "regex":
        if not isinstance(value, str):
            raise _Problem(path + ".regex", "must be a string")
        return _regex(value, path + ".regex")
    if how == "words":
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
            raise _Problem(path + ".words", "must be a non-empty list of strings")
        alternatives = "|".join(re.escape(fold(w)) for w in sorted(value, key=len, reverse=True))
        return _searcher(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"))
    if how == "contains":
        if not isinstance(value, str) or not value:
            raise _Problem(path + ".contains", "must be a non-empty string")
        needle = fold(value)
        return lambda text: needle in text
    raise _Problem(path, f"unknown matcher {how!r} (regex, words, contains)")


def _regex(value: str, path: str) -> Callable[[str], bool]:
    # Folded like the text it meets, so a rule written "entretien" also matches "ENTRETIEN".
    try:
        pattern = re.compile(fold(value), re.MULTILINE)
    except re.error as exc:
        raise _Problem(path, f"bad regular expression: {exc}") from None
    return _searcher(pattern)


def _searcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether the pattern is found in a text; searched only when the text holds one of its needles
    (daemon/patterns.py): ``in`` runs in C, where ``re`` tries every alternative at every position."""
    needles = patterns.needles(pattern.pattern, pattern.flags)
    if needles is None:
        return lambda text: pattern.search(text) is not None
    _NEEDLES.add(needles)
    apart = patterns.alternatives(pattern.pattern, pattern.flags)
    if apart is None:
        return lambda text: not needles.isdisjoint(_NEEDLES.found(text)) and pattern.search(text) is not None
    for _alternative, own in apart:
        _NEEDLES.add(own or ())
    return lambda text: not needles.isdisjoint(found := _NEEDLES.found(text)) and any(
        (own is None or not own.isdisjoint(found)) and alternative.search(text) is not None
        for alternative, own in apart)


def _text_condition(attr: str) -> Callable[[Any, str], Predicate]:
    def build(spec: Any, path: str) -> Predicate:
        match = _matcher(spec, path)
        return lambda s: match(getattr(s, attr))

    return build


# a header's name as RFC 5322 and IMAP (HEADER.FIELDS) both take it: no space, colon, quote or parenthesis
_FIELD_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


def _header_condition(spec: Any, path: str) -> Predicate:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
        raise _Problem(path, "needs name: HEADER-NAME and present: true/false or a matcher")
    if not _FIELD_NAME.fullmatch(spec["name"]):
        raise _Problem(path + ".name", "must be a header name (letters, digits, '-'), without spaces or ':'")
    name = spec["name"].lower()
    rest = {k: v for k, v in spec.items() if k != "name"}
    if set(rest) == {"present"}:
        wanted = bool(rest["present"])
        return lambda s: (s.message.header(name) is not None) == wanted
    match = _matcher(rest, path)
    return lambda s: any(k == name and match(fold(v)) for k, v in s.message.headers)


def _has_events(wanted: bool) -> Predicate:
    return lambda s: bool(s.events) == wanted


def _event_method_in(methods: frozenset[str]) -> Predicate:
    return lambda s: any((e.method or "") in methods for e in s.events)


def _event_text(attr: str, match: Callable[[str], bool]) -> Predicate:
    return lambda s: any(match(fold(getattr(e, attr) or "")) for e in s.events)


def _calendar_condition(spec: Any, path: str) -> Predicate:
    if not isinstance(spec, Mapping):
        raise _Problem(path, "must be a mapping (present, method, organizer, summary)")
    tests: list[Predicate] = []
    for key, value in spec.items():
        where = f"{path}.{key}"
        if key == "present":
            tests.append(_has_events(bool(value)))
        elif key == "method":
            methods = {value.upper()} if isinstance(value, str) else {str(v).upper() for v in value or []}
            if not methods:
                raise _Problem(where, "must name a METHOD such as REQUEST")
            tests.append(_event_method_in(frozenset(methods)))
        elif key in ("organizer", "summary"):
            attr = "organizer_email" if key == "organizer" else "summary"
            tests.append(_event_text(attr, _matcher(value, where)))
        else:
            raise _Problem(where, "unknown key (present, method, organizer, summary)")
    return lambda s: all(t(s) for t in tests)


def _thread_condition(spec: Any, path: str) -> Predicate:
    if not isinstance(spec, Mapping) or set(spec) != {"known"}:
        raise _Problem(path, "must be {known: true} or {known: false}")
    wanted = bool(spec["known"])

    return lambda s: known_to(s.message, s.context).thread == wanted


def _sender_condition(spec: Any, path: str) -> Predicate:
    if not isinstance(spec, Mapping) or set(spec) != {"known_company"}:
        raise _Problem(path, "must be {known_company: true} or {known_company: false}")
    wanted = bool(spec["known_company"])

    return lambda s: known_to(s.message, s.context).company_as_written == wanted


def _combinator(kind: str) -> Callable[[Any, str], Predicate]:
    def build(spec: Any, path: str) -> Predicate:
        if not isinstance(spec, list) or not spec:
            raise _Problem(path, "must be a non-empty list of conditions")
        compiled = [(_cost(c), i, compile_condition(c, f"{path}[{i}]")) for i, c in enumerate(spec)]
        parts = [p for _cost_, _i, p in sorted(compiled)]  # cheap first: all/any stop at the first answer
        if kind == "all":
            return lambda s: all(p(s) for p in parts)
        return lambda s: any(p(s) for p in parts)

    return build


def _not_condition(spec: Any, path: str) -> Predicate:
    inner = compile_condition(spec, path)
    return lambda s: not inner(s)


_CONDITIONS: dict[str, Callable[[Any, str], Predicate]] = {
    "all": _combinator("all"),
    "any": _combinator("any"),
    "not": _not_condition,
    "subject": _text_condition("subject"),
    "body": _text_condition("body"),
    "text": lambda spec, path: (lambda m: (lambda s: m(s.headline) or m(s.body)))(_matcher(spec, path)),
    "from": _text_condition("sender"),
    "to": _text_condition("recipients"),
    "header": _header_condition,
    "calendar": _calendar_condition,
    "thread": _thread_condition,
    "sender": _sender_condition,
}


def compile_condition(spec: Any, path: str) -> Predicate:
    if not isinstance(spec, Mapping) or not spec:
        raise _Problem(path, "a condition is a non-empty mapping")
    compiled = []
    for index, (key, value) in enumerate(spec.items()):
        builder = _CONDITIONS.get(key)
        if builder is None:
            raise _Problem(f"{path}.{key}", "unknown condition (" + ", ".join(_CONDITIONS) + ")")
        compiled.append((_cost({key: value}), index, builder(value, f"{path}.{key}")))
    parts = [p for _cost_, _i, p in sorted(compiled)]
    if len(parts) == 1:
        return parts[0]
    return lambda s: all(p(s) for p in parts)


# What a condition costs to test, in rough classes: the records and the calendar part's fields, then the
# short header texts, then the message's text (a search over kilobytes).
_COSTS = {"thread": 0, "sender": 0, "calendar": 1, "header": 2, "subject": 2, "from": 2, "to": 2,
          "text": 3, "body": 3}


def _cost(spec: Any) -> int:
    """The dearest test in a condition (already checked by compile_condition when it is called)."""
    if isinstance(spec, list):
        return max((_cost(c) for c in spec), default=0)
    if not isinstance(spec, Mapping):
        return 0
    return max((_cost(value) if key in ("all", "any", "not") else _COSTS.get(key, 3)
                for key, value in spec.items()), default=0)


def _beyond_headers(spec: Any, path: str) -> str | None:
    """The path of the first condition that needs more than the headers (body, text, calendar), or None."""
    if isinstance(spec, list):
        return next((p for i, c in enumerate(spec) if (p := _beyond_headers(c, f"{path}[{i}]"))), None)
    if not isinstance(spec, Mapping):
        return None
    for key, value in spec.items():
        if key not in HEADER_CONDITIONS:
            return f"{path}.{key}"
        if key in ("all", "any", "not") and (found := _beyond_headers(value, f"{path}.{key}")):
            return found
    return None


def _reads_records(spec: Any) -> bool:
    if isinstance(spec, list):
        return any(_reads_records(c) for c in spec)
    if not isinstance(spec, Mapping):
        return False
    return any(key in ("thread", "sender") or (key in ("all", "any", "not") and _reads_records(value))
               for key, value in spec.items())


# conditions whose value, when a string, is a regular expression (the short form of a matcher)
_TEXT_CONDITIONS = ("subject", "body", "text", "from", "to", "organizer", "summary")


def condition_patterns(spec: Any) -> Iterator[str]:
    """Every regular expression a condition holds, as written (tests and bench hold each to linear time)."""
    if isinstance(spec, list):
        for item in spec:
            yield from condition_patterns(item)
    elif isinstance(spec, Mapping):
        for key, value in spec.items():
            if (key in _TEXT_CONDITIONS or key == "regex") and isinstance(value, str):
                yield value
            else:
                yield from condition_patterns(value)


def _header_names(spec: Any) -> frozenset[str]:
    """Every header a condition names in ``header: {name: ...}``, lower case."""
    if isinstance(spec, list):
        return frozenset().union(*(_header_names(c) for c in spec))
    if not isinstance(spec, Mapping):
        return frozenset()
    found: set[str] = set()
    for key, value in spec.items():
        if key == "header" and isinstance(value, Mapping) and isinstance(value.get("name"), str):
            found.add(value["name"].lower())
        elif key in ("all", "any", "not"):
            found |= _header_names(value)
    return frozenset(found)


# --- loading


def _compile_rule(item: Any, index: int, origin: str) -> Rule:
    path = f"rules[{index}]"
    if not isinstance(item, Mapping):
        raise _Problem(path, "must be a mapping with name, kind and when")
    unknown = set(item) - {"name", "kind", "priority", "language", "when", "description", "means"}
    if unknown:
        raise _Problem(f"{path}.{sorted(unknown)[0]}", "unknown key")
    name = item.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise _Problem(f"{path}.name", "must be a name of letters, digits, '-', '_' or '.'")
    kind = item.get("kind")
    if kind not in KINDS:
        raise _Problem(f"{path}.kind", "must be one of " + ", ".join(KINDS))
    priority = item.get("priority", 50)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise _Problem(f"{path}.priority", "must be a whole number")
    language = item.get("language")
    if language not in (None, "fr", "en"):
        raise _Problem(f"{path}.language", "must be fr or en")
    means = item.get("means")
    if kind == SENT and means not in SENT_MEANINGS:
        raise _Problem(f"{path}.means", "a rule of kind sent says what the user did: " + ", ".join(SENT_MEANINGS))
    if kind != SENT and means is not None:
        raise _Problem(f"{path}.means", "only a rule of kind sent has means")
    if "when" not in item:
        raise _Problem(f"{path}.when", "missing")
    test = compile_condition(item["when"], f"{path}.when")
    beyond = _beyond_headers(item["when"], f"{path}.when")
    if kind == SCREEN and beyond is not None:
        raise _Problem(beyond, "a screen rule sees headers only (" + ", ".join(sorted(HEADER_CONDITIONS)) + ")")
    return Rule(name, kind, priority, language, test, origin, beyond is None, _header_names(item["when"]),
                _reads_records(item["when"]), means)


def read_yaml(path: Path) -> Any:
    """A rules directory's YAML file, or a RuleError naming the file (and the line)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RuleError(f"{path}: {where}not valid YAML") from None


def load_file(path: Path) -> list[Rule]:
    data = read_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: rules: must be a list of rules")
    rules = []
    for index, item in enumerate(data["rules"]):
        try:
            rules.append(_compile_rule(item, index, str(path)))
        except _Problem as problem:
            raise RuleError(f"{path}: {problem}") from None
    return rules


def shipped_rules_dir() -> Path:
    found = shipped_path("rules")
    if found is None or not found.is_dir():
        raise RuleError(f"{PACKAGE_DIR}: the shipped rules directory is missing from the installation")
    return found


def load_directory(directory: Path) -> list[Rule]:
    """Every rule file of one directory; a name given twice there is a mistake, not an override."""
    if not directory.is_dir():
        raise RuleError(f"{directory}: rules directory not found")
    seen: dict[str, Rule] = {}
    for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
        if path.name == EVIDENCE_FILE:
            continue  # weights and thresholds, not rules (understand/evidence.py)
        for index, rule in enumerate(load_file(path)):
            first = seen.get(rule.name)
            if first is not None:
                raise RuleError(f"{path}: rules[{index}].name: {rule.name!r} is already a rule in {first.origin}")
            seen[rule.name] = rule
    return list(seen.values())


def load_rules(user_dirs: Sequence[Path] = (), disabled: Iterable[str] = ()) -> list[Rule]:
    """Shipped rules, then each user directory's (same name replaces), minus the disabled ones."""
    by_name: dict[str, Rule] = {}
    for directory in user_dirs:
        if not directory.is_dir():  # named as the config names it: the user's key to fix
            raise RuleError(f"rules.paths: {directory}: no such directory")
    for directory in (shipped_rules_dir(), *user_dirs):
        for rule in load_directory(directory):
            by_name[rule.name] = rule
    off = set(disabled)
    for name in sorted(off - set(by_name)):
        # a warning, not an error: a shipped rule renamed by an upgrade must not stop the daemon
        log.warning("rules.disabled: no rule is named %r", name)
    return [r for r in by_name.values() if r.name not in off]


# --- classifying


def prepare(message: ParsedMessage, events: Sequence[Any], context: Context) -> Subject:
    sender = fold(" ".join(filter(None, (message.from_name, message.from_email, *message.reply_to))))
    subject = fold(message.subject)
    return Subject(
        message=message,
        subject=subject,
        headline="" if _answers_a_tracked_message(message, context) else subject,
        body=folded_own_text(message.text.replace("\r\n", "\n")) if message.text else "",
        sender=sender,
        recipients=fold(" ".join((*message.to, *message.cc))),
        events=tuple(events),
        context=context,
    )


def _answers_a_tracked_message(message: ParsedMessage, context: Context) -> bool:
    return (bool(context.known_message_ids) and THREAD_PREFIX.match(message.subject or "") is not None
            and known_to(message, context).thread)


def classify(rules: Sequence[Rule], message: ParsedMessage, events: Sequence[Any] = (),
             context: Context = Context(), *, every: bool = True) -> Classification:
    """What the rules make of a message: the kind, the rule that decided and the rules that matched.

    With ``every`` (``relance explain``), every rule is tested and ``matched``
    names them all. Without it (the scan), the rules are tried from the highest
    priority down and the first that holds decides: the same kind and rule,
    and ``matched`` names that rule alone.
    """
    subject = prepare(message, events, context)
    if not every:
        return _first_deciding(rules, subject)
    matched = [r for r in rules if r.kind not in (SCREEN, SENT) and _safe_test(r, subject)]
    if not matched:
        return Classification("none", None, ())
    winner = max(matched, key=lambda r: r.priority)  # max keeps the first of equals: file order
    kind = "none" if winner.kind == "ignore" else winner.kind
    return Classification(kind, winner.name, tuple(r.name for r in matched))  # type: ignore[arg-type]


def _first_deciding(rules: Sequence[Rule], subject: Subject) -> Classification:
    # sorted is stable: among equal priorities, file order, as max() in classify keeps the first of equals
    winner = first_match(sorted((r for r in rules if r.kind not in (SCREEN, SENT)), key=lambda r: -r.priority), subject)
    if winner is None:
        return Classification("none", None, ())
    kind = "none" if winner.kind == "ignore" else winner.kind
    return Classification(kind, winner.name, (winner.name,))  # type: ignore[arg-type]


def read_sent(rules: Sequence[Rule], message: ParsedMessage, context: Context = Context()) -> SentReading:
    """What a message the user sent says, by the rules of kind sent alone; ``other`` when none matches."""
    subject = prepare(message, (), context)
    matched = sorted((r for r in rules if r.kind == SENT and _safe_test(r, subject)), key=lambda r: -r.priority)
    if not matched:
        return SentReading("other", None, ())
    meanings = tuple(dict.fromkeys(r.means or "other" for r in matched))
    return SentReading(meanings[0], matched[0].name, tuple(r.name for r in matched), meanings)  # type: ignore[arg-type]


def first_match(rule_set: Sequence[Rule], subject: Subject) -> Rule | None:
    """The first rule of rule_set, in its order, that holds for a prepared message."""
    return next((r for r in rule_set if _safe_test(r, subject)), None)


def _safe_test(rule: Rule, subject: Subject) -> bool:
    try:
        return rule.test(subject)
    except (re.error, RecursionError, TypeError, ValueError):
        log.warning("rule %s failed on a message and was ignored for it", rule.name)
        return False
