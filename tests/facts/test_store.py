"""The facts stored with each item: columns, fact tables, attendee links, idempotent
writes, the refresh of an older extractor version, the case timeline and the pairs."""

from __future__ import annotations

import json

from db import facts, store
from db.schema import open_db
from tests.facts import archive


def test_the_current_handling_outcome_is_on_the_item(tmp_path):
    db = archive.build(tmp_path / "a.db")
    item = db["items"].get("testi/200-30")
    assert item["outcome"] == "amended"
    assert item["departed_from_proposal"] == 1
    assert item["voted"] == 1
    assert item["effective_decision"] == archive.DECIDED.decision
    assert item["case_key"] == "3700/2024"
    assert item["facts_version"] == facts.FACTS_VERSION
    diff = json.loads(item["decision_diff"])
    assert ["delete", "5"] in diff and ["insert", "8"] in diff
    tabled = db["items"].get("testi/101-12")
    assert (tabled["outcome"], tabled["departed_from_proposal"]) == ("tabled", 1)
    agenda = db["items"].get("testi/100-4")
    assert agenda["outcome"] is None and agenda["effective_decision"] is None
    other = db["items"].get("toinen/300-7")
    assert other["outcome"] == "as_proposed"
    assert other["effective_decision"] == archive.OTHER.proposal  # not "…hyväksyttiin."


def test_votes_motions_people_and_amounts_have_their_tables(tmp_path):
    db = archive.build(tmp_path / "a.db")
    votes = list(db.query("select * from item_votes where item_id = 'testi/200-30' "
                          "order by handling, position"))
    assert [(v["yes"], v["no"], v["winner"], v["handling"]) for v in votes] == \
        [(6, 5, "counter", -1), (7, 4, "counter", 0)]
    motion = next(db.query("select * from item_motions"))
    assert (motion["proposer"], motion["seconders"]) == ("Noora Ahonen", "Pekka Virtanen")
    people = {(p["role"], p["name"], p["attendee_name"]) for p in db.query(
        "select * from item_people where item_id = 'testi/200-30' and handling = -1")}
    assert people == {("proposer", "Noora Ahonen", "Noora Ahonen"),
                      ("seconder", "Pekka Virtanen", "Pekka Virtanen"),
                      ("dissent", "Liisa Laine", "Liisa Laine")}
    amounts = [(a["field"], a["cents"], a["recipient"], a["decided"], a["years"]) for a in
               db.query("select * from item_amounts where item_id = 'testi/200-30' "
                        "and handling = -1 order by position")]
    assert amounts == [("proposal", 500000, "Kylätoimikunta ry", 0, None),
                       ("decision", 800000, "Kylätoimikunta ry", 1, None),
                       ("discussion", 800000, None, 0, None),
                       ("background", 1200000, "Kylätoimikunta ry", 0, "2025")]


def test_an_earlier_handling_has_its_own_outcome_and_facts(tmp_path):
    db = archive.build(tmp_path / "a.db")
    handling = next(db.query("select * from item_handlings where item_id = 'testi/200-30'"))
    assert (handling["outcome"], handling["departed_from_proposal"], handling["voted"]) == \
        ("tabled", 1, 1)
    motion = next(db.query("select * from item_motions where handling = 0"))
    assert (motion["proposer"], motion["seconders"], motion["kind"]) == \
        ("Pekka Virtanen", "Noora Ahonen", "tabling")


def test_people_are_linked_when_the_attendees_come_later(tmp_path):
    db = archive.build(tmp_path / "a.db", attendees=False)
    assert {p["attendee_id"] for p in db.query("select * from item_people")} == {None}
    meeting = db["items"].get("testi/200-30")["meeting_id"]
    archive.store_attendees(db, meeting)
    linked = list(db.query("select p.name, a.name as attendee from item_people p "
                           "join meeting_attendees a on a.id = p.attendee_id"))
    assert len(linked) == 5 and all(r["name"] == r["attendee"] for r in linked)
    # storing the item again computes the same links: nothing changes
    assert archive.write(db, "testi", "200-30", archive.DECIDED, meeting,
                         db["items"].get("testi/200-30")["body_id"]) == "unchanged"
    # a corrected attendee list replaces the rows the links pointed at
    assert archive.store_meeting_details_again(db, meeting) != "unchanged"
    assert db.execute("select count(*) from item_people where attendee_id is not null"
                      ).fetchone()[0] == 3


def test_storing_the_same_item_twice_changes_nothing(tmp_path):
    db = archive.build(tmp_path / "a.db")
    row = db["items"].get("testi/101-12")
    assert archive.write(db, "testi", "101-12", archive.TABLED, row["meeting_id"],
                         row["body_id"]) == "unchanged"


