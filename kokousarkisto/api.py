"""The library API behind the command line: each CLI command is one call here."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import parsers
from db import bulk, fts
from db.schema import open_db
from db.status import SourceStatus, open_readonly, source_statuses, unfinished_latest_run
from kokousarkisto.check_corpus import CorpusReport
from kokousarkisto.check_corpus import check_corpus as run_corpus_check
from kokousarkisto.check_corpus import parse_page as parse_any_page
from kokousarkisto.publish import checkpoint, ready_to_publish
from parsers.records import FeedRecord, ItemRecord, MinutesRecord, Record
from scraper.archive import ArchiveDamaged, RawArchive, open_archive
from scraper.backfill import BackfillHarvester, BackfillStats
from scraper.budget import DEFAULT_SOURCE_SECONDS
from scraper.config import CatalogEntry, catalog, load_config
from scraper.harvest import RECHECK_DAYS, Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient
from scraper.lock import harvest_lock, lock_path
from scraper.parse_cache import ParseCache
from scraper.reparse import ReparseSummary
from scraper.reparse import reparse as reparse_archive
from scraper.schedule import DEFAULT_CONCURRENCY
from scraper.sources import Source


def default_archive_dir(db_path: str | Path) -> Path:
    """The raw archive lives beside the database: ``archive.db`` → ``archive.raw/``."""
    path = Path(db_path)
    return path.with_name(path.stem + ".raw")


def archive_for(db_path: str | Path, archive: str | Path | None = None) -> RawArchive:
    """The raw archive an ``--archive`` value names (a directory or
    ``s3://bucket/prefix``), by default the directory beside the database. An object
    store is checked at once (:class:`scraper.s3store.ArchiveUnavailable`)."""
    return open_archive(archive or default_archive_dir(db_path))


def parse_cache_dir(db_path: str | Path, archive: RawArchive) -> Path:
    """Where the parse cache of ``archive`` lives: inside a local archive, beside the
    database for an object store (``<name>.parse-cache/``): it is a local speed-up."""
    if archive.local_dir is not None:
        return archive.local_dir
    path = Path(db_path)
    local = path.with_name(path.stem + ".parse-cache")
    local.mkdir(parents=True, exist_ok=True)
    return local


def host_clients(plan: list[tuple[Source, FetchPolicy]]) -> Callable[[Source], HttpClient]:
    """Each source's HTTP client: one per host and policy, made when first asked for.

    A client throttles, retries and honours ``Retry-After`` per host, so giving every
    host its own keeps one host's waits out of the others' (and out of their threads).
    """
    policies = {source.id: policy for source, policy in plan}
    made: dict[tuple, HttpClient] = {}

    def client_for(source: Source) -> HttpClient:
        policy = policies.get(source.id) or FetchPolicy()
        key = (source.host, dataclasses.astuple(policy))
        if key not in made:
            made[key] = HttpClient(policy)
        return made[key]

    return client_for


def harvest(db_path: str | Path, sources: list[Source], *, policy: FetchPolicy | None = None,
            archive: str | Path | None = None,
            recheck_days: int = RECHECK_DAYS,
            progress: Callable[[str, str], None] | None = None,
            concurrency: int = DEFAULT_CONCURRENCY) -> RunSummary:
    """Harvest ``sources`` into the database at ``db_path`` and return the run's summary.

    Raises :class:`HarvestLocked` at once when another harvest runs on the same file.
    ``progress`` is told ``(source id, item status)`` after each item. Up to
    ``concurrency`` hosts are fetched at the same time.
    """
    return harvest_plan(db_path, [(s, policy or FetchPolicy()) for s in sources],
                        archive=archive, recheck_days=recheck_days, progress=progress,
                        concurrency=concurrency)


#: what ``kokousarkisto parse --kind`` accepts: every page kind of the parsers
PAGE_KINDS = tuple(parsers.KINDS)


def parse_file(path: str | Path, *, kind: str | None = None,
               url: str | None = None) -> tuple[str, Record]:
    """Parse one saved page: ``(kind, record)``.

    Without ``kind`` the content decides (a PDF is an item PDF; an HTML page is told by
    Dynasty's body class, then by ``url`` or else the file's name, e.g. ``TELIN-5.HTM``);
    ``minutes_pdf`` splits a whole agenda or minutes PDF into its items. ``url`` is the
    page's address, for absolute links; relative links stay relative without it.
    """
    data = Path(path).read_bytes()
    kind = kind or parsers.detect_kind(data, url or Path(path).name)
    return kind, parsers.parse(kind, data, url=url)


def with_facts(record: Record) -> dict[str, Any]:
    """``record.to_dict()`` with the facts of each item (``parsers.handling_facts``):
    ``facts`` beside the item's own texts and inside each earlier handling, whose ISO
    date stays beside them; records without items are returned as they are."""
    data = record.to_dict()
    if isinstance(record, ItemRecord):
        _add_facts(record, data)
    elif isinstance(record, MinutesRecord):
        for item, item_data in zip(record.items, data["items"], strict=True):
            _add_facts(item, item_data)
    return data


def _add_facts(item: ItemRecord, data: dict[str, Any]) -> None:
    data["facts"] = parsers.handling_facts(item.proposal, item.decision, item.discussion,
                                           item.background).to_dict()
    data["facts"]["case_key"] = parsers.case_key(item.case_number_raw or item.case_number)
    for handling, handling_data in zip(item.previous_handlings, data["previous_handlings"],
                                       strict=True):
        handling_data["facts"] = parsers.handling_facts(
            handling.proposal, handling.decision, handling.discussion).to_dict()


def reparse(db_path: str | Path, archive: str | Path | None = None, *,
            jobs: int | None = None, use_cache: bool = True) -> ReparseSummary:
    """Re-parse every stored item from the raw archive (no network), under the harvest lock.

    Parsing runs on ``jobs`` processes (default: every core). Results are cached
    (``parse-cache.sqlite``, never published; :func:`parse_cache_dir`) by input sha256
    and parser version, so unchanged bytes are not parsed twice; entries of older parser
    versions are pruned afterwards. ``use_cache=False`` neither reads nor writes it.
    """
    raw = archive_for(db_path, archive)
    with harvest_lock(db_path):
        db = open_db(db_path)
        cache = ParseCache.in_archive(parse_cache_dir(db_path, raw)) if use_cache else None
        try:
            summary = reparse_archive(db, raw, jobs=jobs, cache=cache)
            if cache is not None:
                cache.prune()
            return summary
        finally:
            if cache is not None:
                cache.close()
            with contextlib.suppress(sqlite3.Error):
                checkpoint(db.conn)
            db.close()


def harvest_plan(db_path: str | Path, plan: list[tuple[Source, FetchPolicy]], *,
                 archive: str | Path | None = None,
                 recheck_days: int = RECHECK_DAYS,
                 progress: Callable[[str, str], None] | None = None,
                 concurrency: int = DEFAULT_CONCURRENCY,
                 source_seconds: float | None = DEFAULT_SOURCE_SECONDS) -> RunSummary:
    """Harvest sources that may each have their own fetch policy (a config file's
    per-source ``delay`` or ``contact``) in one run, up to ``concurrency`` hosts at
    once, each host with its own client (:func:`host_clients`) and at most
    ``source_seconds`` of the run (:mod:`scraper.budget`; ``None``: unlimited)."""
    return _harvest(db_path, plan, Harvester, archive=archive,
                    recheck_days=recheck_days, progress=progress,
                    concurrency=concurrency, source_seconds=source_seconds)[0]


def _harvest(db_path: str | Path, plan: list[tuple[Source, FetchPolicy]],
             kind: type[Harvester], *, archive: str | Path | None, recheck_days: int,
             concurrency: int, progress: Callable[[str, str], None] | None = None,
             **options: Any) -> tuple[RunSummary, Harvester]:
    """One run of a ``kind`` of harvester over ``plan``, under the harvest lock."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    raw = archive_for(db_path, archive)
    with harvest_lock(db_path):
        db = open_db(db_path)
        try:
            harvester = kind(db, host_clients(plan), raw, recheck_days=recheck_days,
                             progress=progress, concurrency=concurrency, **options)
            return harvester.run([source for source, _ in plan]), harvester
        finally:
            with contextlib.suppress(sqlite3.Error):  # the .db file alone holds the run
                checkpoint(db.conn)
            db.close()


def list_sources(config_path: str | Path | None = None) -> list[CatalogEntry]:
    """The built-in registry merged with a config file. Raises :class:`ConfigError`."""
    return catalog(load_config(config_path) if config_path else None)


@dataclasses.dataclass
class StatusReport:
    sources: list[SourceStatus]
    running_run: int | None = None  # a harvest holding the lock is writing this run
    #: a bulk load died before its search-index rebuild (``serve`` finishes it)
    bulk_load_pending: bool = False

    @property
    def broken(self) -> list[str]:
        return [s.id for s in self.sources if s.broken]


def harvest_running(db_path: str | Path) -> bool:
    """True while a harvest holds the database's lock.

    Probes with a shared lock on a read-only descriptor, released at once, so nothing
    is written (a harvest starting in that instant would exit 75 and be retried).
    """
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock we got
    return False


def status(db_path: str | Path, archive: str | Path | None = None) -> StatusReport:
    """Per-source health of an archive, read only. Raises :class:`db.status.StatusError`.

    The items feeds each run saw are counted from the raw archive; without it that
    check is skipped. The run of a harvest going on right now is left out.
    """
    raw = archive_for(db_path, archive)

    def count_feed(sha256: str) -> int | None:
        try:
            data = raw.get(sha256)
        except (OSError, ArchiveDamaged):
            return None
        feed = parsers.parse("feed", data)
        assert isinstance(feed, FeedRecord)
        return sum(1 for entry in feed.entries if entry.dynasty_id)

    conn = open_readonly(db_path)
    try:
        unfinished = unfinished_latest_run(conn)
        running = unfinished if unfinished is not None and harvest_running(db_path) else None
        return StatusReport(source_statuses(conn, count_feed, skip_run=running), running,
                            bulk_load_pending(db_path))
    finally:
        conn.close()


def check_corpus(directory: str | Path,
                 golden_dirs: list[str | Path] | None = None) -> CorpusReport:
    """Parse every page of ``directory`` that has a golden file and compare field by field.

    Goldens are ``NAME.expected.json`` or ``NAME.golden.json`` in ``golden_dirs``
    (default: ``directory``); see :mod:`kokousarkisto.check_corpus`.
    """
    return run_corpus_check(directory, golden_dirs)


def parse_page(data: bytes, url: str | None = None, content_type: str | None = None,
               kind: str | None = None) -> tuple[str, Any]:
    """Parse any saved Dynasty page (item HTML or PDF, meeting page, body list, meeting
    list) with the parser its content calls for; returns ``(kind, record)``."""
    return parse_any_page(data, url=url, content_type=content_type, kind=kind)


def harvest_backfill(db_path: str | Path, plan: list[tuple[Source, FetchPolicy]],
                     since: date | str | None, *, archive: str | Path | None = None,
                     recheck_days: int = RECHECK_DAYS,
                     concurrency: int = DEFAULT_CONCURRENCY,
                     ) -> tuple[RunSummary, BackfillStats]:
    """Like :func:`harvest_plan`, and after each source's feeds walk its body and meeting
    lists for meetings on or after ``since`` and store every listed item not stored yet
    (:mod:`scraper.backfill`), hosts side by side. Returns the run summary and the
    backfill's counts.
    """
    summary, harvester = _harvest(db_path, plan, BackfillHarvester, archive=archive,
                                  recheck_days=recheck_days, concurrency=concurrency,
                                  since=since, source_seconds=None)
    assert isinstance(harvester, BackfillHarvester)
    return summary, harvester.stats


def bulk_load_pending(db_path: str | Path) -> bool:
    """Whether a bulk load died before its search-index rebuild (read only)."""
    try:
        conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute(f"select 1 from [{fts.META_TABLE}] where key = ?",
                            [bulk.PENDING_KEY]).fetchone() is not None
    except sqlite3.Error:  # no such table: no bulk load ever
        return False
    finally:
        conn.close()


def prepare_serve(db_path: str | Path, publish: bool) -> list[str]:
    """Get a database ready to serve; returns what was done, for the operator.

    A bulk load killed before its search-index rebuild is finished here (unless a
    harvest holds the file: then it is only reported). ``publish`` (immutable) also
    needs the file whole: :func:`kokousarkisto.publish.ready_to_publish` checkpoints a
    write-ahead log an interrupted run left, and raises
    :class:`kokousarkisto.publish.PublishRefused` when a harvest is writing or a
    reader keeps the log open.
    """
    notes = []
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:  # a file that is no SQLite database fails here, before Datasette starts
        conn.execute("select count(*) from sqlite_master").fetchone()
    finally:
        conn.close()
    running = harvest_running(db_path)
    if bulk_load_pending(db_path):
        if running:
            notes.append("an interrupted bulk load left the search index incomplete; "
                         "it is finished when the running harvest ends")
        else:
            db = open_db(db_path)  # finishes the rebuild (db.bulk.repair)
            try:
                checkpoint(db.conn)
            finally:
                db.close()
            notes.append("finished the search index an interrupted bulk load left")
    if publish:
        ready_to_publish(db_path, running)
    return notes
