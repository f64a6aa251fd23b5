"""Datasette publication: the project's ``metadata.yml`` fitted to a database file."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
METADATA_PATH = REPO_ROOT / "metadata.yml"
#: the database name ``metadata.yml`` describes; other file names get the same text
METADATA_DB_NAME = "kokousarkisto"
#: ``--template-dir``: ``row.html`` shows an ``items`` row as a document (any database name)
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def load_metadata(db_path: str | Path, metadata_path: str | Path = METADATA_PATH) -> dict[str, Any]:
    """Load ``metadata.yml`` with its database section renamed to this file's stem.

    Datasette names a database after its file; the descriptions, facets and queries
    written for ``kokousarkisto`` apply to whatever the operator called the file.
    """
    metadata = yaml.safe_load(Path(metadata_path).read_text(encoding="utf-8")) or {}
    name = Path(db_path).stem
    databases = metadata.get("databases") or {}
    if METADATA_DB_NAME in databases and name != METADATA_DB_NAME:
        databases = copy.deepcopy(databases)
        databases[name] = databases.pop(METADATA_DB_NAME)
        metadata["databases"] = databases
    return metadata


def with_archive(metadata: dict[str, Any], archive: str) -> dict[str, Any]:
    """``metadata`` telling the plugin where the raw archive is (a directory or
    ``s3://bucket/prefix``): ``plugins: {kokousarkisto: {archive: ...}}``."""
    metadata = copy.deepcopy(metadata)
    plugins = metadata.setdefault("plugins", {})
    plugins.setdefault("kokousarkisto", {})["archive"] = archive
    return metadata


def is_publish(datasette: Any) -> bool:
    """Whether ``datasette`` serves for the public (``serve --publish``)."""
    return bool((datasette.plugin_config(PLUGIN_KEY) or {}).get("publish"))


def publish_routes(datasette: Any) -> list[tuple[str, Any]]:
    """Under ``serve --publish`` (:func:`publish_metadata`), ``/-/databases`` and
    ``/-/metadata`` answer without paths on the server (the database file's, the raw
    archive's); otherwise no routes."""
    from datasette.utils.asgi import Response

    if not is_publish(datasette):
        return []

    async def databases(request: Any) -> Response:
        return Response.json([{k: v for k, v in d.items() if k != "path"}
                              for d in datasette._connected_databases()])

    async def metadata(request: Any) -> Response:
        data = copy.deepcopy(datasette.metadata())
        (data.get("plugins") or {}).pop(PLUGIN_KEY, None)
        return Response.json(data)

    return [(r"^/-/databases(\.json)?$", databases), (r"^/-/metadata(\.json)?$", metadata)]


#: every ``serve``: a runaway query stops after 3 s; 50 rows a page
SETTINGS = {"sql_time_limit_ms": "3000", "facet_time_limit_ms": "500",
            "default_page_size": "50"}
#: ``serve --publish`` on top, chosen by ``benchmarks/bench_scale.py`` on 1,000,000 items
#: (2 cores): ``suggest_facets off`` takes facet pages' p50 from ~600 ms to ~30 ms and
#: filters' p95 from ~210 ms to ~16 ms (suggestions count every column's values on
#: every table page); ``facet_time_limit_ms 200`` takes facet pages' p95 from ~1.3 s to
#: ~0.8 s (a facet over most of the table is then left out, not waited for).
#: ``cache_size_kb`` and ``num_sql_threads`` made no measurable difference.
#: ``default_allow_sql off``: no arbitrary SQL for the public. The canned queries and
#: table pages stay; an arbitrary query could hold one of the few SQL threads for the
#: whole time limit per request (three attackers in a loop starved every reader), and
#: researchers who want SQL copy the file (README "Publishing safely").
PUBLISH_SETTINGS = {"suggest_facets": "off", "facet_time_limit_ms": "200",
                    "default_allow_sql": "off"}
#: the harvest's bookkeeping, not for the public: every fetched URL with its headers and
#: errors, and the PDF parses
PRIVATE_TABLES = ("fetches", "pdf_parses")
#: the plugin's own configuration key in ``metadata["plugins"]``
PLUGIN_KEY = "kokousarkisto"


def publish_metadata(metadata: dict[str, Any], db_path: str | Path) -> dict[str, Any]:
    """``metadata`` for ``serve --publish``: :data:`PRIVATE_TABLES` denied to everyone,
    and the plugin told to hide server paths (``/-/databases``)."""
    metadata = copy.deepcopy(metadata)
    metadata.setdefault("plugins", {}).setdefault(PLUGIN_KEY, {})["publish"] = True
    database = metadata.setdefault("databases", {}).setdefault(Path(db_path).stem, {})
    tables = database.setdefault("tables", {})
    for table in PRIVATE_TABLES:
        tables.setdefault(table, {})["allow"] = False
    return metadata


def serve_settings(publish: bool, settings: dict[str, str] | None = None) -> dict[str, str]:
    """Datasette's settings for ``serve``: :data:`SETTINGS`, :data:`PUBLISH_SETTINGS` on
    top when ``publish``, ``settings`` over both."""
    return {**SETTINGS, **(PUBLISH_SETTINGS if publish else {}), **(settings or {})}


def datasette_command(db_path: str | Path, metadata_file: str | Path, *, host: str, port: int,
                      publish: bool = False,
                      inspect_file: str | Path | None = None,
                      settings: dict[str, str] | None = None) -> list[str]:
    """The ``datasette serve`` argument list; server settings live here, not in metadata.

    ``publish`` serves the file immutable (``-i``: read-only, no locking, row counts and
    table lists from ``inspect_file`` — ``datasette inspect`` output — when given) with
    :data:`PUBLISH_SETTINGS`; ``settings`` override both.
    """
    chosen = serve_settings(publish, settings)
    args = ["serve", str(db_path), "--metadata", str(metadata_file), "--host", host,
            "--port", str(port), "--template-dir", str(TEMPLATE_DIR)]
    for name, value in chosen.items():
        args += ["--setting", name, value]
    if publish:
        args[1:2] = ["-i", str(db_path)]
        if inspect_file is not None:
            args += ["--inspect-file", str(inspect_file)]
    return args


def inspect_command(db_path: str | Path, inspect_file: str | Path) -> list[str]:
    """The ``datasette inspect`` argument list that writes ``inspect_file`` for ``-i``."""
    return ["inspect", str(db_path), "--inspect-file", str(inspect_file)]


class PublishRefused(RuntimeError):
    """The file is not in a state that can be served immutable; the message says why
    and what to do."""


def wal_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}-wal")


