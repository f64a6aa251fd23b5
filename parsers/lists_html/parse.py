"""Dynasty's navigation pages: the body list and a body's meeting list.

* **Body list** – ``/kokous/TELIMET.HTM`` (static publication), ``page=meeting_frames``
  and ``page=meeting_handlers`` (dynamic): one row per body (toimielin) with a link to
  its meeting list (``TELIN-<id>.HTM`` or ``page=meetings&id=<id>``) and, on the static
  list, its latest document (``14.01.2013  Pöytäkirja``). The same name may appear
  several times: each council term is a body of its own with its own id.
  :func:`parse_body_list` → :class:`~parsers.records.BodyListRecord`.
* **Meeting list** – ``/kokous/TELIN-<id>.HTM`` or ``page=meetings&id=<id>``: a body's
  documents by year, one row per document (``15.05.2017 | Pöytäkirja``) linking to the
  meeting page (``<docid>.HTM`` / ``page=meeting&id=<docid>``). The agenda and the
  minutes of one meeting are two rows. Dynasty writes ``<!--TIETUE:<docid>-->`` record
  comments (id, ISO date, file name) around each row; they are used when a row's own
  text lacks the date or the link. :func:`parse_meeting_list` →
  :class:`~parsers.records.MeetingListRecord`.

Both read the page the way the item parser does (``parsers.html.blocks``: decoding,
one pass over the tree into blocks and table rows, the ``<!--DATA_BEGIN-->`` area) and
recognise links by their targets rather than by layout, so a differently styled
template still yields its bodies and meetings; a page of another system is an unknown
template and yields none. Problems are ``warnings``.

Reading the page (:func:`~parsers.html.page.read_page`, :func:`label_lines`,
:func:`block_links`) and :func:`~parsers.html.links.classify_link` live in
:mod:`parsers.html.page` and :mod:`parsers.html.links`, shared with
:mod:`parsers.meeting_html.parse`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from parsers.html.links import classify_link, link_id
from parsers.html.page import (
    Page,
    block_cells,
    block_links,
    read_dynasty_page,
    tietue_records,
)
from parsers.records import (
    BodyEntry,
    BodyListRecord,
    MeetingListEntry,
    MeetingListRecord,
)
from parsers.text.vocabulary import DATE_RE, clean_text, document_type_of, parse_fi_date

__all__ = ["classify_link", "document_type_of", "parse_body_list", "parse_meeting_list"]


# --- body list ------------------------------------------------------------------------

_GENERIC_LABELS = {"kokouslistat", "toimielimet", "dynasty tietopalvelu", "tietopalvelu",
                   "mötesprotokoll", "organ", "sammanträden"}


def _title_from_label(lines: list[str]) -> str | None:
    for line in lines:
        if line.casefold() not in _GENERIC_LABELS and not line.casefold().startswith("dynasty"):
            return line
    return None


def _parse_body_list(rec: BodyListRecord, data, url, content_type) -> None:
    page = read_dynasty_page(rec, data, url, content_type)
    if page is None:
        return
    rec.title = _title_from_label(page.label)
    for el in page.root.iter("frame", "iframe"):
        src = page.resolve(el.get("src"))
        if src and src not in rec.frames:
            rec.frames.append(src)
    seen: set[str] = set()
    for block in page.data:
        if block.kind == "hr":
            continue
        links = block_links(block, page)
        for kind, _, _, absolute in links:
            if kind == "feed" and absolute and absolute not in rec.feeds:
                rec.feeds.append(absolute)
        bodies = [link for link in links if link[0] == "body" and link[2]]
        if not bodies:
            continue
        if len(bodies) > 1 or any(link[0] == "bodies" for link in links):
            continue  # a navigation line, not a row
        _, ident, name, absolute = bodies[0]
        key = ident or name
        if key in seen:
            continue
        seen.add(key)
        entry = BodyEntry(name=name, dynasty_id=ident, url=absolute)
        latest = [link for link in links if link[0] == "meeting"]
        if latest:
            _, doc_id, text, doc_url = latest[0]
            entry.latest_doc_id, entry.latest_url = doc_id, doc_url
            entry.latest_document_type = document_type_of(text)
            rest = " ".join(block_cells(block))
            m = DATE_RE.search(rest.replace(name, " ", 1))
            entry.latest_date = parse_fi_date(m.group(0)) if m else None
        rec.bodies.append(entry)
    if not rec.bodies:
        # Dynasty's record comments name every body even when its row is unusual.
        for tietue in tietue_records(page.root):
            m = re.fullmatch(r"TELIN-(\d+)", tietue["key"])
            if m and tietue.get("name") and m.group(1) not in seen:
                seen.add(m.group(1))
                rec.bodies.append(BodyEntry(
                    name=clean_text(html.unescape(tietue["name"])), dynasty_id=m.group(1),
                    url=_sibling_url(page, "kokous", f"TELIN-{m.group(1)}.HTM")))
        if rec.bodies:
            rec.warn("bodies read from record comments only")
    if not rec.bodies:
        # Dynamic pages may offer the bodies only as a <select name="id"> of a search form.
        for select in page.root.iter("select"):
            if (select.get("name") or "").strip().lower() != "id":
                continue
            for option in select.iter("option"):
                value = (option.get("value") or "").strip()
                name = clean_text(option.text_content())
                if value.isdigit() and name and value not in seen:
                    seen.add(value)
                    rec.bodies.append(BodyEntry(
                        name=name, dynasty_id=value,
                        url=_sibling_url(page, "cgi", f"DREQUEST.PHP?page=meetings&id={value}")))
        if rec.bodies:
            rec.warn("bodies read from a selection list only")
    if not rec.bodies:
        rec.warn("frameset: no bodies on this page; see frames" if rec.frames
                 else "no bodies found")


def _sibling_url(page: Page, folder: str, name: str) -> str | None:
    """``name`` in the site's ``/kokous/`` or ``/cgi/`` folder, seen from the page's URL."""
    if not page.url:
        return None
    path = urlsplit(page.url).path.lower()
    here = "kokous" if "/kokous/" in path else "cgi" if "/cgi/" in path else None
    if here is None:
        return page.resolve(name)
    return page.resolve(name if here == folder else f"../{folder}/{name}")


def parse_body_list(data: bytes, *, url: str | None = None,
                    content_type: str | None = None) -> BodyListRecord:
    """Parse a body list (``TELIMET.HTM``, ``page=meeting_frames``/``meeting_handlers``).

    Pure; ``url`` resolves relative links.
    """
    rec = BodyListRecord()
    _parse_body_list(rec, data, url, content_type)
    return rec


# --- meeting list ---------------------------------------------------------------------



def _parse_meeting_list(rec: MeetingListRecord, data, url, content_type) -> None:
    rec.body_id = link_id(url, "body")
    page = read_dynasty_page(rec, data, url, content_type)
    if page is None:
        return
    lines = [ln for ln in page.label if ln.casefold() not in _GENERIC_LABELS]
    if lines:
        rec.body = lines[-1]
    # The navigation line names the body too: ``Toimielimet | Kaupunginhallitus``.
    for block in page.blocks:
        if block.in_data and page.markers:
            continue
        for kind, ident, text, _ in block_links(block, page):
            if kind == "body" and text:
                if rec.body_id is None or rec.body_id == ident:
                    rec.body_id = rec.body_id or ident
                    rec.body = rec.body or text
    seen: set[str] = set()
    for block in page.data:
        if block.kind == "hr":
            continue
        docs = [link for link in block_links(block, page) if link[0] == "meeting"]
        if not docs:
            continue
        cells = block_cells(block)
        text = " ".join(cells)
        dates = DATE_RE.findall(text)
        if len(docs) > 1 and len(dates) > 1:
            rec.warn("several documents in one row; each takes the row's first date")
        m = DATE_RE.search(text)
        date = parse_fi_date(m.group(0)) if m else None
        for _, doc_id, label, absolute in docs:
            key = doc_id or absolute or label
            if key in seen:
                continue
            seen.add(key)
            rec.meetings.append(MeetingListEntry(
                meeting_date=date, document_type=document_type_of(label) or
                document_type_of(text), label=label or None, dynasty_id=doc_id, url=absolute))
    # Fill gaps (and find rows without a link) from Dynasty's record comments.
    by_id = {e.dynasty_id: e for e in rec.meetings if e.dynasty_id}
    for tietue in tietue_records(page.root):
        key = tietue["key"]
        if not key.isdigit():
            continue
        iso = tietue.get("date")
        entry = by_id.get(key)
        if entry is None:
            continue
        if entry.meeting_date is None and iso:
            entry.meeting_date = iso
        elif iso and entry.meeting_date != iso:
            rec.warn(f"{key}: row date {entry.meeting_date}, record comment {iso}")
    for entry in rec.meetings:
        if entry.meeting_date is None:
            rec.warn(f"no date for document {entry.dynasty_id or entry.url}")
        if entry.document_type is None:
            rec.warn(f"unknown document type for {entry.dynasty_id or entry.url}")
    if not rec.meetings:
        rec.warn("no meetings found")
    if rec.body is None:
        rec.warn("missing: body")


def parse_meeting_list(data: bytes, *, url: str | None = None,
                       content_type: str | None = None) -> MeetingListRecord:
    """Parse a body's meeting list (``TELIN-<id>.HTM`` / ``page=meetings&id=``).

    Pure; ``url`` resolves relative links and gives the body's id.
    """
    rec = MeetingListRecord()
    _parse_meeting_list(rec, data, url, content_type)
    return rec
