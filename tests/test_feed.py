# SPDX-License-Identifier: MIT
"""The calendar feed as calendar apps see it: served by `relance run`, behind a token, kept in sync.

The subscriber test uses real clients: vdirsyncer's http storage syncs the
served URL into a local vdir, and khal (a second iCalendar parser) lists it.
"""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Env
from tests.scenarios import (
    ACME,
    GLOBEX,
    Feed,
    calendar_file,
    deliver,
    serve_feed,
    start_of,
    when,
    write,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture
def feed(env: Env) -> Iterator[Feed]:
    yield from serve_feed(env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class Background:
    """A relance command left running, read until it logs what the test waits for."""

    def __init__(self, env: Env, *args: str) -> None:
        environ = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}
        self.proc = subprocess.Popen([sys.executable, "-m", "daemon", "--config", str(env.config_path), *args],
                                     cwd=ROOT, env=environ, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.log = b""

    def wait_for(self, words: str, timeout: float = 30.0) -> None:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + timeout
        while words.encode() not in self.log:
            left = deadline - time.monotonic()
            assert left > 0, f"no {words!r} in the log: {self.log.decode(errors='replace')}"
            ready, _, _ = select.select([self.proc.stderr], [], [], left)
            chunk = os.read(self.proc.stderr.fileno(), 65536) if ready else b""
            assert chunk or not ready, f"exited ({self.proc.poll()}): {self.log.decode(errors='replace')}"
            self.log += chunk

    def stop(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        _, rest = self.proc.communicate(timeout=30)
        return self.proc.returncode, (self.log + rest).decode(errors="replace")


# --- relance run serves it


def test_relance_run_serves_the_calendar_file_behind_the_token(env: Env) -> None:
    port = free_port()
    env.write_config(calendar__serve={"enabled": True, "bind": "127.0.0.1", "port": port})
    url = env.relance("calendar", "--url").out.strip()
    token = url.split("/")[3]
    assert url == f"http://127.0.0.1:{port}/{token}/relance.ics"

    daemon = Background(env, "run")
    try:
        daemon.wait_for("cycle done")
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert headers["Cache-Control"].startswith("private")
        assert body == env.calendar_path.read_bytes()
        assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
        for wrong in (url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")),
                      f"http://127.0.0.1:{port}/relance.ics", url + "?x", f"http://127.0.0.1:{port}/"):
            assert fetch(wrong)[0] == 404, wrong
    finally:
        code, log = daemon.stop()
    assert code == 0, log
    assert "calendar feed listening on 127.0.0.1" in log
    assert token not in log, "the token never reaches a log line"


def test_feed_url_is_stable_and_rotating_the_token_kills_the_old_one_at_once(env: Env, feed: Feed) -> None:
    first = env.relance("calendar", "--url").out.strip()
    assert env.relance("calendar", "--url").out.strip() == first
    assert re.fullmatch(r"http://127\.0\.0\.1:8787/[A-Za-z0-9_-]{43}/relance\.ics", first), "256 random bits"
    assert (env.home / "feed-token").stat().st_mode & 0o777 == 0o600
    origin = feed.server.url().rsplit("/", 2)[0]
    old = origin + "/" + first.split("/", 3)[3]
    assert fetch(old)[0] == 200

    second = env.relance("calendar", "--rotate-token").out.strip()
    assert second != first
    assert fetch(old)[0] == 404, "the running server reads the new token at once"
    assert fetch(origin + "/" + second.split("/", 3)[3])[0] == 200
    assert env.relance("calendar", "--url").out.strip() == second


def test_an_unchanged_calendar_keeps_its_bytes_so_clients_get_304(env: Env, feed: Feed) -> None:
    """Thu 26 Nov 12:00 and 13:00: two cycles, nothing new: same bytes, same ETag, 304.
    Then the interview room is set by hand: only the debrief (which shows it) gets a new SEQUENCE."""
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    first = env.calendar_path.read_bytes()
    _, headers, _ = fetch(feed.server.url())
    env.run_at("2026-11-26T13:00:00+01:00")
    assert env.calendar_path.read_bytes() == first
    assert fetch(feed.server.url(), {"If-None-Match": headers["ETag"]})[0] == 304

    before = calendar_file(env)
    result = env.relance("set", "1", "location=Acme, salle 4", "--now", "2026-11-26T14:00:00+01:00")
    assert result.code == 0, result.err
    assert fetch(feed.server.url(), {"If-None-Match": headers["ETag"]})[0] == 200
    after = feed.events()
    assert str(after["debrief"]["LOCATION"]) == "Acme, salle 4"
    assert after["debrief"]["SEQUENCE"] == before["debrief"]["SEQUENCE"] + 1
    assert after["call"]["SEQUENCE"] == before["call"]["SEQUENCE"]
    assert after["call"]["DTSTAMP"].dt == before["call"]["DTSTAMP"].dt


def test_call_event_names_the_job_and_carries_number_script_and_alarm(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    raw = env.calendar_path.read_bytes()
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT15M" in raw
    assert b"X-PUBLISHED-TTL:PT15M" in raw
    assert re.findall(rb"TZID:([^\r]+)", raw) == [b"Europe/Paris"]
    call = calendar_file(env)["call"]
    assert str(call["SUMMARY"]) == "Appeler Claire Dubois (Acme – Analyste financier)"
    description = str(call["DESCRIPTION"])
    assert description.startswith("Numéro : +33 1 99 00 12 34\n")
    for words in ("Alice Martin à l'appareil", "le jeudi 3 décembre", "nouvelles questions",
                  "toujours retenue", "jamais insistant"):
        assert words in description
    (alarm,) = call.walk("VALARM")
    assert alarm.decoded("TRIGGER").total_seconds() == -15 * 60
    debrief = calendar_file(env)["debrief"]
    assert str(debrief["SUMMARY"]) == "Debrief : Acme – Analyste financier"
    assert start_of(debrief) == when("2026-12-03T16:00:00+01:00")


def test_thank_you_reminder_is_in_the_calendar_until_the_draft_is_made(env: Env) -> None:
    """calendar.thank_you_reminder on. Thu 26 Nov: invitation for Thu 3 Dec. The J+1 reminder is at
    Fri 4 Dec 09:00, free time; at 09:05 the draft is made and the reminder leaves the calendar."""
    env.write_config(calendar__thank_you_reminder=True)
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    reminder = calendar_file(env)["thank_you"]
    assert str(reminder["SUMMARY"]) == "Envoyer le remerciement : Acme – Analyste financier"
    assert start_of(reminder) == when("2026-12-04T09:00:00+01:00")
    assert reminder["TRANSP"] == "TRANSPARENT"

    env.run_at("2026-12-04T09:05:00+01:00")
    assert len(env.drafts()) == 1
    assert "thank_you" not in calendar_file(env), "done: gone, not cancelled"


# --- a real subscriber


class Subscriber:
    """vdirsyncer syncing the feed into a vdir, and khal reading that vdir."""

    def __init__(self, home: Path, url: str) -> None:
        self.home = home
        self.vdir = home / "vdir"
        self.vdir.mkdir(parents=True)
        (home / "status").mkdir()
        self.vconf = write(home / "vdirsyncer.conf", f"""[general]
status_path = "{home / 'status'}/"

[pair relance]
a = "relance_feed"
b = "relance_local"
collections = null
conflict_resolution = "a wins"

[storage relance_feed]
type = "http"
url = "{url}"

[storage relance_local]
type = "filesystem"
path = "{self.vdir}/"
fileext = ".ics"
""")
        self.kconf = write(home / "khal.conf", f"""[calendars]
[[relance]]
path = {self.vdir}/
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Paris
default_timezone = Europe/Paris

[sqlite]
path = {home / 'khal.db'}
""")
        self.run("vdirsyncer", "-c", str(self.vconf), "discover")

    def run(self, tool: str, *args: str) -> str:
        environ = {**os.environ, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
                   "XDG_DATA_HOME": str(self.home / "data"), "XDG_CACHE_HOME": str(self.home / "cache")}
        result = subprocess.run([str(BIN / tool), *args], env=environ, capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, f"{tool} {args}: {result.stdout}{result.stderr}"
        return result.stdout

    def sync(self) -> None:
        self.run("vdirsyncer", "-c", str(self.vconf), "sync")

    def items(self) -> list[str]:
        return sorted(p.read_text(encoding="utf-8") for p in self.vdir.glob("*.ics"))

    def agenda(self) -> list[str]:
        out = self.run("khal", "-c", str(self.kconf), "list", "2026-11-01", "60d", "--day-format", "",
                       "--format", "{cancelled}{start} {title}")
        return [line for line in out.splitlines() if line.strip()]


def test_vdirsyncer_and_khal_follow_a_reschedule_and_a_cancellation(env: Env) -> None:
    """Thu 26 Nov: Acme invitation for Thu 3 Dec. Fri 27 Nov: Globex invitation for Tue 8 Dec 10:00 (London
    recruiter). Mon 30 Nov: Globex moved to Thu 10 Dec 14:00. Wed 2 Dec: Globex cancelled. Thu 10 Dec: a week
    later. The feed is served by `relance calendar --serve` while `relance run --once --now …` steps the clock;
    vdirsyncer syncs it after each step and khal lists it in Paris time."""
    port = free_port()
    env.write_config(calendar__serve={"enabled": True, "bind": "127.0.0.1", "port": port})
    env.deliver(ACME)
    env.deliver(GLOBEX)
    env.run_at("2026-11-27T18:00:00+01:00")
    server = Background(env, "calendar", "--serve")
    try:
        server.wait_for("calendar feed listening")
        client = Subscriber(env.home / "subscriber", env.relance("calendar", "--url").out.strip())
        acme_debrief = "2026-12-03 16:00 Debrief : Acme – Analyste financier"
        acme_call = "2026-12-10 17:15 Appeler Claire Dubois (Acme – Analyste financier)"

        client.sync()
        assert client.agenda() == [acme_debrief, "2026-12-08 11:30 Debrief : Globex – Data Engineer", acme_call,
                                   "2026-12-15 18:15 Appeler John Smith (Globex – Data Engineer)"]

        deliver(env, "globex-moved.eml")
        env.run_at("2026-11-30T12:00:00+01:00")
        client.sync()
        assert client.agenda() == [acme_debrief, "2026-12-10 15:30 Debrief : Globex – Data Engineer", acme_call,
                                   "2026-12-17 18:15 Appeler John Smith (Globex – Data Engineer)"]
        assert len(client.items()) == 4, "the moved events replace the old ones"

        deliver(env, "globex-cancelled.eml")
        env.run_at("2026-12-02T10:00:00+01:00")
        client.sync()
        assert client.agenda() == [acme_debrief, "CANCELLED 2026-12-10 15:30 Debrief : Globex – Data Engineer",
                                   acme_call, "CANCELLED 2026-12-17 18:15 Appeler John Smith (Globex – Data Engineer)"]

        env.run_at("2026-12-10T10:00:00+01:00")
        client.sync()
        assert client.agenda() == [acme_debrief, acme_call]
        assert len(client.items()) == 2
    finally:
        code, log = server.stop()
    assert code == 0, log


def test_feed_url_says_when_nothing_serves_it(env: Env, feed: Feed) -> None:
    """`relance calendar --url` with the feed off, then on with no daemon, then with one serving: the URL
    alone on stdout each time, and a note on stderr while nothing would answer."""
    off = env.relance("calendar", "--url")
    assert off.code == 0 and off.out.strip().endswith("/relance.ics")
    assert off.err == ("note: calendar.serve.enabled is false, so nothing serves this URL: set it to true "
                       "and restart relance, or run `relance calendar --serve`\n")

    port = free_port()
    env.write_config(calendar__serve={"enabled": True, "bind": "127.0.0.1", "port": port})
    idle = env.relance("calendar", "--url")
    assert idle.err == (f"note: nothing answers on 127.0.0.1:{port} now: the feed is served while "
                        "`relance run` runs\n")

    env.write_config(calendar__serve={"enabled": True, "bind": "127.0.0.1", "port": feed.server.port})
    served = env.relance("calendar", "--url")
    assert served.code == 0 and served.err == ""
    assert served.out.strip() == feed.server.url()
