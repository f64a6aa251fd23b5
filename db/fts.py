"""Finnish full-text search over items: the FTS5 index, its ``lemmas`` and the query side.

Index: ``items.lemmas`` holds the base-form tokens of an item's text (see
:mod:`db.lemmas`); the FTS5 table ``items_fts`` indexes the text columns and ``lemmas``
together with ``tokenize="unicode61 remove_diacritics 2"``, kept in step with ``items``
by sqlite-utils' triggers. ``search_meta`` records which analyser (``voikko`` or
``snowball``) and which version of the lemmatisation built the lemmas; when either
differs from what this process would use, :func:`ensure_index` recomputes them all, so
an index is never a mix of two analysers.

Queries: :func:`match_expression` turns what a person typed into an FTS5 ``MATCH``
expression: every query word becomes its surface form OR its base forms, words are
AND'ed, and every token is quoted, so ``Ely-keskus``, ``2018-2020``, ``12.3.2025``, a
stray ``"`` or ``AND``/``NEAR`` never raise an FTS syntax error. :func:`highlight` and
:func:`snippet` mark the matching words in the original text (``<mark>``) and escape
the rest as HTML.

Rowids: ``items`` has a text primary key, so ``items_fts`` follows its implicit rowid.
``VACUUM`` may renumber such rowids; run :func:`rebuild` after a ``VACUUM``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import logging
import re
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db.lemmas import (
    LEMMAS_VERSION,
    WORD_RE,
    Lemmatiser,
    default_lemmatiser,
    fold,
    fts_tokens,
    is_numeric,
    lemmatiser_named,
)

log = logging.getLogger(__name__)

FTS_TABLE = "items_fts"
META_TABLE = "search_meta"
TOKENIZE = "unicode61 remove_diacritics 2"
#: item columns searched as written; ``appeal`` (boilerplate) and codes are left out
TEXT_COLUMNS = ("title", "proposal", "decision", "discussion", "background",
                "for_information", "supplementary", "proposer_name")
#: what ``items_fts`` indexes, in this order (bm25 weights follow it)
FTS_COLUMNS = (*TEXT_COLUMNS, "lemmas")
#: FTS5 operators a person may type; they are dropped, the words are AND'ed anyway
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
#: unknown words' stems also match as prefixes: stem minus PREFIX_TRIM letters, at least
#: PREFIX_MIN letters long
PREFIX_MIN = 4
PREFIX_TRIM = 1
_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")


# --- index ---------------------------------------------------------------------------


def item_lemmas(row: Mapping[str, Any], preparer_names: Iterable[str | None] = (),
                lemmatiser: Lemmatiser | None = None) -> str:
    """The ``lemmas`` value of one item row: base forms and compound parts its text columns
    do not already hold as written, and every token of its preparers' names."""
    texts = [row.get(c) for c in TEXT_COLUMNS]
    return (lemmatiser or default_lemmatiser()).lemmas_text(texts, preparer_names)


def install(db: sqlite_utils.Database, lemmatiser: Lemmatiser | None = None) -> None:
    """Add ``items.lemmas``, ``search_meta`` and ``items_fts`` with its triggers (migration)."""
    if "lemmas" not in db["items"].columns_dict:
        db["items"].add_column("lemmas", str)
    if not db[META_TABLE].exists():
        db[META_TABLE].create({"key": str, "value": str}, pk="key")
    db["items"].enable_fts(list(FTS_COLUMNS), fts_version="FTS5", tokenize=TOKENIZE,
                           create_triggers=True, replace=True)
    ensure_index(db, lemmatiser or default_lemmatiser())


#: attachment text per PDF page, and its FTS5 index (same tokenizer, same lemmatiser)
PAGES_TABLE = "attachment_pages"
PAGES_FTS_TABLE = f"{PAGES_TABLE}_fts"
PAGES_FTS_COLUMNS = ("text", "lemmas")


def page_lemmas(text: str | None, lemmatiser: Lemmatiser | None = None) -> str:
    """The ``lemmas`` value of one attachment page (base forms not written in its text)."""
    return (lemmatiser or default_lemmatiser()).lemmas_text([text])


def install_attachment_pages(db: sqlite_utils.Database) -> None:
    """Create ``attachment_pages`` and ``attachment_pages_fts`` with its triggers (migration)."""
    table = db[PAGES_TABLE]
    table.create(
        {"id": int, "attachment_id": str, "sha256": str, "page": int, "text": str,
         "lemmas": str},
        pk="id",
        foreign_keys=[("attachment_id", "attachments", "id"),
                      ("sha256", "raw_documents", "sha256")],
    )
    table.create_index(["attachment_id", "page"], unique=True)
    table.create_index(["attachment_id"])
    table.create_index(["sha256"])
    table.enable_fts(list(PAGES_FTS_COLUMNS), fts_version="FTS5", tokenize=TOKENIZE,
                     create_triggers=True, replace=True)



