"""Compare the HTML and the PDF record of one item and merge them.

The HTML page is the better source (no hyphenation, no column guessing), so its values
win; the PDF fills what the HTML lacks, and every disagreement is named in the
warnings so a template change shows up in the data instead of silently.
"""

from __future__ import annotations

import copy
import re

from parsers.kinds import parse
from parsers.records import ItemRecord

COMPARED_FIELDS = ("section", "case_number", "title", "meeting_date", "document_type",
                   "proposal", "decision")
FILLED_FIELDS = COMPARED_FIELDS + ("case_number_raw", "task_class", "body", "discussion",
                                   "background", "for_information", "supplementary", "appeal",
                                   "contact_pattern", "proposer")
LIST_FIELDS = ("preparers", "attachments", "previous_handlings")


def _norm(value: object) -> str:
    return re.sub(r"\W+", " ", str(value)).strip().casefold()


def merge_records(html: ItemRecord, pdf: ItemRecord | None) -> tuple[ItemRecord, float | None]:
    """Return the merged record and the share of compared fields on which both agree.

    Only fields present in both count towards the agreement; ``None`` when nothing
    could be compared (no PDF, or a PDF with no fields).
    """
    if pdf is None:
        return html, None
    merged = copy.deepcopy(html)
    compared = agreed = 0
    for name in COMPARED_FIELDS:
        a, b = getattr(html, name), getattr(pdf, name)
        if a in (None, "") or b in (None, ""):
            continue
        compared += 1
        if _norm(a) == _norm(b):
            agreed += 1
        else:
            merged.warn(f"pdf disagrees: {name}")
    for name in FILLED_FIELDS:
        merged.fill(name, copy.deepcopy(getattr(pdf, name)), "pdf")
    for name in LIST_FIELDS:
        if not getattr(merged, name) and getattr(pdf, name):
            setattr(merged, name, copy.deepcopy(getattr(pdf, name)))
    return merged, (agreed / compared if compared else None)


def parse_item(html: bytes, *, url: str | None = None, content_type: str | None = None,
               pdf: bytes | None = None, pdf_url: str | None = None
               ) -> tuple[ItemRecord, float | None]:
    """Parse an item's HTML page and (when there is one) its PDF into one record.

    The harvester and ``reparse`` both come through here, so re-parsing the archive
    with unchanged parsers reproduces exactly what the harvest stored.
    """
    record = parse("item_html", html, url=url, content_type=content_type)
    pdf_record = parse("item_pdf", pdf, url=pdf_url) if pdf else None
    return merge_records(record, pdf_record)  # type: ignore[arg-type]
