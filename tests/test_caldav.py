# SPDX-License-Identifier: MIT
"""calendar.caldav, two ways, over a real Radicale: relance writes its events into the user's own
calendar, and takes in what the user moved or deleted there.

The test plays the user's calendar app with the caldav library: it reads the
collection, and moves or deletes an event with a conditional PUT or DELETE, as
Thunderbird or DAVx5 would. Times are Paris time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from daemon import config
from daemon.crashpoints import CALDAV_STEPS, CRASH_ENV, CRASH_EXIT
from daemon.followups.caldav_sync import Wanted
from daemon.followups.records import Store
from daemon.run.cycle import Cycle
from daemon.understand import rules
from tests.conftest import Env, make_env
from tests.harness.daemon_process import run_daemon_once
from tests.harness.dovecot import Dovecot
from tests.harness.radicale import Radicale
from tests.scenarios import ACME, calendar_file, deliver, followup, history, record, start_of, states, when

INVITED = "2026-11-26T12:00:00+01:00"  # Acme's invitation: interview Thu 3 Dec 14:30, call Thu 10 Dec 17:15
CALL = "2026-12-10T17:15:00+01:00"
DEBRIEF = "2026-12-03T16:00:00+01:00"
MOVED_CALL = "2026-12-10T18:30:00+01:00"  # where the user drags the call
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Held:
    """One of relance's events as the collection holds it."""

    href: str
    etag: str
    event: icalendar.Event
    raw: str


class UserCalendar:
    """The user's calendar app over the collection."""

    def __init__(self, server: Radicale, url: str) -> None:
        self.server = server
        self.url = url

    def events(self) -> dict[str, Held]:
        """relance's events by kind ("call", "debrief"), as the app reads them."""
        found: dict[str, Held] = {}
        with self.server.client() as client:
            for obj in client.calendar(url=self.url).events():
                raw = obj.data
                cal = icalendar.Calendar.from_ical(raw)
                (event,) = cal.walk("VEVENT")
                kind = str(event["UID"]).split("@")[0].split("-", 2)[2]
                assert kind not in found, f"two {kind} events in the collection"
                response = client.request(str(obj.url), "GET")
                found[kind] = Held(str(obj.url), response.headers["ETag"], event, raw)
        return found

    def files(self) -> dict[str, int]:
        """Each event file of the collection in Radicale's storage, with its mtime: a write changes it."""
        folder = self.server.workdir / "collections" / "collection-root" / self.url.split("/", 3)[3]
        return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.ics")}

    def move(self, kind: str, start: str, minutes: int = 15) -> None:
        held = self.events()[kind]
        cal = icalendar.Calendar.from_ical(held.raw)
        for event in cal.walk("VEVENT"):
            for name in ("DTSTART", "DTEND"):
                del event[name]
            local = when(start).astimezone(PARIS)
            event.add("dtstart", local)
            event.add("dtend", local + timedelta(minutes=minutes))
            event["SEQUENCE"] = int(event.get("SEQUENCE", 0)) + 1
        with self.server.client() as client:
            response = client.put(held.href, cal.to_ical().decode(),
                                  {"If-Match": held.etag, "Content-Type": "text/calendar; charset=utf-8"})
        assert response.status in (200, 204), response.status

    def delete(self, kind: str) -> None:
        held = self.events()[kind]
        with self.server.client() as client:
            response = client.delete(held.href, {"If-Match": held.etag})
        assert response.status in (200, 204), response.status


def use_caldav(env: Env, server: Radicale, *, password: str | None = None, url: str | None = None) -> UserCalendar:
    """The user's config pointed at a new calendar of the Radicale, the password in a file."""
    calendar_url = url or server.new_calendar()
    secret = env.home / "caldav-password"
    secret.write_text((password or server.password) + "\n", encoding="utf-8")
    secret.chmod(0o600)
    env.write_config(calendar__caldav={"url": calendar_url, "username": server.user, "password_file": str(secret)})
    return UserCalendar(server, calendar_url)


@pytest.fixture
def user(env: Env, radicale: Radicale) -> UserCalendar:
    return use_caldav(env, radicale)


# --- one way: relance writes


def test_the_followups_appear_in_the_collection_with_relances_uids(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)

    held = user.events()
    assert set(held) == {"debrief", "call"}
    assert str(held["call"].event["UID"]) == "relance-1-call@relance"
    assert start_of(held["call"].event) == when(CALL)
    assert start_of(held["debrief"].event) == when(DEBRIEF)
    assert "METHOD" not in held["call"].raw  # RFC 4791 forbids it in a collection
    assert held["call"].event.walk("VALARM")
    assert "+33" in str(held["call"].event["DESCRIPTION"])
    shown = calendar_file(env)  # the .ics file says the same
    assert {k: start_of(e) for k, e in shown.items()} == {k: start_of(h.event) for k, h in held.items()}


def test_a_rerun_with_nothing_changed_writes_nothing(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)
    etags = {k: h.etag for k, h in user.events().items()}
    files = user.files()

    env.run_at("2026-11-26T12:30:00+01:00")

    assert {k: h.etag for k, h in user.events().items()} == etags
    assert user.files() == files


