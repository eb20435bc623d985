# SPDX-License-Identifier: MIT
"""relance: job-interview invitations in, thank-you drafts and call reminders out."""

__version__ = "0.1.0"
