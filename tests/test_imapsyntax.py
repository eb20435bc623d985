# SPDX-License-Identifier: MIT
"""IMAP responses read as values (daemon/mail/imapsyntax.py): STATUS answers of LIST-STATUS."""

from __future__ import annotations

from daemon.mail import imapsyntax


def test_status_responses_of_a_list_status_answer() -> None:
    # as imaplib hands them over: a literal name splits a response into a tuple and the rest of its line
    data = [b'"&AMk-l&AOk-ments envoy&AOk-s" (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 17)', b"INBOX (UIDNEXT 5 UIDVALIDITY 1)",
            (b"{4}", b"Arch"), b" (UIDNEXT 2 UIDVALIDITY 4)", b"2024 (UIDNEXT 7 UIDVALIDITY 8)"]
    assert imapsyntax.status_responses(data) == {
        b"&AMk-l&AOk-ments envoy&AOk-s": {b"MESSAGES": 3, b"UIDNEXT": 9, b"UIDVALIDITY": 17},
        b"INBOX": {b"UIDNEXT": 5, b"UIDVALIDITY": 1}, b"Arch": {b"UIDNEXT": 2, b"UIDVALIDITY": 4},
        b"2024": {b"UIDNEXT": 7, b"UIDVALIDITY": 8}}
