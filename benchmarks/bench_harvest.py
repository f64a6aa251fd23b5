"""Concurrent harvest: many Dynasty hosts side by side against one host at a time.

    .venv/bin/python -m benchmarks.bench_harvest [--hosts 50] [--concurrency 8]
        [--delay 1.0] [--latency-ms 20-80]

Starts ``--hosts`` demo Dynasty sites on 127.0.0.1, each on its own port (so each is
its own host with its own politeness), with 31 items each (agendas and minutes with
their PDFs and attachments), every response delayed by a per-host latency drawn once
from ``--latency-ms``. The sites run in two child processes, so serving them costs the
harvest's process nothing but the requests.

Then, in one run, one harvest of all hosts with ``--concurrency`` hosts at a time and
the per-host ``--delay`` between two requests to the same host, and reports

* the wall time of the run against the sum of the per-host times measured in it (what
  one host at a time would take): the speed-up, and that against the ideal speed-up
  ``min(concurrency, hosts)`` (target: at least 0.8);
* a baseline in the same run: ``--baseline-hosts`` of the hosts harvested one at a time
  (concurrency 1) into a database of their own, whose mean per-host time times the
  number of hosts estimates the sequential harvest without the contention that also
  stretches the per-host times of the concurrent run;
* the harvest process's peak RSS (``VmHWM``) after the first and the second run;
* a second run over the same hosts: how many requests it sent and with what answers (only
  conditional requests, each answered ``304``, or ``404`` where the first got one).

Reported, not asserted; the numbers go into the README and the issue.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

#: how the two server processes are started (they print their base URLs as JSON)
SERVE = "serve"


def serve(count: int, latency_ms: list[float]) -> None:
    """Child process: ``count`` demo sites, each response delayed by its latency."""
    from demosite import DemoServer
    from demosite import server as demo_server

    servers = []
    for latency in latency_ms[:count]:
        site = DemoServer()

        class Latent(demo_server._Handler):
            delay = latency / 1000

            def _respond(self, head: bool) -> None:
                time.sleep(self.delay)
                super()._respond(head)

        site._httpd.RequestHandlerClass = Latent
        servers.append(site.start())
    print(json.dumps([s.base_url for s in servers]), flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    for s in servers:
        s.stop()


def start_sites(hosts: int, latencies: list[float]) -> tuple[list[subprocess.Popen], list[str]]:
    procs, urls = [], []
    halves = [latencies[: hosts // 2], latencies[hosts // 2:]]
    for part in halves:
        if not part:
            continue
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_harvest", SERVE, json.dumps(part)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
    for proc in procs:
        assert proc.stdout is not None
        urls += json.loads(proc.stdout.readline())
    return procs, urls


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def statuses(db_path: Path, run_id: int) -> Counter:
    conn = sqlite3.connect(db_path)
    try:
        return Counter(str(r[0] if r[0] is not None else r[1]) for r in conn.execute(
            "select status, error from fetches where run_id = ?", [run_id]))
    finally:
        conn.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == SERVE:
        latencies = json.loads(sys.argv[2])
        serve(len(latencies), latencies)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=1.0,
                        help="seconds between two requests to one host (default: the "
                             "harvest's own polite default)")
    parser.add_argument("--latency-ms", default="20-80",
                        help="each host answers after this many ms (a range: drawn per host)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-hosts", type=int, default=2,
                        help="hosts harvested one at a time for the baseline (0: none)")
    args = parser.parse_args()

    from kokousarkisto import api
    from scraper.http import FetchPolicy
    from scraper.sources import Source

    low, _, high = args.latency_ms.partition("-")
    rng = random.Random(args.seed)
    latencies = [rng.uniform(float(low), float(high or low)) for _ in range(args.hosts)]
    print(f"starting {args.hosts} demo hosts on 127.0.0.1 "
          f"(latency {args.latency_ms} ms, delay {args.delay} s) ...", flush=True)
    procs, urls = start_sites(args.hosts, latencies)
    sources = [Source(id=f"kunta{i:02d}", base_url=url) for i, url in enumerate(urls)]
    policy = FetchPolicy(min_interval=args.delay)
    rss_start = peak_rss_mb()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.db"
            started = time.perf_counter()
            first = api.harvest(db_path, sources, policy=policy, concurrency=args.concurrency)
            wall = time.perf_counter() - started
            rss_first = peak_rss_mb()
            per_host = [s.seconds for s in first.by_source.values()]
            started = time.perf_counter()
            second = api.harvest(db_path, sources, policy=policy, concurrency=args.concurrency)
            wall2 = time.perf_counter() - started
            rss_second = peak_rss_mb()
            second_statuses = statuses(db_path, 2)
            alone = api.harvest(Path(tmp) / "alone.db", sources[: args.baseline_hosts],
                                policy=policy, concurrency=1) if args.baseline_hosts else None
            size = db_path.stat().st_size
            raw = sum(f.stat().st_size for f in api.default_archive_dir(db_path).rglob("*")
                      if f.is_file())
    finally:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(30)
    ideal = min(args.concurrency, args.hosts)
    speedup = sum(per_host) / wall
    print(f"first run:  {first.line()}")
    print(f"  wall {wall:.1f} s; per-host times sum {sum(per_host):.1f} s "
          f"(min {min(per_host):.1f}, median {sorted(per_host)[len(per_host) // 2]:.1f}, "
          f"max {max(per_host):.1f})")
    print(f"  speed-up {speedup:.2f} x against one host at a time; ideal {ideal} x; "
          f"ratio {speedup / ideal:.2f} (target >= 0.8)")
    print(f"  {first.new_items / wall:.1f} items/s; database {size / 1e6:.1f} MB, "
          f"raw archive {raw / 1e6:.1f} MB")
    if alone is not None:
        mean = sum(s.seconds for s in alone.by_source.values()) / len(alone.by_source)
        print(f"  baseline: {len(alone.by_source)} hosts one at a time, {mean:.1f} s per host;"
              f" {args.hosts} hosts would take ~{mean * args.hosts:.0f} s: speed-up "
              f"{mean * args.hosts / wall:.2f} x, ratio {mean * args.hosts / wall / ideal:.2f}")
    print(f"second run: {second.line()}")
    print(f"  wall {wall2:.1f} s; answers {dict(sorted(second_statuses.items()))}")
    print(f"peak RSS: {rss_start:.0f} MB before, {rss_first:.0f} MB after the first run, "
          f"{rss_second:.0f} MB after the second (load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
