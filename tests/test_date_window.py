# SPDX-License-Identifier: MIT
"""Dates outside the window relance accepts (2000-2099, and a year before to two years after the mail or
the command that gives them): refused where they come in, from a calendar part, a mail's text or the
command line, and a record that still holds one (written before this check) only loses its own events."""

from __future__ import annotations

import contextlib
import logging
import sqlite3

import icalendar
import pytest

from tests.conftest import SAMPLES, Env
from tests.hostile import SCAN_AT, deliver, invitation, named

GOOGLE = (SAMPLES / "01-google-invite-acme.eml").read_bytes()
BEFORE_INTERVIEW = "2026-11-27T10:00:00+01:00"


def with_dtstart(year: str) -> bytes:
    """The Google invitation with its calendar part moved to that year (the text still says 3 Dec 2026)."""
    return (GOOGLE.replace(b"DTSTART:20261203T133000Z", b"DTSTART:" + year.encode() + b"1203T133000Z")
            .replace(b"DTEND:20261203T143000Z", b"DTEND:" + year.encode() + b"1203T143000Z"))


def calendar_starts(env: Env) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(env.calendar_path.read_bytes())
    return {str(e["UID"]): e.decoded("DTSTART").isoformat() for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize("year", ["9999", "0001", "2062", "1999"])
def test_a_calendar_part_far_from_the_mail_is_ignored_and_the_text_date_counts(
        env: Env, caplog: pytest.LogCaptureFixture, year: str) -> None:
    uid = deliver(env, with_dtstart(year))
    caplog.set_level(logging.INFO)

    env.run_at(BEFORE_INTERVIEW)

    [record] = env.records()
    assert record["interview"]["start"] == "2026-12-03T14:30:00+01:00"  # from the text, the year the mail says
    [line] = named(caplog.records, "INBOX", uid)
    assert "DTSTART" in line and "ignored" in line, line
    assert calendar_starts(env)["relance-1-debrief@relance"].startswith("2026-12-03T16:00")


def test_a_date_in_the_text_decades_away_is_no_interview_date(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    body = ("Bonjour Madame Martin,\r\n\r\nNous avons le plaisir de vous convier à un entretien pour le poste "
            "de Contrôleur de gestion le jeudi 3 décembre 2062 à 14h30.\r\n\r\nSophie Morel\r\nHexa Conseil\r\n")
    uid = deliver(env, invitation("<window-2062@hexa-conseil.fr>", body=body.encode()))
    caplog.set_level(logging.INFO)

    env.run_at(SCAN_AT)

    assert all(r["interview"]["start"] is None for r in env.records("--all")), env.records("--all")
    [line] = named(caplog.records, "INBOX", uid)
    assert "2062-12-03" in line and "ignored" in line, line


@pytest.mark.parametrize("args", [
    ("add", "--company", "Acme", "--start", "9999-12-31T10:00"),
    ("add", "--company", "Acme", "--start", "0001-01-01T10:00"),
    ("add", "--company", "Acme", "--start", "2062-12-03T14:30", "--now", BEFORE_INTERVIEW),
    ("add", "--company", "Acme", "--start", "2026-12-03T14:30", "--end", "9999-12-03T15:30",
     "--now", BEFORE_INTERVIEW),
    ("run", "--once", "--now", "9999-12-31T23:00"),
])
def test_the_command_line_refuses_a_date_outside_the_window_in_one_line(env: Env, args: tuple[str, ...]) -> None:
    result = env.relance(*args)

    assert result.code == 1, (result.out, result.err)
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err, result.err
    assert "2000 and 2099" in result.err or "two years after" in result.err, result.err
    assert env.relance("list", "--json", "--all").out.strip() in ("", "[]")


def test_set_refuses_a_start_outside_the_window_and_keeps_the_record(env: Env) -> None:
    assert env.relance("add", "--company", "Acme", "--start", "2026-12-03T14:30", "--now", BEFORE_INTERVIEW).code == 0

    result = env.relance("set", "1", "start=2062-12-03T14:30", "--now", BEFORE_INTERVIEW)

    assert result.code == 1 and "is the year right?" in result.err, result.err
    assert env.records()[0]["interview"]["start"] == "2026-12-03T14:30:00+01:00"


@pytest.mark.parametrize("bad_due", ["9999-12-31T17:15:00-05:00", "0001-01-01T00:10:00+01:00"])
def test_a_record_with_an_impossible_date_loses_only_its_own_event(
        env: Env, caplog: pytest.LogCaptureFixture, bad_due: str) -> None:
    deliver(env, GOOGLE)
    env.run_at(BEFORE_INTERVIEW)
    # as a database written before the window existed could hold
    with contextlib.closing(sqlite3.connect(env.home / "relance.db")) as db, db:
        db.execute("UPDATE followups SET due=?, \"end\"=? WHERE kind='call'", (bad_due, bad_due))
    env.relance("add", "--company", "Globex", "--start", "2026-12-04T10:00", "--now", BEFORE_INTERVIEW)
    caplog.set_level(logging.INFO)

    env.run_at("2026-11-28T10:00:00+01:00")

    starts = calendar_starts(env)
    assert "relance-1-call@relance" not in starts
    assert {"relance-1-debrief@relance", "relance-2-debrief@relance", "relance-2-call@relance"} <= set(starts)
    assert any("relance-1-call@relance" in r.getMessage() or "interview #1, call" in r.getMessage()
               for r in caplog.records if r.levelno == logging.WARNING)
