# SPDX-License-Identifier: MIT
"""Load the YAML config into one frozen, typed Settings object.

The schema is data (SCHEMA below): every key, its type and its default. All
problems in a file are collected and reported together, one line each, as
``FILE: key.path: problem``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import platformdirs
import yaml

from daemon.errors import UserError

APP = "relance"


class ConfigError(UserError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    username: str
    password_file: Path | None
    password_command: str | None
    auth: str
    token_command: str | None
    ca_file: Path | None
    folders: tuple[str, ...]
    drafts: str
    idle: bool
    idle_renew: timedelta
    timeout: float
    sent: str = "auto"  # auto = the folder flagged \Sent; none = the user's sent mail is not read


@dataclass(frozen=True)
class Skills:
    """identity.key_skills per language: an English draft never lists the French names."""

    fr: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def of(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.fr


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    phone: str | None
    key_skills: Skills


@dataclass(frozen=True)
class ServeSettings:
    enabled: bool
    bind: str
    port: int


@dataclass(frozen=True)
class CalDavSettings:
    url: str  # a calendar collection, ending in /
    username: str
    password_command: str | None
    password_file: Path | None


@dataclass(frozen=True)
class CalendarSettings:
    path: Path
    serve: ServeSettings
    thank_you_reminder: bool
    alarm_minutes: int
    caldav: CalDavSettings | None = None  # None: calendar.caldav.url not set


@dataclass(frozen=True)
class ThankYouSettings:
    at: time
    max_delay: timedelta
    weekends: bool = True  # false: a J+1 on a Saturday or Sunday moves to the next business day


@dataclass(frozen=True)
class CallSettings:
    after: time
    minutes: int


@dataclass(frozen=True)
class FollowupSettings:
    thank_you: ThankYouSettings
    call: CallSettings
    debrief_after: timedelta
    holidays: str


@dataclass(frozen=True)
class ScanSettings:
    lookback_days: int
    interval: timedelta
    read_every_message: bool = False  # read every text, not only what headers and structure point at
    read_whole_below: int = 200  # fewer new messages than this in a folder: every one is read whole


@dataclass(frozen=True)
class LimitSettings:
    message_bytes: int
    parts: int
    seconds: float


@dataclass(frozen=True)
class DraftSettings:
    html: bool = True  # an HTML alternative next to the text (a terminal client edits only the text)


@dataclass(frozen=True)
class Settings:
    source: Path | None
    imap: ImapSettings
    identity: Identity
    language: str
    timezone: str
    storage_path: Path
    data_dir: Path
    calendar: CalendarSettings
    followups: FollowupSettings
    scan: ScanSettings
    rule_paths: tuple[Path, ...]
    rules_disabled: tuple[str, ...]
    template_paths: tuple[Path, ...]
    limits: LimitSettings
    drafts: DraftSettings = DraftSettings()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def user_emails(self) -> frozenset[str]:
        """The user's own addresses, lowercased: the one she writes from and the one she signs in with."""
        return frozenset(a.lower() for a in (self.identity.email, self.imap.username) if a)


# --- value parsers: each returns the parsed value or raises ValueError with the problem


