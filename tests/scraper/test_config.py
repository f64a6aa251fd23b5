"""The user's config file: adding, disabling and overriding sources, global settings, one
actionable ConfigError per mistake, and the ``sources`` / ``harvest --config`` commands."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from kokousarkisto import api
from kokousarkisto.cli import cli
from scraper.config import (
    DEFAULT_DELAY,
    ConfigError,
    Settings,
    catalog,
    fetch_settings,
    load_config,
    parse_config,
    resolve_source_args,
    select_sources,
)
from scraper.http import FetchPolicy
from scraper.registry import RegistryEntry, load_registry
from scraper.sources import Source, SourceError
from tests.loopback import Reply, ScriptedServer

REGISTRY = [
    RegistryEntry(id="kuopio", municipality="Kuopio", base_url="https://kuopio.oncloudos.com",
                  evidence="test"),
    RegistryEntry(id="lahti", municipality="Lahti", base_url="https://lahti.oncloudos.com",
                  evidence="test"),
    RegistryEntry(id="old", municipality="Vanha", base_url="http://old.example",
                  evidence="test", enabled=False, notes="static-only"),
]

EXAMPLE = """
delay = 2.5
contact = "toimitus@example.org"
recheck_days = 7

[[source]]
id = "testila"
url = "https://testila.oncloudos.com/cgi/DREQUEST.PHP?page=meeting_frames"
name = "Testilän kunta"
municipality = "Testilä"

[[source]]
id = "lahti"
enabled = false

