"""Publication: the item page as a document, escaped scraped text, ``serve --publish``.

A harvest of the demo Dynasty site (real HTTP on loopback, a real SQLite file) served
through Datasette's test client with the package's templates, as ``kokousarkisto serve``
serves it.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.cli import cli as datasette_cli
from datasette.utils import tilde_encode

from demosite import DemoServer, expected_documents, expected_items
from kokousarkisto import api
from kokousarkisto.item_page import paragraphs_html, safe_url
from kokousarkisto.publish import TEMPLATE_DIR, datasette_command, inspect_command, load_metadata
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.served import serve

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
#: what must never reach a page unescaped
PAYLOADS = (SCRIPT, IMG, "<img src=x", "onerror=alert(1)>", "href=\"javascript:")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("publication") / "kokousarkisto.db"
    with DemoServer() as site:
        summary = api.harvest(db_path, [Source(id="demo", base_url=site.base_url,
                                               name="Demo")], policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return db_path


def _copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


def _item_with_everything(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "select i.id from items i where i.document_type = 'minutes' "
            "and exists (select 1 from attachments a where a.item_id = i.id) "
            "and exists (select 1 from item_preparers p where p.item_id = i.id) "
            "order by i.id limit 1").fetchone()[0]
    finally:
        conn.close()


def _datasette(db_path: Path, **kwargs) -> Datasette:
    kwargs.setdefault("files", [str(db_path)])
    return Datasette(metadata=load_metadata(db_path), template_dir=str(TEMPLATE_DIR), **kwargs)


def _get(ds: Datasette, *paths: str):
    async def fetch():
        # the tilde form of an item's address redirects to its short link /asia/<kunta>/<id>
        return [await ds.client.get(p, follow_redirects=True) for p in paths]

    return asyncio.run(fetch())


def test_item_page_reads_like_a_document(demo_db):
    item_id = _item_with_everything(demo_db)
    conn = sqlite3.connect(demo_db)
    conn.row_factory = sqlite3.Row
    item = conn.execute("select items.*, bodies.name as body from items join bodies "
                        "on bodies.id = items.body_id where items.id = ?", [item_id]).fetchone()
    preparers = [r["name"] for r in conn.execute(
        "select name from item_preparers where item_id = ?", [item_id])]
    attachments = list(conn.execute("select title, url from attachments where item_id = ?",
                                    [item_id]))
    conn.close()
    (page,) = _get(_datasette(demo_db), f"/{demo_db.stem}/items/{tilde_encode(item_id)}")
    assert page.status_code == 200
    text = page.text
    assert '<article class="kk-item">' in text
    assert "<table" not in text.split('<article class="kk-item">')[1]  # a document, not a row
    y, m, d = item["meeting_date"].split("-")
    for value in (item["title"], item["body"], f"{int(d)}.{int(m)}.{y}", item["section"],
                  item["case_number"], "pöytäkirja"):
        assert value in text, value
    decision_start = " ".join(item["decision"].split()[:4])
    assert f"<p>{decision_start}" in text
    assert preparers and all(name in text for name in preparers)
    for attachment in attachments:
        assert f'<a href="{attachment["url"]}" rel="nofollow noopener">{attachment["title"]}</a>' \
            in text
    assert f'href="{item["url"].replace("&", "&amp;")}"' in text
    assert f'href="{item["pdf_url"]}"' in text


def test_item_page_lists_earlier_handlings_and_the_proposer(demo_db):
    conn = sqlite3.connect(demo_db)
    item_id, body, section, date, proposer = conn.execute(
        "select h.item_id, h.body, h.section, h.date, i.proposer_name from item_handlings h "
        "join items i on i.id = h.item_id where i.proposer_name is not null "
        "order by h.item_id limit 1").fetchone()
    conn.close()
    (page,) = _get(_datasette(demo_db), f"/{demo_db.stem}/items/{tilde_encode(item_id)}")
    assert page.status_code == 200
    y, m, d = date.split("-")
    # not archived: the handling is plain text, not a link (its outcome and texts may follow)
    assert f"<li>{body} {section} § {int(d)}.{int(m)}.{y}" in page.text
    assert proposer in page.text


def test_other_rows_keep_datasettes_row_page(demo_db):
    (page,) = _get(_datasette(demo_db), f"/{demo_db.stem}/bodies/1")
    assert page.status_code == 200
    assert "kk-item" not in page.text and "<table" in page.text


def test_the_template_works_for_any_database_name(demo_db, tmp_path):
    db_path = _copy(demo_db, tmp_path / "Kunnat 2026.db")
    item_id = _item_with_everything(db_path)
    ds = _datasette(db_path)
    route = ds.get_database("Kunnat 2026").route
    (page,) = _get(ds, f"/{tilde_encode(route)}/items/{tilde_encode(item_id)}")
    assert page.status_code == 200 and '<article class="kk-item">' in page.text


def test_paragraphs_and_lists_are_built_from_escaped_text():
    text = ("Ensimmäinen kappale\njatkuu.\n\nLista:\n- yksi <b>\n- kaksi\n\n"
            "1. ensin\n2. sitten & lopuksi\n\n" + SCRIPT)
    out = str(paragraphs_html(text))
    assert out == ("<p>Ensimmäinen kappale<br>\njatkuu.</p>\n"
                   "<p>Lista:</p>\n<ul><li>yksi &lt;b&gt;</li><li>kaksi</li></ul>\n"
                   "<ol><li>ensin</li><li>sitten &amp; lopuksi</li></ol>\n"
                   "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert paragraphs_html(None) is None and paragraphs_html(" \n\n ") is None


def test_only_http_links_are_kept():
    assert safe_url("https://kunta.oncloudos.com/kokous/1.PDF")
    assert safe_url("http://127.0.0.1:8765/x")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "/relative",
                "", None, 3):
        assert safe_url(bad) is None


@pytest.fixture(scope="module")
def malicious_db(demo_db, tmp_path_factory) -> tuple[Path, str]:
    """The demo archive with script and image-tag payloads in an item's scraped fields."""
    db_path = _copy(demo_db, tmp_path_factory.mktemp("xss") / "kokousarkisto.db")
    item_id = _item_with_everything(db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "update items set title = ?, proposal = ?, decision = ?, discussion = ?, "
            "proposer_name = ?, case_number_raw = ?, url = ?, document_type = 'minutes' "
            "where id = ?",
            [f"Avustus {SCRIPT} {IMG}", f"Ehdotus alert {IMG}\n\n- {SCRIPT}",
             f"Päätös {SCRIPT}\n\n1. {IMG}", f"Käsittely\n\n{IMG}", f"Esittelijä {IMG}",
             f"1/2025 {SCRIPT}", "javascript:alert(1)", item_id])
        conn.execute("update item_preparers set name = ?, title = ? where item_id = ?",
                     [f"Valmistelija {SCRIPT}", IMG, item_id])
        conn.execute("update attachments set title = ?, url = ? where item_id = ?",
                     [f"Liite {IMG}", "javascript:alert(1)", item_id])
        conn.execute("update bodies set name = ? where id = (select body_id from items "
                     "where id = ?)", [f"Hallitus {SCRIPT}", item_id])
    conn.close()
    return db_path, item_id


