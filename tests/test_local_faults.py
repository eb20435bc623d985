# SPDX-License-Identifier: MIT
"""Local faults end in one line naming the file, never a traceback: a damaged page of the records
database, a -shm file left read-only, a full disk when the lock file is written at start-up."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Env
from tests.harness.daemon_process import REPO

PAGE = 4096


def add_interviews(env: Env, count: int = 6) -> None:
    for day in range(1, count + 1):
        result = env.relance("add", "--company", f"Acme {day}", "--start", f"2026-12-0{day}T10:00",
                             "--now", "2026-11-20T10:00")
        assert result.code == 0, result.err


def damage_every_page_but_the_first(database: Path) -> None:
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, where the damage goes
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    with open(database, "r+b") as out:
        for page in range(1, pages):
            out.seek(page * PAGE)
            out.write(b"\xde\xad\xbe\xef" * 4)  # the b-tree page header: type and cell counts


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("command", [("run", "--once"), ("list",), ("calendar",), ("mark", "1", "called")],
                         ids=["run", "list", "calendar", "mark"])
def test_a_damaged_database_page_is_one_line_naming_the_database(env: Env, command: tuple[str, ...]) -> None:
    add_interviews(env)
    database = env.home / "relance.db"
    damage_every_page_but_the_first(database)

    result = env.relance(*command)

    assert result.code == 1
    line = one_line(result.err)
    assert str(database) in line and "damaged" in line, line


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made unwritable: 0400 for a user; root ignores modes, so the immutable attribute there."""
    if os.geteuid() != 0:
        path.chmod(0o400)
        yield
        return
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def leave_shm_behind(database: Path) -> Path:
    """A process that had the database open in WAL mode and died: its -shm stays."""
    code = ("import sqlite3, os, sys; db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA journal_mode=WAL');"
            "db.execute('SELECT count(*) FROM interviews').fetchone(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(database)], check=True)
    shm = database.with_name(database.name + "-shm")
    assert shm.exists()
    return shm


@pytest.mark.parametrize("command", [("run", "--once"), ("mark", "1", "called")], ids=["run", "mark"])
def test_a_read_only_shm_file_is_one_line_naming_it(env: Env, command: tuple[str, ...]) -> None:
    add_interviews(env, 1)
    shm = leave_shm_behind(env.home / "relance.db")

    with read_only(shm):
        result = env.relance(*command)

    assert result.code == 1
    line = one_line(result.err)
    assert str(shm) in line, line


def test_a_full_disk_when_the_lock_file_is_written_is_one_line(env: Env) -> None:
    def no_room() -> None:
        # a file size limit of 0 fails every write to a file as a full disk would (EFBIG, not ENOSPC),
        # and needs no root to set up; SIGXFSZ ignored so that the write fails instead of killing
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    result = subprocess.run([sys.executable, "-m", "daemon", "--config", str(env.config_path), "run", "--once"],
                            cwd=REPO, capture_output=True, text=True, timeout=60, preexec_fn=no_room)

    assert result.returncode == 1, result.stderr
    line = one_line(result.stderr)
    assert "relance.db.lock" in line and "cannot write" in line, line
