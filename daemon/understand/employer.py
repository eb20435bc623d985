# SPDX-License-Identifier: MIT
"""Who hires and for what: the company and the position, each chosen among candidates scored by where
they were found (subject, calendar summary, body, signature, sender's domain) and by their agreement."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache

from daemon.model import CalendarEvent, ParsedMessage, Person
from daemon.text import THREAD_PREFIX, fold, unwrap
from daemon.understand import patterns
from daemon.understand.datewords import CITY_ZONES, MONTHS, WEEKDAYS
from daemon.understand.mime import display_name_of
from daemon.understand.people import (
    LEGAL_PREFIX,
    LEGAL_SUFFIX,
    NAME_HEADS,
    NAME_TAILS,
    NAME_WORD,
    PUBLIC_BODY,
    SEPARATORS,
    Found,
    Signature,
    chat_platform,
    domain_label,
    find_signature,
    freelance_platform,
    is_machine,
    line_no,
    matches_domain,
    names_no_company,
    only_an_organisation,
    person_in_name,
    phone_gateway,
    relays_a_person,
    signature_person,
    spells_name,
    squash,
    system_tenant,
)
from daemon.understand.quotes import forwarded_senders, own_text, quoted_from

log = logging.getLogger(__name__)


# a word in capitals long enough to be no acronym: "TECNOVAL SOLUCIONES" is written "Tecnoval Soluciones"
_SHOUTED = re.compile(r"\b[A-ZÀ-Ý]{5,}\b")


# --- position


_JOB_NOUN = (r"(?i:manager|engineer|developer|d[ée]veloppeu(?:r|se)|analyst|analyste|designer|scientist|architect|"
             r"architecte|consultant|consultante|director|lead|officer|associate|specialist|ing[ée]nieur|ing[ée]nieure|"
             r"accountant|comptable|chef|responsable|administrator|administrat(?:eur|rice))\b")


# what an organisation is called by, before its name: "Groupe Vannier", "Banque Hérault", "Maison Roux"
_ORGANISATION_WORD = (r"(?:Groupe|Group|Soci[ée]t[ée]|Banque|Bank|Laboratoires|[ÉE]tablissements|Caisse|Mutuelle|"
                      r"Fondation|Maison)")


# what a position is written with: inclusive endings ("Chargé(e)", "un(e)") and a decoration in brackets
# ("(Paris desk)") stay; _trim_position drops the codes ("(H/F)", "(R-24117)", "(CDI, Paris)");
# and the field a public employer writes in quotes after it ("Chargé(e) de mission « observatoire des données »")
_TITLE = (r"(?:[^,.\n;:!?()«»\"]|\.(?=(?:e|ne|se|euse|rice|[èe]re|s)\b)|\([^()\n]{1,40}\)|\((?=[^()\n]{0,40}$)|"
          r"(?<=\s)«[^«»\n]{2,50}»)")
_POSITION_BODY = (
    # "pour le poste de :" with the title on the next line; not a post spoken of as any, or another ("si un poste
    # d'accueil se libérait", "sur un autre poste de vendeur"): not the one applied for
    rf"(?:au |pour le |du |sur le |concernant le |le )?(?<!\bun )(?<!\bautre )poste (?:de\s*:|de |d'|d’|:)\s*"
    rf"(?P<p>{_TITLE}{{3,70}})",
    # the title right after the word, as a job board or a writer from abroad puts it: "pour le poste Pricing Analyst"
    rf"(?:au|pour le|du|sur le|concernant le|le) poste (?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    # a freelancer's job: "pour la mission de Rédacteur technique", a title after it (not "la mission de conseil")
    rf"(?:la|cette|une|votre|ta) mission (?:de |d'|d’)(?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    r"(?:annonce|offre|candidature)[^«\"\n]{0,30}(?:«|\")\s*(?P<p>[^»\"\n]{3,70}?)\s*(?:»|\")",
    # a freelancer's or a contractor's job named in quotes right after its word: "la mission « DAF de transition »",
    # "le projet \"Refonte du reporting\"", "the job \"Interim Controller\""
    # (delimited by its writer, it is kept whole: "DAF de transition – 6 mois, levée de fonds")
    r"\b(?:mission|projet|project|job|contract|contrat|gig|interview for|apply for|applied for)\s*:?\s*(?:«|\"|“)"
    r"\s*(?P<q>[^»\"”\n]{3,80}?)\s*(?:»|\"|”)",
    # "for the position of X", "your interest in the vacancy of X", "the opening for X"
    r"(?:for|about|to|in) (?:the|our|your|a|an) (?:position|role|job|post|vacancy|opening) (?:of|as|for) "
    r"(?P<p>[^,.\n;:()]{3,70}"
    r"(?:\([^()\n]{2,40}\))?)",
    # "for the position Data Analyst (m/f/d)": the title, capitalised, right after the word
    r"(?:for|about|to|in|on) (?:the|our|your|this) (?:position|role|job|vacancy|opening) "
    r"(?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){0,5}[A-Z][\w/&+#-]*(?:\s\([^()\n]{2,30}\))?)",
    # the small words of an English title stay: "the Head of Engineering role", "your VP of Sales interview"
    r"(?:for|about|to|in) (?:the|our|your|a|an|this) (?P<p>(?:[A-Z][\w/&+#.-]*,?\s(?:(?:[&–-]|of|and)\s)?){0,5}"
    r"[A-Z][\w/&+#-]*(?:\s\([^()\n]{2,30}\))?) (?:position|role|opening|job|vacancy)\b",
    r"(?:the|this) (?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and)\s)?){0,5}[A-Z][\w/&+#-]*(?:\s\([^()\n]{2,30}\))?) "
    r"(?:position|role|opening|vacancy|job)\b",
    # a title written small, as a founder does, known by its trade's noun: "for our founding data analyst role"
    rf"(?:for|about|to|in) (?:the|our|your|this) (?P<p>(?:[a-zà-ÿ][\w-]*\s){{0,3}}{_JOB_NOUN}) "
    r"(?:position|role|opening|vacancy|job)\b",
    # "for the Data Governance Lead interview": a title before the word for the meeting ends with its trade's noun
    rf"(?:for|about|to|before) (?:the|our|your|my|this) (?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){{1,4}}"
    rf"(?=[A-Z]){_JOB_NOUN}) (?:interview|meeting|call)\b",
    # "working on a Financial Analyst role", "your Senior Product Analyst interview", "interview for Data Engineer"
    r"(?:on|your|votre) (?:a |an |the )?(?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:–|of|and)\s)?){0,5}[A-Z][\w/&+#-]*) "
    r"(?:position|role|opening|interview|job)\b",
    # a recruiting system's words: "moving forward in the process for Senior Product Manager at Lumenstack",
    # "your application for Data Analyst at Orbit"
    r"(?:process|application|candidacy) for (?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){0,5}[A-Z][\w/&+#-]*) "
    r"(?:at|with) (?-i:[A-Z])",
    # "your final-round schedule for Data Engineer", "the interview process for Data Engineer"; a system writes its
    # event's name capitalised ("Your Technical Interview for Data Engineer")
    # "next steps for Senior Data Analyst", "prochaines étapes pour Chargée d'études"
    r"(?:[Ii]nterview|[Ee]ntretien|schedule|process|steps?|[ée]tapes?) (?:for|pour) (?:the |le |la )?"
    r"(?P<p>(?:[A-Z][\w/&+#.-]*\s){0,5}[A-Z][\w/&+#-]*)\b",
    # the title named as such: "le poste s'appelle Head of Ops", "the role is called X", "Job title: X"
    rf"(?:poste|r[ôo]le|role|position|job|title|intitul[ée]) (?:s['’]appelle|est intitul[ée]e?|is called|is titled|"
    rf"is officially|officially is)\s+(?P<p>{_TITLE}{{3,70}})",
    # a recruiting system's line: "À propos de votre candidature : Chargé·e de com", "Your application: Data Analyst"
    rf"(?:^|\n)\s*(?:(?:à propos de|au sujet de|concernant|regarding|about)\s+)?(?:(?:votre|ta|your)\s+)?"
    rf"(?:intitul[ée] du poste|titre du poste|job title|role|position|candidature|application|offre)\s*:\s*"
    rf"(?P<p>{_TITLE}{{3,70}})",
    # a recruiting system's table, its label in one cell and the title in the next: "Job\nData Scientist"
    rf"(?:^|\n)[ \t]*(?:intitul[ée] du poste|titre du poste|job title|job|role|position|poste|offre)[ \t]*\n[ \t]*"
    rf"(?P<p>{_TITLE}{{3,70}})(?:\n|$)",
    # who a company looks for: "nous cherchons un DAF adjoint pour", "qui recrute un(e) Chef de produit",
    # "we're hiring a Head of Data to"
    rf"(?:cherch\w*|recherch\w*|recrut\w*) (?:actuellement |en ce moment |justement |aussi |[ée]galement |"
    rf"activement |d[ée]sormais )?(?:un|une|un\(e\)|un·e|un\.e) "
    rf"(?P<p>{_TITLE}{{3,70}})",
    # "dans le cadre du recrutement d'un(e) comptable", "pour l'emploi d'agent d'entretien"
    rf"(?:recrutement d['’](?:un\(e\)|un·e|un\.e|une|un) |l['’]emploi (?:de |d['’]))(?P<p>{_TITLE}{{3,70}})",
    # "dans le cadre du recrutement du Directeur(rice) Juridique": the title capitalised after the article
    rf"recrutement (?:du|de la|de l['’]) (?!(?-i:{_ORGANISATION_WORD})\b)"
    rf"(?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    # "le recrutement de notre futur·e Responsable data", "pour recruter notre nouvelle Cheffe de projet"
    rf"recrut\w* (?:de |d['’])?(?:notre|votre) (?:(?:futur|nouve|prochain|premi)\S*\s+)?"
    rf"(?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    # "notre offre de Chargée de communication", "votre candidature à l'offre d'Assistant RH"
    rf"(?:notre|votre|cette|l['’]) ?offre (?:d['’]emploi )?(?:de |d['’])(?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    # "an interview as our new Office Coordinator"
    r"\bas (?:our|your) (?:new |next |future )?(?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){0,5}[A-Z][\w/&+#-]*)",
    # "your application as Product Analyst (m/f/d)", "votre candidature en tant que Chargée de projet"
    r"(?:application|applied|applying) as (?:a |an )?(?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){0,5}"
    r"[A-Z][\w/&+#-]*(?:\s\([^()\n]{2,30}\))?)",
    rf"candidature (?:en tant que|comme) (?P<p>{_TITLE}{{3,70}})",
    # a job board names the ad: "au sujet de l'offre Product Owner – Application mobile (CDI, Paris)"
    rf"(?:l['’]offre|l['’]annonce) (?:d['’]emploi )?(?P<p>(?-i:[A-ZÀ-Ý]){_TITLE}{{2,70}})",
    # a scheduler's form, its question then the answer on the next line: "Pour quel poste avez-vous postulé ?",
    # "Which role are you applying for?"
    rf"\b(?:quel|quelle|which|what) (?:poste|position|role|r[ôo]le|job|offre)\b[^\n?]{{0,40}}\?[ \t]*\n[ \t]*"
    rf"(?P<p>{_TITLE}{{3,70}})(?:\n|$)",
    # "retained to appoint their first Chief Operating Officer"
    r"(?:looking for|hiring|searching for|recruiting|to appoint|to recruit|to hire) (?:a|an|their|its|our)"
    r"(?: first| new)? (?P<p>(?:[A-Z][\w/&+#.-]*\s(?:(?:of|and|&)\s)?){0,5}[A-Z][\w/&+#-]*)\b",
)
# an academic title names its field after "in": "Research Fellow in Health Data Science", "Lecturer in Economics";
# "Data Scientist in London", "Fellow in our group" end at "in"
_ACADEMIC_NOUNS = ("fellow", "researcher", "lecturer", "professor", "reader", "chair", "studentship", "phd",
                   "doctorate", "postdoc", "post-doc", "scholar", "tutor", "teacher", "scientist", "associate")
_FIELD_AFTER_IN = (r"(?:" + "|".join(rf"(?<={noun} in)" for noun in _ACADEMIC_NOUNS) + r")\s+"
                   r"(?!(?i:" + "|".join(sorted(map(re.escape, CITY_ZONES), key=len, reverse=True)) + r")\b)"
                   r"(?-i:[A-Z])")
_POSITION_CUT = re.compile(
    rf"\s+(?:chez|at|au sein|within|with|avec|dans|in(?!{_FIELD_AFTER_IN})|on|pour|for|que|qui|qu['’]\w+|which|that|"
    r"bas[ée]e?s?|based|sur|"
    r"située?|located|en cdi|en cdd|afin|to|(?:et|and) (?:du|de|des|le|la|les|l['’]|the|your|our|votre|vos|notre|"
    r"nos|ton|ta|tes|mon|ma|mes|my|"
    r"souhait\w*|aimer\w*|voudr\w*|would|want|nous|vous|we|you|to|avons|sommes|pouvons|have|are|"
    # a clause of its own: "Head of Growth et j'aimerais bien", "and I would"
    r"j['’]|je|i|on|il|elle|ils|elles|they|he|she)|serait|sera|est|a retenu|a [ée]t[ée]|is|was|has|"
    # a pronoun that opens the verb after the title: "Data Scientist m'est parvenue", "Comptable s'est libéré"
    r"(?:m|t|s|n)['’]|me|te|"
    # where, its accent lost or not: "Responsable e-commerce a la Maison Berthier", "Vendeur à Lyon"
    r"(?:à|a) (?:la |le |les |l['’])?(?=(?-i:[A-ZÀ-Ý]))|"
    # the department the post is in: "Infirmier au service des urgences", "Juriste à la direction des affaires"
    r"(?:au|(?:à|a) la) (?:service|d[ée]partement|p[ôo]le|direction) (?:de |d['’]|du |des )|"
    r"will|mais|but|aura|auront|se tiendra|se d[ée]roulera|(?-i:[–—-]\s+[a-zà-ÿ])|"
    # a date the sentence goes on to: "le poste de Responsable Paie le mardi 5 janvier à 10h"
    r"(?:le|ce|du) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d{1,2}(?:er)?\b)|demain|"
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d|"
    r"[–—-]\s+(?:direction|d[ée]partement|department|p[ôo]le|service|team|[ée]quipe|division|business unit))"
    r"\b.*$",
    re.IGNORECASE)
# brackets that hold a code, not a part of the title: "(H/F)", "(R-24117)", "(CDI, Paris)", "(alice@…)", "(30 min)",
# "(confidential)" of a search kept secret; "(Paris desk)", "(Remote – EMEA)" are the title's, and so is the kind of
# work that makes another job of it: "(alternance)", "(freelance)", "(stage)", where "(CDI)" is a term of the same one
# and so are the contract's status ("(catégorie C, contractuel)", "(seasonal contract)") and what the job asks of
# the candidate ("(CACES non obligatoire)", "(driving licence required)")
_CODE_WORDS = re.compile(r"\d|@|\b(?:(?:[hfmwdx]/){1,3}[hfmwdx]|r[ée]f|ref|cdi|cdd|"
                         r"contractuel(?:le)?|titulaire|vacataire|saisonni(?:er|[èe]re)|seasonal|temporary|"
                         r"fixed[- ]term|permanent|int[ée]rim|obligatoire|exig[ée]e?|requise?|souhait[ée]e?|"
                         r"required|preferred|essential|desirable|mandatory|"
                         r"full[- ]time|part[- ]time|temps plein|"
                         r"temps partiel|jr|confidential|confidentiel(?:le)?)\b",
                         re.IGNORECASE)
_PLACES = re.compile(r"(?:\s|,|/|paris|lyon|lille|nantes|bordeaux|toulouse|marseille|london|londres|berlin|"
                     r"france|remote|t[ée]l[ée]travail|hybride?)*", re.IGNORECASE)
_INCLUSIVE = r"e|ne|se|euse|[èe]re|rice"
_BRACKETS = re.compile(r"\s*\(([^()]*)(?:\)|$)")


# "(80-100 %)", "(60%)": the working time a Swiss or German title states, part of it
_WORKING_TIME = re.compile(r"\d{2,3}\s?%?\s?(?:[-–à]\s?\d{2,3})?\s?%")


# "(site de Gennevilliers)", "(bureau de Lyon)", "(based in Leeds)": where, not which job
_SITE = re.compile(r"(?:site|agence|bureau|usine|entrep[ôo]t|office|based|bas[ée]e?|located|situ[ée]e?)\s+"
                   r"(?:de|d['’]|du|in|at|of|à|a)\b", re.IGNORECASE)


# "(Band 6)", "(Grade C)", "(catégorie A)": the pay grade a public employer writes with the title, part of it
_GRADE = re.compile(r"(?:band|grade|cat[ée]gorie|category|[ée]chelon)\s+[\w+-]{1,3}", re.IGNORECASE)


# "(remote)", "(Paris or Remote)", "(hybride)": the way of working makes another post of it, as writers keep it
_WORK_MODE = re.compile(r"\b(?:remote|t[ée]l[ée]travail|hybrid|hybride|full remote|[àa] distance)\b", re.IGNORECASE)


def _is_code(inner: str) -> bool:
    if _WORKING_TIME.fullmatch(inner.strip()) or _GRADE.fullmatch(inner.strip()):
        return False
    if _WORK_MODE.search(inner) and _CODE_WORDS.search(inner) is None:
        return False
    return _CODE_WORDS.search(inner) is not None or _PLACES.fullmatch(inner) is not None or \
        _SITE.match(inner.strip()) is not None


def _drop_codes(value: str) -> str:
    """The title up to its first bracket holding a code; inclusive endings and decorations stay."""
    for match in _BRACKETS.finditer(value):
        if not match.group(0).rstrip().endswith(")") or _is_code(match.group(1)):
            return value[: match.start()]
    return value


# a dash that opens a place, a contract or a code after a title: "Data Engineer – Paris", "Comptable - CDI"
_DASH_TAIL = re.compile(r"\s+[-–—|]\s+(?:(?:paris|lyon|lille|nantes|bordeaux|toulouse|marseille|london|londres|"
                        r"berlin|remote|cdi|cdd|stage|alternance|freelance|full[- ]time|part[- ]time|h/f|f/h|"
                        r"m/f)\b|[^\s]*\d).*$", re.IGNORECASE)
_INTERVIEW_WORDS = re.compile(
    r"\b(?:entretien|interview|entrevue|invit|convoca|rendez-vous|rdv|call\b|screen|appel|echange|confirm|"
    r"candidat|application(?!s)|update|mis[e]? a jour|annul|cancel|proposition|disponibilit|availability|"
    r"(?:re-?)?schedul|visit|"
    r"technical|technique|next step|your\b|votre\b|re\b|tr\b|fwd?\b|new event|meeting|reunion|visio|rencontr|"
    r"suite\b|retour\b|feedback|vous\b|nous\b|you\b|we\b|merci|thank|option|event\b|booked|booking|"
    r"r[ée]serv[ée]|case study|[ée]tude de cas|cas pratique|presentation|pr[ée]sentation|assessment|pairing|"
    # the meeting named by what is said in it: "Culture add conversation", "Discussion autour du poste" (not a
    # "Conversation Designer")
    r"conversation\b(?! design)|discussion\b|"
    # the day or session the candidates are called to: "Journée d'évaluation", "Session de recrutement"
    r"[ée]valuation|journ[ée]e|session|job ?dating|"
    # what the meeting is or where, and what a subject says of the mail itself: "Meet the team", "Portfolio review",
    # "Sur site", "Autre date", "Des nouvelles", "Confidential"
    r"meet\b|review\b|revue\b|(?:sur|on)[ -]site\b|onsite|date\b|nouvelles\b|news\b|id[ée]e|idea\b|confidenti|"
    r"opportunit|"
    # where the process stands: "Étape suivante", "Prochaine étape", "Stage 2"
    r"[ée]tapes?\b|suivante?s?\b|prochaine?s?\b|"
    # a change the mail announces: "Changement d'horaire", "Nouvel horaire", "Time change", "Report", "Postponed"
    r"changement|modification|d[ée]cal|report(?:e|ee)?\b|postpon|moved\b|horaires?\b|"
    r"(?:time|date|slot) change|change of (?:time|date|slot|plan)|new (?:time|date|slot)\b|"
    # when: "interview slots", "proposition de créneaux"
    r"slots?\b|cr[ée]neaux?\b)",
    re.IGNORECASE)


# "nous cherchons une personne", "we are hiring a Person who": no title; nor what else is looked for ("nous
# chercherons une autre date", "une solution", "un nouveau créneau")
_GENERIC_PERSON = re.compile(r"(?:personne|profil|candidat|quelqu|collaborat|talent|person|someone|candidate|"
                             r"profile|new|nouvel|nouveau|(?:autre|date|solution|creneau|horaire|moment)\b)")


_INTERVIEW_TAIL = re.compile(r"(?:" + _INTERVIEW_WORDS.pattern + r")\w*", re.IGNORECASE)


# a gender code written bare after the title ("Contrôleur de gestion H/F"): a code, as in brackets
_GENDER_TAIL = re.compile(r"\s+(?:[hfmwdx]/){1,3}[hfmwdx]\s*$", re.IGNORECASE)  # "H/F", "m/f/d", "F/H/X"


# a full stop then a capital opens the next sentence; not after an abbreviation ("Sr. Data Engineer")
_NEXT_SENTENCE = re.compile(r"(?<!\b[A-Z][a-z])(?<!\b[A-Z])\.\s+[A-ZÀ-Ý].*$")


# what a recruiter calls the post after its title: "Senior Product Manager opportunity", "CFO search"; not a
# title's own last word ("Head of Search", "Paid Search")
_POST_WORD = re.compile(r"(?<!\bof)(?<!\bpaid)(?<!\bexecutive)\s+(?:opportunity|opening|vacancy|position|role|search)$",
                        re.IGNORECASE)


# what the employer is, after a title's comma ("Quant Analyst, fonds londonien", "Backend Engineer, Series B
# startup"): whose job, not a speciality of it ("Data Scientist, Clinical Analytics")
_EMPLOYER_AFTER_COMMA = re.compile(
    r",\s+(?:(?:un|une|a|an|notre|our|leading|grand|grande|jeune|young|petite?|small|series \w)\s+)*"
    r"(?:fonds|fund|hedge fund|start-?up|scale-?up|cabinet|soci[ée]t[ée]|company|firm|entreprise|family office|pme|"
    r"eti|ong|ngo|fintech|asset manager|soci[ée]t[ée] de gestion|acteur|leader)\b.*$", re.IGNORECASE)


# the organisation whose post it is, named after the title by what it is: "Directrice de la Trésorerie du Groupe
# Vannier", "Head of Tax at Group Orly"; not the title's own complement ("Directeur du Groupe", "Head of Group Tax")
_ORGANISATION_AFTER_TITLE = re.compile(
    rf"\s+(?:du|de la|de l['’]|des|chez|at|of the)\s+(?={_ORGANISATION_WORD}\s+[A-ZÀ-Ý]).*$")


def _trim_position(value: str, company: str | None = None) -> str | None:
    value = _GENDER_TAIL.sub("", _drop_codes(_DASH_TAIL.sub("", " ".join(value.split()))))
    # the code may stand before the words the sentence goes on with: "Développeur H/F au sein de la DSI"
    value = _GENDER_TAIL.sub("", _cut_where_the_sentence_goes_on(value))
    value = _NEXT_SENTENCE.sub("", value)  # "Head of Finance. Thursday …": the title's sentence ended
    value = _ORGANISATION_AFTER_TITLE.sub("", _EMPLOYER_AFTER_COMMA.sub("", value))
    if company and (tail := re.search(r"\s+[-–—|]\s+(?P<t>.*)$", value)) and _names_company(tail["t"], company):
        value = value[: tail.start()]  # "Backend Engineer - Tidewater": the company, told apart
    if re.search(r"\s«[^«»]+»[^\w«»]*$", value):  # the closing guillemet stays with its field
        value = value[: value.rindex("»") + 1].lstrip(" «»\"'.,:;–—-")
    else:
        value = value.strip(" «»\"'.,:;–—-").strip()
    # "poste Chargé(e) de mission" in a subject: the word for a job is not one; "Mission Operations Engineer" is a title
    # nor what the mail is about, before the title: "Candidature Responsable e-commerce", "Opportunité Head of Data"
    # nor "Mission CFO part-time", "Mission DAF de transition": a freelancer's job named by its role's initials
    value = re.sub(r"^(?:poste\s+(?:de\s+|d['’]|:\s*)?|mission\s+(?:de\s+|d['’]|:\s*|(?=(?-i:[a-zà-ÿ]))|"
                   r"(?=(?-i:[A-Z]{2,5})\b))|"
                   r"(?:(?:votre|ta)\s+)?candidature\s+(?:(?:au|pour le)\s+poste\s+)?(?:de\s+|d['’]|:\s*)?|"
                   r"(?:opportunit[ée]|opportunity)\s+(?:de\s+|d['’]|:\s*|as\s+|for\s+)?(?=(?-i:[A-ZÀ-Ý])))?"
                   r"(?:d['’]|de |l['’]|le |la |the |an? )?", "", value, flags=re.IGNORECASE)
    value = _POST_WORD.sub("", value)
    value = value[:1].upper() + value[1:] if value else value
    longest = 80 if "«" in value else 60  # the field in quotes is delimited: no sentence runs on in it
    return value if 2 < len(value) <= longest and not _only_interview_words(value) else None


# "Chargé des publics et de l'analyse", "Responsable des achats et de la logistique": a title with a complement
# ("des publics") joins a second one with "et"; "Data Analyst et de vous rencontrer" goes on with the sentence
_SECOND_COMPLEMENT = re.compile(r"\s+et (?:de la |de l['’]|du |des )(?!(?:vous|nous|te|me)\b)")
_A_COMPLEMENT = re.compile(r"\s(?:de|des|du|d['’])\s?\w", re.IGNORECASE)


def _cut_where_the_sentence_goes_on(value: str) -> str:
    cut = _POSITION_CUT.search(value)
    if cut is None:
        return value
    second = _SECOND_COMPLEMENT.match(value, cut.start())
    if second is not None and _A_COMPLEMENT.search(value, 0, cut.start()):
        return value[:second.end()] + _cut_where_the_sentence_goes_on(value[second.end():])
    return value[:cut.start()]


def _names_company(text: str, company: str) -> bool:
    return squash(text) == squash(company) or (squash(text) in squash(company) and len(squash(text)) >= 4)


def _only_interview_words(value: str) -> bool:
    """"Annulé", "Canceled event", "Confirmed": words of the message's kind, not a job; nor the kind of contract
    alone ("Candidature alternance", "Stage", "Apprenticeship"), which the title beside it is of."""
    rest = _CONTRACT_KIND.sub("", _INTERVIEW_TAIL.sub("", fold(value)))
    return not re.search(r"[a-z]", rest)


_CONTRACT_KIND = re.compile(r"\b(?:alternance|apprentissage|stage|cdi|cdd|interim|job d['’ ]?ete|saisonnier|"
                            r"apprenticeship|internship|work[- ]study|temp|seasonal)\b")


_JOB_IN_BRACKETS = re.compile(r"(?i:interview|entretien|round|screen|call)\s*\(([^()]{3,60})\)")
_AFTER_A_NAME = re.compile(rf"(?:^|\s)(?i:avec|with|and|et|&)\s+{NAME_WORD}(?:\s{NAME_WORD})?\s*$")


# a title written in both forms, "Chargée / Chargé de communication", "Serveur / Serveuse": one part, not two
_BOTH_FORMS = re.compile(r"\b(\w{4,}) / (\w{4,})\b")
_SLASH = "\x04"


def _join_forms(match: re.Match[str]) -> str:
    one, other = fold(match.group(1)), fold(match.group(2))
    return match.group(1) + _SLASH + match.group(2) if one[:4] == other[:4] else match.group(0)


def _segments(text: str, jobs: bool = False) -> list[str]:
    """The parts of a subject or summary: "Interview - Backend Engineer - Tidewater" in three; "technical
    interview (Senior BI Developer)" and "Data Engineer interview, 3 March" give their job too when ``jobs``."""
    text = THREAD_PREFIX.sub("", text)
    text = re.sub(r"\s@\s.*$", " ", text)  # Google's "@ Wed Feb 3 …"
    text = re.sub(r"\s(?:between|entre)\s.*\s(?:and|et)\s.*$", " ", text)  # Calendly's "… between Nadia and Alice"
    # not the role of a person it follows: "Call avec Antoine (CTO)" is who the call is with
    inside = [m.group(1) for m in re.finditer(rf"\((?!(?:{_INCLUSIVE})\))([^)]*)\)", text)
              if not _AFTER_A_NAME.search(text, 0, m.start())]
    # "Technical interview (Platform Engineer) / Alice Martin": the bracket after the interview's word is its job,
    # before any other part (a guest's name)
    named = [m.group(1) for m in _JOB_IN_BRACKETS.finditer(text)]
    text = re.sub(rf"\((?!(?:{_INCLUSIVE})\))[^)]*\)", " ", text)  # "(alice@…)", "(H/F)": told apart below
    text = _BOTH_FORMS.sub(_join_forms, text)
    # "Loomstack <> Alice": the two sides of a meeting, a company's name apart; no job's
    sides = r"|\s+<>\s+" if not jobs else ""
    parts = [p.strip().replace(_SLASH, " / ") for p in re.split(rf"\s+[-–—|:/]\s+|:\s+|\s+-\s*|\s*–\s*{sides}", text)
             if p.strip()]
    bare = [_SEGMENT_WORDS.sub("", p).strip(" ,") for p in parts]
    if not jobs:
        return parts
    return [*named, *parts, *(b for b, p in zip(bare, parts, strict=True) if b and b != p), *inside]


