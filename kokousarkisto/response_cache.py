"""A response cache for ``serve --publish``: the file is immutable, so a page is too.

Every reader of a public archive starts at the same few pages (the home page, the latest
decisions, a body's page) and a search that is in the news is repeated by many; each of
those costs Datasette tens of milliseconds of one interpreter's time. Served from
memory they cost nearly nothing, which leaves the workers to the requests that need them.

Only what is the same for everybody is kept: ``GET`` answers ``200`` without
``Set-Cookie``, to requests without credentials (Datasette's ``ds_actor`` cookie or an
``Authorization`` header), at most :data:`MAX_ENTRY_BYTES` each and
:data:`MAX_TOTAL_BYTES` together, least recently used first out. The key is the host,
the scheme, the path and the query string, as sent.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: one page larger than this (a big CSV, a 1,000-row table) is not kept
MAX_ENTRY_BYTES = 2 * 1024 * 1024
#: all pages together, per worker process
MAX_TOTAL_BYTES = 64 * 1024 * 1024
#: the header that tells a client (and the tests) the answer came from the cache
HIT_HEADER = (b"x-kokousarkisto-cache", b"hit")


@dataclass
class _Entry:
    start: Message
    body: bytes
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = len(self.body) + sum(len(k) + len(v) for k, v in self.start["headers"])


class ResponseCache:
    """ASGI middleware keeping whole responses of ``app`` in memory (see the module)."""

    def __init__(self, app: App, *, max_entry: int = MAX_ENTRY_BYTES,
                 max_total: int = MAX_TOTAL_BYTES) -> None:
        self.app = app
        self.max_entry = max_entry
        self.max_total = max_total
        self.entries: OrderedDict[tuple[bytes, ...], _Entry] = OrderedDict()
        self.total = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            await send({**entry.start, "headers": [*entry.start["headers"], HIT_HEADER]})
            await send({"type": "http.response.body", "body": entry.body})
            return
        await self.app(scope, receive, _Recorder(send, self, key).send)

    def keep(self, key: tuple[bytes, ...], entry: _Entry) -> None:
        if entry.size > self.max_entry:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.total -= old.size
        self.entries[key] = entry
        self.total += entry.size
        while self.total > self.max_total and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.total -= dropped.size


class _Recorder:
    """Passes a response on unchanged and hands it to the cache when it is keepable."""

    def __init__(self, send: Send, cache: ResponseCache, key: tuple[bytes, ...]) -> None:
        self._send = send
        self._cache = cache
        self._key = key
        self._start: Message | None = None
        self._chunks: list[bytes] | None = []
        self._size = 0

    async def send(self, message: Message) -> None:
        await self._send(message)
        if message["type"] == "http.response.start":
            if message.get("status") != 200 or any(
                    name.lower() == b"set-cookie" for name, _ in message.get("headers", [])):
                self._chunks = None
            else:
                self._start = {"type": message["type"], "status": message["status"],
                               "headers": list(message.get("headers", []))}
        elif message["type"] == "http.response.body" and self._chunks is not None:
            chunk = bytes(message.get("body", b""))
            self._size += len(chunk)
            if self._size > self._cache.max_entry:
                self._chunks = None
                return
            self._chunks.append(chunk)
            if not message.get("more_body", False) and self._start is not None:
                self._cache.keep(self._key, _Entry(self._start, b"".join(self._chunks)))


def _key(scope: Scope) -> tuple[bytes, ...] | None:
    """The cache key of a request, or ``None`` when its answer may be personal."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return None
    host = b""
    for name, value in scope.get("headers", []):
        name = name.lower()
        if name == b"authorization" or (name == b"cookie" and b"ds_actor" in value):
            return None
        if name == b"host":
            host = value
    path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
    return (scope.get("scheme", "http").encode(), host, path, scope.get("query_string", b""))
