"""Earlier handlings keep their texts in ``item_handlings`` and are searchable.

A real SQLite file written by ``store_item``; searches go through the Finnish query
machinery of :mod:`db.fts` (inflected forms match) and through Datasette's canned
``search_history`` query.
"""

from __future__ import annotations

import sqlite_utils

from db import fts, store
from db.schema import migrations, open_db
from parsers.records import Handling, ItemRecord, Proposer
from tests.search.helpers import NOW, SOURCE, datasette_get

TABLED = Handling(
    "Kaupunginhallitus", "88", "2022-03-14",
    proposer=Proposer("Jukka Esimerkki", "Kaupunginjohtaja"),
    proposal="Kaupunginhallitus ehdottaa, että valtuusto hyväksyy jätehuoltomääräykset.",
    discussion="Jäsen Laine ehdotti, että asia jätetään pöydälle. Äänestyksessä pöydällepano "
               "voitti äänin 8–5.",
    decision="Kaupunginhallitus jätti asian pöydälle.")
RETURNED = Handling("Tekninen lautakunta", "12", "2022-02-01",
                    decision="Lautakunta palautti asian uudelleen valmisteltavaksi.")
HEADER_ONLY = Handling("Konsernijaosto", "3", "2022-01-10")


def _write(db: sqlite_utils.Database, handlings: list[Handling]) -> store.ItemWrite:
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="Testikaupunki",
                                            base_url="https://testi.example"), NOW)
    body_id = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
    meeting_id = store.upsert_meeting(db, source_id=SOURCE, body_id=body_id, date="2022-04-04",
                                      document_type="minutes", doc_id="2022100", url=None)
    record = ItemRecord(section="57", title="Jätehuoltomääräysten päivittäminen",
                        body="Kaupunginhallitus", meeting_date="2022-04-04",
                        document_type="minutes", proposal="Hyväksytään.",
                        decision="Hyväksyi päätösehdotuksen.",
                        previous_handlings=handlings)
    return store.ItemWrite(
        source_id=SOURCE, dynasty_id="2022100-4", meeting_id=meeting_id, body_id=body_id,
        record=record, url="https://testi.example/kokous/2022100-4.HTM", pdf_url=None,
        html_sha256=None, pdf_sha256=None, pdf_agreement=None, parser_version="test",
        attachments=[])


def _search(db: sqlite_utils.Database, q: str) -> list[tuple[str, int]]:
    expression = fts.match_expression(q, fts.lemmatiser_for(db))
    return db.execute(
        "select h.item_id, h.position from item_handlings_fts f "
        "join item_handlings h on h.id = f.rowid where item_handlings_fts match ? "
        "order by h.position", [expression]).fetchall()