# Around a job in a subject: "entretien Ingénieure données", "Senior Product Analyst interview, 3 March".
_SEGMENT_WORDS = re.compile(r"^(?:(?:technical|final|first|second|phone|video|onsite)\s+)?(?:interview|entretien|"
                            r"rencontre)\s+(?:(?:for|pour|de|d['’]|with|avec)\s+)?"
                            r"|(?:^|\s+)(?:(?:technical|final|first|second|phone|video|onsite|intro)\s+)?"
                            r"(?:interview|entretien|call|chat|screen)\b.*$"
                            r"|,\s*\d.*$", re.IGNORECASE)


# how the interview is held, left of "Entretien téléphonique", "Phone interview" once its word is cut: no job
_MANNER = re.compile(r"telephonique|telephone|phone|physique|presentiel|en presentiel|individuel(?:le)?|collectif|"
                     r"collective|en visio|video|in person|en personne|a distance|en ligne|online|remote|virtual|"
                     r"virtuel|sur place|final|finale|technique|technical|"
                     # what the interview is about or who holds it: "Panel interview", "Hiring manager interview",
                     # "Culture fit interview", "System design interview"
                     r"panel|jury|group|groupe|collective|hiring manager|hr|rh|team|equipe|culture(?: fit| add)?|"
                     r"values|behaviou?ral|competency(?:[- ]based)?|coding|live coding|case|system design")
