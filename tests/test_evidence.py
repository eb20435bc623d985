# SPDX-License-Identifier: MIT
"""The weighed evidence (daemon/understand/evidence.py, rules/evidence.yaml): what decides an invitation
when no phrase of the rules holds, what an ignore rule may and may not do, and how a user sees and
changes the weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daemon.shipped import shipped_path
from daemon.understand import analysis, evidence, mime, rules
from tests.conftest import run_cli
from tests.test_corpus import RULES, SETTINGS


def mail(subject: str, body: str, *, sender: str = "Marc Ollier <marc.ollier@dentalis-software.fr>",
         extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: Alice Martin <alice@example.org>\r\nSubject: {subject}\r\n"
            f"Date: Mon, 30 Nov 2026 11:47:05 +0100\r\nMessage-ID: <m-{abs(hash(body))}@x>\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


def kind(raw: bytes) -> str:
    return analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification.kind


PROPOSAL = ("Bonjour Alice,\n\nSuite à notre échange, je te propose de passer jeudi 3 décembre à 10h30 "
            "pour rencontrer l'équipe produit et parler du poste de chef de projet.\n"
            "Nous sommes au 12 rue de la Paix, 75002 Paris.\n\nMarc\n")


def test_a_proposal_in_no_phrase_of_the_rules_is_an_invitation_by_its_evidence() -> None:
    assert kind(mail("Jeudi ?", PROPOSAL)) == "invitation"


def test_the_same_words_sent_in_bulk_without_a_date_are_not() -> None:
    undated = PROPOSAL.replace("jeudi 3 décembre à 10h30 ", "").replace("Nous sommes au 12 rue de la Paix, 75002 "
                                                                       "Paris.\n", "")
    assert kind(mail("Jeudi ?", undated, extra="List-Unsubscribe: <https://x.example/u>\r\nPrecedence: bulk\r\n")) \
        == "none"


def test_an_ignore_rule_cannot_veto_strong_evidence_and_matches_whole_words() -> None:
    # a receipt that also fixes a call tomorrow, from a company whose name holds a medical word
    body = ("Bonjour Alice,\n\nNous avons bien reçu votre candidature au poste de data analyst chez Dentalis "
            "Software, merci. Nous vous proposons un premier entretien demain à 14h en visio : "
            "https://meet.google.com/abc-defg-hij\n\nMarc Ollier\n")
    result = analysis.analyse(mail("Votre candidature", body), SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "invitation"
    assert "medical-personal-appointment" not in result.matched
    assert ("ignore rule fr-application-receipt", -1.5) in result.evidence


def test_a_dentist_appointment_stays_nothing() -> None:
    body = ("Bonjour,\n\nVotre rendez-vous chez le dentiste, Dr Morel, est confirmé jeudi 3 décembre à 10h30, "
            "12 rue de la Paix, Paris.\n\nLe cabinet\n")
    assert kind(mail("Rappel de rendez-vous", body, sender="Cabinet dentaire <rdv@cabinet-morel.fr>")) == "none"


def config_and_message(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    config = tmp_path / "config.yaml"
    config.write_text("imap: {host: 127.0.0.1, username: alice@example.org}\n"
                      "identity: {name: Alice Martin, email: alice@example.org}\n"
                      f"storage: {{path: {tmp_path / 'r.db'}}}\n{extra}", encoding="utf-8")
    message = tmp_path / "m.eml"
    message.write_bytes(mail("Jeudi ?", PROPOSAL))
    return config, message


def test_explain_lists_the_evidence_and_its_weights(tmp_path: Path) -> None:
    config, message = config_and_message(tmp_path)
    result = run_cli("--config", str(config), "explain", str(message), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["kind"] == "invitation" and data["rule"] == "evidence"
    signals = {e["signal"]: e["weight"] for e in data["evidence"]}
    assert {"future_time", "job_body", "person_direct"} <= set(signals)
    assert abs(sum(signals.values()) - data["score"]) < 1e-6
    text = run_cli("--config", str(config), "explain", str(message)).out
    assert any(line.startswith("evidence: bias -3 ") for line in text.splitlines())


def test_a_broken_evidence_file_is_one_line_naming_the_file_and_key(tmp_path: Path) -> None:
    own = tmp_path / "my-rules"
    own.mkdir()
    (own / "evidence.yaml").write_text("evidence:\n  weights: {future_time: high}\n", encoding="utf-8")
    config, message = config_and_message(tmp_path, f"rules: {{paths: [{own}]}}\n")
    result = run_cli("--config", str(config), "explain", str(message))
    assert result.code == 1
    assert result.err.strip() == f"relance: {own / 'evidence.yaml'}: evidence.weights.future_time: must be a number"


# --- an answer in a tracked thread that no phrase of the rules reads

def answer(body: str, quoted: str, *, subject: str = "Re: Entretien chef de projet") -> bytes:
    """An answer to the user's message of 20 November, sent 1 December, the earlier mail quoted below."""
    text = f"{body}\n\nLe ven. 20 nov. 2026 à 09:12, Alice Martin <alice@example.org> a écrit :\n" + \
        "".join(f"> {line}\n" for line in quoted.split("\n"))
    return (f"From: Marc Ollier <marc.ollier@dentalis-software.fr>\r\nTo: Alice Martin <alice@example.org>\r\n"
            f"Subject: {subject}\r\nDate: Tue, 1 Dec 2026 10:05:00 +0100\r\nMessage-ID: <a-{abs(hash(body))}@x>\r\n"
            "In-Reply-To: <first@dentalis-software.fr>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()


IN_THREAD = rules.Context(known_message_ids=frozenset({"<first@dentalis-software.fr>"}))


def thread_kind(raw: bytes) -> str:
    return analysis.analyse(raw, SETTINGS, RULES, IN_THREAD).classification.kind


def test_a_new_time_for_an_interview_still_ahead_is_an_update() -> None:
    body = "Bonjour Alice,\n\nMon agenda a bougé : pourriez-vous venir plutôt le jeudi 10 décembre à 15h ?\n\nMarc"
    assert thread_kind(answer(body, "Parfait pour le mardi 8 décembre à 11h, à bientôt.")) == "update"


def test_a_new_time_after_the_interview_is_over_is_a_new_invitation() -> None:
    body = ("Hi Alice,\n\nThanks again for your time. As a next step, could you meet our CTO on "
            "Thursday 10 December at 3pm?\n\nMarc")
    raw = answer(body, "Thank you for Friday's interview on 27 November at 10am.", subject="Re: Interview")
    assert thread_kind(raw) == "invitation"


def test_a_call_off_with_no_new_time_is_a_cancellation_and_an_end_a_rejection() -> None:
    held = "Hello Alice,\n\nThe role has been put on hold for now, so I have to call off Tuesday.\n\nMarc"
    assert thread_kind(answer(held, "Tuesday 8 December at 11am suits me.")) == "cancellation"
    ended = ("Bonjour Alice,\n\nMerci pour cet échange. Nous avons choisi un autre profil pour ce poste.\n\nMarc")
    assert thread_kind(answer(ended, "Merci pour l'entretien du vendredi 27 novembre à 10h.")) == "rejection"


def test_a_reply_restating_the_same_time_stays_a_reply_and_explain_shows_why() -> None:
    body = "Bonjour Alice,\n\nC'est noté, à mardi 8 décembre à 11h.\n\nMarc"
    result = analysis.analyse(answer(body, "Je confirme le mardi 8 décembre à 11h."), SETTINGS, RULES, IN_THREAD)
    assert result.classification.kind == "reply"
    moved = analysis.analyse(answer(body.replace("C'est noté, à", "Décalons à").replace("11h", "16h"),
                                    "Je confirme le mardi 8 décembre à 11h."), SETTINGS, RULES, IN_THREAD)
    assert moved.classification.kind == "update" and moved.classification.rule == "evidence"
    assert {name for name, _ in moved.classification.evidence} == {
        "new_time (update)", "quoted_time_ahead (update)", "moving_words (update)"}


# --- words that are not what they seemed, and words that were missing

def test_everyday_words_are_no_course_or_event() -> None:
    # "en cours", a street called "cours", "of course" and a company footer's "registered in" are no course
    body = ("Bonjour Alice,\n\nVotre dossier pour le poste de juriste est en cours : nous vous recevons en "
            "entretien le mardi 8 décembre à 9h30, 4 cours Lafayette, 69003 Lyon. Of course, call me if needed.\n\n"
            "Marc Ollier\nDentalis Software SAS, registered in Lyon under number 812 345 678\n")
    result = analysis.analyse(mail("Votre candidature", body), SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "invitation"
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]


def test_a_screen_booked_through_a_scheduler_is_job_context() -> None:
    body = ("Your booking is confirmed.\n\nWhat: Phone screen – Backend Engineer\n"
            "When: Wednesday 9 December 2026, 4:00pm - 4:30pm (Europe/Paris)\nWhere: https://meet.example.com/x7\n")
    assert kind(mail("Booked: Phone screen with Marc", body, sender="Scheduler <bookings@cal.com>")) == "invitation"


def test_a_paid_session_with_a_coach_and_a_survey_on_a_past_interview_are_nothing() -> None:
    coach = ("A new event has been scheduled.\n\nEvent: Resume review and interview prep (45 min)\n"
             "When: Thursday 10 December 2026, 6:00pm\nWhere: https://zoom.us/j/123456789\n\n"
             "Payment: 60.00 EUR, paid by card\n")
    assert kind(mail("New event: Alice Martin", coach, sender="Scheduler <notifications@calendly.com>")) == "none"
    survey = ("Hi Alice,\n\nThank you for your interview for the Data Engineer role last Tuesday. We would like to "
              "know how it went: our short survey takes two minutes.\n\nThe Talent Team\n")
    assert kind(mail("How was your interview with us?", survey)) == "none"


def test_a_friend_forwarding_her_own_invitation_for_a_mock_run_is_nothing() -> None:
    body = ("Coucou ! Tu pourrais me faire une mock run ce week-end ?\n\n"
            "---------- Forwarded message ---------\nFrom: Talent <talent@example.com>\n"
            "Subject: Interview invitation\nTo: <lea@example.net>\n\nDear Léa,\n\nWe would like to invite you to "
            "an interview on Friday 11 December at 2pm at our office, 3 place Bellecour, Lyon.\n")
    assert kind(mail("Fwd: Interview invitation", body, sender="Léa <lea@example.net>")) == "none"


def test_a_thread_section_naming_an_unknown_signal_is_one_line_naming_it() -> None:
    root = shipped_path("rules")
    assert root is not None
    data = rules.read_yaml(root / "evidence.yaml")
    data["evidence"]["thread"]["kinds"]["update"]["sounds_like_news"] = 1.0
    with pytest.raises(evidence.EvidenceError, match=r"evidence\.thread\.kinds\.update\.sounds_like_news: unknown"):
        evidence.parse(data, "mine.yaml")
    del data["evidence"]["thread"]
    assert evidence.parse(data, "mine.yaml").thread == {}  # an older file: answers stay replies


def test_a_terse_mail_typed_on_a_phone_is_an_invitation() -> None:
    body = "hi alice, Ines from Tessera here, got ur CV for the data role\ntmrw 11.30am ok for a 15 min call?\nI\n"
    assert kind(mail("quick q", body, sender="Ines K <ines.k.recruits@gmail.com>")) == "invitation"


def test_a_quebec_entrevue_in_a_receipt_that_also_fixes_it_is_an_invitation() -> None:
    body = ("Bonjour Alice,\n\nJ'ai bien reçu ta candidature pour le poste de conseillère TI. On aimerait te "
            "rencontrer en entrevue le mardi 8 décembre à 13 h 15, heure de Québec.\n\nMarie-Ève\n")
    assert kind(mail("Ta candidature", body, sender="Marie-Ève Roy <me.roy@borealtech.ca>")) == "invitation"


def test_a_candidate_answering_the_users_ad_for_a_babysitter_is_nothing() -> None:
    # the user hires: the "entretien" is theirs to hold
    body = ("Bonjour,\n\nSuite à votre annonce pour du soutien scolaire en maths, je serais ravi de vous rencontrer "
            "pour un entretien. Je suis disponible mercredi 2 décembre à 17h.\n\nHugo\n")
    assert kind(mail("Votre annonce", body, sender="Hugo Petit <hugo.petit03@gmail.com>")) == "none"


def test_a_mentoring_session_about_interviews_is_nothing() -> None:
    body = ("Bonjour Alice,\n\nVotre session de mentorat est confirmée : jeudi 10 décembre à 18h30, "
            "https://meet.google.com/abc-defg-hij. Thème : réussir ses entretiens d'embauche.\n\nL'association\n")
    assert kind(mail("Mentorat", body, sender="Elles Codent <mentorat@ellescodent.org>")) == "none"


def test_a_systems_receipt_telling_what_comes_next_is_nothing() -> None:
    # "haldenfoods@myworkday.com" is no person writing, and the invitation it speaks of is to come
    body = ("Dear Alice,\n\nThank you for applying for the Buyer position at Orwell Foods. If your application is "
            "shortlisted, you will receive an email inviting you to book a phone screen.\n\nOrwell Foods Talent\n")
    assert kind(mail("Thank you for applying - Buyer", body, sender="Orwell Foods <orwellfoods@myworkday.com>")) \
        == "none"


def test_a_lesson_a_licence_and_an_agencys_file_are_part_of_a_job_not_an_event() -> None:
    teacher = ("Dear Alice,\n\nThank you for your application for the post of Science Teacher. We would like to "
               "invite you to interview on Tuesday 8 December at 9:00, 4 Elm Road, Reading. You will teach a "
               "20-minute demo lesson to Year 9.\n\nRuth\n")
    nurse = ("Dear Alice,\n\nThank you for your application. We would like to invite you to interview on Tuesday 8 "
             "December at 2pm at St Mary's, 4 Elm Road, Reading. Please bring your NMC registration number.\n\nRuth\n")
    agency = ("Bonjour Alice,\n\nJe souhaiterais vous rencontrer à l'agence pour un entretien, afin de compléter "
              "votre inscription : êtes-vous disponible mardi 8 décembre à 10h ? 3 rue Nationale, 37000 Tours.\n\n"
              "Paul\n")
    for body in (teacher, nurse, agency):
        assert kind(mail("Interview", body, sender="Ruth Hale <ruth.hale@stmarys-school.org.uk>")) == "invitation"


def test_a_driving_lesson_and_a_fairs_sign_up_are_still_events() -> None:
    lesson = ("Hello Alice,\n\nYour driving lessons start on Tuesday 8 December at 9:00, meet me at 4 Elm Road. "
              "Bring your provisional licence.\n\nTom\n")
    fair = ("Bonjour,\n\nVotre inscription au salon Carrières Santé est confirmée : mardi 8 décembre à 10h, "
            "Parc des expositions, Nantes. Venez avec votre CV !\n")
    assert kind(mail("Lesson booked", lesson, sender="Tom Reid <tom@reid-driving.co.uk>")) == "none"
    assert kind(mail("Salon de l'emploi", fair, sender="Salon <contact@carrieres-sante.fr>")) == "none"


def test_a_thank_you_for_referring_a_friend_is_not_the_users_interview() -> None:
    body = ("Hi Alice,\n\nThanks for referring Paul for our Data Engineer role! He is meeting the team on Tuesday "
            "8 December at 3pm. If he joins, the referral bonus is yours.\n\nKate, Talent team\n")
    assert kind(mail("Thanks!", body, sender="Kate Moss <kate@tidal-data.io>")) == "none"


def test_the_users_own_mail_inviting_someone_is_not_her_invitation() -> None:
    body = ("Bonjour Hugo,\n\nMerci pour ta candidature au poste de bénévole : je te propose un entretien samedi "
            "12 décembre à 10h à l'association, 5 rue Lepic, 75018 Paris.\n\nAlice\n")
    assert kind(mail("Entretien bénévole", body, sender="Alice Martin <alice@example.org>")) == "none"


def test_a_next_stage_whose_time_is_still_to_set_is_a_new_invitation() -> None:
    body = ("Bonjour Alice,\n\nMerci pour l'échange de vendredi ! Nous aimerions passer à la deuxième étape avec "
            "notre directrice produit : pourriez-vous m'envoyer vos disponibilités pour la semaine du 14 décembre ?"
            "\n\nMarc")
    assert thread_kind(answer(body, "Merci pour l'entretien de vendredi, à bientôt.")) == "invitation"


def test_what_comes_next_said_pour_la_suite_with_a_time_of_its_own_is_a_new_invitation() -> None:
    # no quoted history to say the first meeting is over: "pour la suite" says it
    body = ("Bonjour Alice,\n\nMerci encore pour lundi. Pour la suite, je te propose de rencontrer notre directrice "
            "financière le vendredi 11 décembre à 14h dans nos bureaux.\n\nMarc")
    assert thread_kind(answer(body, "").split(b"\n\nLe ven.")[0]) == "invitation"


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nGreat, your interview with our CFO is confirmed for Thursday 10 December at 3pm.\n\nMarc",
    "Bonjour Alice,\n\nParfait, je vous confirme votre entretien le jeudi 10 décembre à 15h avec notre DAF."
    "\n\nMarc",
])
def test_an_invitations_phrase_over_the_slot_the_thread_chose_is_a_reply(body: str) -> None:
    raw = answer(body, "Jeudi 10 décembre à 15h me convient très bien.", subject="Re: Interview")
    assert thread_kind(raw) == "reply"
    # a time of its own is news: the invitation's phrase stands
    assert thread_kind(answer(body, "Je suis disponible toute la semaine.", subject="Re: Interview")) != "reply"


