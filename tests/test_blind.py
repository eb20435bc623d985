# SPDX-License-Identifier: MIT
"""Mail written blind (tests/data/blind/waveN: NAME.eml + NAME.json), measured as tests/test_corpus.py measures.

The people who wrote these messages never saw rules/, the extractors or tests/data: they measure the
product, not the rules. Kind over every message (5 kinds acted on vs none); start, company and position
over the positives only (a look-alike has none to find); look-alikes held for review
(``possible_invitation``) at most one in ten; and the scan's header first look, used for a backlog,
reads every positive (a held-out wave: no fewer than when measured). The thresholds are the figures
reached (tests/data/README.md has the table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon.mail.scan import would_read
from tests.test_corpus import POSITIVE, RULES, SETTINGS, Case, Measure, context_for, explain, load_cases, measure, table

BLIND = Path(__file__).parent / "data" / "blind"
THRESHOLDS = {
    "wave1": {"precision": 1.0, "recall": 1.0, "start": 0.97, "company": 0.97, "position": 0.77},
    "wave2": {"precision": 1.0, "recall": 1.0, "start": 0.94, "company": 1.0, "position": 0.94},
    # held out: what the product gives on mail nobody who fixed it read (a floor to keep, not a target)
    "wave3": {"precision": 1.0, "recall": 0.94, "start": 0.94, "company": 0.88, "position": 0.83},
    "wave4": {"precision": 1.0, "recall": 1.0, "start": 0.97, "company": 1.0, "position": 1.0},
    # another writer, another style: held out until the fifth round (first sight: precision 0.758, recall 0.658,
    # start 0.89, company 0.79, position 0.71), a tuning wave since that round
    "wave5": {"precision": 1.0, "recall": 1.0, "start": 0.97, "company": 0.89, "position": 0.73},
    # the sixth wave (thread follow-ups, ATS HTML, regional French, terse mobile mail): first sight 0.73 0.70 0.72
    # 0.72 0.72; after its round of fixes by cause (the thread kinds aside)
    # 0.97 0.97 until wave12's round on threads read a thread's "noted, see you Tuesday" as a reply
    "wave6": {"precision": 1.0, "recall": 1.0, "start": 0.95, "company": 0.97, "position": 0.95},
    # many hands over two months (founders, agencies, big companies, public sector, schools): held out until the
    # seventh round (first sight 0.805 0.846 0.92 0.67 0.74; 0.854 0.897 0.92 0.67 0.74 after the fifth round),
    # a tuning wave since: its floor at the figures its round of fixes by cause reached
    "wave7": {"precision": 1.0, "recall": 1.0, "start": 0.97, "company": 0.97, "position": 0.97},
    # agencies, personal senders, small businesses, the public sector, trades and care: a tuning wave (first sight
    # 0.917 0.825 0.78 0.42 0.82 once the measure knew the user's second address); after its two rounds of fixes by
    # cause (the decision, dates and recruiters in one, company and position in the other)
    "wave8": {"precision": 1.0, "recall": 1.0, "start": 0.92, "company": 0.87, "position": 0.9},
    # 60 people over two months (forwarded, buried, calendar-only, long threads, every sector and level): held out
    # until the ninth round (first sight at 5b26786: 0.756 0.775 0.80 0.70 0.62 once the measure knew the user's
    # second address), a tuning wave since: its floor at the figures its round of fixes by cause reached
    "wave9": {"precision": 1.0, "recall": 1.0, "start": 0.92, "company": 1.0, "position": 0.87},
    # held out until the tenth round (62, calendar-heavy: Outlook and Google invitations, updates and cancellations,
    # Windows zones, schedulers' confirmations, forwarded invites; look-alikes with calendar parts of their own):
    # first sight at cc6e0f1 (0.919 0.829 0.93 0.76 0.88), released for tuning in the tenth round: its floor at the
    # figures its round of fixes by cause reached (the decision and dates in one branch, the fields in another)
    "wave10": {"precision": 1.0, "recall": 1.0, "start": 0.97, "company": 0.95, "position": 0.97},
    # a realistic month (recruiters, systems, agencies, calendars, threads, the public sector, founders; look-alikes
    # as a mailbox has them): held out until the eleventh round (first sight at 665cb65: 0.946 0.875 0.80 0.82 0.53;
    # after the tenth round, still held out: 0.946 0.875 0.85 0.88 0.55); its floor at what the eleventh round's two
    # branches reached (the decision and dates; the fields)
    "wave11": {"precision": 1.0, "recall": 1.0, "start": 0.92, "company": 0.97, "position": 0.9},
    # threads and follow-ups (moves, cancellations, rejections after an interview, replies that leave it standing,
    # next rounds inside a thread; look-alike threads of flats, doctors, deliveries, webinars, her manager): a tuning
    # wave, first sight at 665cb65 (0.805 0.825 0.75 0.80 0.82); its floor at what its two branches of the tenth
    # round reached (the decision; dates and fields)
    "wave12": {"precision": 0.97, "recall": 0.97, "start": 0.87, "company": 0.92, "position": 0.92},
    # people's mail (founders and managers from their own clients or personal addresses, agencies, former colleagues,
    # subjects that say nothing, tutoiement; look-alikes from friends, family, a mentor, a landlord): held out until
    # the twelfth round (first sight at 39cc299, after the tenth: 0.944 0.850 0.93 0.95 0.85, one look-alike held;
    # the same after the eleventh, never read by whoever fixed); released for tuning in the twelfth round: its floor
    # at what its two branches reached (the decision and dates; the fields)
    "wave13": {"precision": 0.97, "recall": 0.97, "start": 0.92, "company": 0.97, "position": 0.95},
    # half calendar-heavy corporate, half small companies and people (60): held out until the thirteenth round
    # (first sight at afb621d, after the eleventh: 0.917 0.825 0.95 0.78 0.65, one positive set aside; the same after
    # the twelfth), then released for tuning: its floor at what its two branches reached (the decision and dates;
    # the fields)
    "wave14": {"precision": 0.97, "recall": 0.97, "start": 0.95, "company": 0.92, "position": 0.8},
    # sectors and levels (50, then four look-alikes by a second blind writer): held out until the fourteenth round
    # (first sight at ddfc448: 0.969 0.912 0.88 0.85 0.97; with the four look-alikes at 0823f0d: 0.939 0.912 0.88
    # 0.88 0.97, a friend's reference call taken), then released for tuning: its floor at what its branches reached
    # (the decision and dates; the fields)
    "wave15": {"precision": 1.0, "recall": 1.0, "start": 0.91, "company": 0.97, "position": 1.0},
    # the messy middle of a mailbox (forwards, boards' notifications, mobile replies, academia and the public sector;
    # 51): held out in the fourteenth round (first sight at 19ed1dc: 0.964 0.818 0.91 0.76 0.73, one positive set
    # aside; the same after that round, never read by whoever fixed), released for the fifteenth: its floor at what
    # its branches reached (the decision and dates; the fields)
    "wave16": {"precision": 1.0, "recall": 1.0, "start": 0.93, "company": 0.93, "position": 0.9},
    # plain mail from people and small employers, the time set over a thread (51): written blind in the fourteenth
    # round and released for it at once (first sight at 19ed1dc: 0.829 0.879 0.79 0.48 0.88); its floor at what its
    # two branches reached (the decision and dates; the fields)
    "wave17": {"precision": 1.0, "recall": 1.0, "start": 0.87, "company": 0.66, "position": 1.0},
    # a fortnight in the order it arrives, senders' own words, meetings a quick reader takes for interviews (51):
    # written blind in the fifteenth round and released for it once measured (first sight at e9af06b, after the
    # fourteenth: 0.750 0.818 0.91 0.73 0.36); its floor at what its branches reached (the decision and dates; the
    # fields)
    "wave18": {"precision": 1.0, "recall": 1.0, "start": 0.9, "company": 0.81, "position": 0.54},
    # remote and international hiring (51): held out in the fifteenth round (first sight at e0f680a: 0.879 0.935 0.81
    # 0.74 0.48; the same at 0cc78d8, never read by whoever fixed; position 0.58 once the measure set a work mode in
    # brackets aside), released for the sixteenth: its floor at what its branches reached (the decision and dates;
    # the fields)
    "wave19": {"precision": 1.0, "recall": 1.0, "start": 0.93, "company": 0.87, "position": 0.77},
    # jobs outside tech (hospitality, care, retail, logistics, public sector), temp agencies, France Travail's relays,
    # work-study, trial shifts (51): written blind in the sixteenth round and released for the seventeenth once
    # measured (first sight at 3c4a541: 0.968 0.909 0.73 0.61 0.79, one positive set aside); its floor at what its
    # branches reached (the decision and dates: 1.000 1.000 0.88, none set aside; the fields: company 0.94, position
    # 0.88)
    "wave20": {"precision": 1.0, "recall": 1.0, "start": 0.87, "company": 0.93, "position": 0.87},
    # senior, executive and freelance searches, and 'interview' meaning something else (51): written blind in the
    # sixteenth round and held out through the sixteenth and seventeenth (first sight at 3c4a541: 0.857 0.909 0.91
    # 0.52 0.42, a look-alike held, a positive set aside; the same at a3b334a, never read by whoever fixed), then
    # released for the eighteenth; its floor at what its decision and dates reached (1.000 1.000, start 0.91: the
    # three cancellations now read are plain text and report no start by convention) and its fields (0.79, 0.73)
    "wave21": {"precision": 1.0, "recall": 1.0, "start": 0.9, "company": 0.78, "position": 0.72},
}
# positives a wave's backlog first look still sets aside (a floor to keep, not a target)
SET_ASIDE: dict[str, int] = {"wave21": 0}
WAVES = {name: load_cases(BLIND / name) for name in THRESHOLDS}


def positives(cases: list[Case]) -> list[Case]:
    return [c for c in cases if c.label["kind"] in POSITIVE]


@pytest.fixture(scope="module")
def measured() -> dict[str, tuple[Measure, Measure]]:
    found = {}
    for name, cases in WAVES.items():
        whole, fields = measure(cases), measure(positives(cases))
        print("\n" + table(whole, len(cases), BLIND / name, THRESHOLDS[name]))
        found[name] = (whole, fields)
    return found


def test_each_wave_is_labelled_with_a_third_of_look_alikes() -> None:
    for name, cases in WAVES.items():
        assert len(cases) >= 50, name
        assert {p.stem for p in (BLIND / name).glob("*.eml")} == {c.name for c in cases}, name
        assert sum(c.label["kind"] == "none" for c in cases) * 3 >= len(cases), name


@pytest.mark.parametrize("wave", list(THRESHOLDS))
def test_kinds_and_fields_measure_up(measured: dict[str, tuple[Measure, Measure]], wave: str) -> None:
    whole, fields = measured[wave]
    for name, threshold in THRESHOLDS[wave].items():
        figure = whole.figure(name) if name in ("precision", "recall") else fields.figure(name)
        assert figure >= threshold, f"{wave}: {name} {figure:.3f} < {threshold}"


@pytest.mark.parametrize("wave", list(THRESHOLDS))
def test_at_most_one_look_alike_in_ten_is_held_for_review(wave: str) -> None:
    nones = [c for c in WAVES[wave] if c.label["kind"] == "none"]
    held = [c.name for c in nones if explain(c)["kind"] == "possible_invitation"]
    assert len(held) * 10 <= len(nones), held


@pytest.mark.parametrize("wave", list(THRESHOLDS))
def test_the_backlog_first_look_reads_every_positive(wave: str) -> None:
    missed = [c.name for c in positives(WAVES[wave]) if not would_read(c.raw, SETTINGS, RULES, context_for(c))[0]]
    assert len(missed) <= SET_ASIDE.get(wave, 0), missed
