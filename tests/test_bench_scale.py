"""The scale benchmark runs end to end on a small archive and reports every measurement.

No timing is asserted (timings belong to the benchmark's output); this checks that the
generator, the bulk load, the Datasette subprocess and each kind of request work, and
that every request of every kind answered 200.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_scale import Archive

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("baseline", "search", "filter", "facet", "row", "haku", "kohta", "kokous", "diaari")


def test_bench_scale_small_run_prints_every_kind(tmp_path):
    db = tmp_path / "scale.db"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scale", "--items", "500", "--db", str(db),
         "--jobs", "1", "--queries", "20"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert re.search(r"^load: \d+ items/s", out, re.M), out
    assert re.search(r"^db size: \d+ MiB", out, re.M), out
    for kind in KINDS:
        line = re.search(rf"^{kind}\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(.*)$", out,
                         re.M)
        assert line, f"no {kind} line in:\n{out}"
        if kind != "baseline":
            assert line.group(1) == "20"
            assert line.group(2).startswith("0 "), line.group(0)  # no failed request
    rows = dict(re.findall(r"^(\w+)\s+\d+.*\(rows (\d+)\)$", out, re.M))
    assert int(rows["search"]) > 0 and int(rows["row"]) == 20
    assert int(rows["haku"]) > 0  # the reporters' search with filters finds something
    assert all(int(rows[k]) == 20 for k in ("kohta", "kokous", "diaari"))  # every page 200
    # the archive was loaded: 500 items, searchable
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("select count(*) from items").fetchone()[0] == 500
        assert conn.execute("select count(*) from bodies").fetchone()[0] >= 100
        assert conn.execute("select count(*) from items_fts").fetchone()[0] == 500
    finally:
        conn.close()


def test_archive_is_deterministic_and_spans_ten_years():
    one, two = Archive(300, 60, seed=3), Archive(300, 60, seed=3)
    assert one.search_queries(20) == two.search_queries(20)
    assert len(set(one.search_queries(50))) >= 40
    rng_words = [one.text(__import__("random").Random(5), 40) for _ in range(2)]
    assert rng_words[0] == rng_words[1] and len(rng_words[0].split()) >= 40
