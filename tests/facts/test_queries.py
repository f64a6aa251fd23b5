"""The facts' canned queries of metadata.yml, run through Datasette's test client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from db import store
from db.schema import open_db
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


def test_a_vote_known_only_from_later_histories_is_counted_once(tmp_path):
    """The minutes of 3.3.2025 are not in the archive; two later items list that
    handling (with its vote 7–4) among their earlier handlings. The vote is counted once,
    at its own meeting's year and body; the later item's own vote is counted too."""
    path = tmp_path / "histories.db"
    db = open_db(path)
    store.ensure_source(db, store.SourceRow(id="testi", name="Testikaupunki",
                                            municipality="Testikaupunki",
                                            base_url="https://testi.example"), archive.NOW)
    body = store.ensure_body(db, "testi", "Kaupunginhallitus")
    meeting = store.upsert_meeting(db, source_id="testi", body_id=body, date="2025-03-17",
                                   document_type="minutes", doc_id="200", url=None)
    archive.write(db, "testi", "200-30", archive.DECIDED, meeting, body)
    archive.write(db, "testi", "200-31", archive.DECIDED, meeting, body)
    db.close()
    rows = run(path, "votes_by_body_year", kunta="")
    # own votes of 200-30 and 200-31, and the earlier handling's vote once
    assert rows == [{"municipality": "Testikaupunki", "body": "Kaupunginhallitus",
                     "year": 2025, "votes": 3, "items": 3, "proposal_lost": 3,
                     "proposal_won": 0}]
