"""Item pages of the newer Dynasty 10 family (``*.oncloudos.com``), UTF-8.

The content sits in ``div.data-part`` blocks between ``<!--DATABEGIN-->`` and
``<!--DATAEND-->``: a ``meeting-header`` with the body and ``Pöytäkirja DD.MM.YYYY
Pykälä N``, a ``page-navigation`` with the previous/next item and the PDF, then the item
in ``div.data-part-block-htm``: the case number (``Dnro …``), a bold title, labels as a
``<span>`` followed by the value in the next ``<span>`` of the same paragraph
(``Valmistelija``, ``Päätösehdotus`` with the proposer, ``Päätös``), ``<h3>`` section
headings and real ``<ol>``/``<ul>`` lists. Nothing here is Word markup, which is the
point: a parser must not depend on one family's layout.

Both navigation variants are served: documents published before
:data:`NAVIGATION_TABLE_SINCE` have the older links-and-bars navigation, later ones the
``table.tbl.navigation`` of version 10.4.0.260401 with its hidden ``<caption>``
(``Navigointi``, ``Liitteet``); attachments are ``/kokous/<docid>-<n>-<attachment
id>.PDF``, the last number an attachment id (:func:`attachment_name`). Meeting pages
(:func:`meeting_page`) read ``Body  Pöytäkirja DD.MM.YYYY klo HH:MM -  Place``.
"""

from __future__ import annotations

import datetime as dt
import html

from .common import Urls, dyn_date, text_date
from .model import AttachmentSpec, Block, Document, Heading, Item, ListBlock, Paragraph, SiteData

UTF8_HTML = "text/html; charset=UTF-8"
#: documents published from this day on have the newer navigation table
NAVIGATION_TABLE_SINCE = dt.date(2025, 1, 1)
#: attachment ids are this plus a running number (they look like 374197 in real pages)
ATTACHMENT_ID_BASE = 374100


def attachment_name(doc: Document, item: Item, att: AttachmentSpec) -> str:
    """``2024100701-3-374201.PDF``: the item id and an attachment id, not a running number."""
    ordinal = sum(len(i.attachments) for i in doc.meeting.items[: doc.meeting.items.index(item)])
    return f"{doc.item_id(item)}-{ATTACHMENT_ID_BASE + 10 * ordinal + att.number}.PDF"


def _nav_table(caption: str, cells: list[str]) -> str:
    tds = "".join(f"<td>{c}</td>" for c in cells)
    return (f'<table class="tbl navigation"><caption class="caption navigation hidden">'
            f"{caption}</caption>\n<tr>{tds}</tr>\n</table>")


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
    pdf = (f"<a class='' target='_blank' href='{urls.item_pdf(doc, item)}'>"
           "Kokousasia PDF-muodossa</a>")
    newer = doc.published >= NAVIGATION_TABLE_SINCE
    if newer:
        navigation = _nav_table("Navigointi", [f"{prev_} | {next_}", pdf])
    else:
        navigation = f"{prev_} | {next_}\n{pdf}"
    attachment_links = [
        f"<a href='{urls.kokous(attachment_name(doc, item, a))}'>{_e(a.title)}</a>"
        for a in item.attachments]
    if newer and attachment_links:
        navigation += "\n" + _nav_table(w.attachments, ["<br>".join(attachment_links)])
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
    if attachment_links and not newer:
        parts.append(f"<h3>{w.attachments}</h3>")
        parts.append("<ul>" + "".join(f"<li>{link}</li>" for link in attachment_links) + "</ul>")
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
{navigation}
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


def meeting_page(doc: Document, data: SiteData, urls: Urls) -> bytes:
    """A Dynasty 10 meeting page: the heading with time and place, the items, attendees."""
    meeting = doc.meeting
    w = doc.words
    head = w.section if doc.is_minutes else w.item_number
    rows = []
    for item in meeting.items:
        icon = ('<img src="../images/ATTACHEMENT.GIF" alt="Liitteitä">'
                if item.attachments else "&nbsp;")
        link = urls.cgi("meetingitem", doc.item_id(item))
        rows.append(f'<tr class="trDat"><td class="tcDat">{doc.section_value(item)}</td>'
                    f'<td>{icon}</td><td class="tcDat"><a href="{link}">'
                    f"{_e(item.title)}</a></td></tr>")
    when = f"{w.at} {meeting.time}"
    heading = (f"{_e(meeting.body.name)}&nbsp; {doc.label} {dyn_date(meeting.date)} {when} "
               f"-&nbsp; {_e(meeting.place)}")
    people = ""
    if doc.is_minutes and meeting.attendees:
        for caption, group in ((w.members, "members"), (w.others, "others")):
            lines = "".join(f'<tr><td class="tcDat">{_e(a.display)}</td></tr>'
                            for a in meeting.attendees if a.group == group)
            if lines:
                people += (f'<table class="tbl"><tr class="trHea"><th class="tcHeaFirst tcHeaLast">'
                           f"{caption}</th></tr>\n{lines}</table>\n")
    page = f"""<!DOCTYPE html>
<html lang="{w.language}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Dynasty tietopalvelu – {_e(data.municipality.name)}</title>
</head>
<body class="meeting">
<!--DATABEGIN-->
<div class="data-part page-header"><h1 class="h1">Kokous</h1></div>
<div class="data-part meeting-header"><h2 class="h2">{heading}</h2></div>
<div class="data-part page-navigation">
{_nav_table("Navigointi", [
    f'<a href="{urls.cgi("meetings", meeting.body.id)}">{_e(meeting.body.name)}</a>',
    f'<a target="_blank" href="{urls.meeting_pdf(doc)}">{doc.label}&nbsp;PDF-muodossa</a>'])}
</div>
<div class="data-part meeting">
<table class="tbl"><caption class="caption hidden">Kokousasiat</caption>
<tr class="trHea"><th class="tcHeaFirst">{head}</th><th class="tcHea">&nbsp;</th>\
<th class="tcHeaLast">{w.title}</th></tr>
{"".join(rows)}
</table>
{people}</div>
<!--DATAEND-->
<div class="footer"><p>{_e(data.municipality.name)}</p></div>
</body>
</html>
"""
    return page.encode("utf-8")
