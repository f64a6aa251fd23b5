"""One host cannot stall or steer the run: a total deadline per request (slowloris),
feeds capped at the entries asked for, feed entries validated, a time budget per source.
Against the demo site on a loopback :class:`tests.faultserver.FaultServer`."""

from __future__ import annotations

import dataclasses
import time

import pytest
import requests

from db.schema import open_db
from scraper.archive import RawArchive
from scraper.harvest import Harvester
from scraper.http import HttpClient
from tests.faultserver import FaultServer, drip, ok
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    CGI,
    DECISIONS_FEED,
    ITEMS,
    ITEMS_FEED,
    MEETING,
    MEETINGS_FEED,
    POLICY,
    demo_server,
    harvest,
    item_row,
    page_path,
    pdfs_parsed_once,
    site,
    source_of,
)
from tests.scraper.test_http import FakeClock

RSS = "text/xml; charset=iso-8859-1"


@pytest.fixture
def srv(request):
    return request.getfixturevalue("site")


def rss(entries: list[tuple[str, str]]) -> bytes:
    """A feed of ``(title, link)`` entries."""
    items = "".join(f"<item><title><![CDATA[{t}]]></title><link><![CDATA[{link}]]></link>"
                    "</item>" for t, link in entries)
    return (f"<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
            f"<title>Dynasty</title>{items}</channel></rss>").encode("latin-1")


def item_entries(base: str, ids: list[str]) -> list[tuple[str, str]]:
    return [(f"Kunnanhallitus 11.09.2024 / Asia {i}", f"{base}{CGI}meetingitem&id={i}")
            for i in ids]


def test_a_slowloris_page_costs_one_deadline_not_hours(srv, tmp_path):
    page = srv.site.get(page_path(ITEMS[0])).body
    srv.script(page_path(ITEMS[0]), drip(page, every=0.05))  # ~10 min for the whole page
    policy = dataclasses.replace(POLICY, deadline=1.0, read_timeout=5.0)
    started = time.monotonic()
    summary = harvest(tmp_path, source_of(srv), policy=policy)
    seconds = time.monotonic() - started
    assert (summary.new_items, summary.failed) == (2, 1), summary.failures
    assert "deadline: no complete answer within 1 s" in " ".join(summary.failures)
    assert srv.hits[page_path(ITEMS[0])] == 1  # not retried in this run
    assert seconds < 30, seconds
    assert item_row(tmp_path, ITEMS[0]) is None  # the partial page was not stored
    srv.routes.pop(page_path(ITEMS[0]))
    again = harvest(tmp_path, source_of(srv), policy=policy)
    assert (again.new_items, again.failed) == (1, 0), again.failures


def test_hostile_feed_entries_are_refused_and_never_requested(srv, tmp_path):
    base = srv.url
    hostile = [
        ("Kunnanhallitus 11.09.2024 / Passwd", f"{base}{CGI}meetingitem&id=../../etc/passwd"),
        ("Kunnanhallitus 11.09.2024 / Kokous", f"{base}{CGI}meeting&id={MEETING}"),
        ("Kunnanhallitus 11.09.2024 / Syöte", f"{base}{CGI}rss/meetingitems&id=1-1"),
        ("Kunnanhallitus 11.09.2024 / Muualla", f"http://192.0.2.1{CGI}meetingitem&id=1-2"),
        ("Kunnanhallitus 11.09.2024 / Päätös", f"{base}{CGI}official_decision&id=77-1"),
    ]
    srv.script(ITEMS_FEED, ok(rss(hostile + item_entries(base, ITEMS)), RSS))
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.failed) == (3, 0), summary.failures
    paths = [r["path"] for r in srv.requests]
    assert not any("passwd" in p or "id=1-" in p or "77-1" in p for p in paths), paths
    assert paths.count(f"{CGI}meeting&id={MEETING}") == 0
    warnings = " ".join(summary.warnings)
    assert "2 entries refused (not a Dynasty id of this feed), e.g. " in warnings
    assert "link to another kind of page" in warnings
    assert "link off the source's host" in warnings
    db = open_db(tmp_path / "k.db")
    try:
        assert sorted(r["dynasty_id"] for r in db["items"].rows) == sorted(ITEMS)
    finally:
        db.close()


