# SPDX-License-Identifier: MIT
"""The wheel carries the rules, the templates and the example config: it works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from tests.conftest import Env

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True)
    return next(out.glob("relance-*.whl"))


def fresh_venv(where: Path) -> Path:
    """A venv with relance installed from the wheel only; its dependencies borrowed from ours."""
    venv.create(where, with_pip=False)
    site = next((where / "lib").glob("python*/site-packages"))
    # a plain path line: the borrowed dir's own .pth files (our editable install) are not run
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return where


def test_wheel_ships_rules_templates_and_example_config(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("daemon/rules/") and n.endswith(".yaml") for n in names)
    assert "daemon/templates/thank_you.fr.txt.j2" in names
    assert "daemon/config.example.yaml" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_runs_a_cycle_outside_the_checkout(env: Env, tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    target = fresh_venv(tmp_path / "venv")
    py = target / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                   check=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run([str(py), "-c", "import daemon; print(daemon.__file__)"], cwd=outside,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(target)), f"daemon imported from {where}, not from the wheel"

    relance = target / "bin" / "relance"
    help_text = subprocess.run([str(relance), "--help"], cwd=outside, capture_output=True, text=True, check=True)
    assert "explain" in help_text.stdout

    env.deliver("01-google-invite-acme.eml")
    run = subprocess.run([str(relance), "--config", str(env.config_path), "run", "--once",
                          "--now", "2026-12-04T10:00:00+01:00"], cwd=outside, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len(env.drafts()) == 1
    assert b"BEGIN:VEVENT" in env.calendar_path.read_bytes()
