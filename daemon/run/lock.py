# SPDX-License-Identifier: MIT
"""One running relance per records database: a lock on the database file itself.

The lock is an open-file-description lock (``F_OFD_SETLK``) on one byte of
the database file far from the bytes SQLite locks, so it belongs to the file's
identity (device, inode), not to the path it was named by: a second daemon
reaching the same database through a symlink or a hard link is refused too.
Unlike a POSIX lock, it is not dropped when SQLite closes another descriptor
of the same file, and the kernel releases it when the process dies, however
it dies, so a crash never leaves a stale lock behind.

The ``.lock`` file beside the database only tells a second ``relance run``
which PID holds the lock; it holds nothing itself. Deleting it under a
running daemon therefore changes nothing but that message: the lock stays.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import struct
from pathlib import Path
from types import TracebackType

from daemon.errors import UserError
from daemon.private import private_dir, tighten

log = logging.getLogger(__name__)

# SQLite locks bytes 0x40000000 to 0x400001FF of the database file (PENDING, RESERVED, SHARED);
# this byte is well away from them, so the lock never stands in SQLite's way (nor it in ours).
LOCK_OFFSET = 0x60000000


class AlreadyRunning(UserError):
    pass


def lock_path(database: Path) -> Path:
    """Where the holder's PID is written: beside the database's real file, whatever name it was given."""
    real = database.resolve()
    return real.with_name(real.name + ".lock")


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = _open_database(self.database)
        except OSError as exc:
            raise UserError(f"{self.database}: cannot open the records: {exc.strerror}") from None
        try:
            _lock(fd)
        except BlockingIOError:
            os.close(fd)
            holder = _holder(self.path)
            who = f"PID {holder}" if holder else "another process"
            raise AlreadyRunning(
                f"{self.database}: relance is already running ({who} holds {self.path}); stop it first"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise UserError(f"{self.database}: cannot lock the records: {exc.strerror}") from None
        self._fd = fd
        try:
            _write_pid(self.path)
        except OSError as exc:
            self.release()
            raise UserError(f"{self.path}: cannot write the lock file: {exc.strerror}") from None
        log.debug("%s locked by PID %d", self.database, os.getpid())

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _clear_pid(self.path)
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _open_database(database: Path) -> int:
    private_dir(database.parent)
    tighten(database)
    # created 0600 here if new, as Store would: it holds who the user talks to
    return os.open(database, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


def _lock(fd: int) -> None:
    """An exclusive lock on LOCK_OFFSET; BlockingIOError when another open file holds it."""
    command = getattr(fcntl, "F_OFD_SETLK", None)
    if command is None:  # not Linux: flock, also tied to the file and not to its name
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    # struct flock: l_type, l_whence (short), l_start, l_len (off_t), l_pid (int); l_pid 0 for OFD locks
    request = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, LOCK_OFFSET, 1, 0)
    try:
        fcntl.fcntl(fd, command, request)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise BlockingIOError(exc.errno, exc.strerror) from None
        raise


def held_elsewhere(database: Path) -> bool:
    """Whether a running relance holds the lock on this database (another process, or another open file)."""
    command = getattr(fcntl, "F_OFD_GETLK", None)
    if command is None:
        return False
    try:
        fd = os.open(database, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        asked = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, LOCK_OFFSET, 1, 0)
        kind = struct.unpack("hhqqi", fcntl.fcntl(fd, command, asked))[0]
    except OSError:
        return False
    finally:
        os.close(fd)
    return bool(kind != fcntl.F_UNLCK)


def _write_pid(path: Path) -> None:
    tighten(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        data = f"{os.getpid()}\n".encode()
        if os.write(fd, data) != len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    finally:
        os.close(fd)


def _clear_pid(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
    except OSError:
        return  # deleted meanwhile: nothing to clear
    os.close(fd)


def _holder(path: Path) -> int | None:
    """The PID the lock file names, when that process still exists (the file may be older than the lock)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    pid = int(text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # another user's process: it exists
    return pid
