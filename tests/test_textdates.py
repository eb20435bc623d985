# SPDX-License-Identifier: MIT
# Grammar or dateparser? Both were run on every phrasing below (CASES: 49
# with a meeting time, NEGATIVES: 14 without), with the same blanking of quoted
# replies, signature and office hours, and for dateparser.search.search_dates
# the settings that suit it best (RELATIVE_BASE, PREFER_DATES_FROM=future,
# DATE_ORDER=DMY, TIMEZONE, the mail's language when known, matches without a
# time of day dropped). Correct = exactly the expected (start, end) list.
#
#   daemon.textdates grammar   CASES 49/49   NEGATIVES 14/14   130-200 µs per call
#   dateparser 1.5.0           CASES 22/49   NEGATIVES 13/14   ~2800 µs per call
#
# Counting only dateparser's first start, ends aside, it gets 23/49. Its misses:
# no end times (a range gives two unrelated dates), "jeudi prochain",
# "lundi de la semaine prochaine", "mardi 8", "1er décembre", "14 h 30",
# "10 heures" and "12/01/2027 à 14h00" read wrong or not at all, a date
# followed by a time on the next line, "(London time)", "(heure de Paris)",
# "UTC+2", "9.30am"; it also takes "1h30" (a duration) for a time. Two misses
# are conventions of ours: "2:30" in English is the afternoon, "CET" in July
# is Paris time. The machines were busy: figures moved by about 50% between
# runs, the ratio did not.
#
# The comparison ran once, by hand, with dateparser installed; it is not kept as
# a test: dateparser is no dependency of relance, and a test that skips wherever
# it is missing (CI included) would guard nothing. The labelled corpus
# (tests/test_corpus.py) holds the grammar to exact start instants instead.

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daemon.understand.quotes import body_of, own_text, quoted_from
from daemon.understand.textdates import FoundDate, find_dates, quoted_times, time_ranges

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

WED = datetime(2026, 11, 25, 9, 12, tzinfo=PARIS)  # a Wednesday
SUN = datetime(2026, 12, 20, 18, 0, tzinfo=PARIS)  # a Sunday, before the new year
SUMMER = datetime(2027, 6, 30, 10, 0, tzinfo=LONDON)


@dataclass(frozen=True)
class Case:
    text: str
    reference: datetime
    tz: str
    start: str
    end: str | None = None
    language: str | None = None


