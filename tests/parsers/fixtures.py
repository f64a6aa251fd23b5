"""Where the golden fixtures are and how one is read: shared by the one fixture runner
(``test_fixtures.py``) and the never-raise properties (``test_properties.py``).

A fixture is ``tests/parsers/<folder>/<NAME>.<ext>`` with ``<NAME>.expected.json``
beside it. The folder names the page kind (``lists_html`` holds two kinds: its fixtures
say which in ``_parser``); ``.yaml`` is a PDF built by :mod:`tests.parsers.pdfgen`, whose
``function: minutes`` asks for the ``minutes_pdf`` kind. The expected file is written in
the expectation language of ``kokousarkisto check-corpus``
(:mod:`kokousarkisto.check_corpus`): ``_input`` gives ``url`` / ``content_type``,
other ``_`` keys are notes, every other key a record field or a path such as
``items[*].section``, with plain JSON or ``$`` operators as values. A top-level list
is a whole-minutes PDF's items.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.parsers import pdfgen

HERE = Path(__file__).resolve().parent

#: fixture folder -> the kind its pages are (``None``: each fixture's ``_parser`` says)
FOLDERS: dict[str, str | None] = {
    "item_html": "item_html",
    "item_pdf": "item_pdf",
    "meeting_html": "meeting_html",
    "lists_html": None,
    "feed": "feed",
    "official_decision": "official_decision",
}
PAGE_SUFFIXES = (".HTM", ".HTML", ".PDF", ".xml", ".yaml")


@dataclass(frozen=True)
class Fixture:
    folder: str
    page: Path

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.page.stem}"

    @property
    def expected_path(self) -> Path:
        return self.page.with_name(f"{self.page.stem}.expected.json")

    @functools.cached_property
    def spec(self) -> dict[str, Any]:
        spec = json.loads(self.expected_path.read_text(encoding="utf-8"))
        return {"items": spec} if isinstance(spec, list) else spec

    @property
    def inputs(self) -> dict[str, Any]:
        return self.spec.get("_input") or {}

    @property
    def expected(self) -> dict[str, Any]:
        return {k: v for k, v in self.spec.items() if not k.startswith("_")}

    @property
    def kind(self) -> str:
        if self.page.suffix == ".yaml":
            function = pdfgen.load_spec(self.page).get("function", "item")
            return "minutes_pdf" if function == "minutes" else "item_pdf"
        kind = self.spec.get("_parser") or FOLDERS[self.folder]
        assert kind, f"{self.id}: _parser is needed in {self.folder}/"
        return kind

    def data(self) -> bytes:
        return _data(self.page)


@functools.cache
def _data(page: Path) -> bytes:
    if page.suffix == ".yaml":
        return pdfgen.build_pdf(pdfgen.load_spec(page))
    return page.read_bytes()


def pages(folder: str) -> list[Path]:
    return sorted(p for p in (HERE / folder).iterdir() if p.suffix in PAGE_SUFFIXES)


def all_fixtures() -> list[Fixture]:
    return [Fixture(folder, page) for folder in FOLDERS for page in pages(folder)]


def fixtures_of(kind: str) -> list[Fixture]:
    return [f for f in all_fixtures() if f.kind == kind]