def test_a_reschedule_mail_updates_the_same_events_with_a_higher_sequence(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)
    before = user.events()

    deliver(env, "acme-moved-seq1.eml")  # to Tue 8 Dec 11:00
    env.run_at("2026-11-27T12:00:00+01:00")

    after = user.events()
    assert set(after) == {"debrief", "call"}
    assert start_of(after["call"].event) == when("2026-12-15T17:15:00+01:00")
    assert start_of(after["debrief"].event) == when("2026-12-08T12:30:00+01:00")
    for kind in after:
        assert after[kind].href == before[kind].href
        assert after[kind].event["SEQUENCE"] > before[kind].event["SEQUENCE"]


def test_a_cancellation_mail_removes_the_events(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)
    deliver(env, "acme-cancelled.eml")
    env.run_at("2026-11-27T12:00:00+01:00")

    assert user.events() == {}
    assert record(env, "--all")["status"] == "cancelled"
    # the feed keeps them a few days as STATUS:CANCELLED, for the apps that subscribe to it
    assert str(calendar_file(env)["call"]["STATUS"]) == "CANCELLED"


# --- the other way: the user's calendar app


def test_a_call_the_user_moved_keeps_the_users_time_and_the_records_follow(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)
    user.move("call", MOVED_CALL)

    env.run_at("2026-11-27T12:00:00+01:00")

    data = record(env)
    call = followup(data, "call")
    assert call["due"] == MOVED_CALL
    assert call["moved_from"] == CALL
    assert call["state"] == "pending"
    assert any(h.startswith("call moved by you in your calendar to 2026-12-10T18:30") for h in history(env, 1))
    assert start_of(user.events()["call"].event) == when(MOVED_CALL)
    assert start_of(calendar_file(env)["call"]) == when(MOVED_CALL)

    # a change by hand replans the record: the user's time stands
    assert env.relance("set", "1", "location=Salle 4", "--now", "2026-11-28T10:00:00+01:00").code == 0
    env.run_at("2026-11-28T12:00:00+01:00")
    assert followup(record(env), "call")["due"] == MOVED_CALL
    assert start_of(user.events()["call"].event) == when(MOVED_CALL)

    # the interview itself moves: the call moves with it, to the new plan
    deliver(env, "acme-moved-seq1.eml")
    env.run_at("2026-11-29T12:00:00+01:00")
    call = followup(record(env), "call")
    assert call["due"] == "2026-12-15T17:15:00+01:00"
    assert "moved_from" not in call
    assert start_of(user.events()["call"].event) == when("2026-12-15T17:15:00+01:00")


def test_a_call_the_user_deleted_is_dismissed_and_never_recreated(env: Env, user: UserCalendar) -> None:
    env.deliver(ACME)
    env.run_at(INVITED)
    user.delete("call")

    env.run_at("2026-11-27T12:00:00+01:00")

    call = followup(record(env), "call")
    assert call["state"] == "cancelled"
    assert call["reason"] == "deleted by you in your calendar"
    assert set(user.events()) == {"debrief"}
    assert env.relance("set", "1", "location=Salle 4", "--now", "2026-11-28T10:00:00+01:00").code == 0
    env.run_at("2026-11-28T12:00:00+01:00")
    assert states(record(env))["call"] == "cancelled"
    assert set(user.events()) == {"debrief"}


# --- failures never stop the cycle


