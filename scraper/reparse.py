"""Rebuild every parsed item (its attachments' text, its meeting's details) and every
official's decision from the raw archive, offline.

When a parser improves, the archive already holds every byte it needs: each item row
names the sha256 of the HTML page and the PDF it came from. Values the parsers cannot
find again (the feed's body, date and title) are kept from the stored row.

Parsing is the slow part (a PDF page costs tens of milliseconds), so it is spread over
``jobs`` worker processes, and every result goes into a :class:`ParseCache` keyed by the
input sha256s and the parser version, so re-parsing unchanged bytes costs nothing. The
main process alone reads the archive and the cache and writes the database, one item
at a time in the items' order: the workers get bytes and arguments and give back plain
dicts, which the parsers' purity makes safe.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db import facts, store
from parsers import PARSER_VERSION, attachment_text, parse_item
from scraper.archive import RawArchive
from scraper.harvest import utc_now
from scraper.items import harvest_warnings, stored_with_structure
from scraper.jobs import Job, JobRunner
from scraper.meetings import ReparseCounts, reparse_meeting_pages
from scraper.official_decisions import DecisionCounts, reparse_official_decisions
from scraper.parse_cache import AttachmentResult, ItemInputs, ItemResult, ParseCache
from scraper.pdf_guard import attachment_text_limited, parse_item_limited

log = logging.getLogger(__name__)

#: Items read ahead per worker: enough to keep every worker busy while the main process
#: writes, few enough that the bytes in flight stay small.
READ_AHEAD = 8


@dataclass
class ReparseSummary:
    items: int = 0
    updated: int = 0
    failed: int = 0
    cached: int = 0  # items whose parse came from the cache
    attachments: int = 0  # attachment PDFs whose text was extracted again
    attachments_cached: int = 0
    jobs: int = 1
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    meetings: ReparseCounts = field(default_factory=ReparseCounts)  # meeting pages
    facts_refreshed: int = 0  # items whose facts were recomputed from their stored texts
    official_decisions: DecisionCounts = field(default_factory=DecisionCounts)

    def line(self) -> str:
        return (f"items={self.items} updated={self.updated} failed={self.failed} "
                f"cached={self.cached} attachments={self.attachments} "
                f"attachments_cached={self.attachments_cached} "
                f"meetings_updated={self.meetings.new + self.meetings.updated} "
                f"meetings_failed={self.meetings.failed} "
                f"facts_refreshed={self.facts_refreshed} "
                f"official_decisions_updated={self.official_decisions.updated} "
                f"official_decisions_failed={self.official_decisions.failed} jobs={self.jobs} "
                f"seconds={self.seconds:.1f}")


@dataclass(frozen=True)
class Parsers:
    """The two parse functions ``reparse`` runs; module-level functions, because the
    worker processes receive them by name."""

    item: Callable[..., tuple[Any, float | None]] = parse_item
    attachment: Callable[[bytes], tuple[str, str | None, list[str]]] = attachment_text


def parse_item_job(parsers: Parsers, inputs: ItemInputs, html: bytes,
                   pdf: bytes | None) -> dict[str, Any]:
    """Worker side of one item: parse (the PDF under the harvest's limits, in a child of
    its own) and return the cacheable dict."""
    record, agreement, _ = parse_item_limited(parsers.item, html, pdf=pdf, url=inputs.url,
                                              content_type=inputs.content_type,
                                              pdf_url=inputs.pdf_url)
    return ItemResult(record, agreement).to_dict()


def parse_attachment_job(parsers: Parsers, data: bytes) -> dict[str, Any]:
    """Worker side of one attachment PDF, under the harvest's limits."""
    (status, error, texts), _ = attachment_text_limited(parsers.attachment, data)
    return AttachmentResult(status, error, list(texts)).to_dict()


