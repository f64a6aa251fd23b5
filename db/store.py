"""Every write to the archive database goes through here.

The harvester hands over plain values and parsed records; this module decides how
they become rows. Each item is written in one transaction together with its
preparers, earlier handlings and attachments, so an interrupted run never leaves half
an item behind, and writing the same item twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlite_utils

from db import facts, fts, ingest
from parsers.records import Handling, ItemRecord, MeetingRecord, OfficialDecisionRecord


@dataclass
class SourceRow:
    """A source as the database stores it."""

    id: str
    name: str
    base_url: str
    municipality: str | None = None
    kind: str = "dynasty"


def ensure_source(db: sqlite_utils.Database, source: SourceRow, now: str) -> None:
    """Insert a source, or refresh its name and URL (a demo site moves between ports)."""
    table = db["sources"]
    row = {"id": source.id, "name": source.name, "base_url": source.base_url,
           "municipality": source.municipality, "kind": source.kind}
    existing = next(table.rows_where("id = ?", [source.id]), None)
    if existing is None:
        table.insert({**row, "added_at": now})
    elif any(existing[k] != v for k, v in row.items()):
        table.update(source.id, row)


def ensure_body(db: sqlite_utils.Database, source_id: str, name: str,
                dynasty_id: str | None = None) -> int:
    """Return the id of a body (toimielin), creating it on first sight."""
    existing = next(db["bodies"].rows_where("source_id = ? and name = ?", [source_id, name]), None)
    if existing:
        if dynasty_id and existing["dynasty_id"] != dynasty_id:
            db["bodies"].update(existing["id"], {"dynasty_id": dynasty_id})
        return existing["id"]
    return db["bodies"].insert(
        {"source_id": source_id, "name": name, "dynasty_id": dynasty_id}
    ).last_pk


def record_raw(db: sqlite_utils.Database, sha256: str, size: int, content_type: str | None,
               path: str, now: str) -> None:
    """Remember a blob of the raw archive; the first sighting's metadata is kept."""
    db["raw_documents"].insert(
        {"sha256": sha256, "size": size, "content_type": content_type, "path": path,
         "first_seen": now},
        ignore=True,
    )


def pdf_parse_state(db: sqlite_utils.Database,
                    sha256: str) -> tuple[bool, str | None, int] | None:
    """``(finished, error, unfinished starts)`` of the PDF ``sha256``'s parses; ``None``
    if never started. An unfinished parse is one a dead run left behind."""
    row = db.execute("select finished_at, error, attempts from pdf_parses where sha256 = ?",
                     [sha256]).fetchone()
    return None if row is None else (row[0] is not None, row[1], row[2] or 0)


def begin_pdf_parse(db: sqlite_utils.Database, sha256: str, kind: str, now: str) -> None:
    """Say, committed, that the PDF ``sha256`` is being parsed now; ``attempts`` counts
    the starts since the last parse that finished."""
    with db.atomic():
        db.execute(
            "insert into pdf_parses (sha256, kind, started_at, finished_at, error, attempts) "
            "values (?, ?, ?, null, null, 1) on conflict(sha256) do update set "
            "started_at = excluded.started_at, error = null, attempts = case when "
            "finished_at is null then attempts + 1 else 1 end, finished_at = null",
            [sha256, kind, now])


def finish_pdf_parse(db: sqlite_utils.Database, sha256: str, now: str,
                     error: str | None) -> None:
    """Close the parse of ``sha256``: ``error`` None when it went well."""
    with db.atomic():
        db.execute("update pdf_parses set finished_at = ?, error = ? where sha256 = ?",
                   [now, error, sha256])


def start_run(db: sqlite_utils.Database, now: str) -> int:
    return db["runs"].insert({"started_at": now}).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, values: dict[str, Any]) -> None:
    db["runs"].update(run_id, values)


