"""A server on 127.0.0.1 that accepts connections and never answers: the stalled service.

It accepts every connection, reads what the client sends and keeps the socket open without a
byte of answer until :meth:`SilentServer.stop`. :attr:`SilentServer.accepted` counts the
connections, so a test can prove a client gave up after a bounded number of attempts.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class SilentServer:
    """``with SilentServer() as silent:`` then point a client at ``silent.url``."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(0.05)
            with self._lock:
                self.accepted += 1
                self._held.append(conn)
            with contextlib.suppress(OSError):
                conn.recv(65536)  # the request: read, never answered

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            for conn in self._held:
                with contextlib.suppress(OSError):
                    conn.close()
        self._listener.close()
