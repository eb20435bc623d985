# SPDX-License-Identifier: MIT
"""Files only the user can read, in directories only the user can enter.

The records, the calendar, the feed token and the lock say whom the user
talks to and when: every file relance writes is 0600 and every directory it
makes is 0700, whatever the umask.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """path and each missing parent made 0700 (``mkdir -p`` would make the parents by the umask)."""
    missing = []
    for directory in (path, *path.parents):
        if directory.exists():
            break
        missing.append(directory)
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            directory.mkdir(mode=DIR_MODE)


def tighten(path: Path) -> None:
    """A file of ours that others can read (made by an older version, copied, restored) made 0600 again."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if mode & 0o077:
        log.warning("%s was readable by others; restricting it to 0600", path)
        path.chmod(FILE_MODE)