def _assert_clean(page) -> None:
    assert page.status_code == 200, page.text[:500]
    for payload in PAYLOADS:
        assert payload not in page.text, payload


def test_planted_markup_is_escaped_on_the_item_page(malicious_db):
    db_path, item_id = malicious_db
    (page,) = _get(_datasette(db_path), f"/{db_path.stem}/items/{tilde_encode(item_id)}")
    _assert_clean(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert "Valmistelija &lt;script&gt;" in page.text and "Liite &lt;img" in page.text


def test_planted_markup_is_escaped_in_tables_queries_and_search(malicious_db):
    db_path, item_id = malicious_db
    name = db_path.stem
    pages = _get(_datasette(db_path),
                 f"/{name}/items", f"/{name}/items?_search=avustus",
                 f"/{name}/item_preparers", f"/{name}/attachments", f"/{name}/bodies",
                 f"/{name}/latest_decisions", f"/{name}/search?q=avustus",
                 f"/{name}/search?q=alert", f"/{name}/search?q=script+img",
                 f"/{name}?sql=select+title,+proposal+as+snippet+from+items")
    for page in pages:
        _assert_clean(page)
    search = pages[6].text
    assert "<mark>Avustus</mark> &lt;script&gt;" in search


def test_publish_serves_immutable_with_inspect_file_and_robots_txt(demo_db, tmp_path):
    inspect_file = tmp_path / "inspect.json"
    datasette_cli.main(args=inspect_command(demo_db, inspect_file), standalone_mode=False)
    inspect_data = json.loads(inspect_file.read_text())
    args = datasette_command(demo_db, tmp_path / "metadata.json", host="127.0.0.1", port=1,
                             publish=True, inspect_file=inspect_file)
    assert args[:3] == ["serve", "-i", str(demo_db)]
    assert args[args.index("--inspect-file") + 1] == str(inspect_file)
    assert args[args.index("--template-dir") + 1] == str(TEMPLATE_DIR)
    pairs = [tuple(args[i + 1:i + 3]) for i, a in enumerate(args) if a == "--setting"]
    assert ("suggest_facets", "off") in pairs and ("facet_time_limit_ms", "200") in pairs
    assert len({name for name, _ in pairs}) == len(pairs)  # each setting given once
    plain = datasette_command(demo_db, tmp_path / "m.json", host="127.0.0.1", port=1)
    assert "suggest_facets" not in plain and plain[1] == str(demo_db)
    ds = _datasette(demo_db, files=[], immutables=[str(demo_db)], inspect_data=inspect_data)
    robots, home, item = _get(ds, "/robots.txt", "/",
                              f"/{demo_db.stem}/items/{tilde_encode(_item_with_everything(demo_db))}")
    assert robots.status_code == 200
    assert robots.text.splitlines() == ["User-agent: *", f"Disallow: /{demo_db.stem}"]
    assert home.status_code == 200 and item.status_code == 200 and "kk-item" in item.text
    assert ds.get_database(demo_db.stem).is_mutable is False


def test_cli_serve_publish_answers_read_only_with_robots_txt(demo_db, tmp_path):
    import requests


    db_path = _copy(demo_db, tmp_path / "julkinen.db")
    with serve(db_path, "--publish", ready="/robots.txt") as base:
        robots = requests.get(f"{base}/robots.txt", timeout=5)
        assert "Disallow: /julkinen" in robots.text
        item_id = _item_with_everything(db_path)
        item = requests.get(f"{base}/julkinen/items/{tilde_encode(item_id)}",
                            timeout=5)
        assert item.status_code == 200 and '<article class="kk-item">' in item.text
        write = requests.post(f"{base}/julkinen/-/insert", timeout=5)
        assert write.status_code >= 400
        dbs = requests.get(f"{base}/-/databases.json", timeout=5).json()
        assert [d["is_mutable"] for d in dbs if d["name"] == "julkinen"] == [False]


# -- meetings: attendance queries and the year facet ------------------------------------

def _json(ds: Datasette, path: str):
    (page,) = _get(ds, path)
    assert page.status_code == 200, page.text[:500]
    return page.json()


def _expected_attendance() -> list[dict]:
    """The demo's attendees as ``meeting_attendance`` lists them: newest meeting first,
    bodies alphabetically, people in page order."""
    rows = [{"municipality": "Demo", "meeting_date": d["meeting_date"], "body": d["body"],
             "person": a["name"],
             "role": a["role"], "note": a["note"], "attendee_group": a["group"],
             "present": 1, "doc_id": d["doc_id"]}
            for d in expected_documents() for a in d["attendees"]]
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (_desc(r["meeting_date"]), r["body"], order[id(r)]))


