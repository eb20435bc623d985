# SPDX-License-Identifier: MIT
"""The J+0 debrief sheet: written out prefilled, read back into notes the follow-ups use.

The sheet is plain text the user edits in ``$EDITOR``: a few ``## `` sections
(first impressions, company card, job sheet, self-assessment of form and
substance, conclusions, the thank-you mail), lines starting with ``>`` are
guidance and carry no content, and a handful of labelled lines (``What they
look for:``, ``Next steps:``, ``Contact preference:``, ``Recruiter's title:``)
and the bullets under the thank-you section are read back. Labels are
recognised in French and English whatever language the sheet was written in,
so a user can switch languages without losing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime

from daemon.text import fold

MAX_FACTS = 2  # the advice: one or two new facts, no more


@dataclass(frozen=True)
class SheetFacts:
    """What prefills a sheet: the record as it stands."""

    interview_id: int
    company: str | None
    position: str | None
    start: datetime | None
    recruiter_name: str | None
    next_steps: str | None
    contact_preference: str | None
    recruiter_title: str | None


@dataclass(frozen=True)
class Notes:
    """What a filled sheet says that relance acts on."""

    looks_for: tuple[str, ...] = ()
    new_facts: tuple[str, ...] = ()
    next_steps: str | None = None
    contact_preference: str | None = None  # "mail", "phone" or None when not said
    recruiter_title: str | None = None


# section key -> (French heading, English heading, French guidance, English guidance)
_SECTIONS: dict[str, tuple[str, str, str, str]] = {
    "impressions": (
        "Premières impressions", "First impressions",
        "À écrire dans les heures qui suivent, tant que c'est frais : ce qui vous a marqué, l'ambiance, "
        "ce que vous avez ressenti.",
        "Write them within hours, while they are fresh: what struck you, the atmosphere, how you felt."),
    "company": (
        "Fiche entreprise", "Company card",
        "Ce que le recruteur a dit de l'entreprise et de l'équipe : activité, projets, organisation, culture.",
        "What the recruiter said about the company and the team: business, projects, organisation, culture."),
    "job": (
        "Fiche de poste", "Job sheet",
        "Le rôle et les missions tels qu'ils ont été décrits ; ce qu'ils recherchent, une ligne « - » "
        "chacun (le mail de remerciement rappelle vos compétences qui y répondent).",
        "The role and the tasks as they were described; what they look for, one \"- \" line each (the "
        "thank-you mail recalls the skills of yours that answer it)."),
    "form": (
        "Auto-évaluation : la forme", "Self-assessment: form",
        "Posture, gestes, débit, pauses, tics de langage (« euh », « du coup »…).",
        "Posture, gestures, pace, pauses, filler words (\"um\", \"like\"…)."),
    "substance": (
        "Auto-évaluation : le fond", "Self-assessment: substance",
        "Répondez franchement ; personne d'autre ne lit cette fiche.",
        "Answer frankly; nobody else reads this sheet."),
    "conclusions": (
        "Conclusions pour le prochain entretien", "Conclusions for the next interview",
        "Ce que vous referez, ce que vous changerez, ce que vous préparerez mieux.",
        "What you will do again, what you will change, what you will prepare better."),
    "thank_you": (
        "Pour le mail de remerciement", "For the thank-you mail",
        "Un ou deux faits nouveaux à ajouter au mail de J+1, une ligne « - » chacun : une référence, "
        "un projet, une réponse plus complète à une question.",
        "One or two new facts for the J+1 mail, one \"- \" line each: a reference, a project, a fuller "
        "answer to a question."),
}

# field key -> (section, French label, English label)
_FIELDS: dict[str, tuple[str, str, str]] = {
    "looks_for": ("job", "Ce qu'ils recherchent", "What they look for"),
    "next_steps": ("job", "Prochaines étapes", "Next steps"),
    "contact_preference": ("job", "Préférence de contact (mail / téléphone)", "Contact preference (mail / phone)"),
    "recruiter_title": ("job", "Civilité du recruteur (Madame / Monsieur)", "Recruiter's title (Ms / Mr)"),
}

_QUESTIONS = {
    "substance": (
        ("Me suis-je bien vendu(e) ?", "Did I sell myself?"),
        ("Les compétences que j'ai mises en avant sont-elles celles dont le poste a besoin ?",
         "Were the skills I stressed the ones the job needs?"),
        ("Ma motivation s'est-elle vue ?", "Did my motivation show?"),
        ("Où étais-je mal à l'aise ?", "Where was I uneasy?"),
        ("Quelles questions m'ont déstabilisé(e) ?", "Which questions tripped me?"),
    ),
}

_TITLES = {"madame": "Madame", "mme": "Madame", "ms": "Ms", "mrs": "Mrs", "miss": "Miss",
           "monsieur": "Monsieur", "m": "Monsieur", "mr": "Mr"}
_BULLET = re.compile(r"^\s*[-*•–]\s*(?P<text>.*)$")


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces: headings and labels compare in this form."""
    bare = fold(text.replace("’", "'"))
    return " ".join(re.sub(r"[^\w'/ ]", " ", bare).split())


def _index(language: str) -> int:
    return 0 if language == "fr" else 1


# --- writing the sheet


