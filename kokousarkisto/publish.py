"""Datasette publication: the project's ``metadata.yml`` fitted to a database file."""

from __future__ import annotations

import copy
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


#: every ``serve``: a runaway query stops after 3 s; 50 rows a page
SETTINGS = {"sql_time_limit_ms": "3000", "facet_time_limit_ms": "500",
            "default_page_size": "50"}
#: ``serve --publish`` on top, chosen by ``benchmarks/bench_scale.py`` on 1,000,000 items
#: (2 cores): ``suggest_facets off`` takes facet pages' p50 from ~600 ms to ~30 ms and
#: filters' p95 from ~210 ms to ~16 ms (suggestions count every column's values on
#: every table page); ``facet_time_limit_ms 200`` takes facet pages' p95 from ~1.3 s to
#: ~0.8 s (a facet over most of the table is then left out, not waited for).
#: ``cache_size_kb`` and ``num_sql_threads`` made no measurable difference.
PUBLISH_SETTINGS = {"suggest_facets": "off", "facet_time_limit_ms": "200"}


def datasette_command(db_path: str | Path, metadata_file: str | Path, *, host: str, port: int,
                      publish: bool = False,
                      inspect_file: str | Path | None = None,
                      settings: dict[str, str] | None = None) -> list[str]:
    """The ``datasette serve`` argument list; server settings live here, not in metadata.

    ``publish`` serves the file immutable (``-i``: read-only, no locking, row counts and
    table lists from ``inspect_file`` — ``datasette inspect`` output — when given) with
    :data:`PUBLISH_SETTINGS`; ``settings`` override both.
    """
    chosen = {**SETTINGS, **(PUBLISH_SETTINGS if publish else {}), **(settings or {})}
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
