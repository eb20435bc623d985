# SPDX-License-Identifier: MIT
"""The interview's length as a mail states it, and the lengths that are something else."""

from __future__ import annotations

from datetime import timedelta

import pytest

from daemon.understand.durations import length_kept_by_a_move, stated_length


@pytest.mark.parametrize(("text", "minutes"), [
    ("The conversation should take about 40 minutes.", 40),
    ("Could you do a quick 25-minute video call on Friday?", 25),
    ("We have set aside an hour and a half for the panel.", 90),
    ("Allow half an hour, no more.", 30),
    ("It's a 2 hour session with the team, 3 people from engineering.", 120),
    ("Shouldn't run over 35 mins", 35),
    ("L'échange durera une heure environ.", 60),
    ("Prévoyez une demi-heure pour ce premier appel.", 30),
    ("Durée : 1h30, avec le directeur technique.", 90),
    ("Mardi 16h, ça te va ? Compte 1h15 avec le CTO.", 75),
    ("un call de 20 min grand max", 20),
    ("L'entretien dure une heure et demie, dont 30 minutes de mise en situation.", 90),
    ("Merci de vous présenter 15 minutes avant ; l'entretien durera 50 minutes.", 50),
    ("Thursday 2:30 PM CET (45 minutes), on Teams", 45),
    ("Jeudi 11h pour un premier échange ? 20 min, je t'envoie le lien", 20),
    ("We have planned 60 minutes with the team.", 60),
    ("La visio prendra trois quarts d'heure.", 45),
    ("L'entretien durera entre 45 minutes et 1 heure.", 60),
    ("Durée : 1h15\nLieu : siège", 75),
    ("Monday 1 March, 10am (30 mins)", 30),
    ("Ça te va ? Compte 2h.", 120),
    # a move that says the length does not change
    ("Le rendez-vous passe à 16h ; sa durée demeure d'une demi-heure.", 30),
    ("Same room, and the length remains 90 minutes.", 90),
    ("Could we move it to Monday 10am instead? Still about 40 minutes, same dial-in.", 40),
    ("On peut le décaler à 15h, toujours une demi-heure au téléphone ?", 30),
    # Belgian and Swiss numbers
    ("L'entrevue durera septante minutes au plus.", 70),
    # "it" for the meeting the sentence before set at a time
    ("How about Monday at 3pm at our office? It'd be roughly two hours.", 120),
    ("Does Tuesday 9:30 suit you? That should be about 45 mins.", 45),
    # the length with how it is held
    ("Jeudi 16h ? 40 minutes par appel, je t'appelle sur ton portable.", 40),
    ("Demain 10h ? 20 min en visio.", 20),
])
def test_the_length_a_mail_states(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", [
    "Please arrive 15 minutes early and ask for me at reception.",
    "Our office is 10 minutes from the station, 20 minutes by bus.",
    "Nos bureaux sont à 12 minutes à pied de la gare Saint-Lazare.",
    "Je vous rappelle dans 20 minutes.",
    "Rendez-vous à 2 heures précises, le jeudi.",   # a clock, not a length
    "Le rendez-vous est à 1h30 de Lyon en train.",
    "We'll call you at 3h.",
    "Thanks for your time on the call 30 minutes ago!",
    "The test runs for 48 hours once you start it.",   # no interview lasts two days
    "Merci pour votre candidature, à bientôt.",
    "Entretien mardi 19 janvier, 2 heures de l'après-midi",   # the start's clock
    "Pouvons-nous décaler d'une demi-heure, soit 11h30 ?",   # by how much a time moves
    "Could we push it back 30 minutes?",
    "Thanks for the 30-minute chat yesterday! Next step: meet the team on Thursday.",
    "You'll give a 20-minute presentation, followed by questions.",
    "Please complete the take-home test; it should take about 3 hours.",
    "Our office is a 10 min taxi ride from the airport.",
    "Merci de me répondre d'ici 2 heures.",
    "Le parking est gratuit pendant 2 heures.",
    "Poste en CDI, 39 heures hebdomadaires.",
    "You'll meet three people, 45 minutes each.",
    "Le rendez-vous est décalé d'une heure.",
    "Une présentation de votre parcours (10 minutes), puis l'entretien.",
    "Rendez-vous à 14h. Le trajet prend 20 minutes.",
    "Monday 1 March at 10am at our office, 5 minutes from the station.",
    "A 30-minute call on Tuesday at 4pm, then a 60-minute interview.",   # two meetings: whose length is unsaid
    "Please send the exercise back by Friday at 5pm. It's about 3 hours of work.",   # "it" is the exercise
    "Je pars à 8h. Ça fait 40 minutes en voiture.",
])
def test_lengths_that_are_not_the_interview(text: str) -> None:
    assert stated_length(text) is None