# a part of a subject about the meeting, its word cut, that ends on a small word: "Before our (call)", "About your
# (interview)", "Avant notre (échange)": no title ends so
_DANGLING = frozenset({"our", "your", "the", "a", "an", "my", "their", "this", "that", "notre", "votre", "ton", "ta",
                       "mon", "ma", "le", "la", "les", "un", "une", "de", "du", "des", "for", "before", "after",
                       "about", "with", "to", "of", "pour", "avant", "apres", "avec", "sur", "et", "and", "or", "ou"})


def _job_like(segment: str, company: str | None = None) -> str | None:
    """A subject part that names a job: not the interview words, at most six words."""
    trimmed = _trim_position(segment, company)
    if not trimmed or _GENDER_TAIL.fullmatch(" " + trimmed) or not 1 <= len(trimmed.split()) <= 6 \
            or _MANNER.fullmatch(fold(trimmed)) \
            or _INTERVIEW_WORDS.search(fold(trimmed)) or _CHAT.search(fold(trimmed)) \
            or re.search(r"\d|@", _WORKING_TIME.sub("", _GRADE.sub("", trimmed))) \
            or segment.rstrip().endswith("?") or fold(trimmed) in _NOT_COMPANY \
            or fold(trimmed.split()[-1]) in _DANGLING:
        return None
    return trimmed


# A subject that is a greeting, a day, a meal or a question ("Hello Alice", "Friday?", "Déjeuner jeudi ?",
# "Quick question", "Final round"): what a person writes about, not the job.
_CHAT = re.compile(r"\b(?:hello|hi|hey|bonjour|salut|coucou|question|round|demain|tomorrow|today|"
                   r"aujourd.hui|tonight|ce soir|next week|semaine prochaine|this week|cette semaine|"
                   r"(?:lun|mar|mercre|jeu|vendre|same)di|dimanche|(?:mon|tues|wednes|"
                   r"thurs|fri|satur|sun)day|dejeuner|lunch|cafe|coffee|catch up|catch-up|quick|petit|petite|intro|"
                   r"introduction|debrief|follow-up|suivi|point|"
                   # the mail itself: "Re: ton message", "Your email", "Votre courriel"
                   r"messages?|e-?mails?|mail|courriels?)\b")


def find_position(msg: ParsedMessage, event: CalendarEvent | None, body: str, company: str | None,
                  people: set[str], history: str = "") -> Found | None:
    """The position: in the sender's text, the subject or the calendar summary, else the quoted history (its
    text, then the subjects of the messages it quotes)."""
    found = _position_in(msg, event, body, company, people)
    if not history or (found is not None and not found.source.startswith(("subject", "calendar"))):
        return found
    # "> > for the Data\n> > Engineer position": one sentence, its spaces one (the line numbers hold)
    history = _SPACES.sub(" ", unwrap(_QUOTE_MARKS.sub("", history)))
    quoted = _position_in_text(history, [], "quoted line", company)
    if found is not None:
        # a subject says the title short ("Éditrice junior") that the quoted mail decorates ("(littérature jeunesse)")
        return quoted if quoted is not None and _decorates(quoted.value, found.value) else found
    return quoted or _position_in_quoted_subjects(history, company, people)


_QUOTE_MARKS = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")
_SPACES = re.compile(r"[ \t]{2,}")
# the header block a mail program writes above the message it quotes: "Subject: …", "Objet : …", "Betreff: …"
_QUOTED_SUBJECT = re.compile(r"(?m)^\s*\*?(?:subject|objet|sujet|betreff|asunto|oggetto|onderwerp)\*?\s*:\s*(.+)$",
                             re.IGNORECASE)


def _position_in_quoted_subjects(history: str, company: str | None, people: set[str]) -> Found | None:
    for match in _QUOTED_SUBJECT.finditer(history):
        for segment in _decorated(match.group(1)) + _segments(match.group(1), jobs=True):
            job = _job_like(segment, company)
            if job and not names_someone(job, people) and not (company and matches_domain(job, squash(company))):
                return Found(job, f"quoted subject, line {line_no(history, match.start(1))}")
    return None


def _decorated(subject: str) -> list[str]:
    """The parts of a subject with the brackets that belong to a title kept ("Equity Analyst (Paris desk)"),
    none when it has none: a code ("(H/F)", "(R-123)") or a person ("(C. Bernard)") is no part of it."""
    def mark(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _is_code(inner) or re.search(r"\b[A-Z]\.|@", inner) or re.fullmatch(_INCLUSIVE, inner) or \
                _A_PERSON.fullmatch(inner.strip()):
            return match.group(0)
        return "[" + inner.replace("-", "\x01").replace("–", "\x02").replace("—", "\x03") + "]"

    marked = re.sub(r"\(([^()]{2,40})\)", mark, subject)
    if "[" not in marked:
        return []
    return [p.replace("[", "(").replace("]", ")").replace("\x01", "-").replace("\x02", "–").replace("\x03", "—")
            for p in _segments(marked) if "[" in p]


def _position_in(msg: ParsedMessage, event: CalendarEvent | None, body: str, company: str | None,
                 people: set[str]) -> Found | None:
    titles = [(s, "subject") for s in (*_decorated(msg.subject), *_segments(msg.subject, jobs=True))]
    if event is not None and event.summary:
        titles += [(s, "calendar part (SUMMARY)") for s in (*_decorated(event.summary),
                                                             *_segments(event.summary, jobs=True))]
    # "RE: Gridway - Energy Markets Analyst": the company, whole or a part of its name ("Gridway Energy"), is no title;
    # "Product Analyst at Northwind", "Dev fullstack chez Tandem" are, the company cut after the title
    people = people | _the_other_side(msg.subject, people) | _assisted(body)
    titles = [(t, src) for t, src in titles if not _is_the_company(_trim_position(t, company) or t, company)
              and not _names_people(_LAST_BRACKET.sub("", t), people)]  # "Stefan Wyss (CEO)": a person, their role
    found = _position_in_text(body, titles, "body line", company)
    if found is not None:
        return found
    # "Your application for Data Analyst at Corvid", "Votre candidature au poste de X": a subject written as a sentence
    for segment in _segments(msg.subject, jobs=True):
        found = _position_in_text(segment, [], "subject", company)
        if found is not None and not _names_people(found.value, people):
            return Found(found.value, "subject")
    for title, source in titles:
        job = _job_like(title, company)
        # "Candidature Alice Martin - …": what follows the mail's word may be the candidate, no job
        if job and not (company and matches_domain(job, squash(company))) and not _names_people(job, people):
            return Found(job, source)
    return None


_LAST_BRACKET = re.compile(r"\s*\([^()]*\)$")


def _the_other_side(subject: str, people: set[str]) -> set[str]:
    """The person a subject sets beside one the message names: a person, never a job (nor their role after it)."""
    found = set()
    for match in _TWO_SIDES.finditer(subject):
        # "Interview Alice Martin / …": the name may end what the subject says before it
        sides = [" ".join(re.sub(rf"^{_HONORIFIC_WORDS}", "", side).split()[-2:]) for side in match.groups()]
        # "Alice Martin / Finance Manager": a side that names a role is the job she meets for
        if any(names_someone(side, people) for side in sides) and \
                not any(_ROLE_WORDS.search(fold(side)) or _A_TRADE.search(side) for side in match.groups()):
            found |= {squash(side) for side in (*sides, *match.groups())}  # "Sir David Aldous" as written too
    return found


def _is_the_company(segment: str, company: str | None) -> bool:
    return company is not None and (squash(company) in squash(segment) or squash(segment) in squash(company))


def _position_in_text(body: str, titles: list[tuple[str, str]], where: str,
                      company: str | None = None) -> Found | None:
    folded = patterns.caseless(body)
    for pattern in _POSITION_BODY:
        for match in patterns.guarded(pattern, re.IGNORECASE if "[A-Z]" not in pattern else 0).finditer(body, folded):
            group = "q" if "(?P<q>" in pattern else "p"
            value = _quoted_title(match["q"]) if group == "q" else _trim_position(match["p"], company)
            if not value or _GENERIC_PERSON.match(fold(value)) or _a_day_or_the_company(value, company):
                continue
            # the subject says it more cleanly: "Contrôleur de gestion" for "Contrôleur de gestion basé à Paris";
            # but the same words are written the sentence's way ("Analyste crédit – Entreprises")
            if not any(squash(value) == squash(title) and value != _trim_position(title, company)
                       for title, _ in titles):
                for title, source in titles:
                    if _decorates(title, value):  # "Business Analyst (French/English)" in the subject
                        return Found(title, source)
                    if squash(value).startswith(squash(title)) and len(squash(title)) >= 4 and \
                            not _decorates(value, title) and not _goes_on_with_and(value, title):
                        return Found(_trim_position(title, company) or title, source)
                    if _said_short(value, _trim_position(title, company) or ""):
                        return Found(_trim_position(title, company) or title, source)
            return Found(value, f"{where} {line_no(body, match.start(group))}")
    return None


_CODE_IN_BRACKETS = re.compile(r"\s*\((?:(?:[hfmwdx]/){1,3}[hfmwdx]|(?:r[ée]f|ref)\b[^()]*)\)", re.IGNORECASE)


def _quoted_title(value: str) -> str | None:
    """A title its writer put in quotes: whole, its gender code or reference aside."""
    value = _GENDER_TAIL.sub("", _CODE_IN_BRACKETS.sub("", " ".join(value.split()))).strip(" .,:;–—-")
    return value if len(value) > 2 and not _only_interview_words(value) else None


def _a_day_or_the_company(value: str, company: str | None) -> bool:
    """"the next step for Thursday", "the next step for Acme is": when or who, after the words a title follows."""
    first = value.split()[0].lower()
    return first in WEEKDAYS or first in MONTHS or (company is not None and _names_company(value, company))


def _said_short(value: str, title: str) -> bool:
    """"le poste de lead" of the subject's "Lead Data Analyst", "the PM role" of "PM Growth": one word of the text
    that opens the title the subject gives whole."""
    return len(value.split()) == 1 and len(title.split()) > 1 and fold(title).startswith(fold(value) + " ")


def _goes_on_with_and(fuller: str, title: str) -> bool:
    """A subject cut short ("Chargé(e) de mission données") that the text says whole, its next words joined by
    "et", "and" or "&" ("… données et observatoire territorial"): the words the sentence ran on with are cut."""
    return fuller.lower().startswith(title.lower()) and \
        re.match(r"\s+(?:et|and|&)\s+\w", fuller[len(title):]) is not None


# What may follow a title and still belong to it: a bracket ("(plateforme mobilité)"), a speciality after a dash
# ("– Pricing") or a field of two words or more after a comma ("Senior Data Scientist, Clinical Analytics",
# "Analyste principale, données marketing"), where a sentence cuts the title (one word there is as often a town:
# "Risk Manager, Leeds"); not words that run on ("basé à Paris")
_DECORATION = re.compile(r"\s*(?:\((?P<inner>[^()\n]{2,40})\)|[–—-]\s+[A-ZÀ-Ý][^\n]{1,40}|"
                         r",\s+(?P<field>[\w&'’-]+(?: (?:(?:&|and|et|de|of) )?[\w&'’-]+){1,3}))")
# "(Marcus Feld)", "(Alice Martin)" after a title in a calendar's summary: who, not which job
_A_PERSON = re.compile(rf"{NAME_WORD}(?: {NAME_WORD}){{1,2}}")
_HONORIFIC_WORDS = r"(?:(?:Sir|Dame|Lord|Lady|Dr|Prof|Mr|Mrs|Ms|Mme|M)\.? )"
# two people a meeting joins, the user one of them: "Alice Martin / Sir David Aldous", "Alice Martin x Stefan Wyss"
_TWO_SIDES = re.compile(rf"({_HONORIFIC_WORDS}?{_A_PERSON.pattern})\s+(?:/|x|<>|&)\s+"
                        rf"({_HONORIFIC_WORDS}?{_A_PERSON.pattern})")


def _decorates(fuller: str, title: str) -> bool:
    """``fuller`` is ``title`` with a decoration written after it; a bracket naming a person or a place is none."""
    if len(title) < 4 or not fuller.lower().startswith(title.lower()):
        return False
    found = _DECORATION.fullmatch(fuller, len(title))
    inner = found["inner"] if found else None
    field = found["field"] if found else None
    if field and (_is_code(field) or _CITY_WORDS.search(fold(field)) or _POSITION_CUT.search(" " + field) or
                  _EMPLOYER_AFTER_COMMA.match(", " + field)):
        return False  # "Data Analyst, Manchester", "Comptable, basé à Lyon": where, not which speciality
    return found is not None and not (inner and (_is_code(inner) or _A_PERSON.fullmatch(inner.strip())))


_CITY_WORDS = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, CITY_ZONES), key=len, reverse=True)) + r")\b")


