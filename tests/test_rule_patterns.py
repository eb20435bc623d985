# SPDX-License-Identifier: MIT
"""The rule engine's shortcuts give the answers of the plain way, and the shipped patterns cannot blow up.

The shortcuts (daemon/rules.py, daemon/patterns.py): one fold in C, a
pattern searched only when one of its needles is in the text, and the scan's
classification stopping at the first rule by priority. How long a pattern
takes on a megabyte is measured in bench/ (``python -m bench.run
--only-costs``); here, the shape that makes a pattern backtrack
exponentially (a repeat inside a repeat) is refused outright.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daemon.text import fold
from daemon.understand import ical, mime, patterns, rules

CORPUS = Path(__file__).parent / "data" / "corpus"


def shipped_patterns() -> list[tuple[str, str]]:
    """(rule name, folded pattern) for every regular expression of the shipped rules."""
    found = []
    for path in sorted(rules.shipped_rules_dir().glob("*.yaml")):
        if path.name == rules.EVIDENCE_FILE:
            continue  # weights and word lists, no patterns of rules
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            found.extend((rule["name"], fold(p)) for p in rules.condition_patterns(rule["when"]))
    return found


PATTERNS = shipped_patterns()


def test_every_shipped_pattern_is_seen() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"fr-invitation", "en-invitation", "screen-interview-words", "calendar-interview-request"} <= names
    assert len(PATTERNS) >= 40


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PATTERNS)])
def test_no_shipped_pattern_nests_a_repeat_in_a_repeat(name: str, pattern: str) -> None:
    # (x\s*)+ and the like try every way of cutting a long run of the wrong characters: exponential time
    assert patterns.nested_repeats(pattern, re.MULTILINE) == [], name


def test_nested_repeats_are_found() -> None:
    assert patterns.nested_repeats(r"^((re|aw)\s*:\s*)+x")
    assert patterns.nested_repeats(r"(a+)*b")
    assert not patterns.nested_repeats(r"^(?:(?:re|aw)\s*+:\s*+)+x")  # possessive inside: never tried twice
    assert not patterns.nested_repeats(r"(\w+ ){0,3}interview")  # the outer repeat is bounded


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PATTERNS)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_one_of_the_needles(name: str, pattern: str, data: st.DataObject) -> None:
    """The shortcut is sound: a text that matches holds a needle, so skipping the others loses nothing."""
    needles = patterns.needles(pattern, re.MULTILINE)
    if needles is None:
        return  # searched every time
    text = data.draw(st.from_regex(re.compile(pattern, re.MULTILINE)))
    found = re.compile(pattern, re.MULTILINE).search(text)
    assert found is not None
    assert any(n in found.group(0) for n in needles), (name, found.group(0), sorted(needles))


def test_needles_of_plain_shapes() -> None:
    assert patterns.needles("entretien|interview") == {"entretien", "interview"}
    assert patterns.needles("convocation (a|pour) ") == {"convocation a ", "convocation pour "}
    assert patterns.needles(r"rendez-vous\b|(vous|nous) (etes|sommes) convoque") is not None
    assert patterns.needles("a|.*") is None  # one branch promises nothing
    assert patterns.needles("(?i)entretien") is None  # the text's case is not the pattern's
    assert patterns.needles("ab") is None  # too short to be worth looking for


@settings(deadline=None)  # the first fold of an accent builds its table (a tenth of a second)
@given(st.text())
def test_fold_drops_the_combining_marks_of_the_decomposed_lower_case(text: str) -> None:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


def test_fold_of_accents_and_rare_marks() -> None:
    assert fold("Entretién ÉCOLE Straße ﬁ") == "entretien ecole strasse fi"
    assert fold("x\U0001d167y \U0001f600") == "xy \U0001f600"  # a musical combining mark beyond the BMP


def corpus_messages() -> list[tuple[str, Any, list[Any]]]:
    found = []
    for path in sorted(CORPUS.glob("*.eml")):
        message = mime.parse(path.read_bytes())
        events = [e for part in message.calendars for e in ical.parse_calendar(part, default_tz="Europe/Paris")]
        found.append((path.name, message, events))
    return found


def test_the_scan_decides_as_explain_over_the_corpus() -> None:
    rule_set = rules.load_rules()
    context = rules.Context(known_company_domains=frozenset({"acme.fr", "example.com"}))
    decided = 0
    for name, message, events in corpus_messages():
        every = rules.classify(rule_set, message, events, context)
        first = rules.classify(rule_set, message, events, context, every=False)
        assert (first.kind, first.rule) == (every.kind, every.rule), name
        assert first.matched == ((every.rule,) if every.rule else ())
        decided += every.rule is not None
    assert decided > 100


def extractor_patterns() -> list[patterns.Guarded]:
    """The extractors' guarded patterns: positions, companies, the zone a text names."""
    from daemon.understand import employer, textdates
    found = [patterns.guarded(p, re.IGNORECASE if "[A-Z]" not in p else 0) for p in employer._POSITION_BODY]
    companies = (*employer._COMPANY_PATTERNS, *employer._CLIENT_PATTERNS, (employer._SUBJECT_WITH, 4),
                 *employer._BOARD_PATTERNS)
    found += [patterns.guarded(p, re.MULTILINE) for p, _ in companies]
    return [*found, textdates._NAMED_ZONE]


def test_a_guarded_extractor_pattern_finds_what_its_regex_finds() -> None:
    # every text of the test data, as written, shouted, and with the letters whose case re and casefold treat
    # apart ("ſ", the Kelvin sign, the dotted capital I)
    texts = []
    for path in sorted((Path(__file__).parent / "data").rglob("*.eml")):
        message = mime.parse(path.read_bytes())
        texts += [message.subject, message.text]
    texts += [t.upper() for t in texts] + ["THE ROLE IS CALLED Data Analyst", "poſte de Analyste", "\u212aelvin role",
                                           "POSTE DE İNGÉNIEUR", "the İnterview for Data Engineer"]
    guarded = extractor_patterns()
    assert sum(g.needles is not None for g in guarded) >= 10, "most extractor patterns have needles"
    for g in guarded:
        for text in texts:
            assert [m.span() for m in g.finditer(text)] == [m.span() for m in g.regex.finditer(text)], (
                g.regex.pattern[:60], text[:60])


def test_an_alternation_searched_alternative_by_alternative_finds_what_it_finds() -> None:
    # the folded texts of the test data, and each split pattern's own alternatives written out
    texts = []
    for path in sorted((Path(__file__).parent / "data").rglob("*.eml")):
        message = mime.parse(path.read_bytes())
        texts += [fold(message.subject), fold(message.text)]
    split = [(re.compile(p, re.MULTILINE), patterns.alternatives(p, re.MULTILINE)) for _, p in PATTERNS]
    split = [(whole, apart) for whole, apart in split if apart is not None]
    assert len(split) >= 20, "most shipped patterns are one alternation"
    for whole, apart in split:
        for text in texts:
            assert (whole.search(text) is not None) == any(a.search(text) is not None for a, _ in apart), (
                whole.pattern[:60], text[:60])


def test_what_is_no_alternation_at_its_top_is_not_split() -> None:
    assert patterns.alternatives("entretien (avec|pour)") is None
    assert patterns.alternatives("(a)x|\\1y") is None  # a back-reference may name another alternative's group
    assert patterns.alternatives("entretien|interview", re.IGNORECASE) is None
    apart = patterns.alternatives("entretien|(?<!\\w)rdv\\b")
    assert apart is not None and [needles for _, needles in apart] == [frozenset({"entretien"}), frozenset({"rdv"})]
