# SPDX-License-Identifier: MIT
"""The first scan's progress bar on an interactive terminal (presentation: only cli uses it).

tqdm rather than rich: one small pure-Python package with no dependencies of
its own, a rate and an estimate out of the box, and a helper that routes log
lines above the bar instead of through it. Elsewhere (systemd, a pipe) the
scan logs a line every 10% by itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Never, TextIO

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

# A scan that ends sooner than this never shows a bar: new mail needs none.
SHOW_AFTER_SECONDS = 1.0


class TerminalBar:
    """One bar per folder being scanned, with the count, the rate and the time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bars: dict[str, tqdm[Never]] = {}

    def __call__(self, folder: str, done: int, total: int) -> None:
        bar = self.bars.get(folder)
        if bar is None:
            bar = tqdm(total=total, desc=f"scanning {folder}", unit="msg", unit_scale=True,
                       file=self.stream, delay=SHOW_AFTER_SECONDS, leave=True, dynamic_ncols=True)
            self.bars[folder] = bar
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            del self.bars[folder]

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def wanted(stream: TextIO, environ: dict[str, str]) -> bool:
    """A bar only for a person at a terminal: not under systemd (JOURNAL_STREAM) nor into a pipe."""
    return stream.isatty() and not environ.get("JOURNAL_STREAM")


@contextlib.contextmanager
def on_terminal(stream: TextIO, environ: dict[str, str]) -> Iterator[TerminalBar | None]:
    """A progress bar while the block runs, when a person is watching; else None."""
    if not wanted(stream, environ):
        yield None
        return
    bar = TerminalBar(stream)
    try:
        with logging_redirect_tqdm():
            yield bar
    finally:
        bar.close()