def reparse(db: sqlite_utils.Database, archive: RawArchive, now: Callable[[], str] = utc_now,
            *, jobs: int | None = None, cache: ParseCache | None = None,
            parsers: Parsers = Parsers(),
            clock: Callable[[], float] = time.monotonic) -> ReparseSummary:
    """Re-parse and re-store every item; ``jobs`` worker processes (default: every core;
    ``1`` parses in this process), results taken from and put into ``cache`` when given.

    A failure of one item (a blob missing from the archive, a parser or worker that
    raised or died) is counted and named in the summary; the rest go on.
    """
    started = clock()
    jobs = max(1, jobs or os.cpu_count() or 1)
    summary = ReparseSummary(jobs=jobs)
    rows = list(db.query(
        "select items.*, bodies.name as body_name, raw_documents.content_type as html_type "
        "from items left join bodies on bodies.id = items.body_id "
        "left join raw_documents on raw_documents.sha256 = items.html_sha256 "
        "order by items.rowid"))
    with JobRunner(jobs) as runner:
        planner = _Planner(db, archive, cache, parsers, runner)
        window: collections.deque[_Work] = collections.deque()
        for row in rows:
            window.append(planner.plan(row))
            while len(window) > READ_AHEAD * jobs:
                _finish(db, window.popleft(), planner, summary, now)
        while window:
            _finish(db, window.popleft(), planner, summary, now)
    # meeting pages are small and quick to parse: in this process, after the items
    summary.meetings = reparse_meeting_pages(db, archive, now)
    summary.official_decisions = reparse_official_decisions(db, archive, now)
    # facts of items not re-stored (their bytes are missing), from their stored texts
    summary.facts_refreshed = facts.refresh(db)
    summary.seconds = clock() - started
    return summary


# --- planning (read archive and cache, submit) and finishing (take results, write) -----


@dataclass
class _Work:
    row: dict[str, Any]
    attachments: list[dict[str, Any]] = field(default_factory=list)
    inputs: ItemInputs | None = None
    item: ItemResult | Job | None = None
    # attachment id -> (sha256, cached result or running job)
    pages: dict[str, tuple[str, AttachmentResult | Job]] = field(default_factory=dict)
    error: str | None = None


class _Planner:
    """Turns an item row into a :class:`_Work`: cache hits are taken at once, the rest
    is read from the archive and handed to the runner. Identical inputs in flight at
    the same time (one attachment on many items) are parsed once."""

    def __init__(self, db: sqlite_utils.Database, archive: RawArchive,
                 cache: ParseCache | None, parsers: Parsers, runner: JobRunner) -> None:
        self.db, self.archive, self.cache = db, archive, cache
        self.parsers, self.runner = parsers, runner
        self.in_flight: dict[tuple[str, Any], Job] = {}

    def plan(self, row: dict[str, Any]) -> _Work:
        work = _Work(row)
        work.attachments = [
            {k: v for k, v in a.items() if k != "item_id"}
            for a in self.db.query(
                "select * from attachments where item_id = ? order by position", [row["id"]])
        ]
        try:
            work.inputs = ItemInputs(row["html_sha256"], row["url"], row["html_type"],
                                     row["pdf_sha256"], row["pdf_url"])
            work.item = self._item(work.inputs)
        except (OSError, ValueError, TypeError) as exc:  # a missing blob stops this item only
            work.error = str(exc)
            return work
        for att in work.attachments:
            if att["status"] not in ("ok", "no_text") or not att["sha256"]:
                continue
            planned = self._attachment(att)
            if planned is not None:
                work.pages[att["id"]] = (att["sha256"], planned)
        return work

    def _item(self, inputs: ItemInputs) -> ItemResult | Job:
        for sha in (inputs.html_sha256, inputs.pdf_sha256):
            # the archive stays the truth: a result is only reused while its bytes exist
            if sha and sha not in self.archive:
                raise FileNotFoundError(f"not in the raw archive: {sha}")
        if self.cache is not None and (hit := self.cache.get_item(inputs)) is not None:
            return hit
        key = ("item", inputs)
        if key not in self.in_flight:
            html = self.archive.get(inputs.html_sha256)
            pdf = self.archive.get(inputs.pdf_sha256) if inputs.pdf_sha256 else None
            self.in_flight[key] = self.runner.submit(parse_item_job, self.parsers, inputs,
                                                     html, pdf)
        return self.in_flight[key]

    def _attachment(self, att: dict[str, Any]) -> AttachmentResult | Job | None:
        """An attachment whose file is missing from the archive keeps what it has."""
        sha = att["sha256"]
        if sha not in self.archive:
            log.warning("attachment %s: not in the raw archive: %s", att["id"], sha)
            return None
        if self.cache is not None and (hit := self.cache.get_attachment(sha)) is not None:
            return hit
        key = ("attachment", sha)
        if key not in self.in_flight:
            try:
                data = self.archive.get(sha)
            except (OSError, ValueError) as exc:
                log.warning("attachment %s: %s", att["id"], exc)
                return None
            self.in_flight[key] = self.runner.submit(parse_attachment_job, self.parsers, data)
        return self.in_flight[key]

    def take_item(self, work: _Work) -> tuple[ItemResult, bool]:
        """The item's result and whether it came from the cache."""
        assert work.inputs is not None and work.item is not None
        if isinstance(work.item, ItemResult):
            return work.item, True
        first = self.in_flight.pop(("item", work.inputs), None) is not None
        # built from the dict, as a cache hit is, so both paths store the same record
        result = ItemResult.from_dict(self.runner.result(work.item))
        if first and self.cache is not None:
            self.cache.put_item(work.inputs, result)  # serialised now, before any change
        return result, False

    def take_attachment(self, sha: str, planned: AttachmentResult | Job
                        ) -> tuple[AttachmentResult, bool]:
        if isinstance(planned, AttachmentResult):
            return planned, True
        first = self.in_flight.pop(("attachment", sha), None) is not None
        result = AttachmentResult.from_dict(self.runner.result(planned))
        if first and self.cache is not None:
            self.cache.put_attachment(sha, result)
        return result, False