#: earlier handlings' texts (``item_handlings``) and their FTS5 index
HANDLINGS_TABLE = "item_handlings"
HANDLINGS_FTS_TABLE = f"{HANDLINGS_TABLE}_fts"
HANDLING_TEXT_COLUMNS = ("proposal", "decision", "discussion")
HANDLINGS_FTS_COLUMNS = (*HANDLING_TEXT_COLUMNS, "lemmas")


def handling_lemmas(row: Mapping[str, Any], lemmatiser: Lemmatiser | None = None) -> str | None:
    """The ``lemmas`` value of one earlier handling (base forms of its texts); ``None``
    for a handling known only by its ``Body § date`` line."""
    texts = [row.get(c) for c in HANDLING_TEXT_COLUMNS]
    if not any(texts):
        return None
    return (lemmatiser or default_lemmatiser()).lemmas_text(texts)


def install_handling_texts(db: sqlite_utils.Database) -> None:
    """Give ``item_handlings`` its text columns and ``item_handlings_fts`` (migration).

    Rows stored before have no texts; their ``lemmas`` stay empty until a reparse
    writes the texts (the triggers then index them)."""
    table = db[HANDLINGS_TABLE]
    for column in ("proposer_name", "proposer_title", *HANDLING_TEXT_COLUMNS, "lemmas"):
        if column not in table.columns_dict:
            db.execute(f"ALTER TABLE [{HANDLINGS_TABLE}] ADD COLUMN [{column}] TEXT")
    table.enable_fts(list(HANDLINGS_FTS_COLUMNS), fts_version="FTS5", tokenize=TOKENIZE,
                     create_triggers=True, replace=True)


#: officials' decisions (viranhaltijapäätös) and their FTS5 index: the same tokenizer and
#: lemmatiser, so the reporters' search finds them as it finds items
OFFICIALS_TABLE = "official_decisions"
OFFICIALS_FTS_TABLE = f"{OFFICIALS_TABLE}_fts"
OFFICIAL_TEXT_COLUMNS = ("title", "decision", "official_title", "official_name")
OFFICIALS_FTS_COLUMNS = (*OFFICIAL_TEXT_COLUMNS, "lemmas")


def official_lemmas(row: Mapping[str, Any], lemmatiser: Lemmatiser | None = None) -> str:
    """The ``lemmas`` value of one official's decision (base forms and compound parts
    its title, text and official do not already hold as written)."""
    return (lemmatiser or default_lemmatiser()).lemmas_text(
        [row.get(c) for c in OFFICIAL_TEXT_COLUMNS])


def install_official_decisions(db: sqlite_utils.Database) -> None:
    """Give ``official_decisions`` its ``lemmas`` and ``official_decisions_fts`` (migration);
    rows stored before get their lemmas from the analyser that built the index."""
    table = db[OFFICIALS_TABLE]
    if "lemmas" not in table.columns_dict:
        db.execute(f"ALTER TABLE [{OFFICIALS_TABLE}] ADD COLUMN [lemmas] TEXT")
    table.enable_fts(list(OFFICIALS_FTS_COLUMNS), fts_version="FTS5", tokenize=TOKENIZE,
                     create_triggers=True, replace=True)
    if db.execute(f"select 1 from [{OFFICIALS_TABLE}] limit 1").fetchone():
        _reindex_officials(db, lemmatiser_for(db), 1000)


def read_meta(conn: sqlite3.Connection | sqlite_utils.Database) -> dict[str, str]:
    """``search_meta`` as a dict; empty when the table is missing."""
    try:
        rows = conn.execute(f"select key, value from {META_TABLE}").fetchall()
    except sqlite3.Error:
        return {}
    return {k: v for k, v in rows}


def index_analyser(conn: sqlite3.Connection | sqlite_utils.Database) -> str | None:
    """Name of the analyser that built the database's lemmas (``voikko``/``snowball``)."""
    return read_meta(conn).get("analyser")


def ensure_index(db: sqlite_utils.Database, lemmatiser: Lemmatiser) -> bool:
    """Make every item's lemmas come from ``lemmatiser``; ``True`` when they were rebuilt."""
    meta = read_meta(db)
    if meta.get("analyser") == lemmatiser.name and meta.get("lemmas_version") == LEMMAS_VERSION:
        return False
    if meta.get("analyser"):
        log.warning("search index was built with %s (lemmas v%s); rebuilding it with %s",
                    meta.get("analyser"), meta.get("lemmas_version"), lemmatiser.name)
    reindex(db, lemmatiser)
    return True


