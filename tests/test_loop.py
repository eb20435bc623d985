# SPDX-License-Identifier: MIT
"""The daemon over a real Dovecot: IDLE latency, server restarts, cut and dead links, refused logins, signals."""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from daemon import config
from daemon.followups.records import Store
from daemon.mail.idle import IdleSession
from daemon.mail.imapdata import ConnectionFailed
from daemon.mail.mailbox import Mailbox
from daemon.run import loop, timers
from daemon.run.cycle import Cycle
from daemon.run.notify import Notifier
from tests.conftest import SAMPLES, Env, wipe
from tests.harness.daemon_process import DaemonProcess, dated_now, query, wait_until
from tests.harness.tcpproxy import proxy_to

ACME = "01-google-invite-acme.eml"
GLOBEX = "02-outlook-teams-globex.eml"
INITECH = "03-fr-convocation-initech.eml"
ARRIVAL_BOUND = 5.0  # new mail reaches a record within this when IDLE works


def interviews(env: Env) -> int:
    rows = query(env.home / "relance.db", "SELECT count(*) FROM interviews")
    return int(rows[0][0]) if rows else 0


def idle_config(env: Env, **overrides: object) -> None:
    env.write_config(imap__idle=True, **overrides)


def start_idling(env: Env, *args: str, **kwargs: Any) -> DaemonProcess:
    daemon = DaemonProcess(env.config_path, *args, **kwargs)
    daemon.wait_for(r"waiting for mail in IDLE on INBOX")
    return daemon


def deliver(env: Env, name: str, folder: str = "INBOX") -> None:
    env.server.append(folder, dated_now((SAMPLES / name).read_bytes()))


def arrival_latency(env: Env, name: str, expected: int) -> float:
    """Deliver a mail and measure how long until the daemon has made its record."""
    deliver(env, name)
    return wait_until(lambda: interviews(env) >= expected, 30, f"record for {name}")


# --- IDLE


def test_new_mail_reaches_a_record_within_five_seconds_with_idle(env: Env) -> None:
    idle_config(env)
    with start_idling(env) as daemon:
        latencies = [arrival_latency(env, name, n) for n, name in enumerate((ACME, GLOBEX, INITECH), 1)]
        assert max(latencies) < ARRIVAL_BOUND, latencies
        assert "new mail" in daemon.log()
        code, took = daemon.stop()
    assert code == 0
    print(f"arrival-to-record with IDLE: {', '.join(f'{x:.2f} s' for x in latencies)}; stop took {took:.2f} s")


def test_idle_is_renewed_and_each_renewal_checks_status(env: Env) -> None:
    idle_config(env, imap__idle_renew="1s")
    with start_idling(env) as daemon:
        mark = daemon.mark()
        daemon.wait_for(r"cycle: IDLE renewal", timeout=5, start=mark)
        daemon.wait_for(r"cycle: IDLE renewal", timeout=5, start=daemon.mark())
        assert daemon.stop()[0] == 0


def test_polling_without_idle(env: Env) -> None:
    env.write_config(imap__idle=False, scan__interval="1s")
    with DaemonProcess(env.config_path) as daemon:
        daemon.wait_for(r"polling INBOX every 1\.0 s")
        took = arrival_latency(env, ACME, 1)
        assert took < ARRIVAL_BOUND, took
        assert daemon.stop()[0] == 0


# --- the server goes away


def test_dovecot_restarted_while_idling_then_new_mail_is_processed_within_the_bound(env: Env) -> None:
    idle_config(env)
    with start_idling(env) as daemon:
        mark = daemon.mark()
        began = time.monotonic()
        env.server.restart()  # a graceful stop: Dovecot says BYE to the idling client
        restarted = time.monotonic() - began
        took = arrival_latency(env, ACME, 1)
        daemon.wait_for(r"BYE|closed the connection|connection lost", start=mark)
        assert took < ARRIVAL_BOUND, took
        assert daemon.stop()[0] == 0
    print(f"dovecot restart took {restarted:.2f} s; mail sent after it recorded {took:.2f} s later")


def test_dovecot_killed_the_daemon_reconnects_and_loses_nothing(env: Env) -> None:
    idle_config(env)
    deliver(env, ACME)
    with start_idling(env) as daemon:
        assert interviews(env) == 1
        mark = daemon.mark()
        env.server.kill()  # no BYE: the socket just ends
        daemon.wait_for(r"reconnecting in", start=mark)
        env.server.start()
        reconnected = wait_until(lambda: "connected to" in daemon.log()[mark:], 30, "reconnection")
        assert arrival_latency(env, GLOBEX, 2) < ARRIVAL_BOUND
        assert daemon.stop()[0] == 0
    assert len(env.records()) == 2
    print(f"reconnected {reconnected:.2f} s after Dovecot came back")


