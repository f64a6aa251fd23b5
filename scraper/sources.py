"""Where to harvest from: a Dynasty source is a base URL plus a stable id.

The id, not the URL, keys every stored row, so a host that moves (or the demo site on a
new port) keeps its items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


class SourceError(ValueError):
    """A source given on the command line or in a config file is unusable."""


#: what a source id may look like: it becomes part of every stored row's key
SOURCE_ID_RE = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def is_valid_source_id(source_id: str) -> bool:
    return bool(SOURCE_ID_RE.fullmatch(source_id))


@dataclass(frozen=True)
class Source:
    id: str
    base_url: str  # scheme://host[:port][/prefix], without /cgi/DREQUEST.PHP
    name: str | None = None
    municipality: str | None = None

    def cgi(self, page: str, **params: str | int) -> str:
        """URL of a ``DREQUEST.PHP`` page, e.g. ``cgi("rss/meetingitems", show=30)``."""
        query = "&".join([f"page={page}"] + [f"{k}={v}" for k, v in params.items()])
        return f"{self.base_url}/cgi/DREQUEST.PHP?{query}"

    def static(self, name: str) -> str:
        """URL of a static publication file, e.g. ``static("2017406946-3.PDF")``."""
        return f"{self.base_url}/kokous/{name}"

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc


def base_url_of(url: str) -> str:
    """Reduce any URL of a Dynasty site to its base.

    ``https://x.oncloudos.com/joensuu/cgi/DREQUEST.PHP?page=…`` → ``https://x.oncloudos.com/joensuu``.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"not an http(s) URL: {url!r}")
    path = parts.path
    for marker in ("/cgi/", "/kokous/"):
        if marker in path:
            path = path[: path.index(marker)]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def slug_for(url: str) -> str:
    """A readable id from a host: ``kuopio.oncloudos.com`` → ``kuopio``."""
    parts = urlsplit(url)
    host = parts.hostname or "source"
    label = host.split(".")[0] if not re.fullmatch(r"[\d.]+", host) else host
    prefix = parts.path.strip("/").split("/")[0] if parts.path.strip("/") else ""
    slug = f"{label}-{prefix}" if prefix and prefix not in ("cgi", "kokous") else label
    if parts.port and re.fullmatch(r"[\d.]+", host):
        slug = f"{slug}-{parts.port}"
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")


def parse_source_arg(arg: str) -> Source:
    """``URL`` or ``ID=URL`` from ``--source``."""
    source_id, sep, url = arg.partition("=")
    if not sep or "://" in source_id:
        source_id, url = "", arg
    base = base_url_of(url)
    source_id = source_id.strip() or slug_for(base)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", source_id):
        raise SourceError(f"source id {source_id!r}: use lower-case letters, digits, '-', '_'")
    return Source(id=source_id, base_url=base)
