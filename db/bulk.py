"""Bulk loading: many new items at once, for backfills, re-parses and benchmarks.

:func:`db.store.store_item` writes one item per transaction and lets the FTS5 triggers
index it row by row; that is right for a harvest (a few hundred items, each complete on
its own) and slow for a million. :func:`load_items` writes the same rows, but

* a ``batch`` of items per transaction, each table with one ``executemany``;
* with the FTS triggers of ``items``, ``attachment_pages`` and ``item_handlings``
  dropped while new rows are inserted, and the new rows indexed with one
  ``INSERT … SELECT`` per FTS table (about half the CPU of the triggers' row-by-row
  inserts; new rows are the ones past the highest rowid before them). The triggers are
  created again before the transaction commits, so every committed state has its
  triggers and a complete index: a load that dies loses its open batch, never the
  search of the batches before it, and loading into a large archive never rebuilds
  the index of the rows it already had;
* lemmatising and reading facts in ``jobs`` worker processes while this process writes
  the previous batch.

Items already in the database (a re-parse), or repeated within the load, go through
``store_item`` itself, inside the batch and with the triggers in place, so updates keep
its rules (``item_versions``, unchanged items left alone).

A load by an earlier version of this module indexed everything at its end and marked
the wait in ``search_meta`` (:data:`PENDING_KEY`); :func:`repair` (called by
:func:`db.schema.open_db`) still finishes an archive such a load left behind.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import Any

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from db import facts, fts, ingest, store
from db.lemmas import Lemmatiser, SnowballAnalyser, VoikkoAnalyser

#: ``search_meta`` key present while loaded rows may be missing from the FTS indexes
PENDING_KEY = "bulk_load_pending"
#: items per worker task: small, so the first write starts soon and the last waits little
TASK = 100
#: tables whose FTS triggers are suspended during a load
FTS_CONTENT_TABLES = ("items", fts.PAGES_TABLE, fts.HANDLINGS_TABLE)


@dataclass
class LoadStats:
    """What a load did and where its time went (seconds of wall-clock time)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    batches: int = 0
    seconds: float = 0.0
    #: time spent lemmatising items (and, in worker processes, reading their facts),
    #: summed over the workers
    lemmatise_seconds: float = 0.0
    #: time this process waited for the workers' lemmas
    lemmatise_wait_seconds: float = 0.0
    #: time spent indexing the new rows (their ``INSERT … SELECT`` into the FTS tables)
    index_seconds: float = 0.0

    @property
    def items(self) -> int:
        return self.new + self.updated + self.unchanged


def load_items(db: sqlite_utils.Database, writes: Iterable[store.ItemWrite],
               lemmatiser: Lemmatiser, *, now: str, batch: int = 2000, jobs: int = 1,
               clock: Callable[[], float] = time.perf_counter) -> LoadStats:
    """Store ``writes`` like :func:`db.store.store_item` does, many per transaction.

    ``jobs`` > 1 lemmatises in that many worker processes (Voikko or Snowball
    lemmatisers only; any other analyser is used in this process). In a process with
    other threads they are started with ``spawn``, so a calling script needs the usual
    ``if __name__ == "__main__"`` guard. On an exception the
    batches already committed stay (indexed), and the failing batch is rolled back.
    """
    stats = LoadStats()
    start = clock()
    repair(db)
    fts.use_lemmatiser(db, lemmatiser)
    index = _Index(db, fts_triggers(db), stats, clock)
    previous_sync = db.execute("PRAGMA synchronous").fetchone()[0]
    # WAL: a power cut may lose the last batches, never corrupt the file
    db.execute("PRAGMA synchronous = NORMAL")
    pool = _pool(lemmatiser, jobs)
    try:
        batches = _chunks(map(_cleaned, writes), max(1, batch))
        # each meeting's attendees, read once per load (a load writes items, not meetings)
        attendees: dict[int | None, list[facts.Attendee]] = {}
        for pieces in _lemmatised(batches, lemmatiser, pool, stats, clock):
            _write_batch(db, pieces, index, now, stats, attendees)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        db.execute(f"PRAGMA synchronous = {int(previous_sync)}")
        stats.seconds = clock() - start
    return stats


def repair(db: sqlite_utils.Database) -> bool:
    """Rebuild the FTS indexes if a load by an earlier version died before its final
    rebuild (:data:`PENDING_KEY`); ``True`` if it did."""
    if PENDING_KEY not in fts.read_meta(db):
        return False
    _finish(db)
    return True


def fts_triggers(db: sqlite_utils.Database) -> dict[str, str]:
    """Name → ``CREATE TRIGGER`` SQL of the triggers that keep the FTS indexes in step."""
    placeholders = ", ".join("?" for _ in FTS_CONTENT_TABLES)
    rows = db.execute("select name, sql from sqlite_master where type = 'trigger' and "
                      f"tbl_name in ({placeholders}) order by name",
                      FTS_CONTENT_TABLES).fetchall()
    return {name: sql for name, sql in rows}