CASES: list[Case] = [
    # French
    Case("Nous vous proposons un entretien le mardi 12 janvier à 14h30.", SUN, "Europe/Paris",
         "2027-01-12T14:30:00+01:00"),
    Case("Je vous confirme notre rendez-vous mardi 12 janvier 2027 à 14 h 30 dans nos locaux.", SUN,
         "Europe/Paris", "2027-01-12T14:30:00+01:00"),
    Case("Seriez-vous disponible le 12/01 à 14h ?", SUN, "Europe/Paris", "2027-01-12T14:00:00+01:00"),
    Case("Convocation : 12/01/2027 à 14h00, 12 rue de la Paix, Paris.", SUN, "Europe/Paris",
         "2027-01-12T14:00:00+01:00"),
    Case("Pouvons-nous nous appeler jeudi prochain à 10h ?", SUN, "Europe/Paris", "2026-12-24T10:00:00+01:00"),
    Case("Rendez-vous demain 9h15 à l'accueil.", WED, "Europe/Paris", "2026-11-26T09:15:00+01:00"),
    Case("Je vous attends demain à 9h.", WED, "Europe/Paris", "2026-11-26T09:00:00+01:00"),
    # 3 December 2026 is a Thursday: the date wins over the weekday.
    Case("L'entretien aura lieu lundi 3 décembre de 10h à 11h.", WED, "Europe/Paris",
         "2026-12-03T10:00:00+01:00", "2026-12-03T11:00:00+01:00"),
    Case("Je vous propose à 14h le 12 janvier.", SUN, "Europe/Paris", "2027-01-12T14:00:00+01:00"),
    Case("Entretien le jeudi 3 décembre à 14h30 (heure de Paris).", WED, "America/Toronto",
         "2026-12-03T14:30:00+01:00"),
    Case("Le 1er décembre à 9h30, en visioconférence.", WED, "Europe/Paris", "2026-12-01T09:30:00+01:00"),
    Case("RDV le 03.12.2026 à 15h.", WED, "Europe/Paris", "2026-12-03T15:00:00+01:00"),
    Case("Votre entretien : vendredi 4 décembre, 10h-11h.", WED, "Europe/Paris",
         "2026-12-04T10:00:00+01:00", "2026-12-04T11:00:00+01:00"),
    Case("Date : mardi 8 décembre 2026\nHeure : 16h00\nLieu : 5 avenue de l'Opéra", WED, "Europe/Paris",
         "2026-12-08T16:00:00+01:00"),
    Case("Nous vous proposons un échange entre 14h et 15h le 2 décembre.", WED, "Europe/Paris",
         "2026-12-02T14:00:00+01:00", "2026-12-02T15:00:00+01:00"),
    Case("Rendez-vous le mercredi 2 décembre à midi.", WED, "Europe/Paris", "2026-12-02T12:00:00+01:00"),
    Case("Seriez-vous disponible après-demain à 11h ?", WED, "Europe/Paris", "2026-11-27T11:00:00+01:00"),
    Case("Le second entretien se tiendra le 15 février à 10h.", WED, "Europe/Paris",
         "2027-02-15T10:00:00+01:00"),
    Case("Rendez-vous le lundi 7 décembre prochain à 9h.", WED, "Europe/Paris", "2026-12-07T09:00:00+01:00"),
    Case("Seriez-vous libre lundi de la semaine prochaine à 14h ?", WED, "Europe/Paris",
         "2026-11-30T14:00:00+01:00"),
    Case("Entretien visio le 2 déc. à 17h30", WED, "Europe/Paris", "2026-12-02T17:30:00+01:00"),
    Case("entretien le 10 decembre a 11h (envoye depuis mon mobile)", WED, "Europe/Paris",
         "2026-12-10T11:00:00+01:00"),
    Case("Entretien : 7 décembre 2026 – 14:00", WED, "Europe/Paris", "2026-12-07T14:00:00+01:00"),
    Case("Votre entretien est fixé au jeudi 3 décembre 2026 à 10 heures.", WED, "Europe/Paris",
         "2026-12-03T10:00:00+01:00"),
    Case("Nous vous proposons un entretien le mardi 1er\ndécembre à 15h.", WED, "Europe/Paris",
         "2026-12-01T15:00:00+01:00"),
    Case("Je vous propose jeudi 14h en visio.", WED, "Europe/Paris", "2026-11-26T14:00:00+01:00"),
    Case("Pourriez-vous venir le mardi 8 à 10h30 ?", WED, "Europe/Paris", "2026-12-08T10:30:00+01:00"),
    Case("Bonjour Alice,\n\nSuite à notre échange, je vous confirme l'entretien\nle vendredi 27 novembre "
         "à 11h avec Claire Dubois.\n\nCordialement,\nMarc", WED, "Europe/Paris", "2026-11-27T11:00:00+01:00"),
    # English
    Case("Tuesday, January 12th at 2:30pm CET", SUN, "Europe/London", "2027-01-12T14:30:00+01:00"),
    Case("Are you available January 12 at 2:30 PM?", SUN, "America/New_York", "2027-01-12T14:30:00-05:00"),
    Case("Interview: 12 January 2027, 14:30", SUN, "Europe/London", "2027-01-12T14:30:00+00:00"),
    Case("Could we talk next Monday at 10am (London time)?", SUN, "Europe/Paris", "2026-12-21T10:00:00+00:00"),
    Case("See you tomorrow at 9:15 am.", WED, "Europe/London", "2026-11-26T09:15:00+00:00"),
    Case("Your interview is on Monday 3 December from 10:00 to 11:00.", WED, "Europe/London",
         "2026-12-03T10:00:00+00:00", "2026-12-03T11:00:00+00:00"),
    Case("Interview slot: 2027-01-12 14:30", SUN, "Europe/Paris", "2027-01-12T14:30:00+01:00"),
    Case("Let's meet on Thursday, December 3, 2026 at 3:00 PM EST.", WED, "Europe/Paris",
         "2026-12-03T15:00:00-05:00"),
    # A US zone in an English mail makes numeric dates month first.
    Case("Please join us on 12/03/2026 at 10:00 AM EST.", WED, "America/New_York", "2026-12-03T10:00:00-05:00"),
    Case("Your interview is scheduled for 03/12/2026 at 10:00.", WED, "Europe/London",
         "2026-12-03T10:00:00+00:00", None, "en"),
    Case("The call is on 28/12/2026 at 2pm.", WED, "Europe/London", "2026-12-28T14:00:00+00:00"),
    # Nobody is interviewed at 2:30 at night.
    Case("We would like to invite you for an interview on Dec 3 at 2:30.", WED, "Europe/London",
         "2026-12-03T14:30:00+00:00"),
    Case("Interview: Thursday 3rd December, 11am - 12pm GMT", WED, "Europe/Paris",
         "2026-12-03T11:00:00+00:00", "2026-12-03T12:00:00+00:00"),
    Case("How about Friday at noon?", WED, "America/New_York", "2026-11-27T12:00:00-05:00"),
    Case("Would 10-11am on Friday 4 December work for you?", WED, "Europe/London",
         "2026-12-04T10:00:00+00:00", "2026-12-04T11:00:00+00:00"),
    Case("We could start at 4pm UTC+2 on December 3rd.", WED, "Europe/Paris", "2026-12-03T16:00:00+02:00"),
    Case("The interview will take place on the 3rd of December at 9.30am.", WED, "Europe/London",
         "2026-12-03T09:30:00+00:00"),
    Case("Are you free this Thursday at 5:30pm?", WED, "Europe/London", "2026-11-26T17:30:00+00:00"),
    Case("Tuesday next week at 11:00 (Paris time) would suit us.", WED, "Europe/London",
         "2026-12-01T11:00:00+01:00"),
    # "CET" written in summer means the local time of Paris, not UTC+1.
    Case("Tuesday 6 July at 2pm CET", SUMMER, "Europe/London", "2027-07-06T14:00:00+02:00"),
    Case("Mon, Dec 7 2026 at 10:30 AM PST", WED, "Europe/Paris", "2026-12-07T10:30:00-08:00"),
    # typed on a phone, or in the 24-hour clock without a separator
    Case("tmrw 4.15pm work for a quick call?", WED, "Europe/London", "2026-11-26T16:15:00+00:00"),
    Case("Ça te dit cet aprèm vers 17h ?", WED, "Europe/Paris", "2026-11-25T17:00:00+01:00"),
    Case("Slot: 2027-02-09 · 0930-1015", WED, "Europe/Paris", "2027-02-09T09:30:00+01:00",
         "2027-02-09T10:15:00+01:00"),
    Case("Could we meet on 3/12 at 1600 hrs?", WED, "Europe/London", "2026-12-03T16:00:00+00:00", language="en"),
    Case("The meeting will be the day 9/12 at 11.00h in our office.", WED, "Europe/Paris",
         "2026-12-09T11:00:00+01:00", language="en"),
]

