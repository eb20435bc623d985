# SPDX-License-Identifier: MIT
"""Text from mail as the user sees it in `relance list` and the calendar: no bidirectional override or
zero-width character (they reorder or hide what a terminal shows), and a subject of any size kept short."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import sqlite3

from tests.conftest import Env
from tests.hostile import SCAN_AT, deliver, invitation

INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def encoded(text: str) -> bytes:
    return b"=?UTF-8?B?" + base64.b64encode(text.encode()) + b"?="


def test_bidi_overrides_and_zero_width_characters_never_reach_the_user(env: Env) -> None:
    deliver(env, invitation(
        "<bidi@hexa-conseil.fr>",
        subject=encoded("Convocation \u00e0 un entretien \u202egpj.exe\u202c Hexa\u200b Conseil"),
        sender=encoded("Sophie\u2066 Morel\u2069\u200d") + b" <s.morel@hexa-conseil.fr>",
        company="Hexa\u200b\u202e Conseil"))

    env.run_at(SCAN_AT)

    as_json = json.dumps(env.records(), ensure_ascii=False)  # the characters, not their \u escapes
    listed = as_json + env.relance("list").out + env.relance("show", "1").out
    assert "gpj.exe" in listed and "Sophie Morel" in listed
    assert not INVISIBLE.search(listed), [hex(ord(c)) for c in INVISIBLE.findall(listed)]
    assert not INVISIBLE.search(env.calendar_path.read_text(encoding="utf-8"))


def test_a_huge_subject_is_stored_short(env: Env) -> None:
    deliver(env, invitation("<huge-subject@hexa-conseil.fr>", subject=b"Entretien " * 50_000))

    env.run_at(SCAN_AT)

    [record] = env.records()
    assert 0 < len(record["source"]["subject"]) <= 300
    with contextlib.closing(sqlite3.connect(env.home / "relance.db")) as db:
        assert db.execute("SELECT max(length(subject)) FROM interviews").fetchone()[0] <= 300
