"""Ground truth of the demo site, straight from ``demo.yaml``, for parser tests.

Texts use the canonical form of :func:`demosite.model.blocks_text`: paragraphs
separated by a blank line, list items on their own lines as ``- text`` or
``1. text``, single spaces (the pages use ``&nbsp;`` between digit groups and the
PDFs a no-break space; compare after normalising whitespace).
"""

from __future__ import annotations

from typing import Any

from .model import Document, Item, SiteData, blocks_text, load
from .towns import Town


def _data(town: Town | None) -> SiteData:
    return load() if town is None else town.data


def _item_dict(doc: Document, item: Item, data: SiteData) -> dict[str, Any]:
    meeting = doc.meeting
    iid = doc.item_id(item)
    pattern = data.municipality.contact_pattern if item.preparers else None
    kuopio = meeting.body.template == "kuopio"
    return {
        "doc_id": doc.doc_id,
        "item_id": iid,
        "ordinal": item.ordinal,
        "document_type": doc.kind,
        "template": meeting.body.template,
        "published": doc.published.isoformat(),
        "section": doc.section_value(item),
        "case_number": item.case_number,
        "case_number_raw": item.case_number_raw,
        "task_class": item.task_class,
        "case_style": item.case_style if item.case_number else None,
        "title": item.title,
        "body": meeting.body.name,
        "body_id": meeting.body.id,
        "meeting_date": meeting.date.isoformat(),
        "proposal": blocks_text(item.proposal),
        "decision": blocks_text(item.decision) if doc.is_minutes else None,
        "discussion": blocks_text(item.discussion) if doc.is_minutes else None,
        "background": blocks_text(item.background),
        "presentation": blocks_text(item.presentation),
        "for_information": item.for_information,
        "preparers": [
            {"name": p.name, "title": p.title, "phone": p.phone, "email": p.email}
            for p in item.preparers
        ],
        "contact_pattern": pattern,
        "contact_pattern_raw": (pattern.replace("@", "(at)") if kuopio else pattern)
        if pattern
        else None,
        "proposer": (
            {"name": item.proposer.name, "title": item.proposer.title} if item.proposer else None
        ),
        "attachments": [
            {"title": a.title, "url_path": f"/kokous/{iid}-{a.number}.PDF", "kind": a.kind}
            for a in item.attachments
        ],
        "previous_handlings": _handlings(item),
        "history": [
            {
                "body": h.body,
                "section": str(h.section),
                "date": h.date.isoformat(),
                "proposal": blocks_text(h.proposal),
                "decision": blocks_text(h.decision),
            }
            for h in item.history
        ],
        "html_path": f"/kokous/{iid}.HTM",
        "pdf_path": f"/kokous/{iid}.PDF",
    }


def _handlings(item: Item) -> list[dict[str, Any]]:
    """Earlier handlings as a parser returns them: those named at the top of the page,
    then the Päätöshistoria entries with their texts (one entry per handling)."""
    out: list[dict[str, Any]] = []
    for h in [*item.previous_handlings, *item.history]:
        key = {"body": h.body, "section": str(h.section), "date": h.date.isoformat()}
        texts = {"proposer": None, "proposal": None, "decision": None, "discussion": None}
        if hasattr(h, "proposal"):
            texts = {
                "proposer": {"name": h.proposer.name, "title": h.proposer.title}
                if h.proposer else None,
                "proposal": blocks_text(h.proposal),
                "decision": blocks_text(h.decision),
                "discussion": blocks_text(h.discussion),
            }
        same = next((o for o in out if all(o[k] == v for k, v in key.items())), None)
        if same is None:
            out.append({**key, **texts})
        else:
            same.update({k: v for k, v in texts.items() if same[k] is None})
    return out


def expected_items(town: Town | None = None) -> list[dict[str, Any]]:
    """One dict per item page (an agenda item and its minutes item are two entries).

    Ordered by document (oldest meeting first, agenda before minutes), then by the
    item's position in the document. ``town``: one of :data:`demosite.towns.TOWNS`
    (default: the single-town demo).
    """
    data = _data(town)
    return [_item_dict(doc, item, data) for doc in data.documents for item in doc.meeting.items]


def expected_documents(town: Town | None = None) -> list[dict[str, Any]]:
    """One dict per meeting document: ids, dates, items and attendees."""
    data = _data(town)
    out = []
    for doc in data.documents:
        m = doc.meeting
        out.append(
            {
                "doc_id": doc.doc_id,
                "document_type": doc.kind,
                "label": doc.label,
                "body": m.body.name,
                "body_id": m.body.id,
                "meeting_date": m.date.isoformat(),
                "time": m.time,
                "end_time": m.end_time,
                "place": m.place,
                "number": f"{m.number}/{m.date.year}",
                "published": doc.published.isoformat(),
                "item_ids": [doc.item_id(i) for i in m.items],
                "attendees": [
                    {"name": a.name, "role": a.role, "note": a.note, "group": a.group}
                    for a in m.attendees
                ]
                if doc.is_minutes
                else [],
                "html_path": f"/kokous/{doc.doc_id}.HTM",
                "pdf_path": f"/kokous/{doc.doc_id}.PDF",
            }
        )
    return out


def expected_bodies() -> list[dict[str, Any]]:
    return [{"id": b.id, "name": b.name, "template": b.template} for b in load().bodies]
