# SPDX-License-Identifier: MIT
"""What a draft may state as a fact. A company or a position relance is not sure of is left out, and the
templates phrase the sentence without it: a recruiter forgives "the role" far sooner than the wrong name.

Doubtful: the user's own name (read from their own signature or address), a department ("Ressources
Humaines", "Talent Acquisition"), a recruiting or calendar system ("Welcome to the Jungle", "Calendly"),
or words that only say it is an interview.
"""

from __future__ import annotations

import re

from daemon.text import fold

# Words that name a department or a role, not an employer; with the fillers below, a name made of
# nothing else is not a company.
_DEPARTMENT = frozenset(
    "rh hr drh grh ressources humaines human resources recrutement recrutements recruitment recruiting"
    " recruiter recruiters recruteur recruteuse talent talents acquisition people personnel careers career"
    " carriere carrieres jobs job emploi emplois noreply reply hiring team equipe service direction"
    " department dept departement pole cellule staffing".split()
)
_FILLER = frozenset("the le la les l de du des d and et of no".split())
# Recruiting, scheduling and video systems that send on a company's behalf, written squashed.
_SYSTEMS = frozenset(
    "welcometothejungle wttj workday greenhouse lever smartrecruiters teamtailor taleo successfactors icims"
    " jobvite recruitee workable indeed linkedin hellowork jobteaser apec francetravail poleemploi calendly"
    " zoom googlecalendar googlemeet google gmail microsoft microsoftteams teams outlook doodle flatchr"
    " digitalrecruiters beetween taleez cornerstone personio jobaffinity softy".split()
)
# A "position" that only says what the mail is about.
_NOT_A_POSITION = frozenset(
    "entretien entretiens interview interviews rendez vous rdv candidature application poste offre offer"
    " convocation invitation call appel visio video telephonique phone".split()
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _is_own_name(words: list[str], own_name: str) -> bool:
    own = set(_words(own_name))
    return len(own) >= 2 and own <= set(words)


def trusted_company(company: str | None, own_name: str) -> str | None:
    """The company, or None when it may well not be the employer."""
    if not company:
        return None
    words = _words(company)
    if not words or "".join(words) in _SYSTEMS or _is_own_name(words, own_name):
        return None
    if all(w in _DEPARTMENT or w in _FILLER for w in words):
        return None
    return company


def trusted_position(position: str | None, own_name: str) -> str | None:
    """The position, or None when it is the user's name or only says "interview"."""
    if not position:
        return None
    words = _words(position)
    if not words or _is_own_name(words, own_name):
        return None
    if all(w in _NOT_A_POSITION or w in _FILLER or w in _DEPARTMENT for w in words):
        return None
    return position
