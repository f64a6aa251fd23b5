"""Search on the demo site's harvest: demosite over loopback HTTP → harvest → Datasette."""

from __future__ import annotations

import pytest

from db.fts import index_analyser
from db.schema import open_db
from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.search.helpers import datasette_get, datasette_html

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search-demo") / "kokousarkisto.db"
    with DemoServer() as site:
        summary = api.harvest(path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                              policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return path


def titled(*needles: str) -> set[str]:
    """Demo items whose title contains any of ``needles`` (case-insensitive)."""
    return {f"demo/{e['item_id']}" for e in expected_items()
            if any(n.lower() in e["title"].lower() for n in needles)}


def search(path, q: str, endpoint: str = "search") -> set[str]:
    params = {"q": q} if endpoint == "search" else {"_search": q}
    [response] = datasette_get(path, [(endpoint, params)])
    assert response.status_code == 200, response.text[:500]
    return {row["id"] for row in response.json()}


@pytest.mark.parametrize("q, needles", [
    ("asemakaava", ["asemakaavan"]),
    ("yleiskaava", ["yleiskaavan"]),
    ("kaava", ["asemakaavan", "yleiskaavan"]),
    ("avustus", ["kohdeavustus", "Kulttuuriavustukset"]),
    ("Ely-keskus", ["Ely-keskukselle"]),
    ("hyvinvointialue", ["hyvinvointialueen"]),
    ("sopimus", ["yhteistyösopimus"]),
    ("tarkastaja", ["tarkastajien"]),
    ("Rautaranta Oy:n", ["Rautaranta Oy:lle"]),
    ("laillisuus", ["laillisuuden"]),
])
def test_inflected_and_compound_queries_find_the_demo_items(demo_db, voikko, q, needles):
    assert index_analyser(open_db(demo_db)) == voikko.name
    want = titled(*needles)
    assert want, needles
    assert want <= search(demo_db, q)


def test_the_search_page_highlights_and_links(demo_db, voikko):
    [page] = datasette_get(demo_db, [("search", {"q": "kulttuuriavustus"})])
    rows = page.json()
    assert rows and rows[0]["id"] == "demo/2024102201-5"
    assert "<mark>Kulttuuriavustukset</mark>" in rows[0]["title"]
    assert rows[0]["url"].startswith("http") and rows[0]["body"] and rows[0]["meeting_date"]
    assert rows[0]["section"]
    html = datasette_html(demo_db, "search", {"q": "kulttuuriavustus"}).text
    assert "<mark>Kulttuuriavustukset</mark>" in html  # rendered, not escaped
    assert "&lt;mark&gt;" not in html


def test_the_table_search_box_understands_finnish(demo_db, voikko):
    assert titled("Kulttuuriavustukset", "kohdeavustus") <= search(
        demo_db, "avustuksen", endpoint="items")


@pytest.mark.parametrize("q", ["Ely-keskus", "2018-2020", '"', "AND", "", "NEAR kaava",
                               "1.1.2025", "7-112", "4:112"])
def test_awkward_queries_on_the_demo(demo_db, q):
    search(demo_db, q)
    search(demo_db, q, endpoint="items")
