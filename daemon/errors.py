# SPDX-License-Identifier: MIT
"""The exceptions the CLI turns into a one-line message: exit code 1, or 2 for a usage error."""


class UserError(Exception):
    """Something the user can fix: a bad config, a refused login, an unknown ID."""


class SetupError(UserError):
    """Something only the user can fix in the set-up (a folder missing): retrying changes nothing until
    they do, so the daemon says so once and waits for a reload instead of retrying."""


class UsageError(UserError):
    """The command line itself is wrong (a malformed argument, an unknown field): exit code 2, as argparse's
    own usage errors, so a script tells a mistyped call from a refusal."""
