# SPDX-License-Identifier: MIT
"""Company and position (understand/employer.py), issue 12's third round: each cause with phrasings written
for these tests, not taken from the blind waves."""

from __future__ import annotations

import pytest

from daemon.model import Person
from daemon.understand import analysis, evidence, mime, rules
from daemon.understand.employer import _tail_by_initials, names_a_trade, people_in, split_label
from daemon.understand.people import find_signature, matches_domain
from tests.test_corpus import RULES, SETTINGS
from tests.test_extract import facts, mail

SENDER = "Inès Lacombe <ines.lacombe@orsaylab.com>"


def position(body: str, subject: str = "Entretien", sender: str = SENDER) -> str | None:
    return facts(mail(body, subject=subject, sender=sender)).position


# --- position: inclusive endings, decorations, codes


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour,\n\nPour le poste de Technicien(ne) de laboratoire, je vous propose jeudi 4 mars à 10h.",
     "Technicien(ne) de laboratoire"),
    ("Bonjour,\n\nVotre entretien pour le poste de Vendeur·se conseil aura lieu le 4 mars à 10h.",
     "Vendeur·se conseil"),
    ("Bonjour,\n\nLe poste d'Acheteur.euse projets est ouvert ; passez jeudi 4 mars à 10h.", "Acheteur.euse projets"),
    ("Bonjour,\n\nNotre client recherche un(e) Responsable paie pour son siège : appel le 4 mars à 10h ?",
     "Responsable paie"),
])
def test_an_inclusive_ending_stays_in_the_position(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Hi Alice,\n\nThanks for applying to the Solutions Architect (Nordics) role. Free on 4 March at 10am?",
     "Solutions Architect (Nordics)"),
    ("Bonjour,\n\nPoste : Juriste droit social - Relations collectives\nDate : 4 mars 2027 à 10h",
     "Juriste droit social - Relations collectives"),
    ("Bonjour,\n\nJe vous confirme l'entretien pour le poste de Gestionnaire sinistres – Particuliers, "
     "le 4 mars à 10h.", "Gestionnaire sinistres – Particuliers"),
    ("Bonjour,\n\nPoste : Comptable fournisseurs H/F (REQ-8812)\nDate : 4 mars 2027 à 10h",
     "Comptable fournisseurs"),
])
def test_a_decoration_written_with_the_title_stays(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour,\n\nPour le poste de Contrôleur qualité (H/F) à pourvoir, seriez-vous libre le 4 mars à 10h ?",
     "Contrôleur qualité"),
    ("Bonjour,\n\nPoste : Chargée de communication (CDD, Lyon)\nDate : 4 mars 2027 à 10h", "Chargée de communication"),
    ("Bonjour,\n\nPoste : Data Engineer – Paris\nDate : 4 mars 2027 à 10h", "Data Engineer"),
    ("Bonjour,\n\nPoste : Technicien SAV (réf. 2231)\nDate : 4 mars 2027 à 10h", "Technicien SAV"),
])
def test_a_code_after_the_title_is_dropped(body: str, expected: str) -> None:
    assert position(body) == expected


def test_a_title_decoration_in_the_subject_stays_and_a_person_in_brackets_does_not() -> None:
    body = "Hello Alice,\n\nSee you on 4 March 2027 at 10am.\n\nMia"
    assert position(body, subject="Booked: Store Manager (night shift) - first call") == "Store Manager (night shift)"
    assert position(body, subject="Entretien Acheteuse industrielle (C. Bernard)") == "Acheteuse industrielle"


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour Alice,\n\nNous cherchons une Responsable des achats pour notre usine de Dole. On en parle "
     "mardi 2 mars à 14h ?", "Responsable des achats"),
    ("Salut,\n\nOn recrute un Lead Dev pour l'équipe mobile ; dispo demain 10h pour un café ?", "Lead Dev"),
    ("Hi Alice,\n\nWe're hiring a Revenue Operations Lead to build the team. Could we talk on 4 March at 4pm?",
     "Revenue Operations Lead"),
    ("Hi Alice,\n\nOn paper the role is called Staff Analyst, but it is mostly hands-on. Call on 4 March "
     "at 4pm?", "Staff Analyst"),
    ("Bonjour,\n\nIntitulé du poste : Assistant(e) juridique\nQuand : 4 mars 2027 à 10h", "Assistant(e) juridique"),
])
def test_a_position_said_as_the_title_a_company_looks_for(body: str, expected: str) -> None:
    assert position(body) == expected


def test_someone_looked_for_is_no_position() -> None:
    assert position("Bonjour,\n\nNous cherchons une personne motivée ; on en parle mardi 2 mars à 14h ?") is None


def test_a_chat_word_in_a_subject_is_no_position() -> None:
    assert position("Hi Alice,\n\nNoor can meet you on 4 March 2027 at 10am.\n\nSam",
                    subject="Alice <> Noor - catch-up") is None


@pytest.mark.parametrize(("subject", "sender", "expected"), [
    ("Re: Chargé de clientèle chez Brelane", "Yann Morel <yann@brelane.fr>", "Chargé de clientèle"),
    ("Call tomorrow - Data Steward at Quillfield", "Ruth Okafor <ruth.okafor@quillfield.com>", "Data Steward"),
])
def test_a_subject_naming_the_job_at_the_company_gives_the_job(subject: str, sender: str, expected: str) -> None:
    body = "Hello Alice,\n\nWould Thursday 4 March 2027 at 10am work for a first talk?\n\nThanks"
    assert position(body, subject=subject, sender=sender) == expected


@pytest.mark.parametrize("subject", ["Re: Visit to our workshop", "Visite de nos locaux"])
def test_a_visit_in_a_subject_is_no_job(subject: str) -> None:
    assert position("Hi Alice,\n\nSee you on Friday 5 March 2027 at 10am.\n\nNed", subject=subject) is None


@pytest.mark.parametrize("subject", ["Fwd: Supply Chain Planner opportunity", "Re: Supply Chain Planner role"])
def test_the_word_a_recruiter_calls_the_post_after_its_title_is_cut(subject: str) -> None:
    body = "Hi Alice,\n\nMy client could see you on 4 March 2027 at 10am.\n\nNed"
    assert position(body, subject=subject) == "Supply Chain Planner"


@pytest.mark.parametrize("subject", ["Re: Votre candidature Gestionnaire de stocks - entretien physique",
                                     "TR: Ta candidature Gestionnaire de stocks – entretien en visio"])
def test_how_the_interview_is_held_is_no_job_and_the_application_word_is_cut(subject: str) -> None:
    body = "Bonjour Alice,\n\nMerci pour votre message ; je reviens vers vous d'ici jeudi 4 mars.\n\nInès"
    assert position(body, subject=subject) == "Gestionnaire de stocks"


@pytest.mark.parametrize(("subject", "expected"), [
    ("Your application for Supply Chain Planner at Lowmoor", "Supply Chain Planner"),
    ("Votre candidature au poste de Gestionnaire de paie chez Brelane", "Gestionnaire de paie"),
])
def test_a_subject_written_as_a_sentence_names_the_job(subject: str, expected: str) -> None:
    body = "Hello Alice,\n\nThank you for your time last week; we have decided not to go further.\n\nRuth"
    assert position(body, subject=subject) == expected


def test_the_post_a_calendar_title_writes_after_the_candidate_is_the_position() -> None:
    subject = "Invitation: Final round - Alice Martin (Credit Risk Analyst) @ Thu 4 Mar 2027 10am"
    assert position("Hi Alice,\n\nSee you on 4 March at 10am.", subject=subject) == "Credit Risk Analyst"


# --- position: the quoted history


def test_a_position_in_history_quoted_twice_and_wrapped() -> None:
    body = ("Hi Alice,\n\nSee you then.\n\nMia\n\nOn Mon, Mar 1, 2027 Alice wrote:\n> Thanks!\n>\n"
            "> > On Fri, Feb 26, 2027 Mia Lund wrote:\n> > We'd like to talk about the Payments\n"
            "> > Engineer position with you.\n")
    assert position(body, subject="Re: Next week") == "Payments Engineer"


def test_a_position_in_the_subject_of_a_quoted_message() -> None:
    body = ("Bonjour Alice,\n\nParfait, à jeudi.\n\nMia\n\nDe : Alice Martin <alice@example.org>\n"
            "Envoyé : lundi 1 mars 2027 09:00\nObjet : Entretien - Gestionnaire de paie\n\nBonjour, jeudi me va.\n")
    assert position(body, subject="Re: jeudi") == "Gestionnaire de paie"


# --- a position in the body is job context for the evidence


def _classify(subject: str, body: str) -> str:
    raw = (f"From: Hugo Brun <hugo.brun@velio-analytics.com>\r\nTo: Alice Martin <alice@example.org>\r\n"
           f"Subject: {subject}\r\nDate: Mon, 30 Nov 2026 11:47:05 +0100\r\nMessage-ID: <e@x>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
    return analysis.analyse(raw, SETTINGS, RULES, rules.Context(), facts_of_none=False).classification.kind


def test_a_position_named_in_the_body_is_job_context() -> None:
    body = ("Hi Alice,\n\nCould you drop by Thursday 3 December at 2pm? I'd like you to meet Hannah and go "
            "over the Pricing Analyst vacancy. We're at 4 rue Lamartine, 75009.\n\nHugo\n")
    assert _classify("A thought", body) == "invitation"


def test_the_extraction_shortcut_still_skips_what_no_position_could_lift() -> None:
    raw = (b"From: news@shop.example\r\nTo: alice@example.org\r\nSubject: Sale\r\nList-Id: <sale.shop.example>\r\n"
           b"Date: Mon, 30 Nov 2026 11:47:05 +0100\r\nContent-Type: text/plain\r\n\r\nEverything at half price.\r\n")
    message = mime.parse(raw)
    classification = rules.classify(RULES, message, [], rules.Context())
    model = evidence.model_for(SETTINGS.rule_paths)
    seen = evidence.Seen(user_emails=frozenset({"alice@example.org"}), rule_kinds={r.name: r.kind for r in RULES})
    assert not evidence.could_be_invitation(model, classification, message, [], seen)


def test_the_shortcut_bound_counts_a_position_as_job_context() -> None:
    """Without job words but with a time, a video link and a person writing: a position could make it one."""
    body = "Hi Alice,\n\nFree Thursday 3 December at 2pm? https://meet.google.com/abc-defg-hij\n\nHugo\n"
    raw = (f"From: Hugo Brun <hugo.brun@velio-analytics.com>\r\nTo: alice@example.org\r\nSubject: Thursday\r\n"
           f"Date: Mon, 30 Nov 2026 11:47:05 +0100\r\nContent-Type: text/plain\r\n\r\n{body}").encode()
    message = mime.parse(raw)
    classification = rules.classify(RULES, message, [], rules.Context())
    model = evidence.model_for(SETTINGS.rule_paths)
    seen = evidence.Seen(user_emails=frozenset({"alice@example.org"}), rule_kinds={r.name: r.kind for r in RULES})
    assert evidence.could_be_invitation(model, classification, message, [], seen)


# --- company: the text's spelling of a domain's name; job boards


@pytest.mark.parametrize(("name", "label"), [
    ("Caisse d'Épargne Alpine", "caisse-epargne-alpine"),
    ("Maison de la Presse", "maison-presse"),
])
def test_a_domain_leaves_out_the_small_words(name: str, label: str) -> None:
    assert matches_domain(name, label)


@pytest.mark.parametrize(("label", "words"), [
    ("solaris-energie", "Solaris Énergie"),
    ("societe-brevin", "Société Brevin"),
])
def test_a_domains_words_get_their_accents(label: str, words: str) -> None:
    assert split_label(label) == words


@pytest.mark.parametrize(("label", "words"), [
    ("lumenhq", "Lumen"),                     # the "hq" a domain adds to a name
    ("ferrandandco", "Ferrand & Co"),         # the ampersand a domain spells
    ("morel-et-fils", "Morel & Fils"),
    ("blancoetassocies", "Blanco & Associés"),
    ("franco", "Franco"),                     # a name that only ends like one
])
def test_a_domain_gives_the_name_it_decorates_or_spells(label: str, words: str) -> None:
    assert split_label(label) == words


@pytest.mark.parametrize(("signature", "sender", "company"), [
    ("Chargé de recrutement – Clémence Énergie", "rh@clemence-energie.fr", "Clémence Énergie"),
    ("Talent Partner | Fonderie d'Auvergne", "jo@fonderie-auvergne.fr", "Fonderie d'Auvergne"),
    ("Responsable RH – Ormeau Assurances", "rh@groupe-ormeau.fr", "Ormeau Assurances"),
    # the word that opens the name carries its adjective: "Banque Privée", "Mutuelle Générale"
    ("Ressources humaines\nMutuelle Générale Arvor SA", "paul.favre@arvor.fr", "Mutuelle Générale Arvor"),
])
def test_the_signatures_spelling_beats_the_domains(signature: str, sender: str, company: str) -> None:
    body = f"Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h.\n\nJo Marin\n{signature}\n01 23 45 67 89"
    assert facts(mail(body, sender=f"Jo Marin <{sender}>")).company == company


@pytest.mark.parametrize(("subject", "body", "company"), [
    ("Hugo de Brasserie Lunaire vous a envoyé un message", "Bonjour Alice, passez le 4 mars à 10h ?",
     "Brasserie Lunaire"),
    ("Cobalt Systems a répondu à votre candidature", "Statut : entretien le 4 mars à 10h", "Cobalt Systems"),
    ("New message from Tilia Robotics", "Hi Alice, free on 4 March at 10am?", "Tilia Robotics"),
    ("Rosa from Quill Studio sent you a message", "Hi Alice, free on 4 March at 10am?", "Quill Studio"),
])
def test_a_job_boards_notification_names_the_company(subject: str, body: str, company: str) -> None:
    raw = mail(body, subject=subject, sender="JobBoard <no-reply@jobs-notify.example>")
    assert facts(raw).company == company


def test_a_sentence_the_short_mail_ends_on_is_no_signature_and_a_move_no_position() -> None:
    body = ("Hi Alice,\nYour Panel Interview for Risk Controller at Brisa has been moved to a new time.\n"
            "New time: Tuesday, March 9, 2027, 2:00 PM CET\n— The Brisa Talent Team")
    found = facts(mail(body, subject="Rescheduled: Panel Interview with Brisa",
                       sender="Brisa Recruiting <no-reply@ashbyhq.com>"))
    assert found.company == "Brisa"
    assert found.position == "Risk Controller"  # a system writes its event's name capitalised: "Panel Interview for"


# --- company: what a name-like word in a subject or a body is not (wave 4's causes, in phrasings of their own)


def company(body: str, subject: str = "Entretien", sender: str = SENDER, headers: str = "") -> str | None:
    return facts(mail(body, subject=subject, sender=sender, headers=headers)).company


@pytest.mark.parametrize(("subject", "body", "expected"), [
    # a job title's bracket holds a skill, a region or a team, not a host's company
    ("Booking confirmed - Data Engineer (Scala)", "Hi Alice,\n\nSee you on 4 March at 10am.", "Orsaylab"),
    ("Orsay Lab - Sales Manager (DACH)", "Hi Alice,\n\nSee you on 4 March at 10am.", "Orsay Lab"),
    # a calendar title writes the post after the candidate: "Final round - Alice Martin (Credit Risk Analyst)"
    ("Invitation: Final round - Alice Martin (Credit Risk Analyst) @ Thu 4 Mar 2027 10am",
     "Hi Alice,\n\nSee you on 4 March at 10am.", "Orsaylab"),
    # a reference number and a person written "C. Martin" are no company
    ("Candidature - Comptable - Réf. 2231", "Bonjour,\n\nRendez-vous le 4 mars à 10h.", "Orsaylab"),
    ("TR: Confirmation RDV – Comptable – C. Martin", "Bonjour,\n\nRendez-vous le 4 mars à 10h.", "Orsaylab"),
    # a subject's "with Ben" names a person the body introduces by their role; a café with its address is a venue
    ("Coffee with Ben?", "Hi Alice,\n\nBen (our CEO) is in Paris: 4 March, 8:30am at Holybelly (5 rue Lucien "
     "Sampaix).\n\nInès\nInès Lacombe · Talent · Orsay Lab", "Orsay Lab"),
])
def test_a_word_shaped_like_a_name_is_not_always_the_company(subject: str, body: str, expected: str) -> None:
    assert company(body, subject) == expected


def test_a_systems_sender_name_gives_the_company_without_the_person() -> None:
    sender = "Margaux Lefèvre – Octave & Fils <octave@mail.recruitee.com>"
    headers = "Reply-To: Margaux Lefèvre <margaux@octave-et-fils.fr>\n"
    assert company("Bonjour,\n\nRendez-vous le 4 mars à 10h.", "Votre rendez-vous", sender, headers) == "Octave & Fils"


def test_a_name_spelled_like_the_domain_may_be_in_the_quoted_thread_or_its_first_part() -> None:
    sender = "Aurélie <aurelie@agence-comete.fr>"
    quoted = "J'annule.\n\n> Le 27 nov. 2026, Aurélie <aurelie@agence-comete.fr> a écrit :\n> Aurélie\n> Agence Comète"
    assert company(quoted, "Re: Rendez-vous", sender) == "Agence Comète"
    assert company("Passe jeudi 10h, sonne à Tandem.", "Re: Candidature", "Julien <j@tandem-mobilite.fr>") == "Tandem"


def test_a_dash_dash_line_then_a_name_opens_the_signature() -> None:
    body = ("Hi Alice,\n\nCome by on 4 March at 4pm?\n\nBest,\nElena\n\n--\nElena Marsh\n"
            "Research Lead, Brightline Studio")
    assert company(body, "Re: intro", "Elena Marsh <elena@brightline.studio>") == "Brightline Studio"


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Next step: case study presentation - Risk Analyst, Markets & Treasury",
     "Dear Alice,\n\nWelcome to the next stage for the Risk Analyst, Markets & Treasury position. 4 March at 10am.",
     "Risk Analyst, Markets & Treasury"),
    ("Coffee next week?", "Hi Alice,\n\nBefore we go further on the Sales Manager – Benelux role: 4 March, 9am?",
     "Sales Manager – Benelux"),
    ("Canceled: Recruiter Screen - Finance Associate between Nadia Rahman and Alice Martin",
     "Nadia Rahman canceled the event below.\n\nEvent Type:\nRecruiter Screen – Finance Associate",
     "Finance Associate"),
    ("Rencontre – poste Chargé(e) de mission", "Bonjour,\n\nQuelques créneaux : le 4 mars à 10h.",
     "Chargé(e) de mission"),
    ("Entretien", "Bonjour,\n\nPour le poste de Data Scientist confirmé(e) – Direction Technique IARD, le 4 mars.",
     "Data Scientist confirmé(e)"),
    ("Re: votre échange", "Bonjour,\n\nÀ vendredi 4 mars à 15h.\n\nCandidature : Data Analyst (H/F) – CDI – Paris",
     "Data Analyst"),
])
def test_a_position_named_with_its_punctuation_or_after_a_label(subject: str, body: str, expected: str) -> None:
    assert position(body, subject) == expected