# --- company


_COMPANY_WORD = r"[A-ZÀ-Ý][\w&'’-]*(?:\.[A-Za-z]{2,})?"
_COMPANY_NAME = rf"(?P<c>{_COMPANY_WORD}(?:[ ](?:&[ ])?{_COMPANY_WORD}){{0,3}})"
# a name with its small words, where the sentence says it is the subject of what follows: "Comptoir des Vignes vous
# invite", "L'Atelier du Canal souhaite"
_COMPANY_NAME_SAID = rf"(?P<c>{_COMPANY_WORD}(?:[ ](?:(?:&|de|des|du|la|le|les|et)[ ]|d['’])?{_COMPANY_WORD}){{0,3}})"
_TRADE_AT_THE_END = re.compile(rf"{_JOB_NOUN}\s*(?:\([^()]*\)\s*)?$")  # "Data Engineer (Remote)" too


def names_a_trade(title: str) -> bool:
    """A title that ends on a trade's noun ("Product Designer", "Chef de projet" does not): a job, not any short
    part of a subject."""
    return _TRADE_AT_THE_END.search(title) is not None


# "8:30am at Holybelly (5 rue Lucien Sampaix)": a place given with its street address is where, not who
# whole words only, not "Koala" of "Koala Santé."; nor the first words of a longer name ("Café" of "Café Ombelle (14
# rue …)", which would escape the address by giving a word back)
# nor a street written before its number, as most of Europe writes it: "11:00 at Hardstrasse 219", "chez Keizersgracht
# 62" (not a time: "at Orsay 10:30")
_NOT_A_VENUE = (r"(?![\w&'’-]|\.\w| ?\(\d|(?: (?:& )?[A-ZÀ-Ý][\w&'’-]*){1,3} ?\(\d|"
                r"(?: [A-ZÀ-Ý][\w&'’-]*){0,3} \d{1,4}[a-z]?\b(?![:.h]\d|\s?[ap]\.?m\b))")
# what names a place people meet at: "Café Ombelle", "Brasserie Lutèce", "the Hotel Marlow"
_VENUE_WORD = r"(?i:caf[ée]|restaurant|brasserie|bistrot?|bar|h[ôo]tel|coffee shop|pub)"
# what a company is, said before its name: "L'entreprise Ondine", "la société Varenne", "the company Acme"
# or the team that speaks for it: "l'équipe de Papeterie Ondine souhaite", "the team at Kestrel would like"
_WHAT_IT_IS = (r"(?:(?i:l['’]|la |le |the )(?i:entreprise|soci[ée]t[ée]|start-?up|company|firm|association|"
               r"enseigne|mutuelle|banque) |(?i:(?:toute )?l['’][ée]quipe (?:de |d['’])|the team (?:at|of|from) ))?")
_COMPANY_PATTERNS: tuple[tuple[str, int], ...] = (
    # who calls says whose firm they are with: "Karine du cabinet Talentis RH", "Paul, de l'agence Orvalis"; a
    # client named beside it weighs more
    (rf"(?i:\b(?:du|le|au|notre|de l['’]|l['’]) ?(?:cabinet|agence)(?: de recrutement| de conseil| d['’]int[ée]rim)?)"
     rf"\s+{_COMPANY_NAME}", 2),
    (rf"(?:notre|our) client,?\s+(?:le |la |les |l['’])?{_COMPANY_NAME}", 6),
    # not where a journey arrives or leaves ("arriving at Basel SBB", "change at Lyon Part-Dieu")
    # nor where the sender saw the user ("your talk at PyCon FR", "we met at Station F")
    (rf"\b(?<!arriving )(?<!arrive )(?<!arrives )(?<!departing )(?<!leaving )(?<!change )(?<!changing )"
     rf"(?<!talk )(?<!speaking )(?<!spoke )(?<!met )(?<!meetup )(?<!presentation )(?<!keynote )"
     rf"(?:chez|at|au sein (?:de|d['’]|du groupe)|rejoindre|join(?:ing)?|pour le compte (?:de|des|du)"
     rf"|int[ée]r[êe]t(?: que vous portez| pour)?(?: au| à| a| pour)?|interest in|on behalf of) "
     # not a person's possessive: "at Owen's request", "chez Marie's place" name what is theirs
     rf"{_WHAT_IT_IS}(?:le |la |l['’])?{_COMPANY_NAME}(?!(?<=['’]s) [a-zà-ÿ]){_NOT_A_VENUE}", 4),
    # what the company is may follow in brackets: "Vertigo (scale-up, 120 personnes) a retenu ton profil"
    (rf"(?:^|[.!:]\s+|,\s+|–\s+|-\s+){_WHAT_IT_IS}{_COMPANY_NAME_SAID}(?: \([^()\n]{{1,50}}\))? "
     rf"(?:(?:have|has|ont|a) [^.!?\n]{{0,50}}? (?:and|et) )?"
     rf"(?:would like|souhaite|souhaiterait|"
     rf"aimerait|is pleased|are pleased|a le plaisir|wants|is excited|are excited|have asked|has asked|"
     rf"vous propose|vous invite|te propose|t['’]invite|invites you|"
     # who chose her profile: "X a retenu votre profil", "X has shortlisted you"
     rf"(?:a|ont) (?:retenu|s[ée]lectionn[ée]) (?:votre|ton|ta) (?:profil|candidature|dossier)|"
     rf"ha(?:s|ve) (?:shortlisted|selected) (?:you|your (?:profile|application))|"
     rf"a demand[ée]|ont demand[ée])", 4),
    # who writes says where from: "it's Tom from Parcel", "je suis Inès, de chez Koalo"
    (rf"(?i:\b(?:it['’]?s|i['’]?m|i am|this is|c['’]est|ici|je suis)) {NAME_WORD},? (?i:from|at|de chez|chez) "
     rf"{_COMPANY_NAME}{_NOT_A_VENUE}", 4),
    # who writes says what they run: "Tom here, founder of Parcelwise", "cofondatrice d'Ondine", "CEO at Brindle"
    # "one of the two founders of Ondine", "l'un des fondateurs de Koalo"
    (rf"(?i:\b(?:co-?)?(?:founders?|fondat(?:eur|rice)s?|ceo|cto|coo|managing director|g[ée]rante?) (?:of|at|de|d['’]|"
     rf"chez) ?){_COMPANY_NAME}{_NOT_A_VENUE}", 4),
    # a scheduler's "Host: Noah Williams (Cobalt Systems)"; not a job title's bracket, "Backend Engineer (Java)",
    # "Procurement Manager (EMEA)", which holds a skill, a region or a team
    # nor a programme's ("2027 Graduate Programme (Strategy & Transformation)"): its stream
    # nor a place's neighbourhood ("Café Kitsuné (Palais-Royal)")
    # nor the post a calendar title writes after the candidate ("Interview - Jane Roe (Risk Analyst)")
    (rf"\b(?!{_VENUE_WORD}\b){NAME_WORD} (?!{_JOB_NOUN}|(?i:programme|program|scheme|centre|center|day)\b)"
     rf"{NAME_WORD} \((?![^()\n]{{0,40}}{_JOB_NOUN}\)){_COMPANY_NAME}\)", 2),
)
# A job board's notification names the company in its words: "Léa de Numa Mobility vous a envoyé un message",
# "Kestrel a répondu à votre candidature", "New message from Kestrel", "Léa from Kestrel sent you a message".
_BOARD_PATTERNS: tuple[tuple[str, int], ...] = (
    (rf"{_COMPANY_NAME} (?i:vous a (?:envoy[ée]|[ée]crit)|t['’]a (?:envoy[ée]|[ée]crit)|a r[ée]pondu|a mis à jour|"
     rf"a consult[ée]|sent you|has sent you|wrote to you|has written|replied|has replied|responded|has responded|"
     rf"updated|has updated|viewed)\b", 4),
    (rf"(?i:\b(?:message|r[ée]ponse|reply|response|news|nouvelles)) (?i:from|de|d['’]) (?:{NAME_WORD} "
     rf"(?i:from|at|de|chez|d['’]) ?)?{_COMPANY_NAME}", 4),
)
# A chat platform's notification names the workspace (or server) a person wrote in, the company's own: "New message
# from Marta Ruiz in Fernwood Talent", "Tom sent you a direct message in Acme", "Léa mentioned you in Orsay Lab"
_WORKSPACE = (rf"(?i:\b(?:messages?|mentioned you|replied|wrote|posted))"
              rf"(?: (?i:from) {NAME_WORD}(?: {NAME_WORD}){{0,2}})? (?i:in) (?:the )?{_COMPANY_NAME}")
# what a director directs when it is a function, not a company: "Directeur des Risques", "Directrice des Achats"
_FUNCTION = (r"(?i:(?:risques|achats|ventes|op[ée]rations|finances|ressources|syst[èe]mes|projets|programmes|affaires|"
             r"[ée]tudes|services|engagements|partenariats|relations|r[ée]mun[ée]rations|march[ée]s|investissements|"
             r"sinistres|indemnisations?|produits|donn[ée]es|comptes|talents|usines?|travaux|exploitations?|"
             r"contr[ôo]le|audit|tr[ée]sorerie|fiscalit[ée]|comptabilit[ée]|conformit[ée]|juridique|strat[ée]gie|"
             r"transformation|communication|marketing|logistique|qualit[ée]|s[ée]curit[ée]|recherche)\b)")
# An agency names the company it recruits for: "my client, X", "notre cliente X", "a role with X", "j'ai transmis
# votre dossier à X", "le directeur marketing des Laboratoires X".
_CLIENT_PATTERNS: tuple[tuple[str, int], ...] = (
    # "my client, the company X", "mon client, la société X"
    (rf"(?i:\b(?:mon|ma|notre|my|our) client(?:e)?),?\s+{_WHAT_IT_IS}(?:(?i:les|le|la|l['’])\s?)?{_COMPANY_NAME}", 6),
    # the client revealed: "I can now tell you who it is: X", "the client is X", "il s'agit de X"
    (rf"(?i:\b(?:who it is|who they are|which company it is|the client is|the company is|le client est|"
     rf"la cliente est|l['’]entreprise est|la soci[ée]t[ée] est|il s['’]agit (?:de|du|de la|de l['’]))):?\s+"
     rf"{_COMPANY_NAME}{_NOT_A_VENUE}", 6),
    # a consultant on a client's search: "j'accompagne l'Atelier X", "I'm working with X on", "je représente X"
    (rf"(?i:\b(?:j['’]accompagne|nous accompagnons|je repr[ée]sente|nous repr[ée]sentons|i represent|we represent|"
     rf"i(?:['’]m| am) (?:working|partnering) with|we(?:['’]re| are) (?:working|partnering) with|"
     # a search firm's mandate: "we have been retained by X", "nous avons été mandatés par X"
     rf"retained by|mandat[ée]e?s? par|missionn[ée]e?s? par))\s+"
     rf"(?:(?i:le|la|l['’])\s?)?{_COMPANY_NAME}{_NOT_A_VENUE}", 6),
    (rf"(?i:\b(?:role|position|opening|vacancy|poste|mission|search) (?:with|at|chez|for|pour)) "
     rf"(?:(?i:le|la|l['’])\s?)?{_COMPANY_NAME}", 4),
    (rf"(?i:\b(?:transmis|pr[ée]sent[ée]|envoy[ée]|forwarded|passed|sent|shared|introduced) (?:votre|ton|your) "
     rf"(?:dossier|candidature|cv|profil|profile|application) (?:à|a|au|to|with)) (?:(?i:la|le|l['’])\s?)?"
     rf"{_COMPANY_NAME}", 4),
    # the organisation whose post it is, named by what it is after the title: "au poste de Directrice de la
    # Trésorerie du Groupe Vannier"
    (rf"(?i:\b(?:poste|recrutement)) (?i:de |d['’]|du )[^.\n]{{3,60}}? (?:du|de la|de l['’]) "
     rf"(?={_ORGANISATION_WORD} ){_COMPANY_NAME}", 4),
    (rf"(?i:\b(?:directeur|directrice|daf|drh|dsi|responsable|head|ceo|cfo|cto|fondat(?:eur|rice)|pr[ée]sidente?|"
     rf"hiring manager)\b[^.,;\n]{{0,30}}?\b(?:de la|de l['’]|des|du))\s?(?!{_FUNCTION}){_COMPANY_NAME}", 3),
)
# a role said short after a company in an agency's subject: "Stackhouse EM - feedback", "Orbit VP Sales"
_ROLE_SHORT = re.compile(r"\s+(?:EM|PM|TPM|VP|CTO|CFO|COO|CEO|CPO|SWE|SRE|QA|UX|BA|DS|DE|DA)\b.*")


