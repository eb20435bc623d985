# SPDX-License-Identifier: MIT
"""The -wal file deleted under a running daemon: a `relance mark` run meanwhile would write to a new -wal
the daemon never reads, print ok and be lost. It refuses instead, in one line, and the daemon says so."""

from __future__ import annotations

from tests.conftest import SAMPLES, Env
from tests.harness.daemon_process import DaemonProcess, dated_now, query, wait_until

ACME = "01-google-invite-acme.eml"
GLOBEX = "02-outlook-teams-globex.eml"


def test_a_mark_after_the_wal_was_deleted_under_the_daemon_refuses_and_loses_nothing(env: Env) -> None:
    env.write_config(imap__idle=True)
    database = env.home / "relance.db"
    env.server.append("INBOX", dated_now((SAMPLES / ACME).read_bytes()))
    with DaemonProcess(env.config_path) as daemon:
        daemon.wait_for(r"waiting for mail in IDLE on INBOX")
        # the sample's interview is on a fixed day (3 December 2026) and the daemon runs on the real clock: the
        # record is what matters here, whether that day is ahead (scheduled) or past (interviewed)
        assert query(database, "SELECT count(*) FROM interviews") == [(1,)]
        wal = database.with_name("relance.db-wal")
        wal.unlink()

        listed = env.relance("list")
        marked = env.relance("mark", "1", "offer")

        for result in (listed, marked):
            assert result.code == 1, result.out
            assert str(wal) in result.err and "restart" in result.err, result.err
            assert len(result.err.strip().splitlines()) == 1, result.err
        mark = daemon.mark()
        env.server.append("INBOX", dated_now((SAMPLES / GLOBEX).read_bytes()))  # a cycle
        daemon.wait_for(r"relance.db-wal was deleted under the running relance", start=mark)
        daemon.wait_for(r"cycle done: 1 message read, 1 new interview,", start=mark)
        assert daemon.stop()[0] == 0

    # restarted, the daemon's own writes are all there (they went to the deleted -wal, checkpointed at exit)
    wait_until(lambda: len(query(database, "SELECT id FROM interviews")) == 2, 5, "both interviews kept")
    assert env.relance("mark", "1", "offer").code == 0
    assert [r["status"] for r in env.records() if r["id"] == 1] == ["offer"]
