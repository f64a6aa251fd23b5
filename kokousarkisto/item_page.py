"""The item page's data: an ``items`` row as a document, with its scraped text made safe.

:func:`item_context` reads an item with its municipality, body, preparers, earlier
handlings and attachments; the item hub (``/kohta/…``, :mod:`kokousarkisto.reporter`)
builds on it.

Everything scraped is text. The template autoescapes the plain fields; the long text
fields are turned into HTML here, by escaping each paragraph and list line and building
the ``<p>``/``<ul>``/``<ol>``/``<li>`` tags ourselves. Links are kept only when they are
``http(s)`` URLs.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from kokousarkisto import links

#: the text fields rendered as paragraphs, in page order, with their headings
TEXT_FIELDS = (
    ("proposal", "Päätösehdotus (proposal)"),
    ("decision", "Päätös (decision)"),
    ("discussion", "Käsittely (discussion)"),
    ("background", "Selostus (background)"),
    ("for_information", "Tiedoksi (for information)"),
    ("supplementary", "Oheismateriaali (supplementary material)"),
    ("appeal", "Muutoksenhaku (appeal)"),
)
DOCUMENT_TYPES = {"agenda": "esityslista (agenda)", "minutes": "pöytäkirja (minutes)"}

_BULLET_RE = re.compile(r"^\s*[-–•*]\s+(.*)$")
_NUMBERED_RE = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def safe_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL, else ``None`` (no ``javascript:``)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def _lines_html(lines: list[str]) -> str:
    """One paragraph's lines: list runs become ``<ul>``/``<ol>``, the rest ``<p>``."""
    out: list[str] = []
    text: list[str] = []
    list_kind: str | None = None
    list_items: list[str] = []

    def flush_text() -> None:
        if text:
            out.append("<p>" + "<br>\n".join(html.escape(t) for t in text) + "</p>")
            text.clear()

    def flush_list() -> None:
        nonlocal list_kind
        if list_kind:
            items = "".join(f"<li>{html.escape(i)}</li>" for i in list_items)
            out.append(f"<{list_kind}>{items}</{list_kind}>")
            list_items.clear()
            list_kind = None

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        bullet, numbered = _BULLET_RE.match(line), _NUMBERED_RE.match(line)
        kind = "ul" if bullet else "ol" if numbered else None
        if kind:
            flush_text()
            if list_kind != kind:
                flush_list()
                list_kind = kind
            list_items.append(bullet.group(1) if bullet else numbered.group(2))
        else:
            flush_list()
            text.append(line)
    flush_text()
    flush_list()
    return "\n".join(out)


def paragraphs_html(value: Any) -> Markup | None:
    """Scraped text as safe HTML: blank-line separated paragraphs become ``<p>``s, lines
    starting with ``- `` or ``1. `` list items; every character of the text is escaped."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    blocks = [_lines_html(block.split("\n")) for block in _BLANK_LINE_RE.split(text)]
    return Markup("\n".join(b for b in blocks if b))


async def item_context(datasette, database: str, item_id: str) -> dict[str, Any] | None:
    """Everything the item page shows, read through Datasette; ``None`` when not found."""
    db = datasette.get_database(database)
    result = await db.execute(
        "select items.*, bodies.name as body_name, "
        "coalesce(sources.label, items.source_id) as municipality from items "
        "left join bodies on bodies.id = items.body_id "
        "left join sources on sources.id = items.source_id where items.id = ?", [item_id])
    row = result.first()
    if row is None:
        return None
    item = dict(row)
    preparers = await db.execute(
        "select name, title, phone, email from item_preparers where item_id = ? "
        "order by position, id", [item_id])
    handlings = await db.execute(
        "select * from item_handlings where item_id = ? order by position, id", [item_id])
    attachments = await db.execute(
        "select id, title, url, status from attachments where item_id = ? "
        "order by position, id", [item_id])
    return {
        "item": item,
        "permalink": datasette.urls.path(links.item_path(item_id)),
        "document_type_label": DOCUMENT_TYPES.get(item.get("document_type") or "",
                                                  item.get("document_type")),
        "texts": [(label, text) for label, text in
                  ((label, paragraphs_html(item.get(name))) for name, label in TEXT_FIELDS)
                  if text],
        "preparers": [dict(r) for r in preparers.rows],
        "handlings": [handling_context(dict(r)) for r in handlings.rows],
        "attachments": [{**dict(r), "safe_url": safe_url(r["url"])} for r in attachments.rows],
        "url": safe_url(item.get("url")),
        "pdf_url": safe_url(item.get("pdf_url")),
    }


#: an earlier handling's texts, in the order the minutes print them
HANDLING_TEXTS = (("proposal", "Päätösehdotus"), ("discussion", "Käsittely"),
                  ("decision", "Päätös"))


def handling_context(row: dict[str, Any]) -> dict[str, Any]:
    """An earlier handling (Päätöshistoria) with its texts as paragraphs: for a contested
    case the earlier proposals, votes, tablings and returns are the story. Columns an
    older archive lacks are simply absent."""
    proposer = " ".join(p for p in (row.get("proposer_title"), row.get("proposer_name")) if p)
    return {**row, "proposer": proposer or None,
            "texts": [(label, text) for label, text in
                      ((label, paragraphs_html(row.get(name))) for name, label in HANDLING_TEXTS)
                      if text]}
