"""The multi-municipality demo (Demola: Word-exported pages, Malliala: Dynasty 10
pages, Provby: Swedish; the same body names and case numbers) harvested from its three
loopback sites into one real SQLite file, served through Datasette's test client with the
package's templates as ``kokousarkisto serve`` serves them."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import ExitStack
from pathlib import Path

import pytest
from datasette.app import Datasette

from demosite import DemoServer
from demosite.towns import TOWNS
from kokousarkisto import api
from kokousarkisto.publish import TEMPLATE_DIR, load_metadata
from scraper.http import FetchPolicy
from scraper.sources import Source

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)


def harvest_towns(db_path: Path) -> Path:
    """What ``kokousarkisto demo`` harvests, into ``db_path``."""
    with ExitStack() as stack:
        sources = []
        for town in TOWNS:
            site = stack.enter_context(DemoServer(town=town))
            municipality = town.data.municipality
            sources.append(Source(id=town.id, base_url=site.base_url, name=municipality.name,
                                  municipality=municipality.short))
        summary = api.harvest(db_path, sources, policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return db_path


@pytest.fixture(scope="session")
def towns_db(tmp_path_factory) -> Path:
    """The three-town demo archive (named for the two that share everything)."""
    return harvest_towns(tmp_path_factory.mktemp("reporter") / "kunnat.db")


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of the database (and a link to its raw archive beside it)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    raw = src.with_name(src.stem + ".raw")
    if raw.exists():
        dst.with_name(dst.stem + ".raw").symlink_to(raw)
    return dst


def datasette_for(db_path: Path) -> Datasette:
    return Datasette([str(db_path)], metadata=load_metadata(db_path),
                     template_dir=str(TEMPLATE_DIR))


def get(ds: Datasette, *paths: str, follow: bool = False):
    async def fetch():
        return [await ds.client.get(p, follow_redirects=follow) for p in paths]

    return asyncio.run(fetch())


def query(db_path: Path, sql: str, params=()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
