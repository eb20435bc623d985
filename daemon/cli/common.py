# SPDX-License-Identifier: MIT
"""What every command shares: its settings, rules, records and clock from the arguments, and times shown."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from daemon import config
from daemon.errors import UserError
from daemon.followups.edits import parse_when
from daemon.followups.records import Store
from daemon.understand import rules


def parse_now(value: str | None, zone: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(zone)
    try:
        return parse_when(value, zone)
    except ValueError as exc:
        raise UserError(f"--now: {exc}") from None


def settings_from(args: argparse.Namespace) -> config.Settings:
    path = Path(args.config) if args.config else config.default_config_path()
    return config.load(path)


def rules_for(settings: config.Settings) -> list[rules.Rule]:
    return rules.load_rules(settings.rule_paths, settings.rules_disabled)


def iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def open_store(settings: config.Settings) -> Store:
    if not settings.storage_path.exists():
        raise UserError(f"{settings.storage_path}: no records yet (run `relance run` first)")
    return Store(settings.storage_path)


def short(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "date unknown"
