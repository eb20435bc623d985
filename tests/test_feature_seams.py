# SPDX-License-Identifier: MIT
"""Where two features meet: retry and replans, the user's calendar and retry, held records and the
domains of tracked interviews, marks on a held record. Real records (SQLite), no server needed."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from daemon.errors import UserError
from daemon.followups.edits import HandEdits
from daemon.followups.news import company_domains
from daemon.followups.records import Store
from tests.test_corpus import SETTINGS

ADDED = datetime.fromisoformat("2026-12-01T09:00:00+01:00")


def edits_at(tmp_path: Path) -> tuple[HandEdits, Store]:
    store = Store(tmp_path / "relance.db")
    return HandEdits(SETTINGS, store), store


def followup(store: Store, interview_id: int, kind: str):  # type: ignore[no-untyped-def]
    return next(f for f in store.followups(interview_id) if f.kind == kind)


def test_a_thank_you_retried_late_keeps_its_new_time_when_the_record_is_replanned(tmp_path: Path) -> None:
    edits, store = edits_at(tmp_path)
    interview = edits.add_by_hand({"start": "2026-12-03T14:30", "recruiter_email": "c.dubois@acme.fr"}, ADDED)
    late = datetime.fromisoformat("2026-12-08T10:00:00+01:00")  # the thank-you was due on the 4th
    with store.unit():
        store.set_state(followup(store, interview, "thank_you").id, "skipped", late, reason="4 days late")
    edits.retry(interview, "thank_you", late)
    edits.correct(interview, {"next_steps": "a call next week"}, late + timedelta(minutes=5))  # replans
    retried = followup(store, interview, "thank_you")
    assert (retried.state, retried.due) == ("pending", late)


def test_a_follow_up_deleted_in_the_calendar_then_retried_moves_with_the_interview_again(tmp_path: Path) -> None:
    edits, store = edits_at(tmp_path)
    interview = edits.add_by_hand({"start": "2026-12-03T14:30", "recruiter_email": "c.dubois@acme.fr"}, ADDED)
    with store.unit():
        store.dismiss_by_user(followup(store, interview, "call").id, ADDED, "deleted by you in your calendar")
    edits.retry(interview, "call", ADDED)
    edits.correct(interview, {"start": "2026-12-17T14:30"}, ADDED)
    call = followup(store, interview, "call")
    assert call.state == "pending"
    assert call.due > datetime.fromisoformat("2026-12-17T14:30:00+01:00")  # after the interview, not before


def test_a_record_held_for_review_lends_its_domain_to_no_other_mail(tmp_path: Path) -> None:
    edits, store = edits_at(tmp_path)
    tracked = edits.add_by_hand({"start": "2026-12-03T14:30", "recruiter_email": "c.dubois@acme.fr"}, ADDED)
    with store.unit():
        held = store.add_interview(ADDED, status="needs_review", language="fr", recruiter_email="events@webinar.io")
    assert company_domains(SETTINGS, store) == {"acme.fr": tracked}
    assert held not in company_domains(SETTINGS, store).values()


@pytest.mark.parametrize("mark", ["interviewed", "scheduled", "called", "thanked", "debriefed"])
def test_a_record_held_for_review_is_planned_by_confirm_alone(tmp_path: Path, mark: str) -> None:
    edits, store = edits_at(tmp_path)
    with store.unit():
        held = store.add_interview(ADDED, status="needs_review", language="fr",
                                   start=datetime.fromisoformat("2026-12-03T14:30:00+01:00"))
    with pytest.raises(UserError, match="confirm"):
        edits.mark(held, mark, ADDED)
    assert store.get(held).status == "needs_review"  # type: ignore[union-attr]
    assert edits.mark(held, "closed", ADDED).startswith("status closed")  # an ending mark still ends it


def test_a_batch_paused_for_the_network_holds_no_lock_and_loses_nothing(tmp_path: Path) -> None:
    """A message fetched alone in the middle of a scan batch (the kind a server hangs on): meanwhile
    `relance mark` in another process can write; the batch's units before and after are all kept."""
    import sqlite3

    store = Store(tmp_path / "relance.db")
    with store.batch():
        with store.unit():
            store.set_folder_state("INBOX", 7, 10)
        store.pause_batch()
        other = sqlite3.connect(tmp_path / "relance.db", timeout=0.5, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" while the batch held it
        other.execute("UPDATE folders SET last_uid=11 WHERE name='INBOX'")
        other.execute("COMMIT")
        other.close()
        with store.unit():
            store.set_folder_state("INBOX", 7, 12)
    store.close()
    again = Store(tmp_path / "relance.db")
    assert again.folder_state("INBOX") == (7, 12)


def test_an_interview_whose_start_is_set_by_hand_keeps_its_length(tmp_path: Path) -> None:
    edits, _ = edits_at(tmp_path)
    interview = edits.add_by_hand({"start": "2026-12-03T14:30", "end": "2026-12-03T15:15",
                                   "recruiter_email": "c.dubois@acme.fr"}, ADDED)
    edits.correct(interview, {"start": "2026-12-03T16:00"}, ADDED)
    assert edits.interview(interview).end == datetime.fromisoformat("2026-12-03T16:45:00+01:00")
