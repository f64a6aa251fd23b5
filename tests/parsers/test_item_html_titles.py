"""Property: a UI label, caption, bare number, date or placeholder is never an item's
title (issue 11, "never a wrong field").

Pages are built from Dynasty's two item-page frames (static Word export, Dynasty 10
with ``div.data-part`` and hidden captions) with random noise above the real title;
whatever the noise, the title is the real one or, when there is none, empty.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from parsers import parse
from parsers.text.vocabulary import UI_LABELS, classify_heading_strict, not_a_title_reason
from tests.parsers.cases import PROPERTY_SETTINGS

#: Labels that are no section heading (``Liitteet`` above the title is Dynasty's own
#: attachment list and is read as one).
LABELS = sorted(label for label in UI_LABELS if classify_heading_strict(label) is None)
NOISE = st.one_of(
    st.sampled_from(LABELS).map(str.capitalize),
    st.integers(min_value=1, max_value=999).map(str),
    st.integers(min_value=1, max_value=999).map(lambda n: f"{n}."),
    st.sampled_from(["-", "–", "—", "…", ".", "--"]),
    st.sampled_from(["12.03.2024", "3.4.2017", "730/2017", "KOK/512/00.01.02/2024"]),
)
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=3, max_size=12)
TITLE = st.lists(WORD, min_size=2, max_size=8).map(lambda ws: " ".join(ws).capitalize())


def _static(noise: list[str], captions: list[str], title: str | None) -> bytes:
    head = "".join(f'<p class="MsoNormal">{n}</p>' for n in noise)
    cap = "".join(f"<table><caption>{c}</caption><tr><td>&nbsp;</td></tr></table>" for c in captions)
    body = f'<p class="MsoNormal"><b>{title}</b></p>' if title else ""
    return ('<html><body class="bodyKokousasia"><label class="h3">Kunnanhallitus<br>'
            f"Esityslista 01.02.2017 Asianro 4</label><!--DATA_BEGIN-->{cap}{head}{body}"
            '<p class="Sivuotsikko"><b>Päätösehdotus</b>&nbsp;&nbsp;&nbsp; Kunnanhallitus '
            "hyväksyy asian.</p><!--DATA_END--></body></html>").encode("cp1252", "replace")


def _dynasty10(noise: list[str], captions: list[str], title: str | None) -> bytes:
    caps = "".join(f"<table class='tbl navigation'><caption class='caption hidden'>{c}</caption>"
                   "<tr><td><a href='#'>Edellinen asia</a></td></tr></table>" for c in captions)
    head = "".join(f"<p><span>{n}</span></p>" for n in noise)
    body = f"<p><span style='font-weight:bold'>{title}</span></p>" if title else ""
    return ("<html><body><!--DATABEGIN--><div class='data-part page-header'><h1>"
            f"{(captions or ['Kokousasian teksti'])[0]}</h1></div>"
            "<div class='data-part meeting-header'><h2>Kunnanhallitus&nbsp; Esityslista "
            f"01.02.2026/Asianro 4</h2></div><div class='data-part page-navigation'>{caps}</div>"
            f"<div class='data-part meetingitem'><div class='data-part-block-htm'>{head}{body}"
            "<p><span>Kunnanjohtaja</span><span>Kunnanhallitus hyväksyy asian.</span></p>"
            "</div></div><!--DATAEND--></body></html>").encode()


@PROPERTY_SETTINGS
@given(st.lists(NOISE, max_size=5), st.lists(st.sampled_from(
    ["Navigointi", "Liitteet", "Oheismateriaali", "Kokousasian teksti"]), max_size=3),
       st.one_of(st.none(), TITLE), st.booleans())
def test_noise_above_the_title_is_never_the_title(noise, captions, title, dynasty10):
    if title is not None:
        assume(not_a_title_reason(title) is None)
    page = (_dynasty10 if dynasty10 else _static)(noise, captions, title)
    record = parse("item_html", page)
    assert record.title == title
    assert record.section == "4"
    if title is None:
        assert "missing: title" in record.warnings


def test_the_handling_line_is_no_title_when_the_title_is_missing():
    page = ("<html><body><!--DATABEGIN--><div class='data-part meeting-header'><h2>Tekninen "
            "lautakunta&nbsp; Esityslista 23.09.2026/Asianro 4</h2></div><div class='data-part "
            "meetingitem'><div class='data-part-block-htm'><p><span>Tekninen lautakunta</span> "
            "<span>23.09.2026</span></p><p><span>Valmistelija</span><span>Kaupungininsinööri "
            "Matti Mallikas</span></p><p><span>Tekninen johtaja</span><span>Tekninen lautakunta "
            "päättää hyväksyä.</span></p></div></div><!--DATAEND--></body></html>").encode()
    record = parse("item_html", page)
    assert record.title is None and "missing: title" in record.warnings
    assert record.body == "Tekninen lautakunta" and record.meeting_date == "2026-09-23"
    assert record.proposal == "Tekninen lautakunta päättää hyväksyä."
    assert record.background is None