NEGATIVES: list[str] = [
    "Merci pour votre candidature, nous reviendrons vers vous rapidement.",
    "Nous avons bien reçu votre candidature le 12 janvier.",
    "L'entretien aura lieu le mardi 12 janvier, l'heure vous sera précisée.",
    "Le lun. 3 déc. 2026 à 10:02, Claire Dubois <claire.dubois@acme.fr> a écrit :\n> Bonjour",
    "On Mon, Dec 3, 2026 at 10:02 AM Claire Dubois <claire@acme.com> wrote:\n> Hello",
    "Sent: Monday, December 3, 2026 10:02 AM",
    "Envoyé : lundi 3 décembre 2026 10:02",
    "Claire Dubois\nChargée de recrutement\nJoignable du lundi au vendredi de 9h à 18h\n01 23 45 67 89",
    "Our office is open Monday to Friday, 9am to 5pm.",
    "Thanks!\n\n-----Original Message-----\nFrom: Alice\nSent: Monday, November 23, 2026 8:00 AM\n"
    "Subject: Interview\n\nCan we meet on 12 January at 10am?",
    "Merci.\n\nDe : Claire Dubois\nEnvoyé : lundi 23 novembre 2026 10:02\nÀ : Alice\nObjet : Entretien\n\n"
    "Rendez-vous le 12 janvier à 14h.",
    "L'entretien durera 1h30. Call me at 5pm.",
    "Tél. : 06 12 34 56 78 — salaire 45-50 k€ — réf. 12/01",
    "Offre publiée le 12/01/2026, poste à pourvoir en mars.",
    # four digits alone are a number: a postcode, a reference, a price
    "Avenue de Sévelin 20, CH-1004 Lausanne, le 12 janvier : réf. 1430, budget 1200 €.",
]


def _found(case: Case) -> list[FoundDate]:
    return find_dates(case.text, reference=case.reference, tz=case.tz, language=case.language)


def _as_expected(found: list[FoundDate]) -> list[tuple[datetime, datetime | None]]:
    return [(f.start, f.end) for f in found]


def _expected(case: Case) -> list[tuple[datetime, datetime | None]]:
    end = datetime.fromisoformat(case.end) if case.end else None
    return [(datetime.fromisoformat(case.start), end)]


@pytest.mark.parametrize("case", CASES, ids=[c.text[:40] for c in CASES])
def test_phrasing(case: Case) -> None:
    found = _found(case)
    assert _as_expected(found) == _expected(case)
    # Same instant is not enough: the offset must be the zone that applied.
    assert found[0].start.isoformat() == case.start


@pytest.mark.parametrize("text", NEGATIVES, ids=[t[:40] for t in NEGATIVES])
def test_no_meeting_time(text: str) -> None:
    assert find_dates(text, reference=WED, tz="Europe/Paris") == []


def test_a_list_of_slots_gives_every_slot_in_order() -> None:
    text = (
        "Voici nos disponibilités :\n"
        "- lundi 30 novembre à 10h\n"
        "- mardi 1er décembre à 14h ou 16h\n"
        "- mercredi 2 décembre de 9h à 10h\n"
    )
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start.isoformat() for f in found] == [
        "2026-11-30T10:00:00+01:00",
        "2026-12-01T14:00:00+01:00",
        "2026-12-01T16:00:00+01:00",
        "2026-12-02T09:00:00+01:00",
    ]
    assert [f.line for f in found] == [1, 2, 2, 3]
    assert found[-1].end == datetime(2026, 12, 2, 10, tzinfo=PARIS)


def test_times_before_their_dates_belong_to_the_next_date() -> None:
    text = "Je peux à 14h le 12 janvier, ou à 16h le 13 janvier."
    found = find_dates(text, reference=SUN, tz="Europe/Paris")
    assert [f.start for f in found] == [
        datetime(2027, 1, 12, 14, tzinfo=PARIS),
        datetime(2027, 1, 13, 16, tzinfo=PARIS),
    ]
    assert [f.text for f in found] == ["14h le 12 janvier", "16h le 13 janvier"]


def test_the_same_instant_stated_twice_is_returned_once() -> None:
    text = "Entretien le mardi 12 janvier à 14h30.\nJe vous confirme donc le 12/01 de 14h30 à 15h30."
    found = find_dates(text, reference=SUN, tz="Europe/Paris")
    assert len(found) == 1
    assert found[0].line == 0
    assert found[0].end == datetime(2027, 1, 12, 15, 30, tzinfo=PARIS)  # learnt from the second mention


def test_the_reply_counts_and_the_quoted_mail_does_not() -> None:
    text = (
        "Bonjour Alice,\n"
        "Parfait, je vous attends donc le jeudi 3 décembre à 10h.\n"
        "Claire\n"
        "\n"
        "Le mar. 24 nov. 2026 à 18:40, Alice Martin <alice@example.org>\n"
        "a écrit :\n"
        "> Je préférerais le 4 décembre à 15h.\n"
        "Et sinon le 5 décembre à 9h\n"
    )
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [(f.start, f.line, f.text) for f in found] == [
        (datetime(2026, 12, 3, 10, tzinfo=PARIS), 1, "jeudi 3 décembre à 10h")
    ]