[[source]]
id = "kuopio"
url = "https://kuopio10.oncloudos.com"
delay = 5
contact = "kuopio@example.org"
"""


def by_id(entries):
    return {e.id: e for e in entries}


def test_settings_and_defaults():
    config = parse_config(EXAMPLE, "sources.toml")
    assert config.settings == Settings(delay=2.5, contact="toimitus@example.org", recheck_days=7)
    assert parse_config("").settings == Settings(delay=DEFAULT_DELAY, contact=None,
                                                 recheck_days=None)
    assert parse_config("delay = 0").settings.delay == 0.0


def test_add_disable_override():
    entries = by_id(catalog(parse_config(EXAMPLE), REGISTRY))
    assert list(entries) == ["kuopio", "lahti", "old", "testila"]
    added = entries["testila"]
    assert (added.origin, added.base_url, added.municipality, added.enabled) == (
        "config", "https://testila.oncloudos.com", "Testilä", True)
    assert added.to_source() == Source(id="testila", base_url="https://testila.oncloudos.com",
                                       name="Testilän kunta", municipality="Testilä")
    assert not entries["lahti"].enabled and entries["lahti"].origin == "builtin+config"
    kuopio = entries["kuopio"]
    assert (kuopio.base_url, kuopio.delay, kuopio.contact, kuopio.origin) == (
        "https://kuopio10.oncloudos.com", 5.0, "kuopio@example.org", "builtin+config")
    assert kuopio.municipality == "Kuopio" and kuopio.evidence == "test"  # kept from registry
    assert entries["old"].origin == "builtin" and not entries["old"].enabled


def test_selection():
    config = parse_config(EXAMPLE)
    # the config's enabled sources only (lahti is disabled there)
    assert [e.id for e in select_sources(config, registry=REGISTRY)] == ["kuopio", "testila"]
    # plus every enabled built-in one; disabled ones stay out
    assert [e.id for e in select_sources(config, all_registry=True, registry=REGISTRY)] == [
        "kuopio", "testila"]
    assert [e.id for e in select_sources(None, all_registry=True, registry=REGISTRY)] == [
        "kuopio", "lahti"]
    assert select_sources(None, registry=REGISTRY) == []
    # a config entry may switch a disabled built-in source on
    on = parse_config('[[source]]\nid = "old"\nenabled = true\n')
    assert [e.id for e in select_sources(on, registry=REGISTRY)] == ["old"]


def test_source_args_urls_and_known_ids():
    config = parse_config(EXAMPLE)
    got = resolve_source_args(["kuopio", "x=https://x.example/", "https://y.example"],
                              config, REGISTRY)
    assert [(e.id, e.base_url) for e in got] == [
        ("kuopio", "https://kuopio10.oncloudos.com"), ("x", "https://x.example"),
        ("y", "https://y.example")]
    with pytest.raises(SourceError, match="did you mean 'kuopio'"):
        resolve_source_args(["kuopoi"], config, REGISTRY)


def test_per_source_values_override_global_ones():
    config = parse_config(EXAMPLE)
    entries = by_id(catalog(config, REGISTRY))
    assert fetch_settings(entries["kuopio"], config.settings) == (5.0, "kuopio@example.org")
    assert fetch_settings(entries["testila"], config.settings) == (2.5, "toimitus@example.org")


def test_the_builtin_registry_is_the_default():
    assert len(catalog()) == len(load_registry())


# -- mistakes --------------------------------------------------------------------------

SRC = '[[source]]\nid = "testila"\nurl = "https://testila.example"\n'


@pytest.mark.parametrize("text,key,words", [
    ("delay = -1", "delay", ">= 0"),
    ("delay = 'fast'", "delay", "number of seconds"),
    ("delay = true", "delay", "number of seconds"),
    ("delay = nan", "delay", ">= 0"),
    ("contact = 5", "contact", "non-empty string"),
    ("contact = ' '", "contact", "non-empty string"),
    ("recheck_days = -1", "recheck_days", "days >= 0"),
    ("recheck_days = 1.5", "recheck_days", "days >= 0"),
    ("dealy = 2", "dealy", "did you mean 'delay'"),
    ("[source]\nid = 'x'", "source", "[[source]]"),
    ("source = 'kuopio'", "source", "[[source]]"),
    ("[[source]]\nurl = 'https://x.example'", "id", "missing"),
    ("[[source]]\nid = 'Testilä'", "id", "not a source id"),
    ("[[source]]\nid = 5", "id", "not a source id"),
    (SRC + "bas_url = 'https://x'", "bas_url", "did you mean 'base_url'"),
    ("[[source]]\nid = 'testila'\nurl = 'ftp://x.example'", "url", "not an http(s) URL"),
    ("[[source]]\nid = 'testila'\nurl = ''", "url", "non-empty string"),
    (SRC + "base_url = 'https://z.example'", "base_url", "not both"),
    (SRC + "enabled = 'yes'", "enabled", "true or false"),
    (SRC + "delay = -2", "delay", ">= 0"),
    (SRC + "name = 3", "name", "non-empty string"),
    (SRC + SRC, "id", "already configured in [[source]] #1"),
])
def test_each_mistake_is_one_message_naming_file_and_key(text, key, words):
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.toml")
    exc = caught.value
    assert exc.key == key
    message = str(exc)
    assert message.startswith("sources.toml: ") and f"{key}: " in message, message
    assert words in message, message
    assert "\n" not in message


def test_unknown_source_without_url_names_the_closest_builtin():
    config = parse_config('[[source]]\nid = "kuopoi"\nenabled = false\n', "sources.toml")
    with pytest.raises(ConfigError) as caught:
        catalog(config, REGISTRY)
    assert caught.value.key == "url"
    assert str(caught.value) == (
        "sources.toml: [[source]] #1 (id 'kuopoi'): url: missing: 'kuopoi' is not a built-in "
        "source, so it needs a url (did you mean the built-in 'kuopio'?)")


def test_file_problems(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("delay = = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML: .*line 1"):
        load_config(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('contact = "Jyväskylä"'.encode("latin-1"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(latin)


# -- the commands ----------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_sources_table_and_json(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text(EXAMPLE.replace('id = "lahti"', 'id = "vantaa"'), encoding="utf-8")
    table = invoke("sources")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["id", "municipality", "enabled", "origin", "base", "url"]
    registry = load_registry()
    assert len(lines) == 1 + len(registry) + 1
    assert lines[-1] == f"{len(registry)} sources, {sum(e.enabled for e in registry)} enabled"
    assert any(line.split()[:2] == ["kokkola", "Kokkola"] for line in lines)

    result = invoke("sources", "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows["testila"]["origin"] == "config"
    assert rows["vantaa"]["enabled"] is False and rows["vantaa"]["origin"] == "builtin+config"
    assert rows["kuopio"]["base_url"] == "https://kuopio10.oncloudos.com"
    assert set(rows["kokkola"]) >= {"id", "municipality", "base_url", "enabled", "origin"}


@pytest.mark.parametrize("command", [["sources"], ["harvest", "--db", "DB"]])
def test_bad_config_exits_2_with_one_message(tmp_path, command):
    config = tmp_path / "sources.toml"
    config.write_text("delay = -1\n", encoding="utf-8")
    args = [str(tmp_path / "k.db") if a == "DB" else a for a in command]
    result = invoke(*args, "--config", str(config))
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {config}: delay: must be >= 0 seconds, got -1"
    assert not (tmp_path / "k.db").exists()


def test_harvest_without_any_source_is_a_usage_error(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text('delay = 0\n[[source]]\nid = "kuopio"\nenabled = false\n',
                      encoding="utf-8")
    result = invoke("harvest", "--db", str(tmp_path / "k.db"), "--config", str(config))
    assert result.exit_code == 2 and "--all-registry" in result.output


def empty_site(site: ScriptedServer) -> None:
    empty = b"<rss version='2.0'><channel><title>Dynasty</title></channel></rss>"
    for feed in ("meetings", "meetingitems", "official_decisions"):
        site.routes[f"/cgi/DREQUEST.PHP?page=rss/{feed}&show=100"] = [Reply(200, empty)]


def test_harvest_takes_the_config_sources_and_settings(tmp_path):
    db_path = tmp_path / "k.db"
    with ScriptedServer() as site:
        empty_site(site)
        config = tmp_path / "sources.toml"
        config.write_text(f"""