def _desc(iso: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in iso.split("-"))


def _attendance(rows: list[dict]) -> list[dict]:
    """Query rows with the meeting page's document id in place of its URL."""
    out = []
    for row in rows:
        page = row.pop("meeting_page")
        assert page.startswith("http://127.0.0.1:") and "page=meeting&id=" in page
        out.append({**row, "doc_id": page.rsplit("id=", 1)[1]})
    return out


def test_meeting_attendance_lists_the_demo_attendees_exactly(demo_db):
    ds = _datasette(demo_db)
    name = demo_db.stem
    expected = _expected_attendance()
    assert len(expected) == 49
    everyone = _json(ds, f"/{name}/meeting_attendance.json?_shape=array")
    assert _attendance(everyone) == expected
    query = ("name=kek%C3%A4l&body=Kaupunginhallitus&date_from=2024-10-01&date_to=2025-01-31")
    one = _attendance(_json(ds, f"/{name}/meeting_attendance.json?_shape=array&{query}"))
    assert one == [r for r in expected if "kekäl" in r["person"].lower()
                   and r["body"] == "Kaupunginhallitus"
                   and "2024-10-01" <= r["meeting_date"] <= "2025-01-31"]
    assert [(r["person"], r["role"], r["meeting_date"]) for r in one] == [
        ("Olli Kekäläinen", "II varapuheenjohtaja", "2024-10-07")]
    (form,) = _get(ds, f"/{name}/meeting_attendance")
    assert form.status_code == 200
    assert all(f'name="{p}"' in form.text for p in ("name", "body", "date_from", "date_to"))


