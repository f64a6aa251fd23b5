"""Item pages (``/kokous/<docid>-<n>.HTM``) in two Dynasty templates.

``espoo`` imitates the Espoo Word template: case number right-aligned on top,
earlier handlings in a three-cell table, ``§ N`` / ``Asianro N``, bold title,
``Valmistelijat / lisätiedot:``, then ``p.Sivuotsikko`` headings (``Päätösehdotus``,
``Käsittely``, ``Päätös``, ``Selostus``, ``Päätöshistoria``) with ``p.Sisennetty``
body paragraphs. ``kuopio`` imitates the Kuopio committee template: ``§ N`` and
``Asianro <case number>`` lines, the preparer as "title name", background first,
an optional ``Esitys``, and a two-column table for ``Liitteet``, ``Valmistelija``,
``Päätösehdotus``, ``Käsittely`` and ``Päätös``. Two templates keep the parsers
honest: they must not depend on one layout.
"""

from __future__ import annotations

from .common import Urls, dyn_date, esc, nbsp, text_date, wrap_source
from .html_shell import WORD_STYLE, nav_line, page
from .model import Block, Document, Heading, Item, ListBlock, Paragraph, SiteData

RIGHT = 'style="text-align:right" align="right"'
HANGING = "margin-left:117.0pt;text-indent:-117.0pt;line-height:12.0pt;text-autospace:none"
LIST_PAD = '<span style="font:7.0pt &quot;Times New Roman&quot;">' + nbsp(7) + " </span>"
SPACER_SIS = '<p class="Sisennetty">&nbsp;</p>'
SPACER_HANG = f'<p class="MsoNormal" style="{HANGING}">&nbsp;</p>'


# --------------------------------------------------------------------------- helpers
def _p(cls: str, inner: str, style: str = "") -> str:
    style_attr = f' style="{style}"' if style else ""
    return wrap_source(f'<p class="{cls}"{style_attr}>{inner}</p>')


def _sisennetty_blocks(blocks: list[Block], cls: str = "Sisennetty") -> list[str]:
    """Body paragraphs in the Espoo style, ``&nbsp;`` spacer paragraphs between."""
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append(f'<p class="{cls}">&nbsp;</p>')
        if isinstance(block, Paragraph):
            out.append(_p(cls, esc(block.text)))
        elif isinstance(block, Heading):
            out.append(_p(cls, f"<b>{esc(block.text)}</b>"))
        else:
            out.extend(_list_paragraphs(block, cls))
    return out


def _list_paragraphs(block: ListBlock, cls: str) -> list[str]:
    """Word writes list items as indented paragraphs with a literal marker."""
    return [
        _p(
            cls,
            f"{block.marker(i)}{LIST_PAD}{esc(text)}",
            "margin-left:148.4pt;text-indent:-18.0pt",
        )
        for i, text in enumerate(block.items)
    ]


def _headed(heading: str, blocks: list[Block], extra: str | None = None) -> list[str]:
    """A ``Sivuotsikko`` heading; its first paragraph (or ``extra``) shares the line."""
    rest = list(blocks)
    inline = ""
    if extra is not None:
        inline = " " + esc(extra)
    elif rest and isinstance(rest[0], Paragraph):
        inline = " " + esc(rest.pop(0).text)
    out = [_p("Sivuotsikko", f"<b>{heading}</b>{nbsp(4)}{inline}")]
    if rest:
        out.append(SPACER_SIS)
        out.extend(_sisennetty_blocks(rest))
    return out


def _attachment_links(doc: Document, item: Item, urls: Urls) -> str:
    if not item.attachments:
        return ""
    rows = "".join(
        f'<tr><td valign="top"><img src="{urls.kokous("ATT.GIF")}">&nbsp;</td>'
        '<td valign="top">&nbsp;</td>'
        f'<td><a href="{urls.attachment_pdf(doc, item, a.number)}" target="_blank">'
        f"{esc(a.title)}</a></td></tr>"
        for a in item.attachments
    )
    return (
        f'<div class="tcDat">{doc.words.attachments}<table class="tcDat"><tbody>{rows}</tbody>'
        "</table></div><hr>"
    )


