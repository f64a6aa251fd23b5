"""A synthetic Dynasty publication site (Finnish municipal meeting minutes) for tests.

Everything is generated from ``data/demo.yaml``: Word-style windows-1252 item pages in
two templates, meeting and body lists, ISO-8859-1 RSS feeds, and PDFs with a left
heading column and hyphenated justified text. See ``demosite/README.md``.
"""

from .expected import expected_bodies, expected_documents, expected_items
from .server import DemoServer, serve_forever
from .site import DemoSite, Resource, build_site

__all__ = [
    "DemoServer",
    "DemoSite",
    "Resource",
    "build_site",
    "expected_bodies",
    "expected_documents",
    "expected_items",
    "serve_forever",
]
