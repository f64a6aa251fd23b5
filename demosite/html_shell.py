"""The page frame shared by every Dynasty HTML page of the demo site.

Dynasty wraps each published page in the same shell: a centred navigation line,
a title table whose ``label.h3`` holds the heading lines, and the payload between
``<!--DATA_BEGIN-->`` and ``<!--DATA_END-->``. Parsers key on those markers, so the
demo reproduces them exactly. Pages are encoded to windows-1252 here.
"""

from __future__ import annotations

from .common import esc

ENCODING = "cp1252"

HEAD = """<html><head>
 <meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
 <meta http-equiv="pragma" content="no-cache">
 <meta http-equiv="cache-control" content="no-cache">
 <meta name="robots" content="noindex">
 <title>{title}</title>
 <!--PARENTUPD-->
</head>
"""

RULE_TABLE = """<table class="tbl" cellspacing="0" width="100%">
<colgroup><col width=""></colgroup>
<tbody><tr><td><hr size="4"></td>
</tr></tbody></table>
"""

# A Word "filtered HTML" style sheet, reduced to the styles the item pages use.
WORD_STYLE = """<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<meta name="Generator" content="Microsoft Word 15 (filtered)">
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:Arial;
	panose-1:2 11 6 4 2 2 2 2 2 4;}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	margin-bottom:.0001pt;
	line-height:12.0pt;
	font-size:11.0pt;
	font-family:"Arial",sans-serif;}
p.MsoBodyText, li.MsoBodyText, div.MsoBodyText
	{margin-top:0cm;
	margin-right:0cm;
	margin-bottom:0cm;
	margin-left:130.4pt;
	margin-bottom:.0001pt;
	text-align:justify;
	font-size:11.0pt;
	font-family:"Arial",sans-serif;}
p.Sivuotsikko, li.Sivuotsikko, div.Sivuotsikko
	{mso-style-name:Sivuotsikko;
	margin-top:0cm;
	margin-right:0cm;
	margin-bottom:0cm;
	margin-left:117.0pt;
	margin-bottom:.0001pt;
	text-indent:-117.0pt;
	line-height:12.0pt;
	font-size:11.0pt;
	font-family:"Arial",sans-serif;
	color:black;}
p.Sisennetty, li.Sisennetty, div.Sisennetty
	{mso-style-name:Sisennetty;
	margin-top:0cm;
	margin-right:0cm;
	margin-bottom:0cm;
	margin-left:117.1pt;
	margin-bottom:.0001pt;
	line-height:12.0pt;
	font-size:11.0pt;
	font-family:"Arial",sans-serif;
	color:black;}
 /* Page Definitions */
 @page WordSection1
	{size:595.3pt 841.9pt;
	margin:70.9pt 56.7pt 70.9pt 56.7pt;}
div.WordSection1
	{page:WordSection1;}
-->
</style>
"""


def nav_line(links: list[tuple[str, str]], search_url: str | None) -> str:
    """``Toimielimet | Body | Pöytäkirja dd.mm.yyyy | Avaa haku`` as Dynasty prints it."""
    parts = " | ".join(f'<a href="{url}">{esc(text)}</a>' for text, url in links)
    if search_url:
        search = f'<a href="{search_url}" target="_top">Avaa haku</a>'
        parts = f"{parts}&nbsp;|&nbsp;{search}" if parts else search
    return f"<center>\n  {parts}\n</center>\n"


def page(
    *,
    title: str,
    body_class: str,
    heading: list[str],
    data: str,
    top_nav: str,
    bottom_nav: str = "<center>\n  <!--LINKIT-->\n</center>\n",
) -> bytes:
    """Assemble a complete page and encode it to windows-1252."""
    label = "<br>".join(esc(line) for line in heading)
    out = (
        HEAD.format(title=esc(title))
        + f'\n<body class="{body_class}" vlink="purple" link="blue" lang="FI">\n'
        + top_nav
        + '\n<table class="tbl" cellspacing="0" width="100%">\n'
        + '<colgroup><col width=""></colgroup>\n'
        + '<tbody><tr><td><hr size="4"></td>\n'
        + '</tr><tr><td align="center"><label class="h3"><!-- RSPEAK_START -->'
        + label
        + "<!-- RSPEAK_STOP --></label><!--READSPEAKER--></td>\n"
        + '</tr><tr><td><hr size="4"></td>\n'
        + "</tr></tbody></table>\n\n"
        + '<p style="margin:0px">\n\n\n\n'
        + '<table class="tbl" cellspacing="0" width="100%">\n'
        + '<colgroup><col width=""></colgroup>\n'
        + '<tbody><tr><td style="padding-left:5px; padding-right:5px">\n\n'
        + "<!--DATA_BEGIN-->\n\n"
        + data
        + "\n<!--DATA_END-->\n"
        + "</td>\n</tr></tbody></table>\n\n"
        + RULE_TABLE
        + "\n</p>"
        + bottom_nav
        + "\n\n\n</body></html>\n"
    )
    return out.encode(ENCODING)