def test_a_name_said_short_in_the_text_is_given_in_full_from_the_subject() -> None:
    sender = "Tom <tom@kestrelsearch.co.uk>"
    body = "Hi Alice,\n\nGood news – Meridian have come back and would like to meet you on 4 March at 11am."
    assert company(body, "Meridian Payments - confirmed for Tuesday", sender) == "Meridian Payments"


def test_a_dutch_legal_form_is_no_part_of_the_name() -> None:
    body = "Hi Alice,\n\nSee you on 4 March at 11am.\n\nBest,\nPieter\nPieter de Vries\nTideway Logistics B.V."
    assert company(body, "Phone call", "Pieter <pieter@tideway.nl>") == "Tideway Logistics"


def test_the_client_an_agency_speaks_for_is_the_company() -> None:
    sender = "Rachel Osei <rachel.osei@harrowlane.com>"
    body = "Hi Alice,\n\nQuick one – Orbis have asked to push Thursday's call to 4:30pm.\n\nRachel\nHarrow & Lane"
    assert company(body, "RE: Orbis Group – Buyer – Thursday", sender) == "Orbis Group"


def test_an_agency_forwarding_its_clients_mail_names_the_client() -> None:
    sender = "Karim <karim@talentis-conseil.fr>"
    body = ("Bonjour Alice,\n\nLe client confirme ! Je vous transfère son message ci-dessous.\n\nKarim\n\n"
            "De : Anne Carré <a.carre@orsay-immobilier.fr>\nEnvoyé : mardi 1 décembre 2026\nObjet : RE: Dossier\n\n"
            "Nous pouvons la recevoir le lundi 14 décembre à 10h30.\n\nBien cordialement,\n\nAnne Carré\n"
            "Responsable RH\nGroupe Orsay Immobilier")
    assert company(body, "TR: Confirmation RDV", sender) == "Groupe Orsay Immobilier"


@pytest.mark.parametrize("sender", ["Velanor Recrutement <jobs@velanor.fr>", "Recrutement Velanor <jobs@velanor.fr>",
                                    "Velanor Ressources Humaines <jobs@velanor.fr>"])
def test_a_recruiting_departments_word_is_not_part_of_the_company(sender: str) -> None:
    body = "Bonjour Alice,\n\nJe vous propose un entretien jeudi 14 janvier à 10h.\n\nVelanor Recrutement"
    assert facts(mail(body, sender=sender)).company == "Velanor"


@pytest.mark.parametrize("body", [
    "Je vous confirme notre entretien pour le poste de Gestionnaire Paie le mardi 12 janvier à 9h.",
    "Nous recevons les candidats au poste de Gestionnaire Paie le 12 janvier, à partir de 9h.",
])
def test_a_position_stops_where_the_sentence_goes_on_to_a_date(body: str) -> None:
    assert position(body) == "Gestionnaire Paie"


def test_a_directors_function_and_a_train_station_are_no_company() -> None:
    body = ("Bonjour Alice,\n\nVous rencontrerez M. Paul Girard, Directeur des Achats Groupe, jeudi 14 janvier à 10h "
            "au siège de Velanor Industries. Take the 8:02 train, arriving at Grenoble Gare at 9:30.\n\n"
            "Claire Morin\nVelanor Industries\n")
    assert facts(mail(body, sender="Claire Morin <claire.morin@velanor-industries.fr>")).company == "Velanor Industries"


def test_an_agency_whose_domain_spells_its_recruiting_word_keeps_it() -> None:
    body = ("Bonjour Alice,\n\nJe vous propose un entretien jeudi 14 janvier à 10h dans nos locaux "
            "(Velanor Recrutement, 3 rue Neuve, Lyon).")
    assert facts(mail(body, sender="Paul Roy <p.roy@velanor-recrutement.fr>")).company == "Velanor Recrutement"


def test_a_capitalised_article_belongs_to_the_name_and_a_systems_name_is_no_company() -> None:
    # "La Ferme Numérique" is the name people use; "Welcome to the Jungle" writes for it from its mail domain
    raw = mail("Bonjour Alice,\n\nJe suis chargée de recrutement chez La Forge Ardente. Seriez-vous disponible "
               "jeudi 4 mars à 10h ?\n", sender="Welcome to the Jungle <notifications@welcometothejungle-mail.com>",
               subject="Nouveau message")
    assert facts(raw).company == "La Forge Ardente"


@pytest.mark.parametrize(("signature", "expected"), [
    ("VERALTA SISTEMAS S.L.", "Veralta Sistemas"),     # a letterhead's capitals and a Spanish legal form
    ("Dunewave SRL", "Dunewave"),
    ("Kantelberg ASBL", "Kantelberg"),               # a Belgian non-profit's form after its name
    ("BNP PARIBAS", "BNP Paribas"),                   # an acronym stays in capitals
    ("Ferrand & Co", "Ferrand & Co"),                 # the "Co" of "& Co" is the name, not a legal form
])
def test_the_company_is_the_name_people_use_not_its_legal_form(signature: str, expected: str) -> None:
    body = (f"Hello Alice,\n\nThank you for your interest in {signature}. We would like to invite you to an "
            f"interview on 4 March at 10am.\n\nBest regards,\n\nLuis Ortega\nTalent team\n{signature}\n")
    assert facts(mail(body, sender="Luis Ortega <lortega@example.net>", subject="Interview")).company == expected


@pytest.mark.parametrize(("body", "subject", "expected"), [
    # a bracket or a speciality written with the title stays; a working time is no code
    ("Hello Alice,\n\nWe invite you to an interview for the position of Buyer (Spanish/Italian) on 4 March at 10am.",
     "Interview", "Buyer (Spanish/Italian)"),
    ("Bonjour,\n\nPour le poste de Juriste (60-80 %) au sein de notre équipe, entretien le 4 mars à 10h.",
     "Entretien – Juriste", "Juriste (60-80 %)"),
    # a recruiting system's table: the label in one cell, the title in the next
    ("Hello Alice,\n\nYour interview is scheduled.\nRole\nQuant Developer – Rates (Front Office)\nDate\n4 March 2027\n"
     "Time\n10:00", "Interview scheduled: Quant Developer", "Quant Developer – Rates (Front Office)"),
    # where the job is, or who interviews, is no part of it
    ("Bonjour,\n\nVotre candidature au poste de Magasinier (site de Roissy) : entretien le 4 mars à 10h.",
     "Entretien – Magasinier", "Magasinier"),
])
def test_a_title_keeps_what_is_written_with_it(body: str, subject: str, expected: str) -> None:
    assert position(body, subject=subject) == expected


def test_a_person_in_brackets_after_a_title_is_who_interviews() -> None:
    assert position("Hello Alice,\n\nSee you on 4 March at 10am.", subject="Interview: Tax Manager (Rémi Caron)",
                    sender="Ana Lopes <ana.lopes@fiscalys.com>") == "Tax Manager"


@pytest.mark.parametrize(("body", "sender", "expected"), [
    # who writes says where from, from an address that names no company
    ("hey alice, it's Nico from Tramway 👋 saw ur CV, free thursday 4 march at 10am for a call?",
     "Nico B <nico.b.talent@gmail.com>", "Tramway"),
    # a freelance recruiter on a client's search; a former employer named later is not it
    ("Bonjour,\n\nConsultante indépendante, j'accompagne l'Agence Nébuleuse sur le recrutement d'un chef de projet. "
     "Vous avez travaillé chez Ondine, je crois ? Échange jeudi 4 mars à 10h ?\n", "Rose Vial <rose.vial@gmail.com>",
     "Agence Nébuleuse"),
    # the domain names the head of the name: "Mirabelle Cosmétiques" for mirabelle.fr, not "Mirabelle"
    ("Bonjour,\n\nEntretien jeudi 4 mars à 10h.\n\nCordialement,\n\nJeanne Roux\nRecrutement – Mirabelle Cosmétiques\n",
     "Jeanne Roux <jeanne.roux@mirabelle.fr>", "Mirabelle Cosmétiques"),
])
def test_the_company_from_who_writes_and_for_whom(body: str, sender: str, expected: str) -> None:
    assert facts(mail(body, sender=sender, subject="Hello")).company == expected


def test_a_person_introduced_in_the_quoted_thread_is_no_company_and_the_company_no_title() -> None:
    body = ("Hi Alice,\n\nCould we move to Friday 5 March at 3pm?\n\nBest,\nKim Lau\nRecruiter | Ferrovia Energy\n\n"
            "On Mon, 1 Mar 2027 at 10:00, Kim Lau <kim.lau@ferrovia.com> wrote:\n> Hi Alice,\n"
            "> You will meet Dana Cole, our Head of Trading, for the Power Trader role.\n")
    found = facts(mail(body, sender="Kim Lau <kim.lau@ferrovia.com>",
                       subject="RE: Ferrovia - Power Trader - interview with Dana"))
    assert (found.company, found.position) == ("Ferrovia Energy", "Power Trader")


