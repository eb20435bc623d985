# SPDX-License-Identifier: MIT
"""Hand weights (rules/evidence.yaml) against a logistic regression fitted on the same signals, by
leave-one-set-out over tests/data/corpus and the blind waves 1 and 2 (wave3 is held out: never read here).

Offline only: scikit-learn is no dependency of relance (`pip install scikit-learn` in the venv). Run with
`python -m bench.fit_evidence`; `--weights` prints the weights fitted on every set, in evidence.yaml's form.
Only messages the rules leave to the evidence (kinds invitation and none) are weighed, as in the product.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

from daemon.understand import evidence, extract, ical, mime, rules
from daemon.understand.analysis import _seen  # what the product hands the evidence, the same way
from tests.test_corpus import RULES, SETTINGS, Case, context_for, load_cases

DATA = Path(__file__).parent.parent / "tests" / "data"
SETS = {"corpus": DATA / "corpus", "wave1": DATA / "blind" / "wave1", "wave2": DATA / "blind" / "wave2"}
REVIEW_PROBABILITY = 0.25  # the fitted model's possible_invitation: a probability at or above this


@dataclass
class Row:
    signals: dict[str, float]  # name -> 1 for the signals that hold (ignore rules by name)
    hand: str  # the hand weights' kind
    truth: bool  # labelled an invitation


def rows(cases: list[Case]) -> list[Row]:
    model = evidence.model_for(SETTINGS.rule_paths)
    users = {SETTINGS.identity.email, SETTINGS.imap.username}
    out = []
    for case in cases:
        message = mime.parse(case.raw)
        events = [e for part in message.calendars for e in ical.parse_calendar(part, default_tz=SETTINGS.timezone)]
        context = context_for(case)
        classification = rules.classify(RULES, message, events, context)
        if classification.kind not in evidence.DECIDES or case.label["kind"] not in ("invitation", "none"):
            continue
        facts = extract.extract(message, events, tz=SETTINGS.timezone, default_language=SETTINGS.language,
                                user_emails=users)
        seen = _seen(message, context, users, RULES, None, SETTINGS.timezone)
        weighed = evidence.signals(model, classification, message, events, facts, seen)
        decided = evidence.decide(model, classification, message, events, facts, seen)
        out.append(Row({name: 1.0 for name, _ in weighed}, decided.kind, case.label["kind"] == "invitation"))
    return out


def figures(kinds: list[str], truth: list[bool]) -> dict[str, float | int]:
    found = sum(k == "invitation" for k in kinds)
    right = sum(k == "invitation" and t for k, t in zip(kinds, truth, strict=True))
    return {"precision": round(right / found, 3) if found else 1.0,
            "recall": round(right / sum(truth), 3) if any(truth) else 1.0,
            "look-alikes taken": sum(k == "invitation" and not t for k, t in zip(kinds, truth, strict=True)),
            "look-alikes held": sum(k == "possible_invitation" and not t for k, t in zip(kinds, truth, strict=True)),
            "invitations held": sum(k == "possible_invitation" and t for k, t in zip(kinds, truth, strict=True)),
            "weighed": len(kinds)}


def fit(train: list[Row], names: list[str], strength: float = 1.0):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression
    x = [[r.signals.get(n, 0.0) for n in names] for r in train]
    return LogisticRegression(C=strength, max_iter=5000).fit(x, [r.truth for r in train])


def fitted_kinds(model, test: list[Row], names: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    kinds = []
    for p in model.predict_proba([[r.signals.get(n, 0.0) for n in names] for r in test])[:, 1]:
        kinds.append("invitation" if p >= 0.5 else "possible_invitation" if p >= REVIEW_PROBABILITY else "none")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weights", action="store_true", help="print the weights fitted on every set")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength (default 1)")
    args = parser.parse_args()
    data = {name: rows(load_cases(path)) for name, path in SETS.items()}
    names = sorted({n for rs in data.values() for r in rs for n in r.signals})
    report = {}
    for held in SETS:
        train = [r for name, rs in data.items() if name != held for r in rs]
        test = data[held]
        model = fit(train, names, args.c)
        report[held] = {"hand": figures([r.hand for r in test], [r.truth for r in test]),
                        "fitted": figures(fitted_kinds(model, test, names), [r.truth for r in test])}
    print(json.dumps(report, indent=1))
    if args.weights:
        model = fit([r for rs in data.values() for r in rs], names, args.c)
        print(f"bias: {model.intercept_[0]:.2f}  invitation at 0, review at {math.log(0.25 / 0.75):.2f}")
        for name, weight in sorted(zip(names, model.coef_[0], strict=True), key=lambda p: -abs(p[1])):
            print(f"  {name}: {weight:.2f}")


if __name__ == "__main__":
    main()
