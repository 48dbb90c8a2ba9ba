"""What every fake server here is made of: a real HTTP/1.1 server on 127.0.0.1 (a free port),
serving from a thread, so that clients meet real sockets, keep-alive, timeouts and bodies."""

from __future__ import annotations

import io
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Linux's SO_TIMESTAMPNS (the socket module does not export it): the kernel stamps each packet
# with the (wall-clock) time it arrived, and recvmsg hands the stamp over with the bytes.
_SO_TIMESTAMPNS = 35
_STAMP_SPACE = socket.CMSG_SPACE(16)


class _StampedReader(io.RawIOBase):
    """A connection's bytes, remembering when the kernel received the last piece read."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.stamp: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n, ancillary, _flags, _address = self._sock.recvmsg_into([buffer], _STAMP_SPACE)
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(data) >= 16:
                seconds, nanoseconds = struct.unpack("qq", data[:16])
                self.stamp = seconds + nanoseconds / 1e9
        return n


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as the real services), without a log line per request."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        if sys.platform != "linux":
            return
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        except OSError:
            return
        self.rfile.close()  # the socket counts its open files: close it, or it never closes
        self.rfile = io.BufferedReader(_StampedReader(self.connection))

    def parse_request(self) -> bool:
        # The request line has been read, nothing after it (headers or a body sent apart would
        # carry later stamps).
        raw = getattr(self.rfile, "raw", None)
        stamp = getattr(raw, "stamp", None)
        self._arrived = stamp if stamp is not None else time.time()
        return super().parse_request()

    def arrived_at(self) -> float:
        """When the request being handled reached this machine (``time.time()`` clock).

        A server that notes arrivals when it gets round to them sees requests bunch up whenever
        it was not scheduled (a loaded machine, another thread holding the GIL) and would blame
        a client that kept its rate. The kernel's receive stamp is when the request line's bytes
        arrived, as a real service's network sees it; where there is none, when it was read."""
        return self._arrived

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (a refused huge body, a timeout the test provokes)
        # is what the test asked for, not a server fault: no "Exception occurred" on stderr,
        # whose timing depended on how fast the client gave up.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class LocalHTTP:
    """A server for ``handler`` on a free port of 127.0.0.1: :meth:`start`, then :meth:`stop`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