def test_a_forwarded_invitation_keeps_its_body() -> None:
    text = (
        "Pour info.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Claire Dubois <claire@acme.fr>\n"
        "Date: Mon, Nov 23, 2026 at 10:02 AM\n"
        "Subject: Entretien\n"
        "To: <alice@example.org>\n\n"
        "Nous vous attendons le 3 décembre à 14h.\n"
    )
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [(f.start, f.line) for f in found] == [(datetime(2026, 12, 3, 14, tzinfo=PARIS), 8)]


def test_office_hours_in_the_body_do_not_hide_the_rest() -> None:
    text = "Nous recevons du lundi au vendredi. Votre rendez-vous : mardi 1er décembre à 9h."
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 12, 1, 9, tzinfo=PARIS)]


def test_signature_after_the_delimiter_is_ignored() -> None:
    text = "Rendez-vous le 2 décembre à 10h.\n-- \nClaire, joignable le 3 décembre à 8h"
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 12, 2, 10, tzinfo=PARIS)]


def test_a_date_already_past_this_year_is_next_year() -> None:
    found = find_dates("le 12 janvier à 14h", reference=SUN, tz="Europe/Paris")
    assert found[0].start.year == 2027
    found = find_dates("le 20 décembre à 20h", reference=SUN, tz="Europe/Paris")
    assert found[0].start == datetime(2026, 12, 20, 20, tzinfo=PARIS)  # the reference day itself counts


def test_relative_days_are_counted_in_the_zone_that_applies() -> None:
    # 23:30 in New York on the 25th is already the 26th in Paris.
    late = datetime(2026, 11, 25, 23, 30, tzinfo=NEW_YORK)
    assert find_dates("demain à 9h", reference=late, tz="Europe/Paris")[0].start == datetime(
        2026, 11, 27, 9, tzinfo=PARIS
    )
    assert find_dates("tomorrow at 9am", reference=late, tz="America/New_York")[0].start == datetime(
        2026, 11, 26, 9, tzinfo=NEW_YORK
    )


def test_reference_must_be_aware() -> None:
    with pytest.raises(ValueError):
        find_dates("demain à 9h", reference=datetime(2026, 11, 25), tz="Europe/Paris")


def test_own_text_keeps_offsets_lines_and_the_signature() -> None:
    text = "Bonjour\n> cité\n-- \nClaire, 01 23 45 67 89"
    assert own_text(text) == "Bonjour\n      \n-- \nClaire, 01 23 45 67 89"


def test_an_announced_outlook_forward_keeps_its_body_and_cuts_the_history_below() -> None:
    text = ("Je vous transfère son message ci-dessous.\nKarim\n"
            "De : Anne <a@x.fr>\nEnvoyé : mardi 1 décembre 2026\nObjet : RE: Candidature\n"
            "Nous pouvons la recevoir lundi.\n"
            "De : Karim <k@y.fr>\nEnvoyé : lundi 30 novembre 2026\nObjet : Candidature\nLe dossier.")
    kept = own_text(text).split("\n")
    assert kept[5] == "Nous pouvons la recevoir lundi."
    assert not kept[2].strip() and not "".join(kept[6:]).strip()
    # a reply's history, with no forward announced, is cut as before
    assert "recevoir" not in own_text(text.replace("Je vous transfère son message", "Voir"))


def test_an_announced_forward_under_outlooks_original_message_line_keeps_its_body() -> None:
    text = ("Je vous transfère ci-dessous les créneaux de Paul.\nLéa\n\n-----Message d'origine-----\n"
            "De : Paul <p@x.fr>\nEnvoyé : mardi 1 décembre 2026\nObjet : RE: cas\n\nJe peux jeudi 10/12 à 9h.\n\n"
            "-----Message d'origine-----\nDe : Léa <l@x.fr>\nEnvoyé : lundi 30 novembre 2026\nObjet : cas\n\n"
            "Tes dispos ?")
    kept = own_text(text)
    assert "jeudi 10/12" in kept and "Message d'origine" not in kept and "Tes dispos" not in kept
    # no forward announced: the line still opens the history
    assert "jeudi 10/12" not in own_text(text.replace("Je vous transfère ci-dessous", "Voici"))


def test_a_german_outlooks_original_message_line_opens_the_history() -> None:
    text = ("Bonjour Alice,\nC'est noté pour mardi.\n\n-----Ursprüngliche Nachricht-----\nVon: Alice <a@x.fr>\n"
            "Gesendet: Montag, 30. November 2026 18:00\nAn: Paul <p@x.ch>\nBetreff: RE: point\n\n"
            "Mardi 8 décembre à 14h me convient.")
    assert "convient" not in own_text(text) and "C'est noté" in own_text(text)
    reference = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    assert quoted_times(text, reference, "Europe/Paris") == (datetime(2026, 12, 8, 14, 0, tzinfo=PARIS),)


def test_quoted_times_read_a_deep_quotes_day_from_the_threads_oldest_message() -> None:
    text = ("Bonjour,\n\n-----Message d'origine-----\nDe : Paul <p@x.fr>\nEnvoyé : mercredi 25 novembre 2026 "
            "18:00\nObjet : RE: point\n\nOK pour moi.\n\n-----Message d'origine-----\nDe : Alice <a@x.fr>\n"
            "Envoyé : mardi 17 novembre 2026 19:00\nObjet : point\n\nMerci pour l'entretien du 17 novembre à 14h.")
    reference = datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)
    assert quoted_times(text, reference, "Europe/Paris") == (datetime(2026, 11, 17, 14, 0, tzinfo=PARIS),)


