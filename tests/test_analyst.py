# SPDX-License-Identifier: MIT
"""The second process of a backlog scan (daemon/run/analyst.py) gives what the cycle would have computed.

An analysis depends on the records only through rules.known_to; the
analyst's answer is used only when that has not changed; a dead analyst
leaves the scan to the cycle. Real processes, the test data's real mail.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from daemon.mail.imapdata import FetchedMessage
from daemon.run.analyst import Analyst, analysed
from daemon.understand import mime, rules
from daemon.understand.analysis import analyse
from daemon.understand.rules import known_to
from tests.test_corpus import RULES, SETTINGS

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"
RAWS = [p.read_bytes() for d in ("corpus", "samples") for p in sorted((DATA / d).glob("*.eml"))]


def fetched(raws: list[bytes]) -> list[FetchedMessage]:
    return [FetchedMessage("INBOX", uid, raw, ()) for uid, raw in enumerate(raws, start=1)]


def knowing(raw: bytes) -> rules.Context:
    """The records knowing this message's thread and its sender's company."""
    message = mime.parse(raw)
    domain = (message.from_email or "").rpartition("@")[2]
    return rules.Context(frozenset({message.message_id or "<x@y>", *message.references, message.in_reply_to or ""}),
                         frozenset({domain, domain.lower()}))


def test_an_analysis_depends_on_the_records_only_through_what_they_know_of_that_message() -> None:
    elsewhere = rules.Context(frozenset(f"<other-{n}@elsewhere.example>" for n in range(50)),
                              frozenset({"elsewhere.example", "unrelated.example"}))
    changed = 0
    for raw in RAWS:
        alone = analyse(raw, SETTINGS, RULES, rules.Context(), NOW, facts_of_none=False, every_match=False)
        assert known_to(alone.message, elsewhere) == known_to(alone.message, rules.Context())
        assert analyse(raw, SETTINGS, RULES, elsewhere, NOW, facts_of_none=False, every_match=False) == alone
        known = knowing(raw)
        if known_to(alone.message, known) != known_to(alone.message, rules.Context()):
            changed += analyse(raw, SETTINGS, RULES, known, NOW, facts_of_none=False, every_match=False) != alone
    assert changed > 0, "what the records know does change some analyses: the check is not idle"


def test_the_analyst_gives_what_the_cycle_would_have_computed() -> None:
    messages = fetched(RAWS)
    analyst = Analyst(SETTINGS, RULES)
    try:
        analyst.ahead(messages, rules.Context(), NOW)
        time.sleep(3)  # let it start (a new interpreter) and get through the batch's end
        for message in messages:
            outcome = analyst.take(message, rules.Context()) or analysed(message.raw, SETTINGS, RULES,
                                                                          rules.Context(), NOW)
            assert outcome.analysis == analysed(message.raw, SETTINGS, RULES, rules.Context(), NOW).analysis
        assert analyst.taken > len(messages) // 4
    finally:
        analyst.stop()
    assert analyst.pool is None


def test_a_message_whose_thread_became_known_meanwhile_is_analysed_again() -> None:
    raw = next(r for r in RAWS if known_to(mime.parse(r), knowing(r)) != (False, False, False))
    (message,) = fetched([raw])
    analyst = Analyst(SETTINGS, RULES)
    try:
        analyst.ahead([message], rules.Context(), NOW)
        future = analyst.pending[("INBOX", 1)]
        future.result(timeout=30)
        assert analyst.take(message, knowing(raw)) is None
        assert analyst.taken == 0
    finally:
        analyst.stop()


def test_an_analyst_reading_other_rules_than_the_cycle_is_not_listened_to() -> None:
    messages = fetched(RAWS[:20])
    analyst = Analyst(SETTINGS, [r for r in RULES if r.name != RULES[0].name])
    try:
        analyst.ahead(messages, rules.Context(), NOW)
        analyst.pending[("INBOX", 1)].result(timeout=30)
        assert all(analyst.take(m, rules.Context()) is None for m in messages)
        assert analyst.taken == 0
    finally:
        analyst.stop()


def test_a_dead_analyst_leaves_the_scan_to_the_cycle(caplog: pytest.LogCaptureFixture) -> None:
    messages = fetched(RAWS)
    analyst = Analyst(SETTINGS, RULES)
    try:
        analyst.ahead(messages, rules.Context(), NOW)
        assert analyst.ready is not None
        analyst.ready.result(timeout=30)
        assert analyst.pool is not None
        for pid in list(analyst.pool._processes):  # what the OOM killer would do
            os.kill(pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING, logger="daemon.run.analyst"):
            taken = [analyst.take(m, rules.Context()) for m in reversed(messages)]
        assert analyst.broken and analyst.pool is None
        assert sum(t is not None for t in taken) < len(messages)
        assert any("this scan goes on in one process" in r.getMessage() for r in caplog.records)
        analyst.ahead(messages, rules.Context(), NOW)  # not started again within this scan
        assert analyst.pool is None and not analyst.pending
    finally:
        analyst.stop()


DIES = """
import os, signal, sys, time
from datetime import datetime, UTC
from pathlib import Path
from daemon.mail.imapdata import FetchedMessage
from daemon.run.analyst import Analyst
from daemon.understand import rules
from tests.test_corpus import RULES, SETTINGS

if __name__ == "__main__":
    raws = [p.read_bytes() for p in sorted(Path("tests/data/corpus").glob("*.eml"))] * 5
    analyst = Analyst(SETTINGS, RULES)
    analyst.ahead([FetchedMessage("INBOX", n, r, ()) for n, r in enumerate(raws)], rules.Context(),
                  datetime.now(UTC))
    analyst.ready.result(timeout=60)
    print(*analyst.pool._processes, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of a backlog
"""


def test_the_analyst_ends_with_a_daemon_killed_with_minus_9(tmp_path: Path) -> None:
    script = tmp_path / "dies.py"
    script.write_text(DIES, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONPATH": "."})
    assert done.returncode == -signal.SIGKILL, done.stderr
    (pid,) = (int(p) for p in done.stdout.split())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], (
        "the analysis process outlived the daemon")
