# SPDX-License-Identifier: MIT
"""Extraction on messages written for these tests (not the corpus): each decision of daemon.extract alone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from daemon.model import Facts, Person
from daemon.text import unwrap
from daemon.understand import mime
from daemon.understand.extract import extract
from daemon.understand.people import (
    domain_label,
    fallback_region,
    find_phone,
    find_signature,
    matches_domain,
    phone_region,
    sender_zone,
    system_tenant,
)

PARIS = ZoneInfo("Europe/Paris")


def mail(body: str, *, subject: str = "Entretien", sender: str = "Claire Dubois <claire.dubois@acme-conseil.fr>",
         date: str = "Mon, 11 Jan 2027 10:00:00 +0100", headers: str = "") -> bytes:
    return (f"From: {sender}\nTo: Alice Martin <alice@example.org>\nSubject: {subject}\nDate: {date}\n"
            f"Message-ID: <t@x>\n{headers}Content-Type: text/plain; charset=utf-8\n\n{body}\n").encode()


def facts(raw: bytes) -> Facts:
    return extract(mime.parse(raw), [], tz="Europe/Paris", default_language="fr", user_emails={"alice@example.org"})


@pytest.mark.parametrize(("address", "label"), [
    ("tom@harbourtalent.co.uk", "harbourtalent"),
    ("x@mail.banque-solvea.fr", "banque-solvea"),
    ("no-reply@us.greenhouse-mail.io", "greenhouse-mail"),
    ("a@b", None),
    (None, None),
])
def test_domain_label(address: str | None, label: str | None) -> None:
    assert domain_label(address) == label


@pytest.mark.parametrize(("name", "label", "same"), [
    ("Banque Solvéa", "banque-solvea", True),
    ("Ashdown Media", "ashdownmedia", True),
    ("Assurances Mirabel", "mirabel-assurances", True),
    ("Ridgeway Capital", "ridgewaycap", True),
    ("Ridgeway", "ridgewaycap", False),
    ("Acme", "globex", False),
    ("AB", "ab", False),
    ("Panda.ai", "pandai", True),   # two words glued where they share a letter
    ("Pandora", "pandra", False),
    ("Hale & Finch", "haleandfinch", True),  # the ampersand spelled
    ("Roux & Fils", "roux-et-fils", True),
    ("Hale & Finch", "halefinch", True),
    ("Hale & Finch", "hale", False),
])
def test_a_name_spelled_like_its_domain(name: str, label: str, same: bool) -> None:
    assert matches_domain(name, label) is same


def test_unwrap_keeps_offsets_and_joins_wrapped_sentences() -> None:
    text = "au poste de\nResponsable paie chez\nnous.\n\n- mardi 3\n- jeudi 5"
    joined = unwrap(text)
    assert len(joined) == len(text)
    assert joined.startswith("au poste de Responsable paie chez nous.\n\n- mardi 3\n- jeudi 5")


def test_signature_under_the_closing_words_stops_at_the_footer() -> None:
    text = ("Bonjour,\n\nÀ mardi.\n\nBien cordialement,\n\nLéa Chevalier\nChargée de recrutement – Arvel\n"
            "--\nEnvoyé via X")
    signature = find_signature(text)
    assert [line for _, line in signature.lines] == ["Léa Chevalier", "Chargée de recrutement – Arvel"]
    assert signature.lines[0][0] == 7


def test_a_dial_in_number_is_no_recruiters_phone() -> None:
    text = "Join by phone\n(GB) +44 20 7946 0777 PIN: 318 204#\n\nClaire\n+33 1 99 00 12 34"
    assert find_phone(text, "FR") == ("+33 1 99 00 12 34", 5)


def test_a_north_american_number_without_its_code_under_a_north_american_date() -> None:
    body = "Hi Alice,\n\nWould Thursday at 11am ET work for a first call?\n\nDana Price\nTalent | Orbweave\n" \
           "Cell: (415) 555-0132\n"
    sender = "Dana Price <dana@orbweave.com>"
    assert facts(mail(body, sender=sender, date="Mon, 11 Jan 2027 09:00:00 -0800")).recruiter.phone == \
        "+1 415-555-0132"
    # the same digits under a Paris date are no French number
    assert facts(mail(body, sender=sender)).recruiter.phone is None
@pytest.mark.parametrize(("text", "line"), [
    ("Audio conference\n+33 1 42 86 55 10\nCode: 4417\n\nClaire\n+33 1 99 00 12 34", 6),
    ("Rejoindre la réunion\n+33 1 42 86 55 10,,58102233# Paris\n\nClaire\n+33 1 99 00 12 34", 5),
])
def test_a_number_under_a_dial_in_heading_or_dialled_with_its_code_is_no_recruiters(text: str, line: int) -> None:
    assert find_phone(text, "FR") == ("+33 1 99 00 12 34", line)


@pytest.mark.parametrize("address", ["nina@nina-vasseur.me", "max@brickyard.io", "sam@lumen.ai"])
def test_a_domain_sold_as_a_word_says_no_country_of_the_number(address: str) -> None:
    assert find_phone("Nina\n07 61 20 33 48", phone_region(address)) == ("+33 7 61 20 33 48", 2)


def test_the_sender_zone_needs_the_offset_and_a_hint_to_agree() -> None:
    def msg(date: str) -> mime.ParsedMessage:
        return mime.parse(mail("x", date=date))

    london = Person(email="tom@agency.co.uk")
    assert sender_zone(msg("Mon, 11 Jan 2027 10:00:00 +0000"), london, "Europe/Paris") == "Europe/London"
    assert sender_zone(msg("Mon, 11 Jan 2027 10:00:00 +0100"), london, "Europe/Paris") == "Europe/Paris"
    nowhere = Person(email="tom@agency.com")
    assert sender_zone(msg("Mon, 11 Jan 2027 10:00:00 +0000"), nowhere, "Europe/Paris") == "Europe/Paris"
    by_phone = Person(email="meg@bank.com", phone="+1 212-555-0198")
    assert sender_zone(msg("Mon, 11 Jan 2027 10:00:00 -0500"), by_phone, "Europe/Paris") == "America/New_York"


def test_a_city_the_mail_names_is_a_hint_of_the_senders_zone_when_the_offset_agrees() -> None:
    signed = "See you then!\n\nMeg Ortiz\nTalent Partner\nToronto, ON\n"
    nowhere = Person(email="meg@studio.com")
    assert sender_zone(mime.parse(mail(signed, date="Mon, 11 Jan 2027 10:00:00 -0500")), nowhere, "Europe/Paris") \
        == "America/Toronto"
    # the offset says otherwise (a Londoner naming the user's city): no hint taken
    assert sender_zone(mime.parse(mail("Lovely to hear you're in Toronto.", date="Mon, 11 Jan 2027 10:00:00 +0000")),
                       nowhere, "Europe/Paris") == "Europe/Paris"


def test_a_uk_agency_without_a_zone_means_london_time() -> None:
    found = facts(mail("Hi Alice,\n\nCorvid Foods would like to meet you on Tuesday 19 January at 10:00.\n\n"
                       "Best,\nPaul Reed\nConsultant | Reed & Lane\n",
                       subject="Interview - Corvid Foods", sender="Paul Reed <paul.reed@reedlane.co.uk>",
                       date="Mon, 11 Jan 2027 10:00:00 +0000"))
    assert found.start == datetime(2027, 1, 19, 11, 0, tzinfo=PARIS)
    assert found.company == "Corvid Foods", "the client named in the subject, not the agency"


def test_the_old_time_of_a_moved_interview_gives_way() -> None:
    found = facts(mail("Bonjour,\n\nNouvelle date : jeudi 14 janvier à 15h.\n"
                       "Ancien créneau (annulé) : mercredi 13 janvier à 10h.\n"))
    assert found.start == datetime(2027, 1, 14, 15, 0, tzinfo=PARIS)
    assert found.candidates == ()


def test_two_slots_are_candidates_never_a_start() -> None:
    found = facts(mail("Bonjour,\n\nJe vous propose le mardi 19 janvier à 10h ou le jeudi 21 janvier à 16h.\n"))
    assert found.start is None
    assert found.candidates == (datetime(2027, 1, 19, 10, tzinfo=PARIS), datetime(2027, 1, 21, 16, tzinfo=PARIS))
    assert found.sources["candidates"] == "body lines 3, 3"


def test_recruiting_system_hands_over_to_the_signature() -> None:
    found = facts(mail("Bonjour,\n\nNous vous invitons à un entretien pour le poste de\nGestionnaire de paie "
                       "(réf. 12).\n\nCordialement,\n\nPaul Girard\nRecrutement – Transalp\n"
                       "paul.girard@transalp.fr | 04 99 00 11 22\n\nCe message a été envoyé par Workday.",
                       sender="Transalp <transalp@myworkday.com>"))
    assert found.recruiter == Person("Paul Girard", "paul.girard@transalp.fr", "+33 4 99 00 11 22")
    assert found.sources["recruiter.email"].startswith("signature line")
    assert (found.position, found.company) == ("Gestionnaire de paie", "Transalp")


def test_position_from_the_subject_when_the_body_runs_on() -> None:
    found = facts(mail("Bonjour,\n\nVotre candidature au poste de Chef de projet basé à Lyon a retenu notre "
                       "attention.\n", subject="Entretien - Chef de projet"))
    assert found.position == "Chef de projet"
    assert found.sources["position"] == "subject"


def test_accents_come_from_the_text_not_the_domain() -> None:
    found = facts(mail("Bonjour,\n\nMerci de votre intérêt pour Hôtellerie Méridien.\n",
                       sender="Lou <lou.vidal@hotellerie-meridien.fr>"))
    assert found.company == "Hôtellerie Méridien"


def test_a_person_is_never_the_company() -> None:
    found = facts(mail("Hi Alice,\n\nYou'll meet Sam Price (Head of Data) at Brightwave.\n\nBest,\nJo Lee\n",
                       sender="Jo Lee <jo.lee@brightwave.io>"))
    assert found.company == "Brightwave"


def test_a_name_in_directory_order_is_said_given_name_first() -> None:
    body = "Bonjour,\n\nRendez-vous le 4 mars à 10h."
    assert facts(mail(body, sender="DUMONT Virginie <virginie.dumont@cigale.fr>")).recruiter.name == "Virginie Dumont"
    assert facts(mail(body, sender="SNCF Recrutement <recrutement@sncf.fr>")).recruiter.name != "Recrutement Sncf"


def test_a_name_in_directory_order_is_said_given_name_first_when_the_address_gives_an_initial() -> None:
    body = "Bonjour,\n\nRendez-vous le 4 mars à 10h."
    assert facts(mail(body, sender="Perrin Manon <m.perrin@cigale.fr>")).recruiter.name == "Manon Perrin"
    assert facts(mail(body, sender="Manon Perrin <mperrin@cigale.fr>")).recruiter.name == "Manon Perrin"


def test_a_mailbox_named_as_its_firms_branch_is_signed_by_the_person_behind_it() -> None:
    # a temp agency's branch: the domain's name, then its town; the consultant signs
    body = "Bonjour Alice,\n\nJe vous attends le 4 mars à 9h à l'agence.\n\nCordialement,\nKarima Benali\nCrit Évry"
    assert facts(mail(body, sender="Crit Evry <evry.btp@crit-job.fr>")).recruiter.name == "Karima Benali"
    body = "Hi Alice,\n\nSee you on 4 March at 9am at the branch.\n\nThanks,\nTom Reyes\nHays Leeds"
    assert facts(mail(body, sender="Hays Leeds <leeds.office@hays.co.uk>")).recruiter.name == "Tom Reyes"
    # who signs gives their own address at the branch's domain: drafts go to them
    body = ("Hi Alice,\n\nSee you on 4 March at 9am.\n\nThanks,\nTom Reyes\nHays Leeds\n0113 200 1234 | "
            "tom.reyes@hays.co.uk")
    assert facts(mail(body, sender="Hays Leeds <leeds.office@hays.co.uk>")).recruiter.email == "tom.reyes@hays.co.uk"
    # a person whose surname the domain is, written first, whose address spells it, stays who writes
    assert facts(mail("Bonjour,\n\nRendez-vous le 4 mars à 10h.",
                      sender="Ferrand Julie <julie.ferrand@ferrand.fr>")).recruiter.name == "Julie Ferrand"


def test_a_relaying_services_form_gives_the_employers_address_in_a_field() -> None:
    body = ("Bonjour,\n\nUn recruteur souhaite vous rencontrer.\nEntreprise : Boulangerie Caron\nDate : 4 mars 2027 "
            "à 10h\nContact : emploi@boulangerie-caron.fr\n\nMerci de ne pas répondre à ce message.")
    assert facts(mail(body, sender="APEC <ne-pas-repondre@apec.fr>")).recruiter.email == "emploi@boulangerie-caron.fr"
    body = "Hello,\n\nAn employer would like to meet you on 4 March at 10am.\n\nContact\nhr@harbourlodge.co.uk\n"
    assert facts(mail(body, sender="Jobs Portal <noreply@jobsportal.example>")).recruiter.email == \
        "hr@harbourlodge.co.uk"


def test_a_relayed_convocation_names_whom_to_ask_for_not_the_service_that_relays_it() -> None:
    body = ("Bonjour,\n\nUn employeur souhaite vous rencontrer le 4 mars 2027 à 10h.\nLieu : Hôtel du Port, se "
            "présenter à la réception et demander M. Lebrun\nContact : rh@hoteldupont-sete.fr\n")
    found = facts(mail(body, sender="Cap Emploi <ne-pas-repondre@capemploi.fr>")).recruiter
    assert (found.name, found.email) == ("M. Lebrun", "rh@hoteldupont-sete.fr")
    # a no-reply named as its own domain is the service, nobody to write to by name
    body = "Hello,\n\nAn employer would like to meet you on 4 March at 10am.\n"
    assert facts(mail(body, sender="Job Centre <no-reply@jobcentre.example>")).recruiter.name is None


def test_a_reply_restating_the_time_with_a_weekday_means_the_day_its_subject_names() -> None:
    # sent Monday 30 November: "mercredi" alone would be 2 December; the thread's day is 9 December
    raw = mail("Bien noté, à mercredi 14h alors !", subject="Re: Rendez-vous du mercredi 9 décembre",
               date="Mon, 30 Nov 2026 10:00:00 +0100")
    assert facts(raw).start == datetime(2026, 12, 9, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    raw = mail("Alors à mercredi 2 décembre 14h.", subject="Re: Rendez-vous du mercredi 9 décembre",
               date="Mon, 30 Nov 2026 10:00:00 +0100")
    assert facts(raw).start == datetime(2026, 12, 2, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_reply_restating_the_time_with_a_weekday_means_the_day_the_quoted_mail_gives_at_that_time() -> None:
    # sent Monday 30 November: "mardi" alone would be 1 December; the user proposed Tuesday 8th at 9:30
    body = ("Parfait, à mardi 9h30 dans nos bureaux.\n\nLe lun. 30 nov. 2026 à 08:10, Alice Martin "
            "<alice@example.org> a écrit :\n> Je serais disponible le mardi 8 décembre à 9h30, si cela vous va.\n")
    raw = mail(body, subject="Re: Poste d'acheteuse", date="Mon, 30 Nov 2026 10:00:00 +0100")
    assert facts(raw).start == datetime(2026, 12, 8, 9, 30, tzinfo=PARIS)
    # another hour quoted: the nearest Tuesday stands
    assert facts(raw.replace("à 9h30, si".encode(), "à 11h, si".encode())).start == datetime(
        2026, 12, 1, 9, 30, tzinfo=PARIS)


def test_a_reply_agreeing_to_the_time_it_answers_means_that_time() -> None:
    quoted = ("Le lun. 30 nov. 2026 à 08:10, Alice Martin <alice@example.org> a écrit :\n"
              "> Je peux venir le jeudi 10 décembre à 14h.\n>\n"
              "> Le ven. 27 nov. 2026 à 17:00, Claire Dubois <claire.dubois@acme-conseil.fr> a écrit :\n"
              ">> Seriez-vous libre le mardi 8 ou le mercredi 9 décembre à 11h ?\n")
    raw = mail(f"Parfait, ça me va, à bientôt !\n\nClaire\n\n{quoted}", subject="Re: Entretien",
               date="Mon, 30 Nov 2026 10:00:00 +0100")
    assert facts(raw).start == datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    # agreeing to nothing named: no start
    assert facts(raw.replace("Parfait, ça me va".encode(), b"Je reviens vers vous")).start is None


def test_the_day_a_subject_names_holds_a_month_and_more_ahead() -> None:
    # sent 3 December, the interview after the holidays: "jeudi" alone would be 10 December
    raw = mail("Petit changement : on commencera plutôt à 15h jeudi.", subject="TR: Entretien jeudi 14/01",
               date="Thu, 3 Dec 2026 09:00:00 +0100")
    assert facts(raw).start == datetime(2027, 1, 14, 15, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_reply_to_without_a_name_is_named_by_the_text_that_spells_its_address() -> None:
    raw = mail("Bonjour,\n\nDate : 4 mars à 9h\nInterlocuteurs : Nathalie Roussel (Talent Acquisition), François Meyer",
               sender="Saint-Clair <saintclair@myworkday.com>", headers="Reply-To: nathalie.roussel@saintclair.com\n")
    assert facts(raw).recruiter.name == "Nathalie Roussel"


def test_a_time_something_is_sent_or_due_is_no_slot() -> None:
    raw = mail("Dear Alice,\n\nYour presentation: Friday 15 January 2027, 14:00 – 15:30 CET.\n"
               "You will receive the case brief by email on Tuesday 12 January at 9:00 CET.")
    found = facts(raw)
    assert (found.start, found.candidates) == (datetime(2027, 1, 15, 14, 0, tzinfo=ZoneInfo("Europe/Paris")), ())


def test_a_teams_mailbox_gives_way_to_the_recruiter_it_names_with_their_address() -> None:
    raw = mail("Your booking is confirmed: 4 March, 1:00 PM.\nQuestions? Contact your recruiter, Amélie Durand "
               "(amelie.durand@helixbank.com).", sender="Helix Bank – Engineering Hiring <hiringteam@helixbank.com>")
    found = facts(raw).recruiter
    assert (found.name, found.email) == ("Amélie Durand", "amelie.durand@helixbank.com")


def test_a_systems_no_reply_gives_way_to_the_employers_recruiting_mailbox_in_reply_to() -> None:
    raw = mail("Madame,\n\nRendez-vous le 4 mars à 9h15.", sender="Banque Hexagone <noreply@tbe.taleo.net>",
               headers="Reply-To: recrutement.idf@banque-hexagone.fr\n")
    assert facts(raw).recruiter.email == "recrutement.idf@banque-hexagone.fr"


def test_a_recruiting_mailbox_is_named_by_the_one_person_the_text_gives_a_recruiting_role() -> None:
    raw = mail("Madame,\n\nVous serez reçue par Mme Isabelle Fontaine, Directrice d'agence, et M. Loïc Garnier, "
               "Chargé de recrutement, le 4 mars à 9h15.", sender="Banque Hexagone Recrutement <noreply@tbe.taleo.net>",
               headers="Reply-To: recrutement.idf@banque-hexagone.fr\n")
    found = facts(raw).recruiter
    assert (found.name, found.email) == ("Loïc Garnier", "recrutement.idf@banque-hexagone.fr")


@pytest.mark.parametrize(("sender", "said"), [
    ("Lambert Hugo <hugo.lambert@orsaylab.com>", "Hugo Lambert"),
    ('"Lambert, Hugo (DRH-Achats)" <hugo.lambert@orsaylab.com>', "Hugo Lambert"),
    ("Hugo Lambert (Orsay Lab) <hugo.lambert@orsaylab.com>", "Hugo Lambert"),
    ("Hugo Lambert <hugo.l@orsaylab.com>", "Hugo Lambert"),
])
def test_the_address_tells_which_word_of_a_name_is_the_given_name(sender: str, said: str) -> None:
    assert facts(mail("Bonjour,\n\nRendez-vous le 4 mars à 10h.", sender=sender)).recruiter.name == said


def test_a_signature_line_with_a_legal_form_is_the_company_not_a_person() -> None:
    body = ("Dear Alice,\n\nThank you for your interest in Brennhof Maschinen SE. We invite you to an interview on "
            "4 March at 10:00.\n\nBest regards\n\nBrennhof Maschinen SE\nHafenstraße 12\n")
    found = facts(mail(body, sender="Jonas Vogel <jobs@brennhof.de>"))
    assert found.company == "Brennhof Maschinen" and found.recruiter.name == "Jonas Vogel"


def alternative(plain: str, html: str, *, sender: str, reply_to: str = "", subject: str = "Message") -> bytes:
    """A multipart/alternative mail, as recruiting systems send them."""
    head = (f"From: {sender}\nTo: Alice Martin <alice@example.org>\nSubject: {subject}\n"
            f"Date: Mon, 11 Jan 2027 10:00:00 +0100\nMessage-ID: <alt@x>\n"
            + (f"Reply-To: {reply_to}\n" if reply_to else "") + 'Content-Type: multipart/alternative; boundary="B"\n\n')
    return (head + f"--B\nContent-Type: text/plain; charset=utf-8\n\n{plain}\n"
            f"--B\nContent-Type: text/html; charset=utf-8\n\n{html}\n--B--\n").encode()


HTML_ONLY_WORDS = ("<html><body><p>Bonjour Alice,</p><p>Nous vous proposons un entretien avec notre équipe data.</p>"
                   "<table><tr><td>Date</td><td>jeudi 4 mars 2027</td></tr><tr><td>Heure</td><td>10h00 - 11h00</td>"
                   "</tr><tr><td>Contact</td><td>Marc Olivier – <a href='mailto:marc.olivier@nordlys.fr'>"
                   "marc.olivier@nordlys.fr</a></td></tr></table><p>À bientôt,<br>L'équipe Nordlys</p></body></html>")


def test_a_plain_part_that_only_points_to_the_html_gives_way_to_it() -> None:
    # the system's plain part says "open it in a browser"; what the recruiter wrote is in the HTML alone
    raw = alternative("Ce message nécessite un client mail compatible HTML.\nhttps://ats.example/m/1",
                      HTML_ONLY_WORDS, sender="Nordlys <nordlys@myworkday.com>")
    assert "entretien avec notre équipe" in mime.parse(raw).text
    assert facts(raw).start == datetime(2027, 3, 4, 10, 0, tzinfo=PARIS)


def test_a_plain_part_that_says_it_all_is_kept_beside_a_richer_html() -> None:
    plain = "Bonjour Alice,\n\nEntretien le jeudi 4 mars 2027 à 10h, dans nos locaux.\n" * 8
    assert mime.parse(alternative(plain, HTML_ONLY_WORDS, sender="Marc <marc@nordlys.fr>")).text == plain.strip()


def test_behind_a_relay_the_recruiter_is_the_person_the_text_gives_with_their_address() -> None:
    # From and Reply-To are the system's; the text names the person and their own address, and the footer names
    # an address that is nobody's (dpo@)
    raw = alternative("Voir le message en HTML.", HTML_ONLY_WORDS.replace(
        "</body>", "<p>RGPD : écrivez à dpo@nordlys.fr.</p></body>"), sender="Nordlys <nordlys@myworkday.com>",
        reply_to="reply+51.aa9@messaging.welcometothejungle-mail.com")
    found = facts(raw)
    assert found.recruiter.email == "marc.olivier@nordlys.fr"
    assert found.recruiter.name == "Marc Olivier"


@pytest.mark.parametrize(("body", "expected"), [
    # the old time and the new one on one line: the marker names the old one, before or after its day
    ("Hi Alice,\n\nInstead of Tuesday at 10am, could we do Wednesday 13 Jan at 3pm? Same link.\n",
     datetime(2027, 1, 13, 15, 0, tzinfo=PARIS)),
    ("Bonjour Alice,\n\nPetit changement : on passe à 16h au lieu de 15h demain, même salle.\n",
     datetime(2027, 1, 12, 16, 0, tzinfo=PARIS)),
    ("Bonjour,\n\nPour jeudi 14 janvier, ce sera à 11h au lieu de 9h30, si cela vous convient.\n",
     datetime(2027, 1, 14, 11, 0, tzinfo=PARIS)),
    # "plutôt qu'à", "rather than", and the zone both times are in after the old one
    ("Bonjour,\n\nSerait-il possible de faire l'appel le vendredi 15 janvier à 10 h plutôt qu'à 14 h ?\n",
     datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)),
    ("Hi Alice,\n\nCould we do tomorrow at 4pm rather than 11am (London time)? Same room.\n",
     datetime(2027, 1, 12, 16, 0, tzinfo=ZoneInfo("Europe/London"))),
])
def test_a_move_written_on_one_line_gives_the_new_time(body: str, expected: datetime) -> None:
    found = facts(mail(body, subject="Re: Entretien"))
    assert (found.start, found.candidates) == (expected, ())


EARLIER = ("\n\nLe lun. 11 janv. 2027 à 09:00, Claire Dubois <claire.dubois@acme-conseil.fr> a écrit :\n"
           "> Bonjour Alice,\n> Je vous propose un entretien le mercredi 20 janvier à 10h30 dans nos locaux.\n"
           "> Claire\n")


@pytest.mark.parametrize(("said", "expected"), [
    # a new day at the same time, a new time the same day: the rest is the time the recruiter gave before
    ("Bonjour Alice,\n\nUn imprévu : pouvons-nous passer à jeudi 21, même heure ?\n\nClaire",
     datetime(2027, 1, 21, 10, 30, tzinfo=PARIS)),
    ("Bonjour Alice,\n\nOn peut faire 15h au lieu de 10h30 ? Désolée !\n\nClaire",
     datetime(2027, 1, 20, 15, 0, tzinfo=PARIS)),
])
def test_a_move_that_says_only_what_changes_keeps_the_rest_of_the_thread(said: str, expected: datetime) -> None:
    found = facts(mail(said + EARLIER, subject="Re: Entretien", date="Tue, 12 Jan 2027 10:00:00 +0100"))
    assert found.start == expected
    assert "thread" in found.sources["interview.start"]


def test_same_time_with_no_earlier_time_in_the_thread_gives_no_start() -> None:
    found = facts(mail("Bonjour,\n\nOn décale à jeudi, même heure ?\n\nClaire", subject="Re: Entretien"))
    assert found.start is None


def test_a_stated_length_gives_the_end() -> None:
    got = facts(mail("Bonjour Alice,\n\nJe vous propose un appel le mardi 19 janvier à 10h30 avec notre directrice "
                     "technique. Comptez trois quarts d'heure, 45 minutes au plus.\n\nClaire"))
    assert got.start == datetime(2027, 1, 19, 10, 30, tzinfo=PARIS)
    assert got.end == datetime(2027, 1, 19, 11, 15, tzinfo=PARIS)


_CLAIRE = "Claire Dubois <claire.dubois@acme-conseil.fr>"


@pytest.mark.parametrize(("reply", "sent", "quoted", "start", "end"), [
    # a move keeps the length of the interview it moves
    ("Un imprévu : pouvons-nous passer au jeudi 21 janvier à 16h ?", "lun. 11 janv.",
     "Seriez-vous libre le mercredi 20 janvier à 11h ? L'entretien durera une heure.",
     datetime(2027, 1, 21, 16, 0, tzinfo=PARIS), datetime(2027, 1, 21, 17, 0, tzinfo=PARIS)),
    # a new step is another meeting, whose length the first's does not give
    ("En plus de l'appel de mercredi, pourriez-vous rencontrer l'équipe sur site le vendredi 22 janvier à 14h ?",
     "lun. 11 janv.", "Seriez-vous libre le mercredi 20 janvier à 11h pour un appel de 20 minutes ?",
     datetime(2027, 1, 22, 14, 0, tzinfo=PARIS), None),
    # so is the next step after one that is over
    ("Suite à notre échange, je vous propose de rencontrer l'équipe le jeudi 21 janvier à 14h dans nos locaux.",
     "mar. 5 janv.", "Seriez-vous libre le vendredi 8 janvier à 11h pour un appel de 20 minutes ?",
     datetime(2027, 1, 21, 14, 0, tzinfo=PARIS), None),
], ids=["move", "new step", "next step"])
def test_a_reply_keeps_the_quoted_length_only_when_it_moves_that_interview(
        reply: str, sent: str, quoted: str, start: datetime, end: datetime | None) -> None:
    got = facts(mail(f"Bonjour Alice,\n\n{reply}\n\nClaire\n\n"
                     f"Le {sent} 2027 à 09:12, {_CLAIRE} a écrit :\n> Bonjour Alice,\n> {quoted}\n> Claire\n",
                     subject="Re: Entretien"))
    assert (got.start, got.end) == (start, end)


@pytest.mark.parametrize(("reply", "end"), [
    # another day, same time: the span the earlier message gave keeps its length
    ("Un imprévu : pouvons-nous décaler au jeudi 21 janvier, même heure ?",
     datetime(2027, 1, 21, 12, 30, tzinfo=PARIS)),
    # pushed within its day: it may keep its end as well as its length
    ("Un imprévu : pouvons-nous décaler à 11h30 au lieu de 11h ?", None),
], ids=["same time", "pushed"])
def test_a_move_keeps_the_length_of_the_span_the_quoted_message_gave(reply: str, end: datetime | None) -> None:
    # the earlier message came through a recruiting system, under her name and its address; its form has a "Date:"
    quoted = "> Bonjour Alice,\n>\n> Date : mercredi 20 janvier 2027\n> Heure : 11h00 - 12h30\n>\n> Claire\n"
    got = facts(mail(f"Bonjour Alice,\n\n{reply}\n\nClaire\n\nLe lun. 11 janv. 2027 à 09:12, Claire Dubois "
                     f"<no-reply@hire.lever.co> a écrit :\n{quoted}", subject="Re: Entretien"))
    assert got.end == end


def test_a_reply_restating_the_hour_alone_means_the_quoted_interview() -> None:
    body = ("Bonjour Alice,\n\nPensez à votre pièce d'identité. Toujours bon pour 14h30, à l'accueil.\n\nPaul\n\n"
            "Le ven. 8 janv. 2027 à 09:12, Alice Martin <alice@example.org> a écrit :\n"
            "> Parfait pour le mardi 12 janvier à 14h30, et sinon le mercredi 13 janvier à 9h.\n")
    found = facts(mail(body, subject="Re: Entretien"))
    assert found.start == datetime(2027, 1, 12, 14, 30, tzinfo=PARIS)
    assert found.sources["interview.start"].endswith("(and the thread's day)")
    english = ("Looking forward to it, see you at 9!\nPaul\n\n"
               "> On Fri, 8 Jan 2027 at 09:12, Alice <alice@example.org> wrote:\n> Wed 13 January at 9am works.\n")
    assert facts(mail(english, subject="Re: Interview")).start == datetime(2027, 1, 13, 9, 0, tzinfo=PARIS)
    # an hour the history does not give, or gives on two days, names no day
    assert facts(mail(body.replace("bon pour 14h30", "bon pour 16h"), subject="Re: Entretien")).start is None


def test_an_old_time_under_a_label_of_its_own_gives_way() -> None:
    found = facts(mail("Bonjour,\n\nVotre entretien est déplacé.\n\nAncien créneau\nmardi 12 janvier 2027, 10h00\n"
                       "Nouveau créneau\njeudi 14 janvier 2027, 16h00\n"))
    assert found.start == datetime(2027, 1, 14, 16, 0, tzinfo=PARIS)
    assert found.candidates == ()


@pytest.mark.parametrize(("body", "new"), [
    ("Bonjour,\n\nVotre rendez-vous prévu pour le mardi 12 janvier à 9h30 doit être reporté. Seriez-vous libre "
     "le vendredi 15 janvier à 11h ?\n", datetime(2027, 1, 15, 11, 0, tzinfo=PARIS)),
    ("Hello,\n\nYour interview scheduled for Tuesday 12 January at 2pm has to move: our director is away.\n"
     "Would Thursday 14 January at 4pm suit you?\n", datetime(2027, 1, 14, 16, 0, tzinfo=PARIS)),
    ("Bonjour,\n\nNous devons décaler notre échange du mardi 12 janvier à 9h à jeudi 14 janvier à 17h.\n",
     datetime(2027, 1, 14, 17, 0, tzinfo=PARIS)),
    # the move said by what replaces the old time, or by the old time no one can keep
    ("Bonjour,\n\nNotre directrice ne pourra plus assurer l'entretien du mardi 12 janvier à 9h. Elle vous "
     "propose à la place le vendredi 15 janvier à 14h.\n", datetime(2027, 1, 15, 14, 0, tzinfo=PARIS)),
    ("Hi,\n\nOur CFO can no longer make your interview on Tuesday 12 January at 2pm; could you do Friday "
     "15 January at 10am instead?\n", datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)),
])
def test_a_move_names_the_interview_by_its_old_time(body: str, new: datetime) -> None:
    found = facts(mail(body))
    assert (found.start, found.candidates) == (new, ())


def test_the_end_of_a_span_the_mail_gives_apart_from_the_day() -> None:
    body = ("Bonjour,\n\nJe vous confirme notre rendez-vous du mardi 12 janvier, 14h30.\n"
            "Nous aurons le créneau de 14h30 à 15h45 en salle Vauban ; la visite du site suivra de 16h à 17h.\n")
    found = facts(mail(body))
    assert (found.start, found.end) == (datetime(2027, 1, 12, 14, 30, tzinfo=PARIS),
                                        datetime(2027, 1, 12, 15, 45, tzinfo=PARIS))


def test_a_time_set_for_is_the_interview_when_nothing_moves() -> None:
    found = facts(mail("Bonjour,\n\nVotre entretien est prévu le mardi 12 janvier à 9h30.\n"
                       "Merci de confirmer avant le lundi 11 janvier à 18h.\n"))
    # no move: the time set for stays; the time to confirm by is a deadline
    assert (found.start, found.candidates) == (datetime(2027, 1, 12, 9, 30, tzinfo=PARIS), ())


@pytest.mark.parametrize("label", ["Previously", "Initialement prévu", "Originally scheduled"])
def test_a_systems_notice_of_a_move_marks_the_old_time_with_one_word(label: str) -> None:
    found = facts(mail(f"Hello,\n\nYour interview was moved.\n\nWhen\nFriday 15 January 2027, 11:00\n{label}\n"
                       "Wednesday 13 January 2027, 09:30\n"))
    assert found.start == datetime(2027, 1, 15, 11, 0, tzinfo=PARIS)
    assert found.candidates == ()


@pytest.mark.parametrize("label", ["Former:", "Old time:", "Ancien créneau :"])
def test_a_move_that_labels_the_old_time_on_its_own_line_keeps_the_new_one(label: str) -> None:
    found = facts(mail(f"Hello,\n\nYour booking was moved.\n\n{label} 14:00 - 14:45, Tuesday 12 January 2027\n"
                       "New: 10:00 - 10:45, Thursday 14 January 2027\n"))
    assert found.start == datetime(2027, 1, 14, 10, 0, tzinfo=PARIS)
    assert found.candidates == ()


@pytest.mark.parametrize("tag", ["s", "strike", "del"])
def test_a_struck_through_old_time_of_a_move_gives_way(tag: str) -> None:
    html = (f"<p>Votre entretien est déplacé.</p><p><{tag}>Mardi 12 janvier 2027, 9h30</{tag}></p>"
            "<p><b>Nouvelle date :</b> jeudi 14 janvier 2027 à 16h</p>")
    raw = mail(html).replace(b"text/plain", b"text/html")
    assert "Mardi 12" not in mime.parse(raw).text
    assert facts(raw).start == datetime(2027, 1, 14, 16, 0, tzinfo=PARIS)


def test_a_strike_left_open_hides_no_more_than_its_block() -> None:
    text = mime.html_to_text("<p>Ancien créneau : <s>mardi 9h30</p><p>Entretien : jeudi 14 janvier à 16h, "
                             "https://zoom.us/j/5551234</p>")
    assert "mardi" not in text
    assert "jeudi 14 janvier à 16h" in text and "https://zoom.us/j/5551234" in text


@pytest.mark.parametrize(("sender", "signed", "name"), [
    # a person, then where: the person
    ("Léa Morin | Cap Intérim <agence.tours@cap-interim.fr>", "Léa", "Léa Morin"),
    # an organisation's mailbox: the person who signs
    ("Boucherie Vidal <boucherie.vidal@orange.fr>", "Marc Vidal\nBoucherie Vidal", "Marc Vidal"),
    ("Service des Ressources Humaines <drh@ville-exemple.fr>", "Nadia Benali\nChargée de recrutement", "Nadia Benali"),
    # a cooperative, a mutual, a union are organisations too, whose name looks like a person's
    ("Mutuelle Vernet – Recrutement <talents@vernet.coop>", "Lise Roy\nConseillère RH", "Lise Roy"),
    # a system's no-reply named after the company, nobody signing: nobody
    ("Brindle <no-reply@hire.lever.co>", "The Brindle team", None),
])
def test_a_display_name_that_names_an_organisation_is_no_recruiter(sender: str, signed: str, name: str | None) -> None:
    found = facts(mail(f"Bonjour Alice,\n\nNous vous proposons un entretien.\n\nCordialement,\n{signed}\n",
                       sender=sender))
    assert found.recruiter.name == name


def test_the_signature_under_a_formal_french_closing_sentence_names_the_recruiter() -> None:
    body = ("Madame,\n\nNous vous invitons à un entretien le lundi 18 janvier à 10h.\n\nNous vous prions d'agréer, "
            "Madame, nos salutations distinguées.\n\nClaire Vautrin\nResponsable RH\n\nVautrin SA\n1 rue Haute\n"
            "1000 Lausanne\nT +41 21 000 00 00\nwww.vautrin.ch\n")
    assert facts(mail(body, sender="Vautrin SA - RH <rh@vautrin.ch>")).recruiter.name == "Claire Vautrin"


def test_a_recruiter_named_with_her_role_after_a_middle_dot_is_the_person() -> None:
    body = ("Dentalis vous a envoyé un message\nNina Ferré · Talent Acquisition chez Dentalis\n\nBonjour Alice,\n"
            "Je vous propose un échange.\nNina\n")
    found = facts(mail(body, sender="Welcome to the Jungle <no-reply@notifications.welcometothejungle.com>"))
    assert found.recruiter.name == "Nina Ferré"


def test_a_length_said_of_the_meeting_gives_the_end_and_two_lengths_none() -> None:
    found = facts(mail("Bonjour,\n\nJe vous propose un entretien le mardi 19 janvier à 14h, d'une durée de 45 minutes. "
                       "Merci d'arriver 10 minutes avant.\n"))
    assert (found.start, found.end) == (datetime(2027, 1, 19, 14, 0, tzinfo=PARIS),
                                        datetime(2027, 1, 19, 14, 45, tzinfo=PARIS))
    found = facts(mail("Hi Alice,\n\nHow about a quick 30-minute video call on Tuesday 19 January at 4pm?\n",
                       subject="Chat"))
    assert found.end == datetime(2027, 1, 19, 16, 30, tzinfo=PARIS)
    # two lengths: which one is the meeting's is unsaid
    found = facts(mail("Hi Alice,\n\nA 30-minute call on Tuesday 19 January at 4pm, then a 60-minute interview.\n",
                       subject="Chat"))
    assert found.end is None


def test_a_name_in_directory_order_with_a_comma_is_still_a_person() -> None:
    found = facts(mail("Bonjour Alice,\n\nNous vous proposons un entretien.\n\nCordialement,\nJ. Wendt\n",
                       sender="\"Wendt, Julie\" <jw4@acme-conseil.fr>"))
    assert found.recruiter.name == "Wendt, Julie"
def test_the_end_of_an_interview_given_as_its_length() -> None:
    found = facts(mail("Bonjour Alice,\n\nJe vous propose un entretien le jeudi 14 janvier à 10h. Comptez environ "
                       "1h30 : une étude de cas puis un échange avec l'équipe.\n"))
    assert (found.start.hour, found.end.hour, found.end.minute) == (10, 11, 30)  # type: ignore[union-attr]


@pytest.mark.parametrize("said", ["I'll ring you on +33 6 12 34 56 78 at 10am on Thursday 14 January.",
                                  "Je vous appellerai le jeudi 14 janvier à 10h au 06 12 34 56 78.",
                                  "I'll call you on Thursday 14 January at 10am on the number from your CV "
                                  "(06 12 34 56 78)."])
def test_the_number_the_recruiter_will_call_is_the_users_not_theirs(said: str) -> None:
    found = facts(mail(f"Hello Alice,\n\n{said}\n\nBest,\nNora Field\nTalent Partner\n+33 1 44 55 66 77\n"))
    assert found.recruiter.phone == "+33 1 44 55 66 77"


def test_the_number_a_recruiter_calls_from_is_theirs() -> None:
    found = facts(mail("Hello Alice,\n\nI'll call you from +33 1 44 55 66 77 on Thursday 14 January at 10am.\n"))
    assert found.recruiter.phone == "+33 1 44 55 66 77"


def test_a_move_keeping_the_same_link_takes_it_from_the_senders_quoted_message() -> None:
    body = ("Bonjour Alice,\n\nOn décale à jeudi 14 janvier 11h, même lien.\n\nNora\n\n"
            "Le lun. 11 janv. 2027 à 09:00, Nora Field <nora@acme-conseil.fr> a écrit :\n"
            "> Entretien mercredi 13 janvier à 10h : https://meet.google.com/abc-defg-hij\n")
    found = facts(mail(body, sender="Nora Field <nora@acme-conseil.fr>"))
    assert found.url == "https://meet.google.com/abc-defg-hij"


@pytest.mark.parametrize(("said", "url"), [
    ("Parfait, c'est noté pour mercredi 13 à 10h !", "https://meet.google.com/abc-defg-hij"),
    # another time: the earlier link need not hold
    ("Parfait, c'est noté pour jeudi 14 à 16h !", None),
])
def test_a_reply_agreeing_to_the_senders_earlier_time_keeps_its_link(said: str, url: str | None) -> None:
    body = (f"{said}\n\nNora\n\nLe lun. 11 janv. 2027 à 09:00, Alice Martin <alice@example.org> a écrit :\n"
            "> Mercredi me va.\n>\n> Le ven. 8 janv. 2027 à 18:00, Nora Field <nora@acme-conseil.fr> a écrit :\n"
            ">> Entretien mercredi 13 janvier à 10h : https://meet.google.com/abc-defg-hij\n")
    assert facts(mail(body, sender="Nora Field <nora@acme-conseil.fr>")).url == url


@pytest.mark.parametrize(("body", "hour"), [
    ("Bonjour Alice, pour mardi : notre DRH est en réunion jusqu'à 10h, pouvons-nous décaler à 11h15 ?", (11, 15)),
    ("Hi Alice, about Tuesday: our CTO flies in at 9am, so could we push it to 2:30pm instead?", (14, 30)),
    # from the old time to the new one: a move, no span of time
    ("Hi Alice, our founder wants to join, so I need to move it from 10am to 11:15am on Tuesday.", (11, 15)),
    ("Bonjour Alice, imprévu ce mardi : pouvons-nous décaler de 9h30 à 11h15 ?", (11, 15)),
])
def test_a_day_read_with_another_time_of_its_line_is_met_at_the_time_moved_to(
        body: str, hour: tuple[int, int]) -> None:
    start = facts(mail(body)).start
    assert start is not None and (start.day, start.hour, start.minute) == (12, *hour)


def test_a_reply_naming_the_day_alone_is_met_at_the_time_the_quoted_mail_gives_that_day() -> None:
    body = ("Merci Alice, à jeudi donc ! Demandez Paul à l'accueil.\n\n"
            "Le lun. 11 janv. 2027 à 09:00, Alice Martin <alice@example.org> a écrit :\n"
            "> Je vous confirme ma venue jeudi 14 janvier à 9h30.\n")
    start = facts(mail(body, subject="Re: Entretien")).start
    assert start is not None and (start.day, start.hour, start.minute) == (14, 9, 30)


@pytest.mark.parametrize("body", [
    ("Thanks Alice, glad the new slot on the 14th suits; the hiring team will send a short brief on Monday.\n\n"
     "On Mon, 11 Jan 2027 at 09:00, Alice Martin <alice@example.org> wrote:\n"
     "> Thursday 14 January at 9:30 works for me.\n"),
    ("Merci Alice, c'est donc confirmé pour le 14. Je vous envoie lundi le dossier de présentation.\n\n"
     "Le lun. 11 janv. 2027 à 09:00, Alice Martin <alice@example.org> a écrit :\n"
     "> Le jeudi 14 janvier à 9h30 me convient.\n"),
])
def test_a_reply_naming_the_day_of_the_month_alone_is_met_at_the_time_the_quoted_mail_gives_that_day(
        body: str) -> None:
    start = facts(mail(body, subject="Re: Interview")).start
    assert start is not None and (start.day, start.hour, start.minute) == (14, 9, 30)

@pytest.mark.parametrize(("address", "tenant"), [
    ("jobs@ondavia.recruitee.com", "ondavia"),
    ("lena.cordier@brisemer.teamtailor-mail.com", "brisemer"),
    ("quaivert@myworkday.com", "quaivert"),
    ("no-reply@us.greenhouse-mail.io", None),
    ("noreply@smartrecruiters.com", None),
    ("lena@brisemer.fr", None),
])
def test_a_recruiting_systems_address_names_its_tenant(address: str, tenant: str | None) -> None:
    assert system_tenant(address) == tenant


def test_a_mailbox_nobody_reads_is_no_recruiters_address() -> None:
    body = "Bonjour,\n\nVotre entretien est fixé au 4 mars 2027 à 10h.\n\nL'équipe Recrutement"
    found = facts(mail(body, sender="Brisemer <ne-pas-repondre@brisemer.fr>"))
    assert found.recruiter.email is None
    assert found.company == "Brisemer"


@pytest.mark.parametrize("sender", ["Maison Brisemer <noreply@smartrecruiters.com>",
                                    "Éditions Brisemer <ne-pas-repondre@brisemer.fr>",
                                    "Métropole Brisemer <recrutement@brisemer.fr>"])
def test_a_name_a_company_opens_with_names_no_person(sender: str) -> None:
    body = "Bonjour,\n\nVotre entretien est fixé au 4 mars 2027 à 10h.\n\nL'équipe Recrutement"
    assert facts(mail(body, sender=sender)).recruiter.name is None


@pytest.mark.parametrize(("sender", "reply_to", "body", "name"), [
    # the system sends as the person, their own address nameless in Reply-To
    ("Lena Cordier <no-reply@greenhouse.io>", "lena.cordier@brisemer.fr", "Hi Alice,\n\nSee you on 4 March.\n\nLena",
     "Lena Cordier"),
    # a first name alone as the address, the full name in the text
    ("Brisemer <no-reply@ashbyhq.com>", "tomas@brisemer.fr",
     "Hi Alice,\n\nSee you on 4 March at 10am.\n\nQuestions? Ask your recruiter, Tomas Berg (tomas@brisemer.fr).",
     "Tomas Berg"),
    # not a team's name: "Talent Team" of talent@
    ("Brisemer <no-reply@ashbyhq.com>", "talent@brisemer.fr", "Hi Alice,\n\nSee you on 4 March.\n\nTalent Team", None),
])
def test_a_nameless_reply_to_is_named_by_whom_it_answers_to(sender: str, reply_to: str, body: str,
                                                             name: str | None) -> None:
    found = facts(mail(body, sender=sender, headers=f"Reply-To: {reply_to}\n"))
    assert (found.recruiter.name, found.recruiter.email) == (name, reply_to)


def test_a_name_a_company_ends_with_names_no_person_nor_a_recruiter_by_role() -> None:
    body = "Dear Alice,\n\nThank you for interviewing with us.\n\nSincerely,\nQuaivert Logistics Talent Acquisition"
    found = facts(mail(body, sender="Quaivert Logistics <quaivert@myworkday.com>"))
    assert found.recruiter.name is None


@pytest.mark.parametrize("body", [
    "Bonjour Alice,\nVous avez reçu un nouveau message de Hugo Ferrand (Brisemer) : êtes-vous libre le 4 mars ?",
    "Hi Alice,\nYou have a new message from Hugo Ferrand at Brisemer: are you free on 4 March?",
])
def test_a_job_boards_notification_names_whose_message_it_passes_on(body: str) -> None:
    found = facts(mail(body, sender="Welcome to the Jungle <notifications@welcometothejungle.com>"))
    assert found.recruiter.name == "Hugo Ferrand"


# --- the eleventh round: numbers in ranges not allocated, in links, in a scheduler's answers


@pytest.mark.parametrize(("text", "expected"), [
    # a range kept for fiction or not yet allocated is still a phone when labelled or written with its country code
    ("Tom Reed\nMob: 07700 900731", "+44 7700 900731"),
    ("Tom Reed\n+44 7700 900731", "+44 7700 900731"),
    ("Léa Roux\nPortable : 06 39 98 61 20", "+33 6 39 98 61 20"),
])
def test_a_labelled_number_of_an_unallocated_range_is_a_phone(text: str, expected: str) -> None:
    region = "GB" if "Tom" in text else "FR"
    assert find_phone(text, region) == (expected, 2)


def test_an_unallocated_number_nothing_gives_as_a_phone_is_none() -> None:
    assert find_phone("Order 07700 900731 shipped", "GB") is None


# --- the thirteenth round: a number the sender gives in a sentence; a British number under a domain of no country


@pytest.mark.parametrize("text", ["If the door is shut, ring me on 07700 900412.", "Au besoin, appelle-moi au 06 39 98 "
                                  "40 12.", "Je reste joignable au 06 39 98 40 12 toute la journée."])
def test_a_number_the_sender_says_is_theirs_in_a_sentence_is_a_phone(text: str) -> None:
    found = find_phone(text, "GB" if "ring" in text else "FR")
    assert found is not None and found[0] in ("+44 7700 900412", "+33 6 39 98 40 12")


def test_a_british_number_under_a_domain_of_no_country_sent_at_londons_offset() -> None:
    body = "Hi Alice,\n\nSee you on Tuesday 9 March at 11am.\n\nPriya Shah\nHead of People, Kiteworks\n0161 496 0734"
    raw = mail(body, sender="Priya Shah <priya@kiteworks.com>", date="Mon, 1 Mar 2027 09:00:00 +0000")
    assert facts(raw).recruiter.phone == "+44 161 496 0734"
    assert fallback_region("priya@kiteworks.com", datetime(2027, 7, 1, 9, tzinfo=timezone(timedelta(hours=1)))) == "GB"
    assert fallback_region("priya@kiteworks.fr", datetime(2027, 3, 1, 9, tzinfo=UTC)) is None
    assert fallback_region("priya@kiteworks.com", datetime(2027, 3, 1, 9, tzinfo=timezone(timedelta(hours=1)))) is None


def test_a_french_number_under_a_domain_of_no_country_sent_at_londons_offset_stays_french() -> None:
    body = "Bonjour Alice,\n\nÀ mardi 9 mars à 11h.\n\nPriya Shah\nTél. : 01 44 55 66 77"
    raw = mail(body, sender="Priya Shah <priya@kiteworks.com>", date="Mon, 1 Mar 2027 09:00:00 +0000")
    assert facts(raw).recruiter.phone == "+33 1 44 55 66 77"


def test_digits_in_a_link_are_no_phone() -> None:
    text = "Join: https://meet.example.com/j/33612345678?pwd=x\nPhone: +33 1 99 00 12 34"
    assert find_phone(text, "FR") == ("+33 1 99 00 12 34", 2)


def test_a_number_in_a_schedulers_answers_is_the_users() -> None:
    text = "Hôte : Nina Brun\n\nQuestions :\n\nNuméro de téléphone\n+33 6 12 34 56 78\n"
    assert find_phone(text, "FR") is None


@pytest.mark.parametrize(("sender", "expected"), [
    # a recruiting system's own mailbox, the tenant's or its generic one: nobody reads it, no draft goes there
    ("Brume Assurances Careers <brumeassurances@myworkday.com>", None),
    ("Brume Assurances <jobs@brume.recruitee.com>", None),
    # the system's relay of one person, their name spelled in it: they read it
    ("Nina Brun (Brume) <brume-nina-brun@inbox.recruitee.com>", "brume-nina-brun@inbox.recruitee.com"),
])
def test_a_recruiting_systems_own_mailbox_is_no_recruiters_address(sender: str, expected: str | None) -> None:
    body = "Dear Alice,\n\nWe are pleased to invite you to an interview on 4 March 2027 at 10:00.\n\nThe team"
    assert facts(mail(body, sender=sender)).recruiter.email == expected


@pytest.mark.parametrize("sender", ["Lavoie, Mathieu <mlavoie@orsay-conseil.ca>",
                                    '"Lavoie, Mathieu" <mathieu.lavoie@orsay-conseil.ca>'])
def test_a_directorys_surname_before_its_comma_comes_after_the_given_name(sender: str) -> None:
    parsed = mime.parse(mail("Bonjour,\n\nÀ jeudi 4 mars à 10h.", sender=sender))
    assert parsed.from_email is not None and parsed.from_name == "Lavoie, Mathieu"
    assert facts(mail("Bonjour,\n\nÀ jeudi 4 mars à 10h.", sender=sender)).recruiter.name == "Mathieu Lavoie"


def test_a_job_boards_field_names_the_person_behind_it() -> None:
    body = ("Bonne nouvelle !\n\nOrsay Lab souhaite vous rencontrer.\nType : visioconférence\n"
            "Votre interlocutrice : Nina Brun, Responsable data\nDate : jeudi 4 mars 2027 à 10h\n")
    found = facts(mail(body, sender="HelloWork <no-reply@hellowork.com>"))
    assert found.recruiter.name == "Nina Brun" and found.recruiter.email is None


def test_a_time_something_is_due_by_is_not_the_interviews() -> None:
    found = facts(mail("Bonjour Alice,\n\nPour votre entretien du jeudi 14 janvier à 11h, merci de m'envoyer d'ici "
                       "mardi 12h votre carte vitale.\n\nClaire"))
    assert (found.start, found.candidates) == (datetime(2027, 1, 14, 11, 0, tzinfo=PARIS), ())
    found = facts(mail("Hi Alice,\n\nPlease send your ID by Tuesday 5pm; your interview is on Thursday 14 January "
                       "at 11am.\n\nClaire"))
    assert (found.start, found.candidates) == (datetime(2027, 1, 14, 11, 0, tzinfo=PARIS), ())


def test_a_british_postcode_in_the_mail_is_a_hint_of_london_time() -> None:
    body = "Hi Alice,\n\nInterview: Tuesday 19 January at 10:00\nVenue: 12 Marine Parade, Hove BN3 2WB\n"
    sender = "Marine Hotels <marinehotels@teamtailor-mail.com>"
    found = facts(mail(body, sender=sender, date="Mon, 11 Jan 2027 10:00:00 +0000"))
    assert found.start == datetime(2027, 1, 19, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    found = facts(mail(body.replace(" BN3 2WB", ""), sender=sender, date="Mon, 11 Jan 2027 10:00:00 +0000"))
    assert found.start == datetime(2027, 1, 19, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(("body", "url"), [
    # a room on the company's own server
    ("Interview on Tuesday 12 January 2027 at 10:00, here: https://meet.harbourcx.co.uk/tom.reed\n",
     "https://meet.harbourcx.co.uk/tom.reed"),
    ("Entretien en visio le mardi 12 janvier 2027 à 10h : https://jitsi.ville-exemple.fr/jury-accueil\n",
     "https://jitsi.ville-exemple.fr/jury-accueil"),
    ("Entretien mardi 12 janvier 2027 à 10h.\nRejoindre : meet.google.com/abc-defg-hij\n",
     "https://meet.google.com/abc-defg-hij"),
    ("Interview on Tuesday 12 January 2027 at 10:00. Zoom: zoom.us/j/98765432100.\n",
     "https://zoom.us/j/98765432100"),
    # a logo's bare host is no room
    ("Interview on Tuesday 12 January 2027 at 10:00, on zoom.us/ as usual.\n", None),
])
def test_a_join_link_written_without_its_scheme_is_the_link(body: str, url: str | None) -> None:
    assert facts(mail(body)).url == url


@pytest.mark.parametrize(("body", "end"), [
    ("Journée d'essai le mercredi 13 janvier à 9h : accueil, visite de la cuisine, service du midi ; fin prévue vers "
     "15h.", (15, 0)),
    ("Assessment day on Wednesday 13 January at 9:30am: a case study, then the panel. We should be done by 1pm.",
     (13, 0)),
    ("Entretien le mercredi 13 janvier à 9h. Le bureau ferme à 18h.", None),
])
def test_an_end_said_as_a_time_of_its_own_ends_the_interview(body: str, end: tuple[int, int] | None) -> None:
    found = facts(mail(body)).end
    assert (found.hour, found.minute) == end if found is not None else end is None


def test_a_day_said_alone_over_an_hour_agreed_alone_is_that_day_at_that_hour() -> None:
    body = ("Great, I'll ask Sam to join too. See you tomorrow!\n\nPriya\n\n"
            "-----Original Message-----\nFrom: Alice Martin <alice@example.org>\n"
            "Sent: Monday, January 11, 2027 7:05 AM\nTo: Priya Shah <priya@northwind.com>\n"
            "Subject: Re: Intro call\n\n2pm ET suits me, thanks.\n")
    start = facts(mail(body, subject="RE: Intro call", sender="Priya Shah <priya@northwind.com>")).start
    assert start is not None and start.isoformat() == "2027-01-12T14:00:00-05:00"
    # the answered mail gives its own day: the other readings of the thread meet it, not this one
    dated = body.replace("2pm ET suits me", "Tuesday 12 January, 2pm ET suits me")
    found = facts(mail(dated, subject="RE: Intro call", sender="Priya Shah <priya@northwind.com>"))
    assert "the hour the answered mail gives" not in found.sources.get("interview.start", "")


@pytest.mark.parametrize("marker", ["Begin forwarded message:", "Début du message réexpédié :"])
def test_the_date_line_of_a_forward_apple_mail_spaces_from_its_marker_is_no_meeting(marker: str) -> None:
    body = (f"For my records.\n\nSent from my iPhone\n\n{marker}\n\nFrom: Ana Ruiz <ana@brisklane.co.uk>\n"
            "Date: 8 January 2027 at 17:05:12 GMT\nTo: alice@example.org\nSubject: Interview\n\n"
            "Dear Alice,\n\nWe would like to invite you to an interview on Thursday 14 January 2027 at 11:00.\n")
    found = facts(mail(body, sender="Alice Martin <alice@example.org>"))
    assert (found.start, found.candidates) == (datetime(2027, 1, 14, 11, 0, tzinfo=PARIS), ())


# --- wave15's round on the fields: recruiters behind systems, boards and places


def test_a_systems_mailing_domain_spelled_after_its_name_is_the_systems() -> None:
    # "<system>-mail.com" is the system's own, listed or not: no company, a machine, its tenant's mailbox
    body = ("Hello Alice,\n\nWe'd like to meet you for the Payroll Specialist role on 4 March at 10am.\n\n"
            "Best,\nMarta Nowak\nPeople Partner, Kestrel Freight\n")
    found = facts(mail(body, subject="Interview - Payroll Specialist",
                       sender="Marta Nowak via Workable <kestrel@lever-mail.co>"))
    assert found.company == "Kestrel Freight"
    assert found.recruiter.name == "Marta Nowak"
    assert found.recruiter.email is None  # a system's mailbox that relays no one


def test_a_systems_mailbox_the_mail_says_to_answer_is_the_recruiters() -> None:
    body = ("Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h. Vous pouvez répondre directement à ce "
            "message.\n\nTom Girard\nResponsable RH, Ferlane\n")
    found = facts(mail(body, sender="Tom Girard via Recruitee <ferlane@recruitee.com>"))
    assert (found.recruiter.name, found.recruiter.email) == ("Tom Girard", "ferlane@recruitee.com")
    body = body.replace("Vous pouvez répondre directement à ce message.", "Merci de ne pas répondre à ce message.")
    assert facts(mail(body, sender="Tom Girard via Recruitee <ferlane@recruitee.com>")).recruiter.email is None


@pytest.mark.parametrize("line", [
    "Paul Vasseur (Ondrel) vous a envoyé un message concernant l'offre Comptable",
    "Paul Vasseur from Ondrel sent you a message about the Accountant role",
    "Paul Vasseur de chez Ondrel a répondu à votre candidature",
])
def test_a_boards_notification_names_the_person_who_wrote(line: str) -> None:
    body = f"{line}\n\nBonjour Alice,\n\nSeriez-vous libre le 4 mars à 10h pour un appel ?\n\nÀ bientôt,\nPaul\n"
    sender = "Ondrel via Hellowork <notifications@hellowork.com>"
    assert facts(mail(body, sender=sender)).recruiter.name == "Paul Vasseur"


def test_a_place_named_like_a_person_is_no_recruiter() -> None:
    body = ("Madame,\n\nNous vous convions à notre journée de sélection le jeudi 4 mars 2027 à 9h.\n"
            "Immeuble Lumière – 40 quai de Bercy, 75012 Paris\n\nL'équipe Recrutement\nMutuelle Vernet\n")
    assert facts(mail(body, sender="Mutuelle Vernet Recrutement <recrutement@mutuelle-vernet.fr>")).recruiter.name \
        is None


def test_a_sender_the_signature_writes_after_a_role_is_the_company_and_the_signer_the_recruiter() -> None:
    body = ("Hi Alice,\n\nThanks for applying for the Receptionist position: could you come in on 4 March at 10am?\n\n"
            "Kind regards,\nDana Webb\nPractice Manager, Larchmont Vets\n")
    found = facts(mail(body, subject="Your application", sender="Larchmont Vets <hello@larchmontvets.com>"))
    assert (found.company, found.recruiter.name) == ("Larchmont Vets", "Dana Webb")
    # a person signing their own name first is not taken for a company
    body = body.replace("Practice Manager, Larchmont Vets", "Practice Manager")
    assert facts(mail(body, sender="Dana Webb <dana@larchmontvets.com>")).recruiter.name == "Dana Webb"


@pytest.mark.parametrize("name", ["Aoife O'Sullivan", "Ruairi McNamara", "Lucia D'Amico", "Joost van den Broek"])
def test_a_surname_with_its_prefix_or_particle_is_a_persons(name: str) -> None:
    body = f"Hi Alice,\n\nYour interview is confirmed for 4 March at 10am.\n\nKind regards,\n{name}\nTalent Partner\n"
    assert facts(mail(body, sender="Talent Acquisition <talent@orbitpay.com>")).recruiter.name == name


@pytest.mark.parametrize("sender", ['"Dr. Anna Keller" <anna.keller@kellerlab.ch>', "Prof Anna Keller <ak@uni-x.ch>",
                                    "Mme Anna Keller <anna.keller@kellerlab.ch>"])
def test_a_title_before_the_senders_name_is_no_part_of_it(sender: str) -> None:
    assert facts(mail("Bonjour,\n\nPassez le 4 mars à 10h.\n\nAnna", sender=sender)).recruiter.name == "Anna Keller"


def test_the_one_who_handles_the_case_is_the_recruiter_not_who_signs_by_delegation() -> None:
    body = ("MAIRIE DE SAINT-OURS\nDirection des ressources humaines\n\nDossier suivi par : M. Paul Brunet – "
            "01 23 45 67 89\n\nMonsieur,\n\nVous êtes convoqué le jeudi 4 mars 2027 à 9 h 30 en mairie.\n\n"
            "Veuillez agréer, Monsieur, mes salutations distinguées.\n\nPour le Maire,\nLa Directrice générale\n"
            "Odile Marchand")
    found = facts(mail(body, sender="Ressources humaines <rh@saint-ours.fr>"))
    assert found.recruiter.name == "Paul Brunet"


@pytest.mark.parametrize("said", ["un entretien avec Hugo Lenoir, co-fondateur de la maison",
                                  "un appel avec Hugo Lenoir (gérant)",
                                  "un appel. Son message : « À bientôt ! Hugo Lenoir, gérant »"])
def test_whom_a_boards_mail_says_she_meets_with_a_role_is_the_recruiter(said: str) -> None:
    body = f"Bonjour Alice,\n\nBonne nouvelle : Ferronnerie Vasseur vous propose {said}, le 4 mars à 10h.\n"
    found = facts(mail(body, sender="Jobboard <notifications@jobboard-mail.example>"))
    assert found.recruiter.name == "Hugo Lenoir"


@pytest.mark.parametrize(("sender", "signed", "name"), [
    ("Margot de Tisserie <messages@welcometothejungle.com>", "", "Margot"),
    ("Margot de Tisserie <messages@welcometothejungle.com>", "\n\nMargot Lenain\nTisserie", "Margot Lenain"),
    ("Sanne de Wit <sanne.dewit@tisserie.nl>", "", "Sanne de Wit"),  # a particle, from a person's own address
])
def test_a_boards_given_name_of_a_company_is_the_person(sender: str, signed: str, name: str) -> None:
    body = f"Bonjour Alice,\n\nSeriez-vous libre pour un appel le 4 mars à 10h ?{signed}"
    assert facts(mail(body, sender=sender)).recruiter.name == name


@pytest.mark.parametrize(("body", "start"), [
    ("Message vocal reçu le 11/01/2027 à 09:52 de +33 6 12 34 56 78 :\n« Bonjour, ici Paul de Ostara, je vous "
     "rappelle pour fixer notre entretien, rappelez-moi. »", None),
    ("Missed call at 9:40 from Tom (Lyra Talent).\nVoicemail: \"Hi Alice, the client would like to see you "
     "tomorrow at 3pm for the buyer role.\"", datetime(2027, 1, 12, 15, 0, tzinfo=PARIS)),
])
def test_a_notices_own_stamp_is_no_interview_time(body: str, start: datetime | None) -> None:
    found = facts(mail(body, sender="Relais <notifications@relais.example>"))
    assert found.start == start and not found.candidates


def test_a_time_an_hour_ahead_of_sending_is_still_the_interview() -> None:
    found = facts(mail("Date de l'entretien : aujourd'hui à 10h45, rue Lepic."))
    assert found.start == datetime(2027, 1, 11, 10, 45, tzinfo=PARIS)


def test_an_interview_moved_to_another_day_and_hour_keeps_the_span_the_sender_gave() -> None:
    body = ("Hi Alice, our director is travelling, so we need to move your interview to Wednesday 13 January at "
            "15:00 instead. Same room.\n\nFrom: Claire Dubois\nSent: 4 January 2027 09:00\nTo: Alice Martin\n\n"
            "Hi Alice, I'm pleased to confirm your interview on Tuesday 12 January, 10:00-11:00, at our office.")
    found = facts(mail(body))
    assert found.start == datetime(2027, 1, 13, 15, 0, tzinfo=PARIS)
    assert found.end == datetime(2027, 1, 13, 16, 0, tzinfo=PARIS)


def test_the_link_of_the_employers_message_an_agency_passes_on_below() -> None:
    body = ("Bonjour Alice,\n\nBonne nouvelle : le client vous reçoit mardi 12 janvier à 14h en visio, voir "
            "ci-dessous le message de leur RH.\n\nPaul\n\nDe : Léa Morel <lea.morel@ostara.fr>\nEnvoyé : lundi 4 "
            "janvier 2027 09:00\nÀ : Paul Girard\nObjet : Entretien\n\nPaul, je confirme mardi 12 janvier à 14h.\n"
            "Lien : https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0\n")
    found = facts(mail(body, sender="Paul Girard <paul@cabinet-girard.fr>"))
    assert found.url == "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
    # the message below gives another time: its link is an older meeting's
    older = body.replace("je confirme mardi 12 janvier à 14h", "je confirme jeudi 7 janvier à 10h")
    assert facts(mail(older, sender="Paul Girard <paul@cabinet-girard.fr>")).url is None


def test_a_friend_forwarding_a_recruiters_mail_passes_on_the_recruiter() -> None:
    body = ("Coucou Alice, Marc de chez Kelvio cherche quelqu'un, je lui ai donné ton nom, regarde en dessous !\n"
            "Léo\n\n---------- Forwarded message ---------\nDe : Marc Aubry <marc.aubry@kelvio.fr>\n"
            "Date: lun. 1 mars 2027 à 09:12\nSubject: Poste de contrôleur de gestion\nTo: Léo Garnier "
            "<leo.garnier@gmail.com>\n\nBonjour Léo,\n\nAlice peut-elle m'appeler ? Je lui propose un échange "
            "le jeudi 4 mars à 10h.\n\nMarc Aubry\nKelvio\n")
    found = facts(mail(body, subject="Fwd: Poste de contrôleur de gestion",
                       sender="Léo Garnier <leo.garnier@gmail.com>")).recruiter
    assert (found.name, found.email) == ("Marc Aubry", "marc.aubry@kelvio.fr")


def test_a_human_resources_directions_mailbox_is_no_person_its_signature_is() -> None:
    body = ("Madame,\n\nVous êtes convoquée à un entretien le jeudi 4 mars 2027 à 10h.\n\nCordialement,\n\n"
            "Paul Girard\nChargé de recrutement\nVille de Saint-Aubin\n")
    found = facts(mail(body, sender="DRH Saint-Aubin <drh@saint-aubin.fr>")).recruiter
    assert found.name == "Paul Girard"


def test_a_voicemail_mailed_on_by_a_phone_service_names_the_caller_not_the_service() -> None:
    body = ("You have a new voicemail on your Ringo number +33 7 00 11 22 33.\n\nFrom: +44 20 7946 0999\n\n"
            "Transcript:\n\"Hi Alice, this is Grace Holden from Tallis Search, the client would like to meet you on "
            "Thursday 4 March at 10am, call me back.\"\n")
    found = facts(mail(body, subject="New voicemail from +44 20 7946 0999", sender="Ringo <voicemail@ringo.app>"))
    assert (found.recruiter.name, found.recruiter.email) == ("Grace Holden", None)
    assert found.recruiter.phone == "+44 20 7946 0999"
    assert found.company != "Ringo"


def test_a_text_message_mailed_on_names_its_writer_and_no_company_of_the_gateway() -> None:
    body = "SMS reçu de +33611223344 :\n\nBonjour, c Lina de chez Orvalis, dispo jeudi 4 mars 10h pour un échange ?"
    found = facts(mail(body, subject="Nouveau SMS de +33611223344", sender="SMS <sms2mail@relais.operateur.fr>"))
    assert (found.recruiter.name, found.recruiter.email) == ("Lina", None)
    assert found.company == "Orvalis"


@pytest.mark.parametrize("footer", ["Merci de ne pas répondre directement à ce message.",
                                    "Please do NOT reply to this email."])
def test_a_systems_mailbox_the_mail_says_not_to_answer_is_nobodys(footer: str) -> None:
    body = f"Bonjour Alice,\n\nJe vous propose un entretien le 4 mars à 10h.\n\nTom Girard\nResponsable RH\n\n{footer}"
    found = facts(mail(body, sender="Tom Girard via Recruitee <ferlane@recruitee.com>"))
    assert (found.recruiter.name, found.recruiter.email) == ("Tom Girard", None)


def test_a_short_surname_written_first_is_turned_round_when_the_address_spells_both_whole() -> None:
    body = "Hello Alice,\n\nCould we talk on 4 March at 10am?\n\nBest,\nAnna\n"
    assert facts(mail(body, sender="Ng Anna <annang@lyrabank.com>")).recruiter.name == "Anna Ng"


@pytest.mark.parametrize("body", [
    "Bonjour Alice,\n\nMerci de nous retourner l'exercice d'ici jeudi 14 janvier 12h. Nous en parlerons "
    "ensemble le vendredi 15 janvier de 10h à 11h en visio.\n\nClaire",
    "Bonjour Alice,\n\nVoici le cas pratique, à nous renvoyer avant le jeudi 14 janvier à 12h. Nous en parlerons "
    "ensemble le vendredi 15 janvier de 10h à 11h en visio.\n\nClaire",
    "Hi Alice,\n\nPlease submit your solution by Thursday 14 January, 12:00. We will review it together on "
    "Friday 15 January from 10:00 to 11:00.\n\nClaire",
])
def test_a_take_homes_deadline_is_no_meeting_time(body: str) -> None:
    found = facts(mail(body))
    assert (found.start, found.end) == (datetime(2027, 1, 15, 10, 0, tzinfo=PARIS),
                                        datetime(2027, 1, 15, 11, 0, tzinfo=PARIS))


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nSorry, our CTO is travelling: we have to move your interview from Wednesday 13 January at 3pm to "
    "Friday 15 January at 11am. Same link.\n\nClaire",
    "Bonjour Alice,\n\nNous devons décaler l'échange de mercredi 13 janvier à 15h à vendredi 15 janvier à 11h. "
    "Le lien reste le même.\n\nClaire",
])
def test_a_move_from_the_old_time_to_the_new_gives_the_new(body: str) -> None:
    assert facts(mail(body, subject="RE: Entretien")).start == datetime(2027, 1, 15, 11, 0, tzinfo=PARIS)


@pytest.mark.parametrize("body", [
    "Hi Alice,\n\nPick one of these slots, all shown in your time zone:\n- Friday 15 January, 10:00\n\nTalent, "
    "Quill (London)",
    "Bonjour Alice,\n\nVoici le créneau, indiqué dans votre fuseau horaire : vendredi 15 janvier, 10:00\n\n"
    "Talent, Quill (Londres)",
])
def test_slots_shown_in_her_time_zone_are_in_hers_wherever_the_sender_writes_from(body: str) -> None:
    raw = mail(body, sender="Quill Hiring <talent@quill.co.uk>", date="Mon, 11 Jan 2027 10:00:00 +0000")
    assert facts(raw).start == datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)
    # the same mail with no such words is in the sender's zone
    if b"all shown" in raw:
        assert facts(raw.replace(b", all shown in your time zone", b"")).start == \
            datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_a_deadline_and_the_debrief_in_one_line_are_two_sentences() -> None:
    body = ("Hi Alice,\n\nThe exercise is attached. Deadline: Wednesday 13 January, 12:00. We will then debrief on "
            "Friday 15 January at 10:00.\n\nClaire")
    assert facts(mail(body)).start == datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)
@pytest.mark.parametrize(("signed", "name"), [("Sofia\nBrindle Analytics", "Sofia"),
                                              ("Sofia | Brindle Analytics", "Sofia"),
                                              ("Recruiting\nBrindle Analytics", None),
                                              ("Sofia\nPowered by Lever", None)])
def test_a_systems_mail_signed_with_a_given_name_over_the_company_names_the_recruiter(signed: str,
                                                                                      name: str | None) -> None:
    body = f"Hi Alice,\n\nThank you for your time. We'd like to invite you to a call on 4 March at 10am.\n\n{signed}"
    found = facts(mail(body, sender="Brindle Analytics <no-reply@hire.lever.co>"))
    assert (found.recruiter.name, found.recruiter.email) == (name, None)


def test_a_person_written_surname_first_at_her_family_firm_keeps_her_name() -> None:
    raw = mail("Bonjour Alice,\n\nPouvez-vous venir jeudi 14 janvier à 10h pour un entretien ?\n",
               sender="Leroy Sophie <sophie@leroy-transports.fr>")
    assert facts(raw).recruiter.name in ("Leroy Sophie", "Sophie Leroy")


def test_a_signature_line_with_a_long_run_of_blanks_is_split_at_once() -> None:
    # tried from every blank of the run, the separators took its square: 50,000 blanks took 40 s
    from daemon.understand.people import SEPARATORS
    line = "Claire Dubois" + " " * 50_000 + "x | Acme"
    began = time.monotonic()
    assert [p.strip() for p in SEPARATORS.split(line)] == [("Claire Dubois" + " " * 50_000 + "x").strip(), "Acme"]
    assert time.monotonic() - began < 5, "a hang, not a speed target"
@pytest.mark.parametrize(("sender", "body", "expected"), [
    # a platform's manager signs her sender's name with the platform's: the person, in full from the signature
    ("Paul de LeHibou <paul.g@lehibou.com>",
     "Bonjour Alice,\n\nLe client vous propose un échange le 8 mars à 15h.\n\nÀ bientôt,\nPaul Girard\n"
     "Business Manager | LeHibou", Person("Paul Girard", "paul.g@lehibou.com")),
    ("Lou – Kicklox <lou@kicklox.com>", "Salut Alice,\n\nLe client veut te voir le 8 mars à 15h.\n\nLou",
     Person("Lou", "lou@kicklox.com")),
    # a platform's notification names the client's person beside the client: no address of theirs to answer
    ("Toptal <notifications@toptal.com>",
     "Hi Alice,\n\nMarco Ruiz (Quillmark Analytics) has invited you to a call on 8 March at 3:00 PM ET (Boston).",
     Person("Marco Ruiz", None)),
])
def test_a_freelance_platforms_sender_is_its_manager_or_the_clients_person(sender: str, body: str,
                                                                        expected: Person) -> None:
    found = facts(mail(body, subject="Mission", sender=sender)).recruiter
    assert (found.name, found.email) == (expected.name, expected.email)
    assert facts(mail(body, subject="Mission", sender=sender)).company not in {"Lehibou", "LeHibou", "Kicklox",
                                                                              "Toptal", "Marco"}


def test_a_sender_named_by_a_seat_is_the_person_who_signs() -> None:
    body = "Madame,\n\nJe vous propose un entretien le 8 mars à 15h.\n\nClaire Fabre\nAssistante de Direction"
    found = facts(mail(body, sender="Assistante de P. Vial <assistante.pv@orsaylab.com>")).recruiter
    assert (found.name, found.email) == ("Claire Fabre", "assistante.pv@orsaylab.com")