def test_an_older_extractor_version_is_recomputed_from_the_stored_texts(tmp_path):
    db = archive.build(tmp_path / "a.db")
    before = {t: list(db.query(f"select * from [{t}] order by id")) for t in facts.TABLES}
    db.execute("update items set facts_version = 'outcome=0', outcome = null")
    db.execute("delete from item_votes")
    assert facts.refresh(db) == 4
    assert db["items"].get("testi/200-30")["outcome"] == "amended"
    after = {t: list(db.query(f"select * from [{t}] order by id")) for t in facts.TABLES}
    strip = {t: [{k: v for k, v in r.items() if k != "id"} for r in rows]
             for t, rows in before.items()}
    assert strip == {t: [{k: v for k, v in r.items() if k != "id"} for r in rows]
                     for t, rows in after.items()}
    assert facts.refresh(db) == 0  # all current now


def test_the_case_timeline_joins_meetings_and_keeps_municipalities_apart(tmp_path):
    db = archive.build(tmp_path / "a.db")
    rows = list(db.query("select municipality, date, document_type, outcome, votes, item_id "
                         "from case_timeline where case_key = '3700/2024' "
                         "order by municipality, date"))
    assert rows == [
        {"municipality": "Testikaupunki", "date": "2025-03-03", "document_type": "minutes",
         "outcome": "tabled", "votes": 0, "item_id": "testi/101-12"},
        {"municipality": "Testikaupunki", "date": "2025-03-17", "document_type": "minutes",
         "outcome": "amended", "votes": 1, "item_id": "testi/200-30"},
        {"municipality": "Toinenkunta", "date": "2025-04-01", "document_type": "minutes",
         "outcome": "as_proposed", "votes": 0, "item_id": "toinen/300-7"},
    ]
    pairs = list(db.query("select agenda_item_id, minutes_item_id from item_pairs"))
    assert pairs == [{"agenda_item_id": "testi/100-4", "minutes_item_id": "testi/101-12"}]


def _timeline_archive(path, *items: str):
    """The facts archive's town with only ``items`` of it (``first``: the 3.3. agenda,
    ``decided``: the 17.3. minutes whose history holds the 3.3. handling)."""
    db = open_db(path)
    store.ensure_source(db, store.SourceRow(
        id="testi", name="Testikaupunki", municipality="Testikaupunki",
        base_url="https://testi.example"), archive.NOW)
    body = store.ensure_body(db, "testi", "Kaupunginhallitus")
    if "first" in items:
        first = store.upsert_meeting(db, source_id="testi", body_id=body,
                                     date="2025-03-03", document_type="agenda",
                                     doc_id="100", url=None)
        archive.write(db, "testi", "100-4", archive.FIRST, first, body)
    if "decided" in items:
        second = store.upsert_meeting(db, source_id="testi", body_id=body,
                                      date="2025-03-17", document_type="minutes",
                                      doc_id="200", url=None)
        archive.write(db, "testi", "200-30", archive.DECIDED, second, body)
    return db


def _timeline(db) -> list[tuple]:
    return [tuple(r.values()) for r in db.query(
        "select date, document_type, item_id, handling, votes from case_timeline "
        "where case_key = '3700/2024'")]


def test_the_case_timeline_prefers_minutes_then_an_earlier_handling_then_the_agenda(tmp_path):
    # no minutes of 3.3.: the later item's record of that handling beats the agenda
    both = _timeline_archive(tmp_path / "both.db", "first", "decided")
    assert _timeline(both) == [("2025-03-03", "minutes", "testi/200-30", 0, 1),
                               ("2025-03-17", "minutes", "testi/200-30", -1, 1)]
    # nothing but the agenda: the agenda is the handling
    agenda = _timeline_archive(tmp_path / "agenda.db", "first")
    assert _timeline(agenda) == [("2025-03-03", "agenda", "testi/100-4", -1, 0)]
    # with the minutes too (archive.build), the minutes win: the test above


def test_a_case_timeline_is_read_through_the_case_index(tmp_path):
    """The view's filter on case_key reaches every part's index: no part reads every
    item (that took 2.2 s per case at 1M items)."""
    db = archive.build(tmp_path / "a.db")
    plan = [r[-1] for r in db.execute(
        "explain query plan select * from case_timeline where case_key = ?",
        ["3700/2024"]).fetchall()]
    items = [step for step in plan if step.startswith(("SEARCH i ", "SCAN i "))]
    assert len(items) == 3 and all("idx_items_case_key" in step for step in items), plan
