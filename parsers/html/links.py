"""What a Dynasty link points at: item page, meeting page, body list, PDF, feed.

Dynasty's pages are recognised by their link targets rather than their layout, and
both the static publication (``/kokous/<docid>.HTM``) and the dynamic one
(``DREQUEST.PHP?page=meeting&id=<docid>``) name the same things, so one classifier
serves the list, meeting and corpus-check code alike.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

__all__ = ["classify_link", "link_id"]

_KOKOUS_RE = re.compile(r"/kokous/(?P<name>[^/?#]+)$", re.I)
_ITEM_FILE_RE = re.compile(r"^(\d+-\d+)\.HTML?$", re.I)
_MEETING_FILE_RE = re.compile(r"^(\d+)\.HTML?$", re.I)
#: ``20261727-4-374197.PDF``: document, item, attachment id (not a running number);
#: item 0 (``2017406946-0-1.PDF``) is the meeting's own, e.g. its appeal instructions.
_ATTACHMENT_FILE_RE = re.compile(r"^(\d+-[1-9]\d*-\d+)\.[A-Za-z0-9]{2,5}$")
_PDF_FILE_RE = re.compile(r"^(\d+(?:-\d+)*)\.PDF$", re.I)
_TELIN_RE = re.compile(r"^TELIN-(\d+)\.HTML?$", re.I)
_TELIMET_RE = re.compile(r"^TELIMET\.HTML?$", re.I)


def classify_link(href: str | None) -> tuple[str, str | None]:
    """What a Dynasty link points at: ``(kind, id)``.

    Kinds: ``item`` (an agenda item page), ``meeting`` (a meeting document's page),
    ``body`` (a body's meeting list), ``bodies`` (the body list), ``pdf`` (a document's
    or an item's PDF), ``attachment`` (an item's attachment, ``<docid>-<n>-<id>.PDF``),
    ``feed`` (an RSS feed), ``other``.

    ``/kokous/2017406946-3.HTM`` → ``("item", "2017406946-3")``,
    ``DREQUEST.PHP?page=meeting&id=2017406946`` → ``("meeting", "2017406946")``,
    ``/kokous/TELIN-217668.HTM`` / ``page=meetings&id=217668`` → ``("body", "217668")``,
    ``TELIMET.HTM`` / ``page=meeting_frames`` / ``page=meeting_handlers`` → ``("bodies", None)``,
    ``/kokous/20261727-4-374197.PDF`` → ``("attachment", "20261727-4-374197")``.
    """
    if not href:
        return "other", None
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return "other", None
    path = parts.path
    if path.lower().endswith("/drequest.php") or "page=" in parts.query.lower():
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items() if v}
        page = (query.get("page") or "").lower()
        ident = (query.get("id") or "").strip() or None
        if page == "meetingitem":
            return "item", ident
        if page in ("meetingitem_attachment", "attachment", "liite"):
            return "attachment", ident
        if page == "meeting":
            return "meeting", ident
        if page == "meetings":
            return "body", ident
        if page in ("meeting_frames", "meeting_handlers"):
            return "bodies", None
        if page.startswith("rss/"):
            return "feed", None
        return "other", ident
    m = _KOKOUS_RE.search(path) or re.search(r"(?:^|/)(?P<name>[^/?#]+)$", path)
    if not m:
        return "other", None
    name = m.group("name")
    for rx, kind in ((_ITEM_FILE_RE, "item"), (_MEETING_FILE_RE, "meeting"),
                     (_ATTACHMENT_FILE_RE, "attachment"), (_PDF_FILE_RE, "pdf"),
                     (_TELIN_RE, "body")):
        found = rx.match(name)
        if found:
            return kind, found.group(1)
    if _TELIMET_RE.match(name):
        return "bodies", None
    return "other", None


def link_id(href: str | None, kind: str) -> str | None:
    """The Dynasty id in ``href`` when it points at a ``kind`` page (a page's own URL
    names its document or body), else ``None``."""
    found, ident = classify_link(href)
    return ident if found == kind else None
