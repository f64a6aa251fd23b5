"""The whole demo site in memory, filtered by an ``as_of`` publication date.

Per-document resources (item pages, meeting pages, all PDFs) do not depend on
``as_of`` and are generated once per base URL; lists and feeds do and are cheap,
so they are rebuilt for each ``as_of``. A document is visible when its
``published`` date is on or before ``as_of`` (all documents when ``as_of`` is
``None``), which is how tests see an agenda first and its minutes later.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from . import dynasty10, feeds
from .common import Urls, cgi_path, kokous_path
from .html_items import item_page
from .html_lists import (
    bodies_page,
    body_meetings_page,
    frames_page,
    handlers_page,
    meeting_page,
    official_decision_page,
)
from .model import SiteData, load
from .pdf_pages import attachment_pdf, item_pdf, layout_document, meeting_pdf
from .towns import Town

HTML = "text/html; charset=windows-1252"
#: Some real Dynasty servers label the cp1252 bytes as ISO-8859-1; the demo does so
#: for ``DREQUEST.PHP?page=meetingitem`` so clients learn to trust the meta tag.
HTML_LATIN1 = "text/html; charset=iso-8859-1"
PDF = "application/pdf"
RSS = "text/xml; charset=iso-8859-1"
GIF = "image/gif"

# A 1x1 transparent GIF for the icons that Dynasty pages reference.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Resource:
    content_type: str
    body: bytes
    last_modified: dt.datetime
    published: dt.date | None = None  # None: visible regardless of as_of


def _stamp(d: dt.date) -> dt.datetime:
    """Publication time used for ``Last-Modified``: 06:00 UTC of the date."""
    return dt.datetime(d.year, d.month, d.day, 6, 0, tzinfo=dt.UTC)


def _build_static(data: SiteData, urls: Urls, family: str = "word") -> dict[str, Resource]:
    """Every per-document resource; ``family`` chooses the item pages' markup."""
    out: dict[str, Resource] = {}
    for doc in data.documents:
        stamp, pub = _stamp(doc.published), doc.published
        lay = layout_document(doc, data)
        if family == "dynasty10":
            meeting_type = dynasty10.UTF8_HTML
            meeting_html = dynasty10.meeting_page(doc, data, urls)
        else:
            meeting_type, meeting_html = HTML, meeting_page(doc, data, urls)
        out[kokous_path(f"{doc.doc_id}.HTM")] = Resource(meeting_type, meeting_html, stamp, pub)
        out[cgi_path("meeting", doc.doc_id)] = Resource(meeting_type, meeting_html, stamp, pub)
        out[kokous_path(f"{doc.doc_id}.PDF")] = Resource(
            PDF, meeting_pdf(doc, data, lay), stamp, pub
        )
        for item in doc.meeting.items:
            iid = doc.item_id(item)
            if family == "dynasty10":
                html = dynasty10.item_page(doc, item, data, urls)
                out[kokous_path(f"{iid}.HTM")] = Resource(dynasty10.UTF8_HTML, html, stamp, pub)
                out[cgi_path("meetingitem", iid)] = Resource(dynasty10.UTF8_HTML, html, stamp, pub)
            else:
                html = item_page(doc, item, data, urls)
                out[kokous_path(f"{iid}.HTM")] = Resource(HTML, html, stamp, pub)
                out[cgi_path("meetingitem", iid)] = Resource(HTML_LATIN1, html, stamp, pub)
            out[kokous_path(f"{iid}.PDF")] = Resource(
                PDF, item_pdf(doc, item, data, lay), stamp, pub
            )
            for att in item.attachments:
                body = attachment_pdf(att, doc, data)
                name = (dynasty10.attachment_name(doc, item, att) if family == "dynasty10"
                        else f"{iid}-{att.number}.PDF")
                out[kokous_path(name)] = Resource(PDF, body, stamp, pub)
    for dec in data.official_decisions:
        body = official_decision_page(dec, data, urls)
        out[cgi_path("official_decision", dec.id)] = Resource(
            HTML, body, _stamp(dec.published), dec.published
        )
    for name in ("ATT.GIF", "ATTACHEMENT.GIF"):
        out[kokous_path(name)] = Resource(GIF, PIXEL, EPOCH)
    return out


_STATIC: dict[tuple[str, Town | None], dict[str, Resource]] = {}
_STATIC_LOCK = threading.Lock()


def site_data(town: Town | None) -> SiteData:
    """The default demo's data (``town=None``: Demola, ``demo.yaml``) or a demo town's."""
    return load() if town is None else town.data


