# SPDX-License-Identifier: MIT
"""A realistic job seeker's mailbox, written straight into a Dovecot maildir.

The mix (per 1,000 messages, before the labelled mails are spread in):
newsletters 330 (HTML + text alternative, List-Unsubscribe, 15-60 kB),
personal mail 260 (plain text, some replies quoting their thread),
job alerts 150 (HTML from the usual alert senders), notifications and
receipts 160 (HTML, 4-15 kB), mail with attachments 100 (a PDF or a photo,
40-600 kB base64). The labelled mails of tests/data/samples and
tests/data/corpus (invitations of every format, updates, cancellations,
rejections, replies and their look-alikes) are spread evenly through the
first messages, and one plain invitation every 2,000 messages follows.

Messages are written as maildir files, not APPENDed: 100,000 APPENDs cost
minutes, writing files costs seconds, and Dovecot indexes them on the
first SELECT as it would after a migration. Every text is made from a
seeded random generator, so two runs fill the same mailbox.
"""

from __future__ import annotations

import base64
import os
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED_DIRS = (ROOT / "tests" / "data" / "samples", ROOT / "tests" / "data" / "corpus")
# one plain invitation every this many messages, beyond the labelled ones
INVITATION_EVERY = 2_000
SPAN = timedelta(days=730)  # the mailbox covers two years

_WORDS = (
    "le la les un une des et de du pour avec sur dans notre votre nous vous projet équipe semaine réunion "
    "the a of and to in for with on our your we you project team week meeting update report data plan "
    "offre poste marché client produit service délai budget retour question suite document version "
    "offer role market customer product service deadline budget feedback question next document version "
    "mardi jeudi vendredi demain bientôt merci bonjour cordialement regards thanks hello morning evening"
).split()
_NEWS = ("newsletter@lemag-emploi.example", "news@cadres-actu.example", "digest@tech-weekly.example",
         "hello@productletter.example", "info@banque-exemple.example", "marketing@shop.example")
_ALERTS = ("jobalerts-noreply@linkedin.com", "alert@indeed.com", "alertes@apec.fr",
           "no-reply@welcometothejungle.com", "offres@francetravail.fr")
_FRIENDS = ("Paul Durand <paul.durand@gmail.example>", "Julie <julie.m@orange.example>",
            "Maman <maman@free.example>", "Sam Lee <sam.lee@outlook.example>", "Karim B <karim@proton.example>")
_NOTIFY = ("no-reply@accounts.example", "notifications@github.example", "ne-pas-repondre@impots.example",
           "orders@shop.example", "support@operator.example")


@dataclass(frozen=True)
class Mix:
    newsletter: int = 330
    personal: int = 260
    alert: int = 150
    notification: int = 160
    attachment: int = 100
    # mail that the first look cannot set aside by its headers (none in the sparse mix)
    platform: int = 0  # recruiting platforms' receipts, status mails and "similar jobs" (screen: sender, subject)
    appointment: int = 0  # doctor, bank, hairdresser, with a calendar part
    event: int = 0  # webinars, meetups, fairs, with a calendar part
    company_thread: int = 0  # replies in threads with the companies applied to (screen: subject words)


# The job seeker of issue 13: 15 % of the mail is read whole (3,028 of 20,000 there).
REALISTIC = Mix(newsletter=290, personal=230, alert=130, notification=140, attachment=60,
                platform=65, appointment=40, event=15, company_thread=30)


def labelled_messages() -> list[bytes]:
    """The .eml files of the samples and the corpus, in name order."""
    found = []
    for directory in LABELLED_DIRS:
        if directory.is_dir():
            found.extend(p.read_bytes() for p in sorted(directory.glob("*.eml")))
    return found


def _text(rng: random.Random, words: int) -> str:
    lines, line = [], []
    for _ in range(words):
        line.append(rng.choice(_WORDS))
        if len(line) >= 12:
            lines.append(" ".join(line))
            line = []
            if rng.random() < 0.15:
                lines.append("")
    lines.append(" ".join(line))
    return "\n".join(lines)


