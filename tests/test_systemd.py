# SPDX-License-Identifier: MIT
"""systemd: the unit passes `systemd-analyze verify`, and the daemon speaks sd_notify (READY, STATUS,
WATCHDOG, RELOADING, STOPPING) to a NOTIFY_SOCKET that the test binds, as systemd would."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.run.notify import Notifier
from tests.conftest import SAMPLES, Env
from tests.harness.daemon_process import REPO, DaemonProcess, dated_now

UNIT = REPO / "systemd" / "relance.service"
SYSTEM_UNIT = REPO / "systemd" / "system" / "relance.service"
README = REPO / "README.md"
EXPOSURE_BOUND = 2.5  # `systemd-analyze security` scores 0 (locked down) to 10 (exposed)


def analyze(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    # systemd-analyze comes with the systemd package (make test installs it); no running systemd needed
    binary = shutil.which("systemd-analyze")
    assert binary, "systemd-analyze is missing: run tests/install-systemd-tools.sh"
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home where ExecStart (%h/.local/bin/relance) exists, as after `pipx install`."""
    binary = tmp_path / ".local" / "bin" / "relance"
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    (tmp_path / ".local" / "share" / "relance").mkdir(parents=True)
    return tmp_path


@pytest.mark.parametrize("mode", ["--user", "--system"])
def test_the_unit_passes_systemd_analyze_verify_without_a_warning(home: Path, mode: str) -> None:
    done = analyze("verify", mode, "--man=no", str(UNIT), home=home)
    # verify exits 0 on unknown keys and bad values too: any line it prints is a problem
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr


def test_systemd_analyze_security_rates_the_unit_ok(home: Path) -> None:
    done = analyze("security", "--offline=true", str(UNIT), home=home)
    match = re.search(r"Overall exposure level for relance\.service: (\d+\.\d+)", done.stdout)
    assert match, done.stdout + done.stderr
    print(f"systemd-analyze security: {match[1]}")
    assert float(match[1]) <= EXPOSURE_BOUND


def system_unit_here(tmp_path: Path) -> Path:
    """The system unit with its ExecStart pointing at a stand-in: verify checks the binary exists, and
    /opt/relance is not this machine's to create."""
    binary = tmp_path / "opt" / "relance" / "bin" / "relance"
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    unit = tmp_path / "unit" / "relance.service"
    unit.parent.mkdir()
    unit.write_text(SYSTEM_UNIT.read_text(encoding="utf-8").replace("/opt/relance/bin/relance", str(binary)),
                    encoding="utf-8")
    return unit


def test_the_system_unit_passes_verify_and_security(home: Path, tmp_path: Path) -> None:
    unit = system_unit_here(tmp_path)
    done = analyze("verify", "--system", "--man=no", str(unit), home=home)
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr
    done = analyze("security", "--offline=true", str(unit), home=home)
    match = re.search(r"Overall exposure level for relance\.service: (\d+\.\d+)", done.stdout)
    assert match and float(match[1]) <= EXPOSURE_BOUND, done.stdout + done.stderr


# what a system service changes from the user unit; every other [Service] line is the same in both
SYSTEM_ONLY = {"User", "Group", "Environment", "ExecStart", "LoadCredential", "ProtectHome", "ReadWritePaths",
               "StateDirectory", "StateDirectoryMode", "Documentation"}


def unit_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and line.partition("=")[0] not in SYSTEM_ONLY]


def test_the_system_unit_keeps_the_user_units_settings_and_hardening() -> None:
    assert unit_lines(SYSTEM_UNIT) == unit_lines(UNIT)


def readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    after = re.compile(r"\n##+ ").search(text, start + len(title) + 2)  # the next heading
    return text[start:after.start() if after else len(text)]