def record_fetch(db: sqlite_utils.Database, *, run_id: int | None, source_id: str | None,
                 url: str, fetched_at: str, status: int | None, headers: dict[str, str],
                 sha256: str | None, elapsed_ms: int | None, error: str | None) -> None:
    """Append one request to the fetch log (successful or not)."""
    db["fetches"].insert(
        {"run_id": run_id, "source_id": source_id, "url": url, "fetched_at": fetched_at,
         "status": status, "headers": json.dumps(headers, ensure_ascii=False, sort_keys=True),
         "sha256": sha256, "elapsed_ms": elapsed_ms, "error": error}
    )


def upsert_meeting(db: sqlite_utils.Database, *, source_id: str, body_id: int, date: str,
                   document_type: str | None, doc_id: str | None, url: str | None) -> int:
    """Return the meeting of a body on a date, attaching this agenda or minutes document.

    Dynasty publishes the agenda (esityslista) and the minutes (pöytäkirja) of one
    meeting as two documents with different ids; both belong to one meeting row, and
    the minutes, once seen, decide its ``document_type``.
    """
    table = db["meetings"]
    existing = next(table.rows_where("source_id = ? and body_id = ? and date = ?",
                                     [source_id, body_id, date]), None)
    values: dict[str, Any] = {}
    if document_type in ("agenda", "minutes") and doc_id:
        values[f"{document_type}_doc_id"] = doc_id
        values[f"{document_type}_url"] = url
    if existing is None:
        values.update({"source_id": source_id, "body_id": body_id, "date": date,
                       "document_type": document_type})
        return table.insert(values).last_pk
    if document_type == "minutes" or (document_type and not existing["document_type"]):
        values["document_type"] = document_type
    changed = {k: v for k, v in values.items() if existing.get(k) != v}
    if changed:
        table.update(existing["id"], changed)
    return existing["id"]


@dataclass
class MeetingDetails:
    """A meeting document's page, parsed, for the meeting it belongs to."""

    meeting_id: int
    doc_id: str | None  # the document whose page was read (minutes when published)
    url: str
    sha256: str | None  # raw archive key of the page
    record: MeetingRecord


def _meeting_details_row(details: MeetingDetails) -> dict[str, Any]:
    rec = details.record
    return {"start_time": rec.time, "end_time": rec.end_time, "place": rec.place,
            "status": rec.status, "page_doc_id": details.doc_id, "page_url": details.url,
            "page_sha256": details.sha256,
            "page_warnings": json.dumps(rec.warnings, ensure_ascii=False)}


def _attendee_rows(details: MeetingDetails) -> list[dict[str, Any]]:
    return [{"meeting_id": details.meeting_id, "position": i, "name": a.name, "role": a.role,
             "note": a.note, "attendee_group": a.group, "present": int(a.group != "absent")}
            for i, a in enumerate(details.record.attendees)]


def store_meeting_details(db: sqlite_utils.Database, details: MeetingDetails, now: str) -> str:
    """Write a meeting's page details and attendees in one transaction.

    Returns ``"new"`` (the meeting had no page details yet), ``"updated"`` or
    ``"unchanged"``; an unchanged meeting is not written, so re-reading the same page
    leaves the database alone. The attendees are replaced as a whole: a corrected minutes
    page may add, drop or reorder people.
    """
    ingest.clean_record(details.record)
    row = _meeting_details_row(details)
    attendees = _attendee_rows(details)
    with db.atomic():
        existing = db["meetings"].get(details.meeting_id)
        stored = [{k: v for k, v in r.items() if k != "id"} for r in db.query(
            "select * from meeting_attendees where meeting_id = ? order by position",
            [details.meeting_id])]
        if all(existing.get(k) == v for k, v in row.items()) and stored == attendees:
            return "unchanged"
        db["meetings"].update(details.meeting_id, {**row, "details_updated_at": now})
        facts.unlink_meeting(db, details.meeting_id)  # before its attendees are replaced
        db.execute("delete from meeting_attendees where meeting_id = ?", [details.meeting_id])
        if attendees:
            db["meeting_attendees"].insert_all(attendees)
        facts.link_meeting(db, details.meeting_id)  # the people its items' facts name
    return "new" if existing.get("page_sha256") is None else "updated"


