"""A total deadline for one HTTP request, headers and body together.

``requests`` timeouts are per socket read: a host that sends one byte a second never
trips a 60-second read timeout and held one page for hours. Here a timer shuts the
request's socket down when its deadline passes; the blocked read then fails at once and
the client reports ``deadline``. The sockets are found through the connection class of
the session's connection pools (:func:`install`), which registers itself with the
deadline of the request running on its thread, for new and reused connections alike,
and through an HTTP proxy too.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class Deadline:
    """One request's deadline: ``expired`` once ``seconds`` have passed, and every
    connection the request used has had its socket shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


@contextmanager
def deadline(seconds: float | None) -> Iterator[Deadline | None]:
    """Run the block's requests (on this thread) under one total deadline."""
    if not seconds:
        yield None
        return
    watch = Deadline(seconds)
    _current.deadline = watch
    watch.start()
    try:
        yield watch
    finally:
        watch.cancel()
        _current.deadline = None


def _register(sock: socket.socket | None) -> None:
    """Put a socket under this thread's deadline. The socket, not the connection: a
    response that closes its connection (``Connection: close``) keeps reading from the
    socket after the connection has let go of it."""
    watch = getattr(_current, "deadline", None)
    if watch is not None and sock is not None:
        watch.watch(sock)


class _RegistersSocket:
    """A new connection registers its socket as soon as it exists (before a TLS
    handshake), a reused one at each request. Mixed in before urllib3's plain and TLS
    connection classes, which share these two methods."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        _register(sock)
        return sock

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _register(self.sock)  # type: ignore[attr-defined]
        return super().request(*args, **kwargs)  # type: ignore[misc]


class DeadlineConnection(_RegistersSocket, HTTPConnection):
    pass


class SecureDeadlineConnection(_RegistersSocket, HTTPSConnection):
    pass


class DeadlinePool(HTTPConnectionPool):
    ConnectionCls = DeadlineConnection


class SecureDeadlinePool(HTTPSConnectionPool):
    ConnectionCls = SecureDeadlineConnection


def _use_deadline_pools(manager: Any) -> None:
    manager.pool_classes_by_scheme = {"http": DeadlinePool, "https": SecureDeadlinePool}


class DeadlineAdapter(HTTPAdapter):
    """``requests``' adapter whose connections answer to :func:`deadline`, direct and
    through an HTTP(S) proxy (``HTTP_PROXY``/``HTTPS_PROXY``: the proxy's pools are made
    on the first request through it). A SOCKS proxy keeps urllib3's own connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _use_deadline_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            _use_deadline_pools(manager)
        return manager


def install(session: requests.Session) -> None:
    """Make the session's connections answer to :func:`deadline`: requests' default
    adapters become :class:`DeadlineAdapter`; an adapter of the caller's own keeps its
    class and gets the deadline pools for direct connections only."""
    for prefix, adapter in list(session.adapters.items()):
        if type(adapter) is HTTPAdapter:
            session.mount(prefix, DeadlineAdapter())
            continue
        manager = getattr(adapter, "poolmanager", None)
        if manager is not None:
            _use_deadline_pools(manager)
