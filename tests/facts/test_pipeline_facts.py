"""The facts end to end: harvested from the demo site over loopback, recomputed by
``reparse`` (an older extractor version re-runs by itself), printed by ``parse``."""

from __future__ import annotations

import json
import subprocess
import sys

import requests

from db.schema import open_db
from demosite import DemoServer, expected_items
from kokousarkisto import api
from parsers import FACTS_VERSION
from scraper.http import FetchPolicy
from scraper.sources import Source

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
VOTED = "2024091101-3"  # a demo item whose return motion lost a 5–2 vote
GRANT = "2024102201-1"  # a grant the board amended, one member recused


def test_harvest_and_reparse_keep_every_items_facts(tmp_path):
    db_path = tmp_path / "kokousarkisto.db"
    with DemoServer() as site:
        api.harvest(db_path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                    policy=FAST)
    db = open_db(db_path)
    minutes = {r["dynasty_id"]: r for r in db.query(
        "select * from items where document_type = 'minutes'")}
    expected = {e["item_id"] for e in expected_items() if e["document_type"] == "minutes"}
    assert set(minutes) == expected
    assert {r["facts_version"] for r in minutes.values()} == {FACTS_VERSION}
    assert all(r["outcome"] not in (None, "unknown") for r in minutes.values())
    voted = minutes[VOTED]
    assert (voted["outcome"], voted["voted"], voted["departed_from_proposal"]) == \
        ("after_vote", 1, 0)
    vote = next(db.query("select * from item_votes where item_id = ?", [voted["id"]]))
    assert (vote["yes"], vote["no"], vote["winner"]) == (5, 2, "proposal")
    motion = next(db.query("select * from item_motions where item_id = ?", [voted["id"]]))
    assert (motion["proposer"], motion["seconders"], motion["kind"]) == \
        ("Petteri Orava", "Noora Ahonen", "return")
    handling = next(db.query("select * from item_handlings where item_id = ?", [voted["id"]]))
    assert handling["outcome"] == "as_proposed"
    grant = minutes[GRANT]
    assert (grant["outcome"], grant["departed_from_proposal"]) == ("amended", 1)
    assert grant["effective_decision"] == grant["decision"]
    assert [(p["role"], p["name"]) for p in db.query(
        "select * from item_people where item_id = ?", [grant["id"]])] == \
        [("recusal", "Tommi Heiskanen")]
    assert [(a["cents"], a["recipient"]) for a in db.query(
        "select * from item_amounts where item_id = ? and decided = 1", [grant["id"]])] == \
        [(1_100_000, "Myllyharjun Urheilijat ry")]
    agendas = list(db.query("select outcome from items where document_type = 'agenda'"))
    assert agendas and {r["outcome"] for r in agendas} == {None}

    # an older extractor's facts, and a vote lost: reparse puts them right by itself
    db.execute("update items set facts_version = 'outcome=0', outcome = 'unknown'")
    db.execute("delete from item_votes")
    db.conn.commit()
    db.close()
    summary = api.reparse(db_path)
    assert summary.failed == 0
    db = open_db(db_path)
    assert {r["facts_version"] for r in db.query("select facts_version from items")} == \
        {FACTS_VERSION}
    assert db["items"].get(voted["id"])["outcome"] == "after_vote"
    assert db.execute("select count(*) from item_votes").fetchone()[0] >= 1


def test_cli_parse_prints_the_facts_of_the_item_and_its_earlier_handlings(tmp_path):
    with DemoServer() as site:
        html = requests.get(f"{site.base_url}/kokous/{VOTED}.HTM", timeout=10).content
    page = tmp_path / f"{VOTED}.HTM"
    page.write_bytes(html)
    out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "parse", str(page)],
                         capture_output=True, check=True)
    record = json.loads(out.stdout)
    facts = record["facts"]
    assert facts["outcome"]["kind"] == "after_vote"
    assert "äänin 5–2" in facts["outcome"]["sentence"]
    assert [(v["yes"], v["no"], v["winner"]) for v in facts["votes"]] == [(5, 2, "proposal")]
    assert facts["effective_decision"] == record["proposal"]
    (earlier,) = record["previous_handlings"]
    assert earlier["date"] == "2024-03-13"
    assert earlier["facts"]["outcome"]["kind"] == "as_proposed"