def _finish(db: sqlite_utils.Database, work: _Work, planner: _Planner,
            summary: ReparseSummary, now: Callable[[], str]) -> None:
    row = work.row
    summary.items += 1
    pages: dict[str, tuple[str, list[str]]] = {}
    attachments_hit = 0
    try:
        if work.error is not None:
            raise _ItemFailed(work.error)
        result, hit = planner.take_item(work)
        by_id = {a["id"]: a for a in work.attachments}
        for att_id, (sha, planned) in work.pages.items():
            extracted, att_hit = planner.take_attachment(sha, planned)
            by_id[att_id].update(status=extracted.status, error=extracted.error)
            pages[att_id] = (sha, extracted.texts)
            attachments_hit += att_hit
    except Exception as exc:  # noqa: BLE001 - a parser's or worker's failure is this item's
        _failed(summary, row, str(exc) if isinstance(exc, _ItemFailed)
                else f"{type(exc).__name__}: {exc}")
        return
    try:
        status = _store(db, row, result, work.attachments, pages, now)
    except (OSError, ValueError, _ItemFailed) as exc:
        _failed(summary, row, str(exc))
        return
    summary.cached += hit
    summary.attachments += len(pages)
    summary.attachments_cached += attachments_hit
    if status == "updated":
        summary.updated += 1


def _failed(summary: ReparseSummary, row: dict[str, Any], reason: str) -> None:
    summary.failed += 1
    summary.failures.append(f"{row['id']}: {reason}")


class _ItemFailed(Exception):
    """An item that could not even be planned (its bytes are missing)."""


def _store(db: sqlite_utils.Database, row: dict[str, Any], result: ItemResult,
           attachments: list[dict[str, Any]], pages: dict[str, tuple[str, list[str]]],
           now: Callable[[], str]) -> str:
    record = result.record
    if record.structure.lost and stored_with_structure(row):
        # the harvest's rule: a page without structure never replaces a stored item
        raise _ItemFailed("archived page has no Dynasty item structure; the stored item "
                          "is kept")
    for warning in harvest_warnings(json.loads(row["warnings"] or "[]")):
        record.warn(warning)  # what the harvest saw of the PDF, not in the archive
    # The feed's body, date and title are not in the archive's pages; the row has them.
    for name, previous in (("body", row["body_name"]), ("meeting_date", row["meeting_date"]),
                           ("title", row["title"])):
        record.fill(name, previous, "feed")
    body_id = row["body_id"]
    if record.body and record.body != row["body_name"]:
        body_id = store.ensure_body(db, row["source_id"], record.body)
    return store.store_item(db, store.ItemWrite(
        source_id=row["source_id"], dynasty_id=row["dynasty_id"], meeting_id=row["meeting_id"],
        body_id=body_id, record=record, url=row["url"], pdf_url=row["pdf_url"],
        html_sha256=row["html_sha256"], pdf_sha256=row["pdf_sha256"],
        pdf_agreement=result.agreement, parser_version=PARSER_VERSION,
        attachments=attachments, attachment_pages=pages), now())