def _str(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _str_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a list of strings")
    return tuple(value)


def _folders(value: Any) -> tuple[str, ...]:
    folders = _str_list(value)
    if not folders:
        raise ValueError("must name at least one folder to watch, such as [INBOX]")
    return folders


def _skills(value: Any) -> Skills:
    """A list (the same skills in both languages) or {fr: [...], en: [...]}."""
    if isinstance(value, Mapping):
        unknown = [str(k) for k in value if k not in ("fr", "en")]
        if unknown:
            raise ValueError(f"languages are fr and en, not {', '.join(unknown)}")
        try:
            return Skills(**{language: _str_list(skills) for language, skills in value.items()})
        except ValueError:
            raise ValueError("must be a list of strings, or {fr: [...], en: [...]}") from None
    try:
        skills = _str_list(value)
    except ValueError:
        raise ValueError("must be a list of strings, or {fr: [...], en: [...]}") from None
    return Skills(skills, skills)


def _path(value: Any) -> Path:
    return Path(os.path.expanduser(_str(value)))


def _opt_path(value: Any) -> Path | None:
    return None if value is None else _path(value)


def _path_list(value: Any) -> tuple[Path, ...]:
    return tuple(Path(os.path.expanduser(v)) for v in _str_list(value))


def _port(value: Any) -> int:
    port = _int(value)
    if not 0 <= port <= 65535:
        raise ValueError("must be a port number (0-65535)")
    return port


def _positive(value: Any) -> int:
    number = _int(value)
    if number <= 0:
        raise ValueError("must be greater than 0")
    return number


def _positive_number(value: Any) -> float:
    # a day at most: beyond, a timer cannot be set (and no mail deserves it)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 86400:
        raise ValueError("must be a number of seconds above 0, at most 86400")
    return float(value)


def _clock(value: Any) -> time:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 17:00 as the sexagesimal number 1020
        value = f"{value // 60:02d}:{value % 60:02d}"
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", str(value).strip())
    if not match:
        raise ValueError("must be a time of day such as \"17:00\"")
    return time(int(match[1]), int(match[2]))


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _duration(value: Any) -> timedelta:
    match = re.fullmatch(r"(\d+)\s*([smhdw])", str(value).strip())
    if not match:
        raise ValueError("must be a duration such as 30m, 9h or 2d")
    return timedelta(seconds=int(match[1]) * _DURATION_UNITS[match[2]])


def _one_of(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in choices:
            raise ValueError("must be one of " + ", ".join(choices))
        return str(value)

    return parse


def _language(value: Any) -> str:
    return _one_of("fr", "en")(value)


def _timezone(value: Any) -> str:
    name = _str(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)") from None
    return name


def _country(value: Any) -> str:
    code = _str(value).upper()
    if code not in holidays.list_supported_countries():
        raise ValueError(f"unknown country code {code!r} for public holidays")
    return code


def _email(value: Any) -> str:
    address = _str(value)
    if not re.fullmatch(r"[^@\s<>,]+@[^@\s<>,]+\.[^@\s<>,]+", address):
        raise ValueError("must be a mail address such as alice@example.org")
    return address


def _host(value: Any) -> str:
    return _str(value).strip()


def _opt_collection_url(value: Any) -> str | None:
    """An http(s) URL without credentials in it (the password never goes into the config)."""
    if value is None:
        return None
    url = _str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL of a calendar collection")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not hold a user name or password (use username and password_command)")
    return url if url.endswith("/") else url + "/"


REQUIRED = object()


@dataclass(frozen=True)
class Key:
    """One config key: its parser, its default, and for a number or a duration its range.

    ``low`` and ``high`` are written as a user would write the value ("29m", 65535) and go
    through ``parse`` too, so the message names the bounds in the user's own terms.
    """

    parse: Callable[[Any], Any]
    default: Any = REQUIRED
    low: Any = None
    high: Any = None

    def check_range(self, value: Any) -> None:
        if self.low is None or self.high is None:
            return
        if not self.parse(self.low) <= value <= self.parse(self.high):
            raise ValueError(f"must be from {self.low} to {self.high}")


# The whole schema: config.example.yaml documents each of these keys.
SCHEMA: dict[str, Any] = {
    "imap": {
        "host": Key(_host),
        "port": Key(_port, 993, 1, 65535),
        "security": Key(_one_of("tls", "starttls", "plain"), "tls"),
        "username": Key(_str),
        "password_file": Key(_opt_path, None),
        "password_command": Key(_opt_str, None),
        "auth": Key(_one_of("password", "xoauth2"), "password"),
        "token_command": Key(_opt_str, None),
        "ca_file": Key(_opt_path, None),
        "folders": Key(_folders, ["INBOX"]),
        "drafts": Key(_str, "auto"),
        "sent": Key(_str, "auto"),
        "idle": Key(_bool, True),
        "idle_renew": Key(_duration, "9m", "1s", "29m"),  # RFC 2177: at least every 29 minutes
        "timeout": Key(_positive, 60, 1, 3600),
    },
    "identity": {
        "name": Key(_str),
        "email": Key(_email),
        "phone": Key(_opt_str, None),
        "key_skills": Key(_skills, []),
    },
    "language": Key(_language, "fr"),
    "timezone": Key(_timezone, "Europe/Paris"),
    "storage": {"path": Key(_opt_path, None)},
    "calendar": {
        "path": Key(_opt_path, None),
        "thank_you_reminder": Key(_bool, False),
        "alarm_minutes": Key(_int, 15, 0, 10080),  # a week before at most
        "serve": {
            "enabled": Key(_bool, False),
            "bind": Key(_host, "127.0.0.1"),
            "port": Key(_port, 8787, 1, 65535),
        },
        "caldav": {
            "url": Key(_opt_collection_url, None),
            "username": Key(_opt_str, None),
            "password_command": Key(_opt_str, None),
            "password_file": Key(_opt_path, None),
        },
    },
    "followups": {
        "thank_you": {"at": Key(_clock, "09:00"), "max_delay": Key(_duration, "2d", "0s", "30d"),
                      "weekends": Key(_bool, True)},
        "call": {"after": Key(_clock, "17:00"), "minutes": Key(_positive, 15, 1, 240)},
        "debrief_after": Key(_duration, "30m", "0s", "1d"),
        "holidays": Key(_country, "FR"),
    },
    "scan": {"lookback_days": Key(_positive, 30, 1, 3650), "interval": Key(_duration, "5m", "1s", "1d"),
             "read_every_message": Key(_bool, False),
             "read_whole_below": Key(_positive, 200, 1, 1_000_000)},
    "rules": {"paths": Key(_path_list, []), "disabled": Key(_str_list, [])},
    "templates": {"paths": Key(_path_list, [])},
    "drafts": {"html": Key(_bool, True)},
    "limits": {
        "message_bytes": Key(_positive, 25 * 1024 * 1024, 1024, 1024 ** 3),
        "parts": Key(_positive, 200, 1, 10000),
        "seconds": Key(_positive_number, 10, 0.01, 86400),
    },
}


def _walk(schema: Mapping[str, Any], data: Any, prefix: str, problems: list[str]) -> dict[str, Any]:
    """Check ``data`` against ``schema``; return parsed values, appending problems as we go."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        problems.append(f"{prefix or '(top level)'}: must be a mapping of keys")
        data = {}
    for key in data:
        if key not in schema:
            problems.append(f"{prefix}{key}: unknown key")
    values: dict[str, Any] = {}
    for key, spec in schema.items():
        path = f"{prefix}{key}"
        if isinstance(spec, dict):
            values[key] = _walk(spec, data.get(key), path + ".", problems)
            continue
        if key not in data:
            if spec.default is REQUIRED:
                problems.append(f"{path}: missing (required)")
                continue
            raw = spec.default
        else:
            raw = data[key]
        try:
            values[key] = spec.parse(raw)
            spec.check_range(values[key])
        except ValueError as exc:
            problems.append(f"{path}: {exc}")
    return values


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _cross_checks(v: dict[str, Any]) -> list[str]:
    problems = []
    imap = v["imap"]
    if imap.get("security") == "plain" and "host" in imap and not _is_loopback(imap["host"]):
        problems.append("imap.security: plain is refused unless imap.host is a loopback address")
    if imap.get("auth") == "xoauth2" and not imap.get("token_command"):
        problems.append("imap.token_command: required when imap.auth is xoauth2")
    problems += _caldav_checks(v["calendar"]["caldav"])
    return problems


def _caldav_checks(caldav: dict[str, Any]) -> list[str]:
    url = caldav.get("url")
    if url is None:
        return []
    problems = []
    host = urlsplit(url).hostname or ""
    if url.startswith("http://") and not _is_loopback(host):
        problems.append("calendar.caldav.url: plain http:// is refused unless the host is a loopback address")
    if not caldav.get("username"):
        problems.append("calendar.caldav.username: required when calendar.caldav.url is set")
    return problems


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def default_config_path() -> Path:
    env = os.environ.get("RELANCE_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "config.yaml"


def parse(data: Any, source: Path | None) -> Settings:
    """Turn already-loaded YAML into Settings, or raise ConfigError with every problem."""
    label = str(source) if source else "<config>"
    problems: list[str] = []
    v = _walk(SCHEMA, data, "", problems)
    if not problems:
        problems += _cross_checks(v)
    if problems:
        raise ConfigError([f"{label}: {p}" for p in problems])
    base = data_dir()
    if source is not None:
        # relative paths in a config file mean relative to that file
        base_rel = source.parent
        for section, key in (("storage", "path"), ("calendar", "path"), ("imap", "password_file"),
                             ("imap", "ca_file"), ("calendar.caldav", "password_file")):
            node = v
            for name in section.split("."):
                node = node[name]
            value = node[key]
            if isinstance(value, Path) and not value.is_absolute():
                node[key] = base_rel / value
        v["rules"]["paths"] = tuple(p if p.is_absolute() else base_rel / p for p in v["rules"]["paths"])
        v["templates"]["paths"] = tuple(p if p.is_absolute() else base_rel / p
                                        for p in v["templates"]["paths"])
    storage_path = v["storage"]["path"] or base / "relance.db"
    imap = v["imap"]
    cal = v["calendar"]
    fu = v["followups"]
    return Settings(
        source=source,
        imap=ImapSettings(
            host=imap["host"], port=imap["port"], security=imap["security"], username=imap["username"],
            password_file=imap["password_file"], password_command=imap["password_command"],
            auth=imap["auth"], token_command=imap["token_command"], ca_file=imap["ca_file"],
            folders=imap["folders"], drafts=imap["drafts"], idle=imap["idle"],
            idle_renew=imap["idle_renew"], timeout=float(imap["timeout"]), sent=imap["sent"],
        ),
        identity=Identity(**v["identity"]),
        language=v["language"],
        timezone=v["timezone"],
        storage_path=storage_path,
        data_dir=storage_path.parent,
        calendar=CalendarSettings(
            path=cal["path"] or storage_path.parent / "relance.ics",
            serve=ServeSettings(**cal["serve"]),
            thank_you_reminder=cal["thank_you_reminder"],
            alarm_minutes=cal["alarm_minutes"],
            caldav=CalDavSettings(**cal["caldav"]) if cal["caldav"]["url"] else None,
        ),
        followups=FollowupSettings(
            thank_you=ThankYouSettings(**fu["thank_you"]),
            call=CallSettings(**fu["call"]),
            debrief_after=fu["debrief_after"],
            holidays=fu["holidays"],
        ),
        scan=ScanSettings(**v["scan"]),
        rule_paths=v["rules"]["paths"],
        rules_disabled=v["rules"]["disabled"],
        template_paths=v["templates"]["paths"],
        limits=LimitSettings(**v["limits"]),
        drafts=DraftSettings(**v["drafts"]),
    )


def load(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such config file (run `relance init` to create one)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError([f"{path}: {where}{problem}"]) from None
    return parse(data, path)
