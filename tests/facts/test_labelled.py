"""The extractors against the labelled set we wrote (tests/facts/labelled): precision and
recall of every fact type at least 0.95, amounts exact, and an unknown wording never
given a class."""

from __future__ import annotations

import pytest

from tests.facts.scoring import Score, load, score_all

TARGET = 0.95


@pytest.fixture(scope="module")
def score() -> Score:
    return score_all()


def test_the_set_is_as_large_as_promised():
    outcomes = load("outcomes")
    assert len(outcomes) >= 60
    assert {c["outcome"] for c in outcomes} >= {
        "as_proposed", "amended", "after_vote", "tabled", "returned", "removed", "noted",
        "unknown"}
    assert sum(len(c.get("votes") or []) for c in load("votes")) >= 30
    assert sum(len(c["amounts"]) for c in load("money")) >= 80


@pytest.mark.parametrize("kind", ["outcome", "unknown", "departed", "effective", "vote",
                                  "vote_name", "motion", "act", "amount", "amount_full",
                                  "recipient"])
def test_precision_and_recall(score: Score, kind: str):
    assert score.expected[kind] > 0
    misses = [m for m in score.misses if f" {kind} " in m]
    assert score.precision(kind) >= TARGET, (score.table(), misses)
    assert score.recall(kind) >= TARGET, (score.table(), misses)


def test_amounts_are_exact_and_never_wrong(score: Score):
    assert score.precision("amount") == 1.0 and score.recall("amount") == 1.0, score.misses


def test_an_unknown_wording_never_gets_a_class(score: Score):
    """Every handling labelled unknown came out unknown, and no class was wrong."""
    assert score.right["unknown"] == score.expected["unknown"]
    assert score.precision("outcome") == 1.0, [m for m in score.misses if "outcome" in m]