def test_a_cut_link_is_reconnected_and_mail_sent_meanwhile_is_not_lost(env: Env) -> None:
    with proxy_to(env.server.port) as proxy:
        idle_config(env, imap__port=proxy.port)
        with start_idling(env) as daemon:
            mark = daemon.mark()
            proxy.refuse()
            proxy.drop()  # reset: the daemon sees it at once, in IDLE
            daemon.wait_for(r"reconnecting in", start=mark)
            deliver(env, ACME)  # arrives while the daemon cannot get in
            time.sleep(1.5)
            assert interviews(env) == 0
            proxy.accept()
            wait_until(lambda: interviews(env) == 1, 15, "the mail sent during the cut")
            assert daemon.stop()[0] == 0
        assert proxy.most_at_once <= 2, "no more than two connections at once"


def test_a_silently_dead_link_is_noticed_at_the_next_renewal(env: Env) -> None:
    with proxy_to(env.server.port) as proxy:
        idle_config(env, imap__port=proxy.port, imap__idle_renew="2s", imap__timeout=2)
        with start_idling(env) as daemon:
            mark = daemon.mark()
            proxy.freeze()  # no RST, no FIN: IDLE alone would wait forever
            deliver(env, ACME)
            daemon.wait_for(r"connection lost|timed out", timeout=10, start=mark)
            proxy.drop()
            proxy.thaw()
            wait_until(lambda: interviews(env) == 1, 20, "the mail sent over the dead link")
            assert daemon.stop()[0] == 0
        assert proxy.most_at_once <= 2


# --- refused logins


def test_wrong_password_backs_off_to_hours_after_three_refusals_then_sighup_retries(env: Env) -> None:
    password_file = env.home / "imap-password"
    password_file.write_text("not-the-password\n", encoding="utf-8")
    idle_config(env)
    with DaemonProcess(env.config_path) as daemon:
        daemon.wait_for(r"login refused .*\(3 in a row\); next attempt in 1\.\d h", timeout=10)
        time.sleep(1.0)
        log = daemon.log()
        assert log.count("login refused") == 3, log
        assert "not-the-password" not in log
        password_file.write_text(env.server.password + "\n", encoding="utf-8")
        mark = daemon.mark()
        daemon.send(signal.SIGHUP)  # a fixed password need not wait an hour
        daemon.wait_for(r"configuration reloaded", start=mark)
        daemon.wait_for(r"waiting for mail in IDLE", start=mark)
        assert daemon.stop()[0] == 0


def test_a_missing_folder_is_said_once_and_waits_for_a_reload_instead_of_being_retried(env: Env) -> None:
    """A folder the user misspelled is theirs to fix: one clear line, no retry every few seconds as for
    a network fault, and a reload with the fixed config goes on at once."""
    env.write_config(imap__folders=["INBOX", "Candidatures-typo"], scan__interval="1s")
    with DaemonProcess(env.config_path) as daemon:
        daemon.wait_for(r"relance waits until you fix it and reload", timeout=10)
        time.sleep(4.0)  # a network fault would have been retried three times by now (1 s, 2 s, 4 s)
        log = daemon.log()
        [line] = [x for x in log.splitlines() if "waits until you fix it" in x]
        assert "ERROR" in line and "imap: folder 'Candidatures-typo' not found" in line, line
        assert "retrying in" not in log and "reconnecting in" not in log, log
        env.write_config(imap__folders=["INBOX"], scan__interval="1s")
        mark = daemon.mark()
        daemon.send(signal.SIGHUP)
        daemon.wait_for(r"configuration reloaded", start=mark)
        daemon.wait_for(r"cycle done", start=mark)
        assert daemon.stop()[0] == 0


# --- signals, reload, one instance


def test_sigterm_while_idling_exits_0_at_once_and_releases_the_lock(env: Env) -> None:
    idle_config(env)
    deliver(env, ACME)
    with start_idling(env) as daemon:
        code, took = daemon.stop()
        assert code == 0 and took < 10, (code, took)
        daemon.wait_for(r"stopping \(SIGTERM\)")
    assert (env.home / "relance.db.lock").read_text() == ""
    assert len(env.records()) == 1