def test_feeds_are_capped_at_the_entries_asked_for(srv, tmp_path):
    # 1,500 entries each (the fault tests' size cap is 300 KB)
    ids = [f"{MEETING}-{n}" for n in range(1, 1501)]
    meetings = [(f"Kunnanhallitus {1 + n % 28:02d}.{1 + n % 12:02d}.20{10 + n % 15} / "
                 "Pöytäkirja", f"{srv.url}{CGI}meeting&id={9000000 + n}") for n in range(1500)]
    srv.script(ITEMS_FEED, ok(rss(item_entries(srv.url, ITEMS) + item_entries(srv.url, ids)),
                              RSS))
    srv.script(MEETINGS_FEED, ok(rss(meetings), RSS))
    summary = harvest(tmp_path, source_of(srv))
    warnings = " ".join(summary.warnings)
    assert "1503 entries where 100 were asked for; the first 100 are taken" in warnings
    assert "1500 entries where 100 were asked for" in warnings
    item_pages = [r for r in srv.requests if "meetingitem&id=" in r["path"]]
    assert len(item_pages) <= 100
    db = open_db(tmp_path / "k.db")
    try:
        assert db["meetings"].count <= 100 + len(ITEMS)
    finally:
        db.close()


class Ticking:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_source_stops_at_its_time_budget_and_the_next_run_finishes(srv, tmp_path):
    db = open_db(tmp_path / "k.db")
    try:
        clock = FakeClock()
        harvester = Harvester(db, HttpClient(POLICY, clock=clock, sleep=clock.sleep),
                              RawArchive(tmp_path / "k.raw"), recheck_days=0,
                              source_seconds=250, clock=Ticking(100))
        first = harvester.run([source_of(srv)])
    finally:
        db.close()
    # read at the start and before each item: 100, 200, 300 s, spent before the third
    assert first.new_items == 2 and first.failed == 1, first
    assert "time budget of 250 s used up; 1 feed entries left for the next run" in \
        " ".join(first.failures)
    assert DECISIONS_FEED not in [r["path"] for r in srv.requests]
    second = harvest(tmp_path, source_of(srv))
    assert (second.new_items, second.failed) == (1, 0), second.failures


def test_the_deadline_covers_the_body_and_the_socket_is_released(srv):
    srv.script("/slow-body", drip(b"x" * 100_000, every=0.002))  # headers 0.3 s, body 200 s
    policy = dataclasses.replace(POLICY, deadline=1.5, read_timeout=5.0, retries=0)
    client = HttpClient(policy)
    started = time.monotonic()
    result = client.get(f"{srv.url}/slow-body")
    assert result.error == "deadline: no complete answer within 1.5 s", result
    assert result.content == b"" and time.monotonic() - started < 5
    srv.routes.pop("/slow-body")
    srv.script("/fine", ok(b"<html>ok</html>"))
    assert client.get(f"{srv.url}/fine").content == b"<html>ok</html>"  # the client still works


def test_the_deadline_holds_through_an_http_proxy():
    """An operator behind a proxy (``HTTP_PROXY``) keeps the deadline: the proxy's
    connections are deadline connections too. The fault server plays the proxy."""
    target = "http://kunta.invalid/slow-body"
    with FaultServer() as proxy:
        proxy.script(target, drip(b"x" * 100_000, every=0.002))  # body 200 s
        session = requests.Session()
        session.proxies = {"http": proxy.url}
        policy = dataclasses.replace(POLICY, deadline=1.5, read_timeout=5.0, retries=0)
        client = HttpClient(policy, session=session)
        started = time.monotonic()
        result = client.get(target)
        assert result.error == "deadline: no complete answer within 1.5 s", result
        assert time.monotonic() - started < 5
        assert [r["path"] for r in proxy.requests] == [target]  # it went through the proxy