@pytest.mark.parametrize(("text", "minutes"), [
    ("Good news: we would like to move forward with a 45-minute call with our head of data.", 45),
    ("We're moving ahead with a 20 min phone screen next week.", 20),
    ("Nous souhaitons avancer avec vous : un entretien de 30 minutes avec la directrice.", 30),
])
def test_moving_forward_with_an_application_is_the_next_step_not_a_move(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Je dois décaler notre appel à lundi 11h. Comptez plutôt une heure, notre CTO se joint à nous.", 60),
    ("Our director will join us on Monday at 11, so please allow rather 90 minutes.", 90),
])
def test_a_length_that_replaces_the_one_said_before(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Rendez-vous mardi à 10h. L'entrevue devrait durer une heure, avec la directrice.", 60),
    ("Passe vendredi vers 15h, on aura une petite demi-heure pour discuter avant le rush.", 30),
    ("Come by on Friday at 3pm: we'll have about 45 minutes to talk before the evening service.", 45),
    ("Your call is on Friday, December 4 at 8:00am PT (5:00pm Paris), 45 minutes.", 45),
    ("On se parle jeudi à 10 h (heure de Montréal), une heure environ.", 60),
])
def test_a_length_said_with_durer_a_time_to_talk_or_after_the_time_in_the_readers_zone(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Je vous propose un appel d'une vingtaine de minutes mardi à 9h.", 20),
    ("L'entretien durera environ une quarantaine de minutes.", 40),
    ("a fifty-minute interview on site", 50),
])
def test_a_round_figure_or_a_number_in_words_is_a_length(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Could we book a 45-minute introductory call with our CFO next week?", 45),
    ("We'd like a 20 min second-round chat with the team.", 20),
    ("Monday 7 December, 10am London / 11am Paris (30 minutes), on Teams.", 30),
    ("Votre entretien est avancé à 9h, pour une durée inchangée d'une heure.", 60),
    ("Free for a call tomorrow at 4pm? 15 min, just to meet each other.", 15),
])
def test_a_length_with_the_words_recruiters_put_around_it(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Come by on Monday at 11? Roughly 2.5h with me and our CFO, a case included.", 150),
    ("Mardi 14h ? Compte 45 min avec moi et notre directrice.", 45),
    ("It should take 1.5 hours with the team.", 90),
])
def test_a_length_said_with_whom_it_is_spent_and_a_decimal_hour(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


def test_a_decimal_hour_with_minutes_after_it_is_no_length() -> None:
    assert stated_length("Allow 1.5h30 for the visit.") is None


@pytest.mark.parametrize("own", ["Thursday at 4pm it is.", "Sounds good, Thursday then.", "Jeudi 16h, ça me va."])
def test_a_slot_settled_in_few_words_keeps_the_length_given_before(own: str) -> None:
    kept = length_kept_by_a_move(own, "Could we have a 40-minute call with our CTO this week?")
    assert kept is not None and kept[0] == timedelta(minutes=40)


@pytest.mark.parametrize(("text", "minutes"), [
    ("Au programme : 15 minutes de présentation puis 30 minutes d'échange avec le jury.", 45),
    ("The format: a 30-minute presentation followed by 15 min Q&A with the panel.", 45),
    ("Format: 10 min demo + 20 min of questions.", 30),
])
def test_a_format_in_parts_sums_the_talk_and_the_questions(text: str, minutes: int) -> None:
    found = stated_length(text)
    assert found is not None and found[0] == timedelta(minutes=minutes)


def test_a_presentations_length_alone_is_still_not_the_meetings() -> None:
    assert stated_length("Prévoyez 15 minutes de présentation.") is None