def _received(rng: random.Random, when: datetime) -> str:
    hops = []
    for hop in range(rng.randint(3, 6)):
        stamp = format_datetime(when - timedelta(seconds=hop * 3))
        hops.append(
            f"Received: from mx{rng.randint(1, 40)}.relay{hop}.example (mx{hop}.relay.example "
            f"[192.0.2.{rng.randint(1, 254)}])\r\n\tby mail.example.org (Postfix) with ESMTPS id "
            f"{rng.getrandbits(40):010X}\r\n\tfor <alice@example.org>; {stamp}\r\n")
    dkim = base64.b64encode(rng.randbytes(180)).decode()
    hops.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n"
                "\th=from:to:subject:date:message-id; bh=" + dkim[:44] + ";\r\n\tb=" + dkim + "\r\n")
    hops.append("Authentication-Results: mail.example.org; dkim=pass; spf=pass; dmarc=pass\r\n")
    return "".join(hops)


def _head(rng: random.Random, n: int, when: datetime, sender: str, subject: str, extra: str = "") -> str:
    return (_received(rng, when)
            + f"From: {sender}\r\nTo: Alice Martin <alice@example.org>\r\nSubject: {subject}\r\n"
            + f"Date: {format_datetime(when)}\r\nMessage-ID: <bench-{n}.{rng.getrandbits(32):08x}@example.net>\r\n"
            + "MIME-Version: 1.0\r\n" + extra)


def _html(rng: random.Random, paragraphs: int) -> str:
    body = "".join(f'<tr><td style="padding:8px;font-family:Arial">{_text(rng, rng.randint(20, 60))}'
                   f'</td></tr>\r\n<tr><td><a href="https://example.com/t/{rng.getrandbits(48):x}">'
                   f'<img src="https://example.com/i/{i}.png" width="600" alt=""></a></td></tr>\r\n'
                   for i in range(paragraphs))
    return f"<html><head><style>td{{color:#333}}</style></head><body><table>\r\n{body}</table></body></html>"


def _alternative(rng: random.Random, paragraphs: int) -> tuple[str, str]:
    boundary = f"b{rng.getrandbits(64):016x}"
    text = _text(rng, paragraphs * 40)
    body = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{text}\r\n--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\n{_html(rng, paragraphs)}\r\n--{boundary}--\r\n")
    return f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n', body


def newsletter(rng: random.Random, n: int, when: datetime) -> bytes:
    ctype, body = _alternative(rng, rng.randint(8, 30))
    extra = (f"List-Unsubscribe: <https://example.com/u/{rng.getrandbits(32):x}>\r\n"
             "List-Id: <weekly.example.com>\r\nPrecedence: bulk\r\n" + ctype)
    subject = rng.choice(("Les actus de la semaine", "Your weekly digest", "Nos offres du moment",
                          "5 conseils pour votre carrière", "What's new this month"))
    return (_head(rng, n, when, rng.choice(_NEWS), subject, extra) + "\r\n" + body).encode()


def personal(rng: random.Random, n: int, when: datetime) -> bytes:
    text = _text(rng, rng.randint(30, 400))
    extra = ""
    subject = rng.choice(("Dimanche ?", "photos", "Re: vacances", "ce soir", "Re: Re: le projet", "news"))
    if subject.startswith("Re:"):
        extra = (f"In-Reply-To: <p{n - 1}@gmail.example>\r\n"
                 f"References: <p{n - 2}@gmail.example> <p{n - 1}@gmail.example>\r\n")
        text += "\n\nLe mardi, Alice a écrit :\n" + "\n".join("> " + line for line in _text(rng, 150).splitlines())
    extra += "Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n"
    return (_head(rng, n, when, rng.choice(_FRIENDS), subject, extra) + "\r\n" + text + "\r\n").encode()


