"""Reparse speed: parsing on every core, and the parse cache, against one process.

    .venv/bin/python -m benchmarks.bench_reparse [--copies K] [--jobs N] [--repeat R]

Builds a database and raw archive by harvesting the demo site over loopback HTTP, then
repeats every item ``K`` times under new ids (same archived bytes, its own URL, so each
copy is its own parse and its own cache key) with the item's attachments. When
``../shared/corpus/tweb-pdf`` is present its real PDFs become attachments of one item of
each copy too (read at run time, never copied into the project). Each mode then re-parses a fresh
copy of that database, in one run:

* baseline: ``jobs=1``, no cache (what ``reparse`` did before)
* ``jobs=N`` (default: every core), no cache
* ``jobs=N`` filling an empty cache (the first reparse after a parser change)
* ``jobs=1`` and ``jobs=N`` with the cache warm (nothing changed since)

and prints seconds, the ratio against the baseline and the CPU seconds left on the main
process (the one writer), plus the load average, since other work on the machine skews
wall-clock ratios. Every mode must leave the same database (checked, so a fast wrong
answer cannot look good). Reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from db import store
from db.schema import open_db
from demosite import DemoServer
from kokousarkisto import api
from scraper.archive import RawArchive
from scraper.http import FetchPolicy
from scraper.parse_cache import CACHE_FILE, ParseCache
from scraper.reparse import ReparseSummary, reparse
from scraper.sources import Source

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
NOW = "2031-01-01T00:00:00+00:00"


def build(folder: Path, copies: int) -> tuple[Path, int, int]:
    """Harvest the demo site and multiply its items; returns (db, items, attachments)."""
    path = folder / "base.db"
    with DemoServer() as site:
        summary = api.harvest(path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                              policy=FetchPolicy(min_interval=0, retries=1, backoff=0.01))
    assert summary.exit_code == 0, summary.failures
    archive = RawArchive(api.default_archive_dir(path))
    db = open_db(path)
    real = []
    for pdf in sorted((CORPUS / "tweb-pdf").rglob("*.pdf")):
        data = pdf.read_bytes()
        real.append(archive.put(data))
        store.record_raw(db, real[-1], len(data), "application/pdf",
                         archive.relative_path(real[-1]), NOW)
    generated = {r[1] for r in db.execute("pragma table_xinfo(items)") if r[6] in (2, 3)}
    items = [{k: v for k, v in r.items() if k not in generated} for r in db["items"].rows]
    attachments = list(db["attachments"].rows)
    with db.atomic():
        for k in range(1, copies):
            for row in items:
                new_id = f"{row['id']}~{k}"
                db["items"].insert({**row, "id": new_id, "dynasty_id": f"{row['dynasty_id']}~{k}",
                                    "url": f"{row['url']}&copy={k}"})
                own = [a for a in attachments if a["item_id"] == row["id"]]
                for n, att in enumerate(own):
                    db["attachments"].insert({**att, "id": f"{new_id}#{n + 1}",
                                              "item_id": new_id})
                for n, sha in enumerate(real if row is items[k % len(items)] else []):
                    db["attachments"].insert({
                        **attachments[0], "id": f"{new_id}#r{n}", "item_id": new_id,
                        "position": len(own) + n, "title": f"corpus {n}", "sha256": sha,
                        "status": "ok", "error": None})
    counts = (db["items"].count, db["attachments"].count)
    db.close()
    # bring every copy to its parsed state once, so that each mode starts equal
    first = api.reparse(path, jobs=os.cpu_count(), use_cache=False)
    assert first.failed == 0, first.failures[:3]
    return path, *counts


def fresh(base: Path, name: str) -> Path:
    path = base.with_name(f"{name}.db")
    src, dst = sqlite3.connect(base), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


def content(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"select * from [{t}] order by 1").fetchall()
                for t in ("items", "item_preparers", "item_handlings", "attachments",
                          "attachment_pages")}
    finally:
        conn.close()


def timed(base: Path, name: str, archive: RawArchive, jobs: int,
          cache: ParseCache | None) -> tuple[float, float, ReparseSummary, Path]:
    """Wall seconds, this process's CPU seconds (what is left on the one writer), the
    summary and the database written."""
    path = fresh(base, name)
    db = open_db(path)
    db.execute("update items set title = 'x', proposal = null")  # every item is rewritten
    db.conn.commit()
    start, cpu = time.perf_counter(), time.process_time()
    summary = reparse(db, archive, lambda: NOW, jobs=jobs, cache=cache)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    assert summary.failed == 0, summary.failures[:3]
    return seconds, cpu, summary, path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="times each demo item repeats")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base, items, attachments = build(Path(tmp), args.copies)
        archive = RawArchive(api.default_archive_dir(base))
        print(f"workload: {items} items, {attachments} attachments "
              f"({args.copies} copies of the demo site"
              f"{', + corpus PDFs' if (CORPUS / 'tweb-pdf').exists() else ''}), "
              f"cores={os.cpu_count()}")
        cache_path = archive.root / CACHE_FILE
        load = f"{os.getloadavg()[0]:.1f}"  # other work on the machine skews the ratios
        modes = [("jobs=1, no cache (baseline)", 1, False),
                 (f"jobs={args.jobs}, no cache", args.jobs, False),
                 (f"jobs={args.jobs}, cold cache", args.jobs, True),
                 ("jobs=1, warm cache", 1, True),
                 (f"jobs={args.jobs}, warm cache", args.jobs, True)]
        best: dict[int, tuple] = {}
        for _ in range(args.repeat):  # rounds interleave the modes; the fastest round counts
            for leftover in archive.root.glob(CACHE_FILE + "*"):
                leftover.unlink()  # the cold mode starts from no cache every round
            for number, (label, jobs, use_cache) in enumerate(modes):
                cache = ParseCache(cache_path) if use_cache else None
                try:
                    seconds, cpu, summary, path = timed(base, f"mode{number}", archive, jobs,
                                                        cache)
                finally:
                    if cache is not None:
                        cache.close()
                if number not in best or seconds < best[number][1]:
                    best[number] = (label, seconds, cpu, summary, content(path))
        results = [best[n] for n in range(len(modes))]
        baseline = results[0][1]
        print(f"load average before: {load}; after: {os.getloadavg()[0]:.1f}")
        for label, seconds, cpu, summary, state in results:
            same = "same db" if state == results[0][4] else "DIFFERENT DB"
            print(f"{label:30} {seconds:7.2f} s  {baseline / seconds:5.2f}x faster  "
                  f"main cpu {cpu:6.2f} s  "
                  f"cached={summary.cached}/{summary.items} "
                  f"attachments_cached={summary.attachments_cached}/{summary.attachments} "
                  f"{same}")


if __name__ == "__main__":
    main()
