# SPDX-License-Identifier: MIT
"""What every command shares: its settings, rules, records and clock from the arguments, and times shown."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from daemon import config
from daemon.errors import UsageError, UserError
from daemon.followups import database
from daemon.followups.edits import Implausible, parse_when
from daemon.followups.records import Store
from daemon.run.lock import held_elsewhere
from daemon.understand import evidence, rules


def parse_now(value: str | None, zone: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(zone)
    try:
        return parse_when(value, zone)
    except Implausible as exc:
        raise UserError(f"--now: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None


def settings_from(args: argparse.Namespace) -> config.Settings:
    path = Path(args.config) if args.config else config.default_config_path()
    return config.load(path)


def rules_for(settings: config.Settings) -> list[rules.Rule]:
    loaded = rules.load_rules(settings.rule_paths, settings.rules_disabled)
    evidence.model_for(settings.rule_paths)  # its weights are read with the rules: a mistake is said now
    return loaded


def iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def open_store(settings: config.Settings) -> Store:
    if not settings.storage_path.exists():
        raise UserError(f"{settings.storage_path}: no records yet (run `relance run` first)")
    return store_at(settings.storage_path)


def store_at(path: Path) -> Store:
    """The records beside a running daemon; not when its -wal was deleted: what this command wrote would
    go to a new -wal that the daemon never reads, and be lost (SQLite opening them creates that file)."""
    lost = database.wal_deleted(path)
    if lost is not None and held_elsewhere(path):
        raise UserError(f"{lost} was deleted under the running relance: restart it first "
                        "(`systemctl --user restart relance`), nothing was changed")
    return Store(path)


def records_path(args: argparse.Namespace) -> Path:
    """Where the records are, for an error about them; a name when the config cannot say."""
    try:
        return settings_from(args).storage_path
    except UserError:
        return Path("records database")


def short(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "date unknown"
