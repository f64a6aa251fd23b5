"""Alerts that work: Atom feeds valid per RFC 4287, 200 when empty, titled after the
search; the body's iCalendar of meetings."""

from __future__ import annotations

import re
import sqlite3

import feedparser
import pytest
from lxml import etree

from tests.reporter.conftest import copy_db, datasette_for, get, query
from tests.reporter.rfc4287 import check

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def ds(towns_db):
    return datasette_for(towns_db)


def _feed(ds, path: str):
    (resp,) = get(ds, path, follow=True)
    assert resp.status_code == 200, (path, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/atom+xml")
    problems = check(resp.content)
    assert problems == [], problems
    parsed = feedparser.parse(resp.content)
    assert not parsed.bozo, parsed.bozo_exception
    return resp, parsed


@pytest.mark.parametrize("path", [
    "/haku.atom?q=sanaajotaeiole",  # a new search term
    "/haku.atom?q=kaava&kunta=eiole",  # an unknown municipality: all, with the words
    "/haku.atom?q=%22",
    "/haku.atom?q=AND+(",
    "/kokousarkisto/feed_search.atom?q=sanaajotaeiole",  # the old canned feeds
    "/kokousarkisto/feed_body.atom?body=eiole",
    "/kunnat/feed_body.atom?body=",
])
def test_a_feed_with_nothing_to_say_is_a_valid_empty_feed(ds, path):
    resp, parsed = _feed(ds, path)
    if "sanaajotaeiole" in path or "eiole" in path:
        assert parsed.entries == []


def test_search_feed_is_titled_after_the_query_and_links_to_item_pages(ds, towns_db):
    resp, parsed = _feed(ds, "/haku.atom?q=yleiskaava&kunta=demola")
    assert parsed.feed.title == "Kokousarkisto: ”yleiskaava” · Demola"
    assert parsed.entries
    root = etree.fromstring(resp.content)
    assert root.find(A + "author/" + A + "name").text == "Kokousarkisto"
    for entry in parsed.entries:
        assert entry.id.startswith("tag:kokousarkisto.github.io,2025:asia/demola/")
        assert re.match(r"^http://[^/]+/kohta/demola/\d+-\d+$", entry.link)
        assert entry.title.startswith("Demola · ")
    item_id = parsed.entries[0].id.split(":asia/")[1]
    row = query(towns_db, "select items.*, bodies.name as body from items join bodies on "
                        "bodies.id = items.body_id where items.id = ?", [item_id])[0]
    y, m, d = row["meeting_date"].split("-")
    kind = {"minutes": "pöytäkirja", "agenda": "esityslista"}[row["document_type"]]
    section = f"§ {row['section']}" if kind == "pöytäkirja" else f"asia {row['section']}"
    assert parsed.entries[0].title == (f"Demola · {row['body']} {int(d)}.{int(m)}.{y} "
                                       f"{section} ({kind}): {row['title']}")
    # two searches, two feeds: different titles and ids
    _, other = _feed(ds, "/haku.atom?q=avustus")
    assert other.feed.title != parsed.feed.title and other.feed.id != parsed.feed.id


def test_body_feed_answers_for_a_lower_case_name_with_a_trailing_space(ds, towns_db):
    (body_id,) = query(towns_db, "select id from bodies where source_id = 'malliala' "
                               "and name = 'Kaupunginhallitus'")[0]
    _, parsed = _feed(ds, "/kokousarkisto/feed_body.atom?body=kaupunginhallitus%20"
                          "&kunta=malliala")
    assert parsed.feed.title == "Kokousarkisto: Kaupunginhallitus (Malliala)"
    assert parsed.entries and all("/kohta/malliala/" in e.link for e in parsed.entries)
    _, direct = _feed(ds, f"/toimielin/{body_id}.atom")
    assert [e.id for e in direct.entries] == [e.id for e in parsed.entries]


def test_control_characters_in_stored_text_never_break_a_feed(towns_db, tmp_path):
    db_path = copy_db(towns_db, tmp_path / "kunnat.db")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("update items set title = ?, decision = ? where id = ?",
                     ["Ohjaus\x01merkki \x1b[31m yleiskaava", "Päätös\x0b\x00 tehty",
                      "demola/2024091101-5"])
    conn.close()
    ds = datasette_for(db_path)
    (body_id,) = query(db_path, "select body_id from items where id = 'demola/2024091101-5'")[0]
    for path in ("/haku.atom?q=yleiskaava&kunta=demola", f"/toimielin/{body_id}.atom"):
        _, parsed = _feed(ds, path)
        titles = [e.title for e in parsed.entries]
        assert any("Ohjausmerkki [31m yleiskaava" in t for t in titles), titles


def test_pages_offer_feed_autodiscovery(ds):
    search, body = get(ds, "/haku?q=kaava", "/toimielin/2")
    for page in (search, body):
        assert page.status_code == 200
        m = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                      r'href="([^"]+)">', page.text)
        assert m, page.text[:1000]
        _feed(ds, m.group(1).replace("&amp;", "&"))
    assert 'class="kk-subscribe" href="/haku.atom?q=kaava"' in search.text


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_body_calendar_lists_meetings_with_their_time_and_place(ds, towns_db):
    (body_id,) = query(towns_db, "select id from bodies where source_id = 'demola' "
                               "and name = 'Kaupunkisuunnittelulautakunta'")[0]
    (resp,) = get(ds, f"/toimielin/{body_id}.ics?alkaen=2025-01-01")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/calendar")
    raw = resp.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = _unfold(resp.text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    event = lines[lines.index("BEGIN:VEVENT"):lines.index("END:VEVENT")]
    fields = dict(line.split(":", 1) for line in event[1:])
    assert fields["DTSTART;TZID=Europe/Helsinki"] == "20250312T170000"
    assert fields["LOCATION"] == "Kaupungintalo\\, kokoushuone Kaarna"
    assert fields["SUMMARY"] == "Kaupunkisuunnittelulautakunta (Demola): kokous"
    assert "UID" in fields and "DTSTAMP" in fields
    (meeting_id,) = query(towns_db, "select id from meetings where body_id = ? and "
                                    "date = '2025-03-12'", [body_id])[0]
    assert fields["URL"].endswith(f"/kokous/{meeting_id}")
    assert "Satamanrannan katusuunnitelmien" in fields["DESCRIPTION"]
    # by default only meetings from a month ago on: the demo's are all older
    (upcoming,) = get(ds, f"/toimielin/{body_id}.ics")
    assert "BEGIN:VEVENT" not in upcoming.text and upcoming.status_code == 200


def test_the_canned_search_feed_lists_the_50_newest_matches(tmp_path):
    """More than 50 items match: the feed holds the 50 first seen last (then by meeting
    date), each with a snippet; only those 50 get one made."""
    from db import store
    from db.schema import open_db
    from tests.search.helpers import SOURCE, item_write

    path = tmp_path / "kokousarkisto.db"
    db = open_db(path)
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="T", base_url="http://t"),
                        "2025-01-01T00:00:00+00:00")
    body = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
    for n in range(80):  # 60 of them match
        entry = {"id": f"{100 + n}-1", "title": f"Asia {n}", "body": "Kaupunginhallitus",
                 "date": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}", "section": str(n),
                 "decision": "Avustusta myönnetään." if n % 4 else "Muuta."}
        seen = f"2025-{1 + (n * 7) % 12:02d}-15T12:00:00+00:00"
        store.store_item(db, item_write(entry, body, None), seen)
    db.close()
    conn = sqlite3.connect(path)
    want = [r[0] for r in conn.execute(
        "select id from items where decision like 'Avustusta%' "
        "order by first_seen desc, meeting_date desc, rowid desc limit 50")]
    conn.close()
    (page,) = get(datasette_for(path), "/kokousarkisto/feed_search.json?q=avustus&_shape=array")
    rows = page.json()
    assert len(want) == 50 and [r["atom_id"] for r in rows] == want
    assert all("<strong>Avustusta</strong>" in r["atom_content_html"] for r in rows)