# An agency's news from its client: "I've just heard back from Lumen Studios", "just got off the phone with X"
# (read in an agency's mail only: anyone else hears back from people)
_AGENCY_NEWS_PATTERNS: tuple[tuple[str, int], ...] = (
    (rf"(?i:\b(?:heard back from|off the phone with|un retour de|des nouvelles de))\s+{_COMPANY_NAME}{_NOT_A_VENUE}",
     4),
    # the client said by what it is, then named: "for a leading retailer, Marlowe & Sons", "pour un acteur majeur de
    # la logistique, Transports Vidal"
    (rf"(?i:\b(?:for|with|pour|chez|avec) (?:a|an|un|une))(?: [a-zà-ÿ'’-]+){{1,6}}, {_COMPANY_NAME}{_NOT_A_VENUE}", 4),
)
# What an agency's domain or name holds (an in-house recruiter's title says "Talent" too, so not the signature's
# titles), and what its signature says of it; its own name then gives way to the client the text names.
_AGENCY = re.compile(r"recrut|recruit|talent|staffing|interim|headhunt|search|\bpeople\b|people$|hire\b|\brh\b|\bhr\b")
# ("search" as a firm's trade, "Executive Search"; not the user's own job search its good wishes speak of: "all the
# best with the search", "in your search")
_AGENCY_SIGNATURE = re.compile(r"\bcabinet\b|\bagence\b|\bagency\b|(?<!the )(?<!your )(?<!job )\bsearch\b(?! for\b)|"
                               r"chasseur|headhunt|recrutement de cadres|recruitment (?:agency|consultancy)|"
                               # a portage company carries a freelancer's mission for the client
                               r"\bportage\b|"
                               # a firm named for its trade ("Harrington Blake Recruitment"), not a team's function
                               # ("Head of Recruitment", "Graduate Recruitment", "Campus & Experienced Hire Recruiting")
                               r"\b(?!(?:graduate|campus|university|technical|tech|talent|global|internal|volume|senior|"
                               r"hire|hiring|experienced|head|team|and|with|for|our|your|the|their|from)\b)[a-z]{3,} "
                               r"(?:recruitment|staffing)\b(?! (?:team|manager|lead|partner|officer|"
                               r"coordinator|specialist|advis[eo]r|business partner)\b)")
# the client an intermediary recruits for, spoken of ("my client", "notre cliente"; an employer says "our clients"
# of its customers, in the plural)
_CLIENT_SPOKEN = re.compile(r"\b(?:my|mon|ma|notre) client(?:e)?\b|\b(?:recruit\w*|hiring|search\w*) (?:for|on "
                            r"behalf of) (?:a|one of my|one of our) client\b|\b(?:recrut\w*|recherch\w*) pour "
                            r"(?:le compte d.)?(?:un|une|l.un de mes|l.un de nos|l.une de mes|l.une de nos) client")
# an agency's trade, which ends its domain (hargreavestalent: "Hargreaves Talent") but is no support for a name
# the text gives ("Hargreaves" is not the agency's client)
_AGENCY_TAILS = ("talent", "recruitment", "staffing", "resourcing")
_SMALL_WORDS = frozenset({"d", "de", "des", "du", "la", "le", "les", "l", "et"})
# "Your interview with Orbital Pay": in a subject, "with" names a company; in a body, mostly a person.
# (not a person named by their seat: "meeting with the Chair", "call with the Board", "with the CEO")
_SUBJECT_WITH = (r"\bwith (?:the )?(?!(?:Chair\w*|Board|CEO|CFO|COO|CTO|President|Founders?|Co-?founders?|Team|Panel|"
                 rf"Committee|Partners?|Hiring|Managing|Directors?|Trustees)\b){_COMPANY_NAME}")
# a subject that says whom the mail comes from: "hello from Tidewell", "Des nouvelles de Maison Roux"
_SUBJECT_FROM = (r"\b(?i:hello|hi|greetings|news|a note|a word|an update|invitation|message|nouvelles|un mot|"
                 rf"un message|bonjour) (?i:from|de la part de|de|d['’]) (?:the |l['’]équipe )?{_COMPANY_NAME}")
_NOT_COMPANY = frozenset(fold(w) for w in (
    "Paris", "Lyon", "London", "Londres", "Teams", "Microsoft Teams", "Zoom", "Google", "Google Meet", "Meet",
    "Webex", "Le", "La", "Les", "The", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Lundi", "Mardi",
    "Mercredi", "Jeudi", "Vendredi", "Nous", "We", "Our", "Notre", "Madame", "Monsieur", "Ms", "Mr", "Mrs", "Mme",
    "M", "I", "You", "Vous", "Alice", "Dear", "Hi", "Hello", "Bonjour", "Merci", "Thanks", "Thank", "Noon", "Midi",
    "Calendly", "Greenhouse", "Lever", "Workday", "SmartRecruiters", "Teamtailor", "Welcome to the Jungle",
    "LinkedIn", "Indeed", "Reception", "Interview", "Entretien", "Please", "Our Team", "HR", "RH",
    "Direction", "Talent Acquisition", "Talent", "Talents", "Recrutement", "Recruiting", "Recruitment", "People",
    "Ressources Humaines", "Human Resources", "Direction des Ressources Humaines", "Careers", "Carrières", "Il",
    "Elle", "On", "Cal", "Cal.com", "Ashby", "Jobteaser", "Workable", "Recruitee", "GoodTime",
    # a pronoun that opens a sentence ("Je souhaiterais vous rencontrer") is who speaks, not a name
    "Je", "J", "Tu", "Ils", "Elles", "They", "He", "She", "It",
    # nor an article ("An updated invitation is attached", "Une salle vous attend")
    "A", "An", "Un", "Une", "This", "Ce", "Cette",
    # a department's initials or name in a shared mailbox's name ("DRH - Recrutement"), not who employs
    "DRH", "DSI", "DAF", "SIRH", "Service RH", "Service Recrutement", "Pôle RH", "Équipe RH", "HR Team",
    "People Team", "Talent Team", "Recruiting Team",
))
# a department or a system after a company's name: "Linnea Bio Recruiting", "Acme Talent Acquisition"
# a recruiting department's words around the company's name, in English and French: "Acme Recruiting",
# "Acme Recrutement", "Recrutement Acme" (not "HR" or "Talent" alone: "HR Path", "Talent Nova" are companies)
_DEPARTMENT_TAIL = re.compile(r"\s+(?:(?:graduate|campus|early careers|early|university) )?"
                              r"(?:recruiting|recruitment|hiring|talent acquisition|talent team|careers|people team|"
                              r"(?:recruiting|hiring) team|human resources|recrutement|ressources humaines|"
                              r"service recrutement)$", re.IGNORECASE)
# the team a system's sender names after the company the text names alone: "Quantly Talent", "Orsay RH"
_TEAM_TAIL = re.compile(rf"{_DEPARTMENT_TAIL.pattern}|\s+(?:talent|talents|hr|rh|people|hiring|jobs)$",
                        re.IGNORECASE)
# "Hotel Marlow HR", "Mairie de Vanves RH": the team that writes, after the name of its employer, in a mailbox's name
_HR_TAIL = re.compile(r"(?<=\S)\s+(?:HR|RH|DRH)$")
# and the department's initials or words before the employer's name: "DRH Ville de Saint-Ours", "Service RH Acme"
_DEPARTMENT_HEAD = re.compile(r"^(?:recruiting|recruitment|recrutement|talent acquisition|drh|"
                              r"service (?:rh|recrutement|du personnel)|direction des ressources humaines)\s+"
                              r"(?:(?:de|d['’]|chez|at)"
                              r"\s*)?(?=(?-i:[A-ZÀ-Ý0-9]))", re.IGNORECASE)
# "Réf. 2600318", "Ref: JR-1042", "N° 5521": a job's reference number in a subject, never a company
_REFERENCE = re.compile(r"^(?:r[ée]f(?:[ée]rence)?|ref|n°|no|id|job id|req)\b\.?\s*:?\s*[\w-]*\d", re.IGNORECASE)
# "C. Martin", "A.-S. Carré": an initial and a surname name a person
_INITIAL_SURNAME = re.compile(r"^[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)?\s+[A-ZÀ-Ý][\w'’-]+$")
# what ends a name in running text: a lower-case word that is not a connector ("Cobalt Conseil vous invite")
_NAME_CONNECTORS = frozenset({"de", "du", "des", "d'", "d’", "et", "and", "of", "the", "la", "le", "&", "von", "van"})


# Words of a person's role: "Paul Morel (Lead Data)" names a job, not a company.
_ROLE_WORDS = re.compile(r"\b(?:director|directeur|directrice|head|manager|lead|engineer|officer|recruiter|"
                         r"founder|co-founder|cofounder|fondat(?:eur|rice)|co-?fondat(?:eur|rice)|partner|"
                         r"consultante?|responsable|chargee?|chef|presidente?|ceo|cto|cfo|coo|vp|associee?|"
                         r"specialist|coordinator|coordinatrice|coordinateur|assistante?|gerante?)\b")


_DETERMINERS = frozenset({"le", "la", "les", "the", "our", "notre", "votre", "your", "nos", "their", "leur"})
# A French article written with a capital before a capitalised word is part of the name: "La Ferme Numérique",
# "Le Slip Français"; "notre Direction", "the Recruiting Team" are no names
_ARTICLE_OF_NAME = re.compile(r"^(?:La|Le|Les) [A-ZÀ-Ý]")


def _clean_company(value: str, department: bool = False, line: bool = False) -> str | None:
    """A candidate made a company's name, or None; a recruiting team's words around it dropped ("Acme
    Recrutement" of Acme's own team) unless ``department`` keeps them. A name in running text ends at a lower-case
    word; one that is a ``line`` of its own keeps them, as French writes them ("Communauté de communes du Val")."""
    # "Hotel Lakeview ****": a hotel's stars are no part of its name
    value = LEGAL_PREFIX.sub("", LEGAL_SUFFIX.sub("", value.strip(" .,'’\"«»*"))).strip(" .,*")
    if fold(value) in _NOT_COMPANY:  # before a lower-case word cuts it: "Welcome to the Jungle" is no "Welcome"
        return None
    if value.isupper():  # a letterhead's capitals; "BNP PARIBAS" is "BNP Paribas", "KPMG" stays
        value = _SHOUTED.sub(lambda m: m.group().capitalize(), value)
    words = value.split()
    for i, word in enumerate(words[1:], 1):
        if not line and word[:1].islower() and word.lower() not in _NAME_CONNECTORS and not re.match(r"d['’]", word):
            value = " ".join(words[:i])
            break
    if not department and len(value.split()) > 1:
        value = _DEPARTMENT_HEAD.sub("", _DEPARTMENT_TAIL.sub("", value))
    first = fold(value.split()[0]) if value.split() else ""
    if not value or fold(value) in _NOT_COMPANY or _ROLE_WORDS.search(fold(value)) or (
            first in _DETERMINERS and not _ARTICLE_OF_NAME.match(value)):
        return None
    if _REFERENCE.match(value) or _INITIAL_SURNAME.match(value) or _HONORIFIC.match(value):
        return None
    if _BARE_CODE.match(value) or fold(value) in _CITIES or _PHONE_DIGITS.search(value):
        return None  # "Research Fellow (AI-2611)", "Analyste Supply Chain (Montréal)": which post, and where
    return value


# a requisition's code alone, its letters, digits and dashes: "AI-2611", "VIDW-2026-117", "R12873"
_BARE_CODE = re.compile(r"^[A-Za-z]{0,6}[-_/#]?\d{3,}(?:[-_/]\w+)*$")
_CITIES = frozenset(fold(city) for city in CITY_ZONES)
_PHONE_DIGITS = re.compile(r"\+?\d[\d .]{7,}\d")  # "Nouveau SMS de +33612489077": who called, no company


# "Maître Olivier Vandenbroeck souhaiterait vous rencontrer", "Dr Anne Roy": a person addressed by their title
_HONORIFIC = re.compile(r"^(?:Ma[îi]tre|Me|Docteur|Dr|Professeur|Pr|Prof|Monsieur|Madame|Mr|Mrs|Ms|Mme|M|Sir|Dame|"
                        r"Lord|Lady)\.? [A-ZÀ-Ý]")


# a group's national entity: "Halden Energy France", "Acme UK"; the name without it is the one its domain spells
_NATIONAL_TAIL = re.compile(r"\s+(?:France|UK|U\.K\.|Deutschland|Germany|Espa[ñn]a|Spain|Italia|Italy|Benelux|"
                            r"Belgique|Belgium|Nederland|Suisse|Schweiz|Switzerland|Iberia|Nordics|Europe|EMEA|"
                            r"US|USA|Canada|Ireland|Polska|Portugal|Österreich|Austria)$")


class _Ballot:
    """Candidates for one field, each scored; agreement across sources adds up."""

    def __init__(self, people: set[str], body: str = "") -> None:
        self.people = people  # squashed names of the people in the message: never a company
        self.body = body  # where a branch's town is written as a place
        self.spelled: set[str] = set()  # the names the sender's domain spells letter for letter
        self.scores: dict[str, float] = {}
        self.names: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def vote(self, value: str | None, score: float, source: str, line: bool = False) -> None:
        cleaned = _clean_company(value, line=line) if value else None
        if not cleaned:
            return
        key = squash(cleaned)
        if not key or names_someone(cleaned, self.people) or _meets_someone(cleaned, self.people):
            return
        if key not in self.scores or score > self.scores[key]:
            self.sources[key] = source
        if key not in self.names or (score >= self.scores.get(key, 0) and len(cleaned) >= len(self.names[key])):
            self.names.setdefault(key, cleaned)
        self.scores[key] = self.scores.get(key, 0) + score

    def support(self, label: str | None, score: float) -> None:
        for key, name in self.names.items():
            national = _NATIONAL_TAIL.sub("", name)
            if national != name and matches_domain(national, label):
                self.names[key] = name = national  # "Halden Energy France" of halden-energy.com: the group's name
            if matches_domain(name, label) or _spells_with_tail(name, label) or _same_core(name, label) or \
                    _tail_by_initials(name, label) or _head_by_initials(name, label):
                self.scores[key] += score
                if score > 0 and label and squash(name) == squash(label):
                    self.spelled.add(key)
            elif label and "-" in label and key == squash(label.split("-")[0]):
                self.scores[key] += score / 2  # "Acme" for acme-finance.fr

    def drop_spelled_like(self, label: str) -> None:
        for key in [k for k, name in self.names.items() if matches_domain(name, label)]:
            del self.scores[key], self.names[key], self.sources[key]

    def best(self) -> Found | None:
        if not self.scores:
            return None
        key = max(self.scores, key=lambda k: self.scores[k])
        # "Meridian have come back" in the text, "Meridian Payments" in the subject: the name in full
        fuller = [k for k in self.scores if self.scores[k] > 0 and k != key
                  and fold(self.names[k]).startswith(fold(self.names[key]) + " ")
                  and not _an_office(self.names[k][len(self.names[key]):])  # "Acme Paris" is Acme's office
                  and not _said_as_place(self.names[k][len(self.names[key]):], self.body)  # "missions à Rungis"
                  and not _ROLE_SHORT.fullmatch(self.names[k][len(self.names[key]):])  # "Stackhouse EM": its role
                  and not _TEAM_TAIL.fullmatch(self.names[k][len(self.names[key]):])]  # "Quantly Talent": its team
        key = max(fuller, key=lambda k: self.scores[k]) if fuller else key
        key = self._employer_of_the_site(key)
        return Found(self.names[key], self.sources[key])

    def _employer_of_the_site(self, key: str) -> str:
        """"Willowbrook House" (the care home the text names) and "Willowbrook Care" (the signature's, which the
        domain spells): the employer is the one its domain spells, the other its site or its brand."""
        words = fold(self.names[key]).split()
        for other in self.spelled - {key}:
            theirs = fold(self.names[other]).split()
            if len(words) >= 2 and len(theirs) >= 2 and words[0] == theirs[0] and words[1] != theirs[1]:
                return other
        return key


