"""Navigation pages: the meeting page, a body's meeting list and the body list.

They follow Dynasty's static publication (``<docid>.HTM``, ``TELIN-<id>.HTM``,
``TELIMET.HTM``), including the ``<!--TIETUE:...-->`` record comments that
Dynasty writes around each row, and the dynamic ``DREQUEST.PHP`` variants
(``meeting_frames``, ``meeting_handlers``, ``meetings``) which list the same
things but link to other ``DREQUEST.PHP`` pages.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from .common import Urls, dyn_date, esc, nbsp
from .html_shell import WORD_STYLE, nav_line, page
from .model import Body, Document, OfficialDecision, SiteData, blocks_text


def _header_row(first: str, middle: str = "&nbsp;", last: str = "&nbsp;") -> str:
    return (
        '<table class="tbl" cellspacing="0" border="0" width="100%">\n'
        f'<tbody><tr class="trHea"><td class="tcHeaFirst" height="25">&nbsp;{first}</td>\n'
        '<td class="tcHea">&nbsp;</td>\n'
        f'<td class="tcHea">{middle}</td>\n'
        f'<td class="tcHeaLast" width="100%" align="right">{last}</td>\n'
        '</tr><tr><td class="tcHeaSepa">&nbsp;</td>\n'
    )


def _section_table(title: str) -> str:
    return (
        '<table class="tbl" cellspacing="0" border="0" width="100%">\n'
        '<tbody><tr class="trHea"><td class="tcHeaFirst tcHeaLast" height="25">'
        f"&nbsp;{title}</td>\n"
        '</tr><tr><td class="tcHeaSepa">&nbsp;</td>\n</tr></tbody></table>\n'
    )


def _xp_cell(text: str, width: int) -> str:
    # Dynasty really publishes these "xp"/"xclass" pseudo-tags in attendee tables.
    return (
        f'  <td class="tcDat" width="{width}" valign="top">  '
        f'<xp xclass="MsoNormal">{esc(text)}</xp><br>  </td>'
    )


def meeting_page(doc: Document, data: SiteData, urls: Urls) -> bytes:
    """``/kokous/<docid>.HTM``: item list, meeting details and attendees."""
    meeting = doc.meeting
    w = doc.words
    number_head = w.section if doc.is_minutes else w.item_number
    pdf = (
        f'\n&nbsp;<a target="_blank" href="{urls.meeting_pdf(doc)}" class="linkMListPDF">'
        f"{doc.label}&nbsp;PDF-muodossa</a>\n&nbsp;"
    )
    rows = []
    for i, item in enumerate(meeting.items):
        cls = ' class="trDat"' if i % 2 else ""
        icon = (
            f'<td valign="top"><img src="{urls.kokous("ATTACHEMENT.GIF")}"></td>'
            if item.attachments
            else "<td>&nbsp;</td>"
        )
        rows.append(
            f'</tr><tr{cls}><td class="tcDat" valign="top">&nbsp;&nbsp;{doc.section_value(item)}'
            f'</td>{icon}<td class="tcDat" colspan="3"><a href="{urls.item_htm(doc, item)}">'
            f"{esc(item.title)}</a></td>\n"
        )
    parts = [_header_row(number_head, w.title, pdf) + "".join(rows) + "</tr></tbody></table>"]
    when = f"{dyn_date(meeting.date)} {w.at} {meeting.time}"
    if meeting.end_time and doc.is_minutes:
        when += f"–{meeting.end_time}"
    parts.append("<p>\n" + _section_table(w.meeting_info))
    parts.append(
        '<table cellspacing="0" border="0">\n<tbody>'
        f'<tr><td class="tcDat">&nbsp;&nbsp;{w.meeting_time}</td><td class="tcDat">{when}</td>'
        f'</tr>\n<tr><td class="tcDat">&nbsp;&nbsp;{w.meeting_place}</td>'
        f'<td class="tcDat">{esc(meeting.place)}</td></tr>\n'
        "</tbody></table>\n</p>"
    )
    if doc.is_minutes and meeting.attendees:
        members = [a for a in meeting.attendees if a.group == "members"]
        others = [a for a in meeting.attendees if a.group == "others"]
        member_rows = " ".join(f"<tr>{_xp_cell(a.display, 597)} </tr>" for a in members)
        parts.append(
            "<p>\n"
            + _section_table(w.members)
            + '<table cellspacing="0" border="0">\n<tbody><tr><td>&nbsp;&nbsp;</td><td>\n'
            + '<table xclass="MsoNormalTable" cellspacing="0" cellpadding="0" border="0"> <tbody>'
            + member_rows
            + "</tbody></table></td>\n</tr></tbody></table>\n</p>"
        )
        other_rows = " ".join(
            "<tr>"
            + _xp_cell(a.name, 300)
            + _xp_cell(", ".join(p for p in (a.role, a.note) if p), 300)
            + " </tr>"
            for a in others
        )
        parts.append(
            "<p>\n"
            + _section_table(w.others)
            + '<table cellspacing="0" border="0">\n<tbody><tr><td>&nbsp;&nbsp;</td><td>\n'
            + '<table xclass="MsoNormalTable" cellspacing="0" cellpadding="0" border="0" '
            + 'width="600"> <tbody>'
            + other_rows
            + "</tbody></table></td>\n</tr></tbody></table>\n</p>"
        )
    heading_line = f"{doc.label} {dyn_date(meeting.date)} {w.at} {meeting.time}"
    if doc.is_minutes:
        heading_line += f" / {w.checked}"
    links = [(w.bodies, urls.telimet()), (meeting.body.name, urls.telin(meeting.body))]
    return page(
        title=data.municipality.name,
        body_class="bodyKokous",
        heading=[meeting.body.name, heading_line],
        data="\n".join(parts),
        top_nav=nav_line(links, urls.cgi("meeting_frames")),
    )


def _doc_rows(docs: list[Document], link: Callable[[Document], str]) -> str:
    """Year-grouped rows of a body's documents, newest first, as in ``TELIN-*.HTM``."""
    out = []
    for year, group in groupby(docs, key=lambda d: d.meeting.date.year):
        out.append(
            '<table class="tbl" cellspacing="0" border="0" width="100%">\n'
            f'<tbody><tr class="trHea"><td class="tcHeaFirst" colspan="2" height="25">'
            f"&nbsp;Vuosi&nbsp;{year}</td>\n"
            '<td class="tcHea">&nbsp;</td>\n<td class="tcHeaLast" width="100%">&nbsp;</td>\n'
            '</tr><tr><td class="tcHeaSepa">&nbsp;</td>\n'
        )
        for i, doc in enumerate(group):
            cls = ' class="trDat"' if i % 2 else ""
            out.append(
                f"<!--TIETUE:{doc.doc_id}-->\n<!--{doc.meeting.date.isoformat()}-->\n"
                f"<!--{doc.doc_id}.HTM-->\n<!--{len(doc.meeting.items)}-->\n"
                f'</tr><tr{cls}><td class="tcDat">&nbsp;&nbsp;{dyn_date(doc.meeting.date)}'
                f"&nbsp;&nbsp;</td>\n"
                f'<td class="tcDat" width="100%"><a href="{link(doc)}">{doc.label}</a></td>\n'
                "<!--TIETUE-->\n"
            )
        out.append("</tr><tr><td>&nbsp;</td>\n</tr></tbody></table>")
    return "".join(out) or "<p>Ei julkaistuja kokouksia.</p>"


