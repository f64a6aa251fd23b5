"""Fault tests: a harvest against a loopback site that misbehaves on purpose.

For each fault: the harvest finishes, the failure is recorded with its reason (the fetch
log, the run summary, exit code 1 where items failed), everything else is stored, and a
later run succeeds once the fault is gone. The site is the bundled demo site served by
:class:`tests.faultserver.FaultServer` with faults scripted per path; the clock and
``sleep`` are injected, so retries and ``Retry-After`` cost no real seconds.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io

import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter

from db.schema import open_db
from demosite import build_site
from scraper.archive import RawArchive
from scraper.harvest import Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient, Truncated
from scraper.sources import Source
from tests.faultserver import (
    Fault,
    FaultServer,
    ok,
    status,
    truncated,
    unsized,
)
from tests.scraper.test_harvest_faults import CGI, feed
from tests.scraper.test_http import FakeClock

POLICY = FetchPolicy(min_interval=0, retries=2, backoff=1.0, read_timeout=0.2,
                     connect_timeout=1.0, max_bytes=300_000, max_redirects=3)

# Items of the demo site's first meeting: -4 has an attachment, -5 smart quotes and dashes.
MEETING = "2024091101"
ITEMS = [f"{MEETING}-{n}" for n in (1, 2, 4, 5)]
TITLE_5 = ("Myllyharjun yleiskaavan muutos – osallistumis- ja arviointisuunnitelma "
           "“Myllyharju 2040”")
ITEMS_FEED = f"{CGI}rss/meetingitems&show=100"
MEETINGS_FEED = f"{CGI}rss/meetings&show=100"
DECISIONS_FEED = f"{CGI}rss/official_decisions&show=100"
EMPTY_RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>D</title></channel></rss>"
TABLES = ("items", "attachments", "meetings", "bodies", "item_versions", "raw_documents",
          "fetches", "runs")


def page_path(item: str) -> str:
    return f"{CGI}meetingitem&id={item}"


# -- the site ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_server():
    with FaultServer() as srv:
        srv.site = build_site(srv.url)
        yield srv


@pytest.fixture
def site(demo_server):
    """The demo server with a short items feed, an empty meetings feed and no officials'
    decisions, and no faults yet."""
    srv = demo_server
    srv.routes.clear()
    srv.hits.clear()
    srv.requests.clear()
    srv.script(ITEMS_FEED, ok(feed(srv.url, ITEMS), "text/xml; charset=iso-8859-1"))
    srv.script(MEETINGS_FEED, ok(EMPTY_RSS, "text/xml"))
    srv.script(DECISIONS_FEED, status(404, b"not found"))
    return srv


def source_of(srv: FaultServer, id: str = "demo") -> Source:
    return Source(id=id, base_url=srv.url)


def harvest(tmp_path, *sources: Source, clock: FakeClock | None = None,
            policy: FetchPolicy = POLICY) -> RunSummary:
    clock = clock or FakeClock()
    db = open_db(tmp_path / "k.db")
    try:
        client = HttpClient(policy, clock=clock, sleep=clock.sleep)
        harvester = Harvester(db, client, RawArchive(tmp_path / "k.raw"),
                              today=lambda: dt.date(2025, 6, 1), recheck_days=0)
        return harvester.run(list(sources))
    finally:
        db.close()


def counts(tmp_path) -> dict[str, int]:
    db = open_db(tmp_path / "k.db")
    try:
        return {t: db[t].count for t in TABLES}
    finally:
        db.close()


def fetch_rows(tmp_path, path: str) -> list[dict]:
    db = open_db(tmp_path / "k.db")
    try:
        return list(db.query("select run_id, status, error, sha256 from fetches "
                             "where url like ? order by id", ["%" + path]))
    finally:
        db.close()


def item_row(tmp_path, item: str, source: str = "demo") -> dict | None:
    db = open_db(tmp_path / "k.db")
    try:
        return next(db["items"].rows_where("id = ?", [f"{source}/{item}"]), None)
    finally:
        db.close()


def assert_never_shrinks(before: dict[str, int], after: dict[str, int]) -> None:
    assert all(after[t] >= before[t] for t in TABLES), (before, after)


# -- the client alone ----------------------------------------------------------------

class LenientAdapter(HTTPAdapter):
    """A transport that hands back a short body quietly, as urllib3 1.x does."""

    def build_response(self, req, resp):
        resp.enforce_content_length = False
        return super().build_response(req, resp)


def lenient_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", LenientAdapter())
    return session


def test_truncated_body_is_an_error_even_when_the_transport_is_lenient():
    body = b"%PDF-1.4 " + b"x" * 4000
    with FaultServer() as srv:
        srv.script("/a.PDF", truncated(body, 1000))
        for session in (None, lenient_session()):
            clock = FakeClock()
            c = HttpClient(POLICY, session=session, clock=clock, sleep=clock.sleep)
            result = c.get(srv.url + "/a.PDF")
            assert not result.ok and result.content == b""
            assert result.error == f"truncated: got 1000 of {len(body)} bytes"
            assert result.attempts == 3 and clock.sleeps == [1.0, 2.0]  # retried, backoff


def test_length_check_counts_wire_bytes_and_skips_bodyless_answers():
    page = b"<html>" + "äö“”".encode() * 500 + b"</html>"
    packed = gzip.compress(page)
    with FaultServer() as srv:
        srv.script("/gz", Fault(200, packed, {"Content-Type": "text/html",
                                              "Content-Encoding": "gzip"}))
        # a 304 may carry the Content-Length of the full entity, and never a body
        srv.script("/same", Fault(304, b"", {"ETag": '"x"'}))
        srv.script("/close", unsized(b"no length, ends with the connection"))
        c = HttpClient(POLICY, session=lenient_session(), sleep=FakeClock().sleep)
        gz = c.get(srv.url + "/gz")
        assert gz.ok and gz.content == page
        same = c.get(srv.url + "/same")
        assert same.status == 304 and same.error is None
        assert c.get(srv.url + "/close").content == b"no length, ends with the connection"


def test_short_body_from_a_raw_response_raises_truncated():
    raw = urllib3.HTTPResponse(body=io.BytesIO(b"abc"), headers={"Content-Length": "10"},
                               status=200, preload_content=False, enforce_content_length=False)
    resp = requests.Response()
    resp.raw, resp.status_code, resp.headers = raw, 200, requests.structures.CaseInsensitiveDict(
        {"Content-Length": "10"})
    with pytest.raises(Truncated, match="got 3 of 10 bytes"):
        HttpClient(POLICY)._read_capped(resp)


def test_headers_are_read_in_any_case():
    with FaultServer() as srv:
        srv.script("/busy", Fault(503, b"", {"retry-after": "7"}), ok(b"fine"))
        srv.script("/old", Fault(301, b"", {"location": "/new"}))
        srv.script("/new", Fault(200, b"x", {"content-type": "application/pdf"}))
        clock = FakeClock()
        c = HttpClient(POLICY, clock=clock, sleep=clock.sleep)
        assert c.get(srv.url + "/busy").ok and clock.sleeps == [7.0]
        moved = c.get(srv.url + "/old")
        assert moved.ok and moved.content == b"x" and moved.content_type == "application/pdf"