def alert(rng: random.Random, n: int, when: datetime) -> bytes:
    ctype, body = _alternative(rng, rng.randint(10, 25))
    extra = f"List-Unsubscribe: <https://example.com/u/{rng.getrandbits(32):x}>\r\n" + ctype
    subject = rng.choice(("12 nouvelles offres pour vous", "New jobs for you: Data Analyst",
                          "Alerte emploi : contrôleur de gestion", "Jobs you may be interested in"))
    return (_head(rng, n, when, rng.choice(_ALERTS), subject, extra) + "\r\n" + body).encode()


def notification(rng: random.Random, n: int, when: datetime) -> bytes:
    ctype, body = _alternative(rng, rng.randint(2, 6))
    subject = rng.choice(("Votre commande a été expédiée", "Security alert", "Your receipt", "Avis d'échéance",
                          "[repo] New comment on issue #12"))
    return (_head(rng, n, when, rng.choice(_NOTIFY), subject, ctype) + "\r\n" + body).encode()


_BLOBS: dict[int, str] = {}


def _blob(size: int) -> str:
    # a handful of attachment bodies shared by every message: generating megabytes each time is the slow part
    if size not in _BLOBS:
        data = random.Random(size).randbytes(size)
        _BLOBS[size] = "\r\n".join(re.findall(".{1,76}", base64.b64encode(data).decode()))
    return _BLOBS[size]


def attachment(rng: random.Random, n: int, when: datetime) -> bytes:
    boundary = f"m{rng.getrandbits(64):016x}"
    kind = rng.choice((("application/pdf", "facture.pdf"), ("image/jpeg", "IMG_2041.jpg"),
                       ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "CV.docx")))
    size = rng.choice((40_000, 90_000, 150_000, 300_000, 600_000))
    body = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{_text(rng, rng.randint(20, 120))}\r\n"
            f"--{boundary}\r\nContent-Type: {kind[0]}; name=\"{kind[1]}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{kind[1]}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{_blob(size)}\r\n--{boundary}--\r\n")
    extra = f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n'
    subject = rng.choice(("Facture", "Photos du week-end", "Mon CV relu", "Documents"))
    return (_head(rng, n, when, rng.choice(_FRIENDS + _NOTIFY), subject, extra) + "\r\n" + body).encode()


def plain_invitation(rng: random.Random, n: int, when: datetime) -> bytes:
    company = f"Société {n}"
    day = when + timedelta(days=5)
    text = (f"Bonjour Alice,\n\nSuite à votre candidature au poste de contrôleur de gestion chez {company}, "
            f"nous vous proposons un entretien le {day:%d/%m/%Y} à 14h30 dans nos locaux, "
            f"12 rue de la Paix, Paris.\n\nMerci de me confirmer votre présence.\n\nBien cordialement,\n"
            f"Claire Dubois\nResponsable recrutement, {company}\n01 23 45 67 89\n")
    extra = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    sender = f"Claire Dubois <claire.dubois@societe{n}.example>"
    return (_head(rng, n, when, sender, "Convocation à un entretien", extra) + "\r\n" + text).encode()


_PLATFORMS = ("Welcome to the Jungle <no-reply@welcometothejungle.com>", "Acme via Greenhouse <no-reply@greenhouse.io>",
              "Globex Talent <notifications@smartrecruiters.com>", "Initech <jobs@workablemail.com>",
              "Teamtailor <no-reply@teamtailor-mail.com>", "Recrutement Hooli <recrutement@hooli.example>")
_POSITIONS = ("Data Analyst", "Contrôleur de gestion H/F", "Business Analyst", "Chargée d'études", "Product Owner")
_COMPANIES = ("Acme", "Globex", "Initech", "Hooli", "Umbrella", "Stark")


