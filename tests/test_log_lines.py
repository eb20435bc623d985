# SPDX-License-Identifier: MIT
"""Log lines as a user reads them in the journal: the server's words without Python's bytes reprs, counts
in the singular when there is one, and the database's schema said once, at debug level."""

from __future__ import annotations

import logging
import re

import pytest

from daemon.text import counted, describe_error, server_text
from tests.conftest import Env

BYTES_REPR = re.compile(r"""\bb['"]""")


def test_a_cycle_with_one_message_says_it_in_the_singular(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    env.deliver("01-google-invite-acme.eml")
    caplog.set_level(logging.DEBUG)
    env.run_at("2026-11-26T12:00:00+01:00")
    env.run_at("2026-12-04T10:00:00+01:00")  # J+1 of the interview on 3 Dec
    lines = [r.getMessage() for r in caplog.records]
    done = [line for line in lines if line.startswith("cycle done")]
    assert done[0] == "cycle done: 1 message read, 1 new interview, 0 held for review, 0 updated, 0 drafts"
    assert done[1] == "cycle done: 0 messages read, 0 new interviews, 0 held for review, 0 updated, 1 draft"
    schema = [r for r in caplog.records if "schema" in r.getMessage()]
    assert len(schema) == 1 and schema[0].levelno == logging.DEBUG, [r.getMessage() for r in schema]
    assert re.fullmatch(r"records database created at schema \d+", schema[0].getMessage())
    assert not any(BYTES_REPR.search(line) for line in lines)


def test_a_missing_folder_is_named_in_the_servers_words(env: Env) -> None:
    """`relance explain --uid 3 --folder Nope`: the server's answer quoted as it said it."""
    result = env.relance("explain", "--uid", "3", "--folder", "Nope")
    assert result.code == 1
    assert result.err.startswith("relance: imap: cannot open folder 'Nope': Mailbox doesn't exist: Nope")
    assert not BYTES_REPR.search(result.err), result.err


def test_server_answers_and_imaplib_errors_read_as_words() -> None:
    import imaplib

    error = imaplib.IMAP4.error("EXAMINE command error: BAD [b'Error in IMAP command EXAMINE: Invalid']")
    assert describe_error(error) == "error: EXAMINE command error: BAD Error in IMAP command EXAMINE: Invalid"
    assert server_text([b"[NONEXISTENT] Mailbox doesn't exist: Nope", None]) == \
        "[NONEXISTENT] Mailbox doesn't exist: Nope"
    assert [counted(n, "message") for n in (0, 1, 2)] == ["0 messages", "1 message", "2 messages"]
