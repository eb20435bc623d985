# SPDX-License-Identifier: MIT
"""The half of an IMAP connection that reads in bulk: FETCH commands sent ahead of their answers
(a batch in flight while the last one is judged), previews, outlines (header fields and structure)
and whole messages by UID. Mailbox is one; what this needs of it is declared below."""

from __future__ import annotations

import imaplib
import re
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterator, Sequence

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted

from daemon.mail import imapsyntax
from daemon.mail.imapdata import ConnectionFailed, ImapError, Preview, short_repr
from daemon.text import describe_error

# Servers reject over-long command lines; this keeps a UID set well under 8 kB.
UID_BATCH = 500


# Previews carry up to N kB each: a smaller batch keeps one response's memory bounded.
PREVIEW_BATCH = 200


def _uid_set(uids: Sequence[int]) -> str:
    """Sorted UIDs as an IMAP set, runs folded into ranges ("1:500,502"): short command lines."""
    runs: list[str] = []
    start = previous = None
    for uid in uids:
        if previous is not None and uid == previous + 1:
            previous = uid
            continue
        if start is not None:
            runs.append(f"{start}:{previous}" if previous != start else str(start))
        start = previous = uid
    if start is not None:
        runs.append(f"{start}:{previous}" if previous != start else str(start))
    return ",".join(runs)


def _batches(uids: Sequence[int], size: int = UID_BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(uids), size):
        yield uids[start:start + size]


def _outline_plan(uids: Sequence[int], batch: int, alone: Collection[int],
                  unasked: Collection[int]) -> Iterator[tuple[str, list[int]]]:
    """(how, UIDs) of each outline batch in UID order: a UID of ``alone`` "alone", in a FETCH of its own,
    one of ``unasked`` never asked for, the others in batches of ``batch``."""
    run: list[int] = []
    for uid in uids:
        if uid in alone or uid in unasked:
            yield from (("batch", list(chunk)) for chunk in _batches(run, batch))
            run = []
            yield "unasked" if uid in unasked else "alone", [uid]
        else:
            run.append(uid)
    yield from (("batch", list(chunk)) for chunk in _batches(run, batch))


def _fetch_items(data: Sequence[object]) -> Iterator[dict[bytes, imapsyntax.Value]]:
    try:
        yield from imapsyntax.fetch_items(data)
    except imapsyntax.SyntaxProblem as exc:
        raise ImapError(f"imap: FETCH answer not understood: {exc}") from None


def _fetched(data: Sequence[object]) -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
    """(uid, the one literal, flags) of each message of a FETCH answer."""
    for entry in data:
        if not isinstance(entry, tuple) or len(entry) < 2:
            continue
        head, body = entry[0], entry[1]
        uid_match = _UID_RE.search(head)
        if uid_match is None:
            continue
        flags_match = _FLAGS_RE.search(head)
        flags = tuple(flags_match[1].decode().split()) if flags_match else ()
        yield int(uid_match[1]), bytes(body), flags


_UID_RE = re.compile(rb"UID (\d+)")


_FLAGS_RE = re.compile(rb"FLAGS \(([^)]*)\)")


