# SPDX-License-Identifier: MIT
"""`make bench`: relance's scan against a throwaway Dovecot at 20,000 and 100,000 messages.

Every figure of the table is measured in this one run, on this machine, over
loopback. See bench/README.md for what each line means and the last results.

    python -m bench.run [--sizes 20000,100000] [--arrivals 20] [--mix realistic|sparse] [--before REV]
                        [--before-scan REV] [--keep]
    python -m bench.run --only-costs    # the per message costs and the patterns on a megabyte, no Dovecot
    python -m bench.run --costs [ROUNDS]  # issue 12's figure alone, against the BEFORE engine (about a minute)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import logging
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bench import mailgen
from tests.harness.dovecot import Dovecot, start_dovecot

log = logging.getLogger("bench")

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / ".bench"
# What relance needs to decide whether to look further, as a plain client would ask for it.
RAW_ITEMS = ("(UID BODY.PEEK[HEADER.FIELDS (FROM TO CC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO "
             "REFERENCES LIST-UNSUBSCRIBE CONTENT-TYPE)] BODYSTRUCTURE)")
RAW_BATCH = 500
LOOKBACK_DAYS = 800  # the bench mailbox spans two years: the first scan reads all of it
# The commit whose rules engine is measured as "before" in the same run (issue 13's starting point).
BEFORE = "5814d7a"
# The commit whose first scan is measured as "before" in the same run (the second round of issue 13 started
# there: evidence scoring and personal mail read whole in, batches of candidates not yet in one transaction).
BEFORE_SCAN = "5a90fc8"
MIXES = {"realistic": mailgen.REALISTIC, "sparse": mailgen.Mix()}


# --- the mailbox


def fill(server: Dovecot, start: int, count: int, end: datetime, mix: mailgen.Mix) -> dict[str, float]:
    """Write messages into the maildir, then let Dovecot index them with one SELECT."""
    maildir, owner = mailgen.harness_maildir(server.workdir, server.user)
    began = time.monotonic()
    written = mailgen.fill_maildir(maildir, start, count, end=end, owner=owner, mix=mix)
    wrote = time.monotonic() - began
    with server.imap() as client:
        began = time.monotonic()
        typ, data = client.select("INBOX", readonly=True)
        indexed = time.monotonic() - began
    assert typ == "OK" and int(data[0]) == start + count, data
    return {"seconds_write": wrote, "seconds_index": indexed, "megabytes": written / 1e6}


def forget_cache(server: Dovecot) -> None:
    """Restart Dovecot without its cache file, so that each measured client starts from the same state."""
    server.stop()
    maildir, _owner = mailgen.harness_maildir(server.workdir, server.user)
    (maildir / "dovecot.index.cache").unlink(missing_ok=True)
    server.restart()


# --- the raw limit


def raw_limit(server: Dovecot, batch: int = RAW_BATCH) -> tuple[float, int]:
    """A plain imaplib client fetching what decides, in batches: seconds, messages."""
    with server.imap() as client:
        typ, data = client.select("INBOX", readonly=True)
        total = int(data[0])
        began = time.monotonic()
        seen = 0
        for first in range(1, total + 1, batch):
            typ, fetched = client.fetch(f"{first}:{min(first + batch - 1, total)}", RAW_ITEMS)
            assert typ == "OK", fetched
            seen += sum(1 for item in fetched if isinstance(item, tuple))
        return time.monotonic() - began, seen


# --- relance, in a process of its own so that its memory is its own


def write_config(server: Dovecot, home: Path) -> Path:
    password_file = home / "imap-password"
    password_file.write_text(server.password + "\n")
    password_file.chmod(0o600)
    config = {
        "imap": {"host": server.host, "port": server.port, "security": "plain", "username": server.user,
                 "password_file": str(password_file), "idle": True},
        "identity": {"name": "Alice Martin", "email": "alice@example.org", "key_skills": ["SQL"]},
        "language": "fr",
        "timezone": "Europe/Paris",
        "storage": {"path": str(home / "relance.db")},
        "calendar": {"path": str(home / "relance.ics")},
        "scan": {"lookback_days": LOOKBACK_DAYS},
    }
    path = home / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def child_scan(config_path: Path, idle_cycles: int) -> dict[str, Any]:
    """In the child: the first scan from an empty database, then cycles with no new mail."""
    from daemon import config
    from daemon.followups.records import Store
    from daemon.model import CycleReport
    from daemon.run import loop
    from daemon.run.cycle import Cycle
    from daemon.understand import rules

    settings = config.load(config_path)
    rule_set = rules.load_rules(settings.rule_paths, settings.rules_disabled)
    store = Store(settings.storage_path)
    svc = Cycle(settings, store, rule_set)
    began = time.monotonic()
    svc.load_data(datetime.now(UTC))  # as `relance run` does at start, before its first cycle
    load_seconds = time.monotonic() - began
    with loop.connect(settings) as mailbox:
        began = time.monotonic()
        report = svc.run(datetime.now(UTC), mailbox)
        scan_seconds = time.monotonic() - began
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # the scan's second process (run/analyst.py), ended and waited for by the end of the scan
        children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        full_fetches, scan_commands = mailbox.full_fetches, mailbox.commands
        quiet_scan, quiet_cycle = [], []
        for _ in range(idle_cycles):
            # the scan step alone (what new mail costs to notice), then the whole cycle
            mailbox.commands = 0
            began = time.perf_counter()
            for folder in settings.imap.folders:
                svc.scan_folder(mailbox, folder, datetime.now(UTC), CycleReport())
            quiet_scan.append((time.perf_counter() - began, mailbox.commands))
            mailbox.commands = 0
            began = time.perf_counter()
            svc.run(datetime.now(UTC), mailbox)
            quiet_cycle.append((time.perf_counter() - began, mailbox.commands))
    interviews = store.db.execute("SELECT count(*) FROM interviews").fetchone()[0]
    store.close()
    return {"seconds": scan_seconds, "load_seconds": load_seconds, "scanned": report.scanned, "peak_rss_kb": peak_kb,
            "children_rss_kb": children_kb,
            "full_fetches": full_fetches, "commands": scan_commands, "interviews": interviews,
            "quiet_scan_ms": statistics.median(q[0] for q in quiet_scan) * 1000,
            "quiet_ms": statistics.median(q[0] for q in quiet_cycle) * 1000,
            "quiet_commands": max(q[1] for q in quiet_cycle)}


def relance_scan(server: Dovecot, home: Path, tree: Path = ROOT) -> dict[str, Any]:
    """The first scan by the code of ``tree`` (this work tree, or the "before" commit's files)."""
    for name in ("relance.db", "relance.db-wal", "relance.db-shm", "relance.ics"):
        (home / name).unlink(missing_ok=True)
    config_path = write_config(server, home)
    command = [sys.executable, "-m", "bench.run", "child-scan", str(config_path)]
    # -m puts the working directory first on sys.path: the tree's own daemon package is the one imported
    done = subprocess.run(command, capture_output=True, text=True, cwd=tree, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"relance scan failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["log"] = [line for line in done.stderr.splitlines() if "looked at" in line or "second process" in line]
    return result


# --- per message costs, in this process


def before_tree(rev: str) -> Path:
    """The files of commit ``rev`` (git archive, nothing written in the repository), for the "before" figures."""
    target = WORKDIR / f"before-{rev}"
    if not target.exists():
        archive = subprocess.run(["git", "archive", "--format=tar", rev, "daemon", "bench", "rules", "tests"],
                                 cwd=ROOT, capture_output=True, check=True).stdout
        target.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def module_of(tree: Path, path: str) -> Any:
    """daemon/PATH of another tree, importable beside this one (its imports are this daemon's)."""
    spec = importlib.util.spec_from_file_location("daemon._before_" + path.replace("/", "_")[:-3],
                                                  tree / "daemon" / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_config_for_costs() -> Path:
    """A configuration for analyse() in this process: no server is asked anything."""
    home = WORKDIR / "costs"
    home.mkdir(parents=True, exist_ok=True)
    config = {"imap": {"host": "localhost", "username": "alice@example.org", "password_file": str(home / "none")},
              "identity": {"name": "Alice Martin", "email": "alice@example.org", "key_skills": ["SQL"]},
              "language": "fr", "timezone": "Europe/Paris",
              "storage": {"path": str(home / "relance.db")}, "calendar": {"path": str(home / "relance.ics")}}
    path = home / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def rules_module_of(tree: Path) -> Any:
    """daemon/rules.py of another tree, importable beside this one (its relative imports are this daemon's:
    from before the rooms, it asks for daemon.textdates, whose own_text now lives in daemon.understand.quotes)."""
    from daemon.understand import quotes

    sys.modules.setdefault("daemon.textdates", quotes)
    spec = importlib.util.spec_from_file_location("daemon._rules_before", tree / "daemon" / "rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def per_message(items: list[Any], work: Callable[[Any], object]) -> list[float]:
    """Microseconds of work(item), item by item."""
    costs = []
    for item in items:
        began = time.perf_counter()
        work(item)
        costs.append((time.perf_counter() - began) * 1e6)
    return costs


def median_p99(costs: list[float]) -> tuple[float, float]:
    ordered = sorted(costs)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * len(ordered)))]


def unit_costs(mix: mailgen.Mix, before: str | None, before_scan: str | None = None,
               sample: int = 4_000) -> dict[str, Any]:
    """Microseconds: the first look per message; for each message the first look would read whole,
    mime.parse and the classification (before and after, one message at a time, interleaved in one
    run); extraction per candidate."""
    from daemon import config
    from daemon.understand import analysis, extract, ical, mime, rules

    rule_set = rules.load_rules()
    now = datetime.now(UTC)
    raws = [raw for _when, raw in mailgen.messages(0, sample, end=now, mix=mix)]
    judge = first_look(rule_set, now)
    fields = re.compile(rb"^(?:" + b"|".join(f.encode() for f in judge.fields) + rb"):.*(?:\r\n[ \t].*)*\r\n",
                        re.IGNORECASE | re.MULTILINE)
    headers = [b"".join(m[0] for m in fields.finditer(mime.header_block(raw))) for raw in raws]
    began = time.perf_counter()
    for header in headers:
        judge.judge_header(header, None, rules.Context())
    look_us = (time.perf_counter() - began) / len(headers) * 1e6
    whole = [raw for raw in raws if judge.judge_file(raw, rules.Context()).candidate]
    parse_us = per_message(whole, mime.parse)
    read = parsed(whole)
    after_us = per_message(read, lambda m: rules.classify(rule_set, m[0], m[1], every=False))
    explain_us = per_message(read, lambda m: rules.classify(rule_set, m[0], m[1]))
    evidence_us = per_message(read, decided_by(rule_set, now))
    result: dict[str, Any] = {"look_us": look_us, "sample": len(raws), "whole": len(whole),
                              "parse": median_p99(parse_us), "after": median_p99(after_us),
                              "explain": median_p99(explain_us), "evidence": median_p99(evidence_us)}
    if before:
        old, old_rules = before_engine(before)
        result["before"] = median_p99(per_message(read, lambda m: old.classify(old_rules, m[0], m[1])))
        kinds = [(c.kind, c.rule) for c in (rules.classify(rule_set, m, e, every=False) for m, e in read)]
        # the rule files changed since (whole-word look-alikes, evidence): the kinds need not all be the same
        result["alike"] = sum(k == (c.kind, c.rule) for k, c in zip(kinds, (old.classify(old_rules, m, e)
                                                                              for m, e in read), strict=True))
    calendars = [m.calendars for m, _e in read if m.calendars]
    result["ical"] = median_p99(per_message(calendars, lambda parts: [ical.parse_calendar(p) for p in parts]))
    if before_scan:
        old_ical = module_of(before_tree(before_scan), "understand/ical.py")
        result["ical_before"] = median_p99(per_message(calendars, lambda parts: [old_ical.parse_calendar(p)
                                                                                 for p in parts]))
    settings = config.load(write_config_for_costs())
    result["analyse"] = median_p99(per_message(whole, lambda raw: analysis.analyse(
        raw, settings, rule_set, rules.Context(), now, facts_of_none=False, every_match=False)))
    candidates = [m for m, e in read if rules.classify(rule_set, m, e, every=False).kind != "none"]
    began = time.perf_counter()
    for message in candidates:
        extract.extract(message, [], tz="Europe/Paris", default_language="fr",
                        user_emails={"alice@example.org"}, now=now)
    result["extract_us"] = (time.perf_counter() - began) / max(len(candidates), 1) * 1e6
    result["candidates"] = len(candidates)
    return result


def first_look(rule_set: list[Any], now: datetime) -> Any:
    """The scan's header first look, for the user of write_config, its reach for personal mail counted from
    ``now`` (the sample spans the mix's two years)."""
    from daemon.mail import firstlook_headers

    return firstlook_headers.HeaderLook(rule_set, frozenset({"alice@example.org"}), now=now)


def parsed(whole: list[bytes]) -> list[tuple[Any, list[Any]]]:
    """Each message read whole, parsed, with its calendar parts' events: what the classification is given."""
    from daemon.text import fold
    from daemon.understand import ical, mime

    read = []
    for raw in whole:
        message = mime.parse(raw)
        read.append((message, [e for part in message.calendars for e in ical.parse_calendar(part, default_tz="UTC")]))
    fold("é\U0001f600")  # the fold's tables are built once per process, before the clock runs
    return read


def decided_by(rule_set: list[Any], now: datetime) -> Callable[[tuple[Any, Any]], object]:
    """The classification as the scan makes it before any extraction: the rules, then the evidence's bound
    and score (issue 12's figure)."""
    from daemon.model import Facts
    from daemon.understand import evidence, rules

    model = evidence.model_for(())
    seen = evidence.Seen(user_emails=frozenset({"alice@example.org"}), now=now,
                         rule_kinds={r.name: r.kind for r in rule_set})

    def decided(item: tuple[Any, Any]) -> object:
        message, events = item
        found = rules.classify(rule_set, message, events, every=False)
        words = evidence.read_words(model, message, events, seen)
        evidence.could_be_invitation(model, found, message, events, seen, words)
        return evidence.decide(model, found, message, events, Facts(), seen, words)

    return decided


def before_engine(rev: str) -> tuple[Any, Any]:
    """The rules module of commit ``rev`` and its rules, to classify the same messages with."""
    old = rules_module_of(before_tree(rev))
    return old, old.load_rules()


def classification_costs(mix: mailgen.Mix, before: str | None, rounds: int, sample: int = 4_000) -> list[str]:
    """`--costs`: issue 12's figure alone, the classification with the evidence weighed per message read whole,
    and the BEFORE engine's on the same messages, a pass of each in turn, ``rounds`` times (the machine is
    shared: the ratio of one round is steadier than either figure). Lines to print, the last one the medians over
    the rounds. Each engine has a pass of its own, as in unit_costs: one message at a time by both in turn
    slows both, the new one most (0.8 of the old one's cost, against 0.55 in passes apart)."""
    from daemon.understand import rules

    rule_set = rules.load_rules()
    now = datetime.now(UTC)
    judge = first_look(rule_set, now)
    read = parsed([raw for _when, raw in mailgen.messages(0, sample, end=now, mix=mix)
                   if judge.judge_file(raw, rules.Context()).candidate])
    decided = decided_by(rule_set, now)
    old = before_engine(before) if before else None
    lines, figures = [f"{len(read)} messages read whole of {sample:,}; median / p99 (µs)"], []
    for round_ in range(1, rounds + 1):
        after = median_p99(per_message(read, decided))
        was = median_p99(per_message(read, lambda m: old[0].classify(old[1], m[0], m[1]))) if old else (0.0, 0.0)
        figures.append((*after, *was))
        lines.append(_costs_line(f"round {round_}", figures[-1]))
    lines.append(_costs_line("median", tuple(statistics.median(f[i] for f in figures) for i in range(4))))
    return lines


def _costs_line(name: str, figure: tuple[float, ...]) -> str:
    after_median, after_p99, before_median, before_p99 = figure
    line = f"{name}: with the evidence {after_median:.0f} / {after_p99:.0f}"
    if before_median:
        line += (f"; BEFORE engine {before_median:.0f} / {before_p99:.0f} "
                 f"(after/before {after_median / before_median:.2f})")
    return line


def worst_texts(pattern: str, size: int) -> list[str]:
    """Texts of ``size`` characters most likely to make ``pattern`` try hard: its own words and
    letters over and over, with and without spaces and line ends; a run of one letter; spaces."""
    from daemon.understand import patterns

    words = sorted(patterns.needles(pattern, re.MULTILINE) or ()) or re.findall(r"[a-z]{2,}", pattern)[:20] or ["a"]
    prefixes = sorted({w[: max(1, len(w) - 1)] for w in words})  # almost a match, every time
    texts = []
    for unit in (" ".join(words) + " ", " ".join(prefixes) + " ", "".join(prefixes), "re: ", "a", " "):
        texts.append((unit * (size // len(unit) + 1))[:size])
    texts.append(("\n".join(words) + "\n") * (size // (len(" ".join(words)) + 1) + 1))
    return [t[:size] for t in texts]


def pattern_growth(largest: int = 2_000_000, budget: float = 0.5) -> dict[str, Any]:
    """For every shipped pattern, how the search time of its worst texts grows when they double, up to
    ``largest`` characters: twice as long for a linear pattern, four times for one that backtracks over
    the whole text (quadratic), more for worse. A pattern is doubled no further once one search takes
    ``budget`` seconds: a quadratic one would take hours at a megabyte, and its ratio shows at 64 kB."""
    import yaml as yaml_module

    from daemon.text import fold
    from daemon.understand import rules

    found: list[tuple[float, int, float, str]] = []
    for path in sorted(rules.shipped_rules_dir().glob("*.yaml")):
        if path.name == rules.EVIDENCE_FILE:
            continue  # weights and word lists, no patterns of rules
        for rule in yaml_module.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            for raw_pattern in rules.condition_patterns(rule["when"]):
                pattern = fold(raw_pattern)
                ratio, size, seconds = _growth(re.compile(pattern, re.MULTILINE), largest, budget)
                found.append((ratio, size, seconds, f"{rule['name']}: {raw_pattern[:40]}"))
    found.sort(reverse=True)
    return {"patterns": len(found), "worst_ratio": found[0][0], "worst_pattern": found[0][3],
            "worst_size": found[0][1], "smallest_reach": min(f[1] for f in found),
            "slowest_s": max(f[2] for f in found)}


def _growth(compiled: re.Pattern[str], largest: int, budget: float) -> tuple[float, int, float]:
    """(time ratio of the last doubling, the size reached, the slowest search) over the worst texts."""
    size, previous, ratio, seconds = 32_000, 0.0, 0.0, 0.0
    while size <= largest:
        slowest = 0.0
        for text in worst_texts(compiled.pattern, size):
            began = time.perf_counter()
            compiled.search(text)
            slowest = max(slowest, time.perf_counter() - began)
        if previous:
            ratio = slowest / max(previous, 1e-6)
        seconds = max(seconds, slowest)
        if slowest > budget:
            break
        previous, size = slowest, size * 2
    return ratio, min(size, largest), seconds


# --- arrival to record, through `relance run` and IDLE


def invitation(n: int) -> bytes:
    when = datetime.now(UTC)
    raw = mailgen.plain_invitation(random.Random(n), 900_000 + n, when)
    return raw.replace(b"Message-ID: <", b"Message-ID: <arrival-%d." % n, 1)


def message_id_of(raw: bytes) -> str:
    start = raw.index(b"Message-ID: ") + len(b"Message-ID: ")
    return raw[start:raw.index(b"\r\n", start)].decode()


@contextlib.contextmanager
def daemon(config_path: Path, home: Path) -> Iterator[subprocess.Popen[bytes]]:
    log_file = (home / "daemon.log").open("wb")
    command = [sys.executable, "-m", "daemon", "--config", str(config_path), "run"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()


def wait_for(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.005)
    return False


def arrivals(server: Dovecot, config_path: Path, home: Path, count: int) -> list[float]:
    """Seconds from the end of each APPEND to the interview in the records, the daemon in IDLE."""
    database = home / "relance.db"

    def recorded(message_id: str) -> bool:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT 1 FROM interviews WHERE message_id=?", (message_id,)).fetchone() is not None
        except sqlite3.OperationalError:  # not created yet
            return False
        finally:
            db.close()

    found: list[float] = []
    with daemon(config_path, home) as proc:
        # ready: the first cycle is over when a first message has gone through
        warm = invitation(0)
        server.append("INBOX", warm)
        if not wait_for(lambda: recorded(message_id_of(warm)), 120):
            raise RuntimeError(f"the daemon recorded nothing (exit {proc.poll()}); see {home / 'daemon.log'}")
        time.sleep(1.0)  # back in IDLE
        for n in range(1, count + 1):
            raw = invitation(n)
            server.append("INBOX", raw)
            began = time.monotonic()
            if not wait_for(lambda raw=raw: recorded(message_id_of(raw)), 30):
                raise RuntimeError(f"arrival {n} not recorded within 30 s; see {home / 'daemon.log'}")
            found.append(time.monotonic() - began)
            time.sleep(random.Random(n).uniform(0.2, 0.6))
    return found


# --- the report


@dataclass
class SizeResult:
    size: int
    fill: dict[str, float]
    raw_cold: float
    raw_warm: float
    scan: dict[str, Any]
    before: dict[str, Any] | None = None  # the first scan by the BEFORE commit, same mailbox, same run

    @property
    def raw_rate(self) -> float:
        return self.size / self.raw_cold

    @property
    def scan_rate(self) -> float:
        return float(self.scan["scanned"]) / float(self.scan["seconds"])


@dataclass
class Report:
    sizes: list[SizeResult] = field(default_factory=list)
    costs: dict[str, Any] = field(default_factory=dict)
    arrivals: list[float] = field(default_factory=list)
    growth: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        lines = ["| figure | " + " | ".join(f"{r.size:,} messages" for r in self.sizes) + " | target |",
                 "| --- | " + " | ".join("---" for _ in self.sizes) + " | --- |"]

        def row(name: str, values: list[str], target: str) -> None:
            lines.append(f"| {name} | " + " | ".join(values) + f" | {target} |")

        row("mailbox (MB; s to write what was added + s to index it)", [
            f"{r.fill['megabytes']:,.0f} ({r.fill['seconds_write']:.0f} + {r.fill['seconds_index']:.1f})"
            for r in self.sizes], "")
        row("raw limit, cold server cache (msg/s)", [f"{r.raw_rate:,.0f}" for r in self.sizes], "")
        row("raw limit, warm server cache (msg/s)", [f"{r.size / r.raw_warm:,.0f}" for r in self.sizes], "")
        row("relance first scan (msg/s)", [f"{r.scan_rate:,.0f} ({r.scan['seconds']:.1f} s)" for r in self.sizes], "")
        row("relance start before it: data loaded (s; not in the scan's time)",
            [f"{r.scan['load_seconds']:.2f}" for r in self.sizes], "")
        row("**ratio to the raw limit (cold)**", [f"**{r.scan_rate / r.raw_rate:.3f}**" for r in self.sizes],
            ">= 0.1 (realistic mix)")
        row("before (BEFORE_SCAN commit, same mailbox): first scan (msg/s; ratio to the raw limit, cold; "
            "after/before; fetched whole; interviews)", [
            f"{r.before['scanned'] / r.before['seconds']:,.0f} ({r.before['seconds']:.1f} s; "
            f"{r.before['scanned'] / r.before['seconds'] / r.raw_rate:.3f}; "
            f"{r.scan_rate / (r.before['scanned'] / r.before['seconds']):.2f}; "
            f"{r.before['full_fetches']:,}; {r.before['interviews']})" if r.before else "-"
            for r in self.sizes], "")
        row("ratio to the raw limit (warm)", [f"{r.scan_rate * r.raw_warm / r.size:.2f}" for r in self.sizes], "")
        row("fetched whole (candidates)", [f"{r.scan['full_fetches']:,}" for r in self.sizes], "")
        row("interviews recorded", [f"{r.scan['interviews']:,}" for r in self.sizes], "")
        row("IMAP commands in the first scan", [f"{r.scan['commands']:,}" for r in self.sizes], "")
        row("peak RSS of relance (MB): the daemon's process / the scan's second process",
            [f"{r.scan['peak_rss_kb'] / 1024:.0f} / {r.scan.get('children_rss_kb', 0) / 1024:.0f}"
             for r in self.sizes], "< 120 at 100k, <= +10% over 20k")
        row("candidates analysed by the second process (of those read whole)", [
            next((" of ".join(re.findall(r"\d+", line.rpartition("second process: ")[2])[:2])
                  for line in r.scan["log"] if "second process" in line), "-") for r in self.sizes], "")
        row("cycle with no new mail: IMAP commands", [str(r.scan["quiet_commands"]) for r in self.sizes],
            "<= 2 (NOOP, LIST-STATUS of INBOX and Sent)")
        row("cycle with no new mail: its scan step (ms)", [f"{r.scan['quiet_scan_ms']:.1f}" for r in self.sizes],
            "< 5")
        row("cycle with no new mail: the whole cycle (ms)", [f"{r.scan['quiet_ms']:.1f}" for r in self.sizes],
            "< 5")
        if self.arrivals:
            ordered = sorted(self.arrivals)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            lines.append(f"| arrival to record with IDLE, median / p95 over {len(ordered)} (s) | "
                         f"{statistics.median(ordered):.2f} / {p95:.2f} (at {self.sizes[-1].size:,}) "
                         + "| " * (len(self.sizes) - 1) + "p95 < 2 |")
        lines.extend(cost_rows(self.costs, self.growth, len(self.sizes)))
        return "\n".join(lines)


def cost_rows(c: dict[str, Any], growth: dict[str, Any], columns: int = 1) -> list[str]:
    """The per message lines of the table (unit_costs, pattern_growth)."""
    rest = "| " * (columns - 1)
    lines = [f"| first look per message: header fields parsed + screen rules (µs) | {c['look_us']:.0f} {rest}| |",
             f"| messages the first look reads whole, in a sample of the mix | {c['whole']:,} of {c['sample']:,} "
             f"({c['whole'] / c['sample']:.0%}) {rest}| 10-20 % |",
             f"| mime.parse per message read whole, median / p99 (µs) | {c['parse'][0]:.0f} / {c['parse'][1]:.0f} "
             f"{rest}| |",
             f"| **classification per message read whole, median / p99 (µs)** | **{c['after'][0]:.0f} / "
             f"{c['after'][1]:.0f}** {rest}| <= 500 / 5,000 |"]
    if "before" in c:
        lines.append(f"| the same, BEFORE commit's engine, same messages, same run: median / p99 (µs; after/before) "
                     f"| {c['before'][0]:.0f} / {c['before'][1]:.0f} ({c['after'][0] / c['before'][0]:.2f} / "
                     f"{c['after'][1] / c['before'][1]:.2f}) {rest}| |")
    if "alike" in c:
        lines.append(f"| the same messages decided alike by both (kind and rule; the rule files changed since) | "
                     f"{c['alike']:,} of {c['whole']:,} {rest}| |")
    lines.append(f"| whole analysis per message read whole (analyse as the scan calls it: MIME, calendar, rules, "
                 f"evidence, extraction when it could matter), median / p99 (µs) | {c['analyse'][0]:.0f} / "
                 f"{c['analyse'][1]:.0f} {rest}| |")
    ical_before = (f"; BEFORE_SCAN: {c['ical_before'][0]:.0f} / {c['ical_before'][1]:.0f}, after/before "
                   f"{c['ical'][0] / c['ical_before'][0]:.2f} / {c['ical'][1] / c['ical_before'][1]:.2f}"
                   if "ical_before" in c else "")
    lines.append(f"| calendar parts of a message that has some, read, median / p99 (µs) | {c['ical'][0]:.0f} / "
                 f"{c['ical'][1]:.0f}{ical_before} {rest}| |")
    if "evidence" in c:
        lines.append(f"| **the same with the evidence weighed (rules, then the evidence's bound and score, before "
                     f"any extraction), median / p99 (µs)** | **{c['evidence'][0]:.0f} / {c['evidence'][1]:.0f}** "
                     f"{rest}| <= 500 / 5,000 |")
    lines.append(f"| classification testing every rule (relance explain), median / p99 (µs) | "
                 f"{c['explain'][0]:.0f} / {c['explain'][1]:.0f} {rest}| |")
    lines.append(f"| extraction per candidate (µs) | {c['extract_us']:.0f} ({c['candidates']} of {c['whole']:,}) "
                 f"{rest}| |")
    if growth:
        lines.append(f"| shipped patterns on their worst texts, doubled up to 2 MB: worst time ratio of a doubling "
                     f"({growth['patterns']} patterns; the smallest size every one reached; slowest search) | "
                     f"{growth['worst_ratio']:.1f} ({growth['worst_pattern']}, at {growth['worst_size']:,} chars; "
                     f"{growth['smallest_reach']:,}; {growth['slowest_s']:.2f} s) {rest}| about 2 (linear) |")
    return lines


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    version = subprocess.run(["dovecot", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, Dovecot {version or '?'}, loopback")


def measure(sizes: list[int], arrival_count: int, mix: mailgen.Mix, before: str | None,
            before_scan: str | None) -> Report:
    report = Report()
    if WORKDIR.exists():
        shutil.rmtree(WORKDIR)
    WORKDIR.mkdir()
    home = WORKDIR / "relance"
    home.mkdir()
    end = datetime.now(UTC)
    with start_dovecot(WORKDIR / "dovecot") as server:
        filled, megabytes = 0, 0.0
        for size in sizes:
            log.info("filling INBOX to %d messages", size)
            filled_now = fill(server, filled, size - filled, end, mix)
            filled = size
            megabytes += filled_now["megabytes"]
            filled_now["megabytes"] = megabytes  # the whole mailbox, not what this step added
            forget_cache(server)
            raw_cold, seen = raw_limit(server)
            assert seen == size, (seen, size)
            raw_warm, _seen = raw_limit(server)
            log.info("raw limit: %.0f msg/s cold, %.0f warm", size / raw_cold, size / raw_warm)
            forget_cache(server)
            scanned = relance_scan(server, home)
            log.info("relance: %s", {k: v for k, v in scanned.items() if k != "log"})
            for line in scanned["log"]:
                log.info("  %s", line)
            previous = None
            if before_scan and size == sizes[0]:  # the old scan is slow on this mix: once, at the first size
                forget_cache(server)
                previous = relance_scan(server, home, before_tree(before_scan))
                log.info("before (%s): %s", before_scan, {k: v for k, v in previous.items() if k != "log"})
            report.sizes.append(SizeResult(size, filled_now, raw_cold, raw_warm, scanned, previous))
        if arrival_count:
            log.info("arrivals: %d invitations, one at a time, the daemon in IDLE", arrival_count)
            report.arrivals = arrivals(server, home / "config.yaml", home, arrival_count)
    report.costs = unit_costs(mix, before, before_scan)
    report.growth = pattern_growth()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="all", choices=("all", "child-scan"))
    parser.add_argument("config", nargs="?", type=Path)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--arrivals", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave .bench/ in place")
    parser.add_argument("--mix", choices=sorted(MIXES), default="realistic")
    parser.add_argument("--before", default=BEFORE, help="the commit whose rules engine is measured as before "
                        "(empty: none)")
    parser.add_argument("--before-scan", default=BEFORE_SCAN, help="the commit whose first scan is measured as "
                        "before (empty: none)")
    parser.add_argument("--only-costs", action="store_true", help="per message costs and pattern growth only")
    parser.add_argument("--costs", type=int, nargs="?", const=5, metavar="ROUNDS",
                        help="issue 12's figure alone: the classification with the evidence against the BEFORE "
                        "engine, ROUNDS times (default 5)")
    args = parser.parse_args(argv)
    if args.costs is not None and args.costs < 1:
        parser.error("--costs: ROUNDS must be 1 or more")
    if args.mode == "child-scan":
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        print(json.dumps(child_scan(args.config, idle_cycles=20)))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    began = time.monotonic()
    if args.costs is not None:
        WORKDIR.mkdir(exist_ok=True)
        print("\n".join(classification_costs(MIXES[args.mix], args.before or None, args.costs)))
        return 0
    if args.only_costs:
        WORKDIR.mkdir(exist_ok=True)
        print("\n".join(cost_rows(unit_costs(MIXES[args.mix], args.before or None, args.before_scan or None),
                                   pattern_growth())))
        return 0
    report = measure([int(s) for s in args.sizes.split(",")], args.arrivals, MIXES[args.mix], args.before or None,
                     args.before_scan or None)
    print()
    print(f"machine: {machine()}")
    print(f"bench took {(time.monotonic() - began) / 60:.1f} min")
    print()
    print(report.table())
    if not args.keep:
        shutil.rmtree(WORKDIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
