"""A persistent cache of parse results, keyed by input sha256s + parser version + arguments.

Parsing is the expensive part of ``reparse`` (tens of milliseconds per PDF page), and
most of a re-parse meets bytes it has parsed before with the same parsers. Every input
in the raw archive is already named by its sha256, so a result is fully determined by
those names, ``PARSER_VERSION`` and the other arguments that change the output (the
URL, the content type); the cache stores it under a digest of exactly those.

The cache is a separate SQLite file inside the raw archive directory
(``<archive>/parse-cache.sqlite``), never a table of the published database: a
publication ships none of it, and deleting it only costs time. A ``PARSER_VERSION``
bump simply misses; :meth:`ParseCache.prune` drops the rows of other versions.

Values are JSON. A row that cannot be read back (bad JSON, a record that no longer
fits the dataclasses) is a miss with a warning in the log, never a crash; so is a cache
file that SQLite cannot open at all — the run goes on uncached.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION
from parsers.records import ItemRecord

log = logging.getLogger(__name__)

CACHE_FILE = "parse-cache.sqlite"
#: Rows written between commits; an interrupted run loses at most these (as misses).
COMMIT_EVERY = 64

_SCHEMA = """
create table if not exists parse_cache (
    key text primary key,       -- sha256 of [kind, parser_version, *arguments]
    kind text not null,         -- "item" or "attachment"
    parser_version text not null,
    value text not null         -- JSON
)
"""


def cache_key(kind: str, parser_version: str, *arguments: str | None) -> str:
    """The digest of everything that determines a parse result.

    ``arguments`` are the input sha256s and every other argument that changes the
    output, in a fixed order per ``kind``; ``None`` and ``""`` stay distinct.
    """
    text = json.dumps([kind, parser_version, *arguments], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ItemInputs:
    """What ``parse_item`` gets, by sha256: the HTML page and (maybe) its PDF."""

    html_sha256: str
    url: str | None
    content_type: str | None
    pdf_sha256: str | None
    pdf_url: str | None

    def key_arguments(self) -> tuple[str | None, ...]:
        return (self.html_sha256, self.url, self.content_type, self.pdf_sha256, self.pdf_url)


@dataclass
class ItemResult:
    """``parse_item``'s answer: the merged record and the HTML/PDF agreement."""

    record: ItemRecord
    agreement: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record.to_dict(), "agreement": self.agreement}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemResult:
        agreement = data["agreement"]
        if agreement is not None and not isinstance(agreement, int | float):
            raise TypeError(f"agreement: expected a number, got {type(agreement).__name__}")
        return cls(ItemRecord.from_dict(data["record"]),
                   None if agreement is None else float(agreement))


@dataclass
class AttachmentResult:
    """``attachment_text``'s answer: status, error and the text of each page."""

    status: str
    error: str | None
    texts: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "error": self.error, "texts": self.texts}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttachmentResult:
        status, error, texts = data["status"], data["error"], data["texts"]
        if not isinstance(status, str) or not (error is None or isinstance(error, str)):
            raise TypeError("status/error: expected strings")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise TypeError("texts: expected a list of strings")
        return cls(status, error, list(texts))


class ParseCache:
    """Parse results in ``<path>`` (SQLite), for one parser version.

    Only one process should use an instance (``reparse`` keeps it in the main process,
    the one that also writes the database); SQLite's own locking keeps two runs on the
    same file safe. Counts ``hits`` and ``misses`` per kind for the run's summary.
    """

    def __init__(self, path: str | Path, *, parser_version: str = PARSER_VERSION) -> None:
        self.path = Path(path)
        self.parser_version = parser_version
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}
        self._pending = 0
        self._conn: sqlite3.Connection | None = None
        conn = None
        try:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("pragma journal_mode=wal")
            conn.execute(_SCHEMA)
            conn.commit()
            self._conn = conn
        except (sqlite3.Error, OSError) as exc:
            log.warning("parse cache %s unusable, running without it: %s", self.path, exc)
            if conn is not None:
                conn.close()

    @classmethod
    def in_archive(cls, archive_root: str | Path, *,
                   parser_version: str = PARSER_VERSION) -> ParseCache:
        """The cache that lives in a raw archive directory, beside the blobs it describes."""
        return cls(Path(archive_root) / CACHE_FILE, parser_version=parser_version)

    @property
    def usable(self) -> bool:
        return self._conn is not None

    # --- items ---

    def item_key(self, inputs: ItemInputs) -> str:
        return cache_key("item", self.parser_version, *inputs.key_arguments())

    def get_item(self, inputs: ItemInputs) -> ItemResult | None:
        return self._get("item", self.item_key(inputs), ItemResult.from_dict)

    def put_item(self, inputs: ItemInputs, result: ItemResult) -> None:
        self._put("item", self.item_key(inputs), result.to_dict())

    # --- attachments ---

    def attachment_key(self, sha256: str) -> str:
        return cache_key("attachment", self.parser_version, sha256)

    def get_attachment(self, sha256: str) -> AttachmentResult | None:
        return self._get("attachment", self.attachment_key(sha256), AttachmentResult.from_dict)

    def put_attachment(self, sha256: str, result: AttachmentResult) -> None:
        self._put("attachment", self.attachment_key(sha256), result.to_dict())

    # --- housekeeping ---

    def prune(self) -> int:
        """Delete the rows of every other parser version; returns how many went."""
        if self._conn is None:
            return 0
        try:
            cur = self._conn.execute("delete from parse_cache where parser_version != ?",
                                     [self.parser_version])
            self._conn.commit()
            self._pending = 0
            return cur.rowcount
        except sqlite3.Error as exc:
            log.warning("parse cache %s: prune failed: %s", self.path, exc)
            return 0

    def close(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.commit()
        except sqlite3.Error as exc:
            log.warning("parse cache %s: final commit failed: %s", self.path, exc)
        self._conn.close()
        self._conn = None

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _get(self, kind: str, key: str, build: Any) -> Any:
        value = None
        if self._conn is not None:
            try:
                row = self._conn.execute("select value from parse_cache where key = ?",
                                         [key]).fetchone()
            except sqlite3.Error as exc:
                log.warning("parse cache %s: read failed: %s", self.path, exc)
                row = None
            if row is not None:
                try:
                    value = build(json.loads(row[0]))
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    log.warning("parse cache %s: damaged %s entry %s, parsing again: %s",
                                self.path, kind, key[:12], exc)
        counter = self.hits if value is not None else self.misses
        counter[kind] = counter.get(kind, 0) + 1
        return value

    def _put(self, kind: str, key: str, value: dict[str, Any]) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(
                "insert or replace into parse_cache (key, kind, parser_version, value) "
                "values (?, ?, ?, ?)",
                [key, kind, self.parser_version, json.dumps(value, ensure_ascii=False)])
            self._pending += 1
            if self._pending >= COMMIT_EVERY:
                self._conn.commit()
                self._pending = 0
        except sqlite3.Error as exc:
            log.warning("parse cache %s: write failed: %s", self.path, exc)
