"""Fault tests: a harvest against a loopback site that misbehaves on purpose.

For each fault: the harvest finishes, the failure is recorded with its reason (the fetch
log, the run summary, exit code 1 where items failed), everything else is stored, and a
later run succeeds once the fault is gone. The site is the bundled demo site served by
:class:`tests.faultserver.FaultServer` with faults scripted per path; the clock and
``sleep`` are injected, so retries and ``Retry-After`` cost no real seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import os
import pickle
import re

import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter

from db.schema import open_db
from demosite import build_site
from parsers.kinds import KINDS
from scraper.archive import RawArchive
from scraper.harvest import MAX_CONSECUTIVE_FAILURES, Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient, Truncated
from scraper.sources import Source
from tests.faultserver import (
    Fault,
    FaultServer,
    ok,
    redirect,
    reset,
    stall,
    status,
    truncated,
    unsized,
)
from tests.scraper.test_harvest_faults import CGI, feed
from tests.scraper.test_http import FakeClock

POLICY = FetchPolicy(min_interval=0, retries=2, backoff=1.0, read_timeout=5.0,
                     connect_timeout=1.0, max_bytes=300_000, max_redirects=3)
#: for runs where a server stalls: a short read timeout, so the stall costs 0.1 s a try
STALLING = dataclasses.replace(POLICY, read_timeout=0.1)

# Items of the demo site's first meeting: -4 has an attachment, -5 smart quotes and dashes.
MEETING = "2024091101"
ITEMS = [f"{MEETING}-{n}" for n in (1, 4, 5)]
#: harvest(…, **RECENT): the demo items' meeting is 2024-09-11, so every run re-checks them
RECENT = {"today": dt.date(2024, 9, 20), "recheck_days": 14}
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

@pytest.fixture(scope="module", autouse=True)
def pdfs_parsed_once(tmp_path_factory):
    """The PDF parser is pure and the slowest step; the same demo PDFs come back in every
    run here, so each is parsed once. Faults are the subject. The cache is a folder of
    pickles: the harvest parses PDFs in child processes (:mod:`scraper.sandbox`)."""
    real = KINDS["item_pdf"]
    folder = tmp_path_factory.mktemp("parsed-pdfs")

    def parse_once(data: bytes, *, url: str | None = None, content_type: str | None = None):
        path = folder / hashlib.sha256(data + repr(url).encode()).hexdigest()
        if path.exists():
            return pickle.loads(path.read_bytes())
        record = real.parse(data, url=url)
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_bytes(pickle.dumps(record))
        tmp.replace(path)
        return record

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(KINDS, "item_pdf", dataclasses.replace(real, parse=parse_once))
        yield


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


def policy_for(*faults: Fault) -> FetchPolicy:
    return STALLING if any(f.kind == "stall" for f in faults) else POLICY


def harvest(tmp_path, *sources: Source, clock: FakeClock | None = None,
            policy: FetchPolicy = POLICY, today: dt.date = dt.date(2025, 6, 1),
            recheck_days: int = 0) -> RunSummary:
    clock = clock or FakeClock()
    db = open_db(tmp_path / "k.db")
    try:
        client = HttpClient(policy, clock=clock, sleep=clock.sleep)
        harvester = Harvester(db, client, RawArchive(tmp_path / "k.raw"),
                              today=lambda: today, recheck_days=recheck_days)
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
        srv.script("/same", Fault(304, b"", {"ETag": '"x"', "Content-Length": "5000"}))
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


# -- a fault on one item page ----------------------------------------------------------

PAGE = page_path(f"{MEETING}-5")
URL_5 = f"{CGI}meetingitem&id={MEETING}-5"
BIG = b"<html>" + b"x" * (POLICY.max_bytes + 1)

#: fault → (script, fetch log status, fetch log error, requests made, sleeps)
PAGE_FAULTS = {
    "500": ([status(500, b"<h1>Internal Server Error</h1>")], 500, None, 3, [1.0, 2.0]),
    "503 Retry-After": ([status(503, b"busy", **{"Retry-After": "30"})], 503, None, 3,
                        [30.0, 30.0]),
    "read timeout": ([stall(5.0)], None, "Read timed out", 3, [1.0, 2.0]),
    "connection reset": ([reset(b"<html>" + b"x" * 5000, 200)], None, "ConnectionResetError",
                         3, [1.0, 2.0]),
    "truncated body": ([truncated(b"<html>" + b"x" * 5000, 200, "text/html")], None,
                       "truncated: got 200 of 5006 bytes", 3, [1.0, 2.0]),
    "redirect loop": ([redirect(PAGE)], None, "too many redirects (> 3)", 4, []),
    "redirect off host": ([redirect("http://127.0.0.2:9/kokous/x.HTM")], None,
                          "refused: http://127.0.0.2:9/kokous/x.HTM is not on", 1, []),
    "oversized (Content-Length)": ([ok(BIG)], None, "too large: Content-Length", 1, []),
    "oversized (streamed)": ([unsized(BIG)], None, "too large: more than", 1, []),
}


@pytest.mark.parametrize("fault", PAGE_FAULTS)
def test_item_page_fault_is_recorded_and_a_later_run_heals_it(site, tmp_path, fault):
    script, fetch_status, fetch_error, requests_made, sleeps = PAGE_FAULTS[fault]
    site.script(PAGE, *script)
    src = source_of(site)
    clock = FakeClock()

    first = harvest(tmp_path, src, clock=clock, policy=policy_for(*script))
    assert (first.new_items, first.failed, first.exit_code) == (2, 1, 1)
    reason = fetch_error or f"HTTP {fetch_status}"
    (failure,) = first.failures
    assert failure.startswith(f"demo: {site.url}{URL_5}: ") and reason in failure
    assert site.hits[PAGE] == requests_made and clock.sleeps == sleeps
    (logged,) = fetch_rows(tmp_path, URL_5)
    assert logged["status"] == fetch_status
    if fetch_error:  # nothing half-fetched reaches the raw archive
        assert fetch_error in logged["error"] and logged["sha256"] is None
    assert item_row(tmp_path, f"{MEETING}-5") is None
    for other in ITEMS[:-1]:  # everything else is stored, attachment and all
        assert item_row(tmp_path, other)["title"]
    before = counts(tmp_path)

    del site.routes[PAGE]  # the fault is gone
    second = harvest(tmp_path, src)
    assert (second.new_items, second.failed, second.exit_code) == (1, 0, 0), second.failures
    assert item_row(tmp_path, f"{MEETING}-5")["title"] == TITLE_5
    assert_never_shrinks(before, counts(tmp_path))
    db = open_db(tmp_path / "k.db")
    assert [(r["failed"], r["exit_code"]) for r in db["runs"].rows] == [(1, 1), (0, 0)]
    assert db["attachments"].get(f"demo/{MEETING}-4#1")["status"] == "ok"
    db.close()


def test_retry_after_is_honoured_and_the_item_stored_in_the_same_run(site, tmp_path):
    busy = status(503, b"busy", **{"Retry-After": "7"})
    site.script(PAGE, busy, busy, ok(site.site.get(PAGE).body, "text/html; charset=iso-8859-1"))
    clock = FakeClock()
    summary = harvest(tmp_path, source_of(site), clock=clock)
    assert (summary.new_items, summary.failed, summary.exit_code) == (3, 0, 0)
    assert clock.sleeps == [7.0, 7.0] and site.hits[PAGE] == 3
    assert [r["status"] for r in fetch_rows(tmp_path, URL_5)] == [200]
    assert item_row(tmp_path, f"{MEETING}-5")["title"] == TITLE_5


# -- a fault on an item's PDF or attachment --------------------------------------------

ITEM_PDF = f"/kokous/{MEETING}-5.PDF"
ATTACHMENT = f"/kokous/{MEETING}-4-1.PDF"


def doc_faults(path: str) -> list:
    body = b"%PDF-1.4\n" + b"0" * 5000
    return [
        pytest.param(path, truncated(body, 300), "truncated: got 300 of 5009 bytes",
                     id=f"{path[-7:]} truncated"),
        pytest.param(path, reset(body, 300, "application/pdf"), "ConnectionResetError",
                     id=f"{path[-7:]} reset"),
        pytest.param(path, status(503, b"busy"), "HTTP 503", id=f"{path[-7:]} 503"),
    ]


@pytest.mark.parametrize(
    "path, fault, reason",
    [*doc_faults(ITEM_PDF), *doc_faults(ATTACHMENT)[::2],
     pytest.param(ITEM_PDF, stall(5.0), "Read timed out", id="-5.PDF read timeout")])
def test_pdf_fault_keeps_the_item_and_a_later_run_fetches_the_pdf(site, tmp_path, path,
                                                                   fault, reason):
    site.script(path, fault)
    src = source_of(site)
    item = f"{MEETING}-5" if path == ITEM_PDF else f"{MEETING}-4"

    first = harvest(tmp_path, src, policy=policy_for(fault))
    assert (first.new_items, first.failed, first.exit_code) == (3, 1, 1)
    (failure,) = first.failures
    assert failure.startswith(f"demo: {site.url}{CGI}meetingitem&id={item}: ")
    assert reason in failure
    assert all(r["sha256"] is None and reason in r["error"]
               for r in fetch_rows(tmp_path, path) if r["error"])  # no partial bytes kept
    stored = item_row(tmp_path, item)
    db = open_db(tmp_path / "k.db")
    if path == ITEM_PDF:
        assert stored["title"] == TITLE_5 and stored["pdf_sha256"] is None
        assert any(w.startswith("item pdf: ") and reason in w
                   for w in json.loads(stored["warnings"]))
    else:
        att = db["attachments"].get(f"demo/{item}#1")
        assert att["status"] == "error" and reason in att["error"] and att["sha256"] is None
    db.close()
    before = counts(tmp_path)

    del site.routes[path]
    second = harvest(tmp_path, src)
    assert (second.new_items, second.updated_items, second.failed, second.exit_code) == \
        (0, 1, 0, 0), second.failures
    db = open_db(tmp_path / "k.db")
    healed = db["items"].get(f"demo/{item}")
    assert healed["pdf_sha256"] is not None
    assert not any(w.startswith("item pdf") for w in json.loads(healed["warnings"]))
    if path == ATTACHMENT:
        att = db["attachments"].get(f"demo/{item}#1")
        assert att["status"] == "ok" and att["sha256"] and att["error"] is None
    db.close()
    assert_never_shrinks(before, counts(tmp_path))

    hits = site.hits[path]
    third = harvest(tmp_path, src)  # complete now: not taken again
    assert (third.updated_items, third.failed, site.hits[path]) == (0, 0, hits)


def test_html_error_page_where_a_pdf_was_linked(site, tmp_path):
    error_page = b"<html><body><h1>Virhe</h1>Tiedostoa ei l\xf6ydy.</body></html>"
    site.script(ITEM_PDF, ok(error_page))
    site.script(ATTACHMENT, ok(error_page))
    src = source_of(site)
    first = harvest(tmp_path, src)
    assert (first.new_items, first.failed, first.exit_code) == (3, 0, 0), first.failures
    db = open_db(tmp_path / "k.db")
    item = db["items"].get(f"demo/{MEETING}-5")
    assert item["title"] == TITLE_5 and item["pdf_sha256"] is None and item["pdf_url"] is None
    assert "item pdf: not a PDF" in json.loads(item["warnings"])
    att = db["attachments"].get(f"demo/{MEETING}-4#1")
    assert att["status"] == "not_pdf" and att["content_type"].startswith("text/html")
    assert att["error"] == f"starts with {error_page[:16]!r}"
    db.close()
    # not a passing fault: a later run does not fetch them again
    second = harvest(tmp_path, src)
    assert (second.updated_items, second.failed, second.requests) == (0, 0, 3)
    assert site.hits[ITEM_PDF] == site.hits[ATTACHMENT] == 1


# -- charsets, feeds -------------------------------------------------------------------

def without_charset(page: bytes) -> bytes:
    return re.sub(rb'<meta http-equiv="Content-Type"[^>]*>', b"", page)


@pytest.mark.parametrize("label, header, strip_meta", [
    ("cp1252 bytes labelled utf-8", "text/html; charset=utf-8", False),
    ("no charset anywhere", "text/html", True),
])
def test_item_page_with_a_wrong_or_missing_charset(site, tmp_path, label, header, strip_meta):
    body = site.site.get(PAGE).body
    body = without_charset(body) if strip_meta else body
    assert b"charset" not in body or not strip_meta
    site.script(PAGE, ok(body, header))
    summary = harvest(tmp_path, source_of(site))
    assert (summary.new_items, summary.failed) == (3, 0), label
    row = item_row(tmp_path, f"{MEETING}-5")
    assert row["title"] == TITLE_5  # “ ” – decoded as cp1252
    text = " ".join(str(v) for v in row.values() if isinstance(v, str))
    assert "ä" in text and "ö" in text
    assert "\ufffd" not in text and "Ã" not in text and "â€" not in text


def test_malformed_feed_keeps_the_entries_before_the_break(site, tmp_path, caplog):
    whole = feed(site.url, ITEMS)
    third = whole.index(f"id={ITEMS[2]}".encode())  # inside the third entry's link
    site.script(ITEMS_FEED, ok(whole[:third], "text/xml; charset=iso-8859-1"))
    meetings = site.site.get(f"{CGI}rss/meetings&show=100").body
    site.script(MEETINGS_FEED, ok(meetings[: len(meetings) // 2], "text/xml"))
    src = source_of(site)
    with caplog.at_level(logging.WARNING, logger="scraper.harvest"):
        first = harvest(tmp_path, src)
    assert (first.new_items, first.failed, first.exit_code) == (2, 0, 0), first.failures
    assert {item_row(tmp_path, i) is not None for i in ITEMS} == {True, False}
    assert item_row(tmp_path, ITEMS[0]) and item_row(tmp_path, ITEMS[1])
    logged = [r.getMessage() for r in caplog.records]
    assert any("demo items feed: malformed feed" in m for m in logged), logged
    assert any("demo meetings feed: malformed feed" in m for m in logged), logged

    site.script(ITEMS_FEED, ok(whole, "text/xml; charset=iso-8859-1"))
    second = harvest(tmp_path, src)
    assert (second.new_items, second.failed) == (1, 0)


@pytest.mark.parametrize("body", [EMPTY_RSS, b""], ids=["no items", "empty body"])
def test_empty_feed_is_zero_items(site, tmp_path, body):
    site.script(ITEMS_FEED, ok(body, "text/xml"))
    summary = harvest(tmp_path, source_of(site))
    assert (summary.new_items, summary.failed, summary.exit_code) == (0, 0, 0)
    assert summary.requests == 3 and counts(tmp_path)["items"] == 0


@pytest.mark.parametrize("fault", [status(500), truncated(b"<rss>" + b" " * 500, 100),
                                   stall(5.0)], ids=["500", "truncated", "read timeout"])
def test_items_feed_fault_fails_the_source(site, tmp_path, fault):
    site.script(ITEMS_FEED, fault)
    summary = harvest(tmp_path, source_of(site), policy=policy_for(fault))
    assert (summary.new_items, summary.failed, summary.exit_code) == (0, 1, 1)
    assert summary.failures[0].startswith("demo: items feed: ")
    del site.routes[ITEMS_FEED]
    site.script(ITEMS_FEED, ok(feed(site.url, ITEMS), "text/xml; charset=iso-8859-1"))
    assert harvest(tmp_path, source_of(site)).new_items == 3


# -- whole sources -------------------------------------------------------------------------

def test_a_failing_source_is_given_up_and_the_next_one_still_harvested(site, tmp_path):
    failing = sorted(k.split("=")[-1] for k in site.site.pages if "meetingitem&id" in k)[:6]
    site.script(ITEMS_FEED, ok(feed(site.url, failing), "text/xml; charset=iso-8859-1"))
    for item in failing:
        site.script(page_path(item), status(500))
    with FaultServer() as other:
        other.site = build_site(other.url)
        other.script(ITEMS_FEED, ok(feed(other.url, ITEMS), "text/xml; charset=iso-8859-1"))
        other.script(DECISIONS_FEED, status(404))
        first = harvest(tmp_path, source_of(site), source_of(other, "toinen"))
        assert first.new_items == len(ITEMS) and first.failed == MAX_CONSECUTIVE_FAILURES
        assert first.exit_code == 1
        assert first.failures[-1] == f"demo: gave up after {MAX_CONSECUTIVE_FAILURES} failures"
        tried = [i for i in failing if site.hits[page_path(i)]]
        assert tried == failing[:MAX_CONSECUTIVE_FAILURES]
        assert all(item_row(tmp_path, i, "toinen") for i in ITEMS)

        for item in failing:
            del site.routes[page_path(item)]
        second = harvest(tmp_path, source_of(site), source_of(other, "toinen"))
    assert (second.new_items, second.failed, second.exit_code) == (len(failing), 0, 0)


def test_one_item_that_crashes_the_parser_fails_alone(site, tmp_path, monkeypatch):
    import scraper.harvest

    real = scraper.harvest.parse_item

    def poisoned(data, url, **kw):
        if url.endswith(f"id={ITEMS[1]}"):
            raise RuntimeError("parser bug")
        return real(data, url=url, **kw)

    monkeypatch.setattr(scraper.harvest, "parse_item", poisoned)
    src = source_of(site)
    first = harvest(tmp_path, src)
    assert (first.new_items, first.failed, first.exit_code) == (2, 1, 1)
    assert first.failures == [f"demo: {site.url}{page_path(ITEMS[1])}: RuntimeError: parser bug"]
    monkeypatch.setattr(scraper.harvest, "parse_item", real)
    assert harvest(tmp_path, src).new_items == 1


def test_nothing_stored_is_lost_when_a_later_run_fails(site, tmp_path):
    src = source_of(site)
    first = harvest(tmp_path, src, **RECENT)
    assert (first.new_items, first.exit_code) == (3, 0)
    db = open_db(tmp_path / "k.db")
    items_before = list(db.query("select * from items order by id"))
    db.close()
    stored = counts(tmp_path)

    # the site breaks: every item page resets, the feeds answer 500 …
    for item in ITEMS:
        site.script(page_path(item), reset())
    broken = harvest(tmp_path, src, **RECENT)
    assert broken.exit_code == 1 and broken.new_items == broken.updated_items == 0
    assert_never_shrinks(stored, after := counts(tmp_path))
    site.script(ITEMS_FEED, status(500))
    site.script(MEETINGS_FEED, status(500))
    assert harvest(tmp_path, src, **RECENT).exit_code == 1
    # … and then the host is gone altogether
    with FaultServer() as gone:
        closed = gone.url
    down = harvest(tmp_path, Source(id="demo", base_url=closed), **RECENT)
    assert down.exit_code == 1 and "ConnectionError" in down.failures[-1]
    assert_never_shrinks(after, counts(tmp_path))
    db = open_db(tmp_path / "k.db")
    assert list(db.query("select * from items order by id")) == items_before
    assert [r["exit_code"] for r in db["runs"].rows] == [0, 1, 1, 1]
    db.close()


@pytest.mark.parametrize("body", [b"", b"<html><body><h1>Palvelu ei ole k\xe4yt\xf6ss\xe4</h1>"
                                       b"</body></html>"], ids=["empty 200", "error page 200"])
def test_a_broken_200_page_does_not_overwrite_a_stored_item(site, tmp_path, body):
    src = source_of(site)
    assert harvest(tmp_path, src, **RECENT).exit_code == 0
    before = item_row(tmp_path, f"{MEETING}-5")
    site.script(PAGE, ok(body))
    broken = harvest(tmp_path, src, **RECENT)
    assert (broken.updated_items, broken.failed, broken.exit_code) == (0, 1, 1), broken.failures
    assert broken.failures[0].startswith(f"demo: {site.url}{URL_5}: ")
    assert item_row(tmp_path, f"{MEETING}-5") == before
    del site.routes[PAGE]
    healed = harvest(tmp_path, src, **RECENT)  # the good page again: nothing to change
    assert (healed.updated_items, healed.failed) == (0, 0)


def test_an_empty_200_page_is_not_stored_as_a_new_item(site, tmp_path):
    site.script(PAGE, ok(b"  \r\n"))
    first = harvest(tmp_path, source_of(site))
    assert (first.new_items, first.failed) == (2, 1)
    assert first.failures == [f"demo: {site.url}{URL_5}: empty page"]
    del site.routes[PAGE]
    assert harvest(tmp_path, source_of(site)).new_items == 1