class PipelinedReads:
    commands: int
    full_fetches: int
    selected: str | None
    _box: MailBox | MailBoxStartTls | MailBoxUnencrypted | None
    _in_flight: list[tuple[bytes, str]]
    _after_command: Callable[[], None] | None
    _early: dict[bytes, list[object] | ImapError | ConnectionFailed]

    @property
    def client(self) -> imaplib.IMAP4:
        raise NotImplementedError

    def _command(self, name: str, *args: str | bytes) -> list[object]:
        raise NotImplementedError

    def examine(self, folder: str) -> None:
        raise NotImplementedError

    def fetch(self, uids: Sequence[int], item: str = "BODY.PEEK[]") -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
        """(uid, bytes of ``item``, flags) for each UID, in batches, in the examined folder."""
        for batch in _batches(list(uids)):
            data = self._command("UID FETCH", _uid_set(batch), f"(UID FLAGS {item})")
            if item == "BODY.PEEK[]":
                self.full_fetches += len(batch)
            yield from _fetched(data)

    def request_whole(self, uids: Sequence[int]) -> bytes:
        """Send, without waiting, the FETCH of these messages whole (at most UID_BATCH); ``whole`` reads
        it. Nothing else may be in flight meanwhile: two FETCHes at once are answered interleaved."""
        self.full_fetches += len(uids)
        return self._send("UID FETCH", _uid_set(uids), "(UID FLAGS BODY.PEEK[])")

    def whole(self, request: bytes) -> Iterator[tuple[int, bytes, tuple[str, ...]]]:
        """(uid, bytes, flags) of each message of a ``request_whole``."""
        return _fetched(self._answer(request))

    def forget_requests(self) -> None:
        """Read and drop the answers nobody will ask for (a scan that stopped half-way)."""
        if self._box is not None:
            self._settle()
        self._early.clear()

    def previews(self, uids: Sequence[int], body_bytes: int,
                 batch: int = PREVIEW_BATCH) -> Iterator[list[Preview]]:
        """Header and first body_bytes of each message, one FETCH per batch of UIDs, in UID order."""
        items = f"(UID RFC822.SIZE BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{body_bytes}>)"
        for chunk in _batches(list(uids), batch):
            data = self._command("UID FETCH", _uid_set(chunk), items)
            found = []
            for fields in _fetch_items(data):
                uid, size = fields.get(b"UID"), fields.get(b"RFC822.SIZE")
                header = fields.get(b"BODY[HEADER]")
                body = fields.get(b"BODY[TEXT]<0>", b"")
                if isinstance(uid, int) and isinstance(size, int) and isinstance(header, bytes):
                    found.append(Preview(uid, size, header, body if isinstance(body, bytes) else b"", body_bytes))
            # a message expunged meanwhile is simply absent
            yield sorted(found, key=lambda p: p.uid)

    def outlines(self, uids: Sequence[int], fields: Sequence[str], hints: Sequence[bytes],
                 batch: int = UID_BATCH, *, alone: Collection[int] = (), unasked: Collection[int] = (),
                 failed: Callable[[list[int], ImapError | ConnectionFailed], None] | None = None,
                 ) -> Generator[list[imapsyntax.Outline], None, None]:
        """Size, header fields and structure of each message, one FETCH per batch, in UID order.

        One FETCH is kept queued at the server: the next batch's is sent
        before this one is handed over, and again after any other command
        the caller sends meanwhile (the whole messages of this batch's
        candidates), so that the server reads the next messages while the
        caller judges and processes these. One connection; the server answers
        commands in the order sent (RFC 3501, 5.5). Close the iterator when
        leaving it early (contextlib.closing): that stops the queueing.

        A UID of ``alone`` is asked for in a FETCH of its own; one of
        ``unasked`` is not asked for at all and comes as an outline with no
        size, header or structure. When a FETCH fails, ``failed`` hears the
        UIDs of every FETCH of outlines that failed with it (when a server
        dies, which message killed it is not known; asked for alone next time,
        it is) before the error goes on up.
        """
        section = f"BODY[HEADER.FIELDS ({' '.join(f.upper() for f in fields)})]"
        items = f"(UID RFC822.SIZE BODY.PEEK{section[4:]} BODYSTRUCTURE)"
        plan = deque(_outline_plan(uids, batch, alone, unasked))
        sent: deque[tuple[bytes | None, list[int]]] = deque()
        folder = self.selected

        def send_next(asking: bool = False) -> None:
            # nothing else queued (a command sent now is answered at once), at most two batches read
            # ahead of the caller (memory stays that of three batches whatever the mailbox), and
            # never in another folder than the one these UIDs are of
            while plan and not self._in_flight and len(sent) < 2 and self.selected == folder:
                how, chunk = plan[0]
                if how == "alone" and (sent or not asking):
                    # a message asked for alone is the only command in flight, not even the caller's FETCH
                    # of the last batch's candidates behind it: when the server dies, it is the one named
                    return
                plan.popleft()
                tag = None if how == "unasked" else self._send("UID FETCH", _uid_set(chunk), items)
                sent.append((tag, chunk))
                if tag is not None:
                    return

        def count_failures(failures: list[tuple[list[int], ImapError | ConnectionFailed]]) -> None:
            if failed is not None and failures:
                failed([uid for uids, _ in failures for uid in uids], failures[0][1])

        self._after_command = send_next
        try:
            send_next(asking=True)
            while sent:
                tag, chunk = sent.popleft()
                try:
                    data = self._answer(tag)
                except (ImapError, ConnectionFailed) as exc:
                    count_failures([(chunk, exc)])
                    raise
                if plan and not sent and self.selected != folder and folder is not None:
                    self.examine(folder)  # the caller looked into another folder meanwhile
                send_next()
                if tag is None:
                    yield [imapsyntax.Outline(uid, 0, b"", None) for uid in chunk]
                else:
                    try:
                        found = list(imapsyntax.outlines(data, hints))
                    except imapsyntax.SyntaxProblem as exc:
                        raise ImapError(f"imap: FETCH answer not understood: {exc}") from None
                    # a message expunged meanwhile is simply absent
                    yield sorted(found, key=lambda o: o.uid)
                send_next(asking=True)
        finally:
            self._after_command = None
            if self._box is not None:
                self._settle()
            unanswered = []
            for tag, chunk in sent:  # answers nobody will read; when the connection died, failures
                answer = self._early.pop(tag, None) if tag is not None else None
                if isinstance(answer, (ImapError, ConnectionFailed)):
                    unanswered.append((chunk, answer))
            count_failures(unanswered)

    def _send(self, name: str, *args: str) -> bytes:
        """Send a command without waiting for its answer, which ``_answer`` reads; its tag."""
        self.commands += 1
        command, _, sub = name.partition(" ")
        try:
            tag: bytes = self.client._command(command, sub, *args)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during {name}: {describe_error(exc)}") from None
        self._in_flight.append((tag, name))
        return tag

    def _answer(self, tag: bytes | None) -> list[object]:
        """The untagged answer to a command sent by ``_send``."""
        if tag is None:
            return []
        self._settle()
        answer = self._early.pop(tag)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _settle(self) -> None:
        """Read the answers of the commands in flight, so that the next command's answer is its own alone."""
        while self._in_flight:
            tag, name = self._in_flight.pop(0)
            try:
                self._early[tag] = self._read_answer(name, tag)
            except (ImapError, ConnectionFailed) as exc:
                self._early[tag] = exc

    def _read_answer(self, name: str, tag: bytes) -> list[object]:
        command, _, sub = name.partition(" ")
        try:
            typ, data = self.client._command_complete(command, tag)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ConnectionFailed(f"imap: connection lost during {name}: {describe_error(exc)}") from None
        except imaplib.IMAP4.error as exc:
            raise ImapError(f"imap: {name} failed: {describe_error(exc)}") from None
        answer: list[object] = list(self.client.untagged_responses.pop(sub or command, []))
        if typ != "OK":
            raise ImapError(f"imap: {name} answered {typ}: {short_repr(data)}")
        return answer

    def structures(self, uids: Sequence[int]) -> dict[int, imapsyntax.Value]:
        """BODYSTRUCTURE of each message, parsed, in one FETCH per batch."""
        found: dict[int, imapsyntax.Value] = {}
        for chunk in _batches(list(uids)):
            for fields in _fetch_items(self._command("UID FETCH", _uid_set(chunk), "(UID BODYSTRUCTURE)")):
                uid = fields.get(b"UID")
                if isinstance(uid, int):
                    found[uid] = fields.get(b"BODYSTRUCTURE")
        return found
