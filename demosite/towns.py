"""The towns of the multi-municipality demo: one data set and one page family each.

The default demo site (``DemoServer()``, ``build_site(url)``) is Demola alone, as the
tests have always known it. ``kokousarkisto demo`` serves the three :data:`TOWNS` on
their own ports and harvests them into one archive: the same body names
(Kaupunginhallitus, Kaupunginvaltuusto, a lautakunta), overlapping case numbers and
even the same Dynasty document ids, in three page families:

* ``demola`` — Demolan kaupunki, the older Word-exported static ``/kokous/*.HTM`` pages;
* ``malliala`` — Mallialan kaupunki, the newer Dynasty 10 ``div.data-part`` item pages
  of ``*.oncloudos.com`` (UTF-8), built from Demola's documents under its own name;
* ``provby`` — Provby stad, Swedish-language pages (Protokoll, Paragraf, Förslag, Beslut).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .model import DATA_FILE, SiteData, parse

DATA_DIR = DATA_FILE.parent


@dataclass(frozen=True)
class Town:
    """One demo municipality: its source id, page family and data files (merged in order)."""

    id: str
    family: str  # "word" (Word-exported /kokous/*.HTM) or "dynasty10" (div.data-part)
    files: tuple[str, ...]
    #: replaces the first file's ``municipality`` block (name, short, contact_pattern)
    municipality: tuple[tuple[str, str], ...] = ()

    @property
    def data(self) -> SiteData:
        return load_town(self)


#: the default demo site: Demola alone, exactly ``demo.yaml``
DEMOLA_ONLY = Town("demo", "word", ("demo.yaml",))

TOWNS: tuple[Town, ...] = (
    Town("demola", "word", ("demo.yaml", "valtuusto.yaml")),
    Town("malliala", "dynasty10", ("demo.yaml", "valtuusto.yaml"),
         (("name", "Mallialan kaupunki"), ("short", "Malliala"),
          ("contact_pattern", "etunimi.sukunimi@malliala.fi"))),
    Town("provby", "word", ("provby.yaml",)),
)


def town(town_id: str) -> Town:
    """The demo town with this id (``KeyError`` naming the known ones otherwise)."""
    for t in TOWNS:
        if t.id == town_id:
            return t
    raise KeyError(f"unknown demo town {town_id!r}; known: {', '.join(t.id for t in TOWNS)}")


def _merge(raws: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(raws[0])
    for extra in raws[1:]:
        for key in ("bodies", "meetings", "official_decisions"):
            merged[key] = list(merged.get(key) or []) + list(extra.get(key) or [])
    return merged


@lru_cache(maxsize=8)
def load_town(t: Town) -> SiteData:
    """The town's site data: its files merged, its municipality block replaced."""
    raws = []
    for name in t.files:
        with open(DATA_DIR / name, encoding="utf-8") as fh:
            raws.append(yaml.safe_load(fh))
    raw = _merge(raws)
    if t.municipality:
        raw["municipality"] = {**raw["municipality"], **dict(t.municipality)}
    return parse(raw)
