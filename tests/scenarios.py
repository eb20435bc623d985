# SPDX-License-Identifier: MIT
"""Helpers for the scenario tests: what the user sees, read the way a client reads it."""

from __future__ import annotations

import dataclasses
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import icalendar

from daemon import config
from daemon.followups import feed
from daemon.followups.feed import FeedServer
from tests.conftest import DATA, Env

LIFECYCLE = DATA / "lifecycle"
ACME = "01-google-invite-acme.eml"
GLOBEX = "02-outlook-teams-globex.eml"
INITECH = "03-fr-convocation-initech.eml"
ACME_INVITATION_ID = "<0000000000009f1c2a05f3a1b2c3@google.com>"


def deliver(env: Env, name: str, **fields: str) -> None:
    """A mail from tests/data/lifecycle; a ``.in`` one has its {placeholders} filled first."""
    path = LIFECYCLE / name
    if not path.exists():
        env.deliver(name)
        return
    raw = path.read_bytes()
    if name.endswith(".in"):
        raw = path.read_text(encoding="utf-8").format(**fields).encode("utf-8")
    env.server.append("INBOX", raw)


def record(env: Env, *extra: str) -> dict[str, Any]:
    records = env.records(*extra)
    assert len(records) == 1, records
    return records[0]


def followup(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(f for f in data["followups"] if f["kind"] == kind)


def dues(data: dict[str, Any]) -> dict[str, str]:
    return {f["kind"]: f["due"] for f in data["followups"]}


def states(data: dict[str, Any]) -> dict[str, str]:
    return {f["kind"]: f["state"] for f in data["followups"]}


def events(data: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of a calendar parsed by icalendar, by kind ("debrief", "thank_you", "call") for
    interview #1 and as "#N kind" for the others."""
    cal = icalendar.Calendar.from_ical(data)
    found = {}
    for event in cal.walk("VEVENT"):
        _, number, rest = str(event["UID"]).split("-", 2)
        kind = rest.split("@")[0]
        key = kind if number == "1" else f"#{number} {kind}"
        assert key not in found, f"two {key} events"
        found[key] = event
    return found


def calendar_file(env: Env) -> dict[str, icalendar.Event]:
    return events(env.calendar_path.read_bytes())


def start_of(event: icalendar.Event) -> datetime:
    value = event.decoded("DTSTART")
    assert isinstance(value, datetime)
    return value


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def settings_of(env: Env) -> config.Settings:
    return config.load(env.config_path)


@dataclasses.dataclass
class Feed:
    """The HTTP feed, built by the function `relance run` serves it with, on a free port."""

    server: FeedServer

    def get(self) -> bytes:
        with urllib.request.urlopen(self.server.url(), timeout=10) as response:
            assert response.status == 200
            body: bytes = response.read()
            return body

    def events(self) -> dict[str, icalendar.Event]:
        return events(self.get())


def feed_settings(env: Env, port: int = 0) -> config.Settings:
    settings = settings_of(env)
    serve = dataclasses.replace(settings.calendar.serve, enabled=True, port=port)
    return dataclasses.replace(settings, calendar=dataclasses.replace(settings.calendar, serve=serve))


def serve_feed(env: Env) -> Iterator[Feed]:
    """For a module's ``feed`` fixture: ``yield from serve_feed(env)``."""
    server = feed.feed_server(feed_settings(env))
    server.start()
    try:
        yield Feed(server)
    finally:
        server.stop()


def history(env: Env, interview_id: int) -> list[str]:
    import json

    result = env.relance("show", str(interview_id), "--json")
    assert result.code == 0, result.err
    return [h["event"] for h in json.loads(result.out)["history"]]


def draft_body(env: Env) -> str:
    (draft,) = env.drafts()
    part = draft.get_body(preferencelist=("plain",))
    assert part is not None
    text: str = part.get_content()
    return text


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
