"""Datasette plugin: Finnish full-text search functions for SQL.

Registered through the ``datasette`` entry point in ``pyproject.toml``, so
``kokousarkisto serve``, ``datasette`` itself and the tests all load it. On every
connection it registers, with the analyser that built that database's index (read from
``search_meta``):

``fi_query(q)``
    an FTS5 MATCH expression for what a person typed: ``items_fts match fi_query(:q)``.
    Each word is its surface form OR its base forms; words are AND'ed; every token is
    quoted, so no input is an FTS syntax error (an empty query matches nothing).
``fi_highlight(text, q)``
    ``text`` as HTML, each word whose base form matches the query in ``<mark>``.
``fi_snippet(text, q[, words])``
    the passage of ``words`` words (default 30) with the most matches, as HTML.
``fi_matches(text, q)``
    1 when ``fi_highlight`` would mark a word of ``text``, else 0 (cheaper: no HTML).
``fi_lemmas(text)``
    the base-form tokens the index stores for ``text`` (for checking why a row matched).
``fi_iso_date(value, default)``, ``fi_lower(text)``
    canned queries' date parameters in Finnish or ISO form (empty = ``default``), and
    case folding of names beyond ASCII.
``escape_fts(q)``
    Datasette's own function, replaced by ``fi_query``: the search box of a table with
    an FTS index (``items``) becomes Finnish-aware too.

Routes that do not name the database file (:mod:`kokousarkisto.links`), all registered
by :mod:`kokousarkisto.reporter.hooks`: the reporters' Finnish pages (``/``, ``/haku``,
``/kohta/<source id>/<Dynasty item id>`` — an item's stable page —, ``/kokous/``,
``/toimielin/``, ``/diaari/``, ``/paatos/``, ``/arkisto/<sha256>``; see
:mod:`kokousarkisto.reporter.routes`) and ``/arkisto/<path>``, a redirect into the
archive database; every template gets ``kk_db``, the archive database's name, for links
of its own.

An item's row page (``/<db>/items/<id>``) redirects to its item hub (``/kohta/…``);
every other row page names the row's municipality and body (``kk_place`` from
:mod:`kokousarkisto.place`, shown by ``templates/row.html``).

Columns called ``title`` or ``snippet`` in query results are shown as HTML in which only
``<mark>`` tags survive; everything else is escaped again, so no SQL can inject markup.
"""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils import urlsafe_components
from markupsafe import Markup

from db import fts
from db.lemmas import Lemmatiser
from kokousarkisto import links, place

# the reporters' pages and every other route of the plugin: one register_routes there
from kokousarkisto.reporter.hooks import (  # noqa: F401
    asgi_wrapper,
    handle_exception,
    register_routes,
    startup,
)
from parsers import case_key

#: What one call of an ``fi_*`` function may be given. A Python function cannot be
#: interrupted by Datasette's SQL time limit (SQLite checks it between its own steps), so
#: each call is kept short: a query of 200 characters, a text of 100,000 (longer texts
#: are highlighted, snippeted and lemmatised from their first 100,000 characters). A
#: crafted query of 1 GB ran 34 s before these caps.
MAX_QUERY_CHARS = 200
MAX_TEXT_CHARS = 100_000

#: query-result columns rendered as HTML (only <mark> kept)
HTML_COLUMNS = frozenset({"title", "snippet"})
_MARK_RE = re.compile(r"(</?mark>)")


def _text(value: Any, limit: int = MAX_TEXT_CHARS) -> str | None:
    """``value`` as a string of at most ``limit`` characters (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value[:limit]).decode("utf-8", "replace")
    text = value if isinstance(value, str) else str(value)
    return text[:limit]


def _query(value: Any) -> str | None:
    return _text(value, MAX_QUERY_CHARS)


def register_functions(conn: sqlite3.Connection, lemmatiser: Lemmatiser | None = None) -> None:
    """Register the ``fi_*`` SQL functions (and ``escape_fts``) on ``conn``."""
    lem = lemmatiser or fts.lemmatiser_for_connection(conn)

    def fi_query(q: Any) -> str:
        return fts.match_expression(_query(q), lem)

    def fi_highlight(text: Any, q: Any) -> str | None:
        return fts.highlight(_text(text), _query(q), lem)

    def fi_snippet(text: Any, q: Any = None, size: Any = 30) -> str | None:
        try:
            words = int(size)
        except (TypeError, ValueError):
            words = 30
        return fts.snippet(_text(text), _query(q), lem, size=min(max(words, 1), 500))

    def fi_matches(text: Any, q: Any) -> int:
        return int(fts.matches(_text(text), _query(q), lem))

    def fi_lemmas(text: Any) -> str:
        value = _text(text)
        return lem.lemmas_text([value]) if value else ""

    conn.create_function("fi_query", 1, fi_query, deterministic=True)
    conn.create_function("fi_highlight", 2, fi_highlight, deterministic=True)
    conn.create_function("fi_snippet", 2, fi_snippet, deterministic=True)
    conn.create_function("fi_snippet", 3, fi_snippet, deterministic=True)
    conn.create_function("fi_matches", 2, fi_matches, deterministic=True)
    conn.create_function("fi_lemmas", 1, fi_lemmas, deterministic=True)
    # a case number in any printed form → items.case_key (3700/10.02.02/2024 → 3700/2024)
    conn.create_function("fi_case_key", 1, lambda t: case_key(_text(t)), deterministic=True)
    conn.create_function("escape_fts", 1, fi_query, deterministic=True)
    conn.create_function("fi_iso_date", 2, fi_iso_date, deterministic=True)
    conn.create_function("fi_lower", 1, fi_lower, deterministic=True)


def fi_iso_date(value: Any, default: Any = None) -> Any:
    """A date parameter of a canned query as ``YYYY-MM-DD``: ``1.1.2025`` and
    ``2025-01-01`` alike; ``default`` (an open bound) when empty; anything else as it
    is (it then matches no date, as before)."""
    from kokousarkisto.reporter.params import parse_date

    text = _text(value)
    if text is None or not text.strip():
        return default
    parsed = parse_date(text[:40])
    return parsed.isoformat() if parsed else text


def fi_lower(value: Any) -> str | None:
    """``lower()`` for every letter (SQLite's folds only ASCII: JÄÄSKELÄINEN ≠
    jääskeläinen), bounded to 10,000 characters."""
    text = _text(value)
    return text[:10000].casefold() if text is not None else None


@hookimpl(trylast=True)  # after Datasette's own escape_fts, which this replaces
def prepare_connection(conn, database, datasette):
    register_functions(conn)


def safe_marked_html(value: str) -> Markup:
    """HTML in which only ``<mark>``/``</mark>`` are kept; any other markup is escaped."""
    pieces = _MARK_RE.split(value)
    return Markup("".join(p if p in ("<mark>", "</mark>") else html.escape(html.unescape(p))
                          for p in pieces))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is None and column in HTML_COLUMNS and isinstance(value, str):
        return safe_marked_html(value)
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """``kk_db`` everywhere; ``kk_place`` (municipality, body) for rows' pages (an
    ``items`` row redirects to its item hub, ``/kohta/…``)."""
    pks = (request.url_vars or {}).get("pks") if request is not None else None
    row = view_name == "row" and pks

    async def inner():
        extra: dict[str, Any] = {"kk_db": await links.archive_database(datasette)}
        components = urlsafe_components(pks) if row else []
        if len(components) == 1:
            extra["kk_place"] = await place.row_place(datasette, database, table, components[0])
        return extra

    return inner
