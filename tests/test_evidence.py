# SPDX-License-Identifier: MIT
"""The weighed evidence (daemon/understand/evidence.py, rules/evidence.yaml): what decides an invitation
when no phrase of the rules holds, what an ignore rule may and may not do, and how a user sees and
changes the weights."""

from __future__ import annotations

import json
from pathlib import Path

from daemon.understand import analysis, rules
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
