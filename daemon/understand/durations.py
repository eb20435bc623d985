# SPDX-License-Identifier: MIT
"""How long the sender says the interview will last: "the interview will last 45 minutes", "a 20-minute call",
"comptez une heure environ", "un entretien d'une heure", "Durée : 1h30", "jeudi 14h (45 min)".

The length gives the interview its end when the mail states only a start, so that the debrief comes when the
interview is over and the calendar shows the time it takes. No library was used: pytimeparse and the like read a
string that is a duration ("1h30m"), not a length inside a French or English sentence, and cannot tell the
interview's length from the many other lengths a recruiter writes.

A length counts only where the words around it tie it to the meeting: a meeting word just before it ("un appel
de 20 minutes") or after it ("a 45-minute video call"), a verb or a label that states a length ("will last",
"comptez", "Durée :"), or a length right after the clock ("jeudi 14h, 45 min"). It does not count when it says
when to arrive or answer, how far, how late, by how much a time moves, how often, or how long something else
takes (a presentation, a test at home, the journey, lunch, a working week), nor in a sentence about a meeting that
is over ("thanks for the 30-minute chat yesterday"). Two different lengths that count leave the end unsaid
("a 30-minute call at 4pm, then a 60-minute interview"); a range counts up to its end ("45 minutes à 1 heure").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from itertools import islice

# a mail states a length a few times at most; a pasted table of thousands must not cost seconds
_MOST_LOOKED_AT = 40
_SHORTEST = timedelta(minutes=10)
_LONGEST = timedelta(hours=4)

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "two": 2, "deux": 2, "three": 3, "trois": 3,
    "fifteen": 15, "quinze": 15, "twenty": 20, "vingt": 20, "thirty": 30, "trente": 30, "forty": 40,
    "quarante": 40, "forty five": 45, "quarante cinq": 45, "sixty": 60, "soixante": 60, "ninety": 90,
    "quatre vingt dix": 90,
    "ten": 10, "dix": 10, "twenty five": 25, "vingt cinq": 25, "fifty": 50, "cinquante": 50,
    # Belgian and Swiss French
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}
# a round figure, said about: "un échange d'une trentaine de minutes" (the article read with it, as "une heure")
_WORD_NUMBERS.update({f"{article}{tens}aine de": minutes for tens, minutes in (
    ("diz", 10), ("quinz", 15), ("vingt", 20), ("trent", 30), ("quarant", 40), ("cinquant", 50), ("soixant", 60))
    for article in ("", "une ")})
_NUMBER = r"(?P<n>\d{1,3}(?:[.,]5)?|" + "|".join(
    sorted((w.replace(" ", "[ -]") for w in _WORD_NUMBERS), key=len, reverse=True)) + ")"
_QUARTERS = {"half": 30, "demi": 30, "three quarters": 45, "trois quarts": 45, "¾": 45, "quart": 15,
             "quarter": 15, "petite": 60, "bonne": 60, "good": 60}
# "une petite demi-heure" is half an hour at most, "une bonne demi-heure" more than one, how much more unsaid;
# "45 minutes", "20-minute", "30 min", "1.5 hours", "deux heures", "an hour and a half", "une heure et quart",
# "1 heure 30", "1hr 15 mins", "1h30"; the minutes after an hour only where nothing else follows them
# ("Durée : 1 heure\n30 avenue de l'Opéra" is an hour)
_LENGTH = re.compile(
    r"(?<![\w:.,])(?:"
    r"(?P<part>half an hour|half-hour|une (?:petite )?demi[- ]heure|three quarters of an hour"
    r"|trois quarts d['’]heure|¾ d['’]heure|a quarter of an hour|un quart d['’]heure|une petite heure"
    r"|une bonne heure|a good hour)"
    rf"|{_NUMBER}[ \t-]?(?P<unit>minutes?|mins?|mn|hours?|hrs?|heures?)"
    r"(?:[ \t](?P<more>and a half|et demie|and a quarter|et quart|trente"
    r"|(?:and[ \t]|et[ \t])?(?P<m>15|30|45)(?:[ \t]?min(?:ute)?s?|(?=[ \t]*(?:[.,;:)!?\n]|$)))))?"
    r"|(?P<h>[1-3])(?:[.,](?P<half>5))?[ \t]?h(?:rs?)?[ \t]?(?P<hm>[0-5]0|15|45)?"
    r")(?![\w])",
    re.IGNORECASE,
)

_MEETING = (r"(?:interview|call|phone call|video call|chat|conversation|meeting|screen|screening|discussion|"
            r"exchange|entretien|entrevue|appel|[ée]change|rendez-vous|rdv|visio|r[ée]union|rencontre|point|"
            r"audition|visite|visit|slot|cr[ée]neau|session)s?")
_MEETING_WORD = re.compile(rf"\b(?:{_MEETING}|talk|speak|meet|chat|parler|[ée]changer|discuter|voir|rencontrer|"
                           r"appeler|call)\b", re.IGNORECASE)
_HEDGE = (r"(?:(?:about|around|approximately|approx\.?|roughly|environ|some|up to|no more than|at most|less than|"
          r"under|over|more than|plus de|moins de|pas plus de|au plus|maximum|max|between|entre|from|"
          r"\d{1,3}(?:[.,]\d)?\s?(?:-|–|to|à|or|ou))"
          r"\s*)*")
# "un appel de 20 minutes", "an interview of about 45 minutes", "entretien (1h)"
_AFTER_MEETING = re.compile(rf"\b{_MEETING}\b[^,.;!?\n]{{0,20}}?(?:\sde\s|\sd['’]|\sof\s|\slasting\s|:\s|\()"
                            rf"\s*{_HEDGE}$", re.IGNORECASE)
# "a 45-minute video call", "an hour-long interview", "20 minutes de call"
_BEFORE_MEETING = re.compile(rf"^(?:[\s-]+(?:long|quick|short|petit|rapide|video|phone|t[ée]l[ée]phonique|first|"
                             rf"premier|informal|online|technical|technique|face-to-face|one-to-one|intro|"
                             rf"introductory|initial|round|second|final|discovery|exploratory|follow-up|casual|"
                             rf"virtual|in-person))*[\s-]*"
                             rf"(?:de\s|d['’]|en\s|par\s)?{_MEETING}\b", re.IGNORECASE)
# a verb or a label that states a length: a strong one whatever the subject, a weak one when a meeting is named
_STRONG_CUE = re.compile(
    r"\b(?:last|lasts|lasting|take|takes|taking|run|runs|durer|dure|durera|durerait|dureront|prend|prendra|prendrait|"
    r"comptez|compte|compter|pr[ée]voyez|pr[ée]vois|pr[ée]voir|allow|allowing|plan on|plan for|blocked|bloqu[ée]e?s?|"
    r"set aside|planned|scheduled|pr[ée]vue?s?|r[ée]serv[ée]e?s?|keep it to|keep it under|limited to|dur[ée]e|"
    r"duration|length|longueur)"
    # a move that keeps the length: "la durée reste d'une heure", "the length remains one hour"
    r"(?:\s+(?:reste|restera|demeure|ne change pas|est toujours|sera toujours|remains|stays|is still|will still be))?"
    # a length that replaces the one said before: "prévoyez plutôt 45 minutes", "allow rather an hour"
    r"(?:\s+(?:plut[ôo]t|rather|more like|d[ée]sormais|now))?"
    r"\s*(?::\s*)?"
    rf"(?:de\s|d['’]|of\s)?{_HEDGE}$", re.IGNORECASE)
# "it" for the meeting the sentence before set at a time: "Thursday at 10am? It's 90 minutes."
_IT_IS = re.compile(rf"\b(?:it|that)\s*(?:['’]s|['’]d be|['’]ll be|is|will be|would be|should be)\s+{_HEDGE}$",
                    re.IGNORECASE)
_A_CLOCK = re.compile(r"\b\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\b|h\b)|\b\d{1,2}[:h]\d{2}\b", re.IGNORECASE)
_WEAK_CUE = re.compile(rf"\b(?:be|is|sera|est|will be|for|pour|pendant|scheduled for)\s+{_HEDGE}$", re.IGNORECASE)
# the length right after the start's clock: "jeudi 3/12 à 14h, 45 min", "2:30 PM CET (45 minutes)", "5pm Paris (45
# minutes)", the time in the reader's zone between them ("9:00am ET (3:00pm Paris), 30 minutes")
_AFTER_CLOCK = re.compile(rf"(?:\d{{1,2}}(?:[:.h]\d{{2}})?\s*(?:[aApP]\.?[mM]\.?|h)?|noon|midi)\s*"
                          rf"(?:\(?(?:[A-Z]{{2,5}}|[A-Z][a-z]+(?: time)?|your time)\)?\s*)?"
                          rf"(?:\([^()\n]{{1,30}}\)\s*)?(?:\(|,|–|—|\s-)\s*{_HEDGE}$")
# the time the meeting gives to talk: "on aura une petite demi-heure pour discuter", "we'll have an hour to chat"
_TO_TALK = re.compile(r"^\s*(?:pour|to)\s+(?:discuter|parler|[ée]changer|se voir|faire connaissance|talk|chat|discuss|"
                      r"meet|get to know)\b", re.IGNORECASE)
# the length as the subject or with its own hedge: "20 minutes should do it", "30 min max", "half an hour or so"
# or said with whom it is spent: "roughly 1.5h with me and Priti", "45 min avec moi et notre CTO"
_TAIL_CUE = re.compile(r"^\s*(?:should (?:do|be enough|suffice)|will (?:do|be enough|suffice)|suffi\w*|"
                       r"devrai\w* suffire|max\b|maximum|grand max|environ|or so|tops|approx\w*|"
                       r"with (?:me|us|the team|our|my)\b|avec (?:moi|nous|l['’][ée]quipe|notre|mon|ma)\b)",
                       re.IGNORECASE)
# the second end of a range the first of which counted: "entre 45 minutes et 1 heure", "1h30 à 2h"
_RANGE_GAP = re.compile(r"\s*(?:et|and|to|à|a|-|–|or|ou)\s*")

# how long something other than the interview takes, said in the same sentence before the length
_SOMETHING_ELSE = re.compile(
    r"\b(?:pr[ée]sentations?|pr[ée]paration|prepare|tests?|exercises?|exercices?|take-home|questionnaires?|survey|"
    r"quiz|trajet|travel|commute|drive|ride|walk|route|train|rer|m[ée]tro|taxi|bus|tgv|pause|break|lunch|"
    r"d[ée]jeuner|repas|parking|lien|link|s[ée]curit[ée]|security|accueil|shifts?|training|"
    r"formation|deliberat\w*|response|expires?|valid|valable)\b", re.IGNORECASE)
# the words right before a length that make it a moment, a deadline, a frequency or a clock
_NOT_A_LENGTH_BEFORE = re.compile(
    r"\b(?:at|à|vers|by|until|till|jusqu['’]à|dès|in|dans|within|sous|every|toutes les|tous les|each|chaque|per|par|"
    r"il y a|after|après|before|avant|d['’]ici|au bout de|next)\s+(?:(?:about|around|environ|only|just)\s+)?$",
    re.IGNORECASE)
# the words right after a length that make it a distance, an advance, a delay, a part, a working time, a clock
_NOT_A_LENGTH_AFTER = re.compile(
    r"^\W{0,3}(?:early|earlier|before|beforehand|ahead|behind|prior|in advance|later|late|ago|away|from|outside|"
    r"walk|walking|drive|ride|by (?:car|train|foot|bus|tube|metro|underground|bike|taxi|plane)|on foot|['’]s|"
    r"d['’]avance|en (?:bus|tram|rer|taxi|v[ée]lo|avance|retard|voiture|train|m[ée]tro|transports?|tgv)|avant|"
    r"à l['’]avance|plus t[ôo]t|de retard|plus tard|à pied|de (?:marche|route|trajet|transport|tgv|train|voiture|"
    r"d[ée]calage|pr[ée]sentation|pr[ée]paration|pause|questions?|test|l['’]apr[èe]s-midi)|du (?:matin|soir|centre|"
    r"m[ée]tro)|de la gare|de chez|of (?:travel|preparation|presentation|questions|test)|to (?:prepare|present|get)|"
    r"for (?:security|check-in|the security|travel|parking)|pour (?:l['’]accueil|la s[ée]curit[ée])|each|chacun|"
    r"chacune|par (?:jour|semaine|personne|candidat)|per (?:day|week|person|candidate)|a (?:day|week)|each day|"
    r"hebdo\w*|de pause|break|de battement|buffer|free|libres?|[ap]\.?m\.?\b|gmt|utc|cet)\b",
    re.IGNORECASE)
# a sentence about a meeting that is over, or about moving one: its lengths are not the coming interview's
_OVER_OR_MOVED = re.compile(
    r"\b(?:yesterday|hier|last week|la semaine derni[èe]re|thanks? for|thank you for|merci pour|suite à|following|"
    r"we spoke|nous avons eu|on a eu|we had|great chatting|ravie? d['’]avoir|earlier today|ce matin|"
    # "we'd like to move forward with a 30-minute screen" is the next step, not a move
    r"push|move(?! forward| ahead)|moving(?! forward| ahead)|shift|"
    r"d[ée]cal\w*|avanc\w*(?! avec| dans)|recul\w*|retard\w*|repouss\w*|report\w*|delay\w*|postpone\w*|"
    r"bump\w*|earlier|later|plus t[ôo]t|plus tard|each(?! other)|chaque|chacun\w*)\b", re.IGNORECASE)
# a length a move keeps, said in the sentence that moves it: "push to Thursday, same time, still an hour on Zoom",
# "Toujours 45 minutes sur Teams"
_KEPT = re.compile(rf"\b(?:still|toujours|as before|comme avant|comme pr[ée]vu|as planned|"
                   rf"(?:dur[ée]e|length|duration) (?:inchang[ée]e|unchanged) (?:de|d['’]|of)|unchanged at)\s*,?\s*"
                   rf"{_HEDGE}$",
                   re.IGNORECASE)
_CLAUSE_END = re.compile(r"[!?;\n]|\.(?!\d)")
_MOVED_OR_CONFIRMED = re.compile(
    r"\b(?:push\w*|move[ds]?|moving|shift\w*|reschedul\w*|postpone\w*|bump\w*|instead|d[ée]cal\w*|"
    r"report\w*|d[ée]plac\w*|repouss\w*|avanc\w*|plut[ôo]t|au lieu|pass(?:er|ons|e) (?:à|au)|switch\w*|"
    r"chang\w*|modifi\w*|confirm\w*|not[ée]e?|see you|c['’]est parfait|"
    # a slot settled in few words: "Friday at 10:30 it is", "sounds good", "ça me va"
    r"it is(?=\s*[.!]|\s*$)|sounds (?:good|great|perfect)|that works|works for (?:me|us)|"
    r"[çc]a (?:marche|me va|nous va))\b",
    re.IGNORECASE)


def stated_length(text: str) -> tuple[timedelta, str] | None:
    """The interview's length as the text states it, and the words that state it; None when it states none."""
    lengths: list[tuple[timedelta, str]] = []
    counted_end = -1
    for m in islice(_LENGTH.finditer(text), _MOST_LOOKED_AT):
        length = _length_of(m)
        if length is None or not _SHORTEST <= length <= _LONGEST:
            continue
        head, tail, previous = _clause_around(text, m.start(), m.end())
        if lengths and counted_end >= 0 and _RANGE_GAP.fullmatch(text, counted_end, m.start()):
            lengths[-1] = max(lengths[-1], (length, m.group()))  # "entre 45 minutes et 1 heure": up to its end
            counted_end = m.end()
        elif _ties_to_the_meeting(head, tail, previous):
            lengths.append((length, m.group()))
            counted_end = m.end()
    # a format in parts is the whole meeting, whichever part alone reads as the meeting's ("30 minutes d'échange")
    if (parts := _format_in_parts(text)) is not None:
        return parts
    # two lengths of meetings ("a 30-minute call at 4pm, then a 60-minute interview"): which is the start's is unsaid
    return lengths[0] if len({length for length, _ in lengths}) == 1 else None


