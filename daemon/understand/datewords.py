# SPDX-License-Identifier: MIT
"""The words textdates reads dates and times with, French and English: months, weekdays, relative
days, zones and cities. Data, kept apart from the grammar that uses it."""

from __future__ import annotations

from datetime import time

# ---------------------------------------------------------------------------
# Vocabulary. Accentless spellings are listed because many mails lose accents.

MONTHS: dict[str, int] = {
    "janvier": 1, "january": 1, "février": 2, "fevrier": 2, "february": 2, "mars": 3, "march": 3,
    "avril": 4, "april": 4, "mai": 5, "may": 5, "juin": 6, "june": 6, "juillet": 7, "july": 7,
    "août": 8, "aout": 8, "august": 8, "septembre": 9, "september": 9, "octobre": 10, "october": 10,
    "novembre": 11, "november": 11, "décembre": 12, "decembre": 12, "december": 12,
}
# Kept apart because only these may take a dot: the dot after "janvier." ends a sentence.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv": 1, "jan": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "feb": 2, "mar": 3,
    "avr": 4, "apr": 4, "jun": 6, "juil": 7, "jul": 7, "aug": 8, "sept": 9, "sep": 9, "oct": 10,
    "nov": 11, "déc": 12, "dec": 12,
}

# Full names only: abbreviations such as "mar", "sun" or "wed" are ordinary
# words when they stand alone, so they are accepted only in front of a date.
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}
# Abbreviations no other word is spelt as: read alone too ("can we push it to Thurs?"), with or without the dot.
WEEKDAY_ABBREVIATIONS_ALONE = frozenset({"tues", "thurs", "thur"})

RELATIVE_DAYS: dict[str, int] = {
    "aujourd'hui": 0, "ce matin": 0, "cet après-midi": 0, "cet apres-midi": 0, "ce soir": 0,
    "today": 0, "this morning": 0, "this afternoon": 0, "tonight": 0, "this evening": 0,
    "demain": 1, "tomorrow": 1,
    # how mail typed on a phone spells them
    "tmrw": 1, "tmr": 1, "tmw": 1, "tomoz": 1, "2moro": 1, "2morrow": 1, "tomorow": 1, "tommorow": 1,
    "tommorrow": 1, "cet aprèm": 0, "cet aprem": 0, "cette aprèm": 0, "cette aprem": 0,
    "après-demain": 2, "apres-demain": 2, "après demain": 2, "the day after tomorrow": 2,
    "day after tomorrow": 2,
}

# How a weekday is anchored: "next" = strictly after the reference day,
# "this" = on or after it, "next_week" = in the following week.
WEEKDAY_BEFORE: dict[str, str] = {
    "ce": "this", "this": "this", "this coming": "next", "coming": "next", "next": "next",
    "a week on": "week_after", "a week from": "week_after",
}
# "jeudi en huit", "Thursday week": a week after the coming Thursday (today's if it is one); "lundi en quinze": two
# weeks after it
WEEKDAY_AFTER: dict[str, str] = {
    "prochain": "next", "prochaine": "next", "suivant": "next",
    "de la semaine prochaine": "next_week", "la semaine prochaine": "next_week",
    "next week": "next_week", "en huit": "week_after", "week": "week_after", "en quinze": "fortnight_after",
}

ZONE_ABBREVIATIONS: dict[str, str] = {
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "MET": "Europe/Paris", "MEST": "Europe/Paris",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "EET": "Europe/Helsinki",
    "EEST": "Europe/Helsinki", "BST": "Europe/London",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "GMT": "UTC", "UTC": "UTC",
    # Québec's French: heure normale / avancée de l'Est, du Centre, des Rocheuses, du Pacifique, de l'Atlantique
    "HNE": "America/Toronto", "HAE": "America/Toronto", "HNC": "America/Winnipeg", "HAC": "America/Winnipeg",
    "HNR": "America/Edmonton", "HAR": "America/Edmonton", "HNP": "America/Vancouver", "HAP": "America/Vancouver",
    "HNA": "America/Halifax", "HAA": "America/Halifax",
}
# North American regions, read as a zone only right after a time ("9:30 AM Eastern"); not "Central": "10am Central
# London" is a place
REGION_ZONES: dict[str, str] = {
    "eastern": "America/New_York", "pacific": "America/Los_Angeles", "mountain": "America/Denver",
}
US_ZONES = frozenset({"EST", "EDT", "ET", "CST", "CDT", "CT", "MST", "MDT", "PST", "PDT", "PT"})

ZONE_PHRASES: dict[str, str] = {
    "heure française": "Europe/Paris", "heure francaise": "Europe/Paris",
    "french time": "Europe/Paris", "uk time": "Europe/London", "british time": "Europe/London",
    "central european time": "Europe/Paris", "central european summer time": "Europe/Paris",
    "heure d'europe centrale": "Europe/Paris", "heure normale d'europe centrale": "Europe/Paris",
    "heure d'été d'europe centrale": "Europe/Paris", "central european standard time": "Europe/Paris",
    "eastern time": "America/New_York",
    "pacific time": "America/Los_Angeles", "heure de l'est": "America/Toronto",
    "heure du québec": "America/Toronto", "heure du quebec": "America/Toronto",
}

# Cities for "(London time)" and "heure de Paris".
CITY_ZONES: dict[str, str] = {
    "paris": "Europe/Paris", "london": "Europe/London", "londres": "Europe/London",
    "brussels": "Europe/Brussels", "bruxelles": "Europe/Brussels",
    "geneva": "Europe/Zurich", "genève": "Europe/Zurich", "geneve": "Europe/Zurich",
    "zurich": "Europe/Zurich", "berlin": "Europe/Berlin", "madrid": "Europe/Madrid",
    "rome": "Europe/Rome", "amsterdam": "Europe/Amsterdam", "luxembourg": "Europe/Luxembourg",
    "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon", "lisbonne": "Europe/Lisbon",
    "new york": "America/New_York", "montreal": "America/Toronto", "montréal": "America/Toronto",
    "toronto": "America/Toronto", "québec": "America/Toronto", "quebec": "America/Toronto",
    "chicago": "America/Chicago", "san francisco": "America/Los_Angeles",
    "los angeles": "America/Los_Angeles", "singapore": "Asia/Singapore",
    "singapour": "Asia/Singapore", "tokyo": "Asia/Tokyo", "dubai": "Asia/Dubai",
    "dubaï": "Asia/Dubai", "casablanca": "Africa/Casablanca", "dakar": "Africa/Dakar",
    "tunis": "Africa/Tunis", "alger": "Africa/Algiers", "algiers": "Africa/Algiers",
    "sydney": "Australia/Sydney", "hong kong": "Asia/Hong_Kong",
}

FIXED_TIMES: dict[str, time] = {
    "midi": time(12), "noon": time(12), "minuit": time(0), "midnight": time(0),
}

# Used only to choose the order of numeric dates and the afternoon default.
FRENCH_WORDS = frozenset({
    "le", "la", "les", "des", "du", "un", "une", "et", "est", "nous", "vous", "votre", "vos", "pour",
    "avec", "dans", "sur", "à", "au", "aux", "entretien", "bonjour", "merci", "cordialement",
})
ENGLISH_WORDS = frozenset({
    "the", "a", "an", "and", "is", "we", "you", "your", "for", "with", "in", "on", "at", "to", "of",
    "interview", "hello", "hi", "thanks", "regards", "best", "dear",
})
