# SPDX-License-Identifier: MIT
"""A TCP relay on 127.0.0.1 in front of the test Dovecot, which a test can cut, refuse or freeze.

- drop(): reset every relayed connection at once, as a NAT or a proxy that restarts;
- refuse(): new connections are closed at once (the server "down") until accept() again;
- freeze(): bytes stop flowing both ways but the sockets stay open, a silently dead link;
- from_client / from_server: filters on what each side sends; from_client may answer None to reset
  the connection there, as a server whose process dies on a command.

It also counts how many connections are open at once, so tests can bound them.
Loopback only; every thread is a daemon and stops with close().
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from collections.abc import Callable, Iterator

HOST = "127.0.0.1"


class Proxy:
    def __init__(self, target_port: int, target_host: str = HOST) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server((HOST, 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._closed = threading.Event()
        self._frozen = threading.Event()
        self._refusing = threading.Event()
        self.accepted = 0
        # applied to what the server sends, e.g. to hide a capability (a server that lacks it)
        self.from_server: Callable[[bytes], bytes] | None = None
        # applied to what the client sends; None resets both sides (the server died on that command)
        self.from_client: Callable[[bytes], bytes | None] | None = None
        self.most_at_once = 0
        self._thread = threading.Thread(target=self._accept_loop, name="proxy-accept", daemon=True)
        self._thread.start()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def drop(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _reset(sock)

    def refuse(self) -> None:
        self._refusing.set()

    def accept(self) -> None:
        self._refusing.clear()

    def freeze(self) -> None:
        self._frozen.set()

    def thaw(self) -> None:
        self._frozen.clear()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        self.drop()
        self._thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select([self._listener], [], [], 0.1)
                if not ready:
                    continue
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._refusing.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._pairs.append((client, upstream))
                self.accepted += 1
                self.most_at_once = max(self.most_at_once, len(self._pairs))
            threading.Thread(target=self._relay, args=(client, upstream), name="proxy-relay", daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while not self._closed.is_set():
                if self._frozen.is_set():
                    self._closed.wait(0.05)
                    continue
                ready, _, _ = select.select(list(peers), [], [], 0.1)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is upstream and self.from_server is not None:
                        data = self.from_server(data)
                    if sock is client and self.from_client is not None:
                        passed = self.from_client(data)
                        if passed is None:
                            _reset(client)
                            _reset(upstream)
                            return
                        data = passed
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                if (client, upstream) in self._pairs:
                    self._pairs.remove((client, upstream))
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()


def _reset(sock: socket.socket) -> None:
    # SO_LINGER 0: close() sends RST, the way a dropped link looks to the other end
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def proxy_to(port: int) -> Iterator[Proxy]:
    proxy = Proxy(port)
    try:
        yield proxy
    finally:
        proxy.close()