def reindex(db: sqlite_utils.Database, lemmatiser: Lemmatiser, chunk: int = 1000) -> int:
    """Recompute ``lemmas`` of every item (the triggers update ``items_fts``); rows changed.

    One transaction, so readers see the old index or the new one; items are read
    ``chunk`` at a time by rowid, each chunk in full before it is written.
    """
    columns = ", ".join(f"items.[{c}]" for c in TEXT_COLUMNS)
    sql = (f"select items.rowid as _rowid, items.id, items.lemmas, {columns}, "
           "(select group_concat(name, char(10)) from item_preparers p where p.item_id = items.id)"
           " as preparers from items where items.rowid > ? order by items.rowid limit ?")
    changed = 0
    last = -(2 ** 63)
    with db.atomic():
        while True:
            rows = list(db.query(sql, [last, chunk]))
            if not rows:
                break
            last = rows[-1]["_rowid"]
            changes = []
            for row in rows:
                names = (row.pop("preparers") or "").split("\n")
                value = item_lemmas(row, names, lemmatiser)
                if value != row["lemmas"]:
                    changes.append((value, row["id"]))
            db.conn.executemany("update items set lemmas = ? where id = ?", changes)
            changed += len(changes)
        if db[PAGES_TABLE].exists():
            changed += _reindex_pages(db, lemmatiser, chunk)
        if db[HANDLINGS_FTS_TABLE].exists():
            changed += _reindex_handlings(db, lemmatiser, chunk)
        if db[OFFICIALS_FTS_TABLE].exists():
            changed += _reindex_officials(db, lemmatiser, chunk)
        _write_meta(db, lemmatiser)
    return changed


def _reindex_table(db: sqlite_utils.Database, table: str, columns: Sequence[str],
                   lemmas_of: Callable[[dict[str, Any]], str | None], chunk: int) -> int:
    """Recompute ``table.lemmas`` with ``lemmas_of`` (given a row's ``columns``), ``chunk``
    rows at a time in rowid order; only changed rows are written (inside
    :func:`reindex`'s transaction, or a migration's). Rows changed."""
    changed = 0
    last = -(2 ** 63)
    wanted = ", ".join(f"[{c}]" for c in columns)
    while True:
        rows = list(db.query(f"select rowid as _rowid, lemmas, {wanted} from [{table}] "
                             "where rowid > ? order by rowid limit ?", [last, chunk]))
        if not rows:
            return changed
        last = rows[-1]["_rowid"]
        changes = [(value, row["_rowid"]) for row in rows
                   if (value := lemmas_of(row)) != row["lemmas"]]
        db.conn.executemany(f"update [{table}] set lemmas = ? where rowid = ?", changes)
        changed += len(changes)


def _reindex_pages(db: sqlite_utils.Database, lemmatiser: Lemmatiser, chunk: int) -> int:
    return _reindex_table(db, PAGES_TABLE, ["text"],
                          lambda row: page_lemmas(row["text"], lemmatiser), chunk)


def _reindex_handlings(db: sqlite_utils.Database, lemmatiser: Lemmatiser, chunk: int) -> int:
    return _reindex_table(db, HANDLINGS_TABLE, HANDLING_TEXT_COLUMNS,
                          lambda row: handling_lemmas(row, lemmatiser), chunk)


def _reindex_officials(db: sqlite_utils.Database, lemmatiser: Lemmatiser, chunk: int) -> int:
    return _reindex_table(db, OFFICIALS_TABLE, OFFICIAL_TEXT_COLUMNS,
                          lambda row: official_lemmas(row, lemmatiser), chunk)


def _write_meta(db: sqlite_utils.Database, lemmatiser: Lemmatiser) -> None:
    values = {"analyser": lemmatiser.name, "analyser_detail": lemmatiser.detail,
              "lemmas_version": LEMMAS_VERSION, "tokenize": TOKENIZE,
              "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    db[META_TABLE].upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")


def rebuild(db: sqlite_utils.Database) -> None:
    """Rebuild ``items_fts`` from ``items`` (after a ``VACUUM``, or if in doubt)."""
    db.execute(f"insert into [{FTS_TABLE}]([{FTS_TABLE}]) values ('rebuild')")
    for table in (PAGES_FTS_TABLE, HANDLINGS_FTS_TABLE):
        if db[table].exists():
            db.execute(f"insert into [{table}]([{table}]) values ('rebuild')")


