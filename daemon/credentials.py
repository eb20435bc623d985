# SPDX-License-Identifier: MIT
"""Where the IMAP secret comes from, in this order (the README states it too):

1. ``imap.password_command`` (a password manager: its first output line)
2. ``imap.password_file``
3. ``$CREDENTIALS_DIRECTORY/relance-imap`` (systemd ``LoadCredential=``)
4. the system keyring (``relance login`` stores it there)
5. ``$RELANCE_IMAP_PASSWORD``

With ``imap.auth: xoauth2`` the secret is an access token printed by
``imap.token_command`` instead, fetched anew on every login.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from daemon.config import ImapSettings
from daemon.errors import UserError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "relance"
CREDENTIAL_NAME = "relance-imap"
ENV_PASSWORD = "RELANCE_IMAP_PASSWORD"  # noqa: S105 - a variable name, not a secret


class Secret:
    """A string that never shows itself in a repr, a log line or a traceback's locals."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__


@dataclass(frozen=True)
class Credential:
    secret: Secret
    origin: str  # where it came from, safe to log


def _child_env() -> dict[str, str]:
    # a helper command must not inherit a password we were given through the environment
    return {k: v for k, v in os.environ.items() if k != ENV_PASSWORD}


def _run_command(command: str, what: str) -> Secret:
    try:
        words = shlex.split(command)
    except ValueError as exc:  # an unclosed quote; the command itself is not repeated: it may hold a secret
        raise UserError(f"imap.{what}: cannot be read as a command ({exc})") from None
    program = words[0] if words else ""
    try:
        done = subprocess.run(words, capture_output=True, text=True, timeout=60, env=_child_env(), check=False)
    except subprocess.TimeoutExpired:
        raise UserError(f"imap.{what}: {program!r} did not finish within 60 s") from None
    except OSError as exc:
        raise UserError(f"imap.{what}: cannot run {program!r}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise UserError(f"imap.{what}: exited with status {done.returncode}")
    first = done.stdout.splitlines()[0].strip() if done.stdout.strip() else ""
    if not first:
        raise UserError(f"imap.{what}: printed nothing")
    return Secret(first)


def _read_secret_file(path: Path, label: str) -> Secret:
    try:
        value = path.read_text(encoding="utf-8").strip("\r\n")
    except OSError as exc:
        raise UserError(f"{label}: cannot read {path}: {exc.strerror}") from None
    if not value:
        raise UserError(f"{label}: {path} is empty")
    return Secret(value)


def _from_keyring(username: str) -> Secret | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, username)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.debug("keyring unavailable: %s", type(exc).__name__)
        return None
    return Secret(value) if value else None


def store_in_keyring(username: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, username, password)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise UserError(
            f"keyring: cannot store the password ({type(exc).__name__}); "
            "use imap.password_file or a systemd credential instead"
        ) from None


def imap_secret(imap: ImapSettings) -> Credential:
    """The secret for the configured account, or a UserError saying where we looked."""
    if imap.auth == "xoauth2":
        assert imap.token_command is not None  # config cross-check guarantees it
        return Credential(_run_command(imap.token_command, "token_command"), "token_command")
    if imap.password_command:
        return Credential(_run_command(imap.password_command, "password_command"), "password_command")
    if imap.password_file:
        return Credential(_read_secret_file(imap.password_file, "imap.password_file"), "password_file")
    cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
    if cred_dir and (Path(cred_dir) / CREDENTIAL_NAME).exists():
        path = Path(cred_dir) / CREDENTIAL_NAME
        return Credential(_read_secret_file(path, "systemd credential"), "systemd credential")
    secret = _from_keyring(imap.username)
    if secret is not None:
        return Credential(secret, "keyring")
    env = os.environ.get(ENV_PASSWORD)
    if env:
        return Credential(Secret(env), ENV_PASSWORD)
    raise UserError(
        "imap: no password found (tried imap.password_file, $CREDENTIALS_DIRECTORY/relance-imap, "
        f"the keyring and ${ENV_PASSWORD}); run `relance login`"
    )
