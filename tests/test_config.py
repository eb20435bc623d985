# SPDX-License-Identifier: MIT
"""The config: every problem reported at once, one line each, naming the file and the key."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from daemon import config
from tests.conftest import Env, run_cli

MINIMAL = {
    "imap": {"host": "imap.example.org", "username": "alice@example.org"},
    "identity": {"name": "Alice Martin", "email": "alice@example.org"},
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_example_config_is_valid_and_documents_every_key() -> None:
    example = Path(__file__).parent.parent / "config.example.yaml"
    settings = config.load(example)
    assert settings.imap.security == "tls"
    text = example.read_text(encoding="utf-8")

    def keys(schema: dict, prefix: str = "") -> list[str]:
        found = []
        for key, spec in schema.items():
            found += keys(spec, f"{prefix}{key}.") if isinstance(spec, dict) else [prefix + key]
        return found

    for dotted in keys(config.SCHEMA):
        assert dotted.rsplit(".", 1)[-1] + ":" in text, f"{dotted} is not documented"


def test_defaults_fill_a_minimal_config(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, MINIMAL))
    assert settings.imap.port == 993
    assert settings.imap.folders == ("INBOX",)
    assert settings.followups.thank_you.at.hour == 9
    assert settings.followups.call.after.hour == 17
    assert settings.followups.holidays == "FR"
    assert settings.scan.lookback_days == 30


def test_all_problems_reported_together_each_naming_file_and_key(tmp_path: Path) -> None:
    data = {
        "imap": {"host": "imap.example.org", "port": "nine", "colour": "blue"},
        "identity": {"name": "Alice", "email": "not-an-address"},
        "timezone": "Mars/Olympus",
        "followups": {"call": {"after": "25:00"}},
    }
    path = write(tmp_path, data)
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    problems = caught.value.problems
    expected = {
        "imap.port": "whole number",
        "imap.colour": "unknown key",
        "imap.username": "missing",
        "identity.email": "mail address",
        "timezone": "unknown time zone",
        "followups.call.after": "time of day",
    }
    for key, words in expected.items():
        line = next((p for p in problems if p.startswith(f"{path}: {key}:")), None)
        assert line is not None, f"no problem reported for {key}: {problems}"
        assert words in line
    assert all("\n" not in p for p in problems)


def test_cli_prints_the_problems_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, {"imap": {"host": "x"}})
    result = run_cli("--config", str(path), "list")
    assert result.code == 1
    assert f"{path}: imap.username: missing (required)" in result.err
    assert "Traceback" not in result.err


def test_plain_imap_is_refused_off_loopback(tmp_path: Path) -> None:
    data = {**MINIMAL, "imap": {**MINIMAL["imap"], "security": "plain"}}
    with pytest.raises(config.ConfigError, match=r"imap\.security: plain is refused"):
        config.load(write(tmp_path, data))
    data["imap"]["host"] = "127.0.0.1"
    assert config.load(write(tmp_path, data)).imap.security == "plain"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("imap:\n  host: [unclosed\n", encoding="utf-8")
    result = run_cli("--config", str(path), "check")
    assert result.code == 1
    assert str(path) in result.err and "line" in result.err


def test_missing_config_says_how_to_create_one(tmp_path: Path) -> None:
    result = run_cli("--config", str(tmp_path / "nope.yaml"), "run", "--once")
    assert result.code == 1
    assert "relance init" in result.err


def test_init_writes_the_starter_config_once(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.yaml"
    assert run_cli("--config", str(target), "init").code == 0
    assert target.read_text(encoding="utf-8").startswith("# relance configuration")
    assert target.stat().st_mode & 0o777 == 0o600
    target.write_text("# mine\n", encoding="utf-8")
    assert run_cli("--config", str(target), "init").code == 0
    assert target.read_text(encoding="utf-8") == "# mine\n", "init never overwrites"


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").code == 2


def _numeric_keys() -> list[tuple[str, config.Key]]:
    """Every key of the schema whose value is a number or a duration, found from the schema itself."""
    found = []

    def walk(schema: dict, prefix: str) -> None:
        for name, spec in schema.items():
            if isinstance(spec, dict):
                walk(spec, f"{prefix}{name}.")
                continue
            if spec.default is config.REQUIRED or spec.default is None:
                continue
            value = spec.parse(spec.default)
            if isinstance(value, int | float | timedelta) and not isinstance(value, bool):
                found.append((prefix + name, spec))

    walk(config.SCHEMA, "")
    return found


def _with(dotted: str, value: object) -> dict:
    data = json.loads(json.dumps(MINIMAL))
    node = data
    *parents, last = dotted.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return data


def _beyond(bound: object, step: int) -> object:
    """A value just past a bound, written the way the bound is: 65536 past 65535, "30m" past "29m"."""
    if isinstance(bound, str):
        number, unit = int(bound[:-1]), bound[-1]
        return f"{max(number + step, 0)}{unit}" if number + step >= 0 else f"-1{unit}"
    assert isinstance(bound, int | float)
    return bound + step if isinstance(bound, int) else bound + step * bound / 2


def test_every_numeric_key_of_the_schema_has_a_range_that_is_enforced(tmp_path: Path) -> None:
    """calendar.alarm_minutes: -5 used to pass and kill every calendar write; no number may do that now."""
    keys = _numeric_keys()
    assert {"calendar.alarm_minutes", "imap.port", "limits.seconds", "imap.idle_renew"} <= {k for k, _ in keys}
    for dotted, spec in keys:
        assert spec.low is not None and spec.high is not None, f"{dotted} has no range"
        for bound in (spec.low, spec.high):
            config.parse(_with(dotted, bound), tmp_path / "c.yaml")  # the bounds themselves are fine
        for wrong in (_beyond(spec.low, -1), _beyond(spec.high, +1), -5):
            if isinstance(spec.low, str) and wrong == -5:
                wrong = "-5m"
            with pytest.raises(config.ConfigError) as caught:
                config.parse(_with(dotted, wrong), tmp_path / "c.yaml")
            [line] = caught.value.problems
            assert line.startswith(f"{tmp_path / 'c.yaml'}: {dotted}: "), line


def test_an_alarm_before_the_event_only_is_accepted_and_written(env: Env) -> None:
    """The range as a user meets it: -5 is refused with one line, and `relance mark` is not half done."""
    env.write_config(calendar__alarm_minutes=-5)
    result = env.relance("check")
    assert result.code == 1
    assert result.err.strip() == f"relance: {env.config_path}: calendar.alarm_minutes: must be from 0 to 10080"