def sh_lines(section: str) -> list[str]:
    """The command lines of the section's ```sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


NEEDS_SYSTEMD = ("systemctl ", "journalctl ", "loginctl ")


def run_recipe(lines: list[str], home: Path) -> None:
    env = {**os.environ, "HOME": str(home)}
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (line, done.stderr)


def test_the_readme_user_recipe_installs_a_unit_whose_paths_exist_by_both_routes(tmp_path: Path) -> None:
    """The README's commands, run in a new home (those that need a running systemd left out): after
    either install route, the unit's ExecStart and Documentation exist and verify finds nothing."""
    install = sh_lines(readme_section("## Use it for real"))
    # the venv route, commented out under `pipx install .`; pip itself stood in for by the binary
    venv_route = [line.removeprefix("#").strip() for line in install if line.startswith("#   ")]
    assert any("ln -sf ~/.venv/relance/bin/relance ~/.local/bin/relance" in line for line in venv_route)
    recipe = sh_lines(readme_section("### As a systemd user service"))
    assert any(line.startswith('loginctl enable-linger "$USER"') for line in recipe)
    for route in ("pipx", "venv"):
        home = tmp_path / route
        binary = home / (".local/bin/relance" if route == "pipx" else ".venv/relance/bin/relance")
        binary.parent.mkdir(parents=True)
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755)
        if route == "venv":
            run_recipe([line for line in venv_route if "pip install" not in line], home)
        run_recipe([line for line in recipe if not line.startswith(NEEDS_SYSTEMD)], home)
        unit = home / ".config" / "systemd" / "user" / "relance.service"
        text = unit.read_text(encoding="utf-8").replace("%h", str(home))
        exec_start = Path(re.search(r"(?m)^ExecStart=(\S+)", text)[1])  # type: ignore[index]
        assert os.access(exec_start, os.X_OK), (route, exec_start)
        documentation = re.search(r"(?m)^Documentation=file://(\S+)", text)[1]  # type: ignore[index]
        assert Path(documentation).read_text(encoding="utf-8") == README.read_text(encoding="utf-8")
        done = analyze("verify", "--user", "--man=no", str(unit), home=home)
        assert done.returncode == 0 and done.stdout + done.stderr == "", (route, done.stdout + done.stderr)


def test_the_readme_system_recipe_makes_every_path_the_system_unit_names() -> None:
    """Run as root, the system recipe cannot run here: each path and user the unit needs is made by one
    of its steps instead."""
    recipe = "\n".join(sh_lines(readme_section("### As a system service")))
    unit = SYSTEM_UNIT.read_text(encoding="utf-8")
    assert re.search(r"(?m)^useradd --system .* relance$", recipe) and "User=relance" in unit
    assert "python3 -m venv /opt/relance && /opt/relance/bin/pip install ." in recipe
    assert "ExecStart=/opt/relance/bin/relance run" in unit
    for path in ("/etc/relance/config.yaml", "/etc/relance/imap-password", "/usr/local/share/doc/relance/README.md",
                 "/etc/systemd/system/"):
        assert path in recipe, path
    assert "Environment=RELANCE_CONFIG=/etc/relance/config.yaml" in unit
    assert "LoadCredential=relance-imap:/etc/relance/imap-password" in unit
    assert "Documentation=file:///usr/local/share/doc/relance/README.md" in unit
    assert "cp systemd/system/relance.service /etc/systemd/system/" in recipe
    section = readme_section("### As a system service")
    for key in ("ReadWritePaths", "LoadCredential", "StateDirectory", "User=relance"):
        assert key in section, key


def test_the_unit_is_type_notify_with_a_watchdog_reload_and_the_credential_shown() -> None:
    text = UNIT.read_text(encoding="utf-8")
    for line in ("Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                 "#LoadCredential=relance-imap:", "ProtectSystem=strict", "NoNewPrivileges=yes", "UMask=0077",
                 "SystemCallFilter=@system-service"):
        assert line in text, line


# --- sd_notify


