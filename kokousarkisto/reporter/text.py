"""Finnish labels and formatting shared by the reporters' pages and feeds."""

from __future__ import annotations

import re
from typing import Any

#: stored ``document_type`` → what a Finnish reader calls it
DOCUMENT_TYPES = {"agenda": "esityslista", "minutes": "pöytäkirja",
                  "official": "viranhaltijapäätös"}
#: stored ``attendee_group`` → Finnish heading
ATTENDEE_GROUPS = {"members": "Jäsenet", "deputies": "Varajäsenet",
                   "others": "Muut saapuvilla olleet", "absent": "Poissa"}
#: ``items.outcome`` (issue 13's facts) → what a reporter reads in a list
OUTCOMES = {"as_proposed": "hyväksyttiin esityksen mukaan",
            "amended": "päätös poikkesi esityksestä",
            "after_vote": "päätettiin äänestyksen jälkeen",
            "tabled": "jätettiin pöydälle", "returned": "palautettiin valmisteluun",
            "removed": "poistettiin esityslistalta", "noted": "merkittiin tiedoksi"}
#: XML 1.0 forbids these; scraped text may hold them (U+0001, U+001B from PDFs)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def clean(value: Any) -> str:
    """Text without control characters (never ``None``)."""
    if value is None:
        return ""
    return _CONTROL_RE.sub("", value if isinstance(value, str) else str(value))


def fi_date(value: Any) -> str:
    """``2025-02-03`` → ``3.2.2025``; anything else as it is."""
    text = clean(value)
    m = _ISO_DATE_RE.match(text)
    if not m:
        return text
    return f"{int(m[3])}.{int(m[2])}.{m[1]}"


def document_type_label(value: Any) -> str:
    return DOCUMENT_TYPES.get(clean(value), clean(value))


def section_label(document_type: Any, section: Any) -> str:
    """``§ 23`` for minutes, ``asia 3`` for an agenda, ``""`` without a number."""
    if section in (None, ""):
        return ""
    return f"§ {section}" if document_type == "minutes" else f"asia {section}"


def municipality_name(row: dict[str, Any]) -> str:
    """A source's municipality as shown: ``municipality``, else its name, else its id."""
    return clean(row.get("municipality") or row.get("source_name") or row.get("source_id"))


def entry_title(row: dict[str, Any]) -> str:
    """``Kuopio · Kaupunginhallitus 3.2.2025 § 23 (pöytäkirja): title`` for an item row
    (``municipality``, ``body``, ``meeting_date``, ``section``, ``document_type``,
    ``title``)."""
    head = " ".join(p for p in (clean(row.get("body")), fi_date(row.get("meeting_date")),
                                section_label(row.get("document_type"), row.get("section")))
                    if p)
    muni = municipality_name(row)
    if muni:
        head = f"{muni} · {head}" if head else muni
    kind = document_type_label(row.get("document_type"))
    if kind:
        head += f" ({kind})"
    return f"{head}: {clean(row.get('title'))}" if row.get("title") else head
