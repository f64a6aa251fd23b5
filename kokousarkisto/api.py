"""The library API behind the command line: each CLI command is one call here."""

from __future__ import annotations

from pathlib import Path

from db.schema import open_db
from parsers.dynasty_item_html import parse_item_html
from parsers.dynasty_item_pdf import parse_item_pdf
from parsers.records import ItemRecord
from scraper.archive import RawArchive
from scraper.harvest import RECHECK_DAYS, Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient
from scraper.lock import harvest_lock
from scraper.reparse import ReparseSummary
from scraper.reparse import reparse as reparse_archive
from scraper.sources import Source


def default_archive_dir(db_path: str | Path) -> Path:
    """The raw archive lives beside the database: ``archive.db`` → ``archive.raw/``."""
    path = Path(db_path)
    return path.with_name(path.stem + ".raw")


def harvest(db_path: str | Path, sources: list[Source], *, policy: FetchPolicy | None = None,
            archive_dir: str | Path | None = None,
            recheck_days: int = RECHECK_DAYS) -> RunSummary:
    """Harvest ``sources`` into the database at ``db_path`` and return the run's summary.

    Raises :class:`HarvestLocked` at once when another harvest runs on the same file.
    """
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with harvest_lock(db_path):
        db = open_db(db_path)
        try:
            archive = RawArchive(archive_dir or default_archive_dir(db_path))
            client = HttpClient(policy or FetchPolicy())
            return Harvester(db, client, archive, recheck_days=recheck_days).run(sources)
        finally:
            db.close()


def parse_bytes(data: bytes, url: str | None = None) -> ItemRecord:
    """Parse a saved item page, choosing the parser by content: PDF or HTML."""
    if data.lstrip()[:5] == b"%PDF-":
        return parse_item_pdf(data, url=url)
    return parse_item_html(data, url=url)


def parse_file(path: str | Path) -> ItemRecord:
    return parse_bytes(Path(path).read_bytes(), url=None)


def reparse(db_path: str | Path, archive_dir: str | Path | None = None) -> ReparseSummary:
    """Re-parse every stored item from the raw archive (no network), under the harvest lock."""
    with harvest_lock(db_path):
        db = open_db(db_path)
        try:
            return reparse_archive(db, RawArchive(archive_dir or default_archive_dir(db_path)))
        finally:
            db.close()
