"""Reparse on several processes and from the parse cache: the demo site over loopback HTTP
→ harvest → real database and raw archive → ``reparse`` with real worker processes.

Every test works on its own copy of one harvest. The parse functions that fail on one
item are real module-level functions (workers import them by name) that delegate to the
real parser for every other item.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.schema import open_db
from demosite import DemoServer, expected_items
from kokousarkisto import api
from kokousarkisto.cli import cli
from parsers import PARSER_VERSION, parse_item
from scraper.archive import RawArchive
from scraper.http import FetchPolicy
from scraper.parse_cache import CACHE_FILE, ItemInputs, ParseCache
from scraper.reparse import Parsers, reparse
from scraper.sources import Source

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
VICTIM = expected_items()[0]["item_id"]
LATER = "2031-01-01T00:00:00Z"


def fail_on_victim(html: bytes, **kwargs):
    if kwargs["url"].endswith(f"id={VICTIM}"):
        raise RuntimeError("parser blew up")
    return parse_item(html, **kwargs)


def die_on_victim(html: bytes, **kwargs):
    if kwargs["url"].endswith(f"id={VICTIM}"):
        os._exit(70)  # a worker killed mid-parse (out of memory, a crash in C)
    return parse_item(html, **kwargs)


@pytest.fixture(scope="module")
def harvested(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reparse") / "kokousarkisto.db"
    with DemoServer() as site:
        summary = api.harvest(path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                              policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return path


def copy_of(harvested: Path, folder: Path) -> Path:
    """The database and its raw archive, copied (without any parse cache)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / harvested.name
    src, dst = sqlite3.connect(harvested), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    shutil.copytree(api.default_archive_dir(harvested), api.default_archive_dir(path),
                    ignore=shutil.ignore_patterns(CACHE_FILE + "*"))
    return path


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, the full-text indexes' own tables included."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and sql not like "
            "'CREATE VIRTUAL TABLE%' and name not like 'sqlite_%' order by name")]
        return {t: conn.execute(f"select * from [{t}] order by 1").fetchall() for t in tables}
    finally:
        conn.close()


def damage(path: Path) -> None:
    """What a parser bug would have left: wrong titles, no proposals, no attachment text."""
    db = open_db(path)
    db.execute("update items set title = 'rikottu', proposal = null")
    db.execute("delete from attachment_pages")
    db.conn.commit()
    db.close()


def titles(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("select dynasty_id, title from items"))
    finally:
        conn.close()


def run(path: Path, **kwargs):
    db = open_db(path)
    try:
        return reparse(db, RawArchive(api.default_archive_dir(path)), lambda: LATER, **kwargs)
    finally:
        db.close()


def test_two_processes_write_exactly_what_one_writes(harvested, tmp_path):
    one, two = copy_of(harvested, tmp_path / "one"), copy_of(harvested, tmp_path / "two")
    for path in (one, two):
        damage(path)
    serial = run(one, jobs=1)
    parallel = run(two, jobs=2)
    items = len(expected_items())
    for summary in (serial, parallel):
        assert (summary.items, summary.updated, summary.failed) == (items, items, 0)
        assert summary.attachments >= 3 and summary.cached == 0
    assert (serial.jobs, parallel.jobs) == (1, 2)
    assert snapshot(one) == snapshot(two)
    assert titles(two) == titles(harvested)
    pages = snapshot(two)["attachment_pages"]
    assert pages and pages == snapshot(harvested)["attachment_pages"]


def test_a_second_reparse_takes_every_item_and_attachment_from_the_cache(harvested, tmp_path):
    path = copy_of(harvested, tmp_path)
    before = snapshot(path)
    first = api.reparse(path, jobs=2)
    assert (first.cached, first.attachments_cached, first.failed) == (0, 0, 0)
    assert (api.default_archive_dir(path) / CACHE_FILE).is_file()
    assert "parse_cache" not in snapshot(path)  # the published database never holds it
    second = api.reparse(path, jobs=2)
    assert second.items == second.cached == len(expected_items())
    assert second.attachments == second.attachments_cached == first.attachments >= 3
    assert (second.updated, second.failed) == (0, 0)
    assert snapshot(path) == before
    # not parsed, not even by the parent process: a tampered entry comes back as stored
    tamper(path, VICTIM)
    tampered = api.reparse(path, jobs=1)
    assert (tampered.updated, tampered.cached) == (1, len(expected_items()))
    assert titles(path)[VICTIM] == "PEUKALOITU"
    # a changed argument of the parse (here the PDF's URL) is another key: parsed again
    db = open_db(path)
    db.execute("update items set pdf_url = pdf_url || '?v=2' where dynasty_id = ?", [VICTIM])
    db.conn.commit()
    db.close()
    changed = api.reparse(path, jobs=1)
    assert changed.cached == len(expected_items()) - 1
    assert titles(path)[VICTIM] == titles(harvested)[VICTIM]