_PLACE_IN_BRACKETS = re.compile(r"\s*\((?P<place>[^()]{2,30})\)")


def _an_office(tail: str) -> bool:
    """What follows a company's name when it says which office: "Acme Paris", "Vireo (Québec)", "Acme (Ireland)"."""
    bracket = _PLACE_IN_BRACKETS.fullmatch(tail)
    if bracket is None:
        return _PLACES.fullmatch(tail) is not None
    place = bracket["place"].strip()
    return fold(place) in _CITIES or _NATIONAL_TAIL.fullmatch(" " + place) is not None


def find_company(msg: ParsedMessage, event: CalendarEvent | None, recruiter: Person, body: str,
                 signature: Signature, history: str = "") -> Found | None:
    """The employer: names the mail gives, voted on; else one spelled like the domain (in what the sender
    wrote, then in the thread quoted below: "Agence Comète" for agence-comete.fr); else the domain."""
    # "Sam Whitfield, our VP" may be introduced in the message quoted below: "interview with Sam" is him
    ballot = _Ballot(people_in(msg, event, recruiter, signature) | _introduced(body) | _introduced(history) |
                     _venues(history or body), body)
    labels = {domain_label(a) for a in (recruiter.email, msg.from_email, *msg.reply_to) if not names_no_company(a)
              and not _own_name_domain(a, (recruiter.name, msg.from_name), signature)}
    host = _hosting_system(msg)
    labels.discard(host)
    # the client whose mail an agency forwards is the employer: its domain supports, never counts against
    clients = {domain_label(a) for a in forwarded_senders(msg.text) if not names_no_company(a)} - labels
    # the company a recruiting system writes for, its address names ("jobs@numea.recruitee.com")
    tenants = {t for a in (recruiter.email, msg.from_email, *msg.reply_to) if (t := system_tenant(a))} - labels
    platforms = {domain_label(a) for a in (recruiter.email, msg.from_email) if freelance_platform(a)}
    agency = bool(platforms) or _is_agency(labels, msg, signature, history or body)
    for text, weight, where in ((msg.subject, 1.5, "subject"), (body, 1.0, "body")):
        found_by = (*_COMPANY_PATTERNS, *_CLIENT_PATTERNS,
                    *([(_SUBJECT_WITH, 4), (_SUBJECT_FROM, 1)] if where == "subject" else []),
                    *(_AGENCY_NEWS_PATTERNS if agency else ()),
                    *(_BOARD_PATTERNS if is_machine(msg.from_email) else ()))
        for pattern, score in found_by:
            for match in patterns.guarded(pattern, re.MULTILINE).finditer(text):
                if _the_users_own_past(text, match.start("c")):
                    continue
                source = where if where == "subject" else f"body line {line_no(text, match.start('c'))}"
                ballot.vote(_first_sentence(match.group("c")), score * weight, source)
    if chat_platform(msg.from_email):
        _vote_workspace(ballot, msg.subject, body)
    _vote_labelled_employer(ballot, body)
    if agency and history and not any(s >= 1.5 for s in ballot.scores.values()):
        _vote_client_quoted(ballot, history)
    if is_machine(msg.from_email) and msg.from_name and not _names_its_system(msg.from_name, msg.from_email) and \
            not phone_gateway(msg.from_email):
        # "Kestrel Robotics <no-reply@greenhouse-mail.io>"; of "Margaux Lefèvre – Octave & Fils", the company part
        for piece in SEPARATORS.split(msg.from_name):
            for part in _BRACKETED.split(piece):  # "Hannah Reid (Larkfield Hotels)": the person, then whose
                ballot.vote(_HR_TAIL.sub("", part), 3, "sender name")
    elif msg.from_name and not is_machine(msg.from_email):
        # a shared mailbox named as its domain spells it: "Crèche Les Lucioles" <direction@creche-leslucioles.fr>
        for piece in SEPARATORS.split(msg.from_name):
            if any(matches_domain(piece, label) for label in labels):
                ballot.vote(piece, 3, "sender name", line=True)
    # from a personal address, the signature is where the company is said: beside the sender's role
    personal = not labels
    if personal and msg.from_name and only_an_organisation(msg.from_name, signature):
        # a small business writing from a mail provider: "Boutique Lila" <boutiquelila@gmail.com>
        ballot.vote(msg.from_name, 1.5, "sender name")
    _vote_signature(ballot, signature, "signature line", personal)
    if personal and msg.from_email and not any(s >= 1.5 for s in ballot.scores.values()):
        # a short reply signs with a first name; the sender's earlier message quoted below has the full signature
        quoted = quoted_from(msg.text, msg.from_email)
        if quoted is not None:
            earlier = find_signature(own_text(quoted[0]))
            _vote_signature(ballot, Signature(tuple((n + quoted[1], line) for n, line in earlier.lines)),
                            "quoted signature line", personal)
    for segment in (*_segments(msg.subject), *(_segments(event.summary) if event and event.summary else ())):
        # counts only when it agrees with another source; an agency's subject names its client, after the word for
        # the job it carries: "Mission Banque Hérault"
        segment = _MISSION_FOR.sub("", segment) if agency else segment
        client = agency and _name_like(segment) and not _said_as_place(segment, body)
        # "Journée d'immersion – Atelier Brume": a part that opens with an organisation's word names one
        ballot.vote(segment, 1.5 if client or _opens_an_organisation(segment) else 0.25, "subject")
    for system in filter(None, (host, *platforms)):
        ballot.drop_spelled_like(system)
    for label in labels:
        ballot.support(label, -2 if agency else 2)
    for label in clients | tenants:
        ballot.support(label, 2)
    mentioned = [k for k, s in ballot.scores.items() if s >= 1.5]
    if mentioned:
        found = ballot.best()
        if found is not None:
            return _said_in_full(_spelled_out(found, (signature.text, body)), (body, history))
    return _company_from_domain(msg, recruiter, (body, history), labels | clients | tenants)


# (not a public body so named: "Mission Locale de Nantes")
_MISSION_FOR = re.compile(r"^(?:Mission|Projet|Project)\s+(?!Locale\b|Handicap\b)(?=[A-ZÀ-Ý])")


def _vote_workspace(ballot: _Ballot, subject: str, body: str) -> None:
    """The workspace a chat platform's notification names, its team's word dropped: "Fernwood Talent" is where
    Fernwood's recruiters talk with candidates."""
    for text, weight, where in ((subject, 1.5, "subject"), (body, 1.0, "body")):
        for match in patterns.guarded(_WORKSPACE).finditer(text):
            source = where if where == "subject" else f"body line {line_no(text, match.start('c'))}"
            ballot.vote(_TEAM_TAIL.sub("", match.group("c")), 4 * weight, source)


# a form's field naming the employer, its label before a colon or in the cell above ("Employeur : EHPAD Les
# Tilleuls", "Client\nTransports Vidal", "Company: Harbour Hotels"): what a temp agency, a public job service or
# a recruiting system says of whom the post is with; the value ends at a dash that adds its site ("- plateforme
# de Gonesse") or at a comma
_LABELLED_EMPLOYER = re.compile(
    r"^[ \t]*(?:(?i:employeur|entreprise(?: utilisatrice| d['’]accueil)?|client|cliente|company|"
    r"employer|hiring company|[ée]tablissement|structure d['’]accueil))[ \t]*(?::[ \t]*|\n[ \t]*)"
    r"(?P<c>[A-ZÀ-Ý0-9][^\s,;:()]*(?:[ ][^\s,;:()]+){0,8}?)[ \t]*(?:[ \t][-–—|][ \t]|[,;(]|$)", re.MULTILINE)


def _vote_labelled_employer(ballot: _Ballot, body: str) -> None:
    """Not "Société :", which a recruiter's recap of the candidate's profile fills with her own employer; a value in
    the cell below its label only when shaped like a name ("Client\nAlice will own the account" is a sentence)."""
    for match in _LABELLED_EMPLOYER.finditer(body):
        below = "\n" in body[match.start(): match.start("c")]
        if not below or _NAME_SHAPED.fullmatch(match["c"]):
            ballot.vote(match["c"], 6, f"body line {line_no(body, match.start('c'))}", line=True)


# a name's words: capitalised, or the small words names are joined with ("Restaurant Le Vieux Port", "Maison de l'Eau")
_NAME_SHAPED = re.compile(r"[A-ZÀ-Ý0-9][^\s]*(?: (?:[A-ZÀ-Ý0-9&][^\s]*|de|du|des|la|le|les|l['’]\S+|d['’]\S+|et|and|of|"
                          r"the|en|sur|sous))*")


def _vote_client_quoted(ballot: _Ballot, history: str) -> None:
    """An agency's follow-up speaks of "mon client" unnamed ("mon client doit annuler"): its earlier mail, quoted
    below, named it ("avec mon client, Vertigo Transports")."""
    history = unwrap(_QUOTE_MARKS.sub("", history))
    for pattern, score in _CLIENT_PATTERNS:
        for match in patterns.guarded(pattern, re.MULTILINE).finditer(history):
            if not _the_users_own_past(history, match.start("c")):
                where = f"quoted line {line_no(history, match.start('c'))}"
                ballot.vote(_first_sentence(match.group("c")), score, where)


# the user's own career, which a recruiter praises: "the forecasting work you did at Hexa", "your experience at
# Acme", "votre expérience en modélisation chez Hexa", "vos années chez Orsay": her employer, never the one hiring
# (the words between the possessive and the noun are the user's own, not another thing's: "ta candidature sur la
# mission X chez Acme" is the mission offered)
_NO_ARTICLE = r"(?!(?:la|le|les|the|this|cette|ce)\b)"
_USERS_PAST = re.compile(r"\b(?:you(?:['’]ve| have)? (?:did|done|led|built|ran|run|delivered|worked|spent|shipped)|"
                         rf"your (?:{_NO_ARTICLE}[\w-]+ ){{0,3}}?(?:experience|work|background|years?|tenure|stint|"
                         r"projects?|missions?|current (?:role|position|job|employer))|"
                         rf"(?:votre|vos|ton|ta|tes) (?:{_NO_ARTICLE}[\w-]+ ){{0,3}}?(?:exp[ée]riences?|parcours|"
                         r"passage|ann[ée]es|"
                         r"travaux|travail|missions?|projets?|r[ôo]le actuel|poste actuel)|"
                         r"(?:vous avez|tu as) (?:[\w-]+ ){0,2}?(?:r[ée]alis|men|fait|effectu|travaill|pass|conduit))"
                         r"[^.!?\n]{0,60}$", re.IGNORECASE)


def _the_users_own_past(text: str, start: int) -> bool:
    """The name at ``start`` ends a sentence about the user's own career ("your experience at X")."""
    return _USERS_PAST.search(text, max(0, start - 110), start) is not None


# "Groupe Hospitalier Val de Seine (GHVS)": initials in brackets after the name they stand for
_INITIALS = re.compile(r"\(([A-ZÀ-Ý]{2,8})\)")


def _spelled_out(found: Found, texts: tuple[str, ...]) -> Found:
    """A name found as its initials ("GHVS" of a sender's "DRH - GHVS") is given as the text spells it in full."""
    if " " in found.value.strip():
        return found
    for text in texts:
        for match in _INITIALS.finditer(text):
            if squash(match.group(1)) == squash(found.value) and \
                    (name := _name_before(text, match.start(), match.group(1))) is not None:
                return Found(name, found.source)
    return found


_LAST_INITIALS = re.compile(r"(?<=\S) (?P<i>[A-Z]{2,4})$")


def _initials_written_out(found: Found, texts: tuple[str, ...]) -> Found | None:
    """A name whose last words a mailbox's name gives by their initials ("Kingsbridge Hospitals NHS FT") that the
    text writes in full ("Kingsbridge Hospitals NHS Foundation Trust")."""
    short = _LAST_INITIALS.search(found.value)
    if short is None:
        return None
    head, letters = found.value[: short.start()], short["i"]
    words = r" ".join([r"(?:(?:of|and|for|de|du|des|et) )?" + rf"{letter}[\w'’-]+" for letter in letters])
    for text in texts:
        if head in text and (full := re.search(rf"{re.escape(head)} {words}\b", text)) is not None:
            return Found(full.group(), found.source)
    return None


