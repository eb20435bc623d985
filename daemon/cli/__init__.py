# SPDX-License-Identifier: MIT
"""The command line (`relance`, `python -m daemon`): parses arguments, prints, and turns a UserError into
one line. The only room that prints; it may import every other room, and none imports it."""

from daemon.cli.commands import main

__all__ = ["main"]