_for_db: weakref.WeakKeyDictionary[sqlite_utils.Database, Lemmatiser] = (
    weakref.WeakKeyDictionary()
)


def use_lemmatiser(db: sqlite_utils.Database, lemmatiser: Lemmatiser) -> Lemmatiser:
    """Make ``lemmatiser`` the one writes to ``db`` use (rebuilding lemmas if needed)."""
    ensure_index(db, lemmatiser)
    _for_db[db] = lemmatiser
    return lemmatiser


def lemmatiser_for(db: sqlite_utils.Database) -> Lemmatiser:
    """The lemmatiser for writes to ``db``: the process default unless one was injected."""
    found = _for_db.get(db)
    return found if found is not None else use_lemmatiser(db, default_lemmatiser())


def lemmatiser_for_connection(conn: sqlite3.Connection) -> Lemmatiser:
    """For reading: the same analyser as the one that built this database's index."""
    name = index_analyser(conn)
    if name:
        found = lemmatiser_named(name)
        if found is not None:
            return found
        log.warning("the search index was built with %s, which is not available here: "
                    "queries are lemmatised with %s and will miss inflected forms",
                    name, default_lemmatiser().name)
    return default_lemmatiser()


# --- queries ---------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass
class Query:
    """A parsed query: its FTS5 terms and what to highlight."""

    terms: list[str] = field(default_factory=list)  # one FTS5 expression per query word
    tokens: set[str] = field(default_factory=set)  # folded tokens that mark a text word
    numbers: list[tuple[str, ...]] = field(default_factory=list)  # digit groups to mark
    prefixes: set[str] = field(default_factory=set)  # folded prefixes that mark a text word

    @property
    def expression(self) -> str:
        """The FTS5 MATCH expression; ``""`` (matches nothing) for an empty query."""
        return " AND ".join(self.terms) if self.terms else '""'


def _alternatives(word: str, lemmatiser: Lemmatiser) -> tuple[list[str], set[str], set[str]]:
    """The OR'ed alternatives of one word (surface, base forms), their tokens and prefixes."""
    surface = fts_tokens(word)
    tokens = lemmatiser.word(word)
    alts = [_quote(" ".join(surface))] if surface else []
    alts += [_quote(t) for t in sorted(tokens.lemmas)]
    marks = set(surface) | set(tokens.lemmas)
    prefixes: set[str] = set()
    if not tokens.known and not is_numeric(word):
        # a stem (no dictionary knew the word): Snowball stems of one word's forms differ
        # in their last letters (avustus/avustuks), so its shortened stem also matches
        # as a prefix
        for stem in tokens.lemmas:
            if len(stem) >= PREFIX_MIN + 1:
                prefix = stem[:max(PREFIX_MIN, len(stem) - PREFIX_TRIM)]
                prefixes.add(prefix)
                alts.append(_quote(prefix) + " *")
    head = word.split(":", 1)[0]
    pieces = [p for p in head.split("-") if p]
    if len(pieces) > 1:
        # Ely-keskus: also each piece, AND'ed, each by its own alternatives
        groups = []
        for piece in pieces:
            piece_alts, piece_marks, piece_prefixes = _alternatives(piece, lemmatiser)
            marks |= piece_marks
            prefixes |= piece_prefixes
            if piece_alts:
                groups.append("(" + " OR ".join(piece_alts) + ")")
        if groups:
            alts.append("(" + " AND ".join(groups) + ")")
    return list(dict.fromkeys(alts)), marks, prefixes


def parse_query(q: str | None, lemmatiser: Lemmatiser) -> Query:
    """Lemmatise a query as the index was: words AND'ed, each word's forms OR'ed."""
    query = Query()
    for word in WORD_RE.findall(q or ""):
        word = word.replace("\u00ad", "")
        if not word or word in _OPERATORS:
            continue
        if is_numeric(word):
            groups = tuple(_DIGITS_RE.findall(word))
            query.terms.append(_quote(" ".join(groups)))
            query.numbers.append(groups)
            continue
        alts, marks, prefixes = _alternatives(word, lemmatiser)
        if alts:
            query.terms.append("(" + " OR ".join(alts) + ")")
            query.tokens |= {fold(m) for m in marks}
            query.prefixes |= {fold(p) for p in prefixes}
    query.terms = list(dict.fromkeys(query.terms))
    return query


def match_expression(q: str | None, lemmatiser: Lemmatiser) -> str:
    """The FTS5 MATCH expression for a query (never a syntax error)."""
    return parse_query(q, lemmatiser).expression


