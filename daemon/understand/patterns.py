# SPDX-License-Identifier: MIT
"""What a rule's regular expression needs of a text, read from the pattern's parse tree.

Python's ``re`` tries a long alternation at every position of a text: about
a millisecond for 5 kB against fr-invitation's pattern. A match of most
patterns must contain one of a few literal words ("convocation",
"entretien", "regret"...), and ``word in text`` runs in C at gigabytes per
second. So a pattern is only searched for when one of its words is in the
text (rules.py); the answer is the same, since a text without any of them
cannot match.

The same tree shows nested repeats (``(a+)+``, ``(x\\s*)+``): the shape that
backtracks exponentially on a long run of the wrong characters.
tests/test_rules.py holds every shipped pattern free of it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from re import _compiler as sre_compile  # type: ignore[attr-defined]  # re's own compiler, for a parsed tree
from re import _constants as sre  # type: ignore[attr-defined]  # re's own opcodes (sre_constants, which warns now)
from re import _parser as sre_parse  # type: ignore[attr-defined]  # re's own parser (sre_parse); no stubs
from typing import Any

import ahocorasick

# Texts whose needles are remembered: a message's subject, body, sender and recipients, met by every rule.
RECENT_TEXTS = 16

# A needle shorter than this is in nearly every text: checking for it saves nothing.
MIN_NEEDLE = 3

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def needles(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when no such set is known.

    Sound, not complete: None says nothing, a set is a promise (a text holding
    none of its strings cannot match).
    """
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None  # the literals of the tree would not be the text's
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if tree.state.flags & re.IGNORECASE:  # an inline (?i) for the whole pattern
        return None
    return _useful(_sequence(list(tree)))


def _useful(found: frozenset[str] | None) -> frozenset[str] | None:
    return None if found is None or min(map(len, found)) < MIN_NEEDLE else found


def alternatives(pattern: str, flags: int = 0) -> list[tuple[re.Pattern[str], frozenset[str] | None]] | None:
    """A pattern that is one alternation (``a|b|c``) as one compiled pattern per alternative, each with its
    needles (None: always searched); None for any other pattern, or one whose needles ``needles`` would not give.

    ``re`` tries every alternative at every position of a text; the pattern is found in a text when one of its
    alternatives is, and that one is searched only in a text holding its own needles, alone, where ``re`` skips
    to the positions its first characters allow.
    """
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    items = list(tree)
    if (tree.state.flags & re.IGNORECASE or len(items) != 1 or items[0][0] is not sre.BRANCH
            or _refers_back(items)):
        return None
    return [(sre_compile.compile(branch, flags), _useful(_sequence(list(branch)))) for branch in items[0][1][1]]