def tamper(db_path: Path, dynasty_id: str, parser_version: str = PARSER_VERSION) -> None:
    """Rewrite the title in the cache entry of one item, found by its key's arguments."""
    conn = sqlite3.connect(db_path)
    args = conn.execute(
        "select html_sha256, url, content_type, pdf_sha256, pdf_url from items "
        "join raw_documents on raw_documents.sha256 = items.html_sha256 "
        "where dynasty_id = ?", [dynasty_id]).fetchone()
    conn.close()
    cache_file = api.default_archive_dir(db_path) / CACHE_FILE
    with ParseCache(cache_file, parser_version=parser_version) as cache:
        key = cache.item_key(ItemInputs(*args))
    conn = sqlite3.connect(cache_file)
    (value,) = conn.execute("select value from parse_cache where key = ?", [key]).fetchone()
    value = json.loads(value)
    value["record"]["title"] = "PEUKALOITU"
    conn.execute("update parse_cache set value = ? where key = ?", [json.dumps(value), key])
    conn.commit()
    conn.close()


def test_a_new_parser_version_misses_and_prunes_the_old_entries(harvested, tmp_path):
    path = copy_of(harvested, tmp_path)
    api.reparse(path, jobs=1)
    cache_file = api.default_archive_dir(path) / CACHE_FILE
    tamper(path, VICTIM)
    with ParseCache(cache_file, parser_version=PARSER_VERSION + "+next") as cache:
        summary = run(path, jobs=2, cache=cache)
        assert (summary.cached, summary.attachments_cached, summary.failed) == (0, 0, 0)
        assert titles(path)[VICTIM] == titles(harvested)[VICTIM]
        assert cache.prune() > len(expected_items())
    assert versions(cache_file) == {PARSER_VERSION + "+next"}
    # back on the current version (its entries were pruned): parsed again, the others go
    back = api.reparse(path, jobs=1)
    assert (back.cached, back.failed) == (0, 0)
    assert versions(cache_file) == {PARSER_VERSION}


def versions(cache_file: Path) -> set[str]:
    conn = sqlite3.connect(cache_file)
    try:
        return {v for (v,) in conn.execute("select distinct parser_version from parse_cache")}
    finally:
        conn.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_item_whose_parser_raises_fails_alone(harvested, tmp_path, jobs):
    path = copy_of(harvested, tmp_path)
    damage(path)
    with ParseCache.in_archive(api.default_archive_dir(path)) as cache:
        summary = run(path, jobs=jobs, cache=cache, parsers=Parsers(item=fail_on_victim))
    assert (summary.items, summary.failed) == (len(expected_items()), 1)
    assert summary.failures == [f"demo/{VICTIM}: RuntimeError: parser blew up"]
    assert summary.updated == len(expected_items()) - 1
    now = titles(path)
    assert now[VICTIM] == "rikottu"
    assert {k: v for k, v in now.items() if k != VICTIM} == {
        k: v for k, v in titles(harvested).items() if k != VICTIM}
    # nothing was cached for the failed item: the next run parses just that one
    again = api.reparse(path, jobs=jobs)
    assert (again.cached, again.updated, again.failed) == (len(expected_items()) - 1, 1, 0)
    assert titles(path) == titles(harvested)


def test_a_worker_that_dies_costs_only_its_own_item(harvested, tmp_path):
    path = copy_of(harvested, tmp_path)
    damage(path)
    summary = run(path, jobs=2, parsers=Parsers(item=die_on_victim))
    assert summary.failed == 1 and summary.failures[0].startswith(f"demo/{VICTIM}: Broken")
    assert summary.updated == len(expected_items()) - 1
    assert [k for k, v in titles(path).items() if v == "rikottu"] == [VICTIM]


def test_an_item_whose_page_left_the_archive_fails_even_when_cached(harvested, tmp_path):
    path = copy_of(harvested, tmp_path)
    api.reparse(path, jobs=1)
    db = open_db(path)
    sha = db.execute("select html_sha256 from items where dynasty_id = ?", [VICTIM]).fetchone()[0]
    db.close()
    archive = RawArchive(api.default_archive_dir(path))
    (archive.root / archive.relative_path(sha)).unlink()
    summary = api.reparse(path, jobs=2)
    assert (summary.failed, summary.cached) == (1, len(expected_items()) - 1)
    assert "not in the raw archive" in summary.failures[0]


def test_the_command_line_takes_jobs_and_no_cache(harvested, tmp_path):
    path = copy_of(harvested, tmp_path)
    runner = CliRunner()
    items = len(expected_items())
    lines = []
    for args in (["--jobs", "2"], ["--jobs", "2"], ["--jobs", "1", "--no-cache"]):
        result = runner.invoke(cli, ["reparse", "--db", str(path), *args])
        assert result.exit_code == 0, result.output
        lines.append(result.output.strip())
    assert lines[0].startswith(f"reparse: items={items} updated=0 failed=0 cached=0 ")
    assert f"cached={items} " in lines[1] and " jobs=2 " in lines[1]
    assert "cached=0 " in lines[2] and " jobs=1 " in lines[2]
    assert runner.invoke(cli, ["reparse", "--db", str(path), "--jobs", "0"]).exit_code == 2
