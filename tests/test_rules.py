# SPDX-License-Identifier: MIT
"""The rule engine: files as data, errors that name the place, overrides, every condition."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest

from daemon.model import ParsedMessage
from daemon.understand import mime
from daemon.understand.ical import parse_calendar
from daemon.understand.rules import (
    EVIDENCE_FILE,
    Context,
    Rule,
    RuleError,
    classify,
    load_file,
    load_rules,
    shipped_rules_dir,
)
from tests.conftest import run_cli

SHIPPED = {r.name: r for r in load_rules()}


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def message(subject: str = "Hello", body: str = "Nothing to see.", *, headers: str = "",
            sender: str = "Claire Dubois <claire@acme.fr>", calendar: str | None = None) -> ParsedMessage:
    head = f"From: {sender}\nTo: alice@example.org\nSubject: {subject}\nMessage-ID: <m1@acme.fr>\n{headers}"
    if calendar is None:
        raw = f"{head}Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    else:
        raw = (f"{head}Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n{body}\n"
               f"--B\nContent-Type: text/calendar; method=REQUEST\n\n{calendar}\n--B--\n")
    return mime.parse(raw.encode("utf-8"))


def one_rule(tmp_path: Path, when: str, kind: str = "invitation") -> Rule:
    path = write(tmp_path, "r.yaml", f"rules:\n  - name: r\n    kind: {kind}\n    when: {when}\n")
    (rule,) = load_file(path)
    return rule


def matches(rule: Rule, msg: ParsedMessage, context: Context = Context()) -> bool:
    events = [e for part in msg.calendars for e in parse_calendar(part)]
    return classify([rule], msg, events, context).rule == rule.name


# --- errors name the file and the place


@pytest.mark.parametrize(("body", "where"), [
    ('when: {subject: "(unclosed"}', "rules[3].when.subject: bad regular expression"),
    ('when: {subject: {regex: "[z-a]"}}', "rules[3].when.subject.regex: bad regular expression"),
    ("when: {any: [{subject: x}, {body: {words: []}}]}", "rules[3].when.any[1].body.words: must be a non-empty list"),
    ("when: {all: []}", "rules[3].when.all: must be a non-empty list of conditions"),
    ("when: {not: {sender: {known: true}}}", "rules[3].when.not.sender: must be {known_company: true}"),
    ("when: {subjet: x}", "rules[3].when.subjet: unknown condition"),
    ("when: {calendar: {methode: REQUEST}}", "rules[3].when.calendar.methode: unknown key"),
    ("when: {header: {present: true}}", "rules[3].when.header: needs name"),
    ("when: {subject: {like: x}}", "rules[3].when.subject: unknown matcher 'like'"),
    ("when: {subject: {regex: x, words: [y]}}", "rules[3].when.subject: a matcher is a regex string"),
    ("priority: high\n    when: {subject: x}", "rules[3].priority: must be a whole number"),
    ("language: de\n    when: {subject: x}", "rules[3].language: must be fr or en"),
    ("colour: red\n    when: {subject: x}", "rules[3].colour: unknown key"),
    ("", "rules[3].when: missing"),
])
def test_a_broken_rule_names_its_file_and_path(tmp_path: Path, body: str, where: str) -> None:
    good = "  - {name: g%d, kind: ignore, when: {subject: fine}}\n"
    text = "rules:\n" + "".join(good % i for i in range(3)) + f"  - name: broken\n    kind: invitation\n    {body}\n"
    path = write(tmp_path, "mine.yaml", text)
    with pytest.raises(RuleError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}: {where}")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("text", "problem"), [
    ("rules: [\n", "line 2: not valid YAML"),
    ("rules: {}\n", "rules: must be a list of rules"),
    ("- just a list\n", "rules: must be a list of rules"),
    ("rules:\n  - !!python/object/apply:os.system [echo hi]\n", "not valid YAML"),
    ("rules:\n  - {name: 'a b', kind: ignore, when: {subject: x}}\n", "rules[0].name: must be a name"),
    ("rules:\n  - {name: a, kind: maybe, when: {subject: x}}\n", "rules[0].kind: must be one of"),
])
def test_file_level_problems(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "f.yaml", text)
    with pytest.raises(RuleError, match=r"^" + str(path).replace(".", r"\.") + ": .*" + problem.replace("[", r"\[")
                       .replace("]", r"\]").replace("(", r"\(")):
        load_file(path)


def test_a_name_twice_in_one_directory_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "rules:\n  - {name: same, kind: ignore, when: {subject: x}}\n")
    second = write(tmp_path, "b.yaml", "rules:\n  - {name: same, kind: reply, when: {subject: y}}\n")
    with pytest.raises(RuleError, match=rf"^{second}: rules\[0\]\.name: 'same' is already a rule in .*a\.yaml$"):
        load_rules([tmp_path])


def test_a_missing_user_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"^rules\.paths: .*nowhere: no such directory$"):
        load_rules([tmp_path / "nowhere"])


# --- the daemon and explain refuse a broken rule file: exit 1, one line


def broken_config(tmp_path: Path) -> Path:
    write(tmp_path / "myrules", "bad.yaml", "rules:\n  - name: x\n    kind: invitation\n    when: {subject: '(('}\n")
    config = tmp_path / "config.yaml"
    config.write_text(
        "imap: {host: 127.0.0.1, username: alice@example.org, security: plain}\n"
        "identity: {name: Alice Martin, email: alice@example.org}\n"
        f"storage: {{path: {tmp_path / 'relance.db'}}}\n"
        "rules: {paths: [myrules]}\n", encoding="utf-8")
    return config


@pytest.mark.parametrize("command", [["run", "--once"], ["check"], ["explain", "x.eml"]])
def test_cli_refuses_to_start_with_a_broken_rule_file(tmp_path: Path, command: list[str]) -> None:
    result = run_cli("--config", str(broken_config(tmp_path)), *command)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    if command == ["check"]:
        lines = lines[:1]  # check goes on and reports every problem it finds (here: no server either)
    assert lines == [f"relance: {tmp_path / 'myrules' / 'bad.yaml'}: rules[0].when.subject: "
                     f"bad regular expression: {lines[0].rpartition('bad regular expression: ')[2]}"]
    assert not (tmp_path / "relance.db").exists(), "nothing was started"


# --- overrides and disabling


def test_a_user_rule_with_a_shipped_name_replaces_it(tmp_path: Path) -> None:
    assert "newsletter-unsubscribe" in SHIPPED
    write(tmp_path, "mine.yaml", """\
        rules:
          - name: newsletter-unsubscribe
            kind: ignore
            priority: 1
            when: {subject: never-ever-this}
    """)
    loaded = {r.name: r for r in load_rules([tmp_path])}
    assert len(loaded) == len(SHIPPED)
    assert loaded["newsletter-unsubscribe"].priority == 1
    assert loaded["newsletter-unsubscribe"].origin == str(tmp_path / "mine.yaml")
    newsletter = message("Nos conseils", "Lisez-nous.", headers="List-Unsubscribe: <mailto:u@news.fr>\n")
    assert classify(list(SHIPPED.values()), newsletter).rule == "newsletter-unsubscribe"
    assert classify(list(loaded.values()), newsletter).rule != "newsletter-unsubscribe"


def test_a_later_user_directory_wins(tmp_path: Path) -> None:
    write(tmp_path / "one", "r.yaml", "rules:\n  - {name: mine, kind: reply, when: {subject: x}}\n")
    write(tmp_path / "two", "r.yaml", "rules:\n  - {name: mine, kind: ignore, when: {subject: x}}\n")
    loaded = {r.name: r for r in load_rules([tmp_path / "one", tmp_path / "two"])}
    assert loaded["mine"].kind == "ignore"


def test_a_rule_can_be_disabled_by_name(caplog: pytest.LogCaptureFixture) -> None:
    newsletter = message("Nos conseils", "Lisez-nous.", headers="List-Unsubscribe: <mailto:u@news.fr>\n")
    with caplog.at_level(logging.WARNING, logger="daemon.understand.rules"):
        loaded = load_rules(disabled=["newsletter-unsubscribe", "no-such-rule"])
    assert "newsletter-unsubscribe" not in {r.name for r in loaded}
    assert len(loaded) == len(SHIPPED) - 1
    assert classify(loaded, newsletter).rule != "newsletter-unsubscribe"
    assert "no rule is named 'no-such-rule'" in caplog.text


def test_disabled_in_the_config_reaches_explain(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "imap: {host: 127.0.0.1, username: alice@example.org}\n"
        "identity: {name: Alice Martin, email: alice@example.org}\n"
        f"storage: {{path: {tmp_path / 'relance.db'}}}\n"
        "rules: {disabled: [calendar-interview-request]}\n", encoding="utf-8")
    sample = Path(__file__).parent / "data" / "samples" / "01-google-invite-acme.eml"
    result = run_cli("--config", str(config), "explain", str(sample), "--json")
    assert result.code == 0, result.err
    assert '"calendar-interview-request"' not in result.out


# --- conditions and matchers


def test_words_are_whole_words_without_case_or_accents(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "{subject: {words: [entretien, rendez-vous]}}")
    assert matches(rule, message("ENTRETIEN d'embauche"))
    assert matches(rule, message("Votre rendez-vous"))
    assert matches(rule, message("=?utf-8?q?Entreti=C3=A9n?="))
    assert not matches(rule, message("Entretiens annuels"))


def test_regex_is_folded_too(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, '{body: "entretien pr[eé]vu"}')
    assert matches(rule, message(body="Votre ENTRETIEN PRÉVU demain"))


def test_contains_and_text_and_to(tmp_path: Path) -> None:
    assert matches(one_rule(tmp_path, "{text: {contains: convocation}}"), message("Convocation", "rien"))
    assert matches(one_rule(tmp_path, "{text: {contains: convocation}}"), message("Objet", "une convocation"))
    assert matches(one_rule(tmp_path, "{to: {contains: alice@example}}"), message())
    assert not matches(one_rule(tmp_path, "{to: {contains: bob@}}"), message())


def test_from_sees_name_and_address_and_reply_to(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, '{from: "greenhouse|recrutement"}')
    assert matches(rule, message(sender="Acme <no-reply@greenhouse.io>"))
    assert matches(rule, message(sender="Service Recrutement <x@acme.fr>"))
    assert matches(rule, message(sender="x@y.fr", headers="Reply-To: recrutement@acme.fr\n"))
    assert not matches(rule, message())


def test_header_present_and_matched(tmp_path: Path) -> None:
    present = one_rule(tmp_path, "{header: {name: List-Unsubscribe, present: true}}")
    absent = one_rule(tmp_path, "{header: {name: List-Unsubscribe, present: false}}")
    listed = message(headers="List-Unsubscribe: <mailto:u@x.fr>\n")
    assert matches(present, listed) and not matches(absent, listed)
    assert matches(absent, message()) and not matches(present, message())
    precedence = one_rule(tmp_path, "{header: {name: Precedence, words: [bulk, list]}}")
    assert matches(precedence, message(headers="Precedence: Bulk\n"))
    assert not matches(precedence, message(headers="Precedence: first-class\n"))


CALENDAR = """BEGIN:VCALENDAR
METHOD:{method}
BEGIN:VEVENT
UID:u1
DTSTART:20270112T133000Z
SUMMARY:{summary}
ORGANIZER;CN=Claire:mailto:claire@acme.fr
END:VEVENT
END:VCALENDAR"""


def test_calendar_present_method_organizer_summary(tmp_path: Path) -> None:
    invite = message(calendar=CALENDAR.format(method="REQUEST", summary="Entretien – Data Engineer"))
    reply = message(calendar=CALENDAR.format(method="REPLY", summary="Accepted: Entretien"))
    assert matches(one_rule(tmp_path, "{calendar: {present: true}}"), invite)
    assert matches(one_rule(tmp_path, "{calendar: {present: false}}"), message())
    assert matches(one_rule(tmp_path, "{calendar: {method: request}}"), invite)
    assert not matches(one_rule(tmp_path, "{calendar: {method: [REQUEST, PUBLISH]}}"), reply)
    assert matches(one_rule(tmp_path, "{calendar: {organizer: {contains: '@acme.fr'}}}"), invite)
    assert matches(one_rule(tmp_path, "{calendar: {summary: {words: [entretien]}, method: REQUEST}}"), invite)
    assert not matches(one_rule(tmp_path, "{calendar: {summary: {words: [entretien]}, method: REQUEST}}"), reply)


def test_thread_and_sender_use_the_context(tmp_path: Path) -> None:
    answer = message(headers="In-Reply-To: <sent@example.org>\nReferences: <first@acme.fr> <sent@example.org>\n")
    thread = one_rule(tmp_path, "{thread: {known: true}}")
    assert not matches(thread, answer)
    assert matches(thread, answer, Context(known_message_ids=frozenset({"<first@acme.fr>"})))
    company = one_rule(tmp_path, "{sender: {known_company: true}}")
    assert matches(company, message(), Context(known_company_domains=frozenset({"acme.fr"})))
    assert not matches(company, message(), Context(known_company_domains=frozenset({"acme.com"})))


def test_all_any_not_and_several_keys(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "{all: [{subject: entretien}, {not: {body: webinaire}}], any: [{body: a}, {body: b}]}")
    assert matches(rule, message("Entretien", "plan a"))
    assert not matches(rule, message("Entretien", "webinaire a"))
    assert not matches(rule, message("Entretien", "ccc"))


# --- deciding


def test_the_highest_priority_decides_and_ignore_means_none(tmp_path: Path) -> None:
    write(tmp_path, "r.yaml", """\
        rules:
          - {name: low, kind: invitation, priority: 10, when: {subject: entretien}}
          - {name: high, kind: ignore, priority: 90, when: {subject: webinaire}}
          - {name: tie, kind: reply, priority: 10, when: {subject: entretien}}
    """)
    rule_set = load_file(tmp_path / "r.yaml")
    decided = classify(rule_set, message("Entretien"))
    assert (decided.kind, decided.rule, decided.matched) == ("invitation", "low", ("low", "tie"))
    decided = classify(rule_set, message("Webinaire : réussir son entretien"))
    assert (decided.kind, decided.rule) == ("none", "high")
    assert classify(rule_set, message("Bonjour")) == classify([], message("Bonjour"))
    assert classify([], message()).kind == "none"


def test_a_rule_that_fails_on_a_message_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    def fails(_: object) -> bool:
        raise RecursionError("deep")

    boom = Rule("boom", "invitation", 99, None, fails)
    with caplog.at_level(logging.WARNING, logger="daemon.understand.rules"):
        assert classify([boom], message()).kind == "none"
    assert "rule boom failed" in caplog.text


def test_shipped_rules_load_with_unique_names() -> None:
    names = [r.name for path in sorted(shipped_rules_dir().glob("*.yaml")) if path.name != EVIDENCE_FILE
             for r in load_file(path)]
    assert len(names) == len(set(names)) == len(SHIPPED)
    kinds = {r.kind for r in SHIPPED.values()}
    assert {"invitation", "update", "cancellation", "rejection", "reply", "ignore"} <= kinds


def test_a_tracked_recruiters_calendar_cancel_is_a_cancellation_without_the_word_interview() -> None:
    called_off = message("Annulé : Visio – Contrôleur de gestion",
                         calendar=CALENDAR.format(method="CANCEL", summary="Visio – Contrôleur de gestion"))
    rule = SHIPPED["calendar-interview-cancel"]
    assert not matches(rule, called_off)
    assert matches(rule, called_off, Context(known_company_domains=frozenset({"acme.fr"})))


@pytest.mark.parametrize(("rule", "body"), [
    ("fr-invitation", "Nous serions heureux de vous inviter à notre journée de recrutement du 12 mars, dès 9h."),
    ("fr-invitation", "Nous vous convions à une après-midi de sélection le jeudi 4 mars à 14h."),
    ("en-invitation", "We would like to invite you to our assessment day on Friday 5 March at 9am."),
])
def test_a_recruiting_day_the_candidate_is_invited_to_is_an_invitation(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Candidature", body))


def test_in_an_interview_thread_a_trade_word_names_the_employer_not_an_appointment() -> None:
    body = ("Bonjour Alice, je dois annuler notre entretien de mardi : je suis seule à la pharmacie ce jour-là. "
            "Je vous recontacte pour une autre date.\nNadia, Pharmacie du Marché")
    answer = message("Re: Poste de préparatrice", body, headers="In-Reply-To: <first@nadia.fr>\n")
    rules = list(SHIPPED.values())
    assert classify(rules, answer, [], Context(known_message_ids=frozenset({"<first@nadia.fr>"}))).kind \
        == "cancellation"
    assert classify(rules, answer).rule == "medical-personal-appointment"  # out of a tracked thread: a pharmacy's


def test_asking_whether_an_interview_can_move_is_an_update_in_either_word_order() -> None:
    rules = list(SHIPPED.values())
    for body in ("Hi Alice, would it be OK if we could move Friday's interview to Monday, same time?",
                 "Hi Alice, can we shift the call back to 3pm? Something came up.\nJo"):
        assert classify(rules, message("Re: Interview", body)).kind == "update", body


def test_a_booking_that_says_you_can_move_it_is_no_move() -> None:
    body = "Your interview is booked for Tuesday at 3pm. If needed, you can move your interview to another slot here."
    assert classify(list(SHIPPED.values()), message("Booked: interview", body)).kind != "update"
@pytest.mark.parametrize(("rule", "body"), [
    ("fr-invitation", "Jeudi à 11h, cela vous conviendrait-il pour un premier entretien par téléphone ?"),
    ("fr-invitation", "Est-ce que lundi 9h30 te irait pour un petit échange en visio ?"),
    ("en-invitation", "We'd be keen to continue the conversation with our CTO: would Monday at 2pm work?"),
])
def test_a_time_asked_as_a_question_or_a_conversation_to_continue_is_an_invitation(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Suite", body))


@pytest.mark.parametrize(("body", "language"), [
    ("Je suis au regret de devoir annuler les entretiens prévus jeudi : le poste est gelé.", "fr"),
    ("We regret to inform you that we need to cancel tomorrow's interview, as the role is on hold.", "en"),
    # the calling off said far from the regret, across a title and an abbreviation
    ("Nous sommes au regret de vous informer que le rendez-vous fixé mardi à 9h avec Mme. Roux, directrice des "
     "opérations de Filéa, est malheureusement annulé : elle est en déplacement.", "fr"),
    ("I regret to inform you that the interview scheduled for Monday with Dr. Patel, our Chief Medical Officer, "
     "has unfortunately been cancelled, as she has been called abroad.", "en"),
])
def test_regret_for_calling_off_an_interview_is_a_cancellation_not_a_rejection(body: str, language: str) -> None:
    msg = message("Entretiens", body)
    assert matches(SHIPPED[f"{language}-cancellation"], msg)
    assert not matches(SHIPPED[f"{language}-rejection"], msg)


@pytest.mark.parametrize(("body", "language"), [
    ("Nous sommes au regret de vous informer que votre candidature n'a pas été retenue. L'entretien prévu jeudi "
     "est donc annulé.", "fr"),
    ("We regret to inform you that we will not be moving forward. The interview set for Friday is cancelled.", "en"),
])
def test_a_regret_that_turns_her_down_stays_a_rejection_when_the_call_off_follows(body: str, language: str) -> None:
    assert classify(list(SHIPPED.values()), message("Candidature", body)).rule == f"{language}-rejection"


@pytest.mark.parametrize(("rule", "body"), [
    ("fr-cancellation", "Directrice absente : nous préférons annuler l'entretien de mardi, on te recontacte."),
    ("fr-cancellation", "Grève : nous avons décidé d'annuler la rencontre de jeudi ; nous fixerons une autre date."),
    ("en-cancellation", "Our lead is off sick, so we'd rather cancel Tuesday's interview and find a new date later."),
])
def test_a_calling_off_chosen_rather_than_forced_is_a_cancellation(rule: str, body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Entretien", body)).rule == rule


def test_a_moved_event_sent_again_under_its_first_subject_is_an_update_by_its_body() -> None:
    event = CALENDAR.format(method="REQUEST", summary="Entretien – Data Engineer")
    rules = [SHIPPED["calendar-interview-update"], SHIPPED["calendar-interview-request"]]
    moved = message("Entretien – Data Engineer", "Désolée, nous avons dû décaler l'entretien à jeudi.", calendar=event)
    first = message("Entretien – Data Engineer", "Voici l'invitation pour jeudi, même lien.", calendar=event)
    events = [e for part in moved.calendars for e in parse_calendar(part)]
    assert classify(rules, moved, events).rule == "calendar-interview-update"
    assert classify(rules, first, events).rule == "calendar-interview-request"


@pytest.mark.parametrize("body", [
    "Our director is travelling, so I've moved your interview to Thursday at 9 and updated the calendar invite.",
    "Petit changement : j'ai décalé votre entretien à jeudi 9h, l'invitation suit.",
])
def test_a_move_said_of_your_interview_with_the_event_sent_again_is_an_update(body: str) -> None:
    event = CALENDAR.format(method="REQUEST", summary="Entretien – Data Engineer")
    rules = [SHIPPED["calendar-interview-update"], SHIPPED["calendar-interview-request"]]
    moved = message("Re: Entretien – Data Engineer", body, calendar=event)
    events = [e for part in moved.calendars for e in parse_calendar(part)]
    assert classify(rules, moved, events).rule == "calendar-interview-update"


@pytest.mark.parametrize(("rule", "body", "moved"), [
    ("fr-reschedule", "Votre rendez-vous est confirmé : mardi 14h.\nUn empêchement ? https://rdv.example/c/91\n"
     "Déplacer le rendez-vous\nMerci.", False),
    ("en-reschedule", "Your interview is confirmed for Tuesday at 2pm.\nNeed to change it?\nReschedule your "
     "interview\nThanks.", False),
    ("fr-reschedule", "Désolée, je dois déplacer le rendez-vous à jeudi 10h, un imprévu.", True),
    ("en-reschedule", "Sorry, we need to reschedule the interview, would Thursday suit?", True),
])
def test_a_links_label_offering_to_change_the_slot_moves_nothing(rule: str, body: str, moved: bool) -> None:
    assert matches(SHIPPED[rule], message("Interview", body)) == moved


@pytest.mark.parametrize(("rule", "body", "held"), [
    ("user-interviews-a-candidate", "Who: Jo Kim - organiser, Alice Martin (candidate), Lena Voss", False),
    ("user-interviews-a-candidate", "Could you take the Python part? Please use the scorecard template.", True),
    ("user-interviews-a-candidate", "We would like to invite you to an interview with our CTO on Monday.", False),
    ("contract-signing-after-an-offer", "Ravis que vous ayez accepté notre offre ! Pour signer votre contrat, "
     "passez lundi à 9h.", True),
    ("contract-signing-after-an-offer", "Merci, vous avez accepté notre proposition d'entretien jeudi à 10h.", False),
    ("contract-signing-after-an-offer", "Now that you've accepted the offer, come in on Monday at 9 to sign your "
     "employment contract.", True),
    ("association-board-meeting", "L'assemblée générale annuelle du club aura lieu samedi à 10h. Ordre du jour :\n"
     "1. Recrutement d'un entraîneur", True),
    ("association-board-meeting", "Sorry, our CEO was pulled into a board meeting: can we do Friday at 3pm?", False),
])
def test_an_interview_the_user_runs_a_contract_to_sign_or_a_clubs_meeting_is_no_invitation(
        rule: str, body: str, held: bool) -> None:
    assert matches(SHIPPED[rule], message("Meeting", body)) == held


@pytest.mark.parametrize(("rule", "body"), [
    ("en-rejection", "We met some strong people and have decided to move ahead with an applicant whose background "
                     "in retail is closer to the brief."),
    ("en-rejection", "After a lot of thought we went with someone who has already led a team of ten."),
    ("fr-rejection", "Après réflexion, nous avons décidé de poursuivre avec un candidat qui connaît déjà le secteur."),
    ("fr-rejection", "Nous avons retenu un profil plus expérimenté en gestion de paie."),
    # the others in the plural, with no article
    ("en-rejection", "We've chosen to proceed with applicants who have shipped a payments product before."),
    ("fr-rejection", "Nous avons choisi de poursuivre avec des profils plus proches du terrain."),
])
def test_the_choice_of_another_candidate_said_as_a_candidate_who_fits_better_is_a_rejection(
        rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Your application", body))


@pytest.mark.parametrize(("rule", "body", "invited"), [
    ("fr-invitation", "Merci pour votre candidature. Je vous appellerai jeudi à 11h pour un premier échange.", True),
    ("fr-invitation", "Comme prévu, je t'appelle demain à 9h30 pour en parler.", True),
    ("en-invitation", "Thanks for applying! I'll give you a call on Wednesday at 4pm for a first chat.", True),
    ("en-invitation", "Missed you just now, I'll call you back when I can.", False),
])
def test_a_recruiter_who_says_when_she_will_phone_invites(rule: str, body: str, invited: bool) -> None:
    assert matches(SHIPPED[rule], message("Votre candidature", body)) == invited


def test_a_recruiter_who_would_like_to_book_an_interview_invites() -> None:
    body = "Hello Sam, we'd like to book a 30-minute phone interview with you next week: pick a time below."
    assert matches(SHIPPED["en-invitation"], message("Interview", body))


@pytest.mark.parametrize("body", [
    "Merci pour votre candidature ! Pouvez-vous me communiquer vos disponibilités pour un premier appel ?",
    "Pour la suite, vous pouvez réserver directement un créneau de 20 minutes dans mon agenda.",
])
def test_asking_for_the_candidates_availability_or_a_slot_to_book_is_a_french_invitation(body: str) -> None:
    assert matches(SHIPPED["fr-invitation"], message("Votre candidature", body))


def test_a_registration_confirmed_with_an_interview_word_in_its_event_is_no_invitation() -> None:
    event = CALENDAR.format(method="REQUEST", summary="Ace your PM interview – panel with hiring leads")
    body = "Thanks for registering! The session starts at 6pm CET; the link is in the attached invite."
    msg = message("Registration confirmed: Ace your PM interview", body, calendar=event)
    assert not matches(SHIPPED["calendar-interview-request"], msg)


def test_a_workshop_in_a_calendar_title_is_an_event_but_a_company_named_atelier_is_not() -> None:
    webinar = SHIPPED["webinar-event"]
    workshop = message("Invitation", calendar=CALENDAR.format(method="REQUEST", summary="Atelier CV et LinkedIn"))
    company = message("Invitation", calendar=CALENDAR.format(method="REQUEST",
                                                             summary="Entretien – L'Atelier Nuances (Alice)"))
    assert matches(webinar, workshop)
    assert not matches(webinar, company)
    assert matches(SHIPPED["calendar-interview-request"], company)


@pytest.mark.parametrize(("body", "event"), [
    ("Thank you for signing up for our free masterclass 'Negotiating your offer'. It starts Monday at 7pm.", True),
    ("Merci pour votre inscription au webinaire « Réussir son entretien » ce jeudi à 12h30.", True),
    ("Thank you for your application. We'd like to invite you to an interview on Monday at 10am.", False),
])
def test_thanks_for_signing_up_to_a_webinar_is_an_event(body: str, event: bool) -> None:
    assert matches(SHIPPED["webinar-event"], message("Your seat", body)) == event


@pytest.mark.parametrize(("body", "referee"), [
    ("Julien Morel, candidat au poste de chef de projet, t'a citée comme référente. Aurais-tu 10 minutes mardi ?",
     True),
    ("Dan listed you as a referee for his application to our team. Are you free for a short call on Friday?", True),
    ("Merci de prévoir deux références ; nous vous proposons un entretien jeudi à 10h.", False),
])
def test_the_user_asked_about_a_candidate_as_a_referee_is_no_invitation(body: str, referee: bool) -> None:
    assert matches(SHIPPED["referee-for-a-candidate"], message("Référence", body)) == referee


@pytest.mark.parametrize("body", ["Bonjour Alice, imprévu ce matin : pourrait-on décaler à 17h ?",
                                  "Serait-il possible de le reporter à jeudi même heure ?"])
def test_asking_whether_a_french_interview_can_move_is_an_update(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Re: Entretien", body)).kind == "update"


@pytest.mark.parametrize(("rule", "body", "rejected"), [
    ("en-rejection", "Thanks for your patience: we have now offered the role to another applicant.", True),
    ("en-rejection", "I wanted to let you know the position has now been filled internally.", True),
    ("fr-rejection", "Je reviens vers vous : le poste a finalement été pourvu en interne.", True),
    ("fr-rejection", "Si le poste est déjà pourvu d'ici là, nous garderons votre CV.", False),
    ("en-rejection", "Regrettably we cannot take your application any further for this vacancy.", True),
    ("en-rejection", "After review, the team decided in favor of another applicant with more retail experience.", True),
    ("fr-rejection", "Nous avons choisi de privilégier d'autres profils pour ce poste.", True),
    ("fr-rejection", "Nous ne pouvons malheureusement pas retenir votre candidature.", True),
    ("en-rejection", "Having reviewed every profile, we have opted not to proceed with your candidacy.", True),
    ("en-rejection", "We decided not to go further with you for this role, though we enjoyed our talk.", True),
])
def test_a_role_offered_to_another_or_filled_is_a_rejection(rule: str, body: str, rejected: bool) -> None:
    assert matches(SHIPPED[rule], message("Candidature", body)) == rejected


@pytest.mark.parametrize(("rule", "body"), [
    ("fr-rejection", "Nous avons le regret de vous annoncer que votre candidature n'a pas été retenue."),
    ("fr-rejection", "J'ai le regret de te dire que ton dossier n'a pas été retenu pour l'étape suivante."),
    ("en-rejection", "The client has decided to progress with another applicant for the controller role."),
    ("en-rejection", "I'm sorry to say they will not be taking your application further at this stage."),
])
def test_a_regret_or_a_passive_not_retained_or_not_taken_forward_is_a_rejection(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Candidature", body))


@pytest.mark.parametrize(("rule", "body", "invited"), [
    ("en-informal-meeting-on-an-application", "Your application for our ops role caught my eye. Would you be free "
     "for a quick coffee next week? I'm in Lyon on Tuesday.", True),
    ("fr-informal-meeting-on-an-application", "Votre candidature m'a beaucoup plu : seriez-vous libre pour un café "
     "mardi prochain près de la gare ?", True),
    # a friend's coffee, no application
    ("en-informal-meeting-on-an-application", "Would you be free for a coffee on Tuesday? Long time no see!", False),
])
def test_an_informal_meeting_about_an_application_is_an_invitation(rule: str, body: str, invited: bool) -> None:
    assert matches(SHIPPED[rule], message("Coffee?", body)) == invited


@pytest.mark.parametrize(("rule", "body", "invited"), [
    ("en-informal-meeting-on-an-application", "Thanks for reaching out! We're hiring a first ops person and your "
     "profile fits. Would you be up for a short call on Friday?", True),
    ("fr-informal-meeting-on-an-application", "Merci pour ton message ! On recrute notre premier dev : serais-tu "
     "partante pour un café jeudi près du bureau ?", True),
    # a friend's call, nobody hiring, nothing the user wrote about a job
    ("en-informal-meeting-on-an-application", "Are you up for a quick call tonight? Mum's birthday plans.", False),
])
def test_a_founder_answering_the_candidates_note_or_saying_they_hire_invites_informally(
        rule: str, body: str, invited: bool) -> None:
    assert matches(SHIPPED[rule], message("hello", body)) == invited


@pytest.mark.parametrize(("rule", "body", "invited"), [
    ("en-referral-meeting", "I passed your resume on to our head of data, Tom Reyes, and he'd love to have a quick "
     "chat with you on Monday.", True),
    ("en-referral-meeting", "We've forwarded your profile to the client: their CTO would like to speak with you "
     "this week.", True),
    ("fr-referral-meeting", "J'ai transmis ton CV à mon directeur, Paul : il voudrait bien te rencontrer jeudi "
     "à 9h.", True),
    ("fr-referral-meeting", "Le cabinet a présenté votre profil à notre client, qui souhaite organiser un premier "
     "échange mardi.", True),
    # a friend who read the CV and would like to meet, nobody to pass it on to
    ("fr-referral-meeting", "J'ai relu ton CV, il est top ! Je voudrais bien te voir samedi pour un verre.", False),
    ("en-referral-meeting", "Would love to catch up on Friday, sent you the photos from the wedding.", False),
    # a mentor's introduction to someone who would chat about her career: no CV passed on to one who hires
    ("en-referral-meeting", "I've introduced you to Jane by mail; she'd love to chat about her move into data.",
     False),
])
def test_a_cv_passed_on_to_someone_who_would_like_to_meet_is_an_invitation(rule: str, body: str,
                                                                           invited: bool) -> None:
    assert matches(SHIPPED[rule], message("Hello", body)) == invited


def test_settling_a_mock_interview_in_an_interview_thread_confirms_no_interview() -> None:
    rule = SHIPPED["en-thread-confirmation"]
    body = "Sure! Let's do the mock interview on Friday at 6pm, I'll play the hiring manager."
    assert not matches(rule, message("Re: my interview at Brisk", body))
    assert matches(rule, message("Re: my interview at Brisk", "Let's do Friday at 6pm, see you then."))
# --- news in a thread, and threads that only look like an interview's

TRACKED = Context(known_message_ids=frozenset({"<first@acme.fr>"}))


def answer(subject: str, body: str) -> ParsedMessage:
    return message(subject, body, headers="In-Reply-To: <first@acme.fr>\n")


def test_an_answers_subject_in_a_tracked_thread_is_the_first_messages_news_not_its_own() -> None:
    msg = answer("Re: Invitation to interview - Buyer", "Thanks Alice, noted. The car park is behind the warehouse.")
    assert matches(SHIPPED["en-invitation"], msg)  # out of a tracked thread, the subject is all there is to read
    assert not matches(SHIPPED["en-invitation"], msg, TRACKED)


@pytest.mark.parametrize(("body", "news"), [
    ("Merci pour votre confirmation. Pensez à une pièce d'identité pour l'accueil ; à jeudi.", True),
    ("Thank you for confirming! Parking is free on site, see you on Monday.", True),
    ("Thanks for confirming Thursday, I've booked the room: see you then.", False),
])
def test_thanks_for_a_confirmed_attendance_is_a_reply_not_an_invitation(body: str, news: bool) -> None:
    got = classify(list(SHIPPED.values()), answer("Re: Interview - Buyer", body), [], TRACKED)
    assert (got.rule == "answer-to-a-confirmed-attendance") is news
    assert got.kind == ("reply" if news else "invitation")


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Re: Your interview with Brisk is confirmed", "Parking is behind the building. See you on Monday at 9!", "reply"),
    ("RE: Confirmation de votre entretien", "Pensez à votre pièce d'identité. À lundi 9h !", "reply"),
    ("Re: Your interview with Brisk is confirmed", "Sorry, we need to move the interview: could we do Tuesday at 3pm?",
     "update"),
    ("Re: Interview - Buyer", "Let's lock in Monday at 9am then, see you then.", "invitation"),
])
def test_see_you_in_the_thread_of_a_confirmed_interview_restates_it(subject: str, body: str, kind: str) -> None:
    assert classify(list(SHIPPED.values()), answer(subject, body), [], TRACKED).kind == kind


def test_past_reviews_to_bring_in_a_tracked_thread_are_no_review_of_ones_own() -> None:
    body = "Pour jeudi, apportez vos diplômes et vos derniers entretiens annuels si vous les avez."
    assert not matches(SHIPPED["workplace-review"], answer("Re: Entretien - Acheteur", body), TRACKED)
    assert matches(SHIPPED["workplace-review"], message("Campagne", "Votre entretien annuel aura lieu jeudi."))


@pytest.mark.parametrize("body", [
    "Désolé, je suis obligé d'annuler notre déjeuner de vendredi, je reviens vers vous vite.",
    "So sorry Alice, I have to cancel our coffee on Friday - I'll be in touch.",
])
def test_in_a_tracked_thread_a_call_off_is_the_interviews_whatever_it_is_called(body: str) -> None:
    rules = list(SHIPPED.values())
    assert classify(rules, answer("Re: Poste de juriste", body), [], TRACKED).kind == "cancellation"
    assert classify(rules, message("Vendredi", body)).kind != "cancellation"  # a friend's lunch


@pytest.mark.parametrize(("rule", "body"), [
    ("en-cancellation", "Monday's interview (10am, at our Leeds office) has unfortunately been cancelled."),
    ("fr-cancellation", "L'entretien de lundi (10h, à notre agence de Lyon) est malheureusement annulé."),
    ("fr-rejection", "Nous ne donnerons finalement pas suite à votre candidature."),
    ("fr-rejection", "Nous avons décidé de continuer le recrutement avec une autre personne."),
    ("en-rejection", "We have chosen to continue the process with another candidate."),
    ("fr-reschedule", "Une urgence nous oblige à le reporter : seriez-vous libre lundi à 10h pour notre entretien ?"),
    ("en-reschedule", "We are forced to postpone the interview: would Monday at 10am suit you?"),
    ("en-invitation", "Next, a call with our CTO. Please choose one of the following slots: Mon 10am, Tue 2pm."),
    ("en-invitation", "Please select a time for your onsite interview on the page below."),
    ("en-invitation", "Would you have time for a short video call next week about the role?"),
    ("fr-invitation", "Auriez-vous un moment pour un premier échange téléphonique mardi ou mercredi ?"),
])
def test_the_same_news_in_other_words(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Votre candidature", body)), body


def test_a_friend_with_time_for_a_quick_call_is_asking_no_interview() -> None:
    assert not matches(SHIPPED["en-invitation"], message("Hi", "Do you have time for a quick call? I need CV advice."))


@pytest.mark.parametrize(("subject", "body", "rule"), [
    ("Votre colis arrive", "Tentative de livraison échouée. Nouvelle date : lundi 7 décembre. Modifiez votre "
     "rendez-vous de livraison en ligne.", "parcel-delivery"),
    ("Your order", "Your parcel's delivery slot has moved: new time Monday 7 December, 8am-1pm.", "parcel-delivery"),
    ("Changement de date", "Vous êtes inscrit au webinaire « Négocier son salaire », il est reporté au 9 "
     "décembre à 18h : nouvelle date.", "webinar-event"),
    ("New date", "You're registered for the webinar 'Acing panel interviews': it has been rescheduled to "
     "Wednesday at 6pm.", "webinar-event"),
])
def test_a_delivery_or_a_webinar_moved_is_no_interview_moved(subject: str, body: str, rule: str) -> None:
    got = classify(list(SHIPPED.values()), message(subject, body, sender="Service <no-reply@shop.example>"))
    assert got.kind == "none" and got.rule == rule


@pytest.mark.parametrize(("subject", "alert"), [
    ("Boulangerie Petit invited you to a video interview", False),
    ("La Cave Rouge vous invite à un entretien téléphonique", False),
    ("12 nouvelles offres pour vous : data analyst", True),
    ("You're invited to apply: Data Analyst at Norda", True),
    ("Un recruteur souhaite vous rencontrer : Commis de cuisine H/F", False),
    ("An employer would like to meet you - Warehouse Operative", False),
    ("A recruiter wants to schedule an interview with you", False),
    ("France Travail vous convoque à une réunion d'information", True),
])
def test_a_job_board_relaying_an_employers_interview_is_no_alert(subject: str, alert: bool) -> None:
    msg = message(subject, "Vendredi 4 décembre, 10:00", sender="Indeed <interviews@indeed.com>")
    assert matches(SHIPPED["job-alert-senders"], msg) == alert


@pytest.mark.parametrize(("rule", "body", "called_off"), [
    ("fr-cancellation", "Votre rendez-vous d'entretien est confirmé jeudi à 9h. Pour déplacer ou annuler votre "
     "rendez-vous, appelez le 04 72 10 20 30.", False),
    ("fr-cancellation", "Rendez-vous confirmé lundi 10h. Si vous devez annuler votre rendez-vous, appelez.", False),
    ("fr-cancellation", "Je suis désolée, je dois annuler notre rendez-vous de lundi.", True),
    ("fr-cancellation", "À lundi 9h ! Pour toute annulation de votre rendez-vous, écrivez-nous 48h avant.", False),
    ("en-cancellation", "Your interview is on Monday at 10am. If you need to cancel your interview, reply.", False),
    ("en-cancellation", "See you Monday. To reschedule or cancel your interview, use the link below.", False),
    ("en-cancellation", "I'm so sorry, we have to cancel our interview on Monday.", True),
])
def test_how_to_call_an_appointment_off_is_no_cancellation(rule: str, body: str, called_off: bool) -> None:
    assert matches(SHIPPED[rule], message("Rendez-vous", body)) is called_off


@pytest.mark.parametrize(("rule", "body"), [
    ("vendor-demo", "Thanks for booking a demo! I'll show you how our payroll tool handles new hires on Friday."),
    ("vendor-demo", "Suite à votre demande, je vous confirme la démonstration de notre logiciel RH mardi à 10h."),
    ("coaching-practice", "Dans le cadre de votre bilan de compétences, votre rendez-vous est fixé au 3 mars."),
    ("coaching-practice", "Our outplacement adviser will review your applications with you on Monday at 2pm."),
    ("coaching-practice", "Votre rendez-vous de conseil en évolution professionnelle est fixé au jeudi 4 mars à 10h."),
    # her own employer asking how her time with them went, as she leaves
    ("workplace-review", "Before your last day, HR would like a 20-minute exit interview with you on Tuesday at 11."),
    ("workplace-review", "Votre entretien de départ avec la DRH est fixé mercredi à 15h, avant la fin du contrat."),
])
def test_a_vendors_demo_or_a_job_search_counselling_meeting_is_no_interview(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Rendez-vous", body))


@pytest.mark.parametrize(("rule", "body"), [
    ("en-informal-meeting-on-an-application", "Hi Alice, my co-founder gave me your name for the ops role we're "
     "about to open. Would you be up for a 20-minute phone call next week? Send me a few times."),
    ("en-informal-meeting-on-an-application", "Thanks for reaching out about the barista job! Could you come by "
     "the shop one afternoon this week?"),
    ("en-informal-meeting-on-an-application", "Thanks for your note and the photos of your pieces. For the "
     "apprentice job, could you come by the workshop one morning next week?"),
    ("fr-informal-meeting-on-an-application", "Merci pour ton message. Pour le poste de commis, tu pourrais passer "
     "nous voir au restaurant jeudi en fin de matinée ?"),
])
def test_a_meeting_asked_about_a_role_without_a_time_set_is_an_invitation(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Hello", body))


def test_an_agency_in_charge_of_the_candidate_is_no_counselling_service() -> None:
    body = ("Je serai en charge de votre accompagnement pour ce poste : mon client vous propose un entretien "
            "jeudi à 10h.")
    assert not matches(SHIPPED["coaching-practice"], message("Entretien", body))
@pytest.mark.parametrize(("rule", "body"), [
    ("en-invitation", "Hello Alice,\nThanks for applying to the Data role; our team would like to\nmeet you next "
     "week. Let us know\nyour availability.\nSam"),
    ("fr-invitation", "Bonjour Alice,\nsuite à votre candidature, je souhaiterais\nvous rencontrer la semaine "
     "prochaine.\nMarc"),
])
def test_a_phrase_a_mail_client_wrapped_over_two_lines_is_read_whole(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Candidature", body))


@pytest.mark.parametrize(("rule", "body"), [
    ("fr-trial-day", "Bonjour, suite à votre candidature au poste de vendeuse, pouvez-vous venir faire une "
     "demi-journée d'immersion samedi matin à la boutique ?"),
    ("en-trial-shift", "Hi Alice, thanks for your CV. Could you come in for a paid trial shift on Friday, 5 to 11pm, "
     "for the line cook job?"),
])
def test_a_trial_day_at_the_workplace_is_the_interview_of_a_trade(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Candidature", body))


@pytest.mark.parametrize("body", [
    "Votre période d'essai au poste de vendeuse se termine le 30 : passez me voir lundi.",
    "Start your free trial today: the job board for designers, 30 days on us.",
    "Votre séance d'essai à la salle est réservée jeudi 18h. Bienvenue !",
])
def test_a_probation_a_free_trial_or_a_gym_session_is_no_trial_day(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Essai", body)).rule not in ("fr-trial-day", "en-trial-shift")


@pytest.mark.parametrize("body", [
    "Hi Alice, thank you for applying for the Designer role. After careful review, we have decided not to move "
    "forward at this stage.",
    "Hello, we've decided to not proceed with your application. Best of luck.",
])
def test_a_rejection_that_names_nothing_it_will_not_move_forward_with(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Your application", body)).kind == "rejection"


@pytest.mark.parametrize("body", [
    "Coucou ! Je vous ai mise en référence pour mon poste chez Orvane : leur RH vous appellera mardi à 10h.",
    "Hey, I put you down as one of my references for the Lyra job: their recruiter will call you Tuesday at 10am.",
])
def test_a_friend_who_named_the_user_as_his_referee_brings_no_interview(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Référence", body)).rule == "referee-for-a-candidate"


def test_a_trade_word_in_the_posts_title_is_no_personal_appointment() -> None:
    rules = list(SHIPPED.values())
    post = ("Votre candidature au poste de Conseiller bancaire a retenu notre attention : nous vous proposons un "
            "entretien le mardi 12 janvier à 10h.")
    assert classify(rules, message("Candidature", post)).kind == "invitation"
    visit = ("Votre conseiller bancaire vous propose un rendez-vous le mardi 12 janvier à 10h pour votre prêt "
             "immobilier.")
    assert classify(rules, message("Rendez-vous", visit)).rule == "medical-personal-appointment"


@pytest.mark.parametrize(("rule", "body"), [
    ("en-rejection", "Many thanks for your interest in the Buyer post. We have decided not to progress you to the "
     "interview stage on this occasion."),
    ("en-rejection", "After reading every application we will not be inviting you to a first interview."),
    ("fr-rejection", "Après étude de votre dossier, nous ne sommes pas en mesure de vous proposer d'entretien."),
])
def test_a_rejection_before_any_interview_is_a_rejection(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Votre candidature", body)), body


def test_moving_forward_to_the_interview_stage_is_no_rejection() -> None:
    body = "Good news: we have decided to move you forward to the interview stage. Are you free on Monday at 10am?"
    assert classify(list(SHIPPED.values()), message("Your application", body)).kind != "rejection"


@pytest.mark.parametrize(("rule", "body"), [
    ("en-cancellation", "Priya Shah has cancelled the following meeting.\nWhat: Intro call - Ostara\nWhen: Mon 3pm"),
    ("fr-cancellation", "Léa Morel a annulé l'événement suivant : Entretien RH, lundi 14 h."),
])
def test_a_schedulers_notice_that_the_event_is_cancelled_is_a_cancellation(rule: str, body: str) -> None:
    assert matches(SHIPPED[rule], message("Canceled: Alice Martin and Priya Shah", body)), body


@pytest.mark.parametrize("body", [
    "Nous recrutons un chef de projet : seriez-vous dispo jeudi à 15h pour en parler ?",
    "Suite à votre candidature, seriez-vous dispo pour un rapide call demain à 10h ?",
])
def test_dispo_and_a_quick_call_are_the_invitations_informal_words(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Message", body)).kind == "invitation"


def test_an_offer_relayed_by_an_employment_adviser_is_no_bank_appointment() -> None:
    rules = list(SHIPPED.values())
    relay = ("Suite à votre candidature à l'offre 55K21 proposée par votre conseiller, l'entreprise Transports Vidal "
             "vous propose un entretien le jeudi 14 janvier à 9h30.")
    assert classify(rules, message("Entretien", relay)).kind == "invitation"
    bank = "Votre conseiller vous propose un rendez-vous le jeudi 14 janvier à 9h30 au sujet de votre épargne."
    assert classify(rules, message("Rendez-vous", bank)).rule == "medical-personal-appointment"


@pytest.mark.parametrize(("body", "event"), [
    ("Suite à votre candidature chez notre client, vous êtes convoqué à un entretien individuel lors de notre forum "
     "de recrutement. Votre créneau d'entretien : mardi 12 janvier à 11h40.", False),
    ("Thanks for applying. Your interview slot is Tuesday 12 January at 11:40, stand B4 of our careers fair.",
     False),
    ("Venez rencontrer 30 entreprises qui recrutent au forum de l'emploi, mardi 12 janvier de 9h à 17h.", True),
])
def test_ones_own_interview_at_a_recruiting_event_is_no_event(body: str, event: bool) -> None:
    assert matches(SHIPPED["webinar-event"], message("Forum emploi du 12/01 - Cariste", body)) is event


@pytest.mark.parametrize("body", [
    "Nous vous convions à un entretien de positionnement avant l'entrée en formation CAP Cuisine : lundi 11 "
    "janvier à 9h, tests écrits puis entretien de motivation.",
    "Following your application to the Level 3 Diploma in Plumbing, we'd like to invite you to a pre-course "
    "interview on Monday 11 January at 9am.",
])
def test_a_training_bodys_admission_talk_is_no_job_interview(body: str) -> None:
    assert matches(SHIPPED["school-admission"], message("Votre candidature", body))


@pytest.mark.parametrize("body", [
    "Suite à votre candidature pour le poste de plongeur, pouvez-vous passer au café ce jeudi vers 15h ?",
    "Merci pour votre candidature : pourriez-vous venir à l'hôtel le mardi en fin de matinée ?",
])
def test_come_to_the_workplace_on_a_named_day_is_an_invitation(body: str) -> None:
    assert matches(SHIPPED["fr-informal-meeting-on-an-application"], message("Candidature", body))


def test_a_question_without_inversion_asks_for_an_interview_in_vous_only() -> None:
    ask = "Merci pour votre CV. Vous êtes dispo jeudi 10h pour un essai à l'atelier ?"
    assert matches(SHIPPED["fr-invitation"], message("Re: candidature", ask))
    friend = "Coucou ! Tu es dispo samedi 15h pour un café ?"
    assert not matches(SHIPPED["fr-invitation"], message("Samedi", friend))
@pytest.mark.parametrize("body", [
    "Thanks for applying to our Backend Developer role. We'd like a first call of 20 min: could you send me a few "
    "available times next week?",
    "Merci pour ta candidature au poste de comptable ! Un premier appel de 20 minutes ? Envoie-moi quelques dispos.",
    # a founder answering her note, in a word of her own
    "Merci pour ton mot ! On recrute justement un chef de produit : ça te dirait qu'on se voie mardi à 14h en visio ?",
    "Thanks for your note! We're actually looking for a Senior Data Engineer. Fancy a quick video call on Tuesday "
    "at 2pm?",
])
def test_asking_for_a_few_availabilities_or_fancy_a_call_are_invitations(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Hello", body)).kind == "invitation", body


@pytest.mark.parametrize("body", [
    "Thanks for your application to the QA Engineer role. Here are three slots for a first interview:\n"
    "- Monday 10:00\n- Tuesday 14:00\n- Wednesday 9:30",
    "Merci pour votre candidature au poste de juriste. Voici quelques créneaux pour un premier échange :\n"
    "- lundi 10h\n- mardi 14h",
])
def test_a_list_of_slots_offered_is_an_invitation(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Interview", body)).kind == "invitation", body


def test_free_on_a_day_for_an_interview_is_an_invitation() -> None:
    body = "Thanks for applying. Would you be available on Monday 14 December at 4pm GMT for a video interview?"
    assert classify(list(SHIPPED.values()), message("Application", body)).kind == "invitation"


@pytest.mark.parametrize("body", [
    "Thanks for applying to our QA role. The interview is on Tuesday 8 December, 17:00-18:00 CET.",
    "Thanks for applying. Our technical interview will take place on 14 December at 10am UK time.",
])
def test_the_interview_is_on_a_day_is_an_invitation(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Application", body)).kind == "invitation", body


def test_convier_a_une_entrevue_is_an_invitation() -> None:
    body = "Merci pour votre candidature. Nous vous invitons à une entrevue virtuelle le 10 décembre à 10 h."
    assert classify(list(SHIPPED.values()), message("Candidature", body)).kind == "invitation"


@pytest.mark.parametrize("body", [
    "Merci pour ton temps. On a finalement retenu quelqu'un basé à Montréal.",
    "Merci pour l'entretien. Nous n'allons malheureusement pas poursuivre le recrutement avec vous.",
    "Merci pour ton cas pratique ! On ne va donc pas continuer le process avec toi, mais bravo pour le travail.",
])
def test_an_informal_french_rejection_is_a_rejection(body: str) -> None:
    assert classify(list(SHIPPED.values()), message("Ta candidature", body)).kind == "rejection", body


@pytest.mark.parametrize("body", [
    "Alice, the boiler flooded the office: let's call off tomorrow, I'll send new dates soon. Tom",
    "Sorry Alice, something came up - I'm calling it off for today, more next week.",
    "Désolée Alice, ma fille est malade : on laisse tomber pour demain, je te recontacte.",
    "Hi Alice, the founders are stuck in Berlin, so we'll have to scrap Thursday. New options to follow.",
    "Bonjour Alice, grève des trains : on oublie jeudi, je te propose d'autres dates vite.",
    "Je suis navré, je vais devoir vous faire faux bond mardi ; je reviens vers vous avec d'autres dates.",
])
def test_a_meeting_called_off_in_a_tracked_thread_without_the_word_cancel_is_a_cancellation(body: str) -> None:
    assert classify(list(SHIPPED.values()), answer("Re: coffee?", body), [], TRACKED).kind == "cancellation"


def test_what_is_skipped_in_a_meeting_is_no_calling_off() -> None:
    body = "Great, let's skip the formalities and scrap the slides: see you Thursday at 10, Tom."
    assert classify(list(SHIPPED.values()), answer("Re: coffee?", body), [], TRACKED).kind != "cancellation"


@pytest.mark.parametrize(("body", "said"), [
    ("Votre rendez-vous avec notre conseillère est fixé mardi à 10h. Il ne s'agit pas d'un entretien d'embauche.",
     True),
    ("Thanks for agreeing to talk to our students on Friday at 3pm: this isn't a job interview.", True),
    ("Our call on Monday at 10 is not a job interview as such, more a first chat about the role.", False),
    ("Ce n'est pas un entretien de recrutement classique : venez avec un cas concret, jeudi à 14h.", False),
])
def test_a_meeting_said_to_be_no_hiring_interview_is_none(body: str, said: bool) -> None:
    assert matches(SHIPPED["said-not-a-job-interview"], message("Rendez-vous", body)) is said