class FakeSystemd:
    """A datagram socket standing in for systemd's notify socket; it keeps what it receives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.1)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.messages.append((time.monotonic(), data.decode()))

    def fields(self) -> list[str]:
        return [line for _at, message in list(self.messages) for line in message.splitlines()]

    def wait_for(self, field: str, timeout: float = 10.0, after: int = 0) -> int:
        """Index in fields() of the first line starting with field, at or after index after."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [i for i, line in enumerate(self.fields()) if i >= after and line.startswith(field)]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no {field} within {timeout} s; got {self.fields()}")

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    fake = FakeSystemd(tmp_path / "notify.sock")
    yield fake
    fake.close()


def test_ready_after_the_first_cycle_then_status_watchdog_reloading_and_stopping(env: Env,
                                                                                  systemd: FakeSystemd) -> None:
    env.server.append("INBOX", dated_now((SAMPLES / "01-google-invite-acme.eml").read_bytes()))
    env.write_config(imap__idle=True)
    notify_env = {"NOTIFY_SOCKET": str(systemd.path), "WATCHDOG_USEC": "1000000"}
    with DaemonProcess(env.config_path, env=notify_env) as daemon:
        ready = systemd.wait_for("READY=1")
        daemon.wait_for(r"cycle done: 1 message read")
        assert "cycle done" in daemon.log(), "READY=1 comes after the first cycle"
        status = next(f for f in systemd.fields()[ready:] if f.startswith("STATUS="))
        assert re.fullmatch(r"STATUS=watching INBOX, 1 interview(, next follow-up \w{3} (\d\d \w{3} )?\d\d:\d\d)?",
                            status), status
        first_ping = systemd.wait_for("WATCHDOG=1", timeout=3)
        systemd.wait_for("WATCHDOG=1", timeout=3, after=first_ping + 1)  # pings every half period

        daemon.send(signal.SIGHUP)
        reloading = systemd.wait_for("RELOADING=1")
        systemd.wait_for("READY=1", after=reloading)

        code, took = daemon.stop()
        assert code == 0 and took < 10
        systemd.wait_for("STOPPING=1")
    assert "NOTIFY_SOCKET" not in daemon.log()


def test_offline_at_start_ready_is_sent_with_the_reason_so_systemctl_start_does_not_hang(
        env: Env, systemd: FakeSystemd) -> None:
    env.write_config(imap__port=1)  # nothing listens there
    with DaemonProcess(env.config_path, env={"NOTIFY_SOCKET": str(systemd.path)}) as daemon:
        index = systemd.wait_for("READY=1")
        assert any(f.startswith("STATUS=connection lost; next attempt in") for f in systemd.fields()[index:])
        assert daemon.stop()[0] == 0


def test_notifier_reaches_an_abstract_socket_and_is_silent_without_systemd(monkeypatch) -> None:
    name = f"relance-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        monkeypatch.setenv("WATCHDOG_USEC", "30000000")
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
        notifier = Notifier.from_environment()
        assert "NOTIFY_SOCKET" not in os.environ, "helper commands must not inherit it"
        assert notifier.watchdog_interval == 15.0
        notifier.ready("watching INBOX,\n 0 interviews")
        assert sock.recv(4096) == b"READY=1\nSTATUS=watching INBOX, 0 interviews"
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.setenv("WATCHDOG_PID", "1")  # another process's watchdog
    silent = Notifier.from_environment()
    assert not silent.enabled and silent.watchdog_interval is None
    silent.ready("nobody listens")  # no error


# --- logs as journald reads them


def test_under_journald_each_line_carries_its_priority_and_no_timestamp(env: Env) -> None:
    env.deliver("01-google-invite-acme.eml")
    with DaemonProcess(env.config_path, "--once", env={"JOURNAL_STREAM": "8:12345"}) as daemon:
        assert daemon.wait() == 0
        lines = daemon.log().splitlines()
    assert lines and all(re.match(r"<[2-7]>(DEBUG|INFO|WARNING|ERROR|CRITICAL) daemon(?:\.\w+)+: ", line)
                         for line in lines), lines
    assert any(line.startswith("<6>INFO daemon.run.cycle: cycle done") for line in lines)