def _marks(word: str, query: Query, lemmatiser: Lemmatiser) -> bool:
    if any(c.isdigit() for c in word) and query.numbers:
        groups = tuple(_DIGITS_RE.findall(word))
        for wanted in query.numbers:
            n = len(wanted)
            if any(groups[i:i + n] == wanted for i in range(len(groups) - n + 1)):
                return True
    if not query.tokens:
        return False
    tokens = lemmatiser.word(word)
    candidates = {fold(t) for t in (*fts_tokens(word), *tokens.lemmas, *tokens.parts)}
    if candidates & query.tokens:
        return True
    return any(c.startswith(p) for c in candidates for p in query.prefixes)


def _pieces(text: str, query: Query, lemmatiser: Lemmatiser,
            marks: dict[str, bool] | None = None) -> list[tuple[str, bool]]:
    """``text`` cut into (gap, False) and (word, matched) pieces."""
    return _split(text, query, lemmatiser, marks)[0]


def _split(text: str, query: Query, lemmatiser: Lemmatiser,
           marks: dict[str, bool] | None = None) -> tuple[list[tuple[str, bool]], list[int]]:
    """:func:`_pieces` and the positions of the words among them; ``marks`` remembers
    each word's verdict for this query (rows of one search share most of their words)."""
    out: list[tuple[str, bool]] = []
    word_at: list[int] = []
    pos = 0
    if marks is None:
        marks = {}
    for m in WORD_RE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        word = m.group()
        hit = _verdict(word, query, lemmatiser, marks)
        word_at.append(len(out))
        out.append((word, hit))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out, word_at


#: words whose verdict is remembered per query
_MARKS_MAX = 100_000


def _verdict(word: str, query: Query, lemmatiser: Lemmatiser, marks: dict[str, bool]) -> bool:
    """Whether ``word`` matches ``query``, remembered in ``marks`` (up to
    :data:`_MARKS_MAX` words) for the query's other rows."""
    hit = marks.get(word)
    if hit is None:
        hit = _marks(word, query, lemmatiser)
        if len(marks) < _MARKS_MAX:
            marks[word] = hit
    return hit


@functools.lru_cache(maxsize=128)
def _prepared(q: str | None, lemmatiser: Lemmatiser) -> tuple[Query, dict[str, bool]]:
    """A query parsed once for all the rows it highlights, with its word verdicts."""
    return parse_query(q, lemmatiser), {}


def _render(pieces: Iterable[tuple[str, bool]]) -> str:
    return "".join(f"<mark>{html.escape(p)}</mark>" if hit else html.escape(p)
                   for p, hit in pieces)


def matches(text: str | None, q: str | None, lemmatiser: Lemmatiser) -> bool:
    """Whether :func:`highlight` would mark a word of ``text``: the answer alone, read up
    to the first such word (a search orders its ranked window by it)."""
    if not text:
        return False
    query, marks = _prepared(q, lemmatiser)
    return any(_verdict(m.group(), query, lemmatiser, marks) for m in WORD_RE.finditer(text))


def highlight(text: str | None, q: str | None, lemmatiser: Lemmatiser) -> str | None:
    """``text`` as HTML with every word matching the query in ``<mark>``."""
    if text is None:
        return None
    query, marks = _prepared(q, lemmatiser)
    return _render(_pieces(text, query, lemmatiser, marks))


def snippet(text: str | None, q: str | None, lemmatiser: Lemmatiser, size: int = 30) -> str | None:
    """The ``size`` words of ``text`` with the most matches, as HTML with ``<mark>``s."""
    if text is None:
        return None
    query, marks = _prepared(q, lemmatiser)
    pieces, word_at = _split(text, query, lemmatiser, marks)
    is_word = set(word_at)
    pieces = [(p, hit) if i in is_word else (_SPACE_RE.sub(" ", p), hit)
              for i, (p, hit) in enumerate(pieces)]
    if not word_at:
        return html.escape(" ".join(text.split()))
    size = max(1, size)
    hits = [pieces[i][1] for i in word_at]
    best, best_count, count = 0, -1, 0
    for end in range(len(hits)):
        count += hits[end]
        if end >= size:
            count -= hits[end - size]
        start = max(0, end - size + 1)
        if count > best_count:
            best, best_count = start, count
    window = [i for i in range(best, min(best + size, len(hits))) if hits[i]]
    if window:  # centre the window on its matches
        middle = (window[0] + window[-1]) // 2
        start = min(window[0], max(window[-1] - size + 1, middle - size // 2))
        best = max(0, min(len(hits) - size, start))
    first = word_at[best]
    last = word_at[min(best + size, len(word_at)) - 1]
    body = _render(pieces[first:last + 1])
    before = "… " if best > 0 else ""
    after = " …" if best + size < len(word_at) else ""
    return before + body + after
