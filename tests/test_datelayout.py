# SPDX-License-Identifier: MIT
"""Dates and times laid out apart (understand/datelayout.py), and the fields of issue 12's second round: each
cause with phrasings written for these tests, not taken from the blind waves."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from daemon.cli.explain import explain_json
from daemon.understand.textdates import find_dates
from tests.test_corpus import RULES, SETTINGS, service
from tests.test_extract import facts, mail

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)  # Monday 1 March 2027


def starts(text: str, language: str | None = None) -> list[tuple[datetime, datetime | None]]:
    return [(f.start, f.end) for f in find_dates(text, reference=MONDAY, tz="Europe/Paris", language=language)]


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = PARIS) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(("text", "language", "day", "hour", "minute"), [
    ("Tu passerais mercredi ? Je pensais plutôt à 10h15, au bureau.", "fr", 3, 10, 15),
    ("On s'appelle après-demain ? Je serai dispo à 17h30.", "fr", 3, 17, 30),
    ("Could we talk Friday? I'm around at 4:30pm if that suits.", "en", 5, 16, 30),
    ("Are you free tomorrow! Say 11am, on me.", "en", 2, 11, 0),
])
def test_a_day_and_its_time_in_two_sentences_of_a_paragraph(text: str, language: str, day: int, hour: int,
                                                            minute: int) -> None:
    assert starts(text, language) == [(at(day, hour, minute), None)]


def test_a_blank_line_still_parts_a_day_from_a_time() -> None:
    assert starts("Free on Friday?\n\nSeparately, our office opens at 8am.", "en") == []


@pytest.mark.parametrize(("text", "language", "day", "hour", "minute"), [
    ("Tu viendrais dîner avec l'équipe le jeudi 4 mars ?\n\nOn a réservé pour 19h30 au Bouchon.", "fr", 4, 19, 30),
    ("Would Wednesday 3 March work for a coffee with Sam?\n\nI've booked the corner table at 9:15.", "en", 3, 9, 15),
])
def test_a_day_asked_for_and_its_time_booked_in_the_next_paragraph(text: str, language: str, day: int, hour: int,
                                                                   minute: int) -> None:
    assert starts(text, language) == [(at(day, hour, minute), None)]


@pytest.mark.parametrize(("text", "language", "day", "hour"), [
    ("Could you drop in Wednesday at 4? Ask for Joan.", "en", 3, 16),
    ("Shall we say tomorrow around 2, at our office?", "en", 2, 14),
    ("Passez jeudi à 11, on vous attend.", "fr", 4, 11),
    ("Rendez-vous mercredi 14h au siège.", "fr", 3, 14),
])
def test_a_bare_hour_right_after_a_day(text: str, language: str, day: int, hour: int) -> None:
    assert starts(text, language) == [(at(day, hour), None)]


@pytest.mark.parametrize("text", ["See you Wednesday at 3 rue Rivoli.", "Call Wednesday at 4 minutes past."])
def test_a_number_after_a_day_that_is_no_hour(text: str) -> None:
    assert starts(text, "en") == []


@pytest.mark.parametrize(("text", "language", "day", "hour"), [
    ("Je vous propose vendredi prochain, le 12, à 9h.", "fr", 12, 9),
    ("We have moved you to Wednesday the 10th, same 3pm start.", "en", 10, 15),
])
def test_a_weekday_with_its_day_of_month_apart(text: str, language: str, day: int, hour: int) -> None:
    assert starts(text, language) == [(at(day, hour), None)]


def test_a_table_with_the_date_in_one_row_and_back_to_back_sessions_below() -> None:
    text = ("Your schedule\n\nThursday, March 11, 2027\nAll times in Paris time (UTC+01:00)\n\n"
            "  09:00 - 09:30   Welcome            Ines Roy\n"
            "  09:30 - 10:30   Case study         Paul Aubert\n"
            "  10:30 - 11:00   Wrap-up            Ines Roy\n")
    assert starts(text, "en") == [(at(11, 9), at(11, 11))]


def test_a_form_whose_time_row_follows_a_blank_line() -> None:
    text = "Date de l'entretien\nlundi 15 mars 2027\n\nHoraire\n\n14h00 - 15h00\n"
    assert starts(text, "fr") == [(at(15, 14), at(15, 15))]


def test_a_schedulers_form_with_the_sessions_in_a_table_below_its_other_rows() -> None:
    # an HTML form and table made text: each cell on a line of its own, the address between date and times
    text = ("Date\nThursday, March 11, 2027\nLocation\nAtlas Cloud, 24 rue du Quatre-Septembre, 75002 Paris\n"
            "5th floor – ask at the front desk\nTime zone\nCentral European Time (CET)\nTime\nSession\nWith\n"
            "10:00 AM – 10:45 AM\nSystems Design\nMathieu Roux, Staff SRE\n"
            "10:45 AM – 11:30 AM\nIncident Response\nAisha Bello, SRE Manager\n")
    assert starts(text, "en") == [(at(11, 10), at(11, 11, 30))]


def test_sessions_with_a_break_between_them_stay_slots() -> None:
    text = "Thursday, March 11, 2027\n\n09:00 - 09:30   Welcome\n10:00 - 10:30   Panel\n"
    assert starts(text, "en") == [(at(11, 9), at(11, 9, 30)), (at(11, 10), at(11, 10, 30))]


@pytest.mark.parametrize("link", [
    "https://calendar.example.com/add?dates=20270309T130000Z%2F20270309T140000Z&text=Interview",
    "https://outlook.example.com/compose?startdt=2027-03-09T13:00:00Z&enddt=2027-03-09T14:00:00Z",
    "https://ats.example.com/ics?start=2027-03-09T14%3A00%3A00%2B01%3A00&end=2027-03-09T15%3A00%3A00%2B01%3A00",
])
def test_an_add_to_calendar_link_is_read_in_the_zone_it_states(link: str) -> None:
    text = f"Your interview: Tuesday 9 March 2027 at 2pm.\nAdd it to your calendar: {link}\n"
    assert starts(text, "en") == [(at(9, 14), at(9, 15))]


def test_a_calendar_link_alone_still_gives_the_time() -> None:
    text = "Booked! Add to calendar: https://x.example/add?dates=20270309T090000Z/20270309T093000Z\n"
    assert starts(text, "en") == [(at(9, 10), at(9, 10, 30))]


@pytest.mark.parametrize(("subject", "body"), [
    ("Annulation de notre rendez-vous", "Bonjour Alice,\n\nJe dois malheureusement annuler notre entretien "
     "prévu jeudi 4 mars à 15h. Je reviens vers vous.\n\nClaire Dubois"),
    ("Your application", "Hi Alice,\n\nThank you for meeting us on Tuesday 2 March at 10am. Unfortunately we have "
     "decided to proceed with other candidates.\n\nClaire"),
])
def test_a_cancellation_or_a_rejection_names_no_interview_time(subject: str, body: str) -> None:
    got = explain_json(service.analyse(mail(body, subject=subject), SETTINGS, RULES), SETTINGS.zone)
    assert got["kind"] in ("cancellation", "rejection")
    assert got["interview"]["start"] is None and got["candidates"] == []


# --- fields


@pytest.mark.parametrize(("sender", "company"), [
    ("Mia Lund <mia.lund@harborsystems.com>", "Harbor Systems"),
    ("Jean Roc <j.roc@banquelumiere.fr>", "Banque Lumiere"),
])
def test_a_company_from_the_domain_keeps_its_words(sender: str, company: str) -> None:
    got = facts(mail("Hello Alice,\n\nCould you come in on Thursday 4 March at 10am?\n\nMia", sender=sender))
    assert got.company == company


def test_the_name_written_in_the_signature_beats_the_bare_domain() -> None:
    body = "Hi Alice,\n\nThe panel would like to see you again on 4 March 2027 at 11am.\n\n--\nMia Lund\n" \
           "Recruiter | Quayside Robotics\nquayside.io"
    assert facts(mail(body, sender="Mia Lund <mia@quayside.io>")).company == "Quayside Robotics"


@pytest.mark.parametrize(("body", "company"), [
    ("Bonjour Alice,\n\nMon client, Verrerie Dumas, souhaite vous rencontrer jeudi 4 mars à 10h.", "Verrerie Dumas"),
    ("Hi Alice,\n\nI'm handling a Treasury Analyst role with Osprey Holdings and would like to call you "
     "on 4 March at 10am.", "Osprey Holdings"),
    ("Bonjour,\n\nJ'ai transmis votre candidature à la Brasserie Vautrin, qui vous propose un échange "
     "le 4 mars à 11h.", "Brasserie Vautrin"),
    ("Bonjour,\n\nLa directrice financière de la Coopérative Alpine souhaite vous parler le 4 mars à 9h.",
     "Coopérative Alpine"),
])
def test_an_agencys_client_beats_the_agency(body: str, company: str) -> None:
    got = facts(mail(body + "\n\nLéo Marchal\nConsultant\nCabinet Marchal Recrutement",
                     sender="Léo Marchal <leo@marchal-recrutement.fr>"))
    assert got.company == company


@pytest.mark.parametrize(("subject", "position"), [
    ("Confirmed: Payroll Specialist interview - Thu 4 Mar", "Payroll Specialist"),
    ("Invitation: video interview (Lab Technician) @ Thu Mar 4, 2027 10am", "Lab Technician"),
    ("Entretien Acheteuse industrielle (C. Bernard)", "Acheteuse industrielle"),
])
def test_a_position_found_only_in_the_subject(subject: str, position: str) -> None:
    raw = mail("Hello Alice,\n\nSee you on 4 March 2027 at 10am.\n\nMia", subject=subject,
               sender="Mia Lund <mia.lund@orsaylab.com>")
    assert facts(raw).position == position


def test_a_position_found_only_in_the_quoted_history() -> None:
    body = ("Hi Alice,\n\nThanks, noted: see you then.\n\nMia\n\n"
            "On Mon, Mar 1, 2027 at 9:00 AM Mia Lund <mia@quayside.io> wrote:\n"
            "> We would love to discuss the Platform Engineer opening with you.\n")
    assert facts(mail(body, subject="Re: Next week", sender="Mia Lund <mia@quayside.io>")).position == \
        "Platform Engineer"


@pytest.mark.parametrize("subject", ["Alice / Noor - intro", "Alice - Noor"])
def test_a_persons_name_is_never_a_company_or_a_position(subject: str) -> None:
    raw = mail("Hi Alice,\n\nNoor can meet you on 4 March 2027 at 10am.\n\nSam", subject=subject,
               sender="Sam Price <sam@quayside.io>", headers="Cc: Noor Haddad <noor@quayside.io>\n")
    got = facts(raw)
    assert got.position not in ("Alice", "Noor") and got.company not in ("Alice", "Noor")


def test_see_you_at_names_a_bare_hour() -> None:
    from daemon.understand.datelayout import bare_hour
    text = "Great, see you at 10 then."
    assert bare_hour(text, text.index("10"), text.index("10") + 2)
    text = "I saw you at 10 rue Lepic."
    assert not bare_hour(text, text.index("10"), text.index("10") + 2)


def test_a_days_programme_starts_at_its_first_row_and_its_other_rows_are_items() -> None:
    text = ("Nous vous recevons le mardi 9 mars pour la journée de sélection.\n\n"
            "Le déroulé sera le suivant :\n\n9h15 Accueil des candidats\n10h00 Mise en situation\n"
            "11h30 Entretien avec le jury\n")
    found = find_dates(text, reference=MONDAY, tz="Europe/Paris")
    assert [f.start for f in found] == [datetime(2027, 3, 9, 9, 15, tzinfo=PARIS)]


def test_a_programmes_closing_row_is_its_end() -> None:
    text = ("We look forward to seeing you on Tuesday 9 March.\n\nThe day will run as follows:\n"
            "09:00 Welcome and coffee\n09:30 Group exercise\n11:00 Panel interview\n12:00 Close\n")
    assert starts(text, "en") == [(datetime(2027, 3, 9, 9, 0, tzinfo=PARIS), datetime(2027, 3, 9, 12, 0, tzinfo=PARIS))]
    open_ended = text.replace("12:00 Close\n", "12:00 Lunch with the team\n")
    assert starts(open_ended, "en") == [(datetime(2027, 3, 9, 9, 0, tzinfo=PARIS), None)]
def test_a_range_under_its_label_row_starts_with_its_first_word() -> None:
    text = "Date\njeudi 4 mars 2027\nHoraires\nde 9h15 à 16h30\nLieu\nSiège, Lyon"
    assert starts(text, "fr") == [(at(4, 9, 15), at(4, 16, 30))]


def test_a_days_programme_with_a_short_break_is_one_interview_and_slots_a_break_apart_stay_slots() -> None:
    programme = ("Programme du jeudi 4 mars :\n14h00 - 14h45 : Paul Roy, DSI\n14h45 - 15h30 : Léa Morin, DRH\n"
                 "15h40 - 16h10 : visite du site")
    assert starts(programme, "fr") == [(at(4, 14), at(4, 16, 10))]
    slots = "Two slots on Thursday 4 March: 10:00 - 10:45, or 11:00 - 11:45."
    assert [s for s, _ in starts(slots, "en")] == [at(4, 10), at(4, 11)]


def test_a_programme_announced_on_the_dates_own_line_under_a_header_row_starts_at_its_first_row() -> None:
    text = ("We will host you on Thursday 11 March. The programme for the morning is below:\n\n"
            "Time What Who\n09:30 Welcome at the front desk Lea Morin\n10:00 Panel interview Paul Roy\n"
            "11:00 End of the morning\n")
    assert starts(text, "en")[0][0] == at(11, 9, 30)