def test_a_role_in_brackets_after_a_persons_name_is_theirs_not_the_job() -> None:
    body = ("Bonjour Alice,\n\nÀ demain !\n\nLe mar. 2 mars 2027 à 10:00, Inès Lacombe <ines.lacombe@orsaylab.com> "
            "a écrit :\n> Je te cale un échange avec Paul, notre CTO, pour le poste de Data Analyst : jeudi 4 mars "
            "à 10h.\n")
    assert position(body, subject="Re: Échange avec Paul (CTO)") == "Data Analyst"


@pytest.mark.parametrize(("body", "subject", "sender", "expected"), [
    # the client revealed by name once the search is no longer secret
    ("Hi Alice,\n\nThe client has said yes, so I can tell you who it is: Marbury Freight. They would like to meet "
     "you on 4 March at 10am.\n\nBest,\nTom\nTom Reyes\nKiln Talent", "RE: Ops Lead - logistics scale-up",
     "Tom Reyes <tom@kilntalent.com>", "Marbury Freight"),
    # a firm that speaks of "notre client" recruits for it: the client in the subject, not the firm's signature
    ("Madame,\n\nNotre client n'a pas retenu votre candidature pour ce poste.\n\nPaul Roy\nAssocié\nCastellane "
     "Partenaires", "RE: Poste de Contrôleur financier - Laiteries Morvan",
     "Paul Roy <p.roy@castellane-partenaires.fr>", "Laiteries Morvan"),
    # the client named with what it is: "ma cliente, la société X"
    ("Bonjour Alice,\n\nMa cliente, la société Fromageries Vaudel, vous propose jeudi 4 mars à 10h.\n\nPaul Roy\n"
     "Cabinet Castellane", "Entretien jeudi", "Paul Roy <p.roy@castellane.fr>", "Fromageries Vaudel"),
    # a search firm's signature says what it is
    ("Hi Alice,\n\nAll set for Thursday 4 March at 10am.\n\nCheers,\nDan\nDan Price | Partner\nPrice & Webb Search",
     "Holloway - Finance Director - first interview", "Dan Price <dan@pricewebb.co.uk>", "Holloway"),
])
def test_an_intermediary_names_the_client_it_recruits_for(body: str, subject: str, sender: str,
                                                          expected: str) -> None:
    assert facts(mail(body, subject=subject, sender=sender)).company == expected


@pytest.mark.parametrize(("body", "sender"), [
    ("Hi Alice,\n\nSadly the client has to move Friday's meeting; I'll come back with new times.\n\nRegards,\nTom\n"
     "Tom Reyes | Kiln Talent\n\nOn Mon, 1 Mar 2027 at 10:00, Tom Reyes <tom@kilntalent.com> wrote:\n"
     "> Hi Alice, my client, Marbury Freight, would like to meet you on Friday 5 March at 3pm.\n",
     "Tom Reyes <tom@kilntalent.com>"),
    ("Bonjour Alice,\n\nMa cliente doit décaler l'entretien de vendredi.\n\nPaul Roy\nCabinet Castellane\n\n"
     "Le lun. 1 mars 2027 à 10:00, Paul Roy <p.roy@castellane.fr> a écrit :\n"
     "> Je représente Marbury Freight, qui souhaite vous rencontrer vendredi 5 mars à 15h.\n",
     "Paul Roy <p.roy@castellane.fr>"),
])
def test_an_agencys_follow_up_keeps_the_client_its_quoted_mail_named(body: str, sender: str) -> None:
    assert facts(mail(body, subject="RE: Entretien vendredi", sender=sender)).company == "Marbury Freight"


def test_a_search_kept_confidential_in_brackets_is_no_part_of_the_title() -> None:
    assert position("Hi Alice,\n\nFree on 4 March at 10am?", subject="Head of Tax - Lyon insurer (confidential)",
                    sender="Tom Reyes <tom@kilntalent.com>") == "Head of Tax"


def test_a_public_body_is_named_in_full_not_by_its_shortened_domain_nor_its_hr_mailbox() -> None:
    body = ("Madame,\n\nVous êtes convoquée à un entretien le mardi 12 janvier 2027 à 9h30.\n\n"
            "Pour le Président et par délégation,\nLe Directeur des ressources humaines\nMarc Olivier\n\n"
            "Communauté de communes du Pays de Sarre\n1, rue du Moulin - 57400 Sarrebourg\n")
    found = facts(mail(body, sender="DRH - Recrutement <recrutement@cc-paysdesarre.fr>", subject="Convocation"))
    assert found.company == "Communauté de communes du Pays de Sarre"


def test_a_companys_own_no_reply_address_and_its_interest_sentence_name_it() -> None:
    body = ("Madame,\n\nNous vous invitons à notre session de recrutement le jeudi 14 janvier 2027 à 9h.\n"
            "Nous vous remercions de l'intérêt que vous portez au Groupe Verlaine Habitat.\n")
    found = facts(mail(body, sender="Recrutement Groupe Verlaine Habitat <ne-pas-repondre@verlaine-habitat.fr>",
                       subject="Invitation - Session de recrutement - Gestionnaire locatif"))
    assert (found.company, found.position) == ("Groupe Verlaine Habitat", "Gestionnaire locatif")


@pytest.mark.parametrize(("body", "subject"), [
    # the title alone on the line after "poste de :"
    ("Madame,\n\nVous êtes convoquée pour le poste de :\n\nIngénieur applications embarquées (H/F)\n\n"
     "Date : jeudi 14 janvier 2027 à 10h", "Convocation"),
    # "applications" in a title is a word of the job, not "your application"
    ("Madame,\n\nVotre entretien est confirmé le jeudi 14 janvier 2027 à 10h.",
     "Entretien - Ingénieur applications embarquées"),
])
def test_a_title_on_the_line_after_its_label_or_naming_applications(body: str, subject: str) -> None:
    assert position(body, subject=subject) == "Ingénieur applications embarquées"


def test_a_founder_on_a_personal_address_signs_with_the_company_and_a_cafe_is_where() -> None:
    body = ("Hi Alice,\n\nShall we talk about the VP of Sales role over breakfast on Thursday 4 March at 8:30am at "
            "Brasserie Margaux (3 rue Oberkampf)?\n\nBest,\nNina\n\n--\nNina Costa\nFounder & CEO, Tallyho\n")
    found = facts(mail(body, subject="Breakfast?", sender="Nina Costa <nina.costa@gmail.com>"))
    assert (found.company, found.position) == ("Tallyho", "VP of Sales")


def test_a_short_reply_takes_the_company_from_the_senders_quoted_signature_not_the_cafe() -> None:
    body = ("Great, see you at Margaux on Thursday.\n\nNina\n\nOn Mon, 1 Mar 2027 at 18:00, Nina Costa "
            "<nina.costa@gmail.com> wrote:\n> Breakfast on Thursday 4 March at 8:30am at Brasserie Margaux?\n>\n"
            "> Nina Costa\n> Co-founder | Tallyho\n")
    assert facts(mail(body, subject="Re: Breakfast?", sender="Nina Costa <nina.costa@gmail.com>")).company == \
        "Tallyho"


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour Alice,\n\nLa société Varenne Textiles souhaite vous rencontrer le jeudi 14 janvier 2027 à 10h.",
     "Varenne Textiles"),
    ("Hi Alice,\n\nThe company Brookline Foods would like to meet you on 4 March at 10am.", "Brookline Foods"),
])
def test_what_a_company_is_said_before_its_name_is_no_part_of_it(body: str, expected: str) -> None:
    assert facts(mail(body, sender="Lina Diaz <lina.diaz@campus-lyon.fr>", subject="Entretien")).company == expected


def test_a_gender_code_before_the_rest_of_the_sentence_is_dropped() -> None:
    body = "Bonjour,\n\nEntretien pour le poste de Juriste social H/F au sein de la DRH, le 4 mars à 10h."
    assert position(body) == "Juriste social"


def test_the_job_in_brackets_after_the_interview_word_beats_a_guests_name_in_the_title() -> None:
    assert position("Hi Alice,\n\nSee you then.", subject="Invitation: Quarry - Final interview (Data Architect) / "
                    "Noor Patel @ Thu 4 Mar 2027 10:00 - 11:00 (CET)",
                    sender="Ben Ode <ben.ode@quarry.io>") == "Data Architect"


@pytest.mark.parametrize(("signature", "sender", "expected"), [
    ("Nordavind Shipping UK Ltd", "Eva Berg <eva.berg@nordavind-shipping.com>", "Nordavind Shipping"),
    ("Air France", "Eva Berg <eva.berg@airfrance.fr>", "Air France"),  # the country is the name's when it spells it
])
def test_a_groups_national_entity_is_named_as_the_group(signature: str, sender: str, expected: str) -> None:
    body = f"Hi Alice,\n\nSee you on 4 March at 10am.\n\nKind regards,\nEva Berg\nTalent Partner\n{signature}\n"
    assert facts(mail(body, subject="Interview", sender=sender)).company == expected


def test_a_recruiter_hiring_for_a_client_is_an_agency_whose_subject_names_the_client() -> None:
    body = ("Hi Alice,\n\nI'm recruiting for a client in logistics; they'd like to meet you on 4 March at 10am.\n\n"
            "Best,\nTom\nTom Reyes\nReyes & Pike")
    assert facts(mail(body, subject="Marbury Freight - Ops Lead", sender="Tom Reyes <tom@reyespike.com>")).company == \
        "Marbury Freight"


# --- wave 8's causes, in phrasings of their own


def test_a_pronoun_opening_a_wish_is_no_company() -> None:
    body = ("Bonjour Alice,\n\nJe souhaiterais vous voir au bureau le 4 mars à 10h pour parler du poste.\n\n"
            "Cordialement,\nLéo Martin")
    assert company(body, sender="Léo Martin <leo.martin@gmail.com>") is None


@pytest.mark.parametrize(("body", "expected"), [
    # a title the sentence ends with an exclamation or a question
    ("Salut Alice,\n\nMerci pour ta candidature au poste d'animatrice jeunesse ! Tu passes le 4 mars à 10h ?",
     "Animatrice jeunesse"),
    # "the post of", as British employers write it
    ("Dear Alice,\n\nThank you for applying for the post of Deputy Head of Science. Could you come on 4 March at "
     "10am?", "Deputy Head of Science"),
    # a temporary agency's word for the job, as "poste"
    ("Bonjour,\n\nJe vous propose un entretien le 4 mars à 10h.", "Comptable fournisseurs"),
])
def test_a_title_ending_a_sentence_or_named_post_or_mission(body: str, expected: str) -> None:
    subject = "Mission comptable fournisseurs - Créteil" if "propose" in body else "Entretien"
    assert position(body, subject=subject) == expected


@pytest.mark.parametrize(("signature", "expected"), [
    ("Julien Roux\nMenuiserie Roux & Fils\nZA des Vignes, 69400 Villefranche", "Menuiserie Roux & Fils"),
    ("Claire Vidal\nDirectrice\nCrèche Les Lucioles – Montreuil\n06 11 22 33 44", "Crèche Les Lucioles"),
    ("Julien Roux\nFreelance designer\n06 11 22 33 44", None),  # a trade, not a business's name
    ("Julien Roux\nMontauban\n06 11 22 33 44", None),  # where they live
])
def test_who_writes_from_a_personal_address_names_their_business_under_their_name(signature: str,
                                                                                    expected: str | None) -> None:
    body = f"Bonjour Alice,\n\nPouvez-vous passer le jeudi 4 mars à 10h ?\n\nCordialement,\n\n{signature}\n"
    sender = f"{signature.split(chr(10))[0]} <{signature.split()[0].lower()}.roux77@orange.fr>"
    assert company(body, sender=sender) == expected


def test_a_systems_sender_name_gives_the_company_in_brackets_after_the_person() -> None:
    body = "Hi Alice,\n\nCould we talk on 4 March at 10am?\n\nHannah\n\nHannah Reid\nTalent Partner\n"
    sender = "Hannah Reid (Larkfield Hotels) <larkfield-hannah-reid@inbox.recruitee.com>"
    assert company(body, subject="Front Office Manager - quick call?", sender=sender) == "Larkfield Hotels"


def test_a_company_found_by_its_initials_is_named_as_the_text_spells_them() -> None:
    body = ("Madame,\n\nNous vous convoquons à un entretien le jeudi 4 mars 2027 à 10h.\n\nCordialement,\n\n"
            "Paul Brun\nChargé de recrutement\nCaisse d'Allocations Familiales du Rhône-Est (CAFRE)\n")
    sender = "DRH - Recrutement CAFRE <recrutement@cafre-rhone.fr>"
    assert company(body, subject="Convocation", sender=sender) == "Caisse d'Allocations Familiales du Rhône-Est"


def test_a_city_after_the_name_in_a_signature_is_where_the_office_is() -> None:
    body = ("Dear Alice,\n\nI'm delighted to invite you to interview at Linden Bilingual School on 4 March at "
            "10am.\n\nBest wishes,\n\nRuth Hale\nHR Manager\nLinden Bilingual School Lyon\n")
    assert company(body, subject="Interview", sender="Ruth Hale <hr@linden-school.fr>") == "Linden Bilingual School"


def test_a_company_signing_a_systems_mail_is_no_person() -> None:
    body = ("Bonjour Alice,\n\nNous ne donnerons pas suite à votre candidature.\n\nCordialement,\n\n"
            "L'équipe Recrutement\nGroupe Arlette Santé\n")
    sender = "Groupe Arlette Santé <noreply@smartrecruiters.com>"
    assert company(body, subject="Votre candidature", sender=sender) == "Groupe Arlette Santé"
    # a Reply-To to the same machine names nobody
    assert company(body, subject="Votre candidature", sender=sender,
                   headers="Reply-To: noreply@smartrecruiters.com\n") == "Groupe Arlette Santé"


