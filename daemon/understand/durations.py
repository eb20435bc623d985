# SPDX-License-Identifier: MIT
"""How long the sender says the interview will last: "45 minutes", "about an hour", "une heure environ",
"30 min max", "a 20-minute call", "durée : 1h30".

The length gives the interview its end when the mail states only a start, so that the debrief comes when the
interview is over and the calendar shows the time it takes. No library was used: pytimeparse and the like read a
whole string that is a duration ("1h30m"), not a length inside a French or English sentence, and cannot tell
"45 minutes" of an interview from "10 minutes early", "à 20 minutes à pied" or "à deux heures".

What is read: the sender's own text; a length between 10 minutes and 4 hours; not one that says when to arrive,
how far away, how soon or how often (the words around it, in `_NOT_A_LENGTH`). When several lengths remain, the
longest is the interview's: the others are its parts ("45 minutes, dont 20 minutes de présentation").
"""

from __future__ import annotations

import re
from datetime import timedelta

_SHORTEST = timedelta(minutes=10)
_LONGEST = timedelta(hours=4)

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "two": 2, "deux": 2, "three": 3, "trois": 3,
    "fifteen": 15, "quinze": 15, "twenty": 20, "vingt": 20, "thirty": 30, "trente": 30, "forty": 40,
    "quarante": 40, "forty-five": 45, "forty five": 45, "quarante-cinq": 45, "quarante cinq": 45,
    "sixty": 60, "soixante": 60, "ninety": 90, "quatre-vingt-dix": 90,
}
_NUMBER = r"(?P<n>\d{1,3}(?:[.,]5)?|" + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len,
                                                         reverse=True)) + ")"
# "45 minutes", "20-minute", "30 min", "15 mn", "1.5 hours", "deux heures", "an hour and a half", "une heure
# et demie", "1 heure 30"; "1h30" and "2h" only with a word that says a length is meant, since "à 1h30" is a clock
_LENGTH = re.compile(
    r"(?<![\w:.,])(?:"
    r"(?P<half>half an hour|half-hour|une demi-heure|une demi heure|a quarter of an hour|un quart d['’]heure)"
    rf"|{_NUMBER}[\s-]?(?P<unit>minutes?|mins?|mn|hours?|hrs?|heures?)"
    r"(?:\s(?P<more>and a half|et demie|(?:et\s)?(?P<m>15|30|45)(?:\s?min(?:utes)?)?))?"
    r"|(?P<h>[1-3])\s?h\s?(?P<hm>[0-5]0|15|45)?"
    r")(?![\w])",
    re.IGNORECASE,
)
# "Nh" read as a length only after one of these in the same clause ("durée : 1h30", "comptez 2h", "for 1h")
_LENGTH_CUE = re.compile(
    r"\b(?:dur[ée]e|dure|durera|durer|comptez|compte|compter|pr[ée]voyez|pr[ée]vois|pr[ée]voir|pendant|environ|about|around|"
    r"approx\w*|roughly|lasts?|lasting|for|allow|plan on|blocked|bloqu[ée]e?s?)\b[^.;\n]{0,20}$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(r"\s*(?:environ|max|maximum|approx)", re.IGNORECASE)
# Lengths that are not the interview's: when to arrive, how far, how soon, how often, when it was, a clock
_NOT_A_LENGTH_BEFORE = re.compile(
    r"(?:\b(?:at|à|vers|by|until|till|jusqu'à|jusqu'a|dès|in|dans|within|sous|every|toutes les|tous les|"
    r"each|chaque|per|par|il y a|after|après|apres|before|avant)\s+"
    r"(?:(?:about|around|environ|some|only|just|seulement|à peine|a peine)\s+)?)$",
    re.IGNORECASE,
)
_NOT_A_LENGTH_AFTER = re.compile(
    r"^\W{0,3}(?:early|before|beforehand|ahead|prior|in advance|later|late|ago|away|from|walk|walking|drive|"
    r"by (?:car|train|foot|bus|tube|metro|underground|bike|taxi)|on foot|d['’]avance|en (?:bus|tram|rer|taxi|v[ée]lo)|"
    r"avant|en avance|à l'avance|a l'avance|plus tot|plus tôt|de retard|en retard|"
    r"plus tard|à pied|a pied|en voiture|en train|en métro|en metro|en transports?|de marche|de route|du centre|"
    r"de la gare|du métro|du metro|de chez|de paris|de trajet|of travel|de transport|each|chacun|chacune|"
    r"par personne|per person|par candidat|per candidate|de pause|break|de battement|buffer)\b",
    re.IGNORECASE,
)


def stated_length(text: str) -> tuple[timedelta, str] | None:
    """The interview's length as the text states it, and the words that state it; None when it states none."""
    lengths = []
    for m in _LENGTH.finditer(text):
        length = _length_of(m)
        if length is None or not _SHORTEST <= length <= _LONGEST:
            continue
        before, after = text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 40]
        if _NOT_A_LENGTH_BEFORE.search(before) or _NOT_A_LENGTH_AFTER.search(after):
            continue
        if m.group("h") and not _LENGTH_CUE.search(before) and not _CUE_AFTER.match(after):
            continue
        lengths.append((length, m.group()))
    return max(lengths, key=lambda item: item[0]) if lengths else None


def _length_of(m: re.Match[str]) -> timedelta | None:
    if m.group("half"):
        return timedelta(minutes=15 if "quart" in m.group("half").lower() else 30)
    if m.group("h"):
        return timedelta(hours=int(m.group("h")), minutes=int(m.group("hm") or 0))
    number = _amount(m.group("n"))
    if number is None:
        return None
    if m.group("unit").lower().startswith(("min", "mn")):
        return timedelta(minutes=number)
    more = (m.group("more") or "").lower()
    minutes = 30 if more in ("and a half", "et demie") else int(m.group("m") or 0)
    return timedelta(hours=number, minutes=minutes)


def _amount(word: str) -> float | None:
    if word[0].isdigit():
        return float(word.replace(",", "."))
    word = word.lower()
    return _WORD_NUMBERS.get(word.replace("-", " ")) or _WORD_NUMBERS.get(word)
