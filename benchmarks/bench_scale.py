"""Scale: a synthetic archive of N items (default 1,000,000), loaded and served by Datasette.

    .venv/bin/python -m benchmarks.bench_scale [--items N] [--db PATH [--reuse]] [--jobs J]
        [--setting NAME VALUE ...]

1. Generates items deterministically (``--seed``): 9 invented municipalities with 12
   bodies each (108 bodies), meetings over 10 years (2016–2025), items of about
   ``--words`` words built from the sentences of our own fixtures (the search corpus,
   the demo site and, when present, ``../shared/corpus/seeds`` read at run time, never
   copied) drawn with a Zipf-like skew, words swapped for other inflected words of the
   vocabulary, invented place names with case endings and new compounds, so every
   item has words the lemmatiser's cache has not seen; preparers, proposers, case
   numbers, sections, agendas and minutes.
2. Loads them through :func:`db.bulk.load_items` and prints items/s, the share of
   lemmatisation, the FTS build and the database size (``--reuse`` skips 1–2 when the
   file exists).
3. Serves the file the way the README recommends — a ``datasette serve -i`` subprocess
   with an inspect file, the project's metadata.yml and plugin and the settings below —
   and times through the JSON API ~50 varied requests of each kind: the ``search``
   canned query, a body + date range filter on ``items``, facet pages of ``items``
   and item row pages; then the reporters' pages: ``haku`` (the Finnish search with
   municipality and date filters, ``/haku.json``), ``kohta`` (item hub), ``kokous``
   (meeting page) and ``diaari`` (case page); ``latest`` (the newest decisions) and
   ``feed`` (the canned search feed). Prints p50/p95/max per kind and the ratio of each
   p50 to a ``select 1`` baseline measured in the same run.

Timings are reported, never asserted (targets, issue 6: search and filters p95 under
300 ms; loading at least 2,000 items/s including lemmatisation; issue 12: ``haku`` p95
under 300 ms, ``kohta``/``kokous``/``diaari`` under 100 ms at 1M items).
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_load import sentence_pool
from db import bulk, store
from db.lemmas import Lemmatiser, load_analyser, words
from kokousarkisto.publish import datasette_command, inspect_command, load_metadata
from parsers.records import ItemRecord, Person, Proposer

NOW = "2026-01-01T00:00:00+00:00"
START = dt.date(2016, 1, 1)
DAYS = 3652  # ten years
#: invented municipalities (source id, name)
SOURCES = [("esimerkkila", "Esimerkkilä"), ("koivuranta", "Koivuranta"), ("harjula", "Harjula"),
           ("mantyla", "Mäntylä"), ("kalliola", "Kalliola"), ("lehtola", "Lehtola"),
           ("jarvela", "Järvelä"), ("kivijarvi", "Kivijärvi"), ("peltola", "Peltola")]
BODIES = ["Kaupunginhallitus", "Kaupunginvaltuusto", "Sivistyslautakunta",
          "Tekninen lautakunta", "Ympäristölautakunta", "Rakennuslautakunta",
          "Sosiaali- ja terveyslautakunta", "Kaupunkisuunnittelulautakunta",
          "Liikuntalautakunta", "Kulttuurilautakunta", "Tarkastuslautakunta",
          "Nuorisolautakunta"]
FIRST = ["Matti", "Liisa", "Juha", "Anna", "Timo", "Sari", "Kari", "Päivi", "Mikko", "Tiina",
         "Jari", "Minna", "Antti", "Hanna", "Pekka", "Riikka", "Ville", "Noora", "Eero", "Aino"]
LAST = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
        "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen"]
TITLES = ["hallintosihteeri", "talousjohtaja", "kaupunginsihteeri", "suunnittelija",
          "rakennustarkastaja", "sivistysjohtaja", "ympäristöpäällikkö", "kaavoitusarkkitehti"]
PLACE_HEADS = ["Koivu", "Harju", "Mänty", "Kallio", "Lehto", "Niemi", "Salmi", "Mäki", "Kivi",
               "Haka", "Pelto", "Kuusi", "Leppä", "Tammi", "Vaahtera", "Pihlaja", "Kaski", "Suo"]
PLACE_TAILS = ["ranta", "lahti", "mäki", "niemi", "koski", "vaara", "järvi", "kylä", "nummi",
               "harju", "salo", "puisto"]
CASE_ENDINGS = ["", "n", "ssa", "sta", "lle", "lla", "n alueen", "n koulun"]
DECISIONS = ["Ehdotus hyväksyttiin.", "Ehdotus hyväksyttiin yksimielisesti.",
             "Asia jätettiin pöydälle.", "Asia palautettiin uudelleen valmisteltavaksi.",
             "Ehdotus hyväksyttiin äänestyksen jälkeen äänin 7–4."]
ITEMS_PER_MEETING = 25
#: extra Datasette settings to try (``--setting NAME VALUE``) on top of what
#: ``kokousarkisto serve --publish`` uses (``kokousarkisto.publish.PUBLISH_SETTINGS``,
#: chosen with this benchmark)
SETTINGS: dict[str, str] = {}


# --- the synthetic archive ------------------------------------------------------------


@dataclass
class Meeting:
    id: int
    source_id: str
    body_id: int
    body: str
    date: str
    doc_id: str


class Archive:
    """Deterministic synthetic items; the same ``seed`` and ``n`` give the same archive."""

    def __init__(self, n: int, words_per_item: int, seed: int = 1) -> None:
        self.n = n
        self.words = words_per_item
        self.seed = seed
        rng = random.Random(seed)
        self.sentences = sentence_pool()
        rng.shuffle(self.sentences)
        # a Zipf-like skew: a few sentences (and their words) are everywhere
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(self.sentences))]
        self.cum = [0.0]
        for w in weights:
            self.cum.append(self.cum[-1] + w)
        self.cum.pop(0)
        self.titles = [s for s in self.sentences if len(s.split()) <= 10] or self.sentences
        self.vocabulary = sorted({w for s in self.sentences for w in words(s)
                                  if w.isalpha() and w.islower() and len(w) > 4})
        self.places = [h + t for h in PLACE_HEADS for t in PLACE_TAILS]
        frequency: Counter[str] = Counter()
        for sentence, weight in zip(self.sentences, weights, strict=True):
            for w in set(words(sentence)):
                frequency[w] += weight
        self.frequency = frequency

    def sentence(self, rng: random.Random) -> str:
        return self.sentences[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]

    def text(self, rng: random.Random, n_words: int) -> str:
        out: list[str] = []
        count = 0
        while count < n_words:
            tokens = self.sentence(rng).split()
            if len(tokens) > 4 and rng.random() < 0.5:  # another word in the same slot
                i = rng.randrange(1, len(tokens) - 1)
                tokens[i] = rng.choice(self.vocabulary)
            if rng.random() < 0.2:
                tokens.insert(rng.randrange(len(tokens)),
                              rng.choice(self.places) + rng.choice(CASE_ENDINGS))
            if rng.random() < 0.1:  # a compound nobody has written before
                tokens.insert(rng.randrange(len(tokens)),
                              rng.choice(self.vocabulary) + rng.choice(self.vocabulary))
            out.append(" ".join(tokens))
            count += len(tokens)
        return " ".join(out)

    def meetings(self, db) -> list[Meeting]:
        """Create sources, bodies and meetings (108 bodies over ten years); return them."""
        bodies = []
        for source_id, name in SOURCES:
            store.ensure_source(db, store.SourceRow(
                id=source_id, name=f"{name}n kaupunki", municipality=name,
                base_url=f"https://{source_id}.example"), NOW)
            for body in BODIES:
                bodies.append((source_id, store.ensure_body(db, source_id, body), body))
        n_meetings = max(len(bodies), -(-self.n // ITEMS_PER_MEETING))
        per_body = -(-n_meetings // len(bodies))
        out = []
        with db.atomic():
            for j in range(n_meetings):
                source_id, body_id, body = bodies[j % len(bodies)]
                k = j // len(bodies)
                date = START + dt.timedelta(days=(k * DAYS) // per_body + (j % len(bodies)) % 5)
                doc_id = f"{date:%Y%m%d}{j % len(bodies):03d}"
                meeting_id = store.upsert_meeting(
                    db, source_id=source_id, body_id=body_id, date=date.isoformat(),
                    document_type="minutes", doc_id=doc_id, url=None)
                out.append(Meeting(meeting_id, source_id, body_id, body, date.isoformat(),
                                   doc_id))
        return out

    def writes(self, meetings: list[Meeting]) -> Iterator[store.ItemWrite]:
        """The items, meeting by meeting (lazily: a million never sit in memory)."""
        rng = random.Random(self.seed * 7919)
        counts = [0] * len(meetings)
        for i in range(self.n):
            index = i * len(meetings) // self.n
            meeting = meetings[index]
            counts[index] += 1
            number = counts[index]
            year = meeting.date[:4]
            minutes = rng.random() < 0.7
            n_words = int(self.words * rng.uniform(0.3, 1.7))
            place = rng.choice(self.places)
            title = (f"{place}n " if rng.random() < 0.3 else "") + self.sentence_title(rng)
            preparer = Person(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                              title=rng.choice(TITLES), phone=f"040 {rng.randrange(10**6):06d}")
            case = f"{rng.randrange(1, 9000)}/{year}"
            record = ItemRecord(
                section=str(number), case_number=case,
                case_number_raw=f"{case.split('/')[0]}/00.01.02/{year}",
                task_class="00.01.02", title=title, body=meeting.body,
                meeting_date=meeting.date, document_type="minutes" if minutes else "agenda",
                preparers=[preparer],
                proposer=Proposer(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "esittelijä"),
                background=self.text(rng, n_words * 6 // 10),
                proposal=self.text(rng, max(8, n_words * 2 // 10)),
                decision=rng.choice(DECISIONS) if minutes else None,
                discussion=self.text(rng, n_words // 10) if rng.random() < 0.15 else None,
                contact_pattern=f"etunimi.sukunimi@{meeting.source_id}.example")
            dynasty_id = f"{meeting.doc_id}-{number}"
            yield store.ItemWrite(
                source_id=meeting.source_id, dynasty_id=dynasty_id, meeting_id=meeting.id,
                body_id=meeting.body_id, record=record,
                url=f"https://{meeting.source_id}.example/kokous/{dynasty_id}.HTM",
                pdf_url=f"https://{meeting.source_id}.example/kokous/{dynasty_id}.PDF",
                html_sha256=None, pdf_sha256=None, pdf_agreement=1.0, parser_version="bench",
                attachments=[])

    def sentence_title(self, rng: random.Random) -> str:
        return rng.choice(self.titles).rstrip(".")[:120]

    def search_queries(self, count: int = 50) -> list[str]:
        """Common and rare words, inflected forms, place names and two-word queries."""
        rng = random.Random(self.seed * 31)
        content = [w for w, _ in self.frequency.most_common()
                   if w.isalpha() and len(w) > 5 and w.islower()]
        common = content[:count // 4]
        rare = rng.sample(content[len(content) // 2:], count // 4)
        inflected = rng.sample([w for w in content if w.endswith(("n", "ssa", "lle", "sta",
                                                                   "ksen", "iden"))],
                               count // 5)
        places = [rng.choice(self.places) + e for e in ("", "n", "ssa")]
        pairs = [f"{rng.choice(common)} {rng.choice(content)}"
                 for _ in range(count - len(common) - len(rare) - len(inflected) - 3)]
        return [*common, *rare, *inflected, *places, *pairs][:count]


def build(path: Path, n: int, words_per_item: int, seed: int, jobs: int, batch: int) -> None:
    """Generate and load the archive into ``path``; print the load figures."""
    from db.schema import open_db

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    archive = Archive(n, words_per_item, seed)
    db = open_db(path)
    lemmatiser = Lemmatiser(load_analyser())
    start = time.perf_counter()
    meetings = archive.meetings(db)
    setup = time.perf_counter() - start
    stats = bulk.load_items(db, archive.writes(meetings), lemmatiser, now=NOW, batch=batch,
                            jobs=jobs)
    analyse_start = time.perf_counter()
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # -i (immutable) ignores the WAL
    db.conn.commit()
    analyse = time.perf_counter() - analyse_start
    db.close()
    total = time.perf_counter() - start
    share = stats.lemmatise_seconds / (stats.seconds * max(1, jobs))
    print(f"archive: {n} items, {len(meetings)} meetings, {len(SOURCES) * len(BODIES)} bodies, "
          f"{len(SOURCES)} sources, {START.year}-{START.year + 9}, analyser {lemmatiser.name}")
    print(f"load: {stats.items / stats.seconds:.0f} items/s through db.bulk.load_items "
          f"(jobs={jobs}, batch={batch}; {stats.seconds:.1f} s including the FTS build "
          f"{stats.index_seconds:.1f} s; generating the items is included)")
    print(f"load: lemmatisation {stats.lemmatise_seconds:.1f} s of worker time "
          f"({share:.0%} of the load's {'worker ' if jobs > 1 else ''}time), "
          f"waited for lemmas {stats.lemmatise_wait_seconds:.1f} s; ratio to the 2,000 "
          f"items/s target {stats.items / stats.seconds / 2000:.2f}")
    print(f"load: meetings {setup:.1f} s, ANALYZE + checkpoint {analyse:.1f} s, "
          f"all {total:.1f} s")
    print(f"db size: {path.stat().st_size / 2**20:.0f} MiB")


# --- serving and measuring ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def datasette(path: Path, settings: dict[str, str]) -> Iterator[int]:
    """A ``datasette serve -i`` subprocess on 127.0.0.1 with inspect file and metadata."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(load_metadata(path), ensure_ascii=False), encoding="utf-8")
        inspect = Path(tmp) / "inspect.json"
        exe = str(Path(sys.executable).with_name("datasette"))
        start = time.perf_counter()
        subprocess.run([exe, *inspect_command(path, inspect)], check=True)
        print(f"datasette inspect: {time.perf_counter() - start:.1f} s")
        port = free_port()
        # the baseline request is `select 1` through Datasette's SQL path, which publish
        # mode closes to the public (default_allow_sql off): opened again for the bench
        args = datasette_command(path, meta, host="127.0.0.1", port=port, publish=True,
                                 inspect_file=inspect,
                                 settings={**(settings or {}), "default_allow_sql": "on"})
        proc = subprocess.Popen([exe, *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"datasette exited: {proc.stderr.read().decode()[-2000:]}")
                try:
                    get(port, "/-/versions.json")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            print("datasette " + " ".join(a for a in args[2:] if not a.startswith(tmp)))
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def get(port: int, path: str) -> tuple[float, int, bytes]:
    """Seconds, status and body of one GET (a fresh connection, like a browser's first)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return time.perf_counter() - start, response.status, body
    finally:
        conn.close()


def request_sets(path: Path, archive: Archive, count: int) -> dict[str, list[str]]:
    """The requests of each kind (paths under the server), deterministic."""
    import sqlite3

    from datasette.utils import tilde_encode

    name = path.stem
    rng = random.Random(archive.seed * 101)
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        bodies = [r[0] for r in conn.execute("select id from bodies order by id")]
        max_rowid = conn.execute("select max(rowid) from items").fetchone()[0]
        ids, sampled = [], []
        while len(ids) < count:
            row = conn.execute("select id, source_id, meeting_id, case_number, meeting_date, "
                               "title from items where rowid >= ? order by rowid limit 1",
                               [rng.randrange(1, max_rowid + 1)]).fetchone()
            ids.append(row[0])
            sampled.append(row)
    finally:
        conn.close()

    def qs(params: dict[str, str]) -> str:
        return urllib.parse.urlencode(params)

    search = [f"/{name}/search.json?{qs({'q': q})}" for q in archive.search_queries(count)]
    filters = []
    for _ in range(count):
        first = START + dt.timedelta(days=rng.randrange(DAYS - 365))
        last = first + dt.timedelta(days=rng.choice([31, 92, 365, 730]))
        filters.append(f"/{name}/items.json?" + qs({
            "body_id": str(rng.choice(bodies)), "meeting_date__gte": first.isoformat(),
            "meeting_date__lte": last.isoformat(), "_sort_desc": "meeting_date"}))
    facet_params: list[dict[str, str]] = [{}]
    facet_params += [{"source_id": s} for s, _ in SOURCES]
    facet_params += [{"document_type": t} for t in ("minutes", "agenda")]
    facet_params += [{"meeting_date__gte": f"{y}-01-01", "meeting_date__lte": f"{y}-12-31"}
                     for y in range(START.year, START.year + 10)]
    facet_params += [{"body_id": str(b)} for b in bodies]
    rng.shuffle(facet_params)
    facets = [f"/{name}/items.json?" + qs(p) for p in facet_params[:count]]
    rows = [f"/{name}/items/{tilde_encode(i)}.json" for i in ids]
    # the reporters' pages (kokousarkisto.reporter): search with filters, item hub,
    # meeting and case pages, as a browser asks for them (targets: p95 300 / 100 ms)
    # a word of a sampled item's title, its municipality and a date window around it:
    # as a reporter narrows a search, and never empty
    haku = []
    for _, source_id, _, _, date, title in sampled:
        day = dt.date.fromisoformat(date)
        first = day - dt.timedelta(days=rng.randrange(365))
        last = day + dt.timedelta(days=rng.choice([31, 365, 1095]))
        word = max(title.split(), key=len)
        haku.append("/haku.json?" + qs({"q": word, "kunta": source_id,
                                        "alku": f"{first.day}.{first.month}.{first.year}",
                                        "loppu": last.isoformat()}))
    kohta = [f"/kohta/{urllib.parse.quote(i, safe='/')}" for i in ids]
    kokous = [f"/kokous/{r[2]}" for r in sampled]
    diaari = [f"/diaari/{r[1]}/{r[3]}" for r in sampled]
    # the newest decisions, of everybody and of one municipality (the canned query
    # behind "Uusimmat päätökset")
    latest = [f"/{name}/latest_decisions.json?" + qs({"kunta": "" if i % 2 else r[1]})
              for i, r in enumerate(sampled)]
    # the canned search feed (Atom; its JSON here): the 50 newest matches of a query
    feed = [f"/{name}/feed_search.json?{qs({'q': q})}" for q in archive.search_queries(count)]
    return {"search": search, "filter": filters, "facet": facets, "row": rows,
            "haku": haku, "kohta": kohta, "kokous": kokous, "diaari": diaari,
            "latest": latest, "feed": feed}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure(port: int, sets: dict[str, list[str]], name: str) -> None:
    """Time each request once (after one warm-up request of the kind); print per kind."""
    baseline = []
    for _ in range(30):
        seconds, status, _ = get(port, f"/{name}.json?sql=select+1")
        assert status == 200
        baseline.append(seconds)
    base = statistics.median(baseline)
    print(f"{'kind':<9}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p50/base':>10}  errors")
    print(f"{'baseline':<9}{len(baseline):>4}{base * 1000:>9.1f}"
          f"{percentile(baseline, 95) * 1000:>9.1f}{max(baseline) * 1000:>9.1f}{1:>10.1f}"
          "  (select 1)")
    for kind, paths in sets.items():
        get(port, paths[0])  # warm-up: not counted
        times, errors, rows = [], 0, 0
        for path in paths:
            seconds, status, body = get(port, path)
            times.append(seconds)
            if status != 200:
                errors += 1
            else:
                try:
                    data = json.loads(body)
                except ValueError:  # an HTML page: one document
                    rows += 1
                    continue
                rows += len(data.get("rows") or []) if isinstance(data, dict) else 0
        p50 = statistics.median(times)
        print(f"{kind:<9}{len(times):>4}{p50 * 1000:>9.1f}{percentile(times, 95) * 1000:>9.1f}"
              f"{max(times) * 1000:>9.1f}{p50 / base:>10.1f}  {errors} (rows {rows})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--words", type=int, default=250, help="mean words per item")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="serve an existing --db file as it is (no generation, no load)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="lemmatising worker processes (1: in this process)")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=50, help="requests of each kind")
    parser.add_argument("--setting", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a Datasette setting (repeatable)")
    args = parser.parse_args()
    settings = {**SETTINGS, **dict(args.setting)}
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "kokousarkisto.db"
        if not (args.reuse and path.exists()):
            build(path, args.items, args.words, args.seed, args.jobs, args.batch)
        else:
            print(f"reusing {path} ({path.stat().st_size / 2**20:.0f} MiB)")
        archive = Archive(args.items, args.words, args.seed)
        sets = request_sets(path, archive, args.queries)
        with datasette(path, settings) as port:
            measure(port, sets, path.stem)


if __name__ == "__main__":
    main()
