"""Officials' decision pages (viranhaltijapäätös, ``page=official_decision&id=``).

They are item pages without a meeting: the header names the official instead of a body
(``Talousjohtaja Mervi Kokko`` / ``Viranhaltijapäätös 20.01.2025 § 2``), and the text is
the decision itself, closed by the official's signature line. The page body is read with
the item parser; this module only reads the header and shapes the record.
"""

from __future__ import annotations

import re

from parsers.html.blocks import decode_html, parse_tree
from parsers.html.page import label_lines
from parsers.item_html import parse as item_html
from parsers.records import OfficialDecisionRecord
from parsers.text.vocabulary import (
    clean_text,
    looks_like_official_title,
    parse_fi_date,
    split_title_name,
)

#: ``Viranhaltijapäätös 07.04.2025 § 14`` (static) or ``… 07.04.2025/Pykälä 14`` (Dynasty 10)
_LABEL_RE = re.compile(
    r"(?:Viranhaltijapäätös|Viranhaltijan päätös|Tjänsteinnehavarbeslut|Tjänstemannabeslut)\s+"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*/?\s*(?:§|Pykälä|Paragraf)\s*(?P<section>\d+))?", re.I)


def _read_header(data: bytes, content_type: str | None) -> tuple[str | None, str | None,
                                                                    str | None]:
    """``(who, date, section)`` from the heading: ``Tekninen johtaja Ville Väre`` on the
    line before ``Viranhaltijapäätös …`` (static ``<label>``) or before it on the same
    line (Dynasty 10's ``div.meeting-header``)."""
    text, _, _ = decode_html(data, content_type)
    lines = label_lines(parse_tree(text))
    for i, line in enumerate(lines):
        m = _LABEL_RE.search(line)
        if not m:
            continue
        who = clean_text(line[: m.start()]).strip(" /-–|") or (lines[i - 1] if i else "")
        return who or None, parse_fi_date(m["date"]), m["section"]
    return None, None, None


def parse(data: bytes, *, url: str | None = None,
          content_type: str | None = None) -> OfficialDecisionRecord:
    """Parse one official's decision page; problems go to ``warnings``."""
    item = item_html.parse(data, url=url, content_type=content_type)
    rec = OfficialDecisionRecord(
        section=item.section, case_number=item.case_number,
        case_number_raw=item.case_number_raw, task_class=item.task_class, title=item.title,
        structure=item.structure,
        warnings=[w for w in item.warnings if not w.startswith("missing: ")])
    who, date, section = _read_header(data, content_type)
    if who and looks_like_official_title(who):
        rec.official_title = who  # a title alone names nobody
    elif who:
        rec.official_title, rec.official_name = split_title_name(who)
    rec.decision_date = date
    rec.section = rec.section or section
    paragraphs = [p for p in (item.proposal, item.decision, item.background) if p]
    text_body = "\n\n".join(paragraphs).split("\n\n") if paragraphs else []
    signature = clean_text(f"{rec.official_title or ''} {rec.official_name or ''}")
    if text_body and signature and clean_text(text_body[-1]) == signature:
        text_body.pop()  # the closing signature line is who decided, not what
    rec.decision = "\n\n".join(text_body) or None
    for name in ("official_name", "decision_date", "title", "decision"):
        if not getattr(rec, name):
            rec.warnings.append(f"missing: {name}")
    return rec
