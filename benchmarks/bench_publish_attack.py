"""``serve --publish`` under attack: 20 readers and 3 attackers on 127.0.0.1.

    .venv/bin/python -m benchmarks.bench_publish_attack [--seconds 30] [--items 3000]
        [--repo /path/to/other/checkout]   # serve with that checkout's code (a baseline)

One database is built here (the bench_load items, stored through ``store_item`` with
Finnish lemmas, and one item with a 20 MB decision: through the store, which caps it
now, or with ``--raw-huge`` written behind the store's back, as an archive harvested
before the ingest cap holds it). ``kokousarkisto serve --publish`` of ``--repo``
(default: this checkout) serves it, and for ``--seconds``:

* 20 readers (``--readers``) loop over what people do, ``--think`` seconds between two
  requests: the home page, the items table, an item page, the search page with an
  ordinary word (one of :data:`READER_WORDS`, so searches differ), the latest decisions;
* 3 attackers (``--attackers``) loop without pause: (1) arbitrary SQL that calls
  ``fi_lemmas`` on a cross join, (2) the search page with a 900-word query, (3) a search
  matching the 20 MB item; every attack request carries a new ``_n=`` parameter, so no
  cache can answer it from an earlier one.

Reported: the readers' p50 / p95 / max latency (target p95 < 2 s), their errors, and
what the attackers got (status counts). Run it once with ``--repo`` pointing at a
checkout from before the caps and once without, in the same session, to compare.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import requests

from benchmarks.bench_load import make_items
from db import store
from db.schema import open_db
from tests.search.helpers import NOW, SOURCE, item_write

REPO = Path(__file__).resolve().parents[1]
HUGE_ITEM_WORDS = 2_000_000  # ~20 MB of decision text
#: what readers search for: words of the benchmark's items, common and rare
READER_WORDS = ("avustus", "kaupunginhallitus", "päätös", "sopimus", "kaava", "koulu",
                "talousarvio", "lausunto", "hankinta", "tontti", "palvelu", "liikunta",
                "kirjasto", "vuokra", "investointi", "kadun", "ympäristö", "terveys")


def build_db(path: Path, n: int, raw_huge: bool) -> str:
    """The benchmark's database; returns an ordinary search word."""
    db = open_db(path)
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="B", base_url="http://b"), NOW)
    body_id = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
    items = make_items(n, 300)
    huge = " ".join(["avustus päätös"] * (HUGE_ITEM_WORDS // 2))
    if not raw_huge:
        items[0]["decision"] = huge  # the store caps it (db.ingest)
    with db.atomic():
        for entry in items:
            store.store_item(db, item_write(entry, body_id, None), NOW)
    if raw_huge:  # behind the store's back: an archive from before the ingest cap
        db.execute("update items set decision = ? where dynasty_id = ?",
                   [huge, items[0]["id"]])
        db.conn.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return "avustus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(repo: Path, db_path: Path, port: int) -> subprocess.Popen:
    python = repo / ".venv" / "bin" / "python"
    proc = subprocess.Popen([str(python), "-m", "kokousarkisto.cli", "serve", "--db",
                             str(db_path), "--port", str(port), "--publish"], cwd=repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return proc
        except requests.ConnectionError:
            if proc.poll() is not None:
                raise SystemExit(f"serve exited with {proc.returncode}") from None
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--attackers", type=int, default=3, choices=range(4))
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a reader waits between two requests")
    parser.add_argument("--raw-huge", action="store_true",
                        help="write the 20 MB item behind the store's back (no cap)")
    parser.add_argument("--repo", type=Path, default=REPO)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "kokousarkisto.db"
        started = time.perf_counter()
        word = build_db(db_path, args.items, args.raw_huge)
        print(f"database: {args.items} items, one with a 20 MB decision "
              f"({'uncapped' if args.raw_huge else 'through the store'}), built in "
              f"{time.perf_counter() - started:.0f} s; serving with {args.repo}; "
              f"{args.readers} readers ({args.think:g} s think time), "
              f"{args.attackers} attackers")
        port = free_port()
        proc = start_server(args.repo, db_path, port)
        try:
            run(f"http://127.0.0.1:{port}", word, args)
        finally:
            proc.terminate()
            proc.wait(20)


def run(base: str, word: str, args: argparse.Namespace) -> None:
    db = "kokousarkisto"
    ids = [r.split("/")[-1] for r in _item_ids(base, db)]
    reader_paths = [
        "/", f"/{db}/items?_size=20", f"/{db}/latest_decisions",
        f"/{db}/search?q={quote(word)}", f"/{db}/search?q=",
    ]
    attack_sql = ("select count(*) from items a, items b, items c "
                  "where fi_lemmas(a.decision || b.title || c.title) like '%x%'")
    attacks = [
        f"/{db}?sql={quote(attack_sql)}",
        f"/{db}/search?q={quote(' '.join(['kaupunki', 'päätös', 'avustus'] * 300))}",
        f"/{db}/search?q=avustus+p%C3%A4%C3%A4t%C3%B6s",
    ]
    stop = time.monotonic() + args.seconds
    latencies: list[float] = []
    reader_errors: Counter[str] = Counter()
    attack_results: Counter[str] = Counter()
    lock = threading.Lock()

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        while time.monotonic() < stop:
            path = rng.choice(reader_paths + [f"/{db}/items/{rng.choice(ids)}"] if ids
                              else reader_paths)
            if path.endswith("?q="):
                path += quote(rng.choice(READER_WORDS))
            t0 = time.perf_counter()
            try:
                resp = session.get(base + path, timeout=60)
                ok = resp.status_code == 200
                what = str(resp.status_code)
            except requests.RequestException as exc:
                ok, what = False, type(exc).__name__
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if not ok:
                    reader_errors[f"{path.split('?')[0]} {what}"] += 1
            time.sleep(args.think * rng.uniform(0.5, 1.5))

    def attacker(path: str) -> None:
        session = requests.Session()
        sent = 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            sent += 1
            try:
                what = str(session.get(f"{base}{path}&_n={sent}", timeout=120).status_code)
            except requests.RequestException as exc:
                what = type(exc).__name__
            with lock:
                attack_results[f"attack {attacks.index(path) + 1}: {what} "
                               f"({'slow' if time.perf_counter() - t0 > 2 else 'fast'})"] += 1

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    threads += [threading.Thread(target=attacker, args=(p,)) for p in attacks[:args.attackers]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    print(f"readers: {len(latencies)} requests in {args.seconds:.0f} s, "
          f"p50 {statistics.median(latencies):.3f} s, p95 {p95:.3f} s, "
          f"max {latencies[-1]:.3f} s, errors {sum(reader_errors.values())} "
          f"{dict(reader_errors) or ''}")
    print(f"attackers: {dict(sorted(attack_results.items()))}")
    print(f"target p95 < 2 s: {'met' if p95 < 2 else 'NOT met'}")


def _item_ids(base: str, db: str) -> list[str]:
    resp = requests.get(f"{base}/{db}/items.json?_col=id&_size=200&_shape=array", timeout=60)
    return [quote(r["id"].replace("/", "~2F"), safe="~") for r in resp.json()]


if __name__ == "__main__":
    sys.exit(main())
