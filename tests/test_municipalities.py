"""Two municipalities in one archive never mix, and links survive the file's name.

The demo Dynasty site is served twice on loopback, as two municipalities ("Alfala" and
"Betala") with the same bodies, the same case numbers and even the same Dynasty item
ids, and both are harvested into one real SQLite file. Every canned query, facet, feed
and page is then read through Datasette's test client with the project's metadata and
templates.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from demosite import DemoServer, expected_documents, expected_items
from kokousarkisto import api
from kokousarkisto.links import item_path
from kokousarkisto.publish import TEMPLATE_DIR, load_metadata
from scraper.http import FetchPolicy
from scraper.sources import Source

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
TOWNS = {"alfa": "Alfala", "beta": "Betala"}


@pytest.fixture(scope="module")
def two_towns(tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("towns") / "kunnat.db"
    with DemoServer() as a, DemoServer() as b:
        sources = [Source(id="alfa", base_url=a.base_url, name="Alfalan kaupunki",
                          municipality="Alfala"),
                   Source(id="beta", base_url=b.base_url, municipality="Betala")]
        summary = api.harvest(db_path, sources, policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return db_path


def _datasette(db_path: Path) -> Datasette:
    return Datasette(files=[str(db_path)], metadata=load_metadata(db_path),
                     template_dir=str(TEMPLATE_DIR))


def _get(ds: Datasette, *paths: str):
    async def fetch():
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(fetch())


def _rows(ds: Datasette, path: str) -> list[dict]:
    (page,) = _get(ds, path)
    assert page.status_code == 200, page.text[:300]
    return page.json()


def _a_case() -> dict:
    """A case handled twice in the demo (agenda, then minutes)."""
    return next(e for e in expected_items() if e["document_type"] == "agenda"
                and any(m["case_number"] == e["case_number"]
                        and m["document_type"] == "minutes" for m in expected_items()))


def test_case_history_is_scoped_and_never_interleaves_two_towns(two_towns):
    ds = _datasette(two_towns)
    case = _a_case()["case_number"]
    one_town = [e for e in expected_items() if e["case_number"] == case]
    everywhere = _rows(ds, f"/kunnat/case_history.json?_shape=array&case_number={case}")
    assert len(everywhere) == 2 * len(one_town)
    towns = [r["municipality"] for r in everywhere]
    # each municipality's history is one block, oldest first, never merged with the other
    assert towns == ["Alfala"] * len(one_town) + ["Betala"] * len(one_town)
    for town in TOWNS.values():
        dates = [r["meeting_date"] for r in everywhere if r["municipality"] == town]
        assert dates == sorted(dates)
    for kunta, town in (("alfa", "Alfala"), ("Betala", "Betala"), ("betala", "Betala")):
        rows = _rows(ds, f"/kunnat/case_history.json?_shape=array&case_number={case}"
                         f"&kunta={kunta}")
        assert len(rows) == len(one_town) and {r["municipality"] for r in rows} == {town}
        assert all("127.0.0.1" in r["url"] for r in rows)
    assert _rows(ds, f"/kunnat/case_history.json?_shape=array&case_number={case}"
                     "&kunta=gammala") == []


def test_body_queries_take_kunta_or_the_labelled_body(two_towns):
    ds = _datasette(two_towns)
    body = "Kaupunginhallitus"
    minutes = [e for e in expected_items() if e["document_type"] == "minutes"
               and e["body"] == body]
    span = "&start=2000-01-01&end=2100-01-01"
    both = _rows(ds, f"/kunnat/decisions_by_body.json?_shape=array&body={body}{span}")
    assert len(both) == 2 * len(minutes)
    assert sorted({r["municipality"] for r in both}) == ["Alfala", "Betala"]
    alfa = _rows(ds, f"/kunnat/decisions_by_body.json?_shape=array&body={body}&kunta=alfa"
                     f"{span}")
    labelled = _rows(ds, "/kunnat/decisions_by_body.json?_shape=array"
                         f"&body={body}+%28Alfala%29{span}")
    assert alfa == labelled and len(alfa) == len(minutes)
    assert {r["municipality"] for r in alfa} == {"Alfala"}
    assert len({r["url"] for r in alfa}) == len(alfa)
    assert all(r["url"].startswith(_base_url(two_towns, "alfa")) for r in alfa)

    people = _rows(ds, "/kunnat/meeting_attendance.json?_shape=array&kunta=beta"
                       f"&body={body}")
    attendees = [a for d in expected_documents() if d["body"] == body for a in d["attendees"]]
    assert len(people) == len(attendees)
    assert {r["municipality"] for r in people} == {"Betala"}
    assert all(r["meeting_page"].startswith(_base_url(two_towns, "beta")) for r in people)
    summary = _rows(ds, "/kunnat/attendance_summary.json?_shape=array"
                        f"&body={body}+%28Betala%29")
    assert {r["municipality"] for r in summary} == {"Betala"}
    # each town's board counts its own meetings: nobody attended twice as many as held
    assert all(r["meetings_attended"] <= r["meetings_listed"] for r in summary)
    everyone = _rows(ds, f"/kunnat/attendance_summary.json?_shape=array&body={body}")
    assert len(everyone) == 2 * len(summary)
    assert {(r["person"], r["meetings_attended"], r["meetings_listed"]) for r in everyone} == \
        {(r["person"], r["meetings_attended"], r["meetings_listed"]) for r in summary}

    for query in ("latest_decisions", "items_by_person", "official_decisions_latest"):
        rows = _rows(ds, f"/kunnat/{query}.json?_shape=array&kunta=alfa&name=a")
        assert rows and {r["municipality"] for r in rows} == {"Alfala"}, query
        rows = _rows(ds, f"/kunnat/{query}.json?_shape=array&name=a")
        assert {r["municipality"] for r in rows} == {"Alfala", "Betala"}, query
    for query in ("search", "search_attachments"):
        rows = _rows(ds, f"/kunnat/{query}.json?_shape=array&q=sopimus")
        assert rows and {r["municipality"] for r in rows} == {"Alfala", "Betala"}, query


def _base_url(db_path: Path, source_id: str) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select base_url from sources where id = ?",
                            [source_id]).fetchone()[0]
    finally:
        conn.close()


def test_facets_and_body_feed_name_the_municipality(two_towns):
    ds = _datasette(two_towns)
    data = _rows(ds, "/kunnat/items.json?_size=0&_facet=body_id")
    labels = {r["label"]: r["count"] for r in data["facet_results"]["body_id"]["results"]}
    per_body: dict[str, int] = {}
    for e in expected_items():
        per_body[e["body"]] = per_body.get(e["body"], 0) + 1
    assert labels == {f"{body} ({town})": n for body, n in per_body.items()
                      for town in TOWNS.values()}
    towns = {r["label"]: r["count"]
             for r in data["facet_results"]["source_id"]["results"]}
    assert towns == {town: len(expected_items()) for town in TOWNS.values()}
    (page,) = _get(ds, "/kunnat/items?_facet=body_id")
    assert "Kaupunginhallitus (Alfala)" in page.text and "Kaupunginhallitus (Betala)" in page.text

    feed, both = _get(ds, "/kunnat/feed_body.atom?body=Kaupunginhallitus&kunta=Betala",
                      "/kunnat/feed_body.atom?body=Kaupunginhallitus")
    assert feed.status_code == 200
    entries = feed.text.split("<entry>")[1:]
    assert entries and all("<id>tag:kokousarkisto.github.io,2025:asia/beta/" in e
                           and "Betala · Kaupunginhallitus" in e for e in entries)
    assert "alfa/" not in feed.text and "Alfala" not in feed.text
    assert len(both.text.split("<entry>")) - 1 == 2 * len(entries)


def test_item_pages_and_meeting_rows_show_their_own_municipality(two_towns):
    ds = _datasette(two_towns)
    target = next(e for e in expected_items() if e["document_type"] == "minutes")
    alfa, beta = _get(ds, item_path(f"alfa/{target['item_id']}"),
                      item_path(f"beta/{target['item_id']}"))
    for page, town, other in ((alfa, "Alfala", "Betala"), (beta, "Betala", "Alfala")):
        assert page.status_code == 200
        assert f'<dd class="kk-municipality">{town}</dd>' in page.text
        assert other not in page.text
        assert target["title"] in page.text
    conn = sqlite3.connect(two_towns)
    meeting_id, body_id = conn.execute(
        "select meetings.id, meetings.body_id from meetings where source_id = 'beta' "
        "limit 1").fetchone()
    conn.close()
    meeting, body = _get(ds, f"/kunnat/meetings/{meeting_id}", f"/kunnat/bodies/{body_id}")
    assert meeting.status_code == 200 and "Betala" in meeting.text and "Alfala" not in meeting.text
    assert "(Betala)" in meeting.text  # the body's label
    assert body.status_code == 200 and "Betala" in body.text and "Alfala" not in body.text


def _copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


@pytest.mark.parametrize("file_name", ["kokousarkisto.db", "Uusi arkisto 2026.db"])
def test_stable_item_link_and_home_links_work_for_any_file_name(two_towns, tmp_path,
                                                                 file_name):
    db_path = _copy(two_towns, tmp_path / file_name)
    ds = _datasette(db_path)
    db_url = ds.urls.database(db_path.stem)  # "/Uusi+arkisto+2026": Datasette's encoding
    target = next(e for e in expected_items() if e["document_type"] == "minutes")
    link = item_path(f"beta/{target['item_id']}")
    assert link == f"/kohta/beta/{target['item_id']}"
    page, missing, home, latest = _get(ds, link, "/kohta/beta/1-1", "/",
                                       "/arkisto/latest_decisions?kunta=beta")
    assert page.status_code == 200 and target["title"] in page.text
    assert f'href="{link}"' in page.text  # the page names its own permanent link
    assert missing.status_code == 404 and "Kohtaa ei löydy" in missing.text
    assert home.status_code == 200
    hrefs = {h.split('"')[0] for h in home.text.split('href="')[1:]}
    assert {"/arkisto/latest_decisions", "/arkisto/search", "/arkisto/items"} <= hrefs
    # every link of the home page answers, whatever the file is called
    for href in sorted(h for h in hrefs if h.startswith("/") and not h.startswith("/-/")):
        (answer,) = _get(ds, href)
        if answer.status_code == 302:
            (answer,) = _get(ds, answer.headers["location"])
        assert answer.status_code == 200, href
    assert latest.status_code == 302
    assert latest.headers["location"] == f"{db_url}/latest_decisions?kunta=beta"
    (followed,) = _get(ds, latest.headers["location"])
    assert followed.status_code == 200 and "Betala" in followed.text


#: a value for every parameter a canned query may take: matches in both towns
PARAMS = {"q": "sopimus", "body": "Kaupunginhallitus", "case_number": "3700/2024",
          "name": "a", "start": "2000-01-01", "end": "2100-01-01", "date_from": "",
          "date_to": ""}
#: per query, words found in what it searches (earlier handlings' texts)
QUERY_PARAMS = {"search_history": {"q": "kaupunkisuunnittelulautakunta"}}


def _queries() -> dict[str, dict]:
    metadata = load_metadata(Path("kunnat.db"))
    return metadata["databases"]["kunnat"]["queries"]


def test_every_canned_query_names_the_municipality_and_honours_kunta(two_towns):
    """All of metadata.yml's canned queries, present and future: each has a municipality
    column, a query keyed by a body or a case number takes ``kunta``, and what the demo's
    two towns both have is listed for both, or for one town only with ``kunta``."""
    import re

    ds = _datasette(two_towns)
    for name, query in _queries().items():
        params = set(re.findall(r":(\w+)", query["sql"])) - {"kunta"}
        keyed = params & {"body", "case_number"}
        assert not keyed or ":kunta" in query["sql"], f"{name}: keyed by {keyed}, no kunta"
        values = {**PARAMS, **QUERY_PARAMS.get(name, {})}
        args = "&".join(f"{p}={values.get(p, '')}" for p in sorted(params))
        if name.startswith("feed_"):
            (feed,) = _get(ds, f"/kunnat/{name}.atom?{args}")
            assert feed.status_code == 200, name
            titles = feed.text.split("<title")[2:]  # entries, after the feed's own title
            assert titles and all(("Alfala" in t) != ("Betala" in t) for t in titles), name
            continue
        (page,) = _get(ds, f"/kunnat/{name}.json?_shape=objects&{args}")
        assert page.status_code == 200, (name, page.text[:300])
        assert "municipality" in page.json()["columns"], name
        rows = page.json()["rows"]
        if not rows:  # nothing of the kind in the demo (e.g. no departed decisions)
            continue
        assert {r["municipality"] for r in rows} == set(TOWNS.values()), name
        if ":kunta" in query["sql"]:
            mine = _rows(ds, f"/kunnat/{name}.json?_shape=array&{args}&kunta=beta")
            assert mine and {r["municipality"] for r in mine} == {"Betala"}, name
            assert len(mine) < len(rows), name


def test_reporter_pages_of_one_town_never_show_the_other(two_towns):
    """The body, meeting and case pages (and the body's feed) of two towns whose bodies,
    case numbers and document ids are the same each show their own town only."""
    ds = _datasette(two_towns)
    conn = sqlite3.connect(two_towns)
    try:
        for source, town in TOWNS.items():
            other = next(t for t in TOWNS.values() if t != town)
            body_id, meeting_id = conn.execute(
                "select bodies.id, meetings.id from bodies join meetings "
                "on meetings.body_id = bodies.id where bodies.source_id = ? "
                "and bodies.name = 'Kaupunginhallitus' order by meetings.date limit 1",
                [source]).fetchone()
            pages = _get(ds, f"/toimielin/{body_id}", f"/toimielin/{body_id}.atom",
                         f"/kokous/{meeting_id}", f"/diaari/{source}/3700/2024")
            for page in pages:
                assert page.status_code == 200, page.text[:300]
                assert town in page.text and other not in page.text, (town, page.url)
    finally:
        conn.close()


def test_rows_pointing_at_a_meeting_name_its_town_and_body(two_towns):
    ds = _datasette(two_towns)
    data = _rows(ds, "/kunnat/meeting_attendees.json?_shape=objects&_labels=on&_size=max")
    labels = {r["meeting_id"]["label"] for r in data["rows"]}
    assert labels and all(" (Alfala) " in x or " (Betala) " in x for x in labels)
    assert {x.replace("Alfala", "Betala") for x in labels} == \
        {x for x in labels if "Betala" in x}  # the same meetings, each town's own
    (page,) = _get(ds, "/kunnat/meeting_attendees?_size=5")
    assert any(label in page.text for label in labels)  # the meeting links read so


def test_latest_decisions_are_the_newest_minutes_items_in_order(two_towns):
    """The canned query reads the date index (fast at 1M items); it answers as the plain
    join sorted in full would, for every municipality, for all, and for an unknown one."""
    ds = _datasette(two_towns)
    conn = sqlite3.connect(two_towns)
    try:
        for kunta in ("", "alfa", "Betala", "ei-ole"):
            want = conn.execute(
                "select items.meeting_date, items.section, items.url from items "
                "join sources on sources.id = items.source_id "
                "where items.document_type = 'minutes' and (? = '' or sources.id = lower(?) "
                "or lower(sources.label) = lower(?)) "
                "order by items.meeting_date desc, cast(items.section as integer), items.id "
                "limit 100", [kunta, kunta, kunta]).fetchall()
            rows = _rows(ds, f"/kunnat/latest_decisions.json?_shape=array&kunta={kunta}")
            assert [(r["meeting_date"], r["section"], r["url"]) for r in rows] == \
                [tuple(w) for w in want], kunta
            assert bool(want) == (kunta != "ei-ole")
    finally:
        conn.close()