def _said_in_full(found: Found, texts: tuple[str, ...]) -> Found:
    """A name said short ("Hale & Finch would like to meet you") that the thread writes once with the word its
    trade ends it with ("Where: Hale & Finch Architects, 2nd floor") is given in full."""
    if (written_out := _initials_written_out(found, texts)) is not None:
        return written_out
    for text in texts:
        start = text.find(found.value)
        while start >= 0:
            end = start + len(found.value)
            after = _NEXT_WORD.match(text, end)
            whole_word = (start == 0 or not text[start - 1].isalnum()) and not text[end:end + 1].isalnum()
            # "Aldwick Institute for Population Health", a line of its own: an institution's name in full
            if (start == 0 or text[start - 1] == "\n") and (line := _INSTITUTION_LINE.match(text, end)):
                return Found(f"{found.value}{line.group().rstrip()}", found.source)
            if after is not None and whole_word and _ends_a_name(after.group("w")):
                return Found(f"{found.value} {after.group(0).strip()}", found.source)
            # "chez Orveline" in the subject, "au Groupe Orveline" in the text: the word that opens its name
            head = _head_before(text, start)
            if head is not None and whole_word:
                return Found(f"{head} {found.value}", found.source)
            # "Seine-Bièvre" of "Communauté d'agglomération Seine-Bièvre": a public body's words open its name
            body = _PUBLIC_HEAD.search(text, max(0, start - 60), start)
            if body is not None and whole_word and _says_a_public_body(body.group(1)):
                return Found(f"{body.group(1)} {found.value}", found.source)
            start = text.find(found.value, end)
    return found


# an institution's kind after its name, and what it is for or of, up to the end of the line
_INSTITUTION_LINE = re.compile(
    r" (?i:institute|institut|foundation|fondation|centre|center|school|[ée]cole|college|university|universit[ée]|"
    r"trust|council|society|soci[ée]t[ée]|laboratory|laboratoire|observatory|observatoire|academy|acad[ée]mie|"
    r"museum|mus[ée]e|hospital|h[ôo]pital|clinic|clinique)"
    r"(?: (?:(?i:for|of|de|du|des|pour|and|et|&)(?: the| la| le| l['’])? )?[A-ZÀ-Ý][\w'’-]*){0,5}[ \t]*$",
    re.MULTILINE)
_NEXT_WORD = re.compile(r" (?:& )?(?P<w>[A-ZÀ-Ý][\w-]+)")  # "Hale & Finch Architects", "Roy & Associés"
_PREVIOUS_WORD = re.compile(r"(?<![\w-])(?P<head>[A-ZÀ-Ý][\w-]+) $")
# the head may carry its adjective: "Banque Privée Lemanis", "Mutuelle Générale Arvor", "Groupe Hospitalier Vauban"
_PREVIOUS_TWO_WORDS = re.compile(r"(?<![\w-])(?P<head>[A-ZÀ-Ý][\w-]+) [A-ZÀ-Ý][a-zà-ÿ-]+ $")


def _head_before(text: str, start: int) -> str | None:
    """The words that open a company's name right before it ("Groupe", "Banque Privée"), if any."""
    for pattern in (_PREVIOUS_TWO_WORDS, _PREVIOUS_WORD):
        before = pattern.search(text, max(0, start - 40), start)
        if before is not None and fold(before.group("head")) in NAME_HEADS:
            return before.group(0).strip()
    return None
_PUBLIC_HEAD = re.compile(r"(?<![\w-])([A-ZÀ-Ý][\w-]+(?: (?:d['’]|de |du |des )?[a-zà-ÿ][\w-]*){1,3}) $")


def _says_a_public_body(words: str) -> bool:
    """"Communauté d'agglomération", "Communauté de communes", "Conseil départemental": every word a public body's."""
    return all(w in PUBLIC_BODY for w in re.split(r"[\s'’]+", fold(words)) if w not in _SMALL_WORDS)


def _ends_a_name(word: str) -> bool:
    """A trade's word that ends a company's name ("Architects", "Logistics"), not a recruiting team's."""
    return squash(word) in NAME_TAILS and not _DEPARTMENT_TAIL.fullmatch(f" {word}") and fold(word) != "people"


def _name_before(text: str, end: int, initials: str) -> str | None:
    """The capitalised words right before ``end`` whose first letters give ``initials`` in order, a word left out
    as initials often do ("Caisse d'Allocations Familiales" for CAF, "Syndicat Mixte des Transports du Val" for
    SMTV; "Paris-Est" gives P and E)."""
    words = text[max(0, end - 150) : end].split("\n")[-1].split()
    for size in range(2, len(words) + 1):
        tail = words[-size:]
        letters = "".join(p[:1] for w in tail for p in re.sub(r"^[dl]['’]", "", w).split("-") if p[:1].isupper())
        if len(letters) > len(initials) + 2:
            return None
        if tail[0][:1] == initials[:1].upper() and _in_order(initials.upper(), letters):
            return _clean_company(" ".join(tail), line=True)
    return None


def _in_order(initials: str, letters: str) -> bool:
    rest = iter(letters)
    return all(letter in rest for letter in initials)


_BRACKETED = re.compile(r"\s*[()]\s*")


# "Ben (our CEO)", "Hélène (notre déléguée générale)", "Martin Keller, our Head of Procurement": a person, whom a
# subject's "Coffee with Ben" names
_INTRODUCED = re.compile(rf"\b({NAME_WORD}(?: {NAME_WORD})?)(?: \(|, )(?i:our|my|their|notre|mon|ma|leur) ")


# a company's team signs for it: "The Lumora Recruiting Team", "Acme Talent Acquisition", "L'équipe Talents de
# Verdane", "L'équipe recrutement chez Ondine"
# (not an agency's own name: "Bramble Talent", "Harcourt People")
_TEAM_SIGNS = re.compile(r"(?:(?:The |the )?(?P<e>[A-ZÀ-Ý][^\n,|]{1,40}?)(?: Early| Graduate| Campus)? "
                         r"(?:(?:Recruiting|Recruitment|Talent|Hiring|People|Careers|HR) Team|"
                         r"Talent Acquisition(?: Team)?)|"
                         r"(?i:l['’][ée]quipe (?:recrutement|rh|talents?|carri[èe]res|people|ressources humaines) "
                         r"(?:de |d['’]|chez |du ))(?P<f>[A-ZÀ-Ý][^\n,|]{1,40}))$")


def _vote_signature(ballot: _Ballot, signature: Signature, where: str, beside_role: bool) -> None:
    """Each part of a signature's lines may be the company; with ``beside_role``, the one written beside a role
    ("CEO, Lumenpay", "Co-founder | Acme", "Head of People at Acme") more surely."""
    business = _under_the_signer(signature) if beside_role else set()
    for number, line in signature.lines:
        if _a_sentence(line):
            continue
        if (team := _TEAM_SIGNS.match(line.strip())) is not None:
            ballot.vote(team.group("e") or team.group("f"), 1.5, f"{where} {number}", line=True)
            continue
        pieces = [p for p in SEPARATORS.split(line) for p in _ROLE_AT.split(p) if p]
        roles = sum(_ROLE_WORDS.search(fold(p)) is not None for p in pieces)
        for piece in pieces:
            # five words, the small ones not counted: "Communauté d'agglomération des Coteaux du Lac" is a name
            # not a number ("06 71 24 88 13") nor an address
            if not re.search(r"@|\d{3}|https?:|www\.", piece) and re.search(r"[^\W\d_]", piece) and \
                    0 < _name_words(piece) <= 5:
                beside_a_role = beside_role and roles and not _ROLE_WORDS.search(fold(piece)) and piece[:1].isupper()
                beside_a_role = beside_a_role or (number in business and piece is pieces[0] and _shaped_like_a_name(
                    piece) and not _ROLE_WORDS.search(fold(piece)))
                # a shop signed under a first name alone: "Karim / Maison Roux", "Sam / Garage Petit"
                beside_a_role = beside_a_role or (beside_role and _opens_an_organisation(piece))
                ballot.vote(piece, 1.5 if beside_a_role else 0.5, f"{where} {number}", line=True)


def _a_sentence(line: str) -> bool:
    """A line the mail's text ends on, not its signature's: a short mail without closing words ("Your interview for
    X at Acme has been moved.") has its last lines taken for one."""
    return line.rstrip().endswith((".", "!", "?")) and len(line.split()) >= 6


def _under_the_signer(signature: Signature) -> set[int]:
    """The line right under the signer's name, or under the role written below it: where someone writing from a
    personal address names their business ("Julien Roux / Menuiserie Roux & Fils", "Directrice / Crèche Les
    Lucioles"); not in a list of names one under another (the guests a calendar's text ends with)."""
    signed = signature_person(signature)
    if signed is None:
        return set()
    below = [n for n, _ in signature.lines if n > signed[1]][:2]
    lines = dict(signature.lines)
    if len(below) == 2 and all(_A_PERSON.fullmatch(lines[n]) and not _ROLE_WORDS.search(fold(lines[n]))
                               for n in below):
        return set()
    return set(below[:2] if below and _ROLE_WORDS.search(fold(lines[below[0]])) else below[:1])


def _shaped_like_a_name(piece: str) -> bool:
    """Two words or more, each capitalised but the small ones: "Garage Roux & Fils", "Lire et Grandir 93", not
    "Freelance designer" nor a town alone ("Montauban")."""
    return _name_words(piece) >= 2 and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_CONNECTORS
                                           for w in piece.split())


# "Head of People at Acme", "Responsable RH chez Acme": a role, then where
_ROLE_AT = re.compile(r"(?<=[a-zà-ÿA-Z]) (?:at|chez|@) (?=[A-ZÀ-Ý])")


def _name_words(piece: str) -> int:
    return sum(squash(w) not in _SMALL_WORDS for w in re.split(r"[\s'’]+", fold(piece)) if squash(w))


# where people meet, named by what it is: "Café Ombelle", "Brasserie Lutèce", "the Hotel Marlow"; a reply that
# says "see you at Ombelle" names the same place
_VENUE = re.compile(rf"\b{_VENUE_WORD} {_COMPANY_NAME}")


def _venues(text: str) -> set[str]:
    return {squash(m.group("c")) for m in patterns.guarded(_VENUE.pattern).finditer(text)}


# whom an assistant works for, her signature says: "PA to Guillaume Ortiz, Partner", "Assistante de M. Roy"
_ASSISTANT_TO = re.compile(rf"\b(?i:assistant|assistante|PA|EA|secretary|secr[ée]taire)\s+(?i:to|of|de|d['’])\s*"
                           rf"(?:(?:M\.|Mme|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Sir|Dame) )?({NAME_WORD}(?: {NAME_WORD})?)")


def _introduced(body: str) -> set[str]:
    return {squash(m.group(1)) for m in _INTRODUCED.finditer(body)} | _assisted(body)


def _assisted(body: str) -> set[str]:
    return {squash(m.group(1)) for m in _ASSISTANT_TO.finditer(body)}


def _is_agency(labels: set[str | None], msg: ParsedMessage, signature: Signature, thread: str) -> bool:
    """A recruitment agency or headhunter writes: its domain, its name or its signature says so, or the thread
    speaks of the client it recruits for ("my client", "notre cliente")."""
    # a team's mailbox ("DRH - Recrutement", "Acme Recruiting") names a department, not an agency
    team = [_clean_company(_HR_TAIL.sub("", piece)) or "" for piece in SEPARATORS.split(msg.from_name or "")]
    named = " ".join([*(split_label(label) for label in labels if label), *team])
    signed = " ".join(line for _, line in signature.lines)
    return _AGENCY.search(fold(named)) is not None or _AGENCY_SIGNATURE.search(fold(signed)) is not None or \
        _CLIENT_SPOKEN.search(fold(thread)) is not None


def _name_like(segment: str) -> bool:
    """A subject part that is a name and nothing else: "Laiterie Saint-Aubin", not "vos disponibilités"."""
    cleaned = _clean_company(segment)
    # "Bank Altenried AG" is a name with its legal form; "Data Analyst Wealth Management" names a job, not whose
    bare = LEGAL_PREFIX.sub("", LEGAL_SUFFIX.sub("", segment.strip())).strip(" .,")
    return cleaned is not None and cleaned[:1].isupper() and cleaned == bare and \
        not _INTERVIEW_WORDS.search(fold(cleaned)) and not _CHAT.search(fold(cleaned)) and \
        not _A_TRADE.search(cleaned)


_A_TRADE = re.compile(rf"\b{_JOB_NOUN}")


def _opens_an_organisation(segment: str) -> bool:
    words = fold(segment).split()
    return len(words) >= 2 and squash(words[0]) in NAME_HEADS and _name_like(segment)


def _said_as_place(segment: str, body: str) -> bool:
    """A subject's part the text writes as where ("Mission comptable - Créteil", "chez un client à Créteil"): a
    place, not the client an agency names."""
    return re.search(rf"\b(?i:à|in|near|pr[èe]s de|around|autour de) {re.escape(segment.strip())}\b", body) is not None


def _spells_with_tail(name: str, label: str | None) -> bool:
    """Whether a name is a domain's, split ("Corvid Logistics": corvidlogistics) or made longer by the words
    a company's name ends with ("Fennwick Software": fennwick.io)."""
    if not label:
        return False
    words = fold(name).split()
    if fold(name) == fold(split_label(label)):
        return True
    return len(words) > 1 and squash(words[0]) == squash(label) and all(w in NAME_TAILS for w in words[1:])


def _tail_by_initials(name: str, label: str | None) -> bool:
    """A domain that writes the name's last words by their initials: "Meridian Public Affairs" and meridian-pa,
    "Halden Asset Management" and haldenam."""
    if not label:
        return False
    words = [squash(w) for w in fold(name).split()]
    words = [w for w in words if w]
    if len(words) > 8:  # no company's name; and each cut costs the whole name again (a hostile 50,000-word subject)
        return False
    glued = squash(label)
    if len(words) > len(glued):
        return False  # every word writes one letter at least: a subject's run of capitals spells no domain
    return any(len(words) - k >= 2 and glued == "".join(words[:k]) + "".join(w[0] for w in words[k:])
               for k in range(1, len(words) - 1))


def _head_by_initials(name: str, label: str | None) -> bool:
    """A domain that writes the name's first words by their initials, its small words left out or not: "Centre
    hospitalier de Versailles" and ch-versailles, "Caisse d'épargne Normandie" and ce-normandie, "Banque Populaire
    Rives d'Arve" and bp-rivesdarve."""
    if not label:
        return False
    words = [w for w in (squash(w) for w in re.split(r"[\s'’-]+", fold(name))) if w]
    if len(words) > 8:  # as _tail_by_initials: no company's name, and each cut costs the whole name again
        return False
    glued = squash(label)
    for k in range(2, len(words)):
        initials = "".join(w[0] for w in words[:k] if w not in _SMALL_WORDS)
        rest = words[k:]
        if len(initials) >= 2 and len(glued) - len(initials) >= 4 and glued in (
                initials + "".join(rest), initials + "".join(w for w in rest if w not in _SMALL_WORDS)):
            return True
    return False


