# SPDX-License-Identifier: MIT
"""Helpers for the hostile-mail, injection and privacy tests: mail built byte by byte, delivered
with a fixed arrival time, and the daemon's log lines looked up by the message they name."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from tests.conftest import DATA, Env

HOSTILE = DATA / "hostile"
# Every hostile invitation below says it was sent then, for an interview on Thursday 3 December.
SENT = datetime.fromisoformat("2026-11-30T11:47:05+01:00")
SCAN_AT = "2026-12-01T12:00:00+01:00"
THANK_YOU_AT = "2026-12-04T09:30:00+01:00"
RECRUITER = "s.morel@hexa-conseil.fr"

BODY = (
    "Bonjour Madame Martin,\r\n\r\nNous avons bien étudié votre candidature au poste de {position} "
    "et avons le plaisir de vous convier à un entretien le jeudi 3 décembre 2026 à 14h30 dans nos locaux, "
    "5 rue de la Paix, 75002 Paris.\r\n\r\nBien cordialement,\r\n\r\nSophie Morel\r\nChargée de recrutement\r\n"
    "{company}\r\nTél. : 01 99 00 45 67\r\n"
)


def invitation(message_id: str, *, sender: bytes = b"Sophie Morel <" + RECRUITER.encode() + b">",
               subject: bytes = b"=?UTF-8?Q?Convocation_=C3=A0_un_entretien?=", position: str = "Contrôleur de gestion",
               company: str = "Hexa Conseil", extra_headers: bytes = b"", body: bytes | None = None) -> bytes:
    """A plain French invitation (interview Thursday 3 December 2026, 14:30) with the given parts."""
    text = body if body is not None else BODY.format(position=position, company=company).encode("utf-8")
    return (b"From: " + sender + b"\r\nTo: Alice Martin <alice@example.org>\r\nSubject: " + subject
            + b"\r\nDate: Mon, 30 Nov 2026 11:47:05 +0100\r\nMessage-ID: " + message_id.encode()
            + b"\r\n" + extra_headers + b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + b"Content-Transfer-Encoding: 8bit\r\n\r\n" + text)


def deliver(env: Env, raw: bytes, folder: str = "INBOX", when: datetime = SENT) -> int:
    """APPEND raw with a fixed arrival time (a message with no Date must not arrive "today")."""
    with env.server.imap() as conn:
        typ, data = conn.append(folder, None, imaplib.Time2Internaldate(when), raw)
    assert typ == "OK", data
    return int(data[0].split(b"APPENDUID ")[1].split(b" ")[1].rstrip(b"]"))


def named(records: Sequence[logging.LogRecord], folder: str, uid: int) -> list[str]:
    """The log lines that name the message at folder/uid."""
    label = f"{folder} UID {uid} "
    return [r.getMessage() for r in records if r.name.startswith("daemon") and label in r.getMessage()]


def recorded_kinds(db: Path, folder: str = "INBOX") -> dict[int, str]:
    """UID -> what the records say became of the message (read-only, as a user with sqlite3 would)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return dict(conn.execute("SELECT uid, kind FROM messages WHERE folder=?", (folder,)).fetchall())
