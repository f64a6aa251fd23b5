"""Loading speed with Finnish lemmatisation: items per second through ``store_item``.

    .venv/bin/python -m benchmarks.bench_load [--items N] [--words W] [--analyser voikko]

Compared: ``store_item`` one item per transaction (the harvest's path), 500 per
transaction, and :func:`db.bulk.load_items` (batched, each batch's new rows indexed with
one ``INSERT … SELECT``, lemmas and facts read in-process or in two worker processes).

Every path stores each item's facts too (outcome, votes, money: :mod:`parsers.facts`,
read in the lemmatising workers when ``jobs`` > 1); their share is measured by
extracting them alone and by bulk loads without them (jobs=1 and jobs=2). Each bulk
path runs ``--repeat`` times and the fastest run is reported.

Each line also gives CPU seconds (this process and its finished worker processes), which
depend far less than wall-clock time on what else the shared machine runs; the facts'
share is reported for both.

Items are made from the sentences of the search fixture, the demo site's items and, when
present, the real documents in ``../shared/corpus`` (read, never copied), shuffled into
items of about ``W`` words; each also gets a few new compounds (two known words joined)
so that, as in a real archive, some words are always new to the cache. Every run starts
from an empty lemmatiser cache and a new database file. Reported, not asserted: timings
belong here, not in unit tests (target: 2,000 items/s including lemmatisation).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from db import bulk, facts, fts, store
from db.lemmas import Lemmatiser, SnowballAnalyser, VoikkoAnalyser, words
from demosite import expected_items
from parsers import handling_facts
from parsers.records import HandlingFacts
from tests.search.helpers import CORPUS, NOW, SOURCE, item_write

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
FIELDS = ("title", "background", "proposal", "decision", "discussion")


def sentence_pool() -> list[str]:
    texts = [e.get(f) or "" for e in CORPUS for f in FIELDS]
    texts += [e.get(f) or "" for e in expected_items() for f in FIELDS]
    if SHARED.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace")
                  for p in sorted(SHARED.glob("seeds/*.txt"))]
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t)]
    return [s for s in sentences if len(s.split()) >= 3]


def make_items(n: int, words_per_item: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    pool = sentence_pool()
    vocabulary = sorted({w.lower() for s in pool for w in words(s) if w.isalpha() and len(w) > 3})
    items = []
    for i in range(n):
        text: list[str] = []
        while sum(len(s.split()) for s in text) < words_per_item:
            text.append(rng.choice(pool))
        novel = " ".join(rng.choice(vocabulary) + rng.choice(vocabulary) for _ in range(5))
        cut = len(text) // 3
        items.append({
            "id": f"{9000 + i // 20}-{i % 20 + 1}", "body": "Kaupunginhallitus",
            "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "section": str(i % 200),
            "title": text[0][:120], "background": " ".join(text[1:cut] + [novel]),
            "proposal": " ".join(text[cut:2 * cut]), "decision": " ".join(text[2 * cut:]),
            "preparers": ["Liisa Mäkinen"],
        })
    return items


def run(items: list[dict], lemmatiser: Lemmatiser | None, batch: int = 1) -> float:
    """Seconds to store ``items``, ``batch`` items per transaction; ``lemmatiser=None``:
    without lemmas (the baseline)."""
    from db.schema import open_db

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        store.ensure_source(db, store.SourceRow(id=SOURCE, name="B", base_url="http://b"), NOW)
        body_id = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
        original = fts.item_lemmas
        if lemmatiser is None:
            fts.item_lemmas = lambda *a, **k: ""
        else:
            fts.use_lemmatiser(db, lemmatiser)
        try:
            start = time.perf_counter()
            for i in range(0, len(items), batch):
                with db.atomic():
                    for entry in items[i:i + batch]:
                        store.store_item(db, item_write(entry, body_id, None), NOW)
            return time.perf_counter() - start
        finally:
            fts.item_lemmas = original
            db.close()


def run_bulk(items: list[dict], lemmatiser: Lemmatiser, jobs: int,
             batch: int = 2000, with_facts: bool = True) -> tuple[bulk.LoadStats, float]:
    """``items`` through :func:`db.bulk.load_items` into a new database, and the CPU
    seconds of that load (see :func:`cpu_seconds`); ``with_facts`` False: the facts left
    empty (here and in the workers, which are forked from this single-threaded process).
    """
    from db.schema import open_db

    original = facts.read_facts
    if not with_facts:
        facts.read_facts = lambda *a: [(facts.CURRENT, HandlingFacts())]
    try:
        return _run_bulk(items, lemmatiser, jobs, batch, open_db)
    finally:
        facts.read_facts = original


def _run_bulk(items: list[dict], lemmatiser: Lemmatiser, jobs: int, batch: int,
              open_db) -> tuple[bulk.LoadStats, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        store.ensure_source(db, store.SourceRow(id=SOURCE, name="B", base_url="http://b"), NOW)
        body_id = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
        try:
            writes = (item_write(entry, body_id, None) for entry in items)
            cpu = cpu_seconds()
            stats = bulk.load_items(db, writes, lemmatiser, now=NOW, batch=batch, jobs=jobs)
            return stats, cpu_seconds() - cpu
        finally:
            db.close()


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have finished (bulk workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--analyser", choices=["voikko", "snowball"], default="voikko")
    parser.add_argument("--repeat", type=int, default=3,
                        help="bulk loads per path; the fastest is reported")
    args = parser.parse_args()
    items = make_items(args.items, args.words)
    n_words = sum(len(words(" ".join(str(e.get(f) or "") for f in FIELDS))) for e in items)
    distinct = len({w for e in items for f in FIELDS for w in words(str(e.get(f) or ""))})

    def analyser():
        return VoikkoAnalyser.load() if args.analyser == "voikko" else SnowballAnalyser()

    lemmatiser = Lemmatiser(analyser())
    start, cpu = time.perf_counter(), time.process_time()
    for entry in items:
        lemmatiser.lemmas_text(entry.get(f) for f in FIELDS)
    lemmas_only, lemmas_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for entry in items:
        handling_facts(entry.get("proposal"), entry.get("decision"), entry.get("discussion"),
                       entry.get("background"))
    facts_only, facts_cpu = time.perf_counter() - start, time.process_time() - cpu
    baseline = run(items, None)
    full = run(items, Lemmatiser(analyser()))
    batched_baseline = run(items, None, batch=500)
    batched = run(items, Lemmatiser(analyser()), batch=500)
    n = len(items)
    print(f"{n} items, {n_words} words ({n_words // n} per item, {distinct} distinct forms), "
          f"analyser {args.analyser}")
    print(f"lemmatisation only (cold cache): {n / lemmas_only:8.0f} items/s "
          f"{n_words / lemmas_only:10.0f} words/s ({lemmas_cpu / n * 1000:.2f} ms CPU per item)")
    print(f"facts only (outcome, votes, money): {n / facts_only:6.0f} items/s "
          f"({facts_only / n * 1000:.2f} ms per item, {facts_cpu / n * 1000:.2f} ms CPU)")
    print(f"store_item, FTS without lemmas:   {n / baseline:8.0f} items/s")
    print(f"store_item with lemmas + FTS:     {n / full:8.0f} items/s")
    print(f"500 items per transaction, FTS without lemmas: {n / batched_baseline:6.0f} items/s")
    print(f"500 items per transaction, lemmas + FTS:       {n / batched:6.0f} items/s")
    for jobs in (1, 2):
        bare = best(args.repeat, lambda jobs=jobs: run_bulk(
            items, Lemmatiser(analyser()), jobs, with_facts=False))
        full = best(args.repeat, lambda jobs=jobs: run_bulk(items, Lemmatiser(analyser()), jobs))
        for label, (stats, used) in (("without facts", bare), ("with facts", full)):
            print(f"db.bulk.load_items, jobs={jobs}, {label}: {n / stats.seconds:6.0f} items/s "
                  f"(lemmatising {stats.lemmatise_seconds:.1f} s, waiting for lemmas "
                  f"{stats.lemmatise_wait_seconds:.1f} s, FTS indexing "
                  f"{stats.index_seconds:.1f} s, total {stats.seconds:.1f} s; CPU {used:.1f} s: "
                  f"{n / used:.0f} items per CPU second)")
        (bare_stats, bare_cpu), (stats, used) = bare, full
        print(f"facts' share of the jobs={jobs} bulk load: "
              f"{100 * (1 - bare_stats.seconds / stats.seconds):.0f} % of its time, "
              f"{100 * (1 - bare_cpu / used):.0f} % of its CPU "
              f"({(stats.seconds - bare_stats.seconds) / n * 1000:.2f} ms, "
              f"{(used - bare_cpu) / n * 1000:.2f} ms CPU per item)")


def best(times: int, load: Callable[[], tuple[bulk.LoadStats, float]]
         ) -> tuple[bulk.LoadStats, float]:
    """The fastest of ``times`` loads (wall-clock time): the others were slowed by what
    else the machine ran, which the fastest was least."""
    return min((load() for _ in range(max(1, times))), key=lambda run: run[0].seconds)


if __name__ == "__main__":
    main()
