from __future__ import annotations

import pytest

from scraper.sources import SourceError, base_url_of, parse_source_arg, slug_for


@pytest.mark.parametrize("url,base", [
    ("https://kuopio.oncloudos.com", "https://kuopio.oncloudos.com"),
    ("https://kuopio.oncloudos.com/cgi/DREQUEST.PHP?page=rss/meetingitems&show=30",
     "https://kuopio.oncloudos.com"),
    ("https://dynastyjulkaisu.pohjoiskarjala.net/joensuu/cgi/DREQUEST.PHP?page=meeting_frames",
     "https://dynastyjulkaisu.pohjoiskarjala.net/joensuu"),
    ("http://espoo04.hosting.documenta.fi/kokous/TELIMET.HTM",
     "http://espoo04.hosting.documenta.fi"),
])
def test_base_url(url, base):
    assert base_url_of(url) == base


def test_slugs():
    assert slug_for("https://kuopio.oncloudos.com") == "kuopio"
    joensuu = "https://dynastyjulkaisu.pohjoiskarjala.net/joensuu"
    assert slug_for(joensuu) == "dynastyjulkaisu-joensuu"
    assert slug_for("http://127.0.0.1:8765") == "127-0-0-1-8765"


def test_source_arg_with_id_and_urls():
    s = parse_source_arg("kokkola=https://kokkola10.oncloudos.com/")
    assert (s.id, s.base_url) == ("kokkola", "https://kokkola10.oncloudos.com")
    assert s.cgi("rss/meetingitems", show=30) == (
        "https://kokkola10.oncloudos.com/cgi/DREQUEST.PHP?page=rss/meetingitems&show=30")
    assert s.static("1-2.PDF") == "https://kokkola10.oncloudos.com/kokous/1-2.PDF"
    # an "=" inside a URL is not an ID= prefix
    assert parse_source_arg("https://a.example/x=1").base_url == "https://a.example/x=1"


@pytest.mark.parametrize("bad", ["ftp://x", "not a url", "Bad Id=https://x.fi"])
def test_bad_sources_raise_typed_error(bad):
    with pytest.raises(SourceError):
        parse_source_arg(bad)