def test_attendance_summary_counts_meetings_per_person_and_body(demo_db):
    ds = _datasette(demo_db)
    rows = _json(ds, f"/{demo_db.stem}/attendance_summary.json?_shape=array"
                     "&date_from=2024-01-01&date_to=2025-12-31")
    attended: dict[tuple[str, str], set[str]] = {}
    listed: dict[str, set[str]] = {}
    for doc in expected_documents():
        for a in doc["attendees"]:
            attended.setdefault((a["name"], doc["body"]), set()).add(doc["meeting_date"])
            listed.setdefault(doc["body"], set()).add(doc["meeting_date"])
    got = {(r["person"], r["body"]): (r["meetings_attended"], r["meetings_listed"])
           for r in rows}
    assert got == {key: (len(dates), len(listed[key[1]])) for key, dates in attended.items()}
    assert got[("Olli Kekäläinen", "Kaupunginhallitus")] == (2, 2)
    later = _json(ds, f"/{demo_db.stem}/attendance_summary.json?_shape=array"
                      "&date_from=2025-01-01&date_to=2025-12-31&body=Kaupunginhallitus")
    assert {r["meetings_attended"] for r in later} == {1}
    assert len(later) == 13


def _facet(data: dict, column: str) -> dict:
    return {r["value"]: r["count"] for r in data["facet_results"][column]["results"]}


def test_year_facets_count_items_meetings_and_decisions_by_year(demo_db):
    ds = _datasette(demo_db)
    name = demo_db.stem
    items = _json(ds, f"/{name}/items.json?_size=0")  # the facets metadata.yml sets
    assert list(items["facet_results"]) == ["source_id", "body_id", "year", "document_type"]
    want_items: dict[int, int] = {}
    for item in expected_items():
        year = int(item["meeting_date"][:4])
        want_items[year] = want_items.get(year, 0) + 1
    assert _facet(items, "year") == want_items
    meetings = _json(ds, f"/{name}/meetings.json?_size=0")
    want_meetings: dict[int, int] = {}
    for key in {(d["body"], d["meeting_date"]) for d in expected_documents()}:
        year = int(key[1][:4])
        want_meetings[year] = want_meetings.get(year, 0) + 1
    assert _facet(meetings, "year") == want_meetings
    decisions = _json(ds, f"/{name}/official_decisions.json?_size=0")
    assert sum(_facet(decisions, "year").values()) == 3
    filtered = _json(ds, f"/{name}/items.json?_shape=objects&year=2024&_size=100")
    assert len(filtered["rows"]) == want_items[2024]
    assert {r["meeting_date"][:4] for r in filtered["rows"]} == {"2024"}
    (page,) = _get(ds, f"/{name}/items?_facet=year")
    assert page.status_code == 200 and "year=2024" in page.text