def test_a_quoted_forms_date_line_is_the_interviews_not_a_header() -> None:
    text = ("OK for Friday.\n\nOn Thu, Nov 26, 2026 at 9:00 AM Tom Hale <no-reply@ats.example> wrote:\n"
            "> Date: Tuesday, December 1, 2026\n> Time: 2:00 PM - 3:00 PM\n")
    reference = datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)
    assert quoted_times(text, reference, "Europe/Paris") == (datetime(2026, 12, 1, 14, 0, tzinfo=PARIS),)
    assert quoted_from(text, "tom@hale.example", "Tom Hale") is not None and quoted_from(text, "tom@hale.example") \
        is None


def test_a_day_and_a_time_a_name_and_a_verb_apart_in_one_sentence_meet() -> None:
    text = "Rien ne change pour jeudi : vous rencontrez toujours Marie-Hélène Delacroix à 11h dans nos bureaux."
    assert [f.start for f in find_dates(text, reference=WED, tz="Europe/Paris")] == [
        datetime(2026, 11, 26, 11, tzinfo=PARIS)]


def test_a_form_may_give_the_time_before_the_date() -> None:
    text = "Horaire : 14h30 - 15h30\nDate : jeudi 3 décembre\nLieu : Paris"
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [(f.start, f.end) for f in found] == [
        (datetime(2026, 12, 3, 14, 30, tzinfo=PARIS), datetime(2026, 12, 3, 15, 30, tzinfo=PARIS))
    ]


def test_writing_in_the_body_is_no_reply_attribution() -> None:
    text = "Comme notre directeur vous l'a écrit :\nrendez-vous le 3 décembre à 10h."
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [(f.start, f.line) for f in found] == [(datetime(2026, 12, 3, 10, tzinfo=PARIS), 1)]


def test_an_attribution_wrapped_over_two_lines_is_cut_from_its_first_line() -> None:
    text = (
        "Parfait, à jeudi.\n"
        "On Tue, Nov 24, 2026 at 6:40 PM Alice Martin <\n"
        "alice@example.org> wrote:\n"
        "Could we say 3 December at 10am?\n"
    )
    assert find_dates(text, reference=WED, tz="Europe/Paris") == []


def test_a_reply_written_below_the_quote_is_the_senders_own_text() -> None:
    text = ("Le lun. 7 déc. 2026 à 09:12, Alice Martin <alice@example.org> a écrit :\n"
            "> Seriez-vous disponible mardi 8 à 11h ?\n>\n> Alice\n\n"
            "Mardi ne va pas, plutôt mercredi 9 décembre à 15h.\n\nPaul\n")
    kept = own_text(text)
    assert "mercredi 9 décembre à 15h" in kept and "mardi 8" not in kept and "a écrit" not in kept
    assert [f.start for f in find_dates(text, reference=WED, tz="Europe/Paris")] == [
        datetime(2026, 12, 9, 15, tzinfo=PARIS)]


@pytest.mark.parametrize("footer", [
    "This email and any attachments are confidential. Join our open day on Friday 11 December at 9am.",
    "Ce message et ses pièces jointes sont confidentiels. Portes ouvertes le vendredi 11 décembre à 9h.",
])
def test_a_servers_footer_below_the_quote_is_no_answer(footer: str) -> None:
    text = (f"Merci, c'est noté.\n\nLe lun. 7 déc. 2026 à 09:12, Paul <p@x.fr> a écrit :\n"
            f"> Je vous propose mardi 8 à 11h.\n> Paul\n\n{footer}\n")
    assert own_text(text).strip() == "Merci, c'est noté."


def test_a_quote_without_marks_or_a_line_wrapped_under_one_stays_history() -> None:
    # history without ">" runs to the end; a line without mark right under a quoted one is that line wrapped
    unmarked = "OK.\nOn Mon, 7 Dec 2026 at 09:12, Paul <p@x.fr> wrote:\nTuesday 8th at 11?\n\nPaul"
    wrapped = "OK.\nOn Mon, 7 Dec 2026 at 09:12, Paul <p@x.fr> wrote:\n> How about Tuesday\n8th at 11?\n> Paul"
    assert own_text(unmarked).strip() == "OK." and own_text(wrapped).strip() == "OK."


@pytest.mark.parametrize("said", ["Available slots (UTC):\n", "Créneaux (UTC) :\n", "All times are in UTC.\n"])
def test_a_zone_over_a_list_of_times_holds_for_each(said: str) -> None:
    text = f"{said}- Thu 3 Dec, 9:00\n- Fri 4 Dec, 14:30\n"
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 12, 3, 9, tzinfo=UTC),
                                        datetime(2026, 12, 4, 14, 30, tzinfo=UTC)]


def test_a_long_mail_is_read_quickly() -> None:
    body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n" * 60
    quoted = "> Disponible le 12/01 à 14h, sinon le 13/01 à 16h.\n" * 100
    text = f"Bonjour,\nEntretien le mardi 1er décembre à 14h30.\n{body}-- \nClaire\n\n{quoted}"
    began = time.perf_counter()
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    # Typically about 1 ms; the bound only catches a regular expression gone quadratic.
    assert time.perf_counter() - began < 0.25
    assert [f.start for f in found] == [datetime(2026, 12, 1, 14, 30, tzinfo=PARIS)]


