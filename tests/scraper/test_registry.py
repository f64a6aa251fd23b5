"""The built-in registry of municipal Dynasty hosts: shipped, valid, unique, documented."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from scraper.registry import DATA_FILE, RegistryError, load_registry, parse_registry
from scraper.sources import base_url_of, is_valid_source_id


def test_registry_is_shipped_in_the_package():
    assert resources.files("scraper").joinpath(DATA_FILE).is_file()
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert "*.toml" in pyproject["tool"]["setuptools"]["package-data"]["scraper"]


def test_at_least_20_municipalities_with_unique_ids_and_http_urls():
    entries = load_registry()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert all(is_valid_source_id(i) for i in ids)
    enabled = {e.municipality for e in entries if e.enabled}
    assert len(enabled) >= 20
    for e in entries:
        assert re.match(r"https?://[^/\s]+", e.base_url), e
        assert base_url_of(e.base_url) == e.base_url, e  # no /cgi/, no trailing slash
        assert e.evidence.strip(), e


def test_every_enabled_host_is_a_distinct_site():
    urls = [e.base_url.lower() for e in load_registry() if e.enabled]
    assert len(urls) == len(set(urls))


def test_header_says_the_hosts_are_not_verified_live():
    text = resources.files("scraper").joinpath(DATA_FILE).read_text(encoding="utf-8")
    assert "NOT VERIFIED LIVE" in text


def test_entries_become_sources():
    kokkola = {e.id: e for e in load_registry()}["kokkola"]
    source = kokkola.to_source()
    assert (source.id, source.municipality, source.name) == ("kokkola", "Kokkola", "Kokkola")
    assert source.cgi("rss/meetingitems", show=100).startswith(
        "https://kokkola10.oncloudos.com/cgi/DREQUEST.PHP?page=rss/meetingitems")


def test_static_only_hosts_are_disabled():
    for e in load_registry():
        if e.notes and "static-only" in e.notes:
            assert not e.enabled, e


GOOD = """
[[source]]
id = "a"
municipality = "A"
base_url = "https://a.example"
evidence = "test"
"""


@pytest.mark.parametrize("text,message", [
    (GOOD + GOOD, "appears twice"),
    (GOOD.replace("https://a.example", "ftp://a.example"), "base_url"),
    (GOOD.replace("https://a.example", "https://a.example/cgi/DREQUEST.PHP"), "write it as"),
    (GOOD.replace('evidence = "test"', ""), "evidence: missing"),
    (GOOD + 'colour = "red"\n', "unknown key"),
    (GOOD.replace('id = "a"', 'id = "A b"'), "id 'A b'"),
    (GOOD + "enabled = 1\n", "enabled"),
    ("[source]\nid = 'a'\n", "only [[source]]"),
    ("[[source]\n", "not valid TOML"),
])
def test_malformed_registry_data_is_refused(text, message):
    with pytest.raises(RegistryError, match=re.escape(message)):
        parse_registry(text)


def test_a_registry_file_can_be_loaded_from_a_path(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(GOOD, encoding="utf-8")
    (entry,) = load_registry(path)
    assert entry.enabled and entry.to_source().base_url == "https://a.example"
