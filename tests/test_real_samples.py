# SPDX-License-Identifier: MIT
"""Real-world invitations (../shared/samples/real, or $RELANCE_SAMPLES) through `relance explain --json`.

The files stay outside the repository (their licences and the people named in
them); the expected instants, read from each file by hand, live in
tests/test_ical.py and are imported from there.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_ical import EXPECTED_UTC_STARTS, samples_dir

SAMPLES = samples_dir()
pytestmark = pytest.mark.skipif(SAMPLES is None, reason="no ../shared/samples/real and no $RELANCE_SAMPLES")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("real-samples")
    path = home / "config.yaml"
    path.write_text(
        "imap: {host: 127.0.0.1, username: alice@example.org}\n"
        "identity: {name: Alice Martin, email: alice@example.org}\n"
        f"storage: {{path: {home / 'relance.db'}}}\n"
        "timezone: Europe/Paris\n", encoding="utf-8")
    return path


def explain(config: Path, sample: Path) -> dict[str, Any]:
    result = run_cli("--config", str(config), "explain", str(sample), "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def as_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize("name", sorted(EXPECTED_UTC_STARTS))
def test_explain_gives_the_start_instant(config: Path, name: str) -> None:
    assert SAMPLES is not None
    data = explain(config, SAMPLES / name)
    start = data["interview"]["start"]
    assert start is not None, f"{name}: no start"
    expected = {datetime.fromisoformat(s) for s in EXPECTED_UTC_STARTS[name]}
    assert as_utc(start) in expected, f"{name}: {start}"
    assert data["event"] is not None and data["event"]["method"], name
    assert data["sources"]["interview.start"].startswith("calendar part")


def test_every_event_file_is_checked(config: Path) -> None:
    assert SAMPLES is not None
    for sample in sorted(SAMPLES.iterdir()):
        if sample.suffix in (".eml", ".ics") and explain(config, sample)["event"] is not None:
            assert sample.name in EXPECTED_UTC_STARTS, f"{sample.name} carries an event but has no expected start"


def test_the_colleagues_meetings_are_no_interviews_but_keep_their_start(config: Path) -> None:
    # None of the real samples is a job interview: kind says so, interview.start still shows the event.
    assert SAMPLES is not None
    for name in EXPECTED_UTC_STARTS:
        data = explain(config, SAMPLES / name)
        assert data["kind"] == "none", (name, data["rule"])
        assert data["interview"]["start"] is not None, name