_WORDS = [
    "le", "3", "12", "décembre", "janvier", "à", "10h", "14h30", "2:30pm", "-", "de", "lundi", "au",
    "vendredi", "at", "on", "CET", "(", ")", "heure", "Paris", ",", ".", "\n", "> ", "12/01", "2027",
    "demain", "next", "Monday", "prochain", "a écrit :", "From:", "Sent:", "  ", "midi", "et", "entre",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=120).map(" ".join))
def test_any_mix_of_date_words_gives_well_formed_answers(text: str) -> None:
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    lines = text.count("\n") + 1
    for item in found:
        assert item.start.utcoffset() is not None
        assert item.end is None or item.end > item.start
        assert 0 <= item.line < lines
        assert item.text and item.text in text
    assert len({f.start for f in found}) == len(found)


def test_there_are_enough_phrasings_to_measure() -> None:
    assert len(CASES) >= 40


def test_a_blank_or_quoted_line_parts_a_date_from_a_time() -> None:
    assert find_dates("lundi 3 décembre\n\nà 10h", reference=WED, tz="Europe/Paris") == []
    assert find_dates("Le 3 décembre\n> cité\nà 10h", reference=WED, tz="Europe/Paris") == []
    assert len(find_dates("lundi 3 décembre\nà 10h", reference=WED, tz="Europe/Paris")) == 1


def test_a_range_may_name_its_zone_at_both_ends() -> None:
    found = find_dates("Thursday, February 4, 2027 at 3:00 PM GMT - 4:00 PM GMT", reference=WED, tz="Europe/Paris")
    assert [(f.start.isoformat(), f.end.isoformat() if f.end else None) for f in found] == [
        ("2027-02-04T15:00:00+00:00", "2027-02-04T16:00:00+00:00")]


def test_an_offset_is_glued_to_its_sign() -> None:
    found = find_dates("Thursday, February 4, 2027 at 9am UTC-5", reference=WED, tz="Europe/Paris")
    assert found[0].start.isoformat() == "2027-02-04T09:00:00-05:00"


def test_a_form_with_labels_on_their_own_lines() -> None:
    text = "Date\nMonday, February 22, 2027\nTime\n9:30 AM – 10:30 AM (CET)\nLocation\nParis"
    found = find_dates(text, reference=WED, tz="Europe/Paris", language="en")
    assert [(f.start.isoformat(), f.end.isoformat() if f.end else None) for f in found] == [
        ("2027-02-22T09:30:00+01:00", "2027-02-22T10:30:00+01:00")]


def test_a_zone_named_once_holds_for_the_times_that_name_none() -> None:
    text = "Would any of these work? (all UK time)\n* Monday, January 25 at 10:00\n* Tuesday, January 26 at 15:30"
    found = find_dates(text, reference=SUN, tz="Europe/Paris", language="en")
    assert [f.start.isoformat() for f in found] == ["2027-01-25T10:00:00+00:00", "2027-01-26T15:30:00+00:00"]


def test_a_zone_phrase_in_the_plural_holds_for_the_times() -> None:
    text = "I'm in Boston so these are Eastern times:\n  Mon Jan 25 - 10:00am\n  Tue Jan 26 - 2:30pm"
    found = find_dates(text, reference=SUN, tz="Europe/Paris", language="en")
    assert [f.start.isoformat() for f in found] == ["2027-01-25T10:00:00-05:00", "2027-01-26T14:30:00-05:00"]


def test_two_zones_named_in_words_leave_the_default() -> None:
    text = "Lundi 25 janvier à 10h. Nos bureaux : heure de Paris, ou heure de Londres pour l'équipe UK."
    found = find_dates(text, reference=SUN, tz="Europe/Paris")
    assert found[0].start.isoformat() == "2027-01-25T10:00:00+01:00"


def test_a_bare_hour_may_end_its_sentence_and_a_short_weekday_may_name_a_day() -> None:
    # "see you Thursday at 10." (the dot ends the sentence, it opens no minutes); "Wed 9th, 8:30am"
    found = find_dates("Great - see you Thursday at 10. Ask for me at reception.", reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)]
    found = find_dates("Wed 9th, 8:30am at Holybelly", reference=WED, tz="Europe/Paris", language="en")
    assert [f.start for f in found] == [datetime(2026, 12, 9, 8, 30, tzinfo=PARIS)]
    assert find_dates("Il en reste 10. Merci", reference=WED, tz="Europe/Paris") == []


def test_a_short_reply_quotes_its_sender_s_earlier_message_with_the_signature() -> None:
    from daemon.understand.quotes import quoted_from
    text = ("See you Thursday.\n\n> On 1 Dec, Alice <alice@example.org> wrote:\n> Thanks, confirmed.\n> Alice, 06 11\n"
            ">> On 30 Nov, Oliver <oliver@grey.com> wrote:\n>> Dear Alice,\n>> Oliver Grant\n>> +33 1 99 00 58 14")
    assert quoted_from(text, "oliver@grey.com") == ("Dear Alice,\nOliver Grant\n+33 1 99 00 58 14", 6)
    assert quoted_from(text, "nobody@grey.com") is None


