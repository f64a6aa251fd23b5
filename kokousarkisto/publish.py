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


def datasette_command(db_path: str | Path, metadata_file: str | Path, *, host: str, port: int,
                      publish: bool = False,
                      inspect_file: str | Path | None = None) -> list[str]:
    """The ``datasette serve`` argument list; server settings live here, not in metadata.

    ``publish`` serves the file immutable (``-i``: read-only, no locking, row counts and
    table lists from ``inspect_file`` — ``datasette inspect`` output — when given).
    """
    args = ["serve", str(db_path), "--metadata", str(metadata_file), "--host", host,
            "--port", str(port), "--template-dir", str(TEMPLATE_DIR),
            "--setting", "sql_time_limit_ms", "3000",
            "--setting", "facet_time_limit_ms", "500", "--setting", "default_page_size", "50"]
    if publish:
        args[1:2] = ["-i", str(db_path)]
        if inspect_file is not None:
            args += ["--inspect-file", str(inspect_file)]
    return args


def inspect_command(db_path: str | Path, inspect_file: str | Path) -> list[str]:
    """The ``datasette inspect`` argument list that writes ``inspect_file`` for ``-i``."""
    return ["inspect", str(db_path), "--inspect-file", str(inspect_file)]
