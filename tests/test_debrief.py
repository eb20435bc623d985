# SPDX-License-Identifier: MIT
"""The J+0 debrief: the sheet, `relance debrief` through $EDITOR, and what it feeds (draft, call)."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daemon.followups import debrief
from tests.conftest import Env
from tests.scenarios import ACME, calendar_file, draft_body, followup, history, record, write

FACTS = debrief.SheetFacts(3, "Acme", "Analyste financier", datetime(2026, 12, 3, 14, 30, tzinfo=ZoneInfo(
    "Europe/Paris")), "Claire Dubois", None, None, None)

# An editor that applies (old, new) replacements to the sheet, keeps what it was shown, and fails when an
# expected line is missing: the test then sees the prefill was not what it should be.
EDITOR = """
import json, shutil, sys
rules, shown, path = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.copy(path, shown)
text = open(path, encoding="utf-8").read()
for old, new in json.load(open(rules, encoding="utf-8")):
    if old not in text:
        sys.exit(3)
    text = text.replace(old, new, 1)
open(path, "w", encoding="utf-8").write(text)
"""


def use_editor(env: Env, monkeypatch: pytest.MonkeyPatch, *replacements: tuple[str, str]) -> Path:
    """$EDITOR becomes a script making these replacements; returns where the sheet it was shown is kept."""
    script = write(env.home / "editor.py", EDITOR)
    rules = write(env.home / "edits.json", json.dumps(replacements))
    shown = env.home / "shown.md"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {rules} {shown}")
    return shown


# --- the sheet alone


def test_sheet_has_every_section_the_advice_names_prefilled_with_the_record() -> None:
    facts = debrief.SheetFacts(3, "Acme", "Analyste financier", FACTS.start, "Claire Dubois",
                               "un second entretien", "mail", "Madame")
    text = debrief.sheet(facts, "fr")
    assert text.startswith("# Debrief — Acme · Analyste financier (#3)\n"
                           "# Entretien du jeudi 3 décembre 2026 à 14:30 avec Claire Dubois\n")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["Premières impressions", "Fiche entreprise", "Fiche de poste", "Auto-évaluation : la forme",
                        "Auto-évaluation : le fond", "Conclusions pour le prochain entretien",
                        "Pour le mail de remerciement"]
    for words in ("tics de langage", "Me suis-je bien vendu(e) ?", "Ma motivation s'est-elle vue ?",
                  "Où étais-je mal à l'aise ?", "Quelles questions m'ont déstabilisé(e) ?",
                  "Prochaines étapes : un second entretien",
                  "Préférence de contact (mail / téléphone) : mail uniquement",
                  "Civilité du recruteur (Madame / Monsieur) : Madame"):
        assert words in text
    assert debrief.parse(text) == debrief.Notes(next_steps="un second entretien", contact_preference="mail",
                                                recruiter_title="Madame")


def test_english_sheet_reads_back_the_same_way() -> None:
    text = debrief.sheet(FACTS, "en")
    assert "## Self-assessment: substance" in text and "Did I sell myself?" in text
    filled = (text.replace("What they look for:\n- ", "What they look for:\n- attention to detail\n- SQL")
              .replace("Next steps:", "Next steps: a case study next week")
              .replace("## For the thank-you mail", "## For the thank-you mail\n- I passed the CFA level 1"))
    notes = debrief.parse(filled)
    assert notes.looks_for == ("attention to detail", "SQL")
    assert notes.next_steps == "a case study next week"
    assert notes.new_facts == ("I passed the CFA level 1",)


def test_parse_keeps_at_most_two_new_facts_and_ignores_guidance_and_unknown_sections() -> None:
    text = """# Debrief
## Fiche de poste
> Ce qu'ils recherchent : ceci est une consigne
Ce qu’ils recherchent :
- rigueur

- autonomie
Ils ont beaucoup parlé du projet.
Prochaines étapes :
réponse sous quinze jours,
puis un cas pratique