def test_a_senders_earlier_message_is_found_by_their_whole_name_or_address_not_a_part_of_anothers() -> None:
    from daemon.understand.quotes import quoted_from
    text = "Noted.\n\nOn 30 Nov, Joanna Leeds <hanna@leeds.co.uk> wrote:\n> Dear Alice,\n> Joanna"
    assert quoted_from(text, "anna@leeds.co.uk", "Anna Lee") is None
    assert quoted_from(text, "hanna@leeds.co.uk", "Anna Lee") == ("Dear Alice,\nJoanna", 3)
    assert quoted_from(text, "j@elsewhere.com", "Joanna Leeds") == ("Dear Alice,\nJoanna", 3)


def test_a_time_restated_in_another_zone_is_no_end() -> None:
    found = find_dates("Tuesday 15th December at 11:00 (Paris time – 10:00 UK) with Sarah.", reference=WED,
                       tz="Europe/Paris", language="en")
    assert [(f.start, f.end) for f in found] == [(datetime(2026, 12, 15, 11, 0, tzinfo=PARIS), None)]
    found = find_dates("Le 3 décembre de 23h à 1h.", reference=WED, tz="Europe/Paris")
    assert found[0].end == datetime(2026, 12, 4, 1, 0, tzinfo=PARIS)


def test_a_thunderbird_forwards_french_header_block_is_hidden_body_kept() -> None:
    text = ("Ignore le message ci-dessous.\n\n-------- Message transféré --------\nSujet : Campagne\n"
            "Date : Mon, 30 Nov 2026 08:00:12 +0100\nDe : RH <rh@x.fr>\nPour : Alice <alice@example.org>\n\n"
            "Date : jeudi 10 décembre 2026\nHoraire : 11h00 – 12h00")
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 12, 10, 11, 0, tzinfo=PARIS)]


def test_a_new_time_said_against_the_old_one_takes_its_day() -> None:
    found = find_dates("On passe à 16h au lieu de 15h demain, même salle.", reference=WED, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2026, 11, 26, 16, 0, tzinfo=PARIS),
                                        datetime(2026, 11, 26, 15, 0, tzinfo=PARIS)]


def test_a_weekday_abbreviation_no_other_word_spells_names_a_day_alone() -> None:
    # WED is a Wednesday: "Tues." is the next Tuesday; "sat" or "wed" alone stay words
    found = find_dates("Could we do Tues. at 4pm instead?", reference=WED, tz="Europe/Paris", language="en")
    assert [f.start for f in found] == [datetime(2026, 12, 1, 16, 0, tzinfo=PARIS)]
    assert find_dates("We sat at 4pm and talked.", reference=WED, tz="Europe/Paris", language="en") == []


def test_a_north_american_region_after_a_time_is_its_zone() -> None:
    found = find_dates("Friday, December 4 at 11:00 AM Pacific (8:00 PM in Paris).", reference=WED,
                       tz="Europe/Paris", language="en")
    assert [(f.start.isoformat(), f.end) for f in found] == [("2026-12-04T11:00:00-08:00", None)]
    found = find_dates("Friday 4 December at 10am, Eastern Europe office.", reference=WED, tz="Europe/Paris",
                       language="en")
    assert found[0].start == datetime(2026, 12, 4, 10, 0, tzinfo=PARIS)


def test_the_time_said_again_for_the_user_in_her_city_is_the_same_meeting() -> None:
    # read in the sender's zone (New York) unless a zone is named: "for you in Paris" names the user's
    for text in ("Would Monday, December 7 at 10am ET work? I know that's 4pm for you in Paris.",
                 "Lundi 7 décembre à 10h heure de New York, soit 16h pour vous à Paris ?"):
        found = find_dates(text, reference=WED, tz="America/New_York", language=None)
        assert [f.start.isoformat() for f in found] == ["2026-12-07T10:00:00-05:00"], text


def test_a_week_and_a_bound_are_no_meeting_time() -> None:
    for text in ("Tu serais libre la semaine du 7 décembre ? Plutôt après 18h si possible.",
                 "Any day in the week commencing 7th December works, ideally not before 10am."):
        assert find_dates(text, reference=WED, tz="Europe/Paris") == [], text
    found = find_dates("Please reply before 4 December. Interview: Monday 7 December at 3pm.", reference=WED,
                       tz="Europe/Paris", language="en")
    assert [f.start for f in found] == [datetime(2026, 12, 7, 15, 0, tzinfo=PARIS)]


def test_the_spans_of_time_a_text_gives() -> None:
    text = "Le jury siégera de 9h à 12h ; votre passage se fera entre 10h15 et 10h45. Accueil à 9h30."
    assert time_ranges(text) == [(clock(9, 0), clock(12, 0)), (clock(10, 15), clock(10, 45))]
    assert time_ranges("The panel runs 2-3:30pm.") == [(clock(14, 0), clock(15, 30))]


def test_a_time_said_in_a_city_is_that_citys() -> None:
    found = find_dates("Could we meet on Thursday 3 December at 2pm in London instead?", reference=WED,
                       tz="America/New_York", language="en")
    assert [f.start for f in found] == [datetime(2026, 12, 3, 14, 0, tzinfo=LONDON)]


def test_a_day_of_the_month_before_a_dash_and_a_time_opens_no_range() -> None:
    text = "Pick one:\nThursday, January 14 - 9:30 AM\nFriday, Jan 15 - 4:00 PM\n"
    found = find_dates(text, reference=WED, tz="Europe/London", language="en")
    assert [f.start for f in found] == [datetime(2027, 1, 14, 9, 30, tzinfo=LONDON),
                                        datetime(2027, 1, 15, 16, 0, tzinfo=LONDON)]