def known_item_ids(db: sqlite_utils.Database, source_id: str) -> set[str]:
    """Dynasty ids of the items of a source already stored."""
    return {row["dynasty_id"] for row in
            db.query("select dynasty_id from items where source_id = ?", [source_id])}


@dataclass
class ItemWrite:
    """Everything the harvester knows about one item, ready to be stored."""

    source_id: str
    dynasty_id: str
    meeting_id: int | None
    body_id: int | None
    record: ItemRecord
    url: str | None
    pdf_url: str | None
    html_sha256: str | None
    pdf_sha256: str | None
    pdf_agreement: float | None
    parser_version: str
    attachments: list[dict[str, Any]]  # rows for the attachments table, without item_id
    #: attachment id → (sha256 of the file, text of each page from page 1) for attachments
    #: whose text was extracted now; the stored pages of the others are kept while their
    #: attachment row still names the same file
    attachment_pages: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def item_id(self) -> str:
        return f"{self.source_id}/{self.dynasty_id}"

    @cached_property
    def facts(self) -> list[tuple[int, facts.HandlingFacts]]:
        """The facts of the current handling (-1) and of each earlier one, read once."""
        return facts.read_facts(*facts.facts_input(self.record))


_RECORD_COLUMNS = ("document_type", "meeting_date", "section", "case_number", "case_number_raw",
                   "task_class", "title", "proposal", "decision", "discussion", "background",
                   "for_information", "supplementary", "appeal", "contact_pattern")


def _item_row(item: ItemWrite) -> dict[str, Any]:
    rec = item.record
    row: dict[str, Any] = {name: getattr(rec, name) for name in _RECORD_COLUMNS}
    row.update(
        id=item.item_id, source_id=item.source_id, meeting_id=item.meeting_id,
        body_id=item.body_id, dynasty_id=item.dynasty_id,
        proposer_name=rec.proposer.name if rec.proposer else None,
        proposer_title=rec.proposer.title if rec.proposer else None,
        url=item.url, pdf_url=item.pdf_url, html_sha256=item.html_sha256,
        pdf_sha256=item.pdf_sha256, pdf_agreement=item.pdf_agreement,
        warnings=json.dumps(rec.warnings, ensure_ascii=False),
        parser_version=item.parser_version,
        **facts.outcome_columns(item.facts[0][1]),
        case_key=facts.case_key(rec.case_number_raw or rec.case_number),
        facts_version=facts.FACTS_VERSION,
    )
    return row


def _handling_row(item_id: str, position: int, h: Handling, lemmatiser: Any,
                  outcome: dict[str, Any]) -> dict[str, Any]:
    """One earlier handling with its texts, their search lemmas and its outcome."""
    row: dict[str, Any] = {
        "item_id": item_id, "position": position, "body": h.body, "section": h.section,
        "date": h.date, "proposer_name": h.proposer.name if h.proposer else None,
        "proposer_title": h.proposer.title if h.proposer else None,
        "proposal": h.proposal, "decision": h.decision, "discussion": h.discussion,
        **outcome}
    row["lemmas"] = fts.handling_lemmas(row, lemmatiser)
    return row


