# SPDX-License-Identifier: MIT
"""The daemon rewrites the calendar file only when what it shows has changed."""

from __future__ import annotations

from datetime import datetime

from daemon import config
from daemon.followups.records import Store
from daemon.run.cycle import Cycle
from daemon.understand import rules
from tests.conftest import Env


def test_unchanged_records_leave_the_file_alone_and_any_change_rewrites_it(env: Env) -> None:
    env.deliver("01-google-invite-acme.eml")
    env.run_at("2026-11-26T12:00:00+01:00")
    settings = config.load(env.config_path)
    store = Store(settings.storage_path)
    try:
        cycle = Cycle(settings, store, rules.load_rules())
        now = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
        cycle.run(now, None)
        first = env.calendar_path.stat().st_mtime_ns, env.calendar_path.stat().st_ino
        cycle.run(now.replace(minute=5), None)
        assert (env.calendar_path.stat().st_mtime_ns, env.calendar_path.stat().st_ino) == first

        # another process (the CLI) marks the call done: the next cycle shows it gone
        assert env.relance("mark", "1", "called", "--now", "2026-11-27T12:06:00+01:00").code == 0
        env.calendar_path.write_bytes(b"stale")
        cycle.run(now.replace(minute=7), None)
        text = env.calendar_path.read_text(encoding="utf-8")
        assert "BEGIN:VCALENDAR" in text
        assert "Appeler" not in text
    finally:
        store.close()


def test_the_calendar_file_has_its_time_zones_and_no_comment_about_their_range(env: Env) -> None:
    """A user opening relance.ics finds VTIMEZONEs, and no "This timezone only works from …" line."""
    env.deliver("01-google-invite-acme.eml")
    env.run_at("2026-11-26T12:00:00+01:00")
    text = env.calendar_path.read_bytes().decode("utf-8")
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" in text
    assert "COMMENT" not in text and "only works" not in text
