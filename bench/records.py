# SPDX-License-Identifier: MIT
"""What the user sees in `relance list` once a labelled wave has arrived, against what its labels say.

The corpus tests score each message on its own. The user sees records: a thread's later mail moves, cancels or
answers the interview its first mail made, and names what that mail left out. Each wave is replayed here in the
order of its Date headers through the cycle's own handling of a message read whole (`Cycle.handle`: the analysis,
`news`, the records), on a throwaway database, with no IMAP and no first look (a steady state reads new mail
whole). Each record made from an invitation is then held against its thread's labels: the company, position,
recruiter's name and phone the thread's first labelled mail gives, or, where it gives none, the first later one
that does.

Two columns per field: the record as its first mail made it (what the per-message figures count), and at the end
of the thread. Run with `python -m bench.records [--extra DIR ...]`.
"""

from __future__ import annotations

import argparse
import email
import email.utils
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from daemon.followups.news import NAMED_IN_THREAD
from daemon.followups.records import Interview, Store
from daemon.mail.imapdata import FetchedMessage
from daemon.model import CycleReport
from daemon.run.cycle import Cycle
from daemon.understand import mime
from tests import test_corpus
from tests.test_corpus import RULES, SETTINGS, Case, load_cases

BLIND = Path(__file__).parent.parent / "tests" / "data" / "blind"
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# the corpus measure's fields a record keeps: (column, label key, record attribute, how the measure compares)
ATTRIBUTES = {"company": "company", "position": "position", "recruiter name": "recruiter_name",
              "recruiter phone": "recruiter_phone"}
FIELDS: Sequence[tuple[str, str, str, Callable[[object, object], bool]]] = tuple(
    (name, key, ATTRIBUTES[name], same) for name, key, same in test_corpus.FIELDS if name in ATTRIBUTES)


def sent_at(case: Case) -> datetime:
    """When the message was sent; one with no readable date comes first."""
    head = email.message_from_bytes(mime.header_block(case.raw))
    try:
        sent = email.utils.parsedate_to_datetime(str(head["Date"]))
    except (TypeError, ValueError):
        return EARLIEST
    return sent if sent.tzinfo is not None else sent.replace(tzinfo=UTC)


def replay(cases: Sequence[Case], database: Path) -> tuple[Store, dict[str, Case]]:
    """The wave handled message by message, as mail arriving in that order; the cases by Message-ID."""
    store = Store(database)
    settings = replace(SETTINGS, storage_path=database)
    cycle = Cycle(settings, store, RULES)
    by_id: dict[str, Case] = {}
    ordered = sorted(cases, key=lambda c: (sent_at(c), c.name))
    for uid, case in enumerate(ordered, start=1):
        now = sent_at(case) + timedelta(minutes=5)
        cycle.handle(FetchedMessage("INBOX", uid, case.raw, ()), 1, now, CycleReport())
        by_id[seen_as(store, uid)] = case
    return store, by_id


def seen_as(store: Store, uid: int) -> str:
    """The Message-ID the records keep for a message: its own, or the stand-in of one without."""
    row = store.db.execute("SELECT message_id FROM messages WHERE uid=?", (uid,)).fetchone()
    return str(row[0])


def thread_labels(store: Store, interview: Interview, by_id: dict[str, Case]) -> list[dict[str, Any]]:
    rows = store.db.execute("SELECT message_id FROM messages WHERE interview_id=? ORDER BY uid",
                            (interview.id,)).fetchall()
    return [by_id[row[0]].label for row in rows if row[0] in by_id]


def expected(labels: list[dict[str, Any]], key: str) -> object:
    for label in labels:
        found, value = test_corpus.lookup(label, key)
        if found and value:
            return value
    return None


def as_first_made(store: Store, interview: Interview, attribute: str) -> object:
    """The field before the thread's later mail filled it."""
    filled = attribute + NAMED_IN_THREAD
    if any(event.startswith(filled) for _, event in store.history(interview.id)):
        return None
    return getattr(interview, attribute)


def score(directory: Path) -> tuple[int, dict[str, tuple[int, int]]]:
    cases = load_cases(directory)
    with tempfile.TemporaryDirectory() as scratch:
        store, by_id = replay(cases, Path(scratch) / "records.db")
        records = 0
        rights = {name: (0, 0) for name, *_ in FIELDS}
        for interview in store.interviews():
            labels = thread_labels(store, interview, by_id)
            if not labels or labels[0]["kind"] != "invitation":
                continue  # a look-alike taken, or a thread whose first mail is not in the wave
            records += 1
            for name, key, attribute, same in FIELDS:
                want = expected(labels, key)
                first, last = rights[name]
                rights[name] = (first + same(want, as_first_made(store, interview, attribute)),
                                last + same(want, getattr(interview, attribute)))
        store.close()
    return records, rights


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], help="a labelled directory outside the repository")
    args = parser.parse_args(argv)
    waves = sorted((p for p in BLIND.iterdir() if p.is_dir()), key=lambda p: int(p.name.removeprefix("wave")))
    columns = "".join(f" | {name}: first mail, end of thread" for name, *_ in FIELDS)
    print(f"wave | records made from an invitation{columns}")
    pooled, pooled_rights = 0, {name: [0, 0] for name, *_ in FIELDS}
    for directory in [*waves, *map(Path, args.extra)]:
        records, rights = score(directory)
        cells = "".join(f" | {first / records:.2f}, {last / records:.2f}" for first, last in rights.values())
        print(f"{directory.name} | {records}{cells}")
        pooled += records
        for name, (first, last) in rights.items():
            pooled_rights[name][0] += first
            pooled_rights[name][1] += last
    cells = "".join(f" | {first / pooled:.3f}, {last / pooled:.3f}" for first, last in pooled_rights.values())
    print(f"all | {pooled}{cells}")

if __name__ == "__main__":
    main()
