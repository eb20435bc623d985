# SPDX-License-Identifier: MIT
"""Peak memory of one large message through the real path: the whole FETCH from a throwaway Dovecot,
then the cycle's reading of it (mime, calendar parts, rules, extraction, the record).

    python -m bench.memory [--sizes 5,10,20] [--before REV]

For each shape (a short invitation with one large PDF attached; an invitation whose text body is the
whole size, accented French in 8bit) and size in MB, a process of its own connects, resets its peak RSS
(/proc/self/clear_refs), runs one cycle on a folder holding that message alone, and reports the peak
(VmHWM) and what the cycle added to the RSS it started with, also as a multiple of the message's size.
``--before REV`` measures that commit's daemon package the same way, in the same run.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml

from bench.run import ROOT, before_tree, write_config
from tests.harness.dovecot import Dovecot, start_dovecot

MB = 1024 * 1024
HEAD = (b"From: =?utf-8?q?Claire_Dupr=C3=A9?= <claire.dupre@initech.fr>\r\n"
        b"To: alice@example.org\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n"
        b"Subject: =?utf-8?q?Convocation_=C3=A0_un_entretien?=\r\nMIME-Version: 1.0\r\n")
INVITATION = ("Bonjour Alice,\r\n\r\nSuite à votre candidature au poste de Data Analyst, nous avons le plaisir "
              "de vous convier à un entretien le jeudi 26 novembre 2026 à 14h30, dans nos locaux au 12 rue de "
              "la Paix, 75002 Paris.\r\n\r\nBien cordialement,\r\nClaire Dupré\r\nInitech\r\n")


def with_attachment(size: int, number: int) -> bytes:
    """A short invitation and a PDF of ``size`` bytes, base64 (the message is 4/3 of that and more)."""
    payload = base64.encodebytes(random.Random(number).randbytes(size * 3 // 4)).replace(b"\n", b"\r\n")
    return (HEAD + f"Message-ID: <att-{number}@initech.fr>\r\n".encode()
            + b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
            + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + INVITATION.encode() + b"\r\n--b1\r\nContent-Type: application/pdf; name=\"dossier.pdf\"\r\n"
            + b"Content-Disposition: attachment; filename=\"dossier.pdf\"\r\n"
            + b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"\r\n--b1--\r\n")


def with_long_text(size: int, number: int) -> bytes:
    """An invitation whose text body goes on for ``size`` bytes of accented French, 8bit."""
    filler = textwrap.fill("Veuillez trouver ci-dessous le détail du poste et de l'équipe, présentée à "
                           "l'entretien. " * 20, 76).replace("\n", "\r\n") + "\r\n\r\n"
    repeat = max(size // len(filler.encode()), 1)
    body = (INVITATION + filler * repeat).encode()
    return (HEAD + f"Message-ID: <text-{number}@initech.fr>\r\n".encode()
            + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)


SHAPES = {"attachment": with_attachment, "text": with_long_text}


# Run in the child with the work tree measured first on sys.path (-c: its working directory), so that a
# --before tree's daemon package is the one imported: nothing of bench/ is imported there.
CHILD = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from daemon import config
from daemon.followups.records import Store
from daemon.run import loop
from daemon.run.cycle import Cycle
from daemon.understand import rules

settings = config.load(Path(sys.argv[1]))
store = Store(settings.storage_path)
cycle = Cycle(settings, store, rules.load_rules(settings.rule_paths, settings.rules_disabled))
now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
def status(field):
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field + ":"))
    return int(line.split()[1])
cycle.load_data(now)
with loop.connect(settings) as mailbox:
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on: the cycle's own
    before = status("VmRSS")
    report = cycle.run(now, mailbox)
kinds = dict(store.db.execute("SELECT kind, count(*) FROM messages GROUP BY kind").fetchall())
store.close()
print(json.dumps({"start_kb": before, "peak_kb": status("VmHWM"), "kinds": kinds}))
"""


def measure(server: Dovecot, folder: str, tree: Path, work: Path) -> dict[str, Any]:
    home = work / folder
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    config_path = write_config(server, home)
    settings = yaml.safe_load(config_path.read_text())
    settings["imap"]["folders"] = [folder]
    config_path.write_text(yaml.safe_dump(settings))
    command = [sys.executable, "-c", CHILD, str(config_path)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tree, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the cycle failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table(server: Dovecot, sizes: list[int], tree: Path, work: Path, label: str) -> list[str]:
    small = measure(server, "small", tree, work)
    rows = [f"{label}: RSS at the cycle's start {small['start_kb'] / 1024:.0f} MB; "
            f"one small message adds {(small['peak_kb'] - small['start_kb']) / 1024:.1f} MB at the peak",
            f"{'shape':<11} {'message MB':>10} {'peak MB':>8} {'added MB':>9} {'× size':>7}  recorded"]
    for shape in SHAPES:
        for size in sizes:
            folder = f"{shape}{size}"
            result = measure(server, folder, tree, work)
            peak, added = result["peak_kb"] / 1024, (result["peak_kb"] - result["start_kb"]) / 1024
            message_mb = sizes_mb[folder]
            rows.append(f"{shape:<11} {message_mb:>10.1f} {peak:>8.0f} {added:>9.0f} {added / message_mb:>7.1f}  "
                        f"{result['kinds']}")
    return rows


sizes_mb: dict[str, float] = {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,10,20", help="message sizes in MB")
    parser.add_argument("--before", default="", help="a commit measured the same way, in the same run")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="relance-memory-") as tmp, start_dovecot(Path(tmp) / "dovecot") as server:
        work = Path(tmp)
        server.append("small", with_attachment(4096, 0))
        for shape, make in SHAPES.items():
            for size in sizes:
                raw = make(size * MB, size)
                sizes_mb[f"{shape}{size}"] = len(raw) / MB
                server.append(f"{shape}{size}", raw)
        trees = [("this tree", ROOT)] + ([(f"before ({args.before})", before_tree(args.before))] if args.before else [])
        for label, tree in trees:
            print("\n".join(table(server, sizes, tree, work, label)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