def test_a_signature_line_shaped_like_a_name_but_ending_as_a_company_is_no_person() -> None:
    body = ("Bonjour Alice,\n\nMerci de l'intérêt que vous portez à la Coopérative Lumen. Seriez-vous disponible le "
            "jeudi 4 mars à 9 h ?\n\nAu plaisir,\n\nCoopérative Lumen Assurances\n")
    assert company(body, sender="Marie Roy <marie.roy@lumen-assurances.ca>") == "Coopérative Lumen Assurances"


def test_an_agencys_subject_naming_where_the_mission_is_names_no_client() -> None:
    body = ("Bonjour Alice,\n\nJ'ai une mission de comptable chez un de nos clients à Créteil. Pouvez-vous passer à "
            "l'agence le jeudi 4 mars à 10h ?\n\nCordialement,\n\nLéa Morin\nChargée de recrutement\n"
            "Azur Intérim – Agence Créteil\n")
    assert company(body, subject="Mission comptable - Créteil", sender="Léa Morin <creteil@azur-interim.fr>") == \
        "Azur Intérim"


def test_a_firms_partners_word_is_a_tail_its_domain_leaves_out() -> None:
    body = ("Bonjour Alice,\n\nPouvez-vous venir le jeudi 4 mars à 14h ?\n\nCordialement,\n\nNina Roy\n"
            "Office manager\nLaboratoires Vasseur-Lenoir & Associés – Analyses\n")
    assert company(body, sender="Nina Roy <n.roy@vasseur-lenoir.law>") == "Laboratoires Vasseur-Lenoir & Associés"


def test_an_agency_whose_domain_spells_its_recruiting_word_keeps_it_before_its_legal_form() -> None:
    body = ("Hi Alice,\n\nMy client would like to meet you on 4 March at 10am.\n\nDan\n\n"
            "Harrow Recruitment Ltd is acting as an employment agency for this vacancy.")
    assert company(body, subject="Interview", sender="Dan Lee <dan.lee@harrowrecruitment.co.uk>") == \
        "Harrow Recruitment"


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Interview - Speech and Language Therapist (Band 7) - Ref 22-XY", "Dear Alice,\n\nSee you on 4 March at 10am.",
     "Speech and Language Therapist (Band 7)"),
    ("Entretien", "Bonjour,\n\nPoste : Rédacteur territorial (catégorie B)\nDate : 4 mars 2027 à 10h",
     "Rédacteur territorial (catégorie B)"),
])
def test_a_pay_grade_in_brackets_is_part_of_the_title(subject: str, body: str, expected: str) -> None:
    assert position(body, subject=subject, sender="Ann Cole <ann.cole@nhs-east.org>") == expected


def test_a_name_said_short_is_given_with_its_trade_word_the_thread_writes() -> None:
    body = ("Hi Alice,\n\nGreat news: Hale & Finch would like to meet you on 4 March at 2pm.\n\n"
            "Where: Hale & Finch Architects, 2nd floor, 10 Long Lane, London\n\nOllie")
    assert company(body, subject="Interview confirmed – Hale & Finch", sender="Ollie Bo <ollie@marsdensearch.co.uk>") \
        == "Hale & Finch Architects"
    # a recruiting team's word after the name is no part of it
    body = "Hi Alice,\n\nHale & Finch would like to meet you on 4 March at 2pm.\n\nHale & Finch Recruitment"
    assert company(body, subject="Interview – Hale & Finch", sender="Jo Bo <jo@halefinch.com>") == "Hale & Finch"


def test_initials_may_leave_a_word_of_the_name_out() -> None:
    body = ("Madame,\n\nNous vous convoquons à un entretien le jeudi 4 mars 2027 à 10h.\n\nCordialement,\n\n"
            "Paul Brun\nService des ressources humaines\nSyndicat Intercommunal des Eaux du Val d'Orge (SIVO)\n")
    assert company(body, subject="Convocation", sender="Recrutement SIVO <recrutement@sivo-eaux.fr>") == \
        "Syndicat Intercommunal des Eaux du Val d'Orge"


def test_a_cooperative_is_named_in_full_though_its_domain_leaves_the_word_out() -> None:
    body = ("Bonjour Alice,\n\nSeriez-vous disponible le jeudi 4 mars à 9 h ?\n\nAu plaisir,\n\nLise Roy\n"
            "Conseillère, acquisition de talents\nCoopérative Sorbier\n")
    sender = "Coopérative Sorbier – Acquisition de talents <talents@sorbier.coop>"
    assert company(body, sender=sender) == "Coopérative Sorbier"


def test_names_listed_one_under_another_are_guests_not_a_business() -> None:
    body = ("You have been invited to the following event.\n\nBook club - March\nSaturday 6 March 2027 10am\n\n"
            "Guests\nNora Quinn - organizer\nLeon Brandt\nSara Voss\n")
    assert company(body, subject="Invitation: Book club", sender="Nora Quinn <nora.quinn@gmail.com>") is None


@pytest.mark.parametrize(("subject", "expected"), [
    ("Meet the team - Supply Planner", "Supply Planner"),
    ("Entretien sur site - jeudi 4 mars", None),
    ("Code review - Backend Developer", "Backend Developer"),
    ("Quelques nouvelles", None),
    ("Confidentiel", None),
    ("Data Analyst intro call with Sam", "Data Analyst"),
])
def test_what_a_subject_says_of_the_meeting_or_the_mail_is_no_title(subject: str, expected: str | None) -> None:
    assert position("Bonjour,\n\nÀ jeudi 4 mars à 10h.", subject=subject) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # the kind of work that makes another job of it stays with the title, a contract's term does not
    ("Bonjour,\n\nPour le poste de Assistant(e) RH (alternance), passez jeudi 4 mars à 10h.",
     "Assistant(e) RH (alternance)"),
    ("Bonjour,\n\nPour le poste de Comptable (CDI), passez jeudi 4 mars à 10h.", "Comptable"),
    ("Bonjour,\n\nParlons de la mission de Traducteur juridique jeudi 4 mars à 10h ?", "Traducteur juridique"),
    ("Bonjour,\n\nLe poste de Responsable paie qu'on vient d'ouvrir t'irait bien : jeudi 4 mars à 10h ?",
     "Responsable paie"),
    ("Hi,\n\nThank you for applying for the Portfolio Manager - Fixed Income role. Thursday 4 March at 10am?",
     "Portfolio Manager - Fixed Income"),
    ("Hi,\n\nWe have been retained to appoint their first Head of Finance. Thursday 4 March at 10am?",
     "Head of Finance"),
    # what else is looked for is no title
    ("Bonjour,\n\nPour le poste de Magasinier, passez jeudi 4 mars à 10h ; sinon nous chercherons un autre "
     "créneau.", "Magasinier"),
])
def test_titles_a_sentence_gives(body: str, expected: str) -> None:
    assert position(body) == expected


def test_mission_opening_an_english_title_is_part_of_it() -> None:
    assert position("Hi,\n\nSee you Thursday 4 March at 10am.", subject="Interview - Mission Planning Analyst") == \
        "Mission Planning Analyst"


def test_a_subject_saying_the_title_short_gives_way_to_the_quoted_mail_that_decorates_it() -> None:
    body = ("Bonjour Alice,\n\nJe dois annuler notre rendez-vous, désolée.\n\nInès\n\n"
            "Le lun. 4 janv. 2027 à 10:00, Inès Lacombe <ines.lacombe@orsaylab.com> a écrit :\n"
            "> Nous souhaitons vous rencontrer pour le poste de Technicienne qualité (pôle vaccins) le 8 mars.\n")
    assert position(body, subject="RE: Entretien Technicienne qualité") == "Technicienne qualité (pôle vaccins)"
    short = body.replace(" (pôle vaccins)", "").replace("Technicienne qualité", "Technicienne de laboratoire")
    assert position(short, subject="RE: Entretien Technicienne qualité") == "Technicienne qualité"


def test_a_title_in_both_forms_is_one_part_of_a_subject() -> None:
    assert position("Bonjour,\n\nÀ jeudi 4 mars à 10h.", subject="Entretien – Serveuse / Serveur en salle") == \
        "Serveuse / Serveur en salle"


def test_a_name_said_short_is_given_with_the_word_the_text_opens_it_with() -> None:
    body = ("Bonjour Alice,\n\nMerci de l'intérêt que vous portez à la Maison Ferrand. Nous vous proposons un "
            "entretien le jeudi 4 mars à 10h.\n\nL'équipe recrutement\n")
    assert company(body, subject="Votre candidature chez Ferrand – Vendeuse",
                   sender="Ferrand Recrutement <no-reply@myworkday.com>") == "Maison Ferrand"


def test_a_person_addressed_by_their_title_is_no_company_and_a_firm_keeps_its_associates() -> None:
    body = ("Madame,\n\nDocteur Paul Morel souhaiterait vous rencontrer le jeudi 4 mars à 10h au cabinet.\n\n"
            "Bien à vous,\n\nJeanne Roy\nAssistante\nMorel & Associés - Vétérinaires\n")
    assert company(body, sender="Jeanne Roy <jeanne.roy@morel-veto.fr>") == "Morel & Associés"


@pytest.mark.parametrize(("body", "sender", "expected"), [
    ("Hi Alice, Jo here, co-founder of Quillmark. Fancy a chat on Thursday 4 March at 10am?\n\nJo",
     "Jo Price <jo@joprice.me>", "Quillmark"),
    ("Bonjour Alice,\n\nNous avons été mandatés par Brasserie Gallia pour recruter son directeur commercial. "
     "Seriez-vous libre jeudi 4 mars à 10h ?\n\nPaul Roy\nChasseur de têtes\nRoy Search\n",
     "Paul Roy <paul@roysearch.fr>", "Brasserie Gallia"),
])
def test_who_the_sender_runs_or_is_retained_by_is_the_company(body: str, sender: str, expected: str) -> None:
    assert company(body, sender=sender) == expected


def test_where_the_sender_saw_the_user_is_no_company_and_a_delimited_signature_names_it() -> None:
    body = ("Hi Alice,\n\nLoved your talk at DevFest Lille. Would Thursday 4 March at 10am work for a call?\n\n"
            "Happy holidays!\n\nMia\n\n--\nMia Kerr | Engineering Manager | Tidepool\n+44 20 7946 0000\n")
    assert company(body, subject="Tidepool <> Alice - intro", sender="Mia Kerr <mia@tidepool.dev>") == "Tidepool"


def test_a_graduate_scheme_s_stream_and_its_recruiting_team_are_no_company() -> None:
    body = ("Dear Alice,\n\nWe are delighted to invite you to our assessment day on Thursday 4 March at 9am.\n\n"
            "Kind regards,\nSam Reid\nGraduate Recruitment Advisor\n")
    assert company(body, subject="Assessment Day – Summer Internship Programme (Risk & Audit)",
                   sender="Fenwick & Dale Graduate Recruitment <fenwickdale@myworkday.com>") == "Fenwick & Dale"


def test_an_agencys_news_from_its_client_names_the_company() -> None:
    body = ("Hi Alice,\n\nA few updates. First, the market is quiet. Second, I've just heard back from Orchid Labs: "
            "their CTO would like a call with you on Thursday 4 March at 10am.\n\nSpeak soon,\nJo\n\nJo Hart\n"
            "Senior Consultant\nBramley Talent\n")
    assert company(body, sender="Jo Hart <jo.hart@bramleytalent.co.uk>") == "Orchid Labs"


def test_an_agency_named_for_hiring_relays_its_client_whose_subject_adds_a_role_said_short() -> None:
    body = ("Hi Alice, just got off the phone with Kelvin. They'd like you back on Thursday 4 March at 10am.\n\n"
            "Sam\n")
    assert company(body, subject="Re: Kelvin PM - feedback", sender="Sam Ode <sam@northhire.io>") == "Kelvin"


def test_a_farewell_wishing_luck_in_a_search_makes_no_agency() -> None:
    body = ("Hi Alice,\nThank you for the final round. We have decided to go ahead with another candidate for "
            "the Data Steward role.\nHappy to share feedback on a call - just reply here.\nGood luck in your "
            "search!\nWarmly,\nPriya Shah\nTalent Acquisition Lead | Halcyon Grid\nDenver, CO\n"
            "Sent via Lever\n")
    found = facts(mail(body, subject="Re: Halcyon Grid - Data Steward", sender="Priya Shah <no-reply@hire.lever.co>",
                       headers="Reply-To: priya.shah@halcyongrid.com\n"))
    assert found.company == "Halcyon Grid"


@pytest.mark.parametrize(("signed", "company"), [
    # a firm named for its trade recruits for the client its subject names
    ("Senior Consultant | Northgate Staffing", "Pellucid Labs"),
    ("Associate Director, Calder Recruitment Ltd", "Pellucid Labs"),
    # an employer's own recruiting function is no agency
    ("Head of Recruitment | Brackenfield", "Brackenfield"),
    ("University & Experienced Hire Recruiting\nBrackenfield", "Brackenfield"),
])
def test_a_signature_naming_a_recruiting_firm_makes_an_agency(signed: str, company: str) -> None:
    body = ("Hi Alice,\n\nThey would like to see you again for a second round. Slots offered:\n"
            "- Tuesday 9 March, 10:00\n- Wednesday 10 March, 15:00\n\nLet me know which suits.\n\n"
            f"Thanks,\nTom Reyes\n{signed}\n")
    domain = "brackenfield.co.uk" if "Brackenfield" in signed else "northcalder.co.uk"
    found = facts(mail(body, subject="Re: Pellucid Labs - Platform Engineer", sender=f"Tom Reyes <tom@{domain}>"))
    assert found.company == company


@pytest.mark.parametrize(("signed", "sender", "company"), [
    # a domain that writes the last words by their initials
    ("Talent Partner\nHalden Asset Management", "ines@haldenam.com", "Halden Asset Management"),
    ("Office Manager\nCorbel Public Relations", "ines@corbel-pr.be", "Corbel Public Relations"),
    # a trade's word that opens the name, which the domain leaves out
    ("Assistante de direction\nÉtude Marchal & Roux", "ines@marchal-roux.fr", "Étude Marchal & Roux"),
    ("Ressources humaines\nClinique Saint-Vidal", "ines@saintvidal.ch", "Clinique Saint-Vidal"),
])
def test_a_signature_the_domain_writes_short_names_the_company(signed: str, sender: str, company: str) -> None:
    body = (f"Bonjour Alice,\n\nJe vous confirme notre rendez-vous du jeudi 4 mars à 10h.\n\nBien à vous,\n\n"
            f"Inès Roy\n{signed}\n")
    assert facts(mail(body, sender=f"Inès Roy <{sender}>")).company == company