def test_an_evidence_file_written_before_a_thread_word_list_was_added_still_loads() -> None:
    root = shipped_path("rules")
    assert root is not None
    data = rules.read_yaml(root / "evidence.yaml")
    del data["evidence"]["thread"]["kinds"]["invitation"]["availability_words"]
    del data["evidence"]["words"]["availability"]
    model = evidence.parse(data, "mine.yaml")
    assert "availability" not in model.words


def test_a_recruiting_systems_message_with_a_scheduler_link_to_book_a_call_is_an_invitation() -> None:
    # its List-Unsubscribe is the system's habit, not bulk; the booking page holds the proposed slots
    body = ("Bonjour Alice,\n\nVotre profil nous intéresse pour le poste de comptable. Je vous propose un premier "
            "échange téléphonique : choisissez le créneau qui vous convient ici : "
            "https://calendly.com/claire-rh/echange-30min\n\nClaire\n")
    raw = mail("Un message de Dentalis", body, sender="Dentalis via Teamtailor <notify@teamtailor-mail.com>",
               extra="List-Unsubscribe: <https://app.teamtailor.com/unsubscribe>\r\n")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "invitation"
    assert {"future_slots", "recruiting_system"} <= {name for name, _ in result.evidence}
    assert "bulk" not in {name for name, _ in result.evidence}