def _same_core(name: str, label: str | None) -> bool:
    """A name and a domain that differ by the words a company's name opens or ends with: "Aurore Assurances"
    and groupe-aurore, "Verdane" and verdane-energie; or by the kind of public body it is, which a domain
    shortens or leaves out: "Communauté d'agglomération du Val Fleuri" and agglo-valfleuri, "Ville de Saint-Ours"
    and mairie-saintours."""
    if not label:
        return False
    def core(text: str) -> list[str]:
        words = (squash(w) for w in re.split(r"[\s'’-]+", fold(text)))
        return [w for w in words if w and w not in NAME_TAILS and w not in NAME_HEADS and w not in PUBLIC_BODY
                and w not in _LEGAL_FORMS]
    mine, theirs = core(name), "".join(w for w in core(split_label(label)) if w not in _SMALL_WORDS)
    # a domain drops the small words ("coteauxbievre") or glues them in ("paysdesarre")
    inner = "".join(mine[next((i for i, w in enumerate(mine) if w not in _SMALL_WORDS), len(mine)):])
    bare = "".join(w for w in mine if w not in _SMALL_WORDS)
    # or glues its first word to its last: "Caisse populaire de Rosemont" of caisserosemont
    every = [w for w in (squash(w) for w in re.split(r"[\s'’-]+", fold(name))) if w and w not in _SMALL_WORDS]
    ends = every[0] + every[-1] if len(every) >= 3 else ""
    return (len(theirs) >= 4 and theirs in (bare, inner)) or (bool(ends) and squash(label) == ends)


# the legal forms written before a name, which a domain leaves out: "ASBL Les Jardins du Parc" of jardinsduparc.be,
# "SCOP Terre Vive" of terrevive.fr
_LEGAL_FORMS = frozenset({"asbl", "vzw", "scop", "scic", "sarl", "sas", "sasu", "eurl", "gie", "association"})


# how the words a domain cannot accent are written
_ACCENTED = {"energie": "Énergie", "societe": "Société", "editions": "Éditions", "ecole": "École",
             "electricite": "Électricité", "etudes": "Études", "securite": "Sécurité", "credit": "Crédit",
             "cooperative": "Coopérative", "generale": "Générale", "metropole": "Métropole",
             "associes": "Associés", "epicerie": "Épicerie"}


# what a domain adds to a name or spells of it: "orbitalhq" is Orbital, "potagerandco" Potager & Co, "rouxetfils"
# Roux & Fils, "hale-and-finch" Hale & Finch
_DOMAIN_HQ = re.compile(r"(?P<n>\w{3,}?)hq")
_DOMAIN_AMPERSAND = re.compile(r"(?P<n>\w{3,}?)(?:and(?P<t>co|sons|partners|associates)|et(?P<f>cie|fils|associes))")


def _undecorated(word: str) -> str:
    if (match := _DOMAIN_AMPERSAND.fullmatch(word)) is not None:
        return f"{match['n']} & {match['t'] or match['f']}"
    return match["n"] if (match := _DOMAIN_HQ.fullmatch(word)) is not None else word


@lru_cache(maxsize=256)
def split_label(label: str) -> str:
    """A domain's name in words: "Corvid Logistics" for corvidlogistics, "Banque Solvea" for banquesolvea."""
    words = [_undecorated(w) for w in label.replace("_", "-").split("-")]
    words = ["&" if w in ("and", "et") and 0 < i < len(words) - 1 else w for i, w in enumerate(words)]
    for i, word in enumerate(words):
        if " " in word:
            continue
        tail = next((t for t in (*NAME_TAILS, *_AGENCY_TAILS) if word.endswith(t) and len(word) - len(t) >= 3), None)
        head = next((h for h in NAME_HEADS if word.startswith(h) and len(word) - len(h) >= 3), None)
        if tail:
            words[i] = f"{word[: -len(tail)]} {tail}"
        elif head:
            words[i] = f"{head} {word[len(head):]}"
    return " ".join(_ACCENTED.get(w, w.title()) for w in " ".join(words).split())


def _names_people(value: str, people: set[str]) -> bool:
    """A name, or names joined ("Alice <> Noor", "Alice / Sam"): a meeting's people, not a job."""
    parts = [p for p in re.split(r"\s*(?:<>|<->|/|&|\+|\bx\b|,|\band\b|\bet\b)\s*", value) if p.strip()]
    return names_someone(value, people) or (len(parts) > 1 and any(names_someone(p, people) for p in parts))


def _meets_someone(value: str, people: set[str]) -> bool:
    """"Fernlight x Alice", "Loomstack <> Noor": the two sides of a meeting, one of them a person; no name."""
    parts = _MEETING_SIDES.split(value)
    return len(parts) > 1 and any(names_someone(p, people) for p in parts)


_MEETING_SIDES = re.compile(r"\s+(?:x|X|<>|<->|/)\s+")


def names_someone(value: str, people: set[str]) -> bool:
    """Whether a value is a person's name, whole or its first or last part ("Priya" of Priya Nair, the user)."""
    key, one_word = squash(value), len(value.split()) == 1
    return bool(key) and any(key == p or (one_word and len(key) >= 3 and (p.startswith(key) or p.endswith(key)))
                             for p in people)


_RELAYED_PERSON = re.compile(rf"^\s*({NAME_WORD}(?: {NAME_WORD}){{1,2}}) via \S")


def people_in(msg: ParsedMessage, event: CalendarEvent | None, recruiter: Person, signature: Signature) -> set[str]:
    """The squashed names of the people a message names in its headers, organizer and signature."""
    # a machine's recruiter named as the sender is the system's name; one the text gives ("Marta Ruiz sent you a
    # direct message", a platform's "Julien Roy (Lumio) a annulé") is a person
    names = [recruiter.name if not is_machine(recruiter.email or msg.from_email) or
             (recruiter.email is None and (chat_platform(msg.from_email) or freelance_platform(msg.from_email)))
             else None]
    signed = signature_person(signature)
    names.append(signed[0] if signed and not _opens_or_ends_a_company(signed[0]) else None)
    # a Reply-To to the machine that sent it is that machine, whose name is the company's
    names += [display_name_of(msg, a) for a in (*msg.to, *msg.cc, *(r for r in msg.reply_to if not is_machine(r)))]
    if event is not None:
        names.append(event.organizer_name)
    # not a sender named for its organisation: "Brasserie Laurent" <contact@brasserie-laurent.fr> is the employer
    if msg.from_email and (not is_machine(msg.from_email) or relays_a_person(msg.from_name, msg.from_email)) and \
            not (msg.from_name and only_an_organisation(msg.from_name, signature)):
        names.append(msg.from_name)
    elif msg.from_name and (relayed := _RELAYED_PERSON.match(msg.from_name)):
        names.append(relayed.group(1))  # "Marc Delorme via LinkedIn": a board relays a person, never its company
    # "Brightpeak Recruiting", a team's name as organizer or Reply-To, names the company, not a person
    known = {squash(p) for n in names if n and (p := person_in_name(n)) and squash(p)}
    return known | _beside_someone(msg.subject, known)


def _beside_someone(subject: str, people: set[str]) -> set[str]:
    """"Priya Raman / Alice Martin", "Tom Hale x Alice": a subject's sides, one a person the mail names, are the
    people meeting; the other side, shaped like a name, is a person too, no job nor company."""
    sides = [s.strip() for s in _MEETING_SIDES.split(THREAD_PREFIX.sub("", subject))]
    if len(sides) < 2 or not any(names_someone(s, people) for s in sides):
        return set()
    return {squash(s) for s in sides if _shaped_like_a_name(s) and len(s.split()) <= 3}


def _opens_or_ends_a_company(signed: str) -> bool:
    """"L'équipe Recrutement / Groupe Arlette Santé": the company signs, shaped like a person's name but with the
    words a company's name opens or ends with."""
    words = [squash(w) for w in fold(signed).split()]
    return bool(words) and (words[0] in NAME_HEADS or words[-1] in NAME_TAILS)


def _hosting_system(msg: ParsedMessage) -> str | None:
    """The domain of a system that sends in an employer's name, which it does not spell ("Kingsbridge Hospitals NHS
    FT <noreply@trac.jobs>", "Hôtel Marlow <no-reply@hotelrecrute.com>"): its name ("an automated message from
    Trac") is not the employer's."""
    label = domain_label(msg.from_email)
    if not label or not msg.from_name or not is_machine(msg.from_email) or names_no_company(msg.from_email):
        return None
    name = msg.from_name
    if _shares_a_word(name, label) or _names_its_system(name, msg.from_email) or \
            not only_an_organisation(name, Signature(())) or not _clean_company(name):
        return None  # nor a team's mailbox ("Recrutement" <recrutement@…>), which names no employer
    return label


def _shares_a_word(name: str, label: str) -> bool:
    """Whether a name and a domain have a word of four letters or more in common, however the domain glues them."""
    glued = squash(label)
    return any(len(word) >= 4 and word in glued for word in (squash(w) for w in re.split(r"[\s'’-]+", fold(name))))


def _names_its_system(name: str, address: str | None) -> bool:
    """"Zoom Scheduler <no-reply@zoom.us>", "Inès via Welcome to the Jungle": the system, not the company."""
    # "Welcome to the Jungle <notifications@welcometothejungle-mail.com>": the system's mail domain adds a tail;
    # a company's own no-reply address ("Recrutement Groupe Orsay <ne-pas-repondre@orsay.fr>") names it
    label = squash(domain_label(address) or "") if names_no_company(address) else ""
    return bool(label and (label in squash(name) or squash(name) in label)) or re.search(r"\bvia\b", name) is not None


def _spelled_like(text: str, label: str) -> tuple[str, int] | None:
    """The longest run of capitalised words in text spelled like the domain label, and where it starts; failing
    that, one spelled like its first part ("Tandem" for tandem-mobilite), as _Ballot.support counts it."""
    head = label.split("-")[0] if "-" in label else None
    return _first_name_that(text, lambda name: matches_domain(name, label) or _spells_with_tail(name, label),
                            (label,)) or \
        (_first_name_that(text, lambda name: squash(name) == head) if head else None)


def _first_name_that(text: str, spelled: Callable[[str], bool], labels: tuple[str, ...] = ()) -> tuple[str, int] | None:
    for match in re.finditer(_COMPANY_NAME, text):
        words = match.group("c").split()
        for size in range(len(words), 0, -1):
            for first in range(len(words) - size + 1):
                name = " ".join(words[first : first + size])
                # a recruiting word the domain spells too is the name's: "Oxalis Recrutement" of oxalis-recrutement.fr
                whole = squash(LEGAL_SUFFIX.sub("", name)) in {squash(label) for label in labels}  # "… Ltd" too
                if spelled(name) and (cleaned := _clean_company(name, department=whole)):
                    return cleaned, match.start()
    return None


def _own_name_domain(address: str | None, names: tuple[str | None, ...], signature: Signature | None = None) -> bool:
    """"julien@julienroussel.me", "contact@nina-vasseur.fr": a domain spelling its sender's own name is a
    personal address, which names no company (the signature does)."""
    label = squash(domain_label(address) or "")
    return bool(label) and any(name and len(name.split()) >= 2 and spells_name(label, name)
                               and not only_an_organisation(name, signature) for name in names)


def _first_sentence(value: str) -> str:
    return re.split(r"\.\s|\n", value)[0]


# a domain that opens with initials: "ch-versailles", "cci-lyon"
_INITIALS_LABEL = re.compile(r"[a-z]{2,4}-(?P<tail>[a-z]{3,})(?:-[a-z]+)*")


def _written_out(text: str, label: str) -> tuple[str, int] | None:
    """The name a domain writes by its first words' initials, written out in the text with its small words
    ("au Centre hospitalier de Versailles" of ch-versailles), and where it starts."""
    shaped = _INITIALS_LABEL.fullmatch(label)
    if shaped is None:
        return None
    for match in re.finditer(rf"\b{shaped['tail']}[\w-]*", text[:20000], re.IGNORECASE):  # "Saint-Ours" whole
        words = text[max(0, match.start() - 80) : match.start()].split("\n")[-1].split()
        for size in range(2, min(len(words), 6) + 1):
            head = " ".join(words[-size:])
            if head[:1].isupper() and _head_by_initials(f"{head} {match.group()}", label):
                return f"{head} {match.group()}", match.start() - len(head) - 1
    return None


def _company_from_domain(msg: ParsedMessage, recruiter: Person, texts: tuple[str, str],
                         labels: set[str | None]) -> Found | None:
    """A name spelled like the domain in the subject, the body, then the quoted thread, else the domain itself."""
    for where, text in zip(("subject", "body", "quoted"), (msg.subject, *texts), strict=True):
        for label in sorted(filter(None, labels)):
            found = _spelled_like(text, label) or _written_out(text, label)
            if found is not None:
                name, start = found
                # "Sorbier" of sorbier.coop, which the text writes "Coopérative Sorbier"
                source = where if where == "subject" else f"{where} line {line_no(text, start)}"
                return _said_in_full(Found(name, source), texts)
    for address, source in ((recruiter.email, "recruiter domain"), (msg.from_email, "sender domain")):
        own_label = domain_label(address)
        if own_label and not names_no_company(address) and not _own_name_domain(address, (recruiter.name,
                                                                                          msg.from_name)):
            return Found(split_label(own_label) + _trade_of_the_tld(address), source)
    return None


def _trade_of_the_tld(address: str | None) -> str:
    """" Studio" of marta@fernhill.studio: a top-level domain that is the trade a firm's name ends with ("X Studio",
    "X Capital", "X Partners"), its last word; none for a country's or one read as a fashion (.io, .tech, .ai)."""
    tld = (address or "").rpartition(".")[2].lower()
    return f" {tld.capitalize()}" if tld in _TRADE_TLDS else ""


_TRADE_TLDS = frozenset({"studio", "studios", "capital", "partners", "design", "consulting", "ventures", "agency",
                         "architects", "associates", "law", "dental", "clinic", "bakery", "coffee"})