@pytest.mark.parametrize("title", ["Conseiller(ère) clientèle", "Directeur(rice) d'agence", "Vendeur(euse) conseil"])
def test_every_inclusive_ending_in_brackets_stays_in_a_subjects_title(title: str) -> None:
    assert position("Bonjour,\n\nPouvez-vous venir le jeudi 4 mars à 10h ?", subject=f"Candidature - {title} H/F") \
        == title


@pytest.mark.parametrize(("line", "title"), [
    ("Concernant votre candidature : Assistant·e de gestion (CDD, Nantes)", "Assistant·e de gestion"),
    ("Regarding your application: Support Engineer", "Support Engineer"),
])
def test_a_systems_line_naming_the_application_gives_the_title(line: str, title: str) -> None:
    body = f"Message de l'équipe Nova\n{line}\n\nBonjour,\n\nUn premier échange le jeudi 4 mars à 10h ?"
    assert position(body, subject="Nouveau message de Nova") == title


def test_a_systems_words_for_the_application_at_a_company_give_the_title() -> None:
    body = ("Hi Alice,\n\nThanks for your application for Head of Customer Success at Brindle! Please choose a "
            "time below:\nThursday, January 14 - 9:30 AM\n")
    assert position(body, subject="Brindle: Please pick a slot for your Intro Call",
                    sender="Brindle <no-reply@ashbyhq.com>") == "Head of Customer Success"
# --- wave 10's causes, with mails written for these tests


def test_a_domain_spelling_the_senders_name_is_personal_and_names_no_company() -> None:
    body = ("Bonjour Alice,\n\nOn pourrait se voir jeudi 4 mars à 9h pour parler du poste ?\n\n"
            "--\nNina Vasseur\nGérante, Librairie des Quais\n07 61 20 33 48")
    assert company(body, subject="Un café ?", sender="Nina Vasseur <nina@ninavasseur.fr>") == "Librairie des Quais"
    assert company("Bonjour Alice,\n\nJeudi 4 mars à 9h ?\n\nNina", subject="Un café ?",
                   sender="Nina Vasseur <contact@nina-vasseur.fr>") is None


@pytest.mark.parametrize(("body", "expected"), [
    # a place's neighbourhood in brackets is where, not who
    ("Bonjour Alice,\n\nRendez-vous jeudi 4 mars à 9h au Bistrot Lamarck (Montmartre) ?\n\nPaul\n"
     "--\nPaul Girard\nDirecteur, Quaivert Studio", "Quaivert Studio"),
    # a person's possessive after "at" is theirs, not an employer
    ("Hi Alice,\n\nWe moved the interview to 4 March at 10am at Priya's request, sorry!\n\nDan",
     "Orsaylab"),
])
def test_a_venues_neighbourhood_and_a_persons_possessive_are_no_company(body: str, expected: str) -> None:
    sender = "Paul Girard <paul@paulgirard.fr>" if "Paul" in body else SENDER
    assert company(body, subject="Interview", sender=sender) == expected


def test_the_two_sides_of_a_meeting_are_no_company_name() -> None:
    body = "Brickyard x Alice – design sprint\nWhen: 4 March 2027 at 10:00\n\nA morning with the team."
    assert company(body, subject="Invitation: Brickyard x Alice – design sprint",
                   sender="Kasia Nowak <kasia@brickyard.games>") == "Brickyard"


def test_good_wishes_for_the_users_search_do_not_make_an_employer_an_agency() -> None:
    body = ("Hi Alice,\n\nThanks for the chat. We've decided to go with another candidate for the role.\n\n"
            "Good luck with your search,\nMaya\n\n--\nMaya Lind\nCEO, Quillbrook")
    assert company(body, subject="Data Analyst @ Quillbrook", sender="Maya Lind <maya@quillbrook.io>") == "Quillbrook"


def test_a_team_that_signs_is_no_person_whose_name_hides_the_company() -> None:
    body = ("Bonjour Alice,\n\nMerci pour l'intérêt que vous portez à Ondavia. Nous ne donnerons pas suite.\n\n"
            "L'équipe RH d'Ondavia")
    assert company(body, subject="Votre candidature", sender="Ondavia <jobs@ondavia.recruitee.com>") == "Ondavia"
    assert company("Hi Alice,\n\nSee you on 4 March at 10am.\n\nThanks,\nCorvel Labs Hiring Team",
                   subject="Interview", sender="Corvel Labs Recruiting <no-reply@ashbyhq.com>") == "Corvel Labs"


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour,\n\nNous recrutons pour le poste de Responsable paie et je voudrais vous appeler le 4 mars à 10h.",
     "Responsable paie"),
    ("Hi Alice,\n\nWe're hiring for the position of Support Lead and I would love to chat on 4 March at 10am.",
     "Support Lead"),
])
def test_a_clause_of_its_own_after_the_title_is_not_part_of_it(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("label", "name"), [("ashgroverecruitment", "Ashgrove Recruitment"),
                                             ("pellmanstaffing", "Pellman Staffing")])
def test_an_agencys_trade_ends_its_domains_name(label: str, name: str) -> None:
    assert split_label(label) == name


def test_a_recruiting_systems_address_names_the_company_it_writes_for() -> None:
    body = ("Bonjour Alice,\n\nMerci pour votre confirmation. Adresse : Brisemer, 12 quai de la Fosse, Nantes.\n\n"
            "À jeudi,\nLéna")
    sender = "Léna Cordier <lena.cordier@brisemer.teamtailor-mail.com>"
    found = facts(mail(body, subject="Re: Entretien – Juriste", sender=sender))
    assert found.company == "Brisemer"
    assert (found.recruiter.name, found.recruiter.email) == ("Léna Cordier", sender[14:-1])


@pytest.mark.parametrize(("subject", "expected"), [
    ("Re: Candidature Chargée de clientèle", "Chargée de clientèle"),
    ("Opportunité Directeur commercial", "Directeur commercial"),
    ("Opportunity: Head of Payments", "Head of Payments"),
    ("Candidature Alice Martin - Technicien SAV", "Technicien SAV"),
])
def test_what_a_subject_says_of_the_mail_before_the_title_is_not_part_of_it(subject: str, expected: str) -> None:
    assert position("Bonjour Alice,\n\nMerci, c'est noté pour le 4 mars à 10h.\n\nInès", subject=subject) == expected


def test_a_schedule_for_a_title_names_the_position() -> None:
    body = "Hi Alice, here is your onsite schedule for Platform Engineer. All times are in CET."
    assert position(body, subject="Your interview schedule") == "Platform Engineer"


def test_a_subject_part_that_opens_with_an_organisations_word_names_the_company() -> None:
    body = "Vous avez été invité à l'événement suivant.\n\nQuand : vendredi 4 mars 2027\n\nUne journée avec l'équipe."
    assert company(body, subject="Invitation: Journée découverte – Maison Orsel (Alice)",
                   sender="Paul Girard <paul@paulgirard.fr>") == "Maison Orsel"


# --- the eleventh round: titles cut short or run on, forms and ads, the way of working


@pytest.mark.parametrize(("body", "expected"), [
    # a work mode in brackets is the post's, as writers keep it; a contract beside it is a code
    ("Hi Alice,\n\nWe'd like to meet you for the QA Analyst (hybrid) role on 4 March at 10am.", "QA Analyst (hybrid)"),
    ("Bonjour,\n\nPoste : Gestionnaire de paie (télétravail, CDI)\nDate : 4 mars 2027 à 10h", "Gestionnaire de paie"),
    # the sentence goes on with a pronoun and its verb, or with where, its accent lost
    ("Bonjour,\n\nVotre candidature au poste de Comptable s'est distinguée ; passez le 4 mars à 10h ?", "Comptable"),
    ("Bonjour,\n\nPour le poste de vendeur conseil a la Librairie Horizon, passez le 4 mars a 10h ?",
     "Vendeur conseil"),
    ("Bonjour,\n\nMerci pour votre candidature au poste de Technicien SAV (100%) et avons le plaisir de vous "
     "recevoir le 4 mars à 10h.", "Technicien SAV (100%)"),
])
def test_a_title_is_cut_where_the_sentence_goes_on(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("Dear Alice,\n\nThank you for your application as Warehouse Planner (w/m/d). Could we talk on 4 March at 10am?",
     "Warehouse Planner"),
    ("Bonjour,\n\nSuite à votre candidature en tant que Cheffe de rayon, je vous propose le 4 mars à 10h.",
     "Cheffe de rayon"),
    ("Bonne nouvelle ! Orsay Lab souhaite échanger avec vous au sujet de l'offre Juriste contrats (CDI, Lyon). "
     "Choisissez un créneau le 4 mars à 10h.", "Juriste contrats"),
    ("Votre rendez-vous : jeudi 4 mars 2027 à 10h\n\nRéponses :\nQuel poste visez-vous ?\nAssistant comptable\n",
     "Assistant comptable"),
])
def test_an_application_an_ad_or_a_form_names_the_title(body: str, expected: str) -> None:
    assert position(body, subject="Rendez-vous") == expected


def test_a_gender_code_alone_in_a_subject_is_no_title() -> None:
    assert position("Hello,\n\nCould you do 4 March at 10am?", subject="Your application (w/m/d)") is None


def test_a_subjects_step_is_no_title() -> None:
    assert position("Bonjour,\n\nOn se voit le 4 mars à 10h ?", subject="Prochaine étape – Acheteur") == "Acheteur"


@pytest.mark.parametrize(("body", "subject", "expected"), [
    # a sentence cuts at the comma what the subject writes whole
    ("Hello,\n\nWe invite you to interview for the position of Risk Manager, Retail Lending on 4 March at 10am.",
     "Interview – Risk Manager, Retail Lending", "Risk Manager, Retail Lending"),
    ("Hello,\n\nWe invite you to interview for the position of Risk Manager, Leeds on 4 March at 10am.",
     "Interview – Risk Manager, Leeds", "Risk Manager"),
    ("Bonjour,\n\nVotre candidature au poste d'Acheteuse senior, achats indirects nous intéresse : le 4 mars à 10h ?",
     "Entrevue – Acheteuse senior, achats indirects", "Acheteuse senior, achats indirects"),
    ("Bonjour,\n\nVotre candidature au poste de Comptable, poste basé à Lyon, nous intéresse : le 4 mars à 10h ?",
     "Entrevue – Comptable, poste basé à Lyon", "Comptable"),
    # a subject cut short that the text says whole, its words joined by "et"
    ("Madame,\n\nPoste : Responsable achats et approvisionnements\nDate : 4 mars 2027 à 10h",
     "Convocation – Responsable achats", "Responsable achats et approvisionnements"),
])
def test_the_fuller_title_of_two_sources(body: str, subject: str, expected: str) -> None:
    assert position(body, subject=subject) == expected


def test_a_title_with_its_work_mode_still_names_a_trade() -> None:
    assert names_a_trade("Data Engineer (Remote)") and names_a_trade("Comptable (80%)")
    assert not names_a_trade("Quick question (Remote)")


@pytest.mark.parametrize(("body", "sender"), [
    ("Hi Alice,\n\nI'm Dan, co-founder of Brindle. The pricing models you built at Corvane caught my eye: could we "
     "talk on 4 March at 10am?\n\nDan", "Dan Reyes <dan.reyes@gmail.com>"),
    ("Bonjour,\n\nVotre expérience en contrôle de gestion chez Corvane Industrie nous intéresse. Je suis consultante "
     "au cabinet Brindle ; seriez-vous libre le 4 mars à 10h ?\n\nLéa", "Léa Roux <lea.roux@brindle.fr>"),
])
def test_where_the_user_worked_is_not_who_hires(body: str, sender: str) -> None:
    assert company(body, subject="Échange", sender=sender) == "Brindle"


def test_a_public_bodys_words_open_its_name() -> None:
    body = ("Madame,\n\nVous êtes convoquée à un entretien le 4 mars 2027 à 10h.\n\nService Recrutement\n"
            "Communauté de communes Vallée-Verte\n")
    assert company(body, subject="Convocation", sender="Recrutement Vallée-Verte <rh@cc-valleeverte.fr>") == \
        "Communauté de communes Vallée-Verte"


def test_a_name_longer_than_any_companys_is_not_read_by_its_initials() -> None:
    # each cut of the name costs the whole name again: a hostile subject of 50,000 words took minutes
    assert not _tail_by_initials(" ".join(["Entretien"] * 20), "entretien" + "e" * 19)
    assert _tail_by_initials("Halden Asset Management", "haldenam")


def test_a_title_written_small_is_known_by_its_trade() -> None:
    body = "Hey Alice,\n\nThanks for applying for our first backend engineer role! Coffee on 4 March at 10am?\n\nSam"
    assert position(body, subject="coffee?") == "First backend engineer"
    assert position("Hi,\n\nAbout the team role, can we talk on 4 March at 10am?") is None


# --- wave15's round on the fields


@pytest.mark.parametrize(("name", "label"), [
    ("Centre hospitalier de Cholet", "ch-cholet"),
    ("Caisse d'épargne Bretagne", "ce-bretagne"),
])
def test_a_domain_may_write_the_names_first_words_by_their_initials(name: str, label: str) -> None:
    body = f"Madame,\n\nJe vous confirme l'entretien du 4 mars à 10h.\n\nMarc Olivier\nDirection des soins\n{name}\n"
    assert company(body, subject="RE: Entretien", sender=f"OLIVIER Marc <m.olivier@{label}.fr>") == name


