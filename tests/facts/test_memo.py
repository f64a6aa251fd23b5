"""The facts memo (:func:`db.facts.remembered_facts`): texts met again give the facts
read the first time, and no caller can change what another caller gets."""

from __future__ import annotations

from dataclasses import is_dataclass

from db import facts
from parsers import handling_facts
from parsers.records import DiffOp, PersonRef

PROPOSAL = ("Kaupunginhallitus myöntää Kylätoimikunta ry:lle 5 000 euron avustuksen "
            "vuodelle 2025.")
DECISION = ("Kaupunginhallitus myönsi Kylätoimikunta ry:lle 8 000 euron avustuksen "
            "vuodelle 2025.")
DISCUSSION = ("Noora Ahonen ehdotti Pekka Virtasen kannattamana, että avustus on 8 000 "
              "euroa. Äänestyksessä annettiin 6 jaa-ääntä ja 5 ei-ääntä. Liisa Laine jätti "
              "eriävän mielipiteen.")
TEXTS = (PROPOSAL, DECISION, DISCUSSION, "Haettu 12 000 euroa.")


def _mutable_ids(value, out: set[int]) -> set[int]:
    """The ids of every list, dict and dataclass reachable from ``value``."""
    if isinstance(value, list):
        out.add(id(value))
        for v in value:
            _mutable_ids(v, out)
    elif isinstance(value, dict):
        out.add(id(value))
        for v in value.values():
            _mutable_ids(v, out)
    elif is_dataclass(value):
        out.add(id(value))
        for v in vars(value).values():
            _mutable_ids(v, out)
    return out


def test_texts_met_again_give_the_same_facts():
    facts._memo.cache_clear()
    first = facts.remembered_facts(*TEXTS)
    copies = [(t + ".")[:-1] for t in TEXTS]  # equal texts, other objects
    assert all(c == t and c is not t for c, t in zip(copies, TEXTS, strict=True))
    again = facts.remembered_facts(*copies)
    assert facts._memo.cache_info().hits == 1
    direct = handling_facts(*TEXTS)
    assert first == again == direct
    # the fixture reads every kind of fact, so the copies below cover each of them
    assert first.outcome and first.diff and first.motions and first.votes and first.acts
    assert len(first.amounts) == 4


def test_no_two_results_share_a_mutable_object():
    facts._memo.cache_clear()
    first = facts.remembered_facts(*TEXTS)
    again = facts.remembered_facts(*TEXTS)
    assert not _mutable_ids(first, set()) & _mutable_ids(again, set())


def test_changing_one_result_leaves_the_others_as_read():
    facts._memo.cache_clear()
    first = facts.remembered_facts(*TEXTS)
    # every level a caller could change: the facts, their lists, the objects in them
    # and their own lists
    first.outcome.kind = "unknown"
    first.effective_decision = "muutettu"
    first.votes[0].winner = "no"
    first.votes[0].names.setdefault("yes", []).append(PersonRef(name="X", raw="X"))
    first.motions[0].seconders.append(PersonRef(name="Y", raw="Y"))
    first.motions[0].proposer.candidates.append("Z")
    first.amounts[0].cents = 1
    first.amounts.pop()
    first.diff.append(DiffOp("insert", "lisätty"))
    first.acts.clear()
    again = facts.remembered_facts(*TEXTS)
    assert again == handling_facts(*TEXTS)
    assert again != first


def test_read_facts_copies_too_and_the_memo_is_bounded():
    facts._memo.cache_clear()
    earlier = ((PROPOSAL, DECISION, DISCUSSION),)
    one = facts.read_facts(TEXTS, earlier)
    one[1][1].votes[0].yes = 99
    two = facts.read_facts(TEXTS, earlier)
    assert two == [(facts.CURRENT, handling_facts(*TEXTS)),
                   (0, handling_facts(PROPOSAL, DECISION, DISCUSSION))]
    for n in range(facts.MEMO_SIZE + 10):
        facts.remembered_facts(f"Ehdotus {n}.", None)
    assert facts._memo.cache_info().currsize == facts.MEMO_SIZE


def test_only_classes_of_immutable_fields_are_copied_flat():
    """A flat copy is a deep copy only for a dataclass whose fields are all immutable."""
    from parsers.records import Amount, DiffOp, Motion, Outcome, PersonAct, PersonRef, Vote

    assert all(facts._atoms_only(kind) for kind in (Amount, Outcome, DiffOp))
    assert not any(facts._atoms_only(kind) for kind in (Vote, Motion, PersonRef, PersonAct))


def test_long_texts_are_read_not_kept():
    """A handling longer than MEMO_TEXT_LIMIT is read each time and never kept (the memo
    stays small however long the stored texts are)."""
    facts._memo.cache_clear()
    long = PROPOSAL + " Perustelut." * (facts.MEMO_TEXT_LIMIT // 10)
    first = facts.remembered_facts(long, DECISION, DISCUSSION)
    assert first == handling_facts(long, DECISION, DISCUSSION)
    assert facts._memo.cache_info().currsize == 0
