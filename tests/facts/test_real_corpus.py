"""Every vote, outcome and amount a careful reader finds on the real pages in
``../shared/corpus`` (read, never copied; skipped when the folder is absent).

The expectations below were read by hand from those pages; only numbers and short
labels are written here, no sentence of theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kokousarkisto.api import parse_file
from parsers import handling_facts
from parsers.facts.money import amounts_in
from parsers.facts.text import match_attendee

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus absent")


def item(relative: str, kind: str | None = None):
    _, record = parse_file(SHARED / relative, kind=kind)
    return record


def test_espoo_2017_minutes_with_five_votes():
    record = item("dynasty/espoo/2017406946-3.HTM")
    facts = handling_facts(record.proposal, record.decision, record.discussion,
                           record.background)
    assert facts.outcome.kind == "amended" and facts.outcome.voted
    assert facts.departed_from_proposal is True
    assert facts.effective_decision.startswith("Kaupunginhallitus ehdottaa")
    assert [op.op for op in facts.diff] == ["equal", "insert"]
    assert [(v.yes, v.no, v.blank, v.winner) for v in facts.votes] == [
        (9, 6, None, "proposal"), (11, 3, 1, "counter"), (8, 7, None, "proposal"),
        (10, 5, None, "proposal"), (10, 1, None, "proposal")]
    _, meeting = parse_file(SHARED / "dynasty/espoo/2017406946.HTM")
    attendees = [(i, a.name) for i, a in enumerate(meeting.attendees)]

    def who(ref):
        found = match_attendee(ref, attendees) if ref else None
        return found[1].split()[-1] if found else (ref.name if ref else None)

    assert [(who(m.proposer), [who(s) for s in m.seconders], m.lapsed)
            for m in facts.motions] == [
        ("Elo", ["Hyrkkö"], False), ("Lahtinen", ["Elo"], False),
        ("Särkijärvi", [], True), ("Byman", [], True)]
    assert [(a.field, a.cents // 100, a.per) for a in facts.amounts] == [
        ("background", 2_300_000, "year"), ("background", 200_000, None),
        ("background", 200_000, None), ("background", 500_000, None),
        ("background", 20, None)]
    assert facts.acts == []


def test_espoo_2013_accepted_as_proposed():
    record = item("dynasty/espoo/2013262303-5.HTM")
    facts = handling_facts(record.proposal, record.decision, record.discussion,
                           record.background)
    assert (facts.outcome.kind, facts.votes, facts.amounts) == ("as_proposed", [], [])
    assert facts.effective_decision == record.proposal


def test_oulu_minutes_noted_and_accepted_with_its_earlier_handling():
    (noted,) = item("tweb-pdf/oulu/35090068.pdf", "minutes_pdf").items
    facts = handling_facts(noted.proposal, noted.decision)
    assert facts.outcome.kind == "noted" and facts.departed_from_proposal is False
    (accepted,) = item("tweb-pdf/oulu/395959398.pdf", "minutes_pdf").items
    facts = handling_facts(accepted.proposal, accepted.decision, accepted.discussion,
                           accepted.background)
    assert facts.outcome.kind == "as_proposed" and facts.effective_decision == accepted.proposal
    assert facts.votes == [] and facts.amounts == []
    earlier = [handling_facts(h.proposal, h.decision, h.discussion)
               for h in accepted.previous_handlings]
    assert [(h.date, f.outcome.kind if f.outcome else None)
            for h, f in zip(accepted.previous_handlings, earlier, strict=True)] == [
        ("2016-04-19", None), ("2016-10-19", None), ("2016-02-25", None),
        ("2017-02-20", "as_proposed")]


def seed(name: str) -> str:
    return next(SHARED.glob(f"seeds/{name}_*.txt")).read_text(encoding="utf-8")


def test_kuopio_seeds_outcomes_and_amounts():
    page, pdf, committee = seed("000"), seed("001"), seed("002")
    for text in (page, pdf):
        found = [(a.cents // 100, a.per) for a in amounts_in(text, "background")]
        assert found == [(300_000, "year"), (100_000, "year")]
    decision = re.findall(r"Päätös\s+(\S.*)", page)[-1]
    assert handling_facts("Kaupunginhallitus hyväksyy osaltaan toimintasuunnitelman.",
                          decision).outcome.kind == "as_proposed"
    found = [(a.cents, a.recipient) for a in amounts_in(committee, "background")]
    assert found == [(1_292_300, "Pitkälähti-Petosen asukasyhdistys ry")] * 2
    decision = re.findall(r"Päätös\*\*\s+(\S.*)", committee)[-1]
    facts = handling_facts("Lautakunta päättää hyväksyä johtajan esityksen.", decision,
                           committee.split(decision)[-1])
    assert facts.outcome.kind == "as_proposed" and facts.acts == []


def test_slide_deck_seeds_amounts():
    assert amounts_in(seed("003"), "background") == []
    assert [a.cents // 100 for a in amounts_in(seed("004"), "background")] == [
        8_000, 70_000, 1_149_309, 800_000, 50_000]