def test_texts_are_stored_per_earlier_handling(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert store.store_item(db, _write(db, [TABLED, RETURNED, HEADER_ONLY]), NOW) == "new"
    rows = list(db.query("select * from item_handlings order by position"))
    assert [(r["position"], r["body"], r["section"], r["date"]) for r in rows] == [
        (0, "Kaupunginhallitus", "88", "2022-03-14"),
        (1, "Tekninen lautakunta", "12", "2022-02-01"),
        (2, "Konsernijaosto", "3", "2022-01-10")]
    first = rows[0]
    assert (first["proposer_name"], first["proposer_title"]) == ("Jukka Esimerkki",
                                                                 "Kaupunginjohtaja")
    assert first["proposal"] == TABLED.proposal
    assert first["discussion"] == TABLED.discussion
    assert first["decision"] == TABLED.decision
    assert rows[1]["decision"] == RETURNED.decision and rows[1]["proposal"] is None
    # a handling known only by its header line has no texts and nothing to index
    assert rows[2]["lemmas"] is None and rows[2]["decision"] is None
    assert first["lemmas"] and "pöytä" in first["lemmas"].split()
    # the same item again: nothing written
    assert store.store_item(db, _write(db, [TABLED, RETURNED, HEADER_ONLY]), NOW) == "unchanged"


def test_inflected_words_find_the_earlier_handling(tmp_path):
    db = open_db(tmp_path / "a.db")
    store.store_item(db, _write(db, [TABLED, RETURNED, HEADER_ONLY]), NOW)
    item = f"{SOURCE}/2022100-4"
    assert _search(db, "pöytä") == [(item, 0)]  # "pöydälle", "pöydällepano"
    assert _search(db, "äänestys") == [(item, 0)]  # "Äänestyksessä"
    assert _search(db, "palauttaa valmisteltava") == [(item, 1)]  # "palautti … valmisteltavaksi"
    assert _search(db, "konsernijaosto") == []  # bodies are not texts
    # the item's own texts are not in the history index, nor the reverse
    assert _search(db, "hyväksyi päätösehdotuksen") == []


def test_changed_texts_replace_the_indexed_ones(tmp_path):
    db = open_db(tmp_path / "a.db")
    store.store_item(db, _write(db, [TABLED, RETURNED]), NOW)
    changed = Handling("Tekninen lautakunta", "12", "2022-02-01",
                       decision="Lautakunta merkitsi asian tiedoksi.")
    assert store.store_item(db, _write(db, [TABLED, changed]), NOW) == "updated"
    assert _search(db, "palauttaa") == []
    assert _search(db, "tiedoksi") == [(f"{SOURCE}/2022100-4", 1)]
    db.execute("insert into item_handlings_fts(item_handlings_fts) values ('integrity-check')")


def test_reindex_rebuilds_handling_lemmas(tmp_path):
    db = open_db(tmp_path / "a.db")
    store.store_item(db, _write(db, [TABLED, HEADER_ONLY]), NOW)
    db.execute("update item_handlings set lemmas = 'x' where position = 0")
    assert _search(db, "pöytä") == []  # the text says "pöydälle": only its lemma matches
    assert fts.reindex(db, fts.lemmatiser_for(db)) == 1
    lemmas = [r[0] for r in db.execute("select lemmas from item_handlings order by position")]
    assert "pöytä" in lemmas[0].split() and lemmas[1] is None
    assert _search(db, "pöytä") == [(f"{SOURCE}/2022100-4", 0)]


def test_an_archive_from_before_m008_gains_the_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m009_handling_texts")
    assert "proposal" not in db["item_handlings"].columns_dict
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="T", base_url="https://t"), NOW)
    db["items"].insert({"id": f"{SOURCE}/1-1", "source_id": SOURCE, "title": "Vanha"})
    db["item_handlings"].insert({"item_id": f"{SOURCE}/1-1", "position": 0,
                                 "body": "Kaupunginhallitus", "section": "5",
                                 "date": "2017-04-10"})
    db.close()
    db = open_db(path)
    assert "m009_handling_texts" in [m.name for m in migrations.applied(db)]
    row = next(db.query("select * from item_handlings"))
    assert (row["body"], row["section"], row["date"], row["proposal"], row["lemmas"]) == (
        "Kaupunginhallitus", "5", "2017-04-10", None, None)
    db.execute("insert into item_handlings_fts(item_handlings_fts) values ('integrity-check')")


def test_search_history_canned_query_through_datasette(tmp_path):
    path = tmp_path / "kokousarkisto.db"
    db = open_db(path)
    store.store_item(db, _write(db, [TABLED, RETURNED, HEADER_ONLY]), NOW)
    db.close()
    (tabled, returned, none) = datasette_get(path, [
        ("search_history", {"q": "pöydälle äänestys"}),
        ("search_history", {"q": "valmisteltavaksi"}),
        ("search_history", {"q": "kaavoitus"})])
    assert tabled.status_code == 200, tabled.text
    rows = tabled.json()
    assert [(r["id"], r["municipality"], r["position"], r["handled_by"], r["handling_section"],
             r["handling_date"], r["body"]) for r in rows] == [
        (f"{SOURCE}/2022100-4", "Testikaupunki", 0, "Kaupunginhallitus", "88", "2022-03-14",
         "Kaupunginhallitus")]
    assert "<mark>pöydälle</mark>" in rows[0]["snippet"]
    assert "<mark>Äänestyksessä</mark>" in rows[0]["snippet"]
    assert [r["position"] for r in returned.json()] == [1]
    assert none.json() == []
