"""Item rows of a Dynasty meeting page: their § numbers and attachment icons.

An item's number is printed in its own cell (``§ 12``) or, where the table has no
number column, at the start of its link text (``12 § Otsikko``); an item with
attachments shows Dynasty's attachment icon somewhere in its row, outside the cell
texts, so the rows are looked up in the page's tree rather than in its blocks.
"""

from __future__ import annotations

import re

from parsers.html.links import classify_link
from parsers.html.page import Page

__all__ = ["ITEM_NUMBER_RE", "attachment_item_urls", "split_numbered"]

#: an item number cell: ``12``, ``§ 12``, ``12 §``, ``12.``
ITEM_NUMBER_RE = re.compile(r"^(?:§\s*)?(\d{1,4})(?:\s*§)?\.?$")
#: a link text that starts with its number: ``§ 12 Otsikko``, ``12 § Otsikko``, ``12. Otsikko``
_NUMBERED_TITLE_RE = re.compile(r"^(?:§\s*(\d{1,4})|(\d{1,4})\s*§|(\d{1,4})\.)\s+(\S.*)$")


def split_numbered(title: str) -> tuple[str | None, str]:
    """``12 § Otsikko`` → ``("12", "Otsikko")``; a title without a number → ``(None, title)``."""
    m = _NUMBERED_TITLE_RE.match(title)
    if not m:
        return None, title
    return m.group(1) or m.group(2) or m.group(3), m.group(4)


def attachment_item_urls(page: Page) -> set[str]:
    """Absolute item URLs whose table row shows Dynasty's attachment icon."""
    found: set[str] = set()
    root = page.root
    if root is not None:
        for tr in root.iter("tr"):
            if any(inner is not tr for inner in tr.iter("tr")):
                continue  # only rows without rows inside
            icons = [img.get("src") or "" for img in tr.iter("img")]
            if not any("ATTACH" in src.upper() or "LIITE" in src.upper()
                       for src in icons):
                continue
            for a in tr.iter("a"):
                kind, _ = classify_link(a.get("href"))
                if kind == "item":
                    found.add(page.resolve(a.get("href")) or "")
    return found
