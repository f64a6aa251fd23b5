"""An RFC 4287 (Atom) checker for the tests: the document's MUSTs, parsed with lxml.

Checks what a feed reader relies on and what the RFC requires beyond well-formed XML:
the Atom namespace; exactly one ``id``, ``title`` and ``updated`` on the feed and on
every entry (4.1.1, 4.1.2); an ``author`` on the feed or on every entry (4.1.1,
4.2.1), each with one ``name``; ids that are absolute IRIs (4.2.6, RFC 3987: a
scheme); dates that are RFC 3339 date-times (3.3); at most one ``alternate`` link per
type and hreflang (4.1.1, 4.1.2); an entry without ``content`` has an alternate link
(4.1.2); text constructs of type text, html or xhtml (3.1.1); links with an ``href``
(4.2.7.1); no two entries with the same id and updated (4.1.1).
Returns a list of problems (empty = valid).
"""

from __future__ import annotations

import re

from lxml import etree

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def _one(el, name: str, where: str, problems: list[str]):
    found = el.findall(A + name)
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name} (exactly one required)")
        return None
    return found[0]


def _text_construct(el, where: str, problems: list[str]) -> None:
    if el is not None and el.get("type", "text") not in ("text", "html", "xhtml"):
        problems.append(f"{where}: bad text type {el.get('type')!r}")


def _check_common(el, where: str, problems: list[str]) -> None:
    ident = _one(el, "id", where, problems)
    if ident is not None and not SCHEME_RE.match((ident.text or "").strip()):
        problems.append(f"{where}: id {ident.text!r} is not an absolute IRI")
    title = _one(el, "title", where, problems)
    _text_construct(title, where + "/title", problems)
    updated = _one(el, "updated", where, problems)
    if updated is not None and not DATE_RE.match((updated.text or "").strip()):
        problems.append(f"{where}: updated {updated.text!r} is not an RFC 3339 date-time")
    alternates = set()
    for link in el.findall(A + "link"):
        if not link.get("href"):
            problems.append(f"{where}: link without href")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links with type/hreflang {key}")
            alternates.add(key)
    for author in el.findall(A + "author"):
        _one(author, "name", where + "/author", problems)
    for name in ("subtitle", "summary", "rights"):
        for child in el.findall(A + name):
            _text_construct(child, f"{where}/{name}", problems)


def check(document: bytes) -> list[str]:
    """Problems that make ``document`` invalid Atom (RFC 4287); ``[]`` when valid."""
    problems: list[str] = []
    try:
        root = etree.fromstring(document)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != A + "feed":
        return [f"root element is {root.tag}, not atom:feed"]
    _check_common(root, "feed", problems)
    feed_author = bool(root.findall(A + "author"))
    seen = set()
    for n, entry in enumerate(root.findall(A + "entry")):
        where = f"entry {n}"
        _check_common(entry, where, problems)
        if not feed_author and not entry.findall(A + "author"):
            problems.append(f"{where}: no author (and none on the feed)")
        if not entry.findall(A + "content") and not any(
                link.get("rel", "alternate") == "alternate" for link in entry.findall(A + "link")):
            problems.append(f"{where}: no content and no alternate link")
        key = (entry.findtext(A + "id"), entry.findtext(A + "updated"))
        if key in seen:
            problems.append(f"{where}: same id and updated as an earlier entry")
        seen.add(key)
    return problems