def test_a_sender_named_for_its_business_is_the_company_not_a_person() -> None:
    body = ("Bonjour Alice,\n\nsuite à notre appel, venez faire un essai samedi 6 mars de 8h à 14h pour le poste de "
            "boulangère.\n\nMarc Petit\nGérant - Boulangerie Petit\n")
    assert company(body, subject="essai samedi", sender="Boulangerie Petit <contact@boulangerie-petit.fr>") == \
        "Boulangerie Petit"


@pytest.mark.parametrize("news", ["changement d'horaire", "nouvel horaire", "time change", "postponed"])
def test_a_change_the_subject_announces_is_no_position(news: str) -> None:
    body = ("Hello Alice,\n\nCould we make it Friday 5 March at 3pm instead?\n\nAnna\n\n"
            "> On 1 March, Anna Kerr wrote:\n> Your interview for the role of\n> Supply Planner is on 4 March at 10am.")
    assert position(body, subject=f"RE: Interview Vellum – {news}", sender="Anna Kerr <anna.kerr@vellum.co.uk>") \
        == "Supply Planner"


def test_a_banks_name_shaped_like_a_persons_under_a_team_is_the_company() -> None:
    body = ("Bonjour Alice,\n\nNous vous proposons un entretien le 4 mars à 10h pour le poste de conseillère.\n\n"
            "Cordialement,\nService RH\nCaisse Régionale Lorraine\n")
    assert company(body, subject="Convocation", sender="Recrutement <recrutement@cr-lorraine.fr>") == \
        "Caisse Régionale Lorraine"


def test_a_small_business_writing_from_a_mail_provider_is_named_by_its_sender_name() -> None:
    body = ("Bonjour Alice,\n\nje vous attends samedi 6 mars à 9h pour un essai au poste de vendeuse.\n\nNadia\n"
            "Fromagerie Besson - 3 place du Marché, Annecy\n")
    assert company(body, subject="essai", sender="Fromagerie Besson <fromagerie.besson@orange.fr>") == \
        "Fromagerie Besson"


@pytest.mark.parametrize("sentence", [
    "Thank you for your interest in the vacancy of Payroll Officer with us.",
    "We are pleased to invite you to interview for the opening for Payroll Officer.",
])
def test_a_vacancy_or_an_opening_of_a_title_names_the_position(sentence: str) -> None:
    assert position(f"Dear Alice,\n\n{sentence} Could you come on 4 March at 10am?\n\nHR Services") == \
        "Payroll Officer"


def test_a_title_wrapped_across_quoted_lines_is_read_whole() -> None:
    body = ("Hi Alice,\n\nTom can't make it: could we do Friday 5 March at 2pm instead?\n\nJane\n\n"
            "> On 1 March, Jane Holt wrote:\n> We'd like to invite you for the\n> Store Manager position on 4 March.")
    assert position(body, subject="RE: Interview", sender="Jane Holt <jane@larkspur.co.uk>") == "Store Manager"


def test_a_client_named_with_a_plural_article_is_the_company() -> None:
    body = ("Bonjour Alice,\n\nJe vous contacte pour un poste de Responsable d'exploitation chez notre client, les "
            "Laboratoires Mercier. Seriez-vous disponible le 4 mars à 10h ?\n\nLaura Petit\nConsultante, Orion RH\n")
    assert company(body, subject="Opportunité", sender="Laura Petit <l.petit@orion-rh.fr>") == "Laboratoires Mercier"


@pytest.mark.parametrize(("name", "sender"), [
    ("Ashcombe College", "Ruth Kerr <r.kerr@ashcombe.ac.uk>"),
    ("Harlow Academy", "Ruth Kerr <ruth.kerr@harlow.org.uk>"),
])
def test_an_institutions_kind_after_its_name_is_said_with_it(name: str, sender: str) -> None:
    body = ("Dear Alice,\n\nI am pleased to invite you to interview on 4 March at 10am.\n\nRuth Kerr\nHR Adviser\n"
            f"{name}\n")
    assert company(body, subject="Interview", sender=sender) == name


def test_a_name_its_domain_writes_by_initials_is_found_written_out_in_the_text() -> None:
    body = ("Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h au Centre hospitalier de Cholet pour le "
            "poste de secrétaire médicale.\n\nMarc Olivier\n")
    assert company(body, subject="Entretien", sender="Marc Olivier <m.olivier@ch-cholet.fr>") == \
        "Centre hospitalier de Cholet"


@pytest.mark.parametrize(("sentence", "client"), [
    ("I'm recruiting a Head of Buying for a fast-growing online grocer, Pantry & Co.", "Pantry & Co"),
    ("Je recrute un Responsable achats pour un acteur majeur de la distribution, Maison Ferrand.", "Maison Ferrand"),
])
def test_an_agencys_client_said_by_what_it_is_then_named_is_the_company(sentence: str, client: str) -> None:
    body = (f"Hello Alice,\n\n{sentence} Could we talk on 4 March at 10am?\n\nGeorgia Price\n"
            "Consultant, Harbour Talent\n")
    assert company(body, subject="Opportunity", sender="Georgia Price <georgia@harbourtalent.co.uk>") == client


def test_on_whose_behalf_an_agency_recruits_is_the_company() -> None:
    body = ("Bonjour Alice,\n\nNous recrutons pour le compte des Transports Garnier un chef d'équipe. Un échange le "
            "4 mars à 10h ?\n\nLaura Petit\nConsultante, Orion RH\n")
    assert company(body, subject="Opportunité", sender="Laura Petit <l.petit@orion-rh.fr>") == "Transports Garnier"


def test_a_legal_form_written_first_is_no_part_of_the_name_and_no_person() -> None:
    body = ("Bonjour Alice,\n\nNous souhaiterions vous rencontrer le 4 mars à 10h pour un poste de secrétaire.\n\n"
            "Bien cordialement,\n\nSylvie Garnier\nGérante\nEURL Garnier Paysages\n")
    found = facts(mail(body, subject="Candidature", sender="EURL Garnier Paysages <contact@garnier-paysages.fr>"))
    assert (found.company, found.recruiter.name) == ("Garnier Paysages", "Sylvie Garnier")


def test_an_english_public_bodys_kind_is_left_out_by_its_domain() -> None:
    body = ("Dear Candidate,\n\nYou are invited to interview for the role of Parks Officer on 4 March 2027 at 10:30."
            "\n\nRecruitment Team\nAshford Borough Council\n")
    assert company(body, subject="Interview", sender="Ashford Borough Council <jobs@ashford.gov.uk>") == \
        "Ashford Borough Council"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Votre profil nous intéresse pour notre offre de Technicienne qualité. Un entretien le 4 mars à 10h ?",
     "Technicienne qualité"),
    ("Nous recherchons actuellement un magasinier cariste et votre profil nous intéresse : le 4 mars à 10h ?",
     "Magasinier cariste"),
    ("Dans le cadre du recrutement d'un(e) gestionnaire de stocks, je vous propose le 4 mars à 10h.",
     "Gestionnaire de stocks"),
    ("Vous êtes convoquée pour l'emploi d'aide-soignante le 4 mars à 10h.", "Aide-soignante"),
    ("We'd love to meet you for an interview as our new Events Coordinator on 4 March at 10am.", "Events Coordinator"),
])
def test_more_ways_of_naming_the_post_sought(sentence: str, expected: str) -> None:
    assert position(f"Bonjour Alice,\n\n{sentence}\n\nInès Lacombe\n") == expected


@pytest.mark.parametrize(("signed", "expected"), [
    ("The Quarry Lane Hiring Team", "Quarry Lane"),
    ("Halden Bank Early Careers Team", "Halden Bank"),
    ("L'équipe recrutement de Maison Ocre", "Maison Ocre"),
])
def test_a_companys_team_signing_for_a_system_names_it(signed: str, expected: str) -> None:
    body = f"Hi Alice,\n\nYour video interview for the Analyst role is booked for 4 March at 10am.\n\nBest,\n{signed}\n"
    assert company(body, subject="Interview booked", sender="no-reply@ashbyhq.com") == expected


def test_an_agencys_own_name_is_no_team_signing_for_a_company() -> None:
    body = ("Hi Alice,\n\nMy client Oakfield Foods would like to meet you on 4 March at 10am.\n\nBest,\nSam Hale\n"
            "Senior Consultant\nBramble Talent\n")
    assert company(body, subject="Interview", sender="Sam Hale <sam@brambletalent.co.uk>") == "Oakfield Foods"


# --- wave17's fields: a team's name is no person, legal forms and initials a domain leaves out


def test_a_teams_name_in_reply_to_is_no_person_but_a_person_beside_their_agency_is() -> None:
    raw = mail("Hi Alice,\n\nYour interview at Orchard has been moved to 4 March at 10am.",
               sender="Orchard Talent <no-reply@greenhouse.io>",
               headers="Reply-To: Orchard Recruiting <recruiting@orchard.io>\nCc: Kevin Lambert | Opale Interim "
                       "<kevin@opale.fr>\n")
    msg = mime.parse(raw)
    people = people_in(msg, None, Person(), find_signature(msg.text))
    assert "orchardrecruiting" not in people  # "Orchard" of "at Orchard" is the company, not this "person"
    assert "kevinlambert" in people


def test_an_article_opening_a_sentence_is_no_company() -> None:
    body = "Hi Alice,\n\nThe interview is on 4 March at 10am.\n\nAn updated invitation is attached."
    assert company(body, "Interview", "Talent Team <no-reply@kestrel.io>") == "Kestrel"


@pytest.mark.parametrize(("signature", "sender", "expected"), [
    ("ASBL Les Amis du Rail", "Lou Peeters <lou@amisdurail.be>", "ASBL Les Amis du Rail"),
    # a French commercial form written first is dropped from the name, as one written after it is
    ("SCOP Terre Vive", "Lou Peeters <lou@terrevive.fr>", "Terre Vive"),
])
def test_a_legal_form_before_the_name_is_left_out_by_its_domain(signature: str, sender: str, expected: str) -> None:
    body = ("Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h.\n\nLou Peeters\nChargée de mission\n"
            + signature)
    assert company(body, sender=sender) == expected


@pytest.mark.parametrize(("name", "label"), [
    ("Centre hospitalier du Val Fleuri", "ch-valfleuri"),
    ("Banque Populaire Rives d'Arve", "bp-rivesdarve"),
    ("Groupe Hospitalier Saint-Ours Nord", "gh-saintoursnord"),
])
def test_a_domain_writing_the_names_first_words_by_their_initials(name: str, label: str) -> None:
    body = f"Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h.\n\nNoé Brun\nSecrétariat RH\n{name}"
    assert company(body, sender=f"Noé Brun <noe.brun@{label}.fr>") == name


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour,\n\nPour le poste d'infirmier au service des urgences, je vous propose le 4 mars à 10h.", "Infirmier"),
    ("Bonjour,\n\nPour le poste de juriste à la direction des affaires juridiques, êtes-vous libre le 4 mars à 10h ?",
     "Juriste"),
    ("Bonjour,\n\nLe poste d'agent d'accueil au pôle de la vie citoyenne vous attend : venez le 4 mars à 10h.",
     "Agent d'accueil"),
])
def test_the_department_a_post_is_in_is_no_part_of_it(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize("subject", ["Re: ton message", "RE: Your email", "Re: votre courriel"])
def test_a_subject_about_the_mail_itself_is_no_position(subject: str) -> None:
    assert position("Ok pour jeudi 4 mars à 10h, à l'atelier.\nBruno", subject=subject) is None


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Quick chat?", "Hi Alice,\n\nI'm one of the three founders of Tallowby (we make tools for bakeries). Would "
     "4 March at 10am suit you for a video call?\n\nMax", "Tallowby"),
    ("Entretien", "Bonjour Alice,\n\nSuite à votre candidature, l'équipe de Maison Ondine souhaite vous "
     "rencontrer le 4 mars à 10h.\n\nL'équipe Jobboard", "Maison Ondine"),
    ("Ferronnerie Vasseur vous propose un entretien", "Bonjour Alice,\n\nChoisissez un créneau : 4 mars à 10h ou "
     "5 mars à 14h.", "Ferronnerie Vasseur"),
])
def test_a_founder_a_team_or_an_offer_names_the_company(subject: str, body: str, expected: str) -> None:
    assert company(body, subject, "Jobboard <no-reply@jobboard-mail.example>") == expected


@pytest.mark.parametrize(("label", "name"), [
    ("studiomarelle", "Studio Marelle"),
    ("boulangerie-roux", "Boulangerie Roux"),
    ("garagelenoir", "Garage Lenoir"),
    ("epiceriebarthes", "Épicerie Barthes"),
])
def test_a_shops_trade_opens_the_name_its_domain_glues(label: str, name: str) -> None:
    assert split_label(label) == name
    assert company("Ok pour jeudi 4 mars à 10h à la boutique.\nJo", "Re: jeudi", f"Jo <jo@{label}.fr>") == name


@pytest.mark.parametrize(("subject", "expected"), [
    ("Cave des Trois Ponts vous invite à un entretien", "Cave des Trois Ponts"),
    ("Bonne nouvelle : Moulin d'Orval souhaite vous rencontrer", "Moulin d'Orval"),
])
def test_a_name_with_its_small_words_said_as_who_invites(subject: str, expected: str) -> None:
    assert company("Bonjour Alice,\n\nRendez-vous le 4 mars à 10h.", subject,
                   "Jobboard <no-reply@jobboard-mail.example>") == expected


@pytest.mark.parametrize("subject", ["RE: Your interview - slots", "Entretien – proposition de créneaux",
                                     "Entretien – changement d'horaire"])
def test_when_the_subject_speaks_of_is_no_position(subject: str) -> None:
    assert position("Hi Alice,\n\nThursday 4 March at 10am works for them.\n\nChloe", subject=subject) is None