def _minutes(name: str) -> str:
    return rf"(?<![\w:.,])(?P<{name}>\d{{1,3}})[ \t-]?(?:minutes?|mins?|mn)"


# the meeting's format, a talk then questions: "20 minutes de présentation et 25 minutes de questions", "a 30-minute
# presentation followed by 15 min Q&A"; each part alone is something else's length, together they are the meeting's
_PARTS = re.compile(
    rf"{_minutes('talk')}\s+(?:de\s+|d['’]\s*|of\s+)?(?:pr[ée]sentation|presentation|pitch|d[ée]mo|restitution)s?\b"
    r"[\s,+&]*(?:(?:et|and|puis|then|followed by|plus|suivie?s? de|suivie?s? d['’])\s*)?(?:(?:about|environ)\s+)?"
    rf"{_minutes('questions')}\s+(?:(?:de\s+|d['’]\s*|of\s+|for\s+|pour\s+)(?:les\s+)?)?"
    r"(?:questions?|q\s?&\s?a|[ée]changes?|discussion|d[ée]bat)\b",
    re.IGNORECASE)


def _format_in_parts(text: str) -> tuple[timedelta, str] | None:
    found = _PARTS.search(text)
    if found is None:
        return None
    length = timedelta(minutes=int(found.group("talk")) + int(found.group("questions")))
    return (length, found.group()) if _SHORTEST <= length <= _LONGEST else None


