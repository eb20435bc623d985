# SPDX-License-Identifier: MIT
"""The one exception the CLI turns into a one-line message and exit code 1."""


class UserError(Exception):
    """Something the user can fix: a bad config, a refused login, an unknown ID."""