@pytest.mark.parametrize(("body", "expected"), [
    ("Dear Alice,\n\nWe invite you to interview for the position of Lecturer in Applied Economics on 4 March at "
     "10am.", "Lecturer in Applied Economics"),
    ("Dear Alice,\n\nYour application for the role of Doctoral Researcher in Marine Biology (ref. 2231) was "
     "shortlisted: interview on 4 March at 10am.", "Doctoral Researcher in Marine Biology"),
    ("Dear Alice,\n\nWe invite you to interview for the position of Data Scientist in London on 4 March at 10am.",
     "Data Scientist"),
    ("Dear Alice,\n\nWe invite you to interview for the position of Research Fellow in our lab on 4 March at 10am.",
     "Research Fellow"),
])
def test_an_academic_title_keeps_its_field_after_in(body: str, expected: str) -> None:
    assert position(body, subject="Interview", sender="Tom Hale <t.hale@kestrel.ac.uk>") == expected


@pytest.mark.parametrize(("sender", "subject"), [
    ("Nadia Rossi via Indeed <noreply@indeed.com>", "Nadia vous a envoyé un message"),
    ("Nadia Rossi via LinkedIn <messages-noreply@linkedin.com>", "Nadia Rossi sent you a message"),
])
def test_the_person_a_board_relays_is_never_the_company(sender: str, subject: str) -> None:
    body = ("Nadia Rossi\nRecruteuse chez Kelvio Énergie\n\n\"Bonjour Alice, un échange jeudi 4 mars à 10h pour le "
            "poste de Chargée d'études ?\"\n")
    assert facts(mail(body, subject=subject, sender=sender)).company == "Kelvio Énergie"


@pytest.mark.parametrize("subject", ["Entretien – Stage Contrôle Qualité (Bruxelles)",
                                     "Interview – Fellowship in Health Economics Research (QX-40512)"])
def test_a_city_or_a_code_in_brackets_after_the_title_is_no_company(subject: str) -> None:
    body = "Bonjour Alice,\n\nNous vous proposons un entretien le jeudi 4 mars à 10h.\n\nLéa Brun\nOrsay Lab\n"
    assert facts(mail(body, subject=subject, sender="Léa Brun <lea.brun@orsaylab.com>")).company == "Orsay Lab"


def test_the_team_a_systems_sender_names_is_not_the_companys_name() -> None:
    body = ("Hi Alice,\n\nThanks for applying to the Data Engineer role at Brindlewood and for your interest. We'd "
            "like to invite you to a first call on 4 March at 10am.\n\nThe Brindlewood Talent Team\n")
    raw = mail(body, subject="Your application", sender="Brindlewood Talent <no-reply@ashbyhq.com>")
    assert facts(raw).company == "Brindlewood"


def test_an_institution_signing_on_a_line_of_its_own_is_named_in_full() -> None:
    body = ("Dear Alice,\n\nWe would like to invite you to an interview on 4 March at 10am for the post of Data "
            "Manager at the Marlow Centre.\n\nKind regards,\n\nRecruitment Team\nMarlow Centre for Climate Research\n")
    raw = mail(body, subject="Interview", sender="Marlow Recruitment <recruitment@marlow.ac.uk>")
    assert facts(raw).company == "Marlow Centre for Climate Research"


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Re: Kelvio – next steps for Junior Risk Analyst", "Thanks Alice, Tuesday 4 March at 10:00 it is.",
     "Junior Risk Analyst"),
    ("Re: Thursday", "Hi Alice,\n\nSee you on Thursday 4 March at 10:00.\n\nOn Mon, 1 Mar 2027 at 08:40, Alice Martin "
     "<alice@example.org> wrote:\n> Hi Tom,\n> Looking forward to the Platform Engineering Manager interview.\n",
     "Platform Engineering Manager"),
])
def test_a_title_said_before_the_interview_or_its_next_steps(subject: str, body: str, expected: str) -> None:
    assert position(body, subject=subject, sender="Tom Reyes <tom.reyes@kelvio.com>") == expected


def test_one_word_of_the_text_that_opens_the_subjects_title_is_the_title_said_short() -> None:
    body = "Salut Alice,\n\nLe poste de responsable est toujours ouvert : un café jeudi 4 mars à 10h ?\n"
    assert position(body, subject="Re: Responsable Contrôle de Gestion") == "Responsable Contrôle de Gestion"


@pytest.mark.parametrize(("body", "expected"), [
    ("Madame,\n\nVotre candidature au poste de technicien(ne) « systèmes d'information géographique » a retenu notre "
     "attention : entretien le jeudi 4 mars à 10h.", "Technicien(ne) « systèmes d'information géographique »"),
    ("Madame,\n\nSuite à votre candidature au poste de gestionnaire « paie et carrières » (catégorie B), nous vous "
     "convions le jeudi 4 mars à 10h.", "Gestionnaire « paie et carrières » (catégorie B)"),
])
def test_the_field_a_public_employer_quotes_after_the_title_belongs_to_it(body: str, expected: str) -> None:
    assert position(body, subject="Convocation", sender="Service RH <rh@ville-saint-aubin.fr>") == expected


@pytest.mark.parametrize("body", [
    "Bonjour Alice,\n\nPaul, de l'agence Orvalis Intérim : un poste de magasinier, entretien jeudi 4 mars à 10h ?",
    "Bonjour Alice,\n\nIci Paul du cabinet Orvalis Intérim. Un client souhaite vous voir jeudi 4 mars à 10h.",
])
def test_the_firm_a_caller_says_they_are_with_names_the_company(body: str) -> None:
    found = facts(mail(body, subject="Entretien", sender="Paul Girard <paul.girard.pro@gmail.com>"))
    assert found.company == "Orvalis Intérim"


@pytest.mark.parametrize(("sender", "expected"), [
    ("Nina Roy <nina@quillon.capital>", "Quillon Capital"),
    ("Nina Roy <nina@quillon.io>", "Quillon"),
])
def test_a_top_level_domain_that_is_a_trade_ends_the_name_the_domain_gives(sender: str, expected: str) -> None:
    assert facts(mail("Hi Alice,\n\nFree for a call on 4 March at 10am?\n\nNina", sender=sender)).company == expected


# --- wave 18's causes, in phrasings of their own


@pytest.mark.parametrize("subject", ["Halvorsen Bau GmbH - Site Engineer Structures - interview",
                                     "Site Engineer Structures - Halvorsen Bau GmbH - interview"])
def test_an_agencys_subject_client_with_its_legal_form_is_the_company_and_the_job_part_is_not(subject: str) -> None:
    body = ("Dear Alice,\n\nYour interview is confirmed for 4 March at 10am on Teams.\n\nBest,\nOla Berg\n"
            "Nordic Talent Partners")
    found = facts(mail(body, subject=subject, sender="Ola Berg <ola.berg@nordic-talent.no>"))
    assert (found.company, found.position) == ("Halvorsen Bau", "Site Engineer Structures")


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour,\n\nVotre candidature au poste de Responsable des achats et de la logistique a retenu notre attention : "
     "pouvez-vous venir le 4 mars à 10h ?", "Responsable des achats et de la logistique"),
    ("Bonjour,\n\nSuite à votre candidature au poste de Chargée de communication et des relations presse, je vous "
     "propose le 4 mars à 10h.", "Chargée de communication et des relations presse"),
    # the sentence goes on: no second complement
    ("Bonjour,\n\nNous serions ravis d'échanger sur le poste de Chef de projet et de vous présenter l'équipe le 4 mars "
     "à 10h.", "Chef de projet"),
])
def test_a_title_joining_a_second_complement_with_et_stays_whole(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("subject", "expected"), [
    ("Opportunité – Risk Analyst, start-up bordelaise (télétravail)", "Risk Analyst"),
    ("Backend Engineer, Series B fintech - intro call", "Backend Engineer"),
])
def test_what_the_employer_is_after_a_titles_comma_is_no_part_of_it(subject: str, expected: str) -> None:
    assert position("Hello Alice,\n\nWould Thursday 4 March at 10am suit you for a call?\n\nMaya", subject=subject) == \
        expected


def test_a_speciality_after_a_titles_comma_stays() -> None:
    body = "Hello Alice,\n\nWould Thursday 4 March at 10am suit you for a call?\n\nMaya"
    assert position(body, subject="Senior Data Scientist, Clinical Trials") == "Senior Data Scientist, Clinical Trials"


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour Alice,\n\nJe m'occupe du recrutement de notre future Cheffe de projet éditorial. Pourriez-vous venir le "
     "4 mars à 10h ?", "Cheffe de projet éditorial"),
    ("Bonjour Alice,\n\nNous cherchons à recruter notre nouveau Contrôleur de gestion : êtes-vous libre le 4 mars à "
     "10h ?", "Contrôleur de gestion"),
])
def test_the_post_a_company_recruits_as_its_future_one_is_the_position(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize("subject", ["RE: Hugo Lemaire / Alice Martin", "Alice Martin x Hugo Lemaire"])
def test_the_other_side_of_a_subject_naming_the_user_is_a_person_no_job(subject: str) -> None:
    body = "Hi Alice,\n\nHugo's week changed, could we move to Thursday 4 March at 10am?\n\nMaya"
    assert position(body, subject=subject, sender="Maya Chen <maya.chen@orsaylab.com>") is None


@pytest.mark.parametrize(("subject", "expected"), [("Re: greetings from Quayside Labs", "Quayside Labs"),
                                                    ("Des nouvelles de Maison Ferrand", "Maison Ferrand")])
def test_a_subject_saying_whom_the_mail_comes_from_names_the_company(subject: str, expected: str) -> None:
    body = "Hi Alice,\n\nSorry, I have to cancel our call on Thursday 4 March at 10am.\n\nSam"
    assert company(body, subject=subject, sender="Sam Berg <sam.berg.dev@gmail.com>") == expected


# --- wave 19's causes, in phrasings of their own


@pytest.mark.parametrize(("body", "expected"), [
    ("Bonjour Alice,\n\nPour le poste Responsable Supply Chain (hybride, Lille), je vous propose un entretien le "
     "jeudi 4 mars à 10h.", "Responsable Supply Chain (hybride, Lille)"),
    ("Bonjour Alice,\n\nMerci pour votre intérêt pour le poste Product Owner. Un échange jeudi 4 mars à 10h ?",
     "Product Owner"),
    ("Dear Alice,\n\nThank you for applying for the position Backend Developer (m/f/d). Could we talk on "
     "4 March at 10am?", "Backend Developer"),
])
def test_a_title_written_right_after_the_word_for_the_post(body: str, expected: str) -> None:
    assert position(body) == expected


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Orsay Lab - next step for Junior Risk Analyst", "Hi Alice,\n\nCould we talk on Thursday 4 March at 10:00?",
     "Junior Risk Analyst"),
    ("Interview", "Hi Alice,\n\nThe final step for Platform Engineer is a call with our CTO on 4 March at 10:00.",
     "Platform Engineer"),
    ("Interview", "Hi Alice,\n\nThe next step for Thursday is a call with our CTO on 4 March at 10:00.", None),
    ("Interview", "Hi Alice,\n\nThe next step for Orsay Lab is a call with you on 4 March at 10:00.", None),
])
def test_the_step_for_a_title_names_it_not_a_day_nor_the_company(subject: str, body: str,
                                                                   expected: str | None) -> None:
    assert position(body, subject=subject) == expected


def test_who_a_company_looks_for_with_an_adverb_before_the_article() -> None:
    body = "Salut Alice,\n\nOn recrute justement un Product Designer : un café visio jeudi 4 mars à 10h ?"
    assert position(body) == "Product Designer"


@pytest.mark.parametrize("subject", ["Re: After your call on Monday", "Avant notre échange de jeudi",
                                     "Updated: Hiring manager interview - Alice Martin", "Jury interview (1/2)",
                                     "Culture fit conversation", "System design interview",
                                     "Re: Orsay Lab - on-site in Geneva"])
def test_a_subject_about_the_meeting_itself_names_no_position(subject: str) -> None:
    body = "Hi Alice,\n\nConfirmed for Thursday 4 March at 10:00, see you then.\n\nMaya"
    assert position(body, subject=subject, sender="Maya Chen <maya.chen@orsaylab.com>") is None


def test_a_conversation_designer_is_still_a_position() -> None:
    body = "Hi Alice,\n\nConfirmed for Thursday 4 March at 10:00, see you then.\n\nMaya"
    assert position(body, subject="Interview - Conversation Designer",
                    sender="Maya Chen <maya.chen@orsaylab.com>") == "Conversation Designer"


def test_a_systems_sender_named_for_the_companys_hiring_is_the_company() -> None:
    body = "Hi Alice,\n\nWe'd like to invite you to a first call on 4 March at 10am.\n\nJonas\nPeople, Brindlewood"
    raw = mail(body, subject="Your application", sender="Brindlewood Hiring <no-reply@ashbyhq.com>")
    assert facts(raw).company == "Brindlewood"


@pytest.mark.parametrize("office", ["(Montréal)", "(Ireland)"])
def test_the_office_a_signature_writes_in_brackets_is_no_part_of_the_name(office: str) -> None:
    body = (f"Bonjour Alice,\n\nNous vous proposons un entretien le jeudi 4 mars à 10h.\n\nCordialement,\nLéa Brun\n"
            f"Recrutement, Groupe Halvard {office}\n")
    raw = mail(body, subject="Entretien", sender="Groupe Halvard - Carrières <careers@halvard.icims.com>")
    assert facts(raw).company == "Groupe Halvard"


@pytest.mark.parametrize("where", ["at Keizersgracht 62", "at Avenida Diagonal 640, 3rd floor", "chez Lindenallee 14b"])
def test_a_street_written_before_its_number_is_no_company(where: str) -> None:
    body = f"Hi Alice,\n\nSo all set for Thursday 4 March, 10:00 {where}. Bring an ID for the reception.\n\nTom"
    found = company(body, subject="Re: Halvard - on-site visit", sender="Tom Berg <tom@bergsearch.ch>")
    assert found == "Halvard"


def test_a_company_before_a_time_is_still_the_company() -> None:
    body = "Hi Alice,\n\nYou will meet the team at Halvard 10:30 sharp on Thursday 4 March.\n\nTom"
    assert company(body, subject="Interview", sender="Tom Berg <tom.berg.pro@gmail.com>") == "Halvard"


