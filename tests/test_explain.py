# SPDX-License-Identifier: MIT
"""`relance explain`: the kind, the deciding rule, the others, and every field with where it came from."""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from daemon.cli.explain import explain_json
from daemon.understand import analysis as service
from daemon.understand import rules
from tests.conftest import SAMPLES, Env, run_cli
from tests.harness.daemon_process import dated_now
from tests.test_corpus import CASES, SETTINGS, context_for

ACME = SAMPLES / "01-google-invite-acme.eml"
INITECH = SAMPLES / "03-fr-convocation-initech.eml"
CORPUS = Path(__file__).parent / "data" / "corpus"
# DESIGN.md's keys, and "scan": whether the scan would read the message whole, and why
TOP_KEYS = {"kind", "rule", "matched", "company", "position", "language", "recruiter", "interview", "candidates",
            "event", "sources", "scan", "evidence", "score"}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        "imap: {host: 127.0.0.1, username: alice@example.org}\n"
        "identity: {name: Alice Martin, email: alice@example.org}\n"
        f"storage: {{path: {tmp_path / 'relance.db'}}}\n", encoding="utf-8")
    return path


def explain(config: Path, *args: str) -> dict[str, Any]:
    result = run_cli("--config", str(config), "explain", *args, "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def found_fields(data: dict[str, Any]) -> list[str]:
    """The dotted names of the fields that have a value."""
    names = [k for k in ("company", "position", "language") if data[k]]
    names += [f"recruiter.{k}" for k, v in data["recruiter"].items() if v]
    names += [f"interview.{k}" for k, v in data["interview"].items() if v]
    return names + (["candidates"] if data["candidates"] else [])


def test_json_has_the_documented_shape(config: Path) -> None:
    data = explain(config, str(ACME))
    assert set(data) == TOP_KEYS
    assert (data["kind"], data["rule"]) == ("invitation", "calendar-interview-request")
    assert data["rule"] in data["matched"]
    assert set(data["recruiter"]) == {"name", "email", "phone"}
    assert set(data["interview"]) == {"start", "end", "location", "url"}
    assert data["interview"]["start"] == "2026-12-03T14:30:00+01:00"
    assert data["event"] == {"uid": "4k2j9h1g0f8d7s6a5p4o3i2u1y@google.com", "sequence": 0, "method": "REQUEST"}
    assert data["sources"]["interview.start"] == "calendar part (DTSTART)"


def test_text_names_kind_rule_and_each_field_with_its_source(config: Path) -> None:
    result = run_cli("--config", str(config), "explain", str(INITECH))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("scan:     read whole: ")
    assert lines[1].split() == ["kind:", "invitation"]
    assert lines[2].split() == ["rule:", "fr-invitation"]
    assert lines[3].startswith("matched:")
    data = explain(config, str(INITECH))
    for name in found_fields(data):
        line = next(line for line in lines if line.startswith(name + ":"))
        assert line.endswith(f"[{data['sources'][name]}]"), line
    start = next(line for line in lines if line.startswith("interview.start:"))
    assert "body line" in start and "2026-12-18T10:00:00+01:00" in start


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_field_found_says_where(case: Any) -> None:
    analysis = service.analyse(case.raw, SETTINGS, rules.load_rules(), context_for(case))
    data = explain_json(analysis, SETTINGS.zone)
    missing = [name for name in found_fields(data) if not data["sources"].get(name)]
    assert missing == [], f"no source for {missing}"


def test_a_colleagues_meeting_is_no_interview_but_its_start_is_shown(config: Path) -> None:
    data = explain(config, str(CORPUS / "none_en_google_weekly_sync.eml"))
    assert data["kind"] == "none"
    assert data["interview"]["start"] is not None
    assert data["event"]["method"] == "REQUEST"


def test_a_proposal_of_slots_lists_candidates_and_no_start(config: Path) -> None:
    data = explain(config, str(CORPUS / "fr_plain_creneaux_multiples.eml"))
    assert data["kind"] == "invitation"
    assert data["interview"]["start"] is None
    assert data["candidates"] == ["2027-01-19T10:00:00+01:00", "2027-01-20T14:30:00+01:00",
                                  "2027-01-21T16:00:00+01:00"]
    assert data["sources"]["candidates"].startswith("body lines ")


def test_a_bare_calendar_file_is_read_as_the_message_it_came_in(config: Path, tmp_path: Path) -> None:
    calendar = tmp_path / "invite.ics"
    calendar.write_bytes(b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:u-1\r\nSEQUENCE:2\r\n"
                         b"DTSTART:20270112T133000Z\r\nSUMMARY:Entretien - Data Engineer - Acme\r\n"
                         b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    data = explain(config, str(calendar))
    assert data["interview"]["start"] == "2027-01-12T14:30:00+01:00"
    assert data["event"] == {"uid": "u-1", "sequence": 2, "method": "REQUEST"}
    assert data["kind"] == "invitation"


def test_an_unreadable_file_is_one_line_and_exit_1(config: Path, tmp_path: Path) -> None:
    result = run_cli("--config", str(config), "explain", str(tmp_path / "missing.eml"))
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and "missing.eml: cannot read" in result.err


def test_explain_by_uid_over_imap(env: Env) -> None:
    env.deliver("04-newsletter-conseils.eml")
    uid = env.server.append("INBOX", ACME.read_bytes())
    result = env.relance("explain", "--uid", str(uid), "--folder", "INBOX", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["kind"], data["company"]) == ("invitation", "Acme")
    assert data["interview"]["start"] == "2026-12-03T14:30:00+01:00"
    text = env.relance("explain", "--uid", str(uid))
    assert text.code == 0 and "calendar-interview-request" in text.out
    assert [f for _u, f, _r in env.server.messages("INBOX")] == [(), ()], "explain reads without marking \\Seen"


def test_explain_by_unknown_uid_is_one_line_and_exit_1(env: Env) -> None:
    env.deliver("01-google-invite-acme.eml")
    result = env.relance("explain", "--uid", "999")
    assert result.code == 1
    assert "no message with UID 999 in INBOX" in result.err and result.err.strip().count("\n") == 0


def test_explain_by_uid_says_a_message_outside_the_lookback_was_not_scanned(env: Env) -> None:
    """A user asks why an invitation of three months ago made nothing: the scan never looked at it."""
    old = email.utils.format_datetime(datetime.now(UTC) - timedelta(days=90)).encode()
    raw = re.sub(rb"(?mi)^Date:[^\r\n]*", b"Date: " + old, ACME.read_bytes(), count=1)
    old_uid = env.server.append("INBOX", raw)
    new_uid = env.server.append("INBOX", dated_now(ACME.read_bytes()))

    text = env.relance("explain", "--uid", str(old_uid))
    assert text.code == 0, text.err
    assert text.out.startswith("scan:     not scanned: received before ")
    assert "outside the lookback (scan.lookback_days: 30)" in text.out.splitlines()[0]
    data = json.loads(env.relance("explain", "--uid", str(old_uid), "--json").out)
    assert data["scan"]["scanned"] is False and data["kind"] == "invitation"

    fresh = json.loads(env.relance("explain", "--uid", str(new_uid), "--json").out)
    assert fresh["scan"]["scanned"] is True and fresh["scan"]["read"] is True


def test_explain_by_uid_in_a_folder_not_watched_says_so(env: Env) -> None:
    uid = env.server.append("Drafts", dated_now(ACME.read_bytes()))
    text = env.relance("explain", "--uid", str(uid), "--folder", "Drafts")
    assert text.code == 0, text.err
    assert text.out.startswith("scan:     not scanned: Drafts is not a watched folder (imap.folders: INBOX)")


def test_explain_a_file_works_before_any_config_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user tries `relance explain invitation.eml` before `relance init`."""
    monkeypatch.setenv("RELANCE_CONFIG", str(tmp_path / "nowhere" / "config.yaml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = run_cli("explain", str(ACME), "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["company"] == "Acme"
    assert result.err.strip() == (f"relance: no config file at {tmp_path / 'nowhere' / 'config.yaml'}: "
                                  "explaining with the defaults")
    assert not (tmp_path / "data").exists(), "explaining a file creates nothing"


def test_explain_without_a_message_or_with_two_is_a_usage_error(config: Path) -> None:
    for args in ((), (str(ACME), "--uid", "3")):
        result = run_cli("--config", str(config), "explain", *args)
        assert result.code == 2, args
        assert "give FILE.eml or --uid N" in result.err and result.err.count("\n") == 1
