"""The reporters' search on a small real SQLite archive: items that match a query word
itself rank above those that match only its compound parts written apart, the passes
page on without gaps or repeats, and filters pick the ranked window (a filter never
empties a search because newer matches elsewhere filled the window)."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlencode

import pytest

from db.lemmas import Lemmatiser
from kokousarkisto.reporter import search
from kokousarkisto.reporter.params import PAGE_SIZE
from kokousarkisto.reporter.query import parse
from tests.reporter.conftest import datasette_for, get, query
from tests.search import conftest as search_conftest
from tests.search.helpers import build_db

FILLER = ("Lautakunta käsitteli asiaa kokouksessaan ja totesi valmistelun edenneen "
          "suunnitelman mukaisesti. ")


def _item(id_: str, title: str, background: str = "", date: str = "2025-03-03",
          body: str = "Kaupunginhallitus", filler: int = 3) -> dict:
    return {"id": id_, "body": body, "date": date, "section": id_.split("-")[1],
            "title": title, "background": background + " " + FILLER * filler,
            "proposal": "Lautakunta merkitsee asian tiedoksi.", "decision": None}


#: whole word in the title, whole word once in a long text, parts only (in the title
#: and repeated in a short text, so bm25 alone puts them first), and nothing
WHOLE_TITLE = _item("2001-1", "Liikuntapalvelujen maksut 2025")
WHOLE_TEXT = [_item(f"2002-{n}", f"Kesän toimintasuunnitelma {n}",
                    "Asiasta on saatu lausunto liikuntapalveluilta.", filler=60)
              for n in range(1, 23)]
PARTS_ONLY = [
    _item("2003-1", "Liikunta ja palvelu ikäihmisille",
          "Liikunta ja palvelu kuuluvat kaikille. " * 4, filler=0),
    _item("2003-2", "Uimahallin aukioloajat",
          "Palvelu paranee, kun liikunta on mahdollista myös iltaisin. " * 3, filler=0),
    _item("2003-3", "Koulujen kerhot", "Liikuntaa ja muita palveluja kerhoissa."),
]
#: items without the words (so that bm25's word weights mean something)
OTHER = [_item(f"2004-{n}", f"Katujen kunnossapito {n}", "Aurauksen taso nousee.")
         for n in range(1, 201)]
CORPUS = [WHOLE_TITLE, *WHOLE_TEXT, *PARTS_ONLY, *OTHER]


@pytest.fixture(scope="module")
def voikko() -> Lemmatiser:
    """Voikko, which splits compounds (as tests/search's fixture: CI must have it)."""
    if search_conftest._VOIKKO is None:
        if os.environ.get("CI"):
            pytest.fail("Voikko is missing on CI")
        pytest.skip("Voikko (libvoikko1, voikko-fi) is not installed")
    return Lemmatiser(search_conftest._VOIKKO)


@pytest.fixture(scope="module")
def ranking_db(tmp_path_factory, voikko):
    path = tmp_path_factory.mktemp("ranking") / "ranking.db"
    build_db(path, voikko, CORPUS).close()
    return path


def _search(ds, **params) -> tuple[list[str], str]:
    (page,) = get(ds, "/haku.json?" + urlencode(params))
    assert page.status_code == 200, page.text[:500]
    ids = [r["osoite"].rsplit("/", 1)[1] for r in json.loads(page.text)["rows"]]
    (html,) = get(ds, "/haku?" + urlencode(params))
    return ids, html.text


def test_the_query_knows_which_matches_are_parts_only(voikko):
    parsed = parse("liikuntapalvelu", voikko)
    assert parsed.parts_only and parsed.whole != parsed.expression
    assert parse("kaava", voikko).parts_only is None  # nothing to split
    assert parse("-liikuntapalvelu kaava", voikko).parts_only is None  # exclusions never split


def test_whole_word_and_title_matches_rank_above_parts_only_matches(ranking_db):
    ds = datasette_for(ranking_db)
    first, html = _search(ds, q="liikuntapalvelu")
    assert "26</strong> osumaa" in html  # every match is counted: 1 + 22 + 3
    second, _ = _search(ds, q="liikuntapalvelu", sivu="2")
    whole = {WHOLE_TITLE["id"], *(i["id"] for i in WHOLE_TEXT)}
    parts = {i["id"] for i in PARTS_ONLY}
    listed = first + second
    assert len(first) == PAGE_SIZE and len(listed) == len(set(listed)) == 26
    assert first[0] == WHOLE_TITLE["id"]  # the title's whole word first
    assert set(listed[:23]) == whole and set(listed[23:]) == parts
    # within the parts-only pass, bm25 still orders: parts in the title first
    assert listed[23] == "2003-1"
    assert not {i["id"] for i in OTHER} & set(listed)


def test_filters_choose_the_ranked_window_not_the_other_way_round(tmp_path, voikko,
                                                                   monkeypatch):
    # five newer matches in another body would fill a window of three; the filtered
    # search still finds the one old match of its own body
    corpus = [_item("3001-1", "Kaavoituksen aikataulu", date="2019-05-06",
                    body="Tekninen lautakunta")]
    corpus += [_item(f"3002-{n}", f"Kaavoitus {n}", date="2025-05-05") for n in range(1, 6)]
    path = tmp_path / "window.db"
    build_db(path, voikko, corpus).close()
    monkeypatch.setattr(search, "WINDOW", 3)
    ds = datasette_for(path)
    (page,) = get(ds, "/haku.json?" + urlencode({"q": "kaavoitus"}))
    ids = [r["osoite"].rsplit("/", 1)[1] for r in json.loads(page.text)["rows"]]
    assert len(ids) == 3 and "3001-1" not in ids  # the newest three, ranked
    old, html = _search(ds, q="kaavoitus", alku="1.1.2019", loppu="31.12.2019")
    assert old == ["3001-1"] and "1</strong> osuma" in html


@pytest.mark.parametrize("params", [
    {"q": "kaava", "kunta": "demola"}, {"q": "kaava", "tyyppi": "esityslista"},
    {"q": "kaavamuutos", "alku": "1.1.2024", "loppu": "31.12.2024"},
    {"q": "kaava OR avustus", "kunta": "malliala", "tyyppi": "poytakirja"},
    {"q": "tontinmyynti", "kunta": "demola", "alku": "1.9.2024"}])
def test_filters_checked_from_the_index_or_on_each_row_give_the_same_page(
        towns_db, monkeypatch, params):
    # selective filters are checked against a rowid set from an index, broad ones on
    # each match's row: both must list the same items in the same order
    ds = datasette_for(towns_db)
    pages = []
    for selective in (True, False):
        async def chosen(db, form, selective=selective):
            return selective
        monkeypatch.setattr(search, "_selective", chosen)
        pages.append(_search(ds, **params))
    (ids, html), (ids_by_row, html_by_row) = pages
    assert ids and ids == ids_by_row
    total = re.search(r'<p class="kk-total"><strong>[^<]*</strong>', html)
    assert total and total.group() in html_by_row


def test_a_municipalitys_newest_items_page_by_page(towns_db):
    # without words: newest first, the same date in the order stored, pages in sequence
    ds = datasette_for(towns_db)
    want = [r[0] for r in query(towns_db, "select id from items where source_id = 'demola' "
                                          "order by meeting_date desc, rowid")]
    listed = []
    for page in range(1, -(-len(want) // PAGE_SIZE) + 1):
        ids, html = _search(ds, kunta="demola", sivu=str(page))
        listed += ids
        assert f"{len(want)}</strong> osuma" in html
    assert len(want) > PAGE_SIZE and listed == [i.split("/", 1)[1] for i in want]
