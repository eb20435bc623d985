# SPDX-License-Identifier: MIT
"""`make bench`: relance's scan against a throwaway Dovecot at 20,000 and 100,000 messages.

Every figure of the table is measured in this one run, on this machine, over
loopback. See bench/README.md for what each line means and the last results.

    python -m bench.run [--sizes 20000,100000] [--arrivals 20] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bench import mailgen
from tests.dovecot import Dovecot, start_dovecot

log = logging.getLogger("bench")

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / ".bench"
# What relance needs to decide whether to look further, as a plain client would ask for it.
RAW_ITEMS = ("(UID BODY.PEEK[HEADER.FIELDS (FROM TO CC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO "
             "REFERENCES LIST-UNSUBSCRIBE CONTENT-TYPE)] BODYSTRUCTURE)")
RAW_BATCH = 500
LOOKBACK_DAYS = 800  # the bench mailbox spans two years: the first scan reads all of it


# --- the mailbox


def fill(server: Dovecot, start: int, count: int, end: datetime) -> dict[str, float]:
    """Write messages into the maildir, then let Dovecot index them with one SELECT."""
    maildir, owner = mailgen.harness_maildir(server.workdir, server.user)
    began = time.monotonic()
    written = mailgen.fill_maildir(maildir, start, count, end=end, owner=owner)
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
            "full_fetches": full_fetches, "commands": scan_commands, "interviews": interviews,
            "quiet_scan_ms": statistics.median(q[0] for q in quiet_scan) * 1000,
            "quiet_ms": statistics.median(q[0] for q in quiet_cycle) * 1000,
            "quiet_commands": max(q[1] for q in quiet_cycle)}


def relance_scan(server: Dovecot, home: Path) -> dict[str, Any]:
    for name in ("relance.db", "relance.db-wal", "relance.db-shm", "relance.ics"):
        (home / name).unlink(missing_ok=True)
    config_path = write_config(server, home)
    command = [sys.executable, "-m", "bench.run", "child-scan", str(config_path)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"relance scan failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["log"] = [line for line in done.stderr.splitlines() if "looked at" in line]
    return result


# --- per message costs, in this process


def unit_costs(sample: int = 3_000) -> dict[str, float]:
    """Microseconds: the first look (header fields parsed, screen rules) and, for
    scan.read_every_message and the candidates, parse + rules per message of the mix;
    extraction per candidate."""
    from daemon.mail import firstlook_headers as triage
    from daemon.understand import extract, mime, rules

    rule_set = rules.load_rules()
    now = datetime.now(UTC)
    raws = [raw for _when, raw in mailgen.messages(0, sample, end=now)]
    judge = triage.HeaderLook(rule_set)
    fields = re.compile(rb"^(?:" + b"|".join(f.encode() for f in judge.fields) + rb"):.*(?:\r\n[ \t].*)*\r\n",
                        re.IGNORECASE | re.MULTILINE)
    headers = [b"".join(m[0] for m in fields.finditer(mime.header_block(raw))) for raw in raws]
    began = time.perf_counter()
    for header in headers:
        judge.judge_header(header, None, rules.Context())
    look_us = (time.perf_counter() - began) / len(headers) * 1e6
    parsed = [mime.parse(raw) for raw in raws]
    began = time.perf_counter()
    kinds = [rules.classify(rule_set, message).kind for message in parsed]
    rules_us = (time.perf_counter() - began) / len(parsed) * 1e6
    candidates = [m for m, kind in zip(parsed, kinds, strict=True) if kind != "none"]
    began = time.perf_counter()
    for message in candidates:
        extract.extract(message, [], tz="Europe/Paris", default_language="fr",
                        user_emails={"alice@example.org"}, now=now)
    extract_us = (time.perf_counter() - began) / max(len(candidates), 1) * 1e6
    began = time.perf_counter()
    for raw in raws:
        mime.parse(raw)
    parse_us = (time.perf_counter() - began) / len(raws) * 1e6
    return {"rules_us": rules_us, "extract_us": extract_us, "parse_us": parse_us, "look_us": look_us,
            "candidates": len(candidates), "sample": len(raws)}


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

    @property
    def raw_rate(self) -> float:
        return self.size / self.raw_cold

    @property
    def scan_rate(self) -> float:
        return float(self.scan["scanned"]) / float(self.scan["seconds"])


@dataclass
class Report:
    sizes: list[SizeResult] = field(default_factory=list)
    costs: dict[str, float] = field(default_factory=dict)
    arrivals: list[float] = field(default_factory=list)

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
        row("**ratio to the raw limit (cold)**", [f"**{r.scan_rate / r.raw_rate:.2f}**" for r in self.sizes],
            ">= 0.5")
        row("ratio to the raw limit (warm)", [f"{r.scan_rate * r.raw_warm / r.size:.2f}" for r in self.sizes], "")
        row("fetched whole (candidates)", [f"{r.scan['full_fetches']:,}" for r in self.sizes], "")
        row("interviews recorded", [f"{r.scan['interviews']:,}" for r in self.sizes], "")
        row("IMAP commands in the first scan", [f"{r.scan['commands']:,}" for r in self.sizes], "")
        row("peak RSS of relance (MB)", [f"{r.scan['peak_rss_kb'] / 1024:.0f}" for r in self.sizes],
            "< 120 at 100k, <= +10% over 20k")
        row("cycle with no new mail: IMAP commands", [str(r.scan["quiet_commands"]) for r in self.sizes], "<= 2")
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
        c = self.costs
        lines.append(f"| first look per message: header fields parsed + screen rules (µs) | {c['look_us']:.0f} "
                     + "| " * (len(self.sizes) - 1) + " |")
        lines.append(f"| parse + rules per message read whole (µs) | {c['parse_us']:.0f} + {c['rules_us']:.0f} "
                     + "| " * (len(self.sizes) - 1) + " |")
        lines.append(f"| extraction per candidate (µs) | {c['extract_us']:.0f} ({c['candidates']:.0f} of "
                     f"{c['sample']:,.0f}) " + "| " * (len(self.sizes) - 1) + " |")
        return "\n".join(lines)


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


def measure(sizes: list[int], arrival_count: int) -> Report:
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
            filled_now = fill(server, filled, size - filled, end)
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
            report.sizes.append(SizeResult(size, filled_now, raw_cold, raw_warm, scanned))
        if arrival_count:
            log.info("arrivals: %d invitations, one at a time, the daemon in IDLE", arrival_count)
            report.arrivals = arrivals(server, home / "config.yaml", home, arrival_count)
    report.costs = unit_costs()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="all", choices=("all", "child-scan"))
    parser.add_argument("config", nargs="?", type=Path)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--arrivals", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave .bench/ in place")
    args = parser.parse_args(argv)
    if args.mode == "child-scan":
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        print(json.dumps(child_scan(args.config, idle_cycles=20)))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    began = time.monotonic()
    report = measure([int(s) for s in args.sizes.split(",")], args.arrivals)
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
