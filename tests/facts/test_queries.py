"""The facts' canned queries of metadata.yml, run through Datasette's test client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from kokousarkisto.publish import load_metadata
from tests.facts import archive


def run(path: Path, query: str, **params: str) -> list[dict[str, Any]]:
    async def go():
        ds = Datasette([str(path)], metadata=load_metadata(path))
        response = await ds.client.get(f"/{path.stem}/{query}.json",
                                       params={**params, "_shape": "array"})
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(go())


def built(tmp_path: Path) -> Path:
    path = tmp_path / "facts.db"
    archive.build(path).close()
    return path


def test_decisions_that_departed_from_the_proposal(tmp_path):
    path = built(tmp_path)
    rows = run(path, "departed_decisions", kunta="", vuosi="")
    assert [(r["municipality"], r["outcome"], r["link"]) for r in rows] == [
        ("Testikaupunki", "amended", "/kohta/testi/200-30"),
        ("Testikaupunki", "tabled", "/kohta/testi/101-12")]
    assert run(path, "departed_decisions", kunta="toinen", vuosi="") == []
    assert len(run(path, "departed_decisions", kunta="Testikaupunki", vuosi="2025")) == 2
    assert run(path, "departed_decisions", kunta="", vuosi="2024") == []


def test_votes_by_body_and_year(tmp_path):
    rows = run(built(tmp_path), "votes_by_body_year", kunta="")
    assert rows == [{"municipality": "Testikaupunki", "body": "Kaupunginhallitus",
                     "year": 2025, "votes": 1, "items": 1, "proposal_lost": 1,
                     "proposal_won": 0}]


def test_amounts_by_recipient_and_municipality(tmp_path):
    path = built(tmp_path)
    rows = run(path, "amounts_by_recipient", recipient="", kunta="", vuosi="")
    # the decided text only: the amended decision's 8 000, not the proposal's 5 000
    assert [(r["municipality"], r["recipient"], r["euros"]) for r in rows] == [
        ("Testikaupunki", "Kylätoimikunta ry", 8000.0)]
    assert run(path, "amounts_by_recipient", recipient="Osakeyhtiö", kunta="", vuosi="") == []


def test_largest_amounts_decided(tmp_path):
    rows = run(built(tmp_path), "largest_amounts", start="2025-01-01", end="2025-12-31",
               kunta="")
    assert [(r["municipality"], r["euros"]) for r in rows] == [
        ("Toinenkunta", 1200000.0), ("Testikaupunki", 8000.0)]


def test_a_case_timeline_from_any_printed_case_number(tmp_path):
    path = built(tmp_path)
    rows = run(path, "case_timeline", case_number="3700/10.02.02/2024", kunta="testi")
    assert [(r["date"], r["outcome"], r["votes"]) for r in rows] == [
        ("2025-03-03", "tabled", 0), ("2025-03-17", "amended", 1)]
    both = run(path, "case_timeline", case_number="3700/2024", kunta="")
    assert {r["municipality"] for r in both} == {"Testikaupunki", "Toinenkunta"}