def test_the_afternoon_or_the_quebec_morning_is_no_noon() -> None:
    # "midi" inside "après-midi" or "avant-midi" names a part of the day, no time to put in a calendar
    for text in ("Passe à la boutique vendredi dans l'après-midi, on verra.", "On se voit lundi en avant-midi?"):
        assert find_dates(text, reference=WED, tz="Europe/Paris") == []
    assert [f.start.hour for f in find_dates("Viens vendredi à midi.", reference=WED, tz="Europe/Paris")] == [12]


@pytest.mark.parametrize(("text", "day"), [
    ("Vendredi en huit à 10h, ça vous irait ?", 4),  # a week after the coming Friday (27 November)
    ("On pourrait faire ça mercredi en huit à 14h.", 2),  # said on a Wednesday: a week from that day
    ("Lundi en quinze, 9h30, à l'atelier.", 14),
    ("Would Friday week at 3pm work?", 4),
    ("Let's say a week on Monday at 11am.", 7),
])
def test_a_weekday_a_week_or_a_fortnight_on(text: str, day: int) -> None:
    found = find_dates(text, reference=WED, tz="Europe/Paris")
    assert [f.start.day for f in found] == [day]


def test_a_quoted_messages_body_is_without_the_header_lines_at_its_top() -> None:
    quoted = "Sent: Monday, January 11, 2027 7:05 AM\nTo: Priya <p@x.com>\nSubject: Re: Call\n\nDate: my call, 2pm."
    assert body_of(quoted).strip() == "Date: my call, 2pm."
@pytest.mark.parametrize(("text", "hour", "minute"), [
    ("Speak soon: I'll ring you on Friday at 8.45, your time.", 8, 45),
    ("Rendez-vous vendredi à 16.15 au 2e étage.", 16, 15),
])
def test_a_clock_written_with_a_dot_after_at_is_a_time(text: str, hour: int, minute: int) -> None:
    (found,) = find_dates(text, reference=WED, tz="Europe/Paris", language=None)
    assert (found.start.hour, found.start.minute) == (hour, minute)


def test_a_numeric_date_after_at_stays_a_date() -> None:
    assert find_dates("Meet at 04.12.2026, in the lobby.", reference=WED, tz="Europe/Paris") == []


@pytest.mark.parametrize(("text", "hour", "minute"), [
    ("Thursday 3 December: please arrive at 9:40 for a 10:00 start.", 10, 0),
    ("Le jeudi 3 décembre, accueil à 13h45 pour un début à 14h.", 14, 0),
])
def test_the_time_to_arrive_gives_way_to_the_start_the_sentence_gives(text: str, hour: int, minute: int) -> None:
    (found,) = find_dates(text, reference=WED, tz="Europe/Paris")
    assert (found.start.hour, found.start.minute) == (hour, minute)


def test_a_forms_time_row_written_as_a_sentence_gives_the_time() -> None:
    text = "Date\nFriday 4 December 2026\nTime\nPlease be with us from 13:30.\nPlace\n3 rue Neuve, Lyon"
    (found,) = find_dates(text, reference=WED, tz="Europe/Paris")
    assert (found.start.day, found.start.hour, found.start.minute) == (4, 13, 30)


@pytest.mark.parametrize(("text", "language"), [
    ("On se fait un point vendredi (le 27) à 10h ?", "fr"),
    ("Could we talk Friday (the 27th) at 10am?", "en"),
])
def test_a_day_of_the_month_in_brackets_after_the_weekday(text: str, language: str) -> None:
    found = find_dates(text, reference=WED, tz="Europe/Paris", language=language)
    assert [f.start for f in found] == [datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)]


def test_a_zone_in_brackets_after_time_zone_holds_for_the_slots() -> None:
    text = "Slots, in your time zone (EST):\n- Monday 30 November, 10:00\n- Tuesday 1 December, 15:30"
    found = find_dates(text, reference=WED, tz="Europe/London", language="en")
    assert [f.start for f in found] == [datetime(2026, 11, 30, 10, 0, tzinfo=NEW_YORK),
                                        datetime(2026, 12, 1, 15, 30, tzinfo=NEW_YORK)]


def test_quebecs_zone_abbreviations_are_zones() -> None:
    found = find_dates("L'entrevue aura lieu le jeudi 10 décembre à 10 h HNE.", reference=WED, tz="Europe/Paris",
                       language="fr")
    assert [f.start for f in found] == [datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("America/Toronto"))]


@pytest.mark.parametrize("text", ["On fait ça ce vendredi 27 à 10h ?", "Rendez-vous vendredi (27 nov.) 10h ?"])
def test_ce_before_a_weekday_and_its_day_and_a_date_in_brackets_after_it(text: str) -> None:
    found = find_dates(text, reference=WED, tz="Europe/Paris", language="fr")
    assert [f.start for f in found] == [datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)]


@pytest.mark.parametrize(("text", "language"), [
    ("Rendez-vous le 27 novembre (vendredi) à 10h.", "fr"),
    ("Rendez-vous le 27 (vendredi) à 10h.", "fr"),
    ("See you on 27/11 (Fri) at 10am.", "en"),
    ("See you on the 27th (Friday) at 10am.", "en"),
])
def test_a_weekday_in_brackets_after_the_date_is_part_of_it(text: str, language: str) -> None:
    found = find_dates(text, reference=WED, tz="Europe/Paris", language=language)
    assert [f.start for f in found] == [datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)]