@pytest.mark.parametrize(("sender", "subject", "body"), [
    ("Discord <notifications@discord.com>", "Jonas Weber sent you a message in Halvard People",
     "Jonas Weber sent you a message in Halvard People\n\nHi Alice! For the Backend Developer role, are you free for "
     "a video call on Thursday 4 March at 10:00 CET?"),
    ("Slack <feedback@slack.com>", "[Slack] Jonas Weber mentioned you in Halvard",
     "Jonas Weber mentioned you in Halvard\n\nHi Alice, for the Backend Developer role: a call on 4 March at 10:00?"),
])
def test_a_chat_platforms_workspace_names_the_company_and_the_writer_is_a_person(sender: str, subject: str,
                                                                                  body: str) -> None:
    found = facts(mail(body, subject=subject, sender=sender))
    assert (found.company, found.position) == ("Halvard", "Backend Developer")
# --- company: the employer a form names in a field of its own (wave 20's temp agencies and job service)


@pytest.mark.parametrize(("sender", "body", "expected"), [
    # a temp agency's branch convenes for its client, named in the mission's sheet, its site after a dash
    ("Randstad Massy <massy.btp@randstad.fr>", "Bonjour,\n\nMission proposée :\nPoste : Manœuvre BTP\n"
     "Entreprise utilisatrice : Bâtiments Roussel - chantier de Palaiseau\n\nEntretien le 4 mars à 9h à l'agence.",
     "Bâtiments Roussel"),
    # a public job service's table, the label in one cell and the employer in the next
    ("Pôle Emploi <no-reply@pole-emploi.fr>", "Bonjour,\n\nOffre\nCuisinier H/F\nEmployeur\nRestaurant Le Vieux "
     "Port\nDate\n4 mars 2027 à 10h", "Restaurant Le Vieux Port"),
    ("Staffline Leeds <leeds@staffline.co.uk>", "Hi Alice,\n\nJob: Warehouse Operative\nCompany: Northgate Foods, "
     "Wakefield site\nInterview: 4 March at 9am at our branch.", "Northgate Foods"),
])
def test_a_field_that_names_the_employer_is_the_company(sender: str, body: str, expected: str) -> None:
    assert company(body, "Entretien", sender) == expected


# --- company: what a mailbox's name says of its employer (wave 20's hotels, town halls, hospitals, nurseries)


@pytest.mark.parametrize(("sender", "body", "expected"), [
    # the team after the employer's name, and a hotel's stars in its signature
    ("Grand Hôtel Beaurivage RH <rh@beaurivage-annecy.fr>", "Bonjour Alice,\n\nNous vous proposons un entretien le "
     "4 mars à 10h.\n\nCordialement,\nLéa Morel\nGrand Hôtel Beaurivage *****", "Grand Hôtel Beaurivage"),
    # the department's initials before the town hall's name
    ("DRH Mairie de Vanves <rh@vanves.fr>", "Madame,\n\nVous êtes convoquée à un entretien le 4 mars à 10h.\n\n"
     "Le Directeur général des services", "Mairie de Vanves"),
    # a shared mailbox's name that spells its domain, beside a signature whose line goes on in small words
    ("Atelier Les Copeaux <bureau@atelier-lescopeaux.fr>", "Bonjour Alice,\n\nJe vous propose un essai le 4 mars "
     "à 9h.\n\nMarc Petit\nGérant - Atelier coopératif Les Copeaux", "Atelier Les Copeaux"),
])
def test_a_mailbox_name_gives_its_employer_without_its_team(sender: str, body: str, expected: str) -> None:
    assert company(body, "Entretien", sender) == expected


def test_the_system_that_sends_for_an_employer_is_not_it_and_its_initials_are_written_out() -> None:
    # a recruiting system's own name, which its footer says, is not the employer its mailbox's name gives
    body = ("Dear Alice,\n\nWe are pleased to invite you to an interview on 4 March 2027 at 10:00.\n\n"
            "Yours sincerely,\nMedical Staffing\nNorthfield General Hospital Foundation Trust\n\n"
            "This is an automated message from Jobtrain. Please do not reply.")
    assert company(body, "Invitation to interview", "Northfield General Hospital FT <noreply@jobtrain.co.uk>") == \
        "Northfield General Hospital Foundation Trust"


def test_a_branch_town_the_text_writes_as_a_place_is_not_the_agency_name() -> None:
    body = ("Bonjour Alice,\n\nJe vous appellerai le 4 mars à 11h pour un poste de cariste à Bobigny.\n\n"
            "Cordialement,\nLuc Bernard\nChargé de recrutement - Interaction Bobigny\n01 48 30 20 10")
    assert company(body, "Entretien téléphonique - Interaction", "Luc Bernard <l.bernard@interaction.fr>") == \
        "Interaction"


# --- position: what a title's brackets and a post spoken of as any say (wave 20's public sector and agencies)


@pytest.mark.parametrize(("body", "expected"), [
    # the contract's status and what the job asks of the candidate are no part of the title
    ("Bonjour,\n\nPoste : Cariste (permis CACES 3 exigé)\nDate : 4 mars 2027 à 10h", "Cariste"),
    ("Madame,\n\nSuite à votre candidature au poste d'adjoint technique (catégorie C, titulaire ou contractuel), "
     "nous vous convions le jeudi 4 mars à 10h.", "Adjoint technique"),
    ("Hi Alice,\n\nThanks for applying for the position of Kitchen Porter (food hygiene certificate preferred). "
     "Could you come in on 4 March at 10am?", "Kitchen Porter"),
    # a post spoken of as any other is not the one applied for
    ("Madame,\n\nNous avons retenu une autre candidature. Nous vous recontacterons si un poste de serveuse se "
     "libérait.", None),
])
def test_a_titles_codes_and_a_post_spoken_of_as_any(body: str, expected: str | None) -> None:
    assert position(body, "Votre candidature") == expected


def test_a_shop_signed_under_a_first_name_is_the_company() -> None:
    body = "Bonjour Alice,\n\nPassez demain à 15h pour un essai au comptoir ?\n\nSam\nGarage Lemoine\n"
    assert company(body, "Re: candidature", "Samuel Lemoine <sam.lemoine33@gmail.com>") == "Garage Lemoine"


def test_a_domain_that_glues_a_names_first_word_to_its_last_supports_it() -> None:
    body = ("Bonjour Alice,\n\nJe vous confirme notre entrevue le 4 mars à 10 h.\n\nLouis Tremblay\n"
            "Conseiller, Ressources humaines\nMutuelle générale de Sherbrooke\n819 555-0199")
    assert company(body, "Entrevue", "Louis Tremblay <louis.tremblay@mutuellesherbrooke.ca>") == \
        "Mutuelle générale de Sherbrooke"


def test_the_site_the_text_names_gives_way_to_the_employer_its_domain_spells() -> None:
    body = ("Hi Alice,\n\nThanks for applying for the Kitchen Assistant role at Fernlea Lodge in Harrogate. Could you "
            "come in on 4 March at 10am?\n\nBest,\nAmy Cole\nHR Officer\nFernlea Homes Ltd")
    assert company(body, "Interview - Kitchen Assistant - Fernlea Lodge", "Amy Cole <jobs@fernleahomes.co.uk>") == \
        "Fernlea Homes"


def test_the_kind_of_contract_alone_is_no_title() -> None:
    assert position("Bonjour,\n\nMerci pour votre candidature, je vous propose un entretien le 4 mars à 10h.",
                    "Candidature apprentissage - Préparatrice en pharmacie") == "Préparatrice en pharmacie"
    assert position("Hi Alice,\n\nCould you come in on 4 March at 10am?",
                    "Internship application - Junior Chef") == "Junior Chef"


@pytest.mark.parametrize("recap", ["Nom : Alice Martin\nSociété : Banque Verlaine",
                                   "Client\nAlice Martin will own the Verlaine account"])
def test_a_persons_recap_is_not_a_form_naming_the_employer(recap: str) -> None:
    # a recruiter's recap of the candidate's profile names her own employer; a sentence under a heading is no name
    body = ("Bonjour Alice,\n\nJe vous confirme notre entretien du jeudi 14 janvier à 10h.\n\nPour rappel :\n"
            f"{recap}\n\nInès Lacombe\nOrsay Lab")
    assert company(body) == "Orsay Lab"


@pytest.mark.parametrize("title", ["Conversational AI Engineer", "Conversational Designer"])
def test_a_title_made_with_conversational_is_a_title(title: str) -> None:
    assert position("Bonjour Alice,\n\nÀ jeudi 14 janvier à 10h.\n\nClaire", subject=f"Entretien - {title}") == title
@pytest.mark.parametrize(("sender", "subject", "body", "expected"), [
    # a platform's notification: the client its user works for, not the platform
    ("Toptal <notifications@toptal.com>", "New interview request",
     "Hi Alice,\n\nMarco Ruiz at Quillmark Analytics has invited you to a call for the job Interim Controller on "
     "Monday 8 March at 3pm.", "Quillmark Analytics"),
    # a platform's manager signs with the platform's name; the client chose her profile, what it is in brackets
    ("Paul de LeHibou <paul.g@lehibou.com>", "Mission contrôleur de gestion",
     "Bonjour Alice,\n\nBonne nouvelle : Brindelle Cosmétiques (PME, 80 salariés) a retenu votre profil. Le DAF "
     "vous propose un échange le lundi 8 mars à 15h.\n\nPaul Girard\nBusiness Manager – LeHibou",
     "Brindelle Cosmétiques"),
    # "ta candidature sur la mission … chez X" is the mission offered, not the user's past
    ("Lou – Kicklox <lou@kicklox.com>", "Re: mission",
     "Salut Alice,\n\nMerci pour ta candidature sur la mission « PMO finance » chez Orvane Santé (Lyon). Le client "
     "veut te voir le 8 mars à 15h.\n\nLou Marchand\nKicklox", "Orvane Santé"),
])
def test_a_freelance_platform_is_never_the_employer_its_client_is(sender: str, subject: str, body: str,
                                                                  expected: str) -> None:
    assert company(body, subject, sender) == expected


def test_the_users_own_missions_stay_hers() -> None:
    body = ("Bonjour Alice,\n\nVotre expérience de contrôleuse chez Orsay Finance m'a plu. Je vous propose un "
            "entretien le 8 mars à 15h.\n\nJulie Roy\nRecrutement\nBrindelle")
    assert company(body, "Entretien", "Julie Roy <julie.roy@brindelle.fr>") == "Brindelle"


@pytest.mark.parametrize(("body", "expected"), [
    # the title its writer put in quotes after the word for the job is kept whole, its gender code aside
    ("Bonjour Alice,\n\nLe client souhaite vous voir le 8 mars à 15h pour la mission « Contrôleur de gestion – "
     "4 mois, clôture annuelle (H/F) ».", "Contrôleur de gestion – 4 mois, clôture annuelle"),
    ("Hi Alice,\n\nThe client would like a call on 8 March at 3pm about the project \"Interim FP&A Lead (3 days a "
     "week) – budget rebuild\".", "Interim FP&A Lead (3 days a week) – budget rebuild"),
])
def test_a_job_in_quotes_after_its_word_is_whole(body: str, expected: str) -> None:
    assert position(body, "Proposition") == expected


def test_a_freelancers_job_named_by_its_roles_initials_drops_the_word_mission() -> None:
    assert position("Bonjour Alice,\n\nLe client vous propose un échange le 8 mars à 15h.",
                    "Mission DAF de transition – échange avec le client") == "DAF de transition"


def test_a_directors_function_is_no_company_the_group_after_it_is() -> None:
    body = ("Madame,\n\nDans le cadre du recrutement au poste de Directrice de la Trésorerie du Groupe Vannier, je "
            "vous propose un entretien le 8 mars à 15h.\n\nPaul Roy\nOrsay Lab")
    assert company(body, "Entretien") != "Trésorerie"
    assert position(body, "Entretien") == "Directrice de la Trésorerie"
    body = "Madame,\n\nDans le cadre du recrutement du Directeur Juridique, je vous propose un entretien le 8 mars."
    assert position(body, "Entretien") == "Directeur Juridique"


@pytest.mark.parametrize("subject", [
    "Alice Martin / Dame Helen Crowe – Group CFO",
    "Entretien Alice Martin x Paul Girard (DG) – Group CFO",
])
def test_the_person_a_subject_sets_beside_the_user_is_no_position(subject: str) -> None:
    assert position("Dear Alice,\n\nSee you on 4 March at 10am.", subject) == "Group CFO"


def test_a_meeting_with_the_chair_names_no_company() -> None:
    assert company("Dear Alice,\n\nSee you on 4 March at 10am.", "Meeting with the Chair",
                   "Amy Cole <amy.cole@fernleahomes.co.uk>") != "Chair"


def test_a_role_beside_the_user_in_a_subject_is_the_position() -> None:
    assert position("Dear Alice,\n\nSee you on 4 March at 10am.", "Interview - Alice Martin / Payroll Officer") == \
        "Payroll Officer"


def test_whom_an_assistant_works_for_is_a_person_not_a_company_nor_a_position() -> None:
    body = ("Dear Alice,\n\nMarcus has to move Friday's interview to 4 March at 10am.\n\nKind regards,\nNina Shaw\n"
            "Executive Assistant to Marcus Wren, Managing Partner\nBellroy Capital")
    found = facts(mail(body, subject="Updated: Alice Martin - interview with Marcus Wren",
                       sender="Nina Shaw <nina.shaw@bellroycapital.com>"))
    assert (found.company, found.position) == ("Bellroy Capital", None)


def test_a_portage_company_carries_the_mission_of_its_client() -> None:
    body = ("Bonjour Madame Martin,\n\nC'est noté pour vendredi 15h, je l'ai confirmé au client.\n\nPaul Roy\n"
            "Chargé d'affaires – Vireo Portage Salarial\n06 11 22 33 44")
    assert company(body, "RE: Mission Caisse Orvane – rendez-vous client", "Paul Roy <p.roy@vireo-portage.fr>") == \
        "Caisse Orvane"
