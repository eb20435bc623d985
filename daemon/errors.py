# SPDX-License-Identifier: MIT
"""The one exception the CLI turns into a one-line message and exit code 1."""


class UserError(Exception):
    """Something the user can fix: a bad config, a refused login, an unknown ID."""


class SetupError(UserError):
    """Something only the user can fix in the set-up (a folder missing): retrying changes nothing until
    they do, so the daemon says so once and waits for a reload instead of retrying."""