@pytest.mark.parametrize("asked", ["Please pick a time that suits you on our careers portal:",
                                   "Merci de réserver votre créneau sur notre espace candidat :"])
def test_a_link_the_sender_asks_to_pick_a_slot_from_holds_the_proposed_slots(asked: str) -> None:
    body = (f"Hello Alice,\n\nWe would like to invite you to a first interview for the buyer role. {asked}\n"
            "https://careers.brisemer.example/candidate/42/interview\n\nLena\n")
    result = analysis.analyse(mail("Interview", body), SETTINGS, RULES, rules.Context()).classification
    assert "future_slots" in {name for name, _ in result.evidence}
    assert "no_date" not in {name for name, _ in result.evidence}


def test_asking_to_pick_a_time_with_a_website_in_the_signature_links_to_no_booking_page() -> None:
    body = ("Hello Alice,\n\nWe would like to invite you to a first interview for the buyer role. Could you pick a "
            "time that suits you next week? I will send an invite.\n\nLena Holt\nBrisemer\n"
            "https://www.brisemer.co.uk\n")
    result = analysis.analyse(mail("Interview", body), SETTINGS, RULES, rules.Context()).classification
    assert "future_slots" not in {name for name, _ in result.evidence}


def test_a_scheduler_link_in_a_newsletter_or_in_the_quoted_history_is_no_slot() -> None:
    letter = ("Hello,\n\nOur coaching office hours are open: book a slot at https://calendly.com/coach-ann/30min.\n"
              "\nAnn's newsletter\n")
    raw = mail("Office hours", letter, sender="Ann <news@ann-coaching.com>",
               extra="List-Unsubscribe: <https://ann-coaching.com/u>\r\n")
    assert kind(raw) == "none"
    quoted = ("Merci, c'est noté !\n\nLe lun. 30 nov. 2026, Claire <claire@dentalis-software.fr> a écrit :\n"
              "> Réservez un créneau : https://calendly.com/claire-rh/echange-30min\n")
    result = analysis.analyse(mail("Re: échange", quoted), SETTINGS, RULES, rules.Context()).classification
    assert "future_slots" not in {name for name, _ in result.evidence}


