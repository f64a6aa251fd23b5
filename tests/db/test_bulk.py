"""db.bulk.load_items: the same rows as store_item, FTS built once, safe on errors."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from db import bulk, fts, ingest, store
from db.lemmas import Lemmatiser, SnowballAnalyser, load_analyser
from db.schema import open_db
from parsers.records import Handling, Proposer
from tests.search.helpers import CORPUS, NOW, QUERIES, SOURCE, item_write

#: tables compared row by row between a store_item and a bulk-loaded database
TABLES = ("sources", "bodies", "meetings", "items", "item_preparers", "item_handlings",
          "attachments", "attachment_pages", "item_versions", "raw_documents")


def _prepare(path: Path, lemmatiser: Lemmatiser):
    """An empty archive with the corpus' source, bodies, meetings and two raw files."""
    db = open_db(path)
    fts.use_lemmatiser(db, lemmatiser)
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="Testikaupunki",
                                            base_url="https://testi.example"), NOW)
    for sha in ("a" * 64, "b" * 64):
        store.record_raw(db, sha, 10, "application/pdf", f"{sha}.pdf", NOW)
    return db


def _writes(db) -> list[store.ItemWrite]:
    """The search corpus as ItemWrites, some with handlings, a proposer, attachments
    and attachment pages, so that every child table gets rows."""
    out = []
    for n, entry in enumerate(CORPUS):
        body_id = store.ensure_body(db, SOURCE, entry["body"])
        meeting_id = store.upsert_meeting(db, source_id=SOURCE, body_id=body_id,
                                          date=entry["date"], document_type="minutes",
                                          doc_id=entry["id"].split("-")[0], url=None)
        write = item_write(entry, body_id, meeting_id)
        if n % 3 == 0:
            write.record.previous_handlings = [
                Handling("Tekninen lautakunta", "12", "2024-11-02",
                         proposer=Proposer("Olli Ojala", "tekninen johtaja"),
                         proposal="Lautakunta hyväksyy uimahallin peruskorjauksen.",
                         decision="Asia jätettiin pöydälle.",
                         discussion=f"Äänestyksessä {n}–2 pöydällepano voitti."),
                Handling("Kaupunginhallitus", "3", "2024-10-01")]
            write.record.proposer = Proposer("Kaisa Virtanen", "kaupunginjohtaja")
        if n % 4 == 0:
            att_id = f"{write.item_id}#1"
            write.attachments = [
                {"id": att_id, "position": 0, "title": "Liite 1", "url": "https://t/1.pdf",
                 "sha256": "a" * 64, "content_type": "application/pdf", "size": 10,
                 "status": "ok", "error": None},
                {"id": f"{write.item_id}#2", "position": 1, "title": "Liite 2", "url": None,
                 "sha256": None, "content_type": None, "size": None, "status": "not_fetched",
                 "error": None}]
            write.attachment_pages = {att_id: ("a" * 64, [
                "Liitteenä kaavakartta ja asemakaavamuutoksen selostus.", "",
                "Lautakunnan lausunto päiväkodin laajennuksesta."])}
        out.append(write)
    return out


def _table(db, table: str) -> list[tuple]:
    return db.execute(f"select rowid, * from [{table}] order by rowid").fetchall()


def _searches(db, lemmatiser: Lemmatiser) -> list[list[str]]:
    out = []
    for query in QUERIES:
        expression = fts.match_expression(query["q"], lemmatiser)
        out.append([r[0] for r in db.execute(
            "select items.id from items_fts join items on items.rowid = items_fts.rowid "
            "where items_fts match ? order by bm25(items_fts), items.id", [expression])])
    out.append([r[0] for r in db.execute(
        "select rowid from attachment_pages_fts where attachment_pages_fts match 'kaava*' "
        "order by rowid")])
    out.append([r[0] for r in db.execute(
        "select rowid from item_handlings_fts where item_handlings_fts match ? order by rowid",
        [fts.match_expression("pöytä", lemmatiser)])])
    return out