delay = 0
contact = "toimitus@example.org"
recheck_days = 0

[[source]]
id = "testila"
url = "{site.url}"
municipality = "Testilä"
""", encoding="utf-8")
        result = invoke("harvest", "--db", str(db_path), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "sources=1 " in result.output
    conn = sqlite3.connect(db_path)
    assert conn.execute("select id, municipality from sources").fetchall() == [
        ("testila", "Testilä")]
    agents = {r["User-Agent"] for r in site.requests}
    assert len(agents) == 1 and agents.pop().endswith(" toimitus@example.org")


def test_sources_with_their_own_delay_share_one_run(tmp_path):
    """Each source keeps its own policy (its host's client); one run holds them all, and
    three sources on one address are worth a warning."""
    db_path = tmp_path / "k.db"
    with ScriptedServer() as site:
        empty_site(site)
        plan = [(Source(id="a", base_url=site.url), FetchPolicy(min_interval=0)),
                (Source(id="b", base_url=site.url), FetchPolicy(min_interval=0.001)),
                (Source(id="c", base_url=site.url), FetchPolicy(min_interval=0))]
        summary = api.harvest_plan(db_path, plan, recheck_days=0)
    assert (summary.sources, summary.failed, summary.exit_code) == (3, 0, 0)
    conn = sqlite3.connect(db_path)
    runs = conn.execute("select run_id, group_concat(distinct source_id) from fetches "
                        "group by run_id order by run_id").fetchall()
    assert runs == [(1, "a,b,c")]
    assert len(summary.warnings) == 1
    assert "a, b, c point at the same address" in summary.warnings[0]


def test_harvest_selection_and_precedence_without_fetching(tmp_path, monkeypatch):
    """What ``harvest`` hands to the API, captured: no request leaves this machine."""
    from scraper.harvest import RECHECK_DAYS, RunSummary

    calls = []

    def fake_plan(db_path, plan, *, recheck_days, **options):
        calls.append(([(s.id, p.min_interval, p.contact) for s, p in plan], recheck_days))
        return RunSummary(sources=len(plan))

    monkeypatch.setattr(api, "harvest_plan", fake_plan)
    monkeypatch.delenv("KOKOUSARKISTO_CONTACT", raising=False)
    config = tmp_path / "sources.toml"
    config.write_text(EXAMPLE.replace('id = "lahti"', 'id = "vantaa"'), encoding="utf-8")
    db = str(tmp_path / "k.db")
    enabled = [e.id for e in load_registry() if e.enabled]

    assert invoke("harvest", "--db", db, "--config", str(config)).exit_code == 0
    assert calls.pop() == ([("kuopio", 5.0, "kuopio@example.org"),
                            ("testila", 2.5, "toimitus@example.org")], 7)

    result = invoke("harvest", "--db", db, "--config", str(config), "--all-registry",
                    "--delay", "3", "--contact", "cli@example.org", "--recheck-days", "0")
    assert result.exit_code == 0, result.output
    plan, recheck = calls.pop()
    ids = [i for i, *_ in plan]
    assert ids == [i for i in enabled if i != "vantaa"] + ["testila"] and recheck == 0
    assert {(i, d, c) for i, d, c in plan if i != "kuopio"} == {
        (i, 3.0, "cli@example.org") for i in ids if i != "kuopio"}
    assert ("kuopio", 5.0, "kuopio@example.org") in plan  # its own values win

    # explicit --source values win over the config's sources and --all-registry
    assert invoke("harvest", "--db", db, "--config", str(config), "--all-registry",
                  "--source", "kokkola", "--source", "x=https://x.example").exit_code == 0
    assert calls.pop() == ([("kokkola", 2.5, "toimitus@example.org"),
                            ("x", 2.5, "toimitus@example.org")], 7)

    assert invoke("harvest", "--db", db, "--all-registry").exit_code == 0
    plan, recheck = calls.pop()
    assert [i for i, *_ in plan] == enabled and recheck == RECHECK_DAYS
    assert {(d, c) for _, d, c in plan} == {(1.0, None)}
