# SPDX-License-Identifier: MIT
"""Where the IMAP secret comes from, in this order (the README states it too):

1. ``imap.password_command`` (a password manager: its first output line)
2. ``imap.password_file``
3. ``$CREDENTIALS_DIRECTORY/relance-imap`` (systemd ``LoadCredential=``)
4. the system keyring (``relance login`` stores it there)
5. ``$RELANCE_IMAP_PASSWORD``

The calendar.caldav password comes from its own ``password_command``, else its
``password_file``, else the keyring (``relance login --caldav``).

With ``imap.auth: xoauth2`` the secret is an access token printed by
``imap.token_command`` instead, fetched anew on every login.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from daemon.config import CalDavSettings, ImapSettings
from daemon.errors import UserError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "relance"
CALDAV_KEYRING_SERVICE = "relance-caldav"
CREDENTIAL_NAME = "relance-imap"
ENV_PASSWORD = "RELANCE_IMAP_PASSWORD"  # noqa: S105 - a variable name, not a secret
# A password manager may wait for a pinentry; past this, the login attempt fails and is retried later.
COMMAND_TIMEOUT = 60.0


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


def _run_command(command: str, label: str) -> Secret:
    try:
        words = shlex.split(command)
    except ValueError as exc:  # an unclosed quote; the command itself is not repeated: it may hold a secret
        raise UserError(f"{label}: cannot be read as a command ({exc})") from None
    program = words[0] if words else ""
    try:
        stdout = _output_of(words)
    except subprocess.TimeoutExpired:
        raise UserError(f"{label}: {program!r} did not finish within {COMMAND_TIMEOUT:g} s") from None
    except OSError as exc:
        raise UserError(f"{label}: cannot run {program!r}: {exc.strerror or exc}") from None
    except subprocess.CalledProcessError as exc:
        raise UserError(f"{label}: exited with status {exc.returncode}") from None
    try:
        # UTF-8 whatever the locale: under LANG=C a password with an accent would not decode
        text = stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{label}: its output is not UTF-8 text") from None  # the error quotes the bytes
    first = text.splitlines()[0].strip() if text.strip() else ""
    if not first:
        raise UserError(f"{label}: printed nothing")
    return Secret(first)


def _output_of(argv: list[str]) -> bytes:
    """What the command prints, within COMMAND_TIMEOUT. It runs in a session of its own, so that on
    timeout the helpers it started (a gpg-agent, a pinentry holding the pipe) are killed with it."""
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=_child_env(), start_new_session=True) as proc:
        try:
            stdout, _ = proc.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, argv[:1])
    return stdout


def _read_secret_file(path: Path, label: str) -> Secret:
    try:
        value = path.read_text(encoding="utf-8").strip("\r\n")
    except OSError as exc:
        raise UserError(f"{label}: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"{label}: {path} is not UTF-8 text") from None  # the error would quote the bytes
    if not value:
        raise UserError(f"{label}: {path} is empty")
    return Secret(value)


def _from_keyring(username: str, service: str = KEYRING_SERVICE) -> Secret | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        value = keyring.get_password(service, username)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.debug("keyring unavailable: %s", type(exc).__name__)
        return None
    return Secret(value) if value else None


def store_in_keyring(username: str, password: str, service: str = KEYRING_SERVICE) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(service, username, password)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise UserError(
            f"keyring: cannot store the password ({type(exc).__name__}); "
            "use a password_file or a password_command instead"
        ) from None


def imap_secret(imap: ImapSettings) -> Credential:
    """The secret for the configured account, or a UserError saying where we looked."""
    if imap.auth == "xoauth2":
        assert imap.token_command is not None  # config cross-check guarantees it
        return Credential(_run_command(imap.token_command, "imap.token_command"), "token_command")
    if imap.password_command:
        return Credential(_run_command(imap.password_command, "imap.password_command"), "password_command")
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


def caldav_secret(caldav: CalDavSettings) -> Credential:
    """The calendar.caldav password: its password_command, else its password_file, else the keyring."""
    if caldav.password_command:
        return Credential(_run_command(caldav.password_command, "calendar.caldav.password_command"),
                          "password_command")
    if caldav.password_file:
        return Credential(_read_secret_file(caldav.password_file, "calendar.caldav.password_file"), "password_file")
    secret = _from_keyring(caldav.username, CALDAV_KEYRING_SERVICE)
    if secret is not None:
        return Credential(secret, "keyring")
    raise UserError("calendar.caldav: no password found (tried calendar.caldav.password_command, "
                    "calendar.caldav.password_file and the keyring); run `relance login --caldav`")
