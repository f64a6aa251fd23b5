"""Formatting and URL helpers shared by the HTML, PDF and RSS generators."""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from dataclasses import dataclass

from .model import Body, Document, Item

_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")


def dyn_date(d: dt.date) -> str:
    """Dynasty's zero-padded date, ``07.10.2024`` (headers, lists, feed titles)."""
    return d.strftime("%d.%m.%Y")


def text_date(d: dt.date) -> str:
    """The unpadded date used in running text and handling tables, ``7.10.2024``."""
    return f"{d.day}.{d.month}.{d.year}"


def esc(text: str, digit_nbsp: bool = True) -> str:
    """HTML-escape ``text`` the way Word exports it.

    Non-ASCII stays as characters (the page is encoded to windows-1252 later) and a
    space between digit groups (``12 400 euroa``) becomes ``&nbsp;``, as in real
    pages, so parsers must normalise no-break spaces.
    """
    escaped = html.escape(text, quote=False)
    return _THOUSANDS.sub("&nbsp;", escaped) if digit_nbsp else escaped


def wrap_source(markup: str, width: int = 78) -> str:
    """Break long source lines like Word's HTML export does (whitespace only)."""
    if len(markup) <= width:
        return markup
    return "\n".join(textwrap.wrap(markup, width, break_long_words=False, break_on_hyphens=False))


def nbsp(n: int) -> str:
    return "&nbsp;" * n


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the demo site; every link in pages and feeds comes from here."""

    base: str

    def kokous(self, name: str) -> str:
        return f"{self.base}/kokous/{name}"

    def item_htm(self, doc: Document, item: Item) -> str:
        return self.kokous(f"{doc.item_id(item)}.HTM")

    def item_pdf(self, doc: Document, item: Item) -> str:
        return self.kokous(f"{doc.item_id(item)}.PDF")

    def attachment_pdf(self, doc: Document, item: Item, k: int) -> str:
        return self.kokous(f"{doc.item_id(item)}-{k}.PDF")

    def meeting_htm(self, doc: Document) -> str:
        return self.kokous(f"{doc.doc_id}.HTM")

    def meeting_pdf(self, doc: Document) -> str:
        return self.kokous(f"{doc.doc_id}.PDF")

    def telimet(self) -> str:
        return self.kokous("TELIMET.HTM")

    def telin(self, body: Body) -> str:
        return self.kokous(f"TELIN-{body.id}.HTM")

    def cgi(self, page: str, id: str | int | None = None, show: int | None = None) -> str:
        url = f"{self.base}/cgi/DREQUEST.PHP?page={page}"
        if id is not None:
            url += f"&id={id}"
        if show is not None:
            url += f"&show={show}"
        return url


def kokous_path(name: str) -> str:
    """The server path of a static Dynasty file, e.g. ``/kokous/TELIMET.HTM``."""
    return f"/kokous/{name}"


def cgi_path(page: str, id: str | int | None = None) -> str:
    """The canonical server path of a DREQUEST.PHP page (query ``page`` then ``id``)."""
    return f"/cgi/DREQUEST.PHP?page={page}" + (f"&id={id}" if id is not None else "")