_Length = tuple[timedelta, str]


def length_kept_by_a_move(own: str, earlier: str, span: Callable[[], _Length | None] = lambda: None) -> _Length | None:
    """The length the sender's earlier message gave, when their reply moves or confirms that interview ("can we
    do Friday instead?", "c'est noté pour mardi"): it keeps its length. None when the reply does neither: a new
    step (meeting the team after a first call) is another meeting with a length of its own. ``span`` gives the
    length of the one time span that message gives ("3:00 PM - 3:45 PM") when it states none in words."""
    if not _MOVED_OR_CONFIRMED.search(own):
        return None
    return stated_length(earlier) or span()


def _clause_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence's words before the length (up to 160 characters) and after it (up to 60), and the sentence
    before it (what "it" in "it should take about 3 hours" stands for)."""
    before = text[max(0, start - 320):start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    head = before[ends[-1] if ends else 0:][-160:]
    previous = before[ends[-2] if len(ends) > 1 else 0:ends[-1]] if ends else ""
    after = text[end:end + 60]
    stop = _CLAUSE_END.search(after)
    return head, after[: stop.start() if stop else len(after)], previous


def _ties_to_the_meeting(head: str, tail: str, previous: str) -> bool:
    if _NOT_A_LENGTH_BEFORE.search(head) or _NOT_A_LENGTH_AFTER.match(tail) or tail.startswith(" long"):
        return False
    if _KEPT.search(head):
        return True
    if _OVER_OR_MOVED.search(head) or _OVER_OR_MOVED.search(tail):
        return False
    if _AFTER_MEETING.search(head) or _BEFORE_MEETING.match(tail) or _TO_TALK.match(tail):
        return True
    if not head.strip():
        # a length alone after the question that names the meeting: "a quick chat with our CTO? 20 min, …"
        return bool(_MEETING_WORD.search(previous) or _TAIL_CUE.match(tail))
    if _SOMETHING_ELSE.search(head):
        return False
    if _MEETING_WORD.search(head):
        return bool(_STRONG_CUE.search(head) or _WEAK_CUE.search(head) or _AFTER_CLOCK.search(head)
                    or _TAIL_CUE.match(tail))
    if _AFTER_CLOCK.search(head) or _TAIL_CUE.match(tail):
        return True
    # "it should take about an hour": "it" is the sentence before's, a call or a test at home
    if _SOMETHING_ELSE.search(previous) and not _MEETING_WORD.search(previous):
        return False
    return bool(_STRONG_CUE.search(head)) or bool(
        _IT_IS.search(head) and (_MEETING_WORD.search(previous) or _A_CLOCK.search(previous)))


def _length_of(m: re.Match[str]) -> timedelta | None:
    if m.group("part"):
        part = m.group("part").lower()
        return timedelta(minutes=next(v for k, v in _QUARTERS.items() if k in part))
    if m.group("h"):
        # "1.5h" is an hour and a half; "1.5h30" is no length
        if m.group("half"):
            return timedelta(hours=int(m.group("h")), minutes=30) if not m.group("hm") else None
        return timedelta(hours=int(m.group("h")), minutes=int(m.group("hm") or 0))
    number = _amount(m.group("n"))
    if number is None:
        return None
    if m.group("unit").lower().startswith(("min", "mn")):
        return timedelta(minutes=number)
    more = (m.group("more") or "").lower()
    extra = {"and a half": 30, "et demie": 30, "and a quarter": 15, "et quart": 15, "trente": 30}.get(more)
    return timedelta(hours=number, minutes=extra if extra is not None else int(m.group("m") or 0))


def _amount(word: str) -> float | None:
    if word[0].isdigit():
        return float(word.replace(",", "."))
    return _WORD_NUMBERS.get(re.sub(r"[ -]+", " ", word.lower()))
