"""The archive's schema, in code, applied through sqlite-utils ``Migrations``.

Every change to the schema is a new migration appended below; applied migrations are
recorded in the database itself (``_sqlite_migrations``), so opening an old archive
brings it up to date and opening a current one changes nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("kokousarkisto")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Sources, bodies, meetings, items and their parts, the raw archive and the fetch log."""
    db["sources"].create(
        {
            "id": str,  # short stable slug, e.g. "kuopio"
            "name": str,
            "municipality": str,
            "base_url": str,
            "kind": str,  # "dynasty"
            "added_at": str,
        },
        pk="id",
    )
    db["bodies"].create(
        {"id": int, "source_id": str, "name": str, "dynasty_id": str},
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["bodies"].create_index(["source_id", "name"], unique=True)

    db["raw_documents"].create(
        {
            "sha256": str,
            "size": int,
            "content_type": str,
            "path": str,  # relative to the raw archive directory
            "first_seen": str,
        },
        pk="sha256",
    )
    db["runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "sources": int,
            "new_items": int,
            "updated_items": int,
            "failed": int,
            "requests": int,
            "seconds": float,
            "exit_code": int,
        },
        pk="id",
    )
    db["fetches"].create(
        {
            "id": int,
            "run_id": int,
            "source_id": str,
            "url": str,
            "fetched_at": str,
            "status": int,
            "headers": str,  # JSON object of the response headers
            "sha256": str,
            "elapsed_ms": int,
            "error": str,
        },
        pk="id",
        foreign_keys=[
            ("run_id", "runs", "id"),
            ("source_id", "sources", "id"),
            ("sha256", "raw_documents", "sha256"),
        ],
    )
    db["fetches"].create_index(["url"])
    db["fetches"].create_index(["run_id"])
    db["fetches"].create_index(["source_id"])
    db["fetches"].create_index(["sha256"])

    db["meetings"].create(
        {
            "id": int,
            "source_id": str,
            "body_id": int,
            "date": str,  # ISO date
            "document_type": str,  # newest published: "agenda" or "minutes"
            "agenda_doc_id": str,
            "minutes_doc_id": str,
            "agenda_url": str,
            "minutes_url": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id"), ("body_id", "bodies", "id")],
    )
    db["meetings"].create_index(["source_id", "body_id", "date"], unique=True)
    db["meetings"].create_index(["body_id"])
    db["meetings"].create_index(["date"])

    db["items"].create(
        {
            "id": str,  # "<source_id>/<dynasty item id>", e.g. "kuopio/2017406946-3"
            "source_id": str,
            "meeting_id": int,
            "body_id": int,
            "dynasty_id": str,  # "2017406946-3"
            "document_type": str,
            "meeting_date": str,
            "section": str,
            "case_number": str,
            "case_number_raw": str,
            "task_class": str,
            "title": str,
            "proposer_name": str,
            "proposer_title": str,
            "proposal": str,
            "decision": str,
            "discussion": str,
            "background": str,
            "for_information": str,
            "supplementary": str,
            "appeal": str,
            "contact_pattern": str,
            "url": str,
            "pdf_url": str,
            "html_sha256": str,
            "pdf_sha256": str,
            "pdf_agreement": float,  # share of compared fields on which HTML and PDF agree
            "warnings": str,  # JSON list
            "parser_version": str,
            "first_seen": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[
            ("source_id", "sources", "id"),
            ("meeting_id", "meetings", "id"),
            ("body_id", "bodies", "id"),
            ("html_sha256", "raw_documents", "sha256"),
            ("pdf_sha256", "raw_documents", "sha256"),
        ],
    )
    for column in ("source_id", "meeting_id", "body_id", "meeting_date", "case_number",
                   "document_type", "html_sha256", "pdf_sha256"):
        db["items"].create_index([column])

    db["item_preparers"].create(
        {"id": int, "item_id": str, "position": int, "name": str, "title": str,
         "phone": str, "email": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id")],
    )
    db["item_preparers"].create_index(["item_id"])
    db["item_preparers"].create_index(["name"])

    db["item_handlings"].create(
        {"id": int, "item_id": str, "position": int, "body": str, "section": str, "date": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id")],
    )
    db["item_handlings"].create_index(["item_id"])

    db["attachments"].create(
        {
            "id": str,  # "<source_id>/<item id>-<n>" or "<item id>#<position>" when unlinked
            "item_id": str,
            "position": int,
            "title": str,
            "url": str,
            "sha256": str,
            "content_type": str,
            "size": int,
            "status": str,  # "ok", "not_fetched", "error", "not_pdf", "too_large"
            "error": str,
        },
        pk="id",
        foreign_keys=[("item_id", "items", "id"), ("sha256", "raw_documents", "sha256")],
    )
    db["attachments"].create_index(["item_id"])
    db["attachments"].create_index(["sha256"])


@migrations()
def m002_item_versions(db: sqlite_utils.Database) -> None:
    """Every distinct pair of source documents an item was parsed from, oldest first.

    The raw archive keeps the bytes of each version; this table says which bytes an item
    had when, so a corrected agenda or a changed minutes page stays queryable.
    """
    db["item_versions"].create(
        {"id": int, "item_id": str, "seen_at": str, "html_sha256": str, "pdf_sha256": str,
         "parser_version": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id"), ("html_sha256", "raw_documents", "sha256"),
                      ("pdf_sha256", "raw_documents", "sha256")],
    )
    for column in ("item_id", "html_sha256", "pdf_sha256"):
        db["item_versions"].create_index([column])


@migrations()
def m003_official_decisions(db: sqlite_utils.Database) -> None:
    """Officials' decisions (viranhaltijapäätökset): news too, but made outside meetings."""
    db["official_decisions"].create(
        {
            "id": str,  # "<source_id>/<dynasty id>"
            "source_id": str,
            "dynasty_id": str,
            "official_title": str,
            "official_name": str,
            "decision_date": str,
            "section": str,
            "case_number": str,
            "case_number_raw": str,
            "task_class": str,
            "title": str,
            "decision": str,
            "url": str,
            "html_sha256": str,
            "warnings": str,  # JSON list
            "parser_version": str,
            "first_seen": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id"), ("html_sha256", "raw_documents", "sha256")],
    )
    for column in ("source_id", "decision_date", "case_number", "official_name", "html_sha256"):
        db["official_decisions"].create_index([column])


@migrations()
def m004_search(db: sqlite_utils.Database) -> None:
    """Finnish full-text search: ``items.lemmas``, ``search_meta`` and ``items_fts`` (FTS5)."""
    from db import fts

    fts.install(db)


@migrations()
def m005_attachment_pages(db: sqlite_utils.Database) -> None:
    """Attachment text, one row per PDF page, searchable like items (``attachment_pages_fts``).

    ``sha256`` names the file the text came from, so an unchanged attachment is not
    extracted again; ``lemmas`` are built by the same lemmatiser as ``items.lemmas``.
    """
    from db import fts

    fts.install_attachment_pages(db)


#: ``year`` columns: (table, ISO date column they are computed from)
YEAR_COLUMNS = (("items", "meeting_date"), ("meetings", "date"),
                ("official_decisions", "decision_date"))


@migrations()
def m006_meeting_details(db: sqlite_utils.Database) -> None:
    """Meeting pages (time, place, status, attendees) and a ``year`` column for facets.

    ``meetings`` gains what the meeting document's own page says and the feeds do not,
    plus which page (document id, URL, raw archive key) it was read from, so a harvest
    knows when to read it again. ``meeting_attendees`` lists the people of the minutes
    (saapuvilla olleet jäsenet, muut saapuvilla olleet, poissa), in page order.

    ``year`` is a *virtual generated column*: SQLite computes it from the date on read,
    so no writer (harvest, reparse, a bulk loader) can forget it and old rows have it at
    once; Datasette 0.65 facets, filters and sorts on it like any column. sqlite-utils
    does not list generated columns, so a later migration must not ``transform()`` these
    tables without recreating them.
    """
    for column, kind in (("start_time", "TEXT"), ("end_time", "TEXT"), ("place", "TEXT"),
                         ("status", "TEXT"), ("page_doc_id", "TEXT"), ("page_url", "TEXT"),
                         ("page_sha256", "TEXT REFERENCES raw_documents(sha256)"),
                         ("page_warnings", "TEXT"), ("details_updated_at", "TEXT")):
        db.execute(f"ALTER TABLE [meetings] ADD COLUMN [{column}] {kind}")
    db["meetings"].create_index(["page_sha256"])
    db["meeting_attendees"].create(
        {
            "id": int,
            "meeting_id": int,
            "position": int,  # 0-based, in the order of the page
            "name": str,
            "role": str,  # "puheenjohtaja", "kaupunginjohtaja, esittelijä"
            "note": str,  # "saapui klo 17.12 § 43 käsittelyn aikana"
            "attendee_group": str,  # "members", "deputies", "others" or "absent"
            "present": int,  # 0 for the "absent" group (poissa), else 1
        },
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
    )
    for column in ("meeting_id", "name", "attendee_group"):
        db["meeting_attendees"].create_index([column])
    for table, date_column in YEAR_COLUMNS:
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN [year] INTEGER GENERATED ALWAYS AS "
                   f"(CAST(substr([{date_column}], 1, 4) AS INTEGER)) VIRTUAL")
        db[table].create_index(["year"])


@migrations()
def m007_items_body_date_index(db: sqlite_utils.Database) -> None:
    """One index for a body's items between dates, newest first, and their facets.

    The items page filtered by ``body_id`` and a ``meeting_date`` range, sorted by date,
    reads only this index for its rows' order, its count and its facets (document type,
    source, year), instead of visiting every row of the body in a 1,000,000-item table
    (benchmarks/bench_scale.py).
    """
    db.execute("CREATE INDEX [idx_items_body_id_meeting_date] ON [items] "
               "([body_id], [meeting_date], [document_type], [source_id], [year])")


#: what a source is called on every page: its municipality, else its name, else its id
SOURCE_LABEL_SQL = "coalesce(nullif(municipality, ''), nullif(name, ''), id)"


@migrations()
def m008_place_labels(db: sqlite_utils.Database) -> None:
    """Names that say which municipality a row belongs to, for pages, facets and queries.

    Body names repeat in every municipality (each has a Kaupunginhallitus), so a facet or
    a chosen body must read "Kaupunginhallitus (Kuopio)". ``sources.label`` is a virtual
    generated column (the municipality, else the source's name, else its id);
    ``bodies.label`` is stored, because a generated column cannot read another table, and
    kept right by triggers when a body is inserted or renamed or its source's names
    change, so no writer (harvest, backfill, bulk loader) can forget it.
    """
    db.execute(f"ALTER TABLE [sources] ADD COLUMN [label] TEXT GENERATED ALWAYS AS "
               f"({SOURCE_LABEL_SQL}) VIRTUAL")
    db.execute("ALTER TABLE [bodies] ADD COLUMN [label] TEXT")
    body_label = ("new.name || ' (' || coalesce((select label from sources "
                  "where sources.id = new.source_id), new.source_id) || ')'")
    db.executescript(f"""
        CREATE TRIGGER [bodies_label_insert] AFTER INSERT ON [bodies] BEGIN
          UPDATE [bodies] SET [label] = {body_label} WHERE [id] = new.id;
        END;
        CREATE TRIGGER [bodies_label_update] AFTER UPDATE OF [name], [source_id] ON [bodies]
        BEGIN
          UPDATE [bodies] SET [label] = {body_label} WHERE [id] = new.id;
        END;
        CREATE TRIGGER [sources_label_update] AFTER UPDATE OF [municipality], [name] ON [sources]
        BEGIN
          UPDATE [bodies] SET [label] = [bodies].[name] || ' (' || new.label || ')'
          WHERE [bodies].[source_id] = new.id;
        END;
        UPDATE [bodies] SET [label] = [name] || ' (' || coalesce((select label from sources
          where sources.id = bodies.source_id), source_id) || ')';
    """)
    db["bodies"].create_index(["label"])


@migrations()
def m009_handling_texts(db: sqlite_utils.Database) -> None:
    """Earlier handlings keep their texts: proposer, proposal, decision and discussion.

    A contested case's story (an earlier 8–5 vote, a tabling, a return for preparation)
    is in the decision history's texts, not in its ``Body § date`` lines; they are
    searchable like items (``item_handlings_fts``, same tokenizer and lemmatiser).
    """
    from db import fts

    fts.install_handling_texts(db)


@migrations()
def m010_facts(db: sqlite_utils.Database) -> None:
    """Facts read from the handlings' texts (:mod:`parsers.facts`, written by
    :mod:`db.facts`): the outcome of the current handling on ``items`` and of each earlier
    one on ``item_handlings``; votes, motions, the people named and euro amounts in their
    own tables; the case across meetings (``items.case_key``) and its timeline.

    In the fact tables ``handling`` is ``item_handlings.position`` of an earlier handling,
    or -1 for the item's current handling.
    """
    outcome = (("outcome", "TEXT"), ("outcome_sentence", "TEXT"), ("effective_decision", "TEXT"),
               ("departed_from_proposal", "INTEGER"), ("decision_diff", "TEXT"),
               ("voted", "INTEGER"))
    for column, kind in (*outcome, ("case_key", "TEXT"), ("facts_version", "TEXT")):
        db.execute(f"ALTER TABLE [items] ADD COLUMN [{column}] {kind}")
    for column, kind in outcome:
        db.execute(f"ALTER TABLE [item_handlings] ADD COLUMN [{column}] {kind}")
    for column in ("outcome", "departed_from_proposal", "case_key", "facts_version"):
        db["items"].create_index([column])
    common = {"id": int, "item_id": str, "handling": int, "position": int}
    db["item_votes"].create(
        {**common, "subject": str, "yes": int, "no": int, "blank": int, "absent": int,
         "winner": str,  # "proposal", "counter", "yes", "no" or NULL when not said
         "sentence": str},
        pk="id", foreign_keys=[("item_id", "items", "id")])
    db["item_motions"].create(
        {**common, "kind": str, "proposer": str, "seconders": str, "text": str,
         "lapsed": int, "sentence": str},
        pk="id", foreign_keys=[("item_id", "items", "id")])
    db["item_people"].create(
        {**common,
         "role": str,  # proposer seconder yes no blank absent dissent recusal left
         "ref": int,  # position of the motion or vote the role belongs to
         "name": str, "name_raw": str, "name_forms": str, "attendee_id": int,
         "attendee_name": str, "sentence": str},
        pk="id", foreign_keys=[("item_id", "items", "id"),
                               ("attendee_id", "meeting_attendees", "id")])
    db["item_amounts"].create(
        {**common, "field": str, "cents": int, "euros": float, "raw": str, "per": str,
         "years": str, "recipient": str, "decided": int, "sentence": str},
        pk="id", foreign_keys=[("item_id", "items", "id")])
    for table in ("item_votes", "item_motions", "item_people", "item_amounts"):
        db[table].create_index(["item_id"])
    db["item_people"].create_index(["attendee_id"])
    db["item_people"].create_index(["role"])
    db["item_amounts"].create_index(["recipient"])
    db["item_amounts"].create_index(["cents"])
    db.execute(CASE_TIMELINE_VIEW)
    db.execute(ITEM_PAIRS_VIEW)


#: every handling of every case, one row per meeting and body (agenda and minutes of the
#: same meeting are one handling: the minutes win, then an earlier handling's own text,
#: then the agenda). Three parts, one per kind of row, each grouped on its own: a filter
#: on ``case_key`` reaches into each part and its index (an aggregate over a union of
#: everything read every item, 2.2 s per case at 1M items; this way 0.5 ms).
CASE_TIMELINE_VIEW = """
CREATE VIEW case_timeline AS
SELECT s.label AS municipality, i.source_id, i.case_key,
  i.meeting_date AS date, b.name AS body, i.section, i.document_type, i.outcome,
  i.departed_from_proposal, i.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = -1) AS votes,
  i.id AS item_id, -1 AS handling, i.title, 0 AS rank
FROM items i JOIN sources s ON s.id = i.source_id LEFT JOIN bodies b ON b.id = i.body_id
WHERE i.case_key IS NOT NULL AND +i.document_type = 'minutes'
GROUP BY s.label, i.case_key, i.meeting_date, b.name
UNION ALL
SELECT s.label, i.source_id, i.case_key, h.date, h.body,
  h.section, 'minutes', h.outcome, h.departed_from_proposal, h.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = h.position),
  i.id, h.position, i.title, 1
FROM item_handlings h JOIN items i ON i.id = h.item_id JOIN sources s ON s.id = i.source_id
WHERE i.case_key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM items m JOIN sources ms ON ms.id = m.source_id
    LEFT JOIN bodies mb ON mb.id = m.body_id
    WHERE m.case_key = i.case_key AND m.document_type = 'minutes'
      AND m.meeting_date IS h.date AND mb.name IS h.body AND ms.label = s.label)
GROUP BY s.label, i.case_key, h.date, h.body
UNION ALL
SELECT s.label, i.source_id, i.case_key, i.meeting_date, b.name, i.section,
  i.document_type, i.outcome, i.departed_from_proposal, i.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = -1),
  i.id, -1, i.title, 2
FROM items i JOIN sources s ON s.id = i.source_id LEFT JOIN bodies b ON b.id = i.body_id
WHERE i.case_key IS NOT NULL AND i.document_type IS NOT 'minutes'
  AND NOT EXISTS (SELECT 1 FROM items m JOIN sources ms ON ms.id = m.source_id
    LEFT JOIN bodies mb ON mb.id = m.body_id
    WHERE m.case_key = i.case_key AND m.document_type = 'minutes'
      AND m.meeting_date IS i.meeting_date AND mb.name IS b.name AND ms.label = s.label)
  AND NOT EXISTS (SELECT 1 FROM item_handlings e JOIN items ei ON ei.id = e.item_id
    JOIN sources es ON es.id = ei.source_id
    WHERE ei.case_key = i.case_key AND e.date IS i.meeting_date AND e.body IS b.name
      AND es.label = s.label)
GROUP BY s.label, i.case_key, i.meeting_date, b.name
ORDER BY municipality, case_key, date, body
"""

#: the agenda item and the minutes item of the same meeting and case (or title)
ITEM_PAIRS_VIEW = """
CREATE VIEW item_pairs AS
SELECT a.id AS agenda_item_id, m.id AS minutes_item_id, a.meeting_id, a.case_key,
  a.meeting_date, a.title
FROM items a JOIN items m ON m.meeting_id = a.meeting_id AND m.document_type = 'minutes'
  AND (m.case_key = a.case_key OR (a.case_key IS NULL AND m.case_key IS NULL
                                   AND m.title = a.title))
WHERE a.document_type = 'agenda'
"""


@migrations()
def m011_official_decisions_search(db: sqlite_utils.Database) -> None:
    """Officials' decisions are searched with the same Finnish analysis as items:
    ``official_decisions.lemmas`` and ``official_decisions_fts`` (title, decision,
    official), kept in step by triggers; existing rows are lemmatised here."""
    from db import fts

    fts.install_official_decisions(db)



@migrations()
def m012_meeting_labels(db: sqlite_utils.Database) -> None:
    """``meetings.label``, e.g. "Kaupunginhallitus (Kuopio) 2024-10-07", so every row that
    points at a meeting (an attendee, an item) names its municipality and body in
    Datasette's lists, not just a date that every town's board shares. Stored and kept by
    triggers like ``bodies.label`` (m008): when a meeting is inserted or moved, and when
    its body's label changes (a body renamed, its source's names changed).
    """
    db.execute("ALTER TABLE [meetings] ADD COLUMN [label] TEXT")
    meeting_label = ("coalesce((select label from bodies where bodies.id = new.body_id), '') "
                     "|| ' ' || coalesce(new.date, '')")
    db.executescript(f"""
        CREATE TRIGGER [meetings_label_insert] AFTER INSERT ON [meetings] BEGIN
          UPDATE [meetings] SET [label] = {meeting_label} WHERE [id] = new.id;
        END;
        CREATE TRIGGER [meetings_label_update] AFTER UPDATE OF [body_id], [date] ON [meetings]
        BEGIN
          UPDATE [meetings] SET [label] = {meeting_label} WHERE [id] = new.id;
        END;
        CREATE TRIGGER [bodies_label_meetings] AFTER UPDATE OF [label] ON [bodies] BEGIN
          UPDATE [meetings] SET [label] = coalesce(new.label, '') || ' ' || coalesce([date], '')
          WHERE [body_id] = new.id;
        END;
        UPDATE [meetings] SET [label] = coalesce((select label from bodies
          where bodies.id = meetings.body_id), '') || ' ' || coalesce([date], '');
    """)


@migrations()
def m013_pdf_parses(db: sqlite_utils.Database) -> None:
    """PDF parses in progress and the ones that failed, by the file's sha256.

    A row is written (and committed) before a PDF is parsed and closed after; a row left
    open means the run died during that parse (``attempts`` counts such starts). A file
    whose parse was left open twice is not tried again (:mod:`scraper.pdf_guard`), so no
    file can take down two runs, while one ``kill -9`` costs nothing.
    """
    db["pdf_parses"].create(
        {"sha256": str, "kind": str, "started_at": str, "finished_at": str, "error": str,
         "attempts": int},
        pk="sha256",
    )


@migrations()
def m014_case_timeline_by_case(db: sqlite_utils.Database) -> None:
    """``case_timeline`` as :data:`CASE_TIMELINE_VIEW` now reads it: the same rows, and
    a case's timeline found through the case index instead of by reading every item."""
    db.execute("DROP VIEW IF EXISTS case_timeline")
    db.execute(CASE_TIMELINE_VIEW)


@migrations()
def m015_items_proposer_name_index(db: sqlite_utils.Database) -> None:
    """An index on ``items.proposer_name``: ``items_by_person`` reads the distinct
    proposers' names from it (a scan of every item before) and finds a name's items
    through it."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_items_proposer_name ON items (proposer_name)")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive database and bring its schema up to date.

    WAL lets Datasette read while a harvest writes; foreign keys are enforced so a bug
    cannot leave an item pointing at a meeting that does not exist. A bulk load by an
    earlier version that died before its one index rebuild left rows outside the search
    index; opening the file finishes that rebuild, so search never silently misses them.
    """
    # usable from a concurrent harvest's host threads, which take turns on it (one at a
    # time: scraper.baton), so SQLite's same-thread check would only get in the way
    db = sqlite_utils.Database(sqlite3.connect(str(path), check_same_thread=False))
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.enable_wal()
    migrations.apply(db)
    from db import bulk  # here: db.bulk imports the store, which the schema must not

    bulk.repair(db)  # an earlier version's bulk load killed before its rebuild
    return db
