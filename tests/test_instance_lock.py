# SPDX-License-Identifier: MIT
"""One daemon per records database, whatever name the database is reached by: a symlink or a hard link to
the database of a running daemon is refused, and deleting the lock file under it does not open the door."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Env
from tests.harness.daemon_process import DaemonProcess


def symlinked(database: Path, other: Path) -> None:
    other.symlink_to(database)


def hard_linked(database: Path, other: Path) -> None:
    os.link(database, other)


def running_daemon(env: Env) -> DaemonProcess:
    env.write_config(imap__idle=True)
    daemon = DaemonProcess(env.config_path)
    daemon.wait_for(r"waiting for mail in IDLE on INBOX")
    return daemon


@pytest.mark.parametrize("link", [symlinked, hard_linked], ids=["symlink", "hard link"])
def test_a_second_daemon_on_the_same_database_under_another_name_is_refused(
        env: Env, link: Callable[[Path, Path], None]) -> None:
    database = env.home / "relance.db"
    with running_daemon(env) as daemon:
        other_dir = env.home / "elsewhere"
        other_dir.mkdir()
        link(database, other_dir / "records.db")
        env.write_config(imap__idle=True, storage__path=str(other_dir / "records.db"))

        second = env.relance("run", "--once")

        assert second.code == 1, second.err
        assert "already running" in second.err, second.err
        assert len(second.err.strip().splitlines()) == 1, second.err
        assert daemon.stop()[0] == 0


def test_deleting_the_lock_file_under_a_running_daemon_keeps_the_database_locked(env: Env) -> None:
    with running_daemon(env) as daemon:
        (env.home / "relance.db.lock").unlink()

        second = env.relance("run", "--once")

        assert second.code == 1, second.err
        assert "already running" in second.err, second.err
        assert daemon.stop()[0] == 0


def test_the_lock_file_names_the_pid_through_a_symlink_too(env: Env) -> None:
    database = env.home / "relance.db"
    with running_daemon(env) as daemon:
        (env.home / "link.db").symlink_to(database)
        env.write_config(imap__idle=True, storage__path=str(env.home / "link.db"))

        second = env.relance("run", "--once")

        assert second.code == 1
        assert f"PID {daemon.pid}" in second.err, second.err
        assert daemon.stop()[0] == 0