def test_a_london_recruiter_restating_the_time_in_a_thread_stays_a_reply() -> None:
    # the quoted history is read in the zone the sender's own "3pm" was read in, London, not the user's
    text = ("Hi Alice,\n\nPlease bring your passport on the day. Still all good for 3pm.\n\nTom\n\n"
            "> On Mon, 30 Nov 2026 at 10:00, Tom Hale <tom@hale-recruit.co.uk> wrote:\n"
            "> Could you come in on Friday 4 December at 3pm?\n")
    raw = ("From: Tom Hale <tom@hale-recruit.co.uk>\r\nTo: Alice Martin <alice@example.org>\r\n"
           "Subject: Re: Interview\r\nDate: Tue, 1 Dec 2026 10:05:00 +0000\r\nMessage-ID: <uk-1@x>\r\n"
           "In-Reply-To: <first@dentalis-software.fr>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text)
    assert thread_kind(raw.encode()) == "reply"
def test_the_event_where_the_sender_met_the_user_is_no_event_to_attend() -> None:
    body = ("Hi Alice,\n\nLovely to meet you at the product conferences in Lyon last week. I'd like to talk about "
            "our open Staff Engineer role: coffee on Thursday 3 December at 8:30am at our office, 3 rue Neuve?\n\n"
            "Sam\n")
    result = analysis.analyse(mail("Coffee?", body, sender="Sam Ode <sam.ode@gmail.com>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]
    assert result.kind == "invitation"


@pytest.mark.parametrize("where", [
    "Priya (from the Lisbon data conferences) gave me your name.",
    "Priya, who I met at a Python meetup, gave me your name.",
    "Priya (rencontrée au forum de l'emploi) m'a donné ton nom.",
])
def test_where_the_referrer_was_met_is_no_event_to_attend(where: str) -> None:
    body = (f"Hi Alice,\n\n{where} We're hiring a Staff Engineer: would you be up for a call on Thursday "
            "3 December at 5pm?\n\nSam\n")
    result = analysis.analyse(mail("Hello", body, sender="Sam Ode <sam.ode@gmail.com>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]


@pytest.mark.parametrize(("subject", "body", "sender"), [
    # a colleague asks the user to interview a candidate, with the meeting's link
    ("Panel for Friday's candidate", "Hi Alice,\n\nCan you sit on the panel for Ravi's interview (Data Engineer) on "
     "Friday 4 December at 10:00? Please complete the scorecard in Greenhouse afterwards. Teams: "
     "https://teams.microsoft.com/l/meetup-join/abc\n\nMarc\n", "Marc Ollier <marc.ollier@dentalis-software.fr>"),
    # a child's teacher proposes an "entretien individuel"
    ("Rendez-vous pour Inès", "Madame,\n\nJe vous propose un entretien individuel au sujet de votre fille le jeudi "
     "3 décembre à 16h30. Merci de répondre via le carnet de liaison.\n\nM. Petit, professeur des écoles\n",
     "Paul Petit <p.petit@ac-lyon.fr>"),
    # the occupational health service's convocation, about the user's current job
    ("Convocation visite médicale", "Madame,\n\nPoste occupé : Comptable\nVous êtes convoquée à une visite médicale "
     "de santé au travail le jeudi 3 décembre 2026 à 9h20, 4 rue Neuve, Lyon.\n", "Santé Travail <convoc@sst69.fr>"),
    # a company's press office answers the user, a journalist
    ("RE: Interview request", "Dear Alice,\n\nOur CFO is available for your interview for your article on Thursday "
     "3 December at 10:00 on Zoom. We would like to check the quotes before publication.\n\nPress office\n",
     "Press <press@dentalis-software.fr>"),
])
def test_what_the_user_is_called_to_as_colleague_parent_employee_or_journalist_is_nothing(
        subject: str, body: str, sender: str) -> None:
    assert kind(mail(subject, body, sender=sender)) == "none"


def test_a_reply_from_another_zone_restating_the_time_stays_a_reply() -> None:
    # a London recruiter (Date +0000, a .co.uk address): "3pm" in both their text and their quoted mail is London's
    text = ("Hi Alice,\n\nThe budget is 80k. Nothing changes for Thursday, 3pm as planned.\n\nTom\n\n"
            "On Mon, 30 Nov 2026 at 09:00, Tom Hale <tom.hale@kilnsearch.co.uk> wrote:\n"
            "> Hi Alice,\n> Your interview is on Thursday 3 December at 3pm.\n")
    raw = ("From: Tom Hale <tom.hale@kilnsearch.co.uk>\r\nTo: Alice Martin <alice@example.org>\r\n"
           "Subject: Re: Interview\r\nDate: Tue, 1 Dec 2026 10:05:00 +0000\r\nMessage-ID: <z@x>\r\n"
           "In-Reply-To: <first@dentalis-software.fr>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()
    assert thread_kind(raw) == "reply"


def test_a_friend_sharing_her_own_invitation_is_nothing() -> None:
    body = ("Alice !! J'ai décroché un entretien, regarde. Tu me relis ma présentation ce soir ?\n\n"
            "---------- Forwarded message ---------\nFrom: Paul Roy <p.roy@velanor.fr>\nTo: <lea.b@gmail.com>\n\n"
            "Bonjour Léa,\n\nNous souhaitons vous rencontrer pour le poste de juriste : je vous propose un entretien "
            "le jeudi 3 décembre à 10h, 4 rue Neuve, Lyon.\n\nPaul Roy\nResponsable RH\n")
    assert kind(mail("Fwd: Entretien juriste", body, sender="Léa B <lea.b@gmail.com>")) == "none"


def test_a_podcast_a_friend_recommends_does_not_make_her_coffee_proposal_a_press_request() -> None:
    body = ("Coucou Alice,\n\nJ'ai écouté le podcast dont tu m'avais parlé, génial. Au fait, notre directrice "
            "technique cherche un chef de projet data : elle te propose un entretien mardi 8 décembre à 9h, "
            "3 place Bellecour à Lyon, pour parler du poste.\n\nNina\n")
    assert kind(mail("Une idée", body, sender="Nina Perrot <nina@brasero-data.fr>")) == "invitation"
    host = ("Bonjour Alice,\n\nJe produis le podcast « Carrières » et j'aimerais vous recevoir pour un épisode, "
            "mardi 8 décembre à 9h en studio, 3 place Bellecour à Lyon.\n\nNina\n")
    assert kind(mail("Invitation", host, sender="Nina Perrot <nina@carrieres-audio.fr>")) == "none"


def test_a_thread_about_a_technical_writing_mission_is_no_newsroom() -> None:
    body = "Parfait, c'est noté pour le 8 à 10h. Je vous envoie le cahier des charges avant.\n\nMarc"
    raw = answer(body, "Mardi 8 décembre à 10h me va.", subject="Re: Mission de rédaction technique")
    assert thread_kind(raw) == "reply"


def test_a_client_not_progressing_the_user_is_a_rejection() -> None:
    body = ("Hi Alice, the client came back: they've decided not to progress you to the last round. "
            "Shall we talk about the other roles?\n\nMarc")
    assert thread_kind(answer(body, "Thanks, the interview on 27 November at 10am went well.",
                              subject="Re: feedback")) == "rejection"


def test_an_interview_moved_to_another_place_at_the_same_time_is_an_update() -> None:
    body = ("Bonjour Alice,\n\nChangement de lieu pour votre entretien du mardi 8 décembre à 11h : il se tiendra "
            "dans nos bureaux de Villeurbanne, 5 rue Racine. L'heure ne change pas.\n\nMarc")
    assert thread_kind(answer(body, "Parfait pour le mardi 8 décembre à 11h, à bientôt.")) == "update"


def test_an_out_of_office_answer_in_the_thread_is_nothing() -> None:
    body = ("Thank you for your message. I am away until 7 December; for interview questions please write to "
            "jobs@dentalis-software.fr.\n\nMarc")
    raw = answer(body, "Tuesday 8 December at 11am suits me.", subject="Out of Office: Re: Interview")
    assert thread_kind(raw) == "none"
    raw = raw.replace(b"Subject: Out of Office: Re: Interview",
                      b"Subject: Re: Interview\r\nAuto-Submitted: auto-replied")
    assert thread_kind(raw) == "none"


@pytest.mark.parametrize(("subject", "body", "sender"), [
    ("Votre rendez-vous", "Bonjour Madame Martin,\n\nComme convenu, rendez-vous jeudi 3 décembre à 18h à "
     "l'agence pour faire le point sur votre projet immobilier. Pour un entretien utile, pensez à votre "
     "avis d'imposition.\n\nPaul\n",
     "Paul Lenoir <p.lenoir@banque-rhodania.fr>"),
    ("Appointment confirmed", "Dear Alice Martin,\n\nYour biometrics appointment is confirmed: Thursday 3 December "
     "at 9:40, 12 Rue de Lyon, Paris. Bring your job offer letter and your passport.\n\nVisa services\n",
     "Visa services <noreply@visa-appointments.example>"),
])
def test_a_loan_meeting_and_a_visa_appointment_are_nothing(subject: str, body: str, sender: str) -> None:
    assert kind(mail(subject, body, sender=sender)) == "none"


def test_a_schedulers_confirmation_naming_a_trade_in_its_subject_is_job_context() -> None:
    body = ("Hi Alice Martin,\n\nA new event has been scheduled.\n\nEvent Date/Time:\n10:00am - 10:30am "
            "(Central European Time) on Thursday, December 3, 2026\n\nLocation:\nhttps://meet.google.com/abc-defg-hij\n")
    sender, host = "Calendly <notifications@calendly.com>", "Reply-To: Sam Reid <sam.reid@brindle.io>\r\n"
    assert kind(mail("Confirmed: Brindle - Backend Engineer intro call with Sam", body, sender=sender,
                     extra=host)) == "invitation"
    assert kind(mail("Confirmed: Brindle - Product demo with Sam", body, sender=sender, extra=host)) == "none"


@pytest.mark.parametrize("address", ["noreply@cronofy.com", "notifications@modernloop.io"])
def test_interview_schedulers_are_recruiting_systems(address: str) -> None:
    assert evidence.model_for().says("automated", address)


def test_the_users_own_calendar_invitation_to_a_candidate_is_not_hers_despite_a_rules_phrase() -> None:
    body = ("Bonjour Chloé,\n\nJe vous confirme notre entretien pour l'alternance de comptable, le jeudi 10 décembre "
            "à 9h30 à l'agence, 4 quai de la Fosse, 44000 Nantes.\n\nAlice Martin\n")
    event = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:alice-1@x\r\n"
             "DTSTART;TZID=Europe/Paris:20261210T093000\r\nSUMMARY:Entretien alternance – Chloé\r\n"
             "ORGANIZER;CN=Alice Martin:mailto:alice@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    raw = (f"From: Alice Martin <alice@example.org>\r\nTo: Chloé Riou <chloe.riou@etu.univ-nantes.fr>\r\n"
           "Subject: Entretien alternance\r\nDate: Mon, 30 Nov 2026 11:47:05 +0100\r\nMessage-ID: <own-1@x>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--B\r\n"
           f"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n{event}--B--\r\n").encode()
    assert kind(raw) == "none"


def test_a_move_under_the_threads_invitation_subject_is_an_update() -> None:
    body = "Bonjour Alice,\n\nImprévu de mon côté : pourrait-on plutôt se voir le jeudi 10 décembre à 15h ?\n\nMarc"
    raw = answer(body, "C'est noté pour le mardi 8 décembre à 11h.", subject="Re: Invitation à un entretien")
    assert thread_kind(raw) == "update"


def test_an_employers_open_information_session_for_all_comers_is_nothing() -> None:
    body = ("Hello everyone,\n\nJoin our hiring team for an information session about our graduate roles on "
            "Thursday 10 December at 6pm, on Zoom: https://zoom.us/j/5550001112\n\nThe Talent Team\n")
    raw = mail("Graduate roles: information session", body, sender="Talent <talent@brisklane.co.uk>")
    assert kind(raw.replace(b"To: Alice Martin <alice@example.org>", b"To: graduates@brisklane.co.uk")) == "none"


def test_practical_details_for_the_day_the_thread_set_stay_a_reply() -> None:
    body = "Bonjour Alice,\n\nMerci ! Pour mardi : 4 rue Crébillon, 2e étage, sonnez chez Dentalis.\n\nMarc"
    raw = answer(body, "Je vous confirme ma venue mardi 8 décembre à 11h.", subject="Re: Invitation à un entretien")
    found = analysis.analyse(raw, SETTINGS, RULES, IN_THREAD)
    assert found.classification.kind == "reply"
    assert found.facts.start is not None and (found.facts.start.day, found.facts.start.hour) == (8, 11)


@pytest.mark.parametrize("link", ["https://app.goodtime.io/availability/acme-4f2e91",
                                  "https://calendar.google.com/calendar/appointments/schedules/AcZssZ1x"])
def test_a_page_where_the_candidate_gives_their_availability_holds_the_slots(link: str) -> None:
    body = f"Hi Alice,\n\nPlease pick the times that suit you for a video interview here: {link}\n\nThanks,\nPriya\n"
    raw = mail("Next steps", body, sender="Priya Shah <priya.shah@tillerly.com>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert "future_slots" in {name for name, _ in result.evidence}


def test_a_confirmation_writing_the_chosen_slot_in_full_keeps_its_date_in_a_tracked_thread() -> None:
    body = "Bonjour Alice,\n\nJe vous confirme donc l'entretien le mardi 8 décembre à 11h.\n\nMarc"
    raw = answer(body, "Je suis disponible mardi 8 décembre à 11h ou jeudi 10 décembre à 14h.")
    found = analysis.analyse(raw, SETTINGS, RULES, IN_THREAD).classification
    assert "future_time" in {name for name, _ in found.evidence} and found.kind == "invitation"
def test_a_friend_asking_for_a_drink_and_news_of_the_job_hunt_is_nothing() -> None:
    body = ("hiya! it's been ages. Fancy a drink on Friday 4 December at 7pm near Châtelet? I want to hear how "
            "the job search is going, and my own interview saga\nSam")
    assert kind(mail("friday?", body, sender="Sam Okoye <sam.okoye77@gmail.com>")) == "none"


def test_a_friend_signing_with_kisses_to_rehearse_an_interview_is_not_held() -> None:
    body = ("Hi love! Yes, let's do the mock interview on Wednesday 2 December at 8pm on "
            "https://meet.google.com/abc-defg-hij, I'll be the hiring manager from hell. Let's lock it in, "
            "see you then!\nxx Nina")
    assert kind(mail("Re: interview practice", body, sender="Nina Petit <nina.petit@gmail.com>")) == "none"


def test_a_thread_phrase_with_no_date_of_its_own_restates_the_interview_set_a_reply() -> None:
    body = ("Perfect, see you then! Here is the Teams link again, in case the invite went to spam: "
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc (the interview panel joins from our office, "
            "12 rue de la Paix, 75002 Paris)\n\nMarc Ollier, Head of Data")
    raw = answer(body, "Thanks for the invitation: Monday 7 December at 10:00 works for me.",
                 subject="Re: Interview confirmation - Data Analyst")
    assert thread_kind(raw) == "reply"


@pytest.mark.parametrize(("body", "promised"), [
    ("Hi Alice,\n\nAbout the analyst role: does Wednesday at 2pm work? We'll send you a Zoom invite.\n\nLea\n", True),
    ("Salut Alice,\n\nPour le poste de data analyst, jeudi 15h ça te va ? Je vous envoie le lien de la visio.\n",
     True),
    ("Hi Alice,\n\nAbout the analyst role: does Wednesday at 2pm work? Here is the job link for reference.\n", False),
])
def test_a_video_rooms_link_promised_weighs_as_the_link(body: str, promised: bool) -> None:
    result = analysis.analyse(mail("Hello", body, sender="Lea Roy <lea.roy@gmail.com>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert ("video_link" in {name for name, _ in result.evidence}) == promised


def test_the_candidates_own_training_is_no_course_to_attend() -> None:
    body = ("Salut Alice,\n\nTes photos sont belles pour quelqu'un qui sort de formation. Pour le poste de commis, "
            "passe nous voir jeudi 3 décembre à 15h au restaurant, on discutera.\n\nLéa\n")
    result = analysis.analyse(mail("Ton message", body, sender="Léa Roux <lea@chez-lea.fr>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]


def test_her_training_certificates_to_bring_are_no_course_to_attend() -> None:
    body = ("Bonjour Alice,\n\nPour le poste d'agent de sécurité, entretien le jeudi 3 décembre à 15h au 4 rue "
            "Oberkampf. Apportez votre carte professionnelle et vos certificats de formation SSIAP.\n\nMarc Petit\n")
    result = analysis.analyse(mail("Entretien", body, sender="Marc Petit <m.petit@gardiaz.fr>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]


def test_an_admission_interview_for_a_course_is_no_job_interview() -> None:
    body = ("Bonjour,\n\nVous êtes convoquée à un entretien d'admission pour notre bachelor en alternance le "
            "jeudi 3 décembre 2026 à 10h, 12 rue Lepic.\n\nLe service des admissions\n")
    raw = mail("Convocation entretien", body, sender="Admissions <admissions@ecole-lepic.fr>")
    assert kind(raw) == "none"


def test_the_hour_picked_in_the_window_the_user_offered_is_a_reply_not_a_move() -> None:
    quoted = "Merci ! Mercredi je ne peux pas : le jeudi 10 décembre, entre 9h et 12h, vous irait ?"
    assert thread_kind(answer("Très bien, disons jeudi 10 décembre à 10h30 alors.\n\nMarc", quoted)) == "reply"
    # another day, said as a move, stays a move
    moved = "Je dois décaler : plutôt le vendredi 11 décembre à 10h30 ?\n\nMarc"
    assert thread_kind(answer(moved, "C'est noté pour le jeudi 10 décembre à 9h.")) == "update"
@pytest.mark.parametrize(("body", "expected"), [
    ("Hi Alice,\n\nThanks for your patience: we are still meeting two other\ncandidates and will be back to you "
     "by Friday.\n\nMarc", "reply"),
    ("Hi Alice,\n\nThank you for your time. We have chosen to continue with other candidates\nfor this role."
     "\n\nMarc", "rejection"),
])
def test_other_candidates_still_interviewed_are_no_ending(body: str, expected: str) -> None:
    assert thread_kind(answer(body, "Any news since my interview on 20 November?", subject="Re: Interview")) \
        == expected


@pytest.mark.parametrize("body", [
    "Dear speakers,\n\nAhead of the fireside chat at the Retail Forum on 9 March, could we do a 20-minute prep call "
    "on Monday 2 March at 5pm? Our host will interview each of you for ten minutes.\n",
    "Bonjour,\n\nMerci de participer à la table ronde du 9 mars. Un point de préparation en visio mardi 3 mars à "
    "18h ? L'animatrice fera une courte interview de chacune sur scène.\n",
])
def test_a_speakers_briefing_for_a_stage_interview_is_an_event(body: str) -> None:
    raw = mail("Prep call", body, sender="Programme <programme@retailforum.example>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "none" and "lookalike_events" in {name for name, _ in result.evidence}


@pytest.mark.parametrize("body", [
    "Dear candidate,\n\nYour TOEIC Listening and Reading session is booked: Saturday 12 December at 9:00, "
    "12 rue Lamarck, Paris. Candidates must bring an ID.\n",
    "Bonjour,\n\nVotre examen du code de la route est fixé au mardi 8 décembre à 14h, 5 rue Pierre Leroux. "
    "Les candidats se présentent 15 minutes avant.\n",
])
def test_a_language_or_driving_test_booked_is_no_interview(body: str) -> None:
    raw = mail("Booking confirmed", body, sender="Test Centre <bookings@test-centre.example>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "none" and "lookalike_exam" in {name for name, _ in result.evidence}


def test_an_evening_of_networking_the_user_signed_up_for_is_an_event() -> None:
    body = ("You're going!\n\nData & Design afterwork, Tuesday 15 December 2026, 7pm to 10pm\n12 rue Oberkampf, "
            "Paris\n\nMeet hiring managers and recruiters from twenty start-ups.\n")
    raw = mail("Data & Design: see you there", body, sender="Events <events@meetpoint.example>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "none" and "lookalike_events" in {name for name, _ in result.evidence}


@pytest.mark.parametrize("body", [
    "Bonjour Alice,\n\nDésolée, souci de garde ce matin (ma nounou est malade) : je dois annuler notre entretien "
    "de demain 14h pour le poste d'acheteuse. Je reviens vers vous lundi.\n\nInès\n",
    "Hi Alice,\n\nI'm so sorry, my babysitter let me down: I have to cancel our interview for the buyer role "
    "tomorrow at 2pm. New times next week.\n\nTom\n",
])
def test_the_senders_own_childcare_is_no_ad_the_user_placed(body: str) -> None:
    result = analysis.analyse(mail("Re: Entretien", body, sender="Inès Roy <ines@ostara.fr>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert result.kind == "cancellation"


def test_the_senders_own_childcare_weighs_no_household_lookalike() -> None:
    body = ("Hi Alice,\n\nSorry for the slow answer, childcare crisis at home this week. About the analyst role: "
            "does Thursday 3 December at 10am work for a first chat with our CFO?\n\nTom\n")
    result = analysis.analyse(mail("Analyst role", body, sender="Tom Hale <tom@ostara.co.uk>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert result.kind == "invitation"
    assert not [name for name, _ in result.evidence if name.startswith("lookalike_")]


def test_a_nanny_answering_the_users_ad_is_still_a_household_lookalike() -> None:
    body = ("Bonjour,\n\nJe réponds à votre annonce pour la garde de vos enfants : je suis nounou depuis dix ans. "
            "Seriez-vous disponible pour un entretien jeudi 3 décembre à 18h ?\n\nSonia\n")
    assert kind(mail("Votre annonce", body, sender="Sonia B <sonia.b@gmail.com>")) == "none"


def test_a_post_a_recruiting_systems_form_names_makes_a_trades_words_the_employers() -> None:
    body = ("Dear Alice,\n\nJob title: Ward Clerk\nFollowing the shortlisting for the above post, we invite you to an "
            "interview at St Anne's Hospital, Outpatients Building, on Thursday 3 December at 11:00.\n\n"
            "Recruitment Team\n")
    result = analysis.analyse(mail("Invitation to interview", body, sender="St Anne's <noreply@jobs.example>"),
                              SETTINGS, RULES, rules.Context()).classification
    assert "lookalike_medical" not in {name for name, _ in result.evidence}


def test_a_trades_words_in_a_mail_about_her_application_are_the_employers_not_her_appointment() -> None:
    body = ("Bonjour Alice,\n\nMerci pour votre candidature au poste de chargée d'études chez Clinéa, qui suit "
            "les patients de dix cliniques. Seriez-vous disponible pour un entretien jeudi 3 décembre à 11h ?\n\n"
            "Julie Perrin\n")
    result = analysis.analyse(mail("Votre candidature", body, sender="Julie Perrin <julie.perrin@clinea.fr>"),
                              SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "invitation"
    assert "lookalike_medical" not in {name for name, _ in result.evidence}
    # her own appointment, with no application named, is still one
    visit = "Bonjour,\n\nVotre rendez-vous à la clinique est confirmé jeudi 3 décembre à 11h. Les patients...\n"
    assert kind(mail("Rendez-vous", visit, sender="Clinique du Parc <rdv@clinique-parc.fr>")) == "none"


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nThanks for applying to the support role. We'd love to invite you to a first interview: please "
    "send me your availability for next week.\n\nNora\n",
    "Bonjour Alice,\n\nVotre profil nous intéresse pour le poste d'acheteur. Je vous propose un premier échange : "
    "pouvez-vous m'indiquer vos disponibilités ?\n\nNora\n",
])
def test_asking_for_her_availability_is_no_missing_date(body: str) -> None:
    result = analysis.analyse(mail("Candidature", body, sender="Nora Bel <nora@ostara.fr>"), SETTINGS, RULES,
                              rules.Context()).classification
    assert "no_date" not in {name for name, _ in result.evidence}


def test_a_notice_relaying_a_persons_message_is_her_mail() -> None:
    raw = mail("Nora Bel vous a envoyé un message", "Bonjour Alice, ...", sender="Board <notifications@board.example>",
               extra="List-Unsubscribe: <https://board.example/u>\r\n")
    message = mime.parse(raw)
    assert evidence.personal(message, frozenset({"alice@example.org"}))
    assert not evidence.personal(mime.parse(raw.replace(b"vous a envoy", b"vous recommande")),
                                 frozenset({"alice@example.org"}))


@pytest.mark.parametrize(("subject", "body", "sender"), [
    # an interview-prep platform's marketing: a mock test tonight is practice, not a recruiter's test
    ("Is your coding interview next week?", "Hi Alice,\n\nTeams at big firms use our assessments. Take a free mock "
     "test tonight at 21:00 and see where you stand before the real interview.\n\nThe Testwise team\n",
     "Testwise <hello@testwise.example>"),
    ("Entretien d'embauche : entraînez-vous", "Bonjour Alice,\n\nPassez un entretien blanc avec nos recruteurs "
     "mardi 8 décembre à 18h en visio : https://meet.google.com/abc-defg-hij\n\nCarrièreplus\n",
     "Carrièreplus <bonjour@carriereplus.example>"),
    # a hackathon's call for its participants, hiring sponsors or not
    ("Kick-off call Thursday", "Hi Alice,\n\nThanks for joining the Open Health Datathon! Meet your team on a video "
     "call on Thursday 3 December at 17:00 CET: https://meet.jit.si/ohd-kickoff\nSponsors are hiring, bring a "
     "CV.\n\nThe crew\n", "Open Health Datathon <crew@ohd.example>"),
    # a lawyer's paid consultation on her work permit, whatever job offer she brings
    ("Your consultation", "Dear Ms Martin,\n\nWe confirm your meeting with our immigration lawyer on Tuesday "
     "8 December at 10:00 by Zoom: https://zoom.us/j/123456789\nFee: 200 EUR, payable before the meeting. Please "
     "bring your job offer.\n\nKerr & Diallo LLP\n", "Kerr & Diallo <office@kerr-diallo.example>"),
])
def test_a_prep_platform_a_hackathon_and_a_lawyers_consultation_are_nothing(subject: str, body: str,
                                                                             sender: str) -> None:
    assert kind(mail(subject, body, sender=sender, extra="List-Unsubscribe: <https://x.example/u>\r\n")) == "none"


@pytest.mark.parametrize(("body", "sender"), [
    ("Bonjour Alice,\n\nNotre salle d'escalade ouvre ses portes samedi 5 décembre de 10h à 18h : séance d'essai "
     "gratuite et, à 14h, un atelier « Préparer ses entretiens d'embauche ». Journée d'essai offerte aux "
     "nouveaux !\n\nVertiges\n", "Vertiges <contact@vertiges.example>"),
    ("Hi Alice,\n\nLooking for a desk to work remote? Come to our open day on Saturday 5 December from 10am to 6pm: "
     "a free trial day for every visitor, and a talk on landing your next job interview at 2pm.\n\nDeskhub\n",
     "Deskhub <hello@deskhub.example>"),
])
def test_a_trial_day_offered_for_free_is_a_product_not_a_shift(body: str, sender: str) -> None:
    assert kind(mail("Open day", body, sender=sender)) == "none"


def test_a_debrief_is_a_meeting_word() -> None:
    body = ("Hi Alice,\n\nHere is the case study for the analyst role; please send it back by Monday. We'll "
            "debrief on Wednesday 2 December at 15:00.\n\nMarc\n")
    result = analysis.analyse(mail("Case study", body), SETTINGS, RULES, rules.Context()).classification
    assert "meeting_words" in {name for name, _ in result.evidence}


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nYour call with our relocation specialist is set for Monday 7 December at 11:00 CET on Teams. We'll "
    "go through your move to Dublin for your new role.\n\nShiftHome\n",
    "Hi Alice,\n\nGlad to give you some career advice on landing a remote analytics job. I'm free on Monday "
    "7 December at 19:00 CET for a video chat. We're not hiring ourselves.\n\nTom\n",
    "Hi Alice,\n\nWelcome aboard! Our next community call for members is on Monday 7 December at 17:00 CET: "
    "https://zoom.us/j/4242. Some companies in the group are hiring.\n\nThe Data Guild\n",
])
def test_a_relocation_call_career_advice_and_a_communitys_call_are_nothing(body: str) -> None:
    assert kind(mail("Monday", body, sender="Tom Reyes <tom@guild.example>")) == "none"


@pytest.mark.parametrize(("subject", "body"), [
    ("Meeting with our client's Chair", "Dear Alice,\n\nFollowing your talk with Anne about the COO search, the Chair "
     "of Verdane would like to meet you on Tuesday 9 March, 10:00-11:00, at 4 Place Vendôme, Paris.\n\nKind regards,\n"
     "Léa Moreau, assistant to Anne Roy\n"),
    ("Rencontre avec le président", "Madame,\n\nSuite à notre échange, vous figurez sur la short-list : le président "
     "de notre client souhaite vous rencontrer le mardi 9 mars à 10h, 4 place Vendôme, Paris.\n\nLéa Moreau\n"),
])
def test_a_search_firms_mandate_is_job_context(subject: str, body: str) -> None:
    raw = mail(subject, body, sender="Léa Moreau <lea.moreau@roy-partners.example>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert "no_job_context" not in {name for name, _ in result.evidence}
    assert result.kind == "invitation"


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nThanks for joining our user research on expense tools! Your 30-minute research session is booked: "
    "Thursday 12 March, 11:00 CET, https://meet.google.com/abc-defg-hij. You'll get a €50 gift card afterwards.\n",
    "Bonjour Alice,\n\nMerci de participer à notre étude utilisateur : votre entretien de 45 minutes est prévu jeudi "
    "12 mars à 11h, https://meet.google.com/abc-defg-hij. Une carte cadeau de 50 € vous sera envoyée ensuite.\n",
])
def test_a_paid_product_research_interview_is_not_held_for_review(body: str) -> None:
    raw = mail("Your research interview", body, sender="Priya <priya@ledgerbox.example>")
    result = analysis.analyse(raw, SETTINGS, RULES, rules.Context()).classification
    assert result.kind == "none" and "lookalike_survey" in {name for name, _ in result.evidence}