def checkpoint(conn: sqlite3.Connection) -> bool:
    """Move every committed page from the write-ahead log into the database file and
    empty the log (``wal_checkpoint(TRUNCATE)``); ``False`` when a reader kept it
    from finishing. The harvest and ``reparse`` do this when they end, so the ``.db``
    file alone holds everything they committed."""
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def ready_to_publish(db_path: str | Path, harvest_running: bool) -> None:
    """Make sure ``db_path`` can be served immutable, or raise :class:`PublishRefused`.

    Immutable mode reads the ``.db`` file alone, without locks and without the
    write-ahead log: a file a harvest is writing, or one whose committed pages still sit
    in its ``-wal`` file, would be served wrong (``database disk image is malformed``,
    missing items). A log left by an interrupted run is checkpointed here when no harvest
    holds the lock; if a reader keeps it from finishing, publishing is refused.
    """
    if harvest_running:
        raise PublishRefused(f"a harvest is writing {db_path}; publish a copy "
                             "(README: Publishing safely) or wait until it ends")
    wal = wal_path(db_path)
    if not wal.exists() or wal.stat().st_size == 0:
        return
    conn = sqlite3.connect(db_path)
    try:
        done = checkpoint(conn)
    finally:
        conn.close()
    if not done or (wal.exists() and wal.stat().st_size > 0):
        raise PublishRefused(
            f"{db_path} has a live write-ahead log ({wal.name}, {wal.stat().st_size} "
            "bytes) that another process keeps open; publish a safe copy instead "
            "(sqlite3 FILE '.backup COPY' or VACUUM INTO, README: Publishing safely)")
