"""A loopback HTTP server that misbehaves on purpose, for fault tests.

Raw sockets, one connection per request (``Connection: close``), bound to 127.0.0.1
only. Each request target maps to a script of :class:`Fault` s served in turn (the last
one repeats); targets without a script fall back to ``site`` (a demo site from
``demosite.build_site``, whose ``get`` resolves any query order and ``&show=N``) and
then to 404. A test can so say "the PDF of item 3 is an HTML page, item 5's page stalls
twice and then works" against a complete Dynasty site.

Everything is bounded: stalls wait on an event that :meth:`FaultServer.close` sets, the
accept loop polls a stop flag, and the server stops when the ``with`` block ends.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
           404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class Fault:
    """One scripted answer. ``kind`` says how it misbehaves:

    ``ok``       the response as given (status, headers, body, a correct Content-Length);
    ``truncate`` Content-Length of the whole ``body`` but only ``cut`` bytes sent, then close;
    ``reset``    headers and ``cut`` bytes of the body, then a TCP reset (RST); without a
                 body the reset comes at once, before the status line;
    ``stall``    read the request, send nothing and hold the socket for ``stall`` seconds
                 (or until the server closes), then close;
    ``unsized``  no Content-Length, the body ends when the connection closes.
    ``drip``     slowloris: the whole answer (status line, headers, body) one byte every
                 ``stall`` seconds, until it is sent or the server closes.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "ok"
    cut: int = 0
    stall: float = 5.0


def ok(body: bytes, content_type: str = "text/html; charset=windows-1252", **headers) -> Fault:
    return Fault(200, body, {"Content-Type": content_type, **headers})


def status(code: int, body: bytes = b"error", **headers: str) -> Fault:
    return Fault(code, body, {"Content-Type": "text/html", **headers})


def redirect(location: str, code: int = 302) -> Fault:
    return Fault(code, b"", {"Location": location})


def truncated(body: bytes, sent: int, content_type: str = "application/pdf") -> Fault:
    return Fault(200, body, {"Content-Type": content_type}, kind="truncate", cut=sent)


def reset(body: bytes = b"", sent: int = 0, content_type: str = "text/html") -> Fault:
    return Fault(200, body, {"Content-Type": content_type}, kind="reset", cut=sent)


def stall(seconds: float = 5.0) -> Fault:
    return Fault(kind="stall", stall=seconds)


def drip(body: bytes, every: float = 0.2, content_type: str = "text/html") -> Fault:
    return Fault(200, body, {"Content-Type": content_type}, kind="drip", stall=every)


def unsized(body: bytes, content_type: str = "text/html") -> Fault:
    return Fault(200, body, {"Content-Type": content_type}, kind="unsized")


class _Resource(Protocol):
    content_type: str
    body: bytes


class _Site(Protocol):
    def get(self, target: str) -> _Resource | None: ...


class FaultServer:
    """``with FaultServer() as srv: srv.routes[target] = [stall(), ok(page)]``."""

    def __init__(self, site: _Site | None = None) -> None:
        self.site = site
        self.routes: dict[str, list[Fault]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.requests: list[dict[str, str]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._accepter = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self) -> FaultServer:
        self._accepter.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        if self._accepter.is_alive():
            self._accepter.join(timeout=2)
        for t in self._threads:
            t.join(timeout=2)
        self._sock.close()

    def script(self, target: str, *faults: Fault) -> None:
        self.routes[target] = list(faults)

    # -- serving -----------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2.0)
            try:
                request = self._read_request(conn)
            except OSError:
                return
            if request is None:
                return
            target, headers = request
            with self._lock:
                self.requests.append({"path": target, **headers})
                n = self.hits[target]
                self.hits[target] += 1
            fault = self._fault(target, n)
            try:
                self._answer(conn, fault)
            except OSError:  # the client gave up first (its read timeout)
                pass

    def _read_request(self, conn: socket.socket) -> tuple[str, dict[str, str]] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
            if len(data) > 65536:
                return None
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        parts = head[0].split(" ")
        if len(parts) < 2:
            return None
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
        return parts[1], headers

    def _fault(self, target: str, n: int) -> Fault:
        script = self.routes.get(target)
        if script:
            return script[min(n, len(script) - 1)]
        resource = self.site.get(target) if self.site else None
        if resource is None:
            return status(404, b"404 Not Found\n")
        return ok(resource.body, resource.content_type)

    def _answer(self, conn: socket.socket, fault: Fault) -> None:
        if fault.kind == "stall":
            self._stop.wait(fault.stall)
            return
        if fault.kind == "reset" and not fault.body:  # reset before a byte of the answer
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        lines = [f"HTTP/1.1 {fault.status} {REASONS.get(fault.status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in fault.headers.items()]
        declared = any(k.lower() == "content-length" for k in fault.headers)
        if fault.kind != "unsized" and not declared:  # a scripted Content-Length may lie
            lines.append(f"Content-Length: {len(fault.body)}")
        lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if fault.kind in ("truncate", "reset"):
            conn.sendall(head + fault.body[: fault.cut])
            if fault.kind == "reset":
                # SO_LINGER with a zero timeout: close() sends RST instead of FIN
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if fault.kind == "drip":
            for byte in head + fault.body:
                if self._stop.wait(fault.stall):
                    return
                conn.sendall(bytes([byte]))
            return
        conn.sendall(head + fault.body)
        if fault.kind == "unsized":
            conn.shutdown(socket.SHUT_WR)