def test_sigterm_while_a_read_hangs_cuts_the_link_and_still_exits_0_within_10_s(env: Env) -> None:
    with proxy_to(env.server.port) as proxy:
        idle_config(env, imap__port=proxy.port, imap__idle_renew="1s")  # imap.timeout stays 60 s
        with start_idling(env) as daemon:
            proxy.freeze()
            time.sleep(2)  # a renewal's DONE now waits for an answer that never comes
            code, took = daemon.stop()
            assert code == 0 and took < 10, (code, took)
            assert "cutting the IMAP connection" in daemon.log()
    print(f"SIGTERM during a hung read: exit 0 after {took:.1f} s")


def test_a_second_daemon_on_the_same_database_says_which_pid_holds_it(env: Env) -> None:
    idle_config(env)
    with start_idling(env) as daemon:
        second = env.relance("run", "--once")
        assert second.code == 1
        assert f"PID {daemon.pid}" in second.err and "already running" in second.err
        assert daemon.stop()[0] == 0


def test_sighup_with_a_broken_config_keeps_the_running_one(env: Env) -> None:
    idle_config(env)
    good = env.config_path.read_text(encoding="utf-8")
    with start_idling(env) as daemon:
        env.config_path.write_text(good + "\nimap: [broken\n", encoding="utf-8")
        mark = daemon.mark()
        daemon.send(signal.SIGHUP)
        daemon.wait_for(r"reload refused, keeping the running configuration", start=mark)
        assert arrival_latency(env, ACME, 1) < ARRIVAL_BOUND
        assert daemon.stop()[0] == 0


def test_sighup_applies_a_new_watched_folder(env: Env) -> None:
    wipe(env.server, ("Jobs",))  # other tests use Jobs too
    env.server.append("Jobs", b"Subject: hello\r\n\r\nnot an invitation\r\n")  # the folder exists
    idle_config(env, scan__interval="1s")
    with start_idling(env) as daemon:
        idle_config(env, scan__interval="1s", imap__folders=["INBOX", "Jobs"])
        mark = daemon.mark()
        daemon.send(signal.SIGHUP)
        daemon.wait_for(r"configuration reloaded", start=mark)
        deliver(env, ACME, folder="Jobs")  # Jobs is not the IDLE folder: it is polled
        wait_until(lambda: interviews(env) == 1, 10, "the invitation in Jobs")
        assert daemon.stop()[0] == 0


# --- the parts, in process


def test_idle_session_raises_when_the_server_dies_instead_of_returning_nothing(env: Env) -> None:
    with proxy_to(env.server.port) as proxy:
        env.write_config(imap__port=proxy.port)
        mailbox = loop.connect(_settings(env))
        with mailbox, pytest.raises(ConnectionFailed), IdleSession(mailbox, "INBOX") as session:
            assert session.wait(0.2) is False  # nothing new yet
            proxy.drop()
            began = time.monotonic()
            session.wait(30)  # a timeout would return False; the dead link must raise, at once
        assert time.monotonic() - began < ARRIVAL_BOUND


def test_idle_session_wakes_on_new_mail_and_on_the_wake_fd(env: Env) -> None:
    read_fd, write_fd = os.pipe()
    try:
        with loop.connect(_settings(env)) as mailbox, IdleSession(mailbox, "INBOX") as session:
            os.write(write_fd, b"!")
            assert session.wait(5, read_fd) is False
            os.read(read_fd, 1)
            deliver(env, ACME)
            began = time.monotonic()
            assert session.wait(30, read_fd) is True
            assert time.monotonic() - began < ARRIVAL_BOUND
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_connect_logs_in_once_and_keepalive_is_on(env: Env) -> None:
    with loop.connect(_settings(env)) as mailbox:
        assert isinstance(mailbox, Mailbox)
        sock = mailbox.client.socket()
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert mailbox.commands == 2


def _settings(env: Env) -> config.Settings:
    return config.load(env.config_path)


def test_the_minute_job_asks_for_a_cycle_once_a_thank_you_is_due(env: Env) -> None:
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    settings = _settings(env)
    store = Store(settings.storage_path)
    signals = loop.Signals()
    try:
        daemon = loop.Loop(Cycle(settings, store, []), signals, Notifier(None))
        daemon.now = lambda: datetime.fromisoformat("2026-12-04T08:59:00+01:00")  # type: ignore[method-assign]
        daemon._check_due()
        assert daemon.wanted is None
        daemon.now = lambda: datetime.fromisoformat("2026-12-04T09:00:30+01:00")  # type: ignore[method-assign]
        daemon._check_due()
        assert daemon.wanted == "follow-up due"
        every = sorted(job.interval for job in daemon._jobs(idle=True).jobs)
        assert every == [60, 9 * 60, 15 * 60], "due check, IDLE renewal, calendar export"
        assert sorted(job.interval for job in daemon._jobs(idle=False).jobs) == [60, 5 * 60, 15 * 60]
    finally:
        signals.close()
        store.close()


