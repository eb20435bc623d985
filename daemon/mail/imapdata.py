# SPDX-License-Identifier: MIT
"""What IMAP commands give back, as plain data, and how they fail: a refusal (ImapError, not worth
retrying by itself) or a broken connection (ConnectionFailed, worth retrying)."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.errors import SetupError, UserError
from daemon.text import server_text


class ImapError(UserError):
    """The server refused something (login, a folder): retrying will not help by itself."""


class LoginRefused(ImapError):
    pass


class FolderMissing(ImapError, SetupError):
    """A watched folder or the Drafts folder is not on the server (or cannot be opened)."""


class ConnectionFailed(UserError):
    """The server could not be reached or the connection broke: worth retrying later."""


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int
    messages: int


@dataclass(frozen=True)
class FetchedMessage:
    folder: str
    uid: int
    raw: bytes
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    """The first part of a message: its whole header and the start of its body."""

    uid: int
    size: int  # RFC822.SIZE of the whole message
    header: bytes  # BODY[HEADER], the blank line included
    body: bytes  # BODY[TEXT]<0.N>
    asked: int  # N

    @property
    def complete(self) -> bool:
        """Whether header and body are the whole message, byte for byte.

        Both the size and a body shorter than asked must say so: a server whose
        RFC822.SIZE is off must not make a cut body pass for a whole one."""
        return len(self.body) < self.asked and len(self.header) + len(self.body) == self.size

    @property
    def raw(self) -> bytes:
        return self.header + self.body


def short_repr(data: object, limit: int = 200) -> str:
    """A server's answer in a log line or an error: its words, never a bytes repr."""
    return server_text(data, limit)