def _child_rows(item: ItemWrite, lemmatiser: Any = None,
                attendees: list[facts.Attendee] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of the item's child tables; ``lemmatiser`` lemmatises the earlier handlings'
    texts (the process default when ``None``); ``attendees`` of its meeting link the
    people its facts name."""
    rec = item.record
    earlier = [facts.outcome_columns(f) for _, f in item.facts[1:]]
    return {
        "item_preparers": [
            {"item_id": item.item_id, "position": i, "name": p.name, "title": p.title,
             "phone": p.phone, "email": p.email}
            for i, p in enumerate(rec.preparers)
        ],
        "item_handlings": [_handling_row(item.item_id, i, h, lemmatiser, outcome)
                           for i, (h, outcome) in enumerate(zip(rec.previous_handlings, earlier,
                                                                strict=True))],
        "attachments": [{**a, "item_id": item.item_id} for a in item.attachments],
        **facts.fact_rows(item.item_id, item.facts, attendees),
    }


def _existing_children(db: sqlite_utils.Database, item_id: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for table in ("item_preparers", "item_handlings", "attachments", *facts.TABLES):
        rows = db.query(f"select * from [{table}] where item_id = ? order by position", [item_id])
        out[table] = [{k: v for k, v in r.items() if not (table != "attachments" and k == "id")}
                      for r in rows]
    return out


def store_item(db: sqlite_utils.Database, item: ItemWrite, now: str) -> str:
    """Insert or update one item with its children in a single transaction.

    Returns ``"new"``, ``"updated"`` or ``"unchanged"``; an unchanged item is not
    written at all, so a repeated harvest leaves the database byte for byte alone. A new
    item, or one whose HTML page or PDF bytes changed, gets a row in ``item_versions``.
    """
    ingest.clean_record(item.record)  # no control characters, long texts capped
    row = _item_row(item)
    # base forms for Finnish full-text search; the FTS triggers index them with the row
    lemmatiser = fts.lemmatiser_for(db)
    children = _child_rows(item, lemmatiser, facts.meeting_attendees(db, item.meeting_id))
    lemmas = fts.item_lemmas(row, [p["name"] for p in children["item_preparers"]], lemmatiser)
    pages = _page_rows(item, lemmatiser)
    with db.atomic():
        existing = next(db["items"].rows_where("id = ?", [item.item_id]), None)
        if existing is not None:
            same_row = all(existing.get(k) == v for k, v in row.items())
            if same_row and _existing_children(db, item.item_id) == children:
                if existing.get("lemmas") != lemmas:  # only the lemmatisation changed
                    db["items"].update(item.item_id, {"lemmas": lemmas})
                _write_attachment_pages(db, children["attachments"], pages)
                return "unchanged"
            db["items"].update(item.item_id, {**row, "lemmas": lemmas, "updated_at": now})
            status = "updated"
        else:
            db["items"].insert({**row, "lemmas": lemmas, "first_seen": now, "updated_at": now})
            status = "new"
        sources = (item.html_sha256, item.pdf_sha256)
        if existing is None or (existing["html_sha256"], existing["pdf_sha256"]) != sources:
            db["item_versions"].insert({
                "item_id": item.item_id, "seen_at": now, "html_sha256": item.html_sha256,
                "pdf_sha256": item.pdf_sha256, "parser_version": item.parser_version})
        for table, rows in children.items():
            if table == "attachments":
                _write_attachments(db, item.item_id, rows)
                continue
            db.execute(f"delete from [{table}] where item_id = ?", [item.item_id])
            if rows:
                db[table].insert_all(rows)
        _write_attachment_pages(db, children["attachments"], pages)
    return status


def _page_rows(item: ItemWrite, lemmatiser: Any) -> dict[str, list[dict[str, Any]]]:
    """``attachment_pages`` rows of the freshly extracted attachments (lemmas computed
    before the write transaction); pages without text are left out, numbers kept."""
    out: dict[str, list[dict[str, Any]]] = {}
    for attachment_id, (sha256, texts) in item.attachment_pages.items():
        out[attachment_id] = [
            {"attachment_id": attachment_id, "sha256": sha256, "page": number, "text": text,
             "lemmas": fts.page_lemmas(text, lemmatiser)}
            for number, text in enumerate(ingest.clean_pages(texts), start=1)
            if text and text.strip()
        ]
    return out


def _write_attachments(db: sqlite_utils.Database, item_id: str,
                       rows: list[dict[str, Any]]) -> None:
    """Replace an item's attachment rows; rows that stay are updated in place, because
    their pages refer to them (a foreign key)."""
    keep = {r["id"] for r in rows}
    for (attachment_id,) in db.execute("select id from attachments where item_id = ?",
                                       [item_id]).fetchall():
        if attachment_id not in keep:
            db.execute("delete from attachment_pages where attachment_id = ?", [attachment_id])
            db.execute("delete from attachments where id = ?", [attachment_id])
    if rows:
        db["attachments"].upsert_all(rows, pk="id")


def _write_attachment_pages(db: sqlite_utils.Database, attachments: list[dict[str, Any]],
                            pages: dict[str, list[dict[str, Any]]]) -> None:
    """Store freshly extracted pages (only when they differ from the stored ones) and drop
    pages that no longer belong to the file their attachment row names."""
    for att in attachments:
        stored = db.execute("select sha256, page, text, lemmas from attachment_pages "
                            "where attachment_id = ? order by page", [att["id"]]).fetchall()
        fresh = pages.get(att["id"])
        if fresh is not None:
            wanted = [(p["sha256"], p["page"], p["text"], p["lemmas"]) for p in fresh]
            if stored == wanted:
                continue
        elif not stored or (att["status"] == "ok"
                            and all(s[0] == att["sha256"] for s in stored)):
            continue
        db.execute("delete from attachment_pages where attachment_id = ?", [att["id"]])
        if fresh:
            db["attachment_pages"].insert_all(fresh)


def attachment_text_state(db: sqlite_utils.Database, attachment_id: str,
                          sha256: str) -> tuple[str, str | None] | None:
    """``(status, error)`` of a stored attachment whose text was already taken from the
    file ``sha256`` (its pages are stored, or it had none): no need to extract again."""
    row = db.execute("select status, error from attachments where id = ? and sha256 = ?",
                     [attachment_id, sha256]).fetchone()
    if row is None:
        return None
    if row[0] == "ok":
        has_pages = db.execute("select 1 from attachment_pages where attachment_id = ? "
                               "and sha256 = ? limit 1", [attachment_id, sha256]).fetchone()
        return (row[0], row[1]) if has_pages else None
    if row[0] == "no_text":
        return row[0], row[1]
    return None


def known_official_decision_ids(db: sqlite_utils.Database, source_id: str) -> set[str]:
    return {row["dynasty_id"] for row in db.query(
        "select dynasty_id from official_decisions where source_id = ?", [source_id])}


def store_official_decision(db: sqlite_utils.Database, *, source_id: str, dynasty_id: str,
                            record: OfficialDecisionRecord, url: str, html_sha256: str | None,
                            parser_version: str, now: str) -> str:
    """Insert or update one official's decision; ``"unchanged"`` writes nothing."""
    ingest.clean_record(record)
    # structure is the parser's verdict on the page, for the scraper: no column
    row = {k: v for k, v in record.to_dict().items() if k not in ("warnings", "structure")}
    row.update(id=f"{source_id}/{dynasty_id}", source_id=source_id, dynasty_id=dynasty_id,
               url=url, html_sha256=html_sha256, parser_version=parser_version,
               warnings=json.dumps(record.warnings, ensure_ascii=False))
    if db[fts.OFFICIALS_FTS_TABLE].exists():
        # base forms for the reporters' search; the FTS triggers index them with the row
        row["lemmas"] = fts.official_lemmas(row, fts.lemmatiser_for(db))
    with db.atomic():
        existing = next(db["official_decisions"].rows_where("id = ?", [row["id"]]), None)
        if existing is None:
            db["official_decisions"].insert({**row, "first_seen": now, "updated_at": now})
            return "new"
        if all(existing.get(k) == v for k, v in row.items()):
            return "unchanged"
        db["official_decisions"].update(row["id"], {**row, "updated_at": now})
        return "updated"