## Mes notes à moi
- pas un fait nouveau
## Pour le mail de remerciement
- premier fait
- second fait
- troisième fait
"""
    notes = debrief.parse(text)
    assert notes.looks_for == ("rigueur", "autonomie")
    assert notes.next_steps == "réponse sous quinze jours, puis un cas pratique"
    assert notes.new_facts == ("premier fait", "second fait")


@pytest.mark.parametrize(("words", "preference"), [
    ("mail uniquement", "mail"), ("par e-mail seulement", "mail"), ("by email only", "mail"),
    ("ne pas appeler", "mail"), ("please do not call", "mail"), ("téléphone", "phone"), ("phone", "phone"),
    ("mail ou téléphone", None), ("", None), ("peu importe", None),
])
def test_contact_preference_words(words: str, preference: str | None) -> None:
    assert debrief.contact_preference(words) == preference


@pytest.mark.parametrize(("words", "title"), [
    ("Madame", "Madame"), ("Mme.", "Madame"), ("M.", "Monsieur"), ("ms", "Ms"), ("Dr", None), ("", None),
])
def test_recruiter_title_words(words: str, title: str | None) -> None:
    assert debrief.recruiter_title(words) == title


# --- relance debrief, over the real mailbox


def test_debrief_opens_a_prefilled_sheet_saves_it_and_show_prints_it(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec 14:30. Thu 3 Dec 16:10, after the debrief slot (16:00):
    `relance debrief 1`. The sheet is kept, `show` prints it, the debrief is done and leaves the calendar."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    assert "debrief" in calendar_file(env)
    shown = use_editor(env, monkeypatch,
                       ("## Premières impressions\n> ",
                        "## Premières impressions\nBon contact, équipe sympathique.\n> "),
                       ("Prochaines étapes :", "Prochaines étapes : retour sous dix jours"))

    result = env.relance("debrief", "1", "--now", "2026-12-03T16:10:00+01:00")
    assert result.code == 0, result.err
    assert result.out.strip() == "debrief of #1 saved"

    sheet = shown.read_text(encoding="utf-8")
    assert sheet.startswith("# Debrief — Acme · Analyste financier (#1)\n# Entretien du jeudi 3 décembre 2026 à 14:30 "
                            "avec Claire Dubois\n")
    data = record(env)
    assert data["next_steps"] == "retour sous dix jours"
    assert data["debriefed_at"] == "2026-12-03T16:10:00+01:00"
    assert followup(data, "debrief")["state"] == "done"
    assert "debrief" not in calendar_file(env)
    out = env.relance("show", "1").out
    assert "next steps retour sous dix jours" in out
    assert "  debrief:\n    # Debrief — Acme" in out
    assert "    Bon contact, équipe sympathique." in out
    assert "debrief saved (next steps: retour sous dix jours)" in history(env, 1)

    # a second session opens what was saved, not a blank sheet
    use_editor(env, monkeypatch, ("Bon contact", "Très bon contact"))
    assert env.relance("debrief", "1", "--now", "2026-12-03T18:00:00+01:00").code == 0
    saved = json.loads(env.relance("show", "1", "--json").out)["debrief"]
    assert "Très bon contact, équipe sympathique." in saved


def test_what_the_debrief_says_goes_into_the_thank_you_draft(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. Thu 3 Dec 17:00: the debrief says they look for "SQL avancé"
    and "rigueur", that she is "Madame", and adds two facts. Fri 4 Dec 09:05: the draft uses all of it."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    use_editor(env, monkeypatch,
               ("Ce qu'ils recherchent :\n- ", "Ce qu'ils recherchent :\n- SQL avancé\n- rigueur"),
               ("Civilité du recruteur (Madame / Monsieur) :", "Civilité du recruteur (Madame / Monsieur) : Madame"),
               ("## Pour le mail de remerciement", "## Pour le mail de remerciement\n"
                "- j'ai terminé la certification AMF la semaine dernière\n"
                "- le modèle de flux dont nous avons parlé est en ligne sur mon portfolio"))
    result = env.relance("debrief", "1", "--now", "2026-12-03T17:00:00+01:00")
    assert result.code == 0, result.err
    assert "2 new facts, 2 things they look for" in result.out

    env.run_at("2026-12-04T09:05:00+01:00")
    body = draft_body(env)
    assert body.startswith("Bonjour Madame Dubois,")
    # the skill that fits what they look for comes first, as the one that answers it
    assert "Mes compétences en SQL correspondent, je crois, à ce que vous recherchez" in body
    assert "– j'ai terminé la certification AMF la semaine dernière" in body
    assert "– le modèle de flux dont nous avons parlé est en ligne sur mon portfolio" in body
    (draft,) = env.drafts()
    html = draft.get_body(preferencelist=("html",)).get_content()
    assert "<li>j&#39;ai terminé la certification AMF la semaine dernière</li>" in html


def test_debrief_saying_mail_only_drops_the_call(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thu 26 Nov: invitation for Thu 3 Dec. At the end of the interview Claire asked to be contacted by mail
    only; the debrief says so on Thu 3 Dec 17:00. The J+7 call is cancelled with that reason."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    use_editor(env, monkeypatch, ("Préférence de contact (mail / téléphone) :",
                                  "Préférence de contact (mail / téléphone) : par mail uniquement"))
    assert env.relance("debrief", "1", "--now", "2026-12-03T17:00:00+01:00").code == 0

    data = record(env)
    assert data["contact_preference"] == "mail"
    call = followup(data, "call")
    assert (call["state"], call["reason"]) == ("cancelled", "the recruiter prefers mail")
    assert calendar_file(env)["call"]["STATUS"] == "CANCELLED"


def test_nothing_is_saved_when_the_editor_fails_or_changes_nothing(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    use_editor(env, monkeypatch, ("a line the sheet does not have", "x"))
    result = env.relance("debrief", "1")
    assert result.code == 1
    assert "exited with status 3; nothing saved" in result.err
    use_editor(env, monkeypatch)
    result = env.relance("debrief", "1")
    assert (result.code, result.out.strip()) == (0, "debrief unchanged; nothing saved")
    assert json.loads(env.relance("show", "1", "--json").out)["debrief"] is None
    assert followup(record(env), "debrief")["state"] == "pending"


def test_the_sheet_handed_to_the_editor_is_readable_by_the_user_alone(env: Env,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    seen = env.home / "sheet-mode"
    editor = write(env.home / "mode-editor.py",
                   "import os, stat, sys\n"
                   f"open({str(seen)!r}, 'w').write(oct(stat.S_IMODE(os.stat(sys.argv[1]).st_mode)))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    previous = os.umask(0o022)  # a common umask: files 0644 unless the program says otherwise
    try:
        env.relance("debrief", "1", "--now", "2026-12-03T16:10:00+01:00")
    finally:
        os.umask(previous)
    assert seen.read_text() == "0o600"