def body_documents(body: Body, docs: list[Document]) -> list[Document]:
    """A body's visible documents, newest meeting first, minutes before agenda."""
    mine = [d for d in docs if d.meeting.body.id == body.id]
    return sorted(mine, key=lambda d: (d.meeting.date, d.is_minutes, d.doc_id), reverse=True)


def body_meetings_page(
    body: Body, docs: list[Document], data: SiteData, urls: Urls, *, cgi: bool = False
) -> bytes:
    """``TELIN-<id>.HTM`` (static links) or ``page=meetings&id=<id>`` (DREQUEST links)."""

    def link(doc: Document) -> str:
        return urls.cgi("meeting", doc.doc_id) if cgi else urls.meeting_htm(doc)

    links = [("Toimielimet", urls.telimet()), (body.name, urls.telin(body))]
    return page(
        title=data.municipality.name,
        body_class="bodyTelin",
        heading=["Kokouslistat", body.name],
        data=_doc_rows(body_documents(body, docs), link),
        top_nav=nav_line(links, urls.cgi("meeting_frames")),
    )


def _body_rows(
    data: SiteData, docs: list[Document], link: Callable[[Body], str], urls: Urls
) -> str:
    rows = []
    for body in sorted(data.bodies, key=lambda b: b.name):
        latest = body_documents(body, docs)
        last = (
            f"{dyn_date(latest[0].meeting.date)}&nbsp;&nbsp;"
            f'<a href="{urls.meeting_htm(latest[0])}">{latest[0].label}</a>'
            if latest
            else "&nbsp;"
        )
        rows.append(
            f"<!--TIETUE:TELIN-{body.id}-->\n<!--{esc(body.name)}-->\n"
            '</tr><tr><td class="tcBul">&nbsp;&nbsp;&nbsp;&nbsp;</td>\n'
            f'<td class="tcDat" nowrap="nowrap"><a href="{link(body)}">{esc(body.name)}</a></td>'
            f'<td></td>\n<td colspan="3" class="tcDat">{last}</td>\n<!--TIETUE-->\n'
        )
    return (
        '<table class="tbl" cellspacing="0" border="0" width="100%">\n'
        '<tbody><tr class="trHea"><td class="tcHeaFirst" colspan="2" height="25">'
        "&nbsp;Toimielimet</td>"
        f'<td class="tcHea">{nbsp(4)}</td>\n<td class="tcHea">Viimeisin&nbsp;kokous</td>'
        '<td class="tcHeaLast" width="100%">&nbsp;</td>\n'
        '</tr><tr><td class="tcHeaSepa">&nbsp;</td>\n' + "".join(rows) + "</tr></tbody></table>"
    )