# --- pure parts


def test_backoff_grows_from_one_second_to_five_minutes_with_jitter() -> None:
    backoff = loop.Backoff(random.Random(5))
    delays = [backoff.after_fault() for _ in range(12)]
    assert 0.5 <= delays[0] <= 1.0
    assert all(0.5 * min(300, 2 ** i) <= d <= min(300, 2 ** i) for i, d in enumerate(delays))
    assert max(delays) <= 300 and delays[-1] >= 150
    backoff.worked()
    assert backoff.after_fault() <= 1.0


def test_refused_logins_reach_hours_after_three_and_stay_bounded() -> None:
    backoff = loop.Backoff(random.Random(7))
    delays = [backoff.after_refusal() for _ in range(8)]
    assert delays[0] <= 1.0 and delays[1] <= 2.0
    assert delays[2] >= 3600
    assert delays[3] >= 7200
    assert max(delays) <= 6 * 3600 * 1.1
    backoff.logged_in()
    assert backoff.after_refusal() < 5


def test_a_job_that_raises_is_logged_and_rescheduled_not_run_on_every_tick(caplog) -> None:
    clock = FakeClock()
    jobs = timers.Timers(clock)
    calls = []

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("disk full")

    loop.every(jobs, timedelta(seconds=60), "calendar export", broken)
    clock.steady += 61  # due now
    with caplog.at_level(logging.ERROR, logger="daemon.run.loop"):
        for _ in range(5):
            jobs.run_pending()
    assert len(calls) == 1
    assert jobs.idle_seconds is not None and jobs.idle_seconds > 50
    assert "job 'calendar export' failed: RuntimeError: disk full; it runs again in 60 s" in caplog.text


class FakeClock:
    """The clock a Loop times its waits on, moved by hand: no test changes the system clock."""

    def __init__(self) -> None:
        self.steady = 1000.0

    def __call__(self) -> float:
        return self.steady


def test_a_backward_step_of_the_system_clock_stalls_no_job(env: Env) -> None:
    # the wall clock steps back an hour just after the jobs are set; on the steady clock, the due check
    # runs a minute later (and asks for the cycle a due thank-you needs), IDLE renewal, polling and the
    # calendar export each after their own period: none waits the hour out
    env.deliver(ACME)
    env.run_at("2026-11-26T12:00:00+01:00")
    settings = _settings(env)
    store = Store(settings.storage_path)
    signals = loop.Signals()
    clock = FakeClock()
    wall = [datetime.fromisoformat("2026-12-04T10:30:00+01:00")]
    try:
        daemon = loop.Loop(Cycle(settings, store, []), signals, Notifier(None), clock=clock)
        daemon.now = lambda: wall[0]  # type: ignore[method-assign]
        jobs = daemon._jobs(idle=False)
        jobs.jobs += daemon._jobs(idle=True).jobs  # IDLE renewal too (polling is there when IDLE is not)
        ran = watch(jobs)
        wall[0] -= timedelta(hours=1)  # the step: 09:30, still past the thank-you's 09:00

        clock.steady += 61
        daemon._tick(jobs)
        assert set(ran) == {"due follow-ups"} and daemon.wanted == "follow-up due"
        ran.clear()
        clock.steady += max(settings.imap.idle_renew, settings.scan.interval, loop.CALENDAR_REFRESH).total_seconds()
        daemon._tick(jobs)
        assert {"IDLE renewal", "poll", "calendar export"} <= set(ran), ran
    finally:
        signals.close()
        store.close()


def watch(jobs: timers.Timers) -> list[str]:
    """The names of the jobs as they run."""
    ran: list[str] = []
    for job in jobs.jobs:
        job.func = (lambda name, func: lambda: (ran.append(name), func())[1])(job.name, job.func)
    return ran


def test_human_durations() -> None:
    assert loop.human(0.7) == "0.7 s"
    assert loop.human(42) == "42 s"
    assert loop.human(300) == "5 min"
    assert loop.human(3700) == "1.0 h"
