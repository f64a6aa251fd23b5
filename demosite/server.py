"""A local HTTP server for the demo Dynasty site.

Harvester tests need a real server (conditional requests, content types, a site
that changes between two harvests) but no network, so this binds to 127.0.0.1
only. ``set_as_of`` swaps the visible publication date on a running server; the
swap is a single reference assignment, so concurrent requests see either the old
or the new site, never a mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import threading
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .site import DemoSite, Resource, build_site
from .towns import Town


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        site = self.server.demo.site
        res = site.get(self.path)
        if res is None:
            body = b"404 Not Found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=us-ascii")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        etag = etag_of(res)
        last_modified = format_datetime(res.last_modified, usegmt=True)
        if not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, res
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if not head:
            self.wfile.write(res.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.demo.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def etag_of(res: Resource) -> str:
    return '"' + hashlib.sha1(res.body).hexdigest()[:20] + '"'


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, res: Resource
) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since is used only without it."""
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        return res.last_modified <= since
    return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    demo: DemoServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up mid-response are normal in tests; stay quiet.
        if self.demo.verbose:
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class DemoServer:
    """The demo site on ``http://127.0.0.1:<port>``; a context manager.

    >>> with DemoServer(as_of=datetime.date(2025, 2, 1)) as srv:
    ...     srv.set_as_of(datetime.date(2025, 2, 10))
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        as_of: dt.date | None = None,
        verbose: bool = False,
        town: Town | None = None,
    ) -> None:
        self.verbose = verbose
        self.town = town
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.demo = self
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None
        self.site: DemoSite = build_site(self.base_url, as_of, town)

    @property
    def as_of(self) -> dt.date | None:
        return self.site.as_of

    def set_as_of(self, d: dt.date | None) -> None:
        """Show only documents published on or before ``d`` (``None``: all)."""
        self.site = build_site(self.base_url, d, self.town)

    def start(self) -> DemoServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(port: int, as_of: dt.date | None = None, host: str = "127.0.0.1",
                  town: Town | None = None) -> None:
    """Run the demo site (or one demo town) in the foreground (``demo-site`` command)."""
    server = DemoServer(host=host, port=port, as_of=as_of, verbose=True, town=town)
    print(f"Demo Dynasty site at {server.base_url}/kokous/TELIMET.HTM", flush=True)
    print(f"RSS: {server.base_url}/cgi/DREQUEST.PHP?page=rss/meetingitems&show=30", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
