"""Item pages of the newer Dynasty 10 family (``*.oncloudos.com``), UTF-8.

The content sits in ``div.data-part`` blocks between ``<!--DATABEGIN-->`` and
``<!--DATAEND-->``: a ``meeting-header`` with the body and ``Pöytäkirja DD.MM.YYYY
Pykälä N``, a ``page-navigation`` with the previous/next item and the PDF, then the item
in ``div.data-part-block-htm``: the case number (``Dnro …``), a bold title, labels as a
``<span>`` followed by the value in the next ``<span>`` of the same paragraph
(``Valmistelija``, ``Päätösehdotus`` with the proposer, ``Päätös``), ``<h3>`` section
headings and real ``<ol>``/``<ul>`` lists. Nothing here is Word markup, which is the
point: a parser must not depend on one family's layout.
"""

from __future__ import annotations

import html

from .common import Urls, dyn_date, text_date
from .model import Block, Document, Heading, Item, ListBlock, Paragraph, SiteData

UTF8_HTML = "text/html; charset=UTF-8"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _blocks(blocks: list[Block]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_e(block.text)}</p>")
        elif isinstance(block, Heading):
            out.append(f'<p><span style="font-weight:bold">{_e(block.text)}</span></p>')
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_e(t)}</li>" for t in block.items)
                       + f"</{tag}>")
    return out


def _labelled(label: str, blocks: list[Block], value: str | None = None) -> list[str]:
    """``<p><span>Label</span><span>first line</span></p>`` and the rest as paragraphs."""
    rest = list(blocks)
    if value is None and rest and isinstance(rest[0], Paragraph):
        value = rest.pop(0).text
    return [f"<p><span>{_e(label)}</span><span>{_e(value or '')}</span></p>", *_blocks(rest)]


def _preparers(item: Item, data: SiteData) -> list[str]:
    if not item.preparers:
        return []
    words = data.municipality.words
    people = []
    for person in item.preparers:
        text = f"{person.title} {person.name}" if person.title else person.name
        if person.phone:
            text += f", {words.phone} {person.phone}"
        people.append(text)
    joined = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " ja " + people[-1]
    return [f"<p><span>Valmistelija</span><span>{_e(joined)}</span></p>"]


def item_page(doc: Document, item: Item, data: SiteData, urls: Urls) -> bytes:
    """A complete Dynasty 10 item page, UTF-8 encoded."""
    meeting = doc.meeting
    w = doc.words
    unit = f"{w.section} {item.section}" if doc.is_minutes else f"{w.item_number} {item.ordinal}"
    items = meeting.items
    i = items.index(item)

    def nav(target: Item | None, text: str) -> str:
        if target is None:
            return f"<span>{text}</span>"
        return (f"<a href='{urls.cgi('meetingitem', doc.item_id(target))}'>{text}</a>")

    prev_ = nav(items[i - 1] if i > 0 else None, w.previous)
    next_ = nav(items[i + 1] if i + 1 < len(items) else None, w.next)
    parts = [f"<p><span>Dnro {_e(item.case_number_raw)}</span></p>"] if item.case_number else []
    for h in item.previous_handlings:
        parts.append(f"<p><span>{_e(h.body)} {h.section} § {text_date(h.date)}</span></p>")
    parts.append(f'<p><span style="font-weight:bold">{_e(item.title)}</span></p>')
    parts += _preparers(item, data)
    if item.background:
        parts.append(f"<h3>{w.background}</h3>")
        parts += _blocks(item.background)
    proposer = item.proposer.display if item.proposer else ""
    parts += [f"<p><span>{w.proposal}</span><span>{_e(proposer)}</span></p>",
              *_blocks(item.proposal)]
    if doc.is_minutes and item.discussion:
        parts.append(f"<h3>{w.discussion}</h3>")
        parts += _blocks(item.discussion)
    if doc.is_minutes:
        parts += _labelled(w.decision, item.decision)
    if item.attachments:
        parts.append(f"<h3>{w.attachments}</h3>")
        parts.append("<ul>" + "".join(
            f"<li><a href='{urls.attachment_pdf(doc, item, a.number)}'>{_e(a.title)}</a></li>"
            for a in item.attachments) + "</ul>")
    if item.for_information:
        parts += _labelled(w.for_information, [], item.for_information)
    body = "\n".join(parts)
    header = (f"<span class='body'>{_e(meeting.body.name)}</span><br>"
              f"<span class='doc'>{doc.label} {dyn_date(meeting.date)} {unit}</span>")
    page = f"""<!DOCTYPE html>
<html lang="{w.language}"><head>
<meta charset="utf-8">
<title>{_e(data.municipality.name)} – Dynasty</title>
</head>
<body>
<!--DATABEGIN-->
<div class='data-part page-header'>
<div class='data-part meeting-header'>{header}</div>
</div>
<div class='data-part page-navigation'>
{prev_} | {next_}
<a class='' target='_blank' href='{urls.item_pdf(doc, item)}'>Kokousasia PDF-muodossa</a>
</div>
<div class='data-part meetingitem'>
<div class='data-part-block-htm'>
<div>
{body}
</div>
</div>
</div>
<!--DATAEND-->
<div class='data-part page-footer'><p>{_e(data.municipality.name)}</p></div>
</body></html>
"""
    return page.encode("utf-8")
