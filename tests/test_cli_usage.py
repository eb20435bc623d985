# SPDX-License-Identifier: MIT
"""The command line as a new user meets it: every sub-command's help explains every argument, `set --help`
names every field it can change, and a malformed command line exits 2 whatever the command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from daemon.cli.commands import build_parser
from daemon.followups.edits import FIELDS
from tests.conftest import run_cli


def sub_commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(sub_commands()))
def test_every_option_of_every_sub_command_has_its_help(name: str) -> None:
    result = run_cli(name, "--help")
    assert result.code == 0
    parser = sub_commands()[name]
    for action in parser._actions:
        shown = action.option_strings[-1] if action.option_strings else (action.metavar or action.dest)
        assert action.help, f"relance {name}: {shown} has no help text"
        assert str(shown) in result.out, f"relance {name} --help does not list {shown}"


def test_set_help_names_every_field_it_can_change() -> None:
    out = run_cli("set", "--help").out
    listed = re.findall(r"(?m)^  ([a-z_]+) {2,}\S", out.partition("fields:")[2])
    assert listed == list(FIELDS)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("imap: {host: 127.0.0.1, username: alice@example.org}\n"
                    "identity: {name: Alice Martin, email: alice@example.org}\n"
                    f"storage: {{path: {tmp_path / 'relance.db'}}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [
    ("frobnicate",), ("show", "one"), ("mark", "1", "hired"), ("list", "--colour"),
    ("set", "1", "company"), ("set", "1", "salary=lots"), ("add", "--start", "tomorrow"),
    ("add", "--start", "2026-12-07"), ("run", "--once", "--now", "noon"), ("explain",),
    ("retry", "1", "everything"), ("calendar", "--now", "2026-13-01T10:00"),
])
def test_a_malformed_command_line_exits_2_whatever_the_command(config: Path, args: tuple[str, ...]) -> None:
    result = run_cli("--config", str(config), *args)
    assert result.code == 2, (args, result.err)
    assert "Traceback" not in result.err and result.err.strip()
