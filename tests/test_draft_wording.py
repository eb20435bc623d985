# SPDX-License-Identifier: MIT
"""Drafts a recruiter is glad to receive: no doubtful fact, skills in the draft's language, the J+1 on a
business day when asked, the HTML part only when wanted. Over a real Dovecot, as the user reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon import config
from daemon.followups.doubt import trusted_company, trusted_position
from tests.conftest import Env
from tests.scenarios import calendar_file, draft_body, dues, followup, record

OWN_NAME = "Alice Martin"


@pytest.mark.parametrize(("company", "kept"), [
    ("Hexa Conseil", True),
    ("Acmé Finance", True),
    ("RH Hexa Conseil", True),
    ("Alice Martin", False),  # the user's own name, read from their own signature
    ("MARTIN Alice", False),
    ("Ressources Humaines", False),
    ("Service du personnel", False),
    ("Talent Acquisition", False),
    ("Recruiting Team", False),
    ("Welcome to the Jungle", False),
    ("Workday", False),
    ("Calendly", False),
    ("Google Calendar", False),
    ("", False),
])
def test_a_company_that_may_not_be_the_employer_is_not_used(company: str, kept: bool) -> None:
    assert (trusted_company(company, OWN_NAME) == company) is kept


@pytest.mark.parametrize(("position", "kept"), [
    ("Analyste financier", True),
    ("Data Engineer", True),
    ("Alice Martin", False),
    ("Entretien", False),
    ("Entretien visio", False),
    ("Interview", False),
    ("Candidature", False),
])
def test_a_position_that_only_says_interview_or_names_the_user_is_not_used(position: str, kept: bool) -> None:
    assert (trusted_position(position, OWN_NAME) == position) is kept


def add(env: Env, *extra: str) -> None:
    result = env.relance("add", "--start", "2026-12-03T14:30", "--recruiter-name", "Sophie Morel",
                         "--recruiter-email", "sophie.morel@hexa-conseil.fr",
                         "--now", "2026-11-30T10:00:00+01:00", *extra)
    assert result.code == 0, result.err


def test_a_draft_never_names_the_user_or_a_department_as_the_employer(env: Env) -> None:
    add(env, "--company", "Alice Martin", "--position", "Entretien")
    env.run_at("2026-12-04T09:05:00+01:00")
    text = draft_body(env)
    assert "Alice Martin" not in text.split("Bien cordialement")[0]
    assert "Notre échange a confirmé mon intérêt pour ce poste." in text.replace("\r\n", "\n")
    [draft] = env.drafts()
    assert draft["Subject"] == "Merci pour notre entretien"


def test_key_skills_per_language_keep_french_names_out_of_an_english_draft(env: Env) -> None:
    env.write_config(identity__key_skills={"fr": ["modélisation financière", "SQL"],
                                           "en": ["financial modelling", "SQL"]})
    add(env, "--company", "Initech", "--position", "Financial Analyst", "--language", "en")
    env.run_at("2026-12-04T09:05:00+01:00")
    text = draft_body(env)
    assert "my skills in financial modelling and SQL" in text
    assert "modélisation" not in text


def test_key_skills_as_a_plain_list_are_still_accepted(tmp_path: Path) -> None:
    data = {"imap": {"host": "imap.example.org", "username": "a@example.org"},
            "identity": {"name": "A B", "email": "a@example.org", "key_skills": ["SQL"]}}
    skills = config.parse(data, None).identity.key_skills
    assert skills.of("fr") == skills.of("en") == ("SQL",)
    data["identity"]["key_skills"] = {"de": ["SQL"]}  # type: ignore[index]
    with pytest.raises(config.ConfigError) as caught:
        config.parse(data, tmp_path / "c.yaml")
    assert caught.value.problems == [f"{tmp_path / 'c.yaml'}: identity.key_skills: languages are fr and en, not de"]


def test_with_weekends_off_a_saturday_thank_you_waits_for_monday(env: Env) -> None:
    """An interview on Friday 4 Dec: J+1 is Saturday 5 Dec; with weekends: false it is Monday 7 Dec 09:00."""
    env.write_config(followups__thank_you={"weekends": False})
    result = env.relance("add", "--start", "2026-12-04T14:30", "--recruiter-email", "s.morel@hexa-conseil.fr",
                         "--now", "2026-11-30T10:00:00+01:00")
    assert result.code == 0, result.err
    assert dues(record(env))["thank_you"] == "2026-12-07T09:00:00+01:00"


def test_by_default_the_thank_you_is_the_day_after_even_a_saturday(env: Env) -> None:
    result = env.relance("add", "--start", "2026-12-04T14:30", "--recruiter-email", "s.morel@hexa-conseil.fr",
                         "--now", "2026-11-30T10:00:00+01:00")
    assert result.code == 0, result.err
    assert dues(record(env))["thank_you"] == "2026-12-05T09:00:00+01:00"


def test_drafts_html_false_gives_a_text_only_draft(env: Env) -> None:
    env.write_config(drafts={"html": False})
    add(env, "--company", "Hexa Conseil")
    env.run_at("2026-12-04T09:05:00+01:00")
    [draft] = env.drafts()
    assert draft.get_content_type() == "text/plain"
    assert followup(record(env), "thank_you")["state"] == "done"


def test_a_call_without_a_company_names_the_person_and_the_day(env: Env) -> None:
    result = env.relance("add", "--start", "2027-01-12T10:00", "--recruiter-name", "Jean Dupont",
                         "--recruiter-phone", "+33 1 23 45 67 89", "--now", "2027-01-05T10:00:00+01:00")
    assert result.code == 0, result.err
    events = calendar_file(env)
    assert str(events["call"]["SUMMARY"]) == "Appeler Jean Dupont (entretien du 12 janvier)"
    assert str(events["debrief"]["SUMMARY"]) == "Debrief : entretien du 12 janvier"