def sheet(facts: SheetFacts, language: str) -> str:
    """A new sheet for an interview, prefilled with what the record already knows."""
    i = _index(language)
    lines = [_title_line(facts, i), _when_line(facts, language), ""]
    lines.append("> Les lignes « > » sont des consignes ; écrivez sous chacune." if i == 0 else
                 "> Lines starting with \">\" are guidance; write under each.")
    prefill = {
        "next_steps": facts.next_steps or "",
        "contact_preference": _contact_words(facts.contact_preference, i),
        "recruiter_title": facts.recruiter_title or "",
    }
    for key, headings in _SECTIONS.items():
        lines += ["", f"## {headings[i]}", f"> {headings[2 + i]}", ""]
        for question in _QUESTIONS.get(key, ()):
            lines += [question[i], "", ""]
        fields = [(name, spec) for name, spec in _FIELDS.items() if spec[0] == key]
        for name, spec in fields:
            if name == "looks_for":
                lines += [f"{spec[1 + i]} :" if i == 0 else f"{spec[2]}:", "- ", ""]
            else:
                label = f"{spec[1]} :" if i == 0 else f"{spec[2]}:"
                lines.append(f"{label} {prefill[name]}".rstrip())
        if key == "thank_you":
            lines += ["- ", "- "]
        elif not fields and key not in _QUESTIONS:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _title_line(facts: SheetFacts, i: int) -> str:
    what = " · ".join(x for x in (facts.company, facts.position) if x) or ("entretien" if i == 0 else "interview")
    return f"# Debrief — {what} (#{facts.interview_id})"


def _when_line(facts: SheetFacts, language: str) -> str:
    i = _index(language)
    when = ""
    if facts.start is not None:
        pattern = "EEEE d MMMM y 'à' HH:mm" if i == 0 else "EEEE d MMMM y 'at' HH:mm"
        when = format_datetime(facts.start, pattern, tzinfo=facts.start.tzinfo, locale=language)
    who = facts.recruiter_name or ""
    if i == 0:
        return "# Entretien" + (f" du {when}" if when else "") + (f" avec {who}" if who else "")
    return "# Interview" + (f" on {when}" if when else "") + (f" with {who}" if who else "")


def _contact_words(preference: str | None, i: int) -> str:
    if preference == "mail":
        return ("mail uniquement", "mail only")[i]
    if preference == "phone":
        return ("téléphone", "phone")[i]
    return ""


# --- reading it back


def parse(text: str) -> Notes:
    """The notes a filled sheet holds; anything it does not recognise is left alone."""
    sections = _sections(text)
    fields = _labelled(sections.get("job", []))
    facts = [b for b in (_bullet(line) for line in sections.get("thank_you", [])) if b]
    return Notes(
        looks_for=tuple(fields.get("looks_for", [])),
        new_facts=tuple(facts[:MAX_FACTS]),
        next_steps=" ".join(fields.get("next_steps", [])) or None,
        contact_preference=contact_preference(" ".join(fields.get("contact_preference", []))),
        recruiter_title=recruiter_title(" ".join(fields.get("recruiter_title", []))),
    )


def _sections(text: str) -> dict[str, list[str]]:
    """Lines of each known section, guidance dropped; text before the first heading is ignored."""
    headings = {_fold(h): key for key, spec in _SECTIONS.items() for h in spec[:2]}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            key = headings.get(_fold(line[3:]))
            current = found.setdefault(key, []) if key else None
        elif current is not None and not line.lstrip().startswith(">"):
            current.append(line)
    return found


def _label_of(line: str) -> tuple[str, str] | None:
    """(field, text after the colon) when the line starts with a known label."""
    head, colon, rest = line.partition(":")
    if not colon:
        return None
    folded = _fold(head)
    for name, (_section, french, english) in _FIELDS.items():
        if folded in (_fold(french), _fold(english), _fold(french.split("(")[0]), _fold(english.split("(")[0])):
            return name, rest.strip()
    return None


def _labelled(lines: list[str]) -> dict[str, list[str]]:
    """Each label's values: the text after it, then the lines up to the next label or blank line.

    For "what they look for" each bullet is one value; blank lines between bullets are allowed.
    """
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        labelled = _label_of(line)
        if labelled is not None:
            current, rest = labelled
            values.setdefault(current, [])
            if rest:
                values[current].append(rest)
            continue
        if current is None:
            continue
        if current == "looks_for":
            item = _bullet(line)
            if item:
                values[current].append(item)
            elif line.strip() and _BULLET.match(line) is None:
                current = None  # prose after the list: the list is over
        elif not line.strip():
            current = None
        else:
            values[current].append(line.strip())
    return values


def _bullet(line: str) -> str:
    match = _BULLET.match(line)
    return " ".join(match.group("text").split()) if match else ""


def contact_preference(text: str) -> str | None:
    """ "mail" or "phone" when the words say one channel; None when they say both or neither."""
    folded = _fold(text)
    if not folded:
        return None
    if re.search(r"\b(ne pas|pas d|no|not|don't|do not|never|jamais) ?'?(appel|telephon|phone|call)", folded):
        return "mail"
    mail = re.search(r"\b(e ?mail|mails?|courriel|ecrit|written|writing)\b", folded) is not None
    phone = re.search(r"\b(tel|telephone|phone|appel|call|calls)\b", folded) is not None
    if mail and not phone:
        return "mail"
    if phone and not mail:
        return "phone"
    return None


def recruiter_title(text: str) -> str | None:
    word = _fold(text).split(" ")[0].rstrip(".") if text.strip() else ""
    return _TITLES.get(word)