def _nav(doc: Document, item: Item, urls: Urls) -> str:
    items = doc.meeting.items
    i = items.index(item)
    w = doc.words
    prev_ = (
        f'<a href="{urls.item_htm(doc, items[i - 1])}">{w.previous}</a>'
        if i > 0
        else w.previous
    )
    next_ = (
        f'<a href="{urls.item_htm(doc, items[i + 1])}">{w.next}</a>'
        if i + 1 < len(items)
        else w.next
    )
    return (
        '<div class="tcDat"><table width="100%"><tbody><tr>'
        f'<td class="tcDat">{prev_} | {next_}</td>'
        '<td class="tcDat" align="right">&nbsp;&nbsp;'
        f'<img src="{urls.kokous("ATT.GIF")}">&nbsp;'
        f'<a target="_blank" href="{urls.item_pdf(doc, item)}">Kokousasia&nbsp;PDF-muodossa</a>'
        "</td></tr></tbody></table></div>"
    )


def _case_lines(item: Item) -> list[str]:
    """The right-aligned case number paragraph(s) at the top of an Espoo page."""
    if not item.case_number:
        return []
    if item.case_style == "split":
        head, year = item.case_number_raw.rsplit("/", 1)  # type: ignore[union-attr]
        return [
            f'<p class="MsoNormal" {RIGHT}><span lang="FI">{head}</span>'
            f'<span style="color:black">/{year}</span></p>'
        ]
    out = [f'<p class="MsoNormal" {RIGHT}><span lang="FI">{item.case_number_raw}</span></p>']
    if item.case_style == "separate" and item.task_class:
        out.append(f'<p class="MsoNormal" {RIGHT}><span lang="FI">{item.task_class}</span></p>')
    return out


def _handlings_table(item: Item) -> list[str]:
    rows = []
    for h in item.previous_handlings:
        cells = [(399, esc(h.body)), (144, f"{h.section} §"), (272, text_date(h.date))]
        tds = "".join(
            f'<td style="width:{w * 0.6:.1f}pt;padding:0cm 5.4pt 0cm 5.4pt" width="{w}" '
            f'valign="top"><p class="MsoNormal">{text}</p></td>'
            for w, text in cells
        )
        rows.append(f" <tr>\n  {tds}\n </tr>")
    if not rows:
        return []
    return [
        '<table class="MsoTableGrid" style="border-collapse:collapse;border:none" '
        'cellspacing="0" cellpadding="0" border="0">\n <tbody>'
        + "\n".join(rows)
        + "\n </tbody></table>",
        '<p class="MsoNormal">&nbsp;</p>',
    ]


def _preparers_espoo(item: Item, data: SiteData) -> list[str]:
    if not item.preparers:
        return []
    words = data.municipality.words
    rows = []
    for person in item.preparers:
        text = esc(person.name)
        if person.phone:
            text += f", {words.phone}&nbsp; {esc(person.phone, digit_nbsp=False)}"
        if person.email:
            text += f", {esc(person.email)}"
        rows.append(
            ' <tr>\n  <td style="width:370.35pt;padding:0cm 5.4pt 0cm 5.4pt" width="617" '
            'valign="top">\n  <p class="MsoNormal" style="line-height:12.0pt;'
            f'text-autospace:none"><span style="color:black">{text}</span></p>\n  </td>\n </tr>'
        )
    pattern = data.municipality.contact_pattern
    return [
        '<p class="MsoNormal" style="margin-left:117.0pt;line-height:12.0pt;'
        'text-autospace:none"><span style="color:black">'
        f"{words.preparers}:</span></p>",
        '<table class="MsoTableGrid" style="margin-left:117.0pt;border-collapse:collapse;'
        'border:none" cellspacing="0" cellpadding="0" border="0">\n <tbody>'
        + "\n".join(rows)
        + "\n</tbody></table>",
        f'<p class="MsoNormal" style="margin-left:117.1pt;line-height:12.0pt;'
        f'text-autospace:none"><a href="mailto:{pattern}">{pattern}</a></p>',
        '<p class="MsoNormal" style="margin-left:117.1pt;line-height:12.0pt;'
        'text-autospace:none"><span style="color:black">&nbsp;</span></p>',
    ]


