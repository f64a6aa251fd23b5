"""Charset labels are checked against the bytes (issue 14: mojibake, stray bytes).

A label saying windows-1252 on UTF-8 bytes, one stray cp1252 byte in a UTF-8 page and
a label naming a non-text codec must each give the text a person sees in a browser,
with a warning, and never raise.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.html.blocks import decode_html, normalise_charset
from tests.parsers.cases import PROPERTY_SETTINGS

TEXT = "Päätösehdotus – kaupunginhallitus hyväksyy “kumppanuusmallin” ja Ålandin €-arvion."


def test_utf8_bytes_labelled_windows_1252_are_read_as_utf8():
    for label in ("windows-1252", "iso-8859-1", "latin1"):
        text, codec, warnings = decode_html(TEXT.encode(), f"text/html; charset={label}")
        assert (text, codec) == (TEXT, "utf-8")
        assert warnings == ["labelled windows-1252 but the bytes are UTF-8; decoded as UTF-8"]


def test_real_windows_1252_stays_windows_1252():
    text, codec, warnings = decode_html(TEXT.encode("cp1252"), "text/html; charset=windows-1252")
    assert (text, codec, warnings) == (TEXT, "cp1252", [])
    text, codec, _ = decode_html(TEXT.encode("cp1252"))
    assert (text, codec) == (TEXT, "cp1252")


def test_one_stray_byte_does_not_send_a_utf8_page_through_cp1252():
    page = TEXT.encode() + b" Lis\xe4tiedot " + TEXT.encode()
    for content_type in (None, "text/html; charset=utf-8", "text/html; charset=windows-1252"):
        text, codec, warnings = decode_html(page, content_type)
        assert text == f"{TEXT} Lisätiedot {TEXT}"
        assert codec == "utf-8"
        assert len(warnings) == 1 and "1 stray byte" in warnings[0]


def test_mostly_cp1252_page_with_one_utf8_looking_pair_is_cp1252():
    page = ("Äänestys: " + "ä ö å " * 20).encode("cp1252") + "é".encode()
    text, codec, _ = decode_html(page)
    assert codec == "cp1252" and text.startswith("Äänestys: ä ö å")


@pytest.mark.parametrize("label", ["base64", "zlib", "hex", "rot13", "utf-7", "bz2"])
def test_a_label_naming_no_text_codec_is_unknown(label):
    assert normalise_charset(label) is None
    text, codec, warnings = decode_html(TEXT.encode(), f"text/html; charset={label}")
    assert (text, codec) == (TEXT, "utf-8")
    assert warnings == [f"unknown charset in content type: {label}"]


@PROPERTY_SETTINGS
@given(st.text(max_size=200), st.binary(max_size=20), st.text(max_size=200),
       st.sampled_from([None, "text/html; charset=utf-8", "text/html; charset=windows-1252",
                        "text/html; charset=base64", "text/html; charset=iso-8859-15"]))
def test_mixed_encodings_never_raise(a, junk, b, content_type):
    page = a.encode("utf-8", "surrogatepass") + junk + b.encode("cp1252", "replace")
    text, codec, warnings = decode_html(page, content_type)
    assert isinstance(text, str) and codec and isinstance(warnings, list)