def _integrity(db) -> None:
    for table in (fts.FTS_TABLE, fts.PAGES_FTS_TABLE, fts.HANDLINGS_FTS_TABLE):
        db.execute(f"insert into [{table}]([{table}]) values ('integrity-check')")


@pytest.fixture(scope="module")
def lemmatiser() -> Lemmatiser:
    return Lemmatiser(load_analyser())


@pytest.mark.parametrize("jobs", [1, 2])
def test_bulk_load_equals_store_item(tmp_path, lemmatiser, jobs):
    one = _prepare(tmp_path / "one.db", lemmatiser)
    for write in _writes(one):
        assert store.store_item(one, write, NOW) == "new"
    two = _prepare(tmp_path / "two.db", lemmatiser)
    stats = bulk.load_items(two, _writes(two), lemmatiser, now=NOW, batch=5, jobs=jobs)
    assert (stats.new, stats.updated, stats.unchanged) == (len(CORPUS), 0, 0)
    assert stats.batches == -(-len(CORPUS) // 5)
    for table in TABLES:
        assert _table(one, table) == _table(two, table), table
    assert _table(two, "attachment_pages"), "the fixture has attachment pages"
    searches = _searches(two, lemmatiser)
    assert sum(map(len, searches)) > len(QUERIES)  # the searches find something
    assert searches[-1], "the earlier handlings' texts are searched (pöydälle ~ pöytä)"
    assert _searches(one, lemmatiser) == searches
    assert bulk.fts_triggers(one) == bulk.fts_triggers(two)
    assert bulk.PENDING_KEY not in fts.read_meta(two)
    _integrity(two)


def test_known_and_repeated_items_go_through_store_item(tmp_path, lemmatiser):
    """A re-parse: items already stored are updated (or left alone) by store_item's rules,
    an item twice in one load is stored once and then updated."""
    one = _prepare(tmp_path / "one.db", lemmatiser)
    two = _prepare(tmp_path / "two.db", lemmatiser)
    for db in (one, two):
        first = _writes(db)
        for write in first[:10]:
            store.store_item(db, write, NOW)
    later = "2025-07-01T00:00:00+00:00"

    def second(db):
        writes = _writes(db)
        writes[3] = dataclasses.replace(writes[3], html_sha256="b" * 64)  # changed bytes
        writes[3].record.title = "Muutettu otsikko: uimahallin peruskorjaus"
        again = dataclasses.replace(writes[12], pdf_sha256="a" * 64)
        return [*writes, again]

    for write in second(one):
        store.store_item(one, write, later)
    stats = bulk.load_items(two, second(two), lemmatiser, now=later, batch=7)
    assert (stats.new, stats.updated, stats.unchanged) == (len(CORPUS) - 10, 2, 9)
    for table in TABLES:
        assert _table(one, table) == _table(two, table), table
    assert _searches(one, lemmatiser) == _searches(two, lemmatiser)
    hits = two.execute("select count(*) from items_fts where items_fts match 'uimahallin'")
    assert hits.fetchone()[0] == 1
    _integrity(two)


def test_error_mid_load_keeps_committed_batches_triggers_and_index(tmp_path, lemmatiser):
    db = _prepare(tmp_path / "bulk.db", lemmatiser)
    writes = _writes(db)
    triggers = bulk.fts_triggers(db)
    assert len(triggers) == 9  # items, attachment_pages, item_handlings: three each

    class Broken(Exception):
        pass

    def failing():
        yield from writes[:12]
        raise Broken("parser crashed")

    with pytest.raises(Broken):
        bulk.load_items(db, failing(), lemmatiser, now=NOW, batch=5)
    # batches 1 and 2 were committed; the third (2 items) never reached the database
    stored = [r[0] for r in db.execute("select dynasty_id from items order by rowid")]
    assert stored == [e["id"] for e in CORPUS[:10]]
    assert bulk.fts_triggers(db) == triggers
    assert bulk.PENDING_KEY not in fts.read_meta(db)
    _integrity(db)
    expression = fts.match_expression(CORPUS[0]["title"].split()[0], lemmatiser)
    assert db.execute("select count(*) from items_fts where items_fts match ?",
                      [expression]).fetchone()[0] >= 1
    # a row written afterwards is indexed by the restored triggers
    store.store_item(db, writes[12], NOW)
    rowid = db.execute("select rowid from items where id = ?", [writes[12].item_id]).fetchone()[0]
    assert db.execute("select count(*) from items_fts where rowid = ?", [rowid]).fetchone()[0] == 1
    _integrity(db)


def test_failing_batch_is_rolled_back_whole(tmp_path, lemmatiser):
    """An item that violates a constraint (unknown body) fails its batch, nothing of that
    batch is stored, the batches before it are."""
    db = _prepare(tmp_path / "bulk.db", lemmatiser)
    writes = _writes(db)
    writes[7] = dataclasses.replace(writes[7], body_id=999_999)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        bulk.load_items(db, writes, lemmatiser, now=NOW, batch=5)
    assert db.execute("select count(*) from items").fetchone()[0] == 5
    assert db.execute("select count(*) from items_fts").fetchone()[0] == 5
    assert len(bulk.fts_triggers(db)) == 9
    _integrity(db)


def test_repair_rebuilds_after_a_load_that_died(tmp_path, lemmatiser):
    """A load killed before its rebuild left rows outside the index and the pending mark:
    the next load (or repair) builds the index."""
    db = _prepare(tmp_path / "bulk.db", lemmatiser)
    writes = _writes(db)
    bulk.load_items(db, writes[:5], lemmatiser, now=NOW)
    # what a kill between a committed batch and the rebuild leaves behind
    db.execute(f"insert into [{fts.FTS_TABLE}]([{fts.FTS_TABLE}]) values ('delete-all')")
    db.execute(f"insert into [{fts.META_TABLE}] (key, value) values (?, ?)",
               [bulk.PENDING_KEY, NOW])
    db.conn.commit()
    assert db.execute("select count(*) from items_fts where items_fts match 'kaupunginhallitus'"
                      ).fetchone()[0] == 0
    db.close()
    db = open_db(tmp_path / "bulk.db")  # opening the file finishes the rebuild
    assert bulk.repair(db) is False
    assert db.execute("select count(*) from items_fts where items_fts match 'kaupunginhallitus'"
                      ).fetchone()[0] >= 1
    _integrity(db)


def test_other_analysers_lemmatise_in_process(tmp_path):
    """A lemmatiser a worker process cannot re-create is used here, even with jobs=2."""

    class Upper(SnowballAnalyser):
        name = "snowball"

    lemmatiser = Lemmatiser(Upper())
    db = _prepare(tmp_path / "bulk.db", lemmatiser)
    stats = bulk.load_items(db, _writes(db)[:4], lemmatiser, now=NOW, jobs=2)
    assert stats.new == 4 and stats.lemmatise_wait_seconds == 0.0
    assert stats.lemmatise_seconds > 0


def test_workers_are_forked_only_in_a_process_without_other_threads(lemmatiser):
    """Forking copies the loader's modules and warm word cache (no start-up cost); with
    another thread running, whose locks a fork could copy held, they are spawned."""
    import threading

    def method() -> str:
        pool = bulk._pool(lemmatiser, 2)
        try:
            return pool._mp_context.get_start_method()
        finally:
            pool.shutdown()

    if threading.active_count() == 1:
        assert method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert method() == "spawn"
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_item_repeated_after_a_known_one_is_updated(tmp_path, lemmatiser, monkeypatch,
                                                       jobs):
    """new A, known B, A again, in one batch read in tasks of two items: A is inserted
    once and then updated (the rows written before B are in the database by then)."""
    monkeypatch.setattr(bulk, "TASK", 2)
    one = _prepare(tmp_path / "one.db", lemmatiser)
    two = _prepare(tmp_path / "two.db", lemmatiser)
    later = "2025-07-01T00:00:00+00:00"
    for db in (one, two):
        store.store_item(db, _writes(db)[0], NOW)

    def load(db):
        writes = _writes(db)
        again = dataclasses.replace(writes[5], html_sha256="b" * 64)
        again.record.title = "Toinen otsikko: kirjaston aukioloajat"
        return [writes[5], writes[6], writes[0], writes[7], again, writes[8]]

    for write in load(one):
        store.store_item(one, write, later)
    stats = bulk.load_items(two, load(two), lemmatiser, now=later, batch=10, jobs=jobs)
    assert (stats.new, stats.updated, stats.unchanged) == (4, 1, 1)
    for table in TABLES:
        assert _table(one, table) == _table(two, table), table
    assert _searches(one, lemmatiser) == _searches(two, lemmatiser)
    _integrity(two)


def test_people_named_in_the_facts_link_to_the_meetings_attendees(tmp_path, lemmatiser):
    """As store_item does: a proposer and a seconder named in the discussion are linked
    to the attendees of the item's meeting."""
    dbs = [_prepare(tmp_path / f"{name}.db", lemmatiser) for name in ("one", "two")]
    loads = []
    for db in dbs:
        writes = _writes(db)[:6]
        for write in writes[:3]:
            write.record.discussion = ("Noora Ahonen ehdotti Pekka Virtasen kannattamana, "
                                       "että asia jätetään pöydälle.")
        for meeting_id in {w.meeting_id for w in writes}:
            db["meeting_attendees"].insert_all(
                [{"meeting_id": meeting_id, "position": i, "name": name,
                  "role": "jäsen", "present": 1}
                 for i, name in enumerate(("Noora Ahonen", "Pekka Virtanen"))])
        loads.append(writes)
    for write in loads[0]:
        store.store_item(dbs[0], write, NOW)
    bulk.load_items(dbs[1], loads[1], lemmatiser, now=NOW, batch=4)
    linked = dbs[1].execute("select count(*) from item_people where attendee_id is not null")
    assert linked.fetchone()[0] == 6
    assert _table(dbs[0], "item_people") == _table(dbs[1], "item_people")


def test_texts_are_cleaned_as_store_item_cleans_them(tmp_path, lemmatiser, monkeypatch):
    """Control characters removed and a long field capped (with its warning), in the
    rows and in the lemmas, as store_item stores them."""
    monkeypatch.setattr(ingest, "MAX_FIELD_CHARS", 300)
    dbs = [_prepare(tmp_path / f"{name}.db", lemmatiser) for name in ("one", "two")]
    loads = []
    for db in dbs:
        writes = _writes(db)[:4]
        writes[1].record.decision = "Avustus\x00 myönnetään\x1b. " + "uimahalli " * 60
        writes[2].record.title = "Kaavoitus\x07katsaus"
        loads.append(writes)
    for write in loads[0]:
        store.store_item(dbs[0], write, NOW)
    bulk.load_items(dbs[1], loads[1], lemmatiser, now=NOW, batch=10)
    for table in TABLES:
        assert _table(dbs[0], table) == _table(dbs[1], table), table
    decision, warnings = dbs[1].execute(
        "select decision, warnings from items where id = ?", [loads[1][1].item_id]).fetchone()
    assert "\x00" not in decision and len(decision) < 310
    assert "text capped: decision" in warnings


def test_worker_processes_lemmatise_handlings_and_pages_too(tmp_path, lemmatiser):
    """With workers, this process lemmatises nothing: the earlier handlings' and the
    attachment pages' lemmas come from the workers with the items' own."""
    calls = []

    class Counting(Lemmatiser):
        def lemmas_text(self, texts, extra=()):
            calls.append(os.getpid())
            return super().lemmas_text(texts, extra)

    counting = Counting(SnowballAnalyser())
    one = _prepare(tmp_path / "one.db", counting)
    calls.clear()
    bulk.load_items(one, _writes(one), counting, now=NOW, batch=5, jobs=2)
    assert calls == []
    assert one.execute("select count(*) from attachment_pages where lemmas != ''").fetchone()[0]
    two = _prepare(tmp_path / "two.db", counting)
    bulk.load_items(two, _writes(two), counting, now=NOW, batch=5, jobs=1)
    assert calls  # in-process: here
    for table in TABLES:
        assert _table(one, table) == _table(two, table), table