def _refers_back(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether a back-reference is in the tree: it may name a group of another alternative."""
    for op, av in items:
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return True
        inner = (av[3] if op is sre.SUBPATTERN else av[2] if op in _REPEATS else av[1] if op in (
            sre.ASSERT, sre.ASSERT_NOT) else av if op is sre.ATOMIC_GROUP else None)
        if op is sre.BRANCH and any(_refers_back(branch) for branch in av[1]):
            return True
        if inner is not None and _refers_back(inner):
            return True
    return False


# A needle this long is rare enough in a text: a longer one is no better, fewer needles are.
SELECTIVE = 10


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more useful of two needle sets: a longer shortest needle (up to SELECTIVE), then fewer needles."""
    if a is None or not all(a):
        return b if b is None or all(b) else a
    if b is None or not all(b):
        return a
    return max((a, b), key=lambda s: (min(SELECTIVE, *map(len, s)), -len(s)))


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Needles of a sequence: it holds all of its items, so any one item's needles will do; a run of
    items that each match one of a few strings (``convocation (a|pour) ``) gives the strings the run can be."""
    best: frozenset[str] | None = None
    run: frozenset[str] = frozenset({""})
    for op, av in items:
        exact = _exact(op, av)
        if exact is not None and len(run) * len(exact) <= MAX_STRINGS:
            run = frozenset(a + b for a in run for b in exact)
            continue
        best = _better(best, run)
        run = exact if exact is not None else frozenset({""})
        if exact is None:
            best = _better(best, _item(op, av))
    return _fewest(_better(best, run))


def _fewest(found: frozenset[str] | None) -> frozenset[str] | None:
    """Without a needle that holds another: the shorter one is in every text the longer one is."""
    if found is None:
        return None
    return frozenset(n for n in found if not any(o != n and o in n for o in found))


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = av
        return None if add_flags & re.IGNORECASE else _sequence(list(inner))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in _REPEATS:
        low, _high, inner = av
        return _sequence(list(inner)) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch))
            if found is None or not all(found):
                return None
            union |= found
        return frozenset(union)
    return None  # a class, an anchor, a look-around, a back-reference: no literal promised


# Beyond this many strings, a run of items is cut in two: fewer needles to look for, as sound.
MAX_STRINGS = 8


def _exact(op: Any, av: Any) -> frozenset[str] | None:
    """Every string the item can match (a superset will do), when they are a few; else None."""
    if op is sre.LITERAL:
        return frozenset({chr(av)})
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset({""})  # zero width
    if op is sre.IN:
        if all(o is sre.LITERAL for o, _ in av) and len(av) <= 8:
            return frozenset(chr(c) for _, c in av)
        return None
    if op is sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _exact_sequence(list(av[3]))
    if op is sre.ATOMIC_GROUP:
        return _exact_sequence(list(av))
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _exact_sequence(list(branch))
            if found is None:
                return None
            union |= found
        return frozenset(union) if len(union) <= MAX_STRINGS else None
    if op in _REPEATS and av[1] <= 3:
        inner = _exact_sequence(list(av[2]))
        if inner is None:
            return None
        strings: set[str] = set()
        power = frozenset({""})
        for times in range(av[1] + 1):
            if times >= av[0]:
                strings |= power
            power = frozenset(a + b for a in power for b in inner)
            if len(strings) + len(power) > MAX_STRINGS:
                return None
        return frozenset(strings)
    return None


def _exact_sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    strings = frozenset({""})
    for op, av in items:
        exact = _exact(op, av)
        if exact is None or len(strings) * len(exact) > MAX_STRINGS:
            return None
        strings = frozenset(a + b for a in strings for b in exact)
    return strings


def nested_repeats(pattern: str, flags: int = 0) -> list[str]:
    """Each unbounded repeat that holds another unbounded repeat, as the inner one's pattern text.

    Possessive repeats and atomic groups are left out: they never give back
    what they matched, so nothing is tried twice.
    """
    found: list[str] = []
    _walk(list(sre_parse.parse(pattern, flags)), False, found)
    return found


def _unbounded(op: Any, av: Any) -> bool:
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] == sre.MAXREPEAT


def _walk(items: list[tuple[Any, Any]], inside: bool, found: list[str]) -> None:
    for op, av in items:
        if _unbounded(op, av):
            if inside:
                found.append(f"{op} {av[0]}.. over {list(av[2])}")
            _walk(list(av[2]), True, found)
        elif op in _REPEATS:
            _walk(list(av[2]), inside, found)
        elif op is sre.SUBPATTERN:
            _walk(list(av[3]), inside, found)
        elif op is sre.BRANCH:
            for branch in av[1]:
                _walk(list(branch), inside, found)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _walk(list(av[1]), inside, found)
        # ATOMIC_GROUP: never backtracked into; nothing below it can be tried twice


_NEEDLE = itemgetter(1)


class NeedleIndex:
    """The needles of every pattern compiled so far, all found in a text in one pass (Aho-Corasick, in C).

    Checking each pattern's needles with ``in`` costs one pass over the text per
    needle (hundreds of them over a message's body); the automaton makes it one
    pass for all. The needles found in the last few texts are remembered, by
    identity: every rule asks about the same folded subject and body.
    """

    def __init__(self) -> None:
        self._needles: set[str] = set()
        self._automaton: Any = None
        self._recent: OrderedDict[int, tuple[str, frozenset[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, needles: Iterable[str]) -> None:
        with self._lock:
            new = set(needles) - self._needles
            if new:
                self._needles |= new
                self._automaton = None
                self._recent.clear()

    def found(self, text: str) -> frozenset[str]:
        """The needles that occur in ``text``, overlapping ones included."""
        hit = self._recent.get(id(text))  # one dict read, atomic under the GIL: every rule asks, most find it
        if hit is not None and hit[0] is text:
            return hit[1]
        with self._lock:
            if self._automaton is None:
                self._automaton = self._build()
            # the needle of each (end, needle) the automaton gives, taken in C: no Python step per occurrence
            found = frozenset(map(_NEEDLE, self._automaton.iter(text))) if text else frozenset()
            self._recent[id(text)] = (text, found)  # the text is held, so its id is not reused meanwhile
            if len(self._recent) > RECENT_TEXTS:
                self._recent.popitem(last=False)
            return found

    def _build(self) -> Any:
        automaton = ahocorasick.Automaton()
        for needle in self._needles:
            automaton.add_word(needle, needle)
        automaton.make_automaton()
        return automaton


class Guarded:
    """A regular expression of the extractors, searched only in a text that holds one of its needles.

    The extractors run a few dozen patterns over a message's text with
    ``finditer``; most start with a word in several spellings, which ``re``
    tries at every position. The needles are found in C first, as the rules'
    are. A caseless pattern's needles are looked for in the text's casefold.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.caseless = bool(flags & re.IGNORECASE)
        found = needles(pattern, flags & ~re.IGNORECASE)
        self.needles = None if found is None else frozenset(n.casefold() for n in found) if self.caseless else found

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``; ``folded`` is ``caseless(text)`` when the caller has it already."""
        return self.regex.finditer(text) if self.could_match(text, folded) else iter(())

    def could_match(self, text: str, folded: str | None = None) -> bool:
        if self.needles is None:
            return True
        if self.caseless:
            folded = folded if folded is not None else caseless(text)
            if folded is None:
                return True
            text = folded
        return any(needle in text for needle in self.needles)


def caseless(text: str) -> str | None:
    """The text as a caseless pattern's needles are looked for in it, or None where that would not be sound:
    casefold maps "İ" to two characters where ``re`` matches it with "i"."""
    return None if "\u0130" in text else text.casefold()


@functools.cache
def guarded(pattern: str, flags: int = 0) -> Guarded:
    return Guarded(pattern, flags)