def _finish(db: sqlite_utils.Database) -> None:
    """Build the FTS indexes from their tables and clear the pending mark, atomically."""
    with db.atomic():
        fts.rebuild(db)
        db.execute(f"delete from [{fts.META_TABLE}] where key = ?", [PENDING_KEY])


def _cleaned(write: store.ItemWrite) -> store.ItemWrite:
    """``write`` with its record's texts as ``store_item`` stores them (no control
    characters, long fields capped), before anything reads them."""
    ingest.clean_record(write.record)
    return write


def _chunks(writes: Iterable[store.ItemWrite], size: int) -> Iterator[list[store.ItemWrite]]:
    it = iter(writes)
    while chunk := list(islice(it, size)):
        yield chunk


# --- lemmatisation ----------------------------------------------------------------------

_worker_lemmatiser: Lemmatiser | None = None


def _worker_init(analyser: str, cache_size: int, loader: int,
                 inherited: Lemmatiser | None) -> None:
    """Worker process: its own lemmatiser (and word cache) for the whole load — the
    loader's own, copied with its warm cache, when the worker was forked — and it leaves
    when the loading process ``loader`` ends (a ``kill -9`` of the load leaves no worker
    behind, even one killed while this worker was still starting)."""
    global _worker_lemmatiser
    from scraper.sandbox import exit_with

    exit_with(loader)
    if inherited is not None:
        _worker_lemmatiser = inherited
        return
    made = VoikkoAnalyser.load() if analyser == VoikkoAnalyser.name else SnowballAnalyser()
    _worker_lemmatiser = Lemmatiser(made, cache_size=cache_size)


def _lemmatise(payload: list[LemmaInput]) -> tuple[list[str], list[Any], list[list[str]], float]:
    """Worker side of a task: each item's lemmas, the facts of its handlings and the
    lemmas of its earlier handlings' and attachment pages' texts (read here too, so the
    writing process does not spend its time on them)."""
    lemmatiser = _worker_lemmatiser
    assert lemmatiser is not None, "worker not initialised"
    start = time.perf_counter()
    out = [lemmatiser.lemmas_text(texts, names) for texts, names, _, _ in payload]
    found = [facts.read_facts(*handlings) for _, _, handlings, _ in payload]
    more = [[lemmatiser.lemmas_text(texts) for texts in others] for *_, others in payload]
    return out, found, more, time.perf_counter() - start


def _pool(lemmatiser: Lemmatiser, jobs: int) -> ProcessPoolExecutor | None:
    """Worker processes, forked when this process has no other thread (no start-up cost:
    the modules, the dictionary and the word cache are already here), spawned otherwise
    (forking a process whose other threads may hold locks is unsafe).

    A forked worker holds a copy of the loader's database connection; it never uses it,
    and it leaves through ``os._exit`` (as every ``multiprocessing`` child does), so no
    finaliser closes it or touches the file's locks and write-ahead log."""
    if jobs <= 1 or type(lemmatiser.analyser) not in (VoikkoAnalyser, SnowballAnalyser):
        return None
    fork = sys.platform == "linux" and threading.active_count() == 1
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("fork" if fork else "spawn"),
        initializer=_worker_init,
        initargs=(lemmatiser.name, lemmatiser._cache_size, os.getpid(),
                  lemmatiser if fork else None))


#: what a worker reads of an item (see :func:`_lemma_input`)
LemmaInput = tuple[list[str | None], list[str | None], tuple, list[tuple[str | None, ...]]]


def _lemma_input(write: store.ItemWrite) -> LemmaInput:
    """What a worker reads of an item: its own texts (:func:`_item_texts`), the texts
    of each handling for its facts, and the texts whose
    lemmas ``store._child_rows`` and ``store._page_rows`` ask for (each earlier
    handling's, each attachment page's)."""
    rec = write.record
    others: list[tuple[str | None, ...]] = [
        tuple(getattr(h, c) for c in fts.HANDLING_TEXT_COLUMNS)
        for h in rec.previous_handlings]
    others += [(text,) for _, pages in write.attachment_pages.values()
               for text in ingest.clean_pages(pages) if text and text.strip()]
    return (*_item_texts(write), facts.facts_input(rec), others)


def _item_texts(write: store.ItemWrite) -> tuple[list[str | None], list[str | None]]:
    """The text columns ``fts.item_lemmas`` reads (the record's fields of those names, as
    ``store._item_row`` copies them) and the preparers' names: an item's own lemmas."""
    rec = write.record
    texts = [rec.proposer.name if c == "proposer_name" and rec.proposer else
             None if c == "proposer_name" else getattr(rec, c) for c in fts.TEXT_COLUMNS]
    return texts, [p.name for p in rec.preparers]