# --------------------------------------------------------------------------- templates
def espoo_body(doc: Document, item: Item, data: SiteData) -> list[str]:
    """The WordSection1 content of an Espoo-template item."""
    out = _case_lines(item)
    out += [f'<p class="MsoNormal" {RIGHT}><span lang="FI">&nbsp;</span></p>']
    out += ['<p class="MsoNormal">&nbsp;</p>']
    out += _handlings_table(item)
    out += [f'<p class="MsoNormal"><span lang="FI">{esc(doc.section_label(item))}</span></p>']
    out += [
        _p(
            "MsoNormal",
            f"<strong><span>{esc(item.title)}</span></strong>",
            "margin-right:-7.15pt",
        )
    ]
    out += ['<p class="MsoNormal"><span style="color:black">&nbsp;</span></p>']
    out += _preparers_espoo(item, data)
    w = doc.words
    out += _headed(w.proposal, item.proposal, item.proposer.display if item.proposer else "")
    if doc.is_minutes and item.discussion:
        out += [SPACER_HANG]
        out += _headed(w.discussion, item.discussion)
    if doc.is_minutes:
        out += [SPACER_HANG]
        out += _headed(w.decision, item.decision)
    if item.background:
        out += [SPACER_SIS]
        out += [_p("Sivuotsikko", f"<b>{w.background}</b>{nbsp(4)} ")]
        out += [SPACER_SIS]
        out += _sisennetty_blocks(item.background)
    for h in item.history:
        out += [SPACER_HANG, _p("MsoNormal", f"<b>{w.history}</b>", HANGING), SPACER_HANG]
        out += [_p("MsoNormal", f"{esc(h.body)} {text_date(h.date)} § {h.section}", HANGING)]
        out += [SPACER_HANG]
        out += _headed(w.proposal, h.proposal, h.proposer.display if h.proposer else "")
        if h.discussion:
            out += [SPACER_HANG] + _headed(w.discussion, h.discussion)
        if h.decision:
            out += [SPACER_HANG] + _headed(w.decision, h.decision)
    if item.attachments:
        out += [SPACER_HANG, _p("MsoNormal", f"<b>{w.attachments}</b>", HANGING)]
        out += [_p("Sisennetty", f"{a.number}{nbsp(4)}{esc(a.title)}") for a in item.attachments]
    if item.for_information:
        out += [
            SPACER_HANG,
            _p("MsoNormal", f"<b>{w.for_information}</b>{nbsp(4)} {esc(item.for_information)}",
               HANGING),
        ]
    out += ['<p class="MsoNormal">&nbsp;</p>'] * 3
    return out


def _kuopio_row(label: str, cells: list[str]) -> str:
    inner = "".join(cells) or '<p class="MsoNormal">&nbsp;</p>'
    left = f"<b>{label}</b>" if label else "&nbsp;"
    return (
        ' <tr>\n  <td width="170" valign="top" style="width:127.6pt;padding:0cm 5.4pt 0cm 0cm">'
        f'<p class="MsoNormal">{left}</p></td>\n'
        '  <td width="472" valign="top" style="width:354.0pt;padding:0cm 5.4pt 0cm 5.4pt">'
        f"{inner}</td>\n </tr>"
    )


