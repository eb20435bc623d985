# SPDX-License-Identifier: MIT
"""Where the data that ships with relance is: inside the package when installed from a wheel,
at the top of the checkout when run from one."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent


def shipped_path(name: str) -> Path | None:
    """The shipped file or directory ``name`` (rules, templates, config.example.yaml), or None."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.exists():
            return candidate
    return None
