"""Bad input: a source whose host serves another municipality's pages, or two sources on
one site, gets a clear warning; nothing stored is lost or mixed."""

from __future__ import annotations

import sqlite3

import pytest

from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.identity import names
from scraper.sources import Source
from tests.loopback import Reply, ScriptedServer

FAST = FetchPolicy(min_interval=0, retries=0)


@pytest.mark.parametrize(("text", "municipality"), [
    ("Joensuun kaupunki", "Joensuu"), ("Helsingin kaupunki", "Helsinki"),
    ("Turun kaupunki - kokoukset", "Turku"), ("Lahden kaupunki", "Lahti"),
    ("Kemin kaupunki", "Kemi"), ("Kemijärven kaupunki", "Kemijärvi"),
    ("Espoo", "Espoo"), ("Iin kunta", "Ii"),
])
def test_a_municipality_is_named_in_its_inflected_forms(text, municipality):
    assert names(text, municipality)


@pytest.mark.parametrize(("text", "municipality"), [
    ("Kemijärven kaupunki", "Kemi"), ("Kemin kaupunki", "Kemijärvi"),
    ("Espoon kaupunki", "Kuopio"), ("Dynasty - Kokousasiat", "Salo"),
    ("turvallisuus", "Turku"), ("Iisalmen kaupunki", "Ii"),
])
def test_other_words_do_not_name_it(text, municipality):
    assert not names(text, municipality)


FEED = ("<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
        "<title>Joensuun kaupunki</title><link>{base}</link>"
        "<item><title>Kaupunginhallitus 03.02.2025 / Asia</title>"
        "<link>{base}/cgi/DREQUEST.PHP?page=meetingitem&amp;id=2025020301-1</link>"
        "</item></channel></rss>")


def test_a_source_titled_after_another_municipality_is_warned_about(tmp_path):
    with ScriptedServer() as site:
        site.routes["/cgi/DREQUEST.PHP?page=rss/meetingitems&show=100"] = [
            Reply(200, FEED.format(base=site.url).encode("latin-1"),
                  {"Content-Type": "application/rss+xml"})]
        summary = api.harvest(tmp_path / "k.db", [Source(
            id="kuopio", base_url=site.url, municipality="Kuopio")], policy=FAST,
            recheck_days=0)
    assert len(summary.warnings) == 1
    warning = summary.warnings[0]
    assert warning.startswith(f"kuopio: the items feed of {site.url} is titled "
                              "'Joensuun kaupunki', which names Joensuu, not Kuopio")


def test_two_sources_on_one_site_are_warned_about_and_kept_apart(tmp_path, capsys):
    db_path = tmp_path / "k.db"
    with DemoServer() as site, DemoServer() as other:
        first = api.harvest(db_path, [Source(id="demo", base_url=site.base_url)], policy=FAST)
        sources = [Source(id="demo", base_url=site.base_url),
                   Source(id="kopio", base_url=site.base_url),
                   Source(id="muu", base_url=other.base_url)]
        summary = api.harvest(db_path, sources, policy=FAST, concurrency=3)
    assert first.exit_code == summary.exit_code == 0
    assert summary.warnings[0].startswith(
        f"sources demo, kopio point at the same address {site.base_url[7:]}")
    assert any(w.startswith(f"kopio: {site.base_url} serves the same items feed as demo")
               for w in summary.warnings)
    assert not any(w.startswith("muu:") for w in summary.warnings)
    conn = sqlite3.connect(db_path)
    per_source = dict(conn.execute("select source_id, count(*) from items group by source_id"))
    # nothing stored is lost or overwritten: each id keeps its own copy
    assert per_source == {"demo": len(expected_items()), "kopio": len(expected_items()),
                          "muu": len(expected_items())}
    assert summary.by_source["demo"].new_items == 0