def static_resources(base_url: str, town: Town | None = None) -> dict[str, Resource]:
    """Per-document resources for ``base_url`` (and town), generated once per process."""
    key = (base_url, town)
    with _STATIC_LOCK:
        if key not in _STATIC:
            family = town.family if town else "word"
            _STATIC[key] = _build_static(site_data(town), Urls(base_url), family)
        return _STATIC[key]


@dataclass
class DemoSite:
    """All resources visible at ``as_of``; ``pages`` maps path to (content type, bytes).

    ``pages`` keys are server paths: ``/kokous/<file>`` and canonical
    ``/cgi/DREQUEST.PHP?page=<page>[&id=<id>]``. Feeds are listed with their
    default length; use :meth:`get` for ``&show=N`` and any query order.
    """

    base_url: str
    as_of: dt.date | None
    resources: dict[str, Resource]
    data: SiteData
    _feeds: dict[tuple[str, int], Resource] = field(default_factory=dict, repr=False)

    @property
    def pages(self) -> dict[str, tuple[str, bytes]]:
        return {k: (r.content_type, r.body) for k, r in self.resources.items()}

    @property
    def urls(self) -> Urls:
        return Urls(self.base_url)

    def visible(self, published: dt.date | None) -> bool:
        return published is None or self.as_of is None or published <= self.as_of

    def get(self, target: str) -> Resource | None:
        """Resolve a request target (path and query) to a resource, or ``None``."""
        parts = urlsplit(target)
        path = parts.path
        if path.lower().startswith("/kokous/"):
            return self.resources.get(kokous_path(path[len("/kokous/") :].upper()))
        if path.lower() != "/cgi/drequest.php":
            return None
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        page = query.get("page", "")
        if page.startswith("rss/"):
            try:
                show = int(query.get("show", feeds.DEFAULT_SHOW))
            except ValueError:
                show = feeds.DEFAULT_SHOW
            return self.feed(page, show)
        return self.resources.get(cgi_path(page, query.get("id")))

    def feed(self, page: str, show: int = feeds.DEFAULT_SHOW) -> Resource | None:
        """An RSS feed (``rss/meetingitems`` …) with ``show`` entries, cached."""
        key = (page, show)
        if key not in self._feeds:
            body = _feed_body(self, page, show)
            if body is None:
                return None
            self._feeds[key] = Resource(RSS, body, self.last_modified())
        return self._feeds[key]

    def last_modified(self) -> dt.datetime:
        dates = [d.published for d in self.data.documents if self.visible(d.published)]
        dates += [o.published for o in self.data.official_decisions if self.visible(o.published)]
        return _stamp(max(dates)) if dates else EPOCH


def _feed_body(site: DemoSite, page: str, show: int) -> bytes | None:
    docs = [d for d in site.data.documents if site.visible(d.published)]
    if page == "rss/meetingitems":
        return feeds.meeting_items_feed(docs, site.urls, show)
    if page == "rss/meetings":
        return feeds.meetings_feed(docs, site.urls, show)
    if page == "rss/official_decisions":
        decisions = [o for o in site.data.official_decisions if site.visible(o.published)]
        return feeds.official_decisions_feed(decisions, site.urls, show)
    return None


def build_site(base_url: str, as_of: dt.date | None = None,
               town: Town | None = None) -> DemoSite:
    """Every page of the demo site as it looks on ``as_of`` (``None``: everything).

    Links inside pages and feeds are absolute and start with ``base_url``. ``town``
    chooses one of the multi-municipality demo's towns (:mod:`demosite.towns`); the
    default is the single-town demo the tests know.
    """
    base_url = base_url.rstrip("/")
    data = site_data(town)
    urls = Urls(base_url)
    site = DemoSite(base_url, as_of, {}, data)
    resources = {k: r for k, r in static_resources(base_url, town).items()
                 if site.visible(r.published)}
    docs = [d for d in data.documents if site.visible(d.published)]
    stamp = site.last_modified()
    lists = {
        kokous_path("TELIMET.HTM"): bodies_page(data, docs, urls),
        cgi_path("meeting_frames"): frames_page(data, docs, urls),
        cgi_path("meeting_handlers"): handlers_page(data, docs, urls),
    }
    for body in data.bodies:
        lists[kokous_path(f"TELIN-{body.id}.HTM")] = body_meetings_page(body, docs, data, urls)
        lists[cgi_path("meetings", body.id)] = body_meetings_page(body, docs, data, urls, cgi=True)
    resources.update({k: Resource(HTML, v, stamp) for k, v in lists.items()})
    for page in ("rss/meetingitems", "rss/meetings", "rss/official_decisions"):
        feed = site.feed(page)
        assert feed is not None
        resources[cgi_path(page)] = feed
    site.resources = resources
    return site
