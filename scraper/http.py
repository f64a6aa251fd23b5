"""A polite HTTP client: throttle per host, retry with backoff, size cap, same-host only.

The concerns are stacked the way scrapelib stacks them, each with an explicit default:
``HttpClient.get`` → allowlist and redirects → retries → throttle → one request. The
clock and ``sleep`` are injected so tests run against a real loopback server without
waiting for real seconds, and nothing is patched globally.

A failed request is *returned* (``FetchResult.error``), not raised: one bad URL must
not stop a harvest.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from scraper import __version__
from scraper.deadline import deadline, install

DEFAULT_USER_AGENT = (
    f"kokousarkisto/{__version__} (+https://github.com/kokousarkisto/kokousarkisto; "
    "archive of Finnish municipal meeting minutes)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: errors the same request would meet again: not retried, and not tried again later
PERMANENT_ERRORS = ("too large", "refused", "too many redirects")
#: errors not retried in this run (the host is too slow now), but tried again by a later one
NOT_RETRIED_NOW = ("deadline",)


def is_transient(status: int | None, error: str | None) -> bool:
    """Whether a failed fetch may succeed when simply tried again: a network error, a
    timeout, a truncated body, 429 or a 5xx — not a 404, an oversized body or a redirect
    off the source's host."""
    if error is not None:
        return not error.startswith(PERMANENT_ERRORS)
    return status in RETRY_STATUSES


@dataclass
class FetchPolicy:
    """How politely to fetch. Defaults suit a real municipal server."""

    user_agent: str = DEFAULT_USER_AGENT
    contact: str | None = None  # appended to the User-Agent, e.g. an e-mail address
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    min_interval: float = 1.0  # seconds between two requests to the same host
    retries: int = 3  # extra attempts after the first
    backoff: float = 2.0  # first retry waits this long, then doubles
    max_backoff: float = 120.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    #: seconds for one whole request, headers and body (the timeouts above are per
    #: socket read: a host sending a byte a second never trips them); None: no deadline
    deadline: float | None = 300.0

    @property
    def agent(self) -> str:
        return f"{self.user_agent} {self.contact}" if self.contact else self.user_agent


@dataclass
class FetchResult:
    """One logical fetch: the final response, or why there was none."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    elapsed_ms: int | None = None
    error: str | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    def header(self, name: str) -> str | None:
        """A response header by name, in any case (``dict(resp.headers)`` keeps the server's)."""
        name = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == name), None)


class TooLarge(Exception):
    pass


class Truncated(Exception):
    """The connection ended before the body the server declared (``Content-Length``)."""


#: statuses that carry no body whatever their Content-Length says (RFC 9110 §8.6)
BODYLESS_STATUSES = frozenset({204, 304})


class HttpClient:
    """Fetches URLs one at a time with the stacked politeness concerns above."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.policy.agent
        install(self.session)  # its sockets answer to each request's total deadline
        self.clock = clock
        self.sleep = sleep
        self._last_request: dict[str, float] = {}
        self.requests_made = 0

    # -- public ----------------------------------------------------------------

    def get(self, url: str, headers: dict[str, str] | None = None,
            allowed_host: str | None = None) -> FetchResult:
        """GET ``url``, following redirects only within ``allowed_host``.

        ``allowed_host`` defaults to the URL's own host: a Dynasty source has no
        business sending us elsewhere, and following it would fetch from hosts the
        operator never agreed to.
        """
        host = allowed_host or urlsplit(url).netloc
        current = url
        for _ in range(self.policy.max_redirects + 1):
            if urlsplit(current).netloc != host:
                return FetchResult(url=url, error=f"refused: {current} is not on {host}")
            result = self._with_retries(current, headers or {})
            location = result.header("Location")
            if result.status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                continue
            result.url = url
            return result
        return FetchResult(url=url, error=f"too many redirects (> {self.policy.max_redirects})")

    # -- layers ----------------------------------------------------------------

    def _with_retries(self, url: str, headers: dict[str, str]) -> FetchResult:
        delay = self.policy.backoff
        result = FetchResult(url=url)
        for attempt in range(self.policy.retries + 1):
            result = self._throttled(url, headers)
            result.attempts = attempt + 1
            if (not is_transient(result.status, result.error)
                    or attempt == self.policy.retries
                    or (result.error or "").startswith(NOT_RETRIED_NOW)):
                return result
            wait = _retry_after(result.header("Retry-After")) if result.status else None
            self.sleep(min(wait if wait is not None else delay, self.policy.max_backoff))
            delay *= 2
        return result

    def _throttled(self, url: str, headers: dict[str, str]) -> FetchResult:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None and self.policy.min_interval > 0:
            wait = self.policy.min_interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        try:
            return self._request(url, headers)
        finally:
            self._last_request[host] = self.clock()

    def _request(self, url: str, headers: dict[str, str]) -> FetchResult:
        self.requests_made += 1
        started = time.perf_counter()
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        with deadline(self.policy.deadline) as watch:
            try:
                with self.session.get(url, headers=headers, timeout=timeout, stream=True,
                                      allow_redirects=False) as resp:
                    content = self._read_capped(resp)
                    result = FetchResult(
                        url=url, status=resp.status_code, headers=dict(resp.headers),
                        content=content, elapsed_ms=_ms_since(started),
                    )
            except TooLarge as exc:
                result = FetchResult(url=url, error=f"too large: {exc}")
            except Truncated as exc:
                result = FetchResult(url=url, error=f"truncated: {exc}")
            except requests.RequestException as exc:
                result = FetchResult(url=url, error=f"{type(exc).__name__}: {exc}")
            if watch is not None and watch.expired:  # whatever was read is not the answer
                result = FetchResult(url=url, error=f"deadline: no complete answer within "
                                                    f"{watch.seconds:g} s")
        result.elapsed_ms = _ms_since(started)
        return result

    def _read_capped(self, resp: requests.Response) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise TooLarge(f"Content-Length {declared} > {self.policy.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise TooLarge(f"more than {self.policy.max_bytes} bytes")
                chunks.append(chunk)
        except requests.exceptions.ChunkedEncodingError as exc:
            if _incomplete_read(exc):  # urllib3 2 noticed the short body: say so plainly
                _check_length(resp, declared)
            raise
        _check_length(resp, declared)
        return b"".join(chunks)


def _incomplete_read(exc: BaseException) -> bool:
    """Whether ``exc`` wraps an ``IncompleteRead`` (urllib3's or http.client's)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, urllib3.exceptions.IncompleteRead | http.client.IncompleteRead):
            return True
        todo += [*e.args, e.__cause__, e.__context__]
    return False


def _check_length(resp: requests.Response, declared: str | None) -> None:
    """Raise :class:`Truncated` when fewer bytes arrived than ``Content-Length`` declared.

    urllib3 2 raises on its own, but urllib3 1.x (which ``requests`` still accepts) hands
    back a short body without a word when the server closes early, and a short PDF or
    page must not be archived as the document. The count is of bytes off the wire
    (``raw.tell()``), which is what ``Content-Length`` measures also for a gzipped body.
    """
    if resp.status_code in BODYLESS_STATUSES or not declared or not declared.strip().isdigit():
        return
    if "chunked" in resp.headers.get("Transfer-Encoding", "").lower():
        return  # chunked framing wins over a Content-Length (RFC 9112 §6.3)
    tell = getattr(resp.raw, "tell", None)
    got = tell() if callable(tell) else None
    if not isinstance(got, int):
        return
    expected = int(declared.strip())
    if got < expected:
        raise Truncated(f"got {got} of {expected} bytes")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
