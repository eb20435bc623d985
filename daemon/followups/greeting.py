# SPDX-License-Identifier: MIT
"""The salutation of a draft, as people write it (without the final comma).

| language | with a title and a surname | without a title | no name |
| --- | --- | --- | --- |
| fr | Bonjour Madame Lefèvre | Bonjour Sarah Connor (a full name), else Bonjour | Bonjour (Madame) |
| en | Dear Ms Connor | Dear Sarah (the given name) | Dear Madam / Sir, else Hello |

A title comes from the record (a signature's "Mme", the debrief) or leads the name itself.
"""

from __future__ import annotations

FEMALE = frozenset({"madame", "mme", "ms", "mrs", "miss"})
MALE = frozenset({"monsieur", "m", "mr"})
TITLE_WORDS = {
    "fr": {"f": "Madame", "m": "Monsieur"},
    "en": {"f": "Ms", "m": "Mr"},
}
# Without a surname: "Bonjour Madame" is correct French; "Dear Madam" the English counterpart.
_TITLE_ALONE = {
    "fr": {"f": "Madame", "m": "Monsieur"},
    "en": {"f": "Madam", "m": "Sir"},
}
_PARTICLES = frozenset(
    "de du des la le van von der den ter ten da di do dos das del della dela st saint mac al el bin".split()
)


def title_gender(title: str | None) -> str | None:
    word = (title or "").strip().lower().rstrip(".")
    if word in FEMALE:
        return "f"
    if word in MALE:
        return "m"
    return None


def _uncap(token: str) -> str:
    return token.title() if token.isupper() and len(token) > 1 else token


def split_name(name: str) -> tuple[str, str]:
    """(given names, family name): "Claire Dubois", "DUBOIS Claire", "Dubois, Claire" all give
    ("Claire", "Dubois"); "Marie de La Fontaine" gives ("Marie", "de La Fontaine")."""
    if "," in name:
        before, _, after = name.partition(",")  # directory style "Dubois, Claire"
        if before.strip():
            return " ".join(_uncap(t) for t in after.split()), " ".join(_uncap(t) for t in before.split())
    tokens = name.split()
    if not tokens:
        return "", ""
    shouting = [t for t in tokens if t.isupper() and len(t) > 1]
    if shouting and len(shouting) < len(tokens):
        given = [t for t in tokens if t not in shouting]
        return " ".join(given), " ".join(_uncap(t) for t in shouting)
    if len(tokens) == 1:
        return "", _uncap(tokens[0])
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(_uncap(t) for t in tokens[:start]), " ".join(_uncap(t) for t in tokens[start:])


def surname_of(name: str) -> str:
    """The family name to put after Madame/Ms."""
    return split_name(name)[1]


def greeting_for(language: str, name: str, title: str | None) -> str:
    """A careers adviser's salutation, without the final comma (the table above)."""
    gender = title_gender(title)
    given, surname = split_name(name) if name else ("", "")
    if gender and surname:
        return f"{'Bonjour' if language == 'fr' else 'Dear'} {TITLE_WORDS[language][gender]} {surname}"
    if gender:
        return f"{'Bonjour' if language == 'fr' else 'Dear'} {_TITLE_ALONE[language][gender]}"
    if language == "fr":
        # French greets a stranger by the full name, or not by name at all
        return f"Bonjour {given} {surname}" if given and surname else "Bonjour"
    if given or surname:
        # a single name is taken as the one they sign with
        return f"Dear {given.split()[0] if given else surname}"
    return "Hello"