class _Computed:
    """Lemmas the workers computed, by the texts they were computed from; any other
    texts go to ``lemmatiser``. Handed to ``store._child_rows`` and ``store._page_rows``
    in the lemmatiser's place, which ask for the lemmas of exactly these texts."""

    def __init__(self, lemmatiser: Lemmatiser) -> None:
        self.lemmatiser = lemmatiser
        self.known: dict[tuple[str | None, ...], str] = {}

    def lemmas_text(self, texts: Iterable[str | None],
                    extra: Iterable[str | None] = ()) -> str:
        key = tuple(texts)
        extra = tuple(extra)
        if not extra and key in self.known:
            return self.known[key]
        return self.lemmatiser.lemmas_text(key, extra)


Batch = list[tuple[store.ItemWrite, dict[str, Any]]]  # each write with its items row
#: items of a batch with their lemmas, and the lemmas of their other texts
Piece = tuple[Batch, list[str], _Computed]


def _lemmatised(batches: Iterator[list[store.ItemWrite]], lemmatiser: Lemmatiser,
                pool: ProcessPoolExecutor | None, stats: LoadStats,
                clock: Callable[[], float]) -> Iterator[Iterator[Piece]]:
    """For each batch, its items with their lemmas, in pieces as they are ready.

    With a pool the batch is read in tasks of :data:`TASK` items, and the next batch is
    submitted before this one is handed out: the workers read it while the caller
    writes this one, and the caller starts writing as soon as the first task is back
    (not when the whole batch is).
    """
    if pool is None:
        for writes in batches:
            yield iter([_in_process(writes, lemmatiser, stats, clock)])
        return
    # each task: its items, what the worker was sent of them, and the worker's answer
    tasks: deque[tuple[list[store.ItemWrite], list[LemmaInput], Future]] = deque()

    def submit(writes: list[store.ItemWrite]) -> int:
        for i in range(0, len(writes), TASK):
            part = writes[i:i + TASK]
            payload = [_lemma_input(w) for w in part]
            tasks.append((part, payload, pool.submit(_lemmatise, payload)))
        return -(-len(writes) // TASK)

    def collect(count: int) -> Iterator[Piece]:
        for _ in range(count):
            part, payload, future = tasks.popleft()
            wait_start = clock()
            lemmas, found, more, seconds = future.result()
            stats.lemmatise_wait_seconds += clock() - wait_start
            stats.lemmatise_seconds += seconds
            for write, handlings in zip(part, found, strict=True):
                write.__dict__["facts"] = handlings  # read in the worker: the cached property
            computed = _Computed(lemmatiser)
            for sent, values in zip(payload, more, strict=True):
                computed.known.update(zip(sent[3], values, strict=True))
            yield [(w, store._item_row(w)) for w in part], lemmas, computed

    counts: deque[int] = deque()
    for writes in batches:
        counts.append(submit(writes))
        if len(counts) > 1:
            yield collect(counts.popleft())
    while counts:
        yield collect(counts.popleft())


def _in_process(writes: list[store.ItemWrite], lemmatiser: Lemmatiser, stats: LoadStats,
                clock: Callable[[], float]) -> Piece:
    chunk = [(w, store._item_row(w)) for w in writes]
    start = clock()
    lemmas = [lemmatiser.lemmas_text(*_item_texts(w)) for w, _ in chunk]
    stats.lemmatise_seconds += clock() - start
    return chunk, lemmas, _Computed(lemmatiser)


# --- writing ----------------------------------------------------------------------------


class _Rows:
    """Rows of new items gathered for one ``executemany`` per table, in item order (so
    child tables get the same ids ``store_item`` would give them)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {
            "items": [], "item_versions": [], "item_preparers": [], "item_handlings": [],
            "attachments": [], fts.PAGES_TABLE: [], **{t: [] for t in facts.TABLES}}

    def add(self, write: store.ItemWrite, row: dict[str, Any], lemmas: str, now: str,
            lemmatiser: _Computed, attendees: list[facts.Attendee]) -> None:
        self.tables["items"].append({**row, "lemmas": lemmas, "first_seen": now,
                                     "updated_at": now})
        self.tables["item_versions"].append({
            "item_id": write.item_id, "seen_at": now, "html_sha256": write.html_sha256,
            "pdf_sha256": write.pdf_sha256, "parser_version": write.parser_version})
        children = store._child_rows(write, lemmatiser, attendees)
        for table in ("item_preparers", "item_handlings", "attachments", *facts.TABLES):
            self.tables[table] += children[table]
        pages = store._page_rows(write, lemmatiser)
        for attachment in children["attachments"]:
            self.tables[fts.PAGES_TABLE] += pages.get(attachment["id"]) or []

    def flush(self, db: sqlite_utils.Database) -> None:
        for table, rows in self.tables.items():
            _insert_many(db, table, rows, upsert=table == "attachments")
            rows.clear()


#: value types SQLite takes as they are (anything else is JSON, as sqlite-utils writes it)
_PLAIN = frozenset({str, int, float, type(None), bytes})


def _insert_many(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]],
                 upsert: bool = False) -> None:
    """``executemany`` per distinct column set, keeping the rows' order."""
    start = 0
    while start < len(rows):
        columns = tuple(rows[start])
        end = start + 1
        while end < len(rows) and tuple(rows[end]) == columns:
            end += 1
        names = ", ".join(f"[{c}]" for c in columns)
        sql = (f"insert into [{table}] ({names}) values "
               f"({', '.join('?' for _ in columns)})")
        if upsert:
            sql += " on conflict(id) do update set " + ", ".join(
                f"[{c}] = excluded.[{c}]" for c in columns if c != "id")
        db.conn.executemany(sql, [[v if type(v) in _PLAIN else jsonify_if_needed(v)
                                   for v in map(r.__getitem__, columns)]
                                  for r in rows[start:end]])
        start = end


def _known(db: sqlite_utils.Database, table: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        found.update(r[0] for r in db.execute(
            f"select id from [{table}] where id in ({', '.join('?' for _ in part)})", part))
    return found


class _Index:
    """The FTS triggers and the new rows' indexing, for every batch of one load.

    Triggers start each batch in place (as committed). :meth:`suspend` drops them
    before new rows are inserted and notes the highest rowid of each content table;
    :meth:`restore` indexes every row past those marks with one ``INSERT … SELECT`` per
    FTS table and creates the triggers again (before ``store_item`` writes a known item,
    and before the batch commits)."""

    def __init__(self, db: sqlite_utils.Database, triggers: dict[str, str],
                 stats: LoadStats, clock: Callable[[], float]) -> None:
        self.db, self.triggers, self.stats, self.clock = db, triggers, stats, clock
        self.marks: dict[str, int] | None = None  # None: the triggers are in place
        self.columns = {table: _fts_columns(db, f"{table}_fts")
                        for table in FTS_CONTENT_TABLES if db[f"{table}_fts"].exists()}

    def suspend(self) -> None:
        if self.marks is not None:
            return
        for name in self.triggers:
            self.db.execute(f"drop trigger if exists [{name}]")
        self.marks = {table: self.db.execute(f"select coalesce(max(rowid), 0) from [{table}]"
                                             ).fetchone()[0] for table in self.columns}

    def restore(self) -> None:
        if self.marks is None:
            return
        start = self.clock()
        for table, columns in self.columns.items():
            names = ", ".join(f"[{c}]" for c in columns)
            self.db.execute(f"insert into [{table}_fts] (rowid, {names}) "
                            f"select rowid, {names} from [{table}] where rowid > ?",
                            [self.marks[table]])
        self.stats.index_seconds += self.clock() - start
        for sql in self.triggers.values():
            self.db.execute(sql)
        self.marks = None


def _fts_columns(db: sqlite_utils.Database, fts_table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info([{fts_table}])")]


def _write_batch(db: sqlite_utils.Database, pieces: Iterable[Piece], index: _Index,
                 now: str, stats: LoadStats,
                 attendees: dict[int | None, list[facts.Attendee]]) -> None:
    """One transaction for the pieces of one batch: new items inserted in bulk (triggers
    suspended, then indexed), known ones through ``store_item`` (triggers in place)."""
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    with db.atomic():
        seen: set[str] = set()
        for chunk, lemmas, computed in pieces:
            known = _known(db, "items", [w.item_id for w, _ in chunk])
            attachment_ids = [a["id"] for w, _ in chunk for a in w.attachments]
            known_attachments = (_known(db, "attachments", attachment_ids)
                                 if attachment_ids else set())
            rows = _Rows()
            for (write, row), value in zip(chunk, lemmas, strict=True):
                if (write.item_id in known or write.item_id in seen
                        or any(a["id"] in known_attachments for a in write.attachments)):
                    rows.flush(db)  # keep the order of writes
                    index.restore()
                    counts[store.store_item(db, write, now)] += 1
                    continue
                index.suspend()
                if write.meeting_id not in attendees:  # the people the facts name link to them
                    attendees[write.meeting_id] = facts.meeting_attendees(db, write.meeting_id)
                rows.add(write, row, value, now, computed, attendees[write.meeting_id])
                seen.add(write.item_id)
                counts["new"] += 1
            rows.flush(db)
        index.restore()
    for status, count in counts.items():  # committed
        setattr(stats, status, getattr(stats, status) + count)
    stats.batches += 1
