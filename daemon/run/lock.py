# SPDX-License-Identifier: MIT
"""One running relance per records database: an advisory lock on a file beside it.

flock(2) is released by the kernel when the process dies, however it dies, so
a crash never leaves a stale lock behind; the file only carries the holder's
PID so that a second ``relance run`` can say who holds it. The file is kept
(emptied) on release: removing it would let a third process lock a new file
while a second one still holds the old, unlinked one.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from types import TracebackType

from daemon.errors import UserError
from daemon.private import private_dir, tighten

log = logging.getLogger(__name__)


class AlreadyRunning(UserError):
    pass


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        private_dir(self.path.parent)
        tighten(self.path)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"PID {holder}" if holder else "another process"
            raise AlreadyRunning(
                f"{self.database}: relance is already running ({who} holds {self.path}); stop it first"
            ) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        log.debug("lock %s taken by PID %d", self.path, os.getpid())

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