def _kuopio_cells(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append('<p class="MsoNormal">&nbsp;</p>')
        if isinstance(block, ListBlock):
            out.extend(
                _p(
                    "MsoNormal",
                    f"{block.marker(j)}{LIST_PAD}{esc(t)}",
                    "margin-left:18.0pt;text-indent:-18.0pt",
                )
                for j, t in enumerate(block.items)
            )
        elif isinstance(block, Heading):
            out.append(_p("MsoNormal", f"<b>{esc(block.text)}</b>"))
        else:
            out.append(_p("MsoNormal", esc(block.text)))
    return out


def kuopio_body(doc: Document, item: Item, data: SiteData) -> list[str]:
    """The WordSection1 content of a Kuopio-template item."""
    pattern = data.municipality.contact_pattern.replace("@", "(at)")
    out = ['<p class="MsoNormal">&nbsp;</p>']
    out += [f'<p class="MsoNormal">{esc(doc.section_label(item))}</p>']
    if item.case_number_raw:
        out += [f'<p class="MsoNormal">Asianro {item.case_number_raw}</p>']
    out += ['<p class="MsoNormal">&nbsp;</p>'] * 2
    out += [_p("MsoNormal", f"<b>{esc(item.title)}</b>")]
    out += ['<p class="MsoNormal">&nbsp;</p>'] * 2
    if item.preparers:
        first = item.preparers[0]
        lines = [esc(f"{first.title} {first.name}" if first.title else first.name)]
        if first.unit:
            lines.append(esc(first.unit))
        out += [_p("MsoBodyText", "<br>\n".join(lines)), '<p class="MsoBodyText">&nbsp;</p>']
    out += _sisennetty_blocks(item.background, "MsoBodyText")
    if item.presentation:
        out += ['<p class="MsoBodyText">&nbsp;</p>', '<p class="MsoNormal"><b>Esitys</b></p>']
        out += ['<p class="MsoBodyText">&nbsp;</p>']
        out += _sisennetty_blocks(item.presentation, "MsoBodyText")
    out += ['<p class="MsoBodyText">&nbsp;</p>']
    rows: list[str] = []
    if item.previous_handlings:
        rows.append(
            _kuopio_row(
                "Aiempi käsittely",
                [
                    f'<p class="MsoNormal">{esc(h.body)} {text_date(h.date)} § {h.section}</p>'
                    for h in item.previous_handlings
                ],
            )
        )
    if item.attachments:
        rows.append(
            _kuopio_row(
                "Liitteet",
                [
                    f'<p class="MsoNormal">{a.number}{nbsp(4)}{esc(a.title)}</p>'
                    for a in item.attachments
                ],
            )
        )
    if item.preparers:
        cells = []
        for person in item.preparers:
            text = esc(person.name)
            if person.phone:
                text += f" puh. {esc(person.phone, digit_nbsp=False)}"
            cells.append(f'<p class="MsoNormal">{text}</p>')
        cells.append(f'<p class="MsoNormal">{pattern}</p>')
        rows.append(_kuopio_row("Valmistelija", cells))
    rows.append(_kuopio_row("", []))
    proposer = esc(item.proposer.display) if item.proposer else "&nbsp;"
    rows.append(_kuopio_row("Päätösehdotus", [f'<p class="MsoNormal">{proposer}</p>']))
    rows.append(_kuopio_row("", _kuopio_cells(item.proposal)))
    if doc.is_minutes and item.discussion:
        rows.append(_kuopio_row("", []))
        rows.append(_kuopio_row("Käsittely", _kuopio_cells(item.discussion)))
    if doc.is_minutes:
        rows.append(_kuopio_row("", []))
        rows.append(_kuopio_row("Päätös", _kuopio_cells(item.decision)))
    out += [
        '<table class="MsoNormalTable" border="0" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse">\n <tbody>\n' + "\n".join(rows) + "\n </tbody></table>"
    ]
    out += ['<p class="MsoNormal">&nbsp;</p>'] * 2
    return out


TEMPLATES = {"espoo": espoo_body, "kuopio": kuopio_body}


def item_heading(doc: Document, item: Item) -> list[str]:
    """The two ``label.h3`` lines: body, then the document/section line.

    Espoo: ``Pöytäkirja 07.10.2024 Pykälä 200`` / ``Esityslista 03.02.2025 Asianro 3``;
    Kuopio prints the same without spaces around a slash: ``Pöytäkirja 22.10.2024/Pykälä 58``.
    """
    meeting = doc.meeting
    w = doc.words
    what = f"{w.section} {item.section}" if doc.is_minutes else f"{w.item_number} {item.ordinal}"
    sep = "/" if meeting.body.template == "kuopio" else " "
    return [meeting.body.name, f"{doc.label} {dyn_date(meeting.date)}{sep}{what}"]


def item_page(doc: Document, item: Item, data: SiteData, urls: Urls) -> bytes:
    """A complete item page, windows-1252 encoded."""
    meeting = doc.meeting
    nav = _nav(doc, item, urls)
    word = "\n\n".join(TEMPLATES[meeting.body.template](doc, item, data))
    body = (
        f'<div class="tblDoc"><div class="tcDoc">{nav}<hr>'
        + _attachment_links(doc, item, urls)
        + "\n\n"
        + WORD_STYLE
        + '\n<div class="WordSection1">\n\n'
        + word
        + "\n\n</div>\n\n\n"
        + f"<hr>{nav}\n</div></div>"
    )
    links = [
        (doc.words.bodies, urls.telimet()),
        (meeting.body.name, urls.telin(meeting.body)),
        (f"{doc.label} {dyn_date(meeting.date)}", urls.meeting_htm(doc)),
    ]
    top = nav_line(links, urls.cgi("meeting_frames"))
    return page(
        title=data.municipality.name,
        body_class="bodyKokousasia",
        heading=item_heading(doc, item),
        data=body,
        top_nav=top,
        bottom_nav=top,
    )
