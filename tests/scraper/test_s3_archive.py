"""The raw archive in an S3-compatible object store, tested against a real server
(s3rver on 127.0.0.1, objects on disk): bytes round-trip, a restarted server still has
them, and a harvest into it stores the same database as one into a local directory."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest

from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.archive import ArchiveUnavailable, RawArchive, open_archive
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.s3server import S3Server, require_s3rver
from tests.scraper.test_kill9 import content

FAST = FetchPolicy(min_interval=0, retries=0)


@pytest.fixture
def s3(tmp_path, monkeypatch):
    require_s3rver()
    with S3Server(tmp_path / "s3data") as server:
        server.create_bucket("kokous")
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        yield server


def test_bytes_round_trip_and_survive_a_restarted_server(s3):
    archive = open_archive("s3://kokous/arkisto/raw")
    assert archive.location == "s3://kokous/arkisto/raw" and archive.local_dir is None
    blobs = [b"", b"\x00\xff" * 70_000, "Päätös: hyväksyttiin".encode("cp1252"),
             os.urandom(3 * 1024 * 1024)]
    digests = [archive.put(blob) for blob in blobs]
    assert digests == [hashlib.sha256(b).hexdigest() for b in blobs]
    assert [archive.get(d) for d in digests] == blobs
    assert all(d in archive for d in digests)
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert missing not in archive
    with pytest.raises(FileNotFoundError):
        archive.get(missing)
    # idempotent: the same bytes again are one object, unchanged
    assert archive.put(blobs[1]) == digests[1]
    objects = list((s3.directory / "kokous" / "arkisto" / "raw").rglob("*._S3rver_object"))
    assert len(objects) == len(blobs)

    s3.restart()
    # the same archive object (its connections to the old process are gone) ...
    assert [archive.get(d) for d in digests] == blobs
    # ... and a new one see every blob
    assert [open_archive("s3://kokous/arkisto/raw").get(d) for d in digests] == blobs


def test_a_wrong_bucket_or_a_stopped_server_is_one_clear_error(s3):
    with pytest.raises(ArchiveUnavailable, match="bucket 'puuttuu' does not exist") as wrong:
        open_archive("s3://puuttuu/raw")
    assert not wrong.value.temporary
    archive = open_archive("s3://kokous/raw")
    s3.stop()
    with pytest.raises(ArchiveUnavailable) as down:
        archive.put(b"while the server is down")
    assert down.value.temporary and isinstance(down.value, OSError)


def test_harvest_into_s3_equals_harvest_into_a_directory(s3, tmp_path):
    with DemoServer() as site:
        sources = [Source(id="demo", base_url=site.base_url, name="Demo")]
        into_s3 = api.harvest(tmp_path / "s3.db", sources, policy=FAST,
                              archive="s3://kokous/demo")
        local = api.harvest(tmp_path / "local.db", sources, policy=FAST)
        again = api.harvest(tmp_path / "s3.db", sources, policy=FAST, archive="s3://kokous/demo")
    assert into_s3.exit_code == local.exit_code == 0
    assert into_s3.new_items == len(expected_items())
    assert content(tmp_path / "s3.db") == content(tmp_path / "local.db")
    # the second run is answered by 304s from the object store's copies
    assert (again.new_items, again.updated_items, again.failed) == (0, 0, 0)
    # every blob the database names is in the bucket, byte for byte as in the directory
    s3_archive = open_archive("s3://kokous/demo")
    local_archive = RawArchive(api.default_archive_dir(tmp_path / "local.db"))
    shas = [r[0] for r in sqlite3.connect(tmp_path / "s3.db").execute(
        "select sha256 from raw_documents")]
    assert shas and all(s3_archive.get(s) == local_archive.get(s) for s in shas)
    assert not api.default_archive_dir(tmp_path / "s3.db").exists()


def test_reparse_reads_from_the_object_store_through_the_cli(s3, tmp_path):
    db_path = tmp_path / "k.db"
    with DemoServer() as site:
        harvest = subprocess.run(
            [sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db", str(db_path),
             "--source", f"demo={site.base_url}", "--delay", "0", "--archive",
             "s3://kokous/cli"], capture_output=True, text=True)
    assert harvest.returncode == 0, harvest.stderr
    conn = sqlite3.connect(db_path)
    conn.execute("update items set proposal = null")
    conn.commit()
    conn.close()
    s3.restart()  # the archive outlives its server process
    reparse = subprocess.run(
        [sys.executable, "-m", "kokousarkisto.cli", "reparse", "--db", str(db_path),
         "--archive", "s3://kokous/cli", "--jobs", "1"], capture_output=True, text=True)
    assert reparse.returncode == 0, reparse.stderr
    assert f"items={len(expected_items())} " in reparse.stdout
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from items where proposal is null").fetchone()[0] == 0
    # the parse cache of a remote archive is a local file beside the database
    assert (tmp_path / "k.parse-cache" / "parse-cache.sqlite").is_file()
    wrong = subprocess.run(
        [sys.executable, "-m", "kokousarkisto.cli", "reparse", "--db", str(db_path),
         "--archive", "s3://puuttuu/x"], capture_output=True, text=True)
    assert wrong.returncode == 2
    assert wrong.stderr.strip().startswith("error: raw archive: s3://puuttuu/x: bucket")


def test_serve_tells_the_plugin_where_the_archive_is(tmp_path):
    from kokousarkisto.publish import load_metadata, with_archive

    metadata = load_metadata(tmp_path / "kunnat.db")
    served = with_archive(metadata, "s3://kokous/arkisto")
    assert served["plugins"]["kokousarkisto"]["archive"] == "s3://kokous/arkisto"
    assert "kokousarkisto" not in (metadata.get("plugins") or {})  # a copy, not a change
    assert served["databases"] == metadata["databases"]


def _served(db_path, archive: str | None, *paths: str):
    """Datasette as ``serve --archive`` starts it (the plugin told where the archive is)."""
    import asyncio

    from datasette.app import Datasette

    from kokousarkisto.publish import load_metadata, with_archive

    metadata = load_metadata(db_path)
    if archive is not None:
        metadata = with_archive(metadata, archive)
    ds = Datasette([str(db_path)], metadata=metadata)

    async def fetch():
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(fetch())


def test_the_archived_originals_are_served_from_the_object_store(s3, tmp_path):
    db_path = tmp_path / "kunnat.db"
    with DemoServer() as site:
        summary = api.harvest(db_path, [Source(id="demo", base_url=site.base_url)],
                              policy=FAST, archive="s3://kokous/julkinen")
    assert summary.exit_code == 0
    html_sha, pdf_sha = sqlite3.connect(db_path).execute(
        "select html_sha256, pdf_sha256 from items where pdf_sha256 is not null").fetchone()
    html, pdf = _served(db_path, "s3://kokous/julkinen", f"/arkisto/{html_sha}",
                        f"/arkisto/{pdf_sha}")
    assert html.status_code == pdf.status_code == 200
    assert hashlib.sha256(html.content).hexdigest() == html_sha
    assert hashlib.sha256(pdf.content).hexdigest() == pdf_sha
    assert pdf.headers["content-type"].startswith("application/pdf")
    # without --archive the server looks beside the database, where nothing is: a
    # Finnish page that says so, not a 500
    (beside,) = _served(db_path, None, f"/arkisto/{pdf_sha}")
    assert beside.status_code == 404 and "ei ole tällä palvelimella" in beside.text
    # the object store down: the page says so and the server keeps answering
    s3.stop()
    (down,) = _served(db_path, "s3://kokous/julkinen", f"/arkisto/{pdf_sha}")
    assert down.status_code == 404 and "<html" in down.text.lower()


def test_a_moved_local_archive_and_a_damaged_copy(tmp_path):
    db_path = tmp_path / "kunnat.db"
    with DemoServer() as site:
        assert api.harvest(db_path, [Source(id="demo", base_url=site.base_url)],
                           policy=FAST).exit_code == 0
    moved = tmp_path / "levy2" / "raaka"
    moved.parent.mkdir()
    api.default_archive_dir(db_path).rename(moved)
    (pdf_sha,) = sqlite3.connect(db_path).execute(
        "select pdf_sha256 from items where pdf_sha256 is not null").fetchone()
    (ok,) = _served(db_path, str(moved), f"/arkisto/{pdf_sha}")
    assert ok.status_code == 200 and hashlib.sha256(ok.content).hexdigest() == pdf_sha
    # a damaged copy is never served as the original
    blob = moved / pdf_sha[:2] / pdf_sha
    blob.write_bytes(blob.read_bytes()[:100])
    (damaged,) = _served(db_path, str(moved), f"/arkisto/{pdf_sha}")
    assert damaged.status_code == 404 and "vioittunut" in damaged.text