def platform(rng: random.Random, n: int, when: datetime) -> bytes:
    """A recruiting platform's receipt, status or suggestion: read whole, and nothing to do."""
    company, position = rng.choice(_COMPANIES), rng.choice(_POSITIONS)
    subject = rng.choice((f"Votre candidature au poste de {position}", f"Thank you for applying to {company}",
                          f"Your application to {company}: {position}", f"Candidature envoyée chez {company}",
                          f"Des offres similaires au poste de {position}", f"Update on your application at {company}"))
    ctype, body = _alternative(rng, rng.randint(3, 10))
    return (_head(rng, n, when, rng.choice(_PLATFORMS), subject, ctype) + "\r\n" + body).encode()


def _ics(rng: random.Random, n: int, when: datetime, summary: str, organizer: str, method: str) -> str:
    start = when + timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 8))
    stamp = "%Y%m%dT%H%M%SZ"
    return ("BEGIN:VCALENDAR\r\nPRODID:-//bench//EN\r\nVERSION:2.0\r\nMETHOD:" + method + "\r\nBEGIN:VEVENT\r\n"
            f"UID:bench-{n}@{organizer.rpartition('@')[2]}\r\nSEQUENCE:0\r\nDTSTAMP:{when.strftime(stamp)}\r\n"
            f"DTSTART:{start.strftime(stamp)}\r\nDTEND:{(start + timedelta(minutes=45)).strftime(stamp)}\r\n"
            f"SUMMARY:{summary}\r\nORGANIZER:mailto:{organizer}\r\nLOCATION:12 rue de la Paix\\, Paris\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def _with_calendar(rng: random.Random, n: int, when: datetime, sender: str, subject: str, text: str,
                   summary: str, method: str) -> bytes:
    boundary = f"c{rng.getrandbits(64):016x}"
    organizer = sender.rpartition("<")[2].rstrip(">")
    body = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{text}\r\n--{boundary}\r\nContent-Type: text/calendar; charset=utf-8; method={method}\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\n{_ics(rng, n, when, summary, organizer, method)}"
            f"--{boundary}\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n"
            f"Content-Disposition: attachment; filename=\"invite.ics\"\r\n\r\n"
            f"{_ics(rng, n, when, summary, organizer, method)}--{boundary}--\r\n")
    extra = f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n'
    return (_head(rng, n, when, sender, subject, extra) + "\r\n" + body).encode()


def appointment(rng: random.Random, n: int, when: datetime) -> bytes:
    """A personal appointment confirmed with a calendar part: read whole (a calendar), nothing to do."""
    sender, summary = rng.choice((("Doctolib <no-reply@doctolib.example>", "Rendez-vous avec Dr Martin, dentiste"),
                                  ("Ma Banque <conseiller@banque-exemple.example>",
                                   "Rendez-vous avec votre conseiller bancaire"),
                                  ("Salon Coiffure <rdv@coiffure.example>", "Coupe et couleur chez votre coiffeur"),
                                  ("Garage du Centre <atelier@garage.example>", "Révision de votre véhicule")))
    text = f"Bonjour,\n\nVotre rendez-vous est confirmé.\n\n{_text(rng, rng.randint(40, 160))}\n"
    return _with_calendar(rng, n, when, sender, f"Confirmation : {summary}", text, summary, "REQUEST")


def event(rng: random.Random, n: int, when: datetime) -> bytes:
    """A webinar, meetup or fair invitation with a calendar part: an interview look-alike, nothing to do."""
    sender, summary = rng.choice((("Cadres Actu <events@cadres-actu.example>", "Webinaire : réussir son entretien"),
                                  ("Meetup Data Paris <info@meetup.example>", "Meetup Data Paris #42"),
                                  ("Salon de l'emploi <contact@salon.example>", "Forum emploi cadres - votre billet")))
    text = f"{summary}\n\n{_text(rng, rng.randint(80, 300))}\n"
    return _with_calendar(rng, n, when, sender, summary, text, summary, rng.choice(("REQUEST", "PUBLISH")))