def test_a_wrong_password_is_one_log_line_and_the_cycle_goes_on(env: Env, radicale: Radicale,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    use_caldav(env, radicale, password="not-the-password")
    env.deliver(ACME)

    with caplog.at_level(logging.DEBUG):
        env.run_at(INVITED)

    lines = [r.getMessage() for r in caplog.records if "calendar.caldav" in r.getMessage()]
    assert len(lines) == 1, caplog.text
    assert "login refused for alice" in lines[0]
    assert "not-the-password" not in caplog.text
    assert set(calendar_file(env)) == {"debrief", "call"}  # the .ics is written all the same
    check = env.relance("check")
    assert check.code == 1
    assert "calendar.caldav: login refused" in check.err
    assert "not-the-password" not in check.err + check.out


def test_relance_check_names_the_collection(env: Env, user: UserCalendar) -> None:
    result = env.relance("check")
    assert result.code == 0, result.err
    assert f"calendar.caldav: writing to the collection 'alice/{user.url.rstrip('/').rpartition('/')[2]}'" \
        in result.out


def test_a_collection_that_does_not_exist(env: Env, radicale: Radicale, caplog: pytest.LogCaptureFixture) -> None:
    use_caldav(env, radicale, url=f"{radicale.base}alice/no-such-calendar/")
    env.deliver(ACME)
    env.run_at(INVITED)
    assert "calendar.caldav: no calendar collection at" in caplog.text
    assert set(calendar_file(env)) == {"debrief", "call"}
    check = env.relance("check")
    assert check.code == 1
    assert "calendar.caldav: no calendar collection at" in check.err


def test_server_down_then_up(env: Env, user: UserCalendar, radicale: Radicale,
                             caplog: pytest.LogCaptureFixture) -> None:
    env.deliver(ACME)
    radicale.stop()
    try:
        env.run_at(INVITED)
        assert "calendar.caldav: cannot reach 127.0.0.1" in caplog.text
        assert set(calendar_file(env)) == {"debrief", "call"}
    finally:
        radicale.start()
    env.run_at("2026-11-26T12:15:00+01:00")
    assert set(user.events()) == {"debrief", "call"}


def test_an_event_changed_between_the_read_and_the_write_is_not_overwritten(
        env: Env, user: UserCalendar, caplog: pytest.LogCaptureFixture) -> None:
    """412 Precondition Failed: logged in one line; the next cycle reads again and takes the move in."""
    env.deliver(ACME)
    env.run_at(INVITED)
    settings = config.load(env.config_path)
    assert settings.calendar.caldav is not None
    store = Store(settings.storage_path)
    try:
        svc = Cycle(settings, store, rules.load_rules())
        now = when("2026-11-27T12:00:00+01:00")
        link = svc.publisher.caldav
        with caplog.at_level(logging.INFO), link.attempt(settings.calendar.caldav, settings.zone) as session:
            assert session is not None
            wanted = svc.publisher.caldav_wanted(now)
            session.read(store.caldav_copies(), wanted)
            user.move("call", MOVED_CALL)  # the user, meanwhile
            newer = [Wanted(w.key, w.uid, w.body, w.sequence + 1, w.start, w.end) for w in wanted]
            for outcome in session.make_match(newer):
                store.set_caldav_copy(outcome.key, outcome.copy)
        assert any("calendar.caldav:" in r.message and "412 Precondition Failed" in r.message
                   for r in caplog.records), caplog.text
        assert start_of(user.events()["call"].event) == when(MOVED_CALL)
        svc.run(now + timedelta(minutes=1), None)
    finally:
        store.close()
    assert followup(record(env), "call")["due"] == MOVED_CALL


def test_plain_http_is_refused_unless_loopback_and_no_password_in_the_url(env: Env) -> None:
    env.write_config(calendar__caldav={"url": "http://dav.example.org/cal/", "username": "alice"})
    result = env.relance("check")
    assert result.code == 1
    assert "calendar.caldav.url: plain http:// is refused unless the host is a loopback address" in result.err
    env.write_config(calendar__caldav={"url": "https://alice:secret@dav.example.org/cal/", "username": "alice"})
    result = env.relance("check")
    assert result.code == 1
    assert "calendar.caldav.url: must not hold a user name or password" in result.err
    assert "secret" not in result.err.replace("calendar.caldav.url", "")


# --- kill -9 anywhere: no duplicate, nothing lost


RESCHEDULED = "2026-11-27T12:00:00+01:00"
CRASHES = [("invitation", step) for step in (*CALDAV_STEPS, "caldav-written:2")] + [
    ("reschedule", "caldav-written"), ("reschedule", "caldav-written:2"), ("cancellation", "caldav-written"),
    ("user-move", "caldav-read")]


def prepare(env: Env, user: UserCalendar, scenario: str) -> str:
    """Bring the records to the scenario's start; the time of the run that will be killed."""
    env.deliver(ACME)
    if scenario == "invitation":
        return INVITED
    env.run_at(INVITED)
    if scenario in ("reschedule", "cancellation"):
        deliver(env, "acme-moved-seq1.eml" if scenario == "reschedule" else "acme-cancelled.eml")
    else:
        user.move("call", MOVED_CALL)
    return RESCHEDULED


def outcome(env: Env, user: UserCalendar) -> tuple[object, ...]:
    held = user.events()
    return (record(env, "--all")["followups"], sorted((k, str(h.event["UID"]), start_of(h.event), h.event["SEQUENCE"])
                                             for k, h in held.items()), calendar_file(env).keys())


@pytest.mark.parametrize(("scenario", "step"), CRASHES)
def test_killed_at_each_caldav_step_a_rerun_converges(dovecot: Dovecot, radicale: Radicale, tmp_path: Path,
                                                      scenario: str, step: str) -> None:
    (tmp_path / "quiet").mkdir()
    (tmp_path / "killed").mkdir()
    quiet = make_env(dovecot, tmp_path / "quiet")
    quiet_user = use_caldav(quiet, radicale)
    now = prepare(quiet, quiet_user, scenario)
    code, log = run_daemon_once(quiet.config_path, now)
    assert code == 0, log
    expected = outcome(quiet, quiet_user)

    env = make_env(dovecot, tmp_path / "killed")
    user = use_caldav(env, radicale)
    now = prepare(env, user, scenario)
    code, log = run_daemon_once(env.config_path, now, {CRASH_ENV: step})
    assert code == CRASH_EXIT, f"the cycle never reached {step}:\n{log}"
    code, log = run_daemon_once(env.config_path, now)
    assert code == 0, log

    assert outcome(env, user) == expected
    if scenario == "user-move":
        assert followup(record(env), "call")["due"] == MOVED_CALL