def bodies_page(data: SiteData, docs: list[Document], urls: Urls) -> bytes:
    """``/kokous/TELIMET.HTM``: every body with its latest visible document."""
    return page(
        title=data.municipality.name,
        body_class="bodyTelimet",
        heading=[data.municipality.name, "Kokouslistat"],
        data=_body_rows(data, docs, urls.telin, urls),
        top_nav=nav_line([], urls.cgi("meeting_frames")),
    )


def frames_page(data: SiteData, docs: list[Document], urls: Urls) -> bytes:
    """``page=meeting_frames``: the search entry page, bodies linking to ``TELIN-*``.

    Real Dynasty serves a frameset here; the demo flattens it to one page that
    also shows the RSS addresses, as the Dynasty "RSS-linkki" page does.
    """
    feeds = (
        ("Kokousasiat", "rss/meetingitems"),
        ("Kokoukset", "rss/meetings"),
        ("Viranhaltijapäätökset", "rss/official_decisions"),
    )
    rss = '<p class="tcDat">RSS-linkki</p>\n' + "".join(
        f'<p class="tcDat">{label}:<br><a href="{urls.cgi(page, show=30)}">'
        f"{urls.cgi(page, show=30)}</a></p>\n"
        for label, page in feeds
    )
    top = nav_line(
        [("Toimielimet", urls.telimet()), ("Toimielinluettelo", urls.cgi("meeting_handlers"))],
        None,
    )
    return page(
        title=f"Dynasty tietopalvelu - {data.municipality.name}",
        body_class="bodyTelimet",
        heading=["Dynasty tietopalvelu", data.municipality.name],
        data=_body_rows(data, docs, urls.telin, urls) + "\n" + rss,
        top_nav=top,
    )


def handlers_page(data: SiteData, docs: list[Document], urls: Urls) -> bytes:
    """``page=meeting_handlers``: bodies linking to ``page=meetings&id=<bodyid>``."""
    return page(
        title=data.municipality.name,
        body_class="bodyTelimet",
        heading=[data.municipality.name, "Toimielimet"],
        data=_body_rows(data, docs, lambda b: urls.cgi("meetings", b.id), urls),
        top_nav=nav_line([("Toimielimet", urls.telimet())], urls.cgi("meeting_frames")),
    )


def official_decision_page(dec: OfficialDecision, data: SiteData, urls: Urls) -> bytes:
    """``page=official_decision&id=<id>``: one viranhaltijapäätös."""
    w = data.municipality.words
    paras = "\n".join(
        f'<p class="MsoBodyText">{esc(p)}</p>\n<p class="MsoBodyText">&nbsp;</p>'
        for p in (blocks_text(dec.text) or "").split("\n\n")
    )
    word = (
        WORD_STYLE
        + '<div class="WordSection1">\n'
        + f'<p class="MsoNormal" style="text-align:right" align="right">{dec.case_number}</p>\n'
        + f'<p class="MsoNormal">§ {dec.section}</p>\n'
        + f'<p class="MsoNormal"><b>{esc(dec.title)}</b></p>\n<p class="MsoNormal">&nbsp;</p>\n'
        + paras
        + f'\n<p class="MsoNormal">{esc(dec.official.display)}</p>\n</div>'
    )
    return page(
        title=data.municipality.name,
        body_class="bodyKokousasia",
        heading=[dec.official.display,
                 f"{w.official_decision} {dyn_date(dec.date)} § {dec.section}"],
        data=word,
        top_nav=nav_line([(w.bodies, urls.telimet())], urls.cgi("meeting_frames")),
    )