def company_thread(rng: random.Random, n: int, when: datetime) -> bytes:
    """A reply in a thread with a company applied to, no interview in it: read whole (subject words)."""
    company, position = rng.choice(_COMPANIES), rng.choice(_POSITIONS)
    sender = f"Marc Lefèvre <marc.lefevre@{company.lower()}{n % 7}.example>"
    text = (f"Bonjour Alice,\n\nMerci pour votre retour. {_text(rng, rng.randint(40, 200))}\n\nMarc\n\n"
            f"Le lundi, Alice Martin a écrit :\n" + "\n".join("> " + line for line in _text(rng, 120).splitlines()))
    extra = (f"In-Reply-To: <t{n}@example.org>\r\nReferences: <t{n}@example.org>\r\n"
             "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n")
    subject = rng.choice((f"Re: Votre candidature - {position}", f"Re: {position} position",
                          "RE: suite à votre profil"))
    return (_head(rng, n, when, sender, subject, extra) + "\r\n" + text + "\r\n").encode()


_GENERATORS = (newsletter, personal, alert, notification, attachment, platform, appointment, event, company_thread)


def _kinds(mix: Mix) -> list[int]:
    counts = (mix.newsletter, mix.personal, mix.alert, mix.notification, mix.attachment, mix.platform,
              mix.appointment, mix.event, mix.company_thread)
    return [index for index, count in enumerate(counts) for _ in range(count)]


def messages(start: int, count: int, *, end: datetime, seed: int = 7, mix: Mix = Mix(),
             labelled: list[bytes] | None = None) -> Iterator[tuple[datetime, bytes]]:
    """Messages number start .. start+count-1 as (arrival time, bytes), oldest first."""
    labelled = labelled_messages() if labelled is None else labelled
    kinds = _kinds(mix)
    total = start + count
    # the labelled mails go among the first 20,000 so that both bench sizes hold them all
    spacing = max(1, min(20_000, total) // (len(labelled) + 1))
    for n in range(start, total):
        rng = random.Random(seed * 1_000_003 + n)
        when = end - SPAN + SPAN * (n / max(total, 100_000))
        slot, rest = divmod(n, spacing)
        if rest == spacing // 2 and slot < len(labelled):
            yield when, labelled[slot]
        elif n % INVITATION_EVERY == INVITATION_EVERY - 1:
            yield when, plain_invitation(rng, n, when)
        else:
            yield when, _GENERATORS[kinds[rng.randrange(len(kinds))]](rng, n, when)


def harness_maildir(workdir: Path, user: str) -> tuple[Path, tuple[int, int]]:
    """INBOX's maildir in a tests/harness/dovecot.py instance, and the owner its files must have."""
    home = workdir / "mail" / user
    owner = home.stat()  # the harness gives the home to the mail user
    return home / "Maildir", (owner.st_uid, owner.st_gid)


def fill_maildir(maildir: Path, start: int, count: int, *, end: datetime | None = None,
                 owner: tuple[int, int] | None = None, mix: Mix = Mix()) -> int:
    """Write count messages into maildir/cur; Dovecot picks them up on its next sync. Returns bytes written."""
    end = end or datetime.now(UTC)
    cur = maildir / "cur"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    written = 0
    host = "bench"
    for offset, (when, raw) in enumerate(messages(start, count, end=end, mix=mix)):
        n = start + offset
        stamp = int(when.timestamp())
        # names sort in arrival order, which is the order Dovecot gives UIDs to new files
        path = cur / f"{stamp}.M{n:07d}P1.{host},S={len(raw)}:2,S"
        with open(path, "wb") as out:
            out.write(raw)
        os.utime(path, (stamp, stamp))  # maildir's received date is the file's mtime
        if owner is not None:
            os.chown(path, *owner)
        written += len(raw)
    if owner is not None:
        for sub in ("", "cur", "new", "tmp"):
            os.chown(maildir / sub, *owner)
    return written


def main() -> None:
    began = time.monotonic()
    target = Path("/tmp/mailgen-test/Maildir")
    size = fill_maildir(target, 0, 2_000)
    print(f"{size / 1e6:.1f} MB in {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
